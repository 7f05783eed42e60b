// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// `triage --format json`: one document, `{"inputs": [<input>, …], "totals": {…}}`, written
/// as the inputs are done.
public final class TriageJSONRenderer: TriageRenderer {
    private let output: any ReportOutput
    private var inputCount = 0

    public init(output: any ReportOutput) {
        self.output = output
        output.write("{\"inputs\":[")
    }

    public func render(_ summary: TriageSummary) {
        var json = JSONWriter()
        TriageJSON.write(summary, to: &json)
        output.write(inputCount == 0 ? "\n" : ",\n")
        output.write(json.text)
        inputCount += 1
    }

    public func close(_ totals: TriageTotals) {
        var json = JSONWriter()
        TriageJSON.write(totals, to: &json)
        output.write("\n],\n\"totals\":\(json.text)}\n")
        output.flush()
    }
}
