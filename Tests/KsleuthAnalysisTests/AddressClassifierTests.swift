// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import Testing

/// Both sides of every boundary of `../shared/reference/address-layouts.md`, per layout.
@Suite("Address classification")
struct AddressClassifierTests {
    func expectRegions(_ layout: AddressLayout, _ cases: [(UInt64, AddressRegion)], version: KernelVersion? = nil) {
        let classifier = AddressClassifier(layout: layout, version: version)
        for (value, region) in cases {
            let result = classifier.classify(value)
            #expect(result.region == region, "\(layout.name) \(HexText.format(value)): \(result.description)")
        }
    }

    @Test("x86_64 4-level, 4.19 - 6.x")
    func x86FourLevel() {
        expectRegions(
            .x86FourLevel,
            [
                (0x0000_7fff_ffff_ffff, .user), (0x0000_8000_0000_0000, .nonCanonical),
                (0xffff_7fff_ffff_ffff, .nonCanonical), (0xffff_8000_0000_0000, .guardHole),
                (0xffff_887f_ffff_ffff, .ldtRemap), (0xffff_8880_0000_0000, .directMap),
                (0xffff_c87f_ffff_ffff, .directMap), (0xffff_c880_0000_0000, .hole),
                (0xffff_c8ff_ffff_ffff, .hole), (0xffff_c900_0000_0000, .vmalloc),
                (0xffff_e8ff_ffff_ffff, .vmalloc), (0xffff_e900_0000_0000, .hole),
                (0xffff_ea00_0000_0000, .vmemmap), (0xffff_eaff_ffff_ffff, .vmemmap),
                (0xffff_ec00_0000_0000, .kasanShadow), (0xffff_fe00_0000_0000, .cpuEntryArea),
                (0xffff_ffff_7fff_ffff, .hole), (0xffff_ffff_8000_0000, .kernelText),
                (0xffff_ffff_9fff_ffff, .kernelText), (0xffff_ffff_a000_0000, .kernelTextOrModules),
                (0xffff_ffff_bfff_ffff, .kernelTextOrModules), (0xffff_ffff_c000_0000, .modules),
                (0xffff_ffff_feff_ffff, .modules), (0xffff_ffff_ff00_0000, .fixmap),
                (0xffff_ffff_ff60_0000, .vsyscall),
            ])
    }

    @Test("x86_64 2.6.32 - 3.x and 5-level")
    func x86OtherEras() {
        expectRegions(
            .x86Legacy,
            [
                (0xffff_87ff_ffff_ffff, .hole), (0xffff_8800_0000_0000, .directMap),
                (0xffff_c7ff_ffff_ffff, .directMap), (0xffff_c800_0000_0000, .hole),
                (0xffff_ffff_a000_0000, .modules), (0xffff_ffff_ff5f_ffff, .modules),
            ])
        expectRegions(
            .x86FiveLevel,
            [
                (0x00ff_ffff_ffff_ffff, .user), (0x0100_0000_0000_0000, .nonCanonical),
                (0xfeff_ffff_ffff_ffff, .nonCanonical), (0xff00_0000_0000_0000, .guardHole),
                (0xff10_ffff_ffff_ffff, .ldtRemap), (0xff11_0000_0000_0000, .directMap),
                (0xff90_ffff_ffff_ffff, .directMap), (0xffa0_0000_0000_0000, .vmalloc),
                (0xffd4_0000_0000_0000, .vmemmap),
            ])
        #expect(AddressLayout.layout(for: .amd64, version: KernelVersion(2, 6, 32)).name == "x86_64-4level-2.6")
        #expect(AddressLayout.layout(for: .amd64, version: KernelVersion(6, 1)).name == "x86_64-4level")
    }

