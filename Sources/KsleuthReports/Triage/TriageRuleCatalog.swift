// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// The words of each SARIF rule: what a kind of kernel report is and what to do about it.
enum TriageRuleCatalog {
    /// A rule's texts.
    struct Entry {
        /// A PascalCase name (`KernelOops`).
        var name: String
        /// One sentence.
        var short: String
        /// What the kernel report means.
        var full: String
        /// What to do next.
        var help: String
    }

    /// The rule texts for `kind`, with `type` (a syzkaller crash type) named when given.
    static func entry(kind: IncidentKind, type: String) -> Entry {
        var entry = base(kind)
        if !type.isEmpty {
            entry.short += " (crash type \(type))"
            entry.name += type.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map {
                $0.prefix(1).uppercased() + $0.dropFirst().lowercased()
            }.joined()
        }
        return entry
    }

    private static let triageHelp =
        " The result's message is the crash title and its location the report's lines in the log; the same crash on"
        + " another run has the same bucket id (partialFingerprints). To stop a known crash from failing CI, list its"
        + " bucket id or title in the file given to `ksleuth triage --known`."

    private static func base(_ kind: IncidentKind) -> Entry {
        let (name, short, full): (String, String, String)
        switch kind {
        case .oops:
            (name, short, full) = (
                "KernelOops", "The kernel oopsed.",
                "An oops: the kernel hit a fault it could not handle (a bad pointer dereference, an undefined"
                    + " instruction) and killed the task that caused it; the kernel may be unstable afterwards."
            )
        case .generalProtectionFault:
            (name, short, full) = (
                "GeneralProtectionFault", "The kernel took a general protection fault.",
                "A general protection fault in kernel mode, usually a non-canonical or corrupted pointer."
            )
        case .bug:
            (name, short, full) = (
                "KernelBug", "The kernel reported a BUG.",
                "A `BUG:` report or a `kernel BUG at` assertion: the kernel found its own state inconsistent."
            )
        case .warning:
            (name, short, full) = (
                "KernelWarning", "The kernel printed a WARNING.",
                "A `WARNING:` splat: a kernel assertion that does not stop the kernel but shows a bug."
            )
        case .panic:
            (name, short, full) = (
                "KernelPanic", "The kernel panicked.",
                "`Kernel panic - not syncing`: the kernel stopped; no crash report came before the panic."
            )
        case .kasan:
            (name, short, full) = (
                "KASAN", "KASAN found a memory-safety bug.",
                "The Kernel Address Sanitizer caught an invalid memory access (out of bounds, use after free,"
                    + " double free)."
            )
        case .kfence:
            (name, short, full) = (
                "KFENCE", "KFENCE found a memory-safety bug.",
                "The sampling memory-error detector KFENCE caught an invalid access or a corrupted object."
            )
        case .kmsan:
            (name, short, full) = (
                "KMSAN", "KMSAN found a use of uninitialised memory.",
                "The Kernel Memory Sanitizer caught a use of uninitialised memory."
            )
        case .kcsan:
            (name, short, full) = (
                "KCSAN", "KCSAN found a data race.", "The Kernel Concurrency Sanitizer caught a data race."
            )
        case .ubsan:
            (name, short, full) = (
                "UBSAN", "UBSAN found undefined behaviour.",
                "The Undefined Behaviour Sanitizer caught an out-of-bounds index, a bad shift or an overflow."
            )
        case .slabCorruption:
            (name, short, full) = (
                "SlabCorruption", "A slab object is corrupted.",
                "The slab allocator's debug checks found a corrupted object, red zone or free list."
            )
        case .badPage:
            (name, short, full) = (
                "BadPage", "A page is in a bad state.",
                "`BUG: Bad page state` or `Bad page map`: a page's metadata is inconsistent (a use after free of a"
                    + " page, or a reference count bug)."
            )
        case .listCorruption:
            (name, short, full) = (
                "ListCorruption", "A kernel linked list is corrupted.",
                "`list_add corruption` or `list_del corruption`: CONFIG_DEBUG_LIST caught a damaged list."
            )
        case .atomicContext:
            (name, short, full) = (
                "AtomicContext", "The kernel slept in atomic context.",
                "`scheduling while atomic` or `sleeping function called from invalid context`."
            )
        case .lockdep:
            (name, short, full) = (
                "Lockdep", "lockdep found a locking bug.",
                "The lock validator found a possible deadlock or a misuse of a lock."
            )
        case .hungTask:
            (name, short, full) = (
                "HungTask", "A task hung.", "A task stayed in uninterruptible sleep longer than the hung-task timeout."
            )
        case .softLockup:
            (name, short, full) = (
                "SoftLockup", "A CPU was stuck in kernel mode (soft lockup).",
                "A CPU ran kernel code without scheduling for longer than the watchdog threshold."
            )
        case .hardLockup:
            (name, short, full) = (
                "HardLockup", "A CPU stopped taking interrupts (hard lockup).",
                "The NMI watchdog found a CPU that did not take timer interrupts."
            )
        case .rcuStall:
            (name, short, full) = (
                "RCUStall", "RCU stalled.", "A CPU or task did not pass through an RCU quiescent state in time."
            )
        case .workqueueLockup:
            (name, short, full) = (
                "WorkqueueLockup", "A workqueue locked up.", "A worker pool made no progress for too long."
            )
        case .machineCheck:
            (name, short, full) = (
                "MachineCheck", "The hardware reported a machine check.",
                "A machine-check exception: the CPU or memory reported a hardware error."
            )
        case .spuriousInterrupt:
            (name, short, full) = (
                "SpuriousInterrupt", "An interrupt line was disabled (nobody cared).",
                "`irq N: nobody cared`: an interrupt fired with no handler claiming it and was disabled."
            )
        case .oom, .pageAllocationFailure, .memoryDump, .memorySnapshot:
            (name, short, full) = (
                "MemoryReport", "The kernel printed a memory report.",
                "An out-of-memory kill, an allocation failure or a Mem-Info dump."
            )
        case .notice:
            (name, short, full) = (
                "KernelNotice", "The kernel printed a one-line notice of a known failure mode.",
                "A single kernel message that names a failure with no report around it: a full conntrack table, TCP"
                    + " memory pressure, a file system or block I/O error, a corrected or uncorrected memory error."
                    + " It is reported at level note and never fails triage; the signature results beside it say"
                    + " what it means."
            )
        }
        return Entry(
            name: name, short: short, full: full,
            help: full + " Read the report in the log (the result's region) for the call trace." + triageHelp)
    }
}
