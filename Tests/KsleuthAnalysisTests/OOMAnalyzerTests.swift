// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// OOM forensics against values read by hand from the logs.
@Suite("OOM analysis")
struct OOMAnalyzerTests {
    func details(_ log: String) throws -> Details {
        try #require(try IncidentCollector.analyze(log).incidents.first { $0.kind == .oom }).details
    }

    func object(_ value: DetailValue?) -> Details? {
        if case .object(let details)? = value { return details }
        return nil
    }

    @Test("GFP masks decode with their era's table")
    func gfpDecoding() {
        #expect(GFPMask(0x201da, layout: .linux310).names == ["GFP_HIGHUSER_MOVABLE", "__GFP_COLD"])
        #expect(GFPMask(0xd0, layout: .linux2632).names == ["GFP_KERNEL"])
        #expect(GFPMask(0xcc0, layout: .linux504).names == ["GFP_KERNEL"])
        #expect(GFPMask(0x6200ca, layout: .linux419).names == ["GFP_HIGHUSER_MOVABLE"])
        #expect(GFPMask(0x1100cca, layout: .linux515).names == ["GFP_HIGHUSER_MOVABLE"])
        #expect(GFPMask(0x27080c0, layout: .linux405).names == ["GFP_KERNEL_ACCOUNT", "__GFP_ZERO", "__GFP_NOTRACK"])
        #expect(GFPMask(0x820, layout: .linux606).isAtomic)
        #expect(GFPMask(0xcc0, layout: .linux606).canSleep)
        #expect(GFPLayout.forRelease("4.15.0-108-generic")?.name == "4.14")
        #expect(GFPLayout.forRelease("3.10.0-1160.el7.x86_64")?.name == "3.10.el7")
    }

    @Test("a 6.x global OOM dominated by unreclaimable slab names the cache")
    func slabLeak() throws {
        let log = try String(
            contentsOfFile: CorpusLocator.ownCorpora.appendingPathComponent(
                "oom/global-6x-unreclaimable-slab-kmalloc4k.log"
            ).path, encoding: .utf8)
        let facts = try details(log)
        #expect(facts["scope"] == .string("global"))
        let memory = try #require(object(facts["memory"]))
        #expect(memory["ram_kb"] == .integer(786_302 * 4))
        #expect(memory["slab_unreclaimable_kb"] == .integer(700_000 * 4))
        #expect(memory["free_kb"] == .integer(12_800 * 4))
        let verdict = try #require(object(facts["verdict"]))
        #expect(verdict["cause"] == .string("slab-leak"))
        guard case .string(let summary)? = verdict["summary"] else { Issue.record("no summary"); return }
        #expect(summary.contains("kmalloc-4k"))
    }

    @Test("a 2.6.32 global OOM with oom_adj, the RHEL 6 kill line and a score")
    func legacyGlobal() throws {
        let facts = try details(
            """
            [15180285.537297] mysqld invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0
            [15180285.537889] mysqld cpuset=/ mems_allowed=0
            [15180285.538222] Pid: 5120, comm: mysqld Not tainted 2.6.32-431.el6.x86_64 #1
            [15180285.538808] Call Trace:
            [15180285.539146]  [<ffffffff81131420>] ? dump_header+0x90/0x1b0
            [15180285.545251] Mem-Info:
            [15180285.559177] active_anon:900000 inactive_anon:100000 isolated_anon:0
            [15180285.559178]  active_file:100 inactive_file:200 isolated_file:0
            [15180285.559179]  unevictable:0 dirty:0 writeback:0 unstable:0
            [15180285.559180]  free:5000 slab_reclaimable:1000 slab_unreclaimable:2000
            [15180285.559181]  mapped:50 shmem:10 pagetables:3000 bounce:0
            [15180285.565800] Node 0 Normal free:20000kB min:22000kB low:27500kB high:33000kB active_anon:3600000kB inactive_anon:400000kB active_file:400kB inactive_file:800kB unevictable:0kB isolated(anon):0kB isolated(file):0kB present:4194304kB mlocked:0kB dirty:0kB writeback:0kB mapped:200kB shmem:40kB slab_reclaimable:4000kB slab_unreclaimable:8000kB kernel_stack:1024kB pagetables:12000kB unstable:0kB bounce:0kB writeback_tmp:0kB pages_scanned:1000 all_unreclaimable? yes
            [15180285.567780] lowmem_reserve[]: 0 0 0 0
            [15180285.571825] Node 0 Normal: 4000*4kB 0*8kB 1*16kB 0*32kB 0*64kB 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 1*4096kB = 20112kB
            [15180285.574707] Free swap  = 0kB
            [15180285.575041] Total swap = 2097148kB
            [15180285.656179] 1048576 pages RAM
            [15180285.656510] 20000 pages reserved
            [15180285.657506] [ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name
            [15180285.658120] [  788]     0   788     2671        1   7     -17         -1000 udevd
            [15180285.658710] [ 5120]    27  5120  1200000   990000   2       0             0 mysqld
            [15180286.179791] Out of memory: Kill process 5120 (mysqld) score 944 or sacrifice child
            [15180286.180369] Killed process 5120, UID 27, (mysqld) total-vm:4800000kB, anon-rss:3959996kB, file-rss:4kB

            """)
        #expect(facts["scope"] == .string("global"))
        #expect(facts["kernel_version"] == .string("2.6.32-431.el6.x86_64"))
        let trigger = try #require(object(facts["trigger"]))
        #expect(trigger["oom_adj"] == .integer(0))
        #expect(trigger["pid"] == .integer(5120))
        #expect(trigger["gfp_flags"] == .list([.string("GFP_HIGHUSER_MOVABLE"), .string("__GFP_COLD")]))
        let victim = try #require(object(facts["victim"]))
        #expect(victim["uid"] == .integer(27))
        #expect(victim["score"] == .integer(944))
        #expect(victim["anon_rss_kb"] == .integer(3_959_996))
        let tasks = try #require(object(facts["tasks"]))
        #expect(tasks["count"] == .integer(2))
        #expect(tasks["rss_sum_kb"] == .integer(990_001 * 4))
        let memory = try #require(object(facts["memory"]))
        #expect(memory["swap_free_kb"] == .integer(0))
        #expect(memory["ram_kb"] == .integer(4_194_304))
        guard case .list(let zones)? = facts["zones"], case .object(let normal)? = zones.first else {
            Issue.record("no zones")
            return
        }
        #expect(normal["below_min"] == .bool(true))
    }

