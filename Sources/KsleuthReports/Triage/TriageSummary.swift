// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents

/// The triage verdict on one input: its primary crash, counts of every incident, and the
/// first incidents' summaries.
///
/// Memory stays bounded whatever the input: every incident is counted, but only the first
/// `maximumListed` are kept (`omittedIncidents` says how many were not).
public struct TriageSummary: Sendable {
    /// The input's name as given (`-` for standard input).
    public var file: String
    /// The first crash incident of the input (known or not), if any.
    public var primary: TriageIncident?
    /// The first incidents, in input order, up to the listing cap.
    public private(set) var incidents: [TriageIncident] = []
    /// Incidents found but not listed (beyond the cap).
    public private(set) var omittedIncidents = 0
    /// Every incident, of every kind.
    public private(set) var incidentCount = 0
    /// Crash-family incidents.
    public private(set) var crashCount = 0
    /// Crashes that count: neither known nor passed warnings.
    public private(set) var failedCount = 0
    /// Crashes listed in `--known`.
    public private(set) var knownCount = 0
    /// Warnings let through by `--warnings pass`.
    public private(set) var passedWarningCount = 0
    /// One-line kernel notices (never crashes).
    public private(set) var noticeCount = 0
    /// Physical lines read.
    public var linesRead = 0
    /// What the user should know about the input.
    public var diagnostics: [Diagnostic] = []
    /// Seconds spent reading the input.
    public var elapsedSeconds: Double = 0
    /// How many incidents are kept.
    public let maximumListed: Int

    public init(file: String, maximumListed: Int) {
        self.file = file
        self.maximumListed = max(0, maximumListed)
    }

    /// Counts `incident` and keeps it if the listing cap allows.
    public mutating func add(_ incident: TriageIncident) {
        incidentCount += 1
        if incident.isCrash {
            crashCount += 1
            if primary == nil { primary = incident }
        }
        switch incident.disposition {
        case .failed: failedCount += 1
        case .known: knownCount += 1
        case .passedWarning: passedWarningCount += 1
        case .notice: noticeCount += 1
        case .notCrash: break
        }
        if incidents.count < maximumListed {
            incidents.append(incident)
        } else {
            omittedIncidents += 1
        }
    }

    /// Whether the input could not be used as a log (exit status 2).
    public var isUnusable: Bool { diagnostics.contains { $0.severity == .error } }

    /// Whether the input holds a crash that counts (exit status 1).
    public var failed: Bool { failedCount > 0 }

    /// The first error diagnostic's message, when the input is unusable.
    public var errorMessage: String? { diagnostics.first { $0.severity == .error }?.message }

    /// The crash incidents that count, among those listed.
    public var listedFailures: [TriageIncident] { incidents.filter { $0.disposition.counts } }
}
