// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// The real page allocation failures, sysrq-m dumps and zone snapshots of the shared corpus.
///
/// `../shared/corpora/real/page-alloc-failure`, `sysrq-mem` and `proc-snapshots`, against the
/// zone values, buddy counts and failing-order availability read by hand from each file;
/// ``SnapshotRealCorpusTests`` covers the other values of `proc-snapshots`.
@Suite("Real memory dumps", .enabled(if: CorpusLocator.hasSharedCorpora, "needs ../shared corpora"))
struct MemoryDumpRealCorpusTests {
    static var real: URL? { CorpusLocator.sharedRoot?.appendingPathComponent("corpora/real") }

    func incidents(_ file: String) throws -> [Incident] {
        let url = try #require(Self.real?.appendingPathComponent(file))
        let collector = IncidentCollector()
        LogAnalyzer().analyze(path: url.path, into: collector)
        return collector.incidents
    }

    func only(_ file: String, kind: IncidentKind) throws -> Details {
        let matching = try incidents(file).filter { $0.kind == kind }
        try #require(matching.count == 1, "\(file): \(matching.count) \(kind.rawValue) incidents")
        return matching[0].details
    }

    /// The `zones[]` object of `node` and `zone`.
    func zone(_ details: Details, _ node: Int, _ name: String) throws -> Details {
        guard case .list(let zones)? = details["zones"] else { throw MissingZone(node: node, zone: name) }
        for case .object(let zone) in zones
        where zone["node"] == .integer(Int64(node)) && zone["zone"] == .string(name) {
            return zone
        }
        throw MissingZone(node: node, zone: name)
    }

    struct MissingZone: Error {
        var node: Int
        var zone: String
    }

    /// The free blocks per order, from order 0.
    func blocks(_ zone: Details) -> [Int64] {
        guard case .object(let orders)? = zone["free_blocks_by_order"] else { return [] }
        return (0..<orders.entries.count).compactMap { order in
            if case .integer(let count)? = orders[String(order)] { count } else { nil }
        }
    }

    // MARK: sysrq-mem

    @Test("2.6 NUMA sysrq-m: empty zones, hot/cold lists, 'pages of RAM' wording")
    func numaTwoNode26() throws {
        let details = try only("sysrq-mem/lkml-26x-sysrq-m-numa-two-node-empty-zones.log", kind: .memoryDump)
        // "Node 1 Normal free:7320kB min:5692kB low:7112kB high:8536kB …"
        let normal1 = try zone(details, 1, "Normal")
        #expect(normal1.integer(at: "free_kb") == 7320)
        #expect(normal1.integer(at: "min_kb") == 5692)
        // "Node 1 Normal: 10*4kB 28*8kB 13*16kB 4*32kB 1*64kB 2*128kB 1*256kB 0*512kB 0*1024kB
        // 1*2048kB 1*4096kB = 7320kB"
        #expect(blocks(normal1) == [10, 28, 13, 4, 1, 2, 1, 0, 0, 1, 1])
        #expect(normal1.integer(at: "buddy_total_kb") == 7320)
        // "Node 0 DMA free:11412kB min:12kB …"; "19*4kB 19*8kB 19*16kB 18*32kB 17*64kB 12*128kB
        // 6*256kB 6*512kB 3*1024kB 0*2048kB 0*4096kB = 11412kB"
        let dma0 = try zone(details, 0, "DMA")
        #expect(dma0.integer(at: "free_kb") == 11412)
        #expect(dma0.integer(at: "min_kb") == 12)
        #expect(blocks(dma0) == [19, 19, 19, 18, 17, 12, 6, 6, 3, 0, 0])
        // "Node 0 DMA32 free:7048kB min:5672kB"; "0*4kB 1*8kB 14*16kB 1*32kB 2*64kB 0*128kB 0*256kB
        // 1*512kB 0*1024kB 1*2048kB 1*4096kB = 7048kB"
        let dma32 = try zone(details, 0, "DMA32")
        #expect(dma32.integer(at: "free_kb") == 7048)
        #expect(dma32.integer(at: "min_kb") == 5672)
        #expect(blocks(dma32) == [0, 1, 14, 1, 2, 0, 0, 1, 0, 1, 1])
        // "Node 1 HighMem free:0kB min:128kB … present:0kB": an empty zone is not below min.
        #expect(try zone(details, 1, "HighMem").value(at: "below_min") == nil)
        // "2097152 pages of RAM", "53560 reserved pages", "Active:283000 … free:6445" (4 kB pages).
        #expect(details.integer(at: "memory.ram_kb") == 8_388_608)
        #expect(details.integer(at: "memory.reserved_kb") == 214_240)
        #expect(details.integer(at: "memory.free_kb") == 25780)
        // Node 0 DMA's 11412kB is under its lowmem_reserve 3944 pages (15776kB) for the higher
        // zones: it serves DMA requests only, and is not judged fragmented for the others.
        #expect(details.string(at: "verdict.cause") == "healthy")
        #expect(details.strings(at: "missing") == [])
    }

