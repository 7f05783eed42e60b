// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

extension AddressLayout {
    /// 32-bit arm with the 3G/1G split, 2.6.32 - 3.x: VMALLOC_END 0xff000000, fixmap at 0xfff00000.
    ///
    /// Lowmem ends at high_memory (at most vmalloc_min = 0xef000000 with the default 240 MB
    /// vmalloc reserve); a pointer between the end of RAM and that ceiling is not mapped.
    public static let arm32Legacy = AddressLayout(
        name: "arm32-3g1g-3.x", architecture: .arm32, releases: "2.6.32 - 3.x, CONFIG_PAGE_OFFSET 0xc0000000",
        source: "arch/arm/include/asm/memory.h, pgtable.h, fixmap.h (3.10); arch/arm/mm/mmu.c",
        ranges: [
            Range(0x0000_0000, 0x0000_0fff, .null, "NULL page (low vectors when not remapped)"),
            Range(0x0000_1000, 0xbeff_ffff, .user, "user space (TASK_SIZE 0xbf000000)"),
            Range(0xbf00_0000, 0xbfdf_ffff, .modules, "modules"),
            Range(0xbfe0_0000, 0xbfff_ffff, .pkmap, "pkmap (highmem kmap)"),
            Range(0xc000_0000, 0xeeff_ffff, .lowmem, "lowmem (direct map of RAM; the kernel image sits at its start)"),
            Range(0xef00_0000, 0xef7f_ffff, .hole, "8 MB gap before vmalloc"),
            Range(0xef80_0000, 0xfeff_ffff, .vmalloc, "vmalloc/ioremap"),
            Range(0xff00_0000, 0xffef_ffff, .hole, "unused"),
            Range(0xfff0_0000, 0xfffd_ffff, .fixmap, "fixmap"),
            Range(0xfffe_0000, 0xfffe_ffff, .hole, "unused"),
            Range(0xffff_0000, 0xffff_0fff, .vectors, "high vectors page"),
            Range(0xffff_1000, 0xffff_7fff, .vectors, "vector stubs page and reserved"),
            Range(0xffff_8000, 0xffff_ffff, .vectors, "copy_user_page / cache-aliasing mappings"),
        ])

    /// 32-bit arm with the 3G/1G split, 4.x - 6.x: VMALLOC_END 0xff800000, lowmem ceiling 0xef800000.
    public static let arm32 = AddressLayout(
        name: "arm32-3g1g", architecture: .arm32, releases: "4.x - 6.x, CONFIG_PAGE_OFFSET 0xc0000000",
        source: "arch/arm/include/asm/memory.h, pgtable.h, fixmap.h (4.4 - 6.6); Documentation/arm/memory.rst (5.10)",
        ranges: [
            Range(0x0000_0000, 0x0000_0fff, .null, "NULL page (low vectors when not remapped)"),
            Range(0x0000_1000, 0xbeff_ffff, .user, "user space (TASK_SIZE 0xbf000000)"),
            Range(0xbf00_0000, 0xbfdf_ffff, .modules, "modules"),
            Range(0xbfe0_0000, 0xbfff_ffff, .pkmap, "pkmap (highmem kmap)"),
            Range(0xc000_0000, 0xef7f_ffff, .lowmem, "lowmem (direct map of RAM; the kernel image sits at its start)"),
            Range(0xef80_0000, 0xefff_ffff, .hole, "8 MB gap before vmalloc"),
            Range(0xf000_0000, 0xff7f_ffff, .vmalloc, "vmalloc/ioremap"),
            Range(0xff80_0000, 0xffbf_ffff, .deviceTree, "device tree blob (fixed, read-only)"),
            Range(0xffc0_0000, 0xffc7_ffff, .hole, "guard"),
            Range(0xffc8_0000, 0xffef_ffff, .fixmap, "fixmap"),
            Range(0xfff0_0000, 0xfffe_ffff, .hole, "unused"),
            Range(0xffff_0000, 0xffff_0fff, .vectors, "high vectors page"),
            Range(0xffff_1000, 0xffff_7fff, .vectors, "vector stubs page and reserved"),
            Range(0xffff_8000, 0xffff_ffff, .vectors, "copy_user_page / cache-aliasing mappings"),
        ])
}
