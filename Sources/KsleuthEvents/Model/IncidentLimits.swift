// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Caps that keep memory bounded by the size of one incident, whatever the input.
public struct IncidentLimits: Sendable, Hashable {
    /// An incident is closed, as truncated, once it holds this many lines.
    public var maximumLines: Int
    /// An incident is closed, as truncated, once its lines hold this many bytes.
    public var maximumBytes: Int
    /// Reports open at once (one per printk caller); the oldest is closed beyond this.
    public var maximumOpenReports: Int
    /// Lines of other text tolerated inside a report before it is considered over.
    public var foreignLineTolerance: Int
    /// A pause in printk stamps longer than this ends a crash report (microseconds).
    public var maximumPauseMicroseconds: Int64
    /// A pause longer than this ends a memory report (microseconds): dumping the task table of
    /// a large machine over a slow console takes tens of seconds.
    public var maximumMemoryReportPauseMicroseconds: Int64
    /// A crash report's context (the text its title is read from) holds at most this many
    /// lines, and ends when its printk context has been silent for this many input lines.
    public var maximumContextLines: Int

    /// How much longer a report may pause after it sent NMIs for backtraces
    /// (`Sending NMI from CPU 1 to CPUs 2:`): the kernel waits up to 10 s for the answers.
    public var backtraceWaitMicroseconds: Int64 = 10_000_000

    /// How long after a lone header its body may still begin (a slow console printed the soft
    /// lockup's header at 482 s and its `CPU: 0 PID: 1 …` line at 510 s).
    public var maximumBodyDelayMicroseconds: Int64 = 60_000_000

    /// The pause that ends a report of `family`.
    public func maximumPause(for family: IncidentFamily) -> Int64 {
        family == .memory ? maximumMemoryReportPauseMicroseconds : maximumPauseMicroseconds
    }

    public init(
        maximumLines: Int = 4000, maximumBytes: Int = 512 * 1024, maximumOpenReports: Int = 16,
        foreignLineTolerance: Int = 4, maximumPauseMicroseconds: Int64 = 10_000_000,
        maximumMemoryReportPauseMicroseconds: Int64 = 60_000_000, maximumContextLines: Int = 1000
    ) {
        self.maximumLines = maximumLines
        self.maximumBytes = maximumBytes
        self.maximumOpenReports = maximumOpenReports
        self.foreignLineTolerance = foreignLineTolerance
        self.maximumPauseMicroseconds = maximumPauseMicroseconds
        self.maximumMemoryReportPauseMicroseconds = maximumMemoryReportPauseMicroseconds
        self.maximumContextLines = maximumContextLines
    }

    public static let standard = IncidentLimits()

    /// Incidents one kernel notice (its text, digits set aside) gives at most in one input; its
    /// further repeats are counted in a diagnostic.
    public static let maximumIncidentsPerNotice = 20
}
