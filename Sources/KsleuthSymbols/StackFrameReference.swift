// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A code position named on a log line: ` func+0x1d/0x60 [mod]`, `[<ffffffff81234567>]
/// func+0x..`, arm32 `(func+0x4c/0x60) from …`, arm64 `pc : func+0x..`, or a raw address the
/// kernel could not name (` [<ffffffff81234567>] 0xffffffff81234567`, ` ? 0xffffffffc04f9000`,
/// `RIP: 0010:0xffffffffc0a01234`).
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
    /// `false` when the unwinder marked the frame a guess (x86's ` ? ` before it).
    public var isReliable: Bool
    /// Where in the line the annotation goes (after the token and its module).
    public var insertionPoint: String.Index

    /// Finds the frame a log line names, `nil` when it names none.
    ///
    /// The frame is the last `name+0xOFF[/0xSIZE]` token (without parentheses or a `0010:`
    /// segment prefix), with the `[module]` after it; failing that, the last raw address
    /// of a line that looks like a stack frame: `[<…>]` (ppc's `[…]`), or the `0x…` that
    /// `%pS` prints for an address without a symbol, as the line's last token after `?`, a
    /// raw address, a stamp or nothing (after anything on a program-counter line).
    public static func parse(_ line: String, faultingHint: Bool = false) -> StackFrameReference? {
        let tokens = Self.tokens(of: line)
        let isFaulting = faultingHint || Self.isFaultingLine(line)
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
                address: rawAddress, isFaulting: isFaulting, isReliable: !Self.isGuess(tokens[..<index], in: line),
                insertionPoint: end)
        }
        if let last = tokens.last, let address = Self.unnamedAddress(line[last]) {
            let previous = tokens.count > 1 ? line[tokens[tokens.count - 2]] : nil
            if isFaulting || previous.map(Self.mayPrecedeUnnamedAddress) ?? true {
                return StackFrameReference(
                    symbol: nil, offset: 0, size: nil, module: nil, moduleBuildID: nil, address: address,
                    isFaulting: isFaulting, isReliable: !Self.isGuess(tokens.dropLast(), in: line),
                    insertionPoint: line.endIndex)
            }
        }
        for (index, token) in tokens.enumerated().reversed() {
            if let address = Self.rawAddress(line[token]) {
                return StackFrameReference(
                    symbol: nil, offset: 0, size: nil, module: nil, moduleBuildID: nil, address: address,
                    isFaulting: isFaulting, isReliable: !Self.isGuess(tokens[..<index], in: line),
                    insertionPoint: line.endIndex)
            }
        }
        return nil
    }

    /// The frame of a line that holds nothing but raw addresses, after an optional
    /// program-counter key: a frame the kernel could not name, `nil` for any other line.
    ///
    /// ```
    ///  ? 0xffffffffc04f9000
    ///  [<ffffffff810002b8>] ? 0xffffffff810002b8
    /// RIP: 0010:0xffffffffc0a01234
    /// [<c0008f4c>] (0xc0008f4c) from [<c00090f0>] (0xc00090f0)
    /// ```
    ///
    /// `text` is the kernel's text, without the line's stamp or caller id.
    public static func parseUnnamed(kernelText text: String) -> StackFrameReference? {
        let tokens = Self.tokens(of: text).map { text[$0] }
        var rest = tokens[...]
        for key in Self.programCounterKeys where rest.starts(with: key) {
            rest = rest.dropFirst(key.count)
            break
        }
        var addresses = 0
        for token in rest {
            if token == "?" || token == "from" { continue }
            guard Self.rawAddress(token) != nil || Self.unnamedAddress(token) != nil else { return nil }
            addresses += 1
        }
        guard addresses > 0, let reference = parse(text), reference.symbol == nil, reference.address != 0 else {
            return nil
        }
        return reference
    }

    /// The kernel's text of a log line: without the stamp and caller id (`[   12.345678]`,
    /// `[ T123]`, `[    C1]`) or the syslog prefix up to `kernel: `.
    public static func kernelText(of line: String) -> Substring {
        var text = Substring(line)
        if let marker = text.firstRange(of: "kernel: ") { text = text[marker.upperBound...] }
        while true {
            let trimmed = text.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("["), let close = trimmed.firstIndex(of: "]") else { return trimmed }
            let inside = trimmed[trimmed.index(after: trimmed.startIndex)..<close].drop { $0 == " " }
            let isStamp = !inside.isEmpty && inside.allSatisfy { $0.isNumber || $0 == "." }
            let isCaller =
                inside.count > 1 && (inside.first == "T" || inside.first == "C")
                && inside.dropFirst().allSatisfy(\.isNumber)
            guard isStamp || isCaller else { return trimmed }
            text = trimmed[trimmed.index(after: close)...]
        }
    }

    /// The words a program-counter line starts with, before an address without a name.
    private static let programCounterKeys: [[Substring]] = [
        ["RIP:"], ["EIP:"], ["IP:"], ["pc", ":"], ["PC", "is", "at"], ["NIP"], ["NIP:"], ["epc", ":"], ["era", ":"],
    ]

    /// Whether the frame is marked a guess: ` ? ` right before it or before its raw address,
    /// or PowerPC's `(unreliable)` after it.
    private static func isGuess(_ before: ArraySlice<Range<String.Index>>, in line: String) -> Bool {
        if line.hasSuffix("(unreliable)") { return true }
        for token in before.reversed() {
            let text = line[token]
            if text == "?" { return true }
            guard Self.rawAddress(text) != nil else { return false }
        }
        return false
    }

    /// Whether `token` may stand before a bare `0x…` frame: x86's `?`, the frame's raw
    /// address, or the end of a stamp or caller id (`[   12.345678]`, `[ T123]`).
    private static func mayPrecedeUnnamedAddress(_ token: Substring) -> Bool {
        token == "?" || token.hasSuffix("]")
    }

    /// The code segments of kernel mode, which x86 prints before the instruction pointer.
    ///
    /// `RIP: 0010:` is `__KERNEL_CS` of x86_64 (0x10), `EIP: 0060:` that of i386. A user-mode
    /// position (`RIP: 0033:0x7fd1f18192fb`, `__USER_CS`) is no kernel frame.
    static let kernelCodeSegments: Set<Substring> = ["0010", "0060"]

    /// `0xffffffffc04f9000` (also `(0x…)`, arm32 without kallsyms, and `0010:0x…` after a
    /// kernel code segment), 8 to 16 digits: what `%pS`/`%pB` print for an address without a
    /// symbol.
    private static func unnamedAddress(_ token: Substring) -> UInt64? {
        var text = token
        if text.hasPrefix("("), text.hasSuffix(")") { text = text.dropFirst().dropLast() }
        if let colon = text.firstIndex(of: ":") {
            guard kernelCodeSegments.contains(text[..<colon]) else { return nil }
            text = text[text.index(after: colon)...]
        }
        guard text.hasPrefix("0x") else { return nil }
        let digits = text.dropFirst(2)
        guard (8...16).contains(digits.count), digits.allSatisfy(\.isHexDigit) else { return nil }
        return UInt64(digits, radix: 16)
    }

    /// Whether `line` reports the faulting position rather than a return address.
    public static func isFaultingLine(_ line: String) -> Bool {
        line.contains("RIP: ") || line.contains("EIP: ") || line.contains("pc : ") || line.contains("PC is at ")
            || line.contains("NIP [") || line.contains("NIP: ") || line.contains("epc   : ")
            || line.contains("WARNING: ") || line.contains(" IP: [<") || line.hasPrefix("IP: [<")
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
