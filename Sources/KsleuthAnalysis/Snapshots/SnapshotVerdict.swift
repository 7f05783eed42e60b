// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The one-line answer of a memory snapshot, with the numbers behind it.
///
/// The causes, in the order they are tried:
/// - `lowmem-exhaustion`: a 32-bit kernel whose low zones are below their low watermark while
///   HighMem has memory free (zoneinfo), or whose `LowFree` is below the low watermark the
///   kernel would set for `LowTotal` (`min_free_kbytes = int_sqrt(lowmem_kbytes × 16)`, low =
///   min × 5/4) while `HighFree` is larger (meminfo);
/// - `low-memory`: a zone below its min watermark;
/// - `slab`: slab (SReclaimable + SUnreclaim, or the caches' sum when meminfo has neither)
///   holds more RAM than user memory and than the page cache (both from meminfo); the largest
///   cache is named with its share of RAM;
/// - `external-fragmentation`: the memory-dump rule (free above high, ≥ 90% of it in blocks
///   below some order ≤ 9), or, without watermarks (buddyinfo alone), the lowest order ≤ 9
///   whose fragmentation index is above the kernel's default `extfrag_threshold` (500: an
///   allocation of that order would fail for fragmentation, and compaction would run) with
///   ≥ 90% of the free memory in smaller blocks;
/// - otherwise where the RAM is: `page-cache` (buff/cache exceeds used: the kernel gives it
///   back on demand), `user-memory` or `kernel-memory` (whichever of the two is larger), or
///   `unknown` without a meminfo or free (or `healthy`, the memory-dump verdict, when zones
///   were given without one).
struct SnapshotVerdict: Sendable, Equatable {
    var cause: String
    var summary: String
    var evidence: [String]

    /// The kernel's default `vm.extfrag_threshold`.
    static let extfragThreshold: Int64 = 500

    init(analysis: SnapshotAnalysis, zones: MemoryDumpAssessment?) {
        let memory = analysis.memory
        evidence = Self.memoryEvidence(memory)
        let dump = zones.map(MemoryDumpVerdict.init)
        let populated = zones?.zones.filter(\.isPopulated) ?? []
        evidence += populated.map(Self.zoneEvidence)
        if let verdict = Self.lowmem(memory: memory, zones: populated) {
            (cause, summary) = ("lowmem-exhaustion", verdict)
            return
        }
        if let dump, dump.cause == "low-memory" {
            (cause, summary) = (dump.cause, dump.summary)
            return
        }
        if let memory, let slabVerdict = Self.slab(memory: memory, caches: analysis.slabCaches) {
            (cause, summary) = ("slab", slabVerdict)
            return
        }
        if let dump, dump.cause == "external-fragmentation" {
            (cause, summary) = (dump.cause, dump.summary)
            return
        }
        if let fragmented = Self.fragmentedWithoutWatermarks(populated) {
            (cause, summary) = ("external-fragmentation", fragmented)
            return
        }
        if memory == nil, let dump, dump.cause == "healthy" {
            (cause, summary) = (dump.cause, dump.summary)
            return
        }
        (cause, summary) = Self.whereTheRAMIs(memory)
        if memory == nil {
            if let top = analysis.slabCaches.first {
                summary += "; the largest slab cache is \(top.name) with \(top.sizeKB)kB"
            }
            if let top = analysis.vmallocCallers.first {
                summary +=
                    "; the top vmalloc caller is \(top.caller) with \(top.areas) area(s), "
                    + "\(top.pages * analysis.pageKB)kB of RAM"
            }
        }
    }

    private static func memoryEvidence(_ memory: MemorySnapshot?) -> [String] {
        guard let memory, let total = memory.totalKB else { return [] }
        var parts = ["RAM \(total)kB"]
        if let used = memory.usedKB { parts.append("used \(used)kB") }
        if let cache = memory.buffCacheKB { parts.append("buff/cache \(cache)kB") }
        if let free = memory.freeKB { parts.append("free \(free)kB") }
        if let available = memory.availableKB { parts.append("available \(available)kB") }
        var lines = [parts.joined(separator: ", ")]
        if let user = memory.userKB, let kernel = memory.kernelKB {
            lines.append("user \(user)kB, kernel \(kernel)kB")
        }
        return lines
    }

    /// One zone's line of evidence: the memory-dump one with watermarks, else the buddy lists.
    static func zoneEvidence(_ zone: ZoneAssessment) -> String {
        var text = AllocationVerdict.name(zone) + ": "
        if let line = zone.line, let free = line.freeKB {
            text += "free \(free)kB"
            if let min = line.minKB { text += ", min \(min)kB, high \(line.fields["high"] ?? 0)kB" }
        } else if let buddy = zone.buddy {
            text += "\(buddy.freeKB(atOrAbove: 0))kB free in the buddy lists"
        }
        if let largest = zone.largestFreeOrder { text += ", largest free order \(largest)" }
        return text
    }

    /// The low watermark the kernel sets, summed over the low zones, for `lowTotalKB` of lowmem:
    /// `init_per_zone_wmark_min` takes min_free_kbytes = int_sqrt(lowmem_kbytes × 16), at least
    /// 128, and `setup_per_zone_wmarks` puts low a quarter above min (lowmem_kbytes counts the
    /// free buffer pages, about LowTotal).
    static func lowWatermarkKB(lowTotalKB: Int64) -> Int64 {
        let minimum = max(Int64(Double(lowTotalKB * 16).squareRoot()), 128)
        return minimum + minimum / 4
    }

