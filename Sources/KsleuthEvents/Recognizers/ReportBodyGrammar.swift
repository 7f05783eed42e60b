// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The lines that belong inside a report once it has begun, and the lines that end it.
///
/// Most body lines are indented (call-trace frames, `Node 0 …` under Mem-Info, register
/// dumps continued); those join without a pattern. The rest start with one of the words the
/// kernel's dump printers use, listed here by printer. The pattern is anchored and runs only
/// while a report is open.
enum ReportBodyGrammar {
    /// Header lines of the report printers (`dump_stack`, `show_regs`, `__die`, …) and of
    /// the memory dumps (`show_mem`, `dump_tasks`, `mem_cgroup_print_oom_info`, …).
    static let pattern: String = {
        let crash = [
            // dump_stack_print_info, print_modules, show_regs (x86, i386)
            #"CPU: "#, #"CPU \d+ "#, #"Hardware name: "#, #"Modules linked in:"#, #"Call Trace:"#, #"Call trace:"#,
            #"Backtrace:"#, #"Exception stack"#, #"Stack:"#, #"Code: "#, #"Workqueue: "#, #"Process "#, #"Pid: "#,
            #"RIP: "#, #"EIP: "#, #"IP: "#, #"RSP: "#, #"[RE](?:[ABCD]X|[SD]I|[BS]P|IP): "#, #"R\d+ ?: "#,
            #"[CDEFGS]S: "#,
            // i386 show_registers before 2.6.25: "EFLAGS: 00010002   (2.6.20-rc1 #383)", "EIP is at …",
            // lowercase "eax: … ebx: …", "esi: …", "ds: 007b   es: 007b …"
            #"EFLAGS: "#, #"EIP is at "#, #"e(?:ax|si): [0-9a-f]{8} "#, #"ds: [0-9a-f]{4} "#,
            #"CR\d: "#, #"DR\d: "#, #"PKRU: "#, #"ORIG_[RE]AX"#, #"#PF: "#, #"PGD [0-9a-f]"#, #"P4D "#, #"PUD "#,
            #"PMD "#, #"PTE "#, #"Thread overran stack"#, #"Kernel panic"#, #"Kernel Offset: "#, #"---\[ end "#,
            #"Rebooting in "#, #"SMP: stopping"#, #"handlers:"#, #"Disabling IRQ #"#,
            #"#\d+ 0x[0-9a-f]+ in "#, #"CPU features: "#,
            #"Memory Limit: "#, #"Dumping ftrace buffer"#,
            #"Oops"#, #"Fixing recursive fault"#, #"note: \S+\[\d+\] exited"#,
            // call-trace sections and frames of every architecture
            #"</?(?:IRQ|NMI|TASK|EOI|EOE|SOFTIRQ|#DF|#MC|DB|NMI)>"#, #"\? "#, #"\[<[0-9a-f]+>\]"#,
            #"[\w.$]+\+0x[0-9a-f]+/0x[0-9a-f]+"#, #"\(?[\w.$]+ from "#, #"\[[0-9a-f]{8,16}\] "#,
            #"[0-9a-f]{8,16}(?: [0-9a-f]{8,16})+"#, #"\(unreliable\)"#,
            // arm64
            #"pc : "#, #"lr : "#, #"sp : "#, #"x\d+ ?: [0-9a-f]{16}"#, #"pstate: "#, #"Mem abort info:"#,
            #"Data abort info:"#,
            #"ESR = "#, #"EC = "#, #"SET = "#, #"FAR = "#, #"EA = "#, #"S1PTW = "#, #"FnV = "#, #"ISV = "#,
            #"CM = "#, #"WnR = "#, #"(?:user|swapper) pgtable"#, #"\[[0-9a-f]+\] pgd="#, #"Internal error"#,
            #"SError"#, #"Kernel BUG"#,
            // arm32
            #"PC is at "#, #"LR is at "#, #"pc : \["#, #"psr: "#, #"r\d+ ?: "#, #"Flags: "#, #"Control: "#,
            #"Table: "#, #"DAC: "#, #"Register r\d+"#, #"Function entered"#, #"\[<[0-9a-f]+>\] \("#,
            #"[0-9a-f]{3,4}: (?: *[0-9a-f]{8})+"#, #"Exception stack\("#, #"Stack: \(0x"#,
            // ppc64, s390, mips, riscv, loongarch
            #"NIP"#, #"LR \["#, #"REGS: "#, #"MSR: "#, #"CFAR: "#, #"DAR: "#, #"DSISR: "#, #"IRQMASK: "#, #"GPR\d+"#,
            #"Instruction dump:"#, #"--- interrupt: "#, #"Krnl "#, #"Last Breaking-Event-Address"#, #"epc ?: "#,
            #"\(\[<[0-9a-f]+>\]"#, #"task: [0-9a-f]{8,16} "#,
            // decode_stacktrace.sh's frames: "__switch_to (arch/arm64/kernel/process.c:740) (T)"
            #"[\w.$]+ \([\w./-]+:\d+"#,
            #"ra ?: "#, #"status: "#, #"badaddr: "#, #"cause: "#, #"era ?: "#, #"\$ ?\d+ ?: "#, #"Hi ?: "#, #"Lo ?: "#,
            #"ERA: "#, #"PRMD: "#, #"EUEN: "#, #"ECFG: "#, #"ESTAT: "#, #"BADV: "#, #"PRID: "#,
            // sanitizers, bad page, list debugging
            #"(?:INFO|BUG|WARNING|KASAN|KFENCE|KMSAN|KCSAN|UBSAN): "#, #"==+"#, #"The buggy address"#,
            #"Memory state around"#, #"Allocated by "#, #"Freed by "#, #"Last potentially"#, #"Second to last"#,
            // KASAN 4.6 - 4.10 kasan_object_err(): "Object at ffff88000b67a3c0, in cache kmalloc-64 size: 64",
            // "Allocated:" / "Freed:", "PID = 144"
            #"Object at [0-9a-f]+, in cache "#, #"(?:Allocated|Freed):$"#, #"PID = \d+$"#,
            #"Uninit was "#, #"Local variable "#, #"(?:Read|Write) (?:of size|at addr)"#, #"Pointer tag: "#,
            #"(?:read|write)(?: \(marked\))? to "#,
            #"value changed: "#, #"Reported by Kernel Concurrency"#, #"Out-of-bounds (?:read|write)"#,
            #"Use-after-free (?:read|write)"#, #"Invalid (?:read|free)"#, #"Corrupted memory"#, #"kfence-#"#,
            #"page:"#, #"page dumped because"#, #"flags: "#, #"raw: "#, #"head: "#, #"memcg:"#, #"page_type: "#,
            #"anon flags"#, #"index:"#, #"page_owner (?:tracks|info)"#, #"page last (?:allocated|free)"#,
            #"(?:list_(?:add|del)|list_add double add)"#,
            // SLAB (mm/slab.c) check_poison_obj / print_objinfo / dump_line, verify_redzone_free's words
            #"Redzone: 0x"#, #"Last user: "#, #"[0-9a-f]{3}: [0-9a-f]{2}(?: |$)"#, #"(?:Prev|Next) obj: start="#,
            #"Single bit error detected"#, #"Run (?:memtest86|a memory test)"#, #"[0-9a-f]{8,16}: redzone 1:0x"#,
            // LKL's show_stack (arch/lkl): "Linux Kernel Library Stack Trace:", "#19 [<0x000000000054b0cc>] …"
            #"Linux Kernel Library Stack Trace:"#, #"#\d+ \[<0x[0-9a-f]+>\] "#,
            #"(?:Object|Redzone|Padding|Bytes b4) +\(?(?:0x)?[0-9a-f]+\)?: "#,
            // KASAN's shadow rows, the buggy one marked ">", and buddy lines of non-NUMA builds.
            #">?[0-9a-f]{8,16}: [0-9a-f]{2} "#, #"[A-Za-z0-9]+: \d+\*\d+kB"#, #"Slab 0x"#, #"FIX "#,
            #"\w+ 0x[0-9a-f]+: "#,
            // lockdep and atomic-context reports
            #"\d+ locks? held"#, #"no locks held"#, #"other info that"#, #"the existing dependency"#, #"-> #\d"#,
            #"Possible unsafe"#, #"stack backtrace:"#, #"Chain exists"#, #"\*\*\* DEADLOCK"#, #"lock\("#,
            #"\S+/\d+ is trying"#, #"but task is already"#, #"which lock already"#, #"and this task is"#,
            #"\{[A-Z-]+\} state was"#, #"irq event stamp"#, #"hardirqs (?:last|first)"#, #"softirqs (?:last|first)"#,
            #"in_atomic\(\)"#, #"preempt_count"#, #"Preemption disabled"#, #"RCU nest depth"#,
            #"(?:Not tainted|Tainted: )"#, #"\S+ #\d+ (?:Not tainted|Tainted)"#, #"-{4,}"#, #"inconsistent \{"#,
            #"\S+/-?\d+ \[HC\d"#, #"[0-9a-f]{8,16} \("#, #"#\d+: "#, #"CPU\d+(?: |$)"#, #"<Interrupt>"#,
            #"\S+/-?\d+ (?:just changed|is trying|is exiting|hasn't)"#, #"(?:which|this|the) (?:lock|task)"#,
            #"(?:to a |the )?(?:HARDIRQ|SOFTIRQ|IN-\w+)"#, #"\[ BUG: "#, #"leaving the kernel"#, #"lockdep"#,
            #"(?:other|rcu_scheduler|RCU used|Please report)"#, #"\S+ is freeing memory"#, #"BUG: "#,
            #"[\w./-]+\.[ch]:\d+(?: |$)"#, #"rcu_scheduler_active"#, #"(?:INFO|WARNING|BUG): "#,
            #"unreferenced object 0x"#, #"backtrace(?: \(crc [0-9a-f]+\))?:"#, #"hex dump \("#, #"comm ""#,
            // lockups, hung tasks, RCU stalls, workqueues
            #"rcu: "#, #"rcu_\w+ kthread"#, #"\(detected by"#, #"\(t=\d+"#, #"Sending NMI"#, #"NMI backtrace"#,
            #"Task dump"#, #"Showing busy workqueues"#, #"workqueue "#, #"pool \d+"#, #"irq event"#,
            #""echo 0 > "#, #"task:\S"#, #"\S+ +[RDSTtZXxKWPI] [0-9a-f ]{8,}"#, #"Showing all locks"#,
            #"\d+ pages? "#,
        ]
        let memory = [
            // warn_alloc, dump_header, show_mem / show_free_areas, dump_tasks, memcg info
            #"Mem-Info:"#, #"[Aa]ctive_anon:"#, #"inactive_\w+:"#, #"isolated_\w+:"#, #"unevictable:"#, #"dirty:"#,
            #"writeback:"#, #"slab_\w+:"#, #"mapped:"#, #"shmem:"#, #"pagetables:"#, #"sec_pagetables:"#,
            #"bounce:"#, #"kernel_misc_reclaimable:"#, #"free:\d"#, #"free_pcp:"#, #"free_cma:"#, #"Node \d+"#,
            #"lowmem_reserve\[\]:"#, #"\d+ total pagecache pages"#, #"\d+ pages"#, #"Free swap"#, #"Total swap"#,
            #"Swap cache"#, #"\[ *pid *\]"#, #"\[ *\d+\] +\d"#, #"Tasks state"#, #"Unreclaimable slab info:"#,
            #"Name +Used +Total"#, #"\S+ +\d+KB +\d+KB"#, #"oom-kill:"#, #"Out of memory"#, #"Killed process"#,
            #"Memory cgroup"#, #"memory: usage"#, #"memory\+swap: usage"#, #"kmem: usage"#, #"swap: usage"#,
            #"Task in \S+ killed"#, #"oom_reaper"#, #"\S.* cpuset="#, #"mems_allowed="#, #"\S+: page allocation"#,
            #"warn_alloc"#, #"(?:DMA|DMA32|Normal|HighMem|Movable|Device) (?:per-cpu|free:)"#,
            #"(?:CPU|cpu) +\d+: hi:"#,
            // 2.6.x show_free_areas: "Mem-info:", hot/cold per-cpu lists, "Free pages:", "Active:"
            #"Mem-info:"#, #"cpu \d+ (?:hot|cold): "#, #"Free pages: "#, #"Active:\d"#, #"\d+ reserved pages"#,
            // zone and buddy lines wrapped by a console or a mail client: the continuation
            // starts with a zone field, an order's count, its migrate types or the total
            #"[a-z_]+(?:\((?:anon|file)\))?:\d+kB"#, #"pages_scanned:\d"#, #"all_unreclaimable\? "#,
            #"\d+\*\d+kB"#, #"\([UMERHCI]+\) "#, #"= \d+kB"#, #"\d+kB$"#,
            #"\S*B(?: \([UMERHCI]+\))? (?:\d+\*\d+kB|= \d+kB|[a-z_]+(?:\((?:anon|file)\))?:\d+kB)"#,
            #"[a-z_]+ \d+$"#, #"cache:\d+KB"#, #"  cache: "#, #"  node "#, #"hugepages"#,
            #"Hugepages"#, #"HighMem/MovableOnly"#,
            #"\d+ pages (?:RAM|HighMem|reserved|shared|non-shared|hwpoisoned|cma)"#,
            #"(?:active|inactive)_(?:anon|file) \d+"#, #"nr_\w+"#, #"Memory cgroup stats"#, #"\S+ invoked oom-killer"#,
            #"Out of memory and no"#, #"Kill process"#, #"Sacrifice"#, #"(?:oom_score_adj|gfp_mask|order)="#,
            #"Free pages count"#, #"Show Memory"#, #"quicklists:"#, #"SysRq"#, #"sysrq"#,
            // rate limiting that dropped lines of the report
            #"\S+: \d+ callbacks suppressed"#, #"printk: \d+ messages suppressed"#,
            #"\*\* \d+ printk messages dropped"#,
        ]
        return "^(?:" + (crash + memory).joined(separator: "|") + ")"
    }()

