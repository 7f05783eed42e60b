// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One zone of `/proc/zoneinfo`, in pages as the file prints it.
struct ZoneInfoZone: Sendable, Equatable {
    var node: Int
    var zone: String
    /// `pages free`, `min`, `low`, `high`, `spanned`, `present`, `managed`, `cma`, and the
    /// zone's `nr_*` counters, in pages (`nr_kernel_stack` is in kB, as the kernel counts it).
    var counters: [String: Int64] = [:]
    /// `protection: (0, 2929, 3882, 3882, 3882)`: lowmem_reserve[] in pages.
    var protection: [Int64] = []

    /// The zone as a show_mem zone line, in kB for pages of `pageKB` kB.
    func zoneLine(pageKB: Int64) -> ZoneLine {
        var fields: [String: Int64] = [:]
        let names: [(String, String)] = [
            ("free", "free"), ("min", "min"), ("low", "low"), ("high", "high"), ("present", "present"),
            ("managed", "managed"), ("spanned", "spanned"), ("nr_free_cma", "free_cma"),
        ]
        for (from, to) in names { if let value = counters[from] { fields[to] = value * pageKB } }
        if let stack = counters["nr_kernel_stack"] { fields["kernel_stack"] = stack }
        return ZoneLine(node: node, zone: zone, fields: fields, lowmemReserve: protection, allUnreclaimable: nil)
    }
}

/// Reads `/proc/zoneinfo` (`zoneinfo_show_print`).
///
/// ```
/// Node 0, zone   Normal
///   per-node stats
///       nr_inactive_anon 72
///   pages free     3962
///         min      67
///         low      83
///         high     99
///         spanned  4095
///         present  3998
///         managed  3977
///         protection: (0, 2929, 3882, 3882, 3882)
///       nr_free_pages 3962
///   pagesets
/// ```
///
/// The `per-node stats` block (4.8+) is printed under the node's first zone; its counters are
/// the node's, kept apart in ``nodeCounters``.
struct ZoneInfoParser: Sendable {
    private(set) var zones: [ZoneInfoZone] = []
    /// The per-node counters, by node.
    private(set) var nodeCounters: [Int: [String: Int64]] = [:]
    private var inNodeStats = false
    private var inPagesets = false

    /// Reads one line.
    mutating func read(_ text: Substring) {
        let trimmed = text.trimmingSpaces()
        if let (name, rest) = ZoneName.parse(trimmed), rest.trimmingSpaces().isEmpty {
            zones.append(ZoneInfoZone(node: name.node, zone: name.zone))
            inNodeStats = false
            inPagesets = false
            return
        }
        guard !zones.isEmpty else { return }
        if trimmed == "per-node stats" {
            inNodeStats = true
            return
        }
        if trimmed == "pagesets" {
            inPagesets = true
            return
        }
        if trimmed.hasPrefix("protection:") {
            inNodeStats = false
            let list = trimmed.dropFirst("protection:".count).filter { $0 != "(" && $0 != ")" && $0 != "," }
            zones[zones.count - 1].protection = list.split(separator: " ").compactMap { Int64($0) }
            return
        }
        guard !inPagesets else { return }
        var name = trimmed.prefix { $0 != " " && $0 != "\t" }
        var value = trimmed.dropFirst(name.count).trimmingSpaces()
        if name == "pages", value.hasPrefix("free") {
            inNodeStats = false
            name = "free"
            value = value.dropFirst(4).trimmingSpaces()
        }
        guard let number = Int64(value) else { return }
        if inNodeStats {
            nodeCounters[zones[zones.count - 1].node, default: [:]][String(name)] = number
        } else {
            zones[zones.count - 1].counters[String(name)] = number
        }
    }
}
