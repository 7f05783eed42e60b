// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

extension GFPLayout {
    /// 4.4 (read from 4.4.178): reclaim split into direct and kswapd bits; `__GFP_NOACCOUNT`.
    public static let linux404 = GFPLayout(
        name: "4.4", releases: "4.4", flags: linux404Flags(bit20: "__GFP_NOACCOUNT"), composites: linux404Composites)

    /// 4.5 - 4.9: the 4.4 layout with `__GFP_ACCOUNT` in bit 20 (`0x27080c0(GFP_KERNEL_ACCOUNT|…)`).
    public static let linux405 = GFPLayout(
        name: "4.5", releases: "4.5 - 4.9", flags: linux404Flags(bit20: "__GFP_ACCOUNT"), composites: linux404Composites
    )

    private static func linux404Flags(bit20: String) -> [(bit: UInt64, name: String)] {
        [
            (0x20, "__GFP_HIGH"), (0x80000, "__GFP_ATOMIC"), (0x40, "__GFP_IO"), (0x80, "__GFP_FS"),
            (0x100, "__GFP_COLD"), (0x200, "__GFP_NOWARN"), (0x400, "__GFP_REPEAT"), (0x800, "__GFP_NOFAIL"),
            (0x1000, "__GFP_NORETRY"), (0x2000, "__GFP_MEMALLOC"), (0x4000, "__GFP_COMP"), (0x8000, "__GFP_ZERO"),
            (0x10000, "__GFP_NOMEMALLOC"), (0x20000, "__GFP_HARDWALL"), (0x40000, "__GFP_THISNODE"),
            (0x10, "__GFP_RECLAIMABLE"), (0x8, "__GFP_MOVABLE"), (0x100000, bit20), (0x200000, "__GFP_NOTRACK"),
            (0x400000, "__GFP_DIRECT_RECLAIM"), (0x800000, "__GFP_OTHER_NODE"), (0x1000000, "__GFP_WRITE"),
            (0x2000000, "__GFP_KSWAPD_RECLAIM"), (0x1, "__GFP_DMA"), (0x2, "__GFP_HIGHMEM"), (0x4, "__GFP_DMA32"),
        ]
    }

    private static let linux404Composites: [Composite] =
        [
            Composite(
                "GFP_TRANSHUGE",
                [
                    "__GFP_DIRECT_RECLAIM", "__GFP_IO", "__GFP_FS", "__GFP_HARDWALL", "__GFP_HIGHMEM",
                    "__GFP_MOVABLE", "__GFP_COMP", "__GFP_NOMEMALLOC", "__GFP_NORETRY", "__GFP_NOWARN",
                ])
        ]
        + standardComposites(
            reclaim: ["__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM"],
            atomic: ["__GFP_HIGH", "__GFP_ATOMIC", "__GFP_KSWAPD_RECLAIM"], nowait: ["__GFP_KSWAPD_RECLAIM"])

    /// 4.10 - 4.17 (read from 4.14.67; Ubuntu 4.15 prints it too).
    public static let linux414 = GFPLayout(
        name: "4.14", releases: "4.10 - 4.17",
        flags: [
            (0x20, "__GFP_HIGH"), (0x80000, "__GFP_ATOMIC"), (0x40, "__GFP_IO"), (0x80, "__GFP_FS"),
            (0x100, "__GFP_COLD"), (0x200, "__GFP_NOWARN"), (0x400, "__GFP_RETRY_MAYFAIL"),
            (0x800, "__GFP_NOFAIL"), (0x1000, "__GFP_NORETRY"), (0x4000, "__GFP_COMP"), (0x8000, "__GFP_ZERO"),
            (0x10000, "__GFP_NOMEMALLOC"), (0x2000, "__GFP_MEMALLOC"), (0x20000, "__GFP_HARDWALL"),
            (0x40000, "__GFP_THISNODE"), (0x10, "__GFP_RECLAIMABLE"), (0x8, "__GFP_MOVABLE"),
            (0x100000, "__GFP_ACCOUNT"), (0x800000, "__GFP_WRITE"), (0x400000, "__GFP_DIRECT_RECLAIM"),
            (0x1000000, "__GFP_KSWAPD_RECLAIM"), (0x2000000, "__GFP_NOLOCKDEP"), (0x1, "__GFP_DMA"),
            (0x2, "__GFP_HIGHMEM"), (0x4, "__GFP_DMA32"),
        ],
        composites: modernComposites(atomicBit: true))

    /// 4.18 - 4.20 (read from 4.19.108; RHEL 8 4.18 prints it).
    public static let linux419 = GFPLayout(
        name: "4.19", releases: "4.18 - 4.20",
        flags: [
            (0x20, "__GFP_HIGH"), (0x80000, "__GFP_ATOMIC"), (0x40, "__GFP_IO"), (0x80, "__GFP_FS"),
            (0x200, "__GFP_NOWARN"), (0x400, "__GFP_RETRY_MAYFAIL"), (0x800, "__GFP_NOFAIL"),
            (0x1000, "__GFP_NORETRY"), (0x4000, "__GFP_COMP"), (0x8000, "__GFP_ZERO"),
            (0x10000, "__GFP_NOMEMALLOC"), (0x2000, "__GFP_MEMALLOC"), (0x20000, "__GFP_HARDWALL"),
            (0x40000, "__GFP_THISNODE"), (0x10, "__GFP_RECLAIMABLE"), (0x8, "__GFP_MOVABLE"),
            (0x100000, "__GFP_ACCOUNT"), (0x100, "__GFP_WRITE"), (0x200000, "__GFP_DIRECT_RECLAIM"),
            (0x400000, "__GFP_KSWAPD_RECLAIM"), (0x800000, "__GFP_NOLOCKDEP"), (0x1, "__GFP_DMA"),
            (0x2, "__GFP_HIGHMEM"), (0x4, "__GFP_DMA32"),
        ],
        composites: modernComposites(atomicBit: true))

    /// The composites of 4.14 and later, with the transparent-hugepage masks first.
    static func modernComposites(atomicBit: Bool, extraMovable: [String] = [], nowaitNoWarn: Bool = false)
        -> [Composite]
    {
        let light = [
            "__GFP_IO", "__GFP_FS", "__GFP_HARDWALL", "__GFP_HIGHMEM", "__GFP_MOVABLE", "__GFP_COMP",
            "__GFP_NOMEMALLOC", "__GFP_NOWARN",
        ]
        let atomic =
            atomicBit
            ? ["__GFP_HIGH", "__GFP_ATOMIC", "__GFP_KSWAPD_RECLAIM"] : ["__GFP_HIGH", "__GFP_KSWAPD_RECLAIM"]
        let nowait = nowaitNoWarn ? ["__GFP_KSWAPD_RECLAIM", "__GFP_NOWARN"] : ["__GFP_KSWAPD_RECLAIM"]
        return [
            Composite("GFP_TRANSHUGE", light + ["__GFP_DIRECT_RECLAIM"]), Composite("GFP_TRANSHUGE_LIGHT", light),
        ]
            + standardComposites(
                reclaim: ["__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM"], atomic: atomic, nowait: nowait,
                extraMovable: extraMovable)
    }
}
