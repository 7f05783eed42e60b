// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents

/// `triage --format sarif`: SARIF 2.1.0, one run, one result per listed crash incident.
///
/// Each result points at the log file (`artifactLocation.uri`, the path as given, as a URI
/// reference) and the report's lines (`region.startLine`/`endLine`, with an excerpt as the
/// snippet); its `ruleId` is the incident's kind, with its crash type when known
/// (`kasan/KASAN-USE-AFTER-FREE-READ`); its bucket is a partial fingerprint, so GitHub code
/// scanning tracks the same crash across runs. Known crashes carry an external suppression.
///
/// Results are written as inputs are done; the rules they used are written at the end, in
/// `tool.driver.rules`, after `results` (JSON objects are unordered).
public final class TriageSARIFRenderer: TriageRenderer {
    private let output: any ReportOutput
    private let toolVersion: String
    private var ruleIndex: [String: Int] = [:]
    private var rules: [(id: String, kind: IncidentKind, type: String, isWarning: Bool)] = []
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
        for incident in summary.incidents where incident.isCrash {
            var json = JSONWriter()
            write(incident, file: summary.file, to: &json)
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
            json.key("message")
            json.beginObject()
            json.key("text")
            json.string(summary.file + ": " + diagnostic.message)
            json.endObject()
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
        for rule in rules { writeRule(rule, to: &json) }
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
        let index = rule(for: incident)
        json.beginObject()
        json.key("ruleId")
        json.string(incident.ruleID)
        json.key("ruleIndex")
        json.integer(index)
        json.key("level")
        json.string(incident.isWarning && incident.disposition != .failed ? "warning" : "error")
        json.key("message")
        json.beginObject()
        json.key("text")
        json.string(incident.title.isEmpty ? incident.kind.rawValue : incident.title)
        json.endObject()
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
            json.key("snippet")
            json.beginObject()
            json.key("text")
            json.string(incident.excerpt.map(\.text).joined(separator: "\n"))
            json.endObject()
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
        json.endObject()
        json.endObject()
    }

    /// The index in `rules` of the incident's rule, added on first use.
    private func rule(for incident: TriageIncident) -> Int {
        if let index = ruleIndex[incident.ruleID] { return index }
        let index = rules.count
        ruleIndex[incident.ruleID] = index
        rules.append((incident.ruleID, incident.kind, incident.type, incident.isWarning))
        return index
    }

    private func writeRule(
        _ rule: (id: String, kind: IncidentKind, type: String, isWarning: Bool), to json: inout JSONWriter
    ) {
        let entry = TriageRuleCatalog.entry(kind: rule.kind, type: rule.type)
        json.beginObject()
        json.key("id")
        json.string(rule.id)
        json.key("name")
        json.string(entry.name)
        json.key("shortDescription")
        json.beginObject()
        json.key("text")
        json.string(entry.short)
        json.endObject()
        json.key("fullDescription")
        json.beginObject()
        json.key("text")
        json.string(entry.full)
        json.endObject()
        json.key("help")
        json.beginObject()
        json.key("text")
        json.string(entry.help)
        json.endObject()
        json.key("defaultConfiguration")
        json.beginObject()
        json.key("level")
        json.string(rule.isWarning ? "warning" : "error")
        json.endObject()
        json.key("properties")
        json.beginObject()
        json.key("tags")
        json.beginArray()
        var tags = ["linux-kernel", rule.isWarning ? "warning" : "crash"]
        if !tags.contains(rule.kind.rawValue) { tags.append(rule.kind.rawValue) }
        for tag in tags { json.string(tag) }
        json.endArray()
        json.key("problem.severity")
        json.string(rule.isWarning ? "warning" : "error")
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
