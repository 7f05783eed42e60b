// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// Every OOM of the shared real corpora (`real/oom-*`, `real/mixed-full-dmesg`, `ci-logs`)
/// yields an `oom-kill` incident with its scope, victim and verdict: over every file, one
/// incident per kill line with the killed pid; and, for each `real/oom-*` excerpt, the values
/// read by hand.
@Suite("OOM reports of the real corpora", .enabled(if: CorpusLocator.hasSharedCorpora, "needs ../shared corpora"))
struct OOMRealCorpusTests {
    /// What one OOM report of an excerpt states.
    struct Expected: Sendable, CustomStringConvertible {
        var scope: String
        /// The killed pid and name; `nil` where the excerpt ends before the kill line or the
        /// kernel found nothing to kill.
        var victim: (pid: Int64, comm: String)?
        var cause: String
        /// A part the excerpt lacks that `missing` must name.
        var missing: String?
        var description: String { "\(scope) \(victim.map { "\($0.pid) \($0.comm)" } ?? "-") \(cause)" }
    }

    static let cases: [(file: String, reports: [Expected])] = [
        // "amarok invoked oom-killer: gfp_mask=0x1201d2": Active_anon:211266 inactive_anon:211254 of
        // 458464 pages RAM, "Free swap  = 0kB"; the excerpt ends after the page totals.
        (
            "oom-global/forum-ubuntu-jaunty-oom-2628-syslog.log",
            [Expected(scope: "global", cause: "user-space-growth", missing: "kill line (Killed process)")]
        ),
        // "order=-1" and "Out of memory: Killed process 955 (gnome-shell)".
        (
            "oom-global/hotsos-oom-killer.log",
            [Expected(scope: "global", victim: (955, "gnome-shell"), cause: "manual")]
        ),
        // "shmem:40980" pages of "65406 pages RAM"; no kill line in the excerpt.
        (
            "oom-global/lkp-dmesg-01.log",
            [Expected(scope: "global", cause: "shmem", missing: "kill line (Killed process)")]
        ),
        // Four header lines only: nothing tells the scope or the cause.
        (
            "oom-global/shakenfist-177-kvm-vcpu-oom-header-syslog.log",
            [Expected(scope: "unknown", cause: "unknown", missing: "Mem-Info")]
        ),
        // "__alloc_pages_slowpath" → "out_of_memory": a page-allocator OOM, cut inside Mem-Info.
        (
            "oom-global/stressng-177-sparc64-oom.log",
            [Expected(scope: "global", cause: "unknown", missing: "pages RAM")]
        ),
        // "memory: usage 1048576kB, limit 1048576kB, failcnt 153", cut inside memory.stat.
        (
            "oom-memcg/kata-2775-memcg-v2-stats-dmesg-T.log",
            [Expected(scope: "memcg", cause: "memcg-limit", missing: "kill line (Killed process)")]
        ),
        // "Kill process 62685 (bash)" selects, "Killed process 62769 (" kills the task-table row
        // "[  62769] … cp"; "rss:44" lost its "8KB" to the terminal's wrap.
        (
            "oom-memcg/kubedirector-356-memcg-v1-terminal-wrapped.log",
            [
                Expected(
                    scope: "memcg", victim: (62769, "cp"), cause: "memcg-limit",
                    missing: "memcg stats values (line cut)")
            ]
        ),
        // The end of one memcg OOM, from "Memory cgroup stats for /kubepods/pod95387fa4-…" on
        // (its header is not in the excerpt) to "Killed process 28438 (java)", and the header of
        // the next.
        (
            "oom-memcg/kubernetes-56891-memcg-rhel7-dmesg-T.log",
            [
                Expected(
                    scope: "memcg", victim: (28438, "java"), cause: "memcg-limit",
                    missing: "trigger line (invoked oom-killer)"),
                Expected(scope: "unknown", cause: "unknown", missing: "kill line (Killed process)"),
            ]
        ),
        // Begins at "Hardware name:", inside the header's dump_stack(), and ends at "Code:": the
        // report opens at "dump_header+0x4a/0x201"; "mem_cgroup_out_of_memory+0x13a/0x150"
        // charges a memcg. No kill line, so no victim.
        (
            "oom-memcg/crun-1357-rhel9-memcg-oom-syslog.log",
            [Expected(scope: "memcg", cause: "memcg-limit", missing: "trigger line (invoked oom-killer)")]
        ),
        // "Memory cgroup out of memory: Kill process 1012 (heapster)" and its kill line.
        ("oom-memcg/npd-oom-kill.log", [Expected(scope: "memcg", victim: (1012, "heapster"), cause: "memcg-limit")]),
        // "Out of memory and no killable processes..." closes an OOM whose header was cut away;
        // the next one charges a memcg ("mem_cgroup_out_of_memory") and is cut in its stack.
        (
            "oom-memcg/systemd-40208-memcg-oom-journal-kernel-prefix.log",
            [
                Expected(scope: "unknown", cause: "no-killable-process"),
                Expected(scope: "memcg", cause: "memcg-limit", missing: "kill line (Killed process)"),
            ]
        ),
    ]

    static var caseNames: [String] { cases.map(\.file) }

