// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthInput
import KsleuthReports
import KsleuthSignatures
import KsleuthTestSupport
import Testing

@Suite("Triage output against the SARIF and JUnit schemas")
struct TriageSchemaValidationTests {
    static var schemas: URL? { CorpusLocator.sharedRoot?.appendingPathComponent("schemas") }
    static var sarifSchema: URL? { schemas?.appendingPathComponent("sarif-schema-2.1.0.json") }
    static var junitSchema: URL? { schemas?.appendingPathComponent("junit.xsd") }
    static var canValidateSARIF: Bool {
        sarifSchema.map { FileManager.default.fileExists(atPath: $0.path) } == true
            && SchemaValidator.run(["python3", "-c", "import jsonschema"]).status == 0
    }
    static var canValidateJUnit: Bool {
        junitSchema.map { FileManager.default.fileExists(atPath: $0.path) } == true
            && SchemaValidator.run(["xmllint", "--version"]).status == 0
    }

    /// A crash log whose text carries every kind of hostile character.
    static let hostileLog = """
        [    1.000000] BUG: unable to handle page fault for address: \u{1b}]0;pwned\u{07}\u{1b}[2J <&"'>
        [    1.000001] #PF: supervisor read access in kernel mode \u{0}\u{7f}\u{9b}\u{fffe}\u{202e}
        [    1.000002] Oops: 0000 [#1] SMP
        [    1.000003] CPU: 0 PID: 1 Comm: init\r Not tainted 6.1.0 #1
        [    1.000004] WARNING: CPU: 0 PID: 1 at fs/x.c:3 foo+0x1/0x2
        [    1.000005] ---[ end trace 0000000000000000 ]---

        """

    /// The logs the documents are made of: every crash and memory log of the real corpus, the
    /// hostile log, and a file that does not exist.
    static func logs() throws -> [String] {
        var paths: [String] = []
        if let real = CorpusLocator.sharedRoot?.appendingPathComponent("corpora/real") {
            paths += CorpusLocator.files(under: real).map(\.path)
        }
        let hostile = FileManager.default.temporaryDirectory.appendingPathComponent("ksleuth-triage-hostile \u{1b}.log")
        try Data(hostileLog.utf8).write(to: hostile)
        return paths + [hostile.path, "/nonexistent/kern.log"]
    }

    static func render(
        configuration: AnalysisConfiguration = AnalysisConfiguration(), extraLogs: [String] = [],
        _ make: (any ReportOutput) -> any TriageRenderer
    ) throws -> String {
        let output = MemoryOutput()
        let collector = TriageCollector(
            policy: TriagePolicy(warningsFail: false, knownEntries: ["Oops: 0000 [#1] SMP"]), maximumListed: 100,
            excerptLines: 12, renderer: make(output))
        let analyzer = LogAnalyzer(configuration: configuration)
        for path in try logs() + extraLogs { analyzer.analyze(path: path, into: collector) }
        collector.close()
        return output.text
    }

    @Test("SARIF validates against the 2.1.0 schema", .enabled(if: canValidateSARIF))
    func sarifValidates() throws {
        let text = try Self.render { TriageSARIFRenderer(output: $0, toolVersion: "0.1.0") }
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            document = json.load(sys.stdin)
            jsonschema.Draft4Validator.check_schema(schema)
            errors = list(jsonschema.Draft4Validator(schema).iter_errors(document))
            for error in errors[:5]: print(error.message[:300], list(error.absolute_path))
            sys.exit(1 if errors else 0)
            """
        let result = SchemaValidator.run(["python3", "-c", script, try #require(Self.sarifSchema).path], input: text)
        #expect(result.status == 0, "\(result.output)")
        let run = try #require(
            (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])
        #expect((run.first?["results"] as? [Any])?.isEmpty == false)
    }

    @Test(
        "SARIF with signature rules, their results and notices validates against the 2.1.0 schema",
        .enabled(if: canValidateSARIF))
    func sarifWithSignaturesValidates() throws {
        let configuration = AnalysisConfiguration(additionalAnalyzers: [
            SignatureAnnotator(database: try TriageSignatureTests.database())
        ])
        let text = try Self.render(configuration: configuration, extraLogs: TriageSignatureTests.noticeLogs.map(\.path))
        {
            TriageSARIFRenderer(output: $0, toolVersion: "0.1.0")
        }
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            document = json.load(sys.stdin)
            errors = list(jsonschema.Draft4Validator(schema).iter_errors(document))
            for error in errors[:5]: print(error.message[:300], list(error.absolute_path))
            rules = document["runs"][0]["tool"]["driver"]["rules"]
            if not any(rule["id"].startswith("ksleuth.signature.") for rule in rules): sys.exit(2)
            if not any(result["level"] == "note" for result in document["runs"][0]["results"]): sys.exit(3)
            sys.exit(1 if errors else 0)
            """
        let result = SchemaValidator.run(["python3", "-c", script, try #require(Self.sarifSchema).path], input: text)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test(
        "JUnit validates against the XSD and stays well-formed with control characters", .enabled(if: canValidateJUnit))
    func junitValidates() throws {
        let text = try Self.render {
            TriageJUnitRenderer(
                output: $0, timestamp: "2025-06-01T12:00:00", hostname: "ci-runner",
                properties: [("warnings", "pass")])
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ksleuth-triage-\(UUID()).xml")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(text.utf8).write(to: file)
        let result = SchemaValidator.run(
            ["xmllint", "--noout", "--schema", try #require(Self.junitSchema).path, file.path])
        #expect(result.status == 0, "\(result.output)")
        #expect(text.contains("<failure "))
        #expect(text.contains("<error "))
    }
}

/// Runs a schema validator (`python3`, `xmllint`) found on `PATH`.
enum SchemaValidator {
    static func run(_ arguments: [String], input: String = "") -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ksleuth-validate-\(UUID())")
        let outputURL = scratch.appendingPathExtension("out")
        defer {
            try? FileManager.default.removeItem(at: scratch)
            try? FileManager.default.removeItem(at: outputURL)
        }
        do {
            try Data(input.utf8).write(to: scratch)
            _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
            let outputHandle = try FileHandle(forWritingTo: outputURL)
            process.standardInput = try FileHandle(forReadingFrom: scratch)
            process.standardOutput = outputHandle
            process.standardError = outputHandle
            try process.run()
            process.waitUntilExit()
            try outputHandle.close()
            let output = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
            return (process.terminationStatus, output)
        } catch {
            return (-1, "\(error)")
        }
    }
}
