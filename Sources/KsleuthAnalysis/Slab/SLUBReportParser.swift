// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Reads a SLUB debug report's lines into a ``SLUBReport`` (3.x - 6.18 spellings,
/// `../shared/reference/slab-layouts.md` §4).
public enum SLUBReportParser {
    static let header = LinePattern(#"^BUG ([^\s:]+)(?: \((?:Not tainted|Tainted: [^)]*)\))?: (.+?)\s*$"#)
    static let overwrite = LinePattern(
        #"^(?:INFO: )?(?:\[([\w ]+?) overwritten\] )?0x([0-9a-f]+)-0x([0-9a-f]+)(?: @offset=(\d+))?\. First byte 0x([0-9a-f]+) instead of 0x([0-9a-f]+)"#
    )
    static let track = LinePattern(
        #"^(?:INFO: )?(Allocated|Freed) in (\S+)(?: \[[^\]]+\])?(?: age=(\d+))?(?: cpu=(\d+))?(?: pid=(\d+))?"#)
    static let object = LinePattern(#"^(?:INFO: )?Object 0x([0-9a-f]+) @offset=(\d+)(?: fp=0x([0-9a-f]+))?"#)
    static let slab = LinePattern(
        #"^(?:INFO: )?Slab 0x[0-9a-f]+ (?:objects=(\d+) )?(?:used=(\d+) |flags=\S+ inuse=(\d+) )?"#)

    /// The report in `lines`, if they hold a SLUB `BUG <cache>` header.
    public static func parse(_ lines: [String]) -> SLUBReport? {
        var report: SLUBReport?
        var currentTrack: WritableKeyPath<SLUBReport, SLUBReport.Track?>?
        var sawHashedWidth = false
        for text in lines {
            var line = Substring(text)
            while line.first == " " || line.first == "\t" { line.removeFirst() }
            let trimmed = String(line)
            if report == nil {
                if let groups = header.captures(trimmed), let cache = groups[0], let problem = groups[1] {
                    report = SLUBReport(cache: cache, problem: problem, addressesHashed: false)
                }
                continue
            }
            if let groups = overwrite.captures(trimmed), let start = overwrite.hex(groups, 1),
                let end = overwrite.hex(groups, 2), let found = overwrite.hex(groups, 4),
                let expected = overwrite.hex(groups, 5), report?.overwrite == nil
            {
                let what: String? = groups[0] ?? report?.problem.replacingSuffix(" overwritten")
                report?.overwrite = SLUBReport.Overwrite(
                    what: what, start: start, end: end, slabOffset: overwrite.integer(groups, 3),
                    found: UInt8(truncatingIfNeeded: found), expected: UInt8(truncatingIfNeeded: expected))
                if groups[1].map({ $0.count == 16 && $0.hasPrefix("00000000") }) == true { sawHashedWidth = true }
                currentTrack = nil
            } else if let groups = track.captures(trimmed), let function = groups[1] {
                let entry = SLUBReport.Track(
                    function: function, ageJiffies: track.integer(groups, 2), cpu: track.integer(groups, 3),
                    pid: track.integer(groups, 4), stack: [])
                currentTrack = groups[0] == "Allocated" ? \.allocated : \.freed
                report?[keyPath: currentTrack!] = entry
            } else if let groups = object.captures(trimmed) {
                report?.objectAddress = object.hex(groups, 0)
                report?.objectSlabOffset = object.integer(groups, 1)
                report?.freePointer = object.hex(groups, 2)
                currentTrack = nil
            } else if let groups = slab.captures(trimmed) {
                report?.slabObjects = slab.integer(groups, 0)
                report?.slabUsed = slab.integer(groups, 1) ?? slab.integer(groups, 2)
                currentTrack = nil
            } else if let path = currentTrack, text.first == "\t" || text.first == " ",
                !trimmed.isEmpty, (report?[keyPath: path]?.stack.count ?? 0) < 64
            {
                report?[keyPath: path]?.stack.append(trimmed)
            } else {
                currentTrack = nil
            }
        }
        report?.addressesHashed = sawHashedWidth
        return report
    }
}

extension String {
    /// The string without `suffix` when it ends with it; `nil` otherwise.
    func replacingSuffix(_ suffix: String) -> String? {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : nil
    }
}
