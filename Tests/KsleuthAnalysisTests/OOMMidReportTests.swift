// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// OOM reports whose start is missing are still OOM incidents, one per kill.
///
/// An excerpt may begin after the header, and printk's rate limit may drop an OOM's header;
/// the incident says what it lacks. The logs follow mm/oom_kill.c's and mm/memcontrol.c's
/// printers.
@Suite("OOM reports that begin after their header")
struct OOMMidReportTests {
    func oomIncidents(_ text: String) throws -> [Incident] {
        try IncidentCollector.analyze(text).incidents.filter { $0.kind == .oom }
    }

    func object(_ value: DetailValue?) -> Details {
        if case .object(let details)? = value { return details }
        return Details()
    }

    func missing(_ incident: Incident) -> [DetailValue] {
        if case .list(let parts)? = incident.details["missing"] { return parts }
        return []
    }

    @Test("a 3.10 memcg excerpt that begins at its cgroup stats keeps the task table it holds")
    func excerptFromMemcgStats() throws {
        let text = """
            [Thu Dec  7 00:05:14 2017] Memory cgroup stats for /kubepods/podb1c2/4f0e: cache:32KB rss:1048544KB rss_huge:0KB mapped_file:0KB swap:0KB inactive_anon:0KB active_anon:1048544KB inactive_file:12KB active_file:4KB unevictable:0KB
            [Thu Dec  7 00:05:15 2017] [ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name
            [Thu Dec  7 00:05:15 2017] [31337]     0 31337  2531954   262000     900        0          -998 java
            [Thu Dec  7 00:05:15 2017] Memory cgroup out of memory: Kill process 31337 (java) score 0 or sacrifice child
            [Thu Dec  7 00:05:15 2017] Killed process 31337 (java) total-vm:10127816kB, anon-rss:1034240kB, file-rss:13760kB

            """
        let ooms = try oomIncidents(text)
        try #require(ooms.count == 1)
        let incident = ooms[0]
        #expect(incident.evidence.firstLine == 1)
        #expect(incident.evidence.lastLine == 5)
        #expect(incident.details["scope"] == .string("memcg"))
        let victim = object(incident.details["victim"])
        // "Killed process 31337 (java)"; its row "[31337] … 262000 …": rss 262000 pages of 4 kB.
        #expect(victim["pid"] == .integer(31337))
        #expect(victim["comm"] == .string("java"))
        #expect(victim["rss_kb"] == .integer(262_000 * 4))
        #expect(object(incident.details["verdict"])["cause"] == .string("memcg-limit"))
        #expect(missing(incident).contains(.string("trigger line (invoked oom-killer)")))
        #expect(!missing(incident).contains(.string("task table")))
    }

    @Test("a 5.14 memcg excerpt that begins inside the call trace is an OOM from its Call Trace: line")
    func excerptFromCallTrace() throws {
        let text = """
            Nov 23 15:36:25 vm1 kernel: Hardware name: innotek GmbH VirtualBox/VirtualBox, BIOS VirtualBox 12/01/2006
            Nov 23 15:36:25 vm1 kernel: Call Trace:
            Nov 23 15:36:25 vm1 kernel: <TASK>
            Nov 23 15:36:25 vm1 kernel: dump_stack_lvl+0x34/0x48
            Nov 23 15:36:25 vm1 kernel: dump_header+0x4a/0x201
            Nov 23 15:36:25 vm1 kernel: out_of_memory.cold+0xa/0x7e
            Nov 23 15:36:25 vm1 kernel: mem_cgroup_out_of_memory+0x13a/0x150
            Nov 23 15:36:25 vm1 kernel: try_charge_memcg+0x6df/0x7a0
            Nov 23 15:36:25 vm1 kernel: </TASK>
            Nov 23 15:36:25 vm1 kernel: memory: usage 262144kB, limit 262144kB, failcnt 58
            Nov 23 15:36:25 vm1 kernel: Memory cgroup out of memory: Killed process 2406 (stress) total-vm:270548kB, anon-rss:260812kB, file-rss:1024kB, shmem-rss:0kB, UID:0 pgtables:556kB oom_score_adj:0

            """
        let ooms = try oomIncidents(text)
        try #require(ooms.count == 1)
        let incident = ooms[0]
        // The report's tail begins at "Call Trace:" (line 2, the first line only a report
        // prints); the OOM killer's frame "dump_header+0x4a/0x201" tells what report it is.
        #expect(incident.evidence.firstLine == 2)
        #expect(incident.evidence.lastLine == 11)
        #expect(incident.truncationReason == Incident.headerNotInLog)
        #expect(incident.details["scope"] == .string("memcg"))
        let victim = object(incident.details["victim"])
        #expect(victim["pid"] == .integer(2406))
        #expect(victim["anon_rss_kb"] == .integer(260_812))
        let memcg = object(incident.details["memcg"])
        #expect(memcg["limit_kb"] == .integer(262_144))
        #expect(object(incident.details["verdict"])["cause"] == .string("memcg-limit"))
        #expect(missing(incident).contains(.string("trigger line (invoked oom-killer)")))
    }

