// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// Where a failed allocation was made, from its call trace: interrupt, softirq or process
/// context, and the first frame outside the allocator (the caller to fix), with its module.
struct AllocationContext: Sendable, Equatable {
    /// `softirq`, `irq` or `process`; `nil` without a trace.
    var context: String?
    /// The first reliable frame outside the allocator that the allocator's frames do not follow.
    var callerFunction: String?
    /// The caller's module (`vd`), or the first module frame's.
    var callerModule: String?

    /// The allocator's own frames: skipped when looking for the caller.
    static let allocatorPrefixes = [
        "dump_stack", "show_stack", "warn_alloc", "__warn", "warn_slowpath", "__alloc_pages", "alloc_pages",
        "__get_free_pages", "get_zeroed_page", "get_page_from_freelist", "__kmalloc", "kmalloc", "kmem_",
        "____cache_alloc", "cache_grow", "fallback_alloc", "cache_alloc", "new_slab", "allocate_slab",
        "alloc_slab_page", "___slab_alloc", "__slab_alloc", "slab_alloc", "slab_out_of_memory", "__vmalloc",
        "vmalloc", "vzalloc", "kvmalloc", "kvzalloc", "kzalloc", "kcalloc", "krealloc", "__krealloc", "kmemdup",
        "__page_cache_alloc", "alloc_slab", "xfs_kmem", "__do_kmalloc", "__folio_alloc", "folio_alloc",
        "__alloc_frozen", "alloc_frozen", "__get_vm_area", "get_vm_area", "alloc_vmap_area", "warn_alloc_failed",
        "dump_header", "__netdev_alloc", "netdev_alloc", "__alloc_skb", "alloc_skb", "__napi_alloc", "napi_alloc",
        "page_frag_alloc", "__page_frag", "build_skb",
    ]
    /// Functions that run softirq handlers.
    static let softirqFunctions: Set<Substring> = [
        "__do_softirq", "do_softirq", "handle_softirqs", "net_rx_action", "run_timer_softirq", "tasklet_action",
        "irq_exit", "irq_exit_rcu", "__irq_exit_rcu", "rcu_core", "blk_done_softirq", "do_softirq_own_stack",
    ]

    init(trace: CallTrace) {
        let frames = trace.frames
        guard !frames.isEmpty else { return }
        if frames.contains(where: { $0.section == .softirq || Self.softirqFunctions.contains($0.baseFunction) }) {
            context = "softirq"
        } else if frames.contains(where: { $0.section == .irq || $0.section == .nmi }) {
            context = "irq"
        } else {
            context = "process"
        }
        let reliableFrames = frames.filter(\.isReliable)
        let reliable = reliableFrames.isEmpty ? frames : reliableFrames
        func isAllocator(_ frame: StackFrame) -> Bool {
            Self.allocatorPrefixes.contains { frame.baseFunction.hasPrefix($0) }
        }
        // A frame the allocator's own frames follow is a stale word of the stack, not the
        // caller: 2.6 x86_64 printed every text address it found, unmarked
        // (`kmem_getpages+38 ip_frag_create+26 cache_grow+190`).
        let caller = reliable.indices.first { index in
            !isAllocator(reliable[index]) && !(index + 1 < reliable.count && isAllocator(reliable[index + 1]))
        }.map { reliable[$0] }
        callerFunction = caller.map { String($0.baseFunction) }
        callerModule = caller?.module ?? reliable.first { $0.module != nil }?.module
    }
}
