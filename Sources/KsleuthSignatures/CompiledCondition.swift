// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthPatterns

/// A ``MatchCondition`` with its patterns compiled and its hints resolved to indices into
/// the database's literal set: the form that runs on incidents.
indirect enum CompiledCondition: Sendable {
    case all([CompiledCondition])
    case any([CompiledCondition])
    case not(CompiledCondition)
    case test(CompiledTest)
}

/// A ``FieldTest`` ready to run.
struct CompiledTest: Sendable {
    /// The field read.
    var path: FieldPath
    /// Operators other than the pattern.
    var operators: [FieldOperator]
    /// The compiled pattern, when the test has one.
    var pattern: Pattern?
    /// Indices into the database's hints, one of which a line must contain before the
    /// pattern runs on it; `nil` when the pattern has no usable literal.
    var hintIndices: [Int]?
    /// The test in words, for evidence.
    var summary: String
}
