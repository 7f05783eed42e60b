// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// One analysis of finished incidents: reads an incident's evidence lines and adds what it
/// finds to the incident's `details` (or `identity`).
///
/// Analyzers are pure with respect to the input: they see one incident at a time and never
/// the raw log. Each runs only on the kinds it names.
public protocol IncidentAnalyzer: Sendable {
    /// The kinds this analyzer looks at; `nil` for every kind.
    var kinds: Set<IncidentKind>? { get }
    /// Adds findings to `incident`.
    func analyze(_ incident: inout Incident)
}

/// The analyzers every run applies, in order.
public enum StandardAnalyzers {
    /// The built-in analyzers: header facts first, then the deeper analyses that may use them.
    public static let all: [any IncidentAnalyzer] = [
        FactExtractor.standard,
        OOMAnalyzer(),
        CrashIdentityAnalyzer.standard,
        SlabForensicsAnalyzer(),
        AllocationFailureAnalyzer(),
    ]

    /// The built-in analyzers with `symbolization` (one input's frame-symbolization stage)
    /// placed just before the crash-identity stage, which takes the guilty file from it.
    public static func all(symbolizing symbolization: (any IncidentAnalyzer)?) -> [any IncidentAnalyzer] {
        guard let symbolization else { return all }
        var stages = all
        stages.insert(symbolization, at: stages.firstIndex { $0 is CrashIdentityAnalyzer } ?? 0)
        return stages
    }
}
