// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

@Suite("IncidentRecognizer")
struct IncidentRecognizerTests {
    /// An x86_64 NULL dereference that panics, as 5.x prints it.
    static let nullDereference = """
        [  101.000001] e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex
        [  101.200000] BUG: kernel NULL pointer dereference, address: 0000000000000010
        [  101.200010] #PF: supervisor read access in kernel mode
        [  101.200012] #PF: error_code(0x0000) - not-present page
        [  101.200014] PGD 0 P4D 0
        [  101.200017] Oops: 0000 [#1] SMP PTI
        [  101.200020] CPU: 3 PID: 4242 Comm: modprobe Tainted: G           O      5.15.0-91-generic #101-Ubuntu
        [  101.200023] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.15.0-1 04/01/2014
        [  101.200025] RIP: 0010:demo_probe+0x1d/0x60 [demo]
        [  101.200030] Code: 48 89 e5 53 48 8b 47 10 <48> 8b 58 10 48 85 db 74 1a
        [  101.200031] RSP: 0018:ffffb2c0c05efc48 EFLAGS: 00010246
        [  101.200033] RAX: 0000000000000000 RBX: ffff8f2a43a1c000 RCX: 0000000000000000
        [  101.200040] Call Trace:
        [  101.200041]  <TASK>
        [  101.200043]  do_one_initcall+0x46/0x1d0
        [  101.200046]  do_init_module+0x52/0x260
        [  101.200049]  __do_sys_finit_module+0xc2/0x120
        [  101.200052]  do_syscall_64+0x59/0xc0
        [  101.200055]  entry_SYSCALL_64_after_hwframe+0x62/0xcc
        [  101.200058]  </TASK>
        [  101.200060] Modules linked in: demo(O+) e1000e
        [  101.200062] CR2: 0000000000000010
        [  101.200064] ---[ end trace 3d2f1c3a9e8b7a65 ]---
        [  101.200100] Kernel panic - not syncing: Fatal exception
        [  101.200200] Kernel Offset: 0x2a000000 from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)
        [  101.200300] ---[ end Kernel panic - not syncing: Fatal exception ]---
        [  130.000000] usb 1-1: new high-speed USB device number 3 using xhci_hcd

        """

    @Test("an oops, its die line and the panic it causes are one incident")
    func oopsWithPanicIsOneIncident() throws {
        let (incidents, _) = try IncidentCollector.analyze(Self.nullDereference)
        try #require(incidents.count == 1)
        let oops = incidents[0]
        #expect(oops.kind == .oops)
        #expect(oops.title == "BUG: kernel NULL pointer dereference, address: 0000000000000010")
        #expect(oops.evidence.firstLine == 2)
        #expect(oops.evidence.lastLine == 26)
        #expect(oops.monotonicMicroseconds == 101_200_000)
        #expect(!oops.isTruncated)
        #expect(oops.lines.count == 25)
    }

    @Test("the byte span covers exactly the report's lines")
    func byteSpan() throws {
        let (incidents, _) = try IncidentCollector.analyze(Self.nullDereference)
        let oops = try #require(incidents.first)
        let bytes = Array(Self.nullDereference.utf8)
        let first = String(decoding: bytes[oops.evidence.firstByte..<(oops.evidence.firstByte + 15)], as: UTF8.self)
        #expect(first == "[  101.200000] ")
        let lastLine = "[  101.200300] ---[ end Kernel panic - not syncing: Fatal exception ]---"
        let end = oops.evidence.lastByte + 1
        #expect(String(decoding: bytes[(end - lastLine.utf8.count)..<end], as: UTF8.self) == lastLine)
    }

