// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// Rows of every shape the kernel prints, with the bytes read by hand from the text.
@Suite("Hexdump rows")
struct HexdumpParserTests {
    func bytes(_ text: String, littleEndian: Bool = true) throws -> [UInt8?] {
        try #require(HexdumpRowParser.parse(text, littleEndian: littleEndian)).bytes
    }

    @Test("check_slabp's offset row (seed 001)")
    func checkSlabpRow() throws {
        let row = try #require(HexdumpRowParser.parse("000: 00 50 90 df e0 2d 80 df 40 00 00 00 40 30 91 df"))
        #expect(row.form == .offset)
        #expect(row.offset == 0)
        #expect(row.bytes == [0x00, 0x50, 0x90, 0xdf, 0xe0, 0x2d, 0x80, 0xdf, 0x40, 0, 0, 0, 0x40, 0x30, 0x91, 0xdf])
        let second = try #require(HexdumpRowParser.parse("010: 05 00 00 00 ff fe ff ff 00 00 ad de 03 00 00 00"))
        #expect(second.offset == 0x10)
    }

    @Test("print_hex_dump with offsets, 4-byte groups and ASCII, little- and big-endian")
    func groupedRow() throws {
        let text = "00000010: deadbeef 00000001  ........"
        #expect(try bytes(text) == [0xef, 0xbe, 0xad, 0xde, 0x01, 0x00, 0x00, 0x00])
        #expect(try bytes(text, littleEndian: false) == [0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x01])
        #expect(HexdumpRowParser.parse(text)?.offset == 0x10)
        #expect(HexdumpRowParser.parse(text)?.groupSize == 4)
    }

    @Test("2- and 8-byte groups")
    func otherGroups() throws {
        #expect(try bytes("00000000: 3412 7856") == [0x12, 0x34, 0x56, 0x78])
        #expect(try bytes("00000000: 0807060504030201") == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test("an address prefix with an ASCII column that looks like hex")
    func addressRow() throws {
        let row = try #require(
            HexdumpRowParser.parse(
                "ffff88020f347c30: 39 b6 fb ff 00 00 00 00 5a 5a 5a 5a 5a 5a 5a 5a  9.......ZZZZZZZZ"))
        #expect(row.form == .address)
        #expect(row.address == 0xffff_8802_0f34_7c30)
        #expect(row.bytes.count == 16)
        #expect(row.bytes.last == 0x5a)
        // "1019.005" in the ASCII column must not be read as bytes.
        let object = try #require(
            HexdumpRowParser.parse("Object   (0xc90f6d20): 31 30 31 39 2e 30 30 35                         1019.005"))
        #expect(object.bytes == [0x31, 0x30, 0x31, 0x39, 0x2e, 0x30, 0x30, 0x35])
    }

    @Test("SLUB rows: real, hashed and parenthesised addresses, padded labels")
    func slubRows() throws {
        let hashed = try #require(
            HexdumpRowParser.parse(
                "Object 000000004b1f2a90: 01 00 00 00 02 00 00 00 00 e0 1f 3c 81 88 ff ff  ...........<...."))
        #expect(hashed.form == .labelled)
        #expect(hashed.label == "Object")
        #expect(hashed.address == 0x4b1f_2a90)
        #expect(hashed.bytes.count == 16)
        let padded = try #require(
            HexdumpRowParser.parse("Redzone  ffff888012345670: cc cc cc cc cc cc cc cc  ........"))
        #expect(padded.label == "Redzone")
        #expect(padded.bytes == Array(repeating: 0xcc, count: 8))
        let before = try #require(
            HexdumpRowParser.parse(
                "Bytes b4 (0xc90f6d10): 00 00 00 00 00 00 00 00 5a 5a 5a 5a 5a 5a 5a 5a ........ZZZZZZZZ"))
        #expect(before.label == "Bytes b4")
        #expect(before.address == 0xc90f_6d10)
        #expect(before.bytes.count == 16)
        // The report line naming the object is not a row.
        #expect(HexdumpRowParser.parse("INFO: Object 0x000000004b1f2a90 @offset=1152 fp=0x000000006d0e8c41") == nil)
    }

    @Test("KASAN shadow rows and their marker")
    func shadowRow() throws {
        let marked = try #require(
            HexdumpRowParser.parse(">ffff888104d6a580: fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb"))
        #expect(marked.isMarkedRow)
        #expect(marked.address == 0xffff_8881_04d6_a580)
        let plain = try #require(
            HexdumpRowParser.parse(" ffff888104d6a600: fc fc fc fc fc fc fc fc fc fc fc fc fc fc fc fc"))
        #expect(!plain.isMarkedRow)
        #expect(HexdumpRowParser.parse("                                              ^") == nil)
    }

    @Test("dump_page raw: words")
    func rawWords() throws {
        let row = try #require(
            HexdumpRowParser.parse("raw: 0017ffffc0000000 ffffea0004a3b008 ffffea0004a3b008 0000000000000000"))
        #expect(row.form == .raw)
        #expect(row.groupSize == 8)
        #expect(row.bytes.count == 32)
        #expect(Array(row.bytes.prefix(8)) == [0, 0, 0, 0xc0, 0xff, 0xff, 0x17, 0x00])
    }

    @Test("Code: bytes with the <xx> marker, and arm words with (xxxxxxxx)")
    func codeRows() throws {
        let x86 = try #require(HexdumpRowParser.parse("Code: 48 8b 47 18 48 8b <58> 08 48 85 db"))
        #expect(x86.form == .code)
        #expect(x86.markerIndex == 6)
        #expect(x86.bytes[6] == 0x58)
        let arm = try #require(HexdumpRowParser.parse("Code: e59f0010 e1a01003 eb0c1e5a e3a03000 (e5833000)"))
        #expect(arm.markerIndex == 16)
        #expect(Array(arm.bytes[16...]) == [0x00, 0x30, 0x83, 0xe5])
        #expect(HexdumpRowParser.parse("Code: Bad RIP value.") == nil)
    }

    @Test("garbled groups become unreadable bytes, named; non-rows give nil")
    func garbled() throws {
        let row = try #require(HexdumpRowParser.parse("010: 05 0 zz 00 ff"))
        #expect(row.bytes == [0x05, nil, nil, 0x00, 0xff])
        #expect(row.problems.count == 2)
        #expect(HexdumpRowParser.parse("kernel BUG at mm/slab.c:3067!") == nil)
        #expect(HexdumpRowParser.parse("CR2: 0000000000000010 CR3: 000000007c9c1000 CR4: 00000000000006f0") == nil)
        #expect(HexdumpRowParser.parse("") == nil)
        #expect(HexdumpRowParser.parse(String(repeating: "ff ", count: 3)) != nil)
    }
}

