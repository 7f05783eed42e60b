// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The zone types a kernel was built with, in `enum zone_type` order, as far as a dump tells:
/// what a `lowmem_reserve[]` index means and which zones a request may fall back to.
///
/// The dump prints populated zones only, and `lowmem_reserve[]` has one entry per zone type
/// (MAX_NR_ZONES). The types are DMA, DMA32, Normal, HighMem, Movable, Device; HighMem exists
/// on 32-bit builds only, and a type the dump does not print is dropped, last resorts first
/// (Device, then DMA, DMA32, Movable, HighMem), until the count matches the reserve array.
struct ZoneTypeOrder: Sendable, Equatable {
    /// The zone types, lowest first.
    var types: [String]

    /// The rank of each zone name in the kernel's enum.
    static let ranks: [String: Int] = ["DMA": 0, "DMA32": 1, "Normal": 2, "HighMem": 3, "Movable": 4, "Device": 5]

    /// The order for a dump that printed `zones`.
    init(zones: [ZoneLine]) {
        let printed = Set(zones.map(\.zone))
        let reserveCount = zones.map(\.lowmemReserve.count).max() ?? 0
        var types = ["DMA", "DMA32", "Normal", "HighMem", "Movable", "Device"]
        if !printed.contains("HighMem") { types.removeAll { $0 == "HighMem" } }
        if printed.contains("HighMem"), !printed.contains("DMA32") { types.removeAll { $0 == "DMA32" } }
        for candidate in ["Device", "DMA", "DMA32", "Movable", "HighMem"] where types.count > reserveCount {
            if !printed.contains(candidate) { types.removeAll { $0 == candidate } }
        }
        self.types = types
    }

    /// Whether the build has a HighMem zone: a 32-bit kernel.
    var hasHighMem: Bool { types.contains("HighMem") }

    /// The index of `zone` in the enum (and so in `lowmem_reserve[]`), if the build has it.
    func index(of zone: String) -> Int? { types.firstIndex(of: zone) }

    /// The highest zone type a request for `requested` (a GFP zone) may use on this build.
    func highestType(for requested: String) -> String {
        let rank = Self.ranks[requested] ?? 2
        return types.last { (Self.ranks[$0] ?? 0) <= rank } ?? "Normal"
    }
}
