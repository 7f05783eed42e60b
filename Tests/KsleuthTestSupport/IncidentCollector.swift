// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents
import KsleuthInput

/// A sink that keeps everything, for tests.
public final class IncidentCollector: IncidentSink {
    public private(set) var incidents: [Incident] = []
    public private(set) var summaries: [InputSummary] = []

    public init() {}

    public func begin(input: String) {}
    public func accept(_ incident: Incident) { incidents.append(incident) }
    public func finish(_ summary: InputSummary) { summaries.append(summary) }

    /// Analyses `bytes` as one input named `name`, read in the given chunk sizes.
    public static func analyze(
        _ bytes: [UInt8], name: String = "test.log", chunkSizes: [Int]? = nil,
        configuration: AnalysisConfiguration = AnalysisConfiguration()
    ) throws -> (incidents: [Incident], summary: InputSummary) {
        let collector = IncidentCollector()
        let input = try LogInput(name: name, raw: MemoryByteSource(bytes, chunkSizes: chunkSizes))
        let summary = LogAnalyzer(configuration: configuration).analyze(input, into: collector)
        return (collector.incidents, summary)
    }

    /// Analyses `text` as one input.
    public static func analyze(_ text: String, name: String = "test.log") throws -> (
        incidents: [Incident], summary: InputSummary
    ) {
        try analyze(Array(text.utf8), name: name)
    }
}

/// The comparable essence of an incident: what must not change with how the input is read.
public struct IncidentFingerprint: Hashable, CustomStringConvertible {
    public var kind: String
    public var title: String
    public var firstLine: Int
    public var lastLine: Int
    public var truncated: Bool

    public init(_ incident: Incident) {
        kind = incident.kind.rawValue
        title = incident.title
        firstLine = incident.evidence.firstLine
        lastLine = incident.evidence.lastLine
        truncated = incident.isTruncated
    }

    public var description: String { "\(kind) \(firstLine)-\(lastLine)\(truncated ? " truncated" : ""): \(title)" }
}
