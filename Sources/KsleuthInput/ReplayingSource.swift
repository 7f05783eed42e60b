// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A source that first hands out bytes already read (the few bytes sniffed to detect the
/// compression format), then continues with the source they came from.
final class ReplayingSource: ByteSource {
    private var pending: [UInt8]
    private var pendingStart = 0
    private let upstream: any ByteSource

    init(replaying pending: [UInt8], then upstream: any ByteSource) {
        self.pending = pending
        self.upstream = upstream
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if pendingStart < pending.count {
            let count = min(buffer.count, pending.count - pendingStart)
            pending.withUnsafeBytes { source in
                buffer.baseAddress!.copyMemory(from: source.baseAddress! + pendingStart, byteCount: count)
            }
            pendingStart += count
            if pendingStart == pending.count { pending = [] }
            return count
        }
        return try upstream.read(into: buffer)
    }
}
