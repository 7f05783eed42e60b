// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthInput

/// Turns the lines of one or more snapshot files into one `memory-snapshot` incident.
///
/// Every line goes to the ``SnapshotCollector``; the evidence keeps lines up to the incident
/// limits, and the incident is marked truncated when lines were left out of it (the analysis
/// still read them all).
public struct SnapshotIncidentBuilder: Sendable {
    /// The name of the input: the file, or the directory of several files.
    public let name: String
    let limits: IncidentLimits
    public private(set) var collector = SnapshotCollector()
    private var lines: [EvidenceLine] = []
    private var evidenceBytes = 0
    private var linesLeftOut = 0
    private var headerIndex: Int?
    private var lastLine = 0
    private var lastByte = 0

    public init(name: String, limits: IncidentLimits) {
        self.name = name
        self.limits = limits
    }

    /// Starts a file of `format`; the next line that is not blank is its identifying line.
    public mutating func begin(file: String, format: SnapshotFormat) {
        let directory = file.lastIndex(of: "/").map { String(file[..<$0]) } ?? ""
        collector.begin(file: file, format: format, processKey: directory)
    }

    /// Reads one physical line of the current file; `identifies` marks the line that named the format.
    public mutating func read(_ raw: RawLine, identifies: Bool = false) {
        let text = String(decoding: raw.bytes, as: UTF8.self)
        collector.read(Substring(text))
        lastLine = raw.number
        lastByte = raw.byteOffset + max(raw.bytes.count - 1, 0)
        guard lines.count < limits.maximumLines, evidenceBytes + raw.bytes.count <= limits.maximumBytes else {
            linesLeftOut += 1
            return
        }
        if identifies, headerIndex == nil { headerIndex = lines.count }
        evidenceBytes += raw.bytes.count
        lines.append(
            EvidenceLine(
                number: raw.number, byteOffset: raw.byteOffset, length: raw.bytes.count, text: text,
                monotonicMicroseconds: nil))
    }

    /// Ends the last file.
    public mutating func finish() { collector.finish() }

    /// The incident, or `nil` when no line was read.
    public func incident() -> Incident? {
        guard let first = lines.first else { return nil }
        let formats = collector.sources.map(\.format.rawValue)
        var seen: Set<String> = []
        let distinct = formats.filter { seen.insert($0).inserted }
        var title = "memory snapshot: " + distinct.joined(separator: ", ")
        if collector.sources.count > 1 { title += " (\(collector.sources.count) files)" }
        let single = collector.sources.count == 1
        let span = EvidenceSpan(
            file: name, firstLine: first.number, lastLine: single ? lastLine : lines.last?.number ?? first.number,
            firstByte: first.byteOffset,
            lastByte: single ? lastByte : (lines.last.map { $0.byteOffset + $0.length - 1 } ?? 0))
        var incident = Incident(
            kind: .memorySnapshot, title: title, evidence: span, monotonicMicroseconds: nil, wallClock: nil, host: nil,
            caller: nil, isTruncated: linesLeftOut > 0,
            truncationReason: linesLeftOut > 0
                ? "\(linesLeftOut) line(s) beyond the incident limits are left out of the evidence (the analysis read every line)"
                : nil,
            lines: lines, headerIndex: headerIndex ?? 0)
        incident.details = SnapshotAnalysis(collector).details
        return incident
    }
}
