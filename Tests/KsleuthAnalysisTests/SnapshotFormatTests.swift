// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// Each snapshot format read into the `memory-snapshot` details, against values worked out by hand.
@Suite("Memory snapshot formats")
struct SnapshotFormatTests {
    func details(_ text: String) throws -> Details {
        let (incidents, _) = try IncidentCollector.analyze(text)
        try #require(incidents.count == 1)
        return incidents[0].details
    }

    @Test("free -h: units from the suffixes")
    func freeHuman() throws {
        let details = try details(
            """
                           total        used        free      shared  buff/cache   available
            Mem:            15Gi       5.7Gi       1.1Gi       305Mi       8.7Gi       9.4Gi
            Swap:          2.0Gi        10Mi       2.0Gi

            """)
        #expect(details.strings(at: "formats") == ["free"])
        // 15 × 1048576 kB.
        #expect(details.integer(at: "memory.ram_kb") == 15_728_640)
        // 8.7 × 1048576 = 9122611.2.
        #expect(details.integer(at: "memory.buff_cache_kb") == 9_122_611)
    }

    @Test("free of procps before 3.3.10: buffers and cached columns")
    func freeOld() throws {
        let details = try details(
            """
                         total       used       free     shared    buffers     cached
            Mem:       8061404    7853332     208072          0     312080    5812444
            -/+ buffers/cache:    1728808    6332596
            Swap:      2097148      10240    2086908

            """)
        #expect(details.integer(at: "memory.buffers_kb") == 312_080)
        // buff/cache = 312080 + 5812444; used = 8061404 − 208072 − 6124524.
        #expect(details.integer(at: "memory.buff_cache_kb") == 6_124_524)
        #expect(details.integer(at: "memory.used_kb") == 1_728_808)
        #expect(details.string(at: "verdict.cause") == "page-cache")
    }

    @Test("pagetypeinfo: free blocks summed over migrate types stand for buddyinfo")
    func pagetypeinfo() throws {
        let details = try details(
            """
            Page block order: 9
            Pages per block:  512

            Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10
            Node    0, zone   Normal, type    Unmovable      1     13      3      1      2      0      1      0      1      0      0
            Node    0, zone   Normal, type      Movable     57     16     19      7     32      0      1      5     10      0      0
            Node    0, zone   Normal, type  Reclaimable      1     76    104      1      3      4      0      0      0      0      0

            Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic          CMA      Isolate
            Node 0, zone   Normal           46          437           29            0            0            0

            """)
        // Order 0: 1 + 57 + 1; order 8: 1 + 10.
        #expect(details.integer(at: "zones.0.free_blocks_by_order.0") == 59)
        #expect(details.integer(at: "zones.0.free_blocks_by_order.8") == 11)
        #expect(details.integer(at: "zones.0.largest_free_order") == 8)
        #expect(details.integer(at: "pageblocks.0.blocks_by_type.Movable") == 437)
        #expect(details.integer(at: "pageblock_order") == 9)
    }

    @Test("a pagetypeinfo line cut short is named, the others are read")
    func pagetypeinfoCut() throws {
        let details = try details(
            """
            Page block order: 9
            Pages per block:  512

            Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10
            Node    0, zone   Normal, type    Unmovable      1     13      3      1      2      0      1      0      1      0      0
            Node    0, zone   Normal, type      Movable

            Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic          CMA      Isolate
            Node 0, zone   Normal           46          437
            """)
        #expect(details.strings(at: "missing") == ["2 pagetypeinfo line(s) could not be read"])
        #expect(details.integer(at: "zones.0.free_blocks_by_order.1") == 13)
    }

    @Test("slabtop: cache size from the CACHE SIZE column")
    func slabtop() throws {
        let details = try details(
            """
             Active / Total Objects (% used)    : 2474370 / 2539718 (97.4%)
             Active / Total Slabs (% used)      : 80120 / 80120 (100.0%)
             Active / Total Caches (% used)     : 104 / 143 (72.7%)
             Active / Total Size (% used)       : 455432.52K / 482210.38K (94.4%)
             Minimum / Average / Maximum Object : 0.01K / 0.19K / 8.00K

              OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME
            1130346 1130346 100%    0.19K  53826       21    215304K dentry
            312000 311220  99%    0.10K   8000       39     32000K buffer_head

            """)
        #expect(details.strings(at: "formats") == ["slabtop"])
        #expect(details.string(at: "slab.top.0.name") == "dentry")
        #expect(details.integer(at: "slab.top.0.size_kb") == 215_304)
        // 0.19K = 194.56 bytes.
        #expect(details.integer(at: "slab.top.0.object_size_bytes") == 195)
        #expect(details.integer(at: "slab.total_kb") == 247_304)
    }

