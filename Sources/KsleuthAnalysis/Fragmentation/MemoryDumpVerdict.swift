// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The state of memory a show_mem dump (sysrq-m) shows, with no request to judge: a zone
/// below its min watermark, a zone whose free memory is mostly in small blocks, or neither.
///
/// A zone is fragmented when it is above its high watermark plus its `lowmem_reserve[]` for the
/// highest zone (below that, the allocator keeps it for requests of its own zone, and its free
/// memory serves no other) yet 90% or more of its free memory is in blocks below some order up
/// to 9 (2 MiB with 4 KiB pages: THP and compaction's usual target), read from the unusable
/// free space index (≥ 900).
struct MemoryDumpVerdict: Sendable, Equatable {
    var cause: String
    var summary: String
    var evidence: [String]

    /// The unusable-index level that counts as fragmented.
    static let fragmentedIndex: Int64 = 900
    /// The highest order looked at.
    static let highestJudgedOrder = 9

    /// The lowest order at which `zone`'s unusable index reaches ``fragmentedIndex``.
    static func fragmentedFromOrder(_ zone: ZoneAssessment) -> Int? {
        let limit = min(highestJudgedOrder, zone.unusableIndexByOrder.count - 1)
        guard limit >= 0 else { return nil }
        return (0...limit).first { zone.unusableIndexByOrder[$0] >= fragmentedIndex }
    }

    init(_ dump: MemoryDumpAssessment) {
        let zones = dump.zones.filter(\.isPopulated)
        evidence = zones.map { zone in
            var text =
                "\(AllocationVerdict.name(zone)): free \(zone.line?.freeKB ?? 0)kB, min \(zone.line?.minKB ?? 0)kB, "
                + "high \(zone.line?.fields["high"] ?? 0)kB"
            if let largest = zone.largestFreeOrder { text += ", largest free order \(largest)" }
            return text
        }
        let low = zones.filter { zone in
            guard let free = zone.line?.freeKB, let min = zone.line?.minKB else { return false }
            return free < min
        }
        if !low.isEmpty {
            cause = "low-memory"
            summary =
                "below the min watermark: "
                + low.map {
                    "\(AllocationVerdict.name($0)) free \($0.line?.freeKB ?? 0)kB < min \($0.line?.minKB ?? 0)kB"
                }
                .joined(separator: "; ")
            return
        }
        let fragmented = zones.compactMap { zone -> (ZoneAssessment, Int)? in
            guard let free = zone.line?.freeKB, let high = zone.line?.fields["high"],
                free > high + (zone.lowmemReservePages ?? 0) * zone.pageKB,
                let order = Self.fragmentedFromOrder(zone)
            else { return nil }
            return (zone, order)
        }
        if !fragmented.isEmpty {
            cause = "external-fragmentation"
            summary = fragmented.map { zone, order in
                "\(AllocationVerdict.name(zone)) has \(zone.line?.freeKB ?? 0)kB free but "
                    + "\(zone.unusableIndexByOrder[order] / 10)% of it is in blocks below order \(order) "
                    + "(\(zone.pageKB << Int64(order))kB)"
                    + (zone.largestFreeOrder.map { ", largest free order \($0)" } ?? ", nothing free")
            }.joined(separator: "; ")
            return
        }
        cause = zones.contains { $0.buddy != nil } ? "healthy" : "unknown"
        summary =
            cause == "healthy"
            ? "every zone is above its min watermark with large blocks free"
            : "no buddy lines: fragmentation cannot be judged"
    }
}
