// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

extension ReportStartRule {
    /// Every report start ksleuth knows, most specific first: the first rule whose pattern
    /// confirms a line decides its kind.
    ///
    /// The formats are those of the kernel's printers (`mm/oom_kill.c`, `mm/page_alloc.c`,
    /// `arch/x86/mm/fault.c`, `arch/arm64/mm/fault.c`, `kernel/panic.c`, `lib/list_debug.c`,
    /// `kernel/hung_task.c`, `kernel/watchdog.c`, `kernel/rcu/tree_stall.h`,
    /// `mm/kasan/report.c`, `mm/slub.c`, …) across eras from 2.6 to 6.x. Lines a naive keyword
    /// search flags but that are no report (a user-space `segfault`, `traps: … general
    /// protection fault ip:…`, `TCP: out of memory`) fail the anchored patterns.
    public static let all: [ReportStartRule] = reports + kernelNotices

    /// The rules of reports (every kind but ``IncidentKind/notice``), most specific first.
    static let reports: [ReportStartRule] = [
        // MARK: Memory
        ReportStartRule(
            kind: .oom, literals: ["invoked oom-killer"], pattern: #"^\S.*? invoked oom-killer: "#),
        // The kill line ends an OOM report; one without a report open, or after another kill,
        // is an OOM whose header was cut away or dropped by printk's rate limit (oom_rs).
        ReportStartRule(
            kind: .oom, role: .followUp(.memory), literals: ["Killed process", "no killable processes"],
            pattern:
                #"^(?:(?:Out of memory(?: \(oom_kill_allocating_task\))?|Memory cgroup out of memory): Killed process \d|Killed process \d|Out of memory and no killable processes)"#,
            concludes: true),
        // The later lines of dump_header() and oom_kill_process(), which open an OOM report when
        // an excerpt begins after the header: mem_cgroup_print_oom_info()'s (3.x-4.18 "Task in
        // … killed as a result of limit of …", v1 and v2 "Memory cgroup stats for /…"),
        // dump_tasks()'s ("Tasks state (memory values in pages):", the table's header),
        // dump_oom_summary()'s "oom-kill:constraint=…", the select line of 2.6.36-4.18 ("Kill
        // process … score … or sacrifice child") and the reaper's.
        ReportStartRule(
            kind: .oom, role: .followUp(.memory),
            literals: [
                "Out of memory", "Memory cgroup out of memory", "oom_reaper: ", "oom-kill:", "Tasks state",
                "uid  tgid total_vm", "Memory cgroup stats for", "killed as a result of limit",
            ],
            pattern:
                #"^(?:Out of memory(?: \(oom_kill_allocating_task\))?: [Kk]ill process \d|Memory cgroup out of memory: |oom_reaper: reaped process|oom-kill:constraint=|Tasks state \(memory values in pages\):|\[ *pid *\] +uid +tgid +total_vm|Memory cgroup stats for /|Task in /\S* killed as a result of limit of /)"#
        ),
        // A frame of the OOM killer's own dump_stack() (2.6.2x-6.x, reliable or "?"): an excerpt
        // that begins inside the call trace; inside any open report, an ordinary line of it.
        ReportStartRule(
            kind: .oom, role: .midReport, literals: ["dump_header", "oom_kill_process"],
            pattern:
                #"^\s*(?:\[<?[0-9a-f]+>?\] )*(?:\? )?\(?(?:dump_header|oom_kill_process)(?:\.\w+)*(?:\+0x[0-9a-f]+/0x[0-9a-f]+|\)? from )"#
        ),
        ReportStartRule(
            kind: .oom, role: .followUp(.memory), literals: ["memory: usage "],
            pattern: #"^memory: usage \d+kB, limit \d+kB, failcnt \d+"#),
        ReportStartRule(
            kind: .pageAllocationFailure,
            literals: [
                "page allocation failure", "allocation failure: ", "vmalloc error: ", "page allocation stalls",
                "Unable to allocate memory on node", "possible memory allocation deadlock",
            ],
            pattern:
                #"(?:^\S.*?: page allocation failure[.:] |^(?:\S+: )?vmalloc(?: error)?: (?:allocation failure|size \d+)|^\S.*?: page allocation stalls for \d+|^SLUB: Unable to allocate memory on node|possible memory allocation deadlock)"#
        ),
        ReportStartRule(
            kind: .memoryDump, literals: ["Show Memory"], pattern: #"^(?:sysrq|SysRq) ?: (?:.*: )?Show Memory"#),
        ReportStartRule(kind: .memoryDump, role: .followUp(.memory), literals: ["Mem-Info:"], pattern: #"^Mem-Info:"#),
        // A zone line of show_free_areas() without the Mem-Info header before it.
        ReportStartRule(
            kind: .memoryDump, role: .followUp(.memory), literals: ["Node "],
            pattern: #"^Node \d+ [A-Za-z0-9]+ free:\d+kB (?:boost:\d+kB )?min:\d+kB"#),

        // MARK: Sanitizers and allocator debugging
        // A symbolized KASAN header is printed once per inlined frame: the copies join the report.
        ReportStartRule(kind: .kasan, literals: ["BUG: KASAN: "], pattern: #"^BUG: KASAN: "#, absorbs: [.kasan]),
        ReportStartRule(kind: .kfence, literals: ["BUG: KFENCE: "], pattern: #"^BUG: KFENCE: "#),
        ReportStartRule(kind: .kmsan, literals: ["BUG: KMSAN: "], pattern: #"^BUG: KMSAN: "#),
        ReportStartRule(kind: .kcsan, literals: ["BUG: KCSAN: "], pattern: #"^ ?BUG: KCSAN: "#),
        ReportStartRule(kind: .ubsan, literals: ["UBSAN: "], pattern: #"^UBSAN: "#),
        ReportStartRule(
            kind: .slabCorruption, literals: ["BUG ", "slab error in", "Slab corruption", "Slab cache still has"],
            pattern:
                #"^(?:BUG [^\s:]+(?: \((?:Not tainted|Tainted: [^)]*)\))?: |slab error in |Slab corruption|kmem_cache_destroy \S+: Slab cache still has objects)"#
        ),
        ReportStartRule(
            kind: .badPage, literals: ["BUG: Bad "],
            pattern: #"^BUG: Bad (?:page state|page map|rss-counter|page cache)"#),
        ReportStartRule(
            kind: .listCorruption,
            literals: ["list_del corruption", "list_add corruption", "list_add double add", "list_del corruption"],
            pattern: #"^(?:list_(?:add|del) corruption|list_add double add)"#,
            absorbs: [.bug, .warning, .oops]),

        // MARK: Locking, context and lockups
        ReportStartRule(
            kind: .atomicContext, literals: ["BUG: "],
            pattern:
                #"^BUG: (?:scheduling while atomic|sleeping function called from invalid context|using (?:__this_cpu_\w+|smp_processor_id)\(\) in preemptible|workqueue leaked lock|scheduling from the idle thread)"#
        ),
        ReportStartRule(
            kind: .lockdep, literals: ["WARNING: ", "INFO: ", "BUG: "],
            pattern:
                #"^(?:\[ )?(?:WARNING|INFO|BUG): (?:possible (?:circular locking dependency|recursive locking|irq lock inversion dependency|deadlock)|inconsistent lock state|suspicious RCU usage|bad unlock balance|held lock freed|lock held (?:when returning to user space|at task exit)|trying to register non-static key|[Nn]ested lock|\S+-safe -> \S+-unsafe lock order|Invalid wait context|MAX_LOCKDEP|looking up invalid subclass|(?:spinlock|rwlock|rwsem|mutex) \S+ (?:on CPU|suspected)|.* still has locks held)"#
        ),
        ReportStartRule(
            kind: .workqueueLockup, literals: ["workqueue lockup"], pattern: #"^BUG: workqueue lockup - pool"#),
        ReportStartRule(
            kind: .softLockup, literals: ["soft lockup"],
            pattern: #"(?:^|: )(?:BUG: )?soft lockup - CPU#?\d+ stuck for"#),
        ReportStartRule(
            kind: .hardLockup, literals: ["hard LOCKUP"],
            pattern: #"(?:^|: )(?:Watchdog detected hard LOCKUP on cpu \d+|.*hard LOCKUP on cpu)"#),
        ReportStartRule(
            kind: .hungTask, literals: ["blocked for more than", "wait for more than", "can't die for more than"],
            pattern: #"^(?:INFO: )?task \S.* (?:blocked(?: in I/O wait)?|can't die) for more than \d+ seconds"#),
        ReportStartRule(
            kind: .rcuStall, literals: ["detected stall", "detected expedited stall", "self-detected stall"],
            pattern: #"(?:^|: )(?:INFO: )?rcu_\w+ (?:self-)?detected (?:expedited )?stalls?\b"#),

        // MARK: Crashes
        ReportStartRule(
            kind: .oops, literals: ["BUG: unable to handle", "BUG: kernel NULL pointer"],
            pattern: #"^BUG: (?:unable to handle |kernel NULL pointer dereference)"#),
        ReportStartRule(
            // mips prints the CPU first: "CPU 2 Unable to handle kernel paging request at virtual address …".
            kind: .oops, literals: ["Unable to handle kernel"], pattern: #"^(?:CPU \d+ )?Unable to handle kernel "#),
        ReportStartRule(
            kind: .generalProtectionFault, role: .dieLine, literals: ["general protection fault"],
            pattern:
                #"^(?:kasan: GPF could be caused by .*?access)?(?:Oops: )?(?:segment-related )?general protection fault(?:: [0-9a-f]{4}|, | for non-canonical address)"#
        ),
        ReportStartRule(
            kind: .oops, role: .dieLine,
            literals: [
                "Oops", "Internal error: ", "invalid opcode: ", "invalid operand: ", "divide error: ", "divide_error: ",
                "double fault: ",
                "stack segment: ",
            ],
            pattern:
                #"^(?:Oops(?::|\[#| \[#| -)|Internal error: |invalid op(?:code|erand): [0-9a-f]{4}|divide[ _]error: [0-9a-f]{4}|double fault: [0-9a-f]{4}|stack segment: [0-9a-f]{4})"#
        ),
        ReportStartRule(
            kind: .oops,
            literals: [
                "stack guard page was hit", "kernel stack overflow", "SError Interrupt on CPU",
                "Insufficient stack space to handle exception",
            ],
            pattern:
                #"^(?:BUG: (?:stack guard page was hit|.*kernel stack overflow)|kernel stack overflow|SError Interrupt on CPU\d+|Insufficient stack space to handle exception!)"#
        ),
        ReportStartRule(
            kind: .oops, literals: ["PANIC: double fault", "Unhandled fault: ", "Alignment trap: ", "trusty: panic"],
            pattern: #"^(?:PANIC: double fault|Unhandled fault: |Alignment trap: |trusty: panic)"#),
        ReportStartRule(
            kind: .bug, literals: ["VFS: Busy inodes", "VFS: Close: file count"],
            pattern: #"^(?:VFS: Busy inodes after unmount|VFS: Close: file count is (?:zero|0))"#
        ),
        ReportStartRule(kind: .spuriousInterrupt, literals: ["nobody cared"], pattern: #"^irq \d+: nobody cared"#),
        ReportStartRule(kind: .machineCheck, literals: ["Machine Check"], pattern: #"Machine Check(?: Exception)?: "#),
        ReportStartRule(
            kind: .bug, literals: ["kernel BUG at ", "Kernel BUG at "], pattern: #"^[Kk]ernel BUG at \S+"#,
            // arm32's BUG() of old kernels is a write to NULL: "Unable to handle kernel NULL
            // pointer dereference at virtual address 00000000" follows the BUG line.
            absorbs: [.listCorruption, .oops]),
        ReportStartRule(
            kind: .warning, literals: ["WARNING: "],
            pattern: #"^WARNING: (?:CPU: \d+ PID: -?\d+ at |at \S+|\S+:\d+ at |\S+ at \S+:\d+)"#,
            absorbs: [.listCorruption]),
        // arch/x86/kernel/unwind_frame.c: the frame-pointer unwinder found a corrupt stack.
        ReportStartRule(
            kind: .warning, literals: ["WARNING: kernel stack "],
            pattern: #"^WARNING: kernel stack (?:regs|frame pointer) at .+? in \S+ has bad"#),
        // mm/kmemleak.c: a leaked object (syzkaller prints "BUG: memory leak" before it, with the
        // fuzzer's log stamp in front).
        ReportStartRule(
            kind: .bug, literals: ["BUG: memory leak", "unreferenced object 0x"],
            pattern:
                #"^(?:\d{4}/\d\d/\d\d \d\d:\d\d:\d\d )?BUG: memory leak$|^unreferenced object 0x[0-9a-f]+ \(size \d+\):"#,
            absorbs: [.bug]),
        // A SLUB debug line whose report header was lost; inside a report it is part of it.
        ReportStartRule(
            kind: .slabCorruption, role: .followUp(.crash), literals: ["INFO: Freed in ", "INFO: Allocated in "],
            pattern: #"^INFO: (?:Freed|Allocated) in \S+ age="#),
        // syzkaller's executor reports its own failures on the console.
        ReportStartRule(
            kind: .bug, literals: ["SYZFAIL: ", "SYZFATAL: "],
            pattern: #"^(?:\d{4}/\d\d/\d\d \d\d:\d\d:\d\d )?SYZ(?:FAIL|FATAL): \S"#),
        ReportStartRule(
            kind: .panic, role: .followUp(.crash), literals: ["Kernel panic - not syncing"],
            pattern: #"^Kernel panic - not syncing"#),
        ReportStartRule(kind: .bug, literals: ["BUG: "], pattern: #"^BUG: \S"#),
    ]
}
