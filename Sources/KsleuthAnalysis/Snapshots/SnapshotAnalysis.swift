// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// Explains a memory snapshot: who is using the RAM (used vs buff/cache vs available, user vs
/// kernel), the top slab caches and vmalloc callers, a process's memory by mapping kind, and
/// the fragmentation of every zone — the `details` of a `memory-snapshot` incident
/// (`docs/json-output.md`, "Memory snapshot details").
///
/// The zone analysis is the memory-dump one (``MemoryDumpAssessment``, ``MemoryDumpVerdict``),
/// fed from zoneinfo (watermarks, lowmem_reserve) and buddyinfo / pagetypeinfo (free blocks
/// per order and migrate type) instead of show_mem lines.
public struct SnapshotAnalysis: Sendable {
    /// How many slab caches and vmalloc callers are listed.
    public static let topCount = 10

    /// The page size in kB: MemTotal over the zones' managed pages when both are known
    /// (MemTotal is totalram_pages, the sum of managed pages), else 4.
    public let pageKB: Int64
    /// Whether ``pageKB`` was derived (not assumed).
    public let pageSizeKnown: Bool
    let collector: SnapshotCollector
    /// The meminfo or free snapshot, when one was given.
    public let memory: MemorySnapshot?
    /// How `free`'s numbers were read, when a free output was given (procps prints KiB unless
    /// told otherwise; with a meminfo beside it, MemTotal decides).
    let freeUnit: FreeUnitDecision?

    public init(_ collector: SnapshotCollector) {
        self.collector = collector
        let meminfo =
            collector.meminfoLines.isEmpty ? nil : MemInfoSnapshotAnalyzer().snapshot(lines: collector.meminfoLines)
        var free: MemorySnapshot?
        var decision: FreeUnitDecision?
        if !collector.freeLines.isEmpty {
            let decided = FreeUnitDecision(freeLines: collector.freeLines, memTotalKB: meminfo?.totalKB)
            free = MemInfoSnapshotAnalyzer(freeUnit: decided.unit).snapshot(lines: collector.freeLines)
            if free != nil { decision = decided }
        }
        memory = meminfo ?? free
        freeUnit = decision
        let managed = collector.zoneInfo.zones.compactMap { $0.counters["managed"] }.reduce(0, +)
        if let total = meminfo?.totalKB, managed > 0, total % managed == 0, [1, 4, 8, 16, 64].contains(total / managed)
        {
            pageKB = total / managed
            pageSizeKnown = true
        } else {
            pageKB = 4
            pageSizeKnown = false
        }
    }

    /// The zones judged as a memory dump is, when zoneinfo, buddyinfo or pagetypeinfo was given
    /// (without buddyinfo, pagetypeinfo's counts summed over the migrate types stand for it).
    public var zones: MemoryDumpAssessment? {
        let lines = collector.zoneInfo.zones.map { $0.zoneLine(pageKB: pageKB) }
        var buddies = collector.buddy.freeLists(pageKB: pageKB, types: collector.pageTypes.typeLetters)
        if collector.buddy.zones.isEmpty { buddies = collector.pageTypes.freeLists(pageKB: pageKB) }
        guard !lines.isEmpty || !buddies.isEmpty else { return nil }
        return MemoryDumpAssessment(
            zoneLines: lines, buddies: buddies, pageKB: pageKB, order: 0,
            flags: AllocationFlags(high: false, harder: false, mayUseCMA: false, classicCheck: false),
            requestedZone: "Movable", allowedNodes: nil)
    }

    /// The slab caches, largest first.
    public var slabCaches: [SlabCacheUsage] {
        collector.slab.caches(pageKB: pageKB).sorted { ($0.sizeKB, $1.name) > ($1.sizeKB, $0.name) }
    }

    /// The vmalloc callers, by RAM then address space, largest first.
    public var vmallocCallers: [VmallocCallerUsage] {
        collector.vmalloc.callers.values.sorted {
            ($0.pages, $0.bytes, $1.caller) > ($1.pages, $1.bytes, $0.caller)
        }
    }

