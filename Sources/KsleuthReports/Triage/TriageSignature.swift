// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// A known failure mode an incident matched, as triage reports it: read back from the
/// incident's `details.signatures`, which the signature stage wrote.
///
/// Triage renders these values and never matches signatures itself, so a run with
/// `--no-signatures` simply has none.
public struct TriageSignature: Sendable, Hashable {
    /// The signature's id (`nf-conntrack-table-full`).
    public var id: String
    /// One line naming the failure mode.
    public var title: String
    /// `info`, `low`, `medium`, `high` or `critical`.
    public var severity: String
    /// Between 0 and 1.
    public var confidence: Double
    /// What happens and why.
    public var explanation: String
    /// What to do about it.
    public var remediation: String
    /// The references, one line each, and where each can be read (the same order).
    public var references: [String]
    public var referenceURLs: [String]
    /// The signature's area (`net`, `oom`) and free-form tags.
    public var area: String
    public var tags: [String]

    /// The SARIF rule of the signature.
    public var ruleID: String { "ksleuth.signature." + id }

    /// The signatures recorded in `details`, most severe first as the stage wrote them;
    /// entries without an id are skipped.
    public static func all(in details: Details) -> [TriageSignature] {
        guard case .list(let entries)? = details["signatures"] else { return [] }
        return entries.compactMap { entry in
            guard case .object(let fields) = entry, case .string(let id)? = fields["id"] else { return nil }
            return TriageSignature(
                id: id, title: string(fields["title"]) ?? id, severity: string(fields["severity"]) ?? "medium",
                confidence: number(fields["confidence"]) ?? 1, explanation: string(fields["explanation"]) ?? "",
                remediation: string(fields["remediation"]) ?? "", references: strings(fields["references"]),
                referenceURLs: strings(fields["reference_urls"]), area: string(fields["area"]) ?? "",
                tags: strings(fields["tags"]))
        }
    }

    private static func string(_ value: DetailValue?) -> String? {
        guard case .string(let text)? = value else { return nil }
        return text
    }

    private static func number(_ value: DetailValue?) -> Double? {
        switch value {
        case .number(let number)?: number
        case .integer(let integer)?: Double(integer)
        default: nil
        }
    }

    private static func strings(_ value: DetailValue?) -> [String] {
        guard case .list(let items)? = value else { return [] }
        return items.compactMap { string($0) }
    }
}