    @Test("arm64 VA 48/39 per era, and 52-bit")
    func arm64() {
        expectRegions(
            .arm64v6va48,
            [
                (0x0000_ffff_ffff_ffff, .user), (0x0001_0000_0000_0000, .nonCanonical),
                (0xfffe_ffff_ffff_ffff, .nonCanonical), (0xffff_0000_0000_0000, .directMap),
                (0xffff_7fff_ffff_ffff, .directMap), (0xffff_8000_0000_0000, .modules),
                (0xffff_8000_7fff_ffff, .modules), (0xffff_8000_8000_0000, .vmalloc),
                (0xffff_fbff_efff_ffff, .vmalloc), (0xffff_fbff_f000_0000, .fixmap),
                (0xffff_fc00_0000_0000, .vmemmap), (0xffff_fdff_ffff_ffff, .vmemmap),
            ])
        expectRegions(
            .arm64v5va39,
            [
                (0x0000_007f_ffff_ffff, .user), (0x0000_0080_0000_0000, .nonCanonical),
                (0xffff_ff7f_ffff_ffff, .nonCanonical), (0xffff_ff80_0000_0000, .directMap),
                (0xffff_ffbf_ffff_ffff, .directMap), (0xffff_ffc0_0000_0000, .bpfJit),
                (0xffff_ffc0_0800_0000, .modules), (0xffff_ffc0_1000_0000, .vmalloc),
            ])
        expectRegions(
            .arm64v4va48,
            [
                (0xffff_0000_0000_0000, .modules), (0xffff_0000_0800_0000, .vmalloc),
                (0xffff_7e00_0000_0000, .vmemmap), (0xffff_7fff_ffff_ffff, .vmemmap),
                (0xffff_8000_0000_0000, .directMap),
            ])
        expectRegions(
            .arm64v4va39, [(0xffff_ffbf_ffff_ffff, .vmemmap), (0xffff_ffc0_0000_0000, .directMap)])
        expectRegions(
            .arm64va52,
            [
                (0x000f_ffff_ffff_ffff, .user), (0xffef_ffff_ffff_ffff, .nonCanonical),
                (0xfff0_0000_0000_0000, .directMap), (0xffff_8000_0000_0000, .modules),
            ])
    }

    @Test("arm 3G/1G: user, modules, pkmap, lowmem, the 8 MB gap, vmalloc, vectors")
    func arm32() {
        expectRegions(
            .arm32,
            [
                (0x0000_0fff, .null), (0x0000_1000, .user), (0xbeff_ffff, .user), (0xbf00_0000, .modules),
                (0xbfdf_ffff, .modules), (0xbfe0_0000, .pkmap), (0xbfff_ffff, .pkmap), (0xc000_0000, .lowmem),
                (0xdf90_5000, .lowmem), (0xef7f_ffff, .lowmem), (0xef80_0000, .hole), (0xefff_ffff, .hole),
                (0xf000_0000, .vmalloc), (0xff7f_ffff, .vmalloc), (0xff80_0000, .deviceTree),
                (0xffc8_0000, .fixmap), (0xffff_0000, .vectors),
            ])
        expectRegions(
            .arm32Legacy,
            [(0xeeff_ffff, .lowmem), (0xef00_0000, .hole), (0xef80_0000, .vmalloc), (0xfff0_0000, .fixmap)])
    }

    @Test("i386 3G/1G")
    func i386() {
        expectRegions(.i386, [(0xbfff_ffff, .user), (0xc000_0000, .lowmem), (0xf7ff_ffff, .lowmem)])
    }

    @Test("NULL + offset, ERR_PTR, LIST_POISON, slab poison and magic values")
    func specialValues() {
        let x86 = AddressClassifier(layout: .x86FourLevel, version: KernelVersion(6, 1))
        #expect(x86.classify(0).region == .null)
        #expect(x86.classify(0x10).description.contains("ZERO_SIZE_PTR"))
        #expect(x86.classify(0x18).description.contains("offset 0x18"))
        #expect(x86.classify(0xfff).region == .null)
        #expect(x86.classify(0x1000).region == .user)
        #expect(x86.classify(0xffff_ffff_ffff_fff4).description.contains("ENOMEM"))
        #expect(x86.classify(0xffff_ffff_ffff_ffea).description.contains("-22"))
        #expect(x86.classify(0xffff_ffff_ffff_f001).region == .errPtr)
        #expect(x86.classify(0xffff_ffff_ffff_f000).region == .hole)
        #expect(x86.classify(0xdead_0000_0000_0100).region == .listPoison)
        #expect(x86.classify(0xdead_0000_0000_0122).region == .listPoison)
        #expect(x86.classify(0xdead_0000_0000_0108).description.contains("+ 0x8"))
        #expect(x86.classify(0x6b6b_6b6b_6b6b_6b6b).region == .slabPoison)
        #expect(x86.classify(0x6b6b_6b6b_6b6b_6b73).description.contains("0x8"))
        #expect(x86.classify(0xdfff_fc00_0000_0001).description.contains("KASAN"))
        let legacy = AddressClassifier(layout: .x86Legacy, version: KernelVersion(3, 10))
        #expect(legacy.classify(0xdead_0000_0010_0100).region == .listPoison)
        let arm = AddressClassifier(layout: .arm32, version: KernelVersion(4, 19))
        #expect(arm.classify(0xffff_fff2).description.contains("EFAULT"))
        #expect(arm.classify(0x0000_0200).region == .listPoison)
        #expect(arm.classify(0x6b6b_6b6b).region == .slabPoison)
        #expect(arm.classify(0xdead_4ead).region == .magic)
        #expect(arm.classify(0x1_0000_0000).region == .nonCanonical)
    }
}

