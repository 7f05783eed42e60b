// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The crash type, in syzkaller's vocabulary, from the title alone: an ordered table of
/// title prefixes, the first that matches deciding.
enum CrashTypeTable {
    /// `(prefixes, type)` rows, most specific first; a type of `""` means unknown.
    static let rows: [([String], String)] = [
        (["KASAN: null-ptr-deref Write"], "KASAN-NULL-POINTER-DEREFERENCE-WRITE"),
        (["KASAN: null-ptr-deref"], "KASAN-NULL-POINTER-DEREFERENCE-READ"),
        (
            ["KASAN: use-after-free Write", "KASAN: slab-use-after-free Write", "KASAN: vmalloc-use-after-free Write"],
            "KASAN-USE-AFTER-FREE-WRITE"
        ),
        (
            ["KASAN: use-after-free", "KASAN: slab-use-after-free", "KASAN: vmalloc-use-after-free"],
            "KASAN-USE-AFTER-FREE-READ"
        ),
        (["KASAN: invalid-free", "KASAN: double-free"], "KASAN-INVALID-FREE"),
        (["KASAN: "], "KASAN-*"),
        (["KFENCE: use-after-free write"], "KFENCE-USE-AFTER-FREE-WRITE"),
        (["KFENCE: use-after-free"], "KFENCE-USE-AFTER-FREE-READ"),
        (["KFENCE: invalid free"], "KFENCE-INVALID-FREE"),
        (["KFENCE: memory corruption"], "KFENCE-MEMORY-CORRUPTION"),
        (["KFENCE: "], "KFENCE-*"),
        (["KMSAN: uninit-value"], "KMSAN-UNINIT-VALUE"),
        (["KMSAN: kernel-infoleak", "KMSAN: kernel-usb-infoleak"], "KMSAN-INFO-LEAK"),
        (["KMSAN: use-after-free"], "KMSAN-USE-AFTER-FREE"),
        (["KMSAN: "], "KMSAN-UNINIT-VALUE"),
        (["KCSAN: data-race"], "KCSAN-DATARACE"),
        (["KCSAN: assert: race"], "KCSAN-ASSERT"),
        (["KCSAN: "], "KCSAN-DATARACE"),
        (["BUG: unable to handle kernel NULL pointer dereference"], "NULL-POINTER-DEREFERENCE"),
        (["BUG: unable to handle kernel paging request", "BUG: corrupted list", "bad-access"], "MEMORY_SAFETY_BUG"),
        (["BUG: sleeping function called from invalid context", "BUG: scheduling while atomic"], "ATOMIC_SLEEP"),
        (
            [
                "BUG: soft lockup", "INFO: rcu detected stall", "INFO: task hung", "INFO: task can't die", "stall in",
                "hang in",
            ],
            "HANG"
        ),
        (
            [
                "BUG: bad unlock balance", "BUG: held lock freed", "BUG: spinlock", "BUG: rwlock",
                "BUG: using __this_cpu",
                "BUG: using smp_processor_id", "WARNING: bad unlock balance", "WARNING: held lock freed",
                "WARNING: lock held", "WARNING: locking bug", "WARNING: nested lock",
                "WARNING: suspicious RCU usage in",
                "inconsistent lock state", "possible deadlock",
            ],
            "LOCKDEP"
        ),
        (["WARNING: refcount bug"], "REFCOUNT_WARNING"),
        (["WARNING: kernel stack regs", "WARNING: kernel stack frame"], ""),
        (["WARNING"], "WARNING"),
        (["kernel BUG", "BUG: bad usercopy"], "BUG"),
        (
            [
                "BUG: Object already free", "Internal error", "PANIC: double fault", "Unhandled fault", "VFS: ",
                "divide error", "general protection fault", "int3", "kernel panic", "kernel stack overflow",
                "stack segment fault", "trusty: ", "unregister_netdevice", "invalid opcode", "Alignment trap",
            ],
            "DoS"
        ),
        (["memory leak"], "LEAK"),
        (["SYZFAIL", "SYZFATAL"], "SYZ_FAILURE"),
        (["unexpected kernel reboot"], "REBOOT"),
        (["UBSAN:"], "UBSAN"),
    ]

    /// The type of `title`; `""` when the table has none.
    static func type(of title: String) -> String {
        for (prefixes, type) in rows where prefixes.contains(where: { title.hasPrefix($0) }) {
            guard type.hasSuffix("-*") else { return type }
            let family = String(type.dropLast(2))
            return title.contains(" Write") || title.contains(" write") ? family + "-WRITE" : family + "-READ"
        }
        return ""
    }

    /// Types of crashes the kernel survives by design and CI may choose not to fail on.
    static let warningTypes: Set<String> = [
        "WARNING", "REFCOUNT_WARNING", "LOCKDEP", "UBSAN", "LEAK", "KCSAN-DATARACE",
    ]
}
