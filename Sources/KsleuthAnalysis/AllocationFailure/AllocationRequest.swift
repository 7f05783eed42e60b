// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthPatterns

/// What a failure report says was asked for: who asked, the order, the GFP mask, the node
/// constraints, and for vmalloc, SLUB and XFS reports their own size and reason.
///
/// The header formats are those of `mm/page_alloc.c` warn_alloc (2.6 `failure.` to 6.x
/// `nodemask=…,cpuset=…,mems_allowed=…`), `mm/vmalloc.c`, `mm/slub.c` slab_out_of_memory and
/// `fs/xfs/kmem.c`.
struct AllocationRequest: Sendable, Equatable {
    /// Which printer reported the failure.
    enum Source: String, Sendable {
        case pageAllocator = "page-allocator"
        case stall = "page-allocation-stall"
        case vmalloc
        case slub
        case xfs
    }

    var source: Source
    var comm: String?
    var order: Int?
    var maskText: String?
    var mask: UInt64?
    var printedNames: [String] = []
    var nodemask: String?
    var cpuset: String?
    var memsAllowed: String?
    /// Whether the header used the 2.6 `failure.` punctuation.
    var legacyPunctuation = false
    /// vmalloc and XFS: the requested size in bytes.
    var sizeBytes: Int64?
    /// vmalloc: the reason after the size (`vm_struct allocation failed`).
    var vmallocReason: String?
    /// vmalloc 4.19: bytes allocated before failing.
    var allocatedBytes: Int64?
    /// SLUB: the node asked for, the cache, its object size and its default and minimum orders.
    var slubNode: Int?
    var slubCache: String?
    var slubObjectSize: Int64?
    var slubDefaultOrder: Int?
    var slubMinOrder: Int?
    /// Stall reports: how long the allocation had been stalling.
    var stallMilliseconds: Int64?

    /// Reads the request from the report's header line and the lines after it, or `nil` when
    /// no line is a known failure header.
    init?(lines: [Substring]) {
        guard let (index, request) = Self.header(in: lines) else { return nil }
        self = request
        for text in lines[(index + 1)...] { readFollowing(text) }
    }

    private init(source: Source) {
        self.source = source
    }

    private static func header(in lines: [Substring]) -> (Int, AllocationRequest)? {
        for (index, text) in lines.enumerated() {
            if let request = pageAllocator(text) ?? vmalloc(text) ?? slub(text) ?? xfs(text) {
                return (index, request)
            }
        }
        return nil
    }

    private static func pageAllocator(_ text: Substring) -> AllocationRequest? {
        if let c = match(Self.failure, text) {
            var request = AllocationRequest(source: .pageAllocator)
            request.comm = c[1]
            request.legacyPunctuation = c[2] == "."
            request.order = c[3].flatMap { Int($0) }
            request.setMask(c[4], names: c[5])
            request.readConstraints(c[6])
            return request
        }
        guard let c = match(Self.stall, text) else { return nil }
        var request = AllocationRequest(source: .stall)
        request.comm = c[1]
        request.stallMilliseconds = c[2].flatMap { Int64($0) }
        request.order = c[3].flatMap { Int($0) }
        request.setMask(c[4], names: c[5])
        request.readConstraints(c[6])
        return request
    }

    private static func vmalloc(_ text: Substring) -> AllocationRequest? {
        guard text.contains("vmalloc"), let c = match(Self.vmallocLine, text) else { return nil }
        var request = AllocationRequest(source: .vmalloc)
        request.comm = c[1]
        if let size = c[2] {
            request.sizeBytes = Int64(size)
            request.vmallocReason = c[3]
        } else if let size = c[4] {
            request.sizeBytes = Int64(size)
            request.vmallocReason = "failed to allocate pages"
        } else {
            request.allocatedBytes = c[5].flatMap { Int64($0) }
            request.sizeBytes = c[6].flatMap { Int64($0) }
            request.vmallocReason = "failed to allocate pages"
        }
        request.setMask(c[7], names: c[8])
        request.readConstraints(c[9])
        return request
    }

    private static func slub(_ text: Substring) -> AllocationRequest? {
        guard text.hasPrefix("SLUB: "), let c = match(Self.slubLine, text) else { return nil }
        var request = AllocationRequest(source: .slub)
        request.slubNode = c[1].flatMap { Int($0) }
        request.setMask(c[2], names: c[3])
        return request
    }

    private static func xfs(_ text: Substring) -> AllocationRequest? {
        guard text.contains("possible memory allocation deadlock"), let c = match(Self.xfsLine, text) else {
            return nil
        }
        var request = AllocationRequest(source: .xfs)
        request.comm = c[1]
        request.sizeBytes = c[2].flatMap { Int64($0) }
        request.setMask(c[3], names: nil)
        return request
    }

