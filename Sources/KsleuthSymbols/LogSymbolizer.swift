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
    /// The module a bare raw address resolved into, `nil` for the kernel image.
    public var resolvedModule: String?
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

/// Where one raw runtime address (`[<ffffffffc0461a2c>]`, ` ? 0xffffffff9e2a1b40`) is: the
/// symbol holding it, as the kernel would have printed it, and its source frames.
public struct RawAddressResolution: Sendable, Hashable {
    /// The address looked up, in the image's link-time terms or the module file's (placed at
    /// 0), adjusted by one for a return address.
    public var lookupAddress: UInt64
    /// The function, with the offset `%pS` would print (the runtime address's, unadjusted)
    /// and its size.
    public var symbol: String
    public var offset: UInt64
    public var size: UInt64
    /// The module holding the address, `nil` for the kernel image.
    public var module: String?
    /// The source frames, innermost inlined frame first; empty without debug information.
    public var frames: [SourceFrame]

    public init(
        lookupAddress: UInt64, symbol: String, offset: UInt64, size: UInt64, module: String?, frames: [SourceFrame]
    ) {
        self.lookupAddress = lookupAddress
        self.symbol = symbol
        self.offset = offset
        self.size = size
        self.module = module
        self.frames = frames
    }
}

/// Symbolizes the frames of a kernel log, as `decode_stacktrace.sh` does, from a `vmlinux`,
/// a `System.map` and a directory of modules: `func+0xoff` frames by name (KASLR does not
/// matter), raw addresses through the KASLR offset (stated or solved) and the modules' load
/// addresses (from `/proc/modules`, or solved from frames that name the module).
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
    private let procModules: ProcModules?
    private var recorded: [String] = []
    private var recordedNotes: [String] = []
    private var unplacedRawCount = 0
    private var unplacedRaw: [UInt64] = []
    private var rawWithoutOffset = 0
    private var missingSymbols: [String] = []
    private var missingSymbolCount = 0
    private var sizeMismatches: [String] = []
    private var sizeMismatchCount = 0
    private var matchedFrames = 0
    private var missingModules: Set<String> = []
    private var modulesWithoutDirectory: [String] = []
    private var checkedModules: Set<String> = []
    /// Where the kernel and its modules ran, as the last ``resolve(_:)`` learnt it.
    public private(set) var layout = KernelRuntimeLayout()
    /// The KASLR offset used for raw addresses, `nil` when none was known.
    public var kaslr: KASLROffset? { layout.kaslr }

    /// A symbolizer over the given sources (any may be absent); `stripPrefix` is removed
    /// from the front of DWARF file names (the kernel build directory), `procModules` gives
    /// the modules' load addresses for raw addresses.
    public init(
        kernel: Symbolizer?, systemMap: SystemMap?, modules: ModuleDirectory?, stripPrefix: String? = nil,
        procModules: ProcModules? = nil
    ) {
        self.kernel = kernel
        self.systemMap = systemMap
        self.modules = modules
        self.stripPrefix = stripPrefix.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        self.procModules = procModules
        if let systemMap { recorded += systemMap.warnings.map { "System.map: \($0)" } }
        if let procModules { recorded += procModules.warnings.map { "/proc/modules: \($0)" } }
    }

    /// What was learnt rather than read (a KASLR offset or a module's load address solved
    /// from frames, and how many frames agreed), one line each, each once.
    public var notes: [String] { recordedNotes }

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
        if rawWithoutOffset > 0 {
            result.append(
                "\(rawWithoutOffset) raw address(es) looked up without a KASLR offset: the log has no `Kernel Offset:` "
                    + "line and no frame printing both an address and a symbol (wrong if KASLR moved the kernel)")
        }
        if unplacedRawCount > 0 {
            let first = unplacedRaw.map { "0x" + String($0, radix: 16) }.joined(separator: ", ")
            result.append(
                "\(unplacedRawCount) raw address(es) lie in no known symbol or module (first: \(first))")
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
            // A raw address alone is a frame only on a line of nothing else (not `[00000009]
            // *pgd=00000000`, nor a register dump).
            if reference.symbol == nil,
                StackFrameReference.parseUnnamed(kernelText: String(StackFrameReference.kernelText(of: line))) == nil
            {
                continue
            }
            firstInTrace = false
            references.append((index + 1, reference))
        }
        layout = runtimeLayout(references: references.map(\.1), stated: stated)
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
            } else if let runtime = reference.address,
                let found = resolve(rawAddress: runtime, isFaulting: reference.isFaulting, in: layout)
            {
                result.lookupAddress = found.lookupAddress
                result.resolvedSymbol = (found.symbol, found.offset, found.size)
                result.resolvedModule = found.module
                result.frames = found.frames
            }
            results.append(result)
        }
        return results
    }

    /// Where the kernel that printed `lines` ran: the KASLR offset a `Kernel Offset:` line
    /// states, else the one its frames agree on; the modules' load addresses from
    /// `/proc/modules`, else those the frames naming each module agree on.
    public func runtimeLayout(of lines: [String]) -> KernelRuntimeLayout {
        var stated: KASLROffset?
        var references: [StackFrameReference] = []
        for line in lines {
            if let offset = KASLROffset.parse(line: line) { stated = offset }
            if let reference = StackFrameReference.parse(line), reference.address != nil, reference.symbol != nil {
                references.append(reference)
            }
        }
        return runtimeLayout(references: references, stated: stated)
    }

    private func runtimeLayout(references: [StackFrameReference], stated: KASLROffset?) -> KernelRuntimeLayout {
        var result = KernelRuntimeLayout(kaslr: stated ?? solveKASLR(references))
        if let solved = result.kaslr, solved.source == .frames {
            recordNote(
                "KASLR offset 0x\(String(solved.offset, radix: 16)) solved from \(solved.agreeing) of "
                    + "\(solved.considered) frames")
        }
        result.modules = procModules?.placements ?? []
        let listed = Set(result.modules.map { Self.moduleKey($0.name) })
        for placement in solveModules(references, except: listed) {
            recordNote(
                "module \(placement.name) placed at 0x\(String(placement.base, radix: 16)), solved from "
                    + "\(placement.agreeing) of \(placement.considered) frames")
            result.modules.append(placement)
        }
        return result
    }

    /// Resolves one raw runtime address through `layout`.
    ///
    /// The address is looked up in a module whose load address is known and whose code holds
    /// it, else in the kernel image moved by the KASLR offset. A return address is looked up one byte back, the faulting position where it is.
    ///
    /// `nil` when no source has a function there (counted for ``warnings``).
    public func resolve(rawAddress runtime: UInt64, isFaulting: Bool, in layout: KernelRuntimeLayout)
        -> RawAddressResolution?
    {
        for placement in layout.modules(around: runtime) {
            guard let modules else {
                if !modulesWithoutDirectory.contains(placement.name) { modulesWithoutDirectory.append(placement.name) }
                continue
            }
            guard let symbolizer = moduleSymbolizer(placement.name, in: modules) else { continue }
            let inModule = runtime - placement.base
            guard symbolizer.layout.codeRange?.contains(inModule) == true else { continue }
            let lookup = isFaulting || inModule == 0 ? inModule : inModule - 1
            guard let found = symbolizer.symbols.symbol(containing: lookup), found.symbol.isText else { continue }
            return RawAddressResolution(
                lookupAddress: lookup, symbol: found.symbol.name, offset: isFaulting ? found.offset : found.offset + 1,
                size: found.symbol.size, module: placement.name,
                frames: symbolizer.hasDebugInfo ? cleaned(symbolizer.frames(at: lookup)) : [])
        }
        let link = runtime &- (layout.kaslr?.offset ?? 0)
        let lookup = isFaulting || link == 0 ? link : link - 1
        let found = [kernel?.symbols, systemMap?.table].lazy.compactMap { $0?.symbol(containing: lookup) }
            .first { $0.symbol.isText }
        guard let found else {
            unplacedRawCount += 1
            if unplacedRaw.count < 3, !unplacedRaw.contains(runtime) { unplacedRaw.append(runtime) }
            return nil
        }
        if layout.kaslr == nil, found.symbol.module == nil { rawWithoutOffset += 1 }
        var frames: [SourceFrame] = []
        if let kernel, kernel.hasDebugInfo, found.symbol.module == nil { frames = cleaned(kernel.frames(at: lookup)) }
        return RawAddressResolution(
            lookupAddress: lookup, symbol: found.symbol.name, offset: isFaulting ? found.offset : found.offset + 1,
            size: found.symbol.size, module: found.symbol.module, frames: frames)
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
            guard let symbolizer = moduleSymbolizer(module, in: modules) else { return resolution }
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
            if let module = frame.resolvedModule { text += " [\(module)]" }
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

    private func recordNote(_ note: String) {
        if !recordedNotes.contains(note) { recordedNotes.append(note) }
    }

    /// Module `name` opened from `modules`, its absence recorded once.
    private func moduleSymbolizer(_ name: String, in modules: ModuleDirectory) -> Symbolizer? {
        if let symbolizer = modules.symbolizer(for: name) { return symbolizer }
        if missingModules.insert(name).inserted {
            let reason = modules.failure(of: name).map { ": \($0)" } ?? " under --modules"
            record("module \(name): not found\(reason)")
        }
        return nil
    }

    private static func moduleKey(_ name: String) -> String {
        String(name.map { $0 == "-" ? "_" : $0 })
    }

    /// The load address of each module the frames name with a raw address
    /// (`[<ffffffffc0461a2c>] ext4_fill_super+0x5c/0x120 [ext4]`), where a strict majority of
    /// them agree; modules in `listed` are skipped.
    private func solveModules(_ references: [StackFrameReference], except listed: Set<String>) -> [ModulePlacement] {
        guard let modules else { return [] }
        var pairs: [String: [(runtime: UInt64, link: UInt64)]] = [:]
        var order: [String] = []
        for reference in references {
            guard let module = reference.module, let runtime = reference.address, let name = reference.symbol,
                !listed.contains(Self.moduleKey(module)), let symbolizer = modules.symbolizer(for: module),
                let address = symbolizer.address(ofSymbol: name, offset: reference.offset, size: reference.size)
            else { continue }
            if pairs[module] == nil { order.append(module) }
            pairs[module, default: []].append((runtime, address))
        }
        return order.compactMap { module in
            guard let list = pairs[module], let solved = KASLROffset.solve(pairs: list) else { return nil }
            return ModulePlacement(
                name: module, base: solved.offset, size: 0, source: .frames, agreeing: solved.agreeing,
                considered: solved.considered)
        }
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
