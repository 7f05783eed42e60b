// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

extension FactPattern {
    /// The facts every report's standard lines state, and those of each kind's header line,
    /// as the kernel prints them (`lib/dump_stack.c`, `mm/oom_kill.c`, `mm/page_alloc.c`,
    /// `kernel/hung_task.c`, `kernel/watchdog.c`, `kernel/panic.c`, `include/asm-generic/bug.h`).
    public static let headerFacts: [FactPattern] = [
        // "CPU: 44 PID: 24430 Comm: CPU 0/KVM Not tainted 4.15.0-108-generic #109-Ubuntu"; the taint
        // letters are a fixed-width field with a space for each flag not set ("G        W"); RHEL
        // kernels put "Kdump: loaded" before it.
        FactPattern(
            pattern:
                #"^CPU: (\d+) (?:UID: \d+ )?PID: (\d+) Comm: (.+?)(?: Kdump: loaded)? (?:Not tainted|Tainted: ([A-Z ]*[A-Z])-*) +(\S+)"#,
            fields: [
                ("cpu", .integer), ("pid", .integer), ("comm", .string), ("taint", .string),
                ("kernel_release", .string),
            ]
        ),
        // "Pid: 1, comm: swapper Not tainted 2.6.32-5-amd64 #1" (2.6 era)
        FactPattern(
            pattern: #"^Pid: (\d+), comm: (.+?) (?:Not tainted|Tainted: ([A-Z ]*[A-Z])-*) +(\S+)"#,
            fields: [("pid", .integer), ("comm", .string), ("taint", .string), ("kernel_release", .string)]),
        FactPattern(pattern: #"^Hardware name: (.+?)\s*$"#, fields: [("hardware", .string)]),
        // "amarok invoked oom-killer: gfp_mask=0x1201d2, order=0, oomkilladj=0"
        FactPattern(
            kinds: [.oom],
            pattern:
                #"^(.+?) invoked oom-killer: gfp_mask=(0x[0-9a-f]+)(?:\(([^)]*)\))?, (?:nodemask=\S+, )?order=(-?\d+),? (?:oom_score_adj|oomkilladj)=(-?\d+)"#,
            fields: [
                ("trigger_comm", .string), ("gfp_mask", .hexString), ("gfp_flags", .string), ("order", .integer),
                ("oom_score_adj", .integer),
            ]),
        // "Killed process 28438 (java) total-vm:20255636kB, anon-rss:479844kB, file-rss:0kB, shmem-rss:0kB"
        FactPattern(
            kinds: [.oom],
            pattern:
                #"Killed process (\d+) \((.+?)\)(?:,? total-vm:(\d+)kB, anon-rss:(\d+)kB, file-rss:(\d+)kB(?:, shmem-rss:(\d+)kB)?)?"#,
            fields: [
                ("victim_pid", .integer), ("victim_comm", .string), ("victim_total_vm_kb", .integer),
                ("victim_anon_rss_kb", .integer), ("victim_file_rss_kb", .integer), ("victim_shmem_rss_kb", .integer),
            ]),
        // "kworker/u8:2: page allocation failure: order:4, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), nodemask=(null)"
        FactPattern(
            kinds: [.pageAllocationFailure],
            pattern:
                #"^(.+?): page allocation failure[.:] (?:order:|order )(\d+), mode:? ?(0x[0-9a-f]+)(?:\(([^)]*)\))?"#,
            fields: [("task_comm", .string), ("order", .integer), ("gfp_mask", .hexString), ("gfp_flags", .string)]),
        // "INFO: task kworker/u113:10:666 blocked for more than 120 seconds."
        FactPattern(
            kinds: [.hungTask], pattern: #"task (.+):(\d+) blocked for more than (\d+) seconds"#,
            fields: [("task_comm", .string), ("task_pid", .integer), ("blocked_seconds", .integer)]),
        // "watchdog: BUG: soft lockup - CPU#5 stuck for 13s! [bash:5910]"
        FactPattern(
            kinds: [.softLockup], pattern: #"soft lockup - CPU#?(\d+) stuck for (\d+)s! \[(.+):(\d+)\]"#,
            fields: [
                ("stuck_cpu", .integer), ("stuck_seconds", .integer), ("task_comm", .string), ("task_pid", .integer),
            ]),
        // "Watchdog detected hard LOCKUP on cpu 2"
        FactPattern(kinds: [.hardLockup], pattern: #"hard LOCKUP on cpu (\d+)"#, fields: [("stuck_cpu", .integer)]),
        // "Kernel panic - not syncing: Fatal exception"
        FactPattern(pattern: #"^Kernel panic - not syncing: ?(.*?)\s*$"#, fields: [("panic_reason", .string)]),
        // "kernel BUG at mm/slab.c:2810!"
        FactPattern(
            kinds: [.bug, .listCorruption], pattern: #"^[Kk]ernel BUG at ([^:\s]+):(\d+)!"#,
            fields: [("source_file", .string), ("source_line", .integer)]),
        // "WARNING: CPU: 0 PID: 1 at kernel/smp.c:912 smp_call_function_many_cond+0x3c4/0x3c8"
        FactPattern(
            kinds: [.warning, .listCorruption],
            pattern: #"^WARNING: (?:CPU: \d+ PID: \d+ at )?(?:at )?([^:\s]+):(\d+) (?:at )?([\w.]+)"#,
            fields: [("source_file", .string), ("source_line", .integer), ("function", .string)]),
    ]
}
