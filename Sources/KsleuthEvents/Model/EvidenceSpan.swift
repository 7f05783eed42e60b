// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Where in the input an incident's evidence lies.
///
/// Line numbers are 1-based and count the physical lines of the input as given (after
/// decompression). Byte offsets count from the first byte of the decompressed input;
/// `lastByte` is the offset of the last byte of the last line, not counting its line end.
public struct EvidenceSpan: Sendable, Hashable, Codable {
    /// The input's name as given on the command line (`-` for standard input).
    public var file: String
    public var firstLine: Int
    public var lastLine: Int
    public var firstByte: Int
    public var lastByte: Int

    public init(file: String, firstLine: Int, lastLine: Int, firstByte: Int, lastByte: Int) {
        self.file = file
        self.firstLine = firstLine
        self.lastLine = lastLine
        self.firstByte = firstByte
        self.lastByte = lastByte
    }
}
