// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthInput
import KsleuthTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A physical line copied out of the framer's callback.
struct FramedLine: Equatable, CustomStringConvertible {
    var bytes: [UInt8]
    var number: Int
    var byteOffset: Int
    var isCut: Bool

    var text: String { String(decoding: bytes, as: UTF8.self) }
    var description: String { "\(number)@\(byteOffset)\(isCut ? " cut" : ""): \(text)" }
}

/// Frames everything `source` yields, returning the lines and the framer (for its counters).
func frameLines(
    _ source: any ByteSource, maximumLineLength: Int = 64 * 1024, chunkSize: Int = 1 << 20
) throws(InputError) -> (lines: [FramedLine], framer: LineFramer) {
    let framer = LineFramer(source: source, maximumLineLength: maximumLineLength, chunkSize: chunkSize)
    var lines: [FramedLine] = []
    try framer.forEachLine { raw in
        lines.append(
            FramedLine(bytes: Array(raw.bytes), number: raw.number, byteOffset: raw.byteOffset, isCut: raw.isCut))
    }
    return (lines, framer)
}

func frameLines(_ text: String, maximumLineLength: Int = 64 * 1024) throws -> [FramedLine] {
    try frameLines(MemoryByteSource(Array(text.utf8)), maximumLineLength: maximumLineLength).lines
}

/// A compact, order-sensitive fingerprint of every line a framer delivers (FNV-1a over the
/// bytes, number, offset and cut flag), so whole corpora can be compared without keeping them.
struct LineDigest: Equatable, CustomStringConvertible {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    var lines = 0
    var bytes = 0

    mutating func add(_ byte: UInt8) {
        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    mutating func add(_ value: Int) {
        var remaining = UInt64(bitPattern: Int64(value))
        for _ in 0..<8 {
            add(UInt8(truncatingIfNeeded: remaining))
            remaining >>= 8
        }
    }

    mutating func add(_ line: RawLine) {
        lines += 1
        bytes += line.bytes.count
        add(line.number)
        add(line.byteOffset)
        add(line.isCut ? 1 : 0)
        for byte in line.bytes { add(byte) }
    }

    var description: String { "\(lines) lines, \(bytes) bytes, hash \(String(hash, radix: 16))" }
}

func digest(of source: any ByteSource, maximumLineLength: Int = 64 * 1024) throws(InputError) -> LineDigest {
    var result = LineDigest()
    let framer = LineFramer(source: source, maximumLineLength: maximumLineLength)
    try framer.forEachLine { result.add($0) }
    return result
}

/// A huge input that never exists in memory, and records the largest read it was asked for.
///
/// Yields `before`, then `fillCount` copies of `fill` made up on the fly, then `after`.
final class GeneratingByteSource: ByteSource {
    private let before: [UInt8]
    private let fill: UInt8
    private let fillCount: Int
    private let after: [UInt8]
    private var position = 0
    private(set) var largestRequest = 0

    var totalCount: Int { before.count + fillCount + after.count }

    init(before: String, fill: UInt8, count: Int, after: String) {
        self.before = Array(before.utf8)
        self.fill = fill
        fillCount = count
        self.after = Array(after.utf8)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        largestRequest = max(largestRequest, buffer.count)
        var written = 0
        while written < buffer.count, position < totalCount {
            let room = buffer.count - written
            if position < before.count {
                let count = min(room, before.count - position)
                for index in 0..<count { buffer[written + index] = before[position + index] }
                written += count
                position += count
            } else if position < before.count + fillCount {
                let count = min(room, before.count + fillCount - position)
                UnsafeMutableRawBufferPointer(rebasing: buffer[written..<(written + count)]).initializeMemory(
                    as: UInt8.self, repeating: fill)
                written += count
                position += count
            } else {
                let start = position - before.count - fillCount
                let count = min(room, after.count - start)
                for index in 0..<count { buffer[written + index] = after[start + index] }
                written += count
                position += count
            }
        }
        return written
    }
}

/// How a test splits the reads of a source.
enum Chunking: CustomTestStringConvertible, Sendable {
    case whole
    case oneByte
    case random(seed: UInt64)

