// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents
import KsleuthInput

/// The report for people, `--format text`.
///
/// A header per input, then each incident in input
/// order with its kind, time, evidence span, details and an excerpt of its lines; notices
/// (one-line kernel messages) come after the crashes and memory reports.
///
/// Incidents are written as they come (nothing is held back), and the input's summary —
/// counts, prefix format, diagnostics — closes its section:
///
/// ```
/// ── kern.log
///
///   1  oom                      [1310061.327439]  lines 3–47
///      CPU 0/KVM invoked oom-killer: gfp_mask=0x15000c0(GFP_KERNEL_ACCOUNT), order=0, …
///      trigger_comm  CPU 0/KVM
///          3 │ CPU 0/KVM invoked oom-killer: gfp_mask=0x15000c0(GFP_KERNEL_ACCOUNT), …
///
/// kern.log: 1 incident in 10,482 lines, syslog
/// ```
public final class TextRenderer: IncidentSink {
    private let output: any ReportOutput
    private let style: TerminalStyle
    private let excerptLines: Int
    private var number = 0
    /// Notices, shown after the input's crashes and memory reports (at most
    /// `maximumHeldNotices`; the rest are counted).
    private var heldNotices: [String] = []
    private var unshownNotices = 0
    private static let maximumHeldNotices = 1000

    /// - Parameter excerptLines: evidence lines shown per incident (the header and the lines
    ///   after it; the last line is always shown).
    public init(output: any ReportOutput, style: TerminalStyle, excerptLines: Int = 12) {
        self.output = output
        self.style = style
        self.excerptLines = excerptLines
    }

    public func begin(input: String) {
        number = 0
        output.write(style.bold("── " + TerminalSanitizer.sanitize(input)) + "\n")
    }

    public func accept(_ incident: Incident) {
        number += 1
        var text = ""
        let label =
            switch incident.kind.family {
            case .memory: style.yellow(pad(incident.kind.rawValue, 24))
            case .notice: style.cyan(pad(incident.kind.rawValue, 24))
            case .crash: style.red(pad(incident.kind.rawValue, 24))
            }
        let time =
            incident.monotonicMicroseconds.map { "[" + formatStamp($0) + "]" } ?? incident.wallClock.map {
                "[\(TerminalSanitizer.sanitize($0))]"
            } ?? ""
        let span =
            incident.evidence.firstLine == incident.evidence.lastLine
            ? "line \(incident.evidence.firstLine)"
            : "lines \(incident.evidence.firstLine)–\(incident.evidence.lastLine)"
        text += "\(pad(String(number), 3, right: true))  \(label) \(pad(time, 18))  \(style.dim(span))"
        if incident.isTruncated { text += "  " + style.yellow("truncated") }
        text += "\n"
        text += "     " + style.bold(TerminalSanitizer.sanitize(incident.title)) + "\n"
        if let identity = incident.identity {
            let corrupted = identity.isCorrupted ? "  " + style.yellow("corrupted") : ""
            text +=
                "     " + style.cyan("identity") + "  " + TerminalSanitizer.sanitize(identity.title) + "  "
                + style.dim("bucket " + identity.bucket) + corrupted + "\n"
        }
        if let reason = incident.truncationReason { text += "     " + style.dim("(\(reason))") + "\n" }
        var layout = DetailTextLayout()
        if incident.kind == .oom {
            for line in OOMTextSection().lines(for: incident.details, indent: 5, style: style) { text += line + "\n" }
            layout.hiddenKeys = OOMTextSection.coveredKeys
        }
        for line in layout.lines(for: incident.details, indent: 5, style: style) {
            text += line + "\n"
        }
        text += excerpt(incident)
        if incident.kind.family == .notice {
            if heldNotices.count < Self.maximumHeldNotices { heldNotices.append(text) } else { unshownNotices += 1 }
            return
        }
        output.write("\n" + text)
    }

