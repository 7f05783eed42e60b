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

/// Symbolizes the frames of a kernel log, as `decode_stacktrace.sh` does, from a `vmlinux`,
/// a `System.map` and a directory of modules: `func+0xoff` frames by name (KASLR does not
/// matter), raw addresses through the KASLR offset (stated or solved).
public final class LogSymbolizer {
    private let kernel: Symbolizer?
    private let systemMap: SystemMap?
    private let modules: ModuleDirectory?
    private let stripPrefix: String?
    /// The warnings met (build id mismatch, missing modules, damaged DWARF), one line each.
    public private(set) var warnings: [String] = []
    /// The KASLR offset used for raw addresses, `nil` when none was known.
    public private(set) var kaslr: KASLROffset?

    public init(kernel: Symbolizer?, systemMap: SystemMap?, modules: ModuleDirectory?, stripPrefix: String? = nil) {
        self.kernel = kernel
        self.systemMap = systemMap
        self.modules = modules
        self.stripPrefix = stripPrefix.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        if let systemMap { warnings += systemMap.warnings.map { "System.map: \($0)" } }
    }

    /// Resolves every frame line of `lines`.
    public func resolve(_ lines: [String]) -> [ResolvedLogFrame] {
        var references: [(Int, StackFrameReference)] = []
        var inArm64Trace = false
        var firstInTrace = false
        var stated: KASLROffset?
        var missingModules: Set<String> = []
        var checkedModules: Set<String> = []
        for (index, line) in lines.enumerated() {
            if let offset = KASLROffset.parse(line: line) { stated = offset }
            checkBuildID(onCPULine: line)
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
                if let module = reference.module {
                    guard let symbolizer = modules?.symbolizer(for: module) else {
                        if missingModules.insert(module).inserted {
                            let reason = modules?.failure(of: module).map { ": \($0)" } ?? " under --modules"
                            warnings.append("module \(module): not found\(reason)")
                        }
                        results.append(result)
                        continue
                    }
                    if checkedModules.insert(module).inserted { checkBuildID(reference, of: symbolizer) }
                    result.lookupAddress = symbolizer.address(
                        ofSymbol: name, offset: reference.offset, size: reference.size)
                    if let address = result.lookupAddress {
                        let lookup = reference.isFaulting || address == 0 ? address : address - 1
                        result.lookupAddress = lookup
                        if symbolizer.hasDebugInfo { result.frames = cleaned(symbolizer.frames(at: lookup)) }
                    }
                } else {
                    let base =
                        kernel?.address(ofSymbol: name, offset: reference.offset, size: reference.size)
                        ?? systemMap?.table.resolve(name: name, offset: reference.offset, size: reference.size)
                        .map { $0.address &+ reference.offset }
                    if let base {
                        let lookup = reference.isFaulting || base == 0 ? base : base - 1
                        result.lookupAddress = lookup
                        if let kernel, kernel.hasDebugInfo { result.frames = cleaned(kernel.frames(at: lookup)) }
                    }
                }
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
        if let kernel { warnings += kernel.warnings }
        return results
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

    private func checkBuildID(onCPULine line: String) {
        guard let kernel, line.contains("CPU: "), line.contains("PID: ") else { return }
        guard let printed = line.split(separator: " ").last, printed.count == 40, printed.allSatisfy(\.isHexDigit),
            let own = kernel.file.buildID, own != printed.lowercased()
        else { return }
        let warning =
            "build id mismatch: the log's kernel is \(printed), \(kernel.file.path) is \(own) (wrong vmlinux?)"
        if !warnings.contains(warning) { warnings.append(warning) }
    }

    private func checkBuildID(_ reference: StackFrameReference, of module: Symbolizer) {
        guard let printed = reference.moduleBuildID, let own = module.file.buildID, own != printed.lowercased() else {
            return
        }
        warnings.append(
            "module \(reference.module ?? "?"): build id mismatch, log \(printed), \(module.file.path) \(own)")
    }
}
