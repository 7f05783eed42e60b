// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthPatterns

/// The modules an oops lists, as `print_modules()` (kernel/module/main.c) prints them.
///
/// ```
/// Modules linked in: vd(PO) nf_conntrack ipt_MASQUERADE(E) xfs(+) [last unloaded: loop]
/// ```
///
/// Each module's flags are the taint letters of `module_flags()` (`P` proprietary, `O`
/// out-of-tree, `E` unsigned, `C` staging, `F` forced load, `X`/`T` and others by era) and the
/// state marks `+` (loading) and `-` (unloading). A list too long for one console line goes
/// on in indented lines that hold only module names.
struct ModuleList {
    struct Module: Equatable {
        var name: String
        var flags: String
    }

    var modules: [Module] = []
    var lastUnloaded: String?

    /// The list in `lines`, `nil` when no line starts with `Modules linked in:`.
    init?(_ lines: [EvidenceLine]) {
        guard let start = lines.firstIndex(where: { $0.text.hasASCIIPrefix("Modules linked in:") }) else {
            return nil
        }
        var text = String(lines[start].text.dropFirst("Modules linked in:".count))
        for line in lines[(start + 1)...] {
            guard line.text.first == " ", ModuleList.isContinuation(line.text) else { break }
            text += " " + line.text
        }
        if let range = text.firstRange(of: "[last unloaded:") {
            let tail = text[range.upperBound...]
            lastUnloaded = tail.split(separator: "]").first.map { String($0).trimmingCharacters(in: " ") }
            text = String(text[..<range.lowerBound])
        }
        for token in text.split(separator: " ") {
            var name = Substring(token)
            var flags = ""
            if let open = token.firstIndex(of: "("), token.last == ")" {
                name = token[..<open]
                flags = String(token[token.index(after: open)..<token.index(before: token.endIndex)])
            }
            guard ModuleList.isModuleName(name) else { continue }
            modules.append(Module(name: String(name), flags: flags))
        }
    }

    /// The details form: `modules [{name, flags}]` and `last_unloaded_module`.
    func write(into details: inout Details) {
        details["modules"] = .list(
            modules.map { module in
                var entry = Details()
                entry["name"] = .string(module.name)
                if !module.flags.isEmpty { entry["flags"] = .string(module.flags) }
                return .object(entry)
            })
        if let lastUnloaded { details["last_unloaded_module"] = .string(lastUnloaded) }
    }

    private static func isModuleName(_ name: Substring) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte)
                    || byte == 0x5f || byte == 0x2d
            }
    }

    /// A wrapped line of the list: module names (with their flags) and nothing else.
    private static func isContinuation(_ text: String) -> Bool {
        let names = text.firstRange(of: "[last unloaded:").map { text[..<$0.lowerBound] } ?? Substring(text)
        let tokens = names.split(separator: " ")
        guard !tokens.isEmpty || names.count < text.count else { return false }
        return tokens.allSatisfy { token in
            isModuleName(token.firstIndex(of: "(").map { token[..<$0] } ?? token)
        }
    }
}
