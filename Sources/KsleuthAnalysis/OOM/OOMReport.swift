// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthPatterns

/// Everything one OOM report states, read from its evidence lines in a single pass.
public struct OOMReport: Sendable {
    /// The `invoked oom-killer` line.
    public struct Trigger: Sendable, Equatable {
        public var comm: String
        public var gfpMask: UInt64?
        public var gfpMaskText: String
        public var printedNames: [String]
        public var nodemask: String?
        public var order: Int64?
        public var oomAdj: Int64?
        public var oomScoreAdj: Int64?
    }

    /// The `Killed process` line.
    public struct Kill: Sendable, Equatable {
        public var message: String?
        public var pid: Int64
        public var comm: String?
        public var uid: Int64?
        public var totalVMKB: Int64?
        public var anonRSSKB: Int64?
        public var fileRSSKB: Int64?
        public var shmemRSSKB: Int64?
        public var pgtablesKB: Int64?
        public var oomScoreAdj: Int64?
    }

    /// The `Kill process … score …` line.
    public struct Selection: Sendable, Equatable {
        public var message: String
        public var pid: Int64
        public var comm: String
        public var score: Int64
    }

    /// The reaper's outcome.
    public struct Reaper: Sendable, Equatable {
        public var pid: Int64
        public var comm: String
        public var reaped: Bool
        public var anonRSSKB: Int64?
        public var fileRSSKB: Int64?
        public var shmemRSSKB: Int64?
    }

    public var trigger: Trigger?
    public var triggerPid: Int64?
    public var triggerCPU: Int64?
    public var kernelRelease: String?
    public var cpuset: String?
    public var memsAllowed: String?
    public var summary: [String: String]?
    public var selection: Selection?
    public var kill: Kill?
    public var killLineCut = false
    public var reaper: Reaper?
    public var exitingVictim: (pid: Int64, comm: String)?
    public var memInfo = MemInfo()
    public var zones: [ZoneLine] = []
    public var buddies: [BuddyFreeList] = []
    public var memcg = MemcgInfo()
    public var tasks = TaskTable()
    public var slabs: [SlabCache] = []
    public var slabTablePresent = false
    public var noKillableProcesses = false
    public var panic: String?
    public var sysrq = false
    public var compactionDisabled = false
    public var memcgInCallTrace = false
    /// Whether a reliable call-trace frame is the page allocator's (`__alloc_pages_slowpath`,
    /// `__alloc_pages_nodemask`, 2.6's `__alloc_pages_internal`): a global, cpuset or
    /// mempolicy OOM rather than a memcg charge.
    public var allocatorInCallTrace = false
    /// Messages printk's rate limiting dropped inside the report (`__ratelimit: 57 callbacks
    /// suppressed`, `printk: 12 messages suppressed.`, `** 5 printk messages dropped **`).
    public var suppressedMessages: Int64 = 0
    /// Lines that looked like part of the report but could not be read.
    public var unreadableLines = 0

    /// The page size in kB: the order-0 block size of the buddy lines, else 4.
    public var pageKB: Int64 { buddies.first?.pageKB ?? 4 }

    /// Reads `lines` (an incident's evidence).
    public init(lines: [EvidenceLine]) {
        var tasks = TaskTableParser()
        var memcg = MemcgParser()
        var slabs = SlabInfoParser()
        for line in lines {
            let text = Substring(line.text).trimmingSpaces()
            guard !text.isEmpty else { continue }
            if memcg.read(text) || tasks.read(text) || slabs.read(text) { continue }
            read(text)
        }
        self.tasks = tasks.table
        self.memcg = memcg.info
        self.slabs = slabs.caches
        slabTablePresent = slabs.present
    }

    private mutating func read(_ text: Substring) {
        if MemInfoParser.read(text, into: &memInfo) { return }
        if let zone = ZoneLineParser.parse(text) {
            zones.append(zone)
            return
        }
        if let reserve = ZoneLineParser.lowmemReserve(text) {
            if !zones.isEmpty, zones[zones.count - 1].lowmemReserve.isEmpty {
                zones[zones.count - 1].lowmemReserve = reserve
            }
            return
        }
        if let buddy = BuddyFreeList.parse(text) {
            buddies.append(buddy)
            return
        }
        readKillerLine(text)
    }

