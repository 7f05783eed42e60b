// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Writes triage verdicts in one format: text, JSON, JSON Lines, SARIF or JUnit XML.
public protocol TriageRenderer: AnyObject {
    /// One input is done.
    func render(_ summary: TriageSummary)
    /// The run is done; writes what closes the document.
    func close(_ totals: TriageTotals)
}
