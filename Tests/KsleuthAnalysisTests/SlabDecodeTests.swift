// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents
import Testing

/// The seed's arm32 `struct slab` dump and the SLUB/KASAN reports, with every expected value
/// read by hand from `../shared/reference/slab-layouts.md`, the seed and the report text.
@Suite("Slab decoding")
struct SlabDecodeTests {
    static let seedRows = [
        "000: 00 50 90 df e0 2d 80 df 40 00 00 00 40 30 91 df",
        "010: 05 00 00 00 ff fe ff ff 00 00 ad de 03 00 00 00",
        "020: ff ff ff ff 00 00 00 00 ff fe ff ff ff ff ff ff",
    ]

    func decodeSeed(rows: [String] = seedRows, num: Int? = 5) throws -> (DecodedStruct, [SlabAnomaly]) {
        let lines = rows.enumerated().map { (number: $0.offset + 1, text: $0.element) }
        let dump = try #require(HexdumpAssembler().dumps(in: lines).first)
        let decoder = StructDecoder(wordSize: 4, classifier: AddressClassifier(architecture: .arm32))
        let decoded = decoder.decode(dump.bytes, as: .classicSlab, elements: num)
        return (decoded, ClassicSlabRules(objectsPerSlab: num, slabAddress: 0xdf91_3000).check(decoded))
    }

    @Test("the seed's struct slab decodes field by field (32-bit little-endian)")
    func seedFields() throws {
        let (slab, _) = try decodeSeed()
        #expect(slab.value("list.next") == 0xdf90_5000)
        #expect(slab.value("list.prev") == 0xdf80_2de0)
        #expect(slab.value("colouroff") == 0x40)
        #expect(slab.value("s_mem") == 0xdf91_3040)
        #expect(slab.value("inuse") == 5)
        #expect(slab.value("free") == 0xffff_feff)
        #expect(slab.value("nodeid") == 0)
        #expect(slab.value("padding") == 0xdead)
        #expect(slab["free"]?.offset == 0x14)
        #expect(slab["nodeid"]?.offset == 0x18)
        #expect(slab.value("bufctl[0]") == 3)
        #expect(slab.value("bufctl[1]") == 0xffff_ffff)
        #expect(slab.value("bufctl[2]") == 0)
        #expect(slab.value("bufctl[3]") == 0xffff_feff)
        #expect(slab.value("bufctl[4]") == 0xffff_ffff)
        #expect(slab["bufctl[0]"]?.offset == 0x1c)
        for name in ["list.next", "list.prev", "s_mem"] {
            #expect(slab[name]?.address?.region == .lowmem, "\(name)")
        }
    }

    @Test("free is flagged invalid and one bit (bit 8) from BUFCTL_END; the full slab explains the BUG_ON")
    func seedAnomalies() throws {
        let (_, anomalies) = try decodeSeed()
        let codes = anomalies.map { "\($0.code):\($0.field ?? "")" }
        #expect(codes.contains("bufctl-invalid:free"))
        #expect(codes.contains("bit-flip:free"))
        #expect(codes.contains("full-slab-on-partial-list:free"))
        #expect(codes.contains("corruption-propagated:free"))
        #expect(codes.contains("on-slab-layout:s_mem"))
        let flip = try #require(anomalies.first { $0.code == "bit-flip" && $0.field == "free" })
        #expect(flip.explanation.contains("BUFCTL_END"))
        #expect(flip.explanation.contains("bit 8 cleared"))
        #expect(!anomalies.contains { $0.code == "pointer-invalid" })
    }

    @Test("the 64-bit classic layout has the reference's offsets")
    func classicOffsets64() {
        let fields = Dictionary(
            uniqueKeysWithValues: SlabLayout.classicSlab.fields.map { ($0.name, $0.offset(wordSize: 8)) })
        #expect(fields["list.prev"] == 0x08)
        #expect(fields["colouroff"] == 0x10)
        #expect(fields["s_mem"] == 0x18)
        #expect(fields["inuse"] == 0x20)
        #expect(fields["free"] == 0x24)
        #expect(fields["nodeid"] == 0x28)
        #expect(SlabLayout.classicSlab.size(wordSize: 8) == 0x30)
        #expect(SlabLayout.classicSlab.size(wordSize: 4) == 0x1c)
    }

    @Test("a truncated dump decodes what it has and names what is missing")
    func truncated() throws {
        let (slab, _) = try decodeSeed(rows: ["000: 00 50 90 df e0 2d 80 df 40 00 00 00 40 30"], num: nil)
        #expect(slab.value("list.next") == 0xdf90_5000)
        #expect(slab.value("s_mem") == nil)
        #expect(slab.missing.contains { $0.hasPrefix("s_mem") })
        #expect(slab.missing.contains { $0.hasPrefix("inuse") })
    }

    @Test("a garbled byte leaves its field without a value, the others decoded")
    func garbled() throws {
        let (slab, _) = try decodeSeed(
            rows: ["000: 00 50 90 df e0 2d 80 df 40 00 00 00 40 30 91 df", "010: 05 00 00 00 ff f zz ff"], num: nil)
        #expect(slab.value("inuse") == 5)
        #expect(slab.value("free") == nil)
        #expect(slab.missing.contains { $0.hasPrefix("free") })
    }

    @Test("the analyzer decodes a check_slabp dump inside an incident's evidence")
    func analyzer() throws {
        let texts =
            ["slab: Internal list corruption detected in cache 'task_struct'(5), slabp df913000(5). Hexdump:", ""]
            + Self.seedRows + [
                "kernel BUG at mm/slab.c:3067!",
                "Unable to handle kernel NULL pointer dereference at virtual address 00000000",
                "[<c003c6ec>] (__dabt_svc+0x4c/0x60) from [<c00405a4>] (__bug+0x1c/0x28)",
                "[<c00405a4>] (__bug+0x1c/0x28) from [<c00c9d0c>] (cache_alloc_refill+0x3a0/0x654)",
            ]
        let lines = texts.enumerated().map {
            EvidenceLine(
                number: $0.offset + 1, byteOffset: 0, length: $0.element.utf8.count, text: $0.element,
                monotonicMicroseconds: nil)
        }
        var incident = Incident(
            kind: .bug, title: texts[5],
            evidence: EvidenceSpan(
                file: "-", firstLine: 1, lastLine: 9, firstByte: 0,
                lastByte: 0), monotonicMicroseconds: nil, wallClock: nil, host: nil, caller: nil, isTruncated: false,
            truncationReason: nil, lines: lines, headerIndex: 5)
        incident.details["source_file"] = .string("mm/slab.c")
        SlabForensicsAnalyzer().analyze(&incident)
        guard case .object(let slab)? = incident.details["slab"] else {
            Issue.record("no details.slab")
            return
        }
        #expect(slab["layout"] == .string("slab-classic"))
        #expect(slab["cache"] == .string("task_struct"))
        #expect(slab["objects_per_slab"] == .integer(5))
        guard case .object(let decoded)? = slab["decoded"], case .list(let fields)? = decoded["fields"],
            case .object(let free) = fields[5]
        else {
            Issue.record("no decoded fields")
            return
        }
        #expect(free["name"] == .string("free"))
        #expect(free["value"] == .string("0xfffffeff"))
        guard case .list(let addresses)? = incident.details["addresses"], case .object(let fault) = addresses[0] else {
            Issue.record("no addresses")
            return
        }
        #expect(fault["class"] == .string("null"))
        #expect(incident.details["address_layout"] == .string("arm32-3g1g"))
    }
}