    func string(_ value: DetailValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    func object(_ value: DetailValue?) -> Details {
        if case .object(let details)? = value { return details }
        return Details()
    }

    @Test("each OOM has its scope, victim and verdict", arguments: caseNames)
    func report(file: String) throws {
        let root = try #require(CorpusLocator.sharedRoot).appendingPathComponent("corpora/real")
        let expected = try #require(Self.cases.first { $0.file == file }).reports
        let bytes = try Array(Data(contentsOf: root.appendingPathComponent(file)))
        let ooms = try IncidentCollector.analyze(bytes, name: file).incidents.filter { $0.kind == .oom }
        try #require(ooms.count == expected.count, "\(file): \(ooms.count) OOM incidents")
        for (incident, want) in zip(ooms, expected) {
            let details = incident.details
            #expect(string(details["scope"]) == want.scope, "\(file)")
            let victim = object(details["victim"])
            if let (pid, comm) = want.victim {
                #expect(victim["pid"] == .integer(pid), "\(file)")
                #expect(victim["comm"] == .string(comm), "\(file)")
            } else {
                #expect(victim["pid"] == nil, "\(file)")
            }
            #expect(string(object(details["verdict"])["cause"]) == want.cause, "\(file)")
            #expect(string(object(details["verdict"])["summary"])?.isEmpty == false, "\(file)")
            if let part = want.missing {
                guard case .list(let missing)? = details["missing"] else {
                    Issue.record("\(file): no missing list")
                    continue
                }
                #expect(missing.contains(.string(part)), "\(file): \(missing)")
            }
        }
    }

    /// Every log of `real/oom-*`, `real/mixed-full-dmesg` and `ci-logs`, relative to `corpora/`.
    static var sweptFiles: [String] {
        guard let corpora = CorpusLocator.sharedRoot?.appendingPathComponent("corpora") else { return [] }
        let real = corpora.appendingPathComponent("real")
        let folders =
            ((try? FileManager.default.contentsOfDirectory(atPath: real.path)) ?? [])
            .filter { $0.hasPrefix("oom-") || $0 == "mixed-full-dmesg" }.map { real.appendingPathComponent($0) }
            + [corpora.appendingPathComponent("ci-logs")]
        return folders.flatMap { CorpusLocator.files(under: $0) }.map {
            String($0.path.dropFirst(corpora.path.count + 1))
        }
    }

    /// Lines that only an OOM report holds before its kill line: the header, dump_header()'s
    /// frames, the memcg's counters and stats, the task table, the constraint summary.
    static let reportMarkers = [
        "invoked oom-killer", "dump_header+", "oom_kill_process+", "memory: usage ", "Memory cgroup stats for",
        "Tasks state (memory values in pages)", "oom-kill:constraint=",
    ]

    @Test("each kill line gives one OOM incident with the killed pid, scope and verdict", arguments: sweptFiles)
    func oneIncidentPerKill(file: String) throws {
        let corpora = try #require(CorpusLocator.sharedRoot).appendingPathComponent("corpora")
        let bytes = try Array(Data(contentsOf: corpora.appendingPathComponent(file)))
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        // Counted like grep: the kernel ends an OOM report with its kill line ("Killed process
        // 955 (gnome-shell) …", after "Out of memory: " or "Memory cgroup out of memory: " from
        // 4.19 on) or with "Out of memory and no killable processes...", which kills nobody.
        let kills = lines.filter { $0.contains("Killed process") }.count
        let noKillable = lines.filter { $0.contains("Out of memory and no killable processes") }.count
        // An excerpt cut before its last OOM's kill line (the search index kept only part of
        // the issue's log) still holds that OOM, without a victim.
        let lastEnd = lines.lastIndex {
            $0.contains("Killed process") || $0.contains("Out of memory and no killable processes")
        }
        let after = lines[(lastEnd.map { $0 + 1 } ?? 0)...]
        let cutOff = after.contains { line in Self.reportMarkers.contains { line.contains($0) } } ? 1 : 0

        let ooms = try IncidentCollector.analyze(bytes, name: file).incidents.filter { $0.kind == .oom }
        #expect(ooms.count == kills + noKillable + cutOff, "\(file): \(kills) kill lines, \(ooms.count) OOMs")
        let victims = ooms.filter { object($0.details["victim"])["pid"] != nil }
        #expect(victims.count == kills, "\(file): \(victims.count) OOMs with a victim, \(kills) kill lines")
        for incident in ooms {
            let line = incident.evidence.firstLine
            #expect(string(incident.details["scope"])?.isEmpty == false, "\(file):\(line)")
            let verdict = object(incident.details["verdict"])
            #expect(string(verdict["cause"])?.isEmpty == false, "\(file):\(line)")
            #expect(string(verdict["summary"])?.isEmpty == false, "\(file):\(line)")
            if object(incident.details["victim"])["pid"] == nil, string(verdict["cause"]) != "no-killable-process" {
                guard case .list(let missing)? = incident.details["missing"] else {
                    Issue.record("\(file):\(line): no victim and no missing list")
                    continue
                }
                #expect(missing.contains(.string("kill line (Killed process)")), "\(file):\(line): \(missing)")
            }
        }
    }

    @Test("a 2.6.28 report decodes its mask and Mem-Info with that era's layout")
    func era2628() throws {
        let root = try #require(CorpusLocator.sharedRoot).appendingPathComponent("corpora/real")
        let bytes = try Array(
            Data(contentsOf: root.appendingPathComponent("oom-global/forum-ubuntu-jaunty-oom-2628-syslog.log")))
        let incident = try #require(try IncidentCollector.analyze(bytes).incidents.first { $0.kind == .oom })
        let trigger = object(incident.details["trigger"])
        // 2.6.23-2.6.30 put __GFP_MOVABLE at 0x100000: 0x1201d2 = GFP_HIGHUSER_MOVABLE | __GFP_COLD.
        #expect(trigger["gfp_flags"] == .list([.string("GFP_HIGHUSER_MOVABLE"), .string("__GFP_COLD")]))
        let memory = object(incident.details["memory"])
        #expect(memory["anon_kb"] == .integer((211_266 + 211_254) * 4))
        #expect(memory["slab_kb"] == .integer(4454 * 4))
        #expect(memory["ram_kb"] == .integer(458_464 * 4))
    }
}
