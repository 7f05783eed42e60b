// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// What the analysis derives from an ``OOMReport``: scope, victim, consumers, zones.
public struct OOMFindings: Sendable {
    /// One process name's share of the task table (20 `php-fpm` workers are one consumer).
    public struct Consumer: Sendable, Equatable {
        public var comm: String
        public var count: Int
        public var rssKB: Int64
        public var percent: Double?
    }

    /// A zone with its free lists and the request's view of them.
    public struct Zone: Sendable, Equatable {
        public var node: Int
        public var zone: String
        public var line: ZoneLine?
        public var buddy: BuddyFreeList?
        public var belowMin: Bool? {
            guard let free = line?.freeKB, let min = line?.minKB else { return nil }
            return free < min
        }
        public var belowLow: Bool? {
            guard let free = line?.freeKB, let low = line?.fields["low"] else { return nil }
            return free < low
        }
    }

    public var report: OOMReport
    /// `global`, `memcg`, `cpuset`, `mempolicy`, or `unknown` when nothing tells.
    public var scope: String
    /// Whether the OOM was forced by hand (sysrq-f: order -1).
    public var manual: Bool
    public var constraint: String?
    public var gfp: GFPMask?
    public var memory: MemoryBreakdown
    /// The victim's pid and name, from the kill line, the select line or the exiting-victim line.
    public var victimPid: Int64?
    public var victimComm: String?
    public var victimRow: TaskTable.Row?
    public var consumers: [Consumer]
    public var rssSumKB: Int64
    /// What the consumers' percentages are relative to: RAM or the memcg limit, in kB.
    public var shareBaseKB: Int64?
    public var zones: [Zone]
    /// What the report should have had and did not.
    public var missing: [String]

    public init(_ report: OOMReport, kernelRelease: String?) {
        self.report = report
        let summary = report.summary
        constraint = summary?["constraint"]
        let messages = [report.kill?.message, report.selection?.message].compactMap { $0 }
        if constraint == "CONSTRAINT_MEMCG" || summary?["oom_memcg"] != nil
            || messages.contains(where: { $0.contains("Memory cgroup") }) || report.memcg.counters["memory"] != nil
            || report.memcg.limitPath != nil || report.memcgInCallTrace
        {
            scope = "memcg"
        } else if constraint == "CONSTRAINT_CPUSET" {
            scope = "cpuset"
        } else if constraint == "CONSTRAINT_MEMORY_POLICY" || messages.contains(where: { $0.contains("MPOL_BIND") }) {
            scope = "mempolicy"
        } else if summary != nil || report.memInfo.sawHeader || report.allocatorInCallTrace
            || report.trigger?.order == -1 || report.sysrq
            || messages.contains(where: { $0.hasPrefix("Out of memory") })
        {
            // A memcg OOM prints the cgroup's counters instead of Mem-Info (3.x on), its kill and
            // select lines say "Memory cgroup out of memory", and its stack charges a memcg; a
            // header alone tells nothing.
            scope = "global"
        } else {
            scope = "unknown"
        }
        manual = report.trigger?.order == -1 || report.sysrq
        if let trigger = report.trigger, let mask = trigger.gfpMask {
            let layout = GFPMask.layout(
                release: kernelRelease, printedNames: trigger.printedNames, headerHasOomAdj: trigger.oomAdj != nil,
                mask: mask)
            gfp = GFPMask(mask, layout: layout)
        }
        memory = MemoryBreakdown(info: report.memInfo, zones: report.zones, pageKB: report.pageKB)

        let victimPid = report.kill?.pid ?? report.exitingVictim?.pid ?? report.selection?.pid
        self.victimPid = victimPid
        // The kill line may name a child of the selected task: a name is only taken from a line
        // about the same pid.
        victimComm =
            [
                report.kill.flatMap { $0.comm == nil ? nil : ($0.pid, $0.comm ?? "") }, report.exitingVictim,
                report.selection.map { ($0.pid, $0.comm) },
            ].compactMap { $0 }.first { $0.0 == victimPid }?.1
        let pageKB = report.pageKB
        var byName: [String: Consumer] = [:]
        var sum: Int64 = 0
        var victimRow: TaskTable.Row?
        for row in report.tasks.rows {
            let kb = row.rssPages * pageKB
            sum += kb
            byName[row.name, default: Consumer(comm: row.name, count: 0, rssKB: 0)].count += 1
            byName[row.name]?.rssKB += kb
            if row.pid == victimPid { victimRow = row }
        }
        self.victimRow = victimRow
        if victimComm == nil { victimComm = victimRow?.name }
        rssSumKB = sum
        let limit = report.memcg.counters["memory"].flatMap { $0.isUnlimited ? nil : $0.limitKB }
        shareBaseKB = scope == "memcg" ? (limit ?? memory.ramKB) : memory.ramKB
        let base = shareBaseKB
        consumers = byName.values.sorted { ($0.rssKB, $1.comm) > ($1.rssKB, $0.comm) }.prefix(10).map {
            var consumer = $0
            if let base, base > 0 { consumer.percent = (Double($0.rssKB) * 1000 / Double(base)).rounded() / 10 }
            return consumer
        }

        var zones: [Zone] = report.zones.map { Zone(node: $0.node, zone: $0.zone, line: $0) }
        for buddy in report.buddies {
            if let index = zones.firstIndex(where: { $0.node == buddy.node && $0.zone == buddy.zone && $0.buddy == nil }
            ) {
                zones[index].buddy = buddy
            } else {
                zones.append(Zone(node: buddy.node, zone: buddy.zone, buddy: buddy))
            }
        }
        self.zones = zones
        missing = OOMFindings.missingParts(report, scope: scope)
    }

    private static func missingParts(_ report: OOMReport, scope: String) -> [String] {
        var missing: [String] = []
        if report.trigger == nil { missing.append("trigger line (invoked oom-killer)") }
        if report.triggerPid == nil { missing.append("trigger task line (CPU:/Pid:)") }
        if scope == "memcg" {
            if report.memcg.counters["memory"] == nil { missing.append("memcg usage line") }
        } else if !report.memInfo.sawHeader {
            missing.append("Mem-Info")
        } else {
            if report.memInfo.counters.isEmpty { missing.append("Mem-Info counters") }
            if report.zones.isEmpty { missing.append("zone lines") }
            if report.memInfo.ramPages == nil { missing.append("pages RAM") }
        }
        if !report.tasks.present { missing.append("task table") }
        if report.tasks.unreadableRows > 0 {
            missing.append("task table rows (\(report.tasks.unreadableRows) unreadable)")
        }
        let damaged = report.tasks.damagedRowPids.count
        if damaged > 0 { missing.append("task table values (\(damaged) row\(damaged == 1 ? "" : "s") garbled)") }
        if report.suppressedMessages > 0 {
            missing.append("\(report.suppressedMessages) messages suppressed by printk rate limiting")
        }
        if report.memcg.statsCut { missing.append("memcg stats values (line cut)") }
        if report.kill == nil && report.exitingVictim == nil && !report.noKillableProcesses {
            missing.append("kill line (Killed process)")
        } else if report.killLineCut {
            missing.append("kill line values (line cut)")
        }
        return missing
    }
}
