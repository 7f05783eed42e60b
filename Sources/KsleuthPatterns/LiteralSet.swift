// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A set of literal byte strings searched for all at once: the cheap prefilter that decides
/// whether a line deserves a regular expression at all.
///
/// Almost every line of a kernel log is benign chatter, so the search is built for "no":
/// each position of the subject costs one unaligned 4-byte load, a multiply and a bit test
/// in an 8 KiB table of the literals' first four bytes (hashed). Only a hit in that table
/// compares the literals that share the hash.
///
/// Literals must be at least four bytes long; shorter ones are rejected at construction.
public struct LiteralSet: Sendable {
    /// The literals, in the order given; ``firstMatch(in:)`` reports indices into this array.
    public let literals: [[UInt8]]
    private let filter: [UInt64]
    private let buckets: [UInt16: [Int]]

    /// Creates the set.
    ///
    /// - Precondition: every literal is at least four bytes long.
    public init(_ literals: [String]) {
        self.literals = literals.map { Array($0.utf8) }
        var filter = [UInt64](repeating: 0, count: 1024)
        var buckets: [UInt16: [Int]] = [:]
        for (index, literal) in self.literals.enumerated() {
            precondition(literal.count >= 4, "literal '\(literals[index])' is shorter than four bytes")
            let word =
                UInt32(literal[0]) | UInt32(literal[1]) << 8 | UInt32(literal[2]) << 16
                | UInt32(literal[3]) << 24
            let hash = LiteralSet.hash(word)
            filter[Int(hash >> 6)] |= 1 << UInt64(hash & 63)
            buckets[hash, default: []].append(index)
        }
        self.filter = filter
        self.buckets = buckets
    }

    @inline(__always)
    static func hash(_ word: UInt32) -> UInt16 {
        UInt16(truncatingIfNeeded: (word &* 0x9E37_79B1) >> 16)
    }

    /// Calls `body` with the index of every literal found in `subject` and its offset, in
    /// order of position; `body` returns `false` to stop the search.
    @inline(__always)
    public func forEachMatch(in subject: UnsafeRawBufferPointer, _ body: (_ literal: Int, _ offset: Int) -> Bool) {
        let count = subject.count
        guard count >= 4, let base = subject.baseAddress else { return }
        filter.withUnsafeBufferPointer { table in
            var position = 0
            let last = count - 4
            while position <= last {
                let word = base.loadUnaligned(fromByteOffset: position, as: UInt32.self)
                let hash = LiteralSet.hash(word)
                if table[Int(hash >> 6)] & (1 << UInt64(hash & 63)) != 0,
                    let candidates = buckets[hash]
                {
                    for index in candidates where matches(literals[index], at: position, in: subject) {
                        if !body(index, position) { return }
                    }
                }
                position &+= 1
            }
        }
    }

    /// The first literal found in `subject`, by position.
    public func firstMatch(in subject: UnsafeRawBufferPointer) -> (literal: Int, offset: Int)? {
        var found: (Int, Int)?
        forEachMatch(in: subject) { literal, offset in
            found = (literal, offset)
            return false
        }
        return found
    }

    @inline(__always)
    private func matches(_ literal: [UInt8], at position: Int, in subject: UnsafeRawBufferPointer) -> Bool {
        guard position + literal.count <= subject.count else { return false }
        return literal.withUnsafeBytes { needle in
            memcmpBytes(subject.baseAddress! + position, needle.baseAddress!, literal.count)
        }
    }
}

@inline(__always)
private func memcmpBytes(_ left: UnsafeRawPointer, _ right: UnsafeRawPointer, _ count: Int) -> Bool {
    var index = 0
    while index < count {
        if left.load(fromByteOffset: index, as: UInt8.self) != right.load(fromByteOffset: index, as: UInt8.self) {
            return false
        }
        index += 1
    }
    return true
}
