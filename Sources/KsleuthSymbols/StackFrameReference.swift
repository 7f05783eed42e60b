// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A code position named on a log line: ` func+0x1d/0x60 [mod]`, `[<ffffffff81234567>]
/// func+0x..`, arm32 `(func+0x4c/0x60) from …`, arm64 `pc : func+0x..`, or a bare raw address.
public struct StackFrameReference: Sendable, Hashable {
    /// The symbol name, `nil` for a bare address.
    public var symbol: String?
    /// The offset into the symbol.
    public var offset: UInt64
    /// The symbol size the kernel printed (`/0x60`), `nil` when absent.
    public var size: UInt64?
    /// The module (`[ext4]`), `nil` for the kernel image.
    public var module: String?
    /// The module's build id when printed (`[ext4 0123…]`).
    public var moduleBuildID: String?
    /// The raw runtime address on the line (`[<…>]`, ppc's `[…]`), when there is one.
    public var address: UInt64?
    /// Whether this is the faulting position (RIP, pc, NIP, `PC is at`), which is not a return
    /// address and so is not adjusted by one.
    public var isFaulting: Bool
    /// Where in the line the annotation goes (after the token and its module).
    public var insertionPoint: String.Index

    /// Finds the frame a log line names, `nil` when it names none.
    ///
    /// The frame is the last `name+0xOFF[/0xSIZE]` token (without parentheses or a `0010:`
    /// segment prefix), with the `[module]` after it; failing that, the last raw address
    /// of a line that looks like a stack frame.
    public static func parse(_ line: String, faultingHint: Bool = false) -> StackFrameReference? {
        let tokens = Self.tokens(of: line)
        var rawAddress: UInt64?
        for (index, token) in tokens.enumerated().reversed() {
            guard let parsed = Self.symbolToken(line[token]) else { continue }
            var module: String?
            var buildID: String?
            var end = token.upperBound
            if index + 1 < tokens.count {
                let next = line[tokens[index + 1]]
                if next.hasPrefix("[") && next.count > 2 && !next.hasPrefix("[<") {
                    if next.hasSuffix("]") {
                        module = String(next.dropFirst().dropLast())
                        end = tokens[index + 1].upperBound
                    } else if index + 2 < tokens.count, line[tokens[index + 2]].hasSuffix("]") {
                        module = String(next.dropFirst())
                        buildID = String(line[tokens[index + 2]].dropLast())
                        end = tokens[index + 2].upperBound
                    }
                }
            }
            for earlier in tokens[..<index].reversed() {
                if let address = Self.rawAddress(line[earlier]) {
                    rawAddress = address
                    break
                }
            }
            return StackFrameReference(
                symbol: parsed.name, offset: parsed.offset, size: parsed.size, module: module, moduleBuildID: buildID,
                address: rawAddress, isFaulting: faultingHint || Self.isFaultingLine(line), insertionPoint: end)
        }
        for token in tokens.reversed() {
            if let address = Self.rawAddress(line[token]) {
                return StackFrameReference(
                    symbol: nil, offset: 0, size: nil, module: nil, moduleBuildID: nil, address: address,
                    isFaulting: faultingHint || Self.isFaultingLine(line), insertionPoint: line.endIndex)
            }
        }
        return nil
    }

    /// Whether `line` reports the faulting position rather than a return address.
    public static func isFaultingLine(_ line: String) -> Bool {
        line.contains("RIP: ") || line.contains("EIP: ") || line.contains("pc : ") || line.contains("PC is at ")
            || line.contains("NIP [") || line.contains("NIP: ") || line.contains("epc   : ")
            || line.contains("WARNING: ")
    }

    private static func tokens(of line: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var index = line.startIndex
        while index < line.endIndex {
            while index < line.endIndex, line[index] == " " || line[index] == "\t" { index = line.index(after: index) }
            let start = index
            while index < line.endIndex, line[index] != " " && line[index] != "\t" { index = line.index(after: index) }
            if start < index { result.append(start..<index) }
        }
        return result
    }

    private static func symbolToken(_ raw: Substring) -> (name: String, offset: UInt64, size: UInt64?)? {
        var token = raw
        while token.hasPrefix("(") { token = token.dropFirst() }
        while token.hasSuffix(")") || token.hasSuffix(",") { token = token.dropLast() }
        if let colon = token.lastIndex(of: ":") { token = token[token.index(after: colon)...] }
        guard let plus = token.lastIndex(of: "+") else { return nil }
        let name = token[..<plus]
        let rest = token[token.index(after: plus)...]
        guard !name.isEmpty, rest.hasPrefix("0x") else { return nil }
        let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let offset = hex(parts[0]) else { return nil }
        var size: UInt64?
        if parts.count == 2 {
            guard let parsed = hex(parts[1]) else { return nil }
            size = parsed
        }
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "$" }) else {
            return nil
        }
        return (String(name), offset, size)
    }

    private static func hex(_ text: Substring) -> UInt64? {
        guard text.hasPrefix("0x") else { return nil }
        let digits = text.dropFirst(2)
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        return UInt64(digits, radix: 16)
    }

    /// `[<ffffffff81234567>]` (or ppc's `[c000000008068df8]` of at least 8 digits).
    private static func rawAddress(_ token: Substring) -> UInt64? {
        var text = token
        if let colon = text.lastIndex(of: ":"), text.hasPrefix("0") { text = text[text.index(after: colon)...] }
        guard text.hasPrefix("["), text.hasSuffix("]") else { return nil }
        text = text.dropFirst().dropLast()
        if text.hasPrefix("<") && text.hasSuffix(">") {
            text = text.dropFirst().dropLast()
        } else if text.count < 8 {
            return nil
        }
        guard !text.isEmpty, text.count <= 16, text.allSatisfy(\.isHexDigit) else { return nil }
        return UInt64(text, radix: 16)
    }
}
