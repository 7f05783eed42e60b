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

    @Test func damagedLineProgramEndsAndOtherDataStays() throws {
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
            let clock = ContinuousClock.now
            let symbolizer = try Symbolizer(path: path.path)
            let work = try #require(symbolizer.symbols.symbols(named: "work2").first)
            let frames = symbolizer.frames(at: (0..<64).map { work.address + $0 })
            #expect(frames.allSatisfy { $0.last?.function == "work2" })
            #expect(ContinuousClock.now - clock < .seconds(10))
        }
    }

    @Test func randomCorruptionNeverCrashes() throws {
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
}
