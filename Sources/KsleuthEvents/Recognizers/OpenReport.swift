// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthInput
import KsleuthPatterns

/// A report that has begun and not yet ended: its lines so far and what is known of its
/// shape.
struct OpenReport {
    /// A number unique within the recognizer, which ties the report to its context.
    let id: Int
    var kind: IncidentKind
    var lines: [EvidenceLine]
    var headerIndex: Int
    var byteCount: Int
    var wallClock: String?
    var host: String?
    var caller: CallerID?
    /// Kinds that join this report when they open right after its header.
    var absorbs: Set<IncidentKind>
    /// Whether the architecture's die line (`Oops: 0000 [#1]`) has been seen.
    var hasDieLine: Bool
    /// Whether an end marker (`---[ end trace … ]---`) has been seen.
    var hasEnded = false
    /// Whether a line of a concluding rule (the OOM killer's kill line) has been seen.
    var isConcluded = false
    /// Whether the last line is one a report may stop after.
    var lastLineIsTerminal = false
    /// Consecutive lines since the last one that belonged.
    var foreignLines = 0
    /// The stamp of the last line that belonged.
    var lastMonotonic: Int64?
    /// The input line number of the last line that belonged.
    var lastLineNumber: Int
    /// Whether the last line sent NMIs for backtraces (`Sending NMI from CPU 1 to CPUs 2:`):
    /// the kernel waits for them, so a pause follows.
    var awaitsBacktraces = false
    /// Whether the report began in the middle, its header not in the log.
    var startsInside = false

    var linesSinceHeader: Int { lines.count - 1 - headerIndex }

    init(
        id: Int, kind: IncidentKind, header: EvidenceLine, leadIn: [EvidenceLine], line: LogLine,
        absorbs: Set<IncidentKind>,
        hasDieLine: Bool
    ) {
        self.id = id
        self.kind = kind
        lines = leadIn + [header]
        headerIndex = leadIn.count
        byteCount = lines.reduce(0) { $0 + $1.length }
        wallClock = line.wallClock.map { String(decoding: $0, as: UTF8.self) }
        host = line.host.map { String(decoding: $0, as: UTF8.self) }
        caller = line.caller
        self.absorbs = absorbs
        self.hasDieLine = hasDieLine
        lastMonotonic = line.monotonicMicroseconds
        lastLineNumber = line.raw.number
    }

    /// Gives back the lines after the header numbered `number` or later: they announce the
    /// next report.
    mutating func removeTrailingLines(from number: Int) {
        while lines.count > headerIndex + 1, let last = lines.last, last.number >= number {
            lines.removeLast()
            byteCount -= last.length
        }
    }

    mutating func append(_ line: EvidenceLine) {
        lines.append(line)
        byteCount += line.length
        foreignLines = 0
        if let stamp = line.monotonicMicroseconds { lastMonotonic = stamp }
        lastLineNumber = line.number
        awaitsBacktraces = line.text.hasASCIIPrefix("Sending NMI from CPU")
    }

    /// The title of a report whose header is not in the log: syzkaller's "corrupted report"
    /// for a crash, the kind's name for a memory report.
    static func headerlessTitle(of kind: IncidentKind) -> Substring {
        switch kind {
        case .oom: "out-of-memory report (the log starts inside it)"
        case .pageAllocationFailure: "page allocation failure (the log starts inside it)"
        default:
            kind.family == .crash
                ? "corrupted report (the log starts inside it)" : "\(kind.rawValue) (the log starts inside it)"
        }
    }

    func incident(file: String, truncationReason: String?) -> Incident {
        let first = lines[0]
        let last = lines[lines.count - 1]
        let header = lines[headerIndex]
        var title = startsInside ? Self.headerlessTitle(of: kind) : Substring(header.text)
        while title.last == " " || title.last == "\t" { title.removeLast() }
        while title.first == " " || title.first == "\t" { title.removeFirst() }
        if title.count > 256 { title = title.prefix(256) }
        return Incident(
            kind: kind, title: String(title),
            evidence: EvidenceSpan(
                file: file, firstLine: first.number, lastLine: last.number, firstByte: first.byteOffset,
                lastByte: last.byteOffset + max(last.length, 1) - 1),
            monotonicMicroseconds: header.monotonicMicroseconds, wallClock: wallClock, host: host,
            caller: caller?.description, isTruncated: truncationReason != nil, truncationReason: truncationReason,
            lines: lines, headerIndex: headerIndex)
    }
}
