// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One frame line of a log, resolved.
public struct ResolvedLogFrame: Sendable {
    /// The 1-based line number in the log.
    public var lineNumber: Int
    /// The frame as the line names it.
    public var reference: StackFrameReference
    /// The link-time address looked up (already adjusted by one for return addresses), `nil`
    /// when the frame could not be placed.
    public var lookupAddress: UInt64?
    /// The symbol a bare raw address resolved to, with the offset into it.
    public var resolvedSymbol: (name: String, offset: UInt64, size: UInt64)?
    /// The source frames, innermost first; empty without debug information.
    public var frames: [SourceFrame]
}

/// Where one `func+0xoff/0xsize [module]` frame is: the address looked up and its source frames.
public struct FrameResolution: Sendable, Hashable {
    /// The link-time address looked up (adjusted by one for a return address), `nil` when
    /// neither the image nor the module has the symbol.
    public var lookupAddress: UInt64?
    /// The source frames, innermost inlined frame first; empty without debug information.
    public var frames: [SourceFrame]

    /// A resolution of `frames` (innermost first) found at `lookupAddress`.
    public init(lookupAddress: UInt64?, frames: [SourceFrame]) {
        self.lookupAddress = lookupAddress
        self.frames = frames
    }
}

/// Symbolizes the frames of a kernel log, as `decode_stacktrace.sh` does, from a `vmlinux`,
/// a `System.map` and a directory of modules: `func+0xoff` frames by name (KASLR does not
/// matter), raw addresses through the KASLR offset (stated or solved).
///
/// Frames that name a kernel symbol the image does not have, or do not fit it
/// (`func+0x1d/0x60` where the image's `func` is 0x80 long), are counted: they mean
/// the `vmlinux` or `System.map` is not the one the log's kernel was built from, and
/// ``warnings`` says so once.
public final class LogSymbolizer {
    private let kernel: Symbolizer?
    private let systemMap: SystemMap?
    private let modules: ModuleDirectory?
    private let stripPrefix: String?
    private var recorded: [String] = []
    private var missingSymbols: [String] = []
    private var missingSymbolCount = 0
    private var sizeMismatches: [String] = []
    private var sizeMismatchCount = 0
    private var matchedFrames = 0
    private var missingModules: Set<String> = []
    private var modulesWithoutDirectory: [String] = []
    private var checkedModules: Set<String> = []
    /// The KASLR offset used for raw addresses, `nil` when none was known.
    public private(set) var kaslr: KASLROffset?

    /// A symbolizer over the given sources (any may be absent); `stripPrefix` is removed
    /// from the front of DWARF file names (the kernel build directory).
    public init(kernel: Symbolizer?, systemMap: SystemMap?, modules: ModuleDirectory?, stripPrefix: String? = nil) {
        self.kernel = kernel
        self.systemMap = systemMap
        self.modules = modules
        self.stripPrefix = stripPrefix.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        if let systemMap { recorded += systemMap.warnings.map { "System.map: \($0)" } }
    }

    /// The warnings met so far (build id mismatch, symbols the image does not have, missing
    /// modules, damaged DWARF), one line each, each once.
    public var warnings: [String] {
        var result = recorded
        if missingSymbolCount > 0 || sizeMismatchCount > 0 {
            var parts: [String] = []
            if missingSymbolCount > 0 {
                parts.append(
                    "\(missingSymbolCount) \(missingSymbolCount == 1 ? "names" : "name") a symbol it does not have ("
                        + missingSymbols.joined(separator: ", ") + ")")
            }
            if sizeMismatchCount > 0 {
                parts.append(
                    "\(sizeMismatchCount) \(sizeMismatchCount == 1 ? "does" : "do") not fit its symbol ("
                        + sizeMismatches.joined(separator: "; ") + ")")
            }
            let total = matchedFrames + missingSymbolCount + sizeMismatchCount
            result.append(
                "\(kernelSourceName) does not match \(missingSymbolCount + sizeMismatchCount) of \(total) kernel "
                    + "frame(s): " + parts.joined(separator: ", ") + " (wrong vmlinux or System.map?)")
        }
        if !modulesWithoutDirectory.isEmpty {
            let names = modulesWithoutDirectory.prefix(5).joined(separator: ", ")
            let more = modulesWithoutDirectory.count > 5 ? ", …" : ""
            result.append(
                "frames of \(modulesWithoutDirectory.count) module(s) not resolved (\(names)\(more)): no --modules given"
            )
        }
        if let kernel {
            for warning in kernel.warnings where !result.contains(warning) { result.append(warning) }
        }
        return result
    }

