// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation

/// Finds the values worth classifying in an incident's lines: the faulting address of each
/// architecture's fault line, `CR2`, and the general registers (x86, i386, arm64, arm).
public enum AddressExtractor {
    /// One value and where it was read.
    public struct Found: Sendable, Hashable {
        /// Where it was read: `fault`, `CR2`, `RAX`, `x0`, `r4`, `access` or `list`.
        public var source: String
        public var value: UInt64
        public var line: Int
    }

    static let faultLines: [LinePattern] = [
        LinePattern(#"unable to handle kernel (?:NULL pointer dereference|paging request) at ([0-9a-f]{8,16})"#),
        LinePattern(#"BUG: kernel NULL pointer dereference, address: ([0-9a-f]{8,16})"#),
        LinePattern(#"BUG: unable to handle page fault for address: ([0-9a-f]{8,16})"#),
        LinePattern(#"Unable to handle kernel [^\n]*? at virtual address ([0-9a-f]{8,16})"#),
        LinePattern(#"general protection fault, (?:probably for non-canonical|maybe for) address 0x([0-9a-f]+)"#),
        LinePattern(#"paging request for data at address 0x([0-9a-f]+)"#),
        LinePattern(#"Kernel (?:NULL pointer dereference|access) on (?:read|write) at 0x([0-9a-f]+)"#),
    ]
    static let access = LinePattern(#"^(?:Read|Write) of size \d+ at addr ([0-9a-f]+)"#)
    static let kfence = LinePattern(#"^(?:Out-of-bounds|Use-after-free|Invalid) (?:read|write) at 0x([0-9a-f]+)"#)
    static let listLine = LinePattern(#"^list_(?:add|del) corruption"#)
    /// Register names whose values are addresses (x86_64, i386, arm64, arm).
    static let registerNames: Set<String> = {
        var names: Set<String> = ["CR2", "sp", "ip", "fp", "lr", "pc"]
        for name in ["AX", "BX", "CX", "DX", "SI", "DI", "BP", "SP"] { names.formUnion(["R" + name, "E" + name]) }
        for name in ["eax", "ebx", "ecx", "edx", "esi", "edi", "ebp", "esp"] { names.insert(name) }
        for index in 8...15 { names.insert("R\(index)") }
        for index in 0...30 { names.insert("x\(index)") }
        for index in 0...12 { names.insert("r\(index)") }
        return names
    }()

    /// The values in `lines`, each value once (first source wins), at most `limit`.
    public static func extract(_ lines: [(number: Int, text: String)], limit: Int = 48) -> [Found] {
        var result: [Found] = []
        var seen: Set<UInt64> = []
        func add(_ source: String, _ value: UInt64, _ line: Int) {
            guard result.count < limit, seen.insert(value).inserted else { return }
            result.append(Found(source: source, value: value, line: line))
        }
        for line in lines {
            let text = String(line.text.drop { $0 == " " })
            for pattern in faultLines {
                if let groups = pattern.captures(text), let value = pattern.hex(groups, 0) {
                    add("fault", value, line.number)
                }
            }
            if let groups = access.captures(text), let value = access.hex(groups, 0) {
                add("access", value, line.number)
            }
            if let groups = kfence.captures(text), let value = kfence.hex(groups, 0) {
                add("access", value, line.number)
            }
            if listLine.captures(text) != nil {
                for token in text.split(whereSeparator: { " (),=".contains($0) }) {
                    var body = token
                    if let arrow = body.range(of: "->") { body = body[..<arrow.lowerBound] }
                    if body.hasSuffix(".") { body = body.dropLast() }
                    if body.hasPrefix("0x") { body = body.dropFirst(2) }
                    if body.count >= 8, let value = HexText.value(body) { add("list", value, line.number) }
                }
            }
            guard text.count < 400 else { continue }
            registers(in: text, line: line.number, add)
        }
        return result
    }

    /// The `NAME: value` pairs of a register line (`RAX: …`, `RSP: 0018:…`, `r9 : …`, `pc : [<…>]`).
    static func registers(in text: String, line: Int, _ add: (String, UInt64, Int) -> Void) {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        var index = 0
        while index < tokens.count {
            var name = tokens[index]
            var valueIndex = index + 1
            if name.hasSuffix(":") {
                name = name.dropLast()
            } else if valueIndex < tokens.count, tokens[valueIndex] == ":" {
                valueIndex += 1
            } else {
                index += 1
                continue
            }
            guard registerNames.contains(String(name)), valueIndex < tokens.count else {
                index += 1
                continue
            }
            var value = tokens[valueIndex]
            if value.hasPrefix("[<"), value.hasSuffix(">]") { value = value.dropFirst(2).dropLast(2) }
            if let colon = value.lastIndex(of: ":") { value = value[value.index(after: colon)...] }
            // Small register values are counters and flags, not pointers.
            if value.count >= 8, let number = HexText.value(value), number >= 0x10000 {
                add(String(name), number, line)
            }
            index = valueIndex + 1
        }
    }
}
