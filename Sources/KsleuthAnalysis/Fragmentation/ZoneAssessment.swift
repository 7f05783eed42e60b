// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One zone of a memory dump judged for one request: what is free at and below the order,
/// the kernel's fragmentation indices, and whether the allocator's watermark check passes.
public struct ZoneAssessment: Sendable, Equatable {
    /// The zone line (watermarks, `free:`, `free_cma:`), when printed.
    public var line: ZoneLine?
    /// The zone's buddy line, when printed.
    public var buddy: BuddyFreeList?
    public var node: Int
    public var zone: String
    /// The page size in kB.
    public var pageKB: Int64
    /// The order judged.
    public var order: Int
    /// Whether the request may use this zone (zone modifiers and allowed nodes).
    public var eligible: Bool
    /// Why it may not: `zone` (above the request's highest zone) or `node`.
    public var ineligibleReason: String?
    /// `lowmem_reserve[classzone]` in pages, when the dump printed the array.
    public var lowmemReservePages: Int64?
    /// The free-list info at the order (from the buddy line).
    public var contiguous: ContiguousFreeInfo?
    /// The unusable free space index at every order, from order 0.
    public var unusableIndexByOrder: [Int64]
    /// The fragmentation index at every order, from order 0.
    public var fragmentationIndexByOrder: [Int64]
    /// Whether a free block of the order that the request may use exists (migrate types
    /// considered), when the buddy line was printed.
    public var canServeOrder: Bool?
    /// When blocks of the order exist but none the request may use: the types they are in.
    public var blocksOnlyIn: [String]
    /// The check against min with the request's reductions.
    public var watermarkMin: WatermarkCheck?
    /// The same check against low (the fast path's mark).
    public var watermarkLow: WatermarkCheck?

    /// Judges `line` / `buddy` for a request of `order` with `flags`.
    public init(
        line: ZoneLine?, buddy: BuddyFreeList?, pageKB: Int64, order: Int, flags: AllocationFlags,
        reserveIndex: Int?, eligible: Bool, ineligibleReason: String?
    ) {
        self.line = line
        self.buddy = buddy
        node = line?.node ?? buddy?.node ?? 0
        zone = line?.zone ?? buddy?.zone ?? ""
        self.pageKB = pageKB
        self.order = order
        self.eligible = eligible
        self.ineligibleReason = ineligibleReason
        if let line, let reserveIndex, line.lowmemReserve.indices.contains(reserveIndex) {
            lowmemReservePages = line.lowmemReserve[reserveIndex]
        }
        let counts = buddy?.counts ?? []
        let letters = buddy?.types ?? []
        if let buddy {
            contiguous = ContiguousFreeInfo(counts: buddy.counts, order: order)
            unusableIndexByOrder = buddy.counts.indices.map {
                ContiguousFreeInfo(counts: buddy.counts, order: $0).unusableIndex
            }
            fragmentationIndexByOrder = buddy.counts.indices.map {
                ContiguousFreeInfo(counts: buddy.counts, order: $0).fragmentationIndex
            }
            let suitable = counts.indices.filter { $0 >= order && counts[$0] > 0 }
            let usable = suitable.filter { flags.canUse(letters: $0 < letters.count ? letters[$0] : "") }
            canServeOrder = !usable.isEmpty
            if usable.isEmpty, !suitable.isEmpty {
                let names = Set(
                    suitable.flatMap { index in (index < letters.count ? letters[index] : "").map(Self.typeName) })
                blocksOnlyIn = names.sorted()
            } else {
                blocksOnlyIn = []
            }
        } else {
            unusableIndexByOrder = []
            fragmentationIndexByOrder = []
            blocksOnlyIn = []
        }
        guard let line, let free = line.freeKB else { return }
        func pages(_ kb: Int64?) -> Int64 { (kb ?? 0) / max(pageKB, 1) }
        let cma = pages(line.fields["free_cma"])
        let highAtomic = pages(line.fields["reserved_highatomic"])
        let reserve = lowmemReservePages ?? 0
        if let min = line.minKB {
            watermarkMin = WatermarkCheck(
                freePages: pages(free), markPages: pages(min), reservePages: reserve, order: order, counts: counts,
                letters: letters, cmaPages: cma, highAtomicPages: highAtomic, flags: flags)
        }
        if let low = line.fields["low"] {
            watermarkLow = WatermarkCheck(
                freePages: pages(free), markPages: pages(low), reservePages: reserve, order: order, counts: counts,
                letters: letters, cmaPages: cma, highAtomicPages: highAtomic, flags: flags)
        }
    }

    /// Free kB in blocks at or above the order.
    public var freeKBAtOrAboveOrder: Int64? { buddy?.freeKB(atOrAbove: order) }

    /// Free kB in blocks below the order.
    public var freeKBBelowOrder: Int64? {
        guard let buddy else { return nil }
        return buddy.freeKB(atOrAbove: 0) - buddy.freeKB(atOrAbove: order)
    }

    /// Whether the zone has memory: `managed`/`present` above zero, or free pages.
    public var isPopulated: Bool {
        if let line {
            if let managed = line.fields["managed"] { return managed > 0 }
            if let present = line.fields["present"] { return present > 0 }
            return (line.freeKB ?? 0) > 0
        }
        return (buddy?.freeKB(atOrAbove: 0) ?? 0) > 0
    }

    /// The highest order with a free block.
    public var largestFreeOrder: Int? { buddy?.counts.lastIndex { $0 > 0 } }

    /// Whether the zone passes the min check for this request: free pages and a block.
    public var watermarkOK: Bool? {
        guard let check = watermarkMin else { return nil }
        if let canServeOrder, order > 0, !canServeOrder { return false }
        return check.passes
    }

    /// Whether the zone is short of free pages for this request (the min check fails on the
    /// count alone), as opposed to lacking a large enough block.
    public var belowMin: Bool? { watermarkMin?.belowMark }

    /// The migrate type of a buddy-line letter.
    static func typeName(_ letter: Character) -> String {
        switch letter {
        case "U": "Unmovable"
        case "M": "Movable"
        case "E": "Reclaimable"
        case "H": "HighAtomic"
        case "C": "CMA"
        case "I": "Isolate"
        case "R": "Reserve"
        default: String(letter)
        }
    }
}
