// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

extension AddressLayout {
    /// The part of every x86_64 4-level map below the kernel half: user space and the
    /// non-canonical gap (bits 63…47 not all equal).
    static let x86LowerHalf: [Range] = [
        Range(0x0000, 0x0fff, .null, "NULL page"),
        Range(0x1000, 0x0000_7fff_ffff_ffff, .user, "user space"),
        Range(0x0000_8000_0000_0000, 0xffff_7fff_ffff_ffff, .nonCanonical, "non-canonical (4-level paging): #GP"),
    ]

    /// The top of the x86_64 map shared by 4.14 and later (cpu_entry_area upward).
    static let x86Top: [Range] = [
        Range(0xffff_fe00_0000_0000, 0xffff_fe7f_ffff_ffff, .cpuEntryArea, "cpu_entry_area mapping"),
        Range(0xffff_ff00_0000_0000, 0xffff_ff7f_ffff_ffff, .espFixup, "%esp fixup stacks"),
        Range(0xffff_ffef_0000_0000, 0xffff_fffe_ffff_ffff, .efi, "EFI runtime services"),
        Range(0xffff_ffff_8000_0000, 0xffff_ffff_9fff_ffff, .kernelText, "kernel text mapping"),
        Range(
            0xffff_ffff_a000_0000, 0xffff_ffff_bfff_ffff, .kernelTextOrModules,
            "kernel image (KASLR 1 GiB image area) or modules (no KASLR)"),
        Range(0xffff_ffff_c000_0000, 0xffff_ffff_feff_ffff, .modules, "module mapping space"),
        Range(0xffff_ffff_ff00_0000, 0xffff_ffff_ff5f_ffff, .fixmap, "fixmap"),
        Range(0xffff_ffff_ff60_0000, 0xffff_ffff_ff60_0fff, .vsyscall, "legacy vsyscall page"),
        Range(0xffff_ffff_ff60_1000, 0xffff_ffff_ffdf_ffff, .hole, "unused (the 3.x vsyscall area above the page)"),
        Range(0xffff_ffff_ffe0_0000, 0xffff_ffff_ffff_ffff, .hole, "unused top hole"),
    ]

    /// x86_64 2.6.32 - 3.x (RHEL6/7): direct map at 0xffff880000000000.
    public static let x86Legacy = AddressLayout(
        name: "x86_64-4level-2.6", architecture: .amd64, releases: "2.6.32 - 3.x",
        source: "Documentation/x86/x86_64/mm.txt (2.6.32, 3.10)",
        ranges: x86LowerHalf + [
            Range(0xffff_8000_0000_0000, 0xffff_80ff_ffff_ffff, .guardHole, "guard hole (hypervisor)"),
            Range(0xffff_8100_0000_0000, 0xffff_87ff_ffff_ffff, .hole, "unused hole"),
            Range(0xffff_8800_0000_0000, 0xffff_c7ff_ffff_ffff, .directMap, "direct mapping of all RAM"),
            Range(0xffff_c800_0000_0000, 0xffff_c8ff_ffff_ffff, .hole, "unused hole"),
            Range(0xffff_c900_0000_0000, 0xffff_e8ff_ffff_ffff, .vmalloc, "vmalloc/ioremap space"),
            Range(0xffff_e900_0000_0000, 0xffff_e9ff_ffff_ffff, .hole, "unused hole"),
            Range(0xffff_ea00_0000_0000, 0xffff_eaff_ffff_ffff, .vmemmap, "virtual memory map (struct page array)"),
            Range(0xffff_eb00_0000_0000, 0xffff_feff_ffff_ffff, .hole, "unused hole"),
            Range(0xffff_ff00_0000_0000, 0xffff_ff7f_ffff_ffff, .espFixup, "%esp fixup stacks"),
            Range(0xffff_ffff_8000_0000, 0xffff_ffff_9fff_ffff, .kernelText, "kernel text mapping"),
            Range(0xffff_ffff_a000_0000, 0xffff_ffff_ff5f_ffff, .modules, "module mapping space"),
            Range(0xffff_ffff_ff60_0000, 0xffff_ffff_ffdf_ffff, .vsyscall, "vsyscalls"),
            Range(0xffff_ffff_ffe0_0000, 0xffff_ffff_ffff_ffff, .hole, "unused top hole"),
        ], poisonPointerDelta: 0xdead_0000_0000_0000)

