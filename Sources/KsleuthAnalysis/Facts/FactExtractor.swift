// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthPatterns

/// Reads facts out of an incident's evidence lines into its details.
///
/// The facts are those of ``FactPattern/headerFacts``; the first line that states a fact wins.
/// Crash reports also get the module list of their `Modules linked in:` line (``ModuleList``).
public final class FactExtractor: IncidentAnalyzer {
    /// Header facts are looked for in every kind (each fact names its own kinds).
    public var kinds: Set<IncidentKind>? { nil }

    private let facts: [(FactPattern, Pattern)]

    /// Compiles `facts`.
    ///
    /// - Throws: ``PatternError`` for the first pattern that does not compile.
    public init(_ facts: [FactPattern] = FactPattern.headerFacts) throws(PatternError) {
        var compiled: [(FactPattern, Pattern)] = []
        for fact in facts { compiled.append((fact, try Pattern(fact.pattern))) }
        self.facts = compiled
    }

    /// The built-in facts.
    public static let standard: FactExtractor = {
        do {
            return try FactExtractor()
        } catch {
            fatalError("a built-in fact pattern does not compile: \(error)")
        }
    }()

    /// Adds the facts found in `incident`'s lines to its details.
    public func analyze(_ incident: inout Incident) {
        for (fact, pattern) in facts {
            if let kinds = fact.kinds, !kinds.contains(incident.kind) { continue }
            for line in incident.lines {
                guard let (_, captures) = try? pattern.firstMatch(in: line.text) else { continue }
                for (group, field) in fact.fields.enumerated() {
                    guard let field, group + 1 < captures.count, let text = captures[group + 1] else { continue }
                    let trimmed = text.trimmingCharacters(in: " ")
                    guard !trimmed.isEmpty, incident.details[field.name] == nil else { continue }
                    switch field.type {
                    case .string, .hexString:
                        incident.details[field.name] = .string(trimmed)
                    case .integer:
                        if let value = Int64(trimmed) { incident.details[field.name] = .integer(value) }
                    }
                }
                break
            }
        }
        if incident.kind.family == .crash, incident.details["modules"] == nil, let modules = ModuleList(incident.lines)
        {
            modules.write(into: &incident.details)
        }
    }
}

extension String {
    func trimmingCharacters(in character: Character) -> String {
        var result = Substring(self)
        while result.first == character { result.removeFirst() }
        while result.last == character { result.removeLast() }
        return String(result)
    }
}
