// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

extension ReportStartRule {
    /// One-line kernel messages that name a known failure mode with no report around them:
    /// each becomes an incident of kind ``IncidentKind/notice``, kept out of the crash and
    /// memory streams (a notice never opens, joins or ends a report).
    ///
    /// ```
    /// nf_conntrack: nf_conntrack: table full, dropping packet
    /// EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm ls: reading directory lblock 0
    /// ```
    ///
    /// The formats are those of the printers named beside each rule, across eras; the patterns
    /// are anchored at the start of the kernel's text, so the same words inside another message
    /// (a module's load banner, `zswap: loaded using pool lzo/zbud`) are no notice. The table is
    /// appended after ``all``'s report rules: a line a report rule confirms stays that report's.
    /// `INFO: task … blocked for more than N seconds` is a hung-task report, not a notice.
    public static let kernelNotices: [ReportStartRule] = [
        // net/netfilter/nf_conntrack_core.c, __nf_conntrack_alloc(): net_warn_ratelimited() under
        // pr_fmt(KBUILD_MODNAME ": "), so 4.x and later print the prefix twice; 2.6's
        // net/ipv4/netfilter/ip_conntrack_core.c printed "ip_conntrack: table full, dropping packet.".
        ReportStartRule(
            kind: .notice, literals: ["table full, dropping packet"],
            pattern: #"^(?:nf_conntrack: )?(?:nf|ip)_conntrack: table full, dropping packet"#),
        // net/ipv4/tcp.c, tcp_check_oom() (3.x and later, pr_fmt "TCP: "); 2.6's
        // tcp_out_of_memory() printed "Out of socket memory" and "TCP: too many of orphaned sockets".
        ReportStartRule(
            kind: .notice, literals: ["consider tuning tcp_mem", "orphaned sockets", "Out of socket memory"],
            pattern:
                #"^(?:TCP: (?:out of memory -- consider tuning tcp_mem|too many (?:of )?orphaned sockets)|Out of socket memory$)"#
        ),
        // net/core/dev.c, netdev_wait_allrefs() / netdev_wait_allrefs_any(): pr_emerg() every 10 s.
        ReportStartRule(
            kind: .notice, literals: ["unregister_netdevice: waiting for"],
            pattern: #"^unregister_netdevice: waiting for \S+ to become free"#),
        // mm/cma.c, cma_alloc(): pr_err_ratelimited("%s: %s: alloc failed, …", __func__, cma->name)
        // under pr_fmt "cma: " (5.x); 4.x printed no area name.
        ReportStartRule(
            kind: .notice, literals: ["alloc failed, req-size: "],
            pattern: #"^cma: cma_alloc(?:\(\))?: (?:[^:]+: )?alloc failed, req-size: \d+ pages"#),
        // drivers/block/zram/zram_drv.c, zram_write_page() (drivers/staging/zram before 3.14,
        // compcache before that): zs_malloc() found no memory for the compressed page.
        ReportStartRule(
            kind: .notice, literals: ["Error allocating memory for compressed page"],
            pattern: #"^(?:zram|compcache): Error allocating memory for compressed page"#),
        // mm/page_io.c, end_swap_bio_write(): a swap write failed (a full zram device returns -ENOMEM).
        ReportStartRule(
            kind: .notice, literals: ["Write-error on swap-device"],
            pattern: #"^Write-error on swap-device \(\d+:\d+:\d+\)"#),
        // net/sunrpc/clnt.c, call_timeout() / rpc_check_timeout(): "%s: server %s not responding,
        // still trying" (or "timed out"), the RPC program's name first (nfs, lockd, rpcbind).
        ReportStartRule(
            kind: .notice, literals: ["not responding, "],
            pattern: #"^\w+: server \S+ not responding, (?:still trying|timed out)"#),
        // mm/vmalloc.c, alloc_vmap_area(): the vmalloc address space has no free range that big.
        ReportStartRule(
            kind: .notice, literals: ["vmap allocation for size "],
            pattern: #"^vmap allocation for size \d+ failed"#),
        // fs/ext4/super.c, __ext4_error() / __ext4_error_inode() / __ext4_error_file();
        // fs/ext3/super.c and fs/ext2/super.c before 4.3 and 4.x.
        ReportStartRule(
            kind: .notice, literals: ["-fs error (device "], pattern: #"^EXT[234]-fs error \(device [^)]+\)"#),
        // fs/xfs/xfs_message.c prints "XFS (dev): "; fs/xfs/xfs_error.c xfs_corruption_error(),
        // xfs_verifier_error() and xfs_error_report(); fs/xfs/xfs_buf.c xfs_buf_ioerror_alert();
        // fs/xfs/xfs_fsops.c xfs_do_force_shutdown() ("Metadata I/O Error (0x1) detected at …" from 5.x).
        ReportStartRule(
            kind: .notice, literals: ["XFS ("],
            pattern:
                #"^XFS \([^)]+\): (?:Corruption (?:detected|of (?:in-memory data|on-disk metadata))|Metadata (?:corruption|CRC error) detected|(?:metadata|log) I/O error|(?:Metadata|Log) I/O Error \(0x[0-9a-f]+\) detected|Internal error |xfs_do_force_shutdown)"#
        ),
        // fs/btrfs/messages.c btrfs_printk() ("BTRFS error (device sda): ", fs/btrfs/super.c before
        // 6.2); 3.x's __btrfs_std_error() printed "BTRFS: error (device sda) in …"; fs/btrfs/inode.c
        // prints checksum failures at warning level.
        ReportStartRule(
            kind: .notice,
            literals: [
                "BTRFS error", "BTRFS critical", "BTRFS: error", "BTRFS emergency", "BTRFS alert", "csum failed",
            ],
            pattern:
                #"^(?:BTRFS:? (?:error|critical|emergency|alert) \(device [^)]+\)|BTRFS warning \(device [^)]+\): csum failed)"#
        ),
        // drivers/edac/edac_mc.c edac_ce_error() / edac_ue_error() through edac_mc_printk()
        // ("EDAC MC0: 1 CE memory read error on …"; 2.6 and 3.x: "EDAC MC0: CE page 0x…");
        // a driver's own prefix comes between (edac_mc_chipset_printk: "EDAC sbridge MC0: ").
        ReportStartRule(
            kind: .notice, literals: ["EDAC "], pattern: #"^EDAC (?:\w+ )?MC\d+: (?:\d+ )?(?:CE|UE) "#),
        // mm/memory-failure.c, action_result() and friends (pr_fmt "Memory failure: ", 4.x and
        // later); 2.6.32–3.x printed "MCE 0x…: … page recovery: …".
        ReportStartRule(
            kind: .notice, literals: ["Memory failure: ", "page recovery: "],
            pattern: #"^(?:Memory failure: 0x[0-9a-f]+: |MCE 0x[0-9a-f]+: .*page recovery: )"#),
        // block/blk-core.c, blk_print_req_error() (the caller's name first until 5.17:
        // blk_update_request, print_req_error; end_request in 2.6–3.x), the words of blk_errors[].
        ReportStartRule(
            kind: .notice, literals: ["error, dev "],
            pattern:
                #"^(?:(?:blk_update_request|print_req_error|end_request): )?(?:I/O|critical medium|critical target|critical nexus|critical space allocation|recoverable transport|timeout|protection|kernel resource|device resource|operation not supported) error, dev \S+, sector \d+"#
        ),
        // drivers/base/dd.c, really_probe() (dev_err, so after the device's "driver device: "
        // prefix): "probe with driver %s failed with error %d" since 5.9, "probe of %s failed
        // with error %d" before.
        ReportStartRule(
            kind: .notice, literals: ["failed with error -"],
            pattern: #"^(?:\S+ ){0,2}?(?:\S+: )?probe (?:with driver|of) \S+ failed with error -\d+"#),
        // drivers/base/firmware_loader/main.c, fw_get_filesystem_firmware() (dev_warn): the
        // firmware file is missing from /lib/firmware (-2) or unreadable.
        ReportStartRule(
            kind: .notice, literals: ["Direct firmware load for "],
            pattern: #"^(?:\S+ ){0,2}?(?:\S+: )?Direct firmware load for \S+ failed with error -\d+"#),
        // arch/x86/kernel/irq.c, handle_irq()/call_irq_handler(): an interrupt arrived on a
        // vector nothing is bound to.
        ReportStartRule(
            kind: .notice, literals: ["No irq handler for vector"],
            pattern: #"^(?:\w+: )?\d+\.\d+ No irq handler for vector"#),
    ]
}
