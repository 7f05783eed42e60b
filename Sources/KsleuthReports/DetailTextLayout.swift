// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// Lays an incident's details out as text for people: the verdict and the known failure modes
/// first, then every other finding as an indented tree whose lines stay within a width.
///
/// ```
///      verdict         memcg-limit: Memory cgroup /kubepods/… reached its limit of 2097152 kB
///      known failure   A Kubernetes container reached its memory limit … [memcg-limit-kubernetes-pod]
///      victim
///        pid           30102
///        comm          java
/// ```
struct DetailTextLayout {
    /// Columns a line may take, indentation included.
    var width = 118
    /// Rows of a list shown before the rest is summarised.
    var maximumListRows = 8
    /// How deep objects are unfolded; deeper ones are written on one line.
    var maximumDepth = 1

    /// Detail keys a kind's own section already shows (``OOMTextSection``), left out here.
    var hiddenKeys: Set<String> = []

    /// Detail keys that are shown first, in their own form.
    static let leadingKeys: Set<String> = ["verdict", "signatures"]

    /// The lines for `details`, each already indented by `indent` spaces and sanitised.
    func lines(for details: Details, indent: Int, style: TerminalStyle) -> [String] {
        var result: [String] = []
        let margin = String(repeating: " ", count: indent)
        let hanging = margin + String(repeating: " ", count: 16)
        if !hiddenKeys.contains("verdict"), case .object(let verdict)? = details["verdict"] {
            let cause = verdict["cause"].map(plain) ?? ""
            result.append(margin + style.cyan(pad("verdict", 14)) + "  " + style.bold(cause))
            if case .string(let summary)? = verdict["summary"] {
                result += wrap(summary, indent: indent + 16).map { hanging + $0 }
            }
        }
        if case .list(let matches)? = details["signatures"] {
            for case .object(let match) in matches {
                let title = match["title"].map(plain) ?? ""
                let id = match["id"].map(plain) ?? ""
                let severity = match["severity"].map(plain) ?? ""
                result.append(margin + style.cyan(pad("known failure", 14)) + "  " + style.bold(title))
                result.append(hanging + style.dim("\(id), severity \(severity)"))
                for key in ["explanation", "remediation"] {
                    if case .string(let text)? = match[key] {
                        result += wrap(text, indent: indent + 16).map { hanging + $0 }
                    }
                }
            }
        }
        let others = details.filter {
            !Self.leadingKeys.contains($0.key) && !hiddenKeys.contains($0.key) && !isEmpty($0.value)
        }
        result += tree(others.map { ($0.key, $0.value) }, indent: indent, depth: 0, style: style)
        return result
    }

    private func tree(
        _ entries: [(key: String, value: DetailValue)], indent: Int, depth: Int, style: TerminalStyle
    ) -> [String] {
        let margin = String(repeating: " ", count: indent)
        let keyWidth = min(entries.map(\.key.count).max() ?? 0, 24)
        var result: [String] = []
        for (key, value) in entries {
            switch value {
            case .object(let object) where depth < maximumDepth:
                result.append(margin + style.cyan(key))
                let children = object.filter { !isEmpty($0.value) }.map { ($0.key, $0.value) }
                result += tree(children, indent: indent + 2, depth: depth + 1, style: style)
            case .list(let items) where items.contains(where: isObject) && depth < maximumDepth:
                result.append(margin + style.cyan(key) + style.dim("  (\(items.count))"))
                for item in items.prefix(maximumListRows) {
                    result.append(margin + "  - " + clip(plain(item), indent + 4))
                }
                if items.count > maximumListRows {
                    result.append(margin + "    " + style.dim("… \(items.count - maximumListRows) more"))
                }
            default:
                let label = margin + style.cyan(pad(key, keyWidth)) + "  "
                result.append(label + clip(plain(value), indent + keyWidth + 2))
            }
        }
        return result
    }

    /// A value on one line, sanitised.
    private func plain(_ value: DetailValue) -> String {
        TerminalSanitizer.sanitize(flatten(value))
    }

    private func flatten(_ value: DetailValue) -> String {
        switch value {
        case .string(let text): text
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .bool(let flag): flag ? "yes" : "no"
        case .list(let values): values.map(flatten).joined(separator: ", ")
        case .object(let details):
            details.filter { !isEmpty($0.value) }.map { "\($0.key)=\(flatten($0.value))" }.joined(separator: " ")
        }
    }

    private func isEmpty(_ value: DetailValue) -> Bool {
        switch value {
        case .list(let values): values.isEmpty
        case .object(let details): details.isEmpty
        case .string(let text): text.isEmpty
        default: false
        }
    }

    private func isObject(_ value: DetailValue) -> Bool {
        if case .object = value { return true }
        return false
    }

    /// `text` cut to the columns left after `used`, with an ellipsis when cut.
    private func clip(_ text: String, _ used: Int) -> String {
        let room = max(width - used, 16)
        return text.count > room ? String(text.prefix(room - 1)) + "…" : text
    }

    /// `text` broken into lines that fit after `indent` columns (its own line breaks count as
    /// spaces), each word sanitised.
    private func wrap(_ text: String, indent: Int) -> [String] {
        let room = max(width - indent, 24)
        var lines: [String] = []
        var line = ""
        for word in text.split(whereSeparator: \.isWhitespace).map({ TerminalSanitizer.sanitize(String($0)) }) {
            if !line.isEmpty && line.count + 1 + word.count > room {
                lines.append(line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
