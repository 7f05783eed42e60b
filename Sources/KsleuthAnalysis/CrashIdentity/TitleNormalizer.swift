// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthPatterns

/// Makes titles stable across builds, machines and runs: addresses, numbers, line numbers,
/// CPU ids and fuzzer process names are replaced by fixed words, then the text is cleaned.
///
/// The rules are applied in order, each until nothing changes:
///
/// 1. `syz-executor.3`, `syz-executor3/1234` → `syz-executor`; `syzkaller123` → `syzkaller`
/// 2. 6 or more hex digits after a non-alphanumeric byte → `ADDR`
/// 3. an IPv4 dotted quad → `IP`
/// 4. `file.c:123` (and `:123:45`) → `file.c:LINE`
/// 5. `func+0x1f/0x80` → `func`
/// 6. `CPU#3` → `CPU`
/// 7. a decimal number standing alone → `NUM`
/// 8. a remaining run of 7 or more digits → `NUM`
///
/// Then only the first 120 bytes are kept, tabs become spaces, control and non-ASCII bytes
/// are dropped, runs of spaces collapse and the ends are trimmed.
struct TitleNormalizer: Sendable {
    private let rules: [(Pattern, String)]

    static let ruleSources: [(String, String)] = [
        (#"syz-executor(?:\.?[0-9]+)+(?:/[0-9]+)?"#, "syz-executor"),
        (#"syz-executor/[0-9]+"#, "syz-executor"),
        (#"syzkaller[0-9]+"#, "syzkaller"),
        (#"(^|[^a-zA-Z0-9])(?:0x)?[0-9a-f]{6,}"#, "$1ADDR"),
        (#"(^|[^0-9.])[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?![0-9.])"#, "$1IP"),
        (#"(\.[a-zA-Z]+):[0-9]+(?::[0-9]+)?"#, "$1:LINE"),
        (#"([a-zA-Z0-9_.]+)\+0x[0-9a-f]+/0x[0-9a-f]+"#, "$1"),
        (#"CPU#[0-9]+"#, "CPU"),
        (#"(^|[^a-zA-Z0-9_])[0-9]+(?=$|[^a-zA-Z0-9_])"#, "$1NUM"),
        (#"[0-9]{7,}"#, "NUM"),
    ]

    init() throws(PatternError) {
        var rules: [(Pattern, String)] = []
        for (source, replacement) in TitleNormalizer.ruleSources { rules.append((try Pattern(source), replacement)) }
        self.rules = rules
    }

    /// `title` normalised.
    func normalize(_ title: String) -> String {
        var text = title
        for (pattern, replacement) in rules {
            for _ in 0..<32 {
                let next = replaceAll(pattern, in: text, with: replacement)
                if next == text { break }
                text = next
            }
        }
        return TitleNormalizer.clean(text)
    }

    /// The final clean-up: 120 bytes, no control or non-ASCII bytes, single spaces, trimmed.
    static func clean(_ text: String) -> String {
        var bytes: [UInt8] = []
        for byte in text.utf8.prefix(120) {
            let value = byte == 0x09 ? 0x20 : byte
            guard value >= 0x20, value < 0x7f else { continue }
            if value == 0x20, bytes.last == 0x20 || bytes.isEmpty { continue }
            bytes.append(value)
        }
        while bytes.last == 0x20 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func replaceAll(_ pattern: Pattern, in text: String, with replacement: String) -> String {
        let bytes = Array(text.utf8)
        let scratch = MatchScratch()
        var result: [UInt8] = []
        var position = 0
        var changed = false
        bytes.withUnsafeBytes { buffer in
            while position <= bytes.count {
                guard let match = try? pattern.firstMatch(in: buffer, from: position, using: scratch) else { break }
                let range = match.range
                result.append(contentsOf: bytes[position..<range.lowerBound])
                var template = Array(replacement.utf8)[...]
                while let first = template.first {
                    if first == UInt8(ascii: "$"), let digit = template.dropFirst().first, digit >= 0x30, digit <= 0x39
                    {
                        if let group = match[Int(digit - 0x30)] { result.append(contentsOf: bytes[group]) }
                        template = template.dropFirst(2)
                    } else {
                        result.append(first)
                        template = template.dropFirst()
                    }
                }
                changed = true
                if range.isEmpty {
                    if range.upperBound < bytes.count { result.append(bytes[range.upperBound]) }
                    position = range.upperBound + 1
                } else {
                    position = range.upperBound
                }
            }
        }
        guard changed else { return text }
        if position < bytes.count { result.append(contentsOf: bytes[position...]) }
        return String(decoding: result, as: UTF8.self)
    }
}
