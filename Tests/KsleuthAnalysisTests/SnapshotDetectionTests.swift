// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// Telling a /proc snapshot from a kernel log by content, and the incident it becomes.
@Suite("Memory snapshot detection")
struct SnapshotDetectionTests {
    let classifier = SnapshotClassifier.standard()

    @Test(
        "each format is named by its first line",
        arguments: [
            ("MemTotal:       15666184 kB", SnapshotFormat.meminfo),
            ("               total        used        free      shared  buff/cache   available", .free),
            ("             total       used       free     shared    buffers     cached", .free),
            (
                "Node 0, zone      DMA      1      0      1      0      2      1      1      0      1      1      3",
                .buddyinfo
            ),
            ("Node 0, zone      DMA", .zoneinfo),
            ("Page block order: 9", .pagetypeinfo),
            ("slabinfo - version: 2.1", .slabinfo),
            ("slabinfo - version: 1.1", .slabinfo),
            (" Active / Total Objects (% used)    : 2474370 / 2539718 (97.4%)", .slabtop),
            ("0xffffb50540000000-0xffffb50540005000   20480 irq_init_percpu_irqstack+0xd0/0x100 vmap", .vmallocinfo),
            ("nr_free_pages 32312", .vmstat),
            ("Name:\tsystemd", .status),
            ("7460 1172 1003 93 0 277 0", .statm),
            ("00400000-ffffffffff601000 ---p 00000000 00:00 0                          [rollup]", .smapsRollup),
            (
                "55fc0adde000-55fc0ae10000 r--p 00000000 fc:01 3303                       /usr/lib/systemd/systemd",
                .maps
            ),
        ])
    func formatOfFirstLine(line: String, format: SnapshotFormat) {
        #expect(classifier.format(of: line) == format)
    }

    @Test(
        "kernel log lines are not snapshots",
        arguments: [
            "[    0.000000] Linux version 5.15.0-91-generic (buildd@lcy02-amd64-045)",
            "Node 0 Normal: 1231*4kB (UEM) 391*8kB (UEM) 0*16kB 0*32kB = 38260kB",
            "Node 0 DMA free:15848kB min:268kB low:332kB high:396kB",
            "Mem-Info:",
            "MemTotal: 15666184",
            "Dec  2 01:10:00 host kernel: MemTotal:       15666184 kB",
        ])
    func logLines(line: String) {
        #expect(classifier.format(of: line) == nil)
    }

    @Test("a capture's title line before the meminfo still makes it a snapshot")
    func titleBeforeMeminfo() throws {
        let text = "$ cat /proc/meminfo\n\nMemTotal:        4026036 kB\nMemFree:          129248 kB\n"
        let (incidents, _) = try IncidentCollector.analyze(text, name: "meminfo.txt")
        let incident = try #require(incidents.first)
        #expect(incidents.count == 1)
        #expect(incident.kind == .memorySnapshot)
        // The identifying line is line 3; the title line stays in the evidence.
        #expect(incident.header.number == 3)
        #expect(incident.lines.map(\.number) == [1, 2, 3, 4])
        #expect(incident.details.integer(at: "memory.ram_kb") == 4_026_036)
    }

    @Test("an input whose first five non-blank lines name no format is a log, every line kept")
    func logStaysLog() throws {
        let text = """
            [    1.000000] one
            [    2.000000] two
            [    3.000000] three
            [    4.000000] four
            [    5.000000] five
            MemTotal:        4026036 kB
            [   10.000000] BUG: unable to handle page fault for address: ffffffffc0a01000
            [   10.000001] #PF: supervisor read access in kernel mode

            """
        let (incidents, summary) = try IncidentCollector.analyze(text)
        #expect(incidents.allSatisfy { $0.kind != .memorySnapshot })
        let oops = try #require(incidents.first { $0.kind == .oops })
        #expect(oops.header.number == 7)
        #expect(summary.incidentCount == incidents.count)
    }

    @Test("a short log (fewer lines than are examined) is replayed to the recognizer")
    func shortLog() throws {
        let text = "[   10.000000] BUG: kernel NULL pointer dereference, address: 0000000000000010\n"
        let (incidents, _) = try IncidentCollector.analyze(text)
        #expect(incidents.map(\.kind) == [.oops])
        #expect(incidents.first?.header.number == 1)
    }

