// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One architecture's virtual address map in one era, as data: inclusive ranges and what each holds.
///
/// Values are those of `../shared/reference/address-layouts.md` (mm.txt / mm.rst, memory.h of
/// the named trees); ranges a layout does not list are holes.
public struct AddressLayout: Sendable {
    /// One inclusive range of the map.
    public struct Range: Sendable {
        public var start: UInt64
        public var end: UInt64
        public var region: AddressRegion
        public var description: String

        public init(_ start: UInt64, _ end: UInt64, _ region: AddressRegion, _ description: String) {
            self.start = start
            self.end = end
            self.region = region
            self.description = description
        }
    }

    /// The name used on the command line and in JSON (`x86_64-4level`).
    public var name: String
    public var architecture: Architecture
    /// The releases it applies to, for people.
    public var releases: String
    public var source: String
    /// Ranges in ascending order.
    public var ranges: [Range]
    /// `CONFIG_ILLEGAL_POINTER_VALUE`: added to LIST_POISON and the other pointer poisons.
    public var poisonPointerDelta: UInt64

    public init(
        name: String, architecture: Architecture, releases: String, source: String, ranges: [Range],
        poisonPointerDelta: UInt64 = 0
    ) {
        self.name = name
        self.architecture = architecture
        self.releases = releases
        self.source = source
        self.ranges = ranges
        self.poisonPointerDelta = poisonPointerDelta
    }

    /// The range holding `value`.
    public func range(of value: UInt64) -> Range? {
        ranges.first { $0.start <= value && value <= $0.end }
    }

    /// Every layout, by name.
    public static let all: [AddressLayout] =
        [x86Legacy, x86v414, x86FourLevel, x86FiveLevel, i386]
        + [arm64v4va48, arm64v4va39, arm64v5va48, arm64v5va39, arm64v6va48, arm64v6va39, arm64va52]
        + [arm32Legacy, arm32]

    /// The layout called `name`.
    public static func named(_ name: String) -> AddressLayout? { all.first { $0.name == name } }

    /// The layout for `architecture` in `version` (newest when unknown); `vaBits` picks an arm64
    /// map, `fiveLevel` the x86_64 LA57 one.
    public static func layout(
        for architecture: Architecture, version: KernelVersion? = nil, vaBits: Int? = nil, fiveLevel: Bool = false
    ) -> AddressLayout {
        switch architecture {
        case .amd64:
            if fiveLevel { return x86FiveLevel }
            guard let version else { return x86FourLevel }
            if version < KernelVersion(4, 0) { return x86Legacy }
            if version < KernelVersion(4, 19) { return x86v414 }
            return x86FourLevel
        case .i386:
            return i386
        case .arm32:
            if let version, version < KernelVersion(4, 0) { return arm32Legacy }
            return arm32
        case .arm64:
            if vaBits == 52 { return arm64va52 }
            let small = vaBits == 39
            guard let version else { return small ? arm64v6va39 : arm64v6va48 }
            if version < KernelVersion(5, 4) { return small ? arm64v4va39 : arm64v4va48 }
            if version < KernelVersion(6, 0) { return small ? arm64v5va39 : arm64v5va48 }
            return small ? arm64v6va39 : arm64v6va48
        }
    }
}
