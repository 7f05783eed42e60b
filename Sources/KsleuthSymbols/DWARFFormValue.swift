// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// An attribute's value as read from `.debug_info`, before it is resolved against the
/// string, address or range sections.
///
/// `value` is the number, offset or index the form holds; for `DW_FORM_string` it is the
/// offset of the string in `.debug_info`.
struct DWARFFormValue {
    var form: UInt16
    var value: UInt64

    static let none = DWARFFormValue(form: 0, value: 0)

    var isPresent: Bool { form != 0 }

    /// Whether the form is a constant class one (so `DW_AT_high_pc` is a length).
    var isConstant: Bool {
        switch form {
        case DWARFForm.data1, DWARFForm.data2, DWARFForm.data4, DWARFForm.data8, DWARFForm.udata, DWARFForm.sdata,
            DWARFForm.implicitConst:
            true
        default: false
        }
    }
}

extension DataReader {
    /// Reads the value of an attribute of `spec`'s form in a unit with the given sizes.
    ///
    /// - Throws: ``SymbolsError``: `truncated`, or `malformed` for a form this reader does not
    ///   know (its size is unknown, so the rest of the unit cannot be read).
    @inline(__always)
    mutating func formValue(
        _ form: UInt16, implicitConstant: Int64, addressSize: Int, offsetSize: Int, version: UInt16
    ) throws(SymbolsError) -> DWARFFormValue {
        switch form {
        case DWARFForm.addr: return DWARFFormValue(form: form, value: try unsigned(size: addressSize))
        case DWARFForm.data1, DWARFForm.ref1, DWARFForm.flag, DWARFForm.strx1, DWARFForm.addrx1:
            return DWARFFormValue(form: form, value: UInt64(try u8()))
        case DWARFForm.data2, DWARFForm.ref2, DWARFForm.strx2, DWARFForm.addrx2:
            return DWARFFormValue(form: form, value: UInt64(try u16()))
        case DWARFForm.strx3, DWARFForm.addrx3: return DWARFFormValue(form: form, value: UInt64(try u24()))
        case DWARFForm.data4, DWARFForm.ref4, DWARFForm.strx4, DWARFForm.addrx4, DWARFForm.refSup4:
            return DWARFFormValue(form: form, value: UInt64(try u32()))
        case DWARFForm.data8, DWARFForm.ref8, DWARFForm.refSig8, DWARFForm.refSup8:
            return DWARFFormValue(form: form, value: try u64())
        case DWARFForm.data16:
            try skip(16)
            return DWARFFormValue(form: form, value: 0)
        case DWARFForm.strp, DWARFForm.secOffset, DWARFForm.lineStrp, DWARFForm.strpSup, DWARFForm.gnuRefAlt,
            DWARFForm.gnuStrpAlt:
            return DWARFFormValue(form: form, value: try unsigned(size: offsetSize))
        case DWARFForm.refAddr:
            return DWARFFormValue(form: form, value: try unsigned(size: version <= 2 ? addressSize : offsetSize))
        case DWARFForm.string: return DWARFFormValue(form: form, value: UInt64(try skipCString()))
        case DWARFForm.udata, DWARFForm.refUdata, DWARFForm.strx, DWARFForm.addrx, DWARFForm.rnglistx,
            DWARFForm.loclistx, DWARFForm.gnuAddrIndex, DWARFForm.gnuStrIndex:
            return DWARFFormValue(form: form, value: try uleb())
        case DWARFForm.sdata: return DWARFFormValue(form: form, value: UInt64(bitPattern: try sleb()))
        case DWARFForm.block1:
            try skip(Int(try u8()))
            return DWARFFormValue(form: form, value: 0)
        case DWARFForm.block2:
            try skip(Int(try u16()))
            return DWARFFormValue(form: form, value: 0)
        case DWARFForm.block4:
            try skip(Int(try u32()))
            return DWARFFormValue(form: form, value: 0)
        case DWARFForm.block, DWARFForm.exprloc:
            let length = try uleb()
            guard length <= UInt64(remaining) else {
                throw SymbolsError(
                    code: .truncated, offset: offset, message: "block of \(length) bytes runs past the end")
            }
            try skip(Int(length))
            return DWARFFormValue(form: form, value: 0)
        case DWARFForm.flagPresent: return DWARFFormValue(form: form, value: 1)
        case DWARFForm.implicitConst: return DWARFFormValue(form: form, value: UInt64(bitPattern: implicitConstant))
        case DWARFForm.indirect:
            let actual = try uleb()
            guard actual != UInt64(DWARFForm.indirect), actual != UInt64(DWARFForm.implicitConst), actual < 0x10000
            else {
                throw SymbolsError(code: .malformed, offset: offset, message: "bad DW_FORM_indirect form \(actual)")
            }
            return try formValue(
                UInt16(actual), implicitConstant: 0, addressSize: addressSize, offsetSize: offsetSize,
                version: version)
        default:
            throw SymbolsError(
                code: .malformed, offset: offset, message: "unknown attribute form 0x\(String(form, radix: 16))")
        }
    }

    /// Skips an attribute value of `spec`'s form.
    @inline(__always)
    mutating func skipForm(
        _ spec: DWARFAttributeSpec, addressSize: Int, offsetSize: Int, version: UInt16
    ) throws(SymbolsError) {
        if spec.fixedSize >= 0 {
            try skip(spec.fixedSize)
            return
        }
        switch spec.form {
        case DWARFForm.udata, DWARFForm.sdata, DWARFForm.refUdata, DWARFForm.strx, DWARFForm.addrx,
            DWARFForm.rnglistx, DWARFForm.loclistx, DWARFForm.gnuAddrIndex, DWARFForm.gnuStrIndex:
            try skipLEB()
        case DWARFForm.string: _ = try skipCString()
        default:
            _ = try formValue(
                spec.form, implicitConstant: spec.implicitConstant, addressSize: addressSize, offsetSize: offsetSize,
                version: version)
        }
    }
}
