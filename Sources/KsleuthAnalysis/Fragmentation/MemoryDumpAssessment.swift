// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Every zone of a show_mem dump judged for one request: zone lines paired with their buddy
/// lines, the zones the request may use, and the classzone whose `lowmem_reserve[]` applies.
public struct MemoryDumpAssessment: Sendable, Equatable {
    /// The zones in dump order (zone lines first, then buddy lines without a zone line).
    public var zones: [ZoneAssessment]
    /// The highest zone type the request may use (the classzone).
    public var classzone: String
    /// Whether the build has a HighMem zone (32-bit).
    public var hasHighMem: Bool
    /// The nodes the request may use; `nil` for any.
    public var allowedNodes: Set<Int>?
    /// The page size in kB.
    public var pageKB: Int64

    /// Judges the dump of `zoneLines` and `buddies` for a request of `order` with `flags`,
    /// limited to zones up to `requestedZone` (a GFP zone name) and nodes in `allowedNodes`.
    public init(
        zoneLines: [ZoneLine], buddies: [BuddyFreeList], pageKB: Int64, order: Int, flags: AllocationFlags,
        requestedZone: String, allowedNodes: Set<Int>?
    ) {
        let types = ZoneTypeOrder(zones: zoneLines)
        let classzone = types.highestType(for: requestedZone)
        let classRank = ZoneTypeOrder.ranks[classzone] ?? 2
        let reserveIndex = types.index(of: classzone)
        func judge(_ line: ZoneLine?, _ buddy: BuddyFreeList?) -> ZoneAssessment {
            let name = line?.zone ?? buddy?.zone ?? ""
            let node = line?.node ?? buddy?.node ?? 0
            var reason: String?
            if (ZoneTypeOrder.ranks[name] ?? 0) > classRank {
                reason = "zone"
            } else if let allowedNodes, !allowedNodes.contains(node) {
                reason = "node"
            }
            return ZoneAssessment(
                line: line, buddy: buddy, pageKB: pageKB, order: order, flags: flags, reserveIndex: reserveIndex,
                eligible: reason == nil, ineligibleReason: reason)
        }
        var used: Set<Int> = []
        var zones: [ZoneAssessment] = []
        for line in zoneLines {
            let match = buddies.indices.first {
                !used.contains($0) && buddies[$0].node == line.node
                    && buddies[$0].zone == line.zone
            }
            if let match { used.insert(match) }
            zones.append(judge(line, match.map { buddies[$0] }))
        }
        for index in buddies.indices where !used.contains(index) { zones.append(judge(nil, buddies[index])) }
        self.zones = zones
        self.classzone = classzone
        hasHighMem = types.hasHighMem
        self.allowedNodes = allowedNodes
        self.pageKB = pageKB
    }

    /// The zones the request may use that the dump shows populated.
    public var eligibleZones: [ZoneAssessment] { zones.filter { $0.eligible && $0.isPopulated } }
}
