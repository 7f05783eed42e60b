// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One line of an incident's evidence, copied out of the input: its place and the kernel's
/// text without the prefix.
public struct EvidenceLine: Sendable, Hashable {
    /// 1-based line number in the input.
    public var number: Int
    /// Offset of the line's first byte.
    public var byteOffset: Int
    /// Length of the physical line in bytes, without its line end.
    public var length: Int
    /// The kernel's text, prefix removed; invalid UTF-8 replaced by U+FFFD.
    public var text: String
    /// The printk stamp in microseconds since boot, when the line had one.
    public var monotonicMicroseconds: Int64?

    public init(number: Int, byteOffset: Int, length: Int, text: String, monotonicMicroseconds: Int64?) {
        self.number = number
        self.byteOffset = byteOffset
        self.length = length
        self.text = text
        self.monotonicMicroseconds = monotonicMicroseconds
    }
}
