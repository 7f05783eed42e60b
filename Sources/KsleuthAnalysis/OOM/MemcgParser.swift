// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// What a memory-cgroup OOM printed about the cgroup: its counters and its `memory.stat`.
public struct MemcgInfo: Sendable, Equatable {
    /// One `<name>: usage <N>kB, limit <N>kB, failcnt <N>` line.
    public struct Counter: Sendable, Equatable {
        public var usageKB: Int64
        public var limitKB: Int64
        public var failcnt: Int64
        /// Whether the limit is PAGE_COUNTER_MAX (no limit).
        public var isUnlimited: Bool { limitKB >= 8_589_934_588 }
    }

    /// `memory`, `memory+swap`, `swap`, `kmem` counters by name.
    public var counters: [String: Counter] = [:]
    /// `Task in <path> killed as a result of limit of <path>`: the task's cgroup.
    public var taskPath: String?
    /// The cgroup that hit its limit.
    public var limitPath: String?
    /// The path of the first `Memory cgroup stats for` block.
    public var statsPath: String?
    /// The cgroup's statistics: memory.stat values of the first block (bytes for sizes, already
    /// hierarchical), or v1 inline values in kB summed over every block (each block holds one
    /// cgroup's own pages, and the blocks walk the tree under the cgroup at its limit).
    public var stats: [String: Int64] = [:]
    /// How many `Memory cgroup stats for` blocks were printed.
    public var statsBlocks = 0
    /// Whether `stats` are memory.stat style (`anon 1357508608`) rather than v1 inline (`rss:448KB`).
    public var statsAreBytes = false
    /// `Tasks in <path> are going to be killed due to memory.oom.group set`.
    public var oomGroupPath: String?
    /// Whether a v1 inline stats line lost values: the kernel prints each as `name:<N>KB`, so
    /// one without its unit (`rss:44` at a wrapped line's end) was cut and is not used.
    public var statsCut = false

    /// Whether any memcg line was seen.
    public var present: Bool { !counters.isEmpty || taskPath != nil || limitPath != nil || statsPath != nil }

    /// 1 or 2 from the counters printed: cgroup v2 prints `swap:`, v1 `memory+swap:` and `kmem:`.
    public var cgroupVersion: Int? {
        if counters["memory+swap"] != nil || counters["kmem"] != nil || taskPath != nil { return 1 }
        if counters["swap"] != nil { return 2 }
        return nil
    }
}

/// Reads the memcg block of an OOM report, including memory.stat continuation lines.
public struct MemcgParser {
    /// What was read so far.
    public private(set) var info = MemcgInfo()
    private var inStats = false
    private var blocks = 0

    public init() {}

    /// Reads `text`; returns whether it was a memcg line.
    public mutating func read(_ text: Substring) -> Bool {
        if inStats, let (key, value) = Self.statLine(text) {
            if blocks == 1 { info.stats[key] = value }
            return true
        }
        inStats = false
        for name in Self.counterNames where text.hasPrefix(name) && text.dropFirst(name.count).hasPrefix(": usage ") {
            let fields = text.dropFirst(name.count + 2).split(separator: ",").map { $0.trimmingSpaces() }
            var usage: Int64?
            var limit: Int64?
            var failcnt: Int64?
            for field in fields {
                let parts = field.split(separator: " ")
                guard parts.count == 2, let (value, _) = KernelFields.number(parts[1]) else { continue }
                switch parts[0] {
                case "usage": usage = value
                case "limit": limit = value
                case "failcnt": failcnt = value
                default: break
                }
            }
            if let usage, let limit {
                info.counters[name] = MemcgInfo.Counter(usageKB: usage, limitKB: limit, failcnt: failcnt ?? 0)
            }
            return true
        }
        if text.hasPrefix("Task in "), let range = text.firstRange(of: " killed as a result of limit of ") {
            info.taskPath = String(text[text.index(text.startIndex, offsetBy: 8)..<range.lowerBound])
            info.limitPath = String(text[range.upperBound...].trimmingSpaces())
            return true
        }
        if text.hasPrefix("Memory limit reached of cgroup ") {
            info.limitPath = String(text.dropFirst("Memory limit reached of cgroup ".count))
            return true
        }
        if text.hasPrefix("Tasks in "), let range = text.firstRange(of: " are going to be killed") {
            info.oomGroupPath = String(text[text.index(text.startIndex, offsetBy: 9)..<range.lowerBound])
            return true
        }
        if text.hasPrefix("Memory cgroup stats for ") {
            blocks += 1
            let body = text.dropFirst("Memory cgroup stats for ".count).trimmingSpaces()
            // memory.stat style: "…/path:" with the values on the lines below; v1 inline:
            // "…/path: cache:32KB rss:524188KB …".
            if body.hasSuffix(":") {
                if blocks == 1 {
                    info.statsPath = String(body.dropLast())
                    info.statsAreBytes = true
                }
                inStats = true
            } else if let inline = body.firstRange(of: ": "), !info.statsAreBytes {
                if blocks == 1 { info.statsPath = String(body[..<inline.lowerBound]) }
                for field in KernelFields.fields(in: body[inline.upperBound...]) {
                    guard field.isKilobytes else {
                        info.statsCut = true
                        continue
                    }
                    info.stats[String(field.name), default: 0] += field.value
                }
            }
            info.statsBlocks = blocks
            return true
        }
        return false
    }

    /// The page counters mem_cgroup_print_oom_meminfo prints, by the name it prints.
    static let counterNames = ["memory", "memory+swap", "swap", "kmem"]

    /// A memory.stat line: `anon 1357508608`.
    static func statLine(_ text: Substring) -> (String, Int64)? {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let value = Int64(parts[1]),
            parts[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
        else { return nil }
        return (String(parts[0]), value)
    }
}
