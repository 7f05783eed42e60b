// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthTestSupport
import Testing

@Suite("Report start rules")
struct StartRuleTableTests {
    @Test("every built-in pattern compiles")
    func patternsCompile() throws {
        _ = try CompiledReportRules(ReportStartRule.all)
    }

    /// One header line per kind, as the kernel prints it, and the kind it must open.
    static let headers: [(String, IncidentKind)] = [
        ("stress-ng invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=1000", .oom),
        (
            "Memory cgroup out of memory: Killed process 4011 (java) total-vm:2021384kB, anon-rss:1047804kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:2236kB oom_score_adj:0",
            .oom
        ),
        ("md 265289728 sc: page allocation failure. order:7, mode:0xd0", .pageAllocationFailure),
        (
            "kworker/u8:2: page allocation failure: order:4, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0",
            .pageAllocationFailure
        ),
        (
            "vmalloc error: size 8392704, vm_struct allocation failed, mode:0xdc0(GFP_KERNEL|__GFP_ZERO), nodemask=(null),cpuset=/,mems_allowed=0",
            .pageAllocationFailure
        ),
        ("sysrq: Show Memory", .memoryDump),
        ("SysRq : Show Memory", .memoryDump),
        ("BUG: KASAN: use-after-free in kobj_kset_leave+0x44/0x90", .kasan),
        ("BUG: KFENCE: use-after-free read in test_use_after_free_read+0xb3/0x143", .kfence),
        ("BUG: KCSAN: data-race in __fput / file_update_time", .kcsan),
        ("UBSAN: array-index-out-of-bounds in drivers/net/foo.c:123:45", .ubsan),
        ("BUG kmalloc-128 (Tainted: G    B       ): Redzone overwritten", .slabCorruption),
        ("BUG: Bad page state in process swapper/0  pfn:1fd4b", .badPage),
        (
            "list_add corruption. next->prev should be prev (ffff8881f6a1b3e8), but was 0000000000000000. (next=ffff8881f6a1b3e8).",
            .listCorruption
        ),
        ("BUG: sleeping function called from invalid context at mm/slab.h:494", .atomicContext),
        ("BUG: scheduling while atomic: swapper/1/0/0x00000002", .atomicContext),
        ("WARNING: possible circular locking dependency detected", .lockdep),
        ("BUG: workqueue lockup - pool cpus=1 node=0 flags=0x0 nice=0 stuck for 31s!", .workqueueLockup),
        ("watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [sh:5431]", .softLockup),
        ("Watchdog detected hard LOCKUP on cpu 4", .hardLockup),
        ("INFO: task kworker/u113:10:666 blocked for more than 120 seconds.", .hungTask),
        ("rcu: INFO: rcu_preempt self-detected stall on CPU", .rcuStall),
        ("INFO: rcu_sched detected stalls on CPUs/tasks:", .rcuStall),
        ("BUG: unable to handle kernel NULL pointer dereference at 0000000000000008", .oops),
        ("Unable to handle kernel NULL pointer dereference at virtual address 00000014", .oops),
        ("Internal error: Oops: 96000005 [#1] PREEMPT SMP", .oops),
        (
            "general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN",
            .generalProtectionFault
        ),
        ("general protection fault: 0000 [#1] SMP", .generalProtectionFault),
        ("kernel BUG at mm/slab.c:2810!", .bug),
        ("WARNING: CPU: 0 PID: 1 at kernel/smp.c:912 smp_call_function_many_cond+0x3c4/0x3c8", .warning),
        ("WARNING: at kernel/sched.c:5914 thread_return+0x232/0x79d()", .warning),
        ("Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)", .panic),
        ("BUG: Dentry ffff88003cd4b9a8{i=0,n=/} still in use (1) [unmount of tmpfs tmpfs]", .bug),
        ("mce: [Hardware Error]: CPU 0: Machine Check Exception: 5 Bank 2: b200000000070005", .machineCheck),
    ]

    @Test("each kind's header line opens an incident of that kind", arguments: headers)
    func headerOpensKind(line: String, kind: IncidentKind) throws {
        let (incidents, _) = try IncidentCollector.analyze("[    1.000000] \(line)\n")
        #expect(incidents.map(\.kind) == [kind])
    }
}
