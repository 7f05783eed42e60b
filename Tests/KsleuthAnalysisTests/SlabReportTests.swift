// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import Testing

/// SLUB debug and KASAN reports: the corrupted bytes and the access, checked against the
/// values the reports print (read by hand).
@Suite("Slab reports")
struct SlabReportTests {
    func assess(_ text: String) throws -> SLUBCorruption {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let report = try #require(SLUBReportParser.parse(lines))
        let numbered = lines.enumerated().map { (number: $0.offset + 1, text: $0.element) }
        let dump = HexdumpAssembler().dumps(in: numbered).first { $0.form == .labelled }
        return try #require(SLUBCorruptionAssessor.assess(report, dump: dump))
    }

    @Test("kernel doc's Right Redzone example: 4 bytes past an 8-byte object (INFO 0xc90f6d28-0xc90f6d2b)")
    func rightRedzone() throws {
        let corruption = try assess(
            """
            BUG kmalloc-8: Right Redzone overwritten
            INFO: 0xc90f6d28-0xc90f6d2b. First byte 0x00 instead of 0xcc
            INFO: Slab 0xc528c530 flags=0x400000c3 inuse=61 fp=0xc90f6d58
            INFO: Object 0xc90f6d20 @offset=3360 fp=0xc90f6d58
            INFO: Allocated in get_modalias+0x61/0xf5 age=53 cpu=1 pid=554
            Bytes b4 (0xc90f6d10): 00 00 00 00 00 00 00 00 5a 5a 5a 5a 5a 5a 5a 5a ........ZZZZZZZZ
            Object   (0xc90f6d20): 31 30 31 39 2e 30 30 35                         1019.005
            Redzone  (0xc90f6d28): 00 cc cc cc                                     .
            Padding  (0xc90f6d50): 5a 5a 5a 5a 5a 5a 5a 5a                         ZZZZZZZZ
            """)
        #expect(corruption.firstOffset == 8)
        #expect(corruption.lastOffset == 11)
        #expect(corruption.objectSize == 8)
        #expect(corruption.found == 0x00)
        #expect(corruption.expected == 0xcc)
        #expect(corruption.assessment == "overflow")
    }

    @Test("hashed 4.19 report: the redzone byte right after a 128-byte object, found by scanning the dump")
    func hashedRedzone() throws {
        let objectRows = (0..<8).map { index in
            "Object 00000000\(HexText.bare(UInt64(0x1000_0000 + index * 977), digits: 8)): "
                + String(repeating: "00 ", count: 15) + "00  ................"
        }
        let corruption = try assess(
            """
            BUG kmalloc-128 (Tainted: G    B      O     ): Redzone overwritten
            INFO: 0x00000000e4a1c7b3-0x00000000e4a1c7b3. First byte 0x0 instead of 0xcc
            INFO: Object 0x000000004b1f2a90 @offset=1152 fp=0x000000006d0e8c41
            Redzone 000000007c21a9e5: cc cc cc cc cc cc cc cc                          ........
            """ + "\n" + objectRows.joined(separator: "\n") + "\n"
                + """
                Redzone 00000000e4a1c7b3: 00 cc cc cc cc cc cc cc                          ........
                Padding 000000003b8d5f20: 5a 5a 5a 5a 5a 5a 5a 5a                          ZZZZZZZZ
                """)
        #expect(corruption.firstOffset == 128)
        #expect(corruption.lastOffset == 128)
        #expect(corruption.objectSize == 128)
        #expect(corruption.assessment == "overflow")
        #expect(corruption.pattern == "zeros")
    }

    @Test("3.2 anon_vma report: 0xbb red zone where 0xcc was expected is a state mismatch")
    func redzoneState() throws {
        let corruption = try assess(
            """
            BUG anon_vma: Redzone overwritten
            INFO: 0xffff88020f347c80-0xffff88020f347c87. First byte 0xbb instead of 0xcc
            INFO: Object 0xffff88020f347c40 @offset=3136 fp=0xffff88020f347ab8
            Object ffff88020f347c40: 30 c9 9b 0d 02 88 ff ff 01 00 00 00 00 00 5a 5a  0.............ZZ
            Object ffff88020f347c50: 50 7c 34 0f 02 88 ff ff 50 7c 34 0f 02 88 ff ff  P|4.....P|4.....
            Object ffff88020f347c60: 00 00 00 00 00 00 00 00 00 00 00 00 5a 5a 5a 5a  ............ZZZZ
            Object ffff88020f347c70: 70 7c 34 0f 02 88 ff ff 70 7c 34 0f 02 88 ff ff  p|4.....p|4.....
            Redzone ffff88020f347c80: bb bb bb bb bb bb bb bb                          ........
            """)
        #expect(corruption.firstOffset == 64)
        #expect(corruption.lastOffset == 71)
        #expect(corruption.pattern == "redzone-state")
        #expect(corruption.assessment == "state-mismatch")
    }

