// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthPatterns
import Testing

/// Matches `pattern` against raw bytes and returns the captured groups as bytes.
private func captures(of pattern: Pattern, in subject: [UInt8]) throws -> [[UInt8]?]? {
    let scratch = MatchScratch()
    let match = try subject.withUnsafeBytes { buffer in
        try pattern.firstMatch(in: buffer, using: scratch)
    }
    return match?.ranges.map { range in range.map { Array(subject[$0]) } }
}

@Suite("Pattern")
struct PatternTests {
    @Test("an x86 oops headline yields the kind of fault and the address as captures")
    func oopsHeadlineCaptures() throws {
        let pattern = try Pattern(
            "BUG: unable to handle (?:kernel )?(NULL pointer dereference|paging request) at ([0-9a-f]+)")
        let line = "[47113590.457363] BUG: unable to handle kernel NULL pointer dereference at 0000000000000010"
        let found = try #require(try pattern.firstMatch(in: line))
        #expect(found.captures.count == 3)
        #expect(found.captures[1] == "NULL pointer dereference")
        #expect(found.captures[2] == "0000000000000010")
        #expect(found.match.range == 18..<line.utf8.count)
    }

    @Test("the newer oops wording without 'kernel ' matches the same pattern")
    func oopsHeadlineWithoutKernelWord() throws {
        let pattern = try Pattern(
            "BUG: unable to handle (?:kernel )?(NULL pointer dereference|paging request) at ([0-9a-f]+)")
        let line = "[   14.371523] BUG: unable to handle paging request at ffffc90000a3f000"
        let found = try #require(try pattern.firstMatch(in: line))
        #expect(found.captures[1] == "paging request")
        #expect(found.captures[2] == "ffffc90000a3f000")
    }

    @Test("the pattern keeps its source text and counts its capturing groups")
    func sourceAndCaptureCount() throws {
        let source = #"Out of memory: Kill(?:ed)? process (\d+) \((.+?)\)(?: total-vm:(\d+)kB)?"#
        let pattern = try Pattern(source)
        #expect(pattern.source == source)
        #expect(pattern.captureCount == 3)
    }

    @Test("a group that does not take part in the match is reported as nil")
    func unsetGroupIsNil() throws {
        let pattern = try Pattern(#"Killed process (\d+)(?: \((\S+)\))?"#)
        let found = try #require(try pattern.firstMatch(in: "Killed process 1234"))
        #expect(found.captures[1] == "1234")
        #expect(found.captures[2] == nil)
        #expect(found.match[2] == nil)
        #expect(found.match[7] == nil)
    }

    @Test("a subject without the text is no match, not an error")
    func noMatchIsNil() throws {
        let pattern = try Pattern("Kernel panic - not syncing")
        #expect(try pattern.firstMatch(in: "[    0.000000] Linux version 6.6.57") == nil)
        let scratch = MatchScratch()
        let empty: [UInt8] = []
        let result = try empty.withUnsafeBytes { try pattern.firstMatch(in: $0, using: scratch) }
        #expect(result == nil)
    }

    @Test("an unclosed group is a compile error naming the pattern and the offset where PCRE2 stopped")
    func compileErrorCarriesPatternAndOffset() throws {
        let error = try #require(throws: PatternError.self) { try Pattern("(unclosed") }
        #expect(error.pattern == "(unclosed")
        #expect(error.offset == 9)
        #expect(!error.message.isEmpty)
        #expect(error.description.contains("/(unclosed/"))
        #expect(error.description.contains("offset 9"))
    }

    @Test("a compile error in the middle of a pattern reports that offset")
    func compileErrorOffsetInTheMiddle() throws {
        let error = try #require(throws: PatternError.self) { try Pattern("abc[z-a]def") }
        #expect(error.pattern == "abc[z-a]def")
        #expect(error.offset == 6)
    }

    @Test("a catastrophically backtracking pattern stops with the match-limit error under standard limits")
    func catastrophicBacktrackingHitsMatchLimit() throws {
        let pattern = try Pattern("^(a+)+$")
        let subject = Array(repeating: UInt8(ascii: "a"), count: 40) + [UInt8(ascii: "b")]
        let scratch = MatchScratch()
        let error = try #require(throws: PatternError.self) {
            try subject.withUnsafeBytes { _ = try pattern.firstMatch(in: $0, using: scratch) }
        }
        #expect(error.code == .matchLimit)
        #expect(error.code.rawValue == -47)
        #expect(error.pattern == "^(a+)+$")
        #expect(error.offset == nil)
    }

    @Test("matches(_:using:) treats a limit error as no match instead of hanging or throwing")
    func matchesSwallowsLimitErrors() throws {
        let pattern = try Pattern("^(a+)+$")
        let subject = Array(repeating: UInt8(ascii: "a"), count: 40) + [UInt8(ascii: "b")]
        let scratch = MatchScratch()
        #expect(subject.withUnsafeBytes { pattern.matches($0, using: scratch) } == false)
        let good = Array(repeating: UInt8(ascii: "a"), count: 40)
        #expect(good.withUnsafeBytes { pattern.matches($0, using: scratch) })
    }