/// Rows put back together: order, gaps, wrapping and bounds.
@Suite("Hexdump assembly")
struct HexdumpAssemblerTests {
    func lines(_ texts: [String]) -> [(number: Int, text: String)] {
        texts.enumerated().map { (number: $0.offset + 1, text: $0.element) }
    }

    @Test("rows out of order are placed by offset and the disorder is named")
    func outOfOrder() throws {
        let dumps = HexdumpAssembler().dumps(
            in: lines([
                "010: 05 00 00 00 ff fe ff ff 00 00 ad de 03 00 00 00",
                "000: 00 50 90 df e0 2d 80 df 40 00 00 00 40 30 91 df",
            ]))
        let dump = try #require(dumps.first)
        #expect(dumps.count == 1)
        #expect(dump.bytes.count == 32)
        #expect(dump.bytes[0] == 0x00 && dump.bytes[1] == 0x50 && dump.bytes[0x10] == 0x05)
        #expect(dump.problems.contains { $0.contains("out of order") })
    }

    @Test("a missing row leaves a named gap")
    func missingRow() throws {
        let dump = try #require(
            HexdumpAssembler().dumps(
                in: lines([
                    "000: 00 50 90 df e0 2d 80 df 40 00 00 00 40 30 91 df",
                    "020: ff ff ff ff 00 00 00 00 ff fe ff ff ff ff ff ff",
                ])
            ).first)
        #expect(dump.bytes.count == 48)
        #expect(dump.missingCount == 16)
        #expect(dump.bytes[0x10] == nil && dump.bytes[0x20] == 0xff)
        #expect(dump.problems.contains("bytes 0x10-0x1f not printed (rows missing)"))
    }

    @Test("a wrapped row's tail joins it")
    func wrapped() throws {
        let dump = try #require(
            HexdumpAssembler().dumps(
                in: lines([
                    "000: 00 50 90 df e0 2d 80 df",
                    "     40 00 00 00 40 30 91 df",
                    "010: 05 00 00 00",
                ])
            ).first)
        #expect(dump.bytes.count == 20)
        #expect(dump.bytes[12] == 0x40 && dump.bytes[15] == 0xdf && dump.bytes[16] == 0x05)
        #expect(dump.missingCount == 0)
    }

    @Test("SLUB sections keep their labels; hashed addresses are detected")
    func sections() throws {
        let dump = try #require(
            HexdumpAssembler().dumps(
                in: lines([
                    "Redzone 000000007c21a9e5: cc cc cc cc cc cc cc cc                          ........",
                    "Object 000000004b1f2a90: 01 00 00 00 02 00 00 00 00 e0 1f 3c 81 88 ff ff  ...........<....",
                    "Object 0000000087c3d1e2: 00 10 00 00 00 00 00 00 40 a4 1e f3 01 88 ff ff  ........@.......",
                    "Redzone 00000000e4a1c7b3: 00 cc cc cc cc cc cc cc                          ........",
                    "Padding 000000003b8d5f20: 5a 5a 5a 5a 5a 5a 5a 5a                          ZZZZZZZZ",
                ])
            ).first)
        #expect(dump.addressesHashed)
        #expect(dump.sections.map(\.label) == ["Redzone", "Object", "Redzone", "Padding"])
        #expect(dump.sections.map(\.count) == [8, 32, 8, 8])
        #expect(dump.sections[2].start == 40)
    }

    @Test("a dump of 80,000 rows stays bounded and says so")
    func huge() throws {
        var texts: [String] = []
        texts.reserveCapacity(80_000)
        for index in 0..<80_000 {
            texts.append(
                HexText.bare(UInt64(index * 16), digits: 8) + ": 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b")
        }
        let dumps = HexdumpAssembler(maximumBytes: 1 << 20).dumps(in: lines(texts))
        let dump = try #require(dumps.first)
        #expect(dump.bytes.count <= 1 << 20)
        #expect(dump.problems.contains { $0.contains("not kept") })
    }

    @Test("odd digits, garbage and empty input never crash")
    func garbage() {
        let inputs = [
            ["000: 0", "010: zz zz", "020:", "0"],
            ["Object : ", "Redzone (0x): cc", "raw: ", "Code: <>"],
            ["ffffffffffffffff: ff", "0000000000000000: 00 11", ">: fb"],
            [String(repeating: "0", count: 70_000)],
        ]
        for input in inputs {
            for dump in HexdumpAssembler().dumps(in: lines(input)) {
                #expect(dump.bytes.count <= 1 << 20)
            }
        }
    }
}

