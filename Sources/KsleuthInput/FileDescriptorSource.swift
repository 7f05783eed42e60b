// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Bytes read with `read(2)` from a file, a pipe or standard input.
public final class FileDescriptorSource: ByteSource {
    /// The input's name, for messages.
    public let name: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var position = 0

    /// Opens the file at `path`.
    ///
    /// - Throws: ``InputError`` with code `cannotOpen` or `isDirectory`.
    public init(path: String) throws(InputError) {
        name = path
        let opened = open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else {
            let reason = String(cString: strerror(errno))
            throw InputError(code: .cannotOpen, input: path, message: "cannot open: \(reason)")
        }
        var status = stat()
        if fstat(opened, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            close(opened)
            throw InputError(
                code: .isDirectory, input: path, message: "is a directory (give the log files inside it)")
        }
        descriptor = opened
        ownsDescriptor = true
    }

    /// Reads from an already open descriptor, such as standard input, which it does not close.
    public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
        ownsDescriptor = false
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        while true {
            let count = systemRead(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 {
                position += count
                return count
            }
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            if errno == EISDIR {
                throw InputError(code: .isDirectory, input: name, message: "is a directory")
            }
            throw InputError(code: .readFailed, input: name, message: "read failed: \(reason)", byteOffset: position)
        }
    }
}

@inline(__always)
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