    @Test("3.x sysrq-m with zone and buddy lines wrapped by the mail client")
    func wrapped3x() throws {
        let details = try only("sysrq-mem/lkml-3x-sysrq-help-and-m-wrapped.log", kind: .memoryDump)
        // "DMA free:15892kB min:260kB low:324kB high:388kB active_anon:0kB " … wrapped, then
        // "kernel_stack:0kB pagetables:0kB unstable:0kB bounce:0kB free_cma:0kB " on its own line.
        let dma = try zone(details, 0, "DMA")
        #expect(dma.integer(at: "free_kb") == 15892)
        #expect(dma.integer(at: "min_kb") == 260)
        #expect(dma.integer(at: "low_kb") == 324)
        #expect(dma.integer(at: "free_cma_kb") == 0)
        // "lowmem_reserve[]: 0 2982 3927 3927": 3927 pages for the highest zone.
        #expect(dma.integer(at: "lowmem_reserve_kb") == 15708)
        // "DMA: 1*4kB 0*8kB 1*16kB 0*32kB 2*64kB 1*128kB 1*256kB 0*512kB 1*1024kB " /
        // "1*2048kB 3*4096kB = 15892kB"
        #expect(blocks(dma) == [1, 0, 1, 0, 2, 1, 1, 0, 1, 1, 3])
        #expect(dma.integer(at: "buddy_total_kb") == 15892)
        // "DMA32 free:251976kB min:51124kB"; "DMA32: 56*4kB 577*8kB 754*16kB 1192*32kB 713*64kB
        // 484*128kB 223*256kB 57*512kB " / "1*1024kB 1*2048kB 0*4096kB = 251976kB"
        let dma32 = try zone(details, 0, "DMA32")
        #expect(dma32.integer(at: "free_kb") == 251_976)
        #expect(dma32.integer(at: "min_kb") == 51124)
        #expect(blocks(dma32) == [56, 577, 754, 1192, 713, 484, 223, 57, 1, 1, 0])
        #expect(dma32.integer(at: "buddy_total_kb") == 251_976)
        // "Normal free:20216kB min:16196kB"; "Normal: 526*4kB 350*8kB 181*16kB 152*32kB 66*64kB
        // 18*128kB 2*256kB 1*512kB " / "0*1024kB 0*2048kB 0*4096kB = 20216kB"
        let normal = try zone(details, 0, "Normal")
        #expect(normal.integer(at: "free_kb") == 20216)
        #expect(normal.integer(at: "min_kb") == 16196)
        #expect(blocks(normal) == [526, 350, 181, 152, 66, 18, 2, 1, 0, 0, 0])
        #expect(normal.integer(at: "largest_free_order") == 7)
        // "1032176 pages RAM", "42790 pages reserved".
        #expect(details.integer(at: "memory.ram_kb") == 4_128_704)
        #expect(details.integer(at: "memory.reserved_kb") == 171_160)
        // Every wrapped buddy line was rejoined: the orders sum to each printed total.
        #expect(details.strings(at: "missing") == [])
    }

