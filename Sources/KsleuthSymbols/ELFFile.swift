// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthInput

/// An ELF file (32- or 64-bit, either byte order): a `vmlinux`, a module `.ko` (also packed
/// as `.ko.xz`, `.ko.zst` or `.ko.gz`, told by magic bytes), or any program.
///
/// Opening reads only the headers and the section table; contents are read when asked for,
/// compressed debug sections unpacked once and kept.
public final class ELFFile {
    /// `ET_REL`: a relocatable object (`.o`, `.ko`).
    public static let typeRelocatable: UInt16 = 1
    /// `EM_386`.
    public static let machine386: UInt16 = 3
    /// `EM_X86_64`.
    public static let machineX8664: UInt16 = 62
    /// `EM_AARCH64`.
    public static let machineAArch64: UInt16 = 183

    /// The path the file was opened from.
    public let path: String
    /// How the file itself was packed (`.none` for a plain ELF file).
    public let packing: CompressionFormat
    /// The file's bytes (unpacked).
    public let storage: ByteStorage
    public let is64Bit: Bool
    public let isLittleEndian: Bool
    /// `e_type`.
    public let fileType: UInt16
    /// `e_machine`.
    public let machine: UInt16
    /// The section header table, in index order.
    public let sections: [ELFSection]
    private var unpackedSections: [Int: ByteStorage] = [:]
    private var sectionsByName: [String: Int] = [:]

    /// Opens and reads the headers of the ELF file at `path`, unpacking it first when it is
    /// compressed.
    ///
    /// - Throws: ``SymbolsError``: `cannotOpen`, `unsupported` (not ELF), `truncated` (the
    ///   section header table runs past the end), `decompression`.
    public convenience init(path: String) throws(SymbolsError) {
        let mapped = try ByteStorage(contentsOf: path)
        let format = CompressionFormat(magic: mapped.bytes.prefix(CompressionFormat.magicLength))
        if format == .none {
            try self.init(storage: mapped, path: path, packing: .none)
            return
        }
        let unpacked: [UInt8]
        do throws(InputError) {
            unpacked = try BufferDecompression.decompress(Array(mapped.bytes), name: path).bytes
        } catch {
            throw SymbolsError(code: .decompression, file: path, offset: error.byteOffset, message: error.message)
        }
        try self.init(storage: ByteStorage(copying: unpacked), path: path, packing: format)
    }

    /// Reads the headers of the ELF image in `storage`.
    public init(storage: ByteStorage, path: String, packing: CompressionFormat = .none) throws(SymbolsError) {
        self.path = path
        self.packing = packing
        self.storage = storage
        let bytes = storage.bytes
        guard bytes.count >= 16, bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46 else {
            throw SymbolsError(
                code: .unsupported, file: path, offset: 0, message: "not an ELF file (no \\x7fELF magic)")
        }
        guard bytes[4] == 1 || bytes[4] == 2, bytes[5] == 1 || bytes[5] == 2 else {
            throw SymbolsError(
                code: .unsupported, file: path, offset: 4,
                message: "unknown ELF class \(bytes[4]) or byte order \(bytes[5])")
        }
        is64Bit = bytes[4] == 2
        isLittleEndian = bytes[5] == 1
        do throws(SymbolsError) {
            var header = DataReader(bytes, offset: 16, littleEndian: isLittleEndian)
            fileType = try header.u16()
            machine = try header.u16()
            _ = try header.u32()
            let sectionTableOffset: UInt64
            if is64Bit {
                try header.skip(16)
                sectionTableOffset = try header.u64()
            } else {
                try header.skip(8)
                sectionTableOffset = UInt64(try header.u32())
            }
            try header.skip(10)
            let entrySize = Int(try header.u16())
            var count = Int(try header.u16())
            var nameIndex = Int(try header.u16())
            guard sectionTableOffset != 0 else {
                sections = []
                return
            }
            guard entrySize >= (is64Bit ? 64 : 40), sectionTableOffset < UInt64(bytes.count) else {
                throw SymbolsError(
                    code: .truncated, offset: Int(clamping: sectionTableOffset),
                    message: "section header table at 0x\(String(sectionTableOffset, radix: 16)) "
                        + "(entries of \(entrySize) bytes) lies outside the \(bytes.count)-byte file")
            }
            let tableStart = Int(sectionTableOffset)
            var raw: [RawSection] = []
            let first = try Self.readSection(bytes, at: tableStart, index: 0, is64Bit: is64Bit, little: isLittleEndian)
            if count == 0 { count = Int(clamping: first.size) }
            if nameIndex == 0xffff { nameIndex = Int(first.link) }
            guard count <= (bytes.count - tableStart) / entrySize else {
                throw SymbolsError(
                    code: .truncated, offset: tableStart,
                    message: "section header table of \(count) entries runs past the end of the \(bytes.count)-byte "
                        + "file (truncated ELF?)")
            }
            raw.reserveCapacity(count)
            for index in 0..<count {
                raw.append(
                    try Self.readSection(
                        bytes, at: tableStart + index * entrySize, index: index, is64Bit: is64Bit,
                        little: isLittleEndian))
            }
            if nameIndex > 0, nameIndex < raw.count {
                let names = raw[nameIndex]
                if let table = Self.range(of: names, in: bytes.count) {
                    let nameBytes = UnsafeRawBufferPointer(rebasing: bytes[table])
                    for index in raw.indices {
                        raw[index].name = DataReader.string(in: nameBytes, at: Int(raw[index].nameOffset)) ?? ""
                    }
                }
            }
            sections = raw.map { $0.section }
        } catch {
            throw error.located(file: path, section: "ELF header")
        }
        for section in sections where sectionsByName[section.name] == nil {
            sectionsByName[section.name] = section.index
        }
    }

