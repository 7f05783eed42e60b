// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// This machine's kernel log, read from `/dev/kmsg` without blocking: every record in the
/// ring buffer now, then the end of the input (a reader that waited for new records would
/// never finish).
///
/// Each `read(2)` of `/dev/kmsg` returns one record (`6,339,5140900,-;text`). A record
/// overwritten while it was being read makes `read` fail with `EPIPE`; reading goes on with
/// the next one, as `dmesg` does.
public final class KernelMessageDeviceSource: ByteSource {
    private let descriptor: Int32
    /// Records lost to ring-buffer overwrites while reading.
    public private(set) var lostRecordGaps = 0

    /// Opens `/dev/kmsg` (or `path`, for tests).
    ///
    /// - Throws: ``InputError`` with the reason it cannot be read (missing, no permission).
    public init(path: String = "/dev/kmsg") throws(InputError) {
        let opened = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard opened >= 0 else {
            throw InputError(code: .cannotOpen, input: path, message: String(cString: strerror(errno)))
        }
        descriptor = opened
    }

    deinit {
        close(descriptor)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        while true {
            let count = systemRead(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            switch errno {
            case EINTR: continue
            case EAGAIN: return 0
            case EPIPE:
                lostRecordGaps += 1
                continue
            default:
                throw InputError(
                    code: .readFailed, input: "/dev/kmsg", message: "read failed: \(String(cString: strerror(errno)))")
            }
        }
    }
}

@inline(__always)
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
