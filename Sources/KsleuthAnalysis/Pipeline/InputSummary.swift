// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthInput

/// What became of one input once it has been read: its statistics and diagnostics.
public struct InputSummary: Sendable {
    /// The input's name as given.
    public var file: String
    /// What was read; empty when the input could not be opened.
    public var statistics: InputStatistics
    /// What the user should know about the input.
    public var diagnostics: [Diagnostic]
    /// How many incidents were found.
    public var incidentCount: Int

    public init(file: String, statistics: InputStatistics, diagnostics: [Diagnostic], incidentCount: Int) {
        self.file = file
        self.statistics = statistics
        self.diagnostics = diagnostics
        self.incidentCount = incidentCount
    }

    /// Whether the input could not be used as a log (exit code 2).
    public var isUnusable: Bool { diagnostics.contains { $0.severity == .error } }
}