    @Test("two sysrq-m dumps of a 96 GB NUMA Redis host: nothing free at order 9 in Node 0")
    func numaRedis() throws {
        let dumps = try incidents("sysrq-mem/moooofly-sysrq-m-numa-redis.log").filter { $0.kind == .memoryDump }
        try #require(dumps.count == 2)
        let first = dumps[0].details
        // "Node 0 DMA32 free:1018864kB min:1552kB low:1940kB … managed:1702652kB"
        let dma32 = try zone(first, 0, "DMA32")
        #expect(dma32.integer(at: "free_kb") == 1_018_864)
        #expect(dma32.integer(at: "min_kb") == 1552)
        #expect(dma32.integer(at: "managed_kb") == 1_702_652)
        // "998*4kB (UEM) 363*8kB (UEM) 560*16kB (UEM) 1162*32kB (UEM) 963*64kB (UEM) 718*128kB (UEM)
        // 583*256kB (EM) 477*512kB (UM) 409*1024kB (UEM) 0*2048kB 0*4096kB = 1018864kB"
        #expect(blocks(dma32) == [998, 363, 560, 1162, 963, 718, 583, 477, 409, 0, 0])
        // "Node 0 Normal free:31492388kB min:43312kB"; its buddy line prints "= 31492420kB", the
        // sum of its orders (the zone counter was read at another moment).
        let normal0 = try zone(first, 0, "Normal")
        #expect(normal0.integer(at: "free_kb") == 31_492_388)
        #expect(normal0.integer(at: "min_kb") == 43312)
        #expect(blocks(normal0) == [12617, 5822, 4573, 13057, 22675, 22261, 19401, 16034, 13113, 0, 0])
        #expect(normal0.integer(at: "buddy_total_kb") == 31_492_420)
        #expect(normal0.value(at: "buddy_orders_sum_kb") == nil)
        #expect(normal0.integer(at: "largest_free_order") == 8)
        // "Node 1 Normal: 97202*4kB … 289*2048kB (UM) 1851*4096kB (UM) = 32785840kB"
        let normal1 = try zone(first, 1, "Normal")
        #expect(normal1.integer(at: "free_kb") == 32_785_840)
        #expect(normal1.integer(at: "min_kb") == 45228)
        #expect(blocks(normal1) == [97202, 57273, 39870, 31610, 24404, 18200, 13599, 10903, 8946, 289, 1851])
        // "lowmem_reserve[]: 0 1662 47995 47995" under Node 0 DMA.
        #expect(try zone(first, 0, "DMA").integer(at: "lowmem_reserve_kb") == 191_980)
        #expect(first.string(at: "verdict.cause") == "external-fragmentation")
        // The second dump: "Node 0 Normal free:30265844kB", "… 13125*1024kB (EM) 0*2048kB 0*4096kB
        // = 30265688kB".
        let second = try zone(dumps[1].details, 0, "Normal")
        #expect(second.integer(at: "free_kb") == 30_265_844)
        #expect(blocks(second) == [11530, 5664, 1211, 1298, 8641, 22518, 19533, 16089, 13125, 0, 0])
        #expect(second.integer(at: "buddy_total_kb") == 30_265_688)
        // "25133651 pages RAM", "457324 pages reserved".
        #expect(first.integer(at: "memory.ram_kb") == 100_534_604)
        #expect(first.integer(at: "memory.reserved_kb") == 1_829_296)
        #expect(first.strings(at: "missing") == [])
    }

    // MARK: page-alloc-failure

