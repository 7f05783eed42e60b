// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// free(1) outputs in every unit procps prints, written in procps' own column layout (free.c:
/// 3.3.10+ `%11s` columns under a 9-wide row name, earlier `%-7s` and ` %10s`), read back in kB.
///
/// The machine behind them has MemTotal 16318236 kB, MemFree 1203412 kB, Shmem 312400 kB,
/// buff/cache 9136712 kB (Buffers 301420 + Cached 8835292), MemAvailable 9876540 kB; used is
/// 16318236 − 1203412 − 9136712 = 5978112 kB.
@Suite("free output units")
struct FreeOutputUnitTests {
    func details(_ text: String) throws -> Details {
        let (incidents, _) = try IncidentCollector.analyze(text)
        try #require(incidents.count == 1)
        #expect(incidents[0].kind == .memorySnapshot)
        return incidents[0].details
    }

    @Test("$ free -m before the table: MiB")
    func mebibytesFromCommandLine() throws {
        let details = try details(
            """
            $ free -m
                           total        used        free      shared  buff/cache   available
            Mem:           15935        5838        1175         305        8922        9645
            Swap:           2047          10        2037

            """)
        // 15935 × 1024 kB.
        #expect(details.integer(at: "memory.ram_kb") == 16_317_440)
        // 2047 × 1024.
        #expect(details.integer(at: "memory.swap_total_kb") == 2_096_128)
        #expect(details.integer(at: "free_unit_kb") == 1024)
        #expect(details.string(at: "free_unit.name") == "MiB")
        #expect(details.string(at: "free_unit.evidence") == "command-line")
        #expect(details.strings(at: "missing") == [])
    }

    @Test("# free -g of procps before 3.3.10 (buffers, cached, -/+ buffers/cache): GiB")
    func classicGibibytes() throws {
        let details = try details(
            """
            [root@db1 ~]# free -g
                         total       used       free     shared    buffers     cached
            Mem:            15         14          1          0          0          8
            -/+ buffers/cache:          5          9
            Swap:            1          0          1

            """)
        // 15 × 1048576 kB; free 1 × 1048576.
        #expect(details.integer(at: "memory.ram_kb") == 15_728_640)
        #expect(details.integer(at: "memory.free_kb") == 1_048_576)
        #expect(details.string(at: "free_unit.name") == "GiB")
    }

    @Test("classic free -m: buffers and cached in MiB, used from them")
    func classicMebibytes() throws {
        let details = try details(
            """
            $ free -m
                         total       used       free     shared    buffers     cached
            Mem:         15935      14760       1175        305        294       8628
            -/+ buffers/cache:       5838      10097
            Swap:         2047         10       2037

            """)
        // buffers 294 × 1024, cached 8628 × 1024.
        #expect(details.integer(at: "memory.buffers_kb") == 301_056)
        #expect(details.integer(at: "memory.cached_kb") == 8_835_072)
        // 15935·1024 − 1175·1024 − (294 + 8628)·1024 = 5838 × 1024, the "-/+ buffers/cache" used.
        #expect(details.integer(at: "memory.used_kb") == 5_978_112)
    }

    @Test("free --mega, --kilo and -b of procps-ng 3.3.10+: powers of 1000 and bytes")
    func decimalAndBytes() throws {
        let mega = try details(
            """
            $ free --mega
                           total        used        free      shared  buff/cache   available
            Mem:           16709        6121        1232         319        9355       10113
            Swap:           2147          10        2136

            """)
        // 16709 × 10^6 bytes / 1024 = 16317382.8 kB.
        #expect(mega.integer(at: "memory.ram_kb") == 16_317_383)
        #expect(mega.string(at: "free_unit.name") == "MB (10^6 bytes)")
        let kilo = try details(
            """
            $ free --kilo
                           total        used        free      shared  buff/cache   available
            Mem:        16709873     6121586     1232293      319897     9355993    10113576

            """)
        // 16709873 × 1000 / 1024 = 16318235.4 kB.
        #expect(kilo.integer(at: "memory.ram_kb") == 16_318_235)
        let bytes = try details(
            """
            $ free -b
                           total        used        free      shared  buff/cache   available
            Mem:     16709873664  6121586688  1232293888   319897600  9355993088 10113576960
            Swap:     2147479552    10485760  2136993792

            """)
        // 16709873664 / 1024 = 16318236, MemTotal exactly.
        #expect(bytes.integer(at: "memory.ram_kb") == 16_318_236)
        #expect(bytes.value(at: "free_unit_kb") == nil)
        #expect(bytes.integer(at: "free_unit.bytes") == 1)
    }

