// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// Explains OOM-killer reports: fills an `oom-kill` incident's details with its trigger, scope,
/// victim, consumers, memory breakdown, zones, reaper outcome and verdict.
///
/// The flat facts ``FactExtractor`` sets stay; this adds the nested fields of
/// `docs/json-output.md` ("OOM details").
public struct OOMAnalyzer: IncidentAnalyzer {
    public var kinds: Set<IncidentKind>? { [.oom] }

    public init() {}

    /// Adds the OOM findings to `incident`.
    public func analyze(_ incident: inout Incident) {
        let report = OOMReport(lines: incident.lines)
        var release = report.kernelRelease
        if release == nil, case .string(let text)? = incident.details["kernel_release"] { release = text }
        let findings = OOMFindings(report, kernelRelease: release)
        let verdict = OOMVerdict(findings)
        var details = incident.details
        details["scope"] = .string(findings.scope)
        details["manual"] = .bool(findings.manual)
        if let release { details["kernel_version"] = .string(release) }
        details["trigger"] = .object(Self.trigger(report, findings))
        if let constraint = findings.constraint { details["constraint"] = .string(constraint) }
        if let cpuset = report.cpuset { details["cpuset"] = .string(cpuset) }
        if let mems = report.memsAllowed { details["mems_allowed"] = .string(mems) }
        if let memcg = Self.memcg(report, findings) { details["memcg"] = .object(memcg) }
        details["victim"] = .object(Self.victim(report, findings))
        details["memory"] = .object(Self.memory(findings.memory))
        details["tasks"] = .object(Self.tasks(report, findings))
        details["zones"] = .list(findings.zones.map { .object(Self.zone($0, order: report.trigger?.order ?? 0)) })
        let requestZone = OOMRequestZone(findings).detail
        if !requestZone.isEmpty { details["request_zone"] = .object(requestZone) }
        if report.slabTablePresent {
            details["unreclaimable_slab"] = .list(
                report.slabs.sorted { $0.totalKB > $1.totalKB }.prefix(10).map {
                    .object(
                        Self.object([
                            "name": .string($0.name), "used_kb": .integer($0.usedKB), "total_kb": .integer($0.totalKB),
                        ]))
                })
        }
        if let reaper = Self.reaper(report) { details["reaper"] = .object(reaper) }
        if let panic = report.panic { details["panic"] = .string(panic) }
        details["verdict"] = .object(
            Self.object([
                "cause": .string(verdict.cause), "summary": .string(verdict.summary),
                "evidence": .list(verdict.evidence.map { .string($0) }),
                "factors": .list(verdict.factors.map { .string($0) }),
            ]))
        details["missing"] = .list(findings.missing.map { .string($0) })
        incident.details = details
    }

    /// Details from ordered pairs, skipping `nil` values.
    static func object(_ pairs: KeyValuePairs<String, DetailValue?>) -> Details {
        var details = Details()
        for (key, value) in pairs { if let value { details[key] = value } }
        return details
    }

    private static func int(_ value: Int64?) -> DetailValue? { value.map { .integer($0) } }
    private static func int(_ value: Int?) -> DetailValue? { value.map { .integer(Int64($0)) } }
    private static func str(_ value: String?) -> DetailValue? { value.map { .string($0) } }

    private static func trigger(_ report: OOMReport, _ findings: OOMFindings) -> Details {
        let trigger = report.trigger
        var details = object([
            "comm": str(trigger?.comm), "pid": int(report.triggerPid), "cpu": int(report.triggerCPU),
            "oom_score_adj": int(trigger?.oomScoreAdj), "oom_adj": int(trigger?.oomAdj),
            "gfp_mask": str(trigger?.gfpMaskText),
        ])
        if let gfp = findings.gfp {
            let names = trigger?.printedNames.isEmpty == false ? trigger?.printedNames ?? [] : gfp.names
            details["gfp_flags"] = .list(names.map { .string($0) })
            details["gfp_layout"] = .string(gfp.layoutName)
            details["gfp"] = .object(
                object([
                    "decoded": .list(gfp.names.map { .string($0) }), "can_sleep": .bool(gfp.canSleep),
                    "wakes_kswapd": .bool(gfp.wakesKswapd), "can_do_io": .bool(gfp.canDoIO),
                    "can_do_fs": .bool(gfp.canDoFS), "atomic": .bool(gfp.isAtomic), "zone": .string(gfp.zone),
                    "unknown_bits": gfp.unknownBits == 0 ? nil : .string("0x" + String(gfp.unknownBits, radix: 16)),
                ]))
        }
        details["order"] = int(trigger?.order)
        details["nodemask"] = str(trigger?.nodemask ?? report.summary?["nodemask"])
        return details
    }

