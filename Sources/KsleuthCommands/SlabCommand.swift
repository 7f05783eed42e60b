// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthInput

/// `ksleuth slab …`: decode slab descriptors and list the layouts ksleuth knows.
public struct SlabCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "slab",
        abstract: "Decode slab allocator structures from hexdumps.",
        subcommands: [SlabDecodeCommand.self, SlabLayoutsCommand.self])

    public init() {}
}

/// `ksleuth slab decode --layout NAME [--arch …] FILE|-`.
public struct SlabDecodeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode the first hexdump in a file as a slab structure and check its fields.",
        discussion: """
            Reads any hexdump the kernel prints (check_slabp's '000: …' rows, print_hex_dump rows with \
            offsets or addresses, SLUB 'Object …:' rows, dump_page 'raw:' words), with or without log \
            prefixes. 'ksleuth slab layouts' lists the layouts. docs/slab.md describes the checks.
            """)

    /// Output formats.
    public enum Format: String, CaseIterable, ExpressibleByArgument, Sendable {
        case text, json
    }

    @Option(name: .long, help: "The layout: slab-classic, slab-freelist, slub-page-4.18, page, list_head, …")
    public var layout: String

    @Option(name: .long, help: "Architecture: x86_64, i386, arm64, arm (word size and address map).")
    public var arch: String = "x86_64"

    @Option(name: .long, help: "Kernel release (e.g. 2.6.32), for the address map and poison values.")
    public var kernel: String?

    @Option(name: .long, help: "Objects per slab (num), when known.")
    public var num: Int?

    @Flag(name: .long, help: "Multi-byte groups and fields are big-endian.")
    public var bigEndian = false

    @Option(name: .long, help: "Which dump to decode (1 = the first).")
    public var dump: Int = 1

    @Option(name: .long, help: "Output format: text or json.")
    public var format: Format = .text

    @Argument(help: "The file holding the hexdump; - for standard input.")
    public var file: String

    public init() {}

    public func validate() throws {
        guard SlabLayout.named(layout) != nil else {
            throw ValidationError(
                "unknown layout '\(layout)'; known: \(SlabLayout.all.map(\.name).joined(separator: ", "))")
        }
        guard Architecture(name: arch) != nil else { throw ValidationError("unknown architecture '\(arch)'") }
        guard dump >= 1 else { throw ValidationError("--dump counts from 1") }
    }

    public func run() throws {
        let architecture = Architecture(name: arch)!
        let chosen = SlabLayout.named(layout)!
        let version = kernel.flatMap { KernelVersion(release: $0) }
        let read: HexdumpLines.Result
        do {
            read = try HexdumpLines.read(file)
        } catch {
            FileHandle.standardError.write(Data("ksleuth: error: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
        let dumps = HexdumpAssembler(littleEndian: !bigEndian).dumps(in: read.lines).filter { $0.form != .bare }
        guard dump <= dumps.count else {
            FileHandle.standardError.write(Data("ksleuth: error: \(file): no hexdump number \(dump) found\n".utf8))
            throw ExitCode(2)
        }
        var hexdump = dumps[dump - 1]
        if read.moreRows, let last = hexdump.lastLine,
            last == read.lines.last(where: { !$0.text.isEmpty })?.number
        {
            hexdump.isCut = true
            hexdump.problems.append(
                "only the first \(HexdumpLines.maximumRows) rows of the file were read; the rows after line \(last) "
                    + "were not decoded")
        }
        let classifier = AddressClassifier(architecture: architecture, version: version)
        let decoder = StructDecoder(wordSize: architecture.wordSize, littleEndian: !bigEndian, classifier: classifier)
        var objects = num
        let fixed = chosen.size(wordSize: architecture.wordSize)
        if objects == nil, let array = chosen.trailing, chosen.name == SlabLayout.classicSlab.name,
            hexdump.bytes.count > fixed, (hexdump.bytes.count - fixed) % array.elementSize == 0
        {
            objects = (hexdump.bytes.count - fixed) / array.elementSize
        }
        let decoded = decoder.decode(hexdump.bytes, as: chosen, elements: objects)
        var anomalies: [SlabAnomaly] = []
        if chosen.name == SlabLayout.classicSlab.name {
            anomalies = ClassicSlabRules(objectsPerSlab: objects).check(decoded)
        } else {
            anomalies = PoisonScanner.poisonedFields(decoded)
        }
        var output = ""
        switch format {
        case .json:
            var document = Details()
            document["hexdump"] = .object(hexdump.detail)
            document["decoded"] = decoded.detail
            if let objects { document["objects_per_slab"] = .integer(Int64(objects)) }
            document["anomalies"] = .list(anomalies.map(\.detail))
            output = DetailJSON.render(.object(document)) + "\n"
        case .text:
            output = SlabDecodeText.render(
                decoded, layout: chosen, architecture: architecture, hexdump: hexdump, objects: objects,
                anomalies: anomalies)
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}

/// `ksleuth slab layouts`: the layouts and their fields.
public struct SlabLayoutsCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "layouts", abstract: "List the structure layouts 'slab decode' knows.")

    public init() {}

    public func run() throws {
        var text = ""
        for layout in SlabLayout.all {
            text += "\(layout.name): \(layout.title), \(layout.releases)\n  source: \(layout.source)\n"
            for field in layout.fields {
                text +=
                    "  \(field.name): offset 32-bit \(HexText.format(UInt64(field.offset.bits32))), "
                    + "64-bit \(HexText.format(UInt64(field.offset.bits64)))\n"
            }
            if let array = layout.trailing { text += "  \(array.name)[]: \(array.elementSize)-byte elements\n" }
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
