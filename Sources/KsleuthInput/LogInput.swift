// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One input as the user named it, opened and unpacked: a file, standard input (`-`), or
/// anything else that yields bytes, with its compression detected from its first bytes.
public struct LogInput {
    /// The name shown in reports and stored in evidence (`-` for standard input).
    public let name: String
    /// How the input was packed.
    public let compression: CompressionFormat
    /// The decompressed bytes.
    public let source: any ByteSource

    /// Opens `path`, or standard input when `path` is `-`.
    ///
    /// - Throws: ``InputError`` when the file cannot be opened or is a directory.
    public static func open(_ path: String) throws(InputError) -> LogInput {
        let raw: any ByteSource =
            path == "-"
            ? FileDescriptorSource(descriptor: STDIN_FILENO, name: "-")
            : try FileDescriptorSource(path: path)
        return try LogInput(name: path, raw: raw)
    }

    /// Wraps an already open source, sniffing its compression.
    public init(name: String, raw: any ByteSource) throws(InputError) {
        self.name = name
        var magic = [UInt8](repeating: 0, count: CompressionFormat.magicLength)
        var filled = 0
        let sniff = UnsafeMutableRawBufferPointer.allocate(byteCount: magic.count, alignment: 1)
        defer { sniff.deallocate() }
        while filled < magic.count {
            let count = try raw.read(into: UnsafeMutableRawBufferPointer(rebasing: sniff[filled...]))
            if count == 0 { break }
            filled += count
        }
        for index in 0..<filled { magic[index] = sniff[index] }
        magic.removeSubrange(filled...)
        compression = CompressionFormat(magic: magic)
        let replay = ReplayingSource(replaying: magic, then: raw)
        switch compression {
        case .none: source = replay
        case .gzip: source = try GzipDecoder(upstream: replay, name: name)
        case .xz: source = try XZDecoder(upstream: replay, name: name)
        case .zstd: source = try ZstdDecoder(upstream: replay, name: name)
        }
    }
}
