// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The input layer's one entry point: an opened input in, logical log lines out, with the
/// statistics of what was read.
///
/// Composes the ``LineFramer`` (bytes → physical lines, bounded memory) and the
/// ``LinePrefixParser`` (physical line → prefix fields + kernel text).
public final class LogLineReader {
    /// The input being read.
    public let input: LogInput
    /// What has been read so far.
    public var statistics: InputStatistics {
        var result = counted
        for format in PrefixFormat.allCases where linesPerFormat[Int(format.rawValue)] > 0 {
            result.linesByFormat[format] = linesPerFormat[Int(format.rawValue)]
        }
        return result
    }

    // The counters are touched on every line: their exclusivity is not checked at run time
    // (each is accessed only by this reader, never across a suspension or from a closure that
    // escapes).
    @exclusivity(unchecked) private var counted = InputStatistics()
    @exclusivity(unchecked) private var linesPerFormat = [Int](repeating: 0, count: PrefixFormat.allCases.count)

    private let framer: LineFramer
    private let parser: LinePrefixParser
    @exclusivity(unchecked) private var sampledBytes = 0
    @exclusivity(unchecked) private var suspiciousBytes = 0
    private static let binarySampleSize = 64 * 1024

    /// - Parameters:
    ///   - input: the opened input.
    ///   - maximumLineLength: lines are cut to this many bytes.
    ///   - chunkSize: bytes read from the input at once.
    public init(input: LogInput, maximumLineLength: Int = 64 * 1024, chunkSize: Int = 1 << 20) {
        self.input = input
        framer = LineFramer(source: input.source, maximumLineLength: maximumLineLength, chunkSize: chunkSize)
        parser = LinePrefixParser(maximumLineLength: maximumLineLength)
        counted.compression = input.compression
    }

    /// Calls `body` with every logical line of the input, in order.
    ///
    /// - Throws: ``InputError`` when the input fails midway; the lines before it have been
    ///   delivered and `statistics` counts them.
    public func forEachLine(_ body: (LogLine) -> Void) throws(InputError) {
        defer {
            counted.linesRead = framer.linesRead
            counted.bytesRead = framer.bytesRead
            counted.linesCut = framer.linesCut
            counted.longestLineLength = framer.longestLineLength
            if sampledBytes > 0 { counted.looksBinary = suspiciousBytes * 10 > sampledBytes }
        }
        try framer.forEachLine { raw in
            inspect(raw.bytes)
            let format = parser.parse(raw, body)
            linesPerFormat[Int(format.rawValue)] += 1
        }
    }

    /// Counts invalid UTF-8 and NUL bytes; samples the start of the input for binary data.
    @inline(__always)
    private func inspect(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        var index = 0
        var allASCII = true
        while index + 8 <= bytes.count {
            if base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 {
                allASCII = false
                break
            }
            index += 8
        }
        if allASCII {
            while index < bytes.count {
                if bytes[index] >= 0x80 {
                    allASCII = false
                    break
                }
                index += 1
            }
        }
        if !allASCII, String(validating: bytes, as: UTF8.self) == nil {
            counted.invalidUTF8Lines += 1
        }
        if memchrByte(base, 0, bytes.count) != nil { counted.linesWithNUL += 1 }
        if sampledBytes < LogLineReader.binarySampleSize {
            sampledBytes += bytes.count + 1
            for byte in bytes where byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte != 0x1b) {
                suspiciousBytes += 1
            }
            if !allASCII, String(validating: bytes, as: UTF8.self) == nil { suspiciousBytes += bytes.count / 4 }
        }
    }
}
