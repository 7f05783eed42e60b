// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthReports
import KsleuthSignatures
import KsleuthTestSupport
import Testing

@Suite("Triage: signatures as SARIF rules and JUnit messages; notices never fail a run")
struct TriageSignatureTests {
    /// The repository's `signatures/`.
    static func database() throws -> SignatureDatabase {
        try SignatureDatabase.load(directory: CorpusLocator.repositoryRoot.appendingPathComponent("signatures").path)
    }

    static var noticeLogs: [URL] {
        CorpusLocator.files(under: CorpusLocator.ownCorpora.appendingPathComponent("notice"))
    }

    static func log(_ name: String) -> String {
        CorpusLocator.ownCorpora.appendingPathComponent("notice/\(name)").path
    }

    /// Triage of `paths` with every signature loaded, through `make`'s renderer.
    static func triage(_ paths: [String], _ make: (any ReportOutput) -> any TriageRenderer) throws -> (
        text: String, totals: TriageTotals
    ) {
        let output = MemoryOutput()
        let collector = TriageCollector(
            policy: TriagePolicy(), maximumListed: 100, excerptLines: 12, renderer: make(output))
        let analyzer = LogAnalyzer(
            configuration: AnalysisConfiguration(additionalAnalyzers: [SignatureAnnotator(database: try database())]))
        for path in paths { analyzer.analyze(path: path, into: collector) }
        let totals = collector.close()
        return (output.text, totals)
    }

    static func sarif(_ paths: [String]) throws -> (rules: [[String: Any]], results: [[String: Any]]) {
        let text = try triage(paths) { TriageSARIFRenderer(output: $0, toolVersion: "0.1.0") }.text
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let run = try #require((document["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        return (try #require(driver["rules"] as? [[String: Any]]), try #require(run["results"] as? [[String: Any]]))
    }

    static func text(_ object: Any?, _ key: String) -> String? { (object as? [String: Any])?[key] as? String }

