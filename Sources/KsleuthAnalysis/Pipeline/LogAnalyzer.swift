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

    /// Analyses an opened input: a kernel log, or a memory snapshot (`/proc/meminfo`,
    /// buddyinfo, slabinfo, …) told apart by its first non-blank lines (``SnapshotClassifier``).
    @discardableResult
    public func analyze(_ input: LogInput, into sink: some IncidentSink) -> InputSummary {
        sink.begin(input: input.name)
        let reader = LogLineReader(
            input: input, maximumLineLength: configuration.maximumLineLength, chunkSize: configuration.chunkSize)
        let recognizer = IncidentRecognizer(inputName: input.name, limits: configuration.limits)
        let symbolization = configuration.kernelSymbols.map { FrameSymbolizationAnalyzer(symbols: $0) }
        var count = 0
        // Per-input state: the analyzers are shared and stateless; what needs the incidents
        // before this one lives here, made fresh for every input.
        var storms = OOMStormTracker()
        let deliver: (Incident) -> Void = { incident in
            var analysed = analyzed(incident, symbolization: symbolization)
            storms.record(&analysed)
            count += 1
            sink.accept(analysed)
        }
        var detector = SnapshotDetector(
            classifier: SnapshotClassifier.standard(), maximumLineLength: configuration.maximumLineLength)
        var snapshot = SnapshotIncidentBuilder(name: input.name, limits: configuration.limits)
        var diagnostics: [Diagnostic] = []
        do {
            try reader.forEachLine { line in
                if detector.isLog {
                    recognizer.accept(line, deliver)
                } else {
                    detector.read(line.raw, file: input.name, into: &snapshot) { recognizer.accept($0, deliver) }
                }
            }
        } catch {
            let severity: Diagnostic.Severity = reader.statistics.bytesRead == 0 ? .error : .warning
            var message = error.message
            if let offset = error.byteOffset { message += " at byte \(offset)" }
            if severity == .warning { message += "; the incidents before that point are reported" }
            diagnostics.append(
                Diagnostic(
                    code: error.code.rawValue, severity: severity, message: message, line: reader.statistics.linesRead))
        }
        detector.finish { recognizer.accept($0, deliver) }
        if detector.isLog {
            recognizer.finish(deliver)
        } else {
            snapshot.finish()
            if let incident = snapshot.incident() { deliver(incident) }
        }
        diagnostics.append(contentsOf: symbolization?.diagnostics ?? [])
        for (title, count) in recognizer.suppressedNotices {
            diagnostics.append(
                Diagnostic(
                    code: "notice-repeats", severity: .note,
                    message:
                        "\(count) more repeat(s) of the notice \"\(title)\" were counted, not listed (after "
                        + "\(IncidentLimits.maximumIncidentsPerNotice) incidents of it)"))
        }
        diagnostics.append(contentsOf: LogAnalyzer.diagnostics(for: reader.statistics, configuration: configuration))
        let summary = InputSummary(
            file: input.name, statistics: reader.statistics, diagnostics: diagnostics, incidentCount: count)
        sink.finish(summary)
        return summary
    }

    /// Analyses the memory snapshot files of one directory together, as one incident.
    ///
    /// `files` are the files of the directory `name` (a sosreport-like tree with `proc/meminfo`,
    /// `proc/slabinfo`, …); they become one `memory-snapshot` incident of the input `name`.
    /// Files that are not snapshots are skipped and counted in a note.
    @discardableResult
    public func analyze(snapshotDirectory name: String, files: [String], into sink: some IncidentSink)
        -> InputSummary
    {
        sink.begin(input: name)
        var builder = SnapshotIncidentBuilder(name: name, limits: configuration.limits)
        var statistics = InputStatistics()
        var diagnostics: [Diagnostic] = []
        var skipped = 0
        let classifier = SnapshotClassifier.standard()
        // The system-wide files first, then each process's: the evidence cap then keeps the
        // small /proc files whole before a large smaps.
        var snapshots: [(file: String, perProcess: Bool)] = []
        for file in files {
            do {
                guard let format = try Self.startFormat(file, classifier: classifier) else {
                    skipped += 1
                    continue
                }
                snapshots.append((file, SnapshotCollector.perProcess.contains(format)))
            } catch {
                diagnostics.append(
                    Diagnostic(code: error.code.rawValue, severity: .warning, message: "\(file): \(error.message)"))
            }
        }
        for (file, _) in snapshots.filter({ !$0.perProcess }) + snapshots.filter(\.perProcess) {
            do {
                let input = try LogInput.open(file)
                let reader = LogLineReader(
                    input: input, maximumLineLength: configuration.maximumLineLength,
                    chunkSize: configuration.chunkSize)
                var detector = SnapshotDetector(
                    classifier: classifier, maximumLineLength: configuration.maximumLineLength)
                do {
                    try reader.forEachLine { line in
                        guard !detector.isLog else { return }
                        detector.read(line.raw, file: file, into: &builder) { _ in }
                    }
                } catch {
                    diagnostics.append(
                        Diagnostic(code: error.code.rawValue, severity: .warning, message: "\(file): \(error.message)"))
                }
                detector.finish { _ in }
                let read = reader.statistics
                statistics.linesRead += read.linesRead
                statistics.bytesRead += read.bytesRead
                statistics.linesCut += read.linesCut
                statistics.longestLineLength = max(statistics.longestLineLength, read.longestLineLength)
                statistics.invalidUTF8Lines += read.invalidUTF8Lines
                statistics.linesWithNUL += read.linesWithNUL
            } catch {
                diagnostics.append(
                    Diagnostic(code: error.code.rawValue, severity: .warning, message: "\(file): \(error.message)"))
            }
        }
        builder.finish()
        var count = 0
        if let incident = builder.incident() {
            sink.accept(analyzed(incident))
            count = 1
        } else {
            diagnostics.append(
                Diagnostic(
                    code: "no-snapshot", severity: .error,
                    message: "no memory snapshot file (meminfo, slabinfo, buddyinfo, …) was found in \(name)"))
        }
        if skipped > 0 {
            diagnostics.append(
                Diagnostic(
                    code: "not-snapshots", severity: .note,
                    message: "\(skipped) file(s) in \(name) are not memory snapshots and were skipped"))
        }
        let summary = InputSummary(file: name, statistics: statistics, diagnostics: diagnostics, incidentCount: count)
        sink.finish(summary)
        return summary
    }

    /// The snapshot format the first 64 KiB of the (decompressed) file `path` name, if any.
    static func startFormat(_ path: String, classifier: SnapshotClassifier) throws(InputError) -> SnapshotFormat? {
        let source = try LogInput.open(path).source
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < buffer.count {
            let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if count == 0 { break }
            filled += count
        }
        let start = UnsafeRawBufferPointer(rebasing: buffer[..<filled])
        return SnapshotDetector.format(ofStart: start, classifier: classifier)
    }

    /// `incident` after the standard and the configured analyzers that take its kind, with
    /// the input's `symbolization` stage before crash identity when symbols were given.
    private func analyzed(_ incident: Incident, symbolization: FrameSymbolizationAnalyzer? = nil) -> Incident {
        var analysed = incident
        for analyzer in StandardAnalyzers.all(symbolizing: symbolization) + configuration.additionalAnalyzers
        where analyzer.kinds?.contains(analysed.kind) ?? true {
            analyzer.analyze(&analysed)
        }
        return analysed
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
