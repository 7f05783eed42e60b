// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation

/// Runs the built `ksleuth` binary, as a user would.
enum KsleuthBinary {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static var url: URL {
        Bundle.main.bundleURL.appendingPathComponent("ksleuth")
    }

    /// Runs `ksleuth` with `arguments`, feeding `input` to its standard input.
    ///
    /// Standard input and standard error go through temporary files, and standard output is
    /// read before waiting for the exit, so that large output cannot deadlock the pipe.
    static func run(_ arguments: [String], input: Data? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        let scratch = try temporaryFile(Array(input ?? Data()), name: "stdin")
        defer { try? FileManager.default.removeItem(at: scratch.deletingLastPathComponent()) }
        let errorURL = scratch.deletingLastPathComponent().appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let errorHandle = try FileHandle(forWritingTo: errorURL)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = errorHandle
        process.standardInput = try FileHandle(forReadingFrom: scratch)
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errorHandle.close()
        let errorData = try Data(contentsOf: errorURL)
        return Result(
            status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData, as: UTF8.self))
    }

    /// A temporary file holding `bytes`, removed by the caller's `defer`.
    static func temporaryFile(_ bytes: [UInt8], name: String = "input.log") throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ksleuth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }
}
