// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Functions never to blame for a crash.
///
/// These are helpers called from thousands of places, where a bug that surfaces is nearly
/// always the caller's; naming them would merge unrelated bugs under one title.
///
/// Each entry is a pattern searched anywhere in the function's name (anchor with `^`/`$`).
enum SkipList {
    /// The list every title format uses, by category.
    static let common: [String] = sanitizers + reporting + allocators + locking + strings + containers

    /// Sanitizer and instrumentation plumbing.
    static let sanitizers = [
        "__sanitizer", "__asan", "kasan", "hwasan", "__msan", "kmsan", "kcsan_setup_watchpoint", "__tsan",
        "check_memory_region", "check_heap_object", "check_object", "read_word_at_a_time",
        "(?:read|write)_once_.*nocheck", "__kcov", "^instrument_",
    ]

    /// Report, trap and stack-walk plumbing.
    static let reporting = [
        "print_address_description", "print_report", "^dump_backtrace", "^__dump_backtrace", "panic", "invalid_op",
        "report_bug", "fixup_bug",
        "print_usage_bug", "do_error", "_trap", "dump_stack", "show_stack", "warn_slowpath", "warn_alloc",
        "warn_bogus", "__warn", "debug_object", "timer_is_static_object", "work_is_static_object", "^__might_fault",
        "^__might_resched", "^__might_sleep", "might_fault", "might_sleep", "print_unlock", "imbalance_bug",
        "perf_trace", "program_check_exception", "program_check_common", "^stack_trace_", "^arch_stack_walk",
        "^unwind_", "^walk_stackframe$", "^trace_hardirqs_(?:on|off)", "_indirect_thunk_", "^__x86_return_thunk",
        "^do_el[01]_", "^el[01]_(?:da|ia|sync|abort)",
        "^el[01]h_64_sync", "^__do_kernel_fault", "^do_mem_abort", "^do_translation_fault",
        "^do_bad_area", "^die$", "^__die", "^bug_handler", "^call_break_hook", "^brk_handler", "^do_debug_exception",
        "^handle_bug", "^exc_invalid_op", "^asm_exc_", "^exc_page_fault", "^do_trap", "^do_user_addr_fault",
        "^do_kern_addr_fault", "^kernelmode_fixup_or_oops", "^page_fault_oops", "^no_context", "^bad_area",
        "^handle_page_fault", "^asm_sysvec_", "assertfail", "^hex_dump_to_buffer$",
        "^__ubsan_", "^ubsan_", "fortify_panic", "fortify_report", "^__fortify", "^do_tag_check_fault",
        "^print_tainted$", "^get_taint$",
    ]

    /// Allocators and page-cache lookups.
    static let allocators = [
        "^kmem_cache_", "^kmalloc", "^__kmalloc", "^___kmalloc", "^kzalloc", "^kcalloc", "^kvmalloc", "^kvzalloc",
        "^kvcalloc",
        "^krealloc", "^kmalloc_array", "^slab_", "^__slab_", "^___slab_", "^alloc_pages", "^__alloc_pages",
        "^alloc_slab", "^allocate_slab", "^new_slab", "^__folio_", "^folio_",
        "^find_get_", "^pagecache_get_page", "^__page_cache_", "^put_page$", "^__put_page$", "^kv?free$",
        "^kfree_skb", "^__kfree_skb", "^kfree_sensitive", "^kvfree_call_rcu", "^trace_page_", "^lock_page",
        "^unlock_page", "^__lock_page", "^xas_", "^xa_", "^__xa_", "^truncate_inode_pages", "^find_lock_entries",
        "^iput$", "^iput_final$",
        "^ihold$", "^dput$", "^fast_dput$", "^mark_buffer_dirty$", "^ida_free$", "^ida_alloc", "^__alloc_frozen_pages",
        "^alloc_frozen_pages", "^alloc_pages_mpol",
        "^alloc_page_interleave",
        "^free_large_kmalloc", "^__free_pages", "^free_pages", "^__get_free_pages", "_noprof$", "^__phys_addr",
    ]

    /// Locks, atomics, bit operations and reference counts.
    static let locking = [
        "lockdep", "bh_enable", "bh_disable", "lock_acquire", "lock_release", "lock_class", "mark_lock",
        "(?:reacquire|mark)_held_locks", "raw_spin_rq", "spin_lock", "spin_trylock", "spin_unlock", "read_lock",
        "read_trylock", "write_lock", "write_trylock", "read_unlock", "write_unlock", "^down$", "^down_read",
        "^down_write", "^down_trylock", "^down_interruptible", "^down_killable", "^up_read", "^up_write", "^up$",
        "^rwsem_", "^__rwsem_", "^mutex_", "^__mutex_", "^rt_mutex_", "^__rt_mutex_", "owner_on_cpu", "osq_lock",
        "osq_unlock", "^atomic(?:64|_long)?_(?:dec|inc|read|set|or|xor|and|add|sub|fetch|xchg|cmpxchg|try)",
        "^arch_atomic", "^raw_atomic", "(?:set|clear|change|test)_bit", "__wake_up", "^refcount_", "^__refcount_",
        "^kref_", "^_atomic_dec_and_(?:raw_)?lock", "ref_tracker", "seqprop_assert", "^percpu_ref_", "^local_bh_",
        "^preempt_count_",
    ]

