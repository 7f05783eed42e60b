// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The debug sections of one ELF file, unpacked and (for relocatable objects) relocated.
///
/// A missing section is empty.
struct DWARFSections {
    var info = UnsafeRawBufferPointer(start: nil, count: 0)
    var abbrev = UnsafeRawBufferPointer(start: nil, count: 0)
    var str = UnsafeRawBufferPointer(start: nil, count: 0)
    var lineStr = UnsafeRawBufferPointer(start: nil, count: 0)
    var line = UnsafeRawBufferPointer(start: nil, count: 0)
    var ranges = UnsafeRawBufferPointer(start: nil, count: 0)
    var rnglists = UnsafeRawBufferPointer(start: nil, count: 0)
    var addr = UnsafeRawBufferPointer(start: nil, count: 0)
    var strOffsets = UnsafeRawBufferPointer(start: nil, count: 0)
    var littleEndian = true
    /// Sections that could not be read, with why (the others are still used).
    var problems: [SymbolsError] = []

    /// Reads the debug sections of `file` (its bytes must outlive the result).
    init(file: ELFFile) {
        littleEndian = file.isLittleEndian
        func load(_ name: String) -> UnsafeRawBufferPointer {
            let section = file.section(named: ".debug_" + name) ?? file.section(named: ".zdebug_" + name)
            guard let section else { return UnsafeRawBufferPointer(start: nil, count: 0) }
            do throws(SymbolsError) {
                return try file.contents(of: section)
            } catch {
                problems.append(error)
                return UnsafeRawBufferPointer(start: nil, count: 0)
            }
        }
        info = load("info")
        abbrev = load("abbrev")
        str = load("str")
        lineStr = load("line_str")
        line = load("line")
        ranges = load("ranges")
        rnglists = load("rnglists")
        addr = load("addr")
        strOffsets = load("str_offsets")
    }

    /// Whether there is any DWARF to read.
    var hasDebugInfo: Bool { info.count > 0 && abbrev.count > 0 }
}