    /// x86_64 4.14: direct map still at 0xffff880000000000, LDT remap near the top.
    public static let x86v414 = AddressLayout(
        name: "x86_64-4level-4.14", architecture: .amd64, releases: "4.x before 4.19 (4.14 read)",
        source: "Documentation/x86/x86_64/mm.txt (4.14)",
        ranges: x86LowerHalf + [
            Range(0xffff_8000_0000_0000, 0xffff_87ff_ffff_ffff, .guardHole, "guard hole (hypervisor)"),
            Range(0xffff_8800_0000_0000, 0xffff_c7ff_ffff_ffff, .directMap, "direct mapping of all RAM"),
            Range(0xffff_c800_0000_0000, 0xffff_c8ff_ffff_ffff, .hole, "unused hole"),
            Range(0xffff_c900_0000_0000, 0xffff_e8ff_ffff_ffff, .vmalloc, "vmalloc/ioremap space"),
            Range(0xffff_e900_0000_0000, 0xffff_e9ff_ffff_ffff, .hole, "unused hole"),
            Range(0xffff_ea00_0000_0000, 0xffff_eaff_ffff_ffff, .vmemmap, "virtual memory map (struct page array)"),
            Range(0xffff_eb00_0000_0000, 0xffff_ebff_ffff_ffff, .hole, "unused hole"),
            Range(0xffff_ec00_0000_0000, 0xffff_fbff_ffff_ffff, .kasanShadow, "KASAN shadow memory"),
            Range(0xffff_fc00_0000_0000, 0xffff_fdff_ffff_ffff, .hole, "unused hole"),
            Range(0xffff_fe00_0000_0000, 0xffff_fe7f_ffff_ffff, .cpuEntryArea, "cpu_entry_area mapping"),
            Range(0xffff_fe80_0000_0000, 0xffff_feff_ffff_ffff, .ldtRemap, "LDT remap for PTI"),
        ] + x86Top.dropFirst(), poisonPointerDelta: 0xdead_0000_0000_0000)

    /// x86_64 4.19 - 6.x, 4-level paging, without memory-region randomization.
    public static let x86FourLevel = AddressLayout(
        name: "x86_64-4level", architecture: .amd64, releases: "4.19 - 6.x",
        source: "Documentation/x86/x86_64/mm.rst (4.19, 6.6); page_64_types.h, pgtable_64_types.h (6.6)",
        ranges: x86LowerHalf + [
            Range(0xffff_8000_0000_0000, 0xffff_87ff_ffff_ffff, .guardHole, "guard hole (hypervisor)"),
            Range(0xffff_8800_0000_0000, 0xffff_887f_ffff_ffff, .ldtRemap, "LDT remap for PTI"),
            Range(0xffff_8880_0000_0000, 0xffff_c87f_ffff_ffff, .directMap, "direct mapping of all RAM"),
            Range(0xffff_c880_0000_0000, 0xffff_c8ff_ffff_ffff, .hole, "unused hole"),
            Range(0xffff_c900_0000_0000, 0xffff_e8ff_ffff_ffff, .vmalloc, "vmalloc/ioremap space"),
            Range(0xffff_e900_0000_0000, 0xffff_e9ff_ffff_ffff, .hole, "unused hole"),
            Range(0xffff_ea00_0000_0000, 0xffff_eaff_ffff_ffff, .vmemmap, "virtual memory map (struct page array)"),
            Range(0xffff_eb00_0000_0000, 0xffff_ebff_ffff_ffff, .hole, "unused hole"),
            Range(0xffff_ec00_0000_0000, 0xffff_fbff_ffff_ffff, .kasanShadow, "KASAN shadow memory"),
            Range(0xffff_fc00_0000_0000, 0xffff_fdff_ffff_ffff, .hole, "unused hole"),
        ] + x86Top, poisonPointerDelta: 0xdead_0000_0000_0000)

