// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One zone's buddy free-list line: free blocks per order, with their migrate types.
///
/// `Node 0 Normal: 1231*4kB (UEM) 391*8kB (UEM) 0*16kB … 0*4096kB = 38260kB`
public struct BuddyFreeList: Sendable, Equatable {
    /// The NUMA node (0 without a prefix).
    public var node: Int
    /// The zone.
    public var zone: String
    /// Free blocks at each order, from order 0.
    public var counts: [Int64]
    /// The block size at order 0 in kB: the page size.
    public var pageKB: Int64
    /// The migrate-type letters printed for each order (empty when none).
    public var types: [String]
    /// The `= <N>kB` total.
    public var totalKB: Int64?

    /// Free kB in blocks of `order` or larger.
    public func freeKB(atOrAbove order: Int) -> Int64 {
        var sum: Int64 = 0
        for (index, count) in counts.enumerated() where index >= max(order, 0) {
            sum += count * (pageKB << Int64(index))
        }
        return sum
    }

    /// Free kB over every order: what the kernel's `= <N>kB` total must equal.
    public var summedKB: Int64 { freeKB(atOrAbove: 0) }

    /// Reads a buddy line, or `nil` when `text` is not one.
    public static func parse(_ text: Substring) -> BuddyFreeList? {
        let (node, rest, _) = KernelFields.nodePrefix(text)
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let zone = rest[..<colon]
        guard KernelFields.zoneNames.contains(zone) else { return nil }
        let body = rest[rest.index(after: colon)...]
        guard body.contains("*") else { return nil }
        var counts: [Int64] = []
        var types: [String] = []
        var pageKB: Int64 = 4
        var total: Int64?
        let tokens = body.split(separator: " ")
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            if token == "=" {
                if index < tokens.count { total = KernelFields.number(tokens[index])?.0 }
                break
            }
            if token.hasPrefix("("), let last = types.indices.last {
                types[last] = String(token.dropFirst().dropLast())
                continue
            }
            guard let star = token.firstIndex(of: "*"), let count = Int64(token[..<star]) else { continue }
            if counts.isEmpty, let size = KernelFields.number(token[token.index(after: star)...])?.0 {
                pageKB = size
            }
            counts.append(count)
            types.append("")
        }
        guard !counts.isEmpty else { return nil }
        return BuddyFreeList(
            node: node, zone: String(zone), counts: counts, pageKB: pageKB, types: types, totalKB: total)
    }
}
