// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthInput
import KsleuthReports

/// `ksleuth analyze [FILE|-]…`: find every incident in kernel logs and report it.
public struct AnalyzeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Find and explain the crashes, OOM kills and lockups in kernel logs.",
        discussion: """
            Reads plain, gzip, xz and zstd logs in every format the kernel's messages reach a file \
            in (dmesg, dmesg -T/-x, /dev/kmsg, syslog, journalctl, serial consoles, pstore). With no \
            file, reads this machine's kernel log.

            Exit status: 0 when every input was read, 2 when an input could not be used.
            """)

    @Argument(help: "Log files to read; - for standard input. None: this machine's kernel log.")
    public var files: [String] = []

    @OptionGroup public var output: OutputOptions
    @OptionGroup public var input: InputOptions
    @OptionGroup public var signatureOptions: SignatureOptions
    @OptionGroup(title: "Symbols") public var symbolOptions: SymbolOptions

    public init() {}

    public func run() throws {
        let standardOutput = StandardOutput()
        let diagnosticOutput = StandardOutput(descriptor: STDERR_FILENO)
        let environment = ProcessInfo.processInfo.environment
        let style: TerminalStyle
        switch output.color {
        case .auto: style = .automatic(isTerminal: standardOutput.isTerminal, environment: environment)
        case .always: style = TerminalStyle(usesColor: true)
        case .never: style = TerminalStyle(usesColor: false)
        }
        var configuration = input.configuration(
            additionalAnalyzers: try signatureOptions.analyzers(reportingTo: diagnosticOutput))
        configuration.kernelSymbols = try symbolOptions.kernelSymbols(reportingTo: diagnosticOutput)
        let analyzer = LogAnalyzer(configuration: configuration)

        let renderer: any IncidentSink
        var jsonRenderer: JSONRenderer?
        switch output.format {
        case .text: renderer = TextRenderer(output: standardOutput, style: style, excerptLines: output.excerptLines)
        case .json:
            let json = JSONRenderer(output: standardOutput)
            jsonRenderer = json
            renderer = json
        case .jsonl: renderer = JSONLinesRenderer(output: standardOutput, diagnosticOutput: diagnosticOutput)
        }

        var unusable = false
        if files.isEmpty {
            do {
                let opened = try SystemKernelLog.open()
                diagnosticOutput.write("ksleuth: \(opened.origin)\n")
                diagnosticOutput.flush()
                unusable = analyzer.analyze(opened.input, into: renderer).isUnusable
                opened.process?.waitUntilExit()
            } catch {
                jsonRenderer?.close()
                diagnosticOutput.write("ksleuth: error: \(error.message)\n")
                diagnosticOutput.flush()
                throw ExitCode(2)
            }
        } else {
            for file in files {
                let summary = input.analyze(file, with: analyzer, into: renderer)
                if summary.isUnusable {
                    unusable = true
                    if output.format != .jsonl {
                        for diagnostic in summary.diagnostics where diagnostic.severity == .error {
                            diagnosticOutput.write("ksleuth: error: \(file): \(diagnostic.message)\n")
                        }
                    }
                }
            }
        }
        jsonRenderer?.close()
        standardOutput.flush()
        diagnosticOutput.flush()
        if unusable { throw ExitCode(2) }
    }
}
