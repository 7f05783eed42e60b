// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents

/// `triage --format text`: a verdict line per input, its listed incidents, and the run's
/// verdict with its exit status.
///
/// ```
/// FAIL   kern.log  BUG: kernel NULL pointer dereference, address: 0000000000000010
///          1  oops          lines 12–48    3f2a9c01d4e5b6a7  BUG: kernel NULL pointer dereference, …
///          2  warning       lines 50–80    8c1d0e2f3a4b5c6d  WARNING in foo  (passed warning)
/// ok     clean.log  no crash
/// error  missing.log  cannot open: No such file or directory
///
/// 3 inputs: 1 failed, 1 unusable; 2 crashes (1 failed, 1 passed warning); exit status 2
/// ```
///
/// Everything taken from a log goes through `TerminalSanitizer`.
public final class TriageTextRenderer: TriageRenderer {
    private let output: any ReportOutput
    private let style: TerminalStyle

    public init(output: any ReportOutput, style: TerminalStyle) {
        self.output = output
        self.style = style
    }

    public func render(_ summary: TriageSummary) {
        let file = TerminalSanitizer.sanitize(summary.file)
        var text: String
        if let message = summary.errorMessage {
            text = style.red(pad("error", 7)) + style.bold(file) + "  " + TerminalSanitizer.sanitize(message) + "\n"
        } else if summary.failed {
            text = style.red(pad("FAIL", 7)) + style.bold(file) + "  " + headline(summary) + "\n"
        } else if summary.crashCount > 0 {
            text = style.yellow(pad("pass", 7)) + style.bold(file) + "  " + headline(summary) + "\n"
        } else {
            var others: [String] = []
            let memoryReports = summary.incidentCount - summary.noticeCount
            if memoryReports > 0 { others.append(count(memoryReports, "memory report")) }
            if summary.noticeCount > 0 { others.append(count(summary.noticeCount, "notice")) }
            let noted = others.isEmpty ? "" : " (" + others.joined(separator: ", ") + ")"
            text = pad("ok", 7) + style.bold(file) + "  no crash" + noted + "\n"
        }
        for (index, incident) in summary.incidents.enumerated() where incident.isCrash {
            text += line(incident, number: index + 1)
        }
        if summary.omittedIncidents > 0 {
            text += "         " + style.dim("… \(count(summary.omittedIncidents, "more incident")) not listed") + "\n"
        }
        output.write(text)
        output.flush()
    }

    public func close(_ totals: TriageTotals) {
        var parts = ["\(count(totals.inputs, "input")): \(totals.failedInputs) failed"]
        if totals.unusableInputs > 0 { parts[0] += ", \(totals.unusableInputs) unusable" }
        var crashes = "\(count(totals.crashIncidents, "crash")) (\(totals.failedIncidents) failed"
        if totals.knownIncidents > 0 { crashes += ", \(totals.knownIncidents) known" }
        if totals.passedWarnings > 0 { crashes += ", \(count(totals.passedWarnings, "passed warning"))" }
        parts.append(crashes + ")")
        parts.append("exit status \(totals.exitStatus)")
        output.write("\n" + style.bold(parts.joined(separator: "; ")) + "\n")
        output.flush()
    }

    private func headline(_ summary: TriageSummary) -> String {
        let title = TerminalSanitizer.sanitize(summary.primary?.title ?? "")
        var notes: [String] = []
        if summary.crashCount > 1 { notes.append(count(summary.crashCount, "crash")) }
        if summary.knownCount > 0 { notes.append("\(summary.knownCount) known") }
        if summary.passedWarningCount > 0 { notes.append(count(summary.passedWarningCount, "passed warning")) }
        if summary.noticeCount > 0 { notes.append(count(summary.noticeCount, "notice")) }
        return style.bold(title) + (notes.isEmpty ? "" : "  " + style.dim("(" + notes.joined(separator: ", ") + ")"))
    }

    private func line(_ incident: TriageIncident, number: Int) -> String {
        let span =
            incident.evidence.firstLine == incident.evidence.lastLine
            ? "line \(incident.evidence.firstLine)"
            : "lines \(incident.evidence.firstLine)–\(incident.evidence.lastLine)"
        var text = "  " + pad(String(number), 5, right: true) + "  " + pad(incident.kind.rawValue, 24) + " "
        text += style.dim(pad(span, 15)) + " " + style.cyan(TerminalSanitizer.sanitize(incident.bucket)) + "  "
        text += TerminalSanitizer.sanitize(incident.title)
        var notes: [String] = []
        if !incident.type.isEmpty { notes.append(TerminalSanitizer.sanitize(incident.type)) }
        if incident.isCorrupted { notes.append("corrupted") }
        switch incident.disposition {
        case .known: notes.append("known")
        case .passedWarning: notes.append("passed warning")
        case .failed, .notCrash, .notice: break
        }
        for signature in incident.signatures {
            notes.append("known failure " + TerminalSanitizer.sanitize(signature.id))
        }
        if !notes.isEmpty { text += "  " + style.dim("(" + notes.joined(separator: ", ") + ")") }
        return text + "\n"
    }

    private func count(_ number: Int, _ noun: String) -> String {
        if number == 1 { return "1 \(noun)" }
        return "\(number) \(noun)" + (noun.hasSuffix("sh") ? "es" : "s")
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}