/// Every boundary of every layout in the data, checked against `address-layouts.md` typed in
/// by hand here, and classified on both of its sides.
@Suite("Address layouts against the reference")
struct AddressLayoutReferenceTests {
    typealias Span = (start: UInt64, end: UInt64, region: AddressRegion)

    /// x86_64 4-level below the kernel half (§1a; §5 for the NULL page).
    static let x86Lower: [Span] = [
        (0x0, 0xfff, .null), (0x1000, 0x0000_7fff_ffff_ffff, .user),
        (0x0000_8000_0000_0000, 0xffff_7fff_ffff_ffff, .nonCanonical),
    ]

    /// x86_64 from cpu_entry_area up, 4.19 - 6.x column of §1b (the 1 GiB KASLR image area of §1c
    /// splits text and modules; §1b's top hole starts at ffffffffffe00000).
    static let x86Top: [Span] = [
        (0xffff_fe00_0000_0000, 0xffff_fe7f_ffff_ffff, .cpuEntryArea),
        (0xffff_ff00_0000_0000, 0xffff_ff7f_ffff_ffff, .espFixup),
        (0xffff_ffef_0000_0000, 0xffff_fffe_ffff_ffff, .efi),
        (0xffff_ffff_8000_0000, 0xffff_ffff_9fff_ffff, .kernelText),
        (0xffff_ffff_a000_0000, 0xffff_ffff_bfff_ffff, .kernelTextOrModules),
        (0xffff_ffff_c000_0000, 0xffff_ffff_feff_ffff, .modules),
        (0xffff_ffff_ff00_0000, 0xffff_ffff_ff5f_ffff, .fixmap),
        (0xffff_ffff_ff60_0000, 0xffff_ffff_ff60_0fff, .vsyscall),
        (0xffff_ffff_ff60_1000, 0xffff_ffff_ffdf_ffff, .hole),
        (0xffff_ffff_ffe0_0000, 0xffff_ffff_ffff_ffff, .hole),
    ]

    /// arm64 user space and the gap between TTBR0 and TTBR1 (§2 "user" row).
    static func arm64Lower(userTop: UInt64, kernelBottom: UInt64) -> [Span] {
        [(0x0, 0xfff, .null), (0x1000, userTop, .user), (userTop + 1, kernelBottom - 1, .nonCanonical)]
    }

    /// arm 3G/1G up to lowmem (§3: TASK_SIZE 0xbf000000, MODULES_END = PKMAP_BASE 0xbfe00000).
    static let arm32Lower: [Span] = [
        (0x0, 0xfff, .null), (0x1000, 0xbeff_ffff, .user), (0xbf00_0000, 0xbfdf_ffff, .modules),
        (0xbfe0_0000, 0xbfff_ffff, .pkmap),
    ]

    /// arm high vectors (§3 "high vectors").
    static let arm32Vectors: [Span] = [
        (0xffff_0000, 0xffff_0fff, .vectors), (0xffff_1000, 0xffff_7fff, .vectors),
        (0xffff_8000, 0xffff_ffff, .vectors),
    ]

    /// arm64 6.6 VA_BITS=48 from ffff800000000000 up (§2 column "6.6 VA_BITS=48").
    static let arm64v6UpperHalf48: [Span] = [
        (0xffff_8000_0000_0000, 0xffff_8000_7fff_ffff, .modules),
        (0xffff_8000_8000_0000, 0xffff_fbff_efff_ffff, .vmalloc),
        (0xffff_fbff_f000_0000, 0xffff_fbff_fdff_ffff, .fixmap),
        (0xffff_fbff_fe00_0000, 0xffff_fbff_fe7f_ffff, .hole),
        (0xffff_fbff_fe80_0000, 0xffff_fbff_ff7f_ffff, .pciIO),
        (0xffff_fbff_ff80_0000, 0xffff_fbff_ffff_ffff, .hole),
        (0xffff_fc00_0000_0000, 0xffff_fdff_ffff_ffff, .vmemmap),
        (0xffff_fe00_0000_0000, 0xffff_ffff_ffff_ffff, .hole),
    ]

