// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

extension Hexdump {
    /// Bytes shown in `details.hexdumps[].data` at most.
    static let shownBytes = 256

    /// The form's name in JSON.
    public var formName: String {
        if shadowGranule != nil { return "kasan-shadow" }
        switch form {
        case .offset: return "offset"
        case .address: return "address"
        case .labelled: return "slub"
        case .raw: return "dump-page-raw"
        case .code: return "code"
        case .bare: return "bare"
        }
    }

    /// The JSON shape of `details.hexdumps[]` (decoded fields are added by the analyzer).
    public var detail: Details {
        var object = Details()
        object["form"] = .string(formName)
        if let label { object["label"] = .string(label) }
        if let firstLine { object["first_line"] = .integer(Int64(firstLine)) }
        if let lastLine { object["last_line"] = .integer(Int64(lastLine)) }
        object["length"] = .integer(Int64(bytes.count))
        object["missing_bytes"] = .integer(Int64(missingCount))
        object["group_size"] = .integer(Int64(groupSize))
        if let baseAddress { object["base_address"] = .string(HexText.format(baseAddress)) }
        if baseOffset != 0 { object["base_offset"] = .integer(Int64(baseOffset)) }
        if addressesHashed { object["addresses_hashed"] = .bool(true) }
        if let markerIndex { object["marker_offset"] = .integer(Int64(markerIndex)) }
        if let shadowGranule { object["granule"] = .integer(Int64(shadowGranule)) }
        if !sections.isEmpty {
            object["sections"] = .list(
                sections.map { section in
                    var entry = Details()
                    entry["label"] = .string(section.label)
                    entry["offset"] = .integer(Int64(section.start))
                    entry["length"] = .integer(Int64(section.count))
                    if let address = section.address { entry["address"] = .string(HexText.format(address)) }
                    return .object(entry)
                })
        }
        object["data"] = .string(HexText.bytes(bytes.prefix(Self.shownBytes)))
        if bytes.count > Self.shownBytes { object["data_cut"] = .bool(true) }
        if isCut { object["cut"] = .bool(true) }
        if !problems.isEmpty { object["problems"] = .list(problems.prefix(16).map { .string($0) }) }
        return object
    }
}
