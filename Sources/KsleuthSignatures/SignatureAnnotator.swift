// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents

/// The last analysis stage: matches every finished incident against the signature database
/// and records the known failure modes it shows in `details.signatures`.
///
/// Each match carries what a reader needs to act on it — title, severity, confidence, the
/// explanation, the remediation and the references — and the evidence that satisfied it.
public struct SignatureAnnotator: IncidentAnalyzer {
    /// The database matched against.
    public let database: SignatureDatabase

    public init(database: SignatureDatabase) {
        self.database = database
    }

    /// Every kind: the database indexes its signatures by kind itself.
    public var kinds: Set<IncidentKind>? { nil }

    public func analyze(_ incident: inout Incident) {
        let matches = database.matches(for: incident)
        guard !matches.isEmpty else { return }
        incident.details["signatures"] = .list(matches.map(Self.describe))
    }

    static func describe(_ match: SignatureMatch) -> DetailValue {
        var entry = Details()
        entry["id"] = .string(match.signature.id)
        entry["title"] = .string(match.signature.title)
        entry["severity"] = .string(match.signature.severity.rawValue)
        entry["confidence"] = .number((match.confidence * 100).rounded() / 100)
        entry["explanation"] = .string(match.signature.explanation)
        entry["remediation"] = .string(match.signature.remediation)
        entry["area"] = .string(match.signature.area)
        if !match.signature.tags.isEmpty { entry["tags"] = .list(match.signature.tags.map { .string($0) }) }
        entry["references"] = .list(match.signature.references.map { .string($0.summary) })
        entry["reference_urls"] = .list(match.signature.references.map { .string($0.url) })
        entry["evidence"] = .list(
            match.evidence.map { evidence in
                var item = Details()
                item["condition"] = .string(evidence.condition)
                item["field"] = .string(evidence.field)
                if let value = evidence.value { item["value"] = .string(value) }
                if let line = evidence.line { item["line"] = .integer(Int64(line)) }
                return .object(item)
            })
        return .object(entry)
    }
}
