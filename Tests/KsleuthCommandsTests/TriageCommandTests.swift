// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthTestSupport
import Testing

@Suite("ksleuth triage")
struct TriageCommandTests {
    static let oops = """
        [  100.000000] BUG: kernel NULL pointer dereference, address: 0000000000000010
        [  100.000001] #PF: supervisor read access in kernel mode
        [  100.000002] Oops: 0000 [#1] SMP
        [  100.000003] CPU: 1 PID: 42 Comm: bash Not tainted 6.1.0 #1
        [  100.000004] RIP: 0010:foo+0x1/0x2
        [  100.000005] Call Trace:
        [  100.000006]  <TASK>
        [  100.000007]  bar+0x10/0x20
        [  100.000008]  </TASK>
        [  100.000009] ---[ end trace 0000000000000000 ]---

        """

    static let warning = """
        [  200.000000] ------------[ cut here ]------------
        [  200.000001] WARNING: CPU: 0 PID: 7 at fs/inode.c:123 iput+0x1/0x2
        [  200.000002] Modules linked in: ext4
        [  200.000003] CPU: 0 PID: 7 Comm: kworker/0:1 Not tainted 6.1.0 #1
        [  200.000004] Call Trace:
        [  200.000005]  <TASK>
        [  200.000006]  evict+0x10/0x20
        [  200.000007]  </TASK>
        [  200.000008] ---[ end trace 0000000000000000 ]---

        """

    static let clean = "[    1.000000] Linux version 6.1.0\n[    2.000000] usb 1-1: new device\n"

    /// Temporary files holding `texts`, in one directory removed by `cleanUp`.
    struct Files {
        let directory: URL
        let paths: [String]

