// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import CZstd

/// Decodes a zstd stream (several frames too).
final class ZstdDecoder: ByteSource {
    private let upstream: any ByteSource
    private let name: String
    private let context: OpaquePointer
    private var input: UnsafeMutableRawBufferPointer
    private var inputBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
    private var upstreamEnded = false
    private var frameOpen = false
    private var produced = 0

    init(upstream: any ByteSource, name: String) throws(InputError) {
        self.upstream = upstream
        self.name = name
        guard let context = ZSTD_createDStream() else {
            throw InputError(code: .corruptCompressedData, input: name, message: "cannot start the zstd decoder")
        }
        self.context = context
        input = .allocate(byteCount: Int(ZSTD_DStreamInSize()), alignment: 16)
        ZSTD_initDStream(context)
    }

    deinit {
        ZSTD_freeDStream(context)
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if inputBuffer.pos == inputBuffer.size && !upstreamEnded {
                let count = try upstream.read(into: input)
                if count == 0 {
                    upstreamEnded = true
                } else {
                    inputBuffer = ZSTD_inBuffer(src: UnsafeRawPointer(input.baseAddress), size: count, pos: 0)
                }
            }
            let hasInput = inputBuffer.pos < inputBuffer.size
            if !hasInput && upstreamEnded {
                if frameOpen {
                    throw InputError(
                        code: .truncatedCompressedData, input: name,
                        message: "zstd stream ends inside a frame (truncated file?)", byteOffset: produced)
                }
                return 0
            }
            var output = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
            let hint = ZSTD_decompressStream(context, &output, &inputBuffer)
            if ZSTD_isError(hint) != 0 {
                let reason = String(cString: ZSTD_getErrorName(hint))
                throw InputError(
                    code: .corruptCompressedData, input: name, message: "corrupt zstd data: \(reason)",
                    byteOffset: produced)
            }
            frameOpen = hint != 0
            produced += output.pos
            if output.pos > 0 { return output.pos }
        }
    }
}
