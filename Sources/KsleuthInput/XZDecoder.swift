// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import CLZMA

/// Decodes an `.xz` stream (concatenated streams too).
final class XZDecoder: ByteSource {
    private let upstream: any ByteSource
    private let name: String
    private var stream = lzma_stream()
    private var input: UnsafeMutableRawBufferPointer
    private var upstreamEnded = false
    private var finished = false
    private var produced = 0

    init(upstream: any ByteSource, name: String) throws(InputError) {
        self.upstream = upstream
        self.name = name
        input = .allocate(byteCount: 1 << 16, alignment: 16)
        clzma_stream_init(&stream)
        guard clzma_stream_decoder(&stream) == LZMA_OK else {
            input.deallocate()
            throw InputError(code: .corruptCompressedData, input: name, message: "cannot start the xz decoder")
        }
    }

    deinit {
        lzma_end(&stream)
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard buffer.count > 0, !finished else { return 0 }
        while true {
            if stream.avail_in == 0 && !upstreamEnded {
                let count = try upstream.read(into: input)
                if count == 0 {
                    upstreamEnded = true
                } else {
                    stream.next_in = UnsafePointer(input.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    stream.avail_in = count
                }
            }
            stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            stream.avail_out = buffer.count
            let status = lzma_code(&stream, upstreamEnded ? LZMA_FINISH : LZMA_RUN)
            let count = buffer.count - stream.avail_out
            produced += count
            switch status {
            case LZMA_OK:
                if count == 0 && upstreamEnded && stream.avail_in == 0 {
                    throw truncated()
                }
            case LZMA_STREAM_END:
                finished = true
                return count
            case LZMA_BUF_ERROR:
                if count == 0 { throw truncated() }
            default:
                throw InputError(
                    code: .corruptCompressedData, input: name,
                    message: "corrupt xz data (liblzma status \(status.rawValue))", byteOffset: produced)
            }
            if count > 0 { return count }
        }
    }

    private func truncated() -> InputError {
        InputError(
            code: .truncatedCompressedData, input: name,
            message: "xz stream ends before its end marker (truncated file?)", byteOffset: produced)
    }
}