    @Test("free -h --si: bare G and M are powers of 1000 in procps-ng 3.3.10+")
    func humanDecimal() throws {
        let details = try details(
            """
                           total        used        free      shared  buff/cache   available
            Mem:             16G        6.1G        1.2G        319M        9.4G         10G
            Swap:           2.1G         10M        2.1G

            """)
        // 16 × 10^9 / 1024 = 15625000 kB; 319 × 10^6 / 1024 = 311523.4.
        #expect(details.integer(at: "memory.ram_kb") == 15_625_000)
        #expect(details.integer(at: "memory.shmem_kb") == 311_523)
        #expect(details.string(at: "free_unit.evidence") == "suffixes")
        #expect(details.strings(at: "missing") == [])
    }

    @Test("free -h of procps-ng 3.3.0-3.3.9: bare G and M are powers of 1024")
    func humanClassic() throws {
        let details = try details(
            """
                         total       used       free     shared    buffers     cached
            Mem:           15G        14G       1.1G       305M       294M       8.4G
            -/+ buffers/cache:       5.7G       9.9G
            Swap:         2.0G        10M       2.0G

            """)
        // 15 × 1048576 kB; 294 × 1024.
        #expect(details.integer(at: "memory.ram_kb") == 15_728_640)
        #expect(details.integer(at: "memory.buffers_kb") == 301_056)
    }

    @Test("free -w: buffers and cache apart")
    func wide() throws {
        let details = try details(
            """
                           total        used        free      shared     buffers       cache   available
            Mem:        16318236     5978112     1203412      312400      301420     8835292     9876540
            Swap:        2097148       10240     2086908

            """)
        #expect(details.integer(at: "memory.buffers_kb") == 301_420)
        #expect(details.integer(at: "memory.cached_kb") == 8_835_292)
        // 301420 + 8835292.
        #expect(details.integer(at: "memory.buff_cache_kb") == 9_136_712)
        #expect(details.integer(at: "memory.used_kb") == 5_978_112)
    }

    @Test("free -l on a 32-bit HIGHMEM box: the Low and High rows")
    func lowHigh() throws {
        let details = try details(
            """
            $ free -l
                           total        used        free      shared  buff/cache   available
            Mem:         3624616     1123480     1999448       20500      501688     2310000
            Low:          869096      862828        6268
            High:        2755520      762340     1993180
            Swap:              0           0           0

            """)
        #expect(details.integer(at: "memory.low_total_kb") == 869_096)
        #expect(details.integer(at: "memory.low_free_kb") == 6268)
        #expect(details.integer(at: "memory.high_total_kb") == 2_755_520)
        #expect(details.integer(at: "memory.high_free_kb") == 1_993_180)
        #expect(details.string(at: "free_unit.name") == "KiB")
        #expect(details.string(at: "free_unit.evidence") == "command-line")
    }

