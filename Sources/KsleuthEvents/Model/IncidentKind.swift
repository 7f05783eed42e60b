// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// What kind of event the kernel reported.
///
/// The raw value is the stable `kind` string of the JSON output.
public enum IncidentKind: String, Sendable, CaseIterable, Codable {
    case oom = "oom-kill"
    case pageAllocationFailure = "page-alloc-failure"
    case memoryDump = "memory-dump"
    case memorySnapshot = "memory-snapshot"
    case oops = "oops"
    case generalProtectionFault = "general-protection-fault"
    case bug = "bug"
    case warning = "warning"
    case panic = "panic"
    case kasan = "kasan"
    case kfence = "kfence"
    case kmsan = "kmsan"
    case kcsan = "kcsan"
    case ubsan = "ubsan"
    case slabCorruption = "slab-corruption"
    case badPage = "bad-page"
    case listCorruption = "list-corruption"
    case atomicContext = "atomic-context"
    case lockdep = "lockdep"
    case hungTask = "hung-task"
    case softLockup = "soft-lockup"
    case hardLockup = "hard-lockup"
    case rcuStall = "rcu-stall"
    case workqueueLockup = "workqueue-lockup"
    case machineCheck = "machine-check"
    case spuriousInterrupt = "spurious-interrupt"
    /// A one-line kernel message that names a known failure mode without a report around it
    /// (`nf_conntrack: table full, dropping packet`, `EXT4-fs error (device sda1): …`); see
    /// `ReportStartRule.kernelNotices`.
    case notice = "notice"

    /// The family decides which later lines may join an open report: a panic joins a
    /// crash, an `oom_reaper:` line joins a memory report.
    public var family: IncidentFamily {
        switch self {
        case .oom, .pageAllocationFailure, .memoryDump, .memorySnapshot: .memory
        case .notice: .notice
        default: .crash
        }
    }
}

/// Reports that share a shape: crashes (oops, BUG, WARNING, sanitizers, lockups) end with a
/// call trace and maybe a panic; memory reports carry Mem-Info and task tables; notices are
/// single lines, kept out of both streams.
public enum IncidentFamily: String, Sendable {
    case crash
    case memory
    case notice
}
