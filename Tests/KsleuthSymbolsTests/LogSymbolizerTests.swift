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

    /// The logs of each architecture the acceptance names (x86_64, arm32, arm64, ppc64).
    static let logsByArchitecture: [String: [String]] = [
        "x86_64": [
            "oops-x86/abrt-oops3.log", "oops-x86/lkp-dmesg-42.log", "oops-x86/satyr-rhbz-1518943.log",
            "oops-x86/moooofly-rb-next-null-el7.log", "oops-x86/npd-divide-zero.log",
        ],
        "arm32": [
            "oops-arm32/rpi-4879-armv7-panic-cpu-stopping-backtrace.log", "oops-arm32/satyr-arm-hung-task-oops-2.log",
            "oops-arm32/squad-kernelexceptiontrace.log",
            "oops-arm32/squad-kernelexceptiontrace-without-squarebraces.log",
        ],
        "arm64": [
            "oops-arm64/chromeos-test-arm64-serror.log", "oops-arm64/lkml-66rc6-arm64-mt7921-null-deref-kmsg.log",
            "oops-arm64/rpi-6792-pi5-arm64-oops-journal-precise.log",
        ],
        "ppc64": ["oops-other-arch/abrt-oops8-ppc64.log", "oops-other-arch/satyr-rhbz-1040900-ppc64-1.log"],
    ]

    /// The lines of a shared corpus log.
    static func lines(of name: String) throws -> [String] {
        let url = try #require(corpora).appendingPathComponent(name)
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
    }

    /// A System.map holding every kernel symbol `lines` name, from 0xffffffff81000000 in name
    /// order, and where each starts (by name, and by `name/0xsize` for names printed with
    /// several sizes: distinct static functions, as in the ppc64 log's two `.driver_attach`).
    ///
    /// A symbol printed with a size (`/0x390`) is followed by the next at exactly that
    /// distance, as kallsyms computes sizes (`%pB` prints a return address just past a
    /// `noreturn` call as `func+0x230/0x230`); one printed without gets room for its largest
    /// offset, rounded up to 16 bytes.
    static func writtenMap(for lines: [String]) -> (map: SystemMap, starts: [String: UInt64]) {
        var reach: [String: UInt64] = [:]
        var sizes: [String: Set<UInt64>] = [:]
        for line in lines {
            guard let frame = StackFrameReference.parse(line), let symbol = frame.symbol, frame.module == nil else {
                continue
            }
            reach[symbol] = max(reach[symbol] ?? 0, frame.offset)
            if let size = frame.size { sizes[symbol, default: []].insert(size) }
        }
        var address: UInt64 = 0xffff_ffff_8100_0000
        var text = ""
        var starts: [String: UInt64] = [:]
        for (symbol, farthest) in reach.sorted(by: { $0.key < $1.key }) {
            let printed = (sizes[symbol] ?? []).sorted()
            if printed.count > 1 {
                for size in printed {
                    text += String(format: "%016llx t %@\n", address, symbol)
                    starts["\(symbol)/\(size)"] = address
                    address += size
                }
                continue
            }
            text += String(format: "%016llx T %@\n", address, symbol)
            starts[symbol] = address
            if let size = printed.first, size >= farthest {
                address += size
            } else {
                address += (farthest + 0x11) & ~0xf
            }
        }
        return (SystemMapParser.parse(Array(text.utf8)), starts)
    }

    /// Where `reference`'s symbol starts in the map of ``writtenMap(for:)``, `nil` for a name
    /// printed with several sizes and this frame with none (any of them would do).
    static func start(of reference: StackFrameReference, in starts: [String: UInt64]) -> UInt64? {
        guard let symbol = reference.symbol else { return nil }
        if let start = starts[symbol] { return start }
        return reference.size.flatMap { starts["\(symbol)/\($0)"] }
    }

    @Test(
        .enabled(if: corpora != nil, "needs the shared corpora (../shared/corpora/real)"),
        arguments: ["x86_64", "arm32", "arm64", "ppc64"])
    func corpusFramesResolveAgainstAWrittenSystemMap(architecture: String) throws {
        var resolved = 0
        let logs = try #require(Self.logsByArchitecture[architecture])
        for name in logs {
            let lines = try Self.lines(of: name)
            let (map, starts) = Self.writtenMap(for: lines)
            let symbolizer = LogSymbolizer(kernel: nil, systemMap: map, modules: nil)
            for frame in symbolizer.resolve(lines) {
                guard let symbol = frame.reference.symbol, frame.reference.module == nil else { continue }
                #expect(frame.lookupAddress != nil, "\(name):\(frame.lineNumber) \(symbol)")
                guard let start = Self.start(of: frame.reference, in: starts) else { continue }
                let exact = start + frame.reference.offset
                #expect(
                    frame.lookupAddress == (frame.reference.isFaulting ? exact : exact - 1),
                    "\(name):\(frame.lineNumber) \(symbol)")
                resolved += 1
            }
            // Module frames are not resolved (no --modules here), nor raw addresses the kernel
            // could not name (`[<8010e7f8>]` alone): the written map holds only the named
            // symbols. Every kernel frame fits the map.
            let warnings = symbolizer.warnings.filter {
                !$0.hasSuffix("no --modules given") && !$0.contains(" raw address(es) ")
            }
            #expect(warnings.isEmpty, "\(name): \(warnings)")
        }
        print("\(architecture): \(resolved) frames of \(logs.count) logs resolved against the written System.map")
        #expect(resolved >= logs.count)
    }

    /// One faulting position and one return address per architecture, read off the logs:
    /// the faulting one is looked up where it is, the return address one byte back.
    @Test(
        .enabled(if: corpora != nil, "needs the shared corpora (../shared/corpora/real)"),
        arguments: [
            // RIP: 0010:[<ffffffff810af776>]  [<ffffffff810af776>] find_busiest_group+0xc6/0x8a0
            // [<ffffffff810b00da>] load_balance+0x18a/0x700
            ("oops-x86/lkp-dmesg-42.log", 8, "find_busiest_group", 0xc6, 24, "load_balance", 0x189),
            // PC is at shmem_getpage_gfp+0x584/0x72c
            // [<c0333330>] (shmem_getpage_gfp) from [<c031c7a0>] (generic_perform_write+0xa8/0x1c0)
            (
                "oops-arm32/satyr-arm-hung-task-oops-2.log", 8, "shmem_getpage_gfp", 0x584, 37, "generic_perform_write",
                0xa7
            ),
            // pc : __gsi_channel_start+0x84/0x178; after `Call trace:`, dump_backtrace+0x0/0x1e8 is the pc too
            ("oops-arm64/chromeos-test-arm64-serror.log", 6, "__gsi_channel_start", 0x84, 23, "dump_backtrace", 0x0),
            // NIP [c000000008068dfc] .eeh_dev_check_failure+0x27c/0x390
            // [c000000010f93150] [c000000008028668] .rtas_read_config+0x128/0x170
            (
                "oops-other-arch/abrt-oops8-ppc64.log", 20, ".eeh_dev_check_failure", 0x27c, 25, ".rtas_read_config",
                0x127
            ),
        ] as [(String, Int, String, UInt64, Int, String, UInt64)])
    func faultingAndReturnPositions(
        log: String, faultingLine: Int, faulting: String, faultingOffset: UInt64, returnLine: Int,
        returning: String, returnOffset: UInt64
    ) throws {
        let lines = try Self.lines(of: log)
        let (map, starts) = Self.writtenMap(for: lines)
        let frames = LogSymbolizer(kernel: nil, systemMap: map, modules: nil).resolve(lines)
        let pc = try #require(frames.first { $0.lineNumber == faultingLine })
        #expect(pc.reference.symbol == faulting)
        #expect(pc.reference.isFaulting)
        #expect(pc.lookupAddress == (try #require(Self.start(of: pc.reference, in: starts))) + faultingOffset)
        let caller = try #require(frames.first { $0.lineNumber == returnLine })
        #expect(caller.reference.symbol == returning)
        #expect(caller.lookupAddress == (try #require(Self.start(of: caller.reference, in: starts))) + returnOffset)
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

    /// The frames x86, arm32 and old kernels print for addresses kallsyms could not name.
    @Test func unnamedAddressFrames() throws {
        // logspec-test-baseline-004.log: `[    5.741676]  ? 0xffffffffc04f9000`
        let guess = try #require(StackFrameReference.parse("[    5.741676]  ? 0xffffffffc04f9000"))
        #expect(guess.symbol == nil)
        #expect(guess.address == 0xffff_ffff_c04f_9000)
        #expect(!guess.isReliable)
        #expect(!guess.isFaulting)
        let old = try #require(
            StackFrameReference.parseUnnamed(kernelText: " [<ffffffff810002b8>] ? 0xffffffff810002b8"))
        #expect(old.address == 0xffff_ffff_8100_02b8)
        #expect(!old.isReliable)
        let pc = try #require(StackFrameReference.parseUnnamed(kernelText: "RIP: 0010:0xffffffffc0a01234"))
        #expect(pc.address == 0xffff_ffff_c0a0_1234)
        #expect(pc.isFaulting)
        let arm = try #require(
            StackFrameReference.parseUnnamed(kernelText: "[<c0008f4c>] (0xc0008f4c) from [<c00090f0>] (0xc00090f0)"))
        // The caller's position, as for named arm32 frames.
        #expect(arm.address == 0xc000_90f0)
        #expect(arm.isReliable)
        let named = try #require(StackFrameReference.parse(" [<ffffffff810b00da>] ? load_balance+0x18a/0x700"))
        #expect(named.symbol == "load_balance")
        #expect(!named.isReliable)
        for text in [
            "Kernel Offset: 0x2e000000 from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)",
            "PHYS_OFFSET: 0xffff9a3b40000000", "softirqs last disabled at (0): [<0000000000000000>] 0x0",
            "Alignment trap: not handling instruction f46107cf at [<004e5c4c>]", " vfs_read+0x28/0x400",
        ] {
            #expect(StackFrameReference.parseUnnamed(kernelText: text) == nil, "\(text)")
        }
        #expect(StackFrameReference.parse("PHYS_OFFSET: 0xffff9a3b40000000") == nil)
        // satyr-rhbz-1518943.log: `RIP: 0033:0x7fd1f18192fb`, the user-mode registers.
        #expect(StackFrameReference.parseUnnamed(kernelText: "RIP: 0033:0x7fd1f18192fb") == nil)
        // satyr-arm-hung-task-oops-2.log: `[00000009] *pgd=00000000`, a page-table walk.
        #expect(StackFrameReference.parseUnnamed(kernelText: "[00000009] *pgd=00000000") == nil)
        #expect(StackFrameReference.kernelText(of: "[ 9901.009172] [<8010e7f8>]") == "[<8010e7f8>]")
        #expect(
            StackFrameReference.kernelText(of: "[   74.595988][ T6529] ? 0xffffffffc04f9000") == "? 0xffffffffc04f9000")
        #expect(
            StackFrameReference.kernelText(of: "Jan 12 10:00:01 host kernel: [   5.7]  ? 0xffffffffc04f9000")
                == "? 0xffffffffc04f9000")
    }

    /// Raw addresses in a module, placed by a `/proc/modules` text and by frames that print both
    /// an address and `func+0xoff [module]`; the module is a `.ko.xz` the test builds.
    @Test func rawModuleAddressesResolveThroughTheirLoadAddress() throws {
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
        let work4 = try #require(plain.symbols.symbols(named: "work4").first)
        let work2 = try #require(plain.symbols.symbols(named: "work2").first)
        try #require(try TestTools.run(xz, ["my-mod.ko"], in: directory).status == 0)
        let modules = ModuleDirectory(root: directory.path)

        // /proc/modules as the kernel prints it; the second line is garbage.
        let listed = ProcModulesParser.parse(
            Array("my_mod 16384 0 - Live 0xffffffffc0a00000 (OE)\nnot a module line\n".utf8))
        #expect(
            listed.placements == [
                ModulePlacement(name: "my_mod", base: 0xffff_ffff_c0a0_0000, size: 16384, source: .procModules)
            ])
        #expect(listed.warnings == ["skipped 1 line(s) that are not modules (first: line 2)"])
        let runtime = 0xffff_ffff_c0a0_0000 + work4.address + 0x20
        let log = ["Call Trace:", String(format: " ? 0x%016llx", runtime)]
        let byList = LogSymbolizer(kernel: nil, systemMap: nil, modules: modules, procModules: listed)
        let frame = try #require(byList.resolve(log).first)
        #expect(frame.resolvedSymbol?.name == "work4")
        #expect(frame.resolvedSymbol?.offset == 0x20)
        #expect(frame.resolvedModule == "my_mod")
        #expect(frame.lookupAddress == work4.address + 0x1f)
        #expect(frame.frames == plain.frames(at: work4.address + 0x1f))
        #expect(
            byList.annotate(log, frames: [frame])[1].contains("work4+0x20/"), "\(byList.annotate(log, frames: [frame]))"
        )
        #expect(byList.warnings == ["/proc/modules: skipped 1 line(s) that are not modules (first: line 2)"])

        // No list: the two named frames agree on 0xffffffffc0b00000.
        let base: UInt64 = 0xffff_ffff_c0b0_0000
        let solvedLog = [
            "Call Trace:",
            String(format: " [<%016llx>] work2+0x10/0x%llx [my_mod]", base + work2.address + 0x10, work2.size),
            String(format: " [<%016llx>] ? 0x%016llx", base + work4.address + 0x20, base + work4.address + 0x20),
            String(format: " [<%016llx>] work4+0x8/0x%llx [my_mod]", base + work4.address + 0x8, work4.size),
        ]
        let bySolving = LogSymbolizer(kernel: nil, systemMap: nil, modules: modules)
        let solved = bySolving.resolve(solvedLog)
        #expect(bySolving.layout.modules.map(\.base) == [base])
        #expect(bySolving.notes == ["module my_mod placed at 0xffffffffc0b00000, solved from 2 of 2 frames"])
        let raw = try #require(solved.first { $0.lineNumber == 3 })
        #expect(raw.resolvedSymbol?.name == "work4")
        #expect(raw.resolvedSymbol?.offset == 0x20)
        #expect(raw.resolvedModule == "my_mod")
        #expect(raw.frames == plain.frames(at: work4.address + 0x1f))
    }
}
