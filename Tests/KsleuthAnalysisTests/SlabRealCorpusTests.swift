// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// Every file of the real slab-bug, slub-debug, kasan-kfence and bad-page corpora
/// (`../shared/corpora/real`): each hexdump row decoded, SLUB's first corrupted byte and KASAN's
/// access checked against the reports' own lines, parsed here apart from the product's readers.
@Suite("Slab forensics over the real corpora", .enabled(if: CorpusLocator.hasSharedCorpora, "needs ../shared corpora"))
struct SlabRealCorpusTests {
    static let folders = ["slab-bug", "slub-debug", "kasan-kfence", "bad-page"]

    /// Rows that are not kernel output.
    ///
    /// `hid-fuzzer` (the LKL libFuzzer harness) prints the uhid
    /// report descriptor it feeds the kernel, xxd-style with upper-case digits and no printk stamp,
    /// after `VID=0104, PID=00C5, RDESC: 114 bytes` / `RDESC::size=114` (line 38's dump is cut by
    /// the kernel's own messages after 6 bytes). The kernel's hex_dump_to_buffer prints lower case.
    static let harnessRows: [String: Set<Int>] = [
        "clusterfuzz-lkl-libfuzzer-symbolized.log": Set(23...30).union([38])
    ]

    struct Analysed {
        var name: String
        var lines: [String]
        var incidents: [Incident]

        /// The incident whose evidence holds input line `number`.
        func incident(holding number: Int) -> Incident? {
            incidents.first { $0.evidence.firstLine <= number && number <= $0.evidence.lastLine }
        }
    }

    static func corpusFiles() -> [URL] {
        guard let root = CorpusLocator.sharedRoot?.appendingPathComponent("corpora/real") else { return [] }
        return folders.flatMap { CorpusLocator.files(under: root.appendingPathComponent($0)) }
    }

    static func analyse(_ url: URL) throws -> Analysed {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let collector = IncidentCollector()
        LogAnalyzer().analyze(path: url.path, into: collector)
        return Analysed(name: url.lastPathComponent, lines: lines, incidents: collector.incidents)
    }

    static func analyse(_ name: String) throws -> Analysed {
        let url = try #require(corpusFiles().first { $0.lastPathComponent == name })
        return try analyse(url)
    }

    // MARK: - An independent scan for hexdump rows

    /// One row found by the scan: its line and how many bytes it prints.
    struct ScannedRow: Equatable {
        var line: Int
        var bytes: Int
    }

    /// The kernel's text of a line: an e-mail quote, printk stamps and caller ids, indentation off.
    static func message(_ line: String) -> Substring {
        var text = Substring(line)
        if text.hasPrefix("> ") { text = text.dropFirst(2) }
        while let match = text.prefixMatch(of: #/\[\s*(?:\d+\.\d+|[TC]\d+)\]\s?/#) {
            text = text[match.range.upperBound...]
        }
        return text.drop { $0 == " " || $0 == "\t" }
    }

    /// Groups of `width` hex digits from the start of `data` (a bracketed `<0f>` counts), up to the
    /// first token that is not one: the ASCII column or the rest of the line.
    static func groupCount(_ data: Substring, widths: Set<Int>) -> (count: Int, width: Int) {
        var count = 0
        var width = 0
        for token in data.split(separator: " ", omittingEmptySubsequences: false) {
            var body = token
            if body.hasPrefix("<") && body.hasSuffix(">") { body = body.dropFirst().dropLast() }
            guard widths.contains(body.count), body.allSatisfy(\.isHexDigit), width == 0 || body.count == width else {
                break
            }
            width = body.count
            count += 1
        }
        return (count, width)
    }