    public func finish(_ summary: InputSummary) {
        for text in heldNotices { output.write("\n" + text) }
        if unshownNotices > 0 {
            output.write("\n     " + style.dim("… \(unshownNotices) more notices not shown") + "\n")
        }
        heldNotices = []
        unshownNotices = 0
        let lines = summary.statistics.linesRead
        let format = summary.statistics.dominantFormat.map { ", \($0.name)" } ?? ""
        let compression = summary.statistics.compression == .none ? "" : ", \(summary.statistics.compression.rawValue)"
        let count = summary.incidentCount == 1 ? "1 incident" : "\(summary.incidentCount) incidents"
        output.write(
            "\n" + style.bold(TerminalSanitizer.sanitize(summary.file))
                + ": \(count) in \(grouped(lines)) lines\(format)\(compression)\n")
        for diagnostic in summary.diagnostics {
            let label: String
            switch diagnostic.severity {
            case .error: label = style.red("error")
            case .warning: label = style.yellow("warning")
            case .note: label = style.dim("note")
            }
            output.write("  \(label): \(TerminalSanitizer.sanitize(diagnostic.message))\n")
        }
        output.write("\n")
        output.flush()
    }

    private func excerpt(_ incident: Incident) -> String {
        let lines = incident.lines
        let width = String(lines.last?.number ?? 0).count
        var shown = Array(lines.prefix(excerptLines))
        var text = ""
        for (index, line) in shown.enumerated() {
            text +=
                "     " + style.dim(pad(String(line.number), width, right: true) + " │") + " "
                + TerminalSanitizer.sanitize(line.text) + sourcePositions(incident, lineIndex: index, text: line.text)
                + "\n"
        }
        if lines.count > excerptLines {
            let hidden = lines.count - excerptLines - 1
            if hidden > 0 {
                text +=
                    "     "
                    + style.dim(
                        String(repeating: " ", count: width) + " ┆ … \(hidden) more line\(hidden == 1 ? "" : "s")")
                    + "\n"
            }
            shown = [lines[lines.count - 1]]
            for line in shown {
                text +=
                    "     " + style.dim(pad(String(line.number), width, right: true) + " │") + " "
                    + TerminalSanitizer.sanitize(line.text)
                    + sourcePositions(incident, lineIndex: lines.count - 1, text: line.text) + "\n"
            }
        }
        return text
    }

    /// ` fs/x.c:12 (inlined helper include/y.h:30)` for each frame of the evidence line at
    /// `lineIndex` that ksleuth symbolized (the log's own `file:line` is not repeated).
    private func sourcePositions(_ incident: Incident, lineIndex: Int, text: String) -> String {
        guard let trace = incident.callTrace else { return "" }
        var positions = ""
        for frame in [trace.faultingFrame].compactMap(\.self) + trace.frames where frame.lineIndex == lineIndex {
            // A raw address the symbols named (` ? 0xffffffffc04f9000`): the name first.
            var position = ""
            if !text.contains(frame.function), let offset = frame.offset {
                position =
                    " \(frame.function)+0x\(String(offset, radix: 16))"
                    + (frame.size.map { "/0x\(String($0, radix: 16))" } ?? "") + (frame.module.map { " [\($0)]" } ?? "")
            }
            guard let file = frame.file, let line = frame.line, !text.contains("\(file):\(line)") else {
                if !position.isEmpty { positions += style.cyan(TerminalSanitizer.sanitize(position)) }
                continue
            }
            position += " \(file):\(line)"
            let inlined = frame.inlinedFrames.reversed().map { "\($0.function) \($0.file ?? "??"):\($0.line ?? 0)" }
            if !inlined.isEmpty { position += " (inlined " + inlined.joined(separator: ", ") + ")" }
            positions += style.cyan(TerminalSanitizer.sanitize(position))
        }
        return positions
    }

    private func formatStamp(_ microseconds: Int64) -> String {
        let seconds = microseconds / 1_000_000
        let fraction = String(microseconds % 1_000_000)
        return "\(pad(String(seconds), 5, right: true)).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }

    private func grouped(_ number: Int) -> String {
        var digits = Array(String(number))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}