    private var kernelSourceName: String {
        if let kernel { return kernel.file.path }
        return "the System.map"
    }

    /// Resolves every frame line of `lines`.
    public func resolve(_ lines: [String]) -> [ResolvedLogFrame] {
        var references: [(Int, StackFrameReference)] = []
        var inArm64Trace = false
        var firstInTrace = false
        var stated: KASLROffset?
        for (index, line) in lines.enumerated() {
            if let offset = KASLROffset.parse(line: line) { stated = offset }
            checkBuildID(ofLogLine: line)
            if line.hasSuffix("Call trace:") {
                inArm64Trace = true
                firstInTrace = true
                continue
            }
            guard let reference = StackFrameReference.parse(line, faultingHint: inArm64Trace && firstInTrace) else {
                if inArm64Trace && !line.contains("+0x") { inArm64Trace = false }
                continue
            }
            firstInTrace = false
            references.append((index + 1, reference))
        }
        kaslr = stated ?? solveKASLR(references.map(\.1))
        var results: [ResolvedLogFrame] = []
        for (lineNumber, reference) in references {
            var result = ResolvedLogFrame(
                lineNumber: lineNumber, reference: reference, lookupAddress: nil, resolvedSymbol: nil, frames: [])
            if let name = reference.symbol {
                let resolution = resolve(
                    symbol: name, offset: reference.offset, size: reference.size, module: reference.module,
                    moduleBuildID: reference.moduleBuildID, isFaulting: reference.isFaulting)
                result.lookupAddress = resolution.lookupAddress
                result.frames = resolution.frames
            } else if let runtime = reference.address, reference.module == nil {
                let link = runtime &- (kaslr?.offset ?? 0)
                let lookup = reference.isFaulting || link == 0 ? link : link - 1
                let table = kernel?.symbols ?? systemMap?.table
                if let found = table?.symbol(containing: lookup), found.symbol.isText {
                    result.lookupAddress = lookup
                    let offset = reference.isFaulting ? found.offset : found.offset + 1
                    result.resolvedSymbol = (found.symbol.name, offset, found.symbol.size)
                    if let kernel, kernel.hasDebugInfo { result.frames = cleaned(kernel.frames(at: lookup)) }
                }
            }
            results.append(result)
        }
        return results
    }

    /// Resolves one frame by name: `name+0xoffset/0xsize`, in `module` when it names one.
    ///
    /// A return address is looked up one byte back (in the call instruction), the faulting
    /// position where it is. Kernel frames whose symbol the image lacks, or whose offset or
    /// printed size (kallsyms' distance to the next symbol) is shorter than the image's
    /// function, are counted for ``warnings``; so is a module not found, or named without a
    /// module directory to look in.
    public func resolve(
        symbol name: String, offset: UInt64, size: UInt64?, module: String?, moduleBuildID: String? = nil,
        isFaulting: Bool
    ) -> FrameResolution {
        var resolution = FrameResolution(lookupAddress: nil, frames: [])
        if let module {
            guard let modules else {
                if !modulesWithoutDirectory.contains(module) { modulesWithoutDirectory.append(module) }
                return resolution
            }
            guard let symbolizer = modules.symbolizer(for: module) else {
                if missingModules.insert(module).inserted {
                    let reason = modules.failure(of: module).map { ": \($0)" } ?? " under --modules"
                    record("module \(module): not found\(reason)")
                }
                return resolution
            }
            if checkedModules.insert(module).inserted {
                checkBuildID(module: module, printed: moduleBuildID, of: symbolizer)
            }
            guard let address = symbolizer.address(ofSymbol: name, offset: offset, size: size) else {
                return resolution
            }
            let lookup = isFaulting || address == 0 ? address : address - 1
            resolution.lookupAddress = lookup
            if symbolizer.hasDebugInfo { resolution.frames = cleaned(symbolizer.frames(at: lookup)) }
            return resolution
        }
        guard kernel != nil || systemMap != nil else { return resolution }
        let found =
            kernel?.symbols.resolve(name: name, offset: offset, size: size)
            ?? systemMap?.table.resolve(name: name, offset: offset, size: size)
        guard let symbol = found else {
            missingSymbolCount += 1
            if missingSymbols.count < 5, !missingSymbols.contains(name) { missingSymbols.append(name) }
            return resolution
        }
        // The kernel prints kallsyms' size, the distance to the next symbol, which is never
        // less than the function's own length; nor can a return address lie past its end.
        if symbol.size > 0, offset > symbol.size || (size.map { $0 < symbol.size } ?? false) {
            sizeMismatchCount += 1
            if sizeMismatches.count < 3 {
                let printed =
                    "\(name)+0x\(String(offset, radix: 16))" + (size.map { "/0x\(String($0, radix: 16))" } ?? "")
                sizeMismatches.append("\(printed), there 0x\(String(symbol.size, radix: 16)) long")
            }
        } else {
            matchedFrames += 1
        }
        let base = symbol.address &+ offset
        let lookup = isFaulting || base == 0 ? base : base - 1
        resolution.lookupAddress = lookup
        if let kernel, kernel.hasDebugInfo { resolution.frames = cleaned(kernel.frames(at: lookup)) }
        return resolution
    }

