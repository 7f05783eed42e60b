// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The placeholders of title-table patterns, expanded when the table is compiled.
///
/// `{{ADDR}}` a hex address, `{{PC}}` a bracketed address (`[<ffffffff81234567>]`,
/// `[c000…]`), `{{FUNC}}` a function name captured before its `.suffix` or `+offset`,
/// `{{SRC}}` a captured `path/file.c:123`.
enum TitlePlaceholders {
    static let expansions: [(String, String)] = [
        ("{{ADDR}}", "0x[0-9a-f]+"),
        ("{{PC}}", #"\[<?(?:0x)?[0-9a-f]+>?\]"#),
        ("{{FUNC}}", #"([a-zA-Z0-9_]+)(?:\.|\+)"#),
        ("{{SRC}}", #"([a-zA-Z0-9\-_/.]+\.[a-z]+:[0-9]+)"#),
    ]

    /// The lines that name the faulting instruction: x86 `RIP:`/`IP:`, arm `pc :`/`PC is
    /// at`, PowerPC `NIP`, mips/riscv `epc :`, loongarch `era :`.
    static let programCounter =
        #"(?:(?:N|R|E)?IP:? (?:(?:[0-9]+:)?(?:{{PC}} +){0,2}{{FUNC}}|[0-9]+:0x[0-9a-f]+|(?:[0-9]+:)?{{PC}} +\[< *\(null\)>\] +\(null\)|[0-9]+: +\(null\))|pc ?: (?:{{PC}} +)?{{FUNC}}|PC is at {{FUNC}}|epc *: (?:[0-9a-f]+ )?{{FUNC}}|era *: (?:[0-9a-f]+ )?{{FUNC}})"#

    /// `source` with every placeholder expanded.
    static func expand(_ source: String) -> String {
        var result = source
        for (name, expansion) in expansions { result = result.replacingAll(name, with: expansion) }
        return result
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement` (no Foundation needed).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

extension Substring {
    /// The range of the first occurrence of `needle`.
    func range(of needle: String) -> Range<Index>? {
        let needleCount = needle.utf8.count
        guard needleCount > 0, utf8.count >= needleCount else { return nil }
        var start = startIndex
        while start < endIndex {
            if self[start...].utf8.starts(with: needle.utf8) {
                return start..<utf8.index(start, offsetBy: needleCount)
            }
            start = index(after: start)
        }
        return nil
    }
}
