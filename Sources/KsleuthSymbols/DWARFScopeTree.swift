// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A function (`DW_TAG_subprogram`) or inlined call (`DW_TAG_inlined_subroutine`) with code.
struct DWARFScope {
    var tag: UInt16
    /// Where the DIE starts in `.debug_info`.
    var dieOffset: Int
    var parent: Int32
    var firstChild: Int32 = -1
    var nextSibling: Int32 = -1
    var firstRange: Int32
    var rangeCount: Int32
    var name: DWARFFormValue
    var linkageName: DWARFFormValue
    /// The DIE the name comes from when the scope has none (`DW_AT_abstract_origin` or
    /// `DW_AT_specification`), as a `.debug_info` offset; -1 when none.
    var origin: Int
    var callFile: UInt32
    var callLine: UInt32
    var callColumn: UInt32
}

/// The functions and inlined calls of one unit that own code, nested as in the DIE tree.
struct DWARFScopeTree {
    /// The most nested DIEs followed; deeper ones are read but not nested further.
    static let maximumDepth = 1024

    private(set) var scopes: [DWARFScope] = []
    private(set) var ranges: [AddressRange] = []
    /// The ranges of top-level scopes and of every function (nested ones too: a closure's code
    /// lies outside its parent's), sorted by start, with the running maximum of ends.
    private var roots: [(range: AddressRange, scope: Int32)] = []
    private var runningHigh: [UInt64] = []
    /// A problem that stopped the parse early (the scopes before it are kept).
    private(set) var problem: SymbolsError?

    /// Reads every DIE of `unit`, keeping the scopes that own code.
    init(unit: DWARFCompileUnit) {
        var reader = DataReader(
            UnsafeRawBufferPointer(rebasing: unit.sections.info[0..<unit.end]), offset: unit.firstDIEOffset,
            littleEndian: unit.sections.littleEndian)
        var stack: [Int32] = []
        stack.reserveCapacity(64)
        let addressSize = unit.addressSize
        let offsetSize = unit.offsetSize
        let version = unit.version
        do throws(SymbolsError) {
            while !reader.isAtEnd {
                let dieOffset = reader.offset
                let code = try reader.uleb()
                if code == 0 {
                    if !stack.isEmpty { stack.removeLast() }
                    continue
                }
                guard let abbreviation = unit.abbreviations[code] else {
                    throw SymbolsError(
                        code: .malformed, offset: dieOffset, message: "unknown abbreviation code \(code)")
                }
                let current = stack.last ?? -1
                var pushed = current
                if abbreviation.tag == DWARFTag.subprogram || abbreviation.tag == DWARFTag.inlinedSubroutine {
                    var low = DWARFFormValue.none
                    var high = DWARFFormValue.none
                    var rangesValue = DWARFFormValue.none
                    var scope = DWARFScope(
                        tag: abbreviation.tag, dieOffset: dieOffset, parent: current, firstRange: 0, rangeCount: 0,
                        name: .none, linkageName: .none, origin: -1, callFile: 0, callLine: 0, callColumn: 0)
                    for spec in abbreviation.specs {
                        switch spec.attribute {
                        case DWARFAttribute.lowPC, DWARFAttribute.highPC, DWARFAttribute.ranges, DWARFAttribute.name,
                            DWARFAttribute.linkageName, DWARFAttribute.mipsLinkageName, DWARFAttribute.abstractOrigin,
                            DWARFAttribute.specification, DWARFAttribute.callFile, DWARFAttribute.callLine,
                            DWARFAttribute.callColumn:
                            let value = try reader.formValue(
                                spec.form, implicitConstant: spec.implicitConstant, addressSize: addressSize,
                                offsetSize: offsetSize, version: version)
                            switch spec.attribute {
                            case DWARFAttribute.lowPC: low = value
                            case DWARFAttribute.highPC: high = value
                            case DWARFAttribute.ranges: rangesValue = value
                            case DWARFAttribute.name: scope.name = value
                            case DWARFAttribute.linkageName, DWARFAttribute.mipsLinkageName: scope.linkageName = value
                            case DWARFAttribute.abstractOrigin, DWARFAttribute.specification:
                                scope.origin = unit.reference(value) ?? -1
                            case DWARFAttribute.callFile: scope.callFile = UInt32(truncatingIfNeeded: value.value)
                            case DWARFAttribute.callLine: scope.callLine = UInt32(truncatingIfNeeded: value.value)
                            default: scope.callColumn = UInt32(truncatingIfNeeded: value.value)
                            }
                        default:
                            try reader.skipForm(
                                spec, addressSize: addressSize, offsetSize: offsetSize, version: version)
                        }
                    }
                    let found = (try? unit.ranges(low: low, high: high, ranges: rangesValue)) ?? []
                    if !found.isEmpty {
                        scope.firstRange = Int32(ranges.count)
                        scope.rangeCount = Int32(found.count)
                        ranges.append(contentsOf: found)
                        let index = Int32(scopes.count)
                        if current >= 0 {
                            scope.nextSibling = scopes[Int(current)].firstChild
                            scopes[Int(current)].firstChild = index
                        }
                        scopes.append(scope)
                        pushed = index
                    }
                } else if abbreviation.fixedSize >= 0 {
                    try reader.skip(abbreviation.fixedSize)
                } else {
                    for spec in abbreviation.specs {
                        try reader.skipForm(spec, addressSize: addressSize, offsetSize: offsetSize, version: version)
                    }
                }
                if abbreviation.hasChildren && stack.count < Self.maximumDepth { stack.append(pushed) }
            }
        } catch {
            problem = error.located(file: "", section: ".debug_info")
        }
        var rootRanges: [(range: AddressRange, scope: Int32)] = []
        for (index, scope) in scopes.enumerated() where scope.parent < 0 || scope.tag == DWARFTag.subprogram {
            for position in Int(scope.firstRange)..<Int(scope.firstRange + scope.rangeCount) {
                rootRanges.append((ranges[position], Int32(index)))
            }
        }
        rootRanges.sort { $0.range.low < $1.range.low }
        var high: UInt64 = 0
        runningHigh = rootRanges.map { entry in
            high = max(high, entry.range.high)
            return high
        }
        roots = rootRanges
    }

