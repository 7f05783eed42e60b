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

    /// The format most lines carry, ignoring continuation lines; `nil` for an empty input.
    ///
    /// Ties go to the format that carries more information (a stamped format over bare text).
    public var dominantFormat: PrefixFormat? {
        let counted = linesByFormat.filter { $0.key != .continuation && $0.key != .kmsgDictionary }
        return counted.max { left, right in
            left.value != right.value ? left.value < right.value : left.key.rawValue > right.key.rawValue
        }?.key
    }
}
