// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A signature that an incident satisfies, with the evidence for each condition and how sure
/// the match is.
public struct SignatureMatch: Sendable {
    /// The signature matched.
    public var signature: Signature
    /// What satisfied each leaf condition, in the order the conditions are written.
    public var evidence: [MatchEvidence]
    /// Between 0 and 1: the signature's ``SignatureConfidence/score``, times 0.8 when the
    /// incident was truncated and times 0.8 when its crash identity is marked corrupted.
    public var confidence: Double

    public init(signature: Signature, evidence: [MatchEvidence], confidence: Double) {
        self.signature = signature
        self.evidence = evidence
        self.confidence = confidence
    }

    /// The signature's id.
    public var id: String { signature.id }
}

/// What satisfied one condition of a signature.
public struct MatchEvidence: Sendable, Hashable {
    /// The condition, in words (`details.order ge 3`).
    public var condition: String
    /// The field read.
    public var field: String
    /// The value that satisfied the condition, as text (for a line: the text matched).
    public var value: String?
    /// The evidence line that satisfied it, 1-based in the input, when the field is a line.
    public var line: Int?

    public init(condition: String, field: String, value: String?, line: Int?) {
        self.condition = condition
        self.field = field
        self.value = value
        self.line = line
    }
}