    private static func memcg(_ report: OOMReport, _ findings: OOMFindings) -> Details? {
        let info = report.memcg
        let summary = report.summary
        guard info.present || summary?["task_memcg"] != nil || summary?["oom_memcg"] != nil else { return nil }
        let memory = info.counters["memory"]
        let memsw = info.counters["memory+swap"]
        let swap = info.counters["swap"]
        var details = object([
            "oom_path": str(
                summary?["oom_memcg"] ?? info.limitPath ?? (findings.scope == "memcg" ? info.statsPath : nil)),
            "task_path": str(summary?["task_memcg"] ?? info.taskPath), "usage_kb": int(memory?.usageKB),
            "limit_kb": int(memory?.limitKB), "failcnt": int(memory?.failcnt),
            "swap_usage_kb": int(swap?.usageKB ?? memsw.flatMap { m in memory.map { max(0, m.usageKB - $0.usageKB) } }),
            "swap_limit_kb": int(swap?.limitKB), "swap_unlimited": swap.map { .bool($0.isUnlimited) },
            "memsw_usage_kb": int(memsw?.usageKB), "memsw_limit_kb": int(memsw?.limitKB),
            "kmem_usage_kb": int(info.counters["kmem"]?.usageKB), "cgroup_version": int(info.cgroupVersion),
            "stats_path": str(info.statsPath), "stats_blocks": info.statsBlocks == 0 ? nil : int(info.statsBlocks),
            "oom_group_path": str(info.oomGroupPath),
        ])
        if !info.stats.isEmpty { details["memory"] = .object(memcgMemory(info)) }
        return details
    }

    /// The cgroup's own breakdown from its stats, in kB.
    private static func memcgMemory(_ info: MemcgInfo) -> Details {
        let stats = info.stats
        if info.statsAreBytes {
            func kb(_ name: String) -> DetailValue? { stats[name].map { .integer($0 / 1024) } }
            return object([
                "anon_kb": kb("anon"), "page_cache_kb": kb("file"), "shmem_kb": kb("shmem"),
                "kernel_kb": kb("kernel"), "slab_reclaimable_kb": kb("slab_reclaimable"),
                "slab_unreclaimable_kb": kb("slab_unreclaimable"), "kernel_stack_kb": kb("kernel_stack"),
                "page_tables_kb": kb("pagetables"), "sock_kb": kb("sock"), "percpu_kb": kb("percpu"),
            ])
        }
        func kb(_ name: String) -> DetailValue? { stats[name].map { .integer($0) } }
        return object([
            "anon_kb": kb("rss"), "page_cache_kb": kb("cache"), "shmem_kb": kb("shmem"),
            "mapped_file_kb": kb("mapped_file"), "swap_kb": kb("swap"), "rss_huge_kb": kb("rss_huge"),
        ])
    }

    private static func victim(_ report: OOMReport, _ findings: OOMFindings) -> Details {
        let kill = report.kill
        let row = findings.victimRow
        let pageKB = report.pageKB
        let selection = report.selection
        let score = selection.flatMap { $0.pid == findings.victimPid || kill == nil ? $0.score : nil }
        var details = object([
            "pid": int(findings.victimPid), "comm": str(findings.victimComm), "uid": int(kill?.uid ?? row?.uid),
            "total_vm_kb": int(kill?.totalVMKB ?? row?.totalVMPages.map { $0 * pageKB }),
            "anon_rss_kb": int(kill?.anonRSSKB), "file_rss_kb": int(kill?.fileRSSKB),
            "shmem_rss_kb": int(kill?.shmemRSSKB),
            "pgtables_kb": int(kill?.pgtablesKB ?? row?.pgtablesBytes.map { $0 / 1024 }),
            "oom_score_adj": int(kill?.oomScoreAdj ?? row?.oomScoreAdj), "score": int(score),
            "rss_kb": int(row.map { $0.rssPages * pageKB }), "swap_kb": int(row?.swapEntries.map { $0 * pageKB }),
        ])
        if let selection, selection.pid != findings.victimPid {
            details["selected"] = .object(
                object([
                    "pid": .integer(selection.pid), "comm": .string(selection.comm), "score": .integer(selection.score),
                ]))
        }
        if report.exitingVictim != nil { details["already_exiting"] = .bool(true) }
        return details
    }

