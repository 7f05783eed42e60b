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
