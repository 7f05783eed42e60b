// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// The real /proc captures of the shared corpus (`../shared/corpora/real/proc-snapshots`),
/// against values read by hand from the files.
@Suite("Real memory snapshots", .enabled(if: CorpusLocator.hasSharedCorpora, "needs ../shared corpora"))
struct SnapshotRealCorpusTests {
    static var directory: URL? {
        CorpusLocator.sharedRoot?.appendingPathComponent("corpora/real/proc-snapshots")
    }

    func details(_ name: String) throws -> Details {
        let url = try #require(Self.directory?.appendingPathComponent(name))
        let collector = IncidentCollector()
        LogAnalyzer().analyze(path: url.path, into: collector)
        try #require(collector.incidents.count == 1)
        let incident = collector.incidents[0]
        #expect(incident.kind == .memorySnapshot)
        return incident.details
    }

    @Test("every capture is a snapshot of the format its manifest names, read with nothing missing")
    func everyFileParsed() throws {
        let directory = try #require(Self.directory)
        let files = CorpusLocator.files(under: directory)
        #expect(files.count == 13)
        let formats: [String: String] = [
            "smaps": "smaps", "buddyinfo": "buddyinfo", "meminfo": "meminfo", "pagetypeinfo": "pagetypeinfo",
            "slabinfo": "slabinfo", "vmallocinfo": "vmallocinfo", "vmstat": "vmstat", "zoneinfo": "zoneinfo",
            "rollup": "smaps_rollup",
        ]
        for file in files {
            let details = try details(file.lastPathComponent)
            let suffix = String(file.deletingPathExtension().lastPathComponent.split(separator: "-").last ?? "")
            #expect(details.strings(at: "formats") == [formats[suffix] ?? "?"], "\(file.lastPathComponent)")
            #expect(details.strings(at: "missing") == [], "\(file.lastPathComponent)")
        }
    }

    @Test("hotsos meminfo: used vs buff/cache vs available")
    func hotsosMeminfo() throws {
        let details = try details("hotsos-k8s-proc-meminfo.log")
        #expect(details.integer(at: "memory.ram_kb") == 4_026_036)
        #expect(details.integer(at: "memory.available_kb") == 2_775_844)
        // Buffers 102024 + Cached 2658200 + SReclaimable 173756.
        #expect(details.integer(at: "memory.buff_cache_kb") == 2_933_980)
        // 4026036 − 129248 − 2933980.
        #expect(details.integer(at: "memory.used_kb") == 962_808)
        #expect(details.string(at: "verdict.cause") == "page-cache")
    }

    @Test("procfs meminfo of a kernel without MemAvailable")
    func procfsMeminfo() throws {
        let details = try details("procfs-proc-meminfo.log")
        #expect(details.value(at: "memory.available_kb") == nil)
        // 1020128 + 12007640 + 1738124.
        #expect(details.integer(at: "memory.buff_cache_kb") == 14_765_892)
        #expect(details.integer(at: "memory.slab_reclaimable_kb") == 1_738_124)
    }

    @Test("hotsos slabinfo: buffer_head is the largest cache")
    func hotsosSlabinfo() throws {
        let details = try details("hotsos-k8s-proc-slabinfo.log")
        #expect(details.string(at: "slab.slabinfo_version") == "2.1")
        // 213 lines: the version, the header and 211 caches.
        #expect(details.integer(at: "slab.caches") == 211)
        #expect(details.string(at: "slab.top.0.name") == "buffer_head")
        // slabdata 14365 slabs of 1 page.
        #expect(details.integer(at: "slab.top.0.size_kb") == 57460)
        #expect(details.integer(at: "slab.top.0.active_objects") == 534_840)
        #expect(details.value(at: "slab.top.0.reclaimable") == .bool(true))
    }

    @Test("procfs slabinfo: ext4_inode_cache is the largest cache")
    func procfsSlabinfo() throws {
        let details = try details("procfs-proc-slabinfo.log")
        #expect(details.string(at: "slab.top.0.name") == "ext4_inode_cache")
        // 3685 slabs of 8 pages.
        #expect(details.integer(at: "slab.top.0.size_kb") == 117_920)
    }