    @Test("/proc/PID/status and statm")
    func statusAndStatm() throws {
        let status = try details(
            "Name:\tpostgres\nUmask:\t0077\nState:\tS (sleeping)\nPid:\t2231\nVmPeak:\t  229432 kB\n"
                + "VmSize:\t  229100 kB\nVmRSS:\t   29948 kB\nRssAnon:\t   20756 kB\nRssFile:\t    9188 kB\n"
                + "RssShmem:\t       4 kB\nVmSwap:\t    1940 kB\n")
        #expect(status.string(at: "processes.0.name") == "postgres")
        #expect(status.integer(at: "processes.0.pid") == 2231)
        #expect(status.integer(at: "processes.0.rss_anon_kb") == 20756)
        #expect(status.integer(at: "processes.0.swap_kb") == 1940)
        let statm = try details("7460 1172 1003 93 0 277 0\n")
        // Pages of 4 kB: 7460 × 4, 1172 × 4.
        #expect(statm.integer(at: "processes.0.statm_size_kb") == 29840)
        #expect(statm.integer(at: "processes.0.statm_resident_kb") == 4688)
    }

    @Test("maps: mappings by kind from the path and the permissions")
    func maps() throws {
        let details = try details(
            "55fc0adde000-55fc0ae10000 r--p 00000000 fc:01 3303                       /usr/lib/systemd/systemd\n"
                + "55fc0c19e000-55fc0c6c6000 rw-p 00000000 00:00 0                          [heap]\n"
                + "7f3a1c000000-7f3a1c021000 rw-p 00000000 00:00 0 \n"
                + "7f3a2c000000-7f3a2c400000 rw-s 00000000 00:05 32788                      /dev/shm/pgsql.1\n"
                + "7ffd5a9b8000-7ffd5a9d9000 rw-p 00000000 00:00 0                          [stack]\n"
                + "7ffd5a9f6000-7ffd5a9f8000 r-xp 00000000 00:00 0                          [vdso]\n")
        #expect(details.strings(at: "formats") == ["maps"])
        // 0x32000 = 200 kB of file; 0x528000 = 5280 kB of heap; 0x21000 = 132 kB of anon;
        // 0x400000 = 4096 kB shared; 0x21000 = 132 kB of stack.
        #expect(details.integer(at: "processes.0.by_mapping_kind.file.size_kb") == 200)
        #expect(details.integer(at: "processes.0.by_mapping_kind.heap.size_kb") == 5280)
        #expect(details.integer(at: "processes.0.by_mapping_kind.anon.size_kb") == 132)
        #expect(details.integer(at: "processes.0.by_mapping_kind.shared.size_kb") == 4096)
        #expect(details.integer(at: "processes.0.by_mapping_kind.stack.size_kb") == 132)
        #expect(details.integer(at: "processes.0.by_mapping_kind.kernel.mappings") == 1)
    }

    @Test("a buddyinfo line cut in the middle is left out and named")
    func buddyCut() throws {
        let details = try details(
            "Node 0, zone      DMA      1      0      1      0      2      1      1      0      1      1      3 \n"
                + "Node 0, zone    DMA32    759    57")
        #expect(details.count(at: "zones") == 1)
        #expect(
            details.strings(at: "missing") == [
                "buddyinfo line of Node 0 DMA32 is cut (fewer orders than the others)"
            ])
    }

    @Test("a slabinfo of an unknown version names what it cannot read")
    func slabinfoUnknownVersion() throws {
        let details = try details("slabinfo - version: 3.0\ndentry 1 2 3 4 5 6 7 8\n")
        #expect(details.value(at: "slab") == nil)
        #expect(
            details.strings(at: "missing") == [
                "slab caches (slabinfo version 3.0 is not known)", "1 slab cache line(s) could not be read",
            ])
    }

    @Test("a truncated meminfo gives what it holds")
    func meminfoTruncated() throws {
        let details = try details("MemTotal:        4026036 kB\nMemFree:          129248 kB\nBuff")
        #expect(details.integer(at: "memory.ram_kb") == 4_026_036)
        #expect(details.integer(at: "memory.free_kb") == 129_248)
        #expect(details.value(at: "memory.buffers_kb") == nil)
    }
}
