// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bounds-checked cursor over bytes whose owner keeps them alive: every read checks the end
/// first and throws ``SymbolsError`` (`truncated`) instead of reading past it.
///
/// Offsets are relative to the start of `bytes`, so errors name the offset in the section.
struct DataReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int
    let littleEndian: Bool

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0, littleEndian: Bool) {
        self.bytes = bytes
        self.offset = offset
        self.littleEndian = littleEndian
    }

    var count: Int { bytes.count }
    var remaining: Int { max(0, bytes.count - offset) }
    var isAtEnd: Bool { offset >= bytes.count }

    @inline(__always)
    private func need(_ size: Int) throws(SymbolsError) {
        guard offset >= 0, size <= bytes.count - offset else {
            throw SymbolsError(
                code: .truncated, offset: offset,
                message: "expected \(size) more bytes, the data ends at \(bytes.count)")
        }
    }

    mutating func skip(_ size: Int) throws(SymbolsError) {
        guard size >= 0 else {
            throw SymbolsError(code: .malformed, offset: offset, message: "negative length \(size)")
        }
        try need(size)
        offset += size
    }

    @inline(__always)
    mutating func u8() throws(SymbolsError) -> UInt8 {
        try need(1)
        let value = bytes[offset]
        offset += 1
        return value
    }

    @inline(__always)
    mutating func u16() throws(SymbolsError) -> UInt16 {
        try need(2)
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
        offset += 2
        return littleEndian ? UInt16(littleEndian: raw) : UInt16(bigEndian: raw)
    }

    @inline(__always)
    mutating func u24() throws(SymbolsError) -> UInt32 {
        try need(3)
        let first = UInt32(bytes[offset])
        let second = UInt32(bytes[offset + 1])
        let third = UInt32(bytes[offset + 2])
        offset += 3
        return littleEndian ? first | second << 8 | third << 16 : first << 16 | second << 8 | third
    }

    @inline(__always)
    mutating func u32() throws(SymbolsError) -> UInt32 {
        try need(4)
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        offset += 4
        return littleEndian ? UInt32(littleEndian: raw) : UInt32(bigEndian: raw)
    }

    @inline(__always)
    mutating func u64() throws(SymbolsError) -> UInt64 {
        try need(8)
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset += 8
        return littleEndian ? UInt64(littleEndian: raw) : UInt64(bigEndian: raw)
    }

    /// An unsigned value of `size` bytes (1, 2, 4 or 8).
    mutating func unsigned(size: Int) throws(SymbolsError) -> UInt64 {
        switch size {
        case 1: return UInt64(try u8())
        case 2: return UInt64(try u16())
        case 4: return UInt64(try u32())
        case 8: return try u64()
        default:
            throw SymbolsError(code: .malformed, offset: offset, message: "unsupported value size \(size)")
        }
    }

    /// An unsigned LEB128 value; bits beyond 64 are dropped, as readers of DWARF do.
    @inline(__always)
    mutating func uleb() throws(SymbolsError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count else {
                throw SymbolsError(code: .truncated, offset: offset, message: "LEB128 value runs past the end")
            }
            let byte = bytes[offset]
            offset += 1
            if shift < 64 { result |= UInt64(byte & 0x7f) << shift }
            shift += 7
            if byte & 0x80 == 0 { return result }
        }
    }

    /// A signed LEB128 value.
    mutating func sleb() throws(SymbolsError) -> Int64 {
        var result: Int64 = 0
        var shift: Int64 = 0
        var byte: UInt8 = 0
        repeat {
            guard offset < bytes.count else {
                throw SymbolsError(code: .truncated, offset: offset, message: "LEB128 value runs past the end")
            }
            byte = bytes[offset]
            offset += 1
            if shift < 64 { result |= Int64(byte & 0x7f) << shift }
            shift += 7
        } while byte & 0x80 != 0
        if shift < 64 && byte & 0x40 != 0 { result |= -(Int64(1) << shift) }
        return result
    }

    /// Skips a LEB128 value without decoding it.
    @inline(__always)
    mutating func skipLEB() throws(SymbolsError) {
        while true {
            guard offset < bytes.count else {
                throw SymbolsError(code: .truncated, offset: offset, message: "LEB128 value runs past the end")
            }
            let byte = bytes[offset]
            offset += 1
            if byte & 0x80 == 0 { return }
        }
    }

    /// The offset of a NUL-terminated string, which is skipped with its terminator.
    mutating func skipCString() throws(SymbolsError) -> Int {
        let start = offset
        guard start >= 0, start < bytes.count, let base = bytes.baseAddress else {
            throw SymbolsError(code: .truncated, offset: offset, message: "expected a NUL-terminated string")
        }
        guard let end = memchrOffset(base, from: start, count: bytes.count) else {
            throw SymbolsError(code: .truncated, offset: start, message: "string has no NUL terminator")
        }
        offset = end + 1
        return start
    }

    /// A NUL-terminated string, decoded as UTF-8 (invalid bytes replaced).
    mutating func cString() throws(SymbolsError) -> String {
        let start = try skipCString()
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<(offset - 1)]), as: UTF8.self)
    }

    /// The NUL-terminated string at `position` in `bytes`, or `nil` when none ends there.
    static func string(in bytes: UnsafeRawBufferPointer, at position: Int) -> String? {
        guard position >= 0, position < bytes.count, let base = bytes.baseAddress,
            let end = memchrOffset(base, from: position, count: bytes.count)
        else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<end]), as: UTF8.self)
    }
}

/// The offset of the first NUL at or after `from`, before `count`.
@inline(__always)
private func memchrOffset(_ base: UnsafeRawPointer, from start: Int, count: Int) -> Int? {
    guard start < count, let found = memchr(base + start, 0, count - start) else { return nil }
    return base.distance(to: UnsafeRawPointer(found))
}
