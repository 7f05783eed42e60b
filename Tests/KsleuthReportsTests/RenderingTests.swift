// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthInput
import KsleuthReports
import KsleuthTestSupport
import Testing

@Suite("Terminal sanitizer")
struct TerminalSanitizerTests {
    @Test("escape sequences, carriage returns and bidi overrides become visible text")
    func controlCharacters() {
        #expect(TerminalSanitizer.sanitize("a\u{1b}[2Jb") == "a\\x1b[2Jb")
        #expect(TerminalSanitizer.sanitize("ok\rfake") == "ok\\x0dfake")
        #expect(TerminalSanitizer.sanitize("x\u{0}y\u{7f}") == "x\\x00y\\x7f")
        #expect(TerminalSanitizer.sanitize("\u{9b}31m") == "\\x9b31m")
        #expect(TerminalSanitizer.sanitize("abc\u{202e}def") == "abc\\u{202e}def")
        #expect(TerminalSanitizer.sanitize("tab\there") == "tab    here")
        #expect(TerminalSanitizer.sanitize("plain text: Node 0 DMA32") == "plain text: Node 0 DMA32")
    }
}

@Suite("Renderers")
struct RendererTests {
    static let log =
        "[  100.000000] BUG: kernel NULL pointer dereference, address: 0000000000000010\n"
        + "[  100.000001] RIP: 0010:evil\u{1b}[31m+0x1/0x2\n"

    func render(_ make: (any ReportOutput) -> any IncidentSink) throws -> String {
        let output = MemoryOutput()
        let sink = make(output)
        let input = try LogInput(name: "quote\"d.log", raw: MemoryByteSource(Array(Self.log.utf8)))
        LogAnalyzer().analyze(input, into: sink)
        (sink as? JSONRenderer)?.close()
        return output.text
    }

    @Test("json output is one valid document whose strings are escaped")
    func jsonIsValid() throws {
        let text = try render { JSONRenderer(output: $0) }
        #expect(!text.contains("\u{1b}"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let input = try #require((document["inputs"] as? [[String: Any]])?.first)
        #expect(input["file"] as? String == "quote\"d.log")
        let incident = try #require((input["incidents"] as? [[String: Any]])?.first)
        let lines = try #require(incident["lines"] as? [[String: Any]])
        #expect(lines[1]["text"] as? String == "RIP: 0010:evil\u{1b}[31m+0x1/0x2")
        #expect(incident["truncated"] as? Bool == true)
    }

    @Test("jsonl writes one parseable line per incident")
    func jsonLines() throws {
        let text = try render { JSONLinesRenderer(output: $0, diagnosticOutput: nil) }
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1)
        let incident = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(incident["file"] as? String == "quote\"d.log")
        #expect(incident["kind"] as? String == "oops")
    }

    @Test("text without colour holds no escape sequence, and aligns the incident under its number")
    func plainText() throws {
        let text = try render { TextRenderer(output: $0, style: TerminalStyle(usesColor: false)) }
        #expect(!text.contains("\u{1b}"))
        #expect(text.contains("  1  oops "))
        #expect(text.contains("RIP: 0010:evil\\x1b[31m+0x1/0x2"))
        #expect(text.contains("quote\"d.log: 1 incident in 2 lines, dmesg-raw"))
    }

    @Test("colour follows the terminal and NO_COLOR")
    func colourPolicy() {
        #expect(TerminalStyle.automatic(isTerminal: true, environment: [:]).usesColor)
        #expect(!TerminalStyle.automatic(isTerminal: false, environment: [:]).usesColor)
        #expect(!TerminalStyle.automatic(isTerminal: true, environment: ["NO_COLOR": "1"]).usesColor)
        #expect(TerminalStyle.automatic(isTerminal: true, environment: ["NO_COLOR": ""]).usesColor)
        #expect(!TerminalStyle.automatic(isTerminal: true, environment: ["TERM": "dumb"]).usesColor)
    }
}
