// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import CZlib
import CZstd

/// Unpacks `SHF_COMPRESSED` sections (an `Elf_Chdr`, then zlib or zstd data) and legacy
/// `.zdebug_*` sections (`ZLIB`, an 8-byte big-endian size, then zlib data).
enum ELFSectionDecompression {
    /// The largest unpacked section accepted (a guard against a header announcing terabytes).
    static let maximumSize: UInt64 = 1 << 34

    static func unpack(
        _ raw: UnsafeRawBufferPointer, is64Bit: Bool, littleEndian: Bool
    ) throws(SymbolsError) -> ByteStorage {
        var reader = DataReader(raw, littleEndian: littleEndian)
        let type = try reader.u32()
        let size: UInt64
        if is64Bit {
            _ = try reader.u32()
            size = try reader.u64()
            _ = try reader.u64()
        } else {
            size = UInt64(try reader.u32())
            _ = try reader.u32()
        }
        let payload = UnsafeRawBufferPointer(rebasing: raw[reader.offset...])
        switch type {
        case 1: return try inflate(payload, size: size)
        case 2: return try unzstd(payload, size: size)
        default:
            throw SymbolsError(code: .unsupported, offset: 0, message: "unknown section compression type \(type)")
        }
    }

    static func unpackLegacy(_ raw: UnsafeRawBufferPointer) throws(SymbolsError) -> ByteStorage {
        guard raw.count >= 12, raw[0] == 0x5a, raw[1] == 0x4c, raw[2] == 0x49, raw[3] == 0x42 else {
            throw SymbolsError(code: .malformed, offset: 0, message: "a .zdebug section must start with ZLIB")
        }
        var reader = DataReader(raw, offset: 4, littleEndian: false)
        let size = try reader.u64()
        return try inflate(UnsafeRawBufferPointer(rebasing: raw[12...]), size: size)
    }

    private static func output(size: UInt64) throws(SymbolsError) -> UnsafeMutableRawBufferPointer {
        guard size <= maximumSize else {
            throw SymbolsError(code: .malformed, offset: 0, message: "compressed section claims \(size) bytes")
        }
        return .allocate(byteCount: max(Int(size), 1), alignment: 16)
    }

    private static func inflate(_ payload: UnsafeRawBufferPointer, size: UInt64) throws(SymbolsError) -> ByteStorage {
        let buffer = try output(size: size)
        var produced = uLongf(size)
        let status = uncompress(
            buffer.baseAddress?.assumingMemoryBound(to: Bytef.self), &produced,
            payload.baseAddress?.assumingMemoryBound(to: Bytef.self), uLong(payload.count))
        guard status == Z_OK, UInt64(produced) == size else {
            buffer.deallocate()
            throw SymbolsError(
                code: .decompression, offset: 0,
                message: "zlib section data is damaged (status \(status), \(produced) of \(size) bytes)")
        }
        return ByteStorage(adopting: buffer, count: Int(size))
    }

    private static func unzstd(_ payload: UnsafeRawBufferPointer, size: UInt64) throws(SymbolsError) -> ByteStorage {
        let buffer = try output(size: size)
        let produced = ZSTD_decompress(buffer.baseAddress, Int(size), payload.baseAddress, payload.count)
        guard ZSTD_isError(produced) == 0, UInt64(produced) == size else {
            buffer.deallocate()
            let reason = ZSTD_isError(produced) != 0 ? String(cString: ZSTD_getErrorName(produced)) : "short output"
            throw SymbolsError(code: .decompression, offset: 0, message: "zstd section data is damaged: \(reason)")
        }
        return ByteStorage(adopting: buffer, count: Int(size))
    }
}
