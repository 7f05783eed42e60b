// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// A crash is named from its whole printk context, not only from the lines that belong to its
/// evidence: other messages of the same console often split a call trace.
@Suite("Report context")
struct ReportContextTests {
    /// A 4.15 panic_on_warn WARNING whose call trace is split by six binder messages of the
    /// same console (the shape of syzkaller's test file 141).
    static let splitTrace = """
        [  114.858684] WARNING: CPU: 1 PID: 21961 at arch/x86/kvm/x86.c:7377 kvm_arch_vcpu_ioctl_run+0x1cf/0x5cb0
        [  114.868227] Kernel panic - not syncing: panic_on_warn set ...
        [  114.875599] CPU: 1 PID: 21961 Comm: syz-executor4 Not tainted 4.15.0-rc4-mm1+ #49
        [  114.892572] Call Trace:
        [  114.894625] binder: 21966:21967 unknown command 0
        [  114.894635] binder: 21966:21967 ioctl c0306201 2000a000 returned -22
        [  114.905144] binder: BINDER_SET_CONTEXT_MGR already set
        [  114.905155] binder: 21966:21967 ioctl 40046207 0 returned -16
        [  114.906089] binder_alloc: 21966: binder_alloc_buf, no vma
        [  114.906959] binder: 21966:21967 unknown command 0
        [  114.987217]  dump_stack+0x194/0x257
        [  114.999250]  panic+0x1e4/0x41c
        [  115.020042]  __warn+0x1dc/0x200
        [  115.028299]  report_bug+0x211/0x2d0
        [  115.031911]  fixup_bug.part.11+0x37/0x80
        [  115.035946]  do_error_trap+0x2d7/0x3e0
        [  115.052460]  do_invalid_op+0x1b/0x20
        [  115.056149]  invalid_op+0x22/0x40
        [  115.059576] RIP: 0010:kvm_arch_vcpu_ioctl_run+0x1cf/0x5cb0
        [  115.065167] RSP: 0018:ffff8801d0d4f6b0 EFLAGS: 00010216
        [  115.190534]  kvm_vcpu_ioctl+0x6f1/0xff0
        [  115.233495]  do_vfs_ioctl+0x1b1/0x1520

        """

