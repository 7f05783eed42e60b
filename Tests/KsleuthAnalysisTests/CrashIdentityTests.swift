// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// Crash identity on small hand-made reports: titles, normalisation, type, corruption,
/// guilty file and bucket.
@Suite("Crash identity")
struct CrashIdentityTests {
    private func identity(_ text: String) throws -> CrashIdentity {
        let (incidents, _) = try IncidentCollector.analyze(text)
        return try #require(incidents.first?.identity)
    }

    @Test("a KASAN report is named after the access and the first frame not on the skip list")
    func kasan() throws {
        let found = try identity(
            """
            [   12.000000] ==================================================================
            [   12.000001] BUG: KASAN: slab-use-after-free in xas_start+0x1ef/0x7b0
            [   12.000002] Read of size 8 at addr ffff88801234abcd by task syz-executor.3/1234
            [   12.000003] CPU: 0 PID: 1234 Comm: syz-executor.3 Not tainted 6.8.0 #1
            [   12.000004] Call Trace:
            [   12.000005]  <TASK>
            [   12.000006]  dump_stack_lvl+0x1/0x2
            [   12.000007]  kasan_report+0x1/0x2
            [   12.000008]  xas_start+0x1ef/0x7b0
            [   12.000009]  find_lock_entries+0x1/0x2
            [   12.000010]  truncate_inode_pages_range+0x1/0x2
            [   12.000011]  btrfs_evict_inode.cold+0x1/0x2
            [   12.000012]  evict+0x1/0x2
            [   12.000013]  </TASK>
            """)
        // The xarray and page-cache helpers are skipped, as in syzkaller's expected title for the
        // same stack ("KASAN: slab-use-after-free Read in btrfs_evict_inode").
        #expect(found.title == "KASAN: slab-use-after-free Read in btrfs_evict_inode")
        #expect(found.alternativeTitles.contains("bad-access in btrfs_evict_inode"))
        #expect(found.type == "KASAN-USE-AFTER-FREE-READ")
        #expect(found.frame == "btrfs_evict_inode" && !found.isCorrupted)
    }

    @Test("a general protection fault takes its function from the RIP line")
    func generalProtectionFault() throws {
        let found = try identity(
            """
            general protection fault: 0000 [#1] SMP KASAN
            CPU: 1 PID: 2 Comm: x Not tainted 4.9.0 #1
            RIP: 0010:[<ffffffff83408ca0>]  [<ffffffff83408ca0>] drm_legacy_newctx+0x190/0x290
            Call Trace:
             [<ffffffff8340aaaa>] drm_ioctl+0x1/0x2
             [<ffffffff8340bbbb>] do_vfs_ioctl+0x1/0x2
             [<ffffffff8340cccc>] SyS_ioctl+0x1/0x2
            """)
        #expect(found.title == "general protection fault in drm_legacy_newctx")
        #expect(found.type == "DoS")
    }

    @Test("a soft lockup is named after the frame above the syscall entry, prefix stripped")
    func stall() throws {
        let found = try identity(
            """
            watchdog: BUG: soft lockup - CPU#1 stuck for 134s! [syz-executor:4242]
            RIP: 0010:d_walk+0x1/0x2
            Call Trace:
             shrink_dcache_parent+0x1/0x2
             vfs_rmdir+0x1/0x2
             do_rmdir+0x1/0x2
             __x64_sys_rmdir+0x1/0x2
             do_syscall_64+0x1/0x2
            """)
        #expect(found.title == "BUG: soft lockup in sys_rmdir")
        #expect(found.type == "HANG")
    }

    @Test("a report whose stack is all plumbing is corrupted and says why")
    func corrupted() throws {
        let found = try identity(
            """
            WARNING: CPU: 0 PID: 1 at kernel/foo.c:12 foo+0x1/0x2
            Call Trace:
             dump_stack+0x1/0x2
             panic+0x1/0x2
             __warn+0x1/0x2
            """)
        #expect(found.title == "WARNING in corrupted")
        #expect(found.isCorrupted && found.corruptionReason != nil)
    }

    @Test("the guilty file skips headers and common code and prefers a deeper directory")
    func guiltyFile() throws {
        let found = try identity(
            """
            BUG: KASAN: use-after-free in ip6_send_skb+0x2f5/0x330 net/ipv6/ip6_output.c:1748
            Read of size 8 at addr ffff88004fab1858 by task syz-executor0/30168
            Call Trace:
             __dump_stack lib/dump_stack.c:16 [inline]
             dump_stack+0x292/0x395 lib/dump_stack.c:52
             ip6_send_skb+0x2f5/0x330 net/ipv6/ip6_output.c:1748
             rawv6_sendmsg+0x2ede/0x4400 net/ipv6/raw.c:932
            """)
        #expect(found.guiltyFile == "net/ipv6/ip6_output.c")
    }

    @Test("the bucket is the same for the same crash on another build, and differs for another crash")
    func bucket() throws {
        func report(_ address: String, _ offset: String, _ function: String) -> String {
            """
            general protection fault: 0000 [#1] SMP
            RIP: 0010:[<\(address)>]  [<\(address)>] \(function)+\(offset)/0x290
            Call Trace:
             [<\(address)>] caller+0x1/0x2
             [<\(address)>] caller2+0x1/0x2
             [<\(address)>] caller3+0x1/0x2
            """
        }
        let first = try identity(report("ffffffff83408ca0", "0x190", "drm_newctx"))
        let second = try identity(report("ffffffff81000000", "0x1c4", "drm_newctx.isra.3"))
        let other = try identity(report("ffffffff81000000", "0x1c4", "drm_rmctx"))
        #expect(first.bucket == second.bucket && first.bucket.count == 16)
        #expect(first.bucket != other.bucket)
    }

    @Test("titles are normalised: executor names, addresses, numbers, lines, CPU ids")
    func normalisation() throws {
        let found = try identity(
            """
            Kernel panic - not syncing: Attempted to kill the idle task 0xffff88801234 on CPU#3 at fs/x.c:12 pid 4242
            """)
        #expect(found.title == "kernel panic: Attempted to kill the idle task ADDR on CPU at fs/x.c:LINE pid NUM")
    }

    @Test("memory reports get no identity")
    func memoryReports() throws {
        let (incidents, _) = try IncidentCollector.analyze(
            "bash invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0\n")
        #expect(incidents.first?.kind == .oom && incidents.first?.identity == nil)
    }
}
