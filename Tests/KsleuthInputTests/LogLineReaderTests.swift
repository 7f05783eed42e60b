// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthInput
import KsleuthTestSupport
import Testing

/// Reads `bytes` through a ``LogLineReader`` and returns the logical lines and the statistics.
func readAll(
    _ bytes: [UInt8], name: String = "test.log", maximumLineLength: Int = 64 * 1024
) throws -> (lines: [ParsedLine], statistics: InputStatistics) {
    let reader = LogLineReader(
        input: try LogInput(name: name, raw: MemoryByteSource(bytes)), maximumLineLength: maximumLineLength)
    var lines: [ParsedLine] = []
    try reader.forEachLine { lines.append(ParsedLine($0)) }
    return (lines, reader.statistics)
}

/// The formats a correct parser may call a file's dominant format, given the manifest's name.
///
/// `nil` for a row checked another way (quoted mail). The mapping is the one
/// `docs/input-formats.md` states: the manifest's `syslog` is any RFC 3164 file, stamped or
/// not (even one whose lines all come from other programs), and a serial console is either
/// stamped kernel text with noise or, on a console without `printk.time`, bare text.
private func acceptedFormats(forManifestFormat format: String) -> Set<PrefixFormat>? {
    switch format {
    case "dmesg-raw": [.dmesgRaw]
    case "dmesg-raw-caller": [.dmesgRawCaller]
    case "dmesg-T": [.dmesgCtime]
    case "dmesg-decode": [.dmesgDecode]
    case "kmsg-loglevel": [.kmsgLevel]
    case "syslog": [.syslog, .syslogNoStamp, .syslogNoTag, .syslogOtherProgram]
    case "syslog-nots": [.syslogNoStamp]
    case "syslog-iso": [.syslogISO]
    case "journalctl-short-precise": [.journalShortPrecise]
    case "journalctl-k-bare": [.journalBare]
    case "serial-console": [.dmesgRaw, .kmsgLevel, .dmesgRawCaller, .noTimestamp]
    case "email-quoted": nil
    default: [.noTimestamp]
    }
}

@Suite("LogLineReader")
struct LogLineReaderTests {
    static let mixedLines: [[UInt8]] = [
        Array("[    1.000000] first".utf8),
        Array("[    2.000000] second".utf8),
        Array("                continued".utf8),
        Array("Jul 16 11:53:24 host kernel: [    3.000000] from syslog".utf8),
        Array("bad ".utf8) + [0xFF, 0xFE] + Array(" utf8".utf8),
        Array("nul".utf8) + [0x00] + Array("here".utf8),
        Array("<6>[    4.000000] with priority".utf8),
        Array("café ✓ is valid UTF-8".utf8),
    ]

    static var mixedBytes: [UInt8] { mixedLines.flatMap { $0 + [0x0A] } }

    @Test("counts lines, bytes and lines per format of a mixed input")
    func statisticsOfMixedInput() throws {
        let (lines, statistics) = try readAll(Self.mixedBytes)
        #expect(lines.count == 8)
        #expect(statistics.linesRead == 8)
        #expect(statistics.bytesRead == Self.mixedBytes.count)
        #expect(statistics.linesByFormat[.dmesgRaw] == 2)
        #expect(statistics.linesByFormat[.continuation] == 1)
        #expect(statistics.linesByFormat[.syslog] == 1)
        #expect(statistics.linesByFormat[.kmsgLevel] == 1)
        #expect(statistics.linesByFormat[.noTimestamp] == 3)
        #expect(statistics.linesByFormat.values.reduce(0, +) == 8)
        #expect(statistics.compression == CompressionFormat.none)
        #expect(statistics.linesCut == 0)
    }

    @Test("counts lines with invalid UTF-8 and lines with NUL bytes, not valid multi-byte text")
    func invalidUTF8AndNUL() throws {
        let (_, statistics) = try readAll(Self.mixedBytes)
        #expect(statistics.invalidUTF8Lines == 1)
        #expect(statistics.linesWithNUL == 1)
        #expect(!statistics.looksBinary)
    }

    @Test("invalid UTF-8 late in a long line is still counted")
    func invalidUTF8LateInLine() throws {
        let line = Array(String(repeating: "x", count: 37).utf8) + [0xC3] + Array("tail".utf8) + [0x0A]
        let (_, statistics) = try readAll(line)
        #expect(statistics.invalidUTF8Lines == 1)
    }

