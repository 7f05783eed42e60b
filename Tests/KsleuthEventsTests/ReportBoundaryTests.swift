// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthTestSupport
import Testing

/// Where a report begins and ends when the log is not clean: lines wrapped by a mail client,
/// a log that starts inside a report, a console that printed a report's body long after its
/// header, the wait for NMI backtraces, mips's CPU-first fault line.
@Suite("Report boundaries")
struct ReportBoundaryTests {
    @Test("prefix-less pieces of mail-wrapped lines stay in the report")
    func mailWrappedLines() throws {
        let log = """
            <1>[   19.442078] Unable to handle kernel NULL pointer dereference at
            virtual address 0000000000000014
            <0>[   19.558429] Internal error: Oops: 0000000096000004 [#1] PREEMPT SMP
            <4>[   19.568270] Modules linked in: mt7921e mt7921_common mt792x_lib
            mt76_connac_lib mt76 mac80211 btusb btintel cfg80211 btmtk snd_sof_ipc_msg_
            btrtl snd_sof_ipc_flood_test btbcm bluetooth snd_sof_mt8195 uvcvideo
            mtk_adsp_common snd_sof_xtensa_dsp uvc snd_sof_of snd_sof videobuf2_vmalloc
            ecdh_generic ecc snd_sof_utils cros_ec_lid_angle cros_ec_sensors crct10dif_
            <4>[   19.614237] CPU: 1 PID: 105 Comm: kworker/1:1 Not tainted
            6.6.0-rc6-next-20231017+ #324
            <4>[   19.789366] Call trace:
            <4>[   19.795381]  mt7921_regd_notifier+0x180/0x290 [mt7921_common]
            <4>[   19.804675]  wiphy_update_regulatory+0x2bc/0xa08 [cfg80211]
            <4>[   19.895634] ---[ end trace 0000000000000000 ]---

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        try #require(incidents.count == 1)
        #expect(incidents[0].kind == .oops)
        #expect(incidents[0].evidence.firstLine == 1 && incidents[0].evidence.lastLine == 14)
        #expect(incidents[0].callTrace?.frames.map(\.function) == ["mt7921_regd_notifier", "wiphy_update_regulatory"])
    }

    @Test("a short prefix-less line after a short one is not taken for a wrapped piece")
    func shortLinesAreNotWrapped() throws {
        let log = """
            [  100.000000] BUG: scheduling while atomic: a/1/0x00000002
            [  100.000001] Call Trace:
            Starting Network Manager...
            Started Login Service.
            Reached target Multi-User System.
            Started Getty on tty1.
            Started Serial Getty on ttyS0.
            [  100.000100]  dump_stack+0x1/0x2

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        try #require(incidents.count == 1)
        #expect(incidents[0].evidence.lastLine == 2)
    }

    @Test("a log that starts inside a report keeps its tail as a corrupted oops without a header")
    func logStartsInsideReport() throws {
        let log = """
            [2001021079.622495] EIP: delay_tsc+0x3b/0xe0
            [2001021079.622495] Code: fa 9c c9 01 83 15 24 fa 9c c9 00 ff 05 88 74 2c c8 83 05 28
            [2001021079.622495] EAX: b4f995b3 EBX: 00000000 ECX: 00000000 EDX: 00000059
            [2001021079.622495] CR0: 80050033 CR2: 83d789c6 CR3: 08bd2000 CR4: 00040690
            [2001021079.622495] Kernel panic - not syncing: Fatal exception
            [2001021080.000000] usb 1-1: new high-speed USB device number 3 using xhci_hcd

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        try #require(incidents.count == 1)
        let tail = incidents[0]
        #expect(tail.kind == .oops && tail.evidence.firstLine == 1 && tail.evidence.lastLine == 5)
        #expect(tail.title == "corrupted report (the log starts inside it)")
        #expect(tail.truncationReason == Incident.headerNotInLog)
        #expect(tail.callTrace?.faultingFrame?.function == "delay_tsc")
        #expect(tail.identity?.isCorrupted == true)
    }

    @Test("ordinary boot lines at the start of a log open nothing")
    func bootLinesAreNoReportTail() throws {
        let log = """
            [    0.000000] Linux version 6.1.0 (gcc 12) #1 SMP
            [    0.000000] Command line: BOOT_IMAGE=/vmlinuz root=/dev/sda1
            [    0.000100] x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        #expect(incidents.isEmpty)
    }

