// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// Where an analysis pushes its results as they come.
///
/// No report waits for the whole input (ripgrep's `Sink` design). Renderers are sinks.
public protocol IncidentSink: AnyObject {
    /// An input is about to be read.
    func begin(input: String)
    /// An incident of the current input, in input order.
    func accept(_ incident: Incident)
    /// The current input is done.
    func finish(_ summary: InputSummary)
}