    @Test("numa_policy Poison overwritten: offset 0 of the freed object, 0x6a instead of 0x6b")
    func poison() throws {
        let corruption = try assess(
            """
            BUG numa_policy (Not tainted): Poison overwritten
            INFO: 0xffff880146498250-0xffff880146498250. First byte 0x6a instead of 0x6b
            INFO: Freed in __mpol_put+0x27/0x30 age=46268 cpu=6 pid=32154
            INFO: Object 0xffff880146498250 @offset=592 fp=0xffff88014649b9d0
            """)
        #expect(corruption.firstOffset == 0)
        #expect(corruption.lastOffset == 0)
        #expect(corruption.pattern == "decrement")
        #expect(corruption.assessment == "use-after-free-write")
    }

    static let kasan = """
        BUG: KASAN: slab-use-after-free in snd_usbmidi_out_urb_complete+0x1e4/0x210
        Read of size 8 at addr ffff888104d6a5c8 by task kworker/0:2/1187
        The buggy address belongs to the object at ffff888104d6a400
         which belongs to the cache kmalloc-512 of size 512
        The buggy address is located 456 bytes inside of
         freed 512-byte region [ffff888104d6a400, ffff888104d6a600)
        Memory state around the buggy address:
         ffff888104d6a480: fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb
         ffff888104d6a500: fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb
        >ffff888104d6a580: fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb
                                                      ^
         ffff888104d6a600: fc fc fc fc fc fc fc fc fc fc fc fc fc fc fc fc
         ffff888104d6a680: fc fc fc fc fc fc fc fc fc fc fc fc fc fc fc fc
        """

    @Test("KASAN: access, size, cache, offset and the shadow byte under the marker")
    func kasanReport() throws {
        let lines = Self.kasan.split(separator: "\n").map(String.init)
        let report = try #require(KASANReportParser.parse(lines, version: KernelVersion(6, 6)))
        #expect(report.bugType == "slab-use-after-free")
        #expect(report.access == "read")
        #expect(report.size == 8)
        #expect(report.address == 0xffff_8881_04d6_a5c8)
        #expect(report.cache == "kmalloc-512")
        #expect(report.objectSize == 512)
        #expect(report.offset == 456)
        #expect(report.statedDistance == 456)
        #expect(report.shadowValue == 0xfb)
        #expect(report.shadowBugType == "slab-use-after-free")
        #expect(report.markerAgrees == true)
        #expect(report.legend.map(\.value) == [0xfb, 0xfc])
    }

    @Test("shadow values reused across eras are read by release")
    func shadowEras() {
        #expect(KASANShadowByte.meaning(0xfa, version: KernelVersion(4, 19)).bugType == "global-out-of-bounds")
        #expect(KASANShadowByte.meaning(0xfa, version: KernelVersion(5, 10)).bugType == "use-after-free")
        #expect(KASANShadowByte.meaning(0xfb, version: KernelVersion(6, 6)).bugType == "slab-use-after-free")
        #expect(KASANShadowByte.meaning(0xf8, version: KernelVersion(4, 19)).bugType == "use-after-scope")
        #expect(KASANShadowByte.meaning(0xfc, version: nil).bugType == "slab-out-of-bounds")
        #expect(KASANShadowByte.meaning(0xfd, version: nil).bugType == "unknown-crash")
    }

    @Test("a KASAN report without its shadow dump or object lines still parses")
    func kasanPartial() throws {
        let report = try #require(
            KASANReportParser.parse(
                [
                    "BUG: KASAN: slab-out-of-bounds in inotify_read+0x271/0x350 at addr ffff88000b67a3ec",
                    "Read of size 5 by task init/1", ">ffff88000b67a3",
                ], version: KernelVersion(4, 4)))
        #expect(report.size == 5)
        #expect(report.address == 0xffff_8800_0b67_a3ec)
        #expect(report.shadowValue == nil)
    }
}
