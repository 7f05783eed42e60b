// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Why an allocation failed, judged from the request and the dump that followed it, with the
/// numbers that show it and the advice that fits.
///
/// Causes, first match wins: `vmalloc-space` (the vmalloc area, not pages), `unknown` (no
/// dump); when no zone the request may use passes the min check: `wrong-node`, `lowmem-exhaustion`
/// (32-bit, HighMem has it), `wrong-zone`, `cma-only` (each: a zone the request may not use, or
/// CMA, would pass), `external-fragmentation` (a zone has the pages but no block of the order),
/// `atomic-cannot-reclaim` (short of pages and the request cannot sleep), `low-memory`; and
/// `transient` when some zone passes in the dump.
struct AllocationVerdict: Sendable, Equatable {
    var cause: String
    var summary: String
    var evidence: [String]
    var advice: [String]

    init(request: AllocationRequest, gfp: GFPMask?, dump: MemoryDumpAssessment?, context: AllocationContext) {
        let order = dump?.zones.first?.order ?? request.order ?? 0
        let what = Self.describe(request: request, gfp: gfp, order: order, pageKB: dump?.pageKB ?? 4)
        let fix = Self.callerAdvice(context)
        if request.source == .vmalloc, let reason = request.vmallocReason,
            reason.contains("vm_struct") || reason.contains("exceeds total pages")
        {
            cause = "vmalloc-space"
            let size = request.sizeBytes.map { "\($0) bytes (\($0 / 1024) kB)" } ?? "the request"
            summary =
                reason.contains("exceeds")
                ? "vmalloc of \(size) asks for more pages than the machine has (\(reason))"
                : "vmalloc of \(size) found no free range in the vmalloc address space (\(reason)): the area is "
                    + "exhausted or fragmented, not physical memory"
            evidence = ["vmalloc: \(reason)"] + (dump.map { Self.freeEvidence($0.eligibleZones) } ?? [])
            advice =
                [
                    "check /proc/vmallocinfo for a caller holding many or large areas (a leak)",
                    "on 32-bit kernels enlarge the area with the vmalloc=<size> boot parameter",
                ] + fix
            return
        }
        guard let dump, !dump.zones.isEmpty else {
            cause = "unknown"
            summary = "\(what) failed; no Mem-Info dump followed, so the zones cannot be judged"
            evidence = []
            advice = fix
            return
        }
        let eligible = dump.eligibleZones
        let passing = eligible.filter { $0.watermarkOK == true }
        var evidence = eligible.map { Self.zoneEvidence($0) }
        if let passing = passing.first {
            cause = "transient"
            let margin =
                (passing.watermarkMin?.usableFreePages ?? 0)
                - (passing.watermarkMin.map { $0.effectiveMarkPages + $0.lowmemReservePages } ?? 0)
            summary =
                "\(what) failed, yet in the dump \(Self.name(passing)) has a usable block of order \(order) and passes "
                + "the min watermark by \(margin * dump.pageKB)kB: the shortage was transient or the request gave up "
                + "early (\(Self.giveUp(gfp, order: order)))"
            self.evidence = evidence
            advice = ["retry or fall back in the caller; this is not a lasting shortage"] + fix
            return
        }
        let others = dump.zones.filter { !$0.eligible && $0.isPopulated && $0.watermarkOK == true }
        if let other = others.first(where: { $0.ineligibleReason == "node" }) {
            cause = "wrong-node"
            let nodes = dump.allowedNodes.map { $0.sorted().map(String.init).joined(separator: ",") } ?? "?"
            summary =
                "\(what) was limited to node(s) \(nodes) (nodemask/cpuset); none can serve it, while "
                + "\(Self.name(other)) could (\(other.line?.freeKB ?? 0)kB free)"
            evidence.append(Self.zoneEvidence(other))
            self.evidence = evidence
            advice = ["check the cpuset (mems_allowed) or memory policy that binds the task to these nodes"] + fix
            return
        }
        if let other = others.first(where: { $0.ineligibleReason == "zone" }) {
            let lowFree = eligible.compactMap { $0.line?.freeKB }.reduce(0, +)
            evidence.append(Self.zoneEvidence(other))
            self.evidence = evidence
            if dump.hasHighMem, other.zone == "HighMem" {
                cause = "lowmem-exhaustion"
                summary =
                    "\(what) needs lowmem (up to \(dump.classzone)), which is exhausted (\(lowFree)kB free in the "
                    + "lowmem zones), while HighMem has \(other.line?.freeKB ?? 0)kB free that it cannot use: "
                    + "32-bit lowmem exhaustion"
                advice =
                    [
                        "find what fills lowmem: slab (dentry/inode caches), page tables, kernel stacks, bounce buffers",
                        "raise vm.lowmem_reserve_ratio protection or vm.min_free_kbytes; move to a 64-bit kernel",
                    ] + fix
            } else {
                cause = "wrong-zone"
                summary =
                    "\(what) is limited to zones up to \(dump.classzone) (zone modifier), which cannot serve it, while "
                    + "\(Self.name(other)) has \(other.line?.freeKB ?? 0)kB free"
                advice = ["drop GFP_DMA/GFP_DMA32 if the device can address more, or use the DMA API"] + fix
            }
            return
        }
        let cmaBound = eligible.filter { zone in
            let cmaKB = zone.line?.fields["free_cma"] ?? 0
            return (cmaKB > 0 && zone.belowMin == true) || zone.blocksOnlyIn == ["CMA"]
        }
        if let zone = cmaBound.first, gfp?.flags.contains("__GFP_MOVABLE") != true {
            cause = "cma-only"
            summary =
                "\(what) is not movable, and the free memory of \(Self.name(zone)) is in CMA pageblocks "
                + "(free_cma:\(zone.line?.fields["free_cma"] ?? 0)kB of free:\(zone.line?.freeKB ?? 0)kB), which only "
                + "movable allocations may use"
            self.evidence = evidence
            advice = ["shrink the CMA area (cma= boot parameter) or make the allocation movable"] + fix
            return
        }
        let fragmented = eligible.filter { $0.belowMin == false && $0.canServeOrder == false }
        if order > 0, let zone = fragmented.max(by: { ($0.line?.freeKB ?? 0) < ($1.line?.freeKB ?? 0) }) {
            cause = "external-fragmentation"
            let largest = zone.largestFreeOrder.map { "largest free block order \($0)" } ?? "no free block"
            let reserved =
                zone.blocksOnlyIn.isEmpty
                ? ""
                : ", and blocks of the order only in "
                    + zone.blocksOnlyIn
                    .joined(separator: "/")
            summary =
                "\(what) failed on external fragmentation: \(Self.name(zone)) has \(zone.line?.freeKB ?? 0)kB free "
                + "(above min \(zone.line?.minKB ?? 0)kB) but no usable free block of order \(order) (\(largest)"
                + "\(reserved)); unusable free space index \(zone.contiguous?.unusableIndex ?? 1000)/1000, "
                + "fragmentation index \(zone.contiguous?.fragmentationIndex ?? 0)/1000"
                + (gfp?.canSleep == false ? "; the request cannot sleep, so it could not compact" : "")
            self.evidence = evidence
            advice =
                [
                    "compact memory: echo 1 > /proc/sys/vm/compact_memory (vm.compaction_proactiveness on 5.9+)",
                    "raise vm.min_free_kbytes so kswapd and kcompactd keep larger blocks free",
                    "vm.extfrag_threshold (default 500) decides compaction over reclaim; the index here is "
                        + "\(zone.contiguous?.fragmentationIndex ?? 0)",
                    "if the large blocks are for hugepages, reserve them at boot (hugepages=)",
                ] + fix
            return
        }
        let free = eligible.compactMap { $0.line?.freeKB }.reduce(0, +)
        let min = eligible.compactMap { $0.line?.minKB }.reduce(0, +)
        self.evidence = evidence
        if gfp?.canSleep == false {
            cause = "atomic-cannot-reclaim"
            summary =
                "\(what) cannot sleep, so it cannot reclaim: the zones it may use have \(free)kB free against a "
                + "combined min of \(min)kB, below what even an atomic request may take"
                + (context.context.map { " (\($0) context)" } ?? "")
            advice =
                [
                    "raise vm.min_free_kbytes to enlarge the reserve atomic allocations draw on",
                    "the caller should tolerate failure (__GFP_NOWARN), preallocate (mempool) or allocate in process "
                        + "context",
                ] + fix
        } else {
            cause = "low-memory"
            summary =
                "\(what) failed on genuinely low memory: the zones it may use have \(free)kB free against a combined "
                + "min of \(min)kB"
            advice =
                [
                    "find the consumer in the Mem-Info counters (slab, page cache, anon, shmem)",
                    "add swap or memory; vm.min_free_kbytes only moves the line",
                ] + fix
        }
    }

