// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The page allocator's watermark check (`__zone_watermark_ok`) replayed on a dump's numbers
/// for one zone, one order and one request.
///
/// Modern kernels (4.4+): usable = free − (2^order − 1) − the high-atomic reserve (unless
/// atomic) − free CMA pages (unless movable); it must exceed the effective min plus
/// `lowmem_reserve[classzone]`, and for order > 0 some free list at or above the order must
/// hold a block the request may use. Kernels up to 4.3 instead subtract, for each order below
/// the request, the pages free at that order and halve min, failing when free drops to min.
public struct WatermarkCheck: Sendable, Equatable {
    /// The watermark compared against (`min`), in pages.
    public var markPages: Int64
    /// The mark after the request's `ALLOC_HIGH` / `ALLOC_HARDER` reductions, in pages.
    public var effectiveMarkPages: Int64
    /// `lowmem_reserve[classzone]` of the zone, in pages.
    public var lowmemReservePages: Int64
    /// Free pages the check counts: free minus what this request cannot use.
    public var usableFreePages: Int64
    /// Whether the zone passes.
    public var passes: Bool
    /// The order whose free pages, subtracted, made the classic check fail.
    public var failedAfterOrder: Int?
    /// Whether the free page count alone fails (as opposed to lacking a block of the order).
    public var belowMark: Bool

    /// Replays the check.
    ///
    /// - Parameters:
    ///   - freePages: the zone's `free:` in pages.
    ///   - markPages: the watermark in pages.
    ///   - reservePages: `lowmem_reserve[classzone]`.
    ///   - counts: free blocks per order; `letters`: their migrate types.
    ///   - cmaPages, highAtomicPages: free CMA pages and the high-atomic reserve.
    public init(
        freePages: Int64, markPages: Int64, reservePages: Int64, order: Int, counts: [Int64], letters: [String],
        cmaPages: Int64, highAtomicPages: Int64, flags: AllocationFlags
    ) {
        self.markPages = markPages
        lowmemReservePages = reservePages
        var mark = flags.effectiveMin(markPages)
        effectiveMarkPages = mark
        var free = freePages - ((Int64(1) << Int64(order)) - 1)
        if !flags.mayUseCMA { free -= cmaPages }
        if !flags.classicCheck, !flags.harder { free -= highAtomicPages }
        usableFreePages = free
        belowMark = free <= mark + reservePages
        failedAfterOrder = nil
        guard !belowMark else {
            passes = false
            return
        }
        if flags.classicCheck {
            for index in 0..<min(order, counts.count) {
                free -= counts[index] << Int64(index)
                mark >>= 1
                if free <= mark {
                    failedAfterOrder = index
                    passes = false
                    return
                }
            }
            passes = true
            return
        }
        guard order > 0 else {
            passes = true
            return
        }
        passes = counts.indices.contains { index in
            index >= order && counts[index] > 0 && flags.canUse(letters: index < letters.count ? letters[index] : "")
        }
    }
}