    @Test("a sysrq-f OOM is manual")
    func sysrq() throws {
        let facts = try details(
            """
            [  930.118512] sysrq: Manual OOM execution
            [  930.118633] kworker/0:2 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=-1, oom_score_adj=0
            [  930.118650] CPU: 0 PID: 735 Comm: kworker/0:2 Not tainted 5.13.0-19-generic #19-Ubuntu
            [  930.118700] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/cron.service,task=cron,pid=651,uid=0
            [  930.118720] Out of memory: Killed process 651 (cron) total-vm:108020kB, anon-rss:8380kB, file-rss:12548kB, shmem-rss:0kB, UID:0 pgtables:104kB oom_score_adj:0

            """)
        #expect(facts["manual"] == .bool(true))
        #expect(facts["scope"] == .string("global"))
        #expect(object(facts["verdict"])?["cause"] == .string("manual"))
    }

    @Test("a cgroup v2 OOM gives the memcg paths and counters")
    func cgroupV2() throws {
        let facts = try details(
            """
            [532959.563289] python3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=985
            [532959.563405] CPU: 2 PID: 731842 Comm: python3 Not tainted 5.15.0-91-generic #101-Ubuntu
            [532959.573871] memory: usage 524288kB, limit 524288kB, failcnt 3117
            [532959.574001] swap: usage 1024kB, limit 2048kB, failcnt 0
            [532959.574295] Memory cgroup stats for /kubepods.slice/pod1.slice:
            [532959.574975] anon 535982080
                            file 1351680
            [532959.576328] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=pod1,mems_allowed=0,oom_memcg=/kubepods.slice/pod1.slice,task_memcg=/kubepods.slice/pod1.slice/cri-1.scope,task=python3,pid=731655,uid=1000
            [532959.576873] Memory cgroup out of memory: Killed process 731655 (python3) total-vm:1165768kB, anon-rss:523412kB, file-rss:1444kB, shmem-rss:0kB, UID:1000 pgtables:1396kB oom_score_adj:985

            """)
        #expect(facts["scope"] == .string("memcg"))
        let memcg = try #require(object(facts["memcg"]))
        #expect(memcg["oom_path"] == .string("/kubepods.slice/pod1.slice"))
        #expect(memcg["task_path"] == .string("/kubepods.slice/pod1.slice/cri-1.scope"))
        #expect(memcg["limit_kb"] == .integer(524_288))
        #expect(memcg["swap_usage_kb"] == .integer(1024))
        #expect(memcg["cgroup_version"] == .integer(2))
        #expect(object(memcg["memory"])?["anon_kb"] == .integer(535_982_080 / 1024))
        #expect(object(facts["verdict"])?["cause"] == .string("memcg-limit"))
    }

    @Test("a task table cut in the middle gives the rows read and says what is missing")
    func truncatedTable() throws {
        let facts = try details(
            """
            [ 4711.000001] java invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0
            [ 4711.000002] CPU: 1 PID: 900 Comm: java Not tainted 5.10.0-28-amd64 #1 Debian 5.10.209-2
            [ 4711.000003] Tasks state (memory values in pages):
            [ 4711.000004] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name
            [ 4711.000005] [    900]  1000   900  2000000   500000  4300800        0             0 java
            [ 4711.000006] [    901]  1000   901   300

            """)
        let tasks = try #require(object(facts["tasks"]))
        #expect(tasks["count"] == .integer(1))
        #expect(tasks["unreadable_rows"] == .integer(1))
        guard case .list(let missing)? = facts["missing"] else {
            Issue.record("no missing list")
            return
        }
        #expect(missing.contains(.string("kill line (Killed process)")))
        #expect(missing.contains(.string("task table rows (1 unreadable)")))
    }
}
