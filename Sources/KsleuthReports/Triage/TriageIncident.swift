// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// What triage keeps of one incident: its name, bucket and place, and a short excerpt — not
/// its lines, so that a log of many huge reports stays small in memory.
public struct TriageIncident: Sendable, Hashable {
    /// Where the title, type and bucket came from.
    public enum IdentitySource: String, Sendable, Hashable {
        /// The crash-identity analysis named the incident.
        case analyzer
        /// No identity: the header line is the title and `TriageBucket` hashed it.
        case fallback
    }

    public var kind: IncidentKind
    /// The crash title: the identity's title, else the incident's header line.
    public var title: String
    public var alternativeTitles: [String]
    /// The crash type in syzkaller's vocabulary; empty when unknown.
    public var type: String
    public var bucket: String
    public var isCorrupted: Bool
    public var corruptionReason: String?
    public var frame: String?
    public var guiltyFile: String?
    /// Whether the crash is only a warning (`--warnings pass` lets it through).
    public var isWarning: Bool
    public var identitySource: IdentitySource
    public var disposition: TriageDisposition
    public var evidence: EvidenceSpan
    public var headerLine: Int
    public var lineCount: Int
    public var isTruncated: Bool
    /// The first lines from the header on, each cut to `TriageIncident.maximumExcerptLineLength`
    /// characters.
    public var excerpt: [EvidenceLine]
    /// The known failure modes the incident matched (`details.signatures`), most severe first.
    public var signatures: [TriageSignature]

    /// Excerpt lines longer than this many characters are cut (and end with `…`).
    public static let maximumExcerptLineLength = 400

    /// Summarises `incident` under `policy`, keeping `excerptLines` lines of it.
    public init(_ incident: Incident, policy: TriagePolicy, excerptLines: Int) {
        kind = incident.kind
        if let identity = incident.identity {
            title = identity.title
            alternativeTitles = identity.alternativeTitles
            type = identity.type
            bucket = identity.bucket
            isCorrupted = identity.isCorrupted
            corruptionReason = identity.corruptionReason
            frame = identity.frame
            guiltyFile = identity.guiltyFile
            isWarning = identity.isWarning
            identitySource = .analyzer
        } else {
            title = incident.title
            alternativeTitles = []
            type = ""
            bucket = TriageBucket.fallback(forTitle: incident.title)
            isCorrupted = false
            isWarning = incident.kind == .warning || incident.kind == .lockdep
            identitySource = .fallback
        }
        disposition = policy.disposition(
            kind: kind, bucket: bucket, titles: [title] + alternativeTitles, isWarning: isWarning)
        evidence = incident.evidence
        headerLine = incident.header.number
        lineCount = incident.lines.count
        isTruncated = incident.isTruncated
        signatures = TriageSignature.all(in: incident.details)
        excerpt = incident.lines.dropFirst(incident.headerIndex).prefix(max(0, excerptLines)).map { line in
            var cut = line
            if cut.text.count > Self.maximumExcerptLineLength {
                cut.text = String(cut.text.prefix(Self.maximumExcerptLineLength)) + "…"
            }
            return cut
        }
    }

    /// Whether the incident is of the crash family (every kind but the memory reports and
    /// notices).
    public var isCrash: Bool { kind.family == .crash }

    /// Whether the incident is a one-line kernel notice.
    public var isNotice: Bool { kind.family == .notice }

    /// The SARIF rule of the incident: its kind, and its crash type when it has one
    /// (`kasan/KASAN-USE-AFTER-FREE-READ`).
    public var ruleID: String { type.isEmpty ? kind.rawValue : kind.rawValue + "/" + type }
}
