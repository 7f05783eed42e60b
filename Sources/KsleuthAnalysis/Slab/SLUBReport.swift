// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// What a SLUB debug report (`BUG <cache> (...): <problem>`, mm/slub.c slab_bug) states.
public struct SLUBReport: Sendable, Hashable {
    /// An `Allocated in` / `Freed in` track (print_track).
    public struct Track: Sendable, Hashable {
        public var function: String
        public var ageJiffies: Int?
        public var cpu: Int?
        public var pid: Int?
        public var stack: [String]
    }

    /// The check_bytes_and_report line: `0x<a>-0x<b> @offset=<n>. First byte 0x<x> instead of 0x<y>`.
    public struct Overwrite: Sendable, Hashable {
        /// `Redzone`, `Right Redzone`, `Poison`… when the line or the header names it.
        public var what: String?
        public var start: UInt64
        public var end: UInt64
        /// `@offset=`: the fault's offset from the start of the slab's memory (5.10+).
        public var slabOffset: Int?
        public var found: UInt8
        public var expected: UInt8
    }

    public var cache: String
    public var problem: String
    public var overwrite: Overwrite?
    /// `Object 0x<p> @offset=<n> fp=0x<p>`.
    public var objectAddress: UInt64?
    public var objectSlabOffset: Int?
    public var freePointer: UInt64?
    /// `Slab 0x<p> objects=<n> used=<n> fp=0x<p>`.
    public var slabObjects: Int?
    public var slabUsed: Int?
    public var allocated: Track?
    public var freed: Track?
    /// Whether %p printed hashed values (4.15+): the addresses cannot be subtracted.
    public var addressesHashed: Bool
}