    /// Checks the build id a `CPU: … PID: …` line ends with (kernels built with
    /// `CONFIG_STACKTRACE_BUILD_ID`) against the `vmlinux`'s, and warns once when they differ.
    ///
    /// ```
    /// CPU: 1 PID: 417 Comm: modprobe Not tainted 6.1.0 #1 5b7bd81a0c8a3b2f1f7ad4e0b7e3c2d1a9f80e11
    /// ```
    public func checkBuildID(ofLogLine line: String) {
        guard let kernel, line.contains("CPU: "), line.contains("PID: ") else { return }
        guard let printed = line.split(separator: " ").last, printed.count == 40, printed.allSatisfy(\.isHexDigit),
            let own = kernel.file.buildID, own != printed.lowercased()
        else { return }
        record("build id mismatch: the log's kernel is \(printed), \(kernel.file.path) is \(own) (wrong vmlinux?)")
    }

    /// The log with every resolved frame line annotated: `func+0x1d/0x60 (file.c:12,
    /// inlined bar file.h:30)`, the function's own position first, then the calls inlined
    /// into it, innermost last.
    public func annotate(_ lines: [String], frames: [ResolvedLogFrame]) -> [String] {
        var output = lines
        for frame in frames {
            guard let annotation = Self.annotation(for: frame) else { continue }
            let index = frame.lineNumber - 1
            guard index >= 0, index < output.count else { continue }
            var line = lines[index]
            line.insert(contentsOf: annotation, at: frame.reference.insertionPoint)
            output[index] = line
        }
        return output
    }

    private static func annotation(for frame: ResolvedLogFrame) -> String? {
        var text = ""
        if let symbol = frame.resolvedSymbol {
            text += " \(symbol.name)+0x\(String(symbol.offset, radix: 16))"
            if symbol.size > 0 { text += "/0x\(String(symbol.size, radix: 16))" }
        }
        let known = frame.frames.filter { $0.file != nil }
        if !known.isEmpty {
            let outermost = frame.frames[frame.frames.count - 1]
            var parts = [outermost.location]
            for inner in frame.frames.dropLast().reversed() {
                parts.append("inlined \(inner.function ?? "??") \(inner.location)")
            }
            text += " (" + parts.joined(separator: ", ") + ")"
        }
        return text.isEmpty ? nil : text
    }

    private func record(_ warning: String) {
        if !recorded.contains(warning) { recorded.append(warning) }
    }

    private func cleaned(_ frames: [SourceFrame]) -> [SourceFrame] {
        guard let stripPrefix else { return frames }
        return frames.map { frame in
            var copy = frame
            if let file = frame.file, file.hasPrefix(stripPrefix) {
                copy.file = String(file.dropFirst(stripPrefix.count))
            }
            return copy
        }
    }

    private func solveKASLR(_ references: [StackFrameReference]) -> KASLROffset? {
        let table = kernel?.symbols ?? systemMap?.table
        guard let table else { return nil }
        var pairs: [(runtime: UInt64, link: UInt64)] = []
        for reference in references where reference.module == nil {
            guard let runtime = reference.address, let name = reference.symbol,
                let symbol = table.resolve(name: name, offset: reference.offset, size: reference.size)
            else { continue }
            pairs.append((runtime, symbol.address &+ reference.offset))
        }
        return KASLROffset.solve(pairs: pairs)
    }

    private func checkBuildID(module: String, printed: String?, of symbolizer: Symbolizer) {
        guard let printed, let own = symbolizer.file.buildID, own != printed.lowercased() else { return }
        record("module \(module): build id mismatch, log \(printed), \(symbolizer.file.path) \(own)")
    }
}
