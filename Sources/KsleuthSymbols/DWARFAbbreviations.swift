// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One attribute of an abbreviation: which attribute, in which form.
struct DWARFAttributeSpec {
    var attribute: UInt16
    var form: UInt16
    /// The value of a `DW_FORM_implicit_const` attribute, stored in the abbreviation.
    var implicitConstant: Int64
    /// The size of the value when fixed for the unit's address and offset sizes, else -1.
    var fixedSize: Int
}

/// One abbreviation: the shape every DIE with its code has.
struct DWARFAbbreviation {
    var tag: UInt16
    var hasChildren: Bool
    var specs: [DWARFAttributeSpec]
    /// The size of all attribute values when every one is of fixed size, else -1: such DIEs
    /// are skipped with one addition.
    var fixedSize: Int
}

/// The abbreviation table at one offset of `.debug_abbrev`, by code.
struct DWARFAbbreviations {
    private var dense: [DWARFAbbreviation?] = []
    private var sparse: [UInt64: DWARFAbbreviation] = [:]

    /// The abbreviation with `code`, `nil` when the table has none.
    @inline(__always)
    subscript(code: UInt64) -> DWARFAbbreviation? {
        if code < UInt64(dense.count) { return dense[Int(code)] }
        return sparse[code]
    }

    /// Parses the table at `offset` for units of the given address and offset size.
    ///
    /// - Throws: ``SymbolsError`` when the table runs past the end of the section.
    init(
        section: UnsafeRawBufferPointer, offset: Int, littleEndian: Bool, addressSize: Int, offsetSize: Int,
        version: UInt16
    ) throws(SymbolsError) {
        var reader = DataReader(section, offset: offset, littleEndian: littleEndian)
        while true {
            let code = try reader.uleb()
            if code == 0 { break }
            let tag = try reader.uleb()
            let hasChildren = try reader.u8() != 0
            var specs: [DWARFAttributeSpec] = []
            var total = 0
            while true {
                let attribute = try reader.uleb()
                let form = try reader.uleb()
                if attribute == 0 && form == 0 { break }
                var constant: Int64 = 0
                if form == UInt64(DWARFForm.implicitConst) { constant = try reader.sleb() }
                let form16 = UInt16(truncatingIfNeeded: form)
                let size =
                    DWARFForm.fixedSize(form16, addressSize: addressSize, offsetSize: offsetSize, version: version)
                    ?? -1
                if total >= 0 { total = size >= 0 ? total + size : -1 }
                specs.append(
                    DWARFAttributeSpec(
                        attribute: UInt16(truncatingIfNeeded: attribute), form: form16, implicitConstant: constant,
                        fixedSize: size))
            }
            let abbreviation = DWARFAbbreviation(
                tag: UInt16(truncatingIfNeeded: tag), hasChildren: hasChildren, specs: specs, fixedSize: total)
            if code < 4096 {
                if dense.count <= Int(code) {
                    dense.append(contentsOf: repeatElement(nil, count: Int(code) + 1 - dense.count))
                }
                dense[Int(code)] = abbreviation
            } else {
                sparse[code] = abbreviation
            }
        }
    }
}
