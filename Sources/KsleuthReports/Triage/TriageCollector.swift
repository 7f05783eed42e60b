// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents
import KsleuthInput

/// The sink of a triage run: turns each input's incidents into a `TriageSummary` and hands
/// it to a renderer once the input is done.
public final class TriageCollector: IncidentSink {
    private let policy: TriagePolicy
    private let maximumListed: Int
    private let excerptLines: Int
    private let renderer: any TriageRenderer
    private var current: TriageSummary?
    private var started = ContinuousClock.now
    /// The verdict so far.
    public private(set) var totals = TriageTotals()

    /// - Parameters:
    ///   - maximumListed: incidents kept per input (all are counted).
    ///   - excerptLines: evidence lines kept per listed incident.
    public init(policy: TriagePolicy, maximumListed: Int, excerptLines: Int, renderer: any TriageRenderer) {
        self.policy = policy
        self.maximumListed = maximumListed
        self.excerptLines = excerptLines
        self.renderer = renderer
    }

    public func begin(input: String) {
        current = TriageSummary(file: input, maximumListed: maximumListed)
        started = ContinuousClock.now
    }

    public func accept(_ incident: Incident) {
        guard current != nil else { return }
        let listed = (current?.incidents.count ?? 0) < maximumListed
        current?.add(TriageIncident(incident, policy: policy, excerptLines: listed ? excerptLines : 0))
    }

    public func finish(_ summary: InputSummary) {
        var triage = current ?? TriageSummary(file: summary.file, maximumListed: maximumListed)
        current = nil
        triage.file = summary.file
        triage.linesRead = summary.statistics.linesRead
        triage.diagnostics = summary.diagnostics
        let elapsed = ContinuousClock.now - started
        triage.elapsedSeconds =
            Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        totals.add(triage)
        renderer.render(triage)
    }

    /// Ends the run: the renderer closes its document.
    ///
    /// - Returns: the verdict of the run.
    @discardableResult
    public func close() -> TriageTotals {
        renderer.close(totals)
        return totals
    }
}
