// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

extension AddressLayout {
    /// User space and the gap between the two translation ranges for a `vaBits` map.
    static func arm64LowerHalf(vaBits: Int) -> [Range] {
        let userTop: UInt64 = (1 << UInt64(vaBits)) - 1
        let kernelBottom: UInt64 = ~userTop
        return [
            Range(0x0000, 0x0fff, .null, "NULL page"),
            Range(0x1000, userTop, .user, "user space (TTBR0)"),
            Range(userTop + 1, kernelBottom - 1, .nonCanonical, "outside both \(vaBits)-bit VA ranges"),
        ]
    }

    /// arm64 4.x, VA_BITS=48: linear map in the upper half (before the 5.4 flip).
    public static let arm64v4va48 = AddressLayout(
        name: "arm64-4.x-va48", architecture: .arm64, releases: "4.x (4.19 read), VA_BITS=48, 4 KiB pages",
        source: "arch/arm64/include/asm/memory.h (4.19.108)",
        ranges: arm64LowerHalf(vaBits: 48) + [
            Range(0xffff_0000_0000_0000, 0xffff_0000_07ff_ffff, .modules, "modules"),
            Range(0xffff_0000_0800_0000, 0xffff_7dff_bffe_ffff, .vmalloc, "vmalloc (kernel image at its start)"),
            Range(
                0xffff_7dff_bfff_0000, 0xffff_7dff_febf_ffff, .fixmap,
                "fixmap (below FIXADDR_TOP) and the gap above vmalloc"),
            Range(0xffff_7dff_fec0_0000, 0xffff_7dff_fedf_ffff, .hole, "2 MB guard between FIXADDR_TOP and PCI I/O"),
            Range(0xffff_7dff_fee0_0000, 0xffff_7dff_ffdf_ffff, .pciIO, "PCI I/O"),
            Range(0xffff_7dff_ffe0_0000, 0xffff_7dff_ffff_ffff, .hole, "guard"),
            Range(0xffff_7e00_0000_0000, 0xffff_7fff_ffff_ffff, .vmemmap, "vmemmap"),
            Range(0xffff_8000_0000_0000, 0xffff_ffff_ffff_ffff, .directMap, "linear map of RAM"),
        ], poisonPointerDelta: 0xdead_0000_0000_0000)

    /// arm64 4.x, VA_BITS=39 (Android 4.x).
    public static let arm64v4va39 = AddressLayout(
        name: "arm64-4.x-va39", architecture: .arm64, releases: "4.x, VA_BITS=39, 4 KiB pages",
        source: "derived from arch/arm64/include/asm/memory.h (4.19.108)",
        ranges: arm64LowerHalf(vaBits: 39) + [
            Range(0xffff_ff80_0000_0000, 0xffff_ff80_07ff_ffff, .modules, "modules"),
            Range(0xffff_ff80_0800_0000, 0xffff_ffbe_bffe_ffff, .vmalloc, "vmalloc (kernel image at its start)"),
            Range(
                0xffff_ffbe_bfff_0000, 0xffff_ffbe_febf_ffff, .fixmap,
                "fixmap (below FIXADDR_TOP) and the gap above vmalloc"),
            Range(0xffff_ffbe_fec0_0000, 0xffff_ffbe_fedf_ffff, .hole, "2 MB guard between FIXADDR_TOP and PCI I/O"),
            Range(0xffff_ffbe_fee0_0000, 0xffff_ffbe_ffdf_ffff, .pciIO, "PCI I/O"),
            Range(0xffff_ffbe_ffe0_0000, 0xffff_ffbe_ffff_ffff, .hole, "guard"),
            Range(0xffff_ffbf_0000_0000, 0xffff_ffbf_ffff_ffff, .vmemmap, "vmemmap"),
            Range(0xffff_ffc0_0000_0000, 0xffff_ffff_ffff_ffff, .directMap, "linear map of RAM"),
        ], poisonPointerDelta: 0xdead_0000_0000_0000)