    private static func memory(_ memory: MemoryBreakdown) -> Details {
        object([
            "ram_kb": int(memory.ramKB), "reserved_kb": int(memory.reservedKB),
            "swap_total_kb": int(memory.swapTotalKB),
            "swap_free_kb": int(memory.swapFreeKB), "swap_cache_kb": int(memory.swapCacheKB),
            "free_kb": int(memory.freeKB), "anon_kb": int(memory.anonKB), "page_cache_kb": int(memory.pageCacheKB),
            "shmem_kb": int(memory.shmemKB), "unevictable_kb": int(memory.unevictableKB),
            "slab_reclaimable_kb": int(memory.slabReclaimableKB),
            "slab_unreclaimable_kb": int(memory.slabUnreclaimableKB), "slab_kb": int(memory.slabTotalKB),
            "page_tables_kb": int(memory.pageTablesKB),
            "kernel_stack_kb": int(memory.kernelStackKB), "hugepages_kb": int(memory.hugePagesKB),
            "unaccounted_kb": int(memory.unaccountedKB), "user_kb": int(memory.userKB),
            "kernel_kb": int(memory.kernelKB),
        ])
    }

    private static func tasks(_ report: OOMReport, _ findings: OOMFindings) -> Details {
        let table = report.tasks
        return object([
            "present": .bool(table.present), "count": .integer(Int64(table.printedRowCount)),
            "rss_sum_kb": table.rows.isEmpty ? nil : .integer(findings.rssSumKB),
            "share_of_kb": int(findings.shareBaseKB), "unreadable_rows": .integer(Int64(table.unreadableRows)),
            "damaged_rows": table.damagedRowPids.isEmpty ? nil : .integer(Int64(table.damagedRowPids.count)),
            "columns": table.columns.map { .list($0.map { .string($0) }) },
            "top": .list(
                findings.consumers.map {
                    .object(
                        object([
                            "comm": .string($0.comm), "count": .integer(Int64($0.count)), "rss_kb": .integer($0.rssKB),
                            "percent": $0.percent.map { .number($0) },
                        ]))
                }),
        ])
    }

    private static func zone(_ zone: OOMFindings.Zone, order: Int64) -> Details {
        let line = zone.line
        var details = object([
            "node": .integer(Int64(zone.node)), "zone": .string(zone.zone), "free_kb": int(line?.freeKB),
            "min_kb": int(line?.minKB), "low_kb": int(line?.fields["low"]), "high_kb": int(line?.fields["high"]),
            "below_min": zone.belowMin.map { .bool($0) }, "below_low": zone.belowLow.map { .bool($0) },
            "lowmem_reserve": line.flatMap {
                $0.lowmemReserve.isEmpty ? nil : .list($0.lowmemReserve.map { .integer($0) })
            },
        ])
        if let buddy = zone.buddy {
            var blocks = Details()
            for (index, count) in buddy.counts.enumerated() { blocks[String(index)] = .integer(count) }
            details["free_blocks_by_order"] = .object(blocks)
            details["free_kb_at_or_above_order"] = .integer(buddy.freeKB(atOrAbove: Int(max(order, 0))))
            details["buddy_total_kb"] = int(buddy.totalKB)
        }
        return details
    }

    private static func reaper(_ report: OOMReport) -> Details? {
        guard let reaper = report.reaper else { return nil }
        return object([
            "pid": .integer(reaper.pid), "comm": .string(reaper.comm), "reaped": .bool(reaper.reaped),
            "anon_rss_kb": int(reaper.anonRSSKB), "file_rss_kb": int(reaper.fileRSSKB),
            "shmem_rss_kb": int(reaper.shmemRSSKB),
        ])
    }
}
