// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import Testing

/// The kernel's fragmentation arithmetic against values worked out by hand.
@Suite("Fragmentation indices and watermark checks")
struct FragmentationIndexTests {
    /// The seed's Normal zone (corpora/page-alloc-failure/seed-md-order7-vd-fragmented-normal.log):
    /// `1637*4kB 900*8kB 1200*16kB 1500*32kB 2100*64kB 1800*128kB 1200*256kB 0*512kB … = 752948kB`.
    let seed: [Int64] = [1637, 900, 1200, 1500, 2100, 1800, 1200, 0, 0, 0, 0]

    @Test("order 7 of the seed: nothing suitable, unusable 1000, fragmentation 858")
    func seedOrder7() {
        let info = ContiguousFreeInfo(counts: seed, order: 7)
        // F = 1637 + 900·2 + 1200·4 + 1500·8 + 2100·16 + 1800·32 + 1200·64
        //   = 1637 + 1800 + 4800 + 12000 + 33600 + 57600 + 76800 = 188237 pages (= 752948kB / 4)
        #expect(info.freePages == 188_237)
        // blocks = 1637 + 900 + 1200 + 1500 + 2100 + 1800 + 1200 = 10337
        #expect(info.freeBlocksTotal == 10_337)
        #expect(info.freeBlocksSuitable == 0)
        // unusable = (188237 − 0) · 1000 / 188237 = 1000
        #expect(info.unusableIndex == 1000)
        // 188237·1000 / 2^7 = 1470601; (1000 + 1470601) / 10337 = 142; 1000 − 142 = 858
        #expect(info.fragmentationIndex == 858)
    }

    @Test("order 6 of the seed: 1200 suitable blocks, unusable 592, fragmentation −1000")
    func seedOrder6() {
        let info = ContiguousFreeInfo(counts: seed, order: 6)
        #expect(info.freeBlocksSuitable == 1200)
        // (188237 − 1200·64) · 1000 / 188237 = 111437000 / 188237 = 592
        #expect(info.unusableIndex == 592)
        #expect(info.fragmentationIndex == -1000)
    }

    @Test("nothing free: unusable 1000, fragmentation 0")
    func empty() {
        let info = ContiguousFreeInfo(counts: [0, 0, 0], order: 1)
        #expect(info.unusableIndex == 1000)
        #expect(info.fragmentationIndex == 0)
    }

    @Test("the classic (≤ 4.3) check fails the seed after the order-6 pages are taken away")
    func classicCheck() {
        let flags = AllocationFlags(high: false, harder: false, mayUseCMA: false, classicCheck: true)
        // min 2464kB = 616 pages; free 188237 − (2^7 − 1) = 188110 > 616. Then per order o < 7:
        // free −= c_o·2^o, min /= 2: 186473/308, 184673/154, 179873/77, 167873/38, 134273/19,
        // 76673/9, −127/4 → fails after order 6.
        let check = WatermarkCheck(
            freePages: 188_237, markPages: 616, reservePages: 0, order: 7, counts: seed, letters: [], cmaPages: 0,
            highAtomicPages: 0, flags: flags)
        #expect(check.usableFreePages == 188_110)
        #expect(!check.belowMark)
        #expect(check.failedAfterOrder == 6)
        #expect(!check.passes)
    }

    @Test("an atomic request may go to 3/8 of min; the modern check needs a usable block")
    func modernCheck() {
        let atomic = AllocationFlags(high: true, harder: true, mayUseCMA: false, classicCheck: false)
        // 1432 − 1432/2 = 716; 716 − 716/4 = 537
        #expect(atomic.effectiveMin(1432) == 537)
        let kernel = AllocationFlags(high: false, harder: false, mayUseCMA: false, classicCheck: false)
        // 102304 free pages, order 4: 102304 − 15 = 102289 > 11280, but no block at order ≥ 4.
        let check = WatermarkCheck(
            freePages: 102_304, markPages: 11280, reservePages: 0, order: 4, counts: [80000, 8000, 1500, 38, 0],
            letters: ["UME", "UME", "UME", "UM", ""], cmaPages: 0, highAtomicPages: 0, flags: kernel)
        #expect(check.usableFreePages == 102_289)
        #expect(!check.belowMark)
        #expect(!check.passes)
        // A block only in HighAtomic serves an atomic request, not a GFP_KERNEL one.
        #expect(!kernel.canUse(letters: "H"))
        #expect(atomic.canUse(letters: "H"))
        #expect(!kernel.canUse(letters: "C"))
    }
}
