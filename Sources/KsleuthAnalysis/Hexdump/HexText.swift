// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Hexadecimal text as the kernel prints it: parsing digits and formatting values.
public enum HexText {
    /// The value of one hex digit, or `nil`.
    @inlinable
    public static func digit(_ character: UInt8) -> UInt8? {
        switch character {
        case 0x30...0x39: character - 0x30
        case 0x61...0x66: character - 0x61 + 10
        case 0x41...0x46: character - 0x41 + 10
        default: nil
        }
    }

    /// Parses `text` (with or without `0x`) as an unsigned value of at most 16 digits.
    public static func value(_ text: Substring) -> UInt64? {
        var body = text
        if body.hasPrefix("0x") || body.hasPrefix("0X") { body = body.dropFirst(2) }
        guard !body.isEmpty, body.utf8.count <= 16 else { return nil }
        var result: UInt64 = 0
        for character in body.utf8 {
            guard let digit = digit(character) else { return nil }
            result = result << 4 | UInt64(digit)
        }
        return result
    }

    /// Parses `text` as a hex value.
    public static func value(_ text: String) -> UInt64? { value(Substring(text)) }

    /// Whether every character of `text` is a hex digit (and there is at least one).
    public static func isHex(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { digit($0) != nil }
    }

    /// `value` as `0x` and lowercase digits, zero-padded to `digits`.
    public static func format(_ value: UInt64, digits: Int = 1) -> String {
        "0x" + bare(value, digits: digits)
    }

    /// `value` as lowercase digits without `0x`, zero-padded to `digits`.
    public static func bare(_ value: UInt64, digits: Int = 1) -> String {
        let text = String(value, radix: 16)
        return text.count >= digits ? text : String(repeating: "0", count: digits - text.count) + text
    }

    /// Bytes as two-digit hex separated by spaces; an unreadable byte is `??`.
    public static func bytes(_ bytes: some Sequence<UInt8?>) -> String {
        bytes.map { $0.map { bare(UInt64($0), digits: 2) } ?? "??" }.joined(separator: " ")
    }
}