    /// Each layout's ranges as `address-layouts.md` gives them; a range it does not name is a gap
    /// between two it does (a hole).
    static let reference: [String: [Span]] = [
        // §1b, 2.6.32 - 3.10 column (modules and vsyscall as the 3.10 doc has them).
        "x86_64-4level-2.6": x86Lower + [
            (0xffff_8000_0000_0000, 0xffff_80ff_ffff_ffff, .guardHole),
            (0xffff_8100_0000_0000, 0xffff_87ff_ffff_ffff, .hole),
            (0xffff_8800_0000_0000, 0xffff_c7ff_ffff_ffff, .directMap),
            (0xffff_c800_0000_0000, 0xffff_c8ff_ffff_ffff, .hole),
            (0xffff_c900_0000_0000, 0xffff_e8ff_ffff_ffff, .vmalloc),
            (0xffff_e900_0000_0000, 0xffff_e9ff_ffff_ffff, .hole),
            (0xffff_ea00_0000_0000, 0xffff_eaff_ffff_ffff, .vmemmap),
            (0xffff_eb00_0000_0000, 0xffff_feff_ffff_ffff, .hole),
            (0xffff_ff00_0000_0000, 0xffff_ff7f_ffff_ffff, .espFixup),
            (0xffff_ffff_8000_0000, 0xffff_ffff_9fff_ffff, .kernelText),
            (0xffff_ffff_a000_0000, 0xffff_ffff_ff5f_ffff, .modules),
            (0xffff_ffff_ff60_0000, 0xffff_ffff_ffdf_ffff, .vsyscall),
            (0xffff_ffff_ffe0_0000, 0xffff_ffff_ffff_ffff, .hole),
        ],
        // §1b, 4.14 column: LDT remap at the top, no LDT below the direct map.
        "x86_64-4level-4.14": x86Lower + [
            (0xffff_8000_0000_0000, 0xffff_87ff_ffff_ffff, .guardHole),
            (0xffff_8800_0000_0000, 0xffff_c7ff_ffff_ffff, .directMap),
            (0xffff_c800_0000_0000, 0xffff_c8ff_ffff_ffff, .hole),
            (0xffff_c900_0000_0000, 0xffff_e8ff_ffff_ffff, .vmalloc),
            (0xffff_e900_0000_0000, 0xffff_e9ff_ffff_ffff, .hole),
            (0xffff_ea00_0000_0000, 0xffff_eaff_ffff_ffff, .vmemmap),
            (0xffff_eb00_0000_0000, 0xffff_ebff_ffff_ffff, .hole),
            (0xffff_ec00_0000_0000, 0xffff_fbff_ffff_ffff, .kasanShadow),
            (0xffff_fc00_0000_0000, 0xffff_fdff_ffff_ffff, .hole),
            (0xffff_fe00_0000_0000, 0xffff_fe7f_ffff_ffff, .cpuEntryArea),
            (0xffff_fe80_0000_0000, 0xffff_feff_ffff_ffff, .ldtRemap),
        ] + x86Top.dropFirst(),
        // §1b, 4.19 - 6.x column.
        "x86_64-4level": x86Lower + [
            (0xffff_8000_0000_0000, 0xffff_87ff_ffff_ffff, .guardHole),
            (0xffff_8800_0000_0000, 0xffff_887f_ffff_ffff, .ldtRemap),
            (0xffff_8880_0000_0000, 0xffff_c87f_ffff_ffff, .directMap),
            (0xffff_c880_0000_0000, 0xffff_c8ff_ffff_ffff, .hole),
            (0xffff_c900_0000_0000, 0xffff_e8ff_ffff_ffff, .vmalloc),
            (0xffff_e900_0000_0000, 0xffff_e9ff_ffff_ffff, .hole),
            (0xffff_ea00_0000_0000, 0xffff_eaff_ffff_ffff, .vmemmap),
            (0xffff_eb00_0000_0000, 0xffff_ebff_ffff_ffff, .hole),
            (0xffff_ec00_0000_0000, 0xffff_fbff_ffff_ffff, .kasanShadow),
            (0xffff_fc00_0000_0000, 0xffff_fdff_ffff_ffff, .hole),
        ] + x86Top,
        // §1a 5-level row and the 5-level paragraph of §1b (6.6): from fffffc0000000000 as 4-level.
        "x86_64-5level": [
            (0x0, 0xfff, .null), (0x1000, 0x00ff_ffff_ffff_ffff, .user),
            (0x0100_0000_0000_0000, 0xfeff_ffff_ffff_ffff, .nonCanonical),
            (0xff00_0000_0000_0000, 0xff0f_ffff_ffff_ffff, .guardHole),
            (0xff10_0000_0000_0000, 0xff10_ffff_ffff_ffff, .ldtRemap),
            (0xff11_0000_0000_0000, 0xff90_ffff_ffff_ffff, .directMap),
            (0xff91_0000_0000_0000, 0xff9f_ffff_ffff_ffff, .hole),
            (0xffa0_0000_0000_0000, 0xffd1_ffff_ffff_ffff, .vmalloc),
            (0xffd2_0000_0000_0000, 0xffd3_ffff_ffff_ffff, .hole),
            (0xffd4_0000_0000_0000, 0xffd5_ffff_ffff_ffff, .vmemmap),
            (0xffd6_0000_0000_0000, 0xffde_ffff_ffff_ffff, .hole),
            (0xffdf_0000_0000_0000, 0xffff_fbff_ffff_ffff, .kasanShadow),
            (0xffff_fc00_0000_0000, 0xffff_fdff_ffff_ffff, .hole),
        ] + x86Top,
        // §4: PAGE_OFFSET 0xc0000000, ~896 MB lowmem to 0xf7ffffff, VMALLOC_START = high_memory + 8 MB;
        // the regions stacked below the top have no fixed bound in the reference.
        "i386-3g1g": [
            (0x0, 0xfff, .null), (0x1000, 0xbfff_ffff, .user), (0xc000_0000, 0xf7ff_ffff, .lowmem),
            (0xf800_0000, 0xf87f_ffff, .hole), (0xf880_0000, 0xffff_ffff, .vmalloc),
        ],
        // §2, "4.x VA_BITS=48": FIXADDR_TOP ffff7dfffec00000, 2 MB below PCI I/O.
        "arm64-4.x-va48": arm64Lower(userTop: 0x0000_ffff_ffff_ffff, kernelBottom: 0xffff_0000_0000_0000) + [
            (0xffff_0000_0000_0000, 0xffff_0000_07ff_ffff, .modules),
            (0xffff_0000_0800_0000, 0xffff_7dff_bffe_ffff, .vmalloc),
            (0xffff_7dff_bfff_0000, 0xffff_7dff_febf_ffff, .fixmap),
            (0xffff_7dff_fec0_0000, 0xffff_7dff_fedf_ffff, .hole),
            (0xffff_7dff_fee0_0000, 0xffff_7dff_ffdf_ffff, .pciIO),
            (0xffff_7dff_ffe0_0000, 0xffff_7dff_ffff_ffff, .hole),
            (0xffff_7e00_0000_0000, 0xffff_7fff_ffff_ffff, .vmemmap),
            (0xffff_8000_0000_0000, 0xffff_ffff_ffff_ffff, .directMap),
        ],
        // §2, "4.x VA_BITS=39".
        "arm64-4.x-va39": arm64Lower(userTop: 0x0000_007f_ffff_ffff, kernelBottom: 0xffff_ff80_0000_0000) + [
            (0xffff_ff80_0000_0000, 0xffff_ff80_07ff_ffff, .modules),
            (0xffff_ff80_0800_0000, 0xffff_ffbe_bffe_ffff, .vmalloc),
            (0xffff_ffbe_bfff_0000, 0xffff_ffbe_febf_ffff, .fixmap),
            (0xffff_ffbe_fec0_0000, 0xffff_ffbe_fedf_ffff, .hole),
            (0xffff_ffbe_fee0_0000, 0xffff_ffbe_ffdf_ffff, .pciIO),
            (0xffff_ffbe_ffe0_0000, 0xffff_ffbe_ffff_ffff, .hole),
            (0xffff_ffbf_0000_0000, 0xffff_ffbf_ffff_ffff, .vmemmap),
            (0xffff_ffc0_0000_0000, 0xffff_ffff_ffff_ffff, .directMap),
        ],
        // §2, "5.x VA_BITS=48": 128 MB BPF JIT region before the modules; FIXADDR_TOP fffffdfffea00000.
        "arm64-5.x-va48": arm64Lower(userTop: 0x0000_ffff_ffff_ffff, kernelBottom: 0xffff_0000_0000_0000) + [
            (0xffff_0000_0000_0000, 0xffff_7fff_ffff_ffff, .directMap),
            (0xffff_8000_0000_0000, 0xffff_8000_07ff_ffff, .bpfJit),
            (0xffff_8000_0800_0000, 0xffff_8000_0fff_ffff, .modules),
            (0xffff_8000_1000_0000, 0xffff_fdff_bffe_ffff, .vmalloc),
            (0xffff_fdff_bfff_0000, 0xffff_fdff_fe9f_ffff, .fixmap),
            (0xffff_fdff_fea0_0000, 0xffff_fdff_febf_ffff, .hole),
            (0xffff_fdff_fec0_0000, 0xffff_fdff_ffbf_ffff, .pciIO),
            (0xffff_fdff_ffc0_0000, 0xffff_fdff_ffdf_ffff, .hole),
            (0xffff_fdff_ffe0_0000, 0xffff_ffff_ffdf_ffff, .vmemmap),
            (0xffff_ffff_ffe0_0000, 0xffff_ffff_ffff_ffff, .hole),
        ],
        // §2, "5.10 VA_BITS=39" (PCI I/O 16 MB from fffffffefec00000).
        "arm64-5.x-va39": arm64Lower(userTop: 0x0000_007f_ffff_ffff, kernelBottom: 0xffff_ff80_0000_0000) + [
            (0xffff_ff80_0000_0000, 0xffff_ffbf_ffff_ffff, .directMap),
            (0xffff_ffc0_0000_0000, 0xffff_ffc0_07ff_ffff, .bpfJit),
            (0xffff_ffc0_0800_0000, 0xffff_ffc0_0fff_ffff, .modules),
            (0xffff_ffc0_1000_0000, 0xffff_fffe_bffe_ffff, .vmalloc),
            (0xffff_fffe_bfff_0000, 0xffff_fffe_fe9f_ffff, .fixmap),
            (0xffff_fffe_fea0_0000, 0xffff_fffe_febf_ffff, .hole),
            (0xffff_fffe_fec0_0000, 0xffff_fffe_ffbf_ffff, .pciIO),
            (0xffff_fffe_ffc0_0000, 0xffff_fffe_ffdf_ffff, .hole),
            (0xffff_fffe_ffe0_0000, 0xffff_ffff_ffdf_ffff, .vmemmap),
            (0xffff_ffff_ffe0_0000, 0xffff_ffff_ffff_ffff, .hole),
        ],
        // §2, "6.6 VA_BITS=48".
        "arm64-6.x-va48": arm64Lower(userTop: 0x0000_ffff_ffff_ffff, kernelBottom: 0xffff_0000_0000_0000) + [
            (0xffff_0000_0000_0000, 0xffff_7fff_ffff_ffff, .directMap)
        ] + arm64v6UpperHalf48,
        // §2, "6.6 VA_BITS=39": FIXADDR_TOP fffffffdfe000000.
        "arm64-6.x-va39": arm64Lower(userTop: 0x0000_007f_ffff_ffff, kernelBottom: 0xffff_ff80_0000_0000) + [
            (0xffff_ff80_0000_0000, 0xffff_ffbf_ffff_ffff, .directMap),
            (0xffff_ffc0_0000_0000, 0xffff_ffc0_7fff_ffff, .modules),
            (0xffff_ffc0_8000_0000, 0xffff_fffd_efff_ffff, .vmalloc),
            (0xffff_fffd_f000_0000, 0xffff_fffd_fdff_ffff, .fixmap),
            (0xffff_fffd_fe00_0000, 0xffff_fffd_fe7f_ffff, .hole),
            (0xffff_fffd_fe80_0000, 0xffff_fffd_ff7f_ffff, .pciIO),
            (0xffff_fffd_ff80_0000, 0xffff_fffd_ffff_ffff, .hole),
            (0xffff_fffe_0000_0000, 0xffff_fffe_ffff_ffff, .vmemmap),
            (0xffff_ffff_0000_0000, 0xffff_ffff_ffff_ffff, .hole),
        ],
        // §2 52-bit paragraph: linear map fff0000000000000 - ffff7fffffffffff, the rest as 48-bit.
        "arm64-va52": arm64Lower(userTop: 0x000f_ffff_ffff_ffff, kernelBottom: 0xfff0_0000_0000_0000) + [
            (0xfff0_0000_0000_0000, 0xffff_7fff_ffff_ffff, .directMap)
        ] + arm64v6UpperHalf48,
        // §3 with the 3.x values: vmalloc_min 0xef000000, VMALLOC_END 0xff000000, fixmap 0xfff00000 - 0xfffe0000.
        "arm32-3g1g-3.x": arm32Lower + [
            (0xc000_0000, 0xeeff_ffff, .lowmem), (0xef00_0000, 0xef7f_ffff, .hole),
            (0xef80_0000, 0xfeff_ffff, .vmalloc), (0xff00_0000, 0xffef_ffff, .hole),
            (0xfff0_0000, 0xfffd_ffff, .fixmap), (0xfffe_0000, 0xfffe_ffff, .hole),
        ] + arm32Vectors,
        // §3 with the 5.10 / 6.6 values: lowmem ceiling 0xef800000, VMALLOC_START 0xf0000000,
        // VMALLOC_END 0xff800000, DT blob, fixmap 0xffc80000 - 0xfff00000 after its guard.
        "arm32-3g1g": arm32Lower + [
            (0xc000_0000, 0xef7f_ffff, .lowmem), (0xef80_0000, 0xefff_ffff, .hole),
            (0xf000_0000, 0xff7f_ffff, .vmalloc), (0xff80_0000, 0xffbf_ffff, .deviceTree),
            (0xffc0_0000, 0xffc7_ffff, .hole), (0xffc8_0000, 0xffef_ffff, .fixmap),
            (0xfff0_0000, 0xfffe_ffff, .hole),
        ] + arm32Vectors,
    ]