    /// `index` as the six digits of a printk stamp's fraction.
    static func sixDigits(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    @Test("a call trace split by other messages of the console still names the crash")
    func splitCallTrace() throws {
        let (incidents, _) = try IncidentCollector.analyze(Self.splitTrace)
        let warning = try #require(incidents.first { $0.kind == .warning })
        // The evidence stops after the noise; the context goes on to the last line.
        #expect(warning.evidence.lastLine < 22)
        #expect(warning.contextLines.first?.hasPrefix("WARNING: CPU: 1 PID: 21961") == true)
        #expect(warning.contextLines.last == " do_vfs_ioctl+0x1b1/0x1520")
        #expect(warning.identity?.title == "WARNING in kvm_arch_vcpu_ioctl_run")
        #expect(warning.identity?.isCorrupted == false)
    }

    @Test("without caller ids, the next report ends the context")
    func nextReportEndsContext() throws {
        let log = """
            [   10.000000] BUG: unable to handle kernel NULL pointer dereference at 0000000000000008
            [   10.000100] IP: ext4_sync_fs+0x10/0x80
            [   10.000200] Call Trace:
            [   10.000300]  sync_filesystem+0x2a/0x40
            [   12.000000] WARNING: CPU: 0 PID: 7 at net/core/dev.c:42 dev_close+0x1/0x2
            [   12.000100]  dev_close+0x1/0x2

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        #expect(incidents.map(\.kind) == [.oops, .warning])
        #expect(incidents[0].contextLines.count == 4)
        #expect(incidents[0].contextLines.last == " sync_filesystem+0x2a/0x40")
        #expect(incidents[1].contextLines.count == 2)
    }

    @Test("a caller's context goes on through that caller's next report")
    func callerContextSpansReports() throws {
        // A stack overflow: the guard-page hit, then the double fault of the same CPU.
        let log = """
            [  733.821133][    C1] BUG: stack guard page was hit at ffffc900190cfff8 (stack is ffffc900190d0000..ffffc900190d7fff)
            [  733.821140][    C1] kernel stack overflow (double-fault): 0000 [#1] PREEMPT SMP KASAN
            [  733.821187][    C1] RIP: 0010:netdev_next_lower_dev_rcu+0x8/0xb0
            [  733.821341][    C1] Call Trace:
            [  733.821347][    C1]  bond_get_lowest_level_rcu+0x12d/0x2e0
            [  733.821352][   T88] e1000: eth0 NIC Link is Up
            [  733.826029][    C1]  rtnl_newlink+0x64/0xa0
            [  733.826035][    C1]  rtnetlink_rcv_msg+0x44e/0xb70

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        let guardPage = try #require(incidents.first)
        #expect(guardPage.header.text.hasPrefix("BUG: stack guard page was hit"))
        // Every C1 line, none of task 88's.
        #expect(guardPage.contextLines.count == 7)
        #expect(!guardPage.contextLines.contains { $0.contains("NIC Link") })
        #expect(guardPage.identity?.title == "BUG: stack guard page was hit in rtnl_newlink")
    }

    @Test("a context stops at its cap and its incident is still released, in order")
    func cappedContext() throws {
        var log = "[    1.000000] WARNING: CPU: 0 PID: 1 at fs/inode.c:10 iput+0x1/0x2\n"
        for index in 0..<3000 { log += "[    2.\(Self.sixDigits(index))] noise line \(index)\n" }
        log += "[    9.000000] WARNING: CPU: 0 PID: 1 at fs/dcache.c:20 d_delete+0x1/0x2\n"
        let (incidents, _) = try IncidentCollector.analyze(log)
        #expect(incidents.count == 2)
        #expect(incidents[0].contextLines.count == IncidentLimits.standard.maximumContextLines)
        #expect(incidents[1].header.text.contains("d_delete"))
    }

    @Test("a flood of crash headers keeps every header in its own incident, in order")
    func headerFlood() throws {
        var log = ""
        for index in 0..<5000 {
            log += "[   10.\(Self.sixDigits(index))][  T\(index % 97)] BUG: scheduling while atomic: a/\(index)\n"
        }
        let (incidents, _) = try IncidentCollector.analyze(log)
        #expect(incidents.count == 5000)
        #expect(incidents.allSatisfy { $0.contextLines.first?.hasPrefix("BUG: scheduling while atomic") == true })
        #expect(incidents.map(\.evidence.firstLine) == Array(1...5000))
    }

    @Test("check_slabp's hexdump before kernel BUG at mm/slab.c is part of the report")
    func slabHexdumpBeforeHeader() throws {
        let log = """
            [ 4711.204518] binder: 1187:1203 transaction failed 29189, size 0-0
            [ 4711.218301] slab: Internal list corruption detected in cache 'task_struct'(5), slabp df913000(5). Hexdump:
            [ 4711.218306]\u{20}
            [ 4711.218315] 000: 00 50 90 df e0 2d 80 df 40 00 00 00 40 30 91 df
            [ 4711.218322] 010: 05 00 00 00 ff fe ff ff 00 00 ad de 03 00 00 00
            [ 4711.218336] kernel BUG at mm/slab.c:3067!

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        let bug = try #require(incidents.first)
        #expect(bug.evidence.firstLine == 2)
        #expect(bug.headerIndex == 4)
        #expect(bug.header.text == "kernel BUG at mm/slab.c:3067!")
    }

    @Test("a WARN's message between cut here and WARNING: is part of the report")
    func warnMessageBeforeHeader() throws {
        let log = """
            [   50.000000] usb 1-1: new high-speed USB device number 3 using xhci_hcd
            [   50.100000] ------------[ cut here ]------------
            [   50.100001] refcount_t: underflow; use-after-free.
            [   50.100002] WARNING: CPU: 0 PID: 9 at lib/refcount.c:28 refcount_warn_saturate+0x13c/0x174

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        let warning = try #require(incidents.first)
        #expect(warning.lines.map(\.number) == [2, 3, 4])
        #expect(warning.headerIndex == 2)
        // A rule of '=' does not take the free text after it.
        let kasanEnd = """
            [   60.000000] ==================================================================
            [   60.000001] e1000: eth0 NIC Link is Up
            [   60.000002] WARNING: CPU: 0 PID: 9 at lib/refcount.c:28 refcount_warn_saturate+0x13c/0x174

            """
        let (others, _) = try IncidentCollector.analyze(kasanEnd)
        #expect(others.first?.evidence.firstLine == 3)
    }

    @Test("a dump_page block before cut here and kernel BUG is part of the report")
    func pageDumpBeforeHeader() throws {
        let log = """
            [  100.000000] page:ffffea0004d2c000 refcount:0 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x134b00
            [  100.000001] flags: 0x200000000000000(node=0|zone=2)
            [  100.000002] raw: 0200000000000000 dead000000000100 dead000000000122 0000000000000000
            [  100.000003] page dumped because: VM_BUG_ON_PAGE(page_ref_count(page) == 0)
            [  100.000004] ------------[ cut here ]------------
            [  100.000005] kernel BUG at include/linux/mm.h:1125!

            """
        let (incidents, _) = try IncidentCollector.analyze(log)
        let bug = try #require(incidents.first)
        #expect(bug.evidence.firstLine == 1)
        #expect(bug.headerIndex == 5)
    }
}