    @Test("no command line, no suffixes: KiB is assumed and said so")
    func assumedKibibytes() throws {
        let details = try details(
            """
                           total        used        free      shared  buff/cache   available
            Mem:        16318236     5978112     1203412      312400     9136712     9876540
            Swap:        2097148       10240     2086908

            """)
        #expect(details.integer(at: "memory.ram_kb") == 16_318_236)
        #expect(details.string(at: "free_unit.evidence") == "assumed")
        #expect(
            details.strings(at: "missing") == [
                "free's unit is not shown (no free command line, no -h suffixes, no meminfo beside it): "
                    + "its numbers are read as KiB, procps' default"
            ])
    }

    @Test("a free -m table without its command line: left in KiB, named as probably MiB")
    func implausibleKibibytes() throws {
        let details = try details(
            """
                           total        used        free      shared  buff/cache   available
            Mem:           15935        5838        1175         305        8922        9645
            Swap:           2047          10        2037

            """)
        // Not rescaled: 15935 read as KiB.
        #expect(details.integer(at: "memory.ram_kb") == 15935)
        let missing = details.strings(at: "missing")
        #expect(missing.count == 2)
        // 5838 + 1175 + 8922 = 15935: the row adds up; 15935 kB = 15.6 MiB; 15935 MiB = 15.6 GiB.
        #expect(
            missing.last
                == "free's Mem total 15935 read as KiB is 15.6 MiB, less than any system running procps, while its "
                + "columns add up: probably free -m (15.6 GiB); the values are left in KiB")
    }

    @Test("a free -g table without its command line: probably GiB")
    func implausibleGibibytes() throws {
        let details = try details(
            """
                           total        used        free      shared  buff/cache   available
            Mem:              15           5           1           0           8           9

            """)
        // 5 + 1 + 8 = 14: within the truncation of three columns.
        #expect(
            details.strings(at: "missing").last?.hasSuffix("probably free -g (15 GiB); the values are left in KiB")
                == true)
    }

    @Test("the command line: prompts, wrappers, combined options; prose is not one")
    func commandLines() {
        #expect(FreeOutputUnitReader.commandOptions(in: ["[root@host ~]# free -mt"]) == ["-mt"])
        #expect(FreeOutputUnitReader.commandOptions(in: ["watch -n 1 free -g"]) == ["-g"])
        #expect(
            FreeOutputUnitReader.commandOptions(in: ["user@box:~$ free -s 5 -c 2 --mega"]) == [
                "-s", "5", "-c", "2", "--mega",
            ])
        #expect(FreeOutputUnitReader.commandOptions(in: ["free -h | head -2"]) == ["-h"])
        #expect(FreeOutputUnitReader.commandOptions(in: ["the free memory is low"]) == nil)
        #expect(FreeOutputUnitReader.commandOptions(in: ["free memory"]) == nil)
    }

    @Test("the options' units in both eras (scale_size)")
    func optionUnits() {
        // procps-ng 3.3.10+: --giga is 10^9 bytes, -g and --gibi 2^30.
        #expect(FreeOutputUnitReader.unit(options: ["--giga"], era: .modern).bytesPerUnit == 1_000_000_000)
        #expect(FreeOutputUnitReader.unit(options: ["--gibi"], era: .modern).bytesPerUnit == 1_073_741_824)
        #expect(FreeOutputUnitReader.unit(options: ["-g", "--si"], era: .modern).bytesPerUnit == 1_000_000_000)
        // Up to 3.3.9 --giga is -g: GiB; with --si, -m is size / 1000 in KiB: 1000 KiB.
        #expect(FreeOutputUnitReader.unit(options: ["--giga"], era: .classic).bytesPerUnit == 1_073_741_824)
        #expect(FreeOutputUnitReader.unit(options: ["-m", "--si"], era: .classic).bytesPerUnit == 1_024_000)
        #expect(FreeOutputUnitReader.unit(options: ["-k", "--si"], era: .classic).bytesPerUnit == 1000)
        #expect(FreeOutputUnitReader.unit(options: ["-t"], era: .modern).bytesPerUnit == 1024)
        #expect(FreeOutputUnitReader.unit(options: ["-ht"], era: .modern).isHuman)
    }

    @Test("with a meminfo beside it, MemTotal decides the unit")
    func meminfoDecides() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ksleuth-free-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let meminfo = """
            MemTotal:       16318236 kB
            MemFree:         1203412 kB
            MemAvailable:    9876540 kB
            Buffers:          301420 kB
            Cached:          8835292 kB

            """
        try meminfo.write(to: directory.appendingPathComponent("meminfo"), atomically: true, encoding: .utf8)
        // No command line: MemTotal 16318236 kB / 1024 = 15935.8, printed truncated as 15935.
        let free = """
                           total        used        free      shared  buff/cache   available
            Mem:           15935        5838        1175         305        8922        9645

            """
        try free.write(to: directory.appendingPathComponent("free"), atomically: true, encoding: .utf8)
        let collector = IncidentCollector()
        LogAnalyzer().analyze(
            snapshotDirectory: directory.path,
            files: ["meminfo", "free"].map { directory.appendingPathComponent($0).path }, into: collector)
        let details = try #require(collector.incidents.first).details
        #expect(details.string(at: "free_unit.name") == "MiB")
        #expect(details.string(at: "free_unit.evidence") == "meminfo")
        #expect(details.integer(at: "memory.ram_kb") == 16_318_236)
        #expect(details.strings(at: "missing") == [])
    }
}