    @Test("a WARNING includes the cut-here line before it")
    func warningWithCutHere() throws {
        let log = """
            [   12.000000] random: crng init done
            [   12.100000] ------------[ cut here ]------------
            [   12.100001] WARNING: CPU: 1 PID: 77 at drivers/gpu/drm/drm_vblank.c:728 drm_crtc_vblank_helper_get_vblank_timestamp_internal+0x2c1/0x2f0
            [   12.100004] Modules linked in: i915 drm_kms_helper
            [   12.100006] CPU: 1 PID: 77 Comm: kworker/1:2 Not tainted 6.1.0-18-amd64 #1  Debian 6.1.76-1
            [   12.100010] Call Trace:
            [   12.100011]  <TASK>
            [   12.100012]  ? __warn+0x7d/0xc0
            [   12.100015]  </TASK>
            [   12.100016] ---[ end trace 0000000000000000 ]---
            [   13.000000] EXT4-fs (sda1): re-mounted. Quota mode: none.

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        try #require(incidents.count == 1)
        #expect(incidents[0].kind == .warning)
        #expect(incidents[0].evidence.firstLine == 2)
        #expect(incidents[0].evidence.lastLine == 10)
        #expect(incidents[0].headerIndex == 1)
        #expect(incidents[0].title.hasPrefix("WARNING: CPU: 1 PID: 77 at drivers/gpu/drm/drm_vblank.c:728"))
    }

    @Test("two hung tasks in a row are two incidents")
    func consecutiveHungTasks() throws {
        let log = """
            [ 1920.259590] INFO: task controller:1428 blocked for more than 120 seconds.
            [ 1920.260681]       Not tainted 4.4.0-142-generic #168-Ubuntu
            [ 1920.261199] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
            [ 1920.261737] controller      D ffff8800b8593af8     0  1428   1333 0x10000000
            [ 1920.261750] Call Trace:
            [ 1920.261760]  [<ffffffff8183f0d5>] schedule+0x35/0x80
            [ 1920.262000] INFO: task jbd2/sda1-8:311 blocked for more than 120 seconds.
            [ 1920.262010]       Not tainted 4.4.0-142-generic #168-Ubuntu
            [ 1920.262020] Call Trace:
            [ 1920.262030]  [<ffffffff8183f0d5>] schedule+0x35/0x80

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        #expect(incidents.map(\.kind) == [.hungTask, .hungTask])
        #expect(incidents.map(\.evidence.firstLine) == [1, 7])
        #expect(incidents.map(\.evidence.lastLine) == [6, 10])
    }

    @Test("reports of two printk callers are assembled apart")
    func interleavedCallers() throws {
        let log = """
            [  500.000000][ T4012] BUG: unable to handle page fault for address: ffffeb0400000008
            [  500.000010][    C3] e1000e: eth0 NIC Link is Down
            [  500.000020][ T4012] #PF: supervisor read access in kernel mode
            [  500.000030][    C3] e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex
            [  500.000040][ T4012] Oops: 0000 [#1] PREEMPT SMP
            [  500.000050][    C3] IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready
            [  500.000060][ T4012] CPU: 0 PID: 4012 Comm: syz-executor Not tainted 6.6.0 #1
            [  500.000070][    C3] audit: type=1400 audit(1700000000.000:42): apparmor="STATUS"
            [  500.000080][ T4012] RIP: 0010:page_to_nid+0x8/0x20
            [  500.000090][ T4012] ---[ end trace 0000000000000000 ]---

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        try #require(incidents.count == 1)
        #expect(incidents[0].kind == .oops)
        #expect(incidents[0].caller == "T4012")
        #expect(incidents[0].lines.map(\.number) == [1, 3, 5, 7, 9, 10])
        #expect(incidents[0].evidence.lastLine == 10)
    }

    @Test("lines a naive keyword search flags are no crash or memory incidents")
    func decoys() throws {
        let log = """
            [ 1000.000000] nginx[2211]: segfault at 7f3a2c000010 ip 00007f3a2d1b2c3d sp 00007ffd1c2b3a40 error 4 in libc.so.6[7f3a2d100000+195000] likely on CPU 2 (core 2, socket 0)
            [ 1000.100000] traps: java[3131] general protection fault ip:7f1e2d3c4b5a sp:7f1e1c2b3a48 error:0 in libjvm.so[7f1e2c000000+1200000]
            [ 1000.200000] TCP: out of memory -- consider tuning tcp_mem
            [ 1000.300000] Kernel command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=UUID=0b5e ro quiet panic=10 softlockup_panic=1 oops=panic
            [ 1000.400000] NMI watchdog: Enabled. Permanently consumes one hw-PMU counter.
            [ 1000.500000] mce: [Hardware Error]: Machine check events logged
            [ 1000.600000] systemd[1]: Started earlyoom.service - Early OOM Daemon.
            [ 1000.700000] EXT4-fs (dm-0): Delayed block allocation failed for inode 4242 at logical offset 0 with max blocks 2 with error 28

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        // TCP's line is a notice of its own (ReportStartRule.kernelNotices), not a report.
        #expect(incidents.map(\.kind) == [.notice], "\(incidents.map(IncidentFingerprint.init))")
        #expect(incidents.first?.evidence.firstLine == 3)
    }

