// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// How one kind of report announces itself: literals for the byte prefilter, a pattern that
/// confirms the line, and how the line relates to a report already open.
public struct ReportStartRule: Sendable {
    /// How a confirmed line relates to the report open on the same stream.
    public enum Role: Sendable, Hashable {
        /// Opens a new report (`BUG: unable to handle …`, `… invoked oom-killer: …`).
        case header
        /// The architecture's die line (`Oops: 0000 [#1] SMP`, `invalid opcode: 0000 [#1]`,
        /// `Internal error: Oops: …`): part of the open crash report if that has no die line
        /// yet, else the start of a new one.
        case dieLine
        /// A line that continues an open report of `family` on any stream (`Kernel panic -
        /// not syncing` after an oops, `Killed process` after the OOM header); without one,
        /// it opens a report of its own (a log that lost the header).
        case followUp(IncidentFamily)
        /// A line the kernel prints only inside a report of this kind (a call-trace frame of
        /// the OOM killer's `dump_header`): an ordinary line of whatever report is open on its
        /// stream; on a stream with none open, it opens one (an excerpt that begins after the
        /// header).
        case midReport
    }

    /// The kind of report the line opens.
    public var kind: IncidentKind
    /// How the line relates to an open report.
    public var role: Role
    /// Byte strings (four bytes or longer) one of which the line must contain; the pattern
    /// runs only on lines that do.
    public var literals: [String]
    /// The PCRE2 pattern that confirms the line, matched against the kernel's text.
    public var pattern: String
    /// Kinds of report this one absorbs when they open within ``mergeWindow`` lines of its
    /// header: reports the kernel prints as two headers (`list_del corruption` followed by
    /// `kernel BUG at lib/list_debug.c`).
    public var absorbs: Set<IncidentKind>
    /// Whether the line concludes its report (the OOM killer's kill line).
    ///
    /// A report holds one such line: another one after it begins the next report, as when
    /// printk's rate limit drops an OOM's header and the kill line is all that OOM prints.
    /// Lines of rules that do not conclude (the reaper's) still join.
    public var concludes: Bool

    public init(
        kind: IncidentKind, role: Role = .header, literals: [String], pattern: String,
        absorbs: Set<IncidentKind> = [], concludes: Bool = false
    ) {
        self.kind = kind
        self.role = role
        self.literals = literals
        self.pattern = pattern
        self.absorbs = absorbs
        self.concludes = concludes
    }

    /// Lines after a header within which an absorbed kind joins the report.
    public static let mergeWindow = 4

    /// Crash lines that do not start another report, because the kernel prints them inside
    /// one (syzkaller's `reportStartIgnores`): they neither end a report's context nor cut
    /// the text its title is read from.
    public static let linesInsideReports = [
        "invalid opcode: 0000", "Kernel panic - not syncing", "unregister_netdevice: waiting for",
        "PANIC: double fault",
        "Internal error:",
    ]
}
