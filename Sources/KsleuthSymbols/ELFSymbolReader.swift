// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Reads the function and object symbols of an ELF file's `.symtab` (or `.dynsym` when it
/// was stripped) into ``Symbol``s with `nm`-style type letters.
enum ELFSymbolReader {
    private static let machineARM: UInt16 = 40

    /// The defined symbols of `file`, at the addresses of `layout`.
    ///
    /// - Throws: ``SymbolsError`` when the symbol table section runs past the end of the file.
    static func symbols(of file: ELFFile, layout: ELFSectionLayout) throws(SymbolsError) -> [Symbol] {
        guard
            let table = file.sections.first(where: { $0.type == ELFSection.typeSymbolTable })
                ?? file.sections.first(where: { $0.type == ELFSection.typeDynamicSymbols })
        else { return [] }
        let data = try file.contents(of: table)
        let names: UnsafeRawBufferPointer
        if Int(table.link) < file.sections.count {
            names = try file.contents(of: file.sections[Int(table.link)])
        } else {
            names = UnsafeRawBufferPointer(start: nil, count: 0)
        }
        let entrySize = file.is64Bit ? 24 : 16
        var reader = DataReader(data, littleEndian: file.isLittleEndian)
        var result: [Symbol] = []
        result.reserveCapacity(data.count / entrySize)
        while reader.remaining >= entrySize {
            let nameOffset: UInt32
            let value: UInt64
            let size: UInt64
            let info: UInt8
            let sectionIndex: UInt16
            do throws(SymbolsError) {
                nameOffset = try reader.u32()
                if file.is64Bit {
                    info = try reader.u8()
                    _ = try reader.u8()
                    sectionIndex = try reader.u16()
                    value = try reader.u64()
                    size = try reader.u64()
                } else {
                    value = UInt64(try reader.u32())
                    size = UInt64(try reader.u32())
                    info = try reader.u8()
                    _ = try reader.u8()
                    sectionIndex = try reader.u16()
                }
            } catch {
                throw error.located(file: file.path, section: table.name)
            }
            let kind = info & 0xf
            let binding = info >> 4
            // Undefined, section and file symbols, and reserved indexes other than absolute.
            guard sectionIndex != 0, kind != 3, kind != 4, kind <= 2 || kind == 10 else { continue }
            guard sectionIndex < 0xff00 || sectionIndex == 0xfff1 else { continue }
            guard let name = DataReader.string(in: names, at: Int(nameOffset)), !name.isEmpty,
                !name.hasPrefix("$"), !name.hasPrefix(".L")
            else { continue }
            var address = value
            var letter: Character = "a"
            if sectionIndex != 0xfff1, Int(sectionIndex) < file.sections.count {
                let section = file.sections[Int(sectionIndex)]
                if file.isRelocatable { address = value &+ layout.address(ofSection: Int(sectionIndex)) }
                if section.isExecutable {
                    letter = "t"
                } else if section.isAllocated && section.flags & ELFSection.flagWrite != 0 {
                    letter = section.type == ELFSection.typeNoBits ? "b" : "d"
                } else if section.isAllocated {
                    letter = "r"
                } else {
                    letter = "n"
                }
            }
            if file.machine == machineARM, kind == 2 { address &= ~1 }
            if binding == 2 {
                letter = letter == "t" ? "W" : "V"
            } else if binding == 1 || binding == 10 {
                letter = Character(letter.uppercased())
            }
            result.append(Symbol(name: name, address: address, size: size, type: letter))
        }
        return result
    }
}