    @Test("a soft lockup whose body the console printed 28 s after its header is one report")
    func slowConsole() throws {
        let log = """
            [  482.381374] NMI watchdog: BUG: soft lockup - CPU#0 stuck for 23s! [swapper:1]
            [  510.271829] CPU: 0 PID: 1 Comm: swapper Not tainted 4.8.0-rc1 #131
            [  510.369402] RIP: 0010:[<ffffffff8132969a>]  [<ffffffff8132969a>] insert_augmented+0x34/0x8e
            [  510.810120] Call Trace:
            [  510.822824]  [<ffffffff82df1977>] rbtree_test_init+0x200/0x317

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        try #require(incidents.count == 1)
        #expect(incidents[0].kind == .softLockup && incidents[0].evidence.lastLine == 5)
        #expect(incidents[0].callTrace?.faultingFrame?.function == "insert_augmented")
    }

    @Test("the 10 s wait for NMI backtraces does not end a hard-lockup report")
    func backtraceWait() throws {
        let log = """
            <0>[  254.539424] Watchdog detected hard LOCKUP on cpu 2
            <4>[  254.544376] Modules linked in: veth xt_cgroup
            <6>[  254.617801] Sending NMI from CPU 1 to CPUs 2:
            <6>[  264.623276] Sending NMI from CPU 1 to CPUs 0,3-7:
            <4>[  264.628120] NMI backtrace for cpu 6
            <4>[  264.641642] Call trace:
            <4>[  264.743583]  cpuidle_enter_state+0xb4/0x314
            <4>[  264.747887]  cpuidle_enter+0x40/0x58
            <4>[  290.000000]  late_unrelated_frame+0x0/0x10

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        try #require(incidents.count == 1)
        #expect(incidents[0].kind == .hardLockup && incidents[0].evidence.lastLine == 8)
        #expect(incidents[0].callTrace?.frames.map(\.function) == ["cpuidle_enter_state", "cpuidle_enter"])
    }

    @Test("mips prints the CPU before the fault: CPU 2 Unable to handle kernel paging request")
    func mipsFaultLine() throws {
        let log = """
            [  493.688770] CPU 2 Unable to handle kernel paging request at virtual address 00000000, epc == 80109024, ra == 8ede88c0
            [  493.699366] Oops[#1]:
            [  493.705413] CPU: 2 PID: 0 Comm: swapper/2 Not tainted 5.4.179 #23

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        try #require(incidents.count == 1)
        #expect(incidents[0].kind == .oops && incidents[0].evidence.lastLine == 3)
    }

    @Test("a spurious interrupt keeps its handlers and the Disabling IRQ line")
    func spuriousInterruptTail() throws {
        let log = """
            [   13.708876] irq 16: nobody cared (try booting with the "irqpoll" option)
            [   13.708881] CPU: 7 PID: 0 Comm: swapper/7 Not tainted 5.9.0-rc1 #1
            [   13.708882] Call Trace:
            [   13.708892]  dump_stack+0x57/0x80
            [   13.708941] handlers:
            [   13.708945] [<0000000013155f90>] usb_hcd_irq
            [   13.708946] Disabling IRQ #16
            [   14.000000] usb 1-1: new high-speed USB device number 3 using xhci_hcd

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        try #require(incidents.count == 1)
        #expect(incidents[0].evidence.lastLine == 7 && !incidents[0].isTruncated)
        #expect(incidents[0].callTrace?.frames.map(\.function) == ["dump_stack"])
    }
}
