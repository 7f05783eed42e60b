// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// Reads a `/proc/meminfo` or `free` snapshot: used vs buff/cache vs available, user vs
/// kernel, and the memory breakdown of ``MemorySnapshot``.
///
/// ```
/// MemTotal:       15666184 kB
///               total        used        free      shared  buff/cache   available
/// Mem:        16318236     5978112     1203412      312400     9136712     9876540
/// ```
///
/// ``SnapshotAnalysis`` uses it for the meminfo or free file of a `memory-snapshot` incident.
public struct MemInfoSnapshotAnalyzer: Sendable {
    /// The unit of `free`'s numbers (``FreeOutputUnitReader`` finds it).
    public var freeUnit: FreeOutputUnit

    public init(freeUnit: FreeOutputUnit = .assumedKibibytes) {
        self.freeUnit = freeUnit
    }

    /// The rows free(1) prints: `Mem:`, `Low:`/`High:` (`-l`), `-/+ buffers/cache:` (procps up
    /// to 3.3.9), `Swap:`, `Total:` (`-t`) and `Comm:` (`-v`).
    static let freeRowNames: Set<Substring> = ["Mem", "Low", "High", "-/+ buffers/cache", "Swap", "Total", "Comm"]

    /// The snapshot in `lines`, or `nil` when they hold neither meminfo nor free output.
    public func snapshot(lines: [Substring]) -> MemorySnapshot? {
        var meminfo: [String: Int64] = [:]
        var freeRows: [Substring: [Int64]] = [:]
        var freeColumns: [String] = []
        for line in lines {
            let text = line.trimmingSpaces()
            if let colon = text.firstIndex(of: ":") {
                let name = text[..<colon]
                let values = text[text.index(after: colon)...].split(separator: " ")
                if Self.freeRowNames.contains(name) {
                    freeRows[name] = values.compactMap { freeUnit.kilobytes($0) }
                } else if let first = values.first, let value = Int64(first),
                    values.count == 1 || values.count == 2 && values[1] == "kB"
                {
                    meminfo[String(name)] = value
                }
            } else if FreeOutputUnitReader.era(ofHeader: text) != nil {
                freeColumns = text.split(separator: " ").map(String.init)
            }
        }
        if meminfo["MemTotal"] != nil { return Self.fromMeminfo(meminfo) }
        if freeRows["Mem"] != nil, !freeColumns.isEmpty {
            return Self.fromFree(columns: freeColumns, rows: freeRows)
        }
        return nil
    }

    static func fromMeminfo(_ fields: [String: Int64]) -> MemorySnapshot {
        var snapshot = MemorySnapshot(source: "meminfo")
        snapshot.totalKB = fields["MemTotal"]
        snapshot.freeKB = fields["MemFree"]
        snapshot.availableKB = fields["MemAvailable"]
        snapshot.buffersKB = fields["Buffers"]
        snapshot.cachedKB = fields["Cached"]
        snapshot.swapTotalKB = fields["SwapTotal"]
        snapshot.swapFreeKB = fields["SwapFree"]
        snapshot.swapCacheKB = fields["SwapCached"]
        snapshot.anonKB = fields["AnonPages"]
        snapshot.shmemKB = fields["Shmem"]
        snapshot.slabReclaimableKB = fields["SReclaimable"]
        snapshot.slabUnreclaimableKB = fields["SUnreclaim"]
        snapshot.pageTablesKB = fields["PageTables"].map { $0 + (fields["SecPageTables"] ?? 0) }
        snapshot.kernelStackKB = fields["KernelStack"]
        snapshot.vmallocUsedKB = fields["VmallocUsed"]
        snapshot.percpuKB = fields["Percpu"]
        snapshot.lowTotalKB = fields["LowTotal"]
        snapshot.lowFreeKB = fields["LowFree"]
        snapshot.highTotalKB = fields["HighTotal"]
        snapshot.highFreeKB = fields["HighFree"]
        if let hugetlb = fields["Hugetlb"] {
            snapshot.hugePagesKB = hugetlb
        } else if let count = fields["HugePages_Total"], let size = fields["Hugepagesize"] {
            snapshot.hugePagesKB = count * size
        }
        let buffers = snapshot.buffersKB ?? 0
        let cached = snapshot.cachedKB ?? 0
        if snapshot.buffersKB != nil || snapshot.cachedKB != nil {
            snapshot.pageCacheKB = max(0, buffers + cached - (snapshot.shmemKB ?? 0))
            snapshot.buffCacheKB = buffers + cached + (snapshot.slabReclaimableKB ?? 0)
        }
        if let total = snapshot.totalKB, let free = snapshot.freeKB {
            snapshot.usedKB = max(0, total - free - (snapshot.buffCacheKB ?? 0))
            let counted = [
                snapshot.anonKB, snapshot.buffersKB, snapshot.cachedKB, snapshot.swapCacheKB,
                snapshot.slabReclaimableKB, snapshot.slabUnreclaimableKB, snapshot.pageTablesKB,
                snapshot.kernelStackKB, snapshot.hugePagesKB,
            ].reduce(free) { $0 + ($1 ?? 0) }
            if snapshot.anonKB != nil { snapshot.unaccountedKB = max(0, total - counted) }
        }
        return snapshot
    }

