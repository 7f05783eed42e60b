// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

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
