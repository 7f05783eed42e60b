// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// How settled a signature is, as in Sigma's `status`.
public enum SignatureStatus: String, Sendable, CaseIterable {
    /// Tested against real logs; its matches can be trusted.
    case stable
    /// New or still being tuned; its matches are hints.
    case experimental
}
