// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The line that identifies one snapshot format, as the kernel's (or procps') printer writes it.
public struct SnapshotFormatRule: Sendable {
    /// The format the line identifies.
    public var format: SnapshotFormat
    /// A PCRE2 pattern matched against the whole raw line (no prefix is removed: a /proc file
    /// is not a log).
    public var pattern: String

    public init(format: SnapshotFormat, pattern: String) {
        self.format = format
        self.pattern = pattern
    }
}

/// The identifying lines of every snapshot format, most specific first.
///
/// An input is a snapshot when one of its first non-blank lines matches a rule (a capture may
/// start with a shell prompt or a title); the file name never matters. The printers are
/// `meminfo_proc_show`, `frag_show_print` (buddyinfo), `pagetypeinfo_show`, `zoneinfo_show`,
/// `cache_show` (slabinfo), `s_show` (vmallocinfo), `vmstat_show`, `proc_pid_status`,
/// `proc_pid_statm`, `show_map_vma` and `show_smaps_rollup`.
public enum SnapshotFormatRules {
    /// How many non-blank lines at the start of an input are looked at.
    public static let linesExamined = 5

    /// The rules, tried in order.
    public static let all: [SnapshotFormatRule] = [
        SnapshotFormatRule(format: .meminfo, pattern: #"^MemTotal: +\d+ kB\s*$"#),
        SnapshotFormatRule(
            format: .free,
            pattern: #"^\s+total\s+used\s+free\s+shared\s+(?:buff/cache|buffers\s+cached?)(?:\s+available)?\s*$"#),
        SnapshotFormatRule(format: .buddyinfo, pattern: #"^Node \d+, zone +\S+(?: +\d+)+\s*$"#),
        SnapshotFormatRule(format: .zoneinfo, pattern: #"^Node \d+, zone +\S+\s*$"#),
        SnapshotFormatRule(format: .pagetypeinfo, pattern: #"^Page block order: \d+\s*$"#),
        SnapshotFormatRule(format: .slabinfo, pattern: #"^slabinfo - version: \d+\.\d+\s*$"#),
        SnapshotFormatRule(format: .slabtop, pattern: #"^ ?Active / Total Objects \(% used\)\s*:"#),
        SnapshotFormatRule(format: .vmallocinfo, pattern: #"^0x[0-9a-f]+-0x[0-9a-f]+ +\d+ \S"#),
        SnapshotFormatRule(format: .vmstat, pattern: #"^nr_free_pages \d+\s*$"#),
        SnapshotFormatRule(format: .status, pattern: #"^Name:\t"#),
        SnapshotFormatRule(format: .statm, pattern: #"^\d+ \d+ \d+ \d+ \d+ \d+ \d+\s*$"#),
        SnapshotFormatRule(
            format: .smapsRollup,
            pattern: #"^[0-9a-f]+-[0-9a-f]+ [-r][-w][-x][-ps] [0-9a-f]+ [0-9a-f]+:[0-9a-f]+ \d+ +\[rollup\]\s*$"#),
        SnapshotFormatRule(
            format: .maps, pattern: #"^[0-9a-f]+-[0-9a-f]+ [-r][-w][-x][-ps] [0-9a-f]+ [0-9a-f]+:[0-9a-f]+ \d+(?: |$)"#),
    ]
}
