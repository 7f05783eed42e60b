// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthInput

/// This machine's kernel log, for `ksleuth analyze` with no file: `/dev/kmsg` read without
/// blocking, else `journalctl -k`, else `dmesg`, saying which was used or why none could be.
enum SystemKernelLog {
    /// An opened system log and the words that say where it came from.
    struct Opened {
        let input: LogInput
        let origin: String
        /// Keeps a reader process alive while its output is read.
        let process: Process?
    }

    static func open() throws(InputError) -> Opened {
        var reasons: [String] = []
        do {
            let source = try KernelMessageDeviceSource()
            let input = try LogInput(name: "/dev/kmsg", raw: source)
            return Opened(input: input, origin: "reading this machine's kernel log from /dev/kmsg", process: nil)
        } catch {
            reasons.append("/dev/kmsg: \(error.message)")
        }
        for command in [["journalctl", "-k", "-b", "-o", "short-monotonic", "--no-pager", "-q"], ["dmesg"]] {
            do {
                return try run(command)
            } catch {
                reasons.append("\(command[0]): \(error.message)")
            }
        }
        throw InputError(
            code: .noSystemLog, input: "(system log)",
            message: "no kernel log could be read (" + reasons.joined(separator: "; ")
                + "); give a log file, or - for standard input")
    }

    private static func run(_ command: [String]) throws(InputError) -> Opened {
        guard let path = locate(command[0]) else {
            throw InputError(code: .noSystemLog, input: command[0], message: "not installed")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Array(command.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw InputError(code: .noSystemLog, input: command[0], message: "cannot start: \(error)")
        }
        let source = FileDescriptorSource(descriptor: pipe.fileHandleForReading.fileDescriptor, name: command[0])
        let input = try LogInput(name: command[0], raw: source)
        return Opened(
            input: input, origin: "reading this machine's kernel log with `\(command.joined(separator: " "))`",
            process: process)
    }

    private static func locate(_ name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in directories + ["/usr/sbin", "/sbin"] {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
