// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Decodes a `.debug_line` program (DWARF 2–5): the header with its directory and file
/// tables (DWARF 5's entry formats, MD5 included), then the state machine into rows.
///
/// Every opcode consumes input, so a program ends within its unit's length; a damaged one
/// ends early with the rows decoded so far.
enum DWARFLineProgram {
    /// The most rows kept from one program.
    static let maximumRows = 1 << 26

    private struct Header {
        var version: UInt16 = 0
        var addressSize = 8
        var minimumInstructionLength: UInt64 = 1
        var defaultIsStatement = true
        var lineBase: Int64 = 0
        var lineRange: UInt64 = 1
        var opcodeBase: UInt8 = 1
        var standardOpcodeLengths: [UInt8] = []
        var directories: [String] = []
        var files: [DWARFLineTable.FileEntry] = []
    }

    /// Decodes the program at `offset` for `unit`.
    ///
    /// - Throws: ``SymbolsError`` when the header cannot be read; damage in the opcodes is
    ///   kept in the table's `problem` instead.
    static func decode(at offset: Int, unit: DWARFCompileUnit) throws(SymbolsError) -> DWARFLineTable {
        let sections = unit.sections
        var reader = DataReader(sections.line, offset: offset, littleEndian: sections.littleEndian)
        var header = Header()
        let programEnd: Int
        do throws(SymbolsError) {
            var length = UInt64(try reader.u32())
            var offsetSize = 4
            if length == 0xffff_ffff {
                length = try reader.u64()
                offsetSize = 8
            }
            guard length <= UInt64(reader.remaining) else {
                throw SymbolsError(
                    code: .malformed, offset: offset,
                    message: "line program length \(length) runs past the end (\(reader.remaining) bytes left)")
            }
            let unitEnd = reader.offset + Int(length)
            reader = DataReader(
                UnsafeRawBufferPointer(rebasing: sections.line[0..<unitEnd]), offset: reader.offset,
                littleEndian: sections.littleEndian)
            header.version = try reader.u16()
            guard (2...5).contains(header.version) else {
                throw SymbolsError(
                    code: .unsupported, offset: offset, message: "line table version \(header.version) is not 2…5")
            }
            header.addressSize = unit.addressSize
            if header.version >= 5 {
                header.addressSize = Int(try reader.u8())
                _ = try reader.u8()
            }
            let headerLength = try reader.unsigned(size: offsetSize)
            guard headerLength <= UInt64(reader.remaining) else {
                throw SymbolsError(code: .malformed, offset: reader.offset, message: "header length \(headerLength)")
            }
            let programStart = reader.offset + Int(headerLength)
            header.minimumInstructionLength = UInt64(try reader.u8())
            if header.version >= 4 { _ = try reader.u8() }
            header.defaultIsStatement = try reader.u8() != 0
            header.lineBase = Int64(Int8(bitPattern: try reader.u8()))
            header.lineRange = UInt64(try reader.u8())
            header.opcodeBase = try reader.u8()
            guard header.lineRange > 0 else {
                throw SymbolsError(code: .malformed, offset: reader.offset, message: "line_range is 0")
            }
            for _ in 1..<max(Int(header.opcodeBase), 1) { header.standardOpcodeLengths.append(try reader.u8()) }
            if header.version >= 5 {
                try readVersion5Tables(&reader, header: &header, unit: unit, offsetSize: offsetSize)
            } else {
                while true {
                    let directory = try reader.cString()
                    if directory.isEmpty { break }
                    header.directories.append(directory)
                }
                while true {
                    let name = try reader.cString()
                    if name.isEmpty { break }
                    let directory = try reader.uleb()
                    try reader.skipLEB()
                    try reader.skipLEB()
                    header.files.append(.init(name: name, directoryIndex: Int(clamping: directory)))
                }
            }
            reader.offset = programStart
            programEnd = unitEnd
        } catch {
            throw error.located(file: "", section: ".debug_line")
        }
        return run(&reader, end: programEnd, header: &header, unit: unit)
    }

