// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One physical line of an input, before its prefix is read.
///
/// The bytes exclude the line terminator (`\n`, and a `\r` before it). They are borrowed
/// from the framer's buffer and valid only during the callback that receives the line.
public struct RawLine {
    /// The line's bytes, without terminator; at most the framer's maximum line length.
    public var bytes: UnsafeRawBufferPointer
    /// 1-based line number in the input as given.
    public var number: Int
    /// Offset of the line's first byte in the (decompressed) input.
    public var byteOffset: Int
    /// Whether the line was longer than the maximum and has been cut.
    public var isCut: Bool

    public init(bytes: UnsafeRawBufferPointer, number: Int, byteOffset: Int, isCut: Bool = false) {
        self.bytes = bytes
        self.number = number
        self.byteOffset = byteOffset
        self.isCut = isCut
    }
}
