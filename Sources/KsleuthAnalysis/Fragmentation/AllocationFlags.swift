// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// What the page allocator lets a request do, read from its GFP mask the way
/// `gfp_to_alloc_flags` does: dip below min (`ALLOC_HIGH`, `ALLOC_HARDER`), use CMA pageblocks
/// (`ALLOC_CMA`), and which watermark check applies.
public struct AllocationFlags: Sendable, Equatable {
    /// `__GFP_HIGH`: min is halved.
    public var high: Bool
    /// Atomic (cannot sleep, may use reserves): min is cut by another quarter and the
    /// high-atomic reserve is usable.
    public var harder: Bool
    /// Movable requests may take free pages in CMA pageblocks.
    public var mayUseCMA: Bool
    /// Kernels up to 4.3 also checked every lower order's free pages (the "classic" check).
    public var classicCheck: Bool

    public init(high: Bool, harder: Bool, mayUseCMA: Bool, classicCheck: Bool) {
        self.high = high
        self.harder = harder
        self.mayUseCMA = mayUseCMA
        self.classicCheck = classicCheck
    }

    /// The flags of `mask`.
    public init(_ mask: GFPMask) {
        let classic = ["2.6.32", "3.10", "3.10.el7"].contains(mask.layoutName)
        high = mask.flags.contains("__GFP_HIGH")
        let atomicBit = mask.flags.contains("__GFP_ATOMIC") || mask.flags.contains("__GFP_HIGH") || classic
        harder = !mask.canSleep && !mask.flags.contains("__GFP_NOMEMALLOC") && atomicBit
        mayUseCMA = mask.flags.contains("__GFP_MOVABLE")
        classicCheck = classic
    }

    /// The min watermark after the request's reductions, in pages.
    public func effectiveMin(_ min: Int64) -> Int64 {
        var value = min
        if high { value -= value / 2 }
        if harder { value -= value / 4 }
        return value
    }

    /// Whether a free list whose migrate-type letters are `letters` can serve this request
    /// (letters empty: the era printed none, so any block counts).
    public func canUse(letters: String) -> Bool {
        guard !letters.isEmpty else { return true }
        for letter in letters {
            switch letter {
            case "U", "M", "E", "R": return true
            case "C" where mayUseCMA: return true
            case "H" where harder: return true
            default: continue
            }
        }
        return false
    }
}
