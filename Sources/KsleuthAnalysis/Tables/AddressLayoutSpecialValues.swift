// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Values that look like addresses but are markers: poisons, error codes, magic words.
///
/// include/linux/poison.h (2.6.32, 3.10, 4.4, 4.19, 5.4, 6.6), include/linux/err.h,
/// include/uapi/asm-generic/errno-base.h and errno.h, include/linux/errno.h.
public enum AddressSpecialValues {
    /// MAX_ERRNO: ERR_PTR values are -4095 … -1.
    public static let maximumErrno: UInt64 = 4095

    /// The generic errno names by number (x86, arm, arm64 and riscv share them).
    public static let errnoNames: [Int: String] = [
        1: "EPERM", 2: "ENOENT", 3: "ESRCH", 4: "EINTR", 5: "EIO", 6: "ENXIO", 7: "E2BIG", 8: "ENOEXEC", 9: "EBADF",
        10: "ECHILD", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT", 15: "ENOTBLK", 16: "EBUSY", 17: "EEXIST",
        18: "EXDEV", 19: "ENODEV", 20: "ENOTDIR", 21: "EISDIR", 22: "EINVAL", 23: "ENFILE", 24: "EMFILE",
        25: "ENOTTY", 26: "ETXTBSY", 27: "EFBIG", 28: "ENOSPC", 29: "ESPIPE", 30: "EROFS", 31: "EMLINK", 32: "EPIPE",
        33: "EDOM", 34: "ERANGE", 35: "EDEADLK", 36: "ENAMETOOLONG", 37: "ENOLCK", 38: "ENOSYS", 39: "ENOTEMPTY",
        40: "ELOOP", 61: "ENODATA", 62: "ETIME", 71: "EPROTO", 75: "EOVERFLOW", 84: "EILSEQ", 90: "EMSGSIZE",
        95: "EOPNOTSUPP", 98: "EADDRINUSE", 103: "ECONNABORTED", 104: "ECONNRESET", 105: "ENOBUFS",
        110: "ETIMEDOUT", 111: "ECONNREFUSED", 113: "EHOSTUNREACH", 114: "EALREADY", 115: "EINPROGRESS",
        116: "ESTALE", 122: "EDQUOT", 125: "ECANCELED", 512: "ERESTARTSYS", 513: "ERESTARTNOINTR",
        514: "ERESTARTNOHAND", 515: "ENOIOCTLCMD", 517: "EPROBE_DEFER", 524: "ENOTSUPP",
    ]

    /// LIST_POISON1 and LIST_POISON2 before the pointer delta, by era.
    public static func listPoisons(version: KernelVersion?) -> [(value: UInt64, name: String)] {
        var result: [(UInt64, String)] = []
        if version == nil || version! < KernelVersion(4, 0) {
            result += [(0x0010_0100, "LIST_POISON1 (<= 3.x)"), (0x0020_0200, "LIST_POISON2 (<= 3.x)")]
        }
        if version == nil || version! >= KernelVersion(4, 0) {
            result += [(0x100, "LIST_POISON1 (4.x+)")]
        }
        if version == nil || (version! >= KernelVersion(4, 0) && version! < KernelVersion(5, 4)) {
            result += [(0x200, "LIST_POISON2 (4.x - 5.3)")]
        }
        if version == nil || version! >= KernelVersion(5, 4) {
            result += [(0x122, "LIST_POISON2 (5.4+)")]
        }
        return result.map { (value: $0.0, name: $0.1) }
    }

    /// Whole-word fill patterns and magic words, with what reading one as a pointer means.
    public static let patterns: [(byte: UInt8, meaning: String)] = [
        (0x6b, "POISON_FREE: a pointer read from a freed, poisoned object (use after free)"),
        (0x5a, "POISON_INUSE: a pointer read from uninitialised SLAB memory or SLUB padding"),
        (0xa5, "POISON_END bytes read as a pointer"),
        (0xcc, "SLUB_RED_ACTIVE (or POISON_FREE_INITMEM): a red zone read as data"),
        (0xbb, "SLUB_RED_INACTIVE: the red zone of a free object read as data"),
        (0xaa, "PAGE_POISON: a freed page (CONFIG_PAGE_POISONING) read as data"),
    ]

    /// Magic words whose presence as a pointer names a confused structure.
    public static let magicWords: [(value: UInt64, meaning: String)] = [
        (0xdead_4ead, "SPINLOCK_MAGIC: a debug spinlock's .magic read as a pointer (wrong type or overlap)"),
        (0xdeaf_1eed, "RWLOCK_MAGIC: a debug rwlock's .magic read as a pointer"),
        (0xdead_beef, "0xdeadbeef (ATM_POISON / common debug fill)"),
        (0xffff_ffff_ffff_4111, "STACKLEAK_POISON (-0xBEEF): unused kernel stack fill"),
        (0x09f9_1102_9d74_e35b, "SLAB RED_INACTIVE red zone word"),
        (0xd841_56c5_6356_88c0, "SLAB RED_ACTIVE red zone word"),
        (0x7473_7461, "TIMER_ENTRY_STATIC (2.6/4.4): a statically initialised timer's entry.next"),
    ]
}