    /// arm64 5.x, VA_BITS=48: linear map in the lower half of the kernel range (5.4+).
    public static let arm64v5va48 = AddressLayout(
        name: "arm64-5.x-va48", architecture: .arm64, releases: "5.4 - 5.x (5.10 read), VA_BITS=48",
        source: "arch/arm64/include/asm/memory.h (5.10.89), Documentation/arm64/memory.rst",
        ranges: arm64LowerHalf(vaBits: 48) + [
            Range(0xffff_0000_0000_0000, 0xffff_7fff_ffff_ffff, .directMap, "linear map of RAM"),
            Range(0xffff_8000_0000_0000, 0xffff_8000_07ff_ffff, .bpfJit, "BPF JIT region"),
            Range(0xffff_8000_0800_0000, 0xffff_8000_0fff_ffff, .modules, "modules"),
            Range(0xffff_8000_1000_0000, 0xffff_fdff_bffe_ffff, .vmalloc, "vmalloc (kernel image at its start)"),
            Range(
                0xffff_fdff_bfff_0000, 0xffff_fdff_fe9f_ffff, .fixmap,
                "fixmap (below FIXADDR_TOP) and the gap above vmalloc"),
            Range(0xffff_fdff_fea0_0000, 0xffff_fdff_febf_ffff, .hole, "2 MB guard between FIXADDR_TOP and PCI I/O"),
            Range(0xffff_fdff_fec0_0000, 0xffff_fdff_ffbf_ffff, .pciIO, "PCI I/O"),
            Range(0xffff_fdff_ffc0_0000, 0xffff_fdff_ffdf_ffff, .hole, "guard"),
            Range(0xffff_fdff_ffe0_0000, 0xffff_ffff_ffdf_ffff, .vmemmap, "vmemmap"),
            Range(0xffff_ffff_ffe0_0000, 0xffff_ffff_ffff_ffff, .hole, "top guard"),
        ], poisonPointerDelta: 0xdead_0000_0000_0000)

    /// arm64 5.x, VA_BITS=39 (Android 5.10).
    public static let arm64v5va39 = AddressLayout(
        name: "arm64-5.x-va39", architecture: .arm64, releases: "5.4 - 5.x, VA_BITS=39",
        source: "derived from arch/arm64/include/asm/memory.h (5.10.89)",
        ranges: arm64LowerHalf(vaBits: 39) + [
            Range(0xffff_ff80_0000_0000, 0xffff_ffbf_ffff_ffff, .directMap, "linear map of RAM"),
            Range(0xffff_ffc0_0000_0000, 0xffff_ffc0_07ff_ffff, .bpfJit, "BPF JIT region"),
            Range(0xffff_ffc0_0800_0000, 0xffff_ffc0_0fff_ffff, .modules, "modules"),
            Range(0xffff_ffc0_1000_0000, 0xffff_fffe_bffe_ffff, .vmalloc, "vmalloc (kernel image at its start)"),
            Range(
                0xffff_fffe_bfff_0000, 0xffff_fffe_fe9f_ffff, .fixmap,
                "fixmap (below FIXADDR_TOP) and the gap above vmalloc"),
            Range(0xffff_fffe_fea0_0000, 0xffff_fffe_febf_ffff, .hole, "2 MB guard between FIXADDR_TOP and PCI I/O"),
            Range(0xffff_fffe_fec0_0000, 0xffff_fffe_ffbf_ffff, .pciIO, "PCI I/O"),
            Range(0xffff_fffe_ffc0_0000, 0xffff_fffe_ffdf_ffff, .hole, "guard"),
            Range(0xffff_fffe_ffe0_0000, 0xffff_ffff_ffdf_ffff, .vmemmap, "vmemmap"),
            Range(0xffff_ffff_ffe0_0000, 0xffff_ffff_ffff_ffff, .hole, "top guard"),
        ], poisonPointerDelta: 0xdead_0000_0000_0000)