    @Test("a matched conntrack notice makes its signature a rule with the title, explanation and help")
    func signatureRule() throws {
        let (rules, results) = try Self.sarif([Self.log("netns-unregister-netdevice-5x-docker.log")])
        let rule = try #require(rules.first { $0["id"] as? String == "ksleuth.signature.nf-conntrack-table-full" })
        #expect(rule["name"] as? String == "NfConntrackTableFull")
        #expect(
            Self.text(rule["shortDescription"], "text")
                == "The connection tracking table is full and new connections are dropped (nf_conntrack table full)")
        #expect(Self.text(rule["fullDescription"], "text")?.hasPrefix("Every connection that netfilter tracks") == true)
        let help = try #require(rule["help"] as? [String: Any])
        let helpText = try #require(help["text"] as? String)
        #expect(helpText.hasPrefix("Compare conntrack -C (or /proc/sys/net/netfilter/nf_conntrack_count)"))
        #expect(
            helpText.hasSuffix(
                "References:\n- kernel documentation: Documentation/networking/nf_conntrack-sysctl.rst"
                    + " <https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/"
                    + "Documentation/networking/nf_conntrack-sysctl.rst>"))
        let markdown = try #require(help["markdown"] as? String)
        #expect(markdown.hasPrefix("**What to do**\n\nCompare conntrack -C"))
        #expect(
            markdown.contains(
                "- [kernel documentation: Documentation/networking/nf\\_conntrack-sysctl.rst](https://git.kernel.org/"))
        #expect(
            rule["helpUri"] as? String
                == "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/"
                + "Documentation/networking/nf_conntrack-sysctl.rst")
        #expect(Self.text(rule["defaultConfiguration"], "level") == "error")
        let properties = try #require(rule["properties"] as? [String: Any])
        #expect(
            properties["tags"] as? [String] == [
                "linux-kernel", "signature", "net", "network", "netfilter", "conntrack",
            ])
        #expect(properties["problem.severity"] as? String == "error")
        #expect(properties["security-severity"] == nil)

        // The signature's result lies on the notice's lines (28-31), at the notice's level.
        let result = try #require(
            results.first { $0["ruleId"] as? String == "ksleuth.signature.nf-conntrack-table-full" })
        #expect(result["level"] as? String == "note")
        let location = try #require(
            (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        let region = try #require(location["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 28)
        #expect(region["endLine"] as? Int == 31)
        #expect(
            result["ruleIndex"] as? Int
                == rules.firstIndex { $0["id"] as? String == "ksleuth.signature.nf-conntrack-table-full" })
    }

    @Test("a notice is a result at level note; the hung task beside it is an error with its signature result")
    func noticeAndCrashLevels() throws {
        let (rules, results) = try Self.sarif([Self.log("netns-unregister-netdevice-5x-docker.log")])
        let notices = results.filter { $0["ruleId"] as? String == "notice" }
        #expect(notices.map { $0["level"] as? String } == ["note", "note"])
        #expect(
            Self.text(notices.first?["message"], "text")
                == "unregister_netdevice: waiting for lo to become free. Usage count = 1")
        let noticeRule = try #require(rules.first { $0["id"] as? String == "notice" })
        #expect(Self.text(noticeRule["defaultConfiguration"], "level") == "note")
        let hung = try #require(results.first { $0["ruleId"] as? String == "hung-task/HANG" })
        #expect(Self.text(hung["message"], "text") == "INFO: task hung in copy_net_ns")
        #expect(hung["level"] as? String == "error")
        #expect(
            (hung["properties"] as? [String: Any])?["signatures"] as? [String] == ["netns-teardown-netdevice-refcount"])
        // netns-teardown matches the notice (lines 4-27) and the hung task (lines 9-26).
        let netns = results.filter { $0["ruleId"] as? String == "ksleuth.signature.netns-teardown-netdevice-refcount" }
        #expect(netns.map { $0["level"] as? String } == ["note", "error"])
        let rule = try #require(
            rules.first { $0["id"] as? String == "ksleuth.signature.netns-teardown-netdevice-refcount" })
        #expect(
            Self.text(rule["shortDescription"], "text")
                == "Network namespace teardown is stuck because a device is still referenced (unregister_netdevice waiting)"
        )
        #expect(rule["helpUri"] as? String == "https://github.com/moby/moby/issues/5618")
    }

    @Test("a log with notices only passes triage with exit status 0, and its JUnit test case does not fail")
    func noticesNeverFail() throws {
        let path = Self.log("storage-errors-6x-ext4-nvme.log")
        let (junit, totals) = try Self.triage([path]) {
            TriageJUnitRenderer(output: $0, timestamp: "2026-01-01T00:00:00", hostname: "ci", properties: [])
        }
        #expect(totals.exitStatus == 0)
        #expect(totals.crashIncidents == 0)
        #expect(!junit.contains("<failure"))
        let (_, results) = try Self.sarif([path])
        #expect(results.filter { $0["ruleId"] as? String == "notice" }.count == 3)
        // The nvme errors (lines 6-7) are a failing device; the loop device's error at boot (line 3) is not.
        let block = results.filter { $0["ruleId"] as? String == "ksleuth.signature.block-device-io-error" }
        let regions = block.compactMap {
            ((($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"]
                as? [String: Any])?["startLine"] as? Int
        }
        #expect(regions == [6])
        #expect(results.contains { $0["ruleId"] as? String == "ksleuth.signature.ext4-bug-or-warning" })
    }

    @Test("the JUnit failure names the signature the crash matched")
    func junitNamesSignature() throws {
        let (junit, totals) = try Self.triage([Self.log("netns-unregister-netdevice-5x-docker.log")]) {
            TriageJUnitRenderer(output: $0, timestamp: "2026-01-01T00:00:00", hostname: "ci", properties: [])
        }
        #expect(totals.exitStatus == 1)
        #expect(
            junit.contains(
                "<failure message=\"INFO: task hung in copy_net_ns (known failure"
                    + " netns-teardown-netdevice-refcount: Network namespace teardown is stuck because a device is still"
                    + " referenced (unregister_netdevice waiting))\" type=\"hung-task/HANG\">"))
        #expect(junit.contains("   known failure netns-teardown-netdevice-refcount (high): Network namespace teardown"))
    }
}
