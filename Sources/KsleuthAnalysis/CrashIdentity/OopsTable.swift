// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

// swift-format-ignore-file
// The table is data: its long patterns read best on one line each.

/// The oops kinds, in the order they are tried on a line, with their title formats.
///
/// Modelled on the rules of syzkaller's `pkg/report` (see
/// `shared/reference/syzkaller-titles.md`, sections 4 to 7), written down here as data.
enum OopsTable {
    static let bugFormats: [TitleFormat] = [
        TitleFormat(
            title: "BUG: KASAN:", report: #"BUG: KASAN: ([a-z\-]+) in {{FUNC}}(?:.*\n)+?.*(Read|Write) (?:of size|at addr)"#,
            template: "KASAN: {1} {3} in {FRAME}", alternatives: ["bad-access in {FRAME}"],
            stack: StackRecipe(steps: [.find(#"BUG: KASAN: (?:[a-z\-]+) in {{FUNC}}"#), .find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace])),
        TitleFormat(
            title: "BUG: KASAN:", report: #"BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}"#,
            template: "KASAN: invalid-free in {FRAME}", alternatives: ["invalid-free in {FRAME}"],
            stack: StackRecipe(
                steps: [.find(#"BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in {{FUNC}}"#), .find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace],
                skip: ["kmem_", "slab_", "kfree", "vunmap", "vfree"])),
        TitleFormat(
            title: #"BUG: KASAN: ([a-z\-]+) on address(?:.*\n)+?.*(Read|Write) of size ([0-9]+)"#, template: "KASAN: {1} {2}"),
        TitleFormat(title: "BUG: KASAN: (.*)", template: "KASAN: {1}", corrupted: true),
        TitleFormat(
            title: "BUG: KMSAN: kernel-usb-infoleak", report: "BUG: KMSAN: kernel-usb-infoleak in {{FUNC}}",
            template: "KMSAN: kernel-usb-infoleak in {FRAME}",
            stack: .headerTrace(skip: ["usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg", "usb_interrupt_msg", "usb_control_msg"]),
            noStackTrace: true),
        TitleFormat(
            title: "BUG: KMSAN:", report: #"BUG: KMSAN: ([a-z\-]+) in {{FUNC}}"#, template: "KMSAN: {1} in {FRAME}",
            stack: .headerTrace(), noStackTrace: true),
        TitleFormat(title: "BUG: KMSAN: (.*)", template: "KMSAN: {1}", corrupted: true),
        TitleFormat(title: "BUG: KCSAN:", report: "BUG: KCSAN: (.*)", template: "KCSAN: {1}", noStackTrace: true),
        TitleFormat(
            title: "BUG: KFENCE: (use-after-free|out-of-bounds|invalid) (read|write) in {{FUNC}}", template: "KFENCE: {1} {2} in {FRAME}",
            stack: StackRecipe(steps: [.find("BUG: KFENCE: .* in {{FUNC}}"), .trace], skip: ["kfence"]), noStackTrace: true),
        TitleFormat(
            title: "BUG: KFENCE: (invalid free|memory corruption) in {{FUNC}}", template: "KFENCE: {1} in {FRAME}",
            stack: StackRecipe(steps: [.find("BUG: KFENCE: .* in {{FUNC}}"), .trace], skip: ["kfence"]), noStackTrace: true),
        TitleFormat(
            title: "BUG: (?:unable to handle kernel paging request|unable to handle page fault for address|Unable to handle kernel data access)",
            template: "BUG: unable to handle kernel paging request in {FRAME}", alternatives: ["bad-access in {FRAME}"],
            stack: .programCounter()),
        TitleFormat(
            title: "BUG: (?:unable to handle kernel NULL pointer dereference|kernel NULL pointer dereference|Kernel NULL pointer dereference)",
            template: "BUG: unable to handle kernel NULL pointer dereference in {FRAME}", alternatives: ["bad-access in {FRAME}"],
            stack: .programCounter()),
        TitleFormat(title: "BUG: (?:unable to handle kernel|Unable to handle kernel)", template: "BUG: unable to handle kernel", corrupted: true),
        TitleFormat(
            title: "BUG: (spinlock|rwlock) (lockup suspected|already unlocked|recursion|bad magic|wrong owner|wrong CPU|trylock failure on UP)",
            template: "BUG: {1} {2} in {FRAME}", stack: .callTrace(skip: ["spin_", "_lock", "_unlock"])),
        TitleFormat(
            title: "BUG: soft lockup", template: "BUG: soft lockup in {FRAME}", alternatives: ["stall in {FRAME}"],
            stack: .programCounter(extractor: .stall)),
        TitleFormat(
            title: "BUG: .*still has locks held!", report: #"BUG: .*still has locks held!(?:.*\n)+?.*{{PC}} +{{FUNC}}"#,
            template: "BUG: still has locks held in {1}"),
        TitleFormat(
            title: "BUG: lock held when returning to user space",
            report: #"BUG: lock held when returning to user space(?:.*\n)+?.*leaving the kernel with locks still held(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}"#,
            template: "BUG: lock held when returning to user space in {1}", noStackTrace: true),
        TitleFormat(
            title: "BUG: bad unlock balance detected!",
            report: #"BUG: bad unlock balance detected!(?:.*\n){0,15}?.*is trying to release lock(?:.*\n){0,15}?.*(?:{{PC}} +|at: ){{FUNC}}"#,
            template: "BUG: bad unlock balance in {FRAME}",
            stack: StackRecipe(steps: [.find("is trying to release lock"), .find("(?:{{PC}} +|at: ){{FUNC}}"), .find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace])),
        TitleFormat(
            title: "BUG: held lock freed!", report: #"BUG: held lock freed!(?:.*\n)+?.*(?:{{PC}} +|at: ){{FUNC}}"#,
            template: "BUG: held lock freed in {1}"),
        TitleFormat(title: "BUG: Bad rss-counter state", template: "BUG: Bad rss-counter state", noStackTrace: true),
        TitleFormat(title: "BUG: non-zero nr_ptes on freeing mm", template: "BUG: non-zero nr_ptes on freeing mm", noStackTrace: true),
        TitleFormat(title: "BUG: non-zero nr_pmds on freeing mm", template: "BUG: non-zero nr_pmds on freeing mm", noStackTrace: true),
        TitleFormat(
            title: #"BUG: Dentry .* still in use \([0-9]+\) \[unmount of ([^\]]+)\]"#, template: "BUG: Dentry still in use [unmount of {1}]"),
        TitleFormat(
            // Named after the allocation stack of the page; a dump without one is corrupted.
            title: "BUG: Bad page state", template: "BUG: Bad page state in {FRAME}",
            stack: StackRecipe(
                steps: [.find("page last allocated"), .trace],
                skip: ["page_owner", "^post_alloc_hook", "^prep_new_page", "^get_page_from_freelist", "^__free_", "^free_",
                       "^folio", "^__folio", "^release_pages", "^__put_", "^put_", "^alloc_", "^__alloc_"])),
        TitleFormat(
            title: "BUG: Invalid wait context", template: "WARNING: locking bug in {FRAME}",
            stack: .callTrace(skip: ["lock_sock", "release_sock"])),
        TitleFormat(title: "BUG: Bad page map", template: "BUG: Bad page map"),
        TitleFormat(title: "BUG: workqueue lockup", template: "BUG: workqueue lockup", noStackTrace: true),
        TitleFormat(
            title: "BUG: sleeping function called from invalid context at (.*)",
            template: "BUG: sleeping function called from invalid context in {FRAME}", stack: .callTrace()),
        TitleFormat(
            title: #"BUG: using __this_cpu_([a-z_]+)\(\) in preemptible"#,
            template: "BUG: using __this_cpu_{1}() in preemptible code in {FRAME}",
            stack: .callTrace(skip: ["dump_stack", "preemption", "preempt", "debug_", "processor_id", "this_cpu"])),
        TitleFormat(
            title: #"BUG: using smp_processor_id\(\) in preemptible"#,
            template: "BUG: using smp_processor_id() in preemptible code in {FRAME}",
            stack: .callTrace(skip: ["dump_stack", "preemption", "preempt", "debug_", "processor_id", "this_cpu"])),
        TitleFormat(
            title: "BUG: workqueue leaked lock or atomic",
            report: #"BUG: workqueue leaked lock or atomic(?:.*\n)+?.*last function: ([a-zA-Z0-9_]+)\n"#,
            template: "BUG: workqueue leaked lock or atomic in {1}", noStackTrace: true),
        TitleFormat(
            title: "BUG: scheduling while atomic", template: "BUG: scheduling while atomic in {FRAME}",
            stack: .callTrace(skip: ["schedule"])),
        TitleFormat(
            title: "BUG: memory leak", template: "memory leak in {FRAME}",
            stack: StackRecipe(
                steps: [.find("backtrace"), .trace],
                skip: ["kmemleak", "mmap", "kmem", "slab", "alloc", "create_object", "idr_get", "list_lru_init", "kasprintf",
                       "kvasprintf", "pcpu_create", "strdup", "strndup", "memdup"])),
        TitleFormat(
            title: "BUG: (?:TASK |IRQ )?stack guard page was hit at", template: "BUG: stack guard page was hit in {FRAME}",
            alternatives: ["stack-overflow in {FRAME}"], stack: .programCounter(extractor: .stall), noStackTrace: true),
        TitleFormat(title: "BUG: MAX_STACK_TRACE_ENTRIES too low!", template: "BUG: MAX_STACK_TRACE_ENTRIES too low!", noStackTrace: true),
        TitleFormat(title: "BUG: MAX_LOCKDEP_KEYS too low!", template: "BUG: MAX_LOCKDEP_KEYS too low!", noStackTrace: true),
        TitleFormat(title: #"BUG:[[:space:]]*(?:\n|$)"#, template: "BUG: corrupted", corrupted: true),
    ]

    static let warningFormats: [TitleFormat] = [
        TitleFormat(
            title: #"WARNING: (?:.*lib/debugobjects\.c.* (?:debug_print|debug_check)|lib/debugobjects\.c:\d+ at )"#, template: "WARNING: ODEBUG bug in {FRAME}",
            stack: .warning(skip: ["debug_", "rcu", "hrtimer_", "timer_", "work_", "percpu_", "kmem_", "slab_", "kfree", "vunmap", "vfree", "__free_", "debug_check", "kobject_"])),
        TitleFormat(title: #"WARNING: .*mm/usercopy\.c.* usercopy_warn"#, template: "WARNING: bad usercopy in {FRAME}", stack: .warning(skip: ["usercopy", "__check"])),
        TitleFormat(title: #"WARNING: .*lib/kobject\.c.* kobject_"#, template: "WARNING: kobject bug in {FRAME}", stack: .warning(skip: ["kobject_"])),
        TitleFormat(title: #"WARNING: .*fs/proc/generic\.c.* proc_register"#, template: "WARNING: proc registration bug in {FRAME}", stack: .warning(skip: ["proc_"])),
        TitleFormat(title: #"WARNING: .*lib/refcount\.c.* (?:refcount_|at )"#, template: "WARNING: refcount bug in {FRAME}", stack: .warning(skip: ["refcount", "kobject_"])),
        TitleFormat(title: #"WARNING: .*kernel/locking/lockdep\.c.*(?:lock_| at )"#, template: "WARNING: locking bug in {FRAME}", stack: .warning(skip: ["lock_sock", "release_sock"])),
        TitleFormat(
            title: "WARNING: lock held when returning to user space",
            report: #"WARNING: lock held when returning to user space(?:.*\n)+?.*leaving the kernel with locks still held(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}"#,
            template: "WARNING: lock held when returning to user space in {1}", noStackTrace: true),
        TitleFormat(
            title: #"WARNING: .*mm/.*\.c.* k?.?malloc"#, template: "WARNING: kmalloc bug in {FRAME}",
            stack: .warning(skip: ["kmalloc", "krealloc", "kcalloc", "kzalloc", "vmalloc", "slab", "kmem"])),
        TitleFormat(
            title: #"WARNING: .*mm/vmalloc\.c.* __vmalloc_node"#, template: "WARNING: zero-size vmalloc in {FRAME}",
            stack: .warning(skip: ["vmalloc"])),
        TitleFormat(
            title: "WARNING: .* usb_submit_urb", template: "WARNING in {FRAME}/usb_submit_urb",
            stack: .warning(skip: ["usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg", "usb_interrupt_msg", "usb_control_msg"])),
        TitleFormat(title: "WARNING: .* at {{SRC}} {{FUNC}}", template: "WARNING in {FRAME}", stack: .warning()),
        TitleFormat(title: "WARNING: {{SRC}} at ", template: "WARNING in {FRAME}", stack: .warning()),
        TitleFormat(
            title: "WARNING: possible circular locking dependency detected",
            report: #"WARNING: possible circular locking dependency detected(?:.*\n)+?.*is trying to acquire lock"#,
            // The lock being taken, else the lock held, else the first frame of the dependency chain; the
            // workqueue functions take locks of the work items they run, so they name no deadlock.
            template: "possible deadlock in {FRAME}", stack: StackRecipe(steps: [.find("at: (?:{{PC}} +)?{{FUNC}}"), .find("at: (?:{{PC}} +)?{{FUNC}}"), .trace], skip: ["process_one_work", "flush_workqueue", "drain_workqueue", "destroy_workqueue"])),
        TitleFormat(
            title: "WARNING: possible irq lock inversion dependency detected",
            report: #"WARNING: possible irq lock inversion dependency detected(?:.*\n)+?.*just changed the state of lock(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}"#,
            template: "possible deadlock in {FRAME}", stack: StackRecipe(steps: [.find("just changed the state of lock"), .find("at: (?:{{PC}} +)?{{FUNC}}"), .find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace])),
        TitleFormat(
            title: "WARNING: .*-safe -> .*-unsafe lock order detected",
            report: #"WARNING: .*-safe -> .*-unsafe lock order detected(?:.*\n)+?.*is trying to acquire(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}"#,
            // Where the irq-safe lock became irq-safe: the interrupt path that can deadlock.
            template: "possible deadlock in {FRAME}", stack: StackRecipe(steps: [.find(#"which became \S+-irq-safe at:"#), .trace], fallback: [.find("is trying to acquire"), .find("at: (?:{{PC}} +)?{{FUNC}}"), .find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace])),
        TitleFormat(
            title: "WARNING: possible recursive locking detected",
            report: #"WARNING: possible recursive locking detected(?:.*\n)+?.*is trying to acquire lock(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}"#,
            template: "possible deadlock in {FRAME}", stack: StackRecipe(steps: [.find("is trying to acquire lock"), .find("at: (?:{{PC}} +)?{{FUNC}}"), .find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace])),
        TitleFormat(
            title: "WARNING: inconsistent lock state",
            report: #"WARNING: inconsistent lock state(?:.*\n)+?.*takes(?:.*\n)+?.*at: (?:{{PC}} +)?{{FUNC}}"#,
            template: "inconsistent lock state in {FRAME}", stack: StackRecipe(steps: [.find("takes"), .find("at: (?:{{PC}} +)?{{FUNC}}"), .find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace])),
        TitleFormat(
            title: "WARNING: suspicious RCU usage", report: #"WARNING: suspicious RCU usage(?:.*\n)+?.*?{{SRC}}"#,
            template: "WARNING: suspicious RCU usage in {FRAME}",
            stack: .callTrace(skip: ["rcu", "kmem", "slab", "kmalloc", "vmalloc", "kcalloc", "kzalloc"])),
        TitleFormat(
            title: "WARNING: kernel stack regs at [0-9a-f]+ in [^ ]* has bad '([^']+)' value",
            template: "WARNING: kernel stack regs has bad '{1}' value", noStackTrace: true),
        TitleFormat(
            title: "WARNING: kernel stack frame pointer at [0-9a-f]+ in [^ ]* has bad value",
            template: "WARNING: kernel stack frame pointer has bad value", noStackTrace: true),
        TitleFormat(
            title: "WARNING: bad unlock balance detected!",
            report: #"WARNING: bad unlock balance detected!(?:.*\n){0,15}?.*is trying to release lock(?:.*\n){0,15}?.*(?:{{PC}} +|at: ){{FUNC}}"#,
            template: "WARNING: bad unlock balance in {FRAME}",
            stack: StackRecipe(steps: [.find("is trying to release lock"), .find("(?:{{PC}} +|at: ){{FUNC}}"), .find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace])),
        TitleFormat(
            title: "WARNING: held lock freed!", report: #"WARNING: held lock freed!(?:.*\n)+?.*at:(?: {{PC}})? +{{FUNC}}"#,
            template: "WARNING: held lock freed in {1}"),
        TitleFormat(
            title: "WARNING: [Nn]ested lock was not taken", report: #"WARNING: [Nn]ested lock was not taken(?:.*\n)+?.*at:(?: {{PC}})? +{{FUNC}}"#,
            template: "WARNING: nested lock was not taken in {1}"),
        TitleFormat(title: "WARNING: kernel stack regs .* has bad 'bp' value", template: "WARNING: kernel stack regs has bad value", noStackTrace: true),
        TitleFormat(title: "WARNING: kernel stack frame pointer .* has bad value", template: "WARNING: kernel stack regs has bad value", noStackTrace: true),
        TitleFormat(title: #"WARNING:[[:space:]]*(?:\n|$)"#, template: "WARNING: corrupted", corrupted: true),
    ]

    static let infoFormats: [TitleFormat] = [
        TitleFormat(
            title: "INFO: possible circular locking dependency detected",
            report: #"INFO: possible circular locking dependency detected \](?:.*\n)+?.*is trying to acquire lock(?:.*\n)+?.*at: {{PC}} +{{FUNC}}"#,
            template: "possible deadlock in {FRAME}", stack: StackRecipe(steps: [.find("is trying to acquire lock"), .find("at: (?:{{PC}} +)?{{FUNC}}"), .find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace])),
        TitleFormat(
            title: "INFO: possible irq lock inversion dependency detected",
            report: #"INFO: possible irq lock inversion dependency detected \](?:.*\n)+?.*just changed the state of lock(?:.*\n)+?.*at: {{PC}} +{{FUNC}}"#,
            template: "possible deadlock in {FRAME}", stack: StackRecipe(steps: [.find("just changed the state of lock"), .find("at: (?:{{PC}} +)?{{FUNC}}"), .find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace])),
        TitleFormat(
            title: "INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected",
            report: #"INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected \](?:.*\n)+?.*is trying to acquire(?:.*\n)+?.*at: {{PC}} +{{FUNC}}"#,
            template: "possible deadlock in {FRAME}", stack: StackRecipe(steps: [.find("is trying to acquire"), .find("at: (?:{{PC}} +)?{{FUNC}}"), .find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace])),
        TitleFormat(
            title: "INFO: possible recursive locking detected",
            report: #"INFO: possible recursive locking detected \](?:.*\n)+?.*is trying to acquire lock(?:.*\n)+?.*at: {{PC}} +{{FUNC}}"#,
            template: "possible deadlock in {FRAME}", stack: StackRecipe(steps: [.find("is trying to acquire lock"), .find("at: (?:{{PC}} +)?{{FUNC}}"), .find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace])),
        TitleFormat(
            title: "INFO: inconsistent lock state", report: #"INFO: inconsistent lock state \](?:.*\n)+?.*takes(?:.*\n)+?.*at: {{PC}} +{{FUNC}}"#,
            template: "inconsistent lock state in {FRAME}", stack: StackRecipe(steps: [.find("takes"), .find("at: (?:{{PC}} +)?{{FUNC}}"), .find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace])),
        TitleFormat(
            title: #"INFO: rcu_(?:preempt|sched|bh|tasks\w*) (?:self-)?detected(?: expedited)? stalls?"#,
            template: "INFO: rcu detected stall in {FRAME}", alternatives: ["stall in {FRAME}"],
            stack: StackRecipe(
                steps: [.find("(?:apic_timer_interrupt|el1h_64_irq|Exception stack|<IRQ>)"), .find(TitlePlaceholders.programCounter), .trace],
                fallback: [.find("(?:apic_timer_interrupt|el1h_64_irq|Exception stack|<IRQ>)"), .trace],
                skip: ["apic_timer_interrupt", "rcu", "el1h_64_irq", "el1_interrupt", "irq_exit", "irqentry_", "__irq_exit", "sysvec_", "handle_softirqs"],
                extractor: .stall)),
        TitleFormat(
            title: "INFO: trying to register non-static key", template: "INFO: trying to register non-static key in {FRAME}",
            stack: .callTrace(skip: ["stack", "lock", "IRQ"])),
        TitleFormat(
            title: "INFO: suspicious RCU usage", report: #"INFO: suspicious RCU usage(?:.*\n)+?.*?{{SRC}}"#,
            template: "INFO: suspicious RCU usage in {FRAME}",
            stack: .callTrace(skip: ["rcu", "kmem", "slab", "kmalloc", "vmalloc", "kcalloc", "kzalloc"])),
        TitleFormat(
            title: "INFO: task .* blocked(?: in I/O wait)? for more than [0-9]+ seconds", template: "INFO: task hung in {FRAME}",
            alternatives: ["hang in {FRAME}"], stack: .callTrace(extractor: .hang)),
        TitleFormat(
            title: "INFO: task .* can't die for more than .* seconds", template: "INFO: task can't die in {FRAME}",
            alternatives: ["hang in {FRAME}"], stack: .callTrace(extractor: .hang)),
        TitleFormat(title: "INFO: (Freed|Allocated) in (.*)", template: "INFO: {1} in {2}", corrupted: true),
        TitleFormat(title: #"INFO:[[:space:]]*(?:\n|$)"#, template: "INFO: corrupted", corrupted: true),
    ]

    static let panicFormats: [TitleFormat] = [
        TitleFormat(
            title: "Kernel panic - not syncing: stack-protector:",
            report: "Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: {{FUNC}}",
            template: "kernel panic: stack is corrupted in {1}", noStackTrace: true),
        TitleFormat(
            title: "Kernel panic - not syncing: stack-protector:",
            report: "Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: [a-f0-9]+",
            template: "kernel panic: stack is corrupted in {FRAME}", stack: .callTrace(skip: ["stack_chk"])),
        TitleFormat(
            title: "Kernel panic - not syncing: corrupted stack end",
            report: "Kernel panic - not syncing: corrupted stack end detected inside scheduler",
            template: "kernel panic: corrupted stack end in {FRAME}",
            stack: .callTrace(skip: ["schedule", "retint_kernel"], extractor: .stall)),
        TitleFormat(title: "Kernel panic - not syncing: Attempted to kill init!", template: "kernel panic: Attempted to kill init!"),
        TitleFormat(
            title: "Kernel panic - not syncing: Couldn't open N_TTY ldisc for [^ ]+ --- error -[0-9]+",
            template: "kernel panic: Couldn't open N_TTY ldisc"),
        TitleFormat(title: "Kernel panic - not syncing: Fatal exception", template: "kernel panic: Fatal exception", corrupted: true),
        TitleFormat(title: "Kernel panic - not syncing: panic_on_warn set", template: "kernel panic: panic_on_warn set", corrupted: true),
        TitleFormat(
            title: "Kernel panic - not syncing: hung_task: blocked tasks", template: "kernel panic: hung_task: blocked tasks", corrupted: true),
        TitleFormat(title: "Kernel panic - not syncing: (.*)", template: "kernel panic: {1}"),
    ]

    static let kernelBugFormats: [TitleFormat] = [
        TitleFormat(title: #"kernel BUG at mm/usercopy\.c"#, template: "BUG: bad usercopy in {FRAME}", stack: .callTrace(skip: ["usercopy", "__check"])),
        TitleFormat(
            title: #"kernel BUG at lib/list_debug\.c"#, template: "BUG: corrupted list in {FRAME}", alternatives: ["bad-access in {FRAME}"],
            stack: .warning()),
        // arm32's BUG() traps through __bug() and the data-abort entry: plumbing, for a BUG.
        TitleFormat(title: "kernel BUG at (.*)", template: "kernel BUG in {FRAME}", stack: .warning(skip: ["^skb_", "^__skb_", "^__bug$", "^__dabt_svc$"])),
    ]

    /// Every kind, in the order they are tried.
    static let kinds: [OopsKind] = [
        OopsKind(
            header: "BUG:", formats: bugFormats,
            falsePositives: ["ODEBUG:", "Boot_DEBUG:", "DEBUG:", "BUG: no syscalls can create resource"]),
        OopsKind(
            header: "WARNING:", formats: warningFormats,
            falsePositives: [
                "WARNING: /etc/ssh/moduli does not exist, using fixed modulus", "WARNING: workqueue cpumask: online intersect > possible intersect",
                "WARNING: [Tt]he mand mount option", "WARNING: Unsupported flag value", "WARNING: Unprivileged eBPF is enabled",
                #"EXT4-[Ff][Ss](?: \(.*\))?:"#, #"XFS \(\S+\): WARNING"#, "Warning: Permanently added", "WARNING: Spectre v2",
                "DT_FLAGS_1", "fbcon: Taking over console",
            ]),
        OopsKind(
            header: "INFO:", formats: infoFormats,
            falsePositives: [
                "INFO: lockdep is turned off", "INFO: Stall ended before state dump start", "INFO: NMI handler",
                "INFO: recovery required on readonly filesystem", "(?:handler|interrupt).*took too long", "_INFO::",
                "INFO: sys_.* is not present in /proc/kallsyms", "INFO: no syscalls can create resource",
                "INFO: rcu_(?:preempt|sched|bh) detected expedited stalls? on CPUs/tasks: \\{\\} ",
            ]),
        OopsKind(
            header: "Unable to handle kernel",
            formats: [
                TitleFormat(
                    title: "Unable to handle kernel (?:paging request|execution of user memory|access to user memory|execute from non-executable memory|read from unreadable memory|write to read-only memory)",
                    template: "BUG: unable to handle kernel paging request in {FRAME}", alternatives: ["bad-access in {FRAME}"],
                    stack: .programCounter()),
                TitleFormat(
                    title: "Unable to handle kernel NULL pointer dereference",
                    template: "BUG: unable to handle kernel NULL pointer dereference in {FRAME}", alternatives: ["bad-access in {FRAME}"],
                    stack: .programCounter()),
            ]),
        OopsKind(
            header: "general protection fault",
            formats: [
                TitleFormat(
                    title: "general protection fault.*:", template: "general protection fault in {FRAME}",
                    alternatives: ["bad-access in {FRAME}"], stack: .programCounter())
            ],
            falsePositives: [#"general protection fault .* error:\d+ in "#]),
        OopsKind(
            header: "stack segment: ",
            formats: [TitleFormat(title: "stack segment: ", template: "stack segment fault in {FRAME}", stack: .programCounter())]),
        OopsKind(header: "Kernel panic", formats: panicFormats),
        OopsKind(
            header: "PANIC: double fault",
            formats: [TitleFormat(title: "PANIC: double fault", template: "PANIC: double fault in {FRAME}", stack: .programCounter())]),
        // arm64's handle_bad_stack(): the exception found no stack left.
        OopsKind(
            header: "Insufficient stack space to handle exception",
            formats: [
                TitleFormat(
                    title: "Insufficient stack space to handle exception", template: "kernel stack overflow in {FRAME}", alternatives: ["stack-overflow in {FRAME}"],
                    stack: .programCounter(extractor: .stall))
            ]),
        OopsKind(
            header: "kernel stack overflow",
            formats: [
                TitleFormat(
                    title: "kernel stack overflow", template: "kernel stack overflow in {FRAME}", alternatives: ["stack-overflow in {FRAME}"],
                    stack: .programCounter(extractor: .stall))
            ]),
        OopsKind(header: "kernel BUG", formats: kernelBugFormats),
        OopsKind(header: "Kernel BUG", formats: [TitleFormat(title: "Kernel BUG (.*)", template: "kernel BUG {1}")]),
        OopsKind(
            header: "BUG kmalloc-",
            formats: [TitleFormat(title: "BUG kmalloc-.*: Object already free", template: "BUG: Object already free")]),
        OopsKind(
            header: "divide error:",
            formats: [TitleFormat(title: "divide error: ", template: "divide error in {FRAME}", stack: .programCounter())]),
        OopsKind(
            header: "invalid opcode:",
            formats: [TitleFormat(title: "invalid opcode: ", template: "invalid opcode in {FRAME}", stack: .programCounter())]),
        OopsKind(
            header: "int3: ", formats: [TitleFormat(title: "int3: ", template: "int3 in {FRAME}", stack: .programCounter())]),
        OopsKind(
            header: "UBSAN:",
            formats: [
                TitleFormat(
                    title: "UBSAN:", report: "UBSAN: Undefined behaviour in", template: "UBSAN: undefined-behaviour in {FRAME}",
                    stack: .callTrace(skip: ["ubsan", "overflow"])),
                TitleFormat(
                    title: #"UBSAN: array-index-out-of-bounds in"#, template: "UBSAN: array-index-out-of-bounds in {FRAME}",
                    alternatives: ["bad-access in {FRAME}"], stack: .callTrace(skip: ["ubsan", "overflow"])),
                TitleFormat(title: #"UBSAN: ([a-z\-]+) in"#, template: "UBSAN: {1} in {FRAME}", stack: .callTrace(skip: ["ubsan", "overflow"])),
            ]),
        OopsKind(
            header: "Internal error:",
            formats: [
                TitleFormat(
                    title: "Internal error:", template: "Internal error in {FRAME}", alternatives: ["bad-access in {FRAME}"],
                    stack: .programCounter())
            ]),
        OopsKind(
            header: "Unhandled fault:",
            formats: [
                TitleFormat(
                    title: "Unhandled fault:", template: "Unhandled fault in {FRAME}", alternatives: ["bad-access in {FRAME}"],
                    stack: .programCounter())
            ]),
        OopsKind(
            header: "Alignment trap:",
            formats: [TitleFormat(title: "Alignment trap:", template: "Alignment trap in {FRAME}", stack: .programCounter())]),
        OopsKind(
            header: "unregister_netdevice: waiting for",
            formats: [
                TitleFormat(
                    title: "unregister_netdevice: waiting for (?:.*) to become free",
                    template: "unregister_netdevice: waiting for DEV to become free", noStackTrace: true)
            ]),
        OopsKind(
            header: "VFS: Close: file count is ",
            formats: [
                TitleFormat(
                    title: "VFS: Close: file count is (?:zero|0)", template: "VFS: Close: file count is zero (use-after-free)",
                    noStackTrace: true)
            ]),
        OopsKind(
            header: "VFS: Busy inodes after unmount",
            formats: [
                TitleFormat(
                    title: "VFS: Busy inodes after unmount", template: "VFS: Busy inodes after unmount (use-after-free)",
                    noStackTrace: true)
            ]),
        OopsKind(
            header: "trusty: panic",
            formats: [
                TitleFormat(
                    title: "trusty: panic.* ASSERT FAILED", report: #"trusty: panic \(.*?\):(?: DEBUG)? ASSERT FAILED at \(.*?\): (.+)"#,
                    template: "trusty: ASSERT FAILED: {1}", noStackTrace: true),
                TitleFormat(title: "trusty: panic.* ASSERT FAILED.*: *(.*)", template: "trusty: ASSERT FAILED: {1}", corrupted: true),
                TitleFormat(title: "trusty: panic", report: #"trusty: panic \(.*?\): (.+)"#, template: "trusty: panic: {1}", noStackTrace: true),
            ]),
        OopsKind(
            header: "SYZFAIL:",
            formats: [TitleFormat(title: "SYZFAIL:(.*)", template: "SYZFAIL:{1}", noStackTrace: true)]),
        OopsKind(
            header: "SYZFATAL:",
            formats: [TitleFormat(title: "SYZFATAL:(.*)", template: "SYZFATAL:{1}", noStackTrace: true)]),
    ]

    /// Informational messages with their own stack trace: inside a report, they end the text
    /// the title is read from.
    static let infoMessagesWithStack = [
        "vmalloc: allocation failure:", "FAULT_INJECTION: forcing a failure", "FAULT_FLAG_ALLOW_RETRY missing",
    ]

    /// Lines that start a call trace (a trace being read ends at the next of these).
    static let stackStarts = [
        "Call [Tt]race", "Allocated:", "Allocated by task [0-9]+:", "Freed:", "Freed by task [0-9]+:", "[^k] backtrace:",
        "^backtrace:", "Uninit was (?:stored to memory at|created at):", "Last potentially related work creation:",
        "Backtrace:",
    ]

    /// Frames that mean a fault-injection stack got mixed into the report.
    static let corruptedFrame = #"^(?: \[<?(?:0x)?[0-9a-f]+>?\])? should_fail(?:slab|_ex|_usercopy)?(?:\.[a-z0-9.]+)?\+0x"#
}
