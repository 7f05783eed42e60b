// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthInput
import KsleuthReports
import Testing

@Suite("Triage renderers")
struct TriageRendererTests {
    /// One input of a rendering test: its name, incidents and diagnostics.
    struct Input {
        var file: String
        var incidents: [Incident]
        var diagnostics: [Diagnostic] = []
    }

    static let kasanIdentity = CrashIdentity(
        title: "KASAN: use-after-free Read in foo", alternativeTitles: ["KASAN: use-after-free in foo"],
        type: "KASAN-USE-AFTER-FREE-READ", frame: "foo", guiltyFile: "mm/foo.c", bucket: "0123456789abcdef")

    static let inputs = [
        Input(
            file: "crash.log",
            incidents: [
                TriageFixtures.incident(.oom, "x invoked oom-killer: gfp_mask=0xcc0", file: "crash.log", firstLine: 1),
                TriageFixtures.incident(
                    .kasan, "BUG: KASAN: use-after-free in foo+0x1/0x2", file: "crash.log", firstLine: 20,
                    identity: kasanIdentity),
                TriageFixtures.incident(.warning, "WARNING: at fs/x.c:3 bar", file: "crash.log", firstLine: 40),
            ]),
        Input(file: "clean.log", incidents: []),
        Input(
            file: "gone.log", incidents: [],
            diagnostics: [Diagnostic(code: "cannot-open", severity: .error, message: "cannot open: no such file")]),
    ]

    func render(
        _ inputs: [Input], policy: TriagePolicy = TriagePolicy(), _ make: (any ReportOutput) -> any TriageRenderer
    ) -> (text: String, totals: TriageTotals) {
        let output = MemoryOutput()
        let collector = TriageCollector(policy: policy, maximumListed: 100, excerptLines: 4, renderer: make(output))
        for input in inputs {
            collector.begin(input: input.file)
            for incident in input.incidents { collector.accept(incident) }
            collector.finish(
                InputSummary(
                    file: input.file, statistics: InputStatistics(), diagnostics: input.diagnostics,
                    incidentCount: input.incidents.count))
        }
        let totals = collector.close()
        return (output.text, totals)
    }

    func object(_ text: some StringProtocol) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("jsonl: exactly one line per input, with the primary crash's title, type, corruption and bucket")
    func jsonLines() throws {
        let (text, totals) = render(Self.inputs) { TriageJSONLinesRenderer(output: $0) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 3)
        let crash = try object(lines[0])
        #expect(crash["file"] as? String == "crash.log")
        #expect(crash["title"] as? String == "KASAN: use-after-free Read in foo")
        #expect(crash["type"] as? String == "KASAN-USE-AFTER-FREE-READ")
        #expect(crash["corrupted"] as? Bool == false)
        #expect(crash["bucket"] as? String == "0123456789abcdef")
        #expect(crash["failed"] as? Bool == true)
        let incidents = try #require(crash["incidents"] as? [[String: Any]])
        #expect(incidents.map { $0["kind"] as? String } == ["oom-kill", "kasan", "warning"])
        #expect(incidents.map { $0["disposition"] as? String } == ["not-a-crash", "failed", "failed"])
        #expect(incidents[1]["guilty_file"] as? String == "mm/foo.c")
        #expect(incidents[1]["alternative_titles"] as? [String] == ["KASAN: use-after-free in foo"])
        #expect(incidents[2]["bucket"] as? String == TriageBucket.fallback(forTitle: "WARNING: at fs/x.c:3 bar"))
        let evidence = try #require(incidents[1]["evidence"] as? [String: Any])
        #expect(evidence["first_line"] as? Int == 20)
        #expect(evidence["header_line"] as? Int == 21)
        let clean = try object(lines[1])
        #expect(clean["title"] as? String == "")
        #expect(clean["bucket"] as? String == "")
        #expect((clean["incidents"] as? [Any])?.isEmpty == true)
        let gone = try object(lines[2])
        #expect(gone["error"] as? String == "cannot open: no such file")
        #expect(totals.exitStatus == 2)
    }

