// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

@Suite("FactExtractor")
struct FactExtractorTests {
    func details(_ log: String) throws -> Details {
        try #require(try IncidentCollector.analyze(log).incidents.first).details
    }

    @Test("an OOM report gives its trigger, mask, order and victim")
    func oomFacts() throws {
        let facts = try details(
            """
            [1310061.327439] CPU 0/KVM invoked oom-killer: gfp_mask=0x15000c0(GFP_KERNEL_ACCOUNT), nodemask=(null), order=0, oom_score_adj=0
            [1310061.327447] CPU: 44 PID: 24430 Comm: CPU 0/KVM Not tainted 4.15.0-108-generic #109-Ubuntu
            [1310061.327448] Hardware name: Supermicro Super Server/X10DRL-i, BIOS 3.2 11/19/2019
            [1310061.327500] Out of memory: Kill process 24430 (qemu-system-x86) score 512 or sacrifice child
            [1310061.327600] Killed process 24430 (qemu-system-x86) total-vm:67303916kB, anon-rss:65968928kB, file-rss:3032kB, shmem-rss:4kB

            """)
        #expect(facts["trigger_comm"] == .string("CPU 0/KVM"))
        #expect(facts["gfp_mask"] == .string("0x15000c0"))
        #expect(facts["gfp_flags"] == .string("GFP_KERNEL_ACCOUNT"))
        #expect(facts["order"] == .integer(0))
        #expect(facts["oom_score_adj"] == .integer(0))
        #expect(facts["cpu"] == .integer(44))
        #expect(facts["pid"] == .integer(24430))
        #expect(facts["comm"] == .string("CPU 0/KVM"))
        #expect(facts["kernel_release"] == .string("4.15.0-108-generic"))
        #expect(facts["hardware"] == .string("Supermicro Super Server/X10DRL-i, BIOS 3.2 11/19/2019"))
        #expect(facts["victim_pid"] == .integer(24430))
        #expect(facts["victim_comm"] == .string("qemu-system-x86"))
        #expect(facts["victim_total_vm_kb"] == .integer(67_303_916))
        #expect(facts["victim_anon_rss_kb"] == .integer(65_968_928))
        #expect(facts["victim_file_rss_kb"] == .integer(3032))
        #expect(facts["victim_shmem_rss_kb"] == .integer(4))
    }

    @Test("a 2.6-era OOM header with oomkilladj and a bare kill line")
    func oldOOMFacts() throws {
        let facts = try details(
            """
            [ 6786.529832] amarok invoked oom-killer: gfp_mask=0x1201d2, order=0, oomkilladj=0
            [ 6786.529840] Pid: 7093, comm: amarok Not tainted 2.6.28-11-generic #42-Ubuntu
            [ 6786.530010] Killed process 7093 (amarok)

            """)
        #expect(facts["gfp_mask"] == .string("0x1201d2"))
        #expect(facts["gfp_flags"] == nil)
        #expect(facts["oom_score_adj"] == .integer(0))
        #expect(facts["pid"] == .integer(7093))
        #expect(facts["comm"] == .string("amarok"))
        #expect(facts["kernel_release"] == .string("2.6.28-11-generic"))
        #expect(facts["victim_pid"] == .integer(7093))
        #expect(facts["victim_anon_rss_kb"] == nil)
    }

    @Test(
        "a page allocation failure gives its task, order and mask, old and new forms",
        arguments: [
            ("[ 1.0] md 265289728 sc: page allocation failure. order:7, mode:0xd0", "md 265289728 sc", 7, "0xd0", nil),
            (
                "[ 1.0] kworker/u8:2: page allocation failure: order:4, mode:0x40cc0(GFP_KERNEL|__GFP_COMP), nodemask=(null),cpuset=/,mems_allowed=0",
                "kworker/u8:2", 4, "0x40cc0", "GFP_KERNEL|__GFP_COMP"
            ),
        ] as [(String, String, Int64, String, String?)])
    func allocationFailure(line: String, comm: String, order: Int64, mask: String, flags: String?) throws {
        let facts = try details(line + "\n")
        #expect(facts["task_comm"] == .string(comm))
        #expect(facts["order"] == .integer(order))
        #expect(facts["gfp_mask"] == .string(mask))
        #expect(facts["gfp_flags"] == flags.map(DetailValue.string))
    }

    @Test("a hung task names the task, its pid and how long it was blocked")
    func hungTask() throws {
        let facts = try details("[261108.341940] INFO: task kworker/u113:10:666 blocked for more than 120 seconds.\n")
        #expect(facts["task_comm"] == .string("kworker/u113:10"))
        #expect(facts["task_pid"] == .integer(666))
        #expect(facts["blocked_seconds"] == .integer(120))
    }

    @Test("a WARNING gives the file, line and function; the taint letters are kept")
    func warning() throws {
        let facts = try details(
            """
            [    1.146063] WARNING: CPU: 0 PID: 1 at kernel/smp.c:912 smp_call_function_many_cond+0x3c4/0x3c8
            [    1.147156] CPU: 0 PID: 1 Comm: init Tainted: G        W          6.0.0-rc3-next-20220901 #1

            """)
        #expect(facts["source_file"] == .string("kernel/smp.c"))
        #expect(facts["source_line"] == .integer(912))
        #expect(facts["function"] == .string("smp_call_function_many_cond"))
        #expect(facts["taint"] == .string("G        W"))
        #expect(facts["kernel_release"] == .string("6.0.0-rc3-next-20220901"))
    }

    @Test("a panic on its own gives its reason")
    func panicReason() throws {
        let facts = try details(
            "[    2.000000] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n")
        #expect(facts["panic_reason"] == .string("VFS: Unable to mount root fs on unknown-block(0,0)"))
    }
    @Test("an oops lists its modules with their flags, wrapped lines and the last unloaded one")
    func modules() throws {
        let facts = try details(
            """
            [  120.000000] BUG: unable to handle kernel NULL pointer dereference at 0000000000000010
            [  120.000001] Oops: 0000 [#1] SMP
            [  120.000002] Modules linked in: vd(PO) nf_conntrack ipt_MASQUERADE(E) xfs(+)
            [  120.000003]  loop dm_mod [last unloaded: floppy]
            [  120.000004] CPU: 3 PID: 912 Comm: md Tainted: GF          O--------------   2.6.32-358.el6.x86_64 #1

            """)
        guard case .list(let modules)? = facts["modules"] else {
            Issue.record("no module list")
            return
        }
        let names = modules.compactMap { module -> String? in
            guard case .object(let entry) = module, case .string(let name)? = entry["name"] else { return nil }
            return name
        }
        #expect(names == ["vd", "nf_conntrack", "ipt_MASQUERADE", "xfs", "loop", "dm_mod"])
        if case .object(let first)? = modules.first { #expect(first["flags"] == .string("PO")) }
        #expect(facts["last_unloaded_module"] == .string("floppy"))
        // RHEL 6 pads the taint letters to their positions and ends them with dashes.
        #expect(facts["taint"] == .string("GF          O"))
        #expect(facts["kernel_release"] == .string("2.6.32-358.el6.x86_64"))
    }
}
