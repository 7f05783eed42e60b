// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// One known failure mode, read from `signatures/<area>/<id>.yaml`: what it looks like in an
/// incident, what it means and what to do about it.
public struct Signature: Sendable {
    /// The stable name, equal to the file name without `.yaml`; never reused.
    public var id: String
    /// The folder the file lies in (`oom`, `alloc`, `slab`, `net`, …).
    public var area: String
    /// One line naming the failure mode.
    public var title: String
    /// Whether the signature is settled (`stable`) or still being tuned (`experimental`).
    public var status: SignatureStatus
    /// How bad the failure mode is for the machine.
    public var severity: SignatureSeverity
    /// How sure a match is, before the incident's own quality is taken into account.
    public var confidence: SignatureConfidence
    /// Free-form labels (`memcg`, `kubernetes`, `cve`).
    public var tags: [String]
    /// The incident kinds the signature applies to; incidents of other kinds are never tested.
    public var kinds: [IncidentKind]
    /// The condition an incident must satisfy.
    public var match: MatchCondition
    /// What happens and why, in a few sentences.
    public var explanation: String
    /// What to do about it.
    public var remediation: String
    /// Where the failure mode is documented: commits, bug reports, CVEs, articles.
    public var references: [SignatureReference]
    /// Kernel versions known to be affected, as free text (`3.10–4.14`).
    public var affected: String?
    /// The kernel version, or commit, that fixed it.
    public var fixedIn: String?
    /// Situations in which the signature may fire although the failure mode is absent.
    public var falsePositives: [String]
    /// Log excerpts that must match and must not match.
    public var samples: [SignatureSample]
    /// The file the signature was read from.
    public var file: String

    public init(
        id: String, area: String, title: String, status: SignatureStatus = .stable, severity: SignatureSeverity,
        confidence: SignatureConfidence = .high, tags: [String] = [], kinds: [IncidentKind], match: MatchCondition,
        explanation: String, remediation: String, references: [SignatureReference], affected: String? = nil,
        fixedIn: String? = nil, falsePositives: [String] = [], samples: [SignatureSample], file: String
    ) {
        self.id = id
        self.area = area
        self.title = title
        self.status = status
        self.severity = severity
        self.confidence = confidence
        self.tags = tags
        self.kinds = kinds
        self.match = match
        self.explanation = explanation
        self.remediation = remediation
        self.references = references
        self.affected = affected
        self.fixedIn = fixedIn
        self.falsePositives = falsePositives
        self.samples = samples
        self.file = file
    }
}
