// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthPatterns

extension CompiledCondition {
    /// Whether `subject` satisfies the condition; appends what satisfied each leaf to
    /// `evidence` (nothing from a branch that failed, nor from under a `not`).
    func evaluate(_ subject: IncidentSubject, evidence: inout [MatchEvidence]) -> Bool {
        switch self {
        case .all(let conditions):
            var collected: [MatchEvidence] = []
            for condition in conditions where !condition.evaluate(subject, evidence: &collected) { return false }
            evidence.append(contentsOf: collected)
            return true
        case .any(let conditions):
            var satisfied = false
            for condition in conditions {
                var collected: [MatchEvidence] = []
                if condition.evaluate(subject, evidence: &collected) {
                    satisfied = true
                    evidence.append(contentsOf: collected)
                }
            }
            return satisfied
        case .not(let condition):
            var ignored: [MatchEvidence] = []
            return !condition.evaluate(subject, evidence: &ignored)
        case .test(let test):
            guard let found = test.evaluate(subject) else { return false }
            evidence.append(found)
            return true
        }
    }
}

extension CompiledTest {
    /// The evidence that satisfies the test, or `nil`.
    func evaluate(_ subject: IncidentSubject) -> MatchEvidence? {
        let incident = subject.incident
        if case .lines = path { return evaluateLines(subject) }
        let values = FieldResolver.values(of: path, in: incident)
        for case .exists(let flag) in operators {
            guard values.isEmpty != flag else { return nil }
            if !flag { return MatchEvidence(condition: summary, field: path.description, value: nil, line: nil) }
        }
        for (value, line) in values {
            guard operators.allSatisfy({ holds($0, for: value, in: incident) }) else { continue }
            if let pattern {
                var bytes = Array(value.text.utf8)
                let matched = bytes.withUnsafeMutableBytes { buffer in
                    firstMatch(pattern, in: UnsafeRawBufferPointer(buffer), subject: subject)
                }
                bytes.removeAll()
                guard matched != nil else { continue }
            }
            return MatchEvidence(condition: summary, field: path.description, value: value.text, line: line)
        }
        return nil
    }

    private func evaluateLines(_ subject: IncidentSubject) -> MatchEvidence? {
        guard let pattern else { return nil }
        let lines = subject.incident.lines
        let candidates = hintIndices.map { subject.lines(containingAnyOf: $0) } ?? Array(lines.indices)
        let allBytes = subject.lineBytes
        let failuresBefore = subject.limitFailures.count
        for index in candidates {
            let bytes = allBytes[index]
            let outcome: (text: String, captures: [Double?])? = bytes.withUnsafeBytes { buffer in
                guard let match = firstMatch(pattern, in: buffer, subject: subject) else { return nil }
                let text = String(decoding: buffer[match.range], as: UTF8.self)
                let captures = match.ranges.dropFirst().map { range in
                    range.flatMap { Double(String(decoding: buffer[$0], as: UTF8.self)) }
                }
                return (text, Array(captures))
            }
            guard let outcome else {
                // A pattern that hit its limit on one line would hit it on the next ones too.
                if subject.limitFailures.count > failuresBefore { return nil }
                continue
            }
            guard comparisonsHold(captures: outcome.captures, incident: subject.incident) else { continue }
            return MatchEvidence(condition: summary, field: "lines", value: outcome.text, line: lines[index].number)
        }
        return nil
    }

    private func comparisonsHold(captures: [Double?], incident: Incident) -> Bool {
        for case .compare(let comparison, let operand) in operators {
            guard let first = captures.first, let value = first else { return false }
            let right: Double?
            switch operand {
            case .constant(let number): right = number
            case .percentOfField(let percent, let path):
                right = FieldResolver.number(of: path, in: incident).map { $0 * percent / 100 }
            case .percentOfCapture(let percent, let group):
                right = group <= captures.count ? captures[group - 1].map { $0 * percent / 100 } : nil
            }
            guard let right, comparison.holds(value, right) else { return false }
        }
        return true
    }

    private func holds(_ operation: FieldOperator, for value: ScalarValue, in incident: Incident) -> Bool {
        switch operation {
        case .equals(let expected): return value.matches(expected)
        case .oneOf(let expected): return expected.contains { value.matches($0) }
        case .compare(let comparison, let operand):
            guard let left = value.numeric else { return false }
            let right: Double?
            switch operand {
            case .constant(let number): right = number
            case .percentOfField(let percent, let path):
                right = FieldResolver.number(of: path, in: incident).map { $0 * percent / 100 }
            case .percentOfCapture: right = nil
            }
            guard let right else { return false }
            return comparison.holds(left, right)
        case .exists, .pattern: return true
        }
    }

    private func firstMatch(_ pattern: Pattern, in buffer: UnsafeRawBufferPointer, subject: IncidentSubject)
        -> PatternMatch?
    {
        do {
            return try pattern.firstMatch(in: buffer, using: subject.scratch)
        } catch {
            subject.limitFailures.append("\(summary): \(error.message); the test counts as not satisfied")
            return nil
        }
    }
}
