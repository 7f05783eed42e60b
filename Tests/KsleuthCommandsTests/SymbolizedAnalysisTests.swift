// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// `analyze` and `triage` with `--vmlinux`, `--system-map` and `--modules`: a small "kernel"
/// built by the test (gcc, a source tree laid out like the kernel's) stands in for vmlinux,
/// and an oops naming its functions is read with it.
@Suite(
    "analyze and triage with symbols", .enabled(if: KernelTree.toolsPresent, "needs gcc, objdump, nm, readelf and xz"))
struct SymbolizedAnalysisTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func firstInput(_ text: String) throws -> [String: Any] {
        try #require((try json(text)["inputs"] as? [[String: Any]])?.first)
    }

    func incidents(_ input: [String: Any]) throws -> [[String: Any]] {
        try #require(input["incidents"] as? [[String: Any]])
    }

    func frames(_ incident: [String: Any]) throws -> [[String: Any]] {
        let trace = try #require(incident["call_trace"] as? [String: Any])
        return try #require(trace["frames"] as? [[String: Any]])
    }

    @Test("frames get file, line, column and the inline chain; the guilty file comes from them")
    func framesAndGuiltyFile() throws {
        let tree = try KernelTree()
        defer { tree.remove() }
        let log = try tree.writeLog(try tree.oops())
        let result = try KsleuthBinary.run([
            "analyze", "--no-signatures", "--format", "json", "--vmlinux", tree.vmlinux.path, log.path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let input = try firstInput(result.standardOutput)
        let incident = try #require(try incidents(input).first)
        let trace = try #require(incident["call_trace"] as? [String: Any])
        let faulting = try #require(trace["faulting_frame"] as? [String: Any])
        #expect(faulting["function"] as? String == "lib_helper")
        #expect(faulting["file"] as? String == "lib/dump.c")
        #expect(faulting["line"] as? Int == 1)
        let frames = try frames(incident)
        #expect(frames.map { $0["function"] as? String } == ["fs_decoy", "slab_thing", "bar_probe", "main"])
        // fs_decoy is the unreliable ` ? ` frame: resolved, but never blamed.
        #expect(frames[0]["file"] as? String == "fs/decoy.c")
        #expect(frames[0]["reliable"] as? Bool == false)
        // slab_thing's return address is in its one line, at the call `lib_helper(v)` (column 58).
        #expect(frames[1]["file"] as? String == "mm/slub.c")
        #expect(frames[1]["line"] as? Int == 2)
        #expect(frames[1]["column"] as? Int == 58)
        #expect((frames[1]["inlined_frames"] as? [Any])?.isEmpty == true)
        // bar_probe calls slab_thing from inside the always-inline helper: bar.c:2 column 57 is
        // `helper(x)`, helper.h:2 column 73 is `slab_thing(v * 7)`.
        #expect(frames[2]["file"] as? String == "drivers/foo/bar.c")
        #expect(frames[2]["line"] as? Int == 2)
        #expect(frames[2]["column"] as? Int == 57)
        let inlined = try #require(frames[2]["inlined_frames"] as? [[String: Any]])
        #expect(inlined.count == 1)
        #expect(inlined.first?["function"] as? String == "helper")
        #expect(inlined.first?["file"] as? String == "include/linux/helper.h")
        #expect(inlined.first?["line"] as? Int == 2)
        #expect(inlined.first?["column"] as? Int == 73)
        #expect(frames[3]["file"] as? String == "main.c")
        #expect(frames[3]["line"] as? Int == 3)
        // lib/ and mm/slub.c are in the skip list, the header too, fs_decoy is unreliable.
        let identity = try #require(incident["identity"] as? [String: Any])
        #expect(identity["guilty_file"] as? String == "drivers/foo/bar.c")
        #expect(identity["title"] as? String == "BUG: unable to handle kernel NULL pointer dereference in lib_helper")
        #expect((input["diagnostics"] as? [Any])?.isEmpty == true, "\(input["diagnostics"] ?? "")")

        let plain = try KsleuthBinary.run(["analyze", "--no-signatures", "--format", "json", log.path])
        let unsymbolized = try #require(try incidents(try firstInput(plain.standardOutput)).first)
        let plainIdentity = try #require(unsymbolized["identity"] as? [String: Any])
        #expect(plainIdentity["guilty_file"] is NSNull)
        #expect(plainIdentity["bucket"] as? String == identity["bucket"] as? String)
        #expect(try self.frames(unsymbolized)[2]["file"] is NSNull)
    }

    @Test("the text report shows file:line after each frame, and triage blames the same file")
    func textAndTriage() throws {
        let tree = try KernelTree()
        defer { tree.remove() }
        let log = try tree.writeLog(try tree.oops())
        let text = try KsleuthBinary.run([
            "analyze", "--no-signatures", "--color", "never", "--excerpt-lines", "40", "--vmlinux",
            tree.vmlinux.path, log.path,
        ])
        #expect(text.status == 0)
        let barProbe = try tree.frame("bar_probe", returningFrom: "slab_thing")
        #expect(
            text.standardOutput.contains(
                " \(barProbe) drivers/foo/bar.c:2 (inlined helper include/linux/helper.h:2)\n"),
            "\(text.standardOutput)")
        #expect(text.standardOutput.contains("RIP: 0010:\(try tree.frame("lib_helper")) lib/dump.c:1\n"))
        let triage = try KsleuthBinary.run([
            "triage", "--no-signatures", "--format", "json", "--vmlinux", tree.vmlinux.path, log.path,
        ])
        #expect(triage.status == 1)
        let input = try #require((try json(triage.standardOutput)["inputs"] as? [[String: Any]])?.first)
        let incident = try #require((input["incidents"] as? [[String: Any]])?.first)
        #expect(incident["guilty_file"] as? String == "drivers/foo/bar.c")
    }

    @Test("a wrong vmlinux is one warning per problem, and frames are still resolved where they can be")
    func wrongVmlinux() throws {
        let tree = try KernelTree()
        defer { tree.remove() }
        let foreignID = "0123456789abcdef0123456789abcdef01234567"
        let wrong = try tree.oops(buildID: foreignID, extraFrame: " no_such_function+0x10/0x40")
        let log = try tree.writeLog(wrong + (try tree.oops(buildID: foreignID)))
        let result = try KsleuthBinary.run([
            "analyze", "--no-signatures", "--format", "json", "--vmlinux", tree.vmlinux.path, log.path,
        ])
        #expect(result.status == 0)
        let input = try firstInput(result.standardOutput)
        let messages = try #require(input["diagnostics"] as? [[String: Any]]).compactMap { $0["message"] as? String }
        #expect(messages.filter { $0.contains("build id mismatch") }.count == 1, "\(messages)")
        let ownID = try tree.buildID()
        #expect(messages.contains { $0.contains(foreignID) && $0.contains(ownID) })
        // 6 kernel frames in the first oops (one unknown), 5 in the second.
        #expect(
            messages.contains {
                $0.contains("does not match 1 of 11 kernel frame(s)") && $0.contains("no_such_function")
            },
            "\(messages)")
        for incident in try incidents(input) {
            let barProbe = try #require(try frames(incident).first { $0["function"] as? String == "bar_probe" })
            #expect(barProbe["file"] as? String == "drivers/foo/bar.c")
        }
        let text = try KsleuthBinary.run([
            "analyze", "--no-signatures", "--color", "never", "--vmlinux", tree.vmlinux.path, log.path,
        ])
        #expect(text.standardOutput.components(separatedBy: "build id mismatch").count == 2)
    }

    @Test("a System.map gives symbols but no files; its garbage lines are one warning")
    func systemMap() throws {
        let tree = try KernelTree()
        defer { tree.remove() }
        let log = try tree.writeLog(try tree.oops())
        let map = tree.directory.appendingPathComponent("System.map")
        // scripts/mksysmap: `nm -n vmlinux` without undefined, weak-undefined and absolute symbols.
        var text = "not a symbol line\n"
        for line in try tree.run("nm", ["-n", "vmlinux"]).split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 3, !["a", "N", "U", "w"].contains(fields[1]) { text += line + "\n" }
        }
        try Data(text.utf8).write(to: map)
        let result = try KsleuthBinary.run([
            "analyze", "--no-signatures", "--format", "json", "--system-map", map.path, log.path,
        ])
        #expect(result.status == 0)
        let input = try firstInput(result.standardOutput)
        let messages = try #require(input["diagnostics"] as? [[String: Any]]).compactMap { $0["message"] as? String }
        #expect(messages == ["System.map: skipped 1 line(s) that are not symbols (first: line 1)"])
        let incident = try #require(try incidents(input).first)
        #expect(try frames(incident).allSatisfy { $0["file"] is NSNull })
    }

    @Test("module frames resolve from a .ko.xz under --modules")
    func moduleFrames() throws {
        let tree = try KernelTree()
        defer { tree.remove() }
        let modules = try tree.buildModule()
        let module = try tree.moduleSymbols()
        let size = try #require(module["my_probe"]).size
        let line = String(format: " my_probe+0x%llx/0x%llx [my_mod]", size / 2, size)
        let log = try tree.writeLog(try tree.oops(extraFrame: line))
        let result = try KsleuthBinary.run([
            "analyze", "--no-signatures", "--format", "json", "--vmlinux", tree.vmlinux.path, "--modules",
            modules.path, log.path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let input = try firstInput(result.standardOutput)
        let incident = try #require(try incidents(input).first)
        let frame = try #require(try frames(incident).first { $0["function"] as? String == "my_probe" })
        #expect(frame["module"] as? String == "my_mod")
        #expect(frame["file"] as? String == "drivers/mod/my_mod.c")
        #expect(frame["line"] as? Int == 1)
        let missing = try KsleuthBinary.run([
            "analyze", "--no-signatures", "--format", "json", "--vmlinux", tree.vmlinux.path, "--modules",
            tree.directory.appendingPathComponent("build/include").path, log.path,
        ])
        let messages = try #require(try firstInput(missing.standardOutput)["diagnostics"] as? [[String: Any]])
            .compactMap { $0["message"] as? String }
        #expect(messages == ["module my_mod: not found under --modules"])
        let without = try KsleuthBinary.run([
            "analyze", "--no-signatures", "--format", "json", "--vmlinux", tree.vmlinux.path, log.path,
        ])
        let unresolved = try #require(try firstInput(without.standardOutput)["diagnostics"] as? [[String: Any]])
            .compactMap { $0["message"] as? String }
        #expect(unresolved == ["frames of 1 module(s) not resolved (my_mod): no --modules given"])
    }

    /// A System.map written for the test: `helper_x` is 0x200 long, from 0xffffffff81100200.
    static let rawSystemMap = """
        ffffffff81000000 T _text
        ffffffff81100000 T do_sys_open
        ffffffff81100200 t helper_x
        ffffffff81100400 T vfs_read
        ffffffff81100800 T _etext
        ffffffff81200000 D some_data

        """

    /// A 4.4-style oops whose faulting and one return address kallsyms could not name; the
    /// named frames print their addresses too, 0x1f000000 past the map's.
    static let oldStyleRawOops = """
        [   10.100000] BUG: unable to handle kernel paging request at ffffffffc0123456
        [   10.100000] IP: [<ffffffffa0100210>] 0xffffffffa0100210
        [   10.100000] Oops: 0000 [#1] SMP
        [   10.100000] CPU: 1 PID: 42 Comm: cat Not tainted 4.4.0 #1
        [   10.100000] RIP: 0010:[<ffffffffa0100210>]  [<ffffffffa0100210>] 0xffffffffa0100210
        [   10.100000] RSP: 0018:ffff88003c8e7e48  EFLAGS: 00010246
        [   10.100000] Call Trace:
        [   10.100000]  [<ffffffffa0100428>] vfs_read+0x28/0x400
        [   10.100000]  [<ffffffffa0100231>] ? 0xffffffffa0100231
        [   10.100000]  [<ffffffffa0100017>] do_sys_open+0x17/0x200
        [   10.100000] ---[ end trace 0000000000000001 ]---

        """

    /// A 6.1-style oops: named frames without addresses, the offset stated after the panic.
    static let statedOffsetRawOops = """
        [   20.000000] BUG: kernel NULL pointer dereference, address: 0000000000000008
        [   20.000000] #PF: supervisor read access in kernel mode
        [   20.000000] Oops: 0000 [#1] PREEMPT SMP NOPTI
        [   20.000000] CPU: 1 PID: 42 Comm: cat Not tainted 6.1.0 #1
        [   20.000000] RIP: 0010:0xffffffffaf100210
        [   20.000000] RSP: 0018:ffffc90000013d48 EFLAGS: 00010246
        [   20.000000] Call Trace:
        [   20.000000]  <TASK>
        [   20.000000]  vfs_read+0x28/0x400
        [   20.000000]  ? 0xffffffffaf100231
        [   20.000000]  do_sys_open+0x17/0x200
        [   20.000000]  </TASK>
        [   20.000000] ---[ end trace 0000000000000000 ]---
        [   20.000000] Kernel panic - not syncing: Fatal exception
        [   20.000000] Kernel Offset: 0x2e000000 from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)

        """

    @Test(
        "raw addresses are named through the KASLR offset, solved from frames or stated; the bucket stays",
        arguments: [
            (oldStyleRawOops, 0xffff_ffff_a010_0000 as UInt64, true),
            (statedOffsetRawOops, 0xffff_ffff_af10_0000, false),
        ])
    func rawAddresses(log text: String, runtimeBase: UInt64, solved: Bool) throws {
        let tree = try KernelTree()
        defer { tree.remove() }
        let map = tree.directory.appendingPathComponent("System.map")
        try Data(Self.rawSystemMap.utf8).write(to: map)
        let log = try tree.writeLog(text)
        let result = try KsleuthBinary.run([
            "analyze", "--no-signatures", "--format", "json", "--system-map", map.path, log.path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let input = try firstInput(result.standardOutput)
        let incident = try #require(try incidents(input).first)
        let trace = try #require(incident["call_trace"] as? [String: Any])
        // The faulting 0x…210 is helper_x+0x10 (0xffffffff81100210 - 0xffffffff81100200).
        let faulting = try #require(trace["faulting_frame"] as? [String: Any])
        #expect(faulting["function"] as? String == "helper_x")
        #expect(faulting["offset"] as? Int == 0x10)
        #expect(faulting["size"] as? Int == 0x200)
        #expect(faulting["address"] as? String == "0x" + String(runtimeBase + 0x210, radix: 16))
        // ` ? 0x…231` returns into helper_x+0x31, a guess, between the two named frames.
        let frames = try frames(incident)
        #expect(frames.map { $0["function"] as? String } == ["vfs_read", "helper_x", "do_sys_open"])
        #expect(frames[1]["offset"] as? Int == 0x31)
        #expect(frames[1]["reliable"] as? Bool == false)
        #expect(frames[1]["address"] as? String == "0x" + String(runtimeBase + 0x231, radix: 16))
        let messages = try #require(input["diagnostics"] as? [[String: Any]]).compactMap { $0["message"] as? String }
        // vfs_read+0x28 at 0xffffffffa0100428 and do_sys_open+0x17 at 0xffffffffa0100017.
        #expect(messages == (solved ? ["KASLR offset 0x1f000000 solved from 2 of 2 frames"] : []), "\(messages)")

        let plain = try KsleuthBinary.run(["analyze", "--no-signatures", "--format", "json", log.path])
        let unsymbolized = try #require(try incidents(try firstInput(plain.standardOutput)).first)
        let identity = try #require(incident["identity"] as? [String: Any])
        let plainIdentity = try #require(unsymbolized["identity"] as? [String: Any])
        #expect(plainIdentity["bucket"] as? String == identity["bucket"] as? String)
        // Without symbols the raw address stays unnamed (the model may keep it, with no function).
        #expect(try !self.frames(unsymbolized).contains { $0["function"] as? String == "helper_x" })

        let report = try KsleuthBinary.run([
            "analyze", "--no-signatures", "--color", "never", "--excerpt-lines", "40", "--system-map", map.path,
            log.path,
        ])
        #expect(
            report.standardOutput.contains(String(format: "? 0x%llx helper_x+0x31/0x200\n", runtimeBase + 0x231)),
            "\(report.standardOutput)")
    }

    @Test("a raw module address resolves through --proc-modules and the module's .ko.xz")
    func rawModuleAddress() throws {
        let tree = try KernelTree()
        defer { tree.remove() }
        let modules = try tree.buildModule()
        let probe = try #require(try tree.moduleSymbols()["my_probe"])
        let listing = tree.directory.appendingPathComponent("modules.txt")
        try Data("my_mod 16384 0 - Live 0xffffffffc0a00000 (OE)\n".utf8).write(to: listing)
        let runtime = 0xffff_ffff_c0a0_0000 + probe.address + probe.size / 2
        let log = try tree.writeLog(try tree.oops(extraFrame: String(format: " ? 0x%016llx", runtime)))
        let result = try KsleuthBinary.run([
            "analyze", "--no-signatures", "--format", "json", "--vmlinux", tree.vmlinux.path, "--modules",
            modules.path, "--proc-modules", listing.path, log.path,
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let input = try firstInput(result.standardOutput)
        let incident = try #require(try incidents(input).first)
        let frame = try #require(try frames(incident).last)
        #expect(frame["function"] as? String == "my_probe")
        #expect(frame["module"] as? String == "my_mod")
        #expect(frame["offset"] as? Int == Int(probe.size / 2))
        #expect(frame["file"] as? String == "drivers/mod/my_mod.c")
        #expect(frame["line"] as? Int == 1)
        #expect(frame["reliable"] as? Bool == false)
        #expect((input["diagnostics"] as? [Any])?.isEmpty == true, "\(input["diagnostics"] ?? "")")
    }

    @Test("symbolize: an address list (arguments or stdin, text or JSON), and a log with raw addresses")
    func symbolizeCommand() throws {
        let tree = try KernelTree()
        defer { tree.remove() }
        // The call of slab_thing in bar_probe, one byte before the return address objdump shows.
        let printed = try tree.frame("bar_probe", returningFrom: "slab_thing")
        let offset = try #require(
            UInt64(printed.split(separator: "+")[1].split(separator: "/")[0].dropFirst(2), radix: 16))
        let call = try #require(try tree.symbols()["bar_probe"]).address + offset - 1
        let address = "0x" + String(call, radix: 16)
        let listing = try KsleuthBinary.run([
            "symbolize", "--vmlinux", tree.vmlinux.path, "--format", "json", "--addresses", address,
        ])
        #expect(listing.status == 0, "\(listing.standardError)")
        let answers = try #require(
            try JSONSerialization.jsonObject(with: Data(listing.standardOutput.utf8)) as? [[String: Any]])
        #expect(answers.count == 1)
        #expect(answers.first?["address"] as? String == address)
        let chain = try #require(answers.first?["frames"] as? [[String: Any]])
        // helper.h:2 column 73 is `slab_thing(v * 7)`, inlined at bar.c:2 column 57, `helper(x)`.
        #expect(chain.map { $0["function"] as? String } == ["helper", "bar_probe"])
        #expect((chain[0]["file"] as? String)?.hasSuffix("include/linux/helper.h") == true)
        #expect(chain.map { $0["line"] as? Int } == [2, 2])
        #expect(chain.map { $0["column"] as? Int } == [73, 57])
        let text = try KsleuthBinary.run(
            ["symbolize", "--vmlinux", tree.vmlinux.path, "--addresses", "-"], input: Data("\(address)\n".utf8))
        let lines = text.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "helper")
        #expect(lines.count > 3 && lines[2] == "bar_probe")
        #expect(lines.count > 3 && lines[3].hasSuffix("drivers/foo/bar.c:2:57"))
        let wrong = try KsleuthBinary.run(["symbolize", "--vmlinux", tree.vmlinux.path, "--addresses", "0xzz"])
        #expect(wrong.status == 2)
        #expect(wrong.standardError == "ksleuth: 0xzz is not a hex address\n")

        let map = tree.directory.appendingPathComponent("System.map")
        try Data(Self.rawSystemMap.utf8).write(to: map)
        let log = try tree.writeLog(Self.oldStyleRawOops)
        let annotated = try KsleuthBinary.run(["symbolize", "--system-map", map.path, log.path])
        #expect(annotated.status == 0)
        #expect(
            annotated.standardOutput.contains(
                "[   10.100000]  [<ffffffffa0100231>] ? 0xffffffffa0100231 helper_x+0x31/0x200\n"),
            "\(annotated.standardOutput)")
        #expect(annotated.standardError == "ksleuth: KASLR offset 0x1f000000 solved from 2 of 2 frames\n")
        let document = try KsleuthBinary.run(["symbolize", "--system-map", map.path, "--format", "json", log.path])
        let parsed = try json(document.standardOutput)
        let kaslr = try #require(parsed["kaslr"] as? [String: Any])
        #expect(kaslr["offset"] as? String == "0x1f000000")
        #expect(kaslr["agreeing"] as? Int == 2)
        #expect((parsed["modules"] as? [Any])?.isEmpty == true)
    }

    @Test("an unreadable --vmlinux is an error with status 2")
    func unreadableVmlinux() throws {
        let tree = try KernelTree()
        defer { tree.remove() }
        let log = try tree.writeLog(try tree.oops())
        let cut = tree.directory.appendingPathComponent("cut-vmlinux")
        try Data(try Data(contentsOf: tree.vmlinux).prefix(200)).write(to: cut)
        for command in ["analyze", "triage"] {
            let result = try KsleuthBinary.run([command, "--no-signatures", "--vmlinux", cut.path, log.path])
            #expect(result.status == 2)
            #expect(result.standardError.hasPrefix("ksleuth: error: \(cut.path)"), "\(result.standardError)")
            #expect(!result.standardError.contains("Fatal error"))
        }
    }
}

