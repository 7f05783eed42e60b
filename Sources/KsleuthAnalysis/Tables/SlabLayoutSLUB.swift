// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

extension SlabLayout {
    /// SLUB's fields in `struct page`, 4.18 - 5.16.
    ///
    /// 64-bit offsets from include/linux/mm_types.h (4.19.108); 32-bit derived.
    public static let slubPage418 = SlabLayout(
        name: "slub-page-4.18",
        title: "struct page (SLUB fields)",
        releases: "4.18 - 5.16",
        source: "include/linux/mm_types.h (4.19.108); 32-bit offsets derived",
        fields: [
            .word("flags", .flags, offset: (0x00, 0x00)),
            .word("slab_list.next", .pointer, offset: (0x04, 0x08), note: "or next (per-cpu partial)"),
            .word("slab_list.prev", .pointer, offset: (0x08, 0x10), note: "or pages/pobjects"),
            .word("slab_cache", .pointer, offset: (0x0c, 0x18)),
            .word("freelist", .pointer, offset: (0x10, 0x20), note: "first free object"),
            Field("counters", .slubCounters, offset: (0x14, 0x28), size: (4, 4), note: "inuse:16 objects:15 frozen:1"),
            Field("_mapcount", .unsigned, offset: (0x18, 0x30), size: (4, 4)),
            Field("_refcount", .unsigned, offset: (0x1c, 0x34), size: (4, 4)),
        ],
        size: (0x20, 0x38))

    /// SLUB's `struct slab` overlaying `struct page`, 5.17 - 6.5 (read in 6.1).
    public static let slubSlab517 = SlabLayout(
        name: "slub-slab-5.17",
        title: "struct slab (SLUB)",
        releases: "5.17 - 6.5",
        source: "mm/slab.h (6.1.141); 32-bit offsets derived",
        fields: [
            .word("__page_flags", .flags, offset: (0x00, 0x00)),
            .word("slab_list.next", .pointer, offset: (0x04, 0x08), note: "or rcu_head, or {next, slabs}"),
            .word("slab_list.prev", .pointer, offset: (0x08, 0x10)),
            .word("slab_cache", .pointer, offset: (0x0c, 0x18)),
            .word("freelist", .pointer, offset: (0x10, 0x20), note: "first free object"),
            Field("counters", .slubCounters, offset: (0x14, 0x28), size: (4, 4), note: "inuse:16 objects:15 frozen:1"),
            Field("__unused", .unsigned, offset: (0x18, 0x30), size: (4, 4)),
            Field("__page_refcount", .unsigned, offset: (0x1c, 0x34), size: (4, 4)),
            .word("memcg_data", .unsigned, offset: (0x20, 0x38)),
        ],
        size: (0x24, 0x40))

    /// SLUB's `struct slab`, 6.6 - 6.12: `slab_cache` moved to the second word.
    public static let slubSlab66 = SlabLayout(
        name: "slub-slab-6.6",
        title: "struct slab (SLUB)",
        releases: "6.6 - 6.12",
        source: "mm/slab.h (6.6.57); 32-bit offsets derived",
        fields: [
            .word("__page_flags", .flags, offset: (0x00, 0x00)),
            .word("slab_cache", .pointer, offset: (0x04, 0x08), note: "overlays compound_head (bit 0 clear)"),
            .word("slab_list.next", .pointer, offset: (0x08, 0x10), note: "or {next, slabs}"),
            .word("slab_list.prev", .pointer, offset: (0x0c, 0x18)),
            .word("freelist", .pointer, offset: (0x10, 0x20), note: "first free object"),
            Field("counters", .slubCounters, offset: (0x14, 0x28), size: (4, 4), note: "inuse:16 objects:15 frozen:1"),
            Field("__unused", .unsigned, offset: (0x18, 0x30), size: (4, 4)),
            Field("__page_refcount", .unsigned, offset: (0x1c, 0x34), size: (4, 4)),
            .word("memcg_data", .unsigned, offset: (0x20, 0x38)),
        ],
        size: (0x24, 0x40))
}
