// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Reads `/proc/pagetypeinfo` (`pagetypeinfo_show`): the pageblock size, free blocks per
/// migrate type and order, and the pageblocks of each type.
///
/// ```
/// Page block order: 9
/// Pages per block:  512
///
/// Free pages count per migrate type at order       0      1      2 …
/// Node    0, zone   Normal, type    Unmovable      1     13      3 …
///
/// Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic          CMA      Isolate
/// Node 0, zone   Normal           46          437           29            0            0            0
/// ```
///
/// The migrate types are read by name, so every era's list works (2.6.24–4.3 print `Reserve`,
/// 4.4+ `HighAtomic`, CMA and Isolate builds add theirs).
struct PageTypeInfoParser: Sendable {
    /// `Page block order:`.
    private(set) var pageblockOrder: Int?
    /// `Pages per block:`.
    private(set) var pagesPerBlock: Int64?
    /// Free blocks per order, by zone and migrate type, in file order of the zones.
    private(set) var freeByType: [ZoneName: [(type: String, counts: [Int64])]] = [:]
    /// Pageblocks per migrate type, by zone.
    private(set) var blocksByType: [ZoneName: [(type: String, count: Int64)]] = [:]
    /// The zones in file order.
    private(set) var zoneOrder: [ZoneName] = []
    private var blockTypes: [String] = []
    /// Lines of the free-count or block table that could not be read.
    private(set) var unreadLines = 0

    /// The kernel's one-letter names of the migrate types (`show_migration_types`).
    static let letters: [String: Character] = [
        "Unmovable": "U", "Movable": "M", "Reclaimable": "E", "HighAtomic": "H", "CMA": "C", "Isolate": "I",
        "Reserve": "R",
    ]

    /// Reads one line.
    mutating func read(_ text: Substring) {
        if text.hasPrefix("Page block order:") {
            pageblockOrder = Int(text.dropFirst("Page block order:".count).trimmingSpaces())
        } else if text.hasPrefix("Pages per block:") {
            pagesPerBlock = Int64(text.dropFirst("Pages per block:".count).trimmingSpaces())
        } else if text.hasPrefix("Number of blocks type") {
            blockTypes = text.dropFirst("Number of blocks type".count).split(separator: " ").map(String.init)
        } else if text.hasPrefix("Number of mixed blocks") {
            blockTypes = []
        } else if let (name, rest) = ZoneName.parse(text) {
            if rest.hasPrefix(", type") {
                let afterType = rest.dropFirst(6).drop { $0 == " " }
                let type = afterType.prefix { $0 != " " }
                let counts = ZoneName.counts(afterType.dropFirst(type.count))
                guard !type.isEmpty, !counts.isEmpty else {
                    unreadLines += 1
                    return
                }
                if freeByType[name] == nil { zoneOrder.append(name) }
                freeByType[name, default: []].append((String(type), counts))
            } else if !blockTypes.isEmpty {
                let counts = ZoneName.counts(rest)
                guard counts.count == blockTypes.count else {
                    unreadLines += 1
                    return
                }
                blocksByType[name] = zip(blockTypes, counts).map { ($0, $1) }
            }
        }
    }

    /// Every zone's free blocks per order summed over the migrate types: what buddyinfo prints
    /// for the zone, when it was not given.
    func freeLists(pageKB: Int64) -> [BuddyFreeList] {
        zoneOrder.compactMap { zone in
            guard let types = freeByType[zone] else { return nil }
            let orders = types.map(\.counts.count).max() ?? 0
            guard orders > 0, types.allSatisfy({ $0.counts.count == orders }) else { return nil }
            let counts = (0..<orders).map { order in types.reduce(0) { $0 + $1.counts[order] } }
            return BuddyFreeList(
                node: zone.node, zone: zone.zone, counts: counts, pageKB: pageKB, types: typeLetters[zone] ?? [],
                totalKB: counts.enumerated().reduce(0) { $0 + $1.element * (pageKB << Int64($1.offset)) })
        }
    }

    /// For every zone, the letters of the migrate types with a free block at each order (as
    /// show_mem prints them: `(UEM)`), in the kernel's letter order.
    var typeLetters: [ZoneName: [String]] {
        var result: [ZoneName: [String]] = [:]
        for (zone, types) in freeByType {
            let orders = types.map(\.counts.count).max() ?? 0
            result[zone] = (0..<orders).map { order in
                String(
                    types.compactMap { entry -> Character? in
                        guard order < entry.counts.count, entry.counts[order] > 0 else { return nil }
                        return Self.letters[entry.type]
                    })
            }
        }
        return result
    }
}
