// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

extension GFPLayout {
    /// 2.6.23 to 2.6.30 (read from 2.6.28), with `__GFP_MOVABLE` at 0x100000.
    ///
    /// Grouping pages by mobility (2.6.23) put the flag there; 2.6.31 moved it to 0x8 beside the
    /// zone modifiers. A 2.6.28 page-cache fault prints `gfp_mask=0x1201d2`:
    /// `GFP_HIGHUSER_MOVABLE|__GFP_COLD`.
    public static let linux2628 = GFPLayout(
        name: "2.6.28", releases: "2.6.23 - 2.6.30",
        flags: [
            (0x1, "__GFP_DMA"), (0x2, "__GFP_HIGHMEM"), (0x4, "__GFP_DMA32"),
            (0x10, "__GFP_WAIT"), (0x20, "__GFP_HIGH"), (0x40, "__GFP_IO"), (0x80, "__GFP_FS"),
            (0x100, "__GFP_COLD"), (0x200, "__GFP_NOWARN"), (0x400, "__GFP_REPEAT"), (0x800, "__GFP_NOFAIL"),
            (0x1000, "__GFP_NORETRY"), (0x4000, "__GFP_COMP"), (0x8000, "__GFP_ZERO"),
            (0x10000, "__GFP_NOMEMALLOC"), (0x20000, "__GFP_HARDWALL"), (0x40000, "__GFP_THISNODE"),
            (0x80000, "__GFP_RECLAIMABLE"), (0x100000, "__GFP_MOVABLE"),
        ],
        composites: legacyComposites(transhuge: nil))

    /// The 2.6 family (read from 2.6.32.69): `__GFP_WAIT` is the one reclaim bit.
    public static let linux2632 = GFPLayout(
        name: "2.6.32", releases: "2.6.x",
        flags: [
            (0x1, "__GFP_DMA"), (0x2, "__GFP_HIGHMEM"), (0x4, "__GFP_DMA32"), (0x8, "__GFP_MOVABLE"),
            (0x10, "__GFP_WAIT"), (0x20, "__GFP_HIGH"), (0x40, "__GFP_IO"), (0x80, "__GFP_FS"),
            (0x100, "__GFP_COLD"), (0x200, "__GFP_NOWARN"), (0x400, "__GFP_REPEAT"), (0x800, "__GFP_NOFAIL"),
            (0x1000, "__GFP_NORETRY"), (0x4000, "__GFP_COMP"), (0x8000, "__GFP_ZERO"),
            (0x10000, "__GFP_NOMEMALLOC"), (0x20000, "__GFP_HARDWALL"), (0x40000, "__GFP_THISNODE"),
            (0x80000, "__GFP_RECLAIMABLE"), (0x200000, "__GFP_NOTRACK"),
        ],
        composites: legacyComposites(transhuge: nil))

    /// The 3.x family up to 4.3 (read from 3.10.99).
    public static let linux310 = GFPLayout(
        name: "3.10", releases: "3.0 - 4.3",
        flags: v3Flags(bit20: "__GFP_KMEMCG"),
        composites: legacyComposites(transhuge: [
            "__GFP_WAIT", "__GFP_IO", "__GFP_FS", "__GFP_HARDWALL", "__GFP_HIGHMEM", "__GFP_MOVABLE", "__GFP_COMP",
            "__GFP_NOMEMALLOC", "__GFP_NORETRY", "__GFP_NOWARN", "__GFP_NO_KSWAPD",
        ]))

    /// RHEL 7 (3.10.0-xxx.el7): 3.10 with `__GFP_ACCOUNT` backported in place of `__GFP_KMEMCG`.
    public static let rhel7 = GFPLayout(
        name: "3.10.el7", releases: "RHEL 7 3.10.0-*.el7",
        flags: v3Flags(bit20: "__GFP_ACCOUNT"),
        composites: legacyComposites(transhuge: [
            "__GFP_WAIT", "__GFP_IO", "__GFP_FS", "__GFP_HARDWALL", "__GFP_HIGHMEM", "__GFP_MOVABLE", "__GFP_COMP",
            "__GFP_NOMEMALLOC", "__GFP_NORETRY", "__GFP_NOWARN", "__GFP_NO_KSWAPD",
        ]))

    private static func v3Flags(bit20: String) -> [(bit: UInt64, name: String)] {
        [
            (0x1, "__GFP_DMA"), (0x2, "__GFP_HIGHMEM"), (0x4, "__GFP_DMA32"), (0x8, "__GFP_MOVABLE"),
            (0x10, "__GFP_WAIT"), (0x20, "__GFP_HIGH"), (0x40, "__GFP_IO"), (0x80, "__GFP_FS"),
            (0x100, "__GFP_COLD"), (0x200, "__GFP_NOWARN"), (0x400, "__GFP_REPEAT"), (0x800, "__GFP_NOFAIL"),
            (0x1000, "__GFP_NORETRY"), (0x2000, "__GFP_MEMALLOC"), (0x4000, "__GFP_COMP"), (0x8000, "__GFP_ZERO"),
            (0x10000, "__GFP_NOMEMALLOC"), (0x20000, "__GFP_HARDWALL"), (0x40000, "__GFP_THISNODE"),
            (0x80000, "__GFP_RECLAIMABLE"), (0x100000, bit20), (0x200000, "__GFP_NOTRACK"),
            (0x400000, "__GFP_NO_KSWAPD"), (0x800000, "__GFP_OTHER_NODE"), (0x1000000, "__GFP_WRITE"),
        ]
    }

    /// The composites of the `__GFP_WAIT` eras; these kernels printed no names, so the order is
    /// the later `%pGg` order applied to the era's definitions.
    private static func legacyComposites(transhuge: [String]?) -> [Composite] {
        var list: [Composite] = []
        if let transhuge { list.append(Composite("GFP_TRANSHUGE", transhuge)) }
        list += standardComposites(reclaim: ["__GFP_WAIT"], atomic: ["__GFP_HIGH"], nowait: nil)
        return list
    }
}
