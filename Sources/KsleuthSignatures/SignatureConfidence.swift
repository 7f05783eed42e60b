// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// How sure the author of a signature is that a match means the failure mode.
///
/// A match's numeric confidence starts from ``score`` and is lowered when the incident's
/// evidence is damaged (see ``SignatureMatch/confidence``).
public enum SignatureConfidence: String, Sendable, CaseIterable {
    /// The condition names the failure mode itself (a unique message, a specific frame).
    case high
    /// The condition is typical of the failure mode but other causes exist.
    case medium
    /// A heuristic: worth a look, not a diagnosis.
    case low

    /// The starting confidence of a match, between 0 and 1.
    public var score: Double {
        switch self {
        case .high: 0.9
        case .medium: 0.7
        case .low: 0.5
        }
    }
}
