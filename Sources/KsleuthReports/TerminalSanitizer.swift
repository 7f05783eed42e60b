// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Makes text from a log safe to print on a terminal.
///
/// A kernel log can hold anything a driver or an attacker wrote: escape sequences that move
/// the cursor, retitle the window or hide text, carriage returns that overwrite a line,
/// bidirectional overrides that reorder it. None of it reaches the terminal raw: control
/// characters become visible escapes (`\x1b`), a tab becomes spaces.
public enum TerminalSanitizer {
    /// `text` with every control character (C0, DEL, C1) and bidirectional override escaped.
    public static func sanitize(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if scalar == "\t" {
                result += "    "
            } else if needsEscape(scalar) {
                let hex = String(scalar.value, radix: 16)
                if scalar.value <= 0xff {
                    result += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    result += "\\u{" + hex + "}"
                }
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    @inline(__always)
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || value == 0x7f || (0x80...0x9f).contains(value) || (0x202a...0x202e).contains(value)
            || (0x2066...0x2069).contains(value)
    }
}
