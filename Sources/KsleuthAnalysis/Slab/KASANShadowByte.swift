// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// What a generic KASAN shadow byte means, and the bug type it gives (mm/kasan/kasan.h,
/// report_generic.c; values reused across eras are resolved by the release).
public enum KASANShadowByte {
    /// The meaning of `value` and the bug type KASAN reports for it, for release `version`.
    public static func meaning(_ value: UInt8, version: KernelVersion?) -> (meaning: String, bugType: String?) {
        let modern = version.map { $0 >= KernelVersion(5, 0) } ?? true
        let sixSix = version.map { $0 >= KernelVersion(6, 6) } ?? false
        let freedSlab = sixSix ? "slab-use-after-free" : "use-after-free"
        switch value {
        case 0x00: return ("all 8 bytes accessible", nil)
        case 0x01...0x07: return ("only the first \(value) bytes of the granule accessible", "out-of-bounds")
        case 0xff: return ("freed page (KASAN_PAGE_FREE)", "use-after-free")
        case 0xfe: return ("page / kmalloc_large redzone (KASAN_PAGE_REDZONE)", "slab-out-of-bounds")
        case 0xfc: return ("slab object redzone (KASAN_SLAB_REDZONE)", "slab-out-of-bounds")
        case 0xfb: return ("freed slab object (KASAN_SLAB_FREE)", freedSlab)
        case 0xfa:
            return modern
                ? ("freed slab object, free track in the object (KASAN_SLAB_FREETRACK)", freedSlab)
                : ("global variable redzone (KASAN_GLOBAL_REDZONE, 4.x)", "global-out-of-bounds")
        case 0xf9: return ("global variable redzone (KASAN_GLOBAL_REDZONE)", "global-out-of-bounds")
        case 0xf8:
            return modern
                ? ("inaccessible vmalloc space (KASAN_VMALLOC_INVALID)", "vmalloc-out-of-bounds")
                : ("variable out of scope (KASAN_USE_AFTER_SCOPE, 4.x)", "use-after-scope")
        case 0xf1: return ("stack left redzone", "stack-out-of-bounds")
        case 0xf2: return ("stack mid redzone", "stack-out-of-bounds")
        case 0xf3: return ("stack right redzone", "stack-out-of-bounds")
        case 0xf4: return ("stack partial redzone", "stack-out-of-bounds")
        case 0xca: return ("alloca left redzone", "alloca-out-of-bounds")
        case 0xcb: return ("alloca right redzone", "alloca-out-of-bounds")
        default: return ("not a generic KASAN shadow value", "unknown-crash")
        }
    }
}
