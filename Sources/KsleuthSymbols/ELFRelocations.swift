// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Applies the relocations of a relocatable object's debug sections (`.rela.debug_info`,
/// `.rela.debug_line`, …) so that their addresses and cross-section offsets hold the values
/// the object has when placed by an ``ELFSectionLayout``.
///
/// Absolute data relocations are applied for x86_64 (`R_X86_64_64`, `_32`, `_32S`), i386
/// (`R_386_32`), AArch64 (`R_AARCH64_ABS64`, `_ABS32`), 32-bit ARM (`R_ARM_ABS32`) and
/// ppc64 (`R_PPC64_ADDR64`, `_ADDR32`); other types are counted as unsupported and left alone.
enum ELFRelocations {
    private struct Kind {
        var size: Int
    }

    /// Relocates every debug section of `file` in place (the patched copies replace the
    /// contents the file hands out).
    ///
    /// - Returns: the number of relocations of unsupported types that were skipped.
    static func relocateDebugSections(of file: ELFFile, layout: ELFSectionLayout) throws(SymbolsError) -> Int {
        guard file.isRelocatable else { return 0 }
        var values: [UInt64]?
        var unsupported = 0
        for relocations in file.sections
        where relocations.type == ELFSection.typeRelocationsWithAddends
            || relocations.type == ELFSection.typeRelocations
        {
            guard Int(relocations.info) < file.sections.count else { continue }
            let target = file.sections[Int(relocations.info)]
            guard target.name.hasPrefix(".debug_") || target.name.hasPrefix(".zdebug_") else { continue }
            if values == nil { values = try symbolValues(of: file, layout: layout, table: Int(relocations.link)) }
            let original = try file.contents(of: target)
            let patched = UnsafeMutableRawBufferPointer.allocate(byteCount: max(original.count, 1), alignment: 16)
            if original.count > 0 { patched.copyMemory(from: original) }
            let entries = try file.contents(of: relocations)
            do throws(SymbolsError) {
                unsupported += try apply(
                    entries, withAddends: relocations.type == ELFSection.typeRelocationsWithAddends, to: patched,
                    count: original.count, file: file, values: values ?? [])
            } catch {
                patched.deallocate()
                throw error.located(file: file.path, section: relocations.name)
            }
            file.replaceContents(of: target, with: ByteStorage(adopting: patched, count: original.count))
        }
        return unsupported
    }

    private static func kind(of type: UInt64, machine: UInt16) -> Kind? {
        switch (machine, type) {
        case (ELFFile.machineX8664, 1): Kind(size: 8)
        case (ELFFile.machineX8664, 10), (ELFFile.machineX8664, 11): Kind(size: 4)
        case (ELFFile.machine386, 1): Kind(size: 4)
        case (ELFFile.machineAArch64, 257): Kind(size: 8)
        case (ELFFile.machineAArch64, 258): Kind(size: 4)
        case (40, 2): Kind(size: 4)
        case (21, 38): Kind(size: 8)
        case (21, 1), (20, 1): Kind(size: 4)
        default: nil
        }
    }

    private static func apply(
        _ entries: UnsafeRawBufferPointer, withAddends: Bool, to target: UnsafeMutableRawBufferPointer, count: Int,
        file: ELFFile, values: [UInt64]
    ) throws(SymbolsError) -> Int {
        var reader = DataReader(entries, littleEndian: file.isLittleEndian)
        var unsupported = 0
        let entrySize = (file.is64Bit ? 16 : 8) + (withAddends ? (file.is64Bit ? 8 : 4) : 0)
        while reader.remaining >= entrySize {
            let offset: UInt64
            let symbolIndex: Int
            let type: UInt64
            var addend: Int64 = 0
            if file.is64Bit {
                offset = try reader.u64()
                let info = try reader.u64()
                symbolIndex = Int(info >> 32)
                type = info & 0xffff_ffff
                if withAddends { addend = Int64(bitPattern: try reader.u64()) }
            } else {
                offset = UInt64(try reader.u32())
                let info = try reader.u32()
                symbolIndex = Int(info >> 8)
                type = UInt64(info & 0xff)
                if withAddends { addend = Int64(Int32(bitPattern: try reader.u32())) }
            }
            guard type != 0 else { continue }
            guard let kind = kind(of: type, machine: file.machine) else {
                unsupported += 1
                continue
            }
            guard offset <= UInt64(count), UInt64(kind.size) <= UInt64(count) - offset else {
                throw SymbolsError(
                    code: .malformed, offset: reader.offset - entrySize,
                    message: "relocation at 0x\(String(offset, radix: 16)) lies outside its \(count)-byte section")
            }
            let position = Int(offset)
            if !withAddends {
                var existing = DataReader(
                    UnsafeRawBufferPointer(target), offset: position, littleEndian: file.isLittleEndian)
                addend = Int64(bitPattern: try existing.unsigned(size: kind.size))
                if kind.size == 4 { addend = Int64(Int32(truncatingIfNeeded: addend)) }
            }
            let symbolValue = symbolIndex < values.count ? values[symbolIndex] : 0
            let value = symbolValue &+ UInt64(bitPattern: addend)
            store(value, size: kind.size, at: position, in: target, littleEndian: file.isLittleEndian)
        }
        return unsupported
    }

    private static func store(
        _ value: UInt64, size: Int, at position: Int, in target: UnsafeMutableRawBufferPointer, littleEndian: Bool
    ) {
        for byte in 0..<size {
            let shift = littleEndian ? byte * 8 : (size - 1 - byte) * 8
            target[position + byte] = UInt8(truncatingIfNeeded: value >> UInt64(shift))
        }
    }

    /// The value of every symbol of table `index`, by symbol index: its section's placed
    /// address plus its value (section symbols are their section's address).
    private static func symbolValues(
        of file: ELFFile, layout: ELFSectionLayout, table index: Int
    ) throws(SymbolsError) -> [UInt64] {
        guard index > 0, index < file.sections.count else { return [] }
        let data = try file.contents(of: file.sections[index])
        let entrySize = file.is64Bit ? 24 : 16
        var reader = DataReader(data, littleEndian: file.isLittleEndian)
        var values: [UInt64] = []
        values.reserveCapacity(data.count / entrySize)
        do throws(SymbolsError) {
            while reader.remaining >= entrySize {
                _ = try reader.u32()
                let value: UInt64
                let sectionIndex: UInt16
                if file.is64Bit {
                    try reader.skip(2)
                    sectionIndex = try reader.u16()
                    value = try reader.u64()
                    try reader.skip(8)
                } else {
                    value = UInt64(try reader.u32())
                    try reader.skip(6)
                    sectionIndex = try reader.u16()
                }
                let base = sectionIndex > 0 && sectionIndex < 0xff00 ? layout.address(ofSection: Int(sectionIndex)) : 0
                values.append(value &+ base)
            }
        } catch {
            throw error.located(file: file.path, section: file.sections[index].name)
        }
        return values
    }
}