/// A few C files laid out like a kernel tree (`drivers/`, `mm/`, `lib/`, `fs/`,
/// `include/linux/`), built with gcc into `build/vmlinux`, whose one-line functions put
/// every address of a function on a known line.
struct KernelTree {
    static var toolsPresent: Bool {
        ["gcc", "objdump", "nm", "readelf", "xz"].allSatisfy { tool($0) != nil }
    }

    static func tool(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    let directory: URL
    var build: URL { directory.appendingPathComponent("build") }
    var vmlinux: URL { build.appendingPathComponent("vmlinux") }

    /// Line numbers the tests read: each function is the only thing on its line.
    static let sources: [(String, String)] = [
        (
            "include/linux/helper.h",
            "int slab_thing(int v);\n"
                + "static inline __attribute__((always_inline)) int helper(int v) { return slab_thing(v * 7) + 3; }\n"
        ),
        (
            "drivers/foo/bar.c",
            "#include <linux/helper.h>\n"
                + "__attribute__((noinline)) int bar_probe(int x) { return helper(x) * 5; }\n"
        ),
        (
            "mm/slub.c",
            "int lib_helper(int v);\n"
                + "__attribute__((noinline)) int slab_thing(int v) { return lib_helper(v) + 1; }\n"
        ),
        ("lib/dump.c", "__attribute__((noinline)) int lib_helper(int v) { return *(volatile int *)(long)v; }\n"),
        ("fs/decoy.c", "__attribute__((noinline)) int fs_decoy(int v) { return v + 11; }\n"),
        (
            "main.c",
            "int bar_probe(int);\nint fs_decoy(int);\n"
                + "int main(int argc, char **argv) { return bar_probe(argc) + fs_decoy(argc); }\n"
        ),
    ]

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ksleuth-tree-\(UUID().uuidString)")
        for (path, text) in Self.sources {
            let url = directory.appendingPathComponent("build/" + path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let files = Self.sources.map(\.0).filter { $0.hasSuffix(".c") }
        try run("gcc", ["-O2", "-g", "-Iinclude", "-Wl,--build-id", "-o", "vmlinux"] + files)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    @discardableResult
    func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.tool(tool)))
        process.arguments = arguments
        process.currentDirectoryURL = build
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(tool) \(arguments) failed")
        return String(decoding: data, as: UTF8.self)
    }

