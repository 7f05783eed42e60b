// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// Damaged OOM reports give the fields that could be read and name what is missing.
@Suite("OOM damaged input")
struct OOMDamagedInputTests {
    static let header = "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name"

    func table(_ rows: [String]) -> TaskTable {
        var parser = TaskTableParser()
        for row in [Self.header] + rows { _ = parser.read(Substring(row)) }
        return parser.table
    }

    @Test("a task row cut inside its values is unreadable, not a row with a cut rss")
    func cutRow() {
        let table = table([
            "[   7779]  1000  7779   401000   311000  2658304        0             0 gunicorn",
            "[   7781]  1000  7781   396500   2",
        ])
        #expect(table.rows.map(\.pid) == [7779])
        #expect(table.unreadableRows == 1)
        #expect(table.printedRowCount == 1)
    }

    @Test("a garbled row that kept its name counts as a row, without values")
    func garbledRow() {
        let table = table([
            "[  23093]    48 23093    53756      863   8       0     p-fpm",
            "[   1500]     0  1500   100000    50000   409600        0             0 CPU 0/KVM",
        ])
        #expect(table.rows.map(\.name) == ["CPU 0/KVM"])
        #expect(table.rows.first?.rssPages == 50000)
        #expect(table.damagedRowPids == [23093])
        #expect(table.printedRowCount == 2)
    }

    @Test("rows without a closing bracket or with garbage are never a crash")
    func garbage() {
        let table = table(["[  1234", "[\u{FFFD}\u{FFFD}] x", "[]", "[ -] 1 2 3 4 5 6 7 x", "[ 99] "])
        #expect(table.rows.isEmpty)
        #expect(table.unreadableRows >= 1)
    }

    @Test("a memcg v1 stats value without its KB unit was cut by a wrap and is not used")
    func cutStats() {
        var parser = MemcgParser()
        _ = parser.read("memory: usage 524288kB, limit 524288kB, failcnt 0")
        _ = parser.read("Memory cgroup stats for /kubepods/pod1: cache:507172KB rss:44")
        #expect(parser.info.statsCut)
        #expect(parser.info.stats["cache"] == 507_172)
        #expect(parser.info.stats["rss"] == nil)
        #expect(parser.info.counters["memory"]?.limitKB == 524_288)
    }

    @Test("rate-limiting lines give the number of messages lost")
    func suppressed() {
        #expect(OOMReport.suppressedCount("__ratelimit: 57 callbacks suppressed") == 57)
        #expect(OOMReport.suppressedCount("oom_kill_process: 3 callbacks suppressed") == 3)
        #expect(OOMReport.suppressedCount("printk: 12 messages suppressed.") == 12)
        #expect(OOMReport.suppressedCount("** 5 printk messages dropped **") == 5)
        #expect(OOMReport.suppressedCount("__ratelimit: many callbacks suppressed") == nil)
        #expect(OOMReport.suppressedCount("callbacks suppressed") == nil)
    }

    @Test("the damaged sample gives what it can read and lists what it lost")
    func damagedSample() throws {
        let url = CorpusLocator.ownCorpora.appendingPathComponent("oom/damaged-54-ratelimit-garbled-wrapped.log")
        let incident = try #require(
            try IncidentCollector.analyze(Array(Data(contentsOf: url))).incidents.first { $0.kind == .oom })
        guard case .object(let victim)? = incident.details["victim"] else {
            Issue.record("no victim")
            return
        }
        // "Killed process 4240 (stress) total-vm:1200000kB, anon-rss:959" — the rest wrapped away;
        // the row "[   4240]  1000  4240   300000   240000  2000000 …" still gives rss and page tables.
        #expect(victim["pid"] == .integer(4240))
        #expect(victim["anon_rss_kb"] == nil)
        #expect(victim["rss_kb"] == .integer(240_000 * 4))
        #expect(victim["pgtables_kb"] == .integer(2_000_000 / 1024))
        #expect(
            incident.details["missing"]
                == .list([
                    .string("task table values (1 row garbled)"),
                    .string("57 messages suppressed by printk rate limiting"), .string("kill line values (line cut)"),
                ]))
    }

    @Test("the damaged sample cut after any line never crashes and keeps its OOM")
    func everyTruncation() throws {
        let url = CorpusLocator.ownCorpora.appendingPathComponent("oom/damaged-54-ratelimit-garbled-wrapped.log")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        for count in 1...lines.count {
            let text = lines.prefix(count).joined(separator: "\n") + "\n"
            let ooms = try IncidentCollector.analyze(text).incidents.filter { $0.kind == .oom }
            #expect(ooms.count == 1, "cut after line \(count)")
            #expect(ooms.first?.details["verdict"] != nil, "cut after line \(count)")
        }
    }
}
