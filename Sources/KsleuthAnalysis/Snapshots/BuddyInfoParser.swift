// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Reads `/proc/buddyinfo` (`frag_show_print`): free blocks per order for every zone.
///
/// ```
/// Node 0, zone   Normal   4381   1093    185   1530    567    102      4      0      0      0      0
/// ```
///
/// The kernel prints one count per order up to MAX_ORDER (NR_PAGE_ORDERS since 6.8); a line with
/// fewer counts than the longest line was cut and is kept apart in ``cutZones``.
struct BuddyInfoParser: Sendable {
    /// The zones read, in file order: counts per order from order 0.
    private(set) var zones: [(name: ZoneName, counts: [Int64])] = []

    /// Reads one line; returns whether it was a buddyinfo line.
    @discardableResult
    mutating func read(_ text: Substring) -> Bool {
        guard let (name, rest) = ZoneName.parse(text), !rest.hasPrefix(",") else { return false }
        let counts = ZoneName.counts(rest)
        guard !counts.isEmpty else { return false }
        zones.append((name, counts))
        return true
    }

    /// The number of orders a complete line has: the most any line printed.
    var orderCount: Int { zones.map(\.counts.count).max() ?? 0 }

    /// The zones whose line has fewer orders than ``orderCount``.
    var cutZones: [ZoneName] { zones.filter { $0.counts.count < orderCount }.map(\.name) }

    /// The complete zones as buddy free lists of pages of `pageKB` kB, with the migrate-type
    /// letters of `types` (from pagetypeinfo) when known.
    func freeLists(pageKB: Int64, types: [ZoneName: [String]]) -> [BuddyFreeList] {
        zones.filter { $0.counts.count == orderCount }.map { zone in
            let letters = types[zone.name] ?? []
            return BuddyFreeList(
                node: zone.name.node, zone: zone.name.zone, counts: zone.counts, pageKB: pageKB,
                types: letters.count == zone.counts.count ? letters : [],
                totalKB: zone.counts.enumerated().reduce(0) { $0 + $1.element * (pageKB << Int64($1.offset)) })
        }
    }
}