    /// `nm -S` of `file`: each defined symbol's address and size.
    func symbols(of file: String = "vmlinux") throws -> [String: (address: UInt64, size: UInt64)] {
        var result: [String: (address: UInt64, size: UInt64)] = [:]
        for line in try run("nm", ["-S", file]).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 4, let address = UInt64(fields[0], radix: 16),
                let size = UInt64(fields[1], radix: 16)
            else { continue }
            result[String(fields[3])] = (address, size)
        }
        return result
    }

    func buildID() throws -> String {
        let notes = try run("readelf", ["-n", "vmlinux"])
        let line = try #require(notes.split(separator: "\n").first { $0.contains("Build ID:") })
        return String(try #require(line.split(separator: " ").last))
    }

    /// The size the kernel prints for `name`: kallsyms keeps no sizes and prints the distance
    /// to the next symbol, so the function's padding counts.
    func kallsymsSize(_ name: String) throws -> UInt64 {
        let symbol = try #require(try symbols()[name])
        var addresses: [UInt64] = []
        for line in try run("nm", ["-n", "vmlinux"]).split(separator: "\n") {
            if let address = line.split(separator: " ").first.flatMap({ UInt64($0, radix: 16) }) {
                addresses.append(address)
            }
        }
        let next = try #require(addresses.first { $0 > symbol.address })
        return next - symbol.address
    }

    /// `name+0xOFF/0xSIZE` as the kernel prints it: at offset 0, or at the return address of
    /// its call to `callee` (the instruction after the call, read from `objdump -d`).
    func frame(_ name: String, returningFrom callee: String? = nil) throws -> String {
        let symbol = try #require(try symbols()[name])
        var offset: UInt64 = 0
        if let callee {
            let lines = try run("objdump", ["-d", "--no-show-raw-insn", "vmlinux"]).split(separator: "\n")
            let start = try #require(lines.firstIndex { $0.hasSuffix("<\(name)>:") })
            let call = try #require(lines[start...].firstIndex { $0.contains("call") && $0.hasSuffix("<\(callee)>") })
            let next = lines[call + 1].trimmingCharacters(in: .whitespaces)
            let address = try #require(UInt64(next.prefix { $0 != ":" }, radix: 16))
            offset = address - symbol.address
        }
        return "\(name)+0x\(String(offset, radix: 16))/0x\(String(try kallsymsSize(name), radix: 16))"
    }

    /// An x86_64 NULL-pointer oops through the tree's functions, `extraFrame` last.
    func oops(buildID: String? = nil, extraFrame: String? = nil) throws -> String {
        var lines = [
            "BUG: kernel NULL pointer dereference, address: 0000000000000008",
            "#PF: supervisor read access in kernel mode",
            "#PF: error_code(0x0000) - not-present page",
            "Oops: 0000 [#1] PREEMPT SMP NOPTI",
            "CPU: 1 PID: 42 Comm: modprobe Not tainted 6.1.0 #1" + (buildID.map { " " + $0 } ?? ""),
            "RIP: 0010:" + (try frame("lib_helper")),
            "RSP: 0018:ffffc90000013d48 EFLAGS: 00010246",
            "Call Trace:",
            " <TASK>",
            " ? " + (try frame("fs_decoy")).replacingOccurrences(of: "+0x0/", with: "+0x1/"),
            " " + (try frame("slab_thing", returningFrom: "lib_helper")),
            " " + (try frame("bar_probe", returningFrom: "slab_thing")),
            " " + (try frame("main", returningFrom: "bar_probe")),
        ]
        if let extraFrame { lines.append(extraFrame) }
        lines += [" </TASK>", "---[ end trace 0000000000000000 ]---"]
        return lines.map { "[   10.100000] " + $0 + "\n" }.joined()
    }

    func writeLog(_ text: String) throws -> URL {
        let url = directory.appendingPathComponent("kern-\(UUID().uuidString).log")
        try Data(text.utf8).write(to: url)
        return url
    }

    /// `modules/kernel/drivers/mod/my-mod.ko.xz`, a relocatable object of one function.
    func buildModule() throws -> URL {
        let source = build.appendingPathComponent("drivers/mod/my_mod.c")
        try FileManager.default.createDirectory(
            at: source.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(
            "int my_probe(int *p, int n) { int t = 0; for (int i = 0; i < n; i++) t += p[i] * i; return t; }\n".utf8
        )
        .write(to: source)
        try run("gcc", ["-O2", "-g", "-c", "-o", "my-mod.ko", "drivers/mod/my_mod.c"])
        try run("xz", ["my-mod.ko"])
        let modules = directory.appendingPathComponent("modules/kernel/drivers/mod")
        try FileManager.default.createDirectory(at: modules, withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            at: build.appendingPathComponent("my-mod.ko.xz"), to: modules.appendingPathComponent("my-mod.ko.xz"))
        try run("xz", ["-dk", modules.appendingPathComponent("my-mod.ko.xz").path])
        try FileManager.default.moveItem(
            at: modules.appendingPathComponent("my-mod.ko"), to: build.appendingPathComponent("my-mod.ko"))
        return directory.appendingPathComponent("modules")
    }

    func moduleSymbols() throws -> [String: (address: UInt64, size: UInt64)] { try symbols(of: "my-mod.ko") }
}
