// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Where the RAM was in a `/proc/meminfo` or `free` snapshot, in kB: the "linux ate my RAM"
/// answer (used vs buff/cache vs available) and the same breakdown as an OOM report's.
///
/// ```
/// MemTotal:       15666184 kB
/// ```
public struct MemorySnapshot: Sendable, Equatable {
    /// `meminfo` or `free`.
    public var source: String
    public var totalKB: Int64?
    public var freeKB: Int64?
    public var availableKB: Int64?
    public var buffersKB: Int64?
    /// `Cached`: page cache including shmem, excluding the swap cache.
    public var cachedKB: Int64?
    /// free(1)'s buff/cache: Buffers + Cached + SReclaimable.
    public var buffCacheKB: Int64?
    /// free(1)'s used: total - free - buff/cache.
    public var usedKB: Int64?
    public var swapTotalKB: Int64?
    public var swapFreeKB: Int64?
    public var swapCacheKB: Int64?
    /// `AnonPages`: anonymous user memory, without shmem.
    public var anonKB: Int64?
    /// File pages: Buffers + Cached - Shmem.
    public var pageCacheKB: Int64?
    public var shmemKB: Int64?
    public var slabReclaimableKB: Int64?
    public var slabUnreclaimableKB: Int64?
    public var pageTablesKB: Int64?
    public var kernelStackKB: Int64?
    /// Reserved hugepages: HugePages_Total × Hugepagesize (or `Hugetlb`).
    public var hugePagesKB: Int64?
    public var vmallocUsedKB: Int64?
    public var percpuKB: Int64?
    /// `LowTotal`/`LowFree`/`HighTotal`/`HighFree`: the lowmem and highmem split of a 32-bit
    /// kernel with CONFIG_HIGHMEM (absent elsewhere).
    public var lowTotalKB: Int64?
    public var lowFreeKB: Int64?
    public var highTotalKB: Int64?
    public var highFreeKB: Int64?
    /// Total minus free and every counted category: kernel memory no counter names
    /// (vmalloc, per-cpu, drivers); never negative.
    public var unaccountedKB: Int64?

    /// User space: anon plus shmem.
    public var userKB: Int64? {
        guard let anonKB else { return nil }
        return anonKB + (shmemKB ?? 0)
    }

    /// Kernel: slab, page tables, kernel stacks, hugepage reservations and the unaccounted rest.
    public var kernelKB: Int64? {
        let parts = [slabReclaimableKB, slabUnreclaimableKB, pageTablesKB, kernelStackKB, hugePagesKB, unaccountedKB]
        guard parts.contains(where: { $0 != nil }) else { return nil }
        return parts.reduce(0) { $0 + ($1 ?? 0) }
    }

    /// An empty snapshot read from `source` (`meminfo` or `free`).
    public init(source: String) {
        self.source = source
    }
}