    /// arm64 6.x, VA_BITS=48 (6.6 read): 2 GB module area, image at the start of vmalloc.
    public static let arm64v6va48 = AddressLayout(
        name: "arm64-6.x-va48", architecture: .arm64, releases: "6.x (6.6 read), VA_BITS=48",
        source: "arch/arm64/include/asm/memory.h (6.6.57), Documentation/arm64/memory.rst (6.6)",
        ranges: arm64LowerHalf(vaBits: 48) + [
            Range(0xffff_0000_0000_0000, 0xffff_7fff_ffff_ffff, .directMap, "linear map of RAM"),
            Range(0xffff_8000_0000_0000, 0xffff_8000_7fff_ffff, .modules, "modules (2 GB)"),
            Range(0xffff_8000_8000_0000, 0xffff_fbff_efff_ffff, .vmalloc, "vmalloc (kernel image at its start)"),
            Range(0xffff_fbff_f000_0000, 0xffff_fbff_fdff_ffff, .fixmap, "fixmap"),
            Range(0xffff_fbff_fe00_0000, 0xffff_fbff_fe7f_ffff, .hole, "guard"),
            Range(0xffff_fbff_fe80_0000, 0xffff_fbff_ff7f_ffff, .pciIO, "PCI I/O"),
            Range(0xffff_fbff_ff80_0000, 0xffff_fbff_ffff_ffff, .hole, "guard"),
            Range(0xffff_fc00_0000_0000, 0xffff_fdff_ffff_ffff, .vmemmap, "vmemmap"),
            Range(0xffff_fe00_0000_0000, 0xffff_ffff_ffff_ffff, .hole, "unused"),
        ], poisonPointerDelta: 0xdead_0000_0000_0000)

    /// arm64 6.x, VA_BITS=39.
    public static let arm64v6va39 = AddressLayout(
        name: "arm64-6.x-va39", architecture: .arm64, releases: "6.x, VA_BITS=39",
        source: "derived from arch/arm64/include/asm/memory.h (6.6.57)",
        ranges: arm64LowerHalf(vaBits: 39) + [
            Range(0xffff_ff80_0000_0000, 0xffff_ffbf_ffff_ffff, .directMap, "linear map of RAM"),
            Range(0xffff_ffc0_0000_0000, 0xffff_ffc0_7fff_ffff, .modules, "modules (2 GB)"),
            Range(0xffff_ffc0_8000_0000, 0xffff_fffd_efff_ffff, .vmalloc, "vmalloc (kernel image at its start)"),
            Range(0xffff_fffd_f000_0000, 0xffff_fffd_fdff_ffff, .fixmap, "fixmap"),
            Range(0xffff_fffd_fe00_0000, 0xffff_fffd_fe7f_ffff, .hole, "guard"),
            Range(0xffff_fffd_fe80_0000, 0xffff_fffd_ff7f_ffff, .pciIO, "PCI I/O"),
            Range(0xffff_fffd_ff80_0000, 0xffff_fffd_ffff_ffff, .hole, "guard"),
            Range(0xffff_fffe_0000_0000, 0xffff_fffe_ffff_ffff, .vmemmap, "vmemmap"),
            Range(0xffff_ffff_0000_0000, 0xffff_ffff_ffff_ffff, .hole, "unused"),
        ], poisonPointerDelta: 0xdead_0000_0000_0000)

    /// arm64 with 52-bit VA (64 KiB pages + LVA): the linear map starts at 0xfff0000000000000.
    public static let arm64va52 = AddressLayout(
        name: "arm64-va52", architecture: .arm64, releases: "5.4+ VA_BITS=52 (6.6 read)",
        source: "Documentation/arm64/memory.rst (6.6)",
        ranges: arm64LowerHalf(vaBits: 52) + [
            Range(0xfff0_0000_0000_0000, 0xffff_7fff_ffff_ffff, .directMap, "linear map of RAM")
        ] + arm64v6va48.ranges.filter { $0.start >= 0xffff_8000_0000_0000 },
        poisonPointerDelta: 0xdead_0000_0000_0000)
}
