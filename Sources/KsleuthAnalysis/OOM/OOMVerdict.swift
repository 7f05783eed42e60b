// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Why the OOM happened, in one word and one sentence, with the numbers behind it.
public struct OOMVerdict: Sendable, Equatable {
    /// `memcg-limit`, `user-space-growth`, `slab-leak`, `shmem`, `hugepages`, `fragmentation`,
    /// `cpuset-restriction`, `mempolicy-restriction`, `manual`, `no-killable-process`, `unknown`.
    public var cause: String
    /// One sentence.
    public var summary: String
    /// The numbers that support it.
    public var evidence: [String]
    /// Further observations: swap exhausted or absent, trigger not the consumer, ….
    public var factors: [String]

    /// The verdict for `findings`.
    public init(_ findings: OOMFindings) {
        let report = findings.report
        let memory = findings.memory
        var evidence: [String] = []
        var factors: [String] = []
        let top = findings.consumers.first
        let topText = top.map { consumer in
            let share = consumer.percent.map {
                " (\(Self.format($0))% of \(findings.scope == "memcg" ? "the limit" : "RAM"))"
            }
            let workers = consumer.count > 1 ? " in \(consumer.count) processes" : ""
            return "\(consumer.comm) holds \(consumer.rssKB) kB RSS\(workers)\(share ?? "")"
        }
        if let topText { evidence.append(topText) }
        let ram = memory.ramKB ?? 0
        func share(_ value: Int64?) -> Double { ram > 0 ? Double(value ?? 0) / Double(ram) : 0 }

        if let total = memory.swapTotalKB {
            if total == 0 {
                factors.append("no swap configured")
            } else if let free = memory.swapFreeKB, free * 20 < total {
                factors.append("swap exhausted: \(free) kB free of \(total) kB")
            }
        }
        if let trigger = report.trigger, let top, findings.scope != "unknown", trigger.comm != top.comm,
            top.percent ?? 0 >= 20
        {
            factors.append(
                "the task that triggered the OOM (\(trigger.comm)\(report.triggerPid.map { ", pid \($0)" } ?? ""))"
                    + " is not the one using the memory (\(top.comm))")
        }
        let order = report.trigger?.order ?? 0
        let fragmented =
            order > 0 && !findings.zones.isEmpty
            && findings.zones.allSatisfy { ($0.buddy?.freeKB(atOrAbove: Int(order)) ?? 0) == 0 }
            && findings.zones.contains { ($0.buddy?.freeKB(atOrAbove: 0) ?? 0) > ($0.line?.fields["high"] ?? .max) }

        let cause: String
        let summary: String
        if report.noKillableProcesses {
            cause = "no-killable-process"
            summary = "Out of memory and no process could be killed"
        } else if findings.manual {
            cause = "manual"
            summary = "The OOM killer was invoked by hand (sysrq-f), not by a failed allocation"
        } else if findings.scope == "memcg", let counter = report.memcg.counters["memory"] {
            cause = "memcg-limit"
            let path =
                report.summary?["oom_memcg"] ?? report.memcg.limitPath ?? report.memcg.statsPath ?? "a memory cgroup"
            summary = "Memory cgroup \(path) reached its limit of \(counter.limitKB) kB"
            evidence.insert(
                "usage \(counter.usageKB) kB, limit \(counter.limitKB) kB, failcnt \(counter.failcnt)", at: 0)
        } else if findings.scope == "memcg" {
            cause = "memcg-limit"
            summary = "A memory cgroup reached its limit"
        } else if findings.scope == "cpuset" || findings.scope == "mempolicy" {
            cause = findings.scope == "cpuset" ? "cpuset-restriction" : "mempolicy-restriction"
            summary = "The allocation was restricted to nodes \(report.memsAllowed ?? "?") by its \(findings.scope)"
        } else if let slab = memory.slabUnreclaimableKB, share(slab) > 0.3 {
            cause = "slab-leak"
            let caches = report.slabs.sorted { $0.totalKB > $1.totalKB }.prefix(3).map { "\($0.name) \($0.totalKB) kB" }
            summary =
                "Unreclaimable kernel slab holds \(slab) kB (\(Self.percent(slab, ram)) of RAM)"
                + (caches.isEmpty ? "" : "; largest caches: " + caches.joined(separator: ", "))
            evidence.insert("slab_unreclaimable \(slab) kB of \(ram) kB RAM", at: 0)
        } else if let shmem = memory.shmemKB, share(shmem) > 0.3, shmem > (memory.anonKB ?? 0) {
            cause = "shmem"
            summary = "shmem/tmpfs holds \(shmem) kB (\(Self.percent(shmem, ram)) of RAM)"
            evidence.insert("shmem \(shmem) kB of \(ram) kB RAM", at: 0)
        } else if let huge = memory.hugePagesKB, share(huge) > 0.4 {
            cause = "hugepages"
            summary = "Reserved hugepages take \(huge) kB (\(Self.percent(huge, ram)) of RAM), leaving too little"
            evidence.insert("hugepages \(huge) kB of \(ram) kB RAM", at: 0)
        } else if fragmented {
            cause = "fragmentation"
            summary = "An order-\(order) request failed: free memory exists but no free block of that order"
        } else if let top {
            cause = "user-space-growth"
            summary = "User-space memory use: " + (topText ?? top.comm)
        } else if let anon = memory.anonKB, share(anon) > 0.5 {
            cause = "user-space-growth"
            summary = "Anonymous user memory filled RAM (\(memory.anonKB ?? 0) kB anon of \(ram) kB)"
        } else {
            cause = "unknown"
            summary = "The report does not hold enough to tell why"
        }
        if let anon = memory.anonKB, ram > 0 { evidence.append("anon \(anon) kB of \(ram) kB RAM") }
        if let free = memory.freeKB { evidence.append("free \(free) kB") }
        self.cause = cause
        self.summary = summary
        self.evidence = evidence
        self.factors = factors
    }

    private static func percent(_ value: Int64, _ base: Int64) -> String {
        base > 0 ? format((Double(value) * 1000 / Double(base)).rounded() / 10) + "%" : "?%"
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int64(value)) : String(value)
    }
}
