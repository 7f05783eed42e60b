// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthSymbols
import Testing

/// Damaged ELF, DWARF and map inputs give clear errors or warnings and partial results, and
/// never crash or hang.
@Suite struct DamagedInputTests {
    /// Compiles the test program with gcc (or clang) into `directory`, `nil` without a compiler.
    private func compile(in directory: URL, flags: [String] = []) throws -> URL? {
        guard let compiler = TestTools.find("gcc") ?? TestTools.find("clang") else { return nil }
        try TestTools.writeProgram(in: directory, functions: 8)
        let result = try TestTools.run(
            compiler, ["-O2", "-g", "-o", "program", "program.c"] + flags, in: directory)
        return result.status == 0 ? directory.appendingPathComponent("program") : nil
    }

    private func bytes(of url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

    @Test func truncatedELFIsAClearError() throws {
        let directory = try TestTools.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        guard let program = try compile(in: directory) else {
            print("skipped: no C compiler")
            return
        }
        let whole = try bytes(of: program)
        for fraction in [0.05, 0.5, 0.99] {
            let cut = directory.appendingPathComponent("cut")
            try Data(whole.prefix(Int(Double(whole.count) * fraction))).write(to: cut)
            #expect(throws: SymbolsError.self) { _ = try Symbolizer(path: cut.path) }
            do {
                _ = try Symbolizer(path: cut.path)
            } catch {
                #expect(error.code == .truncated)
                #expect(error.description.contains("cut"))
            }
        }
        let tiny = directory.appendingPathComponent("tiny")
        try Data([0x7f, 0x45, 0x4c]).write(to: tiny)
        #expect(throws: SymbolsError.self) { _ = try Symbolizer(path: tiny.path) }
    }

    @Test func badUnitLengthKeepsSymbolsAndWarns() throws {
        let directory = try TestTools.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        guard let program = try compile(in: directory) else {
            print("skipped: no C compiler")
            return
        }
        let file = try ELFFile(path: program.path)
        let info = try #require(file.section(named: ".debug_info"))
        var damaged = try bytes(of: program)
        let start = Int(info.fileOffset)
        for index in 0..<4 { damaged[start + index] = [0x00, 0x00, 0x00, 0x7f][index] }
        let path = directory.appendingPathComponent("damaged")
        try Data(damaged).write(to: path)
        let symbolizer = try Symbolizer(path: path.path)
        let main = try #require(symbolizer.symbols.symbols(named: "work3").first)
        let frames = symbolizer.frames(at: main.address + 4)
        #expect(frames.last?.function == "work3")
        #expect(frames.last?.file == nil)
        #expect(symbolizer.warnings.contains { $0.contains("unit length") }, "\(symbolizer.warnings)")
    }

    @Test(.timeLimit(.minutes(2))) func damagedLineProgramEndsAndOtherDataStays() throws {
        let directory = try TestTools.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        guard let program = try compile(in: directory) else {
            print("skipped: no C compiler")
            return
        }
        let file = try ELFFile(path: program.path)
        let line = try #require(file.section(named: ".debug_line"))
        let whole = try bytes(of: program)
        let start = Int(line.fileOffset)
        let size = Int(line.size)
        // Opcodes replaced by endless `DW_LNS_copy` / `const_add_pc` / backwards `advance_line`
        // runs, and (second variant) the header's lengths set past the section.
        var looping = whole
        for index in (start + 40)..<(start + size) { looping[index] = [0x01, 0x08, 0x03, 0x7f][index % 4] }
        var lengths = whole
        for index in 0..<4 { lengths[start + index] = 0xff - UInt8(index == 3 ? 0x80 : 0) }
        for (name, damaged) in [("looping", looping), ("lengths", lengths)] {
            let path = directory.appendingPathComponent(name)
            try Data(damaged).write(to: path)
            let symbolizer = try Symbolizer(path: path.path)
            let work = try #require(symbolizer.symbols.symbols(named: "work2").first)
            let frames = symbolizer.frames(at: (0..<64).map { work.address + $0 })
            #expect(frames.allSatisfy { $0.last?.function == "work2" }, "\(name)")
            #expect(symbolizer.warnings.contains { $0.contains(".debug_line") }, "\(name): \(symbolizer.warnings)")
        }
    }

    @Test(.timeLimit(.minutes(5))) func randomCorruptionNeverCrashes() throws {
        let directory = try TestTools.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        guard let program = try compile(in: directory, flags: ["-gdwarf-5"]) else {
            print("skipped: no C compiler")
            return
        }
        let whole = try bytes(of: program)
        let clean = try Symbolizer(path: program.path)
        let addresses = clean.symbols.symbols.filter(\.isText).flatMap { [$0.address, $0.address + $0.size / 2] }
        var generator = SystemRandomNumberGenerator()
        var state = UInt64.random(in: 1...UInt64.max, using: &generator)
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        let path = directory.appendingPathComponent("fuzzed")
        for _ in 0..<150 {
            var damaged = whole
            for _ in 0..<(1 + Int(next() % 64)) {
                damaged[Int(next() % UInt64(damaged.count))] = UInt8(truncatingIfNeeded: next())
            }
            try Data(damaged).write(to: path)
            guard let symbolizer = try? Symbolizer(path: path.path) else { continue }
            _ = symbolizer.frames(at: addresses)
            _ = symbolizer.warnings
        }
    }

    @Test func garbageSystemMapLinesAreCountedAndSkipped() {
        let text = """
            ffffffff81000000 T _text
            this is not a symbol
            ffffffff81000100 T start_kernel
            zzzz T bad_address
            ffffffff81000200 Tx missing_space
            \u{1}\u{2}\u{3}
            ffffffffc0a00000 t ext4_fill_super\t[ext4]

            ffffffff81000300 t local_helper.isra.0
            """
        let map = SystemMapParser.parse(Array(text.utf8))
        #expect(map.table.count == 4)
        #expect(map.skippedLines == 4)
        #expect(map.firstSkippedLines == [2, 4, 5, 6])
        #expect(map.warnings.count == 1)
        #expect(map.table.symbols(named: "ext4_fill_super").first?.module == "ext4")
        #expect(map.table.resolve(name: "start_kernel", offset: 0x10, size: nil)?.address == 0xffff_ffff_8100_0100)
        let hidden = SystemMapParser.parse(Array("0000000000000000 T _text\n0000000000000000 t x\n".utf8))
        #expect(hidden.addressesHidden)
    }

    /// A `/proc/modules` text with garbage lines, and a module whose `.ko.xz` is cut short:
    /// counted and reported; the good line still places raw addresses.
    @Test func garbageProcModulesAndACutModule() throws {
        let listing = ProcModulesParser.parse(
            Array(
                """
                ext4 999424 2 - Live 0xffffffffc0455000
                Module                  Size  Used by
                cut_mod 16384 0 - Live 0xffffffffc0a00000 (OE)
                zz 12 - Live
                nf_tables 253952 5 nft_chain_nat,nft_compat, Live 0xffffffffc0a4e000 (E)

                """.utf8))
        #expect(listing.placements.map(\.name) == ["ext4", "cut_mod", "nf_tables"])
        #expect(
            listing.placements.map(\.base) == [0xffff_ffff_c045_5000, 0xffff_ffff_c0a0_0000, 0xffff_ffff_c0a4_e000])
        #expect(listing.skippedLines == 2)
        #expect(listing.firstSkippedLines == [2, 4])
        let hidden = ProcModulesParser.parse(Array("ext4 999424 2 - Live 0x0000000000000000\n".utf8))
        #expect(hidden.addressesHidden)

        let directory = try TestTools.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        guard let program = try compile(in: directory, flags: ["-c"]), let xz = TestTools.find("xz") else {
            print("skipped: needs a C compiler and xz")
            return
        }
        let module = directory.appendingPathComponent("cut-mod.ko")
        try FileManager.default.moveItem(at: program, to: module)
        try #require(try TestTools.run(xz, [module.path]).status == 0)
        let packed = directory.appendingPathComponent("cut-mod.ko.xz")
        let whole = try bytes(of: packed)
        try Data(whole.prefix(whole.count / 2)).write(to: packed)
        let symbolizer = LogSymbolizer(
            kernel: nil, systemMap: nil, modules: ModuleDirectory(root: directory.path), procModules: listing)
        let frames = symbolizer.resolve(["Call Trace:", " ? 0xffffffffc0a00040", " work2+0x8/0x40 [cut_mod]"])
        #expect(frames.allSatisfy { $0.lookupAddress == nil })
        let warnings = symbolizer.warnings
        #expect(warnings.first == "/proc/modules: skipped 2 line(s) that are not modules (first: line 2, 4)")
        #expect(
            warnings.filter { $0.hasPrefix("module cut_mod: not found: \(packed.path)") }.count == 1, "\(warnings)")
    }

    @Test func wrongVmlinuxIsOneWarningEachAndFramesStillResolve() throws {
        let directory = try TestTools.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        guard let program = try compile(in: directory, flags: ["-Wl,--build-id"]) else {
            print("skipped: no C compiler")
            return
        }
        let kernel = try Symbolizer(path: program.path)
        let own = try #require(kernel.file.buildID)
        let work = try #require(kernel.symbols.symbols(named: "work3").first)
        let printed = String(format: "work3+0x8/0x%llx", work.size)
        let foreign = String(repeating: "ab", count: 20)
        let log = [
            "CPU: 2 PID: 7 Comm: kworker/2:0 Not tainted 6.1.0 #1 \(foreign)",
            "Call Trace:",
            " <TASK>",
            " \(printed)",
            " missing_in_image+0x10/0x40",
            " work3+0x\(String(work.size + 0x10, radix: 16))/0x\(String(work.size + 0x20, radix: 16))",
            " </TASK>",
        ]
        let symbolizer = LogSymbolizer(kernel: kernel, systemMap: nil, modules: nil)
        let frames = symbolizer.resolve(log + log)
        let warnings = symbolizer.warnings
        #expect(warnings.filter { $0.contains("build id mismatch") }.count == 1, "\(warnings)")
        #expect(warnings.contains { $0.contains(foreign) && $0.contains(own) })
        // Twice: work3+0x8 fits, missing_in_image is not in the image, and the last frame's
        // offset lies past the end of work3.
        let mismatch = try #require(warnings.first { $0.contains("does not match") }, "\(warnings)")
        #expect(mismatch.contains("does not match 4 of 6 kernel frame(s)"), "\(mismatch)")
        #expect(mismatch.contains("2 name a symbol it does not have (missing_in_image)"), "\(mismatch)")
        #expect(mismatch.contains("2 do not fit its symbol"), "\(mismatch)")
        let resolved = try #require(frames.first { $0.lineNumber == 4 })
        #expect(resolved.lookupAddress == work.address + 7)
        #expect(resolved.frames.last?.function == "work3")
        #expect(
            resolved.frames.first?.file?.hasSuffix(".h") == true || resolved.frames.first?.file?.hasSuffix(".c") == true
        )
    }

    @Test func aSystemMapOfAnotherBuildIsAWarning() {
        let map = """
            ffffffff81000000 T _text
            ffffffff81000100 T do_thing
            ffffffff81000180 T next_thing
            ffffffff81000200 T last_thing
            """
        // do_thing is 0x80 long here; the log's kernel printed 0x60 and an offset past 0x80.
        let log = [" do_thing+0x20/0x60", " next_thing+0x90/0xc0", " next_thing+0x10/0x80", " absent+0x1/0x2"]
        let symbolizer = LogSymbolizer(kernel: nil, systemMap: SystemMapParser.parse(Array(map.utf8)), modules: nil)
        let frames = symbolizer.resolve(log)
        #expect(
            frames.map(\.lookupAddress) == [0xffff_ffff_8100_011f, 0xffff_ffff_8100_020f, 0xffff_ffff_8100_018f, nil])
        #expect(
            symbolizer.warnings == [
                "the System.map does not match 3 of 4 kernel frame(s): 1 names a symbol it does not have (absent), "
                    + "2 do not fit its symbol (do_thing+0x20/0x60, there 0x80 long; next_thing+0x90/0xc0, there 0x80 "
                    + "long) (wrong vmlinux or System.map?)"
            ])
    }
}
