// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import Glibc

/// The `ksleuth` command: reads Linux kernel logs and explains crashes and out-of-memory
/// events.
public struct KsleuthCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ksleuth",
        abstract: "Read Linux kernel logs and explain crashes, OOM kills and lockups.",
        version: "0.1.0",
        subcommands: [
            AnalyzeCommand.self, TriageCommand.self, SignaturesCommand.self, SymbolizeCommand.self, SlabCommand.self,
            AddressCommand.self,
        ],
        defaultSubcommand: AnalyzeCommand.self)

    public init() {}

    /// Parses the process's arguments and runs the command, then exits.
    ///
    /// A usage error exits with status 2, as every input error does (`docs/exit-codes.md`),
    /// rather than the argument parser's 64.
    public static func runFromCommandLine() -> Never {
        do {
            var command = try parseAsRoot()
            try command.run()
            Glibc.exit(0)
        } catch {
            if exitCode(for: error) == .validationFailure {
                let message = Array((fullMessage(for: error) + "\n").utf8)
                _ = message.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }
}
