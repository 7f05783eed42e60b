// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A condition over an incident's fields, as written in a signature's `match`.
public indirect enum MatchCondition: Sendable {
    /// Every condition holds.
    case all([MatchCondition])
    /// At least one condition holds.
    case any([MatchCondition])
    /// The condition does not hold.
    case not(MatchCondition)
    /// A test of one field: some value of the field satisfies every operator.
    case field(FieldTest)

    /// How deep the condition nests (a leaf is 1).
    public var depth: Int {
        switch self {
        case .all(let conditions), .any(let conditions): 1 + (conditions.map(\.depth).max() ?? 0)
        case .not(let condition): 1 + condition.depth
        case .field: 1
        }
    }

    /// Every field test in the condition, depth first.
    public var fieldTests: [FieldTest] {
        switch self {
        case .all(let conditions), .any(let conditions): conditions.flatMap(\.fieldTests)
        case .not(let condition): condition.fieldTests
        case .field(let test): [test]
        }
    }
}

/// One field and the operators its value must satisfy.
public struct FieldTest: Sendable {
    /// The field read.
    public var path: FieldPath
    /// The operators, all of which one value of the field must satisfy.
    public var operators: [FieldOperator]
    /// Literals (four bytes or longer) one of which a line must contain before a `pattern`
    /// runs on it; derived from the pattern when not given.
    public var hints: [String]
    /// Whether `pattern` ignores case.
    public var ignoresCase: Bool
    /// The line of the signature file where the test is written.
    public var line: Int
    /// Where the test's pattern is written in the file (`match.all[1].lines`), for messages.
    public var patternField: String

    public init(
        path: FieldPath, operators: [FieldOperator], hints: [String] = [], ignoresCase: Bool = false, line: Int,
        patternField: String = "pattern"
    ) {
        self.path = path
        self.operators = operators
        self.hints = hints
        self.ignoresCase = ignoresCase
        self.line = line
        self.patternField = patternField
    }

    /// The test's pattern, when it has one.
    public var pattern: String? {
        for case .pattern(let source) in operators { return source }
        return nil
    }
}

/// What a field's value is tested against.
public enum FieldOperator: Sendable, Hashable, CustomStringConvertible {
    /// Equal to a string, number or boolean.
    case equals(ScalarValue)
    /// Equal to one of the values.
    case oneOf([ScalarValue])
    /// A numeric comparison with a number or a percentage of another value.
    case compare(Comparison, NumericOperand)
    /// The field has (`true`) or has not (`false`) a value.
    case exists(Bool)
    /// A PCRE2 pattern that the value's text (for `lines`: one line) contains a match of.
    case pattern(String)

    public var description: String {
        switch self {
        case .equals(let value): "equals \(value)"
        case .oneOf(let values): "in [" + values.map(\.description).joined(separator: ", ") + "]"
        case .compare(let comparison, let operand): "\(comparison.rawValue) \(operand)"
        case .exists(let flag): "exists: \(flag)"
        case .pattern(let source): "pattern /\(source)/"
        }
    }
}

/// A numeric comparison.
public enum Comparison: String, Sendable, CaseIterable {
    case gt
    case ge
    case lt
    case le

    /// Whether `left` compares so with `right`.
    public func holds(_ left: Double, _ right: Double) -> Bool {
        switch self {
        case .gt: left > right
        case .ge: left >= right
        case .lt: left < right
        case .le: left <= right
        }
    }
}

/// The right-hand side of a comparison.
public enum NumericOperand: Sendable, Hashable, CustomStringConvertible {
    /// A number.
    case constant(Double)
    /// A percentage of another field's value: `50% of details.memory.ram_kb`.
    case percentOfField(Double, FieldPath)
    /// A percentage of a capture group of the same line's match: `50% of $2`.
    case percentOfCapture(Double, Int)

    public var description: String {
        switch self {
        case .constant(let value): ScalarValue.number(value).description
        case .percentOfField(let percent, let path): "\(ScalarValue.number(percent))% of \(path)"
        case .percentOfCapture(let percent, let group): "\(ScalarValue.number(percent))% of $\(group)"
        }
    }
}

/// A string, number or boolean written in a signature, or read from an incident.
public enum ScalarValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)

    /// The value as a number: numbers, and strings that hold a decimal or `0x` hex integer.
    public var numeric: Double? {
        switch self {
        case .number(let value): return value
        case .bool: return nil
        case .string(let text):
            if text.hasPrefix("0x"), let value = UInt64(text.dropFirst(2), radix: 16) { return Double(value) }
            return Double(text)
        }
    }

    /// The value as text, for patterns.
    public var text: String {
        switch self {
        case .string(let text): text
        case .number: description
        case .bool(let flag): flag ? "true" : "false"
        }
    }

    /// Whether two values are equal: numerically when both are numbers, else as text.
    public func matches(_ other: ScalarValue) -> Bool {
        switch (self, other) {
        case (.bool(let left), .bool(let right)): return left == right
        case (.number(let left), _): return other.numeric == left
        case (_, .number(let right)): return numeric == right
        default: return text == other.text
        }
    }

    public var description: String {
        switch self {
        case .string(let text): "'\(text)'"
        case .number(let value):
            value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .bool(let flag): flag ? "true" : "false"
        }
    }
}