    @Test("an excerpt cut inside the call trace is an OOM without a victim, and says so")
    func excerptCutInCallTrace() throws {
        let text = """
            [  812.000100]  dump_header+0x4a/0x201
            [  812.000101]  out_of_memory.cold+0xa/0x7e
            [  812.000102]  mem_cgroup_out_of_memory+0x13a/0x150

            """
        let ooms = try oomIncidents(text)
        try #require(ooms.count == 1)
        #expect(ooms[0].isTruncated)
        #expect(ooms[0].details["scope"] == .string("memcg"))
        #expect(object(ooms[0].details["victim"])["pid"] == nil)
        #expect(missing(ooms[0]).contains(.string("kill line (Killed process)")))
        #expect(object(ooms[0].details["verdict"])["summary"] != nil)
    }

    @Test("a 2.6.32 stack of unreliable frames opens at '? dump_header'")
    func excerptFromUnreliableFrame() throws {
        let text = """
            [15180285.539146]  [<ffffffff81131420>] ? dump_header+0x90/0x1b0
            [15180285.540070]  [<ffffffff811318a2>] ? oom_kill_process+0x82/0x2a0
            [15180285.540835]  [<ffffffff81131ce0>] ? out_of_memory+0x220/0x3c0
            [15180285.541176]  [<ffffffff8113e6bc>] ? __alloc_pages_nodemask+0x93c/0x950
            [15180285.700000] Out of memory: Kill process 23212 (php-fpm) score 38 or sacrifice child
            [15180285.700100] Killed process 23212, UID 48, (php-fpm) total-vm:712820kB, anon-rss:301784kB, file-rss:1720kB

            """
        let ooms = try oomIncidents(text)
        try #require(ooms.count == 1)
        #expect(ooms[0].evidence.firstLine == 1)
        #expect(ooms[0].evidence.lastLine == 6)
        #expect(object(ooms[0].details["victim"])["pid"] == .integer(23212))
        #expect(ooms[0].details["scope"] == .string("global"))
    }

    @Test("kill lines whose headers printk's rate limit dropped are one OOM each, with their reaper")
    func rateLimitedHeaders() throws {
        let text = """
            [ 9001.100000] Memory cgroup out of memory: Killed process 5101 (php-fpm) total-vm:412000kB, anon-rss:198000kB, file-rss:1200kB, shmem-rss:0kB, UID:33 pgtables:600kB oom_score_adj:0
            [ 9001.110000] oom_reaper: reaped process 5101 (php-fpm), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB
            [ 9001.300000] Memory cgroup out of memory: Killed process 5102 (php-fpm) total-vm:412000kB, anon-rss:197500kB, file-rss:1200kB, shmem-rss:0kB, UID:33 pgtables:600kB oom_score_adj:0
            [ 9001.310000] oom_reaper: reaped process 5102 (php-fpm), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB
            [ 9001.500000] Memory cgroup out of memory: Killed process 5103 (php-fpm) total-vm:412000kB, anon-rss:199100kB, file-rss:1200kB, shmem-rss:0kB, UID:33 pgtables:600kB oom_score_adj:0

            """
        let ooms = try oomIncidents(text)
        #expect(ooms.map { object($0.details["victim"])["pid"] } == [.integer(5101), .integer(5102), .integer(5103)])
        #expect(ooms.map(\.evidence.firstLine) == [1, 3, 5])
        #expect(object(ooms[0].details["reaper"])["pid"] == .integer(5101))
        #expect(object(ooms[1].details["reaper"])["pid"] == .integer(5102))
        #expect(ooms.allSatisfy { $0.details["scope"] == .string("memcg") })
    }

    @Test("a hung task blocked inside the OOM killer stays one hung-task report")
    func hungTaskThroughOOMKiller() throws {
        let text = """
            [ 1452.000000] INFO: task java:4121 blocked for more than 120 seconds.
            [ 1452.000010]       Not tainted 5.15.0-91-generic #101-Ubuntu
            [ 1452.000020] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
            [ 1452.000030] task:java            state:D stack:    0 pid: 4121 ppid:     1 flags:0x00000000
            [ 1452.000040] Call Trace:
            [ 1452.000050]  <TASK>
            [ 1452.000060]  __schedule+0x2cd/0x890
            [ 1452.000070]  schedule+0x69/0x110
            [ 1452.000080]  oom_kill_process+0x10c/0x140
            [ 1452.000090]  out_of_memory+0x106/0x2e0
            [ 1452.000100]  </TASK>

            """
        let incidents = try IncidentCollector.analyze(text).incidents
        #expect(incidents.map(\.kind) == [.hungTask])
        #expect(incidents.first?.evidence.lastLine == 11)
    }
}