    var testDescription: String {
        switch self {
        case .whole: "whole input at once"
        case .oneByte: "one byte per read"
        case .random(let seed): "random chunks, seed \(seed)"
        }
    }

    func source(_ bytes: [UInt8]) -> MemoryByteSource {
        switch self {
        case .whole: MemoryByteSource(bytes)
        case .oneByte: MemoryByteSource(bytes, chunkSizes: [1])
        case .random(let seed): MemoryByteSource(bytes, randomChunksUpTo: 4096, seed: seed)
        }
    }

    static let splitting: [Chunking] = [.oneByte] + (1...20).map { .random(seed: UInt64($0)) }
}

func readBytes(_ url: URL) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: url))
}

@Suite("LineFramer")
struct LineFramerTests {
    @Test("lines come with 1-based numbers and the byte offset of their first byte")
    func numbersAndOffsets() throws {
        let lines = try frameLines("[    0.000000] Linux version 6.6.57\n[    0.000001] Command line: ro\n\nlast\n")
        #expect(
            lines.map(\.text) == ["[    0.000000] Linux version 6.6.57", "[    0.000001] Command line: ro", "", "last"])
        #expect(lines.map(\.number) == [1, 2, 3, 4])
        #expect(lines.map(\.byteOffset) == [0, 36, 68, 69])
        #expect(lines.allSatisfy { !$0.isCut })
    }

    @Test("a carriage return before the newline is dropped, and only there")
    func crlfStripped() throws {
        let lines = try frameLines("first\r\nsec\rond\r\n\r\nthird")
        #expect(lines.map(\.text) == ["first", "sec\rond", "", "third"])
        #expect(lines.map(\.byteOffset) == [0, 7, 16, 18])
    }

    @Test("a CRLF split across two reads is still dropped")
    func crlfAcrossReads() throws {
        let bytes = Array("one\r\ntwo\r\n".utf8)
        let lines = try frameLines(MemoryByteSource(bytes, chunkSizes: [4, 1, 1])).lines
        #expect(lines.map(\.text) == ["one", "two"])
    }

    @Test("a final line without a newline is delivered")
    func finalLineWithoutNewline() throws {
        let (lines, framer) = try frameLines(MemoryByteSource(Array("a\nlast words".utf8)))
        #expect(lines.map(\.text) == ["a", "last words"])
        #expect(lines.last?.byteOffset == 2)
        #expect(framer.linesRead == 2)
        #expect(framer.bytesRead == 12)
    }

    @Test("empty input gives no lines, and a lone newline gives one empty line")
    func emptyInput() throws {
        let (none, framer) = try frameLines(MemoryByteSource([]))
        #expect(none.isEmpty)
        #expect(framer.linesRead == 0)
        #expect(framer.bytesRead == 0)
        #expect(framer.longestLineLength == 0)
        let one = try frameLines("\n")
        #expect(one == [FramedLine(bytes: [], number: 1, byteOffset: 0, isCut: false)])
    }

    @Test("NUL and invalid UTF-8 bytes are passed through untouched")
    func binaryBytesPassThrough() throws {
        let bytes: [UInt8] = [0x00, 0xFF, 0x41, 0x0A, 0xFE, 0x00, 0x0A]
        let lines = try frameLines(MemoryByteSource(bytes)).lines
        #expect(lines.map(\.bytes) == [[0x00, 0xFF, 0x41], [0xFE, 0x00]])
    }

    @Test("an overlong line is cut to the maximum, counted, and the lines after it are intact")
    func overlongLineCut() throws {
        let long = String(repeating: "A", count: 100)
        let text = "short\n" + long + "\nnext line\n"
        let (lines, framer) = try frameLines(MemoryByteSource(Array(text.utf8)), maximumLineLength: 16)
        try #require(lines.count == 3)
        #expect(lines[0].text == "short")
        #expect(lines[1].bytes == Array(repeating: UInt8(ascii: "A"), count: 16))
        #expect(lines[1].isCut)
        #expect(lines[1].byteOffset == 6)
        #expect(lines[2].text == "next line")
        #expect(!lines[2].isCut)
        #expect(lines[2].number == 3)
        #expect(lines[2].byteOffset == 107)
        #expect(framer.linesCut == 1)
        #expect(framer.longestLineLength == 100)
        #expect(framer.linesRead == 3)
    }

    @Test("a line exactly at the maximum is not cut")
    func lineAtTheMaximum() throws {
        let text = String(repeating: "B", count: 16) + "\nx\n"
        let (lines, framer) = try frameLines(MemoryByteSource(Array(text.utf8)), maximumLineLength: 16)
        #expect(lines.map(\.bytes.count) == [16, 1])
        #expect(lines.allSatisfy { !$0.isCut })
        #expect(framer.linesCut == 0)
        #expect(framer.longestLineLength == 16)
    }

    @Test(
        "an overlong line is cut the same way however the reads are split",
        arguments: [Chunking.whole] + Chunking.splitting)
    func overlongLineCutForEveryChunking(_ chunking: Chunking) throws {
        let text = "short\n" + String(repeating: "C", count: 5000) + "\n" + String(repeating: "D", count: 300) + "\nend"
        let (lines, framer) = try frameLines(chunking.source(Array(text.utf8)), maximumLineLength: 256)
        #expect(lines.map(\.bytes.count) == [5, 256, 256, 3])
        #expect(lines.map(\.isCut) == [false, true, true, false])
        #expect(lines.map(\.byteOffset) == [0, 6, 5007, 5308])
        #expect(lines.map(\.number) == [1, 2, 3, 4])
        #expect(framer.linesCut == 2)
        #expect(framer.longestLineLength == 5000)
    }

    @Test("an overlong last line without a newline is cut and its full length recorded")
    func overlongLastLine() throws {
        let text = "first\n" + String(repeating: "E", count: 1000)
        let (lines, framer) = try frameLines(MemoryByteSource(Array(text.utf8), chunkSizes: [7]), maximumLineLength: 64)
        #expect(lines.map(\.bytes.count) == [5, 64])
        #expect(lines.last?.isCut == true)
        #expect(framer.linesCut == 1)
        #expect(framer.longestLineLength == 1000)
    }

    @Test("a 50 MB line with a small maximum is cut without holding the line in memory")
    func hugeLineBoundedMemory() throws {
        let fillCount = 50 * 1024 * 1024
        let source = GeneratingByteSource(
            before: "before\n", fill: UInt8(ascii: "x"), count: fillCount, after: "\nafter\n")
        let peakBefore = peakResidentBytes()
        let chunkSize = 64 * 1024
        let maximum = 1024
        let framer = LineFramer(source: source, maximumLineLength: maximum, chunkSize: chunkSize)
        var lines: [FramedLine] = []
        try framer.forEachLine { raw in
            lines.append(
                FramedLine(bytes: Array(raw.bytes), number: raw.number, byteOffset: raw.byteOffset, isCut: raw.isCut))
        }
        let growth = peakResidentBytes() - peakBefore
        try #require(lines.count == 3)
        #expect(lines[0].text == "before")
        #expect(lines[1].bytes.count == maximum)
        #expect(lines[1].bytes.allSatisfy { $0 == UInt8(ascii: "x") })
        #expect(lines[1].isCut)
        #expect(lines[2].text == "after")
        #expect(lines[2].byteOffset == 7 + fillCount + 1)
        #expect(lines[2].number == 3)
        #expect(framer.linesCut == 1)
        #expect(framer.longestLineLength == fillCount)
        #expect(framer.bytesRead == source.totalCount)
        #expect(source.largestRequest <= chunkSize + maximum)
        #expect(growth < 32 * 1024 * 1024, "peak RSS grew by \(growth) bytes while framing a 50 MB line")
    }

    @Test("a read failure is thrown after every line before it, and the interrupted line, were delivered")
    func failureAfterDeliveredLines() throws {
        let bytes = Array("[    1.000000] one\n[    2.000000] two\n[    3.0000".utf8)
        let framer = LineFramer(source: FailingByteSource(bytes, failAfter: bytes.count))
        var lines: [String] = []
        let error = try #require(throws: InputError.self) {
            try framer.forEachLine { lines.append(String(decoding: $0.bytes, as: UTF8.self)) }
        }
        #expect(error.code == .readFailed)
        #expect(lines == ["[    1.000000] one", "[    2.000000] two", "[    3.0000"])
        #expect(framer.linesRead == 3)
    }

    @Test("a read failure right after a newline delivers the complete lines only")
    func failureAtLineBoundary() throws {
        let bytes = Array("alpha\nbeta\ngamma\n".utf8)
        let framer = LineFramer(source: FailingByteSource(bytes, failAfter: 11))
        var lines: [String] = []
        let error = try #require(throws: InputError.self) {
            try framer.forEachLine { lines.append(String(decoding: $0.bytes, as: UTF8.self)) }
        }
        #expect(error.code == .readFailed)
        #expect(lines == ["alpha", "beta"])
    }

    @Test("a small framer chunk size gives the same lines as the default")
    func smallFramerChunkSize() throws {
        let text = (1...500).map { "[ \(String(format: "%5d", $0)).000000] line number \($0)" }.joined(separator: "\n")
        let bytes = Array(text.utf8)
        let reference = try frameLines(MemoryByteSource(bytes)).lines
        let small = try frameLines(MemoryByteSource(bytes), chunkSize: 7).lines
        #expect(small == reference)
        #expect(reference.count == 500)
    }

    /// The files among `files` whose lines change when read with `chunking` instead of whole.
    private func filesFramedDifferently(
        _ files: [URL], by chunking: Chunking, maximumLineLength: Int = 64 * 1024
    ) throws -> [String] {
        var differing: [String] = []
        for url in files {
            let bytes = try readBytes(url)
            let reference = try digest(of: Chunking.whole.source(bytes), maximumLineLength: maximumLineLength)
            let split = try digest(of: chunking.source(bytes), maximumLineLength: maximumLineLength)
            if split != reference { differing.append("\(url.lastPathComponent) (\(split) vs \(reference))") }
        }
        return differing
    }

    @Test("the repository's own logs frame to identical lines for every chunking", arguments: Chunking.splitting)
    func ownLogsChunkingInvariant(_ chunking: Chunking) throws {
        let differing = try filesFramedDifferently(CorpusLocator.ownLogs(), by: chunking)
        #expect(differing.isEmpty, "\(differing.count) files differ: \(differing.prefix(5))")
    }

    @Test(
        "every shared corpus log frames to identical lines for every chunking",
        .enabled(if: CorpusLocator.hasSharedCorpora), arguments: Chunking.splitting)
    func sharedLogsChunkingInvariant(_ chunking: Chunking) throws {
        let files = CorpusLocator.sharedLogs()
        #expect(!files.isEmpty)
        let differing = try filesFramedDifferently(files, by: chunking)
        #expect(differing.isEmpty, "\(differing.count) of \(files.count) files differ: \(differing.prefix(5))")
    }

    @Test(
        "every shared corpus log frames to the same cut lines with a small maximum, for every chunking",
        .enabled(if: CorpusLocator.hasSharedCorpora), arguments: [Chunking.oneByte, .random(seed: 7)])
    func sharedLogsChunkingInvariantWithCuts(_ chunking: Chunking) throws {
        let files = CorpusLocator.sharedLogs()
        let differing = try filesFramedDifferently(files, by: chunking, maximumLineLength: 200)
        #expect(differing.isEmpty, "\(differing.count) of \(files.count) files differ: \(differing.prefix(5))")
    }
}
