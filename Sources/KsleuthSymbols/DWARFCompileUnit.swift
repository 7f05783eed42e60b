// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One unit of `.debug_info` (DWARF 2–5, 32- or 64-bit): its header, what its root DIE says
/// (name, directory, line program, address ranges, the bases of DWARF 5's index tables), and,
/// once asked for, its scope tree and line table.
final class DWARFCompileUnit {
    /// Where the unit starts in `.debug_info`, and where it ends (exclusive).
    let offset: Int
    let end: Int
    let version: UInt16
    let unitType: UInt8
    let addressSize: Int
    let offsetSize: Int
    let abbreviationOffset: Int
    /// Where the root DIE starts.
    let firstDIEOffset: Int
    let sections: DWARFSections
    private(set) var abbreviations: DWARFAbbreviations

    private(set) var rootTag: UInt16 = 0
    private(set) var name: String?
    private(set) var compilationDirectory: String?
    private(set) var statementList: UInt64?
    /// The unit's base address (`DW_AT_low_pc` of the root DIE).
    private(set) var baseAddress: UInt64 = 0
    private(set) var stringOffsetsBase: UInt64 = 0
    private(set) var addressBase: UInt64 = 0
    private(set) var rangeListsBase: UInt64 = 0
    /// The addresses the root DIE claims (empty when it claims none).
    private(set) var ranges: [AddressRange] = []

    /// The scope tree, parsed on first use.
    var scopeTree: DWARFScopeTree?
    /// The line table, parsed on first use.
    var lineTable: DWARFLineTable?

    /// Reads the header of the unit at `offset` and its root DIE.
    ///
    /// - Throws: ``SymbolsError``: `malformed` for a unit length past the end of the section,
    ///   `unsupported` for a DWARF version outside 2…5, `truncated`.
    init(
        sections: DWARFSections, offset: Int, abbreviationCache: inout [Int: DWARFAbbreviations]
    ) throws(SymbolsError) {
        self.sections = sections
        self.offset = offset
        var reader = DataReader(sections.info, offset: offset, littleEndian: sections.littleEndian)
        var length = UInt64(try reader.u32())
        var offsetSize = 4
        if length == 0xffff_ffff {
            length = try reader.u64()
            offsetSize = 8
        } else if length >= 0xffff_fff0 {
            throw SymbolsError(
                code: .malformed, offset: offset, message: "reserved unit length 0x\(String(length, radix: 16))")
        }
        guard length <= UInt64(reader.remaining) else {
            throw SymbolsError(
                code: .malformed, offset: offset,
                message: "unit length \(length) runs past the end of the section (\(reader.remaining) bytes left)")
        }
        end = reader.offset + Int(length)
        self.offsetSize = offsetSize
        version = try reader.u16()
        guard (2...5).contains(version) else {
            throw SymbolsError(code: .unsupported, offset: offset, message: "DWARF version \(version) is not 2…5")
        }
        if version >= 5 {
            unitType = try reader.u8()
            addressSize = Int(try reader.u8())
            abbreviationOffset = Int(clamping: try reader.unsigned(size: offsetSize))
            switch unitType {
            case 4, 5: try reader.skip(8)
            case 2, 6: try reader.skip(8 + offsetSize)
            default: break
            }
        } else {
            unitType = 1
            abbreviationOffset = Int(clamping: try reader.unsigned(size: offsetSize))
            addressSize = Int(try reader.u8())
        }
        guard addressSize == 4 || addressSize == 8 || addressSize == 2 else {
            throw SymbolsError(code: .malformed, offset: offset, message: "address size \(addressSize)")
        }
        firstDIEOffset = reader.offset
        let key = abbreviationOffset << 8 | addressSize << 4 | offsetSize | (version <= 2 ? 1 << 7 : 0)
        if let cached = abbreviationCache[key] {
            abbreviations = cached
        } else {
            do throws(SymbolsError) {
                abbreviations = try DWARFAbbreviations(
                    section: sections.abbrev, offset: abbreviationOffset, littleEndian: sections.littleEndian,
                    addressSize: addressSize, offsetSize: offsetSize, version: version)
            } catch {
                throw error.located(file: "", section: ".debug_abbrev")
            }
            abbreviationCache[key] = abbreviations
        }
        try readRoot()
    }

