// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthSymbols

/// The symbol sources of one run — a `vmlinux` (ELF with DWARF), a `System.map` or
/// `/proc/kallsyms` text, a directory of modules — opened once and shared by the
/// symbolization stage of every input.
///
/// Lookups decode DWARF units lazily and keep what they decoded, so every use goes through
/// one lock: inputs analysed on several tasks may share the sources.
public final class KernelSymbols: @unchecked Sendable {
    /// The kernel image, for symbols and (with DWARF) files, lines and inlined calls.
    public let kernel: Symbolizer?
    /// `System.map` or kallsyms symbols, used when the image is absent or lacks a symbol.
    public let systemMap: SystemMap?
    /// Where module frames (`func+0x1d/0x60 [ext4]`) are resolved.
    public let modules: ModuleDirectory?
    /// The path prefix removed from DWARF file names (the kernel build directory), so that
    /// files read `fs/ext4/inode.c` as the guilty-file rules expect.
    public let stripPrefix: String?
    /// Where the crashed kernel's modules were loaded (`--proc-modules`), for raw addresses.
    public let procModules: ProcModules?
    private let lock = NSLock()

    /// Shares sources the caller opened (the command line's `SymbolOptions` does).
    public init(
        kernel: Symbolizer?, systemMap: SystemMap?, modules: ModuleDirectory?, stripPrefix: String? = nil,
        procModules: ProcModules? = nil
    ) {
        self.kernel = kernel
        self.systemMap = systemMap
        self.modules = modules
        self.stripPrefix = stripPrefix
        self.procModules = procModules
    }

    /// A resolver with fresh per-input state (warnings, checked modules) over these sources;
    /// use it only inside ``withLock(_:)``.
    func makeResolver() -> LogSymbolizer {
        LogSymbolizer(
            kernel: kernel, systemMap: systemMap, modules: modules, stripPrefix: stripPrefix, procModules: procModules)
    }

    /// Runs `body` while no other task uses the sources.
    func withLock<Result>(_ body: () -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
