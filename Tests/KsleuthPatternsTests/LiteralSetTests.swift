// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthPatterns
import Testing

/// Every (literal, offset) pair the set reports in `subject`, in the order reported.
private func allMatches(_ set: LiteralSet, in subject: [UInt8]) -> [(literal: Int, offset: Int)] {
    var found: [(Int, Int)] = []
    subject.withUnsafeBytes { buffer in
        set.forEachMatch(in: buffer) { literal, offset in
            found.append((literal, offset))
            return true
        }
    }
    return found
}

private func allMatches(_ set: LiteralSet, in subject: String) -> [(literal: Int, offset: Int)] {
    allMatches(set, in: Array(subject.utf8))
}

private func firstMatch(_ set: LiteralSet, in subject: String) -> (literal: Int, offset: Int)? {
    Array(subject.utf8).withUnsafeBytes { set.firstMatch(in: $0) }
}

@Suite("LiteralSet")
struct LiteralSetTests {
    static let headlines = LiteralSet([
        "Kernel panic - not syncing", "BUG: unable to handle", "Out of memory", "Call Trace:", "Machine Check",
    ])

    @Test("the literals are kept in the order given")
    func literalsInOrder() {
        #expect(Self.headlines.literals.count == 5)
        #expect(Self.headlines.literals[3] == Array("Call Trace:".utf8))
    }

    @Test("a literal is found after a printk stamp, with its offset")
    func findsLiteralAfterStamp() {
        let line = "[  123.456789] Out of memory: Killed process 1234 (java)"
        let found = allMatches(Self.headlines, in: line)
        #expect(found.count == 1)
        #expect(found.first?.literal == 2)
        #expect(found.first?.offset == 15)
    }

    @Test("a literal at the very start and one at the very end of the subject are both found")
    func literalsAtBothEnds() {
        let line = "Call Trace: ... Kernel panic - not syncing"
        let found = allMatches(Self.headlines, in: line)
        #expect(found.map(\.literal) == [3, 0])
        #expect(found.map(\.offset) == [0, 16])
    }

    @Test("a subject that is exactly one literal matches")
    func subjectIsTheLiteral() {
        let found = allMatches(Self.headlines, in: "Call Trace:")
        #expect(found.map(\.literal) == [3])
        #expect(found.map(\.offset) == [0])
    }

    @Test("a subject that ends inside a literal does not match it")
    func literalCutAtTheEnd() {
        #expect(allMatches(Self.headlines, in: "[    1.000000] Call Trace").isEmpty)
        #expect(allMatches(Self.headlines, in: "[    1.000000] Call").isEmpty)
    }

    @Test("subjects shorter than four bytes find nothing and do not read past the end")
    func shortSubjects() {
        let set = LiteralSet(["abcd"])
        for subject in ["", "a", "ab", "abc"] {
            #expect(allMatches(set, in: subject).isEmpty)
            #expect(firstMatch(set, in: subject) == nil)
        }
        #expect(allMatches(set, in: "abcd").map(\.offset) == [0])
    }

    @Test("an empty buffer without a base address finds nothing")
    func emptyBuffer() {
        var called = false
        Self.headlines.forEachMatch(in: UnsafeRawBufferPointer(start: nil, count: 0)) { _, _ in
            called = true
            return true
        }
        #expect(!called)
    }

    @Test("text that shares only the first four bytes of a literal is no match")
    func sharedFirstFourBytesOnly() {
        #expect(allMatches(Self.headlines, in: "mce: [Hardware Error]: Machine check events logged").isEmpty)
        #expect(allMatches(Self.headlines, in: "[    2.000000] Kernel command line: root=/dev/sda1").isEmpty)
        #expect(allMatches(Self.headlines, in: "BUG: soft lockup - CPU#0 stuck for 22s!").isEmpty)
    }

    @Test("literals that share their first four bytes are told apart")
    func literalsSharingAPrefix() {
        let set = LiteralSet(["Kernel panic", "Kernel BUG at", "Kernel Offset:"])
        #expect(
            allMatches(set, in: "------------[ cut here ]------------ Kernel BUG at mm/slub.c:123").map(\.literal) == [
                1
            ])
        #expect(allMatches(set, in: "Kernel Offset: 0x1a000000 from 0xffffffff81000000").map(\.literal) == [2])
        #expect(allMatches(set, in: "Kernel panic - not syncing: Fatal exception").map(\.literal) == [0])
    }

    @Test("overlapping literals are all reported, in order of position")
    func overlappingLiterals() {
        let set = LiteralSet(["soft lockup - CPU", "BUG: soft lockup", "lockup"])
        let found = allMatches(set, in: "BUG: soft lockup - CPU#2 stuck for 23s!")
        #expect(found.map(\.literal) == [1, 0, 2])
        #expect(found.map(\.offset) == [0, 5, 10])
    }

    @Test("a literal that overlaps itself is reported at every position")
    func selfOverlappingLiteral() {
        let set = LiteralSet(["aaaa"])
        #expect(allMatches(set, in: "aaaaaa").map(\.offset) == [0, 1, 2])
    }

    @Test("the same literal is reported at every place it occurs")
    func repeatedLiteral() {
        let set = LiteralSet(["Call Trace:"])
        let line = "Call Trace: x Call Trace: y Call Trace:"
        #expect(allMatches(set, in: line).map(\.offset) == [0, 14, 28])
    }

    @Test("firstMatch returns the leftmost literal and the body can stop the search")
    func firstMatchAndEarlyStop() {
        let line = "[    5.000000] Call Trace: after Out of memory"
        let first = firstMatch(Self.headlines, in: line)
        #expect(first?.literal == 3)
        #expect(first?.offset == 15)
        var calls = 0
        Array(line.utf8).withUnsafeBytes { buffer in
            Self.headlines.forEachMatch(in: buffer) { _, _ in
                calls += 1
                return false
            }
        }
        #expect(calls == 1)
    }

    @Test("invalid UTF-8 and NUL bytes around a literal do not hide it")
    func binaryAroundLiteral() {
        let subject: [UInt8] = [0x00, 0xFF, 0xFE, 0x00] + Array("Out of memory".utf8) + [0x00, 0xFF]
        let found = allMatches(Self.headlines, in: subject)
        #expect(found.map(\.literal) == [2])
        #expect(found.map(\.offset) == [4])
    }

    @Test("a literal holding bytes above 0x7F is found")
    func nonASCIILiteral() {
        let set = LiteralSet(["é€ü✓"])
        let found = allMatches(set, in: "xx é€ü✓ yy")
        #expect(found.map(\.offset) == [3])
    }

    @Test("many literals with colliding hashes are each checked in full")
    func manyLiterals() {
        let words = (0..<2000).map { "lit\($0)-word" }
        let set = LiteralSet(words)
        let subject = "prefix lit1999-word and lit7-word and lit42-wor"
        let found = allMatches(set, in: subject)
        #expect(found.map(\.literal) == [1999, 7])
        #expect(found.map(\.offset) == [7, 24])
    }
}