    /// The region the reference gives `value` in `spans`, with the values that are not addresses
    /// whatever the map (§5): ERR_PTR at the top of the word, wider than 32 bits on a 32-bit arch.
    static func expected(_ value: UInt64, in spans: [Span], wordSize: Int) -> AddressRegion {
        let top: UInt64 = wordSize == 4 ? 0xffff_ffff : .max
        if value > top { return .nonCanonical }
        if top - value < 4095 { return .errPtr }
        return spans.first { $0.start <= value && value <= $0.end }?.region ?? .hole
    }

    @Test("every layout's ranges are the reference's, boundary by boundary", arguments: AddressLayout.all.map(\.name))
    func boundariesMatchReference(_ name: String) throws {
        let layout = try #require(AddressLayout.named(name))
        let spans = try #require(Self.reference[name], "no reference table typed for \(name)")
        #expect(layout.ranges.count == spans.count, "\(name): \(layout.ranges.count) ranges, reference \(spans.count)")
        for (range, span) in zip(layout.ranges, spans) {
            #expect(
                range.start == span.start && range.end == span.end && range.region == span.region,
                """
                \(name): data \(HexText.format(range.start))-\(HexText.format(range.end)) \(range.region.rawValue), \
                reference \(HexText.format(span.start))-\(HexText.format(span.end)) \(span.region.rawValue)
                """)
        }
        #expect(Set(Self.reference.keys) == Set(AddressLayout.all.map(\.name)))
    }

    @Test("both sides of every boundary classify as the reference says", arguments: AddressLayout.all.map(\.name))
    func bothSidesOfEveryBoundary(_ name: String) throws {
        let layout = try #require(AddressLayout.named(name))
        let spans = try #require(Self.reference[name])
        let classifier = AddressClassifier(layout: layout)
        let wordSize = layout.architecture.wordSize
        var probes: [UInt64] = []
        for range in layout.ranges {
            probes += [range.start, range.end]
            if range.start > 0 { probes.append(range.start - 1) }
            if range.end < .max { probes.append(range.end + 1) }
        }
        #expect(probes.count >= 4 * layout.ranges.count - 2)
        for value in probes {
            let wanted = Self.expected(value, in: spans, wordSize: wordSize)
            let result = classifier.classify(value)
            #expect(
                result.region == wanted,
                "\(name) \(HexText.format(value)): \(result.region.rawValue) (\(result.description)), want \(wanted)")
        }
    }
}
