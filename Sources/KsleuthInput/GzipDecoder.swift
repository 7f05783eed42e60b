// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import CZlib

/// Inflates a gzip stream (several concatenated members too, as `cat a.gz b.gz` makes).
final class GzipDecoder: ByteSource {
    private let upstream: any ByteSource
    private let name: String
    private var stream = z_stream()
    private var input: UnsafeMutableRawBufferPointer
    private var upstreamEnded = false
    private var memberOpen = true
    private var produced = 0

    init(upstream: any ByteSource, name: String) throws(InputError) {
        self.upstream = upstream
        self.name = name
        input = .allocate(byteCount: 1 << 16, alignment: 16)
        guard czlib_inflate_init_gzip(&stream) == Z_OK else {
            input.deallocate()
            throw InputError(code: .corruptCompressedData, input: name, message: "cannot start the gzip decoder")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if stream.avail_in == 0 && !upstreamEnded {
                let count = try upstream.read(into: input)
                if count == 0 {
                    upstreamEnded = true
                } else {
                    stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_in = uInt(count)
                }
            }
            if stream.avail_in == 0 && upstreamEnded {
                if memberOpen {
                    throw InputError(
                        code: .truncatedCompressedData, input: name,
                        message: "gzip stream ends before its end marker (truncated file?)", byteOffset: produced)
                }
                return 0
            }
            if !memberOpen {
                // Another member follows the one that ended.
                inflateReset(&stream)
                memberOpen = true
            }
            stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(buffer.count)
            let status = inflate(&stream, Z_NO_FLUSH)
            let count = buffer.count - Int(stream.avail_out)
            produced += count
            switch status {
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_STREAM_END:
                memberOpen = false
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw InputError(
                    code: .corruptCompressedData, input: name, message: "corrupt gzip data: \(detail)",
                    byteOffset: produced)
            }
            if count > 0 { return count }
        }
    }
}
