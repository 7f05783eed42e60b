// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthSignatures
import Testing

@Suite("Signature matching")
struct SignatureMatchingTests {
    static let ratioSignature = SignatureFixtures.signatureText(
        match: """
            all:
              - field: details.memory.slab_unreclaimable_kb
                gt: 50% of details.memory.ram_kb
              - lines: 'Unreclaimable slab info'
            """)

    static func memory(slab: Int64, ram: Int64) -> Details {
        var memory = Details()
        memory["ram_kb"] = .integer(ram)
        memory["slab_unreclaimable_kb"] = .integer(slab)
        var details = Details()
        details["memory"] = .object(memory)
        return details
    }

    @Test("a ratio over nested details holds above the threshold and not below it")
    func ratio() throws {
        let database = try SignatureFixtures.database(Self.ratioSignature)
        let lines = ["x invoked oom-killer: gfp_mask=0xcc0", "Unreclaimable slab info:"]
        let above = SignatureFixtures.incident(lines: lines, details: Self.memory(slab: 6_000, ram: 10_000))
        let below = SignatureFixtures.incident(lines: lines, details: Self.memory(slab: 4_000, ram: 10_000))
        let absent = SignatureFixtures.incident(lines: lines)
        let match = try #require(database.matches(for: above).first)
        #expect(match.evidence.map(\.field) == ["details.memory.slab_unreclaimable_kb", "lines"])
        #expect(match.evidence[0].value == "6000")
        #expect(match.evidence[1].line == 2)
        #expect(match.confidence == 0.9)
        #expect(database.matches(for: below).isEmpty)
        #expect(database.matches(for: absent).isEmpty)
    }

    @Test("kinds filter before any condition runs")
    func kinds() throws {
        let database = try SignatureFixtures.database(SignatureFixtures.signatureText(match: "lines: 'oom-killer'"))
        let crash = SignatureFixtures.incident(kind: .oops, lines: ["x invoked oom-killer:"])
        #expect(database.matches(for: crash).isEmpty)
    }

    @Test("identity fields are read when the crash identity is present")
    func identity() throws {
        let database = try SignatureFixtures.database(
            SignatureFixtures.signatureText(
                kinds: "[kasan]",
                match: """
                    all:
                      - field: identity.type
                        equals: KASAN-USE-AFTER-FREE-READ
                      - field: identity.title
                        pattern: ' in snd_usbmidi_'
                    """))
        let identity = CrashIdentity(
            title: "KASAN: slab-use-after-free Read in snd_usbmidi_do_output", type: "KASAN-USE-AFTER-FREE-READ",
            bucket: "b")
        let with = SignatureFixtures.incident(kind: .kasan, lines: ["BUG: KASAN: x"], identity: identity)
        let without = SignatureFixtures.incident(kind: .kasan, lines: ["BUG: KASAN: x"])
        #expect(database.matches(for: with).count == 1)
        #expect(database.matches(for: without).isEmpty)
    }

    @Test("not, any and exists combine as written")
    func combinators() throws {
        let database = try SignatureFixtures.database(
            SignatureFixtures.signatureText(
                match: """
                    all:
                      - any:
                          - field: details.order
                            ge: 4
                          - field: details.gfp_flags
                            in: [GFP_ATOMIC, GFP_NOWAIT]
                      - not:
                          field: details.victim_comm
                          exists: true
                    """))
        var high = Details()
        high["order"] = .integer(7)
        var atomic = Details()
        atomic["order"] = .integer(0)
        atomic["gfp_flags"] = .string("GFP_ATOMIC")
        var killed = high
        killed["victim_comm"] = .string("java")
        #expect(database.matches(for: SignatureFixtures.incident(lines: ["a"], details: high)).count == 1)
        #expect(database.matches(for: SignatureFixtures.incident(lines: ["a"], details: atomic)).count == 1)
        #expect(database.matches(for: SignatureFixtures.incident(lines: ["a"], details: killed)).isEmpty)
    }

    @Test("a pattern that backtracks without end is stopped by the match limit and never hangs")
    func hostilePattern() throws {
        let database = try SignatureFixtures.database(
            SignatureFixtures.signatureText(match: "lines: '^(?:a|aa)+$'\nhint: aaaa"))
        let line = String(repeating: "a", count: 4000) + "b"
        let incident = SignatureFixtures.incident(lines: Array(repeating: line, count: 200))
        let started = ContinuousClock.now
        let evaluation = database.evaluate(incident)
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(evaluation.matches.isEmpty)
        #expect(evaluation.limitFailures.count == 1)
    }

    @Test("lines without the pattern's literal are skipped by the prefilter")
    func prefilter() throws {
        let database = try SignatureFixtures.database(
            SignatureFixtures.signatureText(
                match: "lines: 'possible memory allocation deadlock size (\\d+)'\nge: 65536"))
        let hit = SignatureFixtures.incident(lines: [
            "XFS: java(1) possible memory allocation deadlock size 65552 in kmem_alloc"
        ])
        let small = SignatureFixtures.incident(lines: [
            "XFS: java(1) possible memory allocation deadlock size 512 in kmem_alloc"
        ])
        #expect(database.matches(for: hit).first?.evidence.first?.value?.hasSuffix("65552") == true)
        #expect(database.matches(for: small).isEmpty)
    }
}