    @Test("the dominant format is the most common one, ignoring continuation lines")
    func dominantFormat() throws {
        let text = [
            "Jul 16 11:53:24 host kernel: [    1.000000] a", "    cont 1", "    cont 2", "    cont 3",
            "Jul 16 11:53:25 host kernel: [    2.000000] b", "Jul 16 11:53:26 host sshd[1]: Accepted publickey",
            "Jul 16 11:53:27 host kernel: [    3.000000] c",
        ].joined(separator: "\n")
        let (_, statistics) = try readAll(Array(text.utf8))
        #expect(statistics.dominantFormat == .syslog)
    }

    @Test("a syslog file without program tags is syslog-no-tag, its lines kernel text")
    func dominantFormatUntaggedSyslog() throws {
        let text = [
            "Apr 01 14:13:32 mysrv: sed invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0",
            "Apr 01 14:13:32 mysrv: sed cpuset=/ mems_allowed=0-1",
            "Apr 01 14:13:32 mysrv: Call Trace:",
        ].joined(separator: "\n")
        let (lines, statistics) = try readAll(Array(text.utf8))
        #expect(statistics.linesByFormat[.syslogNoTag] == 3)
        #expect(statistics.dominantFormat == .syslogNoTag)
        #expect(
            lines.map(\.text) == [
                "sed invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0",
                "sed cpuset=/ mems_allowed=0-1", "Call Trace:",
            ])
    }

    @Test("in a tagged syslog file, untagged lines of other programs do not change the dominant format")
    func dominantFormatTaggedSyslogWithUntaggedLines() throws {
        let text = [
            "Jul 16 11:53:24 host kernel: [    1.000000] a", "Jul 16 11:53:25 host sshd[1]: Accepted publickey",
            "Jul 16 11:53:26 rsyslogd: action 'action-0-builtin:omfwd' resumed",
            "Jul 16 11:53:27 host kernel: [    2.000000] b",
        ].joined(separator: "\n")
        let (_, statistics) = try readAll(Array(text.utf8))
        #expect(statistics.linesByFormat[.syslogOtherProgram] == 2)
        #expect(statistics.linesByFormat[.syslogNoTag] == nil)
        #expect(statistics.dominantFormat == .syslog)
    }

    @Test("a tie goes to the stamped format over bare text")
    func dominantFormatTie() throws {
        let (_, statistics) = try readAll(Array("[    1.000000] stamped\nbare text\n".utf8))
        #expect(statistics.linesByFormat[.dmesgRaw] == 1)
        #expect(statistics.linesByFormat[.noTimestamp] == 1)
        #expect(statistics.dominantFormat == .dmesgRaw)
    }

    @Test("a bare oops with one stray stamped line is bare text")
    func dominantFormatMostlyBare() throws {
        let bare = (1...20).map { "RIP: 0010:kmem_cache_alloc+0x\($0)/0x2a0" }
        let text = (["[    1.000000] one stamped line"] + bare).joined(separator: "\n")
        let (_, statistics) = try readAll(Array(text.utf8))
        #expect(statistics.linesByFormat[.dmesgRaw] == 1)
        #expect(statistics.dominantFormat == .noTimestamp)
    }

    @Test("an empty input has no dominant format")
    func emptyInput() throws {
        let (lines, statistics) = try readAll([])
        #expect(lines.isEmpty)
        #expect(statistics.linesRead == 0)
        #expect(statistics.bytesRead == 0)
        #expect(statistics.dominantFormat == nil)
        #expect(!statistics.looksBinary)
    }

    @Test("random bytes look binary")
    func randomBytesLookBinary() throws {
        var generator = SeededGenerator(seed: 2024)
        let bytes = (0..<(128 * 1024)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let (_, statistics) = try readAll(bytes)
        #expect(statistics.looksBinary)
        #expect(statistics.bytesRead == bytes.count)
        #expect(statistics.invalidUTF8Lines > 0)
        #expect(statistics.linesWithNUL > 0)
    }

    @Test("a text log does not look binary")
    func textLogIsNotBinary() throws {
        let (_, statistics) = try readAll(samplePlainLog)
        #expect(!statistics.looksBinary)
        #expect(statistics.invalidUTF8Lines == 0)
        #expect(statistics.linesWithNUL == 0)
        #expect(statistics.linesRead == 24_000)
        #expect(statistics.dominantFormat == .dmesgRaw)
    }

    @Test("a text log with tabs and ANSI colour escapes does not look binary")
    func tabsAndEscapesAreText() throws {
        let line = "\u{1B}[31m[    1.000000]\u{1B}[0m\tcoloured\ttext with tabs\r\n"
        let (_, statistics) = try readAll(Array(String(repeating: line, count: 200).utf8))
        #expect(!statistics.looksBinary)
    }

    @Test("statistics record cut lines and the longest line")
    func cutLinesStatistics() throws {
        let text = "[    1.000000] short\n" + String(repeating: "z", count: 3000) + "\n[    2.000000] after\n"
        let (lines, statistics) = try readAll(Array(text.utf8), maximumLineLength: 512)
        #expect(statistics.linesCut == 1)
        #expect(statistics.longestLineLength == 3000)
        #expect(lines.count == 3)
        #expect(lines.last?.text == "after")
    }

    @Test("a compressed input's statistics name the compression and count decompressed bytes")
    func compressedStatistics() throws {
        let packed = try compress(Self.mixedBytes, as: .gzip)
        let (lines, statistics) = try readAll(packed)
        #expect(statistics.compression == .gzip)
        #expect(statistics.bytesRead == Self.mixedBytes.count)
        #expect(lines.count == 8)
    }

    @Test("/dev/kmsg records with escaped newlines count one physical line and deliver two logical lines")
    func logicalVersusPhysical() throws {
        let text = #"6,1,100,-;first\x0asecond"# + "\n" + " SUBSYSTEM=acpi\n"
        let (lines, statistics) = try readAll(Array(text.utf8))
        #expect(statistics.linesRead == 2)
        #expect(lines.map(\.text) == ["first", "second", ""])
        #expect(statistics.linesByFormat[.kmsgRecord] == 1)
        #expect(statistics.linesByFormat[.kmsgDictionary] == 1)
        #expect(statistics.dominantFormat == .kmsgRecord)
    }

    @Test("a failure midway throws after the lines before it, and the statistics count them")
    func failureMidway() throws {
        let bytes = Array("[    1.000000] one\n[    2.000000] two\n[    3.000000] three\n".utf8)
        let reader = LogLineReader(input: try LogInput(name: "failing", raw: FailingByteSource(bytes, failAfter: 38)))
        var lines: [String] = []
        let error = try #require(throws: InputError.self) {
            try reader.forEachLine { lines.append($0.messageText) }
        }
        #expect(error.code == .readFailed)
        #expect(lines == ["one", "two"])
        #expect(reader.statistics.linesRead == 2)
        #expect(reader.statistics.bytesRead == 38)
    }

    @Test(
        "the dominant format of every real corpus log agrees with the manifest",
        .enabled(if: FileManager.default.fileExists(atPath: "\(CorpusLocator.sharedRoot?.path ?? "")/corpora/real")))
    func manifestAgreement() throws {
        let root = try #require(CorpusLocator.sharedRoot).appendingPathComponent("corpora/real")
        let manifest = try String(contentsOf: root.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
        var total = 0
        var agreeing = 0
        var disagreements: [String] = []
        for row in manifest.split(separator: "\n").dropFirst() {
            let columns = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 7 else { continue }
            let file = columns[0]
            let expected = columns[6]
            let url = root.appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let reader = LogLineReader(input: try LogInput.open(url.path))
            var quoted = 0
            var logical = 0
            try reader.forEachLine { line in
                logical += 1
                if line.isQuoted { quoted += 1 }
            }
            let dominant = reader.statistics.dominantFormat
            total += 1
            let agrees: Bool
            if let accepted = acceptedFormats(forManifestFormat: expected) {
                agrees = dominant.map { accepted.contains($0) } ?? false
            } else {
                agrees = quoted * 2 > logical
            }
            if agrees {
                agreeing += 1
            } else {
                let found = dominant?.name ?? "none"
                let detail = expected == "email-quoted" ? "\(quoted)/\(logical) lines quoted" : found
                disagreements.append("\(file): manifest \(expected), parser \(detail)")
            }
        }
        print("MANIFEST format agreement: \(agreeing)/\(total)")
        for line in disagreements { print("  disagreement: \(line)") }
        try #require(total > 0)
        #expect(Double(agreeing) >= 0.98 * Double(total), "agreement \(agreeing)/\(total): \(disagreements)")
    }
}
