// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Where each section of an ELF file sits in memory: its own address in a linked file; in a
/// relocatable object (`.o`, `.ko`), a placement from a base address.
///
/// Objects are placed as the kernel's module loader does: executable sections first, then
/// read-only, then writable ones, each group in section-table order and each section at its
/// alignment, so `base` is the module's `.text` address as `/proc/modules` prints it (when
/// `.text` is the first executable section, as compilers emit it).
public struct ELFSectionLayout: Sendable {
    /// The address of each section, by section index (0 for sections not loaded).
    public let addresses: [UInt64]
    /// From the lowest to the end of the highest executable section, `nil` without code: where
    /// a raw address must lie to be in this file's code.
    public let codeRange: AddressRange?

    /// The layout of `file`: its own addresses, or a placement at `base` when relocatable.
    public init(file: ELFFile, base: UInt64 = 0) {
        guard file.isRelocatable else {
            addresses = file.sections.map(\.address)
            codeRange = Self.codeRange(of: file, at: addresses)
            return
        }
        var placed = [UInt64](repeating: 0, count: file.sections.count)
        var cursor = base
        let groups: [(ELFSection) -> Bool] = [
            { $0.isExecutable },
            { !$0.isExecutable && $0.flags & ELFSection.flagWrite == 0 },
            { !$0.isExecutable && $0.flags & ELFSection.flagWrite != 0 },
        ]
        for belongs in groups {
            for section in file.sections where section.isAllocated && belongs(section) {
                let alignment = max(section.alignment, 1)
                if alignment & (alignment - 1) == 0 {
                    cursor = (cursor &+ alignment &- 1) & ~(alignment - 1)
                }
                placed[section.index] = cursor
                cursor = cursor &+ section.size
            }
        }
        addresses = placed
        codeRange = Self.codeRange(of: file, at: placed)
    }

    private static func codeRange(of file: ELFFile, at addresses: [UInt64]) -> AddressRange? {
        var range: AddressRange?
        for section in file.sections where section.isAllocated && section.isExecutable && section.size > 0 {
            guard section.index < addresses.count else { continue }
            let low = addresses[section.index]
            let high = low &+ section.size
            range = AddressRange(low: min(range?.low ?? low, low), high: max(range?.high ?? high, high))
        }
        return range
    }

    /// The address of section `index`, 0 when out of range.
    public func address(ofSection index: Int) -> UInt64 {
        index >= 0 && index < addresses.count ? addresses[index] : 0
    }
}