    /// Whether this is a relocatable object (`.o`, `.ko`), whose sections have no addresses
    /// until placed.
    public var isRelocatable: Bool { fileType == ELFFile.typeRelocatable }

    /// The first section named `name`.
    public func section(named name: String) -> ELFSection? {
        sectionsByName[name].map { sections[$0] }
    }

    /// The contents of `section`, unpacked when `SHF_COMPRESSED` (zlib or zstd) or a legacy
    /// `.zdebug` section.
    ///
    /// - Throws: ``SymbolsError``: `truncated` when the section runs past the end of the file,
    ///   `decompression` when its compressed contents are damaged.
    public func contents(of section: ELFSection) throws(SymbolsError) -> UnsafeRawBufferPointer {
        if section.type == ELFSection.typeNoBits { return UnsafeRawBufferPointer(start: nil, count: 0) }
        if let unpacked = unpackedSections[section.index] { return unpacked.bytes }
        guard let range = Self.range(of: section, in: storage.bytes.count) else {
            throw SymbolsError(
                code: .truncated, file: path, section: section.name, offset: Int(clamping: section.fileOffset),
                message: "section of \(section.size) bytes at file offset 0x\(String(section.fileOffset, radix: 16)) "
                    + "runs past the end of the \(storage.bytes.count)-byte file (truncated ELF?)")
        }
        let raw = UnsafeRawBufferPointer(rebasing: storage.bytes[range])
        let compressed = section.flags & ELFSection.flagCompressed != 0
        let legacy = section.name.hasPrefix(".zdebug")
        guard compressed || legacy else { return raw }
        do throws(SymbolsError) {
            let unpacked =
                compressed
                ? try ELFSectionDecompression.unpack(raw, is64Bit: is64Bit, littleEndian: isLittleEndian)
                : try ELFSectionDecompression.unpackLegacy(raw)
            unpackedSections[section.index] = unpacked
            return unpacked.bytes
        } catch {
            throw error.located(file: path, section: section.name)
        }
    }

    /// Replaces the contents of `section` (with its relocations applied, for instance).
    func replaceContents(of section: ELFSection, with storage: ByteStorage) {
        unpackedSections[section.index] = storage
    }

    /// The GNU build id from `.note.gnu.build-id` (or any note section holding one), as lower
    /// case hex, or `nil` when the file has none.
    public var buildID: String? {
        for section in sections where section.type == ELFSection.typeNote {
            guard let bytes = try? contents(of: section) else { continue }
            if let id = Self.buildID(inNotes: bytes, littleEndian: isLittleEndian) { return id }
        }
        return nil
    }

    private static func buildID(inNotes bytes: UnsafeRawBufferPointer, littleEndian: Bool) -> String? {
        var reader = DataReader(bytes, littleEndian: littleEndian)
        while reader.remaining >= 12 {
            guard let nameSize = try? reader.u32(), let descriptionSize = try? reader.u32(),
                let type = try? reader.u32()
            else { return nil }
            let nameStart = reader.offset
            let paddedName = (Int(nameSize) + 3) & ~3
            let paddedDescription = (Int(descriptionSize) + 3) & ~3
            guard paddedName <= reader.remaining, paddedDescription <= reader.remaining - paddedName else { return nil }
            let descriptionStart = nameStart + paddedName
            if type == 3, nameSize == 4, bytes[nameStart] == 0x47, bytes[nameStart + 1] == 0x4e,
                bytes[nameStart + 2] == 0x55, descriptionSize > 0
            {
                let id = bytes[descriptionStart..<(descriptionStart + Int(descriptionSize))]
                return id.map { byte in
                    let hex = String(byte, radix: 16)
                    return byte < 16 ? "0" + hex : hex
                }.joined()
            }
            reader.offset = descriptionStart + paddedDescription
        }
        return nil
    }

    private struct RawSection {
        var section: ELFSection
        var nameOffset: UInt32
        var name: String {
            get { section.name }
            set { section.name = newValue }
        }
        var size: UInt64 { section.size }
        var link: UInt32 { section.link }
        var fileOffset: UInt64 { section.fileOffset }
        var type: UInt32 { section.type }
    }

    private static func readSection(
        _ bytes: UnsafeRawBufferPointer, at offset: Int, index: Int, is64Bit: Bool, little: Bool
    ) throws(SymbolsError) -> RawSection {
        var reader = DataReader(bytes, offset: offset, littleEndian: little)
        let nameOffset = try reader.u32()
        let type = try reader.u32()
        let word: (inout DataReader) throws(SymbolsError) -> UInt64 = {
            (reader: inout DataReader) throws(SymbolsError) in
            is64Bit ? try reader.u64() : UInt64(try reader.u32())
        }
        let flags = try word(&reader)
        let address = try word(&reader)
        let fileOffset = try word(&reader)
        let size = try word(&reader)
        let link = try reader.u32()
        let info = try reader.u32()
        let alignment = try word(&reader)
        let entrySize = try word(&reader)
        return RawSection(
            section: ELFSection(
                index: index, name: "", type: type, flags: flags, address: address, fileOffset: fileOffset,
                size: size, link: link, info: info, alignment: alignment, entrySize: entrySize),
            nameOffset: nameOffset)
    }

    private static func range(of section: RawSection, in fileSize: Int) -> Range<Int>? {
        range(of: section.section, in: fileSize)
    }

    private static func range(of section: ELFSection, in fileSize: Int) -> Range<Int>? {
        guard section.fileOffset <= UInt64(fileSize), section.size <= UInt64(fileSize) - section.fileOffset else {
            return nil
        }
        return Int(section.fileOffset)..<Int(section.fileOffset + section.size)
    }
}