    @Test("json: one document with every input and the totals")
    func jsonDocument() throws {
        let (text, _) = render(Array(Self.inputs.prefix(2))) { TriageJSONRenderer(output: $0) }
        let document = try object(text)
        #expect((document["inputs"] as? [Any])?.count == 2)
        let totals = try #require(document["totals"] as? [String: Any])
        #expect(totals["exit_status"] as? Int == 1)
        #expect(totals["crashes"] as? Int == 2)
        #expect(totals["failed_inputs"] as? Int == 1)
    }

    @Test("--warnings pass and --known change dispositions and the exit status, not the listing")
    func policy() throws {
        let crashOnly = [Self.inputs[0]]
        let passing = TriagePolicy(warningsFail: false, knownEntries: ["0123456789ABCDEF"])
        let (text, totals) = render(crashOnly, policy: passing) { TriageJSONLinesRenderer(output: $0) }
        #expect(totals.exitStatus == 0)
        #expect(totals.knownIncidents == 1)
        #expect(totals.passedWarnings == 1)
        let line = try object(text)
        #expect(line["failed"] as? Bool == false)
        #expect(line["title"] as? String == "KASAN: use-after-free Read in foo")
        let incidents = try #require(line["incidents"] as? [[String: Any]])
        #expect(incidents.map { $0["disposition"] as? String } == ["not-a-crash", "known", "passed-warning"])
    }

