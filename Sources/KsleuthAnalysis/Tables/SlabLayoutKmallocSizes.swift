// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The kmalloc caches: their names and object sizes.
///
/// SLUB/SLAB 3.x+ `kmalloc-<n>` (include/linux/slab.h kmalloc_index: 8 … 8192 plus the 96 and
/// 192 caches); 2.6 SLAB `size-<n>` (include/linux/kmalloc_sizes.h: 32 … 131072).
public enum KmallocSizes {
    /// Object sizes of the `kmalloc-<n>` caches, ascending.
    public static let kmalloc: [Int] = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192]
    /// Object sizes of 2.6 SLAB's `size-<n>` caches, ascending.
    public static let legacySizes: [Int] = [
        32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072,
    ]

    /// The object size a cache name states (`kmalloc-128`, `kmalloc-rcl-64`, `dma-kmalloc-96`, `size-512`).
    public static func objectSize(ofCache name: String) -> Int? {
        guard let dash = name.lastIndex(of: "-") else { return nil }
        let prefix = name[..<dash]
        let families = ["kmalloc", "kmalloc-rcl", "kmalloc-cg", "kmalloc-dma"]
        guard families.contains(where: { prefix.hasSuffix($0) }) || prefix == "size" else { return nil }
        var digits = name[name.index(after: dash)...]
        var scale = 1
        if digits.hasSuffix("k") {
            digits = digits.dropLast()
            scale = 1024
        }
        guard let value = Int(digits) else { return nil }
        return value * scale
    }

    /// The kmalloc cache a request of `size` bytes is served from.
    public static func cache(forRequest size: Int) -> Int? { kmalloc.first { $0 >= size } }
}
