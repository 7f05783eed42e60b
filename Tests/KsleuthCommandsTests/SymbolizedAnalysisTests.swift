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
