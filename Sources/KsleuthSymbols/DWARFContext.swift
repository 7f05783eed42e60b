// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The DWARF of one ELF file, indexed lazily: the first lookup reads every unit's header and
/// root DIE to map addresses to units; a unit's DIEs and line program are decoded the first
/// time an address falls in it, and kept.
final class DWARFContext {
    let sections: DWARFSections
    private var units: [DWARFCompileUnit] = []
    private var unitRanges: [(range: AddressRange, unit: Int)] = []
    private var runningHigh: [UInt64] = []
    private var indexed = false
    private var abbreviationCache: [Int: DWARFAbbreviations] = [:]
    private var nameCache: [Int: String] = [:]
    private var reportedUnits: Set<Int> = []
    /// Problems met so far (a damaged unit, a line program cut short); lookups go on.
    private(set) var problems: [SymbolsError] = []

    init(file: ELFFile) {
        sections = DWARFSections(file: file)
        problems = sections.problems.map { $0.located(file: file.path) }
    }

    var hasDebugInfo: Bool { sections.hasDebugInfo }

    private func index() {
        indexed = true
        guard sections.hasDebugInfo else { return }
        var offset = 0
        while offset < sections.info.count {
            let unit: DWARFCompileUnit
            do throws(SymbolsError) {
                unit = try DWARFCompileUnit(sections: sections, offset: offset, abbreviationCache: &abbreviationCache)
            } catch {
                problems.append(error.located(file: "", section: ".debug_info"))
                break
            }
            offset = unit.end
            let position = units.count
            units.append(unit)
            guard unit.rootTag == DWARFTag.compileUnit || unit.rootTag == DWARFTag.skeletonUnit else { continue }
            var ranges = unit.ranges
            if ranges.isEmpty {
                let tree = DWARFScopeTree(unit: unit)
                unit.scopeTree = tree
                ranges = tree.rootRanges
            }
            for range in ranges { unitRanges.append((range, position)) }
        }
        unitRanges.sort { $0.range.low < $1.range.low }
        var high: UInt64 = 0
        runningHigh = unitRanges.map { entry in
            high = max(high, entry.range.high)
            return high
        }
    }

    private func unit(containing address: UInt64) -> DWARFCompileUnit? {
        if !indexed { index() }
        var low = 0
        var high = unitRanges.count
        while low < high {
            let middle = (low + high) / 2
            if unitRanges[middle].range.low <= address { low = middle + 1 } else { high = middle }
        }
        var candidate = low - 1
        while candidate >= 0, runningHigh[candidate] > address {
            if unitRanges[candidate].range.contains(address) { return units[unitRanges[candidate].unit] }
            candidate -= 1
        }
        return nil
    }

    /// The frames at `address`, innermost first, `nil` when no unit covers it.
    ///
    /// A frame's function is `nil` when the DWARF names none (the caller falls back to symbols).
    func frames(at address: UInt64) -> [SourceFrame]? {
        guard let unit = unit(containing: address) else { return nil }
        if unit.scopeTree == nil {
            let tree = DWARFScopeTree(unit: unit)
            if let problem = tree.problem { report(problem, unit: unit) }
            unit.scopeTree = tree
        }
        if unit.lineTable == nil, let list = unit.statementList {
            do throws(SymbolsError) {
                let table = try DWARFLineProgram.decode(at: Int(clamping: list), unit: unit)
                if let problem = table.problem { report(problem, unit: unit) }
                unit.lineTable = table
            } catch {
                report(error, unit: unit)
                unit.lineTable = DWARFLineTable(
                    version: 4, directories: [], files: [], compilationDirectory: nil, rows: [], sequences: [],
                    problem: error)
            }
        }
        let chain = unit.scopeTree?.chain(at: address) ?? []
        let row = unit.lineTable?.row(for: address)
        let table = unit.lineTable
        guard !chain.isEmpty else {
            return [
                SourceFrame(
                    function: nil, file: row.flatMap { table?.path(ofFile: $0.file) }, line: row?.line ?? 0,
                    column: row?.column ?? 0)
            ]
        }
        var frames: [SourceFrame] = []
        frames.reserveCapacity(chain.count)
        for (position, scope) in chain.enumerated() {
            let function = name(of: scope, unit: unit)
            if position == 0 {
                frames.append(
                    SourceFrame(
                        function: function, file: row.flatMap { table?.path(ofFile: $0.file) }, line: row?.line ?? 0,
                        column: row?.column ?? 0))
            } else {
                let callee = chain[position - 1]
                frames.append(
                    SourceFrame(
                        function: function, file: table?.path(ofFile: callee.callFile), line: callee.callLine,
                        column: callee.callColumn))
            }
        }
        return frames
    }

    private func report(_ problem: SymbolsError, unit: DWARFCompileUnit) {
        guard reportedUnits.insert(unit.offset).inserted, problems.count < 100 else { return }
        var located = problem
        located.message += " (unit at .debug_info+0x\(String(unit.offset, radix: 16)))"
        problems.append(located)
    }

    /// The name of a scope: its linkage name, else its name, looking through
    /// `DW_AT_abstract_origin` and `DW_AT_specification` (at most 16 hops).
    private func name(of scope: DWARFScope, unit: DWARFCompileUnit) -> String? {
        if let cached = nameCache[scope.dieOffset] { return cached }
        if scope.linkageName.isPresent, let linkage = unit.string(scope.linkageName) {
            nameCache[scope.dieOffset] = linkage
            return linkage
        }
        var shortName = scope.name.isPresent ? unit.string(scope.name) : nil
        var target = scope.origin
        var hops = 0
        while target >= 0, hops < 16 {
            hops += 1
            guard let found = attributes(ofDIEAt: target) else { break }
            if let linkage = found.linkage {
                nameCache[scope.dieOffset] = linkage
                return linkage
            }
            if shortName == nil { shortName = found.name }
            target = found.origin
        }
        if let shortName { nameCache[scope.dieOffset] = shortName }
        return shortName
    }

    private func unit(atOffset offset: Int) -> DWARFCompileUnit? {
        var low = 0
        var high = units.count
        while low < high {
            let middle = (low + high) / 2
            if units[middle].offset <= offset { low = middle + 1 } else { high = middle }
        }
        guard low > 0, offset < units[low - 1].end else { return nil }
        return units[low - 1]
    }

    private func attributes(ofDIEAt offset: Int) -> (name: String?, linkage: String?, origin: Int)? {
        guard let unit = unit(atOffset: offset) else { return nil }
        var reader = DataReader(
            UnsafeRawBufferPointer(rebasing: sections.info[0..<unit.end]), offset: offset,
            littleEndian: sections.littleEndian)
        guard let code = try? reader.uleb(), let abbreviation = unit.abbreviations[code] else { return nil }
        var name: String?
        var linkage: String?
        var origin = -1
        for spec in abbreviation.specs {
            guard
                let value = try? reader.formValue(
                    spec.form, implicitConstant: spec.implicitConstant, addressSize: unit.addressSize,
                    offsetSize: unit.offsetSize, version: unit.version)
            else { return nil }
            switch spec.attribute {
            case DWARFAttribute.name: name = unit.string(value)
            case DWARFAttribute.linkageName, DWARFAttribute.mipsLinkageName: linkage = unit.string(value)
            case DWARFAttribute.abstractOrigin, DWARFAttribute.specification:
                if let reference = unit.reference(value), reference != offset { origin = reference }
            default: break
            }
        }
        return (name, linkage, origin)
    }
}