    /// The `details` of the incident.
    public var details: Details {
        var details = Details()
        details["formats"] = .list(Array(Set(collector.sources.map(\.format.rawValue))).sorted().map { .string($0) })
        details["sources"] = .list(
            collector.sources.map { source in
                var entry = Details()
                entry["file"] = .string(source.file)
                entry["format"] = .string(source.format.rawValue)
                entry["lines"] = .integer(Int64(source.lines))
                return .object(entry)
            })
        details["page_size_kb"] = .integer(pageKB)
        details["page_size_known"] = .bool(pageSizeKnown)
        if let memory {
            var memoryDetails = MemInfoSnapshotAnalyzer.details(memory)
            if case .object(var fields)? = memoryDetails["memory"], let vmalloc = vmallocAllocatedKB {
                fields["vmalloc_allocated_kb"] = .integer(vmalloc)
                memoryDetails["memory"] = .object(fields)
            }
            details["memory"] = memoryDetails["memory"]
        }
        if let unit = freeUnit?.unit {
            if let kilobytes = unit.wholeKilobytes { details["free_unit_kb"] = .integer(kilobytes) }
            var entry = Details()
            entry["name"] = .string(unit.name)
            if !unit.isHuman { entry["bytes"] = .integer(Int64(unit.bytesPerUnit)) }
            entry["evidence"] = .string(unit.evidence.rawValue)
            details["free_unit"] = .object(entry)
        }
        if let slab = slabDetails { details["slab"] = .object(slab) }
        if let vmalloc = vmallocDetails { details["vmalloc"] = .object(vmalloc) }
        if !collector.vmstat.isEmpty { details["vmstat"] = .object(vmstatDetails) }
        if !collector.processes.isEmpty {
            details["processes"] = .list(collector.processes.map { .object(Self.details($0.parser.memory, pageKB)) })
        }
        let zones = self.zones
        if let zones {
            details["zones"] = .list(zones.zones.map { .object($0.details(forRequest: false)) })
        }
        if let order = collector.pageTypes.pageblockOrder { details["pageblock_order"] = .integer(Int64(order)) }
        if !collector.pageTypes.blocksByType.isEmpty { details["pageblocks"] = .list(pageblockDetails) }
        let verdict = SnapshotVerdict(analysis: self, zones: zones)
        var verdictDetails = Details()
        verdictDetails["cause"] = .string(verdict.cause)
        verdictDetails["summary"] = .string(verdict.summary)
        verdictDetails["evidence"] = .list(verdict.evidence.map { .string($0) })
        details["verdict"] = .object(verdictDetails)
        let missing = self.missing
        if !missing.isEmpty { details["missing"] = .list(missing.map { .string($0) }) }
        return details
    }

    /// RAM behind vmalloc areas (`pages=`), in kB.
    var vmallocAllocatedKB: Int64? {
        guard collector.vmalloc.areas > 0 else { return nil }
        return collector.vmalloc.callers.values.reduce(0) { $0 + $1.pages } * pageKB
    }

    private var slabDetails: Details? {
        let caches = slabCaches
        guard !caches.isEmpty else { return nil }
        var slab = Details()
        if let version = collector.slab.version { slab["slabinfo_version"] = .string(version) }
        slab["caches"] = .integer(Int64(caches.count))
        slab["total_kb"] = .integer(caches.reduce(0) { $0 + $1.sizeKB })
        slab["top"] = .list(
            caches.prefix(Self.topCount).map { cache in
                var entry = Details()
                entry["name"] = .string(cache.name)
                entry["size_kb"] = .integer(cache.sizeKB)
                entry["active_objects"] = .integer(cache.activeObjects)
                entry["objects"] = .integer(cache.objects)
                entry["object_size_bytes"] = .integer(cache.objectSizeBytes)
                if let reclaimable = SlabReclaimability.isReclaimable(cache.name) {
                    entry["reclaimable"] = .bool(reclaimable)
                }
                if let total = memory?.totalKB, total > 0 {
                    entry["share_of_ram_percent"] = .number(Self.percent(cache.sizeKB, of: total))
                }
                return .object(entry)
            })
        return slab
    }

    private var vmallocDetails: Details? {
        guard collector.vmalloc.areas > 0 else { return nil }
        var vmalloc = Details()
        let callers = vmallocCallers
        vmalloc["areas"] = .integer(collector.vmalloc.areas)
        vmalloc["callers"] = .integer(Int64(callers.count))
        vmalloc["allocated_kb"] = .integer(vmallocAllocatedKB ?? 0)
        vmalloc["address_space_kb"] = .integer(callers.reduce(0) { $0 + $1.bytes } / 1024)
        vmalloc["top_callers"] = .list(
            callers.prefix(Self.topCount).map { caller in
                var entry = Details()
                entry["caller"] = .string(caller.caller)
                entry["areas"] = .integer(caller.areas)
                entry["allocated_kb"] = .integer(caller.pages * pageKB)
                entry["address_space_kb"] = .integer(caller.bytes / 1024)
                entry["kinds"] = .list(caller.kinds.sorted().map { .string($0) })
                return .object(entry)
            })
        return vmalloc
    }

    /// The vmstat counters that say where memory went and how hard reclaim worked.
    static let vmstatCounters = [
        "nr_free_pages", "nr_anon_pages", "nr_file_pages", "nr_shmem", "nr_slab_reclaimable", "nr_slab_unreclaimable",
        "nr_slab_reclaimable_B", "nr_slab_unreclaimable_B", "nr_kernel_stack", "nr_page_table_pages", "nr_mapped",
        "nr_dirty", "nr_writeback", "pgmajfault", "allocstall", "allocstall_normal", "allocstall_movable",
        "allocstall_dma32", "pgscan_direct", "pgsteal_direct", "compact_stall", "compact_fail", "compact_success",
        "oom_kill", "thp_fault_fallback", "workingset_refault", "workingset_refault_file",
    ]

