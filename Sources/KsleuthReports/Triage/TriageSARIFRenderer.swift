// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents

/// `triage --format sarif`: SARIF 2.1.0, one run, one result per listed crash or notice, and
/// one more per known failure mode (signature) it matched.
///
/// Each result points at the log file (`artifactLocation.uri`, the path as given, as a URI
/// reference) and the report's lines (`region.startLine`/`endLine`, with an excerpt as the
/// snippet); its `ruleId` is the incident's kind, with its crash type when known
/// (`kasan/KASAN-USE-AFTER-FREE-READ`); its bucket is a partial fingerprint, so GitHub code
/// scanning tracks the same crash across runs. Known crashes carry an external suppression.
/// Notices are results at level `note`.
///
/// Each signature an incident matched is a rule of its own (`ksleuth.signature.<id>`, with the
/// signature's title, explanation and remediation as help) and a second result at the
/// incident's location, level and fingerprint: GitHub code scanning shows a result's rule help
/// beside the alert and ignores `taxa`, so this is how the remediation reaches the reader.
///
/// Results are written as inputs are done; the rules they used are written at the end, in
/// `tool.driver.rules`, after `results` (JSON objects are unordered).
public final class TriageSARIFRenderer: TriageRenderer {
    private let output: any ReportOutput
    private let toolVersion: String
    private var ruleIndex: [String: Int] = [:]
    private var rules: [Rule] = []
    private var resultCount = 0
    private var notifications: [String] = []

    /// The `$schema` the document names.
    public static let schemaURI =
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    public init(output: any ReportOutput, toolVersion: String) {
        self.output = output
        self.toolVersion = toolVersion
        output.write("{\"$schema\":\(JSONWriter.quoted(Self.schemaURI)),\"version\":\"2.1.0\",\"runs\":[{")
        output.write("\"columnKind\":\"unicodeCodePoints\",\"results\":[")
    }

    public func render(_ summary: TriageSummary) {
        for incident in summary.incidents where incident.isCrash || incident.isNotice {
            var json = JSONWriter()
            write(incident, file: summary.file, to: &json)
            for signature in incident.signatures {
                write(signature, of: incident, file: summary.file, to: &json)
            }
            output.write(resultCount == 0 ? "\n" : ",\n")
            output.write(json.text)
            resultCount += 1
        }
        for diagnostic in summary.diagnostics where diagnostic.severity == .error {
            var json = JSONWriter()
            json.beginObject()
            json.key("level")
            json.string("error")
            json.key("descriptor")
            json.beginObject()
            json.key("id")
            json.string(diagnostic.code)
            json.endObject()
            json.textObject("message", summary.file + ": " + diagnostic.message)
            json.key("locations")
            json.beginArray()
            json.beginObject()
            json.key("physicalLocation")
            json.beginObject()
            json.key("artifactLocation")
            json.beginObject()
            json.key("uri")
            json.string(Self.uri(forPath: summary.file))
            json.endObject()
            json.endObject()
            json.endObject()
            json.endArray()
            json.endObject()
            notifications.append(json.text)
        }
        output.flush()
    }

    public func close(_ totals: TriageTotals) {
        var json = JSONWriter()
        json.beginObject()
        json.key("driver")
        json.beginObject()
        json.key("name")
        json.string("ksleuth")
        json.key("version")
        json.string(toolVersion)
        json.key("semanticVersion")
        json.string(toolVersion)
        json.key("rules")
        json.beginArray()
        for rule in rules {
            switch rule {
            case .report(let report): writeRule(report, to: &json)
            case .signature(let signature): writeRule(signature, to: &json)
            }
        }
        json.endArray()
        json.endObject()
        json.endObject()
        output.write("\n],\n\"tool\":\(json.text),\n\"invocations\":[{\"executionSuccessful\":")
        output.write(totals.unusableInputs == 0 ? "true" : "false")
        output.write(",\"exitCode\":\(totals.exitStatus),\"toolExecutionNotifications\":[")
        output.write(notifications.joined(separator: ","))
        output.write("]}]}]}\n")
        output.flush()
    }

