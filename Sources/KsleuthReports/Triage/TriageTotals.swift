// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The verdict of a whole triage run, summed over its inputs, and the exit status it gives.
public struct TriageTotals: Sendable, Hashable {
    public var inputs = 0
    /// Inputs holding at least one crash that counts.
    public var failedInputs = 0
    /// Inputs that could not be used.
    public var unusableInputs = 0
    public var crashIncidents = 0
    public var failedIncidents = 0
    public var knownIncidents = 0
    public var passedWarnings = 0
    public var elapsedSeconds: Double = 0

    public init() {}

    /// Adds one input's verdict.
    public mutating func add(_ summary: TriageSummary) {
        inputs += 1
        if summary.failed { failedInputs += 1 }
        if summary.isUnusable { unusableInputs += 1 }
        crashIncidents += summary.crashCount
        failedIncidents += summary.failedCount
        knownIncidents += summary.knownCount
        passedWarnings += summary.passedWarningCount
        elapsedSeconds += summary.elapsedSeconds
    }

    /// `docs/exit-codes.md`: 2 when an input was unusable, else 1 when a crash counts, else 0.
    public var exitStatus: Int32 {
        if unusableInputs > 0 { return 2 }
        return failedInputs > 0 ? 1 : 0
    }
}
