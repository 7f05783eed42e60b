// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// Which crashes fail a triage run: every crash, except those listed as known and, when
/// asked, warnings.
public struct TriagePolicy: Sendable {
    /// Whether warning-only crashes (`WARNING`, lockdep) fail the run (`--warnings fail`).
    public var warningsFail: Bool
    private var knownBuckets: Set<String> = []
    private var knownTitles: Set<String> = []

    /// - Parameter knownEntries: bucket ids or titles (`--known FILE`); a title matches after
    ///   `TriageBucket.normalized`, so numbers and addresses in it need not agree.
    public init(warningsFail: Bool = true, knownEntries: [String] = []) {
        self.warningsFail = warningsFail
        for entry in knownEntries {
            knownBuckets.insert(entry.lowercased())
            knownTitles.insert(TriageBucket.normalized(entry))
        }
    }

    /// Whether any known entry was given.
    public var hasKnownEntries: Bool { !knownBuckets.isEmpty }

    /// Whether a crash with this bucket and these titles is listed as known.
    public func isKnown(bucket: String, titles: [String]) -> Bool {
        guard !knownBuckets.isEmpty else { return false }
        if knownBuckets.contains(bucket.lowercased()) { return true }
        return titles.contains { knownTitles.contains(TriageBucket.normalized($0)) }
    }

    /// What an incident of `kind` with these identity values means for the verdict.
    public func disposition(kind: IncidentKind, bucket: String, titles: [String], isWarning: Bool)
        -> TriageDisposition
    {
        switch kind.family {
        case .memory: return .notCrash
        case .notice: return .notice
        case .crash: break
        }
        if isKnown(bucket: bucket, titles: titles) { return .known }
        if isWarning && !warningsFail { return .passedWarning }
        return .failed
    }
}
