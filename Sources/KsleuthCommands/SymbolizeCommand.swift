// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import Foundation
import KsleuthInput
import KsleuthReports
import KsleuthSymbols

/// `ksleuth symbolize`: resolve the frames of a log, or a list of addresses, to functions,
/// source lines and inlined calls, from a `vmlinux`, `System.map` and modules.
public struct SymbolizeCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "symbolize",
        abstract: "Add file:line and inlined frames to the stack traces of a kernel log.",
        discussion: """
            With a log (or -), writes it back with every frame line annotated, as \
            decode_stacktrace.sh does. With --addresses, resolves each address in --vmlinux (any \
            ELF file) and prints its frames, innermost inlined frame first, as llvm-symbolizer \
            does. See docs/symbolization.md.

            Exit status: 0 on success, 2 when an input could not be used.
            """)

    /// How results are written.
    public enum Format: String, CaseIterable, ExpressibleByArgument, Sendable {
        case text
        case json
    }

    @OptionGroup public var symbols: SymbolOptions

    @Option(help: "Where a relocatable --vmlinux (.o, .ko) is placed (hex), for --addresses.")
    public var base: String?

    @Option(parsing: .upToNextOption, help: "Addresses to resolve in --vmlinux (hex); - reads them from stdin.")
    public var addresses: [String] = []

    @Option(help: "Output format: text or json.")
    public var format: Format = .text

    @Argument(help: "The log to symbolize; - for standard input.")
    public var log: String?

    public init() {}

    public func validate() throws {
        if !addresses.isEmpty {
            guard symbols.vmlinux != nil else { throw ValidationError("--addresses needs --vmlinux.") }
            guard log == nil else { throw ValidationError("give either --addresses or a log, not both.") }
        } else {
            guard log != nil else { throw ValidationError("give a log (or -), or --addresses.") }
            guard !symbols.isEmpty else {
                throw ValidationError("give --vmlinux, --system-map, --modules or --proc-modules.")
            }
        }
        if let base, Self.parseAddress(base) == nil { throw ValidationError("--base \(base) is not a hex address.") }
    }

    public func run() throws {
        let output = StandardOutput()
        let errors = StandardOutput(descriptor: STDERR_FILENO)
        defer {
            output.flush()
            errors.flush()
        }
        if !addresses.isEmpty {
            try runAddresses(output: output, errors: errors)
        } else {
            try runLog(output: output, errors: errors)
        }
    }

    private func fail(_ message: String, errors: StandardOutput) -> ExitCode {
        errors.write("ksleuth: \(message)\n")
        return ExitCode(2)
    }

    private func runAddresses(output: StandardOutput, errors: StandardOutput) throws {
        guard let vmlinux = symbols.vmlinux else { return }
        let symbolizer: Symbolizer
        do {
            symbolizer = try Symbolizer(path: vmlinux, base: base.flatMap(Self.parseAddress) ?? 0)
        } catch {
            throw fail(String(describing: error), errors: errors)
        }
        var parsed: [UInt64] = []
        if addresses == ["-"] {
            // Split on ASCII blanks byte by byte: a list of 10,000 addresses is read in no time.
            let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            var start = 0
            while start < input.count {
                while start < input.count, Self.isBlank(input[start]) { start += 1 }
                var end = start
                while end < input.count, !Self.isBlank(input[end]) { end += 1 }
                guard end > start else { break }
                let word = input[start..<end]
                guard let address = Self.parseAddress(word) else {
                    throw fail("\(String(decoding: word, as: UTF8.self)) is not a hex address", errors: errors)
                }
                parsed.append(address)
                start = end
            }
        } else {
            for word in addresses {
                guard let address = Self.parseAddress(word) else {
                    throw fail("\(word) is not a hex address", errors: errors)
                }
                parsed.append(address)
            }
        }
        let results = symbolizer.frames(at: parsed)
        switch format {
        case .json:
            let items = zip(parsed, results).map { SymbolizationJSON.address($0.0, frames: $0.1) }
            output.write("[" + items.joined(separator: ",\n") + "]\n")
        case .text:
            var text = ""
            for frames in results {
                for frame in frames {
                    text += (frame.function ?? "??") + "\n"
                    text += "\(frame.file ?? "??"):\(frame.line):\(frame.column)\n"
                }
                text += "\n"
                if text.utf8.count > 1 << 16 {
                    output.write(text)
                    text = ""
                }
            }
            output.write(text)
        }
        for warning in symbolizer.warnings { errors.write("ksleuth: warning: \(warning)\n") }
    }

    private func runLog(output: StandardOutput, errors: StandardOutput) throws {
        guard let log else { return }
        let sources: OpenedSymbolSources
        do {
            sources = try symbols.open()
        } catch {
            throw fail(String(describing: error), errors: errors)
        }
        let lines: [String]
        do {
            lines = try Self.readLines(log)
        } catch {
            throw fail(String(describing: error), errors: errors)
        }
        let symbolizer = LogSymbolizer(
            kernel: sources.kernel, systemMap: sources.systemMap, modules: sources.modules,
            stripPrefix: symbols.effectiveStripPrefix, procModules: sources.procModules)
        let frames = symbolizer.resolve(lines)
        switch format {
        case .json:
            output.write(
                SymbolizationJSON.log(
                    frames: frames, kaslr: symbolizer.kaslr, warnings: symbolizer.warnings,
                    modules: symbolizer.layout.modules))
            output.write("\n")
        case .text:
            var text = ""
            for line in symbolizer.annotate(lines, frames: frames) {
                text += line + "\n"
                if text.utf8.count > 1 << 16 {
                    output.write(text)
                    text = ""
                }
            }
            output.write(text)
            for note in symbolizer.notes { errors.write("ksleuth: \(note)\n") }
            for warning in symbolizer.warnings { errors.write("ksleuth: warning: \(warning)\n") }
        }
    }

    private static func readLines(_ path: String) throws(InputError) -> [String] {
        let input = try LogInput.open(path)
        var bytes: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let count = try input.source.read(into: chunk)
            if count == 0 { break }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
        }
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    private static func parseAddress(_ text: String) -> UInt64? {
        parseAddress(Array(text.utf8)[...])
    }

    /// `0x1234`, `0X1234` or `1234`: at most 16 hex digits.
    private static func parseAddress(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        var digits = bytes
        if digits.count >= 2, digits[digits.startIndex] == UInt8(ascii: "0"),
            digits[digits.startIndex + 1] | 0x20 == UInt8(ascii: "x")
        {
            digits = digits.dropFirst(2)
        }
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d || byte == 0x0b || byte == 0x0c
    }
}
