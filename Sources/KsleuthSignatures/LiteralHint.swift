// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Derives from a pattern a literal that every match must contain, for the byte prefilter
/// that decides whether a line deserves the pattern at all.
enum LiteralHint {
    /// Bytes that stand for themselves when escaped.
    private static let escapable = Set("\\.[](){}*+?^$|/- :=,'\"#!<>&%@~`;_".utf8)

    /// The longest literal run of `pattern`'s top level, when it is four bytes or longer and
    /// the pattern has no top-level alternation or inline options.
    static func derive(from pattern: String) -> String? {
        let bytes = Array(pattern.utf8)
        if pattern.contains("(?i") { return nil }
        var runs: [[UInt8]] = []
        var run: [UInt8] = []
        func endRun() {
            if !run.isEmpty { runs.append(run) }
            run = []
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            var literal: UInt8?
            var width = 1
            switch byte {
            case UInt8(ascii: "|"): return nil
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else { return nil }
                let next = bytes[index + 1]
                width = 2
                if escapable.contains(next) { literal = next }
            case UInt8(ascii: "["):
                var end = index + 1
                if end < bytes.count, bytes[end] == UInt8(ascii: "^") { end += 1 }
                if end < bytes.count, bytes[end] == UInt8(ascii: "]") { end += 1 }
                while end < bytes.count, bytes[end] != UInt8(ascii: "]") {
                    end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
                }
                width = end + 1 - index
            case UInt8(ascii: "("):
                var depth = 0
                var end = index
                while end < bytes.count {
                    if bytes[end] == UInt8(ascii: "\\") {
                        end += 2
                        continue
                    }
                    if bytes[end] == UInt8(ascii: "(") { depth += 1 }
                    if bytes[end] == UInt8(ascii: ")") {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    end += 1
                }
                width = end + 1 - index
            case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"): break
            case UInt8(ascii: "+"), UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "{"): break
            default: literal = byte
            }
            index += width
            let quantifier = index < bytes.count ? bytes[index] : 0
            let optional =
                quantifier == UInt8(ascii: "?") || quantifier == UInt8(ascii: "*")
                || (quantifier == UInt8(ascii: "{") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "0"))
            if let literal, !optional {
                run.append(literal)
                if quantifier == UInt8(ascii: "+") || quantifier == UInt8(ascii: "{") { endRun() }
            } else {
                endRun()
            }
        }
        endRun()
        let ascii = runs.filter { $0.allSatisfy { $0 < 0x80 } }
        guard let longest = ascii.max(by: { $0.count < $1.count }), longest.count >= 4 else { return nil }
        return String(decoding: longest, as: UTF8.self)
    }
}
