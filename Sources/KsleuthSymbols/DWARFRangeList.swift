// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Reads a `DW_AT_ranges` list: `.debug_ranges` (DWARF 2–4) or `.debug_rnglists` (DWARF 5,
/// by offset or by `DW_FORM_rnglistx` index).
enum DWARFRangeList {
    /// The most entries read from one list; a longer one is damaged.
    static let maximumEntries = 1 << 20

    static func read(_ value: DWARFFormValue, unit: DWARFCompileUnit) throws(SymbolsError) -> [AddressRange] {
        do throws(SymbolsError) {
            if unit.version >= 5 {
                var listOffset = value.value
                if value.form == DWARFForm.rnglistx {
                    var index = DataReader(
                        unit.sections.rnglists,
                        offset: Int(clamping: unit.rangeListsBase &+ value.value &* UInt64(unit.offsetSize)),
                        littleEndian: unit.sections.littleEndian)
                    listOffset = unit.rangeListsBase &+ (try index.unsigned(size: unit.offsetSize))
                }
                return try rangeLists(at: Int(clamping: listOffset), unit: unit)
            }
            return try legacyRanges(at: Int(clamping: value.value), unit: unit)
        } catch {
            throw error.located(file: "", section: unit.version >= 5 ? ".debug_rnglists" : ".debug_ranges")
        }
    }

    private static func legacyRanges(at offset: Int, unit: DWARFCompileUnit) throws(SymbolsError) -> [AddressRange] {
        var reader = DataReader(unit.sections.ranges, offset: offset, littleEndian: unit.sections.littleEndian)
        let size = unit.addressSize
        let baseMarker: UInt64 = size == 8 ? .max : (UInt64(1) << UInt64(size * 8)) - 1
        var base = unit.baseAddress
        var result: [AddressRange] = []
        for _ in 0..<maximumEntries {
            let start = try reader.unsigned(size: size)
            let end = try reader.unsigned(size: size)
            if start == 0 && end == 0 { return result }
            if start == baseMarker {
                base = end
                continue
            }
            let low = base &+ start
            let high = base &+ end
            if high > low { result.append(AddressRange(low: low, high: high)) }
        }
        throw SymbolsError(code: .malformed, offset: offset, message: "range list has no end")
    }

    private static func rangeLists(at offset: Int, unit: DWARFCompileUnit) throws(SymbolsError) -> [AddressRange] {
        var reader = DataReader(unit.sections.rnglists, offset: offset, littleEndian: unit.sections.littleEndian)
        var base = unit.baseAddress
        var result: [AddressRange] = []
        func indexed(_ index: UInt64) throws(SymbolsError) -> UInt64 {
            guard let value = unit.address(DWARFFormValue(form: DWARFForm.addrx, value: index)) else {
                throw SymbolsError(
                    code: .malformed, offset: reader.offset, message: "address index \(index) out of range")
            }
            return value
        }
        func append(_ low: UInt64, _ high: UInt64) {
            if high > low { result.append(AddressRange(low: low, high: high)) }
        }
        for _ in 0..<maximumEntries {
            let kind = try reader.u8()
            switch kind {
            case 0: return result
            case 1: base = try indexed(try reader.uleb())
            case 2:
                let start = try indexed(try reader.uleb())
                append(start, try indexed(try reader.uleb()))
            case 3:
                let start = try indexed(try reader.uleb())
                append(start, start &+ (try reader.uleb()))
            case 4:
                let start = try reader.uleb()
                let end = try reader.uleb()
                append(base &+ start, base &+ end)
            case 5: base = try reader.unsigned(size: unit.addressSize)
            case 6:
                let start = try reader.unsigned(size: unit.addressSize)
                append(start, try reader.unsigned(size: unit.addressSize))
            case 7:
                let start = try reader.unsigned(size: unit.addressSize)
                append(start, start &+ (try reader.uleb()))
            default:
                throw SymbolsError(
                    code: .malformed, offset: reader.offset - 1, message: "unknown range list entry \(kind)")
            }
        }
        throw SymbolsError(code: .malformed, offset: offset, message: "range list has no end")
    }
}
