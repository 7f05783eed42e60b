// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One row of `Unreclaimable slab info:` (`mm/slab_common.c` dump_unreclaimable_slab).
public struct SlabCache: Sendable, Equatable {
    /// The cache name (`kmalloc-4k`, `task_struct`).
    public var name: String
    /// Memory in use by active objects, in kB.
    public var usedKB: Int64
    /// Memory of all objects, in kB.
    public var totalKB: Int64
}

/// Reads the unreclaimable-slab table that 4.19+ prints for a global OOM dominated by slab.
public struct SlabInfoParser {
    /// The caches read so far.
    public private(set) var caches: [SlabCache] = []
    /// Whether the table's header was seen.
    public private(set) var present = false
    private var inTable = false

    public init() {}

    /// Reads `text`; returns whether it belonged to the table.
    public mutating func read(_ text: Substring) -> Bool {
        if text.hasPrefix("Unreclaimable slab info:") {
            present = true
            inTable = true
            return true
        }
        guard inTable else { return false }
        if text.hasPrefix("Name ") && text.contains("Used") { return true }
        let tokens = text.split(separator: " ")
        guard tokens.count >= 3, let used = kilobytes(tokens[tokens.count - 2]),
            let total = kilobytes(tokens[tokens.count - 1])
        else {
            inTable = false
            return false
        }
        let name = tokens.dropLast(2).joined(separator: " ")
        caches.append(SlabCache(name: name, usedKB: used, totalKB: total))
        return true
    }

    private func kilobytes(_ token: Substring) -> Int64? {
        guard token.hasSuffix("KB") else { return nil }
        return Int64(token.dropLast(2))
    }
}
