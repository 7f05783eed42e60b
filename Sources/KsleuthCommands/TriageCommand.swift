// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthInput
import KsleuthReports

/// `ksleuth triage [FILE|-]…`: a CI verdict on kernel logs — crash titles, buckets and an
/// exit status a pipeline can act on.
public struct TriageCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "triage",
        abstract: "Name the crashes in kernel logs for CI: stable titles, bucket ids and an exit status.",
        discussion: """
            The primary crash of each input is its first crash incident. Formats: text, json, jsonl \
            (one line per input), sarif (SARIF 2.1.0, for code scanning) and junit (JUnit XML, a test \
            case per input). docs/triage.md describes them.

            Exit status: 0 when no input holds a crash that counts, 1 when at least one does (crashes \
            listed in --known do not count, nor warnings under --warnings pass), 2 when an input could \
            not be used or the command line is wrong.
            """)

    /// The output formats of `triage`.
    public enum Format: String, CaseIterable, ExpressibleByArgument, Sendable {
        case text, json, jsonl, sarif, junit
    }

    /// Whether warning-only crashes (`WARNING`, lockdep) fail the run.
    public enum WarningPolicy: String, CaseIterable, ExpressibleByArgument, Sendable {
        case fail, pass
    }

    @Argument(help: "Log files to read; - for standard input. None: this machine's kernel log.")
    public var files: [String] = []

    @Option(name: .long, help: "Output format: text, json, jsonl, sarif or junit.")
    public var format: Format = .text

    @Option(name: .long, help: "Whether warnings (WARNING, lockdep) fail the run: fail or pass.")
    public var warnings: WarningPolicy = .fail

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Crashes that do not count: one bucket id or title a line, # comments.",
            valueName: "file"))
    public var known: String?

    @Option(name: .long, help: "Colour text output: auto (on a terminal, unless NO_COLOR is set), always or never.")
    public var color: ColorChoice = .auto

    @Option(name: .long, help: "Incidents listed per input (all are counted).")
    public var maxIncidents: Int = 100

    @Option(name: .long, help: "Evidence lines kept per incident for the SARIF snippet and the JUnit failure text.")
    public var excerptLines: Int = 12

    @OptionGroup public var input: InputOptions
    @OptionGroup public var signatureOptions: SignatureOptions
    @OptionGroup(title: "Symbols") public var symbolOptions: SymbolOptions

    public init() {}

    public func validate() throws {
        guard maxIncidents >= 1 else { throw ValidationError("--max-incidents must be at least 1") }
        guard excerptLines >= 0 else { throw ValidationError("--excerpt-lines must not be negative") }
    }

    public func run() throws {
        let standardOutput = StandardOutput()
        let diagnosticOutput = StandardOutput(descriptor: STDERR_FILENO)
        var knownEntries: [String] = []
        if let known {
            do {
                knownEntries = try KnownCrashList(path: known).entries
            } catch {
                diagnosticOutput.write(
                    "ksleuth: error: --known \(TerminalSanitizer.sanitize(known)): \(error.message)\n")
                diagnosticOutput.flush()
                throw ExitCode(2)
            }
        }
        let policy = TriagePolicy(warningsFail: warnings == .fail, knownEntries: knownEntries)
        let collector = TriageCollector(
            policy: policy, maximumListed: maxIncidents, excerptLines: excerptLines,
            renderer: renderer(for: standardOutput, knownEntries: knownEntries.count))
        var configuration = input.configuration(
            additionalAnalyzers: try signatureOptions.analyzers(reportingTo: diagnosticOutput))
        configuration.kernelSymbols = try symbolOptions.kernelSymbols(reportingTo: diagnosticOutput)
        let analyzer = LogAnalyzer(configuration: configuration)

        if files.isEmpty {
            do {
                let opened = try SystemKernelLog.open()
                diagnosticOutput.write("ksleuth: \(opened.origin)\n")
                diagnosticOutput.flush()
                report(analyzer.analyze(opened.input, into: collector), to: diagnosticOutput)
                opened.process?.waitUntilExit()
            } catch {
                diagnosticOutput.write("ksleuth: error: \(TerminalSanitizer.sanitize(error.message))\n")
                diagnosticOutput.flush()
                throw ExitCode(2)
            }
        } else {
            for file in files {
                report(input.analyze(file, with: analyzer, into: collector), to: diagnosticOutput)
            }
        }
        let totals = collector.close()
        standardOutput.flush()
        diagnosticOutput.flush()
        if totals.exitStatus != 0 { throw ExitCode(totals.exitStatus) }
    }

    private func renderer(for output: StandardOutput, knownEntries: Int) -> any TriageRenderer {
        switch format {
        case .text:
            let style: TerminalStyle
            switch color {
            case .auto:
                style = .automatic(isTerminal: output.isTerminal, environment: ProcessInfo.processInfo.environment)
            case .always: style = TerminalStyle(usesColor: true)
            case .never: style = TerminalStyle(usesColor: false)
            }
            return TriageTextRenderer(output: output, style: style)
        case .json: return TriageJSONRenderer(output: output)
        case .jsonl: return TriageJSONLinesRenderer(output: output)
        case .sarif: return TriageSARIFRenderer(output: output, toolVersion: KsleuthCommand.configuration.version)
        case .junit:
            return TriageJUnitRenderer(
                output: output, timestamp: Self.timestamp(), hostname: ProcessInfo.processInfo.hostName,
                properties: [
                    ("ksleuth.version", KsleuthCommand.configuration.version), ("warnings", warnings.rawValue),
                    ("known_entries", String(knownEntries)),
                ])
        }
    }

    /// Writes the errors of an unusable input to standard error.
    private func report(_ summary: InputSummary, to diagnosticOutput: StandardOutput) {
        for diagnostic in summary.diagnostics where diagnostic.severity == .error {
            diagnosticOutput.write(
                "ksleuth: error: \(TerminalSanitizer.sanitize(summary.file)): "
                    + "\(TerminalSanitizer.sanitize(diagnostic.message))\n")
        }
        diagnosticOutput.flush()
    }

    /// Now (or `SOURCE_DATE_EPOCH`, for reproducible reports) as `YYYY-MM-DDTHH:MM:SS` in UTC.
    static func timestamp() -> String {
        let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap { TimeInterval($0) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: epoch.map { Date(timeIntervalSince1970: $0) } ?? Date())
    }
}