    /// The rows of `lines` and their byte counts, read with a handful of expressions of the printers'
    /// formats (mm/slab.c dump_line, lib/hexdump.c, mm/slub.c print_section, mm/kasan/report.c,
    /// mm/debug.c dump_page, the arch Code: printers).
    static func scanRows(_ lines: [String]) -> [ScannedRow] {
        var rows: [ScannedRow] = []
        for (index, line) in lines.enumerated() {
            let text = message(line)
            var bytes = 0
            if text.hasPrefix("Code: ") {
                let (count, width) = groupCount(text.dropFirst(6), widths: [2, 4, 8])
                bytes = count * width / 2
            } else if let match = text.prefixMatch(of: #/(?:raw|head): /#) {
                let (count, width) = groupCount(text[match.range.upperBound...], widths: [8, 16])
                bytes = count * width / 2
            } else if let match = text.prefixMatch(
                of: #/(?:Object|Redzone|Padding|Bytes b4) +\(?(?:0x)?[0-9a-f]+\)?: /#)
            {
                bytes = groupCount(text[match.range.upperBound...], widths: [2]).count
            } else if let match = text.prefixMatch(of: #/>?[0-9a-fA-F]{3,16}: /#) {
                bytes = groupCount(text[match.range.upperBound...], widths: [2]).count
            }
            if bytes > 0 { rows.append(ScannedRow(line: index + 1, bytes: bytes)) }
        }
        return rows
    }

    /// The product's dumps of a file: `(first_line, last_line, bytes decoded)`.
    static func productDumps(_ analysed: Analysed) -> [(first: Int, last: Int, decoded: Int)] {
        var seen: Set<[Int]> = []
        var result: [(first: Int, last: Int, decoded: Int)] = []
        for incident in analysed.incidents {
            guard case .list(let dumps)? = incident.details["hexdumps"] else { continue }
            for case .object(let dump) in dumps {
                guard let first = dump.integer(at: "first_line"), let last = dump.integer(at: "last_line"),
                    let length = dump.integer(at: "length"), let missing = dump.integer(at: "missing_bytes"),
                    seen.insert([Int(first), Int(last)]).inserted
                else { continue }
                result.append((Int(first), Int(last), Int(length - missing)))
            }
        }
        return result
    }

    @Test("every kernel hexdump row of every file is decoded, byte for byte")
    func everyRowDecoded() throws {
        let files = Self.corpusFiles()
        #expect(files.count == 26)
        var rowCount = 0
        var byteCount = 0
        var harnessCount = 0
        var filesWithRows = 0
        for url in files {
            let analysed = try Self.analyse(url)
            let harness = Self.harnessRows[analysed.name] ?? []
            let scanned = Self.scanRows(analysed.lines)
            let kernelRows = scanned.filter { !harness.contains($0.line) }
            harnessCount += scanned.count - kernelRows.count
            #expect(Set(scanned.map(\.line)).isSuperset(of: harness), "\(analysed.name): harness rows not seen")
            let dumps = Self.productDumps(analysed)
            for row in kernelRows {
                #expect(
                    dumps.contains { $0.first <= row.line && row.line <= $0.last },
                    "\(analysed.name) line \(row.line): row not decoded")
            }
            for row in scanned where harness.contains(row.line) {
                #expect(
                    !dumps.contains { $0.first <= row.line && row.line <= $0.last },
                    "\(analysed.name) line \(row.line): the harness's input taken as kernel memory")
            }
            for dump in dumps {
                let inside = kernelRows.filter { dump.first <= $0.line && $0.line <= dump.last }
                #expect(!inside.isEmpty, "\(analysed.name) lines \(dump.first)-\(dump.last): a dump of no kernel row")
                #expect(
                    dump.decoded == inside.reduce(0) { $0 + $1.bytes },
                    "\(analysed.name) lines \(dump.first)-\(dump.last): \(dump.decoded) bytes decoded")
            }
            rowCount += kernelRows.count
            byteCount += kernelRows.reduce(0) { $0 + $1.bytes }
            if !kernelRows.isEmpty { filesWithRows += 1 }
        }
        // Counted by hand over the 26 files: 14 print rows, 48 rows in all, 1,060 bytes: six x86
        // Code: lines of 64 bytes; SLAB's five 16-byte rows; SLUB 36 + 96 + 96; KASAN shadow rows
        // 5 + 5 + 2 + 1 + 2 of 16; dump_page 2 + 2 rows of 32. And the harness's 9 rows.
        #expect(filesWithRows == 14)
        #expect(rowCount == 48)
        #expect(byteCount == 1060)
        #expect(harnessCount == 9)
    }

    @Test("the scan reads the printers' shapes as a person would")
    func scanShapes() {
        let rows = Self.scanRows([
            "> [  170.567667] 000: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................",
            "[    6.406545][    T1]  ffff88000b67a280: fc fc fc fc fb fb fb fb fb fb fb fb fc fc fc fc",
            ">ffffffc05b5c4d00: fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb",
            "Redzone  (0xc90f6d28): 00 cc cc cc                                     .",
            " raw: 00ffff0000002000 ffffbf0000000008 ffffbf0000000008 0000000000000000",
            "Code: f0 2c 5a 75 8b <0f> 0b eb fe ",
            "e91f6288: redzone 1:0x5a5a5a5a, redzone 2:0xc054aeae.",
            "Stack: c06b3fe0 e91f6288 5a5a5a5a c054aeae c04b58e3 e91f6040 c20df680 c20d9164 ",
        ])
        #expect(rows.map(\.bytes) == [16, 16, 16, 4, 32, 9])
    }

    // MARK: - SLUB: the first corrupted byte against the report's INFO line

    @Test("SLUB: first corrupted byte, its address and offset agree with `INFO: 0x…-0x… First byte`")
    func slubReportsAgree() throws {
        let overwrite =
            #/INFO: 0x([0-9a-f]+)-0x([0-9a-f]+)(?: @offset=(\d+))?\. First byte 0x([0-9a-f]+) instead of 0x([0-9a-f]+)/#
        let object = #/INFO: Object 0x([0-9a-f]+) @offset=(\d+)/#
        var reports = 0
        var agreeing = 0
        var withDump = 0
        for url in Self.corpusFiles() {
            let analysed = try Self.analyse(url)
            for (index, line) in analysed.lines.enumerated() {
                guard let info = line.firstMatch(of: overwrite) else { continue }
                reports += 1
                let start = try #require(UInt64(info.1, radix: 16))
                let end = try #require(UInt64(info.2, radix: 16))
                let found = try #require(Int(info.4, radix: 16))
                let wanted = try #require(Int(info.5, radix: 16))
                // The object line follows in the same report (print_trailer), before the next BUG.
                let rest = analysed.lines[(index + 1)...].prefix { !$0.hasPrefix("BUG ") }
                let objectLine = try #require(rest.lazy.compactMap { $0.firstMatch(of: object) }.first)
                let objectAddress = try #require(UInt64(objectLine.1, radix: 16))
                let incident = try #require(analysed.incident(holding: index + 1), "\(analysed.name):\(index + 1)")
                let corruption = incident.details
                let firstOffset = Int64(bitPattern: start &- objectAddress)
                let lastOffset = Int64(bitPattern: end &- objectAddress)
                let agrees =
                    corruption.integer(at: "slab.corruption.first_offset") == firstOffset
                    && corruption.integer(at: "slab.corruption.last_offset") == lastOffset
                    && corruption.string(at: "slab.corruption.first_address") == "0x" + String(start, radix: 16)
                    && corruption.string(at: "slab.corruption.found") == String(format: "0x%02x", found)
                    && corruption.string(at: "slab.corruption.expected") == String(format: "0x%02x", wanted)
                #expect(agrees, "\(analysed.name):\(index + 1): \(String(describing: corruption.value(at: "slab")))")
                if agrees { agreeing += 1 }
                if case .bool(let dumpAgrees)? = corruption.value(at: "slab.corruption.dump_agrees") {
                    withDump += 1
                    #expect(dumpAgrees, "\(analysed.name):\(index + 1): the dump disagrees with the INFO line")
                }
            }
        }
        // kernel-doc (kmalloc-8), lkml 3.2 (anon_vma, kmalloc-64), satyr-19 (numa_policy; no dump).
        #expect(reports == 4)
        #expect(agreeing == 4)
        #expect(withDump == 3)
    }

    @Test("SLUB by hand: kmalloc-64's freed object with an inactive red zone (lkml 3.2)")
    func slubByHand() throws {
        let analysed = try Self.analyse("lkml-32rc2-slub-redzone-anon-vma-kmalloc64.log")
        // Line 58: "INFO: 0xffff880214361970-0xffff880214361977. First byte 0xbb instead of 0xcc"
        // Line 90: "INFO: Object 0xffff880214361930 @offset=2352 fp=0xffff880214361dc8"
        // Lines 93-96: 63 bytes of 6b and a5 (POISON_FREE, POISON_END); line 97: "Redzone …: bb bb …".
        let incident = try #require(analysed.incident(holding: 58))
        let details = incident.details
        #expect(details.string(at: "slab.cache") == "kmalloc-64")
        #expect(details.integer(at: "slab.slab_objects") == 10)
        #expect(details.integer(at: "slab.slab_used") == 6)
        #expect(details.integer(at: "slab.corruption.first_offset") == 64)
        #expect(details.integer(at: "slab.corruption.last_offset") == 71)
        #expect(details.integer(at: "slab.corruption.object_size") == 64)
        #expect(details.string(at: "slab.corruption.assessment") == "state-mismatch")
        #expect(details.string(at: "slab.freed.function") == "drm_mm_put_block+0x70/0x80")
        #expect(details.integer(at: "slab.freed.age_jiffies") == 0)
        #expect(details.string(at: "hexdumps.0.sections.1.label") == "Object")
        #expect(details.integer(at: "hexdumps.0.sections.1.length") == 64)
        #expect(details.string(at: "hexdumps.0.sections.1.address") == "0xffff880214361930")
    }

    @Test("SLUB by hand: the kernel doc's Right Redzone example is internally inconsistent")
    func slubDocExample() throws {
        let analysed = try Self.analyse("kernel-doc-slub-right-redzone-example.log")
        // "INFO: 0xc90f6d28-0xc90f6d2b. First byte 0x00 instead of 0xcc" but
        // "Redzone  (0xc90f6d28): 00 cc cc cc": only the first red-zone byte differs, and
        // check_bytes_and_report trims the range to the last differing byte.
        let details = try #require(analysed.incident(holding: 5)).details
        #expect(details.integer(at: "slab.corruption.first_offset") == 8)
        #expect(details.integer(at: "slab.corruption.last_offset") == 11)
        #expect(details.value(at: "slab.corruption.dump_agrees") == .bool(true))
        #expect(details.string(at: "slab.corruption.dump_note")?.contains("offset 8") == true)
    }

    // MARK: - KASAN: the access and the object against the report's text

    @Test("KASAN: access, size, address, cache and offset agree with the report's lines")
    func kasanReportsAgree() throws {
        let header = #/BUG: KASAN: [\w-]+ (?:in \S+(?: at addr ([0-9a-f]+))?|on address ([0-9a-f]+))/#
        let access = #/(Read|Write) of size (\d+)(?: at addr ([0-9a-f]+))? by task/#
        let newObject = #/The buggy address belongs to the object at ([0-9a-f]+)/#
        let oldObject = #/Object at ([0-9a-f]+), in cache (\S+) size: (\d+)/#
        let cache = #/which belongs to the cache (\S+) of size (\d+)/#
        let located = #/The buggy address is located (\d+) bytes (inside|to the left|to the right) of/#
        var reports = 0
        var agreeing = 0
        var withObject = 0
        for url in Self.corpusFiles() {
            let analysed = try Self.analyse(url)
            for (index, line) in analysed.lines.enumerated() {
                guard let head = line.firstMatch(of: header) else { continue }
                reports += 1
                let body = analysed.lines[(index + 1)...].prefix { !$0.contains("==================") }
                var address = (head.1 ?? head.2).flatMap { UInt64($0, radix: 16) }
                var kind: String?
                var size: Int?
                var objectStart: UInt64?
                var cacheName: String?
                var objectSize: Int?
                var statement: (Int, Substring)?
                for text in body {
                    if kind == nil, let match = text.firstMatch(of: access) {
                        kind = match.1.lowercased()
                        size = Int(match.2)
                        if let at = match.3 { address = UInt64(at, radix: 16) }
                    } else if let match = text.firstMatch(of: newObject) {
                        objectStart = UInt64(match.1, radix: 16)
                    } else if let match = text.firstMatch(of: oldObject) {
                        objectStart = UInt64(match.1, radix: 16)
                        cacheName = String(match.2)
                        objectSize = Int(match.3)
                    } else if let match = text.firstMatch(of: cache) {
                        cacheName = String(match.1)
                        objectSize = Int(match.2)
                    } else if let match = text.firstMatch(of: located) {
                        statement = (Int(match.1) ?? -1, match.2)
                    }
                }
                let incident = try #require(analysed.incident(holding: index + 1), "\(analysed.name):\(index + 1)")
                let kasan = incident.details
                var agrees =
                    kasan.string(at: "slab.kasan.access") == kind
                    && kasan.integer(at: "slab.kasan.access_size") == size.map(Int64.init)
                    && kasan.string(at: "slab.kasan.address") == address.map { String(format: "0x%016llx", $0) }
                    && kasan.string(at: "slab.kasan.cache") == cacheName
                    && kasan.integer(at: "slab.kasan.object_size") == objectSize.map(Int64.init)
                if let objectStart, let address {
                    withObject += 1
                    let offset = Int64(bitPattern: address &- objectStart)
                    agrees = agrees && kasan.integer(at: "slab.kasan.offset") == offset
                    if let statement, let objectSize {
                        let (distance, relation) = statement
                        let stated: Int64 =
                            switch relation {
                            case "inside": offset
                            case "to the left": -offset
                            default: offset - Int64(objectSize)
                            }
                        #expect(stated == Int64(distance), "\(analysed.name):\(index + 1): the report's own numbers")
                    }
                } else {
                    agrees = agrees && kasan.value(at: "slab.kasan.offset") == nil
                }
                #expect(agrees, "\(analysed.name):\(index + 1): \(String(describing: kasan.value(at: "slab.kasan")))")
                if agrees { agreeing += 1 }
            }
        }
        // android 4.9, clusterfuzz null (3.18), LKL 5.4, lkp 48 and kasan-01, -02, -05, -07, -08 (4.8).
        #expect(reports == 9)
        #expect(agreeing == 9)
        #expect(withObject == 4)
    }

    @Test("KASAN by hand: 4.8's `Object at …, in cache kmalloc-64 size: 64` and the 4.9 Android report")
    func kasanByHand() throws {
        // "BUG: KASAN: slab-out-of-bounds in inotify_read+0x271/0x350 at addr ffff88000b67a3ec",
        // "Object at ffff88000b67a3c0, in cache kmalloc-64 size: 64": 0x3ec - 0x3c0 = 44.
        let old = try #require(try Self.analyse("lkp-dmesg-kasan-01.log").incident(holding: 4)).details
        #expect(old.integer(at: "slab.kasan.offset") == 44)
        #expect(old.string(at: "slab.kasan.allocated_by") == "inotify_handle_event+0x72/0x150")
        #expect(old.string(at: "slab.kasan.freed_by") == "kobject_uevent_env+0x125/0x3d0")
        // "Write of size 8 at addr ffffffc05b5c4d28 by task bgExecutor #3/8262",
        // "The buggy address is located 792 bytes inside of", ">ffffffc05b5c4d00: fb …": the byte
        // for 0xd28 is the 6th (0xd28 - 0xd00 = 40 = 5 granules of 8); line 64, where "^" belongs,
        // holds only spaces in this copy, so there is no marker to check the address against.
        let android = try #require(try Self.analyse("clusterfuzz-android-kernel-kasan-510.log").incident(holding: 1))
            .details
        #expect(android.string(at: "slab.kasan.task") == "bgExecutor #3/8262")
        #expect(android.integer(at: "slab.kasan.offset") == 792)
        #expect(android.string(at: "slab.kasan.relation") == "inside")
        #expect(android.string(at: "slab.kasan.shadow_byte") == "0xfb")
        #expect(android.value(at: "slab.kasan.marker_agrees") == nil)
        #expect(android.string(at: "slab.kasan.allocated_by") == "f2fs_alloc_inode+0x2c/0x18c")
        // "BUG: KASAN: user-memory-access on address 0000000000000040": an address, not a function.
        let null = try #require(try Self.analyse("clusterfuzz-kasan-null.log").incident(holding: 2)).details
        #expect(null.string(at: "slab.kasan.address") == "0x0000000000000040")
        #expect(null.value(at: "slab.kasan.function") == nil)
    }

    @Test("KFENCE by hand: hashed addresses are not subtracted")
    func kfenceByHand() throws {
        // "Use-after-free read at 0x00000000c8aa61de (in kfence-#117):",
        // "kfence-#117: 0x00000000b84a828c-0x00000000cde259c3, size=1024, cache=kmalloc-1k"
        let details = try #require(try Self.analyse("chromeos-test-kfence.log").incident(holding: 5)).details
        #expect(details.string(at: "slab.kfence.bug_type") == "use-after-free")
        #expect(details.string(at: "slab.kfence.access") == "read")
        #expect(details.integer(at: "slab.kfence.object_index") == 117)
        #expect(details.integer(at: "slab.kfence.object_size") == 1024)
        #expect(details.string(at: "slab.kfence.cache") == "kmalloc-1k")
        #expect(details.value(at: "slab.kfence.addresses_hashed") == .bool(true))
        #expect(details.value(at: "slab.kfence.offset") == nil)
    }

    // MARK: - SLAB and bad page, by hand

    @Test("SLAB by hand: 2.6.20's i386 oops keeps its Code: bytes, and 3.6's poison dump is decoded")
    func slabByHand() throws {
        let i386 = try Self.analyse("lkml-2620rc1-slab-redzone-cache-free-debugcheck.log")
        // Line 29 "kernel BUG at mm/slab.c:2878!" ... line 66 "Code: f0 2c … eb 8e <0f> 0b eb fe …":
        // 43 bytes before EIP and 20 after (code_bytes 64); 0f 0b is ud2, BUG()'s instruction.
        let bug = try #require(i386.incident(holding: 29))
        #expect(bug.evidence.lastLine >= 67)
        let code = bug.details
        #expect(code.string(at: "hexdumps.0.form") == "code")
        #expect(code.integer(at: "hexdumps.0.first_line") == 66)
        #expect(code.integer(at: "hexdumps.0.length") == 64)
        #expect(code.integer(at: "hexdumps.0.marker_offset") == 43)
        #expect(code.string(at: "hexdumps.0.data")?.hasPrefix("f0 2c 5a 75") == true)
        // Line 27 "e91f6288: redzone 1:0x5a5a5a5a, redzone 2:0xc054aeae." belongs to the slab error.
        #expect(try #require(i386.incident(holding: 5)).evidence.lastLine == 27)

        let quoted = try Self.analyse("lkml-36rc7-slab-corruption-acpi-quoted.log")
        // "Slab corruption (Not tainted): Acpi-State start=ffff88009fc1e548, len=80", then five
        // rows "000: 00 00 …" to "040: 00 00 …": an 80-byte freed object that is all zero.
        let corruption = try #require(quoted.incident(holding: 1)).details
        #expect(corruption.string(at: "hexdumps.0.form") == "offset")
        #expect(corruption.integer(at: "hexdumps.0.length") == 80)
        #expect(corruption.integer(at: "hexdumps.0.missing_bytes") == 0)
        #expect(corruption.string(at: "slab.layout") == "object")
        #expect(corruption.string(at: "slab.anomalies.0.code") == "poison-overwritten")
        #expect(corruption.string(at: "slab.anomalies.0.explanation")?.contains("whole object is zero") == true)
    }

    @Test("bad page by hand: dump_page's raw words decode to the counts its page: line prints")
    func badPageByHand() throws {
        // "page:(____ptrval____) refcount:3 mapcount:1 mapping:(____ptrval____) index:0x120",
        // "raw: 0017ffffc0080015 ffffcfed8472a6c8 ffffcfed8472a748 ffff8f7b8e6f0a28",
        // "raw: 0000000000000120 0000000000000000 0000000300000000 ffff8f7b8fb82000":
        // _mapcount 0 (printed + 1), _refcount 3, memcg_data as on the "memcg:" line.
        let cache = try #require(try Self.analyse("lkp-dmesg-73.log").incident(holding: 1)).details
        let fields = "hexdumps.0.decoded.fields"
        #expect(cache.string(at: "\(fields).0.value") == "0x17ffffc0080015")
        #expect(cache.string(at: "\(fields).3.name") == "mapping")
        #expect(cache.string(at: "\(fields).3.value") == "0xffff8f7b8e6f0a28")
        #expect(cache.integer(at: "\(fields).4.decimal") == 0x120)
        #expect(cache.integer(at: "\(fields).6.decimal") == 0)
        #expect(cache.integer(at: "\(fields).7.decimal") == 3)
        #expect(cache.string(at: "\(fields).8.value") == "0xffff8f7b8fb82000")
        // " page: refcount:0 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x0",
        // " raw: 0000000000000000 0000000000000000 00000000ffffffff 0000000000000000": _mapcount -1.
        let loongarch = try #require(
            try Self.analyse("stable-612-loongarch-bad-page-state-indented.log").incident(holding: 1)
        ).details
        #expect(loongarch.string(at: "\(fields).0.value") == "0xffff0000002000")
        #expect(loongarch.integer(at: "\(fields).6.decimal") == 0xffff_ffff)
        #expect(loongarch.integer(at: "\(fields).7.decimal") == 0)
        #expect(loongarch.value(at: "slab.anomalies") == nil)
    }
}
