// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

extension SlabLayout {
    /// SLAB's management structure from 2.6.x to 3.12, followed by its `bufctl[num]` free-list links.
    ///
    /// `struct slab` in mm/slab.c (2.6.32.69; same fields in 3.10.99 inside a union with the
    /// smaller `struct slab_rcu`); `slab_bufctl(slabp)` is `(kmem_bufctl_t *)(slabp + 1)`.
    public static let classicSlab = SlabLayout(
        name: "slab-classic",
        title: "struct slab + kmem_bufctl_t bufctl[num]",
        releases: "2.6.x - 3.12 (mm/slab.c)",
        source: "mm/slab.c struct slab, slab_bufctl (2.6.32.69, 3.10.99)",
        fields: [
            .word("list.next", .pointer, offset: (0x00, 0x00), note: "link in slabs_full/partial/free"),
            .word("list.prev", .pointer, offset: (0x04, 0x08)),
            .word("colouroff", .unsigned, offset: (0x08, 0x10), note: "colour offset + on-slab management size"),
            .word("s_mem", .pointer, offset: (0x0c, 0x18), note: "address of object 0"),
            Field("inuse", .unsigned, offset: (0x10, 0x20), size: (4, 4), note: "objects allocated"),
            Field("free", .bufctl, offset: (0x14, 0x24), size: (4, 4), note: "first free object or BUFCTL_END"),
            Field("nodeid", .unsigned, offset: (0x18, 0x28), size: (2, 2), note: "NUMA node"),
            Field("padding", .padding, offset: (0x1a, 0x2a), size: (2, 6), note: "never written by SLAB"),
        ],
        size: (0x1c, 0x30),
        trailing: TrailingArray(name: "bufctl", kind: .bufctl, elementSize: 4))

    /// `BUFCTL_END`: the end of a slab's free list (`free == BUFCTL_END` means the slab is full).
    public static let bufctlEnd: UInt64 = 0xffff_ffff
    /// `BUFCTL_FREE`: written into `bufctl[i]` of an allocated object by DEBUG builds.
    public static let bufctlFree: UInt64 = 0xffff_fffe
    /// `BUFCTL_ACTIVE`: written by CONFIG_DEBUG_SLAB_LEAK into `bufctl[i]` of an object in use.
    public static let bufctlActive: UInt64 = 0xffff_fffd
    /// `SLAB_LIMIT`: the largest number of objects a slab may hold.
    public static let slabLimit: UInt64 = 0xffff_fffc

    /// The named special bufctl values.
    public static let bufctlNames: [(value: UInt64, name: String)] = [
        (bufctlEnd, "BUFCTL_END"), (bufctlFree, "BUFCTL_FREE"), (bufctlActive, "BUFCTL_ACTIVE"),
    ]
}
