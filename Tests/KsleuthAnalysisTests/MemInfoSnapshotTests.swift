// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents
import Testing

/// `/proc/meminfo` and `free` snapshots against values worked out by hand.
@Suite("Memory snapshots")
struct MemInfoSnapshotTests {
    func lines(_ text: String) -> [Substring] { text.split(separator: "\n") }

    @Test("/proc/meminfo: used vs buff/cache vs available, user vs kernel")
    func meminfo() throws {
        let text = """
            MemTotal:       16318236 kB
            MemFree:         1203412 kB
            MemAvailable:    9876540 kB
            Buffers:          402112 kB
            Cached:          8123400 kB
            SwapCached:         1024 kB
            Active:          7312000 kB
            Inactive:        5990000 kB
            SwapTotal:       2097148 kB
            SwapFree:        2086908 kB
            AnonPages:       4987650 kB
            Mapped:           701234 kB
            Shmem:            312400 kB
            KReclaimable:     611200 kB
            Slab:             799500 kB
            SReclaimable:     611200 kB
            SUnreclaim:       188300 kB
            KernelStack:       18432 kB
            PageTables:        61240 kB
            VmallocUsed:       52300 kB
            Percpu:             9216 kB
            HugePages_Total:       0
            HugePages_Free:        0
            Hugepagesize:       2048 kB
            DirectMap4k:      512000 kB
            """
        let snapshot = try #require(MemInfoSnapshotAnalyzer().snapshot(lines: lines(text)))
        #expect(snapshot.source == "meminfo")
        #expect(snapshot.totalKB == 16_318_236)
        #expect(snapshot.availableKB == 9_876_540)
        // buff/cache = Buffers + Cached + SReclaimable = 402112 + 8123400 + 611200.
        #expect(snapshot.buffCacheKB == 9_136_712)
        // used = total - free - buff/cache = 16318236 - 1203412 - 9136712.
        #expect(snapshot.usedKB == 5_978_112)
        // file pages = Buffers + Cached - Shmem.
        #expect(snapshot.pageCacheKB == 8_213_112)
        #expect(snapshot.hugePagesKB == 0)
        // 16318236 - (1203412 + 4987650 + 402112 + 8123400 + 1024 + 611200 + 188300 + 61240 + 18432).
        #expect(snapshot.unaccountedKB == 721_466)
        #expect(snapshot.userKB == 5_300_050)
        // 611200 + 188300 + 61240 + 18432 + 0 + 721466.
        #expect(snapshot.kernelKB == 1_600_638)
        let memory = MemInfoSnapshotAnalyzer.details(snapshot)["memory"]
        guard case .object(let fields)? = memory else {
            Issue.record("no memory object")
            return
        }
        #expect(fields["swap_free_kb"] == .integer(2_086_908))
        #expect(fields["percpu_kb"] == .integer(9216))
    }

    @Test("free (procps 3.3+) in kB")
    func freeModern() throws {
        let text = """
                           total        used        free      shared  buff/cache   available
            Mem:        16318236     5978112     1203412      312400     9136712     9876540
            Swap:        2097148       10240     2086908
            """
        let snapshot = try #require(MemInfoSnapshotAnalyzer().snapshot(lines: lines(text)))
        #expect(snapshot.source == "free")
        #expect(snapshot.usedKB == 5_978_112)
        #expect(snapshot.buffCacheKB == 9_136_712)
        #expect(snapshot.availableKB == 9_876_540)
        #expect(snapshot.shmemKB == 312_400)
        #expect(snapshot.swapTotalKB == 2_097_148)
        #expect(snapshot.swapFreeKB == 2_086_908)
    }

    @Test("free before procps 3.3.10: buffers and cached columns")
    func freeOld() throws {
        let text = """
                         total       used       free     shared    buffers     cached
            Mem:       8061404    7854112     207292          0     301420    5120044
            -/+ buffers/cache:    2432648    5628756
            Swap:      2097148      10240    2086908
            """
        let snapshot = try #require(MemInfoSnapshotAnalyzer().snapshot(lines: lines(text)))
        // 8061404 - 207292 - (301420 + 5120044), the kernel's own "-/+ buffers/cache" used value.
        #expect(snapshot.usedKB == 2_432_648)
        #expect(snapshot.buffersKB == 301_420)
        #expect(snapshot.cachedKB == 5_120_044)
    }

    @Test("free -h and free -m")
    func freeUnits() throws {
        let human = """
                           total        used        free      shared  buff/cache   available
            Mem:            15Gi       5.5Gi       1.5Gi       305Mi       8.0Gi       9.4Gi
            """
        let snapshot = try #require(MemInfoSnapshotAnalyzer().snapshot(lines: lines(human)))
        #expect(snapshot.totalKB == 15_728_640)
        // 15Gi - 1.5Gi - 8.0Gi = 5.5Gi; 15Gi = 15 × 1048576 kB, 305Mi = 305 × 1024 kB.
        #expect(snapshot.usedKB == 5_767_168)
        #expect(snapshot.shmemKB == 312_320)
        let mebibytes = """
                           total        used        free      shared  buff/cache   available
            Mem:           15935        5838        1175         305        8922        9645
            """
        let inMiB = try #require(
            MemInfoSnapshotAnalyzer(freeUnit: FreeOutputUnit(bytesPerUnit: 1_048_576, evidence: .commandLine)).snapshot(
                lines: lines(mebibytes)))
        #expect(inMiB.totalKB == 16_317_440)
        // (15935 - 1175 - 8922) MiB.
        #expect(inMiB.usedKB == 5_978_112)
    }

    @Test("lines that are neither give nothing")
    func neither() {
        #expect(MemInfoSnapshotAnalyzer().snapshot(lines: lines("Mem-Info:\nfree:1234 active_anon:5")) == nil)
    }
}