    static func fromFree(columns: [String], rows: [Substring: [Int64]]) -> MemorySnapshot {
        var snapshot = MemorySnapshot(source: "free")
        let mem = rows["Mem"] ?? []
        func value(_ name: String) -> Int64? {
            guard let index = columns.firstIndex(of: name), index < mem.count else { return nil }
            return mem[index]
        }
        snapshot.totalKB = value("total")
        snapshot.freeKB = value("free")
        snapshot.availableKB = value("available")
        snapshot.shmemKB = value("shared")
        // `-w` prints "buffers cache"; procps up to 3.3.9 "buffers cached".
        let cached = value("cached") ?? value("cache")
        if let both = value("buff/cache") {
            snapshot.buffCacheKB = both
        } else if value("buffers") != nil || cached != nil {
            snapshot.buffersKB = value("buffers")
            snapshot.cachedKB = cached
            snapshot.buffCacheKB = (value("buffers") ?? 0) + (cached ?? 0)
        }
        if let total = snapshot.totalKB, let free = snapshot.freeKB {
            snapshot.usedKB = max(0, total - free - (snapshot.buffCacheKB ?? 0))
        }
        if let swap = rows["Swap"], swap.count >= 3 {
            snapshot.swapTotalKB = swap[0]
            snapshot.swapFreeKB = swap[2]
        }
        // `-l`: "Low:" and "High:" rows of total, used, free.
        if let low = rows["Low"], low.count >= 3 {
            snapshot.lowTotalKB = low[0]
            snapshot.lowFreeKB = low[2]
        }
        if let high = rows["High"], high.count >= 3 {
            snapshot.highTotalKB = high[0]
            snapshot.highFreeKB = high[2]
        }
        return snapshot
    }

    /// The `details` fields of a snapshot (names as in the OOM `memory` object where they agree).
    public static func details(_ snapshot: MemorySnapshot) -> Details {
        func int(_ value: Int64?) -> DetailValue? { value.map { .integer($0) } }
        var memory = Details()
        let pairs: KeyValuePairs<String, Int64?> = [
            "ram_kb": snapshot.totalKB, "free_kb": snapshot.freeKB, "available_kb": snapshot.availableKB,
            "used_kb": snapshot.usedKB, "buff_cache_kb": snapshot.buffCacheKB, "buffers_kb": snapshot.buffersKB,
            "cached_kb": snapshot.cachedKB, "swap_total_kb": snapshot.swapTotalKB, "swap_free_kb": snapshot.swapFreeKB,
            "swap_cache_kb": snapshot.swapCacheKB, "anon_kb": snapshot.anonKB, "page_cache_kb": snapshot.pageCacheKB,
            "shmem_kb": snapshot.shmemKB, "slab_reclaimable_kb": snapshot.slabReclaimableKB,
            "slab_unreclaimable_kb": snapshot.slabUnreclaimableKB, "page_tables_kb": snapshot.pageTablesKB,
            "kernel_stack_kb": snapshot.kernelStackKB, "hugepages_kb": snapshot.hugePagesKB,
            "vmalloc_used_kb": snapshot.vmallocUsedKB, "percpu_kb": snapshot.percpuKB,
            "unaccounted_kb": snapshot.unaccountedKB, "user_kb": snapshot.userKB, "kernel_kb": snapshot.kernelKB,
            "low_total_kb": snapshot.lowTotalKB, "low_free_kb": snapshot.lowFreeKB,
            "high_total_kb": snapshot.highTotalKB, "high_free_kb": snapshot.highFreeKB,
        ]
        for (key, value) in pairs { if let value = int(value) { memory[key] = value } }
        var details = Details()
        details["source"] = .string(snapshot.source)
        details["memory"] = .object(memory)
        return details
    }
}
