// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One process's memory from its `/proc/PID/status`, `statm`, `maps`, `smaps` or
/// `smaps_rollup`, in kB.
public struct ProcessMemory: Sendable, Equatable {
    /// The memory of the mappings of one kind.
    public struct KindTotals: Sendable, Equatable {
        public var mappings: Int64 = 0
        /// Virtual size (`Size:` or the address range).
        public var sizeKB: Int64 = 0
        /// Resident (`Rss:`), from smaps only.
        public var rssKB: Int64?
        /// Proportional share (`Pss:`), from smaps only.
        public var pssKB: Int64?
        /// Swapped out (`Swap:`), from smaps only.
        public var swapKB: Int64?

        public init() {}
    }

    /// `Name:`.
    public var name: String?
    /// `Pid:`.
    public var pid: Int64?
    /// The `Vm*`/`Rss*` fields of status in kB (`VmRSS`, `RssAnon`, `VmSwap`, …).
    public var status: [String: Int64] = [:]
    /// statm's seven counts in pages: size, resident, shared, text, lib, data, dt.
    public var statmPages: [Int64] = []
    /// The mappings by kind, from maps or smaps.
    public var byKind: [MappingKind: KindTotals] = [:]
    /// The `[rollup]` block's fields in kB (`Rss`, `Pss`, `Anonymous`, `Swap`, …).
    public var rollup: [String: Int64] = [:]

    public init() {}
}
