// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation

/// Says what kind of memory a value points into for one architecture's layout, and spots the
/// values that are not addresses at all (NULL + offset, ERR_PTR, LIST_POISON, slab poison).
public struct AddressClassifier: Sendable {
    public var layout: AddressLayout
    /// The release, which decides LIST_POISON's value; `nil` tries every era's.
    public var version: KernelVersion?

    public init(layout: AddressLayout, version: KernelVersion? = nil) {
        self.layout = layout
        self.version = version
    }

    /// The classifier for `architecture` in `version`.
    public init(architecture: Architecture, version: KernelVersion? = nil, vaBits: Int? = nil) {
        self.init(layout: AddressLayout.layout(for: architecture, version: version, vaBits: vaBits), version: version)
    }

    public var wordSize: Int { layout.architecture.wordSize }

    /// Classifies `value`.
    public func classify(_ value: UInt64) -> AddressClassification {
        let (region, description) = describe(value)
        return AddressClassification(value: value, region: region, description: description, layout: layout.name)
    }

    func describe(_ value: UInt64) -> (AddressRegion, String) {
        let top: UInt64 = wordSize == 4 ? 0xffff_ffff : .max
        if value > top { return (.nonCanonical, "wider than a 32-bit pointer") }
        if top - value < AddressSpecialValues.maximumErrno {
            let errno = Int(top - value + 1)
            let name = AddressSpecialValues.errnoNames[errno].map { " = -\($0)" } ?? ""
            return (.errPtr, "ERR_PTR(-\(errno))\(name): an error code used as a pointer (missing IS_ERR() check)")
        }
        if let poison = listPoison(value) { return (.listPoison, poison) }
        if value < 0x1000 {
            if value == 0 { return (.null, "NULL") }
            if value == 0x10 {
                return (.null, "ZERO_SIZE_PTR (kmalloc(0)), or a field at offset 0x10 of a NULL pointer")
            }
            return (
                .null,
                "NULL + \(HexText.format(value)): a field at offset \(HexText.format(value)) of a NULL struct pointer"
            )
        }
        if let poison = slabPoison(value) { return (.slabPoison, poison) }
        if let magic = AddressSpecialValues.magicWords.first(where: { $0.value == value }) {
            return (.magic, magic.meaning)
        }
        if layout.architecture == .amd64, value >= 0xdfff_fc00_0000_0000, value < 0xdfff_fc00_0000_1000 {
            let offset = (value - 0xdfff_fc00_0000_0000) << 3
            return (
                .nonCanonical,
                "non-canonical: KASAN shadow of NULL + \(HexText.format(offset)) (KASAN checked a near-NULL pointer)"
            )
        }
        guard let range = layout.range(of: value) else { return (.hole, "not in any range of \(layout.name)") }
        return (range.region, range.description)
    }

    /// The LIST_POISON value (with a small member offset) `value` is, if any.
    func listPoison(_ value: UInt64) -> String? {
        for poison in AddressSpecialValues.listPoisons(version: version) {
            let base = layout.poisonPointerDelta &+ poison.value
            if value == base {
                return "\(poison.name) = \(HexText.format(base)): a list entry used after list_del()"
            }
            if value > base, value - base <= 0x40 {
                return "\(poison.name) + \(HexText.format(value - base)): a list entry used after list_del()"
            }
        }
        return nil
    }

    /// The slab or page poison `value` is made of (allowing a small member offset), if any.
    func slabPoison(_ value: UInt64) -> String? {
        for pattern in AddressSpecialValues.patterns {
            var word: UInt64 = 0
            for _ in 0..<wordSize { word = word << 8 | UInt64(pattern.byte) }
            if value == word { return pattern.meaning }
            if value > word, value - word < 0x1000 {
                return "\(pattern.meaning); plus a member offset \(HexText.format(value - word))"
            }
        }
        return nil
    }
}
