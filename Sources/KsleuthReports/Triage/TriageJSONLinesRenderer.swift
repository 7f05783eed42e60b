// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// `triage --format jsonl`: exactly one line per input, `{"file", "title", "type",
/// "corrupted", "bucket", "incidents", …}`, flushed as each input is done.
public final class TriageJSONLinesRenderer: TriageRenderer {
    private let output: any ReportOutput

    public init(output: any ReportOutput) {
        self.output = output
    }

    public func render(_ summary: TriageSummary) {
        var json = JSONWriter()
        TriageJSON.write(summary, to: &json)
        output.write(json.text + "\n")
        output.flush()
    }

    public func close(_ totals: TriageTotals) {
        output.flush()
    }
}
