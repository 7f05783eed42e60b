// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A read position in a byte buffer, for the hand-written prefix grammar (no regular
/// expression runs on every line).
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    var position: Int

    init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var isAtEnd: Bool { position >= bytes.count }
    var remaining: Int { bytes.count - position }

    @inline(__always)
    func peek(_ ahead: Int = 0) -> UInt8? {
        let index = position + ahead
        return index < bytes.count ? bytes[index] : nil
    }

    /// Consumes `byte` if it is next.
    @inline(__always)
    mutating func skip(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    /// Consumes `literal` if it is next.
    mutating func skip(_ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard remaining >= length else { return false }
        let text = literal.utf8Start
        for index in 0..<length where bytes[position + index] != text[index] { return false }
        position += length
        return true
    }

    /// Consumes spaces; returns how many.
    @discardableResult
    mutating func skipSpaces() -> Int {
        let start = position
        while peek() == 0x20 { position += 1 }
        return position - start
    }

    /// Consumes decimal digits and returns their value and count (value saturates).
    mutating func digits(maximumCount: Int = 19) -> (value: Int64, count: Int)? {
        var value: Int64 = 0
        var count = 0
        while let byte = peek(), byte >= 0x30, byte <= 0x39, count < maximumCount {
            value = value &* 10 &+ Int64(byte - 0x30)
            count += 1
            position += 1
        }
        return count > 0 ? (value, count) : nil
    }

    /// Consumes bytes up to (not including) the next space; returns their range.
    mutating func token() -> Range<Int> {
        let start = position
        while let byte = peek(), byte != 0x20 { position += 1 }
        return start..<position
    }

    func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    var rest: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[min(position, bytes.count)...]) }
}

extension UInt8 {
    @inline(__always) var isDigit: Bool { self >= 0x30 && self <= 0x39 }
    @inline(__always) var isUppercaseLetter: Bool { self >= 0x41 && self <= 0x5a }
    @inline(__always) var isLowercaseLetter: Bool { self >= 0x61 && self <= 0x7a }
    @inline(__always) var isSpaceOrTab: Bool { self == 0x20 || self == 0x09 }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `memchr` over raw memory.
@inline(__always)
func memchrByte(_ start: UnsafeRawPointer, _ byte: UInt8, _ count: Int) -> UnsafeRawPointer? {
    guard count > 0 else { return nil }
    return UnsafeRawPointer(memchr(start, Int32(byte), count))
}