    private static func describe(request: AllocationRequest, gfp: GFPMask?, order: Int, pageKB: Int64) -> String {
        let names = gfp.map { $0.names.joined(separator: "|") }.map { $0.isEmpty ? "" : " \($0)" } ?? ""
        switch request.source {
        case .vmalloc:
            return "vmalloc of \(request.sizeBytes.map(String.init) ?? "?") bytes\(names)"
        default:
            return "an order-\(order) (\(pageKB << Int64(order))kB contiguous)\(names) allocation"
        }
    }

    private static func giveUp(_ gfp: GFPMask?, order: Int) -> String {
        if gfp?.flags.contains("__GFP_NORETRY") == true { return "__GFP_NORETRY" }
        if gfp?.canSleep == false { return "it cannot sleep" }
        if order > 3 { return "order above PAGE_ALLOC_COSTLY_ORDER 3 is not retried" }
        return "the dump was taken after the attempt"
    }

    private static func callerAdvice(_ context: AllocationContext) -> [String] {
        guard let function = context.callerFunction else { return [] }
        let module = context.callerModule.map { " [\($0)]" } ?? ""
        return [
            "in \(function)\(module): ask for a smaller order, use kvmalloc() (vmalloc fallback), or pass "
                + "__GFP_NOWARN if the caller handles failure"
        ]
    }

    static func name(_ zone: ZoneAssessment) -> String { "Node \(zone.node) \(zone.zone)" }

    static func zoneEvidence(_ zone: ZoneAssessment) -> String {
        var parts: [String] = []
        if let line = zone.line {
            parts.append("free \(line.freeKB ?? 0)kB, min \(line.minKB ?? 0)kB, low \(line.fields["low"] ?? 0)kB")
        }
        if let reserve = zone.lowmemReservePages, reserve > 0 {
            parts.append("lowmem_reserve \(reserve * zone.pageKB)kB")
        }
        if let above = zone.freeKBAtOrAboveOrder {
            parts.append("\(above)kB in blocks of order \(zone.order) or more")
        }
        if let index = zone.contiguous?.unusableIndex { parts.append("unusable index \(index)") }
        if let ok = zone.watermarkOK { parts.append(ok ? "watermark ok" : "watermark fails") }
        return "\(name(zone)): " + parts.joined(separator: ", ")
    }

    private static func freeEvidence(_ zones: [ZoneAssessment]) -> [String] {
        zones.map { "\(name($0)): free \($0.line?.freeKB ?? 0)kB" }
    }
}
