// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Resolves addresses in one ELF file (a `vmlinux`, a module, any program) to functions,
/// source lines and inlined frames, from its DWARF and, where that has no answer, its symbol
/// table.
///
/// Addresses are in the file's own terms: link-time for a linked file, and for a relocatable
/// object (`.ko`, `.o`) the placement of ``ELFSectionLayout`` at `base`.
public final class Symbolizer {
    /// The file.
    public let file: ELFFile
    /// Where the file's sections are.
    public let layout: ELFSectionLayout
    /// The file's symbols.
    public let symbols: SymbolTable
    private let dwarf: DWARFContext
    private var setupWarnings: [String] = []

    /// Opens the ELF file at `path` (compressed modules too) for lookups.
    ///
    /// - Parameter base: where a relocatable object's first code section is placed.
    /// - Throws: ``SymbolsError`` when the file is not a readable ELF file.
    public convenience init(path: String, base: UInt64 = 0) throws(SymbolsError) {
        try self.init(file: ELFFile(path: path), base: base)
    }

    /// Prepares lookups in `file`; for a relocatable object, relocates its debug sections.
    public init(file: ELFFile, base: UInt64 = 0) throws(SymbolsError) {
        self.file = file
        layout = ELFSectionLayout(file: file, base: base)
        if file.isRelocatable {
            do throws(SymbolsError) {
                let skipped = try ELFRelocations.relocateDebugSections(of: file, layout: layout)
                if skipped > 0 {
                    setupWarnings.append(
                        "\(file.path): \(skipped) debug relocation(s) of types this reader does not apply were left "
                            + "alone; lines may be wrong")
                }
            } catch {
                setupWarnings.append(error.description)
            }
        }
        do throws(SymbolsError) {
            symbols = SymbolTable(try ELFSymbolReader.symbols(of: file, layout: layout), inferSizes: false)
        } catch {
            setupWarnings.append(error.description)
            symbols = SymbolTable([])
        }
        dwarf = DWARFContext(file: file)
        if !dwarf.hasDebugInfo {
            setupWarnings.append("\(file.path): no DWARF debug information (.debug_info); functions only")
        }
    }

    /// Whether the file has DWARF to give files and lines.
    public var hasDebugInfo: Bool { dwarf.hasDebugInfo }

    /// What went wrong while reading (damaged units, relocations not applied), one line each.
    public var warnings: [String] {
        setupWarnings + dwarf.problems.map { $0.located(file: file.path).description }
    }

    /// The frames at `address`, innermost inlined frame first, as llvm-symbolizer orders them.
    ///
    /// A single frame with `??`-style unknowns when nothing is known.
    public func frames(at address: UInt64) -> [SourceFrame] {
        var frames = dwarf.frames(at: address) ?? [SourceFrame(function: nil, file: nil, line: 0, column: 0)]
        if frames[frames.count - 1].function == nil {
            frames[frames.count - 1].function = symbols.symbol(containing: address)?.symbol.name
        }
        return frames
    }

    /// The frames of every address, in the order given; the lookups run in address order so
    /// that each unit is decoded once and touched together.
    public func frames(at addresses: [UInt64]) -> [[SourceFrame]] {
        var results = [[SourceFrame]](repeating: [], count: addresses.count)
        for index in addresses.indices.sorted(by: { addresses[$0] < addresses[$1] }) {
            results[index] = frames(at: addresses[index])
        }
        return results
    }

    /// The address `name+offset` means in this file (`size` picks among same-named static
    /// functions), `nil` when the file has no such symbol.
    public func address(ofSymbol name: String, offset: UInt64, size: UInt64?) -> UInt64? {
        symbols.resolve(name: name, offset: offset, size: size).map { $0.address &+ offset }
    }
}