/// Damaged dumps decode what they hold and name what they lack: odd digit counts, missing rows,
/// garbage, and a dump far too large to keep.
@Suite("Malformed hexdumps")
struct MalformedHexdumpTests {
    /// The seed's check_slabp rows (struct slab of task_struct, arm32).
    static let seed = [
        "000: 00 50 90 df e0 2d 80 df 40 00 00 00 40 30 91 df",
        "010: 05 00 00 00 ff fe ff ff 00 00 ad de 03 00 00 00",
        "020: ff ff ff ff 00 00 00 00 ff fe ff ff ff ff ff ff",
    ]

    func decode(_ rows: [String]) throws -> (Hexdump, DecodedStruct) {
        let lines = rows.enumerated().map { (number: $0.offset + 1, text: $0.element) }
        let dump = try #require(HexdumpAssembler().dumps(in: lines).first)
        let decoder = StructDecoder(wordSize: 4, classifier: AddressClassifier(architecture: .arm32))
        return (dump, decoder.decode(dump.bytes, as: .classicSlab, elements: 5))
    }

    @Test("an odd digit count loses that byte's field only, and the line and group are named")
    func oddDigits() throws {
        // inuse is bytes 0x10-0x13: "05 00 0 00" has a one-digit group at 0x12.
        let (dump, slab) = try decode([
            Self.seed[0], "010: 05 00 0 00 ff fe ff ff 00 00 ad de 03 00 00 00", Self.seed[2],
        ])
        #expect(dump.bytes.count == 48)
        #expect(dump.missingCount == 1)
        #expect(dump.problems == ["line 2: group '0' is an odd digit count"])
        #expect(slab.value("inuse") == nil)
        #expect(slab.missing.contains { $0.hasPrefix("inuse") })
        #expect(slab.value("free") == 0xffff_feff)
        #expect(slab.value("s_mem") == 0xdf91_3040)
    }

    @Test("a missing row leaves the fields it held undecoded, each named, and the rest decoded")
    func missingRow() throws {
        let (dump, slab) = try decode([Self.seed[0], Self.seed[2]])
        #expect(dump.problems == ["bytes 0x10-0x1f not printed (rows missing)"])
        for name in ["inuse", "free", "nodeid", "bufctl[0]"] {
            #expect(slab.value(name) == nil, "\(name)")
            #expect(slab.missing.contains { $0.hasPrefix(name) }, "\(name)")
        }
        #expect(slab.value("list.next") == 0xdf90_5000)
        // bufctl[1] is bytes 0x20-0x23 of the third row: "ff ff ff ff".
        #expect(slab.value("bufctl[1]") == 0xffff_ffff)
    }