    @Test("4.9 order-5 failure: Normal's only order-5 block is HighAtomic, DMA32 could serve it")
    func abrtOrder5() throws {
        let details = try only("page-alloc-failure/abrt-oops6.log", kind: .pageAllocationFailure)
        // "chrome: page allocation failure: order:5, mode:0x24040c0(GFP_KERNEL|__GFP_COMP)"
        #expect(details.integer(at: "order") == 5)
        #expect(details.strings(at: "gfp.names") == ["GFP_KERNEL", "__GFP_COMP"])
        #expect(details.string(at: "gfp.era") == "4.5")
        // "Node 0 Normal free:70820kB min:62296kB low:91640kB"; "15574*4kB (UMEH) 444*8kB (UMH)
        // 195*16kB (H) 55*32kB (H) 10*64kB (H) 1*128kB (H) 0*256kB … = 71496kB"
        let normal = try zone(details, 0, "Normal")
        #expect(normal.integer(at: "free_kb") == 70820)
        #expect(normal.integer(at: "min_kb") == 62296)
        #expect(blocks(normal) == [15574, 444, 195, 55, 10, 1, 0, 0, 0, 0, 0])
        #expect(normal.value(at: "can_serve_order") == .bool(false))
        #expect(normal.strings(at: "blocks_only_in") == ["HighAtomic"])
        // "Node 0 DMA32 free:120752kB min:5248kB"; "918*4kB … 110*128kB (UMEH) 32*256kB (UME)
        // 15*512kB (UME) 5*1024kB (UME) 2*2048kB (UM) 13*4096kB (M) = 121552kB"
        let dma32 = try zone(details, 0, "DMA32")
        #expect(dma32.integer(at: "free_kb") == 120_752)
        #expect(dma32.integer(at: "min_kb") == 5248)
        #expect(blocks(dma32) == [918, 1381, 403, 77, 86, 110, 32, 15, 5, 2, 13])
        #expect(dma32.value(at: "can_serve_order") == .bool(true))
        // Order-5 blocks at or above: 110 + 32·2 + 15·4 + 5·8 + 2·16 + 13·32 = 722.
        #expect(dma32.integer(at: "free_blocks_of_order_available") == 722)
        // "lowmem_reserve[]: 0 0 28657 28657 28657" (classzone Normal): 114628kB; free 120752 −
        // (2^5 − 1)·4 = 120628 > 5248 + 114628: the dump passes, the shortage was transient.
        #expect(dma32.integer(at: "lowmem_reserve_kb") == 114_628)
        #expect(dma32.integer(at: "watermark.usable_free_kb") == 120_628)
        #expect(details.string(at: "verdict.cause") == "transient")
        // "Node 0 DMA: 0*4kB 0*8kB 0*16kB 1*32kB (U) 1*64kB (U) 0*128kB 1*256kB (U) 1*512kB (U)
        // 0*1024kB 1*2048kB (M) 3*4096kB (M) = 15200kB"
        #expect(blocks(try zone(details, 0, "DMA")) == [0, 0, 0, 1, 1, 0, 1, 1, 0, 1, 3])
        #expect(details.strings(at: "missing") == [])
    }

    @Test("2.6.9 order-1 GFP_ATOMIC failures in tg3's receive path, no Mem-Info")
    func tg3Order1() throws {
        let failures = try incidents("page-alloc-failure/lkml-269-x86_64-pagealloc-order1-syslog.log")
            .filter { $0.kind == .pageAllocationFailure }
        // Three "swapper: page allocation failure. order:1, mode:0x20".
        try #require(failures.count == 3)
        for failure in failures {
            #expect(failure.details.integer(at: "order") == 1)
            #expect(failure.details.strings(at: "gfp.names") == ["GFP_ATOMIC"])
            #expect(failure.details.string(at: "context") == "softirq")
            // "<ffffffff8031727e>{tg3_alloc_rx_skb+222}" after alloc_skb; the first trace's
            // "{ip_frag_create+26}" between kmem_getpages and cache_grow is a stale stack word.
            #expect(failure.details.string(at: "caller.function") == "tg3_alloc_rx_skb")
            #expect(failure.details.strings(at: "missing") == ["Mem-Info dump"])
        }
    }