        init(_ texts: [String: String]) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("ksleuth-triage-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var paths: [String] = []
            for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
                let url = directory.appendingPathComponent(name)
                try Data(text.utf8).write(to: url)
                paths.append(url.path)
            }
            self.paths = paths
        }

        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        func cleanUp() { try? FileManager.default.removeItem(at: directory) }
    }

    func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test("exit status 0 without a crash, 1 with one, 2 for an unusable input even beside a crash")
    func exitStatus() throws {
        let files = try Files(["clean.log": Self.clean, "oops.log": Self.oops])
        defer { files.cleanUp() }
        #expect(try KsleuthBinary.run(["triage", files.path("clean.log")]).status == 0)
        #expect(try KsleuthBinary.run(["triage", files.path("clean.log"), files.path("oops.log")]).status == 1)
        let missing = try KsleuthBinary.run(["triage", files.path("oops.log"), files.path("missing.log")])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("ksleuth: error: \(files.path("missing.log")): cannot open"))
        let empty = try Files(["empty.log": ""])
        defer { empty.cleanUp() }
        #expect(try KsleuthBinary.run(["triage", empty.paths[0]]).status == 0)
    }

    @Test("standard input is -")
    func standardInput() throws {
        let result = try KsleuthBinary.run(["triage", "--format", "jsonl", "-"], input: Data(Self.oops.utf8))
        #expect(result.status == 1)
        let line = try #require(try lines(result.standardOutput).first)
        #expect(line["file"] as? String == "-")
        #expect((line["title"] as? String)?.isEmpty == false)
    }

    @Test("bad flags and an unreadable --known file are errors with status 2")
    func badCommandLines() throws {
        let files = try Files(["oops.log": Self.oops])
        defer { files.cleanUp() }
        for arguments in [
            ["triage", "--format", "xml", files.paths[0]], ["triage", "--warnings", "maybe", files.paths[0]],
            ["triage", "--max-incidents", "0", files.paths[0]],
            ["triage", "--known", files.path("no-such-list"), files.paths[0]],
            ["triage", "--known", files.directory.path, files.paths[0]],
        ] {
            let result = try KsleuthBinary.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(!result.standardError.isEmpty, "\(arguments)")
            #expect(result.standardOutput.isEmpty, "\(arguments)")
        }
    }

    @Test("--known by bucket or by title makes the crash not count; comments and blank lines are skipped")
    func knownCrashes() throws {
        let files = try Files(["oops.log": Self.oops, "warn.log": Self.warning])
        defer { files.cleanUp() }
        let first = try KsleuthBinary.run(["triage", "--format", "jsonl", files.path("oops.log")])
        #expect(first.status == 1)
        let bucket = try #require(try lines(first.standardOutput).first?["bucket"] as? String)
        let title = try #require(try lines(first.standardOutput).first?["title"] as? String)
        for entry in [bucket, title, bucket.uppercased()] {
            let list = try Files(["known.txt": "# known crashes\n\n   \(entry)  \r\n# end\n"])
            defer { list.cleanUp() }
            let known = try KsleuthBinary.run(["triage", "--known", list.paths[0], files.path("oops.log")])
            #expect(known.status == 0, "\(entry): \(known.standardOutput)")
            #expect(known.standardOutput.contains("known"))
            let both = try KsleuthBinary.run([
                "triage", "--known", list.paths[0], files.path("oops.log"), files.path("warn.log"),
            ])
            #expect(both.status == 1, "the warning still counts")
        }
        let commented = try Files(["known.txt": "# \(bucket)\n"])
        defer { commented.cleanUp() }
        #expect(try KsleuthBinary.run(["triage", "--known", commented.paths[0], files.path("oops.log")]).status == 1)
    }

    @Test("--warnings pass lets a warning-only log pass; --warnings fail (the default) fails it")
    func warningsPolicy() throws {
        let files = try Files(["oops.log": Self.oops, "warn.log": Self.warning])
        defer { files.cleanUp() }
        let warn = files.path("warn.log")
        #expect(try KsleuthBinary.run(["triage", warn]).status == 1)
        #expect(try KsleuthBinary.run(["triage", "--warnings", "fail", warn]).status == 1)
        let passed = try KsleuthBinary.run(["triage", "--warnings", "pass", "--format", "jsonl", warn])
        #expect(passed.status == 0)
        let line = try #require(try lines(passed.standardOutput).first)
        #expect(line["failed"] as? Bool == false)
        #expect((line["incidents"] as? [[String: Any]])?.first?["disposition"] as? String == "passed-warning")
        #expect(try KsleuthBinary.run(["triage", "--warnings", "pass", warn, files.path("oops.log")]).status == 1)
        let junit = try KsleuthBinary.run(["triage", "--warnings", "pass", "--format", "junit", warn])
        #expect(junit.status == 0)
        #expect(junit.standardOutput.contains("failures=\"0\""))
    }

    @Test("jsonl: exactly one line per input, in order, an unusable one included")
    func jsonLinesPerInput() throws {
        let files = try Files(["a.log": Self.oops + Self.warning, "b.log": Self.clean])
        defer { files.cleanUp() }
        let result = try KsleuthBinary.run([
            "triage", "--format", "jsonl", files.path("a.log"), files.path("missing.log"), files.path("b.log"),
        ])
        #expect(result.status == 2)
        let parsed = try lines(result.standardOutput)
        #expect(
            parsed.map { $0["file"] as? String } == [
                files.path("a.log"), files.path("missing.log"), files.path("b.log"),
            ])
        #expect((parsed[0]["incidents"] as? [Any])?.count == 2)
        for key in ["title", "type", "corrupted", "bucket", "incidents"] { #expect(parsed[0][key] != nil, "\(key)") }
        #expect(parsed[1]["error"] is String)
        #expect(parsed[2]["title"] as? String == "")
    }

    @Test("sarif and junit from the binary are documents with the inputs' crashes; text escapes the log")
    func formats() throws {
        let hostile = Self.oops.replacingOccurrences(of: "RIP: 0010:foo", with: "RIP: 0010:\u{1b}]0;pwned\u{07}foo")
        let files = try Files(["a.log": hostile])
        defer { files.cleanUp() }
        let sarif = try KsleuthBinary.run(["triage", "--format", "sarif", files.paths[0]])
        #expect(sarif.status == 1)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(sarif.standardOutput.utf8)) as? [String: Any])
        #expect(document["version"] as? String == "2.1.0")
        let junit = try KsleuthBinary.run(
            ["triage", "--format", "junit", files.paths[0]], environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        #expect(junit.status == 1)
        #expect(junit.standardOutput.contains("timestamp=\"2023-11-14T22:13:20\""))
        #expect(!junit.standardOutput.contains("\u{1b}"))
        let text = try KsleuthBinary.run(["triage", "--color", "always", files.paths[0]])
        #expect(!text.standardOutput.contains("\u{1b}]0;pwned"))
        #expect(text.standardOutput.hasPrefix("\u{1b}[1;31mFAIL"))
    }

    @Test("real crash logs each give a failing line with a title and a bucket; logs without a crash have no title")
    func realLogs() throws {
        guard let root = CorpusLocator.sharedRoot?.appendingPathComponent("corpora/real") else { return }
        let crashes = ["oops-x86", "oops-arm64", "kasan-kfence", "lockup-hung-rcu", "panic"].flatMap {
            CorpusLocator.files(under: root.appendingPathComponent($0)).prefix(3).map(\.path)
        }
        let result = try KsleuthBinary.run(["triage", "--format", "jsonl"] + crashes)
        #expect(result.status == 1)
        let parsed = try lines(result.standardOutput)
        #expect(parsed.count == crashes.count)
        for line in parsed {
            #expect((line["title"] as? String)?.isEmpty == false, "\(line["file"] ?? "")")
            #expect((line["bucket"] as? String)?.isEmpty == false, "\(line["file"] ?? "")")
        }
        let oom = CorpusLocator.files(under: root.appendingPathComponent("oom-global")).prefix(3).map(\.path)
        let memory = try KsleuthBinary.run(["triage", "--format", "jsonl"] + oom)
        let memoryLines = try lines(memory.standardOutput)
        #expect(memoryLines.count == oom.count)
        #expect(memory.status == (memoryLines.contains { $0["failed"] as? Bool == true } ? 1 : 0))
        for line in memoryLines {
            let incidents = try #require(line["incidents"] as? [[String: Any]])
            let hasCrash = incidents.contains { $0["crash"] as? Bool == true }
            #expect((line["title"] as? String == "") == !hasCrash, "\(line["file"] ?? "")")
            #expect(incidents.contains { $0["kind"] as? String == "oom-kill" }, "\(line["file"] ?? "")")
        }
    }

    @Test("analyze is unchanged: no triage fields, the same exit status")
    func analyzeUnchanged() throws {
        let files = try Files(["oops.log": Self.oops])
        defer { files.cleanUp() }
        let result = try KsleuthBinary.run(["analyze", "--format", "jsonl", files.paths[0]])
        #expect(result.status == 0)
        #expect(!result.standardOutput.contains("\"disposition\""))
        #expect(try KsleuthBinary.run([files.paths[0]]).status == 0)
    }
}