    @Test("sarif: a result per crash with the file, the line region, a rule per kind and type, and the bucket")
    func sarif() throws {
        let policy = TriagePolicy(warningsFail: false)
        let (text, _) = render(Self.inputs, policy: policy) { TriageSARIFRenderer(output: $0, toolVersion: "9.9") }
        let document = try object(text)
        #expect(document["version"] as? String == "2.1.0")
        let run = try #require((document["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 2)
        #expect(results.map { $0["ruleId"] as? String } == ["kasan/KASAN-USE-AFTER-FREE-READ", "warning"])
        #expect(results.map { $0["level"] as? String } == ["error", "warning"])
        #expect((results[0]["message"] as? [String: Any])?["text"] as? String == "KASAN: use-after-free Read in foo")
        let location = try #require((results[0]["locations"] as? [[String: Any]])?.first)
        let physical = try #require(location["physicalLocation"] as? [String: Any])
        #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == "crash.log")
        let region = try #require(physical["region"] as? [String: Any])
        #expect(region["startLine"] as? Int == 20)
        #expect(region["endLine"] as? Int == 24)
        #expect(
            (results[0]["partialFingerprints"] as? [String: Any])?["ksleuthBucket/v1"] as? String == "0123456789abcdef")
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.map { $0["id"] as? String } == ["kasan/KASAN-USE-AFTER-FREE-READ", "warning"])
        for rule in rules {
            for key in ["shortDescription", "fullDescription", "help"] {
                #expect(((rule[key] as? [String: Any])?["text"] as? String)?.isEmpty == false, "\(key)")
            }
        }
        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        #expect(invocation["executionSuccessful"] as? Bool == false)
        #expect((invocation["toolExecutionNotifications"] as? [Any])?.count == 1)
    }

    @Test("sarif: known crashes are suppressed; absolute and odd paths become valid URI references")
    func sarifSuppressionAndURIs() throws {
        let known = TriagePolicy(knownEntries: ["KASAN: use-after-free in foo"])
        let inputs = [Input(file: "/var/log/my kern#1.log", incidents: Self.inputs[0].incidents)]
        let (text, _) = render(inputs, policy: known) { TriageSARIFRenderer(output: $0, toolVersion: "1") }
        let run = try #require((try object(text)["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect((results[0]["suppressions"] as? [[String: Any]])?.first?["kind"] as? String == "external")
        #expect(results[1]["suppressions"] == nil)
        let location = try #require((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"])
        let uri = ((location as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String
        #expect(uri == "file:///var/log/my%20kern%231.log")
    }

    @Test("junit: a test case per input, one failure for its crashes, an error for an unusable input")
    func junit() throws {
        let (text, _) = render(Self.inputs) {
            TriageJUnitRenderer(
                output: $0, timestamp: "2025-01-02T03:04:05", hostname: "ci", properties: [("warnings", "fail")])
        }
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"ksleuth triage\""))
        #expect(text.contains("tests=\"3\" failures=\"1\" errors=\"1\""))
        #expect(text.components(separatedBy: "<testcase ").count == 4)
        #expect(text.components(separatedBy: "<failure ").count == 2)
        #expect(
            text.contains(
                "<failure message=\"KASAN: use-after-free Read in foo\" type=\"kasan/KASAN-USE-AFTER-FREE-READ\">"))
        #expect(text.contains("2. WARNING: at fs/x.c:3 bar"))
        #expect(text.contains("<error message=\"cannot open: no such file\" type=\"cannot-open\">"))
        #expect(text.contains("<testcase name=\"clean.log\" classname=\"ksleuth.triage\" time=\"0.000\"/>"))
    }

    @Test("junit: with --warnings pass a warning-only input passes and is listed in system-out")
    func junitWarningsPass() throws {
        let inputs = [
            Input(
                file: "warn.log",
                incidents: [TriageFixtures.incident(.warning, "WARNING: at a.c:1 f", file: "warn.log")])
        ]
        let (text, totals) = render(inputs, policy: TriagePolicy(warningsFail: false)) {
            TriageJUnitRenderer(output: $0, timestamp: "2025-01-02T03:04:05", hostname: "ci", properties: [])
        }
        #expect(totals.exitStatus == 0)
        #expect(text.contains("failures=\"0\""))
        #expect(!text.contains("<failure"))
        #expect(text.contains("<system-out>warn.log:10: passed-warning: WARNING: at a.c:1 f ["))
    }

    @Test("junit and text: control characters from the log never reach the document or the terminal raw")
    func hostileText() throws {
        let hostile = "BUG: evil \u{1b}]0;pwned\u{07}\u{1b}[2J <&\"'> \u{0}\u{7f}\u{9b}\u{fffe}\u{202e}"
        let inputs = [
            Input(file: "bad\u{1b}[1m\".log", incidents: [TriageFixtures.incident(.bug, hostile, file: "bad.log")])
        ]
        let (xml, _) = render(inputs) {
            TriageJUnitRenderer(output: $0, timestamp: "2025-01-02T03:04:05", hostname: "ci", properties: [])
        }
        let forbidden = xml.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7f || (0x80...0x9f).contains($0.value)
                || $0.value == 0xfffe
        }
        #expect(forbidden.isEmpty)
        #expect(xml.contains("message=\"BUG: evil \\x1b]0;pwned\\x07\\x1b[2J &lt;&amp;&quot;'&gt; \\x00\\x7f\\x9b"))
        #expect(xml.contains("name=\"bad\\x1b[1m&quot;.log\""))
        let (text, _) = render(inputs) { TriageTextRenderer(output: $0, style: TerminalStyle(usesColor: false)) }
        #expect(!text.unicodeScalars.contains { TerminalSanitizerProbe.isControl($0) })
        #expect(text.contains("BUG: evil \\x1b]0;pwned\\x07\\x1b[2J"))
    }

    @Test("text: a verdict per input, each crash with its bucket, and the exit status")
    func text() {
        let (text, _) = render(Self.inputs) { TriageTextRenderer(output: $0, style: TerminalStyle(usesColor: false)) }
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("FAIL   crash.log  KASAN: use-after-free Read in foo  (2 crashes)"))
        #expect(lines[1].contains("kasan") && lines[1].contains("0123456789abcdef"))
        #expect(lines[1].contains("(KASAN-USE-AFTER-FREE-READ)"))
        #expect(lines[3] == "ok     clean.log  no crash")
        #expect(lines[4].hasPrefix("error  gone.log  cannot open"))
        #expect(lines.last == "3 inputs: 1 failed, 1 unusable; 2 crashes (2 failed); exit status 2")
    }
}

/// What a terminal would act on: C0 and C1 controls and DEL.
enum TerminalSanitizerProbe {
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\n") || scalar.value == 0x7f || (0x80...0x9f).contains(scalar.value)
    }
}
