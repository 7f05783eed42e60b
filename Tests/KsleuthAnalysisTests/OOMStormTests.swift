// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// OOM storms and memcg v1 statistics against values read by hand from the sample logs.
@Suite("OOM storms")
struct OOMStormTests {
    func log(_ name: String) throws -> String {
        try String(
            contentsOfFile: CorpusLocator.ownCorpora.appendingPathComponent("oom/\(name).log").path, encoding: .utf8)
    }

    func object(_ value: DetailValue?) -> Details? {
        if case .object(let details)? = value { return details }
        return nil
    }

    @Test("twenty kills of one memcg are one storm, each kill still listed")
    func storm() throws {
        let incidents = try IncidentCollector.analyze(log("memcg-v2-510-storm-20-php-fpm")).incidents
        #expect(incidents.count == 20)
        let storms = incidents.compactMap { object($0.details["storm"]) }
        #expect(storms.count == 20)
        #expect(storms.map { $0["index"] } == (1...20).map { .integer(Int64($0)) })
        let last = try #require(storms.last)
        #expect(last["count_so_far"] == .integer(20))
        #expect(last["first_seen_seconds"] == .number(618_402.118093))
        // The 20th report starts at 618402.118 + 19 × 2.5 + 0.117 (its stamp pattern repeats every 3).
        guard case .number(let span)? = last["span_seconds"] else {
            Issue.record("no span")
            return
        }
        #expect(abs(span - 47.617) < 1e-6)
        let victims = incidents.compactMap { object($0.details["victim"])?["pid"] }
        #expect(
            Array(victims.prefix(7))
                == [31000, 31001, 31002, 31003, 31004, 31005, 31100].map { DetailValue.integer($0) })
    }

    @Test("a quiet gap longer than the window starts a new storm; keys are separate")
    func window() {
        var tracker = OOMStormTracker(windowSeconds: 600, maximumKeys: 2)
        func oom(_ seconds: Int64, memcg: String?) -> Incident {
            var details = Details()
            details["scope"] = .string(memcg == nil ? "global" : "memcg")
            if let memcg {
                var inner = Details()
                inner["oom_path"] = .string(memcg)
                details["memcg"] = .object(inner)
            }
            return Incident(
                kind: .oom, title: "x invoked oom-killer",
                evidence: EvidenceSpan(file: "t", firstLine: 1, lastLine: 1, firstByte: 0, lastByte: 0),
                monotonicMicroseconds: seconds * 1_000_000, wallClock: nil, host: nil, caller: nil,
                isTruncated: false, truncationReason: nil, lines: [], headerIndex: 0, details: details)
        }
        var seen: [(String?, DetailValue?)] = []
        for (seconds, memcg) in [(100, "/a"), (130, "/a"), (140, nil), (900, "/a"), (905, "/b"), (910, "/c")] {
            var incident = oom(Int64(seconds), memcg: memcg)
            tracker.record(&incident)
            let storm = object(incident.details["storm"])
            if case .string(let key)? = storm?["key"] { seen.append((key, storm?["index"])) }
        }
        #expect(seen.map { $0.0 } == ["memcg:/a", "memcg:/a", "global", "memcg:/a", "memcg:/b", "memcg:/c"])
        #expect(seen.map { $0.1 } == [1, 2, 1, 1, 1, 1].map { .integer($0) })
    }

    @Test("memcg v1 stats are summed over the blocks of the hierarchy")
    func memcgV1Sum() throws {
        let incident = try #require(
            try IncidentCollector.analyze(log("memcg-v1-414-kubepods-java")).incidents.first { $0.kind == .oom })
        let memcg = try #require(object(incident.details["memcg"]))
        #expect(memcg["stats_blocks"] == .integer(3))
        let memory = try #require(object(memcg["memory"]))
        // pod 0KB + pause 40KB + container 2081560KB of rss; the cache only in the container.
        #expect(memory["anon_kb"] == .integer(2_081_600))
        #expect(memory["page_cache_kb"] == .integer(1252))
    }
}
