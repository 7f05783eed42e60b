// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthPatterns

/// The start rules and body grammar, compiled once per process and shared by every input.
public final class CompiledReportRules: Sendable {
    /// The rules, in table order.
    public let rules: [ReportStartRule]
    let patterns: [Pattern]
    let body: Pattern
    let literals: LiteralSet
    /// For each literal of `literals`, the rules that name it.
    let rulesByLiteral: [[Int]]

    /// Compiles `rules`.
    ///
    /// - Throws: ``PatternError`` naming the first pattern that does not compile.
    public init(_ rules: [ReportStartRule]) throws(PatternError) {
        self.rules = rules
        var patterns: [Pattern] = []
        for rule in rules { patterns.append(try Pattern(rule.pattern)) }
        self.patterns = patterns
        body = try Pattern(ReportBodyGrammar.pattern, options: .anchored)
        var literalIndex: [String: Int] = [:]
        var literals: [String] = []
        var rulesByLiteral: [[Int]] = []
        for (ruleIndex, rule) in rules.enumerated() {
            for literal in rule.literals {
                if let index = literalIndex[literal] {
                    if !rulesByLiteral[index].contains(ruleIndex) { rulesByLiteral[index].append(ruleIndex) }
                } else {
                    literalIndex[literal] = literals.count
                    literals.append(literal)
                    rulesByLiteral.append([ruleIndex])
                }
            }
        }
        self.literals = LiteralSet(literals)
        self.rulesByLiteral = rulesByLiteral
    }

    /// The built-in rules of ``ReportStartRule/all``.
    public static let standard: CompiledReportRules = {
        do {
            return try CompiledReportRules(ReportStartRule.all)
        } catch {
            fatalError("a built-in report pattern does not compile: \(error)")
        }
    }()

    /// The first rule, in table order, that confirms `message`; `nil` for almost every line.
    @inline(__always)
    func firstRule(confirming message: UnsafeRawBufferPointer, using scratch: MatchScratch) -> Int? {
        var candidates = RuleSet()
        literals.forEachMatch(in: message) { literal, _ in
            for rule in rulesByLiteral[literal] { candidates.insert(rule) }
            return true
        }
        guard !candidates.isEmpty else { return nil }
        for rule in candidates.ascending where patterns[rule].matches(message, using: scratch) {
            return rule
        }
        return nil
    }

    /// Whether `message` is a line the report printers write inside a report.
    func isBodyLine(_ message: UnsafeRawBufferPointer, using scratch: MatchScratch) -> Bool {
        body.matches(message, using: scratch)
    }
}

/// A small set of rule indices (the table has fewer than 128 rules).
struct RuleSet {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    var isEmpty: Bool { low == 0 && high == 0 }

    mutating func insert(_ index: Int) {
        precondition(index < 128, "more than 128 report start rules")
        if index < 64 { low |= 1 << UInt64(index) } else { high |= 1 << UInt64(index - 64) }
    }

    var ascending: [Int] {
        var result: [Int] = []
        var bits = low
        while bits != 0 {
            result.append(bits.trailingZeroBitCount)
            bits &= bits - 1
        }
        bits = high
        while bits != 0 {
            result.append(64 + bits.trailingZeroBitCount)
            bits &= bits - 1
        }
        return result
    }
}
