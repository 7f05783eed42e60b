// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The kernel's view of a zone's free lists for one request order, and the two indices
/// `mm/vmstat.c` derives from it (debugfs `extfrag/unusable_index` and `extfrag/extfrag_index`).
///
/// The arithmetic is that of `fill_contig_page_info`, `unusable_free_index` and
/// `__fragmentation_index` (6.6): integer division, results ×1000.
public struct ContiguousFreeInfo: Sendable, Equatable {
    /// Free pages in every order: F = Σ c_k·2^k.
    public var freePages: Int64
    /// Free blocks of any order: Σ c_k.
    public var freeBlocksTotal: Int64
    /// Blocks of the requested size that the free lists at or above the order hold:
    /// Σ_{k≥j} c_k·2^(k−j).
    public var freeBlocksSuitable: Int64
    /// The requested order j.
    public var order: Int

    /// The info for order `order` from `counts` (free blocks per order, from order 0).
    public init(counts: [Int64], order: Int) {
        var pages: Int64 = 0
        var total: Int64 = 0
        var suitable: Int64 = 0
        for (index, count) in counts.enumerated() {
            total += count
            pages += count << Int64(index)
            if index >= order { suitable += count << Int64(index - order) }
        }
        freePages = pages
        freeBlocksTotal = total
        freeBlocksSuitable = suitable
        self.order = order
    }

    /// The unusable free space index: the share of free memory in blocks too small for the
    /// order, ×1000; 1000 when nothing is free.
    public var unusableIndex: Int64 {
        guard freePages > 0 else { return 1000 }
        return (freePages - (freeBlocksSuitable << Int64(order))) * 1000 / freePages
    }

    /// The fragmentation index: −1000 when a suitable block exists, 0 when nothing is free,
    /// else toward 0 for lack of memory and toward 1000 for fragmentation.
    public var fragmentationIndex: Int64 {
        guard freeBlocksTotal > 0 else { return 0 }
        guard freeBlocksSuitable == 0 else { return -1000 }
        let requested = Int64(1) << Int64(order)
        return 1000 - (1000 + freePages * 1000 / requested) / freeBlocksTotal
    }
}
