// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents
import KsleuthInput

/// A byte source over bytes in memory that hands them out in chunks of chosen sizes: the
/// tool for proving that results do not depend on where reads happen to split the input.
public final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0
    private let chunkSizes: [Int]
    private var nextChunk = 0

    /// - Parameters:
    ///   - bytes: the whole input.
    ///   - chunkSizes: the size of each successive read (cycled); `nil` reads as much as asked.
    public init(_ bytes: [UInt8], chunkSizes: [Int]? = nil) {
        self.bytes = bytes
        self.chunkSizes = chunkSizes ?? [Int.max]
    }

    /// Reads in chunks of random sizes between 1 and `maximum`, from a seeded generator.
    public convenience init(_ bytes: [UInt8], randomChunksUpTo maximum: Int, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let sizes = (0..<257).map { _ in Int.random(in: 1...maximum, using: &generator) }
        self.init(bytes, chunkSizes: sizes)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard position < bytes.count else { return 0 }
        let wanted = chunkSizes[nextChunk]
        nextChunk = (nextChunk + 1) % chunkSizes.count
        let count = min(buffer.count, wanted, bytes.count - position)
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + position, byteCount: count)
        }
        position += count
        return count
    }
}

/// A byte source that fails after handing out some bytes, as a damaged disk or a dropped
/// connection would.
public final class FailingByteSource: ByteSource {
    private let inner: MemoryByteSource
    private var remaining: Int

    public init(_ bytes: [UInt8], failAfter count: Int) {
        inner = MemoryByteSource(bytes)
        remaining = count
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard remaining > 0 else {
            throw InputError(code: .readFailed, input: "failing", message: "simulated read failure", byteOffset: nil)
        }
        let count = try inner.read(
            into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, remaining)]))
        remaining -= count
        return count
    }
}

/// SplitMix64: a small, repeatable random number generator for tests.
public struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// A huge input that never exists in memory: `before`, then `rowCount` copies of a row whose
/// 16 characters after `prefix` are a hex counter (`start`, `start + step`, …), then `after`.
///
/// `Object ffff880214361930: 6b 6b …` rows of a 1 GB SLUB dump are made on the fly in one
/// reused row buffer, so a test can feed the whole pipeline a dump far larger than its memory
/// budget.
public final class GeneratedRowsByteSource: ByteSource {
    private static let digits = Array("0123456789abcdef".utf8)
    private let before: [UInt8]
    private let after: [UInt8]
    private var row: [UInt8]
    private let counterStart: Int
    private let start: UInt64
    private let step: UInt64
    /// How many rows the input holds.
    public let rowCount: Int
    /// 0: `before`, 1: the rows, 2: `after`, 3: the end.
    private var stage = 0
    private var index = 0
    private var rowsDone = 0

    /// Bytes handed out so far: `totalCount` once the input was read to its end.
    public private(set) var bytesHandedOut = 0

    /// The length of one generated row, newline included.
    public var rowLength: Int { row.count }

    /// Bytes in the whole input.
    public var totalCount: Int { before.count + rowCount * row.count + after.count }

    /// - Parameters:
    ///   - prefix: the row's text before the counter (`Object `).
    ///   - suffix: the row's text after the counter, newline included (`: 6b 6b …\n`).
    public init(before: String, prefix: String, start: UInt64, step: UInt64, suffix: String, rows: Int, after: String) {
        self.before = Array(before.utf8)
        self.after = Array(after.utf8)
        row = Array(prefix.utf8) + [UInt8](repeating: 0x30, count: 16) + Array(suffix.utf8)
        counterStart = prefix.utf8.count
        self.start = start
        self.step = step
        rowCount = rows
        writeCounter()
    }

    private func writeCounter() {
        let value = start &+ UInt64(rowsDone) &* step
        for position in 0..<16 {
            row[counterStart + position] = Self.digits[Int((value >> UInt64(60 - 4 * position)) & 0xf)]
        }
    }

    /// Runs the whole pipeline over this input (read once), keeping every incident.
    public func analyze(name: String = "generated.log") throws -> (incidents: [Incident], summary: InputSummary) {
        let collector = IncidentCollector()
        let summary = LogAnalyzer().analyze(try LogInput(name: name, raw: self), into: collector)
        return (collector.incidents, summary)
    }

    private func copy(_ bytes: [UInt8], into target: UnsafeMutableRawBufferPointer) {
        guard !target.isEmpty else { return }
        bytes.withUnsafeBytes { source in
            target.baseAddress!.copyMemory(from: source.baseAddress! + index, byteCount: target.count)
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        var written = 0
        while written < buffer.count, stage < 3 {
            if stage == 1, rowsDone == rowCount {
                stage = 2
                index = 0
                continue
            }
            let length = stage == 0 ? before.count : stage == 1 ? row.count : after.count
            let count = min(buffer.count - written, length - index)
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[written..<(written + count)])
            switch stage {
            case 0: copy(before, into: target)
            case 1: copy(row, into: target)
            default: copy(after, into: target)
            }
            written += count
            index += count
            guard index == length else { continue }
            index = 0
            if stage == 1 {
                rowsDone += 1
                if rowsDone < rowCount { writeCounter() }
            } else {
                stage += 1
            }
        }
        bytesHandedOut += written
        return written
    }
}