    /// x86_64 with 5-level paging (LA57).
    public static let x86FiveLevel = AddressLayout(
        name: "x86_64-5level", architecture: .amd64, releases: "4.14+ with CONFIG_X86_5LEVEL and LA57",
        source: "Documentation/x86/x86_64/mm.rst (6.6)",
        ranges: [
            Range(0x0000, 0x0fff, .null, "NULL page"),
            Range(0x1000, 0x00ff_ffff_ffff_ffff, .user, "user space"),
            Range(0x0100_0000_0000_0000, 0xfeff_ffff_ffff_ffff, .nonCanonical, "non-canonical (5-level paging): #GP"),
            Range(0xff00_0000_0000_0000, 0xff0f_ffff_ffff_ffff, .guardHole, "guard hole (hypervisor)"),
            Range(0xff10_0000_0000_0000, 0xff10_ffff_ffff_ffff, .ldtRemap, "LDT remap for PTI"),
            Range(0xff11_0000_0000_0000, 0xff90_ffff_ffff_ffff, .directMap, "direct mapping of all RAM"),
            Range(0xff91_0000_0000_0000, 0xff9f_ffff_ffff_ffff, .hole, "unused hole"),
            Range(0xffa0_0000_0000_0000, 0xffd1_ffff_ffff_ffff, .vmalloc, "vmalloc/ioremap space"),
            Range(0xffd2_0000_0000_0000, 0xffd3_ffff_ffff_ffff, .hole, "unused hole"),
            Range(0xffd4_0000_0000_0000, 0xffd5_ffff_ffff_ffff, .vmemmap, "virtual memory map (struct page array)"),
            Range(0xffd6_0000_0000_0000, 0xffde_ffff_ffff_ffff, .hole, "unused hole"),
            Range(0xffdf_0000_0000_0000, 0xffff_fbff_ffff_ffff, .kasanShadow, "KASAN shadow memory"),
            Range(0xffff_fc00_0000_0000, 0xffff_fdff_ffff_ffff, .hole, "unused hole"),
        ] + x86Top, poisonPointerDelta: 0xdead_0000_0000_0000)

    /// i386 with the default 3G/1G split.
    ///
    /// Lowmem up to ~896 MB, an 8 MB gap, then vmalloc and modules with pkmap, LDT,
    /// cpu_entry_area and fixmap stacked below the top. Where vmalloc
    /// ends depends on NR_CPUS and HIGHMEM (PKMAP_BASE, CPU_ENTRY_AREA_BASE), so the map does
    /// not draw a boundary there.
    public static let i386 = AddressLayout(
        name: "i386-3g1g", architecture: .i386, releases: "2.6 - 6.x, CONFIG_PAGE_OFFSET 0xc0000000",
        source: "asm/page_32_types.h, pgtable_32_types.h (4.19); high_memory and vmalloc= change the boundaries",
        ranges: [
            Range(0x0000, 0x0fff, .null, "NULL page"),
            Range(0x1000, 0xbfff_ffff, .user, "user space"),
            Range(0xc000_0000, 0xf7ff_ffff, .lowmem, "lowmem (direct map, up to ~896 MB)"),
            Range(0xf800_0000, 0xf87f_ffff, .hole, "8 MB gap after high_memory"),
            Range(
                0xf880_0000, 0xffff_ffff, .vmalloc,
                "vmalloc/ioremap and modules, then pkmap / LDT / cpu_entry_area / fixmap stacked below the top"),
        ])
}
