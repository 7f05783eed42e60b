// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Makes text from a log safe inside an XML 1.0 document.
///
/// A log may hold any byte, and XML 1.0 forbids most control characters even as character
/// references. They become visible escapes first (`TerminalSanitizer`'s `\x1b`), as do the
/// non-characters U+FFFE and U+FFFF; then markup characters become entities.
enum XMLText {
    /// `text` escaped for an element's content.
    static func content(_ text: String) -> String { escape(text, inAttribute: false) }

    /// `text` escaped for a double-quoted attribute value.
    static func attribute(_ text: String) -> String { escape(text, inAttribute: true) }

    private static func escape(_ text: String, inAttribute: Bool) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where inAttribute: result += "&quot;"
            case "\n": result += inAttribute ? "&#10;" : "\n"
            case "\t": result += inAttribute ? "&#9;" : "\t"
            case _ where TerminalSanitizer.needsEscape(scalar) || scalar.value == 0xfffe || scalar.value == 0xffff:
                let hex = String(scalar.value, radix: 16)
                result += scalar.value <= 0xff ? "\\x" + (hex.count < 2 ? "0" : "") + hex : "\\u{" + hex + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