    @Test("4.8 order-8 failure at boot: nothing at order 8, DMA32 near min")
    func lkpOrder8() throws {
        let details = try only("page-alloc-failure/lkp-dmesg-53.log", kind: .pageAllocationFailure)
        // "swapper/0: page allocation failure: order:8, mode:0x240c0c0(GFP_KERNEL|__GFP_COMP|__GFP_ZERO)"
        #expect(details.integer(at: "order") == 8)
        #expect(details.strings(at: "gfp.names") == ["GFP_KERNEL", "__GFP_COMP", "__GFP_ZERO"])
        // "DMA32 free:2176kB min:1508kB low:1884kB"; "DMA32: 4*4kB (UM) 4*8kB (M) 5*16kB (UM)
        // 5*32kB (UM) 4*64kB (UM) 1*128kB (M) 2*256kB (UM) 2*512kB (UM) 0*1024kB 0*2048kB
        // 0*4096kB = 2208kB"
        let dma32 = try zone(details, 0, "DMA32")
        #expect(dma32.integer(at: "free_kb") == 2176)
        #expect(dma32.integer(at: "min_kb") == 1508)
        #expect(blocks(dma32) == [4, 4, 5, 5, 4, 1, 2, 2, 0, 0, 0])
        #expect(dma32.integer(at: "buddy_total_kb") == 2208)
        #expect(dma32.value(at: "can_serve_order") == .bool(false))
        #expect(dma32.integer(at: "free_kb_at_or_above_order") == 0)
        // 2176 − (2^8 − 1)·4 = 1156 < min 1508.
        #expect(dma32.integer(at: "watermark.usable_free_kb") == 1156)
        #expect(details.string(at: "verdict.cause") == "low-memory")
    }

    @Test("the WARN of an order above MAX_ORDER is a warning in the allocator, no failure report")
    func overOrderWarnings() throws {
        // "WARNING: CPU: 0 PID: 199 at mm/page_alloc.c:3470 __alloc_pages_slowpath+0x5a/0xd4e"
        let slowpath = try incidents("page-alloc-failure/lkp-dmesg-51.log")
        #expect(slowpath.map(\.kind) == [.warning])
        #expect(slowpath.first?.title.contains("__alloc_pages_slowpath") == true)
        // "WARNING: at mm/page_alloc.c:2204 __alloc_pages_nodemask+0x231/0x8f0()"
        let nodemask = try incidents("page-alloc-failure/satyr-rhbz-827868.log")
        #expect(nodemask.map(\.kind) == [.warning])
        #expect(nodemask.first?.title.contains("__alloc_pages_nodemask") == true)
    }

    // MARK: proc-snapshots

    func snapshot(_ file: String) throws -> Details {
        try only("proc-snapshots/\(file)", kind: .memorySnapshot)
    }

    @Test("buddyinfo: every zone's count at every order")
    func buddyinfo() throws {
        // "Node 0, zone      DMA      2      0      0      1      3      2      2      1      2      0      3"
        let hotsos = try snapshot("hotsos-k8s-proc-buddyinfo.log")
        #expect(blocks(try zone(hotsos, 0, "DMA")) == [2, 0, 0, 1, 3, 2, 2, 1, 2, 0, 3])
        #expect(blocks(try zone(hotsos, 0, "DMA32")) == [97, 830, 372, 119, 72, 30, 12, 13, 4, 4, 9])
        #expect(blocks(try zone(hotsos, 0, "Normal")) == [17, 203, 102, 17, 21, 4, 7, 10, 8, 0, 0])
        // 97·4 + 830·8 + 372·16 + 119·32 + 72·64 + 30·128 + 12·256 + 13·512 + 4·1024 + 4·2048 + 9·4096.
        #expect(try zone(hotsos, 0, "DMA32").integer(at: "buddy_total_kb") == 84116)
        let procfs = try snapshot("procfs-proc-buddyinfo.log")
        #expect(blocks(try zone(procfs, 0, "DMA")) == [1, 0, 1, 0, 2, 1, 1, 0, 1, 1, 3])
        #expect(blocks(try zone(procfs, 0, "DMA32")) == [759, 572, 791, 475, 194, 45, 12, 0, 0, 0, 0])
        #expect(blocks(try zone(procfs, 0, "Normal")) == [4381, 1093, 185, 1530, 567, 102, 4, 0, 0, 0, 0])
    }

