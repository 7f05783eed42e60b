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
/// Frames the kernel printed as raw addresses only, because it could not name them
/// (` ? 0xffffffffc04f9000`, ` [<c0123456>] (0xc0123456)`, `RIP: 0010:0xffffffffc0a01234`), are
/// added to the trace named by the symbols: through the KASLR offset of the report's
/// `Kernel Offset:` line or the one its frames with both an address and a symbol agree on,
/// and the modules' load addresses from `--proc-modules` or solved from frames naming them.
/// A solved offset is a `symbolization` note.
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
        let unnamed = Self.unnamedFrames(in: lines, besides: trace)
        guard !trace.isEmpty || !unnamed.isEmpty else { return }
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
            // Frames the model read as addresses only (`[<ffffffff810002b8>] 0xffffffff810002b8`).
            let addressOnly = trace.frames.indices.filter {
                trace.frames[$0].function.isEmpty && trace.frames[$0].address != nil
            }
            guard !unnamed.isEmpty || !addressOnly.isEmpty else { return }
            // The report's printk context (its `Kernel Offset:` line, printed after the trace)
            // with the lines before its header.
            let context = incident.contextLines.isEmpty ? lines : lines[..<incident.headerIndex] + incident.contextLines
            let layout = resolver.runtimeLayout(of: Array(context))
            for index in addressOnly {
                let printed = trace.frames[index]
                guard let address = printed.address,
                    let resolved = resolver.resolve(
                        rawAddress: address, isFaulting: Self.isFaultingPosition(printed, lines: lines), in: layout)
                else { continue }
                trace.frames[index] = Self.frame(
                    resolved, address: address, lineIndex: printed.lineIndex, section: printed.section,
                    isReliable: printed.isReliable)
            }
            for candidate in unnamed {
                // One faulting position per report: old x86 prints it again (`RIP: 0010:[<…>]`).
                if candidate.reference.isFaulting, trace.faultingFrame != nil { continue }
                guard let address = candidate.reference.address,
                    let resolved = resolver.resolve(
                        rawAddress: address, isFaulting: candidate.reference.isFaulting, in: layout)
                else { continue }
                let frame = Self.frame(
                    resolved, address: address, lineIndex: candidate.lineIndex, section: candidate.section,
                    isReliable: candidate.reference.isReliable)
                if candidate.reference.isFaulting {
                    trace.faultingFrame = frame
                } else {
                    let position =
                        trace.frames.firstIndex { $0.lineIndex > candidate.lineIndex } ?? trace.frames.endIndex
                    trace.frames.insert(frame, at: position)
                }
            }
        }
        incident.callTrace = trace
    }

    /// A line the kernel printed as a raw address only, which the call-trace model holds no
    /// frame for, with the stack section it was printed in.
    struct UnnamedFrame {
        var lineIndex: Int
        var reference: StackFrameReference
        var section: StackFrame.Section
    }

    /// The lines of `lines` that are frames of raw addresses only, other than those `trace`
    /// already read.
    static func unnamedFrames(in lines: [String], besides trace: CallTrace) -> [UnnamedFrame] {
        var read = Set(trace.frames.map(\.lineIndex))
        if let faulting = trace.faultingFrame { read.insert(faulting.lineIndex) }
        var sections: [StackFrame.Section] = []
        var result: [UnnamedFrame] = []
        for (index, line) in lines.enumerated() {
            if let marker = FrameGrammar.sectionMarker(Array(line.utf8)) {
                switch marker {
                case .enter(let section): if sections.count < 16 { sections.append(section) }
                case .leave: if !sections.isEmpty { sections.removeLast() }
                case .task: sections.removeAll()
                }
                continue
            }
            guard !read.contains(index), line.contains("0x") || line.contains("[<"),
                let reference = StackFrameReference.parseUnnamed(kernelText: line)
            else { continue }
            result.append(UnnamedFrame(lineIndex: index, reference: reference, section: sections.last ?? .task))
        }
        return result
    }

    /// The trace frame of a raw address: named by the symbols, with its source position and
    /// inline chain when the symbols have DWARF.
    private static func frame(
        _ resolved: RawAddressResolution, address: UInt64, lineIndex: Int, section: StackFrame.Section,
        isReliable reliable: Bool
    ) -> StackFrame {
        var frame = StackFrame(
            address: address, function: resolved.symbol, offset: resolved.offset,
            size: resolved.size > 0 ? resolved.size : nil, module: resolved.module, isReliable: reliable,
            section: section, lineIndex: lineIndex)
        if let outermost = resolved.frames.last, outermost.file != nil {
            frame.file = outermost.file
            frame.line = outermost.line > 0 ? Int(outermost.line) : nil
            frame.column = outermost.column > 0 ? Int(outermost.column) : nil
            frame.inlinedFrames = resolved.frames.dropLast().map { inner in
                StackFrame(
                    function: inner.function ?? "??", module: resolved.module, isReliable: reliable,
                    section: section, file: inner.file, line: inner.line > 0 ? Int(inner.line) : nil,
                    isInlined: true, lineIndex: lineIndex, column: inner.column > 0 ? Int(inner.column) : nil)
            }
        }
        return frame
    }

    /// The warnings met in this input so far, then what was solved (a KASLR offset, a module's
    /// load address, with how many frames agreed), one diagnostic each (code `symbolization`).
    public var diagnostics: [Diagnostic] {
        symbols.withLock {
            resolver.warnings.map { Diagnostic(code: "symbolization", severity: .warning, message: $0) }
                + resolver.notes.map { Diagnostic(code: "symbolization", severity: .note, message: $0) }
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
