// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents

/// `--format json`: one document, `{"inputs": [{"file", "incidents", "notices", "stats",
/// "diagnostics"}, …]}`, written as the analysis goes so that no input is held in memory.
///
/// Notices (kind `notice`, one-line kernel messages) are kept out of `incidents` and written
/// after them in `notices`; at most `maximumHeldNotices` are held, the rest are counted in
/// `notices_omitted`.
public final class JSONRenderer: IncidentSink {
    private let output: any ReportOutput
    private var inputCount = 0
    private var incidentCount = 0
    private var heldNotices: [String] = []
    private var omittedNotices = 0
    private static let maximumHeldNotices = 10_000

    public init(output: any ReportOutput) {
        self.output = output
        output.write("{\"inputs\":[")
    }

    public func begin(input: String) {
        output.write(inputCount == 0 ? "\n" : ",\n")
        output.write("{\"file\":\(JSONWriter.quoted(input)),\"incidents\":[")
        inputCount += 1
        incidentCount = 0
    }

    public func accept(_ incident: Incident) {
        var json = JSONWriter()
        IncidentJSON.write(incident, withFile: false, to: &json)
        if incident.kind.family == .notice {
            if heldNotices.count < Self.maximumHeldNotices {
                heldNotices.append(json.text)
            } else {
                omittedNotices += 1
            }
            return
        }
        output.write(incidentCount == 0 ? "\n" : ",\n")
        output.write(json.text)
        incidentCount += 1
    }

    public func finish(_ summary: InputSummary) {
        var json = JSONWriter()
        IncidentJSON.write(summary.statistics, to: &json)
        output.write("],\n\"notices\":[" + heldNotices.joined(separator: ",\n") + "],")
        if omittedNotices > 0 { output.write("\"notices_omitted\":\(omittedNotices),") }
        heldNotices = []
        omittedNotices = 0
        output.write("\n\"stats\":\(json.text),")
        var diagnostics = JSONWriter()
        IncidentJSON.write(summary.diagnostics, to: &diagnostics)
        output.write("\"diagnostics\":\(diagnostics.text)}")
    }

    /// Closes the document; call once, after the last input.
    public func close() {
        output.write("\n]}\n")
        output.flush()
    }
}