    @Test("the evidence is capped, the analysis is not: a vmallocinfo longer than the incident limit")
    func evidenceCap() throws {
        var lines: [String] = []
        // 30 areas of 8192 bytes (one page and the guard page) from one caller.
        for index in 0..<30 {
            let start = 0xffff_c900_0000_0000 as UInt64 + UInt64(index) * 0x2000
            lines.append(
                "0x\(String(start, radix: 16))-0x\(String(start + 0x2000, radix: 16))    8192 "
                    + "rb_alloc_slot+0x3c/0x90 [ringbuf] pages=1 vmalloc N0=1")
        }
        var configuration = AnalysisConfiguration()
        configuration.limits.maximumLines = 10
        let (incidents, _) = try IncidentCollector.analyze(
            Array((lines.joined(separator: "\n") + "\n").utf8), configuration: configuration)
        let incident = try #require(incidents.first)
        #expect(incident.lines.count == 10)
        #expect(incident.isTruncated)
        #expect(incident.evidence.lastLine == 30)
        #expect(incident.details.integer(at: "vmalloc.areas") == 30)
        #expect(incident.details.integer(at: "vmalloc.top_callers.0.allocated_kb") == 120)
        #expect(incident.details.integer(at: "vmalloc.top_callers.0.address_space_kb") == 240)
    }

    @Test("the same snapshot read in any chunk sizes gives the same incident")
    func chunkInvariance() throws {
        let text = Array(
            ("Node 0, zone      DMA      1      0      1      0      2      1      1      0      1      1      3 \n"
                + "Node 0, zone    DMA32    759    572    791    475    194     45     12      0      0      0      0 \n")
                .utf8)
        let whole = try IncidentCollector.analyze(text).incidents
        let dripped = try IncidentCollector.analyze(text, chunkSizes: [1]).incidents
        let odd = try IncidentCollector.analyze(text, chunkSizes: [7, 3, 64]).incidents
        #expect(whole.count == 1)
        #expect(whole == dripped)
        #expect(whole == odd)
    }

    @Test("garbage after a snapshot's first line gives a partial analysis, never a crash")
    func garbage() throws {
        var bytes = Array("slabinfo - version: 2.1\n".utf8)
        bytes += [0xff, 0xfe, 0x00, 0x41, 0x0a]
        bytes += Array(
            ("dentry 12 : tunables\n:::: ::: :\n"
                + "dentry             83040 105462    192   21    1 : tunables    0    0    0 : slabdata   5022   5022      0\n")
                .utf8)
        let (incidents, _) = try IncidentCollector.analyze(bytes)
        let incident = try #require(incidents.first)
        #expect(incident.details.integer(at: "slab.caches") == 1)
        // 5022 slabs of one 4 kB page.
        #expect(incident.details.integer(at: "slab.top.0.size_kb") == 20088)
        #expect(incident.details.strings(at: "missing") == ["3 slab cache line(s) could not be read"])
    }
}

/// One file holding several /proc files one after the other.
@Suite("Memory snapshot sections")
struct SnapshotSectionTests {
    @Test("a meminfo then a slabinfo in one file are two sections of one incident")
    func meminfoThenSlabinfo() throws {
        let text = """
            ==> /proc/meminfo <==
            MemTotal:        4026036 kB
            MemFree:          129248 kB
            Slab:             259632 kB
            SReclaimable:     173756 kB
            SUnreclaim:        85876 kB

            ==> /proc/slabinfo <==
            slabinfo - version: 2.1
            dentry             83040 105462    192   21    1 : tunables    0    0    0 : slabdata   5022   5022      0

            """
        let (incidents, _) = try IncidentCollector.analyze(text)
        let incident = try #require(incidents.first)
        #expect(incidents.count == 1)
        #expect(incident.details.strings(at: "formats") == ["meminfo", "slabinfo"])
        // Lines 1–8 are the meminfo section (its title, five fields, a blank line and the next
        // title), 9–10 the slabinfo one.
        #expect(incident.details.integer(at: "sources.0.lines") == 8)
        #expect(incident.details.integer(at: "sources.1.lines") == 2)
        #expect(incident.details.integer(at: "slab.top.0.size_kb") == 20088)
        // 20088 of 4026036 kB.
        #expect(incident.details.value(at: "slab.top.0.share_of_ram_percent") == .number(0.5))
    }

    @Test("pagetypeinfo's block table, which reads as buddyinfo, stays in the pagetypeinfo")
    func lookalikes() {
        #expect(!SnapshotDetector.startsSection(.buddyinfo, after: .pagetypeinfo))
        #expect(!SnapshotDetector.startsSection(.maps, after: .smaps))
        #expect(!SnapshotDetector.startsSection(.statm, after: .meminfo))
        #expect(SnapshotDetector.startsSection(.slabinfo, after: .meminfo))
    }
}
