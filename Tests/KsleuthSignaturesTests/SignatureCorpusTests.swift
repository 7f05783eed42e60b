// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthSignatures
import KsleuthTestSupport
import Testing

@Suite("Signatures over the real-world corpora", .enabled(if: CorpusLocator.hasSharedCorpora))
struct SignatureCorpusTests {
    /// Files whose MANIFEST.tsv notes name a failure mode the database covers, with the
    /// signature the notes call for (read from the notes, not from the matcher's output).
    static let expected: [String: String] = [
        "bad-page/lkp-dmesg-bad-rss-counter-01.log": "bad-rss-counter-state",
        "bad-page/lkp-dmesg-40.log": "mm-assertion-failure",
        "bad-page/stable-612-loongarch-bad-page-state-indented.log": "bad-page-state",
        "kasan-kfence/chromeos-test-kfence.log": "kfence-memory-error",
        "kasan-kfence/lkp-dmesg-kasan-01.log": "kasan-out-of-bounds",
        "kasan-kfence/lkp-dmesg-kasan-02.log": "kasan-out-of-bounds",
        "kasan-kfence/lkp-dmesg-kasan-07.log": "kasan-use-after-free",
        "kasan-kfence/lkp-dmesg-kcsan-02.log": "kcsan-data-race",
        "kasan-kfence/clusterfuzz-android-kernel-kasan-510.log": "kasan-use-after-free",
        "lockup-hung-rcu/chromeos-test-x86-64-provoke-kernel-hardlockup.log": "hard-lockup",
        "lockup-hung-rcu/hotsos-hungtasks.log": "hung-task-fuse",
        "lockup-hung-rcu/lkp-dmesg-07.log": "workqueue-lockup",
        "lockup-hung-rcu/loongson-18-loongarch-rcu-preempt-stall.log": "rcu-stall-kthread-starved",
        "lockup-hung-rcu/satyr-gitlog-03.log": "suspicious-rcu-usage",
        "lockup-hung-rcu/tetragon-328-rcu-sched-stall-tabs.log": "rcu-stall-kthread-starved",
        "mixed-full-dmesg/squad-kernelpanic.log": "attempted-to-kill-idle-task",
        "mixed-full-dmesg/squad-multiple-issues-dmesg.log": "stack-protector-corruption",
        "mixed-full-dmesg/squad-rcu-warning.log": "suspicious-rcu-usage",
        "oom-global/hotsos-oom-killer.log": "sysrq-manual-oom",
        "oom-memcg/kubedirector-356-memcg-v1-terminal-wrapped.log": "memcg-limit-kubernetes-pod",
        "oom-memcg/systemd-40208-memcg-oom-journal-kernel-prefix.log": "oom-no-killable-processes",
        "oops-x86/lkp-dmesg-70.log": "divide-error",
        "oops-x86/lkp-kmsg-06.log": "irq-nobody-cared",
        "oops-x86/moooofly-rb-next-null-el7.log": "null-pointer-dereference",
        "oops-x86/npd-divide-zero.log": "divide-error",
        "oops-x86/satyr-rhbz-1518943.log": "null-pointer-dereference",
        "oops-x86/moooofly-netdev-watchdog-el7.log": "netdev-watchdog-tx-timeout",
        "oops-x86/satyr-rhbz-836206.log": "sleeping-in-atomic-context",
        "page-alloc-failure/lkml-269-x86_64-pagealloc-order1-syslog.log": "atomic-allocation-failure-rx",
        "page-alloc-failure/satyr-rhbz-827868.log": "allocation-order-too-large",
        "panic/abrt-kernel-panic-oom.log": "panic-on-oom",
        "panic/lkp-dmesg-34.log": "vfs-unable-to-mount-root",
        "panic/logspec-linux-boot-002.log": "vfs-unable-to-mount-root",
        "panic/logspec-linux-boot-008.log": "attempted-to-kill-init",
        "panic/moooofly-ghes-fatal-panic-loglevel-prefix.log": "ghes-fatal-hardware-error",
        "slab-bug/lkml-2620rc1-slab-redzone-cache-free-debugcheck.log": "slab-debug-redzone-overwritten",
        "slub-debug/kernel-doc-slub-right-redzone-example.log": "slub-redzone-overwritten",
        "slub-debug/lkml-32rc2-slub-redzone-anon-vma-kmalloc64.log": "slub-redzone-overwritten",
        "slub-debug/satyr-gitlog-19.log": "slub-poison-overwritten",
        "slub-debug/satyr-gitlog-29.log": "slub-objects-remaining-on-destroy",
    ]

