// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthSymbols
import Testing

/// Frames of real logs resolved against a System.map the test writes; KASLR; a module read
/// from a `.ko.xz` built by the test.
@Suite struct LogSymbolizerTests {
    static var corpora: URL? {
        let shared =
            ProcessInfo.processInfo.environment["KSLEUTH_SHARED"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
        let real = shared.appendingPathComponent("corpora/real")
        return FileManager.default.fileExists(atPath: real.path) ? real : nil
    }

    @Test(arguments: ["oops-x86", "oops-arm32", "oops-arm64", "oops-other-arch"])
    func corpusFramesResolveAgainstAWrittenSystemMap(category: String) throws {
        guard let corpora = Self.corpora else {
            print("skipped: the shared corpora (../shared/corpora/real) are not present")
            return
        }
        let logs = try FileManager.default.contentsOfDirectory(atPath: corpora.appendingPathComponent(category).path)
            .filter { $0.hasSuffix(".log") }.sorted()
        var resolved = 0
        for name in logs {
            let text = try String(contentsOf: corpora.appendingPathComponent("\(category)/\(name)"), encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // A System.map holding every kernel symbol the log names, each big enough for its offsets.
            var extent: [String: UInt64] = [:]
            for line in lines {
                guard let frame = StackFrameReference.parse(line), let symbol = frame.symbol, frame.module == nil else {
                    continue
                }
                extent[symbol] = max(extent[symbol] ?? 0, frame.size ?? 0, frame.offset + 1)
            }
            var address: UInt64 = 0xffff_ffff_8100_0000
            var map = ""
            var expected: [String: UInt64] = [:]
            for (symbol, size) in extent.sorted(by: { $0.key < $1.key }) {
                map += String(format: "%016llx T %@\n", address, symbol)
                expected[symbol] = address
                address += (size + 0x10) & ~0xf
            }
            let symbolizer = LogSymbolizer(kernel: nil, systemMap: SystemMapParser.parse(Array(map.utf8)), modules: nil)
            for frame in symbolizer.resolve(lines) {
                guard let symbol = frame.reference.symbol, frame.reference.module == nil else { continue }
                let start = try #require(expected[symbol], "\(name): \(symbol) missing from the map")
                let exact = start + frame.reference.offset
                #expect(
                    frame.lookupAddress == (frame.reference.isFaulting ? exact : exact - 1),
                    "\(name):\(frame.lineNumber) \(symbol)")
                resolved += 1
            }
        }
        print("\(category): \(resolved) frames of \(logs.count) logs resolved against the written System.map")
        #expect(resolved > 0)
    }

    @Test func rawAddressesUseTheSolvedKASLROffset() {
        let map = """
            ffffffff81000000 T _text
            ffffffff81234500 T do_one_thing
            ffffffff81234600 t helper_fn
            ffffffff81234700 T after
            """
        let offset: UInt64 = 0x1e00_0000
        let log = [
            "Call Trace:",
            String(format: " [<%016llx>] do_one_thing+0x17/0x100", 0xffff_ffff_8123_4517 + offset),
            String(format: " [<%016llx>] helper_fn+0x20/0x100", 0xffff_ffff_8123_4620 + offset),
            String(format: " [<%016llx>] ? 0x%016llx", 0xffff_ffff_8123_4650 + offset, 0xffff_ffff_8123_4650 + offset),
        ]
        let symbolizer = LogSymbolizer(kernel: nil, systemMap: SystemMapParser.parse(Array(map.utf8)), modules: nil)
        let frames = symbolizer.resolve(log)
        #expect(symbolizer.kaslr?.offset == offset)
        #expect(symbolizer.kaslr?.source == .frames)
        #expect(frames.last?.resolvedSymbol?.name == "helper_fn")
        #expect(frames.last?.resolvedSymbol?.offset == 0x50)
        let stated = LogSymbolizer(kernel: nil, systemMap: SystemMapParser.parse(Array(map.utf8)), modules: nil)
        _ = stated.resolve(log + ["Kernel Offset: 0x1d000000 from 0xffffffff81000000 (relocation range: …)"])
        #expect(stated.kaslr == KASLROffset(offset: 0x1d00_0000, source: .kernelOffsetLine))
    }

    @Test func moduleFramesResolveFromAKoXz() throws {
        guard let compiler = TestTools.find("gcc") ?? TestTools.find("clang"), let xz = TestTools.find("xz") else {
            print("skipped: needs a C compiler and xz")
            return
        }
        let directory = try TestTools.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try TestTools.writeProgram(in: directory, functions: 6, withData: false)
        let built = try TestTools.run(
            compiler, ["-O2", "-g", "-c", "-fno-reorder-functions", "-o", "my-mod.ko", "program.c"], in: directory)
        try #require(built.status == 0, "\(built.standardError)")
        let plain = try Symbolizer(path: directory.appendingPathComponent("my-mod.ko").path)
        let work = try #require(plain.symbols.symbols(named: "work4").first)
        let expected = plain.frames(at: work.address + 0x20 - 1)
        let packed = try TestTools.run(xz, ["-k", "my-mod.ko"], in: directory)
        try #require(packed.status == 0)
        let modules = directory.appendingPathComponent("modules/kernel/drivers")
        try FileManager.default.createDirectory(at: modules, withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            at: directory.appendingPathComponent("my-mod.ko.xz"), to: modules.appendingPathComponent("my-mod.ko.xz"))
        let log = ["Call Trace:", " <TASK>", String(format: " work4+0x20/0x%llx [my_mod]", work.size), " </TASK>"]
        let directoryIndex = ModuleDirectory(root: directory.appendingPathComponent("modules").path)
        #expect(directoryIndex.path(of: "my_mod")?.hasSuffix("my-mod.ko.xz") == true)
        let symbolizer = LogSymbolizer(kernel: nil, systemMap: nil, modules: directoryIndex)
        let frames = symbolizer.resolve(log)
        let frame = try #require(frames.first)
        #expect(frame.frames == expected)
        #expect(frame.frames.last?.function == "work4")
        #expect(frame.frames.first?.file?.hasSuffix(".h") == true || frame.frames.first?.file?.hasSuffix(".c") == true)
        let annotated = symbolizer.annotate(log, frames: frames)
        #expect(annotated[2].contains("[my_mod] ("), "\(annotated[2])")
        #expect(annotated[2].contains("program.c:"), "\(annotated[2])")
    }
}