    private func write(_ incident: TriageIncident, file: String, to json: inout JSONWriter) {
        writeResultStart(
            ruleID: incident.ruleID, ruleIndex: rule(for: incident), message: Self.message(of: incident),
            incident: incident, file: file, to: &json)
        json.key("properties")
        json.beginObject()
        json.key("kind")
        json.string(incident.kind.rawValue)
        json.key("type")
        json.string(incident.type)
        json.key("bucket")
        json.string(incident.bucket)
        json.key("disposition")
        json.string(incident.disposition.rawValue)
        json.key("corrupted")
        json.bool(incident.isCorrupted)
        if let reason = incident.corruptionReason {
            json.key("corruptionReason")
            json.string(reason)
        }
        json.key("truncated")
        json.bool(incident.isTruncated)
        if !incident.alternativeTitles.isEmpty {
            json.key("alternativeTitles")
            json.beginArray()
            for title in incident.alternativeTitles { json.string(title) }
            json.endArray()
        }
        if let frame = incident.frame {
            json.key("frame")
            json.string(frame)
        }
        if let guiltyFile = incident.guiltyFile {
            json.key("guiltyFile")
            json.string(guiltyFile)
        }
        json.key("identitySource")
        json.string(incident.identitySource.rawValue)
        if !incident.signatures.isEmpty {
            json.key("signatures")
            json.beginArray()
            for signature in incident.signatures { json.string(signature.id) }
            json.endArray()
        }
        json.endObject()
        json.endObject()
    }

    /// Opens a result object and writes what every result has: its rule, its level (the
    /// incident's), its message, the incident's location and fingerprint.
    private func writeResultStart(
        ruleID: String, ruleIndex: Int, message: String, incident: TriageIncident, file: String,
        to json: inout JSONWriter
    ) {
        json.beginObject()
        json.key("ruleId")
        json.string(ruleID)
        json.key("ruleIndex")
        json.integer(ruleIndex)
        json.key("level")
        json.string(Self.level(of: incident))
        json.textObject("message", message)
        writeLocationAndFingerprint(incident, file: file, to: &json)
    }

    /// The incident's title, or its kind when it has none.
    private static func message(of incident: TriageIncident) -> String {
        incident.title.isEmpty ? incident.kind.rawValue : incident.title
    }

    /// The result of a signature `incident` matched: the signature's rule, at the incident's
    /// location, level and fingerprint.
    private func write(
        _ signature: TriageSignature, of incident: TriageIncident, file: String, to json: inout JSONWriter
    ) {
        writeResultStart(
            ruleID: signature.ruleID, ruleIndex: rule(for: signature),
            message: signature.title + ": " + Self.message(of: incident), incident: incident, file: file, to: &json)
        json.key("properties")
        json.beginObject()
        json.key("signature")
        json.string(signature.id)
        json.key("severity")
        json.string(signature.severity)
        json.key("confidence")
        json.number(signature.confidence)
        json.key("incidentRuleId")
        json.string(incident.ruleID)
        json.key("kind")
        json.string(incident.kind.rawValue)
        json.key("bucket")
        json.string(incident.bucket)
        json.key("disposition")
        json.string(incident.disposition.rawValue)
        json.endObject()
        json.endObject()
    }

    /// `error` for a crash; `warning` for a warning-only crash that does not count; `note`
    /// for a notice.
    static func level(of incident: TriageIncident) -> String {
        if incident.isNotice { return "note" }
        return incident.isWarning && incident.disposition != .failed ? "warning" : "error"
    }

    private func writeLocationAndFingerprint(_ incident: TriageIncident, file: String, to json: inout JSONWriter) {
        json.key("locations")
        json.beginArray()
        json.beginObject()
        json.key("physicalLocation")
        json.beginObject()
        json.key("artifactLocation")
        json.beginObject()
        json.key("uri")
        json.string(Self.uri(forPath: file))
        json.endObject()
        json.key("region")
        json.beginObject()
        json.key("startLine")
        json.integer(max(1, incident.evidence.firstLine))
        json.key("endLine")
        json.integer(max(1, incident.evidence.firstLine, incident.evidence.lastLine))
        if !incident.excerpt.isEmpty {
            json.textObject("snippet", incident.excerpt.map(\.text).joined(separator: "\n"))
        }
        json.endObject()
        json.endObject()
        json.endObject()
        json.endArray()
        json.key("partialFingerprints")
        json.beginObject()
        json.key("ksleuthBucket/v1")
        json.string(incident.bucket)
        json.endObject()
        if incident.disposition == .known {
            json.key("suppressions")
            json.beginArray()
            json.beginObject()
            json.key("kind")
            json.string("external")
            json.key("justification")
            json.string("listed as a known crash (ksleuth triage --known)")
            json.endObject()
            json.endArray()
        }
    }

