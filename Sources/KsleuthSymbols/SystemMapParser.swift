// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The symbols of a `System.map` or `/proc/kallsyms` text and what could not be read.
public struct SystemMap: Sendable {
    /// The symbols, indexed (sizes inferred from the next symbol).
    public var table: SymbolTable
    /// How many non-empty lines were not `<hex address> <type letter> <name>[\t[module]]`.
    public var skippedLines: Int
    /// The 1-based numbers of the first few skipped lines, for the warning.
    public var firstSkippedLines: [Int]
    /// Whether every address was zero: kallsyms read without permission (`kptr_restrict`).
    public var addressesHidden: Bool

    /// The warnings a user should see (garbage lines, hidden addresses), empty when none.
    public var warnings: [String] {
        ListingWarnings.warnings(
            skippedLines: skippedLines, firstSkippedLines: firstSkippedLines, addressesHidden: addressesHidden,
            entries: "symbols", file: "kallsyms")
    }
}

/// Reads `System.map` (`nm -n vmlinux`) and `/proc/kallsyms` text.
public enum SystemMapParser {
    /// Parses map text; lines that are not symbols are counted and skipped, never fatal.
    ///
    /// Types `U`, `N`, `w` without an address and `a` absolute symbols are kept only when they
    /// carry an address, since kallsyms drops the undefined ones itself.
    public static func parse(_ text: some Collection<UInt8>) -> SystemMap {
        let bytes = Array(text)
        var symbols: [Symbol] = []
        var skipped = 0
        var firstSkipped: [Int] = []
        var allZero = true
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0a { end += 1 }
            lineNumber += 1
            let line = bytes[start..<end]
            start = end + 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0d }) { continue }
            if let symbol = parseLine(line) {
                if symbol.type != "U" { symbols.append(symbol) }
                if symbol.address != 0 { allZero = false }
            } else {
                skipped += 1
                if firstSkipped.count < 5 { firstSkipped.append(lineNumber) }
            }
        }
        return SystemMap(
            table: SymbolTable(symbols), skippedLines: skipped, firstSkippedLines: firstSkipped,
            addressesHidden: allZero && !symbols.isEmpty)
    }

    /// Reads the map at `path` (plain or compressed).
    public static func parse(contentsOf path: String) throws(SymbolsError) -> SystemMap {
        let storage = try ByteStorage(contentsOf: path)
        return parse(storage.bytes)
    }

    private static func parseLine(_ line: ArraySlice<UInt8>) -> Symbol? {
        var index = line.startIndex
        var address: UInt64 = 0
        var digits = 0
        while index < line.endIndex, let value = hexValue(line[index]) {
            guard digits < 16 else { return nil }
            address = address << 4 | UInt64(value)
            digits += 1
            index += 1
        }
        guard digits > 0, index < line.endIndex, line[index] == 0x20 else { return nil }
        index += 1
        guard index < line.endIndex else { return nil }
        let typeByte = line[index]
        guard (typeByte >= 0x41 && typeByte <= 0x5a) || (typeByte >= 0x61 && typeByte <= 0x7a) || typeByte == 0x3f
        else { return nil }
        index += 1
        guard index < line.endIndex, line[index] == 0x20 else { return nil }
        index += 1
        let nameStart = index
        while index < line.endIndex, line[index] > 0x20 { index += 1 }
        guard index > nameStart else { return nil }
        let name = String(decoding: line[nameStart..<index], as: UTF8.self)
        var module: String?
        while index < line.endIndex, line[index] == 0x20 || line[index] == 0x09 { index += 1 }
        if index < line.endIndex {
            guard line[index] == 0x5b else { return nil }
            let moduleStart = index + 1
            var moduleEnd = moduleStart
            while moduleEnd < line.endIndex, line[moduleEnd] != 0x5d, line[moduleEnd] != 0x20 { moduleEnd += 1 }
            guard moduleEnd > moduleStart, moduleEnd < line.endIndex else { return nil }
            module = String(decoding: line[moduleStart..<moduleEnd], as: UTF8.self)
        }
        return Symbol(name: name, address: address, type: Character(UnicodeScalar(typeByte)), module: module)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