    private static func readVersion5Tables(
        _ reader: inout DataReader, header: inout Header, unit: DWARFCompileUnit, offsetSize: Int
    ) throws(SymbolsError) {
        for table in 0..<2 {
            let formatCount = Int(try reader.u8())
            var formats: [(content: UInt64, form: UInt16)] = []
            for _ in 0..<formatCount {
                let content = try reader.uleb()
                let form = try reader.uleb()
                formats.append((content, UInt16(truncatingIfNeeded: form)))
            }
            let count = try reader.uleb()
            guard count <= UInt64(reader.remaining) else {
                throw SymbolsError(code: .malformed, offset: reader.offset, message: "\(count) line table entries")
            }
            for _ in 0..<Int(count) {
                var name = ""
                var directory = 0
                for format in formats {
                    let value = try reader.formValue(
                        format.form, implicitConstant: 0, addressSize: header.addressSize, offsetSize: offsetSize,
                        version: 5)
                    switch format.content {
                    case 1:
                        if value.form == DWARFForm.string {
                            name = DataReader.string(in: reader.bytes, at: Int(value.value)) ?? ""
                        } else {
                            name = unit.string(value) ?? ""
                        }
                    case 2: directory = Int(clamping: value.value)
                    default: break
                    }
                }
                if table == 0 {
                    header.directories.append(name)
                } else {
                    header.files.append(.init(name: name, directoryIndex: directory))
                }
            }
        }
    }

    private static func run(
        _ reader: inout DataReader, end: Int, header: inout Header, unit: DWARFCompileUnit
    ) -> DWARFLineTable {
        var rows: [DWARFLineRow] = []
        var sequences: [DWARFLineSequence] = []
        var problem: SymbolsError?
        var address: UInt64 = 0
        var file: UInt32 = 1
        var line: Int64 = 1
        var column: UInt32 = 0
        var sequenceStart = 0
        var sorted = true
        let opcodeBase = header.opcodeBase
        let lineBase = header.lineBase
        let lineRange = header.lineRange
        let minimum = header.minimumInstructionLength

        func emit() {
            if let last = rows.last, rows.count > sequenceStart, last.address > address { sorted = false }
            rows.append(
                DWARFLineRow(
                    address: address, line: UInt32(truncatingIfNeeded: max(line, 0)), column: column, file: file))
        }
        func endSequence() {
            if rows.count > sequenceStart {
                if !sorted {
                    let slice = rows[sequenceStart...].enumerated().sorted {
                        $0.element.address != $1.element.address
                            ? $0.element.address < $1.element.address : $0.offset < $1.offset
                    }.map(\.element)
                    rows.replaceSubrange(sequenceStart..., with: slice)
                }
                let low = rows[sequenceStart].address
                if address > low {
                    sequences.append(DWARFLineSequence(low: low, high: address, rows: sequenceStart..<rows.count))
                } else {
                    rows.removeSubrange(sequenceStart...)
                }
            }
            sequenceStart = rows.count
            sorted = true
            address = 0
            file = 1
            line = 1
            column = 0
        }

        do throws(SymbolsError) {
            while reader.offset < end {
                guard rows.count < maximumRows else {
                    throw SymbolsError(
                        code: .malformed, offset: reader.offset, message: "more than \(maximumRows) rows")
                }
                let opcode = try reader.u8()
                if opcode >= opcodeBase {
                    let adjusted = UInt64(opcode - opcodeBase)
                    address &+= minimum &* (adjusted / lineRange)
                    line &+= lineBase &+ Int64(adjusted % lineRange)
                    emit()
                    continue
                }
                switch opcode {
                case 0:
                    let length = try reader.uleb()
                    guard length > 0, length <= UInt64(reader.remaining) else {
                        throw SymbolsError(
                            code: .malformed, offset: reader.offset, message: "extended opcode length \(length)")
                    }
                    let next = reader.offset + Int(length)
                    let sub = try reader.u8()
                    switch sub {
                    case 1:
                        emit()
                        endSequence()
                    case 2:
                        let size = Int(length) - 1
                        address = size == 8 || size == 4 || size == 2 ? try reader.unsigned(size: size) : address
                    case 3:
                        let name = try reader.cString()
                        let directory = try reader.uleb()
                        header.files.append(.init(name: name, directoryIndex: Int(clamping: directory)))
                    default: break
                    }
                    reader.offset = next
                case 1: emit()
                case 2: address &+= minimum &* (try reader.uleb())
                case 3: line &+= try reader.sleb()
                case 4: file = UInt32(truncatingIfNeeded: try reader.uleb())
                case 5: column = UInt32(truncatingIfNeeded: try reader.uleb())
                case 6, 7, 10, 11: break
                case 8: address &+= minimum &* ((255 - UInt64(opcodeBase)) / lineRange)
                case 9: address &+= UInt64(try reader.u16())
                case 12: try reader.skipLEB()
                default:
                    let index = Int(opcode) - 1
                    let count = index < header.standardOpcodeLengths.count ? header.standardOpcodeLengths[index] : 0
                    for _ in 0..<count { try reader.skipLEB() }
                }
            }
        } catch {
            problem = error.located(file: "", section: ".debug_line")
        }
        return DWARFLineTable(
            version: header.version, directories: header.directories, files: header.files,
            compilationDirectory: unit.compilationDirectory, rows: rows, sequences: sequences, problem: problem)
    }
}
