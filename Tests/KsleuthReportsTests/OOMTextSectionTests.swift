// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthInput
import KsleuthReports
import KsleuthTestSupport
import Testing

/// The compact OOM section of the text report, with values read by hand from the logs.
@Suite("OOM text section")
struct OOMTextSectionTests {
    func render(_ relativePath: String) throws -> [String] {
        let url = CorpusLocator.ownCorpora.appendingPathComponent(relativePath)
        let output = MemoryOutput()
        let renderer = TextRenderer(output: output, style: TerminalStyle(usesColor: false))
        let bytes = try Array(Data(contentsOf: url))
        let input = try LogInput(name: url.lastPathComponent, raw: MemoryByteSource(bytes))
        LogAnalyzer().analyze(input, into: renderer)
        return output.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func squeezed(_ line: String) -> String {
        line.split(separator: " ").joined(separator: " ")
    }

    @Test("a memcg v1 OOM shows the verdict first, then the victim and the top consumer")
    func memcgKubernetes() throws {
        let lines = try render("oom/memcg-v1-414-kubepods-java.log")
        let verdict = try #require(lines.firstIndex { $0.hasPrefix("     verdict ") })
        #expect(squeezed(lines[verdict]) == "verdict memcg-limit")
        // "Task in … killed as a result of limit of /kubepods/burstable/pod3b6f0e2a-8d41-11ea-9c2d-0a1b2c3d4e5f"
        #expect(
            lines.contains {
                squeezed($0)
                    == "scope memcg /kubepods/burstable/pod3b6f0e2a-8d41-11ea-9c2d-0a1b2c3d4e5f (limit 2097152 kB)"
            })
        let victim = try #require(lines.firstIndex { $0.hasPrefix("     victim ") })
        #expect(verdict < victim)
        // "Killed process 30102 (java) total-vm:3929364kB, anon-rss:2078160kB, file-rss:1040kB, shmem-rss:0kB"
        // and "Kill process 30102 (java) score 1961"; the row's nr_ptes 1180 + nr_pmds 6 pages = 4744 kB.
        #expect(squeezed(lines[victim]) == "victim pid 30102 java uid 1000 score 1961 oom_score_adj 968")
        #expect(
            squeezed(lines[victim + 1])
                == "rss anon 2078160 kB, file 1040 kB, shmem 0 kB; page tables 4744 kB; total-vm 3929364 kB")
        // "memory: usage 2097152kB, limit 2097152kB, failcnt 5421"
        #expect(
            lines.contains {
                squeezed($0)
                    == "usage 2097152 kB, limit 2097152 kB, failcnt 5421; java holds 2079200 kB RSS (99.1% of the limit)"
            })
        // The java row: rss 519800 pages = 2079200 kB of the 2097152 kB limit.
        let header = try #require(lines.firstIndex { $0.hasPrefix("     top consumers ") })
        #expect(squeezed(lines[header]) == "top consumers comm tasks rss kB of limit")
        #expect(squeezed(lines[header + 1]) == "java 1 2079200 99.1%")
        #expect(lines.contains { squeezed($0) == "3 tasks, 2080000 kB rss in all" })
        // Nothing the section shows comes again in the generic tree.
        #expect(!lines.contains { $0.hasPrefix("     victim_pid") || $0.hasPrefix("     tasks") })
    }

    @Test("a global OOM shows where the memory was and the zone below min")
    func globalBreakdown() throws {
        let lines = try render("oom/damaged-54-ratelimit-garbled-wrapped.log")
        // "524288 pages RAM"; anon 480000 + 20000 - shmem 50 pages; "free:3000".
        let memory = try #require(lines.firstIndex { $0.hasPrefix("     memory ") })
        #expect(lines[memory].contains("RAM 2097152 kB"))
        #expect(lines[memory].contains("free 12000 kB"))
        #expect(lines[memory + 1].contains("anon") && lines[memory + 1].contains("1999800 kB"))
        let zones = try #require(lines.firstIndex { $0.hasPrefix("     zones ") })
        // "Node 0 Normal free:12000kB min:12500kB low:15600kB high:18700kB"
        #expect(
            squeezed(lines[zones])
                == "zones Node 0 Normal below min: free 12000 kB < min 12500 kB (low 15600, high 18700)")
        // The section fits a 120-column terminal (the evidence excerpt below it quotes the log).
        let section = lines[memory...].prefix { !$0.contains(" │ ") }
        #expect(section.allSatisfy { $0.count <= 120 })
    }
}