    @Test("a report cut off by the end of the input is marked truncated")
    func truncatedAtEndOfInput() throws {
        let lines = Self.nullDereference.split(separator: "\n", omittingEmptySubsequences: false)
        let cut = lines.prefix(12).joined(separator: "\n") + "\n"
        let (incidents, _) = try IncidentCollector.analyze(cut)
        try #require(incidents.count == 1)
        #expect(incidents[0].isTruncated)
        #expect(incidents[0].truncationReason == "the input ends inside the report")
        #expect(incidents[0].evidence.lastLine == 12)
    }

    @Test("a report longer than the cap is closed as truncated")
    func cappedReport() throws {
        var log = "[    5.000000] BUG: soft lockup - CPU#2 stuck for 23s! [kworker/2:1:99]\n"
        for index in 0..<100 { log += "[    5.000001]  ? frame_\(index)+0x1/0x10\n" }
        var configuration = AnalysisConfiguration()
        configuration.limits.maximumLines = 20
        let (incidents, _) = try IncidentCollector.analyze(Array(log.utf8), configuration: configuration)
        try #require(incidents.count == 1)
        #expect(incidents[0].kind == .softLockup)
        #expect(incidents[0].isTruncated)
        #expect(incidents[0].lines.count == 20)
    }

    @Test("list corruption followed by its kernel BUG is one incident")
    func listCorruptionAndBug() throws {
        let log = """
            [  77.000000] list_del corruption. prev->next should be ffff9c4a8a3b1e08, but was dead000000000100. (prev=ffff9c4a8a3b1e00)
            [  77.000010] ------------[ cut here ]------------
            [  77.000011] kernel BUG at lib/list_debug.c:53!
            [  77.000020] invalid opcode: 0000 [#1] PREEMPT SMP NOPTI
            [  77.000030] CPU: 5 PID: 812 Comm: kworker/5:0 Not tainted 6.1.0 #1
            [  77.000040] RIP: 0010:__list_del_entry_valid.cold+0x37/0x4a
            [  77.000050] ---[ end trace 0000000000000000 ]---

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        try #require(incidents.count == 1)
        #expect(incidents[0].kind == .listCorruption)
        #expect(incidents[0].evidence.lastLine == 7)
    }

    @Test("a pause in the stamps ends a report")
    func pauseEndsReport() throws {
        let log = """
            [  200.000000] INFO: task sh:4940 blocked for more than 30 seconds.
            [  200.000010]       Tainted: G     U             6.1.73 #1
            [  260.000000]  ? late_unrelated_indented_line+0x0/0x10

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        try #require(incidents.count == 1)
        #expect(incidents[0].evidence.lastLine == 2)
    }

    @Test("an OOM kill line joins the report begun by the OOM header")
    func oomFollowUps() throws {
        let log = """
            [ 6786.529832] amarok invoked oom-killer: gfp_mask=0x1201d2, order=0, oomkilladj=0
            [ 6786.529840] Pid: 7093, comm: amarok Not tainted 2.6.28-11-generic #42-Ubuntu
            [ 6786.529850] Call Trace:
            [ 6786.529860]  [<c0181b3e>] oom_kill_process+0x5e/0x1f0
            [ 6786.529900] Mem-Info:
            [ 6786.529910] DMA per-cpu:
            [ 6786.529920] Active_anon:200000 active_file:100 inactive_anon:1000
            [ 6786.530000] Out of memory: kill process 7093 (amarok) score 812345 or a child
            [ 6786.530010] Killed process 7093 (amarok)

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        try #require(incidents.count == 1)
        #expect(incidents[0].kind == .oom)
        #expect(incidents[0].evidence.lastLine == 9)
        #expect(!incidents[0].isTruncated)
    }

    @Test("garbled bytes around a report do not hide it", arguments: [UInt64(1), 2, 3, 4, 5])
    func garbledSurroundings(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        var bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes += [0x0a] + Array(Self.nullDereference.utf8)
        bytes += (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let (incidents, _) = try IncidentCollector.analyze(bytes)
        #expect(incidents.contains { $0.kind == .oops && $0.title.hasPrefix("BUG: kernel NULL pointer dereference") })
    }
}
