// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// An allocation mask decoded with one era's ``GFPLayout``: its flag names as `%pGg` prints
/// them and what they mean for the allocation.
public struct GFPMask: Sendable, Equatable {
    /// The mask's value.
    public var value: UInt64
    /// The layout it was decoded with.
    public var layoutName: String
    /// The names, composites first, then single flags, then any unknown bits as `0x…`.
    public var names: [String]
    /// The single flags set.
    public var flags: Set<String>
    /// Bits no flag of the layout names.
    public var unknownBits: UInt64

    /// Decodes `value` with `layout`.
    public init(_ value: UInt64, layout: GFPLayout) {
        self.value = value
        layoutName = layout.name
        var set: Set<String> = []
        var unknown = value
        for (bit, name) in layout.flags where value & bit != 0 {
            if let limit = layout.undecodedAbove, bit > limit { continue }
            set.insert(name)
            unknown &= ~bit
        }
        flags = set
        unknownBits = unknown
        var remaining = value
        var printed: [String] = []
        for composite in layout.composites {
            let bits = composite.required.compactMap { layout.bit($0) }
            guard bits.count == composite.required.count, !bits.isEmpty else { continue }
            let mask = bits.reduce(0, |)
            guard remaining & mask == mask else { continue }
            printed.append(composite.name)
            remaining &= ~mask
            for extra in composite.optional { if let bit = layout.bit(extra) { remaining &= ~bit } }
        }
        for (bit, name) in layout.flags where remaining & bit != 0 {
            if let limit = layout.undecodedAbove, bit > limit { continue }
            printed.append(name)
            remaining &= ~bit
        }
        if remaining != 0 { printed.append("0x" + String(remaining, radix: 16)) }
        names = printed
    }

    /// Whether the allocation may sleep (direct reclaim allowed).
    public var canSleep: Bool { flags.contains("__GFP_WAIT") || flags.contains("__GFP_DIRECT_RECLAIM") }
    /// Whether kswapd may be woken.
    public var wakesKswapd: Bool {
        flags.contains("__GFP_KSWAPD_RECLAIM") || (flags.contains("__GFP_WAIT") && !flags.contains("__GFP_NO_KSWAPD"))
    }
    /// Whether reclaim may start I/O.
    public var canDoIO: Bool { flags.contains("__GFP_IO") }
    /// Whether reclaim may call into filesystems.
    public var canDoFS: Bool { flags.contains("__GFP_FS") }
    /// Whether this is an atomic request: cannot sleep, may use reserves.
    public var isAtomic: Bool {
        !canSleep && (flags.contains("__GFP_HIGH") || flags.contains("__GFP_ATOMIC"))
    }
    /// The highest zone the request may use, from the zone modifiers.
    public var zone: String {
        if flags.contains("__GFP_DMA") { return "DMA" }
        if flags.contains("__GFP_DMA32") { return "DMA32" }
        if flags.contains("__GFP_HIGHMEM") && flags.contains("__GFP_MOVABLE") { return "Movable" }
        if flags.contains("__GFP_HIGHMEM") { return "HighMem" }
        return "Normal"
    }

    /// The layout for a mask printed by kernel `release` with `printedNames` (empty when the
    /// era printed none): the release's layout when its decoding agrees with the printed
    /// names, else the newest layout that reproduces them, else the release's.
    public static func layout(release: String?, printedNames: [String], headerHasOomAdj: Bool, mask: UInt64)
        -> GFPLayout
    {
        let byRelease = release.flatMap(GFPLayout.forRelease)
        guard !printedNames.isEmpty else {
            if let byRelease { return byRelease }
            return headerHasOomAdj ? .linux2632 : .linux310
        }
        let wanted = Set(printedNames)
        if let byRelease, Set(GFPMask(mask, layout: byRelease).names) == wanted { return byRelease }
        let printing = GFPLayout.all.filter { !["2.6.28", "2.6.32", "3.10", "3.10.el7", "4.4"].contains($0.name) }
        if let match = printing.reversed().first(where: { Set(GFPMask(mask, layout: $0).names) == wanted }) {
            return match
        }
        return byRelease ?? .linux504
    }
}