    private static func lowmem(memory: MemorySnapshot?, zones: [ZoneAssessment]) -> String? {
        let high = zones.filter { $0.zone == "HighMem" }
        if !high.isEmpty {
            let low = zones.filter { $0.zone != "HighMem" && $0.zone != "Movable" }
            let exhausted = low.filter { zone in
                guard let free = zone.line?.freeKB, let mark = zone.line?.fields["low"] else { return false }
                return free < mark
            }
            let highFree = high.compactMap { $0.line?.freeKB }.reduce(0, +)
            if !exhausted.isEmpty, highFree > 0 {
                return exhausted.map {
                    "\(AllocationVerdict.name($0)) free \($0.line?.freeKB ?? 0)kB < low \($0.line?.fields["low"] ?? 0)kB"
                }.joined(separator: "; ") + " while HighMem has \(highFree)kB free: kernel allocations cannot use it"
            }
        }
        guard let memory, let lowTotal = memory.lowTotalKB, let lowFree = memory.lowFreeKB,
            let highTotal = memory.highTotalKB, highTotal > 0, let highFree = memory.highFreeKB
        else { return nil }
        let mark = lowWatermarkKB(lowTotalKB: lowTotal)
        guard lowFree < mark, highFree > lowFree else { return nil }
        return "LowFree \(lowFree)kB of LowTotal \(lowTotal)kB is below the low watermark (about \(mark)kB) "
            + "while HighFree is \(highFree)kB: kernel allocations need lowmem"
    }

    private static func slab(memory: MemorySnapshot, caches: [SlabCacheUsage]) -> String? {
        guard let total = memory.totalKB, total > 0, let user = memory.userKB, let pageCache = memory.pageCacheKB
        else { return nil }
        let counted = (memory.slabReclaimableKB ?? 0) + (memory.slabUnreclaimableKB ?? 0)
        let slabKB = counted > 0 ? counted : caches.reduce(0) { $0 + $1.sizeKB }
        guard slabKB > user, slabKB > pageCache else { return nil }
        var text = "slab holds \(slabKB)kB (\(SnapshotAnalysis.percent(slabKB, of: total))% of RAM)"
        if let reclaimable = memory.slabReclaimableKB, let unreclaimable = memory.slabUnreclaimableKB {
            text += ", \(reclaimable)kB reclaimable and \(unreclaimable)kB not"
        }
        if let top = caches.first {
            text +=
                "; the largest cache is \(top.name) with \(top.sizeKB)kB "
                + "(\(SnapshotAnalysis.percent(top.sizeKB, of: total))% of RAM, \(top.activeObjects) objects"
            switch SlabReclaimability.isReclaimable(top.name) {
            case true?: text += ", reclaimable)"
            case false?: text += ", not reclaimable)"
            case nil: text += ")"
            }
        }
        return text
    }

    private static func fragmentedWithoutWatermarks(_ zones: [ZoneAssessment]) -> String? {
        let fragmented = zones.compactMap { zone -> (ZoneAssessment, Int)? in
            let limit = min(MemoryDumpVerdict.highestJudgedOrder, zone.fragmentationIndexByOrder.count - 1)
            guard zone.line?.fields["high"] == nil, limit >= 0,
                let order = (0...limit).first(where: {
                    zone.fragmentationIndexByOrder[$0] > extfragThreshold
                        && zone.unusableIndexByOrder[$0] >= MemoryDumpVerdict.fragmentedIndex
                })
            else { return nil }
            return (zone, order)
        }
        guard !fragmented.isEmpty else { return nil }
        return fragmented.map { zone, order in
            let free = zone.buddy?.freeKB(atOrAbove: 0) ?? 0
            return "\(AllocationVerdict.name(zone)) has \(free)kB free but \(zone.unusableIndexByOrder[order] / 10)% "
                + "of it is in blocks below order \(order) (\(zone.pageKB << Int64(order))kB), fragmentation index "
                + "\(zone.fragmentationIndexByOrder[order])"
                + (zone.largestFreeOrder.map { ", largest free order \($0)" } ?? ", nothing free")
        }.joined(separator: "; ")
    }

    private static func whereTheRAMIs(_ memory: MemorySnapshot?) -> (String, String) {
        guard let memory, let total = memory.totalKB, let used = memory.usedKB else {
            return ("unknown", "no meminfo or free output: where the RAM is cannot be told")
        }
        let cache = memory.buffCacheKB ?? 0
        let available = memory.availableKB.map { ", \($0)kB (\(SnapshotAnalysis.percent($0, of: total))%) available" }
        if cache > used {
            return (
                "page-cache",
                "most of the RAM in use is cache the kernel frees on demand: buff/cache \(cache)kB "
                    + "(\(SnapshotAnalysis.percent(cache, of: total))%), used \(used)kB" + (available ?? "")
            )
        }
        if let user = memory.userKB, let kernel = memory.kernelKB, kernel > user {
            return (
                "kernel-memory",
                "the kernel holds more than user space: kernel \(kernel)kB, user \(user)kB" + (available ?? "")
            )
        }
        return (
            "user-memory",
            "user space holds most of the used memory: used \(used)kB "
                + "(\(SnapshotAnalysis.percent(used, of: total))%)"
                + (memory.userKB.map { ", user \($0)kB" } ?? "") + (available ?? "")
        )
    }
}
