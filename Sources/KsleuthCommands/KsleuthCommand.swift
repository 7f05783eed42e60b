// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import ArgumentParser

/// The `ksleuth` command: reads Linux kernel logs and explains crashes and out-of-memory
/// events.
public struct KsleuthCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "ksleuth",
        abstract: "Read Linux kernel logs and explain crashes, OOM kills and lockups.",
        version: "0.1.0",
        subcommands: [AnalyzeCommand.self],
        defaultSubcommand: AnalyzeCommand.self)

    public init() {}
}
