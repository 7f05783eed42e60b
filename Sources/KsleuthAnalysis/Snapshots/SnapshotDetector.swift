// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthInput

/// Decides, line by line, whether an input is a memory snapshot or a kernel log, and sends
/// each line where it belongs.
///
/// The first non-blank lines (``SnapshotFormatRules/linesExamined``) are held back, copied,
/// until one names a snapshot format — then they and every later line go to the snapshot — or
/// none does — then they are replayed to the log reader, with their prefixes read, and the
/// input is a log from there on. Inside a snapshot, a line that identifies another format
/// starts a section of that format (one file holding `cat /proc/meminfo /proc/slabinfo`).
public struct SnapshotDetector {
    /// A line held back while the format is undecided.
    struct HeldLine {
        var bytes: [UInt8]
        var number: Int
        var byteOffset: Int
        var isCut: Bool

        init(_ raw: RawLine) {
            bytes = Array(raw.bytes)
            number = raw.number
            byteOffset = raw.byteOffset
            isCut = raw.isCut
        }

        func withRawLine(_ body: (RawLine) -> Void) {
            bytes.withUnsafeBytes { body(RawLine(bytes: $0, number: number, byteOffset: byteOffset, isCut: isCut)) }
        }
    }

    /// What the input has turned out to be.
    public enum Decision: Sendable {
        case undecided
        case snapshot(SnapshotFormat)
        case log
    }

    /// Lines (blank ones included) held back at most before the input counts as a log.
    static let maximumHeldLines = 64

    public private(set) var decision = Decision.undecided
    private let classifier: SnapshotClassifier
    private let maximumLineLength: Int
    private var held: [HeldLine] = []
    private var examined = 0

    public init(classifier: SnapshotClassifier, maximumLineLength: Int) {
        self.classifier = classifier
        self.maximumLineLength = maximumLineLength
    }

    /// Whether the input is a log: its lines go straight to the log reader.
    public var isLog: Bool {
        if case .log = decision { return true }
        return false
    }

    /// Reads one line of the input `file`: a snapshot line goes to `builder`; when the input
    /// turns out to be a log, the held lines go to `logLine`, prefixes read.
    public mutating func read(
        _ raw: RawLine, file: String, into builder: inout SnapshotIncidentBuilder, logLine: (LogLine) -> Void
    ) {
        switch decision {
        case .log: return
        case .snapshot(let current):
            if let next = classifier.format(of: raw.bytes), next != current, Self.startsSection(next, after: current) {
                decision = .snapshot(next)
                builder.begin(file: file, format: next)
                builder.read(raw, identifies: true)
            } else {
                builder.read(raw)
            }
            return
        case .undecided: break
        }
        let blank = !raw.bytes.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0d }
        if !blank {
            examined += 1
            if let format = classifier.format(of: raw.bytes) {
                decision = .snapshot(format)
                builder.begin(file: file, format: format)
                for line in held { line.withRawLine { builder.read($0) } }
                held = []
                builder.read(raw, identifies: true)
                return
            }
        }
        held.append(HeldLine(raw))
        if examined >= SnapshotFormatRules.linesExamined || held.count >= Self.maximumHeldLines {
            becomeLog(logLine)
        }
    }

    /// The formats whose lines look alike: a zone line of one may be a line of another (the
    /// pagetypeinfo block table reads as buddyinfo), an area line of one a line of another.
    static let lookalikeGroups: [Set<SnapshotFormat>] = [
        [.buddyinfo, .zoneinfo, .pagetypeinfo], [.vmallocinfo, .maps, .smaps, .smapsRollup],
    ]

    /// Whether a line identifying `next` inside a snapshot of `current` starts a new section (a
    /// capture script's one file of several /proc files): not when the two formats look alike,
    /// and never for statm, whose seven numbers may be any table's row.
    public static func startsSection(_ next: SnapshotFormat, after current: SnapshotFormat) -> Bool {
        guard next != .statm else { return false }
        return !lookalikeGroups.contains { $0.contains(next) && $0.contains(current) }
    }

    /// Ends the input: an input still undecided (a few lines, none a snapshot's) is a log.
    public mutating func finish(logLine: (LogLine) -> Void) {
        if case .undecided = decision { becomeLog(logLine) }
    }

    /// The snapshot format the start of an input names, by the same rule as ``read(_:file:into:logLine:)``:
    /// one of the first non-blank lines of `start` matches a format rule.
    public static func format(ofStart start: UnsafeRawBufferPointer, classifier: SnapshotClassifier) -> SnapshotFormat?
    {
        var examined = 0
        var lineStart = 0
        var lines = 0
        while lineStart < start.count, examined < SnapshotFormatRules.linesExamined, lines < maximumHeldLines {
            let end = start[lineStart...].firstIndex(of: 0x0a) ?? start.count
            let line = UnsafeRawBufferPointer(rebasing: start[lineStart..<end])
            lines += 1
            lineStart = end + 1
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0d }) else { continue }
            examined += 1
            if let format = classifier.format(of: line) { return format }
        }
        return nil
    }

    private mutating func becomeLog(_ logLine: (LogLine) -> Void) {
        decision = .log
        let parser = LinePrefixParser(maximumLineLength: maximumLineLength)
        for line in held { line.withRawLine { _ = parser.parse($0, logLine) } }
        held = []
    }
}