    /// Every range of every function (the unit's code, when its root DIE names none).
    var rootRanges: [AddressRange] { roots.map(\.range) }

    /// Whether scope `index` owns `address`.
    private func contains(_ index: Int32, _ address: UInt64) -> Bool {
        let scope = scopes[Int(index)]
        for position in Int(scope.firstRange)..<Int(scope.firstRange + scope.rangeCount)
        where ranges[position].contains(address) {
            return true
        }
        return false
    }

    /// The scopes holding `address`, innermost first, up to and including the nearest
    /// function (`DW_TAG_subprogram`).
    func chain(at address: UInt64) -> [DWARFScope] {
        var low = 0
        var high = roots.count
        while low < high {
            let middle = (low + high) / 2
            if roots[middle].range.low <= address { low = middle + 1 } else { high = middle }
        }
        var root: Int32 = -1
        var rootSize = UInt64.max
        var candidate = low - 1
        while candidate >= 0, runningHigh[candidate] > address {
            let range = roots[candidate].range
            if range.contains(address), range.high - range.low < rootSize {
                root = roots[candidate].scope
                rootSize = range.high - range.low
            }
            candidate -= 1
        }
        guard root >= 0 else { return [] }
        var path: [Int32] = [root]
        var current = root
        var steps = 0
        while steps < Self.maximumDepth {
            steps += 1
            var child = scopes[Int(current)].firstChild
            var next: Int32 = -1
            while child >= 0 {
                if contains(child, address) {
                    next = child
                    break
                }
                child = scopes[Int(child)].nextSibling
            }
            guard next >= 0 else { break }
            path.append(next)
            current = next
        }
        var result: [DWARFScope] = []
        for index in path.reversed() {
            let scope = scopes[Int(index)]
            result.append(scope)
            if scope.tag == DWARFTag.subprogram { break }
        }
        return result
    }
}
