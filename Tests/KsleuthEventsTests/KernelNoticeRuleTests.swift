// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthTestSupport
import Testing

@Suite("Kernel notices: one-line messages as incidents of their own")
struct KernelNoticeRuleTests {
    /// One line of each printer in `ReportStartRule.kernelNotices`, as the kernel prints it.
    static let notices = [
        "nf_conntrack: nf_conntrack: table full, dropping packet",
        "ip_conntrack: table full, dropping packet.",
        "TCP: out of memory -- consider tuning tcp_mem",
        "TCP: too many orphaned sockets",
        "Out of socket memory",
        "unregister_netdevice: waiting for lo to become free. Usage count = 1",
        "cma: cma_alloc: linux,cma: alloc failed, req-size: 2025 pages, ret: -16",
        "cma: cma_alloc: alloc failed, req-size: 256 pages, ret: -12",
        "zram: Error allocating memory for compressed page: 50599, size=578",
        "Write-error on swap-device (254:0:405880)",
        "nfs: server fs01.example.com not responding, still trying",
        "lockd: server 10.0.0.5 not responding, timed out",
        "vmap allocation for size 131072 failed: use vmalloc=<size> to increase size",
        "EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm ls: reading directory lblock 0",
        "EXT3-fs error (device sdb2): ext3_lookup: deleted inode referenced: 1922",
        "XFS (dm-0): Metadata corruption detected at xfs_dinode_verify+0xa0/0x7a0 [xfs], inode 0x1c3a0 dinode",
        "XFS (sdb1): Corruption detected. Unmount and run xfs_repair",
        "XFS (dm-3): Metadata I/O Error (0x1) detected at xlog_cil_push_work+0x5b1/0x7d0 [xfs]",
        "XFS (sdc): metadata I/O error in \"xfs_trans_read_buf_map\" at daddr 0x2 len 1 error 5",
        "BTRFS error (device sda3): bdev /dev/sda3 errs: wr 0, rd 0, flush 0, corrupt 1, gen 0",
        "BTRFS: error (device sdb1) in btrfs_commit_transaction:2289: errno=-5 IO failure",
        "BTRFS warning (device sda3): csum failed root 5 ino 259 off 1609728 csum 0x98f94189 mirror 1",
        "EDAC MC0: 1 CE memory read error on CPU_SrcID#0_Ha#0_Chan#1_DIMM#0 (channel:1 slot:0 page:0x4a6b12)",
        "EDAC sbridge MC1: 1 UE memory scrubbing error on CPU_SrcID#1_Ha#0_Chan#0_DIMM#1 (channel:0 slot:1)",
        "EDAC MC0: CE page 0x1b3e4, offset 0x2c0, grain 8, syndrome 0xb5, row 2, channel 1, label \"DIMM_B1\"",
        "Memory failure: 0x3d6f25: recovery action for dirty LRU page: Recovered",
        "MCE 0x1a2b3: dirty LRU page recovery: Recovered",
        "blk_update_request: critical medium error, dev sdb, sector 2214592",
        "print_req_error: I/O error, dev mmcblk1rpmb, sector 0",
        "end_request: I/O error, dev sda, sector 976773040",
        "I/O error, dev nvme0n1, sector 81920 op 0x0:(READ) flags 0x80700 phys_seg 4 prio class 2",
    ]

    @Test("each printer's line is one notice, titled by the line", arguments: notices)
    func recognised(text: String) throws {
        let (incidents, _) = try IncidentCollector.analyze("[ 4711.000100] \(text)\n")
        try #require(incidents.count == 1)
        #expect(incidents[0].kind == .notice)
        #expect(incidents[0].kind.family == .notice)
        #expect(incidents[0].title == text)
        #expect(incidents[0].evidence.firstLine == 1 && incidents[0].evidence.lastLine == 1)
        #expect(incidents[0].details["occurrences"] == .integer(1))
        #expect(!incidents[0].isTruncated)
    }

    /// Lines that share words with a notice but are none: banners, recoveries, other messages.
    static let decoys = [
        "zswap: loaded using pool lzo/zbud",
        "cma: Reserved 64 MiB at 0x00000000bc000000",
        "nfs: server fs01.example.com OK",
        "EXT4-fs (dm-0): Delayed block allocation failed for inode 4242 at logical offset 0 with max blocks 2",
        "EXT4-fs (sda1): mounted filesystem with ordered data mode. Quota mode: none.",
        "XFS (sda1): Mounting V5 Filesystem",
        "BTRFS info (device sda3): disk space caching is enabled",
        "EDAC MC: Ver: 3.0.0",
        "EDAC sbridge: Seeking for: PCI ID 8086:0ea0",
        "Buffer I/O error on dev sda1, logical block 0, async page read",
        "nginx: TCP: out of memory -- consider tuning tcp_mem",
        "usb 1-1: device not accepting address 2, error -71",
    ]