    /// Lines that close a report: what comes after them is a new story.
    static let endMarkers: [[UInt8]] = [
        "---[ end trace", "---[ end Kernel panic",
    ].map { Array($0.utf8) }

    /// Lines after which a report may stop without being truncated.
    static let terminalMarkers: [[UInt8]] = [
        "---[ end trace", "---[ end Kernel panic", "</TASK>", "Killed process", "oom_reaper: reaped",
        "pages hwpoisoned", "pages reserved", "pages cma reserved", "pages non-shared", "pages swap cached",
        "Kernel Offset:", "Rebooting in",
        "==================", "Out of memory and no killable", "CR2: ", "Disabling IRQ #",
    ].map { Array($0.utf8) }

    /// Lines that may follow a report's end marker and still belong to it: the panic that
    /// the oops caused, and the panic's own tail.
    static let panicTail: [[UInt8]] = [
        "Kernel panic - not syncing", "Kernel Offset:", "---[ end Kernel panic", "Rebooting in", "SMP: stopping",
        "CPU features:", "Memory Limit:", "PHYS_OFFSET:", "Dumping ftrace buffer", "Fixing recursive fault",
        "note: ",
    ].map { Array($0.utf8) }

    /// Lines that announce a report on the next line (`cut here` before WARNING and BUG, the
    /// `====` rule before KASAN, KCSAN, UBSAN and SLUB reports).
    private static let dashes = Array("---".utf8)
    private static let cutHere = Array("cut here".utf8)

