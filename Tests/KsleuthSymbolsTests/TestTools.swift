// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation

/// Finds and runs the external tools the tests compare against (compilers, llvm-symbolizer,
/// addr2line, xz), in a scratch directory per test.
enum TestTools {
    struct Output {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The path of `name` on `PATH` or in the Swift toolchain, `nil` when absent.
    static func find(_ name: String) -> String? {
        // The Swift toolchain's LLVM tools first: they are newer than a distribution's.
        var directories = ["/opt/swift/usr/bin"]
        directories += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        directories += ["/usr/bin", "/usr/local/bin"]
        for directory in directories {
            let path = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Runs `tool` with `arguments`, feeding `input`, in `directory`.
    static func run(_ tool: String, _ arguments: [String], input: String = "", in directory: URL? = nil) throws
        -> Output
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ksleuth-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inputURL = scratch.appendingPathComponent("stdin")
        let errorURL = scratch.appendingPathComponent("stderr")
        try Data(input.utf8).write(to: inputURL)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let errorHandle = try FileHandle(forWritingTo: errorURL)
        let output = Pipe()
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = output
        process.standardError = errorHandle
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errorHandle.close()
        return Output(
            status: process.terminationStatus, standardOutput: String(decoding: data, as: UTF8.self),
            standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }

    /// A fresh scratch directory, removed by the caller.
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ksleuth-symbols-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A C program with many small functions and inline helpers in a header, so that `-O2`
    /// inlines several levels deep; `withData` adds a static table (kept out of objects, whose
    /// data symbols at offset 0 confuse llvm-symbolizer's lookups).
    static func writeProgram(in directory: URL, functions: Int = 48, withData: Bool = true) throws {
        var header = """
            static inline int rotate(int v, int s) { return (v << (s & 31)) | ((unsigned)v >> ((32 - s) & 31)); }
            static inline int mix(int a, int b) {
                int r = rotate(a * 31 + b, 5);
                if (r & 1)
                    r ^= rotate(b, 7);
                return r;
            }
            static inline int scale(int a, int *p) {
                int t = mix(a, p[a & 7]);
                return t > 0 ? t / 3 : mix(t, a) * 2;
            }

            """
        header += "int sink(int);\n"
        var source = "#include \"helpers.h\"\n#include <stdio.h>\n"
        if withData { source += "static int table[64];\n" }
        source += "int sink(int v) { return v ^ 0x5a5a; }\n"
        for index in 0..<functions {
            let data = withData ? "table[(x + \(index)) & 63]" : "(x * \(index + 3))"
            source += """
                __attribute__((noinline)) int work\(index)(int *p, int n) {
                    int total = \(index);
                    for (int x = 0; x < n; x++) {
                        total += scale(x + \(index), p) ^ \(data);
                        if (total > \(1000 + index * 17))
                            total = sink(total) - mix(total, x);
                    }
                    return total + mix(n, \(index));
                }

                """
        }
        source += "int main(int argc, char **argv) {\n    int values[8] = {1, 2, 3, 4, 5, 6, 7, 8};\n    int t = 0;\n"
        for index in 0..<functions { source += "    t += work\(index)(values, argc + \(index));\n" }
        source += "    printf(\"%d %s\\n\", t, argv[0]);\n    return 0;\n}\n"
        try Data(header.utf8).write(to: directory.appendingPathComponent("helpers.h"))
        try Data(source.utf8).write(to: directory.appendingPathComponent("program.c"))
    }
}
