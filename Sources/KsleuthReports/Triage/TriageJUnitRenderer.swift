// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents

/// `triage --format junit`: JUnit XML (the Ant schema CI servers read), one `<testsuite>` per
/// run and one `<testcase>` per input.
///
/// An input with crashes that count gets one `<failure>`: its message is the first such
/// crash's title (with the known failure mode it matched, when a signature did), its type that
/// crash's rule, and its text lists every counted crash of the input (title, kind, type,
/// bucket, lines, matched signatures, an excerpt). Notices never fail a test case. The schema allows one failure per
/// test case, so several crashes share it. An unusable input gets an `<error>` instead.
/// Known crashes and passed warnings do not fail a test case; they are listed in the suite's
/// `<system-out>`.
///
/// The suite's counts come first in the document, so test cases are held until `close`
/// (each is small: the excerpt is bounded).
public final class TriageJUnitRenderer: TriageRenderer {
    private let output: any ReportOutput
    private let timestamp: String
    private let hostname: String
    private let properties: [(name: String, value: String)]
    private var testCases: [String] = []
    private var systemOut = ""
    private var systemErr = ""
    private var failures = 0
    private var errors = 0

    /// - Parameters:
    ///   - timestamp: when the run started, `YYYY-MM-DDTHH:MM:SS` (the schema's form, no zone).
    ///   - hostname: the machine's name.
    ///   - properties: name-value pairs for the suite's `<properties>`.
    public init(
        output: any ReportOutput, timestamp: String, hostname: String, properties: [(name: String, value: String)]
    ) {
        self.output = output
        self.timestamp = timestamp
        self.hostname = hostname.isEmpty ? "localhost" : hostname
        self.properties = properties
    }

    public func render(_ summary: TriageSummary) {
        var text = "  <testcase name=\"\(XMLText.attribute(summary.file))\" classname=\"ksleuth.triage\""
        text += " time=\"\(Self.decimal(summary.elapsedSeconds))\""
        if let message = summary.errorMessage {
            errors += 1
            let code = summary.diagnostics.first { $0.severity == .error }?.code ?? "error"
            text += ">\n    <error message=\"\(XMLText.attribute(message))\" type=\"\(XMLText.attribute(code))\">"
            let diagnostics = summary.diagnostics.map { "\($0.severity.rawValue): \($0.message)" }
            text += XMLText.content(diagnostics.joined(separator: "\n"))
            text += "</error>\n  </testcase>\n"
            systemErr += "\(summary.file): \(message)\n"
        } else if summary.failed {
            failures += 1
            let first = summary.listedFailures.first
            var message = first?.title ?? "\(summary.failedCount) crashes"
            if let signature = first?.signatures.first {
                message += " (known failure \(signature.id): \(signature.title))"
            }
            text += ">\n    <failure message=\"\(XMLText.attribute(message))\""
            text += " type=\"\(XMLText.attribute(first?.ruleID ?? "crash"))\">"
            text += XMLText.content(failureText(summary))
            text += "</failure>\n  </testcase>\n"
        } else {
            text += "/>\n"
        }
        for incident in summary.incidents where incident.disposition == .known || incident.disposition == .passedWarning
        {
            systemOut += "\(summary.file):\(incident.evidence.firstLine): \(incident.disposition.rawValue): "
            systemOut += "\(incident.title) [\(incident.bucket)]\n"
        }
        testCases.append(text)
    }

    public func close(_ totals: TriageTotals) {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text += "<testsuite name=\"ksleuth triage\" timestamp=\"\(XMLText.attribute(timestamp))\""
        text += " hostname=\"\(XMLText.attribute(hostname))\" tests=\"\(testCases.count)\" failures=\"\(failures)\""
        text += " errors=\"\(errors)\" skipped=\"0\" time=\"\(Self.decimal(totals.elapsedSeconds))\">\n"
        text += "  <properties>\n"
        for property in properties {
            text += "    <property name=\"\(XMLText.attribute(property.name))\""
            text += " value=\"\(XMLText.attribute(property.value))\"/>\n"
        }
        text += "  </properties>\n"
        output.write(text)
        for testCase in testCases { output.write(testCase) }
        output.write("  <system-out>\(XMLText.content(systemOut))</system-out>\n")
        output.write("  <system-err>\(XMLText.content(systemErr))</system-err>\n")
        output.write("</testsuite>\n")
        output.flush()
    }

    private func failureText(_ summary: TriageSummary) -> String {
        var text = ""
        for (number, incident) in summary.listedFailures.enumerated() {
            text += "\(number + 1). \(incident.title)\n"
            var facts = ["kind \(incident.kind.rawValue)"]
            if !incident.type.isEmpty { facts.append("type \(incident.type)") }
            facts.append("bucket \(incident.bucket)")
            facts.append("lines \(incident.evidence.firstLine)-\(incident.evidence.lastLine) of \(summary.file)")
            if incident.isCorrupted { facts.append("corrupted") }
            if incident.isTruncated { facts.append("truncated") }
            text += "   " + facts.joined(separator: ", ") + "\n"
            for signature in incident.signatures {
                text += "   known failure \(signature.id) (\(signature.severity)): \(signature.title)\n"
                if !signature.remediation.isEmpty {
                    let remediation = signature.remediation.split(separator: "\n").joined(separator: " ")
                    text += "     what to do: \(remediation)\n"
                }
            }
            for line in incident.excerpt { text += "   \(line.number) | \(line.text)\n" }
            text += "\n"
        }
        let unlisted = summary.failedCount - summary.listedFailures.count
        if unlisted > 0 { text += "... \(unlisted) more crash(es) not listed\n" }
        return text
    }

    /// `seconds` with three decimals (`xs:decimal`).
    static func decimal(_ seconds: Double) -> String {
        let milliseconds = Int((max(0, seconds) * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