    /// String, memory, user-copy and print helpers.
    static let strings = [
        "memcpy", "memcmp", "memset", "memchr", "memmove", "memdup", "strcmp", "strncmp", "strcpy", "strlcpy",
        "strncpy", "strscpy", "strlen", "strstr", "strnstr", "strnlen", "strchr", "strdup", "strndup",
        "copy_to_user", "copy_from_user", "copy_to_iter", "copy_from_iter", "copy_page_to_iter",
        "copy_page_from_iter", "copy_folio_to_iter", "^copyin$", "^copyout$", "put_user", "get_user",
        "^copy_from_kernel_nofault", "^copy_to_kernel_nofault", "string", "pointer", "snprintf", "scnprintf",
        "kasprintf", "kvasprintf", "printk", "va_format", "dev_info", "dev_notice", "dev_warn", "dev_err",
        "dev_alert", "dev_crit", "dev_emerg", "^crc\\d+", "crc_itu_t", "^crc32",
    ]

    /// Lists, trees, kobjects and devices, work queues and timers, MMIO.
    static let containers = [
        "list_add", "list_del", "list_replace", "list_move", "list_splice", "^rb_", "^__rb_", "^klist_", "^rhashtable_",
        "^__rhashtable_", "^rht_",
        "del_timer", "^timer_delete", "^__timer_delete", "^__mod_timer", "^mod_timer", "flush_work",
        "__cancel_work_timer", "cancel_work_sync", "^__cancel_work", "try_to_grab_pending", "flush_workqueue",
        "drain_workqueue", "destroy_workqueue", "queue_work", "^insert_work$", "finish_wait", "kthread_stop",
        "kobject_",
        "add_uevent_var", "get_device_parent", "device_add", "device_del", "device_unregister", "device_destroy",
        "device_release", "^put_device$", "devres_release_all", "hwrng_unregister", "i2c_del_adapter",
        "__unregister_client",
        "device_for_each_child", "rollback_registered", "unregister_netdev", "sysfs_remove", "device_remove_file",
        "tty_unregister_device", "dummy_urb_enqueue", "usb_kill_urb", "usb_kill_anchored_urbs", "usb_control_msg",
        "usb_hcd_submit_urb", "usb_submit_urb", "^complete$", "wait_for_completion", "readb$", "readw$", "readl$",
        "readq$", "writeb$", "writew$", "writel$", "writeq$", "logic_in", "logic_out",
    ]

    /// Frames that dispatch work: the function that names a stall is the one just above the
    /// first of these (the driver- or protocol-specific function of a syscall, the work item).
    static let stallAnchors = [
        "process_one_work", "do_syscall_", "do_fast_syscall_", "sysenter_dispatch", "tracesys_phase2",
        "netif_receive_skb", "do_softirq", "handle_softirqs", "tasklet_action", "call_timer_fn", "_run_timers",
        "run_timer_softirq", "run_ksoftirqd",
        "smpboot_thread_fn", "^kthread$", "start_secondary", "cpu_startup_entry", "ret_from_fork", "vfs_write",
        "vfs_read", "vfs_iter_read", "vfs_iter_write", "do_iter_read", "do_iter_write", "vfs_ioctl",
        "blkdev_driver_ioctl", "blkdev_ioctl", "^call_read_iter", "^call_write_iter", "do_iter_readv_writev",
        "^call_mmap", "mmap_region", "do_mmap", "do_dentry_open", "vfs_open", "^sock_sendmsg", "^sock_recvmsg",
        "^sock_release", "^__sock_release", "__sys_setsockopt", "kernel_setsockopt", "sock_common_setsockopt",
        "__sys_listen", "kernel_listen", "sk_common_release", "^sock_mmap", "__sys_accept", "kernel_accept",
        "^sock_do_ioctl", "^sock_ioctl", "^compat_sock_ioctl", "^nfnetlink_rcv_msg", "^rtnetlink_rcv_msg",
        "^netlink_dump$", "^ksys_ioctl$",
        "^(?:compat_)?(?:SYSC|SyS|__sys|___sys|__do_sys|__se_sys|__x64_sys)_(?:socketpair|connect|ioctl)",
        "^__do_fault", "^handle_mm_fault", "^do_page_fault", "^page_fault$", "^__fput", "^task_work_run",
        "^exit_to_usermode", "^exit_to_user_mode", "^el0_svc", "^invoke_syscall", "^__invoke_syscall",
        "^do_el0_svc", "^ret_fast_syscall", "^entry_SYSCALL", "^syscall_exit_to_user_mode",
    ]
}
