// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthTestSupport
import Testing

@Suite("ksleuth analyze")
struct AnalyzeCommandTests {
    static let softLockup = """
        [  687.713198] watchdog: BUG: soft lockup - CPU#5 stuck for 13s! [bash:5910]
        [  687.720205] Modules linked in: veth xt_cgroup
        [  687.730000] CPU: 5 PID: 5910 Comm: bash Not tainted 5.15.137 #1
        [  687.730100] Call Trace:
        [  687.730200]  <TASK>
        [  687.730300]  lkdtm_SOFTLOCKUP+0x10/0x20
        [  687.730400]  </TASK>

        """

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("json output names the incident, its evidence and the input's stats")
    func jsonDocument() throws {
        let file = try KsleuthBinary.temporaryFile(Array(Self.softLockup.utf8))
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let result = try KsleuthBinary.run(["analyze", "--format", "json", file.path])
        #expect(result.status == 0)
        let document = try json(result.standardOutput)
        let input = try #require((document["inputs"] as? [[String: Any]])?.first)
        #expect(input["file"] as? String == file.path)
        let incident = try #require((input["incidents"] as? [[String: Any]])?.first)
        #expect(incident["kind"] as? String == "soft-lockup")
        let evidence = try #require(incident["evidence"] as? [String: Any])
        #expect(evidence["first_line"] as? Int == 1)
        #expect(evidence["last_line"] as? Int == 7)
        #expect(evidence["first_byte"] as? Int == 0)
        let details = try #require(incident["details"] as? [String: Any])
        #expect(details["stuck_cpu"] as? Int == 5)
        #expect(details["stuck_seconds"] as? Int == 13)
        #expect(details["task_comm"] as? String == "bash")
        #expect(details["task_pid"] as? Int == 5910)
        let stats = try #require(input["stats"] as? [String: Any])
        #expect(stats["lines_read"] as? Int == 7)
        #expect(stats["dominant_format"] as? String == "dmesg-raw")
    }

