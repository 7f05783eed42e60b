// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

extension SlabLayout {
    /// SLAB's free list from 3.13 on: an array of `freelist_idx_t` object indexes, one byte each
    /// when `(PAGE_SIZE >> 8) <= SLAB_OBJ_MIN_SIZE` (4 KiB pages).
    ///
    /// A stack: object `freelist[active]` is the next to be allocated (mm/slab.c slab_get_obj, 4.4.178).
    public static let slabFreelist8 = SlabLayout(
        name: "slab-freelist",
        title: "freelist_idx_t freelist[num] (unsigned char)",
        releases: "3.13 - 6.7 (mm/slab.c), 4 KiB pages",
        source: "mm/slab.c freelist_idx_t, slab_get_obj (4.4.178)",
        fields: [], size: (0, 0),
        trailing: TrailingArray(name: "freelist", kind: .index, elementSize: 1))

    /// The same free list with two-byte indexes (pages larger than 4 KiB).
    public static let slabFreelist16 = SlabLayout(
        name: "slab-freelist16",
        title: "freelist_idx_t freelist[num] (unsigned short)",
        releases: "3.13 - 6.7 (mm/slab.c), 16/64 KiB pages",
        source: "mm/slab.c freelist_idx_t (4.4.178)",
        fields: [], size: (0, 0),
        trailing: TrailingArray(name: "freelist", kind: .index, elementSize: 2))

    /// SLAB's descriptor inside `struct slab` (overlaying `struct page`) in 6.6.
    ///
    /// Field order from mm/slab.h (6.6.57); offsets derived with natural alignment.
    public static let slabStructSlab66 = SlabLayout(
        name: "slab-slab-6.6",
        title: "struct slab (SLAB allocator)",
        releases: "6.6 - 6.7 (CONFIG_SLAB)",
        source: "mm/slab.h struct slab (6.6.57); offsets derived",
        fields: [
            .word("flags", .flags, offset: (0x00, 0x00)),
            .word("slab_cache", .pointer, offset: (0x04, 0x08)),
            .word("slab_list.next", .pointer, offset: (0x08, 0x10)),
            .word("slab_list.prev", .pointer, offset: (0x0c, 0x18)),
            .word("freelist", .pointer, offset: (0x10, 0x20), note: "address of the index array"),
            .word("s_mem", .pointer, offset: (0x14, 0x28), note: "first object"),
            Field("active", .unsigned, offset: (0x18, 0x30), size: (4, 4), note: "objects allocated"),
        ],
        size: (0x1c, 0x38))
}
