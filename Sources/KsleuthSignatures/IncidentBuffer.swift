// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents

/// A sink that keeps the incidents of a sample's log.
final class IncidentBuffer: IncidentSink {
    private(set) var incidents: [Incident] = []

    func begin(input: String) {}
    func accept(_ incident: Incident) { incidents.append(incident) }
    func finish(_ summary: InputSummary) {}
}
