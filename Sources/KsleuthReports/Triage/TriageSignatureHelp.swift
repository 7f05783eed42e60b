// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// What the SARIF rule of a signature says: its name, help text and Markdown, and how its
/// severity maps onto SARIF and GitHub code scanning.
///
/// | signature severity | `defaultConfiguration.level` | `problem.severity` | `security-severity` (CVE only) |
/// |---|---|---|---|
/// | `critical` | `error` | `error` | `9.0` |
/// | `high` | `error` | `error` | `7.5` |
/// | `medium` | `warning` | `warning` | `5.0` |
/// | `low` | `note` | `recommendation` | `3.0` |
/// | `info` | `note` | `recommendation` | `1.0` |
///
/// `security-severity` makes GitHub file the alert under security with that score, so it is
/// written only for signatures that cite a CVE; the others are reliability findings.
struct TriageSignatureHelp {
    /// A PascalCase name made of the id's words (`NfConntrackTableFull`).
    var name: String
    /// The remediation, then the references, as plain text.
    var text: String
    /// The same as Markdown, with each reference a link.
    var markdown: String
    var level: String
    var problemSeverity: String
    var securitySeverity: String?
    /// `linux-kernel`, `signature`, the area, then the signature's own tags.
    var tags: [String]

    init(_ signature: TriageSignature) {
        name = signature.id.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        let remediation = signature.remediation.trimmingTrailingWhitespace
        var text = remediation
        var markdown = remediation.isEmpty ? "" : "**What to do**\n\n" + remediation
        if !signature.references.isEmpty {
            text += (text.isEmpty ? "" : "\n\n") + "References:"
            markdown += (markdown.isEmpty ? "" : "\n\n") + "**References**\n"
            for (index, reference) in signature.references.enumerated() {
                let url = index < signature.referenceURLs.count ? signature.referenceURLs[index] : nil
                if let url, !reference.hasSuffix("<\(url)>") {
                    text += "\n- \(reference) <\(url)>"
                } else {
                    text += "\n- \(reference)"
                }
                var label = reference
                if let url, label.hasSuffix(" <\(url)>") { label = String(label.dropLast(url.count + 3)) }
                let escaped = Self.markdownEscaped(label)
                markdown += "\n- " + (url.map { "[\(escaped)](\($0))" } ?? escaped)
            }
        }
        self.text = text
        self.markdown = markdown
        switch signature.severity {
        case "critical": (level, problemSeverity, securitySeverity) = ("error", "error", "9.0")
        case "high": (level, problemSeverity, securitySeverity) = ("error", "error", "7.5")
        case "medium": (level, problemSeverity, securitySeverity) = ("warning", "warning", "5.0")
        case "low": (level, problemSeverity, securitySeverity) = ("note", "recommendation", "3.0")
        default: (level, problemSeverity, securitySeverity) = ("note", "recommendation", "1.0")
        }
        let citesCVE = signature.references.contains { $0.hasPrefix("CVE-") } || signature.tags.contains("cve")
        if !citesCVE { securitySeverity = nil }
        var tags = ["linux-kernel", "signature"]
        for tag in [signature.area] + signature.tags where !tag.isEmpty && !tags.contains(tag) { tags.append(tag) }
        self.tags = tags
    }

    /// `text` with the characters Markdown gives a meaning inside a link label escaped.
    private static func markdownEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "\\[]*_`<>".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

extension String {
    fileprivate var trimmingTrailingWhitespace: String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
