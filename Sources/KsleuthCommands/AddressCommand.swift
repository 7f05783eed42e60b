// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import Foundation
import KsleuthAnalysis

/// `ksleuth address classify --arch … VALUE…` (alias `addr`): what kind of memory each value points into.
public struct AddressCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "address",
        abstract: "Classify kernel addresses: user, direct map, vmalloc, modules, NULL + offset, ERR_PTR, poison…",
        subcommands: [AddressClassifyCommand.self],
        defaultSubcommand: AddressClassifyCommand.self,
        aliases: ["addr"])

    public init() {}
}

/// `ksleuth address classify`.
public struct AddressClassifyCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "classify", abstract: "Say what each address is on one architecture's memory map.")

    @Option(name: .long, help: "Architecture: x86_64, i386, arm64, arm.")
    public var arch: String = "x86_64"

    @Option(name: .long, help: "Kernel release (e.g. 4.19.0), which picks the era's map.")
    public var kernel: String?

    @Option(name: .long, help: "arm64 VA size: 39, 48 or 52.")
    public var vaBits: Int?

    @Option(name: .long, help: "A layout by name, overriding --arch and --kernel (e.g. x86_64-5level).")
    public var layout: String?

    @Argument(help: "Values in hex (with or without 0x).")
    public var values: [String]

    public init() {}

    public func validate() throws {
        guard Architecture(name: arch) != nil else { throw ValidationError("unknown architecture '\(arch)'") }
        if let layout, AddressLayout.named(layout) == nil {
            throw ValidationError(
                "unknown layout '\(layout)'; known: \(AddressLayout.all.map(\.name).joined(separator: ", "))")
        }
        for value in values where HexText.value(value) == nil {
            throw ValidationError("'\(value)' is not a hex value of at most 16 digits")
        }
    }

    public func run() throws {
        let version = kernel.flatMap { KernelVersion(release: $0) }
        let classifier: AddressClassifier =
            if let layout, let named = AddressLayout.named(layout) {
                AddressClassifier(layout: named, version: version)
            } else {
                AddressClassifier(architecture: Architecture(name: arch)!, version: version, vaBits: vaBits)
            }
        var text = "layout: \(classifier.layout.name)\n"
        for value in values.compactMap({ HexText.value($0) }) {
            let result = classifier.classify(value)
            text += "\(HexText.format(value, digits: classifier.wordSize * 2))  \(result.region.rawValue)  "
            text += "\(result.description)\n"
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
