// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// Where a SLUB report's damage lies relative to the object, and what kind of damage it looks like.
public struct SLUBCorruption: Sendable, Hashable {
    /// The area checked: `right-redzone`, `left-redzone`, `object`, `padding`.
    public var area: String
    /// Offsets of the first and last corrupted byte from the object's start (negative: before it).
    public var firstOffset: Int?
    public var lastOffset: Int?
    public var found: UInt8?
    public var expected: UInt8?
    /// The object's size, from the dump's `Object` rows or the cache name.
    public var objectSize: Int?
    /// `single-bit`, `decrement`, `increment`, `zeros`, `redzone-state`, `ascii`, `bytes`.
    public var pattern: String
    /// `overflow`, `underflow`, `use-after-free-write`, `bit-flip`, `state-mismatch`, `unknown`.
    public var assessment: String
    /// The assessment in words.
    public var explanation: String
    /// How the offsets were found (`addresses`, `report-offsets`, `dump-scan`).
    public var method: String?
    /// The addresses of the first and last corrupted byte as the report printed them (`INFO: 0x…-0x…`),
    /// when they are real addresses (before 4.15, or with `no_hash_pointers`).
    public var firstAddress: UInt64?
    public var lastAddress: UInt64?
    /// Whether the printed dump holds, at `firstOffset`, the first byte that differs from what the
    /// area should hold (`nil` when no dump covers it): the report's line checked against its dump.
    public var dumpAgrees: Bool?
    /// What the dump shows where it disagrees with the report's range, in words.
    public var dumpNote: String?

    /// The JSON shape (`details.slab.corruption`).
    public var detail: DetailValue {
        var object = Details()
        object["area"] = .string(area)
        if let firstOffset { object["first_offset"] = .integer(Int64(firstOffset)) }
        if let lastOffset { object["last_offset"] = .integer(Int64(lastOffset)) }
        if let found { object["found"] = .string(HexText.format(UInt64(found), digits: 2)) }
        if let expected { object["expected"] = .string(HexText.format(UInt64(expected), digits: 2)) }
        if let objectSize { object["object_size"] = .integer(Int64(objectSize)) }
        object["pattern"] = .string(pattern)
        object["assessment"] = .string(assessment)
        object["explanation"] = .string(explanation)
        if let method { object["method"] = .string(method) }
        if let firstAddress { object["first_address"] = .string(HexText.format(firstAddress)) }
        if let lastAddress { object["last_address"] = .string(HexText.format(lastAddress)) }
        if let dumpAgrees { object["dump_agrees"] = .bool(dumpAgrees) }
        if let dumpNote { object["dump_note"] = .string(dumpNote) }
        return .object(object)
    }
}
