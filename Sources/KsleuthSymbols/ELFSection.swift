// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One entry of an ELF file's section header table, 32- or 64-bit alike.
public struct ELFSection: Sendable, Hashable {
    /// `SHT_PROGBITS`.
    public static let typeProgramBits: UInt32 = 1
    /// `SHT_SYMTAB`.
    public static let typeSymbolTable: UInt32 = 2
    /// `SHT_RELA`.
    public static let typeRelocationsWithAddends: UInt32 = 4
    /// `SHT_NOTE`.
    public static let typeNote: UInt32 = 7
    /// `SHT_NOBITS` (`.bss`: no bytes in the file).
    public static let typeNoBits: UInt32 = 8
    /// `SHT_REL`.
    public static let typeRelocations: UInt32 = 9
    /// `SHT_DYNSYM`.
    public static let typeDynamicSymbols: UInt32 = 11

    /// `SHF_WRITE`.
    public static let flagWrite: UInt64 = 0x1
    /// `SHF_ALLOC`: occupies memory when loaded.
    public static let flagAlloc: UInt64 = 0x2
    /// `SHF_EXECINSTR`.
    public static let flagExecute: UInt64 = 0x4
    /// `SHF_COMPRESSED`: the contents start with a compression header.
    public static let flagCompressed: UInt64 = 0x800

    /// The index in the section header table.
    public var index: Int
    /// The name from the section name string table.
    public var name: String
    public var type: UInt32
    public var flags: UInt64
    /// The address when loaded (0 in relocatable objects until placed).
    public var address: UInt64
    /// Where the contents start in the file.
    public var fileOffset: UInt64
    /// The size in the file (of the compressed form when `SHF_COMPRESSED`).
    public var size: UInt64
    public var link: UInt32
    public var info: UInt32
    public var alignment: UInt64
    public var entrySize: UInt64

    /// Whether the section takes memory when loaded.
    public var isAllocated: Bool { flags & ELFSection.flagAlloc != 0 }
    /// Whether the section holds code.
    public var isExecutable: Bool { flags & ELFSection.flagExecute != 0 }
}
