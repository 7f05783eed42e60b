// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bytes that stay in place while readers look at them: a file mapped read-only, or a buffer
/// owned by this object (an unpacked file or section, a relocated copy).
///
/// Mapping a large `vmlinux` costs address space, not memory: only the pages a lookup touches
/// are read.
public final class ByteStorage {
    /// The bytes, valid for the life of this object.
    public let bytes: UnsafeRawBufferPointer
    private let mapped: Bool

    /// Maps the file at `path`.
    ///
    /// - Throws: ``SymbolsError`` with code `cannotOpen` when the file cannot be opened, is
    ///   not a regular file, or cannot be mapped.
    public init(contentsOf path: String) throws(SymbolsError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SymbolsError(code: .cannotOpen, file: path, message: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw SymbolsError(code: .cannotOpen, file: path, message: "not a regular file")
        }
        let size = Int(status.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            mapped = false
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw SymbolsError(
                code: .cannotOpen, file: path, message: "cannot map: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
        mapped = true
    }

    /// Owns a copy of `contents`.
    public init(copying contents: some Collection<UInt8>) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(contents.count, 1), alignment: 16)
        let (_, initialized) = buffer.initializeMemory(as: UInt8.self, from: contents)
        bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<initialized.count])
        mapped = false
    }

    /// Takes ownership of `buffer`, of which the first `count` bytes are valid.
    init(adopting buffer: UnsafeMutableRawBufferPointer, count: Int) {
        bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<min(count, buffer.count)])
        mapped = false
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        } else {
            base.deallocate()
        }
    }
}
