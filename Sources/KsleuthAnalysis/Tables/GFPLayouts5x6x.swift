// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

extension GFPLayout {
    /// The flags whose bits stayed put from 5.0 to today.
    private static let v5Base: [(bit: UInt64, name: String)] = [
        (0x20, "__GFP_HIGH"), (0x40, "__GFP_IO"), (0x80, "__GFP_FS"), (0x2000, "__GFP_NOWARN"),
        (0x4000, "__GFP_RETRY_MAYFAIL"), (0x8000, "__GFP_NOFAIL"), (0x10000, "__GFP_NORETRY"),
        (0x40000, "__GFP_COMP"), (0x100, "__GFP_ZERO"), (0x80000, "__GFP_NOMEMALLOC"), (0x20000, "__GFP_MEMALLOC"),
        (0x100000, "__GFP_HARDWALL"), (0x200000, "__GFP_THISNODE"), (0x10, "__GFP_RECLAIMABLE"),
        (0x8, "__GFP_MOVABLE"), (0x400000, "__GFP_ACCOUNT"), (0x1000, "__GFP_WRITE"),
        (0x400, "__GFP_DIRECT_RECLAIM"), (0x800, "__GFP_KSWAPD_RECLAIM"), (0x1, "__GFP_DMA"), (0x2, "__GFP_HIGHMEM"),
        (0x4, "__GFP_DMA32"),
    ]

    /// 5.0 - 5.14 (read from 5.4.286 and 5.10.89).
    public static let linux504 = GFPLayout(
        name: "5.4", releases: "5.0 - 5.14",
        flags: v5Base + [(0x200, "__GFP_ATOMIC"), (0x800000, "__GFP_NOLOCKDEP")],
        composites: modernComposites(atomicBit: true))

    /// 5.15 - 6.0 (read from 5.15.135): `__GFP_SKIP_KASAN_POISON` is part of GFP_HIGHUSER_MOVABLE.
    public static let linux515 = GFPLayout(
        name: "5.15", releases: "5.15 - 6.0",
        flags: v5Base + [
            (0x200, "__GFP_ATOMIC"), (0x800000, "__GFP_ZEROTAGS"), (0x1000000, "__GFP_SKIP_KASAN_POISON"),
            (0x2000000, "__GFP_NOLOCKDEP"),
        ],
        composites: modernComposites(atomicBit: true, extraMovable: ["__GFP_SKIP_KASAN_POISON"]))

    /// 6.1 - 6.5 (read from 6.1.141); the KASAN bits exist only with `CONFIG_KASAN_HW_TAGS`.
    public static let linux601 = GFPLayout(
        name: "6.1", releases: "6.1 - 6.5",
        flags: v5Base + [
            (0x200, "__GFP_ATOMIC"), (0x800000, "__GFP_ZEROTAGS"), (0x1000000, "__GFP_SKIP_ZERO"),
            (0x2000000, "__GFP_SKIP_KASAN_UNPOISON"), (0x4000000, "__GFP_SKIP_KASAN_POISON"),
            (0x8000000, "__GFP_NOLOCKDEP"),
        ],
        composites: modernComposites(
            atomicBit: true, extraMovable: ["__GFP_SKIP_KASAN_POISON", "__GFP_SKIP_KASAN_UNPOISON"]))

    /// 6.6 - 6.9 (read from 6.6.57): `__GFP_ATOMIC` gone, bit 0x200 unused.
    public static let linux606 = GFPLayout(
        name: "6.6", releases: "6.6 - 6.9",
        flags: v5Base + [
            (0x800000, "__GFP_ZEROTAGS"), (0x1000000, "__GFP_SKIP_ZERO"), (0x2000000, "__GFP_SKIP_KASAN"),
            (0x4000000, "__GFP_NOLOCKDEP"),
        ],
        composites: modernComposites(atomicBit: false, extraMovable: ["__GFP_SKIP_KASAN"]))

    /// 6.10 - 6.13 (read from 6.12.19): an enum; bits above `__GFP_ZEROTAGS` depend on the
    /// configuration and are left undecoded.
    public static let linux610 = GFPLayout(
        name: "6.10", releases: "6.10 - 6.13",
        flags: v5Base + [(0x800000, "__GFP_ZEROTAGS")],
        composites: modernComposites(atomicBit: false, nowaitNoWarn: true),
        undecodedAbove: 0x800000)

    /// 6.14 and later (read from 6.18.2): the bits of 6.10, but mmflags.h prints the single flags
    /// from its `TRACE_GFP_FLAGS` list, in bit order, after the composites `GFP_DMA`, `GFP_DMA32`
    /// and `__GFP_RECLAIM` (`__GFP_HIGHMEM` is no longer a composite of its own):
    /// `mode:0xd2050(__GFP_RECLAIMABLE|__GFP_IO|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_NOMEMALLOC)`.
    public static let linux614 = GFPLayout(
        name: "6.14", releases: "6.14 and later",
        flags: (v5Base + [(0x800000, "__GFP_ZEROTAGS")]).sorted { $0.bit < $1.bit },
        composites: modernComposites(atomicBit: false, nowaitNoWarn: true).filter { $0.name != "__GFP_HIGHMEM" },
        undecodedAbove: 0x800000)
}