    @Test("non-hex garbage in a row, and a foreign line between rows")
    func garbage() throws {
        let (dump, slab) = try decode([
            Self.seed[0], "usb 3-1: USB disconnect, address 15",
            "010: 05 00 00 00 ff fe zz ff 00 00 ad de 03 00 00 00", Self.seed[2],
        ])
        #expect(dump.bytes.count == 48)
        #expect(dump.problems == ["line 3: group 'zz' is not hex"])
        #expect(slab.value("inuse") == 5)
        #expect(slab.value("free") == nil)
        #expect(slab.missing.contains { $0.hasPrefix("free") })
    }

    @Test("a SLUB row missing from a dump with real addresses is a named gap in its section")
    func slubGap() throws {
        let lines = [
            "Object ffff88020f347c40: 30 c9 9b 0d 02 88 ff ff 01 00 00 00 00 00 5a 5a  0.............ZZ",
            "Object ffff88020f347c60: 00 00 00 00 00 00 00 00 00 00 00 00 5a 5a 5a 5a  ............ZZZZ",
            "Redzone ffff88020f347c70: bb bb bb bb bb bb bb bb                          ........",
        ].enumerated().map { (number: $0.offset + 1, text: $0.element) }
        let dump = try #require(HexdumpAssembler().dumps(in: lines).first)
        #expect(dump.sections.map(\.label) == ["Object", "Redzone"])
        #expect(dump.sections[0].count == 48)
        #expect(dump.missingCount == 16)
        #expect(dump.problems == ["Object: 16 bytes not printed before line 2"])
    }

    @Test("a dump longer than the assembler keeps is cut, flagged and says so")
    func assemblerCap() throws {
        let rows = (0..<100).map {
            "\(HexText.bare(UInt64($0 * 16), digits: 8)): " + String(repeating: "6b ", count: 16)
        }
        let lines = rows.enumerated().map { (number: $0.offset + 1, text: $0.element) }
        let dump = try #require(HexdumpAssembler(maximumBytes: 256).dumps(in: lines).first)
        #expect(dump.bytes.count == 256)
        #expect(dump.isCut)
        #expect(dump.problems.contains("dump spans more than 256 bytes; the rest was not kept"))
    }

    /// 64 MB here (the debug build reads about 10 MB/s); `make bench` runs the same dump at
    /// 1 GiB through the release build (bench/hostile_benchmark.py, `slub-dump`).
    @Test("a 64 MB SLUB dump: the report's cap bounds the decode, which names the rows it did not read")
    func hugeDump() throws {
        let header = """
            =============================================================================
            BUG kmalloc-64 (Not tainted): Poison overwritten
            -----------------------------------------------------------------------------

            INFO: 0xffff880214361930-0xffff880214361930. First byte 0x6a instead of 0x6b
            INFO: Object 0xffff880214361930 @offset=2352 fp=0xffff880214361dc8


            """
        let suffix = ": " + String(repeating: "6b ", count: 16) + " kkkkkkkkkkkkkkkk\n"
        let rowLength = "Object ".utf8.count + 16 + suffix.utf8.count
        let source = GeneratedRowsByteSource(
            before: header, prefix: "Object ", start: 0xffff_8802_1436_1930, step: 16, suffix: suffix,
            rows: (64 << 20) / rowLength, after: "")
        #expect(source.totalCount >= 64 << 20 - rowLength)
        let peakBefore = peakResidentBytes()
        let (incidents, summary) = try source.analyze(name: "64mb.log")
        let growth = peakResidentBytes() - peakBefore
        #expect(source.bytesHandedOut == source.totalCount)
        #expect(summary.incidentCount == 1)
        #expect(growth < 256 << 20, "peak memory grew by \(growth >> 20) MiB")
        try #require(incidents.count == 1)
        let incident = incidents[0]
        #expect(incident.kind == .slabCorruption)
        #expect(incident.isTruncated)
        // The report stops at its cap of 4000 lines: 7 header lines, then 3993 rows of 16 bytes.
        #expect(incident.evidence.lastLine == 4000)
        guard case .list(let dumps)? = incident.details["hexdumps"], case .object(let dump)? = dumps.first else {
            Issue.record("no hexdump decoded")
            return
        }
        #expect(dump["form"] == .string("slub"))
        #expect(dump["length"] == .integer(3993 * 16))
        #expect(dump["missing_bytes"] == .integer(0))
        #expect(dump["cut"] == .bool(true))
        guard case .list(let problems)? = dump["problems"] else {
            Issue.record("the cut is not named")
            return
        }
        #expect(
            problems.contains {
                $0
                    == .string(
                        "the report was cut after line 4000 (the report reached the cap of 4000 lines or 524288 bytes): "
                            + "the dump may go on, and its rows after that line were not decoded")
            })
    }
}
