// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthInput
import KsleuthTestSupport
import Testing

/// The same incidents, however the input is read: whole, in random chunks, line by line, with
/// CRLF line ends, compressed; and no crash wherever the input is cut.
@Suite("Reading invariance")
struct ReadingInvarianceTests {
    static let ownLogs = CorpusLocator.ownLogs()
    static let sharedLogs = CorpusLocator.sharedLogs()

    static func fingerprints(_ bytes: [UInt8], chunkSizes: [Int]? = nil) throws -> [IncidentFingerprint] {
        try IncidentCollector.analyze(bytes, chunkSizes: chunkSizes).incidents.map(IncidentFingerprint.init)
    }

    static func check(_ url: URL) throws {
        let bytes = try [UInt8](Data(contentsOf: url))
        let whole = try fingerprints(bytes)
        var generator = SeededGenerator(seed: UInt64(bytes.count))
        for _ in 0..<3 {
            let sizes = (0..<64).map { _ in Int.random(in: 1...4096, using: &generator) }
            #expect(try fingerprints(bytes, chunkSizes: sizes) == whole, "random chunks: \(url.lastPathComponent)")
        }
        #expect(try fingerprints(bytes, chunkSizes: [7]) == whole, "7-byte reads: \(url.lastPathComponent)")
        #expect(try fingerprints(crlf(bytes)) == whole, "CRLF: \(url.lastPathComponent)")
        for tool in ["gzip", "xz", "zstd"] {
            let packed = try compress(bytes, with: tool)
            #expect(try fingerprints(packed) == whole, "\(tool): \(url.lastPathComponent)")
        }
    }

    @Test("own corpora read identically every way", arguments: ownLogs)
    func ownCorpus(log: URL) throws { try Self.check(log) }

    @Test(
        "shared corpora read identically every way", .enabled(if: CorpusLocator.hasSharedCorpora, "needs ../shared"),
        arguments: sharedLogs)
    func sharedCorpus(log: URL) throws { try Self.check(log) }

    @Test("line by line gives the same incidents as whole", arguments: ownLogs)
    func lineByLine(log: URL) throws {
        let bytes = try [UInt8](Data(contentsOf: log))
        var sizes: [Int] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == 0x0a {
            sizes.append(index + 1 - start)
            start = index + 1
        }
        if start < bytes.count { sizes.append(bytes.count - start) }
        guard !sizes.isEmpty else { return }
        #expect(try Self.fingerprints(bytes, chunkSizes: sizes) == Self.fingerprints(bytes))
    }

    @Test("cutting the input after any line never crashes and keeps the reports begun", arguments: ownLogs)
    func everyTruncationPoint(log: URL) throws {
        let bytes = try [UInt8](Data(contentsOf: log))
        let whole = try IncidentCollector.analyze(bytes).incidents
        var lineEnds: [Int] = []
        for (index, byte) in bytes.enumerated() where byte == 0x0a { lineEnds.append(index + 1) }
        for (lineIndex, end) in lineEnds.enumerated() {
            let keptLines = lineIndex + 1
            let cut = try IncidentCollector.analyze(Array(bytes[0..<end])).incidents
            for incident in cut {
                #expect(incident.evidence.lastLine <= keptLines)
                #expect(incident.evidence.lastByte < end)
            }
            for incident in whole where incident.header.number <= keptLines {
                let begun = cut.first { $0.header.number == incident.header.number }
                #expect(begun?.kind == incident.kind, "\(log.lastPathComponent) cut after line \(keptLines)")
                // Cut right after one of the report's own lines, it must say it was cut short
                // unless that line is one a report may end with.
                // A notice is whole in each of its lines: its folded repeats are never cut short.
                // A /proc snapshot has no end marker: cut after a whole line, it cannot tell.
                let cutInside =
                    incident.kind.family != .notice && incident.kind != .memorySnapshot
                    && keptLines < incident.evidence.lastLine
                    && incident.lines.contains { $0.number == keptLines }
                let hasEnded = { (report: Incident) in report.lines.contains { $0.text.hasPrefix("---[ end trace") } }
                if cutInside, let begun, let last = begun.lines.last, !isTerminal(last.text), !hasEnded(begun) {
                    #expect(
                        begun.isTruncated, "\(log.lastPathComponent) cut after line \(keptLines): not marked truncated")
                }
            }
        }
    }

    @Test(
        "cutting a shared log anywhere, even mid-line, never crashes and keeps what came before",
        .enabled(if: CorpusLocator.hasSharedCorpora, "needs ../shared"), arguments: sharedLogs)
    func sharedTruncationPoints(log: URL) throws {
        let bytes = try [UInt8](Data(contentsOf: log))
        guard bytes.count > 1 else { return }
        let whole = try IncidentCollector.analyze(bytes).incidents
        var generator = SeededGenerator(seed: UInt64(bytes.count) &* 31)
        for _ in 0..<8 {
            let end = Int.random(in: 1..<bytes.count, using: &generator)
            let cut = try IncidentCollector.analyze(Array(bytes[0..<end])).incidents
            for incident in cut { #expect(incident.evidence.lastByte < end) }
            // Every report that ended before the cut is found unchanged.
            for incident in whole where incident.evidence.lastByte + 2 < end && !incident.isTruncated {
                #expect(
                    cut.contains { $0.evidence.firstLine == incident.evidence.firstLine && $0.kind == incident.kind },
                    "\(log.lastPathComponent) cut at byte \(end): lost \(IncidentFingerprint(incident))")
            }
        }
    }

    private func isTerminal(_ text: String) -> Bool {
        [
            "---[ end", "</TASK>", "Killed process", "oom_reaper", "pages", "Kernel Offset", "Rebooting", "====",
            "CR2:",
            "Out of memory and no",
        ]
        .contains { text.contains($0) }
    }

    static func crlf(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + bytes.count / 40)
        for byte in bytes {
            if byte == 0x0a { result.append(0x0d) }
            result.append(byte)
        }
        return result
    }

    static func compress(_ bytes: [UInt8], with tool: String) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ksleuth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = directory.appendingPathComponent("input.log")
        try Data(bytes).write(to: plain)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool, "-c", "-q", plain.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }
}
