// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Finds the constructs that make a backtracking matcher take exponential time, so that a
/// signature holding one is rejected before it ever runs.
///
/// The check is syntactic: a group repeated without bound (`+`, `*`, `{n,}`) whose every
/// required part is itself repeated without bound (`(a+)+`, `(\w*)*`, `(?:\S+\s?)+`) can split
/// one subject in exponentially many ways. A group with a required literal between its
/// repetitions (`(\d+,)+`) cannot, and passes. The match limits stop whatever slips through.
public enum PatternLint {
    /// A description of the first catastrophic construct in `pattern`, or `nil`.
    public static func catastrophicConstruct(in pattern: String) -> String? {
        let bytes = Array(pattern.utf8)
        var scanner = Scanner(bytes: bytes)
        return scanner.check()
    }

    /// One atom of a group's body, as far as the check cares.
    private struct Atom {
        /// The atom may repeat without bound.
        var unbounded: Bool
        /// The atom may be skipped (`?`, `*`, `{0,…}`).
        var optional: Bool
        /// The atom is a group that itself holds an unbounded repetition.
        var holdsRepetition: Bool
    }

    private struct Scanner {
        static let groupOpeners: Set<UInt8> = [
            UInt8(ascii: ":"), UInt8(ascii: ")"), UInt8(ascii: ">"), UInt8(ascii: "|"),
        ]
        let bytes: [UInt8]
        var index = 0
        var finding: String?

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func check() -> String? {
            _ = parseSequence(start: 0)
            return finding
        }

        /// Parses atoms until `)` or the end; returns whether every required atom of each
        /// alternative repeats without bound, and whether any does.
        mutating func parseSequence(start: Int) -> (allRepeat: Bool, anyRepeat: Bool) {
            var allRepeat = true
            var anyRepeat = false
            var requiredCount = 0
            var alternativeAllRepeat = true
            var alternativeAnyRepeat = false
            while index < bytes.count, finding == nil {
                let byte = bytes[index]
                if byte == UInt8(ascii: ")") { break }
                if byte == UInt8(ascii: "|") {
                    allRepeat = allRepeat && alternativeAllRepeat && (requiredCount > 0 || alternativeAnyRepeat)
                    alternativeAllRepeat = true
                    alternativeAnyRepeat = false
                    requiredCount = 0
                    index += 1
                    continue
                }
                let atomStart = index
                let holds = parseAtom()
                var atom = Atom(unbounded: false, optional: false, holdsRepetition: holds)
                parseQuantifier(into: &atom)
                if atom.unbounded && atom.holdsRepetition && finding == nil {
                    let text = String(decoding: bytes[atomStart..<index], as: UTF8.self)
                    finding = "'\(text)' repeats a group whose parts repeat themselves (nested quantifiers)"
                }
                if atom.unbounded || atom.holdsRepetition {
                    anyRepeat = true
                    alternativeAnyRepeat = true
                }
                if !atom.optional {
                    requiredCount += 1
                    if !(atom.unbounded || atom.holdsRepetition) { alternativeAllRepeat = false }
                }
            }
            allRepeat = allRepeat && alternativeAllRepeat && (requiredCount > 0 || alternativeAnyRepeat)
            return (allRepeat, anyRepeat)
        }

        /// Parses one atom; returns whether it is a group all of whose required parts repeat.
        mutating func parseAtom() -> Bool {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\\"):
                index = min(index + 2, bytes.count)
                if index < bytes.count, bytes[index - 1] == UInt8(ascii: "x"), bytes[index] == UInt8(ascii: "{") {
                    while index < bytes.count, bytes[index] != UInt8(ascii: "}") { index += 1 }
                    index += 1
                }
                return false
            case UInt8(ascii: "["):
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "^") { index += 1 }
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1 }
                while index < bytes.count, bytes[index] != UInt8(ascii: "]") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                index += 1
                return false
            case UInt8(ascii: "("):
                index += 1
                var backtracks = true
                if index < bytes.count, bytes[index] == UInt8(ascii: "?") {
                    index += 1
                    let next = index < bytes.count ? bytes[index] : 0
                    let after = index + 1 < bytes.count ? bytes[index + 1] : 0
                    if next == UInt8(ascii: "=") || next == UInt8(ascii: "!") {
                        backtracks = false
                        index += 1
                    } else if next == UInt8(ascii: "<"), after == UInt8(ascii: "=") || after == UInt8(ascii: "!") {
                        backtracks = false
                        index += 2
                    } else if next == UInt8(ascii: "<") || next == UInt8(ascii: "P") || next == UInt8(ascii: "'") {
                        while index < bytes.count, bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "'")
                        {
                            index += 1
                        }
                        index += 1
                    } else {
                        while index < bytes.count, !Scanner.groupOpeners.contains(bytes[index]) { index += 1 }
                        if index < bytes.count, bytes[index] == UInt8(ascii: ")") {
                            index += 1
                            return false
                        }
                        if index < bytes.count, bytes[index] == UInt8(ascii: ">") { backtracks = false }
                        index += 1
                    }
                }
                let body = parseSequence(start: index)
                if index < bytes.count { index += 1 }
                return backtracks && body.allRepeat
            default:
                index += 1
                return false
            }
        }

        mutating func parseQuantifier(into atom: inout Atom) {
            guard index < bytes.count else { return }
            switch bytes[index] {
            case UInt8(ascii: "+"):
                atom.unbounded = true
                index += 1
            case UInt8(ascii: "*"):
                atom.unbounded = true
                atom.optional = true
                index += 1
            case UInt8(ascii: "?"):
                atom.optional = true
                index += 1
            case UInt8(ascii: "{"):
                var end = index + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: "}") { end += 1 }
                guard end < bytes.count else { return }
                let body = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                let parts = body.split(separator: ",", omittingEmptySubsequences: false)
                guard let low = Int(parts[0]) else { return }
                if parts.count == 2 {
                    let high = Int(parts[1])
                    atom.unbounded = high == nil || (high ?? 0) > 32
                }
                atom.optional = low == 0
                index = end + 1
            default: return
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "?") || bytes[index] == UInt8(ascii: "+") {
                index += 1
            }
        }
    }
}