    @Test("pagetypeinfo: free counts summed over the migrate types")
    func pagetypeinfo() throws {
        let details = try snapshot("hotsos-k8s-proc-pagetypeinfo.log")
        // DMA: Unmovable "1 0 0 1 2 1 1 0 1 0 0" + Movable "1 1 2 0 1 1 1 1 1 0 3".
        #expect(blocks(try zone(details, 0, "DMA")) == [2, 1, 2, 1, 3, 2, 2, 1, 2, 0, 3])
        // DMA32: Unmovable "53 12 14 4 10 3 4 1 0 1 2" + Movable "0 225 183 143 73 53 7 3 1 2 10"
        // + Reclaimable "1 38 92 1 30 20 3 0 0 1 0".
        #expect(blocks(try zone(details, 0, "DMA32")) == [54, 275, 289, 148, 113, 76, 14, 4, 1, 4, 12])
        // Normal: "1 13 3 1 2 0 1 0 1 0 0" + "57 16 19 7 32 0 1 5 10 0 0" + "1 76 104 1 3 4 0 0 0 0 0".
        #expect(blocks(try zone(details, 0, "Normal")) == [59, 105, 126, 9, 37, 4, 2, 5, 11, 0, 0])
    }

    @Test("zoneinfo: free and min in kB, protection as lowmem_reserve")
    func zoneinfo() throws {
        let hotsos = try snapshot("hotsos-k8s-proc-zoneinfo.log")
        // DMA "pages free 3962", "min 67", "protection: (0, 2929, 3882, 3882, 3882)".
        let dma = try zone(hotsos, 0, "DMA")
        #expect(dma.integer(at: "free_kb") == 15848)
        #expect(dma.integer(at: "min_kb") == 268)
        #expect(dma.integer(at: "lowmem_reserve_kb") == 15528)
        // DMA32 "pages free 21173", "min 12698".
        let dma32 = try zone(hotsos, 0, "DMA32")
        #expect(dma32.integer(at: "free_kb") == 84692)
        #expect(dma32.integer(at: "min_kb") == 50792)
        let procfs = try snapshot("procfs-proc-zoneinfo.log")
        // DMA "pages free 3952", "min 33"; DMA32 "204252", "19510"; Normal "18553", "11176".
        #expect(try zone(procfs, 0, "DMA").integer(at: "free_kb") == 15808)
        #expect(try zone(procfs, 0, "DMA").integer(at: "min_kb") == 132)
        #expect(try zone(procfs, 0, "DMA32").integer(at: "free_kb") == 817_008)
        #expect(try zone(procfs, 0, "DMA32").integer(at: "min_kb") == 78040)
        #expect(try zone(procfs, 0, "Normal").integer(at: "free_kb") == 74212)
        #expect(try zone(procfs, 0, "Normal").integer(at: "min_kb") == 44704)
    }

    @Test("every file of the three folders gives the incident of its kind")
    func everyFile() throws {
        let real = try #require(Self.real)
        var kinds: [String: [IncidentKind]] = [:]
        for folder in ["page-alloc-failure", "sysrq-mem", "proc-snapshots"] {
            for url in CorpusLocator.files(under: real.appendingPathComponent(folder)) {
                kinds["\(folder)/\(url.lastPathComponent)"] = try incidents("\(folder)/\(url.lastPathComponent)")
                    .map(\.kind)
            }
        }
        #expect(kinds.count == 21)
        for (file, found) in kinds {
            if file.hasPrefix("sysrq-mem/") {
                #expect(!found.isEmpty && found.allSatisfy { $0 == .memoryDump }, "\(file): \(found)")
            } else if file.hasPrefix("proc-snapshots/") {
                #expect(found == [.memorySnapshot], "\(file): \(found)")
            } else if !["page-alloc-failure/lkp-dmesg-51.log", "page-alloc-failure/satyr-rhbz-827868.log"].contains(
                file)
            {
                #expect(found.contains(.pageAllocationFailure), "\(file): \(found)")
            }
        }
    }
}
