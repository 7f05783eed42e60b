// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One report the kernel printed — an oops, an OOM kill, a lockup — with the lines that are
/// its evidence.
public struct Incident: Sendable, Hashable {
    /// What kind of report it is.
    public var kind: IncidentKind
    /// A one-line name for it; for now the report's header line.
    public var title: String
    /// Where it lies in the input.
    public var evidence: EvidenceSpan
    /// The header's printk stamp, in microseconds since boot.
    public var monotonicMicroseconds: Int64?
    /// The header's wall-clock time as the log printed it.
    public var wallClock: String?
    /// The host from a syslog or journal prefix.
    public var host: String?
    /// The printk caller id of the header (`T123`, `C1`).
    public var caller: String?
    /// Whether the report was cut short: by the end of the input, or by the incident size cap.
    public var isTruncated: Bool
    /// Why it is truncated.
    public var truncationReason: String?
    /// The truncation reason of a report whose beginning is not in the log: the input starts
    /// with its tail (registers, `Code:`, frames).
    public static let headerNotInLog = "the input starts inside the report: its header is not in the log"
    /// The evidence lines, in input order (a noise line in between is not among them).
    public var lines: [EvidenceLine]
    /// The index in `lines` of the header line (after any `cut here` preamble).
    public var headerIndex: Int
    /// The text a crash is named from; empty for memory reports.
    ///
    /// Every line of the header's printk context from the header until the next report began,
    /// other messages included, capped by ``IncidentLimits``: what syzkaller reads a crash's
    /// title and stack from.
    public var contextLines: [String]
    /// Kind-specific findings, filled by analyses.
    public var details: Details
    /// The crash's name and bucket, filled by the crash-identity analysis; `nil` for memory
    /// reports.
    public var identity: CrashIdentity?
    /// The frames of the report's call traces, filled by the crash-identity analysis when
    /// the report has any.
    public var callTrace: CallTrace?

    public init(
        kind: IncidentKind, title: String, evidence: EvidenceSpan, monotonicMicroseconds: Int64?, wallClock: String?,
        host: String?, caller: String?, isTruncated: Bool, truncationReason: String?, lines: [EvidenceLine],
        headerIndex: Int, contextLines: [String] = [], details: Details = Details(), identity: CrashIdentity? = nil,
        callTrace: CallTrace? = nil
    ) {
        self.kind = kind
        self.title = title
        self.evidence = evidence
        self.monotonicMicroseconds = monotonicMicroseconds
        self.wallClock = wallClock
        self.host = host
        self.caller = caller
        self.isTruncated = isTruncated
        self.truncationReason = truncationReason
        self.lines = lines
        self.headerIndex = headerIndex
        self.contextLines = contextLines
        self.details = details
        self.identity = identity
        self.callTrace = callTrace
    }

    /// The header line.
    public var header: EvidenceLine { lines[headerIndex] }
}
