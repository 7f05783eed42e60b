// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import KsleuthAnalysis
import KsleuthEvents

/// Options shared by the commands that write reports.
public struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: text, json or jsonl.")
    public var format: OutputFormat = .text

    @Option(name: .long, help: "Colour text output: auto (on a terminal, unless NO_COLOR is set), always or never.")
    public var color: ColorChoice = .auto

    @Option(name: .long, help: "Evidence lines shown per incident in text output.")
    public var excerptLines: Int = 12

    public init() {}
}

/// Options that shape how inputs are read.
public struct InputOptions: ParsableArguments {
    @Option(name: .long, help: "Cut lines longer than this many bytes (each cut is counted and reported).")
    public var maxLineLength: Int = 64 * 1024

    @Option(name: .long, help: "Close an incident as truncated once it holds this many lines.")
    public var maxIncidentLines: Int = 4000

    public init() {}

    /// The analysis settings these options describe, with the later stages to run.
    func configuration(additionalAnalyzers: [any IncidentAnalyzer]) -> AnalysisConfiguration {
        var limits = IncidentLimits.standard
        limits.maximumLines = maxIncidentLines
        return AnalysisConfiguration(
            maximumLineLength: maxLineLength, limits: limits, additionalAnalyzers: additionalAnalyzers)
    }

    public func validate() throws {
        guard maxLineLength >= 256 else { throw ValidationError("--max-line-length must be at least 256") }
        guard maxIncidentLines >= 10 else { throw ValidationError("--max-incident-lines must be at least 10") }
    }
}
