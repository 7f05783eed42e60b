// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Reads the `name:value` fields of the kernel's memory printers (`free:15872kB`,
/// `active_anon:7355653`, `shmem_thp: 0kB`, `reserved_highatomic:0KB`, `hugepages_free=0`).
enum KernelFields {
    /// One field: its name, its number, and whether the number carried a kB unit.
    struct Field {
        var name: Substring
        var value: Int64
        var isKilobytes: Bool
    }

    /// The fields of `text`, in order.
    ///
    /// A token that is not a field is skipped; `#012` separates like a space; a name whose
    /// colon is followed by a space takes the next token as its value.
    static func fields(in text: Substring, separator: Character = ":") -> [Field] {
        var result: [Field] = []
        // rsyslog writes the newlines of a multi-line printk as "#012" when nothing undid them.
        let source = text.contains("#012") ? Substring(text.replacing("#012", with: " ")) : text
        let tokens = source.split(separator: " ", omittingEmptySubsequences: true)
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            guard let colon = token.lastIndex(of: separator) else { continue }
            let name = token[..<colon]
            var rest = token[token.index(after: colon)...]
            if rest.isEmpty, index < tokens.count, startsWithDigit(tokens[index]) {
                rest = tokens[index]
                index += 1
            }
            guard !name.isEmpty, let (value, unit) = number(rest) else { continue }
            result.append(Field(name: name, value: value, isKilobytes: unit))
        }
        return result
    }

    /// A number with an optional `kB`/`KB` unit (`15872kB` → (15872, true)).
    static func number(_ token: Substring) -> (Int64, Bool)? {
        var digits = token
        var unit = false
        if digits.hasSuffix("kB") || digits.hasSuffix("KB") {
            digits = digits.dropLast(2)
            unit = true
        }
        guard let value = Int64(digits) else { return nil }
        return (value, unit)
    }

    /// Whether `token` starts with a digit or a minus sign.
    static func startsWithDigit(_ token: Substring) -> Bool {
        guard let first = token.first else { return false }
        return first.isASCII && (first.isNumber || first == "-")
    }

    /// The `Node <n> ` prefix of `text`: the node and the text after it; node 0 and the
    /// whole text when there is none (non-NUMA builds print no prefix).
    static func nodePrefix(_ text: Substring) -> (node: Int, rest: Substring, hadPrefix: Bool) {
        guard text.hasPrefix("Node ") else { return (0, text, false) }
        let afterNode = text.dropFirst(5)
        let digits = afterNode.prefix { $0.isASCII && $0.isNumber }
        guard let node = Int(digits) else { return (0, text, false) }
        let rest = afterNode.dropFirst(digits.count).drop { $0 == " " || $0 == "," }
        return (node, rest, true)
    }

    /// The zone names show_free_areas prints.
    static let zoneNames: Set<Substring> = ["DMA", "DMA32", "Normal", "HighMem", "Movable", "Device"]
}
