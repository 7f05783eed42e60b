// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// The validated settings of one analysis run, built by the command line from its flags.
public struct AnalysisConfiguration: Sendable {
    /// Lines are cut to this many bytes.
    public var maximumLineLength: Int
    /// Bytes read from an input at once.
    public var chunkSize: Int
    /// Caps on each incident.
    public var limits: IncidentLimits
    /// Analyzers run after the standard ones: the stages later in the data flow that the
    /// command line adds (matching the signature database).
    public var additionalAnalyzers: [any IncidentAnalyzer]
    /// The kernel's symbols (`--vmlinux`, `--system-map`, `--modules`): when set, every input
    /// gets a ``FrameSymbolizationAnalyzer`` before the crash-identity stage, so frames carry
    /// files and lines and the guilty file comes from them.
    public var kernelSymbols: KernelSymbols?

    public init(
        maximumLineLength: Int = 64 * 1024, chunkSize: Int = 1 << 20, limits: IncidentLimits = .standard,
        additionalAnalyzers: [any IncidentAnalyzer] = [], kernelSymbols: KernelSymbols? = nil
    ) {
        self.maximumLineLength = maximumLineLength
        self.chunkSize = chunkSize
        self.limits = limits
        self.additionalAnalyzers = additionalAnalyzers
        self.kernelSymbols = kernelSymbols
    }
}
