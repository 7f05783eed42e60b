// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Bounds on the work one match may do.
///
/// Every match runs under limits, so that a hostile or careless pattern (`^(a+)+$`) stops
/// with an error on a long line instead of hanging the scan.
public struct MatchLimits: Sendable, Hashable {
    /// The most calls of PCRE2's internal match function (backtracking steps) per match.
    public var matchLimit: UInt32
    /// The most nested backtracking depth per match.
    public var depthLimit: UInt32
    /// The most heap memory, in KiB, that one match may use.
    public var heapLimitKiB: UInt32

    public init(matchLimit: UInt32, depthLimit: UInt32, heapLimitKiB: UInt32) {
        self.matchLimit = matchLimit
        self.depthLimit = depthLimit
        self.heapLimitKiB = heapLimitKiB
    }

    /// Limits generous for any sane pattern on a kernel log line, tight for a runaway one.
    public static let standard = MatchLimits(matchLimit: 1_000_000, depthLimit: 10_000, heapLimitKiB: 20_000)
}