    private func readRoot() throws(SymbolsError) {
        var reader = DataReader(
            UnsafeRawBufferPointer(rebasing: sections.info[0..<end]), offset: firstDIEOffset,
            littleEndian: sections.littleEndian)
        let code = try reader.uleb()
        guard code != 0 else { return }
        guard let abbreviation = abbreviations[code] else {
            throw SymbolsError(code: .malformed, offset: firstDIEOffset, message: "unknown abbreviation code \(code)")
        }
        rootTag = abbreviation.tag
        var nameValue = DWARFFormValue.none
        var directoryValue = DWARFFormValue.none
        var lowValue = DWARFFormValue.none
        var highValue = DWARFFormValue.none
        var rangesValue = DWARFFormValue.none
        for spec in abbreviation.specs {
            let value = try reader.formValue(
                spec.form, implicitConstant: spec.implicitConstant, addressSize: addressSize, offsetSize: offsetSize,
                version: version)
            switch spec.attribute {
            case DWARFAttribute.name: nameValue = value
            case DWARFAttribute.compDir: directoryValue = value
            case DWARFAttribute.stmtList: statementList = value.value
            case DWARFAttribute.lowPC: lowValue = value
            case DWARFAttribute.highPC: highValue = value
            case DWARFAttribute.ranges: rangesValue = value
            case DWARFAttribute.strOffsetsBase: stringOffsetsBase = value.value
            case DWARFAttribute.addrBase, DWARFAttribute.gnuAddrBase: addressBase = value.value
            case DWARFAttribute.rnglistsBase: rangeListsBase = value.value
            default: break
            }
        }
        if stringOffsetsBase == 0, version >= 5, sections.strOffsets.count > 0 {
            stringOffsetsBase = UInt64(offsetSize == 8 ? 16 : 8)
        }
        name = string(nameValue)
        compilationDirectory = string(directoryValue)
        if lowValue.isPresent { baseAddress = address(lowValue) ?? 0 }
        ranges = try self.ranges(low: lowValue, high: highValue, ranges: rangesValue)
    }

    /// The string an attribute value names, `nil` when it names none or points outside.
    func string(_ value: DWARFFormValue) -> String? {
        switch value.form {
        case DWARFForm.string: return DataReader.string(in: sections.info, at: Int(clamping: value.value))
        case DWARFForm.strp: return DataReader.string(in: sections.str, at: Int(clamping: value.value))
        case DWARFForm.lineStrp: return DataReader.string(in: sections.lineStr, at: Int(clamping: value.value))
        case DWARFForm.strx, DWARFForm.strx1, DWARFForm.strx2, DWARFForm.strx3, DWARFForm.strx4,
            DWARFForm.gnuStrIndex:
            let (position, overflow) = value.value.multipliedReportingOverflow(by: UInt64(offsetSize))
            guard !overflow else { return nil }
            var reader = DataReader(
                sections.strOffsets, offset: Int(clamping: stringOffsetsBase &+ position),
                littleEndian: sections.littleEndian)
            guard let offset = try? reader.unsigned(size: offsetSize) else { return nil }
            return DataReader.string(in: sections.str, at: Int(clamping: offset))
        default: return nil
        }
    }

    /// The address an attribute value holds, directly or through `.debug_addr`.
    func address(_ value: DWARFFormValue) -> UInt64? {
        switch value.form {
        case DWARFForm.addr: return value.value
        case DWARFForm.addrx, DWARFForm.addrx1, DWARFForm.addrx2, DWARFForm.addrx3, DWARFForm.addrx4,
            DWARFForm.gnuAddrIndex:
            return indexedAddress(value.value)
        default: return nil
        }
    }

    private func indexedAddress(_ index: UInt64) -> UInt64? {
        let (position, overflow) = index.multipliedReportingOverflow(by: UInt64(addressSize))
        guard !overflow else { return nil }
        var reader = DataReader(
            sections.addr, offset: Int(clamping: addressBase &+ position), littleEndian: sections.littleEndian)
        return try? reader.unsigned(size: addressSize)
    }

    /// The absolute `.debug_info` offset a reference value points at, `nil` for references
    /// into other files (supplementary, type signatures).
    func reference(_ value: DWARFFormValue) -> Int? {
        switch value.form {
        case DWARFForm.ref1, DWARFForm.ref2, DWARFForm.ref4, DWARFForm.ref8, DWARFForm.refUdata:
            let (target, overflow) = UInt64(offset).addingReportingOverflow(value.value)
            return overflow ? nil : Int(clamping: target)
        case DWARFForm.refAddr: return Int(clamping: value.value)
        default: return nil
        }
    }

    /// The address ranges of a DIE from its `DW_AT_low_pc`/`DW_AT_high_pc` or `DW_AT_ranges`.
    func ranges(
        low: DWARFFormValue, high: DWARFFormValue, ranges rangesValue: DWARFFormValue
    ) throws(SymbolsError) -> [AddressRange] {
        if rangesValue.isPresent {
            return try DWARFRangeList.read(rangesValue, unit: self)
        }
        guard low.isPresent, high.isPresent, let start = address(low) else { return [] }
        let stop: UInt64
        if high.isConstant {
            stop = start &+ high.value
        } else if let value = address(high) {
            stop = value
        } else {
            return []
        }
        return stop > start ? [AddressRange(low: start, high: stop)] : []
    }
}
