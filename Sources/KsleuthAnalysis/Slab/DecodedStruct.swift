// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// A structure read out of dumped bytes: each field's bytes and value.
public struct DecodedStruct: Sendable, Hashable {
    /// One field.
    public struct Field: Sendable, Hashable {
        public var name: String
        public var kind: SlabLayout.FieldKind
        public var offset: Int
        public var size: Int
        /// The bytes as dumped; `nil` for a byte the dump did not hold.
        public var raw: [UInt8?]
        /// The value, when every byte was there.
        public var value: UInt64?
        /// Sub-values of a packed word (SLUB counters: inuse, objects, frozen).
        public var parts: [String: UInt64]
        /// What the value is as an address, for pointers.
        public var address: AddressClassification?

        public init(
            name: String, kind: SlabLayout.FieldKind, offset: Int, size: Int, raw: [UInt8?], value: UInt64?,
            parts: [String: UInt64] = [:], address: AddressClassification? = nil
        ) {
            self.name = name
            self.kind = kind
            self.offset = offset
            self.size = size
            self.raw = raw
            self.value = value
            self.parts = parts
            self.address = address
        }
    }

    public var layout: String
    public var wordSize: Int
    public var littleEndian: Bool
    public var fields: [Field]
    /// What could not be decoded, in words (fields past the end of the dump, unreadable bytes).
    public var missing: [String]

    public init(layout: String, wordSize: Int, littleEndian: Bool, fields: [Field], missing: [String]) {
        self.layout = layout
        self.wordSize = wordSize
        self.littleEndian = littleEndian
        self.fields = fields
        self.missing = missing
    }

    /// The field called `name`.
    public subscript(name: String) -> Field? { fields.first { $0.name == name } }

    /// The value of the field called `name`.
    public func value(_ name: String) -> UInt64? { self[name]?.value }

    /// The fields of the trailing array called `name` (`bufctl[0]`, `bufctl[1]`, …), in order.
    public func elements(_ name: String) -> [Field] { fields.filter { $0.name.hasPrefix(name + "[") } }

    /// The JSON shape.
    public var detail: DetailValue {
        var object = Details()
        object["layout"] = .string(layout)
        object["word_size"] = .integer(Int64(wordSize))
        object["endianness"] = .string(littleEndian ? "little" : "big")
        object["fields"] = .list(
            fields.map { field in
                var entry = Details()
                entry["name"] = .string(field.name)
                entry["offset"] = .integer(Int64(field.offset))
                entry["size"] = .integer(Int64(field.size))
                entry["raw"] = .string(HexText.bytes(field.raw))
                if let value = field.value {
                    entry["value"] = .string(HexText.format(value, digits: field.kind == .pointer ? wordSize * 2 : 1))
                    if field.kind != .pointer { entry["decimal"] = .integer(Int64(bitPattern: value)) }
                }
                for (key, part) in field.parts.sorted(by: { $0.key < $1.key }) { entry[key] = .integer(Int64(part)) }
                if let address = field.address {
                    entry["class"] = .string(address.region.rawValue)
                    entry["note"] = .string(address.description)
                }
                return .object(entry)
            })
        if !missing.isEmpty { object["missing"] = .list(missing.map { .string($0) }) }
        return .object(object)
    }
}
