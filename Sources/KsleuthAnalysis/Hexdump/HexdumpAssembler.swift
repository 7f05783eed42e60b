// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Groups parsed rows into dumps and lays each dump's bytes out in memory order.
///
/// Consecutive rows of the same form belong to one dump (a line of another kind in between,
/// such as an interleaved message, does not end it; a different form does). Offset rows and
/// rows with real addresses are placed by their offset, so rows out of order are sorted and
/// missing rows leave named gaps; SLUB rows with hashed addresses are laid out in print order.
/// A wrapped row's tail (a bare line of groups) is joined to the row before it.
public struct HexdumpAssembler: Sendable {
    /// Bytes kept per dump; the rest is dropped and named (a 1 GB dump stays bounded).
    public var maximumBytes: Int
    /// Dumps kept per input.
    public var maximumDumps: Int
    /// The byte order of multi-byte groups.
    public var littleEndian: Bool

    public init(maximumBytes: Int = 1 << 20, maximumDumps: Int = 64, littleEndian: Bool = true) {
        self.maximumBytes = maximumBytes
        self.maximumDumps = maximumDumps
        self.littleEndian = littleEndian
    }

    /// The dumps in `lines` (text and 1-based line number).
    public func dumps(in lines: [(number: Int, text: String)]) -> [Hexdump] {
        var rows: [HexdumpRow] = []
        var result: [Hexdump] = []
        var gapLines = 0
        var offsets: Set<Int> = []
        func flush() {
            if !rows.isEmpty, result.count < maximumDumps { result.append(assemble(rows)) }
            rows = []
            offsets = []
        }
        for line in lines {
            guard var row = HexdumpRowParser.parse(line.text, littleEndian: littleEndian, lineNumber: line.number)
            else {
                gapLines += 1
                if gapLines > 1 { flush() }
                continue
            }
            gapLines = 0
            if row.form == .bare {
                if let last = rows.last, last.bytes.count % 16 != 0 || last.bytes.count < 16 {
                    rows[rows.count - 1].bytes += row.bytes
                    rows[rows.count - 1].problems.append("row wrapped onto line \(line.number)")
                }
                continue
            }
            // An 8-digit offset past 1 MiB reads as an address; it still continues an offset dump.
            if row.form == .address, let last = rows.last, last.form == .offset, let offset = last.offset,
                row.address == UInt64(offset + last.bytes.count), !row.isMarkedRow
            {
                row.form = .offset
                row.offset = offset + last.bytes.count
                row.address = nil
            }
            if let last = rows.last, !continues(last, with: row) { flush() }
            if row.form == .offset, let offset = row.offset, offsets.contains(offset) { flush() }
            if row.form == .code || row.form == .raw && rows.first?.label != row.label { flush() }
            if let offset = row.offset { offsets.insert(offset) }
            rows.append(row)
            if row.form == .code { flush() }
        }
        flush()
        return result
    }

    /// Whether `row` belongs to the same dump as `last`.
    func continues(_ last: HexdumpRow, with row: HexdumpRow) -> Bool {
        guard last.form == row.form else { return false }
        switch row.form {
        case .labelled:
            return true
        case .offset:
            return last.label == row.label
        case .address:
            guard last.label == row.label, let previous = last.address, let next = row.address else { return false }
            return next > previous ? next - previous <= 1 << 16 : previous - next <= 1 << 16
        default:
            return last.label == row.label
        }
    }

    /// One dump from its rows.
    public func assemble(_ rows: [HexdumpRow]) -> Hexdump {
        let form = rows[0].form
        var problems = rows.flatMap { row in
            row.problems.map { "line \(row.lineNumber.map(String.init) ?? "?"): \($0)" }
        }
        switch form {
        case .address where Self.shadowStride(rows) != nil:
            return shadow(rows, stride: Self.shadowStride(rows)!, problems: &problems)
        case .offset, .address:
            return placed(rows, form: form, problems: &problems)
        case .labelled:
            return sectioned(rows, problems: &problems)
        default:
            var bytes: [UInt8?] = []
            var marker: Int?
            for row in rows {
                if let index = row.markerIndex, marker == nil { marker = bytes.count + index }
                bytes += row.bytes.prefix(max(0, maximumBytes - bytes.count))
            }
            let cut = rows.reduce(0, { $0 + $1.bytes.count }) > maximumBytes
            if cut { problems.append("dump longer than \(maximumBytes) bytes; the rest was not kept") }
            var dump = Hexdump(
                form: form, label: rows[0].label, baseAddress: nil, baseOffset: 0, bytes: bytes, sections: [],
                groupSize: rows[0].groupSize, markerIndex: marker, rows: Array(rows.prefix(4096)),
                firstLine: rows.first?.lineNumber, lastLine: rows.last?.lineNumber, addressesHashed: false,
                problems: problems)
            dump.isCut = cut
            return dump
        }
    }