    private mutating func readKillerLine(_ text: Substring) {
        if trigger == nil, text.containsASCII(" invoked oom-killer: "),
            let c = OOMLineParser.match(OOMLineParser.header, text)
        {
            let maskText = c[2] ?? ""
            let names = (c[3] ?? "").split(separator: "|").map(String.init).filter { !$0.isEmpty }
            trigger = Trigger(
                comm: c[1] ?? "", gfpMask: UInt64(maskText.dropFirst(2), radix: 16), gfpMaskText: maskText,
                printedNames: names, nodemask: c[4], order: c[5].flatMap { Int64($0) },
                oomAdj: c[6].flatMap { Int64($0) }, oomScoreAdj: c[7].flatMap { Int64($0) })
        } else if text.hasASCIIPrefix("CPU: "), triggerPid == nil,
            let c = OOMLineParser.match(OOMLineParser.cpuLine, text)
        {
            triggerCPU = c[1].flatMap { Int64($0) }
            triggerPid = c[2].flatMap { Int64($0) }
            kernelRelease = c[4]
        } else if text.hasASCIIPrefix("Pid: "), triggerPid == nil,
            let c = OOMLineParser.match(OOMLineParser.pidLine, text)
        {
            triggerPid = c[1].flatMap { Int64($0) }
            kernelRelease = c[3]
        } else if cpuset == nil, text.containsASCII(" cpuset="), let c = OOMLineParser.match(OOMLineParser.cpuset, text)
        {
            cpuset = c[2]
            memsAllowed = c[3]
        } else if let fields = OOMLineParser.summary(text) {
            summary = fields
            cpuset = fields["cpuset"] ?? cpuset
            memsAllowed = fields["mems_allowed"] ?? memsAllowed
        } else if text.containsASCII("ill process "), selection == nil,
            let c = OOMLineParser.match(OOMLineParser.select, text)
        {
            selection = Selection(
                message: c[1] ?? "", pid: c[2].flatMap { Int64($0) } ?? 0, comm: c[3] ?? "",
                score: c[4].flatMap { Int64($0) } ?? 0)
        } else if text.containsASCII("Killed process "), kill == nil {
            readKill(text)
        } else if text.hasASCIIPrefix("oom_reaper: "), reaper == nil {
            if let c = OOMLineParser.match(OOMLineParser.reaped, text) {
                reaper = Reaper(
                    pid: c[1].flatMap { Int64($0) } ?? 0, comm: c[2] ?? "", reaped: true,
                    anonRSSKB: c[3].flatMap { Int64($0) }, fileRSSKB: c[4].flatMap { Int64($0) },
                    shmemRSSKB: c[5].flatMap { Int64($0) })
            } else if let c = OOMLineParser.match(OOMLineParser.unableToReap, text) {
                reaper = Reaper(pid: c[1].flatMap { Int64($0) } ?? 0, comm: c[2] ?? "", reaped: false)
            }
        } else if text.containsASCII("is already exiting"), let c = OOMLineParser.match(OOMLineParser.exiting, text) {
            exitingVictim = (c[1].flatMap { Int64($0) } ?? 0, c[2] ?? "")
        } else if text.hasASCIIPrefix("Out of memory and no killable processes") {
            noKillableProcesses = true
        } else if text.hasASCIIPrefix("Kernel panic - not syncing: ") {
            panic = String(text.dropFirst("Kernel panic - not syncing: ".count))
            if text.containsASCII("no killable processes") { noKillableProcesses = true }
        } else if text.containsASCII("Manual OOM") {
            sysrq = true
        } else if text.containsASCII(" suppressed") || text.containsASCII(" dropped"),
            let count = Self.suppressedCount(text)
        {
            suppressedMessages += count
        } else if text.hasASCIIPrefix("COMPACTION is disabled") {
            compactionDisabled = true
        } else if text.containsASCII("mem_cgroup_out_of_memory") || text.containsASCII("mem_cgroup_oom_synchronize") {
            memcgInCallTrace = true
        } else if text.containsASCII("__alloc_pages"), !text.hasASCIIPrefix("? "), !text.containsASCII("] ? ") {
            allocatorInCallTrace = true
        }
    }

    /// The count of a rate-limiting line: `<function>: N callbacks suppressed` (lib/ratelimit.c),
    /// 2.6's `printk: N messages suppressed.`, or the console's `** N printk messages dropped **`.
    public static func suppressedCount(_ text: Substring) -> Int64? {
        let words = text.split(separator: " ")
        if words.count == 4, words[0].hasSuffix(":"), words[2] == "callbacks", words[3] == "suppressed" {
            return Int64(words[1])
        }
        if words.count == 4, words[0] == "printk:", words[2] == "messages", words[3].hasPrefix("suppressed") {
            return Int64(words[1])
        }
        if words.count == 6, words[0] == "**", words[2] == "printk", words[4] == "dropped" { return Int64(words[1]) }
        return nil
    }

    private mutating func readKill(_ text: Substring) {
        guard let c = OOMLineParser.match(OOMLineParser.kill, text), let pid = c[2].flatMap({ Int64($0) }) else {
            killLineCut = true
            if let range = text.firstRange(of: "Killed process ") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let pid = Int64(digits) { kill = Kill(message: nil, pid: pid) }
            }
            return
        }
        func int(_ index: Int) -> Int64? { c[index].flatMap { Int64($0) } }
        // "…total-vm:1200000kB, anon-rss:959" with the rest on a wrapped line: the values are lost.
        if c[6] == nil, text.containsASCII("total-vm:") { killLineCut = true }
        kill = Kill(
            message: c[1], pid: pid, comm: c[4], uid: int(3) ?? int(5) ?? int(10), totalVMKB: int(6),
            anonRSSKB: int(7), fileRSSKB: int(8), shmemRSSKB: int(9), pgtablesKB: int(11), oomScoreAdj: int(12))
    }
}
