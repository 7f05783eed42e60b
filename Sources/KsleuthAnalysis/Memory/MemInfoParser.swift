// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// What show_mem printed outside the zone lines: the global counters (pages), the per-node
/// counters (kB), hugepage pools and the page and swap totals.
public struct MemInfo: Sendable, Equatable {
    /// One `Node <n> hugepages_total=…` line.
    public struct HugePagePool: Sendable, Equatable {
        public var node: Int
        public var total: Int64
        public var free: Int64
        public var sizeKB: Int64
    }

    /// Whether the `Mem-Info:` line was seen.
    public var sawHeader = false
    /// The global counters in pages (`active_anon`, `free`, `shmem`, …).
    public var counters: [String: Int64] = [:]
    /// The per-node counters in kB (4.8+), by node: `kernel_stack`, `pagetables`, `shmem`, ….
    public var nodeCounters: [Int: [String: Int64]] = [:]
    /// Hugepage pools.
    public var hugePages: [HugePagePool] = []
    /// `<N> total pagecache pages`.
    public var pageCachePages: Int64?
    /// `<N> pages in swap cache`.
    public var swapCachePages: Int64?
    /// `Free swap  = <N>kB`.
    public var freeSwapKB: Int64?
    /// `Total swap = <N>kB`.
    public var totalSwapKB: Int64?
    /// `<N> pages RAM`.
    public var ramPages: Int64?
    /// `<N> pages reserved`.
    public var reservedPages: Int64?
    /// `<N> pages HighMem/MovableOnly` (or `pages HighMem`).
    public var highMemPages: Int64?
    /// `<N> pages cma reserved`.
    public var cmaReservedPages: Int64?

    public init() {}
}

/// Reads show_mem lines into a ``MemInfo``.
public enum MemInfoParser {
    /// The global counter names: a line whose first field is one of these is a counters line.
    static let counterNames: Set<Substring> = [
        "active_anon", "inactive_anon", "isolated_anon", "active_file", "inactive_file", "isolated_file",
        "unevictable", "dirty", "writeback", "unstable", "free", "slab_reclaimable", "slab_unreclaimable", "mapped",
        "shmem", "pagetables", "bounce", "free_pcp", "free_cma", "sec_pagetables", "kernel_misc_reclaimable",
        // 2.6.28-2.6.31 print "Active_anon:211266 active_file:90 inactive_anon:211254" first;
        // earlier 2.6 kernels "Active:283000 inactive:1704247 dirty:1177 … free:6445 slab:31088".
        "Active_anon", "Active", "inactive", "slab",
    ]

    /// Reads `text` (one line, prefix and leading spaces removed) into `info`; returns whether
    /// it was a show_mem line.
    public static func read(_ text: Substring, into info: inout MemInfo) -> Bool {
        // "Mem-info:" up to 2.6.2x.
        if text.hasPrefix("Mem-Info:") || text.hasPrefix("Mem-info:") {
            info.sawHeader = true
            return true
        }
        if let first = text.first, first.isLetter, let colon = text.firstIndex(of: ":"),
            counterNames.contains(text[..<colon]), !text.contains("kB")
        {
            for field in KernelFields.fields(in: text) { info.counters[String(field.name)] = field.value }
            return true
        }
        let (node, rest, hadNode) = KernelFields.nodePrefix(text)
        if hadNode, rest.hasPrefix("hugepages_total=") {
            let fields = KernelFields.fields(in: rest, separator: "=")
            func value(_ name: String) -> Int64 { fields.first { $0.name == name }?.value ?? 0 }
            info.hugePages.append(
                MemInfo.HugePagePool(
                    node: node, total: value("hugepages_total"), free: value("hugepages_free"),
                    sizeKB: value("hugepages_size")))
            return true
        }
        if hadNode, rest.hasPrefix("active_anon:") {
            var counters: [String: Int64] = [:]
            for field in KernelFields.fields(in: rest) { counters[String(field.name)] = field.value }
            info.nodeCounters[node] = counters
            return true
        }
        return readTotal(text, into: &info)
    }

    private static func readTotal(_ text: Substring, into info: inout MemInfo) -> Bool {
        // "Free swap  = 14650600kB" (show_swap_cache_info), and the arch show_mem's older
        // "Free swap:       14650600kB".
        if text.hasPrefix("Free swap") || text.hasPrefix("Total swap") {
            guard let separator = text.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return false }
            let value = KernelFields.number(text[text.index(after: separator)...].drop { $0 == " " })?.0
            if text.hasPrefix("Free") { info.freeSwapKB = value ?? info.freeSwapKB } else { info.totalSwapKB = value }
            return true
        }
        guard let first = text.first, first.isNumber, let space = text.firstIndex(of: " "),
            let count = Int64(text[..<space])
        else { return false }
        let tail = text[text.index(after: space)...]
        // The arch show_mem of 2.6 and earlier: "pages of RAM", "pages of HIGHMEM", "reserved pages".
        switch tail {
        case "total pagecache pages": info.pageCachePages = count
        case "pages in swap cache", "pages swap cached": info.swapCachePages = count
        case "pages RAM", "pages of RAM": info.ramPages = count
        case "pages reserved", "reserved pages": info.reservedPages = count
        case "pages HighMem/MovableOnly", "pages HighMem", "pages of HIGHMEM": info.highMemPages = count
        case "pages cma reserved": info.cmaReservedPages = count
        default: return tail.hasPrefix("pages ") || tail == "free pages"
        }
        return true
    }
}
