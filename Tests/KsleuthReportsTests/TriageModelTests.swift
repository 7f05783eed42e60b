// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthReports
import Testing

@Suite("Triage model")
struct TriageModelTests {
    @Test("the fallback bucket ignores numbers, addresses and offsets, and is a fixed 16-digit hash")
    func fallbackBucket() {
        let one = TriageBucket.fallback(forTitle: "BUG: soft lockup - CPU#5 stuck for 13s! [bash:5910]")
        let two = TriageBucket.fallback(forTitle: "BUG: soft lockup - CPU#2 stuck for 22s!  [bash:77]")
        #expect(one == two)
        #expect(one.count == 16)
        #expect(one.allSatisfy { $0.isHexDigit })
        #expect(TriageBucket.fallback(forTitle: "") == "cbf29ce484222325")
        #expect(
            TriageBucket.normalized("BUG: unable to handle page fault for address: ffff888012345678")
                == "BUG: unable to handle page fault for address: X")
        #expect(TriageBucket.normalized("RIP: 0010:foo+0x1a/0x50 in ext4") == "RIP: N:foo+X/X in extN")
        #expect(
            TriageBucket.fallback(forTitle: "WARNING in foo") != TriageBucket.fallback(forTitle: "WARNING in bar"))
    }

    @Test("without an identity the header is the title, the type is empty and the bucket is the fallback")
    func fallbackIdentity() {
        let incident = TriageFixtures.incident(.oops, "BUG: kernel NULL pointer dereference, address: 0000000000000010")
        let triage = TriageIncident(incident, policy: TriagePolicy(), excerptLines: 3)
        #expect(triage.title == incident.title)
        #expect(triage.type == "")
        #expect(triage.bucket == TriageBucket.fallback(forTitle: incident.title))
        #expect(triage.identitySource == .fallback)
        #expect(triage.disposition == .failed)
        #expect(triage.ruleID == "oops")
        #expect(triage.excerpt.count == 3)
    }

    @Test("an identity gives the title, type, bucket, corruption and rule")
    func analyzerIdentity() {
        let incident = TriageFixtures.incident(
            .kasan, "BUG: KASAN: use-after-free in foo+0x1/0x2",
            identity: CrashIdentity(
                title: "KASAN: use-after-free Read in foo", alternativeTitles: ["KASAN: use-after-free in foo"],
                type: "KASAN-USE-AFTER-FREE-READ", isCorrupted: true, corruptionReason: "no stack", frame: "foo",
                bucket: "b0cce7"))
        let triage = TriageIncident(incident, policy: TriagePolicy(), excerptLines: 12)
        #expect(triage.title == "KASAN: use-after-free Read in foo")
        #expect(triage.bucket == "b0cce7")
        #expect(triage.isCorrupted)
        #expect(triage.ruleID == "kasan/KASAN-USE-AFTER-FREE-READ")
        #expect(triage.identitySource == .analyzer)
    }

    @Test("known entries match a bucket (any case) or a title after normalisation, alternative titles too")
    func knownCrashes() {
        let policy = TriagePolicy(
            knownEntries: [
                "B0CCE7", "BUG: soft lockup - CPU#0 stuck for 1s! [x:1]", "KASAN: slab-out-of-bounds in bar",
            ])
        #expect(policy.isKnown(bucket: "b0cce7", titles: ["anything"]))
        #expect(policy.isKnown(bucket: "", titles: ["BUG: soft lockup - CPU#7 stuck for 22s! [x:99]"]))
        #expect(policy.isKnown(bucket: "", titles: ["other", "KASAN: slab-out-of-bounds in bar"]))
        #expect(!policy.isKnown(bucket: "ffff", titles: ["KASAN: slab-out-of-bounds in baz"]))
        #expect(policy.disposition(kind: .oom, bucket: "b0cce7", titles: [], isWarning: false) == .notCrash)
        #expect(policy.disposition(kind: .oops, bucket: "b0cce7", titles: [], isWarning: false) == .known)
    }

    @Test("warnings fail by default and pass with --warnings pass; a known warning is known")
    func warnings() {
        let warning = TriageFixtures.incident(.warning, "WARNING: CPU: 1 PID: 2 at fs/x.c:3 foo+0x1/0x2")
        #expect(TriageIncident(warning, policy: TriagePolicy(), excerptLines: 1).disposition == .failed)
        let passing = TriagePolicy(warningsFail: false)
        #expect(TriageIncident(warning, policy: passing, excerptLines: 1).disposition == .passedWarning)
        let lockdep = TriageFixtures.incident(.lockdep, "WARNING: possible circular locking dependency detected")
        #expect(TriageIncident(lockdep, policy: passing, excerptLines: 1).disposition == .passedWarning)
        let oops = TriageFixtures.incident(.oops, "Oops: 0000 [#1] SMP")
        #expect(TriageIncident(oops, policy: passing, excerptLines: 1).disposition == .failed)
        let known = TriagePolicy(warningsFail: false, knownEntries: [warning.title])
        #expect(TriageIncident(warning, policy: known, excerptLines: 1).disposition == .known)
        let flagged = TriageFixtures.incident(
            .bug, "BUG: x", identity: CrashIdentity(title: "UBSAN: x", type: "UBSAN", bucket: "1", isWarning: true))
        #expect(TriageIncident(flagged, policy: passing, excerptLines: 1).disposition == .passedWarning)
    }

    @Test("a summary counts every incident but keeps only the first ones; the primary is the first crash")
    func boundedSummary() {
        var summary = TriageSummary(file: "big.log", maximumListed: 5)
        summary.add(
            TriageIncident(TriageFixtures.incident(.oom, "x invoked oom-killer"), policy: .init(), excerptLines: 2))
        for index in 0..<10_000 {
            summary.add(
                TriageIncident(TriageFixtures.incident(.oops, "Oops: \(index)"), policy: .init(), excerptLines: 2))
        }
        #expect(summary.incidents.count == 5)
        #expect(summary.omittedIncidents == 9_996)
        #expect(summary.incidentCount == 10_001)
        #expect(summary.crashCount == 10_000)
        #expect(summary.failedCount == 10_000)
        #expect(summary.primary?.title == "Oops: 0")
        #expect(summary.failed)
        var totals = TriageTotals()
        totals.add(summary)
        #expect(totals.exitStatus == 1)
    }

    @Test("excerpt lines are cut, so one huge line does not make a huge summary")
    func excerptCut() {
        let incident = TriageFixtures.incident(.oops, "Oops", extraLine: String(repeating: "A", count: 100_000))
        let triage = TriageIncident(incident, policy: TriagePolicy(), excerptLines: 12)
        #expect(triage.excerpt.allSatisfy { $0.text.count <= TriageIncident.maximumExcerptLineLength + 1 })
    }
}

/// Incidents built by hand, with or without a crash identity, for triage tests.
enum TriageFixtures {
    static func incident(
        _ kind: IncidentKind, _ title: String, file: String = "test.log", firstLine: Int = 10,
        identity: CrashIdentity? = nil, extraLine: String = "Call Trace:"
    ) -> Incident {
        let texts = ["------------[ cut here ]------------", title, "CPU: 1 PID: 2 Comm: x", extraLine, " foo+0x1/0x2"]
        var offset = 0
        let lines = texts.enumerated().map { index, text in
            defer { offset += text.utf8.count + 1 }
            return EvidenceLine(
                number: firstLine + index, byteOffset: offset, length: text.utf8.count, text: text,
                monotonicMicroseconds: nil)
        }
        return Incident(
            kind: kind, title: title,
            evidence: EvidenceSpan(
                file: file, firstLine: firstLine, lastLine: firstLine + texts.count - 1, firstByte: 0,
                lastByte: offset - 2),
            monotonicMicroseconds: nil, wallClock: nil, host: nil, caller: nil, isTruncated: false,
            truncationReason: nil, lines: lines, headerIndex: 1, identity: identity)
    }
}