    /// A rule of `tool.driver.rules`: a kind of report, or a signature.
    private enum Rule {
        case report(ReportRule)
        case signature(TriageSignature)
    }

    private struct ReportRule {
        var id: String
        var kind: IncidentKind
        var type: String
        var isWarning: Bool
    }

    /// The index in `rules` of the incident's rule, added on first use.
    private func rule(for incident: TriageIncident) -> Int {
        if let index = ruleIndex[incident.ruleID] { return index }
        let index = rules.count
        ruleIndex[incident.ruleID] = index
        rules.append(
            .report(
                ReportRule(id: incident.ruleID, kind: incident.kind, type: incident.type, isWarning: incident.isWarning)
            ))
        return index
    }

    /// The index in `rules` of the signature's rule, added on first use.
    private func rule(for signature: TriageSignature) -> Int {
        if let index = ruleIndex[signature.ruleID] { return index }
        let index = rules.count
        ruleIndex[signature.ruleID] = index
        rules.append(.signature(signature))
        return index
    }

    private func writeRule(_ signature: TriageSignature, to json: inout JSONWriter) {
        let help = TriageSignatureHelp(signature)
        json.beginObject()
        json.key("id")
        json.string(signature.ruleID)
        json.key("name")
        json.string(help.name)
        json.textObject("shortDescription", signature.title)
        json.textObject("fullDescription", signature.explanation.isEmpty ? signature.title : signature.explanation)
        json.key("help")
        json.beginObject()
        json.key("text")
        json.string(help.text)
        json.key("markdown")
        json.string(help.markdown)
        json.endObject()
        if let uri = signature.referenceURLs.first {
            json.key("helpUri")
            json.string(uri)
        }
        json.key("defaultConfiguration")
        json.beginObject()
        json.key("level")
        json.string(help.level)
        json.endObject()
        json.key("properties")
        json.beginObject()
        json.key("tags")
        json.beginArray()
        for tag in help.tags { json.string(tag) }
        json.endArray()
        json.key("problem.severity")
        json.string(help.problemSeverity)
        if let score = help.securitySeverity {
            json.key("security-severity")
            json.string(score)
        }
        json.key("severity")
        json.string(signature.severity)
        json.endObject()
        json.endObject()
    }

    private func writeRule(_ rule: ReportRule, to json: inout JSONWriter) {
        let entry = TriageRuleCatalog.entry(kind: rule.kind, type: rule.type)
        json.beginObject()
        json.key("id")
        json.string(rule.id)
        json.key("name")
        json.string(entry.name)
        json.textObject("shortDescription", entry.short)
        json.textObject("fullDescription", entry.full)
        json.textObject("help", entry.help)
        json.key("defaultConfiguration")
        json.beginObject()
        json.key("level")
        let level = rule.kind.family == .notice ? "note" : rule.isWarning ? "warning" : "error"
        json.string(level)
        json.endObject()
        json.key("properties")
        json.beginObject()
        json.key("tags")
        json.beginArray()
        let role = rule.kind.family == .notice ? "notice" : rule.isWarning ? "warning" : "crash"
        var tags = ["linux-kernel", role]
        if !tags.contains(rule.kind.rawValue) { tags.append(rule.kind.rawValue) }
        for tag in tags { json.string(tag) }
        json.endArray()
        json.key("problem.severity")
        json.string(level == "note" ? "recommendation" : level)
        json.endObject()
        json.endObject()
    }

    /// `path` as a URI reference: relative paths stay relative (percent-encoded), absolute
    /// ones become `file://` URIs.
    static func uri(forPath path: String) -> String {
        var encoded = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count < 2 ? "0" : "") + hex
            }
        }
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }
}

extension JSONWriter {
    /// `"key":{"text":…}`: a SARIF message (`message`, `shortDescription`, …) or snippet.
    fileprivate mutating func textObject(_ key: String, _ text: String) {
        self.key(key)
        beginObject()
        self.key("text")
        string(text)
        endObject()
    }
}
