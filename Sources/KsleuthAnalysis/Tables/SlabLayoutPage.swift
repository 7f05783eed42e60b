// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

extension SlabLayout {
    /// `struct page` as dump_page prints it in its `raw:` lines (4.18+ field order).
    ///
    /// include/linux/mm_types.h (4.19.108, 6.6.57): flags, the lru / compound_head union,
    /// mapping, index, private, `_mapcount`, `_refcount`, memcg_data; 32-bit derived.
    public static let dumpPage = SlabLayout(
        name: "page",
        title: "struct page (dump_page raw: words)",
        releases: "4.18 - 6.x",
        source: "include/linux/mm_types.h (4.19.108, 6.6.57); mm/debug.c dump_page",
        fields: [
            .word("flags", .flags, offset: (0x00, 0x00)),
            .word("lru.next", .pointer, offset: (0x04, 0x08), note: "or compound_head (bit 0 set on tail pages)"),
            .word("lru.prev", .pointer, offset: (0x08, 0x10)),
            .word("mapping", .pointer, offset: (0x0c, 0x18), note: "bit 0 set: anon_vma"),
            .word("index", .unsigned, offset: (0x10, 0x20)),
            .word("private", .unsigned, offset: (0x14, 0x28)),
            Field("_mapcount", .unsigned, offset: (0x18, 0x30), size: (4, 4), note: "-1 when unmapped"),
            Field("_refcount", .unsigned, offset: (0x1c, 0x34), size: (4, 4)),
            .word("memcg_data", .unsigned, offset: (0x20, 0x38)),
        ],
        size: (0x24, 0x40))

    /// `struct list_head`: two pointers.
    public static let listHead = SlabLayout(
        name: "list_head",
        title: "struct list_head",
        releases: "all",
        source: "include/linux/types.h",
        fields: [
            .word("next", .pointer, offset: (0x00, 0x00)),
            .word("prev", .pointer, offset: (0x04, 0x08)),
        ],
        size: (0x08, 0x10))
}
