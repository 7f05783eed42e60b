// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// What one value is when read as a pointer: its region and an explanation.
public struct AddressClassification: Sendable, Hashable {
    public var value: UInt64
    public var region: AddressRegion
    /// One line for people: the range's name, the errno, the poison and what it implies.
    public var description: String
    /// The address layout used (`x86_64-4level`).
    public var layout: String

    public init(value: UInt64, region: AddressRegion, description: String, layout: String) {
        self.value = value
        self.region = region
        self.description = description
        self.layout = layout
    }

    /// The JSON shape: `{value, class, note}` plus `source` when given.
    public func detail(source: String? = nil, wordSize: Int) -> DetailValue {
        var object = Details()
        object["value"] = .string(HexText.format(value, digits: wordSize * 2))
        object["class"] = .string(region.rawValue)
        object["note"] = .string(description)
        if let source { object["source"] = .string(source) }
        return .object(object)
    }
}