    @Test("lines that only share words with a notice are no incident", arguments: decoys)
    func decoy(text: String) throws {
        let (incidents, _) = try IncidentCollector.analyze("[ 4711.000100] \(text)\n")
        #expect(incidents.isEmpty, "\(incidents.map(IncidentFingerprint.init))")
    }

    @Test("repeats ten seconds apart fold into one incident with a count; the first and last line are its evidence")
    func folding() throws {
        let log = """
            [ 3713.412201] unregister_netdevice: waiting for lo to become free. Usage count = 1
            [ 3718.000000] IPv6: ADDRCONF(NETDEV_CHANGE): veth3: link becomes ready
            [ 3723.652118] unregister_netdevice: waiting for lo to become free. Usage count = 1
            [ 3733.892034] unregister_netdevice: waiting for lo to become free. Usage count = 2
            [ 3744.131950] unregister_netdevice: waiting for eth0 to become free. Usage count = 2

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        try #require(incidents.count == 2)
        #expect(incidents[0].title == "unregister_netdevice: waiting for lo to become free. Usage count = 1")
        #expect(incidents[0].details["occurrences"] == .integer(3))
        #expect(incidents[0].lines.map(\.number) == [1, 4])
        #expect(incidents[0].evidence.firstLine == 1 && incidents[0].evidence.lastLine == 4)
        #expect(incidents[0].monotonicMicroseconds == 3_713_412_201)
        #expect(incidents[1].title == "unregister_netdevice: waiting for eth0 to become free. Usage count = 2")
        #expect(incidents[1].details["occurrences"] == .integer(1))
    }

    @Test("a repeat more than a minute after the last one, or after a reboot, is a new incident")
    func window() throws {
        let log = """
            [ 100.000000] TCP: out of memory -- consider tuning tcp_mem
            [ 150.000000] TCP: out of memory -- consider tuning tcp_mem
            [ 211.000000] TCP: out of memory -- consider tuning tcp_mem
            [   5.000000] TCP: out of memory -- consider tuning tcp_mem

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        #expect(incidents.map(\.evidence.firstLine) == [1, 3, 4])
        #expect(incidents.map { $0.details["occurrences"] } == [.integer(2), .integer(1), .integer(1)])
    }

    @Test("a notice inside a crash report neither ends it nor joins it, and comes out in input order")
    func insideReport() throws {
        let log = """
            [  50.000000] BUG: kernel NULL pointer dereference, address: 0000000000000010
            [  50.000010] #PF: supervisor read access in kernel mode
            [  50.000020] EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm ls: reading directory lblock 0
            [  50.000030] Oops: 0000 [#1] SMP NOPTI
            [  50.000040] CPU: 1 PID: 42 Comm: ls Not tainted 6.1.0 #1
            [  50.000050] RIP: 0010:ext4_readdir+0x1f/0x90
            [  50.000060] ---[ end trace 0000000000000000 ]---

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        #expect(incidents.map(\.kind) == [.oops, .notice])
        #expect(incidents[0].lines.map(\.number) == [1, 2, 4, 5, 6, 7])
        #expect(incidents[1].evidence.firstLine == 3)
    }

    @Test("a cut-off notice line is no notice; garbled bytes after the message's fixed part do not hide one")
    func truncatedAndGarbled() throws {
        let cut = try IncidentCollector.analyze("[ 1.000000] nf_conntrack: nf_conntrack: table fu\n").incidents
        #expect(cut.isEmpty)
        let cutEDAC = try IncidentCollector.analyze("[ 1.000000] EDAC MC0: 1 C\n").incidents
        #expect(cutEDAC.isEmpty)
        var garbled = Array("[ 1.000000] EXT4-fs error (device sda1): ext4_lookup:1601: inode #131: comm f".utf8)
        garbled += [0xFF, 0xFE, 0x00]
        garbled += Array("nd: deleted inode referenced: 1922\n".utf8)
        let incidents = try IncidentCollector.analyze(garbled).incidents
        try #require(incidents.count == 1)
        #expect(incidents[0].kind == .notice)
        #expect(incidents[0].title.hasPrefix("EXT4-fs error (device sda1): ext4_lookup:1601: inode #131: comm f"))
    }

    @Test("INFO: task … blocked is a hung-task report, not a notice")
    func hungTaskIsNoNotice() throws {
        let log = """
            [ 3742.910139] INFO: task dockerd:1431 blocked for more than 120 seconds.
            [ 3742.910367]       Not tainted 4.15.0-20-generic #21-Ubuntu

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        #expect(incidents.map(\.kind) == [.hungTask])
    }
}
