// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import Foundation
import KsleuthAnalysis
import KsleuthReports
import KsleuthSymbols

/// The symbol sources `analyze`, `triage` and `symbolize` read frames against, one set of
/// flags with one meaning for the three commands.
public struct SymbolOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The kernel image with symbols (and DWARF for file:line and inlined calls); any ELF file for "
                + "symbolize --addresses.",
            valueName: "elf"))
    public var vmlinux: String?

    @Option(
        name: .customLong("system-map"),
        help: ArgumentHelp("System.map or /proc/kallsyms text, for symbols.", valueName: "file"))
    public var systemMap: String?

    @Option(help: ArgumentHelp("A directory searched for <module>.ko[.xz|.zst|.gz].", valueName: "dir"))
    public var modules: String?

    @Option(
        name: .customLong("proc-modules"),
        help: ArgumentHelp(
            "A /proc/modules text of the crashed kernel: where its modules were loaded, for raw addresses.",
            valueName: "file"))
    public var procModules: String?

    @Option(
        name: .customLong("strip-prefix"),
        help: ArgumentHelp(
            "A path prefix removed from DWARF file names (default: the directory of --vmlinux).", valueName: "path"))
    public var stripPrefix: String?

    public init() {}

    /// Whether any symbol source was given.
    public var isEmpty: Bool { vmlinux == nil && systemMap == nil && modules == nil && procModules == nil }

    /// The prefix removed from file names: `--strip-prefix`, else the directory of `--vmlinux`
    /// (a kernel build tree keeps `vmlinux` at its top).
    public var effectiveStripPrefix: String? {
        stripPrefix ?? vmlinux.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
    }

    /// The sources named by the flags, opened; all `nil` when no flag was given.
    ///
    /// - Throws: ``SymbolsError`` when the image, the map or the `/proc/modules` text cannot be
    ///   read, or `--modules` is not a directory.
    public func open() throws(SymbolsError) -> OpenedSymbolSources {
        let kernel = try vmlinux.map { path throws(SymbolsError) in try Symbolizer(path: path) }
        let map = try systemMap.map { path throws(SymbolsError) in try SystemMapParser.parse(contentsOf: path) }
        let loaded = try procModules.map { path throws(SymbolsError) in try ProcModulesParser.parse(contentsOf: path) }
        var directory: ModuleDirectory?
        if let modules {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: modules, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw SymbolsError(code: .cannotOpen, file: modules, message: "not a directory (--modules)")
            }
            directory = ModuleDirectory(root: modules)
        }
        return OpenedSymbolSources(kernel: kernel, systemMap: map, modules: directory, procModules: loaded)
    }

    /// The analysis's symbol sources, `nil` when no flag was given; an unreadable source is an
    /// error written to `diagnostics` and exit status 2.
    func kernelSymbols(reportingTo diagnostics: any ReportOutput) throws -> KernelSymbols? {
        guard !isEmpty else { return nil }
        do {
            let opened = try open()
            return KernelSymbols(
                kernel: opened.kernel, systemMap: opened.systemMap, modules: opened.modules,
                stripPrefix: effectiveStripPrefix, procModules: opened.procModules)
        } catch {
            diagnostics.write("ksleuth: error: \(TerminalSanitizer.sanitize(error.description))\n")
            diagnostics.flush()
            throw ExitCode(2)
        }
    }
}

/// The symbol sources the flags name, opened (each `nil` when its flag was not given).
public struct OpenedSymbolSources {
    public var kernel: Symbolizer?
    public var systemMap: SystemMap?
    public var modules: ModuleDirectory?
    public var procModules: ProcModules?
}
