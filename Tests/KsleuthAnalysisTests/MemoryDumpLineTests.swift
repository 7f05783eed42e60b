// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// show_free_areas lines wrapped onto continuation lines, cut, or whose orders do not add up
/// to the printed total, in hand-written sysrq-m dumps (values worked out by hand).
@Suite("Memory dump lines")
struct MemoryDumpLineTests {
    func dump(_ text: String) throws -> Details {
        let (incidents, _) = try IncidentCollector.analyze(text)
        let dumps = incidents.filter { $0.kind == .memoryDump }
        try #require(dumps.count == 1)
        return dumps[0].details
    }

    func zone(_ details: Details, _ index: Int) throws -> Details {
        guard case .list(let zones)? = details["zones"], zones.indices.contains(index),
            case .object(let zone) = zones[index]
        else { throw ZoneMissing(index: index) }
        return zone
    }

    struct ZoneMissing: Error { var index: Int }

    /// The head of a 3.x sysrq-m, then the lines under test.
    func sysrq(_ lines: String) -> String {
        """
        SysRq : Show Memory
        Mem-Info:
        active_anon:610014 inactive_anon:16551 isolated_anon:0
          free:9600 slab_reclaimable:18685 slab_unreclaimable:13682

        """ + lines
    }

    @Test("a mail client's word wrap: trailing spaces, continuation lines without a prefix")
    func wordWrap() throws {
        // Each wrapped line keeps the space it was wrapped at.
        let lines = [
            "Normal free:38400kB min:16196kB low:20244kB high:24292kB active_anon:701928kB ",
            "inactive_anon:8096kB active_file:16380kB inactive_file:16380kB ",
            "present:967680kB managed:940000kB free_cma:0kB ",
            "pages_scanned:0 all_unreclaimable? no",
            "lowmem_reserve[]: 0 0 0 0",
            "Normal: 100*4kB 200*8kB 300*16kB 100*32kB 50*64kB 20*128kB 10*256kB 5*512kB ",
            "2*1024kB 1*2048kB 2*4096kB = 38400kB",
            "1032176 pages RAM",
        ]
        let details = try dump(sysrq(lines.joined(separator: "\n") + "\n"))
        let normal = try zone(details, 0)
        // "managed:940000kB" and "free_cma:0kB" are on the third physical line of the zone line.
        #expect(normal.integer(at: "managed_kb") == 940_000)
        #expect(normal.integer(at: "free_cma_kb") == 0)
        // 400 + 1600 + 4800 + 3200 + 3200 + 2560 + 2560 + 2560 + 2048 + 2048 + 8192 = 33168.
        #expect(normal.value(at: "free_blocks_by_order.10") == .integer(2))
        #expect(normal.integer(at: "buddy_total_kb") == 38400)
        #expect(normal.integer(at: "buddy_orders_sum_kb") == 33168)
        #expect(
            details.strings(at: "missing") == [
                "buddy line of Node 0 Normal: its orders sum to 33168kB, not the printed = 38400kB"
            ])
    }

    @Test("a console's hard wrap at 80 columns, inside tokens")
    func hardWrap() throws {
        let details = try dump(
            sysrq(
                """
                Normal free:33168kB min:16196kB low:20244kB high:24292kB active_anon:701928kB ina
                ctive_anon:8096kB present:967680kB managed:94
                0000kB free_cma:0kB
                lowmem_reserve[]: 0 0 0 0
                Normal: 100*4kB 200*8kB 300*16kB 100*32kB 50*64kB 20*128kB 10*256kB 5*512kB 2*10
                24kB 1*2048kB 2*4096kB = 33168kB
                1032176 pages RAM

                """))
        let normal = try zone(details, 0)
        // "managed:94" + "0000kB": 940000.
        #expect(normal.integer(at: "managed_kb") == 940_000)
        // "2*10" + "24kB": order 8 holds 2 blocks.
        #expect(normal.value(at: "free_blocks_by_order.8") == .integer(2))
        #expect(normal.integer(at: "buddy_total_kb") == 33168)
        #expect(details.strings(at: "missing") == [])
    }

    @Test("a buddy line cut before its total, and one with fewer orders than the others")
    func cutLines() throws {
        let details = try dump(
            sysrq(
                """
                DMA free:15892kB min:260kB low:324kB high:388kB present:15644kB
                lowmem_reserve[]: 0 2982 3927 3927
                Normal free:20216kB min:16196kB low:20244kB high:24292kB present:967680kB
                lowmem_reserve[]: 0 0 0 0
                DMA: 1*4kB 0*8kB 1*16kB 0*32kB 2*64kB 1*128kB 1*256kB 0*512kB 1*1024kB 1*2048kB 3*4096kB = 15892kB
                Normal: 526*4kB 350*8kB 181*16kB
                265099 total pagecache pages
                1032176 pages RAM

                """))
        #expect(
            details.strings(at: "missing") == [
                "buddy line of Node 0 Normal is cut: no = total, 3 of 11 orders read"
            ])
    }
}
