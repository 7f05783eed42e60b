// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// What an incident means for the triage verdict: whether it fails the run, and if not, why.
public enum TriageDisposition: String, Sendable, Hashable {
    /// A crash that counts: the input fails and the exit status is 1.
    case failed
    /// A crash listed in `--known`: reported, but it does not count.
    case known
    /// A warning-only crash (`WARNING`, lockdep) under `--warnings pass`: reported, but it
    /// does not count.
    case passedWarning = "passed-warning"
    /// A memory report (OOM kill, allocation failure, Mem-Info): never a crash.
    case notCrash = "not-a-crash"
    /// A one-line kernel notice (`nf_conntrack: table full`, `EXT4-fs error`): never a
    /// crash; SARIF reports it at level `note`.
    case notice

    /// Whether the incident fails its input.
    public var counts: Bool { self == .failed }
}
