// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One slab cache's line of `/proc/slabinfo` or `slabtop`.
public struct SlabCacheUsage: Sendable, Equatable {
    public var name: String
    /// Objects in use (`<active_objs>`).
    public var activeObjects: Int64
    /// Objects allocated in slabs (`<num_objs>`).
    public var objects: Int64
    /// Object size in bytes (slabtop rounds it to 0.01K).
    public var objectSizeBytes: Int64
    /// Memory of the cache's slabs: `<num_slabs> × <pagesperslab>` pages, or slabtop's CACHE SIZE.
    public var sizeKB: Int64

    public init(name: String, activeObjects: Int64, objects: Int64, objectSizeBytes: Int64, sizeKB: Int64) {
        self.name = name
        self.activeObjects = activeObjects
        self.objects = objects
        self.objectSizeBytes = objectSizeBytes
        self.sizeKB = sizeKB
    }
}
