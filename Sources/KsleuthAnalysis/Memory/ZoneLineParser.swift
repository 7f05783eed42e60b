// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One zone's line of show_free_areas: free memory, watermarks and the zone's counters.
public struct ZoneLine: Sendable, Equatable {
    /// The NUMA node (0 when the build prints no `Node <n>` prefix).
    public var node: Int
    /// The zone (`DMA`, `DMA32`, `Normal`, `HighMem`, `Movable`).
    public var zone: String
    /// The fields in kB (`free`, `min`, `low`, `high`, `present`, `managed`, `kernel_stack`, …).
    public var fields: [String: Int64]
    /// `lowmem_reserve[]` in pages, one per zone type.
    public var lowmemReserve: [Int64]
    /// The zone's `all_unreclaimable?` answer (2.6 - 4.4).
    public var allUnreclaimable: Bool?

    /// Free memory in kB.
    public var freeKB: Int64? { fields["free"] }
    /// The min watermark in kB.
    public var minKB: Int64? { fields["min"] }
}

/// Reads zone and `lowmem_reserve[]` lines.
public enum ZoneLineParser {
    /// The zone line in `text`, or `nil` when it is not one.
    public static func parse(_ text: Substring) -> ZoneLine? {
        let (node, rest, _) = KernelFields.nodePrefix(text)
        guard let space = rest.firstIndex(of: " ") else { return nil }
        let zone = rest[..<space]
        let body = rest[rest.index(after: space)...]
        guard KernelFields.zoneNames.contains(zone), body.hasPrefix("free:") else { return nil }
        var fields: [String: Int64] = [:]
        for field in KernelFields.fields(in: body) where fields[String(field.name)] == nil {
            fields[String(field.name)] = field.value
        }
        var unreclaimable: Bool?
        if let range = body.firstRange(of: "all_unreclaimable? ") {
            unreclaimable = body[range.upperBound...].hasPrefix("yes")
        }
        return ZoneLine(
            node: node, zone: String(zone), fields: fields, lowmemReserve: [], allUnreclaimable: unreclaimable)
    }

    /// The values of a `lowmem_reserve[]: 0 2780 15835 15835` line, or `nil`.
    public static func lowmemReserve(_ text: Substring) -> [Int64]? {
        guard text.hasPrefix("lowmem_reserve[]:") else { return nil }
        return text.dropFirst("lowmem_reserve[]:".count).split(separator: " ").compactMap { Int64($0) }
    }
}