    /// Offset or address rows placed by their position.
    func placed(_ rows: [HexdumpRow], form: HexdumpRow.Form, problems: inout [String]) -> Hexdump {
        let positions = rows.map { row -> UInt64 in form == .offset ? UInt64(row.offset ?? 0) : (row.address ?? 0) }
        let base = positions.min() ?? 0
        if zip(positions, positions.dropFirst()).contains(where: { $0 >= $1 }) {
            problems.append("rows out of order or repeated; placed by their \(form == .offset ? "offset" : "address")")
        }
        var end = 0
        for (row, position) in zip(rows, positions) {
            end = max(end, Int(clamping: position - base) + row.bytes.count)
        }
        let cut = end > maximumBytes
        if cut { problems.append("dump spans more than \(maximumBytes) bytes; the rest was not kept") }
        var bytes = [UInt8?](repeating: nil, count: min(end, maximumBytes))
        var covered = [Bool](repeating: false, count: bytes.count)
        for (row, position) in zip(rows, positions) {
            let start = Int(clamping: position - base)
            for (index, byte) in row.bytes.enumerated() where start + index < bytes.count {
                if covered[start + index], bytes[start + index] != byte {
                    problems.append("line \(row.lineNumber ?? 0): differs from an earlier row at \(start + index)")
                }
                bytes[start + index] = byte
                covered[start + index] = true
            }
        }
        var index = 0
        while index < covered.count {
            guard !covered[index] else {
                index += 1
                continue
            }
            let start = index
            while index < covered.count, !covered[index] { index += 1 }
            problems.append(
                "bytes \(HexText.format(UInt64(start) + (form == .offset ? base : 0)))-"
                    + "\(HexText.format(UInt64(index - 1) + (form == .offset ? base : 0))) not printed (rows missing)")
        }
        var dump = Hexdump(
            form: form, label: rows[0].label, baseAddress: form == .address ? base : nil,
            baseOffset: form == .offset ? Int(base) : 0, bytes: bytes, sections: [], groupSize: rows[0].groupSize,
            markerIndex: nil, rows: Array(rows.prefix(4096)), firstLine: rows.first?.lineNumber,
            lastLine: rows.last?.lineNumber, addressesHashed: false, problems: problems)
        dump.isCut = cut
        return dump
    }

    /// The memory bytes one KASAN shadow row covers (128 generic, 256 tag-based), when `rows`
    /// look like a shadow dump: 16 bytes a row, addresses that step by that amount.
    static func shadowStride(_ rows: [HexdumpRow]) -> UInt64? {
        guard rows.count >= 2, rows.allSatisfy({ $0.bytes.count == 16 && $0.address != nil }) else { return nil }
        let steps = zip(rows, rows.dropFirst()).map { $1.address! &- $0.address! }
        guard let step = steps.first, step == 128 || step == 256, steps.allSatisfy({ $0 == step }) else {
            return nil
        }
        return step
    }

    /// KASAN's `Memory state around the buggy address:` rows: one shadow byte per granule.
    func shadow(_ rows: [HexdumpRow], stride: UInt64, problems: inout [String]) -> Hexdump {
        var dump = Hexdump(
            form: .address, label: "shadow", baseAddress: rows[0].address, baseOffset: 0,
            bytes: rows.flatMap(\.bytes), sections: [], groupSize: 1, markerIndex: nil, rows: rows,
            firstLine: rows.first?.lineNumber, lastLine: rows.last?.lineNumber, addressesHashed: false,
            problems: problems)
        dump.shadowGranule = Int(stride / 16)
        return dump
    }

    /// SLUB's labelled rows: sections in print order.
    func sectioned(_ rows: [HexdumpRow], problems: inout [String]) -> Hexdump {
        // Real addresses advance by whole rows (more than one when a row is missing); hashed
        // ones (4.15+) jump anywhere.
        var hashed = false
        for (previous, next) in zip(rows, rows.dropFirst()) where previous.label == next.label {
            guard let a = previous.address, let b = next.address else { continue }
            let row = UInt64(max(1, previous.bytes.count))
            if !(b > a && b - a <= 1 << 16 && (b - a) % row == 0) { hashed = true }
        }
        var bytes: [UInt8?] = []
        var sections: [Hexdump.Section] = []
        for row in rows {
            let label = row.label ?? "?"
            let kept = row.bytes.prefix(max(0, maximumBytes - bytes.count))
            if var last = sections.last, last.label == label {
                if !hashed, let start = last.address, let address = row.address,
                    address != start &+ UInt64(last.count)
                {
                    let gap = Int(clamping: address &- (start &+ UInt64(last.count)))
                    if gap > 0, gap < 1 << 16, bytes.count + gap <= maximumBytes {
                        problems.append("\(label): \(gap) bytes not printed before line \(row.lineNumber ?? 0)")
                        bytes += [UInt8?](repeating: nil, count: gap)
                        last.count += gap
                    }
                }
                last.rowAddresses.append((offset: bytes.count, address: row.address ?? 0))
                last.count += kept.count
                sections[sections.count - 1] = last
            } else {
                sections.append(
                    Hexdump.Section(
                        label: label, start: bytes.count, count: kept.count, address: row.address,
                        rowAddresses: [(bytes.count, row.address ?? 0)]))
            }
            bytes += kept
        }
        let cut = rows.reduce(0, { $0 + $1.bytes.count }) > maximumBytes
        if cut { problems.append("dump longer than \(maximumBytes) bytes; the rest was not kept") }
        var dump = Hexdump(
            form: .labelled, label: nil, baseAddress: hashed ? nil : rows[0].address, baseOffset: 0, bytes: bytes,
            sections: sections, groupSize: rows[0].groupSize, markerIndex: nil, rows: Array(rows.prefix(4096)),
            firstLine: rows.first?.lineNumber, lastLine: rows.last?.lineNumber, addressesHashed: hashed,
            problems: problems)
        dump.isCut = cut
        return dump
    }
}