    private var vmstatDetails: Details {
        var vmstat = Details()
        for name in Self.vmstatCounters {
            if let value = collector.vmstat[name] { vmstat[name] = .integer(value) }
        }
        return vmstat
    }

    private var pageblockDetails: [DetailValue] {
        collector.pageTypes.blocksByType.sorted { ($0.key.node, $0.key.zone) < ($1.key.node, $1.key.zone) }.map {
            zone,
            types in
            var entry = Details()
            entry["node"] = .integer(Int64(zone.node))
            entry["zone"] = .string(zone.zone)
            var counts = Details()
            for (type, count) in types { counts[type] = .integer(count) }
            entry["blocks_by_type"] = .object(counts)
            return .object(entry)
        }
    }

    static func details(_ process: ProcessMemory, _ pageKB: Int64) -> Details {
        var details = Details()
        if let name = process.name { details["name"] = .string(name) }
        if let pid = process.pid { details["pid"] = .integer(pid) }
        let statusNames: [(String, String)] = [
            ("VmSize", "vm_size_kb"), ("VmRSS", "rss_kb"), ("RssAnon", "rss_anon_kb"), ("RssFile", "rss_file_kb"),
            ("RssShmem", "rss_shmem_kb"), ("VmData", "data_kb"), ("VmStk", "stack_kb"), ("VmPTE", "page_tables_kb"),
            ("VmSwap", "swap_kb"), ("VmHWM", "rss_peak_kb"),
        ]
        for (from, to) in statusNames { if let value = process.status[from] { details[to] = .integer(value) } }
        if process.statmPages.count == 7 {
            details["statm_size_kb"] = .integer(process.statmPages[0] * pageKB)
            details["statm_resident_kb"] = .integer(process.statmPages[1] * pageKB)
            details["statm_shared_kb"] = .integer(process.statmPages[2] * pageKB)
            details["statm_data_kb"] = .integer(process.statmPages[5] * pageKB)
        }
        if !process.rollup.isEmpty {
            var rollup = Details()
            for name in [
                "Rss", "Pss", "Anonymous", "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty", "Swap",
            ] {
                if let value = process.rollup[name] { rollup[name.lowercased() + "_kb"] = .integer(value) }
            }
            details["rollup"] = .object(rollup)
        }
        if !process.byKind.isEmpty {
            var kinds = Details()
            for kind in MappingKind.allCases {
                guard let totals = process.byKind[kind] else { continue }
                var entry = Details()
                entry["mappings"] = .integer(totals.mappings)
                entry["size_kb"] = .integer(totals.sizeKB)
                if let rss = totals.rssKB { entry["rss_kb"] = .integer(rss) }
                if let pss = totals.pssKB { entry["pss_kb"] = .integer(pss) }
                if let swap = totals.swapKB { entry["swap_kb"] = .integer(swap) }
                kinds[kind.rawValue] = .object(entry)
            }
            details["by_mapping_kind"] = .object(kinds)
        }
        return details
    }

    /// `part` as a percentage of `whole`, to 0.1.
    static func percent(_ part: Int64, of whole: Int64) -> Double {
        guard whole > 0 else { return 0 }
        return (Double(part) * 1000 / Double(whole)).rounded() / 10
    }

    /// What the snapshot lacks or could not read.
    var missing: [String] {
        var missing: [String] = []
        for zone in collector.buddy.cutZones {
            missing.append("buddyinfo line of Node \(zone.node) \(zone.zone) is cut (fewer orders than the others)")
        }
        for zone in collector.zoneInfo.zones where zone.counters["free"] != nil && zone.counters["min"] == nil {
            missing.append("watermarks of Node \(zone.node) \(zone.zone)")
        }
        if collector.pageTypes.unreadLines > 0 {
            missing.append("\(collector.pageTypes.unreadLines) pagetypeinfo line(s) could not be read")
        }
        if collector.sources.contains(where: { $0.format == .pagetypeinfo }), collector.pageTypes.freeByType.isEmpty {
            missing.append("free counts per migrate type (pagetypeinfo of an unknown layout)")
        }
        if collector.sources.contains(where: { $0.format == .slabinfo }), !collector.slab.knowsVersion {
            missing.append("slab caches (slabinfo version \(collector.slab.version ?? "?") is not known)")
        }
        if collector.slab.unreadLines > 0 {
            missing.append("\(collector.slab.unreadLines) slab cache line(s) could not be read")
        }
        if collector.vmalloc.unreadLines > 0 {
            missing.append("\(collector.vmalloc.unreadLines) vmallocinfo line(s) could not be read")
        }
        if collector.sources.contains(where: { $0.format == .meminfo || $0.format == .free }), memory == nil {
            missing.append("MemTotal (the meminfo or free output could not be read)")
        }
        missing += freeUnit?.notes ?? []
        for format in collector.repeatedFormats.sorted(by: { $0.rawValue < $1.rawValue }) {
            missing.append("\(format.rawValue) was given more than once: the files were read together")
        }
        return missing
    }
}
