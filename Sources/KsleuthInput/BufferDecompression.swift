// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Unpacks a whole buffer held in memory, its compression told by its first bytes: how a
/// `.ko.xz`, `.ko.zst` or `.ko.gz` module is read before its ELF is parsed.
public enum BufferDecompression {
    /// The buffer's bytes unpacked, and how they were packed (`.none`: returned as given).
    ///
    /// - Parameters:
    ///   - bytes: the packed bytes.
    ///   - name: the input's name, for errors.
    ///   - maximumSize: the most unpacked bytes accepted, a guard against decompression bombs.
    /// - Throws: ``InputError`` when the data is corrupt, truncated or larger than `maximumSize`.
    public static func decompress(
        _ bytes: [UInt8], name: String, maximumSize: Int = 1 << 32
    ) throws(InputError) -> (format: CompressionFormat, bytes: [UInt8]) {
        let input = try LogInput(name: name, raw: BufferByteSource(bytes))
        if input.compression == .none { return (.none, bytes) }
        var result: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let count = try input.source.read(into: chunk)
            if count == 0 { break }
            guard result.count + count <= maximumSize else {
                throw InputError(
                    code: .corruptCompressedData, input: name,
                    message: "unpacks to more than \(maximumSize) bytes", byteOffset: result.count)
            }
            result.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
        }
        return (input.compression, result)
    }
}

/// A byte source over an array, read once from the start.
private final class BufferByteSource: ByteSource {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let count = min(buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<position + count]))
        }
        position += count
        return count
    }
}
