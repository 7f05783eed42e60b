// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Where the RAM was at the time of a report, in kB, from show_mem's counters: user anon,
/// page cache, shmem, slab, page tables, kernel stacks, hugepages, free, and what is left.
public struct MemoryBreakdown: Sendable, Equatable {
    public var ramKB: Int64?
    public var reservedKB: Int64?
    public var swapTotalKB: Int64?
    public var swapFreeKB: Int64?
    public var swapCacheKB: Int64?
    public var freeKB: Int64?
    /// Anonymous LRU pages minus shmem (which lives on the anon LRU since 2.6.28).
    public var anonKB: Int64?
    /// File LRU pages.
    public var pageCacheKB: Int64?
    public var shmemKB: Int64?
    public var unevictableKB: Int64?
    public var slabReclaimableKB: Int64?
    public var slabUnreclaimableKB: Int64?
    /// Both slab kinds together, when the era printed one `slab:` counter (before 2.6.32).
    public var slabTotalKB: Int64?
    public var pageTablesKB: Int64?
    public var kernelStackKB: Int64?
    public var hugePagesKB: Int64?
    /// RAM minus reserved minus every counted category: kernel memory nobody accounts
    /// (vmalloc, per-cpu, drivers, page-allocator caches); never negative.
    public var unaccountedKB: Int64?

    /// User space: anon plus shmem plus unevictable (mlocked) memory.
    public var userKB: Int64? {
        guard let anonKB else { return nil }
        return anonKB + (shmemKB ?? 0) + (unevictableKB ?? 0)
    }

    /// Kernel: slab, page tables, kernel stacks and the unaccounted rest.
    public var kernelKB: Int64? {
        let parts = [slabReclaimableKB, slabUnreclaimableKB, slabTotalKB, pageTablesKB, kernelStackKB, unaccountedKB]
        guard parts.contains(where: { $0 != nil }) else { return nil }
        return parts.reduce(0) { $0 + ($1 ?? 0) }
    }

    /// The breakdown of `info` and `zones`, with pages of `pageKB` kB.
    public init(info: MemInfo, zones: [ZoneLine], pageKB: Int64) {
        func kb(_ name: String) -> Int64? { info.counters[name].map { $0 * pageKB } }
        ramKB = info.ramPages.map { $0 * pageKB }
        reservedKB = info.reservedPages.map { $0 * pageKB }
        swapTotalKB = info.totalSwapKB
        swapFreeKB = info.freeSwapKB
        swapCacheKB = info.swapCachePages.map { $0 * pageKB }
        freeKB = kb("free")
        shmemKB = kb("shmem")
        if let active = kb("active_anon") ?? kb("Active_anon"), let inactive = kb("inactive_anon") {
            anonKB = max(0, active + inactive - (shmemKB ?? 0))
        }
        if let active = kb("active_file"), let inactive = kb("inactive_file") { pageCacheKB = active + inactive }
        unevictableKB = kb("unevictable")
        slabReclaimableKB = kb("slab_reclaimable")
        slabUnreclaimableKB = kb("slab_unreclaimable")
        if slabReclaimableKB == nil, slabUnreclaimableKB == nil { slabTotalKB = kb("slab") }
        if let tables = kb("pagetables") { pageTablesKB = tables + (kb("sec_pagetables") ?? 0) }
        let zoneStacks = zones.compactMap { $0.fields["kernel_stack"] }
        let nodeStacks = info.nodeCounters.values.compactMap { $0["kernel_stack"] }
        if !zoneStacks.isEmpty {
            kernelStackKB = zoneStacks.reduce(0, +)
        } else if !nodeStacks.isEmpty {
            kernelStackKB = nodeStacks.reduce(0, +)
        }
        if !info.hugePages.isEmpty { hugePagesKB = info.hugePages.reduce(0) { $0 + $1.total * $1.sizeKB } }
        if let ramKB, let freeKB, anonKB != nil {
            let counted = [
                anonKB, shmemKB, pageCacheKB, unevictableKB, kb("isolated_anon"), kb("isolated_file"),
                slabReclaimableKB, slabUnreclaimableKB, slabTotalKB, pageTablesKB, kernelStackKB, hugePagesKB,
                kb("free_pcp"), reservedKB,
            ].reduce(freeKB) { $0 + ($1 ?? 0) }
            unaccountedKB = max(0, ramKB - counted)
        }
    }
}