    @Test("jsonl prints one incident per line, each with its file; standard input is -")
    func jsonLinesFromStandardInput() throws {
        let twice =
            Self.softLockup + "[  900.000000] usb 1-1: reset\n"
            + Self.softLockup.replacingOccurrences(of: "687.", with: "950.")
        let result = try KsleuthBinary.run(["analyze", "--format", "jsonl", "-"], input: Data(twice.utf8))
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == 2)
        for line in lines {
            let incident = try json(String(line))
            #expect(incident["file"] as? String == "-")
            #expect(incident["kind"] as? String == "soft-lockup")
        }
    }

    @Test("gzip, xz and zstd inputs are read by their magic bytes, whatever their name")
    func compressedInputs() throws {
        for tool in ["gzip", "xz", "zstd"] {
            let plain = try KsleuthBinary.temporaryFile(Array(Self.softLockup.utf8), name: "kern.log")
            defer { try? FileManager.default.removeItem(at: plain.deletingLastPathComponent()) }
            let packed = try ReadingCompression.compress(plain, with: tool)
            let result = try KsleuthBinary.run(["analyze", "--format", "jsonl", packed.path])
            #expect(result.status == 0, "\(tool): \(result.standardError)")
            #expect(result.standardOutput.contains("\"kind\":\"soft-lockup\""), "\(tool)")
        }
    }

    @Test("a missing file and a directory without memory snapshots give one clear error each and status 2")
    func unusableInputs() throws {
        // A directory is read as the memory snapshot files under it; this one holds only a log.
        let log = try KsleuthBinary.temporaryFile(Array("[    1.000000] Linux version 6.1.0\n".utf8))
        let directory = log.deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try KsleuthBinary.run(["analyze", "/nonexistent/kern.log", directory.path])
        #expect(result.status == 2)
        let errors = result.standardError.split(separator: "\n")
        try #require(errors.count == 2)
        #expect(errors[0].hasPrefix("ksleuth: error: /nonexistent/kern.log: cannot open"))
        #expect(errors[1].contains("no memory snapshot file"))
        #expect(!result.standardError.contains("Fatal error"))
    }

    @Test("the other inputs are still analysed when one is unusable")
    func recoversOtherInputs() throws {
        let file = try KsleuthBinary.temporaryFile(Array(Self.softLockup.utf8))
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let result = try KsleuthBinary.run(["analyze", "--format", "jsonl", "/nonexistent.log", file.path])
        #expect(result.status == 2)
        #expect(result.standardOutput.contains("soft-lockup"))
        #expect(result.standardError.contains("cannot-open"))
    }

    @Test("an empty file is read: no incidents, status 0")
    func emptyFile() throws {
        let file = try KsleuthBinary.temporaryFile([])
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let result = try KsleuthBinary.run(["analyze", "--format", "json", file.path])
        #expect(result.status == 0)
        let input = try #require((try json(result.standardOutput)["inputs"] as? [[String: Any]])?.first)
        #expect((input["incidents"] as? [Any])?.isEmpty == true)
        let diagnostics = try #require(input["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.contains { $0["code"] as? String == "empty-input" })
    }

    @Test("random bytes are reported as binary input with status 2, without a crash")
    func binaryInput() throws {
        var generator = SeededGenerator(seed: 42)
        let bytes = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let file = try KsleuthBinary.temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let result = try KsleuthBinary.run(["analyze", file.path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("binary data"))
        #expect(result.standardOutput.contains("binary data"))
    }

    @Test("a corrupt .gz keeps what decoded before the damage and says where it broke")
    func corruptGzip() throws {
        var log = ""
        for index in 0..<2000 { log += "[  \(100 + index).000000] usb 1-1: filler line number \(index)\n" }
        log += Self.softLockup.replacingOccurrences(of: "687.", with: "5000.")
        for index in 0..<2000 { log += "[ 6000.\(String(format: "%06d", index))] more filler \(index)\n" }
        let plain = try KsleuthBinary.temporaryFile(Array(log.utf8))
        defer { try? FileManager.default.removeItem(at: plain.deletingLastPathComponent()) }
        var packed = try [UInt8](Data(contentsOf: ReadingCompression.compress(plain, with: "gzip")))
        packed.removeLast(packed.count / 3)
        let damaged = try KsleuthBinary.temporaryFile(packed, name: "cut.gz")
        defer { try? FileManager.default.removeItem(at: damaged.deletingLastPathComponent()) }
        let result = try KsleuthBinary.run(["analyze", "--format", "json", damaged.path])
        let input = try #require((try json(result.standardOutput)["inputs"] as? [[String: Any]])?.first)
        let diagnostics = try #require(input["diagnostics"] as? [[String: Any]])
        #expect(
            diagnostics.contains {
                ($0["code"] as? String).map { ["truncated-compressed-data", "corrupt-compressed-data"].contains($0) }
                    == true
            })
        #expect((input["incidents"] as? [[String: Any]])?.first?["kind"] as? String == "soft-lockup")
    }

    @Test("a 200 MB line without a newline is cut, reported once, and the rest is read")
    func hugeLine() throws {
        var bytes = [UInt8](repeating: 0x41, count: 200_000_000)
        bytes += Array(("\n" + Self.softLockup).utf8)
        let file = try KsleuthBinary.temporaryFile(bytes)
        bytes = []
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let result = try KsleuthBinary.run(["analyze", "--format", "json", file.path])
        #expect(result.status == 0)
        let input = try #require((try json(result.standardOutput)["inputs"] as? [[String: Any]])?.first)
        let stats = try #require(input["stats"] as? [String: Any])
        #expect(stats["lines_cut"] as? Int == 1)
        #expect(stats["longest_line_bytes"] as? Int == 200_000_000)
        let incident = try #require((input["incidents"] as? [[String: Any]])?.first)
        #expect((incident["evidence"] as? [String: Any])?["first_line"] as? Int == 2)
        let diagnostics = try #require(input["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.filter { $0["code"] as? String == "lines-cut" }.count == 1)
    }

    @Test("text output escapes control characters from the log and colours only when asked")
    func textOutputIsSafe() throws {
        let hostile = "[    1.000000] BUG: unable to handle page fault for address: \u{1b}]0;pwned\u{07}\u{1b}[2J\n"
        let file = try KsleuthBinary.temporaryFile(Array(hostile.utf8))
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let plain = try KsleuthBinary.run(["analyze", file.path])
        #expect(!plain.standardOutput.contains("\u{1b}"))
        #expect(plain.standardOutput.contains("\\x1b]0;pwned\\x07\\x1b[2J"))
        let coloured = try KsleuthBinary.run(["analyze", "--color", "always", file.path])
        #expect(coloured.standardOutput.contains("\u{1b}[1;31m"))
        #expect(!coloured.standardOutput.contains("\u{1b}]0;pwned"))
        let noColor = try KsleuthBinary.run(["analyze", "--color", "auto", file.path], environment: ["NO_COLOR": "1"])
        #expect(!noColor.standardOutput.contains("\u{1b}"))
    }

    @Test("a bad flag is a usage error with status 2")
    func badFlag() throws {
        let result = try KsleuthBinary.run(["analyze", "--format", "xml", "x.log"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("xml"))
    }
}

/// Compresses files with the system tools, for tests.
enum ReadingCompression {
    static func compress(_ file: URL, with tool: String) throws -> URL {
        let output = file.deletingLastPathComponent().appendingPathComponent("packed-\(tool).bin")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool, "-c", "-q", file.path]
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return output
    }
}
