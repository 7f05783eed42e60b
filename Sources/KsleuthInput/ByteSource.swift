// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A stream of bytes read in chunks: a file, standard input, or a decompressor over another
/// source.
///
/// Sources never hold a whole input in memory; each keeps at most one chunk of its own.
public protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer`.
    ///
    /// - Returns: the number of bytes read; 0 only at the end of the input.
    /// - Throws: ``InputError`` when the input cannot be read further. Bytes returned by
    ///   earlier calls stay valid: the caller keeps whatever it already recovered.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
}
