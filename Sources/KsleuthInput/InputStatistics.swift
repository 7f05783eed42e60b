// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// What reading one input found about the input itself, as reported in `stats`.
public struct InputStatistics: Sendable, Equatable {
    /// Physical lines read.
    public var linesRead = 0
    /// Bytes read, after decompression.
    public var bytesRead = 0
    /// Physical lines per detected prefix format.
    public var linesByFormat: [PrefixFormat: Int] = [:]
    /// Lines longer than the maximum, which were cut.
    public var linesCut = 0
    /// Lines holding bytes that are not valid UTF-8.
    public var invalidUTF8Lines = 0
    /// Lines holding NUL bytes.
    public var linesWithNUL = 0
    /// The longest line, in bytes, counting any part cut off.
    public var longestLineLength = 0
    /// How the input was compressed.
    public var compression: CompressionFormat = .none
    /// Whether the start of the input looks like binary data rather than text.
    public var looksBinary = false

    public init() {}

    /// The prefix format of the input: the one most prefixed lines carry; `no-timestamp` when
    /// fewer than a tenth of the lines carry any prefix; `nil` for an empty input.
    ///
    /// Lines without a prefix say nothing about the file's format — continuation lines,
    /// decoded `Code:` listings pasted after an oops, a serial console's boot-loader chatter —
    /// so they decide only when prefixes are (nearly) absent.
    public var dominantFormat: PrefixFormat? {
        guard linesRead > 0 else { return nil }
        let unprefixed: Set<PrefixFormat> = [.continuation, .kmsgDictionary, .noTimestamp, .pstoreHeader]
        let prefixed = linesByFormat.filter { !unprefixed.contains($0.key) }
        let prefixedLines = prefixed.values.reduce(0, +)
        guard prefixedLines * 10 >= linesRead else { return .noTimestamp }
        return prefixed.max { left, right in
            left.value != right.value ? left.value < right.value : left.key.rawValue > right.key.rawValue
        }?.key
    }
}
