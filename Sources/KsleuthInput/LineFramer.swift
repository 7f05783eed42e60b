// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits a byte stream into lines with bounded memory.
///
/// Reads the source in chunks into one buffer that never grows past `chunkSize +
/// maximumLineLength`. A line longer than `maximumLineLength` is delivered cut to that
/// length, flagged, and the rest of it is skipped without being buffered, so a 1 GB line
/// with no newline costs no more memory than a short one. `\r\n` endings lose their `\r`s;
/// a final line without a newline is delivered like any other.
public final class LineFramer {
    // Counters updated on every line, by this framer only: exclusivity not checked at run time.

    /// Lines delivered so far.
    @exclusivity(unchecked) public private(set) var linesRead = 0
    /// Bytes read from the source so far (after decompression).
    @exclusivity(unchecked) public private(set) var bytesRead = 0
    /// Lines that were longer than the maximum and were cut.
    @exclusivity(unchecked) public private(set) var linesCut = 0
    /// The longest line seen, in bytes, counting the part cut off.
    @exclusivity(unchecked) public private(set) var longestLineLength = 0

    /// The maximum number of bytes of one line that are kept.
    public let maximumLineLength: Int
    private let chunkSize: Int
    private let source: any ByteSource
    private let buffer: UnsafeMutableRawBufferPointer

    /// - Parameters:
    ///   - source: where the bytes come from.
    ///   - maximumLineLength: lines are cut to this many bytes (the kernel's own records are at
    ///     most 1024 bytes; syslog and journal prefixes add little).
    ///   - chunkSize: how much is read from the source at once.
    public init(source: any ByteSource, maximumLineLength: Int = 64 * 1024, chunkSize: Int = 1 << 20) {
        precondition(maximumLineLength > 0 && chunkSize > 0)
        self.source = source
        self.maximumLineLength = maximumLineLength
        self.chunkSize = chunkSize
        buffer = .allocate(byteCount: chunkSize + maximumLineLength, alignment: 64)
    }

    deinit {
        buffer.deallocate()
    }

    /// Calls `body` with every line of the input, in order.
    ///
    /// - Throws: ``InputError`` when the source fails. Every line before the failure, and the
    ///   partial line the failure interrupted, have been delivered by then.
    public func forEachLine(_ body: (RawLine) -> Void) throws(InputError) {
        let base = buffer.baseAddress!
        var start = 0  // first byte of the current line in the buffer
        var end = 0  // one past the last valid byte in the buffer
        var lineOffset = 0  // input offset of the byte at `start`
        var skipping = false  // inside the cut-off tail of an overlong line
        var skippedLength = 0

        func deliver(_ from: Int, _ to: Int, cut: Bool) {
            var length = to - from
            // "\r\n", and serial consoles' "\r\r\n".
            while length > 0 && base.load(fromByteOffset: from + length - 1, as: UInt8.self) == 0x0d {
                length -= 1
            }
            var cut = cut
            if length > maximumLineLength {
                // A whole line already in the buffer, longer than the maximum.
                length = maximumLineLength
                cut = true
                linesCut += 1
            }
            linesRead += 1
            let line = RawLine(
                bytes: UnsafeRawBufferPointer(start: base + from, count: length), number: linesRead,
                byteOffset: lineOffset, isCut: cut)
            body(line)
        }

        var failure: InputError?
        while true {
            // Compact: move the unfinished line to the front, then read more after it.
            if start > 0 {
                let remaining = end - start
                if remaining > 0 { memmove(base, base + start, remaining) }
                end = remaining
                start = 0
            }
            let room = buffer.count - end
            var count = 0
            do {
                count = try source.read(
                    into: UnsafeMutableRawBufferPointer(start: base + end, count: min(room, chunkSize)))
            } catch {
                failure = error
            }
            if count == 0 {
                // End of input (or a failure): the unfinished line is the last one.
                if skipping {
                    noteLength(maximumLineLength + skippedLength)
                } else if end > start {
                    noteLength(end - start)
                    deliver(start, end, cut: false)
                }
                if let failure { throw failure }
                return
            }
            bytesRead += count
            let scanFrom = end
            end += count
            var cursor = scanFrom
            while cursor < end {
                let found = memchr(base + cursor, 0x0a, end - cursor)
                guard let found else { break }
                let newline = base.distance(to: UnsafeMutableRawPointer(found))
                if skipping {
                    skippedLength += newline - start
                    noteLength(maximumLineLength + skippedLength)
                    skipping = false
                } else {
                    noteLength(newline - start)
                    deliver(start, newline, cut: false)
                }
                lineOffset += newline + 1 - start
                start = newline + 1
                cursor = start
            }
            // No newline in what is left: cut the line once it reaches the maximum.
            if !skipping && end - start > maximumLineLength {
                deliver(start, start + maximumLineLength, cut: true)
                linesCut += 1
                skipping = true
                skippedLength = end - start - maximumLineLength
                lineOffset += end - start
                start = end
            } else if skipping {
                skippedLength += end - start
                lineOffset += end - start
                start = end
            }
        }
    }

    @inline(__always)
    private func noteLength(_ length: Int) {
        if length > longestLineLength { longestLineLength = length }
    }
}