    @Test("hotsos vmallocinfo: areas summed by caller; the RAM behind them is meminfo's VmallocUsed")
    func hotsosVmalloc() throws {
        let details = try details("hotsos-k8s-proc-vmallocinfo.log")
        #expect(details.integer(at: "vmalloc.areas") == 1074)
        // The same host's meminfo says VmallocUsed: 29668 kB.
        #expect(details.integer(at: "vmalloc.allocated_kb") == 29668)
        let callers = (0..<10).compactMap { details.string(at: "vmalloc.top_callers.\($0).caller") }
        let fork = try #require(callers.firstIndex(of: "_do_fork+0x89/0x360"))
        #expect(details.integer(at: "vmalloc.top_callers.\(fork).areas") == 331)
    }

    @Test("buddyinfo: free blocks per order")
    func buddyinfo() throws {
        let hotsos = try details("hotsos-k8s-proc-buddyinfo.log")
        #expect(hotsos.integer(at: "zones.2.free_blocks_by_order.0") == 17)
        #expect(hotsos.integer(at: "zones.2.largest_free_order") == 8)
        let procfs = try details("procfs-proc-buddyinfo.log")
        #expect(procfs.string(at: "zones.1.zone") == "DMA32")
        #expect(procfs.integer(at: "zones.1.free_blocks_by_order.0") == 759)
        #expect(procfs.integer(at: "zones.1.largest_free_order") == 6)
    }

    @Test("zoneinfo: watermarks in kB, lowmem_reserve from protection")
    func zoneinfo() throws {
        let details = try details("hotsos-k8s-proc-zoneinfo.log")
        #expect(details.string(at: "zones.2.zone") == "Normal")
        // pages free 5146, min 4130, high 6194, managed 243950 (4 kB pages).
        #expect(details.integer(at: "zones.2.free_kb") == 20584)
        #expect(details.integer(at: "zones.2.min_kb") == 16520)
        #expect(details.integer(at: "zones.2.high_kb") == 24776)
        #expect(details.integer(at: "zones.2.managed_kb") == 975_800)
    }

    @Test("pagetypeinfo: pageblocks per migrate type")
    func pagetypeinfo() throws {
        let details = try details("hotsos-k8s-proc-pagetypeinfo.log")
        #expect(details.integer(at: "pageblock_order") == 9)
        #expect(details.string(at: "pageblocks.2.zone") == "Normal")
        #expect(details.integer(at: "pageblocks.2.blocks_by_type.Movable") == 437)
        #expect(details.integer(at: "pageblocks.2.blocks_by_type.Reclaimable") == 29)
    }

    @Test("vmstat: the counters kept")
    func vmstat() throws {
        let details = try details("hotsos-k8s-proc-vmstat.log")
        #expect(details.integer(at: "vmstat.nr_free_pages") == 32312)
        #expect(details.integer(at: "vmstat.nr_kernel_stack") == 5280)
    }

    @Test("smaps: 212 mappings, the heap's Rss and Pss")
    func smaps() throws {
        let details = try details("hotsos-k8s-proc-1-smaps.log")
        #expect(details.integer(at: "processes.0.by_mapping_kind.heap.size_kb") == 5280)
        #expect(details.integer(at: "processes.0.by_mapping_kind.heap.rss_kb") == 3136)
        #expect(details.integer(at: "processes.0.by_mapping_kind.heap.pss_kb") == 2660)
        let kinds = ["heap", "stack", "anon", "file", "shared", "kernel"]
        let mappings = kinds.compactMap { details.integer(at: "processes.0.by_mapping_kind.\($0).mappings") }
        #expect(mappings.reduce(0, +) == 212)
    }

    @Test("smaps_rollup: the rollup block")
    func smapsRollup() throws {
        let details = try details("procfs-proc-26231-smaps-rollup.log")
        #expect(details.integer(at: "processes.0.rollup.rss_kb") == 29948)
        #expect(details.integer(at: "processes.0.rollup.pss_kb") == 29944)
        #expect(details.integer(at: "processes.0.rollup.anonymous_kb") == 20756)
        #expect(details.integer(at: "processes.0.rollup.swap_kb") == 1940)
    }
}
