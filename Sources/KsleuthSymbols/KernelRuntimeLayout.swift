// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Where the kernel that printed a log ran: how far KASLR moved its image, and where its
/// modules were loaded.
///
/// Raw addresses (`[<ffffffffc0461a2c>]`, ` ? 0xffffffff9e2a1b40`) are
/// runtime addresses and need both; `func+0xoff` frames need neither.
public struct KernelRuntimeLayout: Sendable {
    /// The KASLR offset, `nil` when the log neither states it nor lets it be solved.
    public var kaslr: KASLROffset?
    /// The modules whose load address is known.
    public var modules: [ModulePlacement]

    public init(kaslr: KASLROffset? = nil, modules: [ModulePlacement] = []) {
        self.kaslr = kaslr
        self.modules = modules
    }

    /// The modules that may hold `address` (its base at or below it, within its size when
    /// known), nearest base first.
    public func modules(around address: UInt64) -> [ModulePlacement] {
        modules.filter { $0.base <= address && ($0.size == 0 || address - $0.base < $0.size) }
            .sorted { $0.base > $1.base }
    }
}
