// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Reads the few fields ksleuth needs from one `journalctl -o json` line, without a general
/// JSON parser: the journal writes one flat object per line, and a key in quotes followed by
/// a colon cannot occur inside a string value (its quotes would be escaped).
enum JournalJSONFields {
    /// The raw value after `"key":` (a quoted string, a number, an array), up to the next
    /// top-level comma or brace.
    static func rawValue(in bytes: UnsafeRawBufferPointer, key: String) -> UnsafeRawBufferPointer? {
        guard let start = valueStart(in: bytes, key: key) else { return nil }
        var index = start
        var inString = false
        var depth = 0
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == 0x5c {
                    index += 1
                } else if byte == 0x22 {
                    inString = false
                }
            } else if byte == 0x22 {
                inString = true
            } else if byte == 0x5b {
                depth += 1
            } else if byte == 0x5d {
                depth -= 1
            } else if (byte == 0x2c || byte == 0x7d) && depth == 0 {
                break
            }
            index += 1
        }
        var end = min(index, bytes.count)
        while end > start, bytes[end - 1] == 0x20 { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// The range of a string value's contents (between its quotes, escapes left in place).
    static func stringRange(in bytes: UnsafeRawBufferPointer, key: String) -> Range<Int>? {
        guard let value = rawValue(in: bytes, key: key), value.count >= 2, value.first == 0x22,
            value.last == 0x22, let base = bytes.baseAddress, let valueBase = value.baseAddress
        else { return nil }
        let offset = base.distance(to: valueBase)
        return (offset + 1)..<(offset + value.count - 1)
    }

    /// A numeric value, quoted (`"PRIORITY":"4"`) or not.
    static func integer(in bytes: UnsafeRawBufferPointer, key: String) -> Int64? {
        guard let value = rawValue(in: bytes, key: key) else { return nil }
        var result: Int64 = 0
        var seen = false
        for byte in value where byte != 0x22 {
            guard byte.isDigit else { return nil }
            result = result &* 10 &+ Int64(byte - 0x30)
            seen = true
        }
        return seen ? result : nil
    }

    /// Decodes a string value (or, for text that is not UTF-8, the journal's array of byte
    /// numbers) into `scratch`, truncating at its size.
    static func decodeString(
        in bytes: UnsafeRawBufferPointer, key: String, into scratch: UnsafeMutableRawBufferPointer
    ) -> UnsafeRawBufferPointer? {
        guard let value = rawValue(in: bytes, key: key), let first = value.first else { return nil }
        var out = 0
        func put(_ byte: UInt8) {
            if out < scratch.count {
                scratch[out] = byte
                out += 1
            }
        }
        if first == 0x5b {
            var number = 0
            var inNumber = false
            for byte in value.dropFirst() {
                if byte.isDigit {
                    number = number * 10 + Int(byte - 0x30)
                    inNumber = true
                } else if inNumber {
                    put(UInt8(truncatingIfNeeded: number))
                    number = 0
                    inNumber = false
                }
            }
        } else if first == 0x22 {
            var index = 1
            while index < value.count - 1 {
                let byte = value[index]
                if byte == 0x5c, index + 1 < value.count - 1 {
                    let escaped = value[index + 1]
                    index += 2
                    switch escaped {
                    case 0x6e: put(0x0a)
                    case 0x74: put(0x09)
                    case 0x72: put(0x0d)
                    case 0x62: put(0x08)
                    case 0x66: put(0x0c)
                    case 0x75:
                        var scalar: UInt32 = 0
                        var digits = 0
                        while digits < 4, index < value.count, let digit = hexValue(value[index]) {
                            scalar = scalar << 4 | UInt32(digit)
                            digits += 1
                            index += 1
                        }
                        for byte in String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8 { put(byte) }
                    default: put(escaped)
                    }
                } else {
                    put(byte)
                    index += 1
                }
            }
        } else {
            return nil
        }
        return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(scratch)[0..<out])
    }

    private static func valueStart(in bytes: UnsafeRawBufferPointer, key: String) -> Int? {
        let needle = Array("\"\(key)\"".utf8)
        guard bytes.count > needle.count else { return nil }
        var index = 0
        while index + needle.count < bytes.count {
            if bytes[index] == 0x22, needle.indices.allSatisfy({ bytes[index + $0] == needle[$0] }) {
                var position = index + needle.count
                while position < bytes.count, bytes[position] == 0x20 { position += 1 }
                guard position < bytes.count, bytes[position] == 0x3a else { return nil }
                position += 1
                while position < bytes.count, bytes[position] == 0x20 { position += 1 }
                return position
            }
            index += 1
        }
        return nil
    }
}