    @Test("invalid UTF-8 around the text does not stop an ASCII pattern from matching")
    func invalidUTF8SubjectStillMatches() throws {
        let pattern = try Pattern(#"Kernel panic - not syncing: (.*)"#)
        let text = Array("Kernel panic - not syncing: Fatal exception".utf8)
        let subject: [UInt8] = [0xFF, 0xFE] + text + [0xFF, 0xFE, 0xC3]
        let scratch = MatchScratch()
        let match = try subject.withUnsafeBytes { try pattern.firstMatch(in: $0, using: scratch) }
        let found = try #require(match)
        #expect(found.range.lowerBound == 2)
        let group = try #require(found[1])
        let captured = Array(subject[group])
        #expect(captured.starts(with: Array("Fatal exception".utf8)))
    }

    @Test("a truncated multi-byte character before the text does not hide the match")
    func truncatedMultiByteCharacter() throws {
        let pattern = try Pattern("Oops: ([0-9a-f]{4})")
        let subject: [UInt8] = [0xE2, 0x82] + Array("Oops: 0002 [#1] SMP".utf8)
        let found = try #require(try captures(of: pattern, in: subject))
        #expect(found[1] == Array("0002".utf8))
    }

    @Test("NUL bytes in the subject are ordinary bytes")
    func nulBytesInSubject() throws {
        let pattern = try Pattern(#"BUG: (\w+) lockup"#)
        let subject: [UInt8] = [0x00, 0x00] + Array("junk".utf8) + [0x00] + Array("BUG: soft lockup - CPU#1".utf8)
        let found = try #require(try captures(of: pattern, in: subject))
        #expect(found[1] == Array("soft".utf8))
        let across = try Pattern("a\\x00b")
        #expect(try captures(of: across, in: [0x61, 0x00, 0x62]) != nil)
    }

    @Test("the pattern is JIT-compiled on this platform")
    func jitCompiled() throws {
        let pattern = try Pattern(#"RIP: [0-9a-f]{4}:\[<([0-9a-f]+)>\]"#)
        #expect(pattern.isJITCompiled)
    }

    @Test("the search can start at an offset, and ranges stay relative to the subject")
    func searchFromOffset() throws {
        let pattern = try Pattern("CPU: ([0-9]+)")
        let subject = Array("CPU: 0 PID: 1 Comm: swapper CPU: 3".utf8)
        let scratch = MatchScratch()
        let first = try subject.withUnsafeBytes { try pattern.firstMatch(in: $0, using: scratch) }
        #expect(first?[1] == 5..<6)
        let second = try subject.withUnsafeBytes { try pattern.firstMatch(in: $0, from: 6, using: scratch) }
        #expect(second?[1] == 33..<34)
    }

    @Test("the case-insensitive option matches either case")
    func caseInsensitiveOption() throws {
        let pattern = try Pattern("machine check", options: .caseInsensitive)
        #expect(try pattern.firstMatch(in: "mce: [Hardware Error]: Machine Check: 0 Bank 4") != nil)
        let strict = try Pattern("machine check")
        #expect(try strict.firstMatch(in: "mce: [Hardware Error]: Machine Check: 0 Bank 4") == nil)
    }

    @Test("the anchored option matches only at the start")
    func anchoredOption() throws {
        let pattern = try Pattern("Call Trace:", options: .anchored)
        #expect(try pattern.firstMatch(in: "Call Trace:") != nil)
        #expect(try pattern.firstMatch(in: " Call Trace:") == nil)
    }

    @Test("one scratch serves patterns with different capture counts in turn")
    func scratchIsReusedAcrossPatterns() throws {
        let many = try Pattern((1...20).map { _ in "(.)" }.joined())
        let few = try Pattern("(x)")
        let scratch = MatchScratch()
        let subject = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        let wide = try subject.withUnsafeBytes { try many.firstMatch(in: $0, using: scratch) }
        #expect(wide?.ranges.count == 21)
        #expect(wide?[20] == 19..<20)
        let narrow = try subject.withUnsafeBytes { try few.firstMatch(in: $0, using: scratch) }
        #expect(narrow?[1] == 23..<24)
        let again = try subject.withUnsafeBytes { try many.firstMatch(in: $0, using: scratch) }
        #expect(again == wide)
    }

    @Test("tighter limits make a moderately backtracking pattern fail")
    func customLimits() throws {
        let limits = MatchLimits(matchLimit: 100, depthLimit: 10_000, heapLimitKiB: 20_000)
        let pattern = try Pattern("^(a|aa)+$", limits: limits)
        #expect(pattern.limits == limits)
        let subject = Array(repeating: UInt8(ascii: "a"), count: 30) + [UInt8(ascii: "b")]
        let scratch = MatchScratch()
        let error = try #require(throws: PatternError.self) {
            try subject.withUnsafeBytes { _ = try pattern.firstMatch(in: $0, using: scratch) }
        }
        #expect(error.code == .matchLimit)
    }
}
