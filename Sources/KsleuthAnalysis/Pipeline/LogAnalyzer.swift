// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthInput

/// The whole chain for one input: bytes → lines → incidents → findings, pushed to a sink.
public struct LogAnalyzer: Sendable {
    public var configuration: AnalysisConfiguration

    public init(configuration: AnalysisConfiguration = AnalysisConfiguration()) {
        self.configuration = configuration
    }

    /// Opens and analyses the file at `path` (`-` for standard input).
    ///
    /// An input that cannot be opened is reported through the sink as an input with an
    /// error diagnostic; the run goes on with the next input.
    @discardableResult
    public func analyze(path: String, into sink: some IncidentSink) -> InputSummary {
        do {
            let input = try LogInput.open(path)
            return analyze(input, into: sink)
        } catch {
            sink.begin(input: path)
            let summary = InputSummary(
                file: path, statistics: InputStatistics(),
                diagnostics: [Diagnostic(code: error.code.rawValue, severity: .error, message: error.message)],
                incidentCount: 0)
            sink.finish(summary)
            return summary
        }
    }

    /// Analyses an opened input.
    @discardableResult
    public func analyze(_ input: LogInput, into sink: some IncidentSink) -> InputSummary {
        sink.begin(input: input.name)
        let reader = LogLineReader(
            input: input, maximumLineLength: configuration.maximumLineLength, chunkSize: configuration.chunkSize)
        let recognizer = IncidentRecognizer(inputName: input.name, limits: configuration.limits)
        let analyzers = StandardAnalyzers.all + configuration.additionalAnalyzers
        var count = 0
        // Per-input state: the analyzers are shared and stateless; what needs the incidents
        // before this one lives here, made fresh for every input.
        var storms = OOMStormTracker()
        let deliver: (Incident) -> Void = { incident in
            var analysed = incident
            for analyzer in analyzers where analyzer.kinds?.contains(analysed.kind) ?? true {
                analyzer.analyze(&analysed)
            }
            storms.record(&analysed)
            count += 1
            sink.accept(analysed)
        }
        var diagnostics: [Diagnostic] = []
        do {
            try reader.forEachLine { line in recognizer.accept(line, deliver) }
        } catch {
            let severity: Diagnostic.Severity = reader.statistics.bytesRead == 0 ? .error : .warning
            var message = error.message
            if let offset = error.byteOffset { message += " at byte \(offset)" }
            if severity == .warning { message += "; the incidents before that point are reported" }
            diagnostics.append(
                Diagnostic(
                    code: error.code.rawValue, severity: severity, message: message, line: reader.statistics.linesRead))
        }
        recognizer.finish(deliver)
        diagnostics.append(contentsOf: LogAnalyzer.diagnostics(for: reader.statistics, configuration: configuration))
        let summary = InputSummary(
            file: input.name, statistics: reader.statistics, diagnostics: diagnostics, incidentCount: count)
        sink.finish(summary)
        return summary
    }

    /// What the statistics of an input say the user should know.
    static func diagnostics(for statistics: InputStatistics, configuration: AnalysisConfiguration) -> [Diagnostic] {
        var result: [Diagnostic] = []
        if statistics.bytesRead == 0 {
            result.append(Diagnostic(code: "empty-input", severity: .note, message: "the input is empty"))
        }
        if statistics.looksBinary {
            result.append(
                Diagnostic(
                    code: "binary-input", severity: .error,
                    message: "the input looks like binary data, not a text log; incidents found in it are still listed")
            )
        }
        if statistics.linesCut > 0 {
            result.append(
                Diagnostic(
                    code: "lines-cut", severity: .warning,
                    message:
                        "\(statistics.linesCut) line(s) longer than \(configuration.maximumLineLength) bytes were cut (the longest had \(statistics.longestLineLength) bytes)"
                ))
        }
        if statistics.invalidUTF8Lines > 0 {
            result.append(
                Diagnostic(
                    code: "invalid-utf8", severity: .note,
                    message: "\(statistics.invalidUTF8Lines) line(s) hold bytes that are not valid UTF-8"))
        }
        if statistics.linesWithNUL > 0 {
            result.append(
                Diagnostic(
                    code: "nul-bytes", severity: .note, message: "\(statistics.linesWithNUL) line(s) hold NUL bytes"))
        }
        return result
    }
}
