// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// What a KASAN report states, with the shadow byte of the bad access decoded.
public struct KASANReport: Sendable, Hashable {
    public var bugType: String
    public var function: String?
    /// `read`, `write` or `free`.
    public var access: String?
    public var size: Int?
    public var address: UInt64?
    public var task: String?
    public var objectStart: UInt64?
    public var cache: String?
    public var objectSize: Int?
    /// The report's own `located <n> bytes <inside|to the left|to the right> of`.
    public var statedDistance: Int?
    public var statedRelation: String?
    /// The access's offset from the object's start, computed from the addresses.
    public var offset: Int?
    /// The guilty shadow byte and what it means.
    public var shadowValue: UInt8?
    public var shadowMeaning: String?
    public var shadowBugType: String?
    /// The column the `^` marker points at agrees with the access address.
    public var markerAgrees: Bool?
    /// Distinct shadow values in the dump with their meanings.
    public var legend: [(value: UInt8, meaning: String)]
    public var allocatedBy: String?
    public var freedBy: String?

    public static func == (left: KASANReport, right: KASANReport) -> Bool {
        left.bugType == right.bugType && left.address == right.address && left.shadowValue == right.shadowValue
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(bugType)
        hasher.combine(address)
    }

    /// The JSON shape (`details.slab.kasan`).
    public var detail: DetailValue {
        var object = Details()
        object["bug_type"] = .string(bugType)
        if let function { object["function"] = .string(function) }
        if let access { object["access"] = .string(access) }
        if let size { object["access_size"] = .integer(Int64(size)) }
        if let address { object["address"] = .string(HexText.format(address, digits: 16)) }
        if let task { object["task"] = .string(task) }
        if let objectStart { object["object_start"] = .string(HexText.format(objectStart, digits: 16)) }
        if let cache { object["cache"] = .string(cache) }
        if let objectSize { object["object_size"] = .integer(Int64(objectSize)) }
        if let offset { object["offset"] = .integer(Int64(offset)) }
        if let statedRelation { object["relation"] = .string(statedRelation) }
        if let shadowValue { object["shadow_byte"] = .string(HexText.format(UInt64(shadowValue), digits: 2)) }
        if let shadowMeaning { object["shadow_meaning"] = .string(shadowMeaning) }
        if let shadowBugType { object["shadow_bug_type"] = .string(shadowBugType) }
        if let markerAgrees { object["marker_agrees"] = .bool(markerAgrees) }
        if !legend.isEmpty {
            object["shadow_legend"] = .list(
                legend.map { entry in
                    var item = Details()
                    item["value"] = .string(HexText.format(UInt64(entry.value), digits: 2))
                    item["meaning"] = .string(entry.meaning)
                    return .object(item)
                })
        }
        if let allocatedBy { object["allocated_by"] = .string(allocatedBy) }
        if let freedBy { object["freed_by"] = .string(freedBy) }
        return .object(object)
    }
}
