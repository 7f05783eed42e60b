// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthInput
import KsleuthTestSupport
import Testing

/// Runs the system compressor (`gzip -c -n`, `xz -c`, `zstd -c -q`) over `bytes` written to a
/// temporary file and returns what it printed.
func compress(_ bytes: [UInt8], as format: CompressionFormat) throws -> [UInt8] {
    let arguments: [String]
    switch format {
    case .gzip: arguments = ["gzip", "-c", "-n"]
    case .xz: arguments = ["xz", "-c"]
    case .zstd: arguments = ["zstd", "-c", "-q"]
    case .none: return bytes
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ksleuth-input-tests")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let file = directory.appendingPathComponent("plain-\(UUID().uuidString).log")
    try Data(bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments + [file.path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "\(arguments[0]) failed")
    return [UInt8](data)
}

/// A kernel log of about 1.5 MB whose lines differ (random addresses), so that it does not
/// compress to a few bytes and the decoders need several reads.
let samplePlainLog: [UInt8] = {
    var generator = SeededGenerator(seed: 42)
    var text = ""
    for index in 0..<24_000 {
        let seconds = index / 100
        let micros = (index % 100) * 10_000 + Int(generator.next() % 10_000)
        let stamp =
            "[" + String(repeating: " ", count: max(0, 5 - String(seconds).count)) + "\(seconds)."
            + String(format: "%06d", micros) + "]"
        let address = String(generator.next(), radix: 16)
        switch index % 4 {
        case 0: text += "\(stamp) RIP: 0010:kmem_cache_alloc+0x\(address.prefix(3))/0x2a0\n"
        case 1: text += "\(stamp) Code: \(address) \(String(generator.next(), radix: 16))\n"
        case 2: text += "\(stamp)  ? __schedule+0x\(address.prefix(4))/0x8c0\r\n"
        default: text += "\(stamp) RSP: 0018:ffffc900\(address.prefix(8)) EFLAGS: 00010246\n"
        }
    }
    return Array(text.utf8)
}()

/// All lines framed from `input`'s decompressed source, and the error that stopped it, if any.
func frameAll(_ input: LogInput, chunkSize: Int = 1 << 20) -> (lines: [FramedLine], error: InputError?) {
    let framer = LineFramer(source: input.source, chunkSize: chunkSize)
    var lines: [FramedLine] = []
    do {
        try framer.forEachLine { raw in
            lines.append(
                FramedLine(bytes: Array(raw.bytes), number: raw.number, byteOffset: raw.byteOffset, isCut: raw.isCut))
        }
        return (lines, nil)
    } catch {
        return (lines, error)
    }
}

let compressedFormats: [CompressionFormat] = [.gzip, .xz, .zstd]

@Suite("LogInput")
struct LogInputTests {
    /// The sample log framed straight from memory: what every decompressed read must equal.
    static let plainLines: [FramedLine] = {
        var lines: [FramedLine] = []
        let framer = LineFramer(source: MemoryByteSource(samplePlainLog))
        do {
            try framer.forEachLine { raw in
                lines.append(
                    FramedLine(
                        bytes: Array(raw.bytes), number: raw.number, byteOffset: raw.byteOffset, isCut: raw.isCut))
            }
        } catch {
            lines = []
        }
        return lines
    }()

    @Test("plain input is passed through, its sniffed first bytes included", arguments: [Chunking.whole, .oneByte])
    func plainPassThrough(_ chunking: Chunking) throws {
        let input = try LogInput(name: "plain.log", raw: chunking.source(samplePlainLog))
        #expect(input.compression == CompressionFormat.none)
        #expect(input.name == "plain.log")
        let (lines, error) = frameAll(input)
        #expect(error == nil)
        #expect(lines.count == 24_000)
        #expect(lines.first?.text.hasPrefix("[    0.") == true)
        #expect(lines == Self.plainLines)
    }

    @Test("compressed input is detected and yields the same lines as the plain input", arguments: compressedFormats)
    func decompressesToSameLines(_ format: CompressionFormat) throws {
        let packed = try compress(samplePlainLog, as: format)
        #expect(packed.count < samplePlainLog.count)
        let input = try LogInput(name: "log.\(format.rawValue)", raw: MemoryByteSource(packed))
        #expect(input.compression == format)
        let (lines, error) = frameAll(input)
        #expect(error == nil)
        #expect(lines.count == Self.plainLines.count)
        #expect(lines == Self.plainLines)
    }

    @Test(
        "decompression gives the same lines for small and odd read sizes", arguments: compressedFormats,
        [4096, 333, 17])
    func decompressesWithSmallReads(_ format: CompressionFormat, framerChunk: Int) throws {
        let packed = try compress(samplePlainLog, as: format)
        let input = try LogInput(name: "small-reads", raw: MemoryByteSource(packed, randomChunksUpTo: 4096, seed: 3))
        let (lines, error) = frameAll(input, chunkSize: framerChunk)
        #expect(error == nil, "\(String(describing: error))")
        #expect(lines.count == Self.plainLines.count)
        #expect(lines == Self.plainLines)
    }

    @Test("compressed bytes handed out one at a time decode to the same lines", arguments: compressedFormats)
    func decompressesFromOneByteReads(_ format: CompressionFormat) throws {
        let plain = Array(samplePlainLog.prefix(40_000))
        let reference = frameAll(try LogInput(name: "plain", raw: MemoryByteSource(plain))).lines
        let packed = try compress(plain, as: format)
        let input = try LogInput(name: "one-byte", raw: MemoryByteSource(packed, chunkSizes: [1]))
        #expect(input.compression == format)
        let (lines, error) = frameAll(input)
        #expect(error == nil, "\(String(describing: error))")
        #expect(lines == reference)
    }

    @Test("concatenated compressed members, streams or frames are all read", arguments: compressedFormats)
    func concatenatedMembers(_ format: CompressionFormat) throws {
        let first = Array("[    1.000000] first member line 1\n[    1.000001] first member line 2\n".utf8)
        let second = Array("[    2.000000] second member line\n".utf8)
        let packed = try compress(first, as: format) + compress(second, as: format)
        let input = try LogInput(name: "cat", raw: MemoryByteSource(packed))
        #expect(input.compression == format)
        let (lines, error) = frameAll(input)
        #expect(error == nil, "\(String(describing: error))")
        #expect(
            lines.map(\.text) == [
                "[    1.000000] first member line 1", "[    1.000001] first member line 2",
                "[    2.000000] second member line",
            ])
        #expect(lines.map(\.byteOffset) == [0, 35, 70])
    }

    @Test(
        "input cut in the middle of the compressed stream throws after delivering the lines that decoded",
        arguments: compressedFormats)
    func truncatedInput(_ format: CompressionFormat) throws {
        let packed = try compress(samplePlainLog, as: format)
        let cut = Array(packed.prefix(packed.count / 2))
        let input = try LogInput(name: "cut.\(format.rawValue)", raw: MemoryByteSource(cut))
        let (lines, error) = frameAll(input)
        let failure = try #require(error)
        #expect([.truncatedCompressedData, .corruptCompressedData].contains(failure.code))
        #expect(failure.input == "cut.\(format.rawValue)")
        #expect(lines.count > 1_000)
        #expect(lines.count < Self.plainLines.count)
        let complete = lines.dropLast()
        #expect(Array(complete) == Array(Self.plainLines.prefix(complete.count)))
        if let last = lines.last {
            let reference = Self.plainLines[lines.count - 1]
            #expect(reference.bytes.starts(with: last.bytes))
        }
    }

    @Test("input cut just before the end marker is reported as truncated", arguments: compressedFormats)
    func truncatedNearTheEnd(_ format: CompressionFormat) throws {
        let packed = try compress(samplePlainLog, as: format)
        let input = try LogInput(name: "tail-cut", raw: MemoryByteSource(Array(packed.dropLast(3))))
        let (lines, error) = frameAll(input)
        let failure = try #require(error)
        #expect([.truncatedCompressedData, .corruptCompressedData].contains(failure.code))
        #expect(lines.count >= Self.plainLines.count - 1)
    }

    @Test("flipped bytes in the middle of the compressed data are reported as corrupt", arguments: compressedFormats)
    func corruptInTheMiddle(_ format: CompressionFormat) throws {
        var packed = try compress(samplePlainLog, as: format)
        let middle = packed.count / 2
        for index in middle..<(middle + 32) { packed[index] ^= 0xFF }
        let input = try LogInput(name: "corrupt", raw: MemoryByteSource(packed))
        let (_, error) = frameAll(input)
        let failure = try #require(error)
        #expect(failure.code == .corruptCompressedData)
    }

    @Test("flipped bytes right after the header are reported as corrupt", arguments: compressedFormats)
    func corruptAfterHeader(_ format: CompressionFormat) throws {
        var packed = try compress(samplePlainLog, as: format)
        // gzip's fixed header is 10 bytes (-n: no name), xz's stream header 12, zstd's frame header at most 18.
        let headerLength = [CompressionFormat.gzip: 10, .xz: 12, .zstd: 18][format] ?? 0
        for index in headerLength..<(headerLength + 24) { packed[index] ^= 0xFF }
        let input = try LogInput(name: "corrupt-head", raw: MemoryByteSource(packed))
        let (lines, error) = frameAll(input)
        let failure = try #require(error)
        #expect(failure.code == .corruptCompressedData)
        #expect(lines.count < Self.plainLines.count)
    }

    @Test("an empty input is plain and has no lines")
    func emptyInput() throws {
        let input = try LogInput(name: "empty", raw: MemoryByteSource([]))
        #expect(input.compression == CompressionFormat.none)
        let (lines, error) = frameAll(input)
        #expect(lines.isEmpty)
        #expect(error == nil)
    }

    @Test("an input shorter than the magic numbers is read as plain text")
    func shortInput() throws {
        for text in ["a", "ab\n", "[ 1.0"] {
            let input = try LogInput(name: "short", raw: MemoryByteSource(Array(text.utf8), chunkSizes: [1]))
            #expect(input.compression == CompressionFormat.none)
            let (lines, error) = frameAll(input)
            #expect(error == nil)
            #expect(lines.map(\.text) == [text.trimmingCharacters(in: .newlines)])
        }
    }

    @Test("a gzip magic with nothing after it is truncated, not a crash")
    func bareGzipMagic() throws {
        let input = try LogInput(name: "magic-only", raw: MemoryByteSource([0x1f, 0x8b]))
        #expect(input.compression == .gzip)
        let (lines, error) = frameAll(input)
        #expect(lines.isEmpty)
        let failure = try #require(error)
        #expect([.truncatedCompressedData, .corruptCompressedData].contains(failure.code))
    }

    @Test("a source that fails while the magic is sniffed makes opening fail")
    func failureWhileSniffing() throws {
        let error = try #require(throws: InputError.self) {
            _ = try LogInput(name: "failing", raw: FailingByteSource(Array("[    1.0] x\n".utf8), failAfter: 0))
        }
        #expect(error.code == .readFailed)
    }

    @Test("opening a missing file is a cannot-open error naming the file")
    func openMissingFile() throws {
        let path = "/nonexistent/ksleuth/\(UUID().uuidString).log"
        let error = try #require(throws: InputError.self) { _ = try LogInput.open(path) }
        #expect(error.code == .cannotOpen)
        #expect(error.input == path)
    }

    @Test("opening a directory is an is-directory error")
    func openDirectory() throws {
        let error = try #require(throws: InputError.self) {
            _ = try LogInput.open(FileManager.default.temporaryDirectory.path)
        }
        #expect(error.code == .isDirectory)
    }

    @Test("a gzip file on disk is opened by path and decompressed")
    func openGzipFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ksleuth-input-tests")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // A rotated log keeps no .gz suffix: detection must not depend on the name.
        let file = directory.appendingPathComponent("kern.log.1-\(UUID().uuidString)")
        try Data(try compress(samplePlainLog, as: .gzip)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let input = try LogInput.open(file.path)
        #expect(input.name == file.path)
        #expect(input.compression == .gzip)
        let (lines, error) = frameAll(input)
        #expect(error == nil)
        #expect(lines == Self.plainLines)
    }
}