    /// The `cut here` rule before a WARNING or BUG (the WARN's message may follow it).
    static func isCutHere(_ message: UnsafeRawBufferPointer) -> Bool {
        let trimmed = message.trimmingTrailingSpaces
        return trimmed.count >= 20 && trimmed.hasPrefix(dashes) && trimmed.containsBytes(cutHere)
    }

    static func isPreamble(_ message: UnsafeRawBufferPointer) -> Bool {
        let trimmed = message.trimmingTrailingSpaces
        guard trimmed.count >= 20 else { return false }
        if trimmed.allSatisfy({ $0 == 0x3d }) { return true }
        // "------------[ cut here ]------------", and 2.6's
        // "----------- [cut here ] --------- [please bite here ] ---------".
        return trimmed.hasPrefix(dashes) && trimmed.containsBytes(cutHere)
    }
}

extension UnsafeRawBufferPointer {
    /// The bytes without trailing spaces, tabs and quote residue.
    var trimmingTrailingSpaces: UnsafeRawBufferPointer {
        var end = count
        while end > 0, self[end - 1] == 0x20 || self[end - 1] == 0x09 { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: self[0..<end])
    }

    /// The bytes without up to `limit` leading spaces.
    func droppingLeadingSpaces(upTo limit: Int) -> UnsafeRawBufferPointer {
        var start = 0
        while start < Swift.min(limit, count), self[start] == 0x20 { start += 1 }
        return UnsafeRawBufferPointer(rebasing: self[start...])
    }

