// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Reads a KASAN report (4.4 - 6.18 spellings, `../shared/reference/kasan-kfence-ubsan.md` §1)
/// and decodes the shadow byte under its `^` marker.
///
/// Besides today's `The buggy address belongs to the object at …` lines it reads the 4.6 - 4.10
/// `kasan_object_err()` shape: `Object at ffff88000b67a3c0, in cache kmalloc-64 size: 64`, then
/// `Allocated:` / `Freed:` with `PID = 144` and `[<ffffffff810245ea>] save_stack_trace+0x2a/0x50`
/// frames. A wild or user access names its address, not a function: `BUG: KASAN:
/// wild-memory-access on address 0000ffff00013138`.
public enum KASANReportParser {
    static let header = LinePattern(
        #"^BUG: KASAN: ([\w-]+) (?:in (\S+)(?: at addr ([0-9a-f]+))?|on address ([0-9a-f]+))"#)
    /// `by task %s/%d`: the comm may hold spaces (`bgExecutor #3/8262`).
    static let access = LinePattern(
        #"^(Read|Write) (?:of size (\d+) )?(?:at addr ([0-9a-f]+) )?by task (.+?/\d+)\s*$"#)
    static let free = LinePattern(#"^Free of addr ([0-9a-f]+) by task (.+?/\d+)\s*$"#)
    static let object = LinePattern(#"^The buggy address belongs to the object at ([0-9a-f]+)"#)
    /// 4.6 - 4.10 kasan_object_err(): `Object at %p, in cache %s size: %d` (4.6 without the size).
    static let oldObject = LinePattern(#"^Object at ([0-9a-f]+), in cache (\S+?)(?: size: (\d+))?\s*$"#)
    static let cache = LinePattern(#"which belongs to the cache (\S+) of size (\d+)"#)
    static let located = LinePattern(
        #"^The buggy address is located (\d+) bytes (inside|to the left|to the right) of"#)
    static let region = LinePattern(#"^(?:allocated |freed )?(\d+)-byte region \[([0-9a-f]+), ([0-9a-f]+)\)"#)
    static let task = LinePattern(#"^(Allocated|Freed)(?: by task (\d+)|:$)"#)

    /// The report in `lines`, if they hold a `BUG: KASAN:` header.
    public static func parse(_ lines: [String], version: KernelVersion?) -> KASANReport? {
        var report: KASANReport?
        var shadowRows: [(text: String, row: HexdumpRow)] = []
        var markerColumn: Int?
        var markedRowText: String?
        var inShadow = false
        var pendingTrack: String?
        for text in lines {
            var trimmed = Substring(text)
            while trimmed.first == " " { trimmed.removeFirst() }
            let line = String(trimmed)
            if report == nil {
                if let groups = header.captures(line), let type = groups[0] {
                    report = KASANReport(
                        bugType: type, function: groups[1], address: header.hex(groups, 2) ?? header.hex(groups, 3),
                        legend: [])
                }
                continue
            }
            if line.hasPrefix("Memory state around the buggy address") {
                inShadow = true
                continue
            }
            if inShadow {
                if let row = HexdumpRowParser.parse(text), row.form == .address, row.bytes.count == 16 {
                    shadowRows.append((text, row))
                    if row.isMarkedRow { markedRowText = text }
                    continue
                }
                if line == "^", let column = text.firstIndex(of: "^") {
                    markerColumn = text.distance(from: text.startIndex, to: column)
                    continue
                }
                inShadow = false
            }
            if let groups = access.captures(line) {
                report?.access = groups[0]?.lowercased()
                report?.size = access.integer(groups, 1)
                if let address = access.hex(groups, 2) { report?.address = address }
                report?.task = groups[3]
            } else if let groups = free.captures(line) {
                report?.access = "free"
                report?.address = free.hex(groups, 0)
                report?.task = groups[1]
            } else if let groups = object.captures(line) {
                report?.objectStart = object.hex(groups, 0)
                if let more = cache.captures(line) {
                    report?.cache = more[0]
                    report?.objectSize = cache.integer(more, 1)
                }
            } else if let groups = oldObject.captures(line) {
                report?.objectStart = oldObject.hex(groups, 0)
                report?.cache = groups[1]
                report?.objectSize = oldObject.integer(groups, 2)
            } else if let groups = cache.captures(line) {
                report?.cache = groups[0]
                report?.objectSize = cache.integer(groups, 1)
            } else if let groups = located.captures(line) {
                report?.statedDistance = located.integer(groups, 0)
                report?.statedRelation = groups[1]
            } else if let groups = region.captures(line) {
                if report?.objectSize == nil { report?.objectSize = region.integer(groups, 0) }
                if report?.objectStart == nil { report?.objectStart = region.hex(groups, 1) }
            } else if let groups = task.captures(line) {
                pendingTrack = groups[0]
            } else if let kind = pendingTrack, !line.isEmpty {
                let frame = Self.function(ofFrame: line)
                if kind == "Allocated", report?.allocatedBy == nil, isCaller(frame) { report?.allocatedBy = frame }
                if kind == "Freed", report?.freedBy == nil, isCaller(frame) { report?.freedBy = frame }
                if report?.allocatedBy != nil && kind == "Allocated" || report?.freedBy != nil && kind == "Freed" {
                    pendingTrack = nil
                }
            }
        }
        guard var result = report else { return nil }
        if let address = result.address, let start = result.objectStart {
            result.offset = Int(truncatingIfNeeded: Int64(bitPattern: address &- start))
        }
        decodeShadow(&result, rows: shadowRows.map(\.row), markedText: markedRowText, column: markerColumn, version)
        return result
    }

    /// The `function+0x…/0x…` of a stack line: ` kasan_kmalloc+0xf0/0x1c8` or
    /// `[<ffffffff811ba2e2>] inotify_handle_event+0x72/0x150` (before 4.11).
    static func function(ofFrame line: String) -> String {
        let tokens = line.split(separator: " ")
        return String(tokens.first { $0.contains("+0x") } ?? tokens.first ?? "")
    }

    /// Allocation-track frames that are neither the allocator nor KASAN's stack saving.
    static func isCaller(_ frame: String) -> Bool {
        let allocator = [
            "kmalloc", "kmem_cache_alloc", "__kmalloc", "kfree", "kmem_cache_free", "slab_", "__slab", "kasan_",
            "__kasan", "____kasan", "stack_trace", "save_stack", "set_track",
        ]
        return frame.contains("+0x") && !allocator.contains { frame.hasPrefix($0) }
    }

    static func decodeShadow(
        _ report: inout KASANReport, rows: [HexdumpRow], markedText: String?, column: Int?, _ version: KernelVersion?
    ) {
        guard !rows.isEmpty else { return }
        var seen: [UInt8] = []
        for row in rows { for case let byte? in row.bytes where !seen.contains(byte) { seen.append(byte) } }
        report.legend = seen.sorted().map {
            (value: $0, meaning: KASANShadowByte.meaning($0, version: version).meaning)
        }
        guard let marked = rows.first(where: { $0.isMarkedRow }) else { return }
        let step: UInt64 = rows.count > 1 ? (rows[1].address ?? 0) &- (rows[0].address ?? 0) : 128
        let granule = step == 256 ? 16 : 8
        var index: Int?
        if let address = report.address, let rowAddress = marked.address, address >= rowAddress,
            address - rowAddress < step
        {
            index = Int(address - rowAddress) / granule
        }
        if let column, let text = markedText, let colon = text.firstIndex(of: ":") {
            let dataStart = text.distance(from: text.startIndex, to: colon) + 2
            let columnIndex = (column - dataStart) / 3
            if (0..<16).contains(columnIndex) {
                if let index { report.markerAgrees = index == columnIndex }
                index = index ?? columnIndex
            }
        }
        guard let index, index < marked.bytes.count, let value = marked.bytes[index] else { return }
        // A partial granule (01-07) or an accessible one: the access ran into the next byte's state.
        var guilty = value
        if value < 0x08, index + 1 < marked.bytes.count, let next = marked.bytes[index + 1] { guilty = next }
        let meaning = KASANShadowByte.meaning(value, version: version)
        report.shadowValue = value
        report.shadowMeaning = meaning.meaning
        report.shadowBugType =
            value < 0x08 && guilty != value
            ? KASANShadowByte.meaning(guilty, version: version).bugType : meaning.bugType
    }
}