    private mutating func setMask(_ text: String?, names: String?) {
        guard let text else { return }
        maskText = text
        mask = UInt64(text.dropFirst(2), radix: 16)
        printedNames = (names ?? "").split(separator: "|").map(String.init).filter { !$0.isEmpty }
    }

    /// Reads `, nodemask=(null),cpuset=/,mems_allowed=0` (5.4+) or `, nodemask=0-1` (4.14).
    private mutating func readConstraints(_ text: String?) {
        guard let text else { return }
        for piece in text.split(separator: ",", omittingEmptySubsequences: true) {
            let part = piece.trimmingSpaces()
            if part.hasPrefix("nodemask=") {
                nodemask = String(part.dropFirst("nodemask=".count))
            } else if part.hasPrefix("cpuset=") {
                cpuset = String(part.dropFirst("cpuset=".count))
            } else if part.hasPrefix("mems_allowed=") {
                memsAllowed = String(part.dropFirst("mems_allowed=".count))
            } else if memsAllowed != nil, part.first?.isNumber == true {
                memsAllowed? += "," + part
            }
        }
    }

    /// The lines after the header: 4.14's separate cpuset line and SLUB's cache lines.
    private mutating func readFollowing(_ text: Substring) {
        if cpuset == nil, let comm, text.hasPrefix(comm + " cpuset="), let c = Self.match(Self.cpusetLine, text) {
            cpuset = c[1]
            memsAllowed = c[2]
        } else if source == .slub, slubCache == nil, let c = Self.match(Self.slubCacheLine, text) {
            slubCache = c[1]
            slubObjectSize = c[2].flatMap { Int64($0) }
            slubDefaultOrder = c[3].flatMap { Int($0) }
            slubMinOrder = c[4].flatMap { Int($0) }
            order = slubMinOrder ?? slubDefaultOrder
        }
    }

    private static let mode = #"mode:? ?(0x[0-9a-fA-F]+)(?:\(([^)]*)\))?((?:, ?nodemask=\S*?)?(?:,cpuset=.*)?)\s*$"#
    /// `<comm>: page allocation failure[.:] order:<N>, mode:0x…[(names)][, nodemask=…]`.
    private static let failure = compile(#"^(.+?): page allocation failure([.:]) ?order:? ?(\d+), "# + mode)
    /// `<comm>: page allocation stalls for <ms>ms, order:<N>, mode:…` (4.10 - 4.15).
    private static let stall = compile(#"^(.+?): page allocation stalls for (\d+)ms, order:(\d+), "# + mode)
    /// 6.x `vmalloc error: size <N>, <reason>, mode:…`, 4.19 `vmalloc: allocation failure: <N> bytes,
    /// mode:…` and `vmalloc: allocation failure, allocated <N> of <M> bytes, mode:…`.
    private static let vmallocLine = compile(
        #"^(?:(.+?): )?vmalloc(?: error)?: (?:size (\d+), ([^,]+)|allocation failure: (\d+) bytes|allocation failure, allocated (\d+) of (\d+) bytes), "#
            + mode)
    /// `SLUB: Unable to allocate memory on node -1, gfp=0x8020(GFP_ATOMIC)` (names 4.19+).
    private static let slubLine = compile(
        #"^SLUB: Unable to allocate memory on node (-?\d+)(?:[, (]+gfp=(0x[0-9a-fA-F]+)(?:\(([^)]*)\))?)?"#)
    /// `  cache: kmalloc-2048, object size: 2048, buffer size: 2048, default order: 3, min order: 0`.
    private static let slubCacheLine = compile(
        #"^cache: (\S+?), object size: (\d+), buffer size: \d+, default order: (\d+), min order: (\d+)"#)
    /// `XFS: kworker/u8:2(1234) possible memory allocation deadlock size 65552 in kmem_alloc (mode:0x2400240)`
    /// and the older `XFS: possible memory allocation deadlock in kmem_alloc (mode:0x250)`.
    private static let xfsLine = compile(
        #"XFS:? (?:\(\S+\):? )?(?:(.+?)\(\d+\) )?possible memory allocation deadlock(?: size (\d+))? in \S+ \(mode:(0x[0-9a-fA-F]+)\)"#
    )
    /// 4.14 - 4.19: `<comm> cpuset=<path> mems_allowed=<list>`.
    private static let cpusetLine = compile(#" cpuset=(\S*) mems_allowed=(\S+)\s*$"#)

    private static func compile(_ source: String) -> Pattern {
        do {
            return try Pattern(source)
        } catch {
            fatalError("a built-in allocation-failure pattern does not compile: \(error)")
        }
    }

    private static func match(_ pattern: Pattern, _ text: Substring) -> [String?]? {
        guard let (_, captures) = try? pattern.firstMatch(in: String(text)) else { return nil }
        return captures
    }
}
