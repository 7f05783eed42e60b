// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One era's layout of the GFP bits: what each bit of an allocation mask meant in that family
/// of kernel releases, and the composite names the kernel prints for common combinations.
///
/// The values are the `___GFP_*` definitions of `include/linux/gfp.h` (up to 6.0) and
/// `include/linux/gfp_types.h` (6.1+); the composite order is that of
/// `include/trace/events/mmflags.h`, which `%pGg` walks (see `../shared/reference/gfp-flags.md`).
public struct GFPLayout: Sendable {
    /// A name for several bits, matched before single flags when all its required bits are set.
    public struct Composite: Sendable {
        /// The printed name (`GFP_KERNEL`).
        public var name: String
        /// The single flags that must all be set.
        public var required: [String]
        /// Flags that belong to the composite only on some configurations (KASAN tags): taken
        /// along when set, not needed for the match.
        public var optional: [String]

        public init(_ name: String, _ required: [String], optional: [String] = []) {
            self.name = name
            self.required = required
            self.optional = optional
        }
    }

    /// The layout's name: the release whose header it was read from (`3.10`, `4.19`).
    public var name: String
    /// The releases that use it, for people.
    public var releases: String
    /// Single flags, bit value and `__GFP_` name, in the order the kernel prints them.
    public var flags: [(bit: UInt64, name: String)]
    /// Composite names, in print order.
    public var composites: [Composite]
    /// Bits above this one are configuration-dependent and not decoded (6.10+ enum layout).
    public var undecodedAbove: UInt64?

    public init(
        name: String, releases: String, flags: [(bit: UInt64, name: String)], composites: [Composite],
        undecodedAbove: UInt64? = nil
    ) {
        self.name = name
        self.releases = releases
        self.flags = flags
        self.composites = composites
        self.undecodedAbove = undecodedAbove
    }

    /// The bit of the flag `name`, if this layout has it.
    public func bit(_ name: String) -> UInt64? {
        flags.first { $0.name == name }?.bit
    }

    /// The composites every modern layout shares, built from the layout's reclaim flags.
    static func standardComposites(reclaim: [String], atomic: [String], nowait: [String]?, extraMovable: [String] = [])
        -> [Composite]
    {
        let kernel = reclaim + ["__GFP_IO", "__GFP_FS"]
        let user = kernel + ["__GFP_HARDWALL"]
        var list: [Composite] = [
            Composite("GFP_HIGHUSER_MOVABLE", user + ["__GFP_HIGHMEM", "__GFP_MOVABLE"], optional: extraMovable),
            Composite("GFP_HIGHUSER", user + ["__GFP_HIGHMEM"]),
            Composite("GFP_USER", user),
            Composite("GFP_KERNEL_ACCOUNT", kernel + ["__GFP_ACCOUNT"]),
            Composite("GFP_KERNEL", kernel),
            Composite("GFP_NOFS", reclaim + ["__GFP_IO"]),
            Composite("GFP_ATOMIC", atomic),
            Composite("GFP_NOIO", reclaim),
        ]
        if let nowait { list.append(Composite("GFP_NOWAIT", nowait)) }
        list += [
            Composite("GFP_DMA", ["__GFP_DMA"]), Composite("__GFP_HIGHMEM", ["__GFP_HIGHMEM"]),
            Composite("GFP_DMA32", ["__GFP_DMA32"]),
        ]
        if reclaim.count == 2 { list.append(Composite("__GFP_RECLAIM", reclaim)) }
        return list
    }

    /// Every layout, oldest first.
    public static let all: [GFPLayout] = [
        .linux2628, .linux2632, .linux310, .rhel7, .linux404, .linux405, .linux414, .linux419, .linux504, .linux515,
        .linux601,
        .linux606, .linux610, .linux614,
    ]

    /// The layout of kernel `release` (`3.10.0-514.el7.x86_64`, `5.15.158-2-pve`), if it can
    /// be told from the version.
    public static func forRelease(_ release: String) -> GFPLayout? {
        let numbers = release.split(whereSeparator: { !$0.isNumber }).prefix(3).compactMap { Int($0) }
        guard numbers.count >= 2 else { return nil }
        let version = numbers[0] * 100 + numbers[1]
        switch version {
        case 206 where numbers.count == 3 && (23...30).contains(numbers[2]): return .linux2628
        case ..<300: return .linux2632
        case ..<404: return release.contains(".el7") ? .rhel7 : .linux310
        case 404: return .linux404
        case ..<410: return .linux405
        case ..<418: return .linux414
        case ..<500: return .linux419
        case ..<515: return .linux504
        case ..<601: return .linux515
        case ..<606: return .linux601
        case ..<610: return .linux606
        case ..<614: return .linux610
        default: return .linux614
        }
    }

    /// The layout with the given name.
    public static func named(_ name: String) -> GFPLayout? {
        all.first { $0.name == name }
    }
}
