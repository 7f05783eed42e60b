// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One row of a line table: the source position of the code from `address` to the next row.
struct DWARFLineRow {
    var address: UInt64
    var line: UInt32
    var column: UInt32
    var file: UInt32
}

/// A run of rows ending at an `end_sequence`: `[low, high)`, rows in `rows` sorted by address.
struct DWARFLineSequence {
    var low: UInt64
    var high: UInt64
    var rows: Range<Int>
}

/// The decoded line table of one unit: its files and rows, sorted for lookup.
final class DWARFLineTable {
    struct FileEntry {
        var name: String
        var directoryIndex: Int
    }

    let version: UInt16
    let directories: [String]
    let files: [FileEntry]
    let compilationDirectory: String?
    private let rows: [DWARFLineRow]
    private let sequences: [DWARFLineSequence]
    private var pathCache: [Int: String] = [:]
    /// A problem that ended the program early; the rows before it are kept.
    let problem: SymbolsError?

    init(
        version: UInt16, directories: [String], files: [FileEntry], compilationDirectory: String?,
        rows: [DWARFLineRow], sequences: [DWARFLineSequence], problem: SymbolsError?
    ) {
        self.version = version
        self.directories = directories
        self.files = files
        self.compilationDirectory = compilationDirectory
        self.rows = rows
        self.sequences = sequences.sorted { $0.low < $1.low }
        self.problem = problem
    }

    /// The row for `address`: in the sequence holding it, the last row at or below it (of
    /// several rows at one address, the last, as llvm-symbolizer chooses).
    func row(for address: UInt64) -> DWARFLineRow? {
        var low = 0
        var high = sequences.count
        while low < high {
            let middle = (low + high) / 2
            if sequences[middle].low <= address { low = middle + 1 } else { high = middle }
        }
        var candidate = low - 1
        while candidate >= 0 && candidate >= low - 8 {
            let sequence = sequences[candidate]
            if address < sequence.high { return row(in: sequence, for: address) }
            candidate -= 1
        }
        return nil
    }

    private func row(in sequence: DWARFLineSequence, for address: UInt64) -> DWARFLineRow? {
        var low = sequence.rows.lowerBound
        var high = sequence.rows.upperBound
        while low < high {
            let middle = (low + high) / 2
            if rows[middle].address <= address { low = middle + 1 } else { high = middle }
        }
        return low > sequence.rows.lowerBound ? rows[low - 1] : nil
    }

    /// The full path of file `index` (0-based in DWARF 5, 1-based before), as
    /// llvm-symbolizer writes it: `comp_dir/include_dir/name` unless a part is absolute.
    func path(ofFile index: UInt32) -> String? {
        if let cached = pathCache[Int(index)] { return cached }
        let position = version >= 5 ? Int(index) : Int(index) - 1
        guard position >= 0, position < files.count else { return nil }
        let entry = files[position]
        var result = entry.name
        if !entry.name.hasPrefix("/") {
            var directory = ""
            if version >= 5 {
                if entry.directoryIndex < directories.count { directory = directories[entry.directoryIndex] }
            } else if entry.directoryIndex > 0, entry.directoryIndex <= directories.count {
                directory = directories[entry.directoryIndex - 1]
            }
            var prefix = ""
            if (version < 5 || entry.directoryIndex != 0) && !directory.hasPrefix("/") {
                prefix = compilationDirectory ?? ""
            }
            result = Self.join(Self.join(prefix, directory), entry.name)
        }
        pathCache[Int(index)] = result
        return result
    }

    private static func join(_ head: String, _ tail: String) -> String {
        if tail.isEmpty { return head }
        if head.isEmpty { return tail }
        if head.hasSuffix("/") { return head + tail.drop { $0 == "/" } }
        if tail.hasPrefix("/") { return head + tail }
        return head + "/" + tail
    }
}
