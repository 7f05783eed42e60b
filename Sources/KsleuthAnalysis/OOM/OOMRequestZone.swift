// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// The zone an OOM's allocation asked for, and what the Mem-Info dump says of it: the first
/// node where it is below its min watermark, and whether a block of PAGE_ALLOC_COSTLY_ORDER
/// or more was still free there.
///
/// The allocator serves a request from the highest zone its GFP zone modifiers allow
/// (gfp_zone(): `__GFP_DMA`, `__GFP_DMA32`, else Normal, HighMem or Movable) and the zones
/// below it; on a machine without HighMem or Movable zones that is Normal. A manual OOM
/// (sysrq-f, order -1) asked for nothing.
struct OOMRequestZone {
    /// The zone the request targets, `nil` for a manual OOM or when the mask is unknown.
    var zone: String?
    /// How many orders the buddy lists print (11: the largest block is 2^10 pages).
    var orders: Int?
    /// The first node whose `zone` is below its min watermark.
    var shortageNode: Int?
    /// Whether no free block of order 3 or more is left in `zone` on the shortage node;
    /// `nil` when there is no shortage node or no buddy line for it.
    var fragmented: Bool?

    /// PAGE_ALLOC_COSTLY_ORDER: above it the allocator stops trying hard.
    static let costlyOrder = 3

    private static let zoneOrder = ["DMA", "DMA32", "Normal", "HighMem", "Movable"]

    init(_ findings: OOMFindings) {
        orders = findings.zones.compactMap { $0.buddy?.counts.count }.max()
        guard !findings.manual, let allowed = findings.gfp?.zone,
            let limit = Self.zoneOrder.firstIndex(of: allowed)
        else { return }
        let present = Set(findings.zones.map(\.zone))
        zone = Self.zoneOrder[...limit].last { present.contains($0) }
        guard let zone else { return }
        let candidates = findings.zones.filter { $0.zone == zone }.sorted { $0.node < $1.node }
        guard let short = candidates.first(where: { $0.belowMin == true }) else { return }
        shortageNode = short.node
        if let buddy = short.buddy {
            fragmented = !buddy.counts.enumerated().contains { $0.offset >= Self.costlyOrder && $0.element > 0 }
        }
    }

    var detail: Details {
        OOMAnalyzer.object([
            "zone": zone.map { .string($0) }, "orders": orders.map { .integer(Int64($0)) },
            "shortage_node": shortageNode.map { .integer(Int64($0)) }, "fragmented": fragmented.map { .bool($0) },
        ])
    }
}