    /// Healthy logs on which no signature may fire.
    static let clean = [
        "mixed-full-dmesg/hotsos-k8s-kern-log-clean.log", "mixed-full-dmesg/hotsos-k8s-sos-dmesg-clean.log",
        "mixed-full-dmesg/abrt-not-oops1.log",
    ]

    static var realRoot: URL? { CorpusLocator.sharedRoot?.appendingPathComponent("corpora/real") }

    /// The ids of the signatures matched by some incident of `file`.
    static func matchedIDs(_ file: URL) -> Set<String> {
        let collector = IncidentCollector()
        LogAnalyzer().analyze(path: file.path, into: collector)
        return Set(collector.incidents.flatMap { SignatureFixtures.database.matches(for: $0).map(\.id) })
    }

    @Test("every log whose notes name a covered failure mode is matched by that signature; figures printed")
    func coverage() throws {
        let root = try #require(Self.realRoot)
        let files = CorpusLocator.files(under: root)
        var bySignature: [String: [String]] = [:]
        var matchedFiles = 0
        var hits = 0
        for file in files {
            let relative = String(file.path.dropFirst(root.path.count + 1))
            let ids = Self.matchedIDs(file)
            if !ids.isEmpty { matchedFiles += 1 }
            for id in ids { bySignature[id, default: []].append(relative) }
            if let expected = Self.expected[relative] {
                if ids.contains(expected) {
                    hits += 1
                } else {
                    Issue.record("\(relative): expected \(expected), matched \(ids.sorted())")
                }
            }
        }
        print("signature corpus: \(files.count) logs, \(matchedFiles) matched by at least one signature")
        print("signature corpus: \(hits)/\(Self.expected.count) logs matched by the signature their notes name")
        for (id, matched) in bySignature.sorted(by: { $0.key < $1.key }) {
            print("signature corpus: \(id): \(matched.count) — \(matched.joined(separator: ", "))")
        }
        let unused = SignatureFixtures.database.signatures.map(\.id).filter { bySignature[$0] == nil }
        print("signature corpus: \(unused.count) signatures match no corpus log: \(unused.joined(separator: ", "))")
    }

    @Test("matching every incident against every signature costs little next to the analysis; figures printed")
    func cost() throws {
        let root = try #require(Self.realRoot)
        let files = CorpusLocator.files(under: root)
        let database = SignatureFixtures.database
        let clock = ContinuousClock()
        var analysis = Duration.zero
        var matching = Duration.zero
        var incidents = 0
        for file in files {
            let collector = IncidentCollector()
            analysis += clock.measure { LogAnalyzer().analyze(path: file.path, into: collector) }
            incidents += collector.incidents.count
            matching += clock.measure {
                for incident in collector.incidents { _ = database.matches(for: incident) }
            }
        }
        print(
            "signature corpus: analysis \(analysis), matching \(incidents) incidents against "
                + "\(database.signatures.count) signatures \(matching)")
        #expect(matching < analysis)
    }

    @Test("no signature fires on a clean boot log", arguments: clean)
    func cleanLogs(file: String) throws {
        let root = try #require(Self.realRoot)
        let url = root.appendingPathComponent(file)
        try #require(FileManager.default.fileExists(atPath: url.path))
        #expect(Self.matchedIDs(url).isEmpty)
    }
}
