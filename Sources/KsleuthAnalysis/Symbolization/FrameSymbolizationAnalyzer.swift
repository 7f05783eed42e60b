// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthSymbols

/// Resolves the call-trace frames of every crash incident against the run's kernel symbols,
/// once the incident is closed, and attaches to each frame its `file`, `line`, `column` and
/// the chain of functions inlined into it at that address.
///
/// ```
///  bar_probe+0x14/0x20    →  file drivers/foo/bar.c, line 2, column 57,
///                             inlined_frames [helper include/linux/helper.h:2:73]
/// ```
///
/// It runs before the crash-identity stage, so that the guilty file comes from the first
/// reliable symbolized frame outside the skip list, as syzkaller takes it from a symbolized
/// report. Titles do not change: like syzkaller, ksleuth names a crash from the report as
/// printed, so the bucket is the same with or without a `vmlinux`.
///
/// Frames are resolved by name (`func+0xoff/0xsize [module]`), so KASLR does not matter.
/// Return addresses are looked up one byte back; the faulting position (`RIP:`, `pc :`, `NIP`,
/// `PC is at`, the first frame after arm64's `Call trace:`) where it is. Frames the log already
/// symbolized (`func+0x1d/0x60 fs/x.c:12`) are kept as printed.
///
/// The pipeline makes one per input; what went wrong (a build id mismatch, frames naming
/// symbols the `vmlinux` lacks, a module not found, damaged DWARF) is listed once in
/// ``diagnostics``, and frames are still resolved where they can be.
public final class FrameSymbolizationAnalyzer: IncidentAnalyzer, @unchecked Sendable {
    /// Every crash-family kind.
    public var kinds: Set<IncidentKind>? { CrashIdentityAnalyzer.crashKinds }

    private let symbols: KernelSymbols
    // Guarded by `symbols`' lock.
    private let resolver: LogSymbolizer

    /// A stage for one input over the run's shared `symbols`.
    public init(symbols: KernelSymbols) {
        self.symbols = symbols
        resolver = symbols.makeResolver()
    }

    public func analyze(_ incident: inout Incident) {
        let lines = incident.lines.map(\.text)
        var trace = incident.callTrace ?? CallTrace.parse(lines)
        guard !trace.isEmpty else { return }
        symbols.withLock {
            for line in lines { resolver.checkBuildID(ofLogLine: line) }
            if var frame = trace.faultingFrame {
                symbolize(&frame, isFaulting: true)
                trace.faultingFrame = frame
            }
            for index in trace.frames.indices {
                let isFaulting = Self.isFaultingPosition(trace.frames[index], lines: lines)
                symbolize(&trace.frames[index], isFaulting: isFaulting)
            }
        }
        incident.callTrace = trace
    }

    /// The warnings met in this input so far, one diagnostic each (code `symbolization`).
    public var diagnostics: [Diagnostic] {
        symbols.withLock {
            resolver.warnings.map { Diagnostic(code: "symbolization", severity: .warning, message: $0) }
        }
    }

    /// Whether `frame` is a program-counter position rather than a return address: read from a
    /// register line, or the first frame after arm64's `Call trace:` (the pc again).
    static func isFaultingPosition(_ frame: StackFrame, lines: [String]) -> Bool {
        guard frame.lineIndex >= 0, frame.lineIndex < lines.count else { return false }
        if StackFrameReference.isFaultingLine(lines[frame.lineIndex]) { return true }
        return frame.lineIndex > 0 && lines[frame.lineIndex - 1].hasSuffix("Call trace:")
    }

    private func symbolize(_ frame: inout StackFrame, isFaulting: Bool) {
        guard frame.file == nil, !frame.isInlined, let offset = frame.offset else { return }
        let resolution = resolver.resolve(
            symbol: frame.function, offset: offset, size: frame.size, module: frame.module, isFaulting: isFaulting)
        guard let outermost = resolution.frames.last, outermost.file != nil else { return }
        frame.file = outermost.file
        frame.line = outermost.line > 0 ? Int(outermost.line) : nil
        frame.column = outermost.column > 0 ? Int(outermost.column) : nil
        frame.inlinedFrames = resolution.frames.dropLast().map { inner in
            StackFrame(
                function: inner.function ?? "??", module: frame.module, isReliable: frame.isReliable,
                section: frame.section, file: inner.file, line: inner.line > 0 ? Int(inner.line) : nil,
                isInlined: true, lineIndex: frame.lineIndex, column: inner.column > 0 ? Int(inner.column) : nil)
        }
    }
}
