// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// Allocation-failure verdicts against the corpora, values read by hand from the logs.
@Suite("Allocation failure analysis")
struct AllocationFailureAnalyzerTests {
    func details(_ file: String, kind: IncidentKind = .pageAllocationFailure) throws -> Details {
        let log = try String(
            contentsOfFile: CorpusLocator.ownCorpora.appendingPathComponent(file).path, encoding: .utf8)
        return try #require(try IncidentCollector.analyze(log).incidents.first { $0.kind == kind }).details
    }

    func object(_ value: DetailValue?) -> Details? {
        if case .object(let details)? = value { return details }
        return nil
    }

    func cause(_ details: Details) -> DetailValue? { object(details["verdict"])?["cause"] }

    @Test("the seed: 0xd0 is GFP_KERNEL before 4.4, order 7 is 512 KiB, [vd] is the caller, fragmentation")
    func seed() throws {
        let facts = try details("page-alloc-failure/seed-md-order7-vd-fragmented-normal.log")
        let gfp = try #require(object(facts["gfp"]))
        #expect(gfp["names"] == .list([.string("GFP_KERNEL")]))
        #expect(gfp["era"] == .string("2.6.32"))
        // 2^7 pages · 4kB = 512kB
        #expect(facts["order_kb"] == .integer(512))
        let caller = try #require(object(facts["caller"]))
        #expect(caller["function"] == .string("async_read_data_from_md"))
        #expect(caller["module"] == .string("vd"))
        #expect(cause(facts) == .string("external-fragmentation"))
    }

    @Test("GFP_ATOMIC order 0 in softirq: free 1964kB under the atomic floor 2148kB of DMA32")
    func atomic() throws {
        let facts = try details("page-alloc-failure/atomic-order0-softirq-54-virtio-net.log")
        #expect(facts["context"] == .string("softirq"))
        // DMA 1728kB + DMA32 1964kB = 3692kB free; min 360kB + 5728kB = 6088kB
        #expect(cause(facts) == .string("atomic-cannot-reclaim"))
    }

    @Test("32-bit: lowmem 6268kB free, HighMem 5903236kB it may not use")
    func lowmem() throws {
        let facts = try details("page-alloc-failure/lowmem-exhaustion-32bit-32-pae-rsync.log")
        // Normal: 3356kB = 839 pages − 1 = 838 ≤ min 932 pages; DMA: 728 − 1 ≤ 16 + lowmem_reserve 865
        #expect(cause(facts) == .string("lowmem-exhaustion"))
    }

    @Test("vmalloc vm_struct failure blames the address space")
    func vmalloc() throws {
        let facts = try details("page-alloc-failure/vmalloc-space-61-arm32-fbring.log")
        #expect(cause(facts) == .string("vmalloc-space"))
    }

    @Test("the seed's sysrq-m: 752948kB free, nothing at order 7 or above")
    func seedDump() throws {
        let facts = try details("memory-dump/seed-sysrq-m-normal-752948kb-no-order7.log", kind: .memoryDump)
        #expect(cause(facts) == .string("external-fragmentation"))
        guard case .list(let zones)? = facts["zones"], let zone = object(zones.first) else {
            Issue.record("no zones")
            return
        }
        #expect(zone["fragmented_from_order"] == .integer(7))
        #expect(zone["largest_free_order"] == .integer(6))
    }
}
