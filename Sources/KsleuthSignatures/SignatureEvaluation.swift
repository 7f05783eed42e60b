// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The outcome of matching one incident against the whole database.
public struct SignatureEvaluation: Sendable {
    /// The signatures matched, most severe first.
    public var matches: [SignatureMatch]
    /// Tests a match limit stopped, in words; each counted as not satisfied.
    public var limitFailures: [String]

    public init(matches: [SignatureMatch], limitFailures: [String]) {
        self.matches = matches
        self.limitFailures = limitFailures
    }
}