    /// The bytes after a serial console's login prompt that the kernel's output continued on
    /// (`syzkaller login: Unable to handle kernel paging request at …`); the bytes unchanged
    /// when they hold none.
    var droppingLoginPrompt: UnsafeRawBufferPointer {
        let prompt = Array(" login: ".utf8)
        var index = 1
        while index + prompt.count <= Swift.min(count, 64), self[index] != 0x20 { index += 1 }
        guard index + prompt.count <= count, prompt.indices.allSatisfy({ self[index + $0] == prompt[$0] }) else {
            return self
        }
        return UnsafeRawBufferPointer(rebasing: self[(index + prompt.count)...])
    }

    func hasPrefix(_ prefix: [UInt8]) -> Bool {
        count >= prefix.count && prefix.indices.allSatisfy { self[$0] == prefix[$0] }
    }

    func hasSuffix(_ suffix: [UInt8]) -> Bool {
        count >= suffix.count && suffix.indices.allSatisfy { self[count - suffix.count + $0] == suffix[$0] }
    }

    func containsBytes(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count, let first = needle.first else { return false }
        var index = 0
        while index + needle.count <= count {
            if self[index] == first, needle.indices.allSatisfy({ self[index + $0] == needle[$0] }) { return true }
            index += 1
        }
        return false
    }
}
