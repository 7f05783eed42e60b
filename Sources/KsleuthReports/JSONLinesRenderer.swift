// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents

/// One incident per line, each carrying its `file`: `--format jsonl`, for other tools.
///
/// Diagnostics go to the diagnostic output (standard error), one JSON object
/// per line, so that the main stream holds incidents only.
public final class JSONLinesRenderer: IncidentSink {
    private let output: any ReportOutput
    private let diagnosticOutput: (any ReportOutput)?

    public init(output: any ReportOutput, diagnosticOutput: (any ReportOutput)?) {
        self.output = output
        self.diagnosticOutput = diagnosticOutput
    }

    public func begin(input: String) {}

    public func accept(_ incident: Incident) {
        var json = JSONWriter()
        IncidentJSON.write(incident, withFile: true, to: &json)
        output.write(json.text)
        output.write("\n")
    }

    public func finish(_ summary: InputSummary) {
        output.flush()
        guard let diagnosticOutput else { return }
        for diagnostic in summary.diagnostics {
            var json = JSONWriter()
            IncidentJSON.write(diagnostic, file: summary.file, to: &json)
            diagnosticOutput.write(json.text + "\n")
        }
        diagnosticOutput.flush()
    }
}
