// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents

/// The JSON shape of a triage verdict, shared by `--format json` and `jsonl`.
///
/// Field names are normative: `docs/triage.md` documents each one.
enum TriageJSON {
    /// One input: `{"file", "title", "type", "corrupted", "bucket", "incidents", …}`.
    static func write(_ summary: TriageSummary, to json: inout JSONWriter) {
        json.beginObject()
        json.key("file")
        json.string(summary.file)
        json.key("title")
        json.string(summary.primary?.title ?? "")
        json.key("type")
        json.string(summary.primary?.type ?? "")
        json.key("corrupted")
        json.bool(summary.primary?.isCorrupted ?? false)
        json.key("bucket")
        json.string(summary.primary?.bucket ?? "")
        json.key("incidents")
        json.beginArray()
        for incident in summary.incidents { write(incident, to: &json) }
        json.endArray()
        json.key("failed")
        json.bool(summary.failed)
        json.key("error")
        json.optionalString(summary.errorMessage)
        json.key("counts")
        json.beginObject()
        json.key("incidents")
        json.integer(summary.incidentCount)
        json.key("crashes")
        json.integer(summary.crashCount)
        json.key("failed")
        json.integer(summary.failedCount)
        json.key("known")
        json.integer(summary.knownCount)
        json.key("passed_warnings")
        json.integer(summary.passedWarningCount)
        json.key("notices")
        json.integer(summary.noticeCount)
        json.key("omitted")
        json.integer(summary.omittedIncidents)
        json.key("lines_read")
        json.integer(summary.linesRead)
        json.endObject()
        json.key("diagnostics")
        IncidentJSON.write(summary.diagnostics, to: &json)
        json.endObject()
    }

    /// One listed incident.
    static func write(_ incident: TriageIncident, to json: inout JSONWriter) {
        json.beginObject()
        json.key("kind")
        json.string(incident.kind.rawValue)
        json.key("title")
        json.string(incident.title)
        json.key("type")
        json.string(incident.type)
        json.key("bucket")
        json.string(incident.bucket)
        json.key("evidence")
        IncidentJSON.writeEvidence(
            incident.evidence, headerLine: incident.headerLine, lineCount: incident.lineCount, to: &json)
        json.key("alternative_titles")
        json.beginArray()
        for title in incident.alternativeTitles { json.string(title) }
        json.endArray()
        json.key("corrupted")
        json.bool(incident.isCorrupted)
        json.key("corruption_reason")
        json.optionalString(incident.corruptionReason)
        json.key("frame")
        json.optionalString(incident.frame)
        json.key("guilty_file")
        json.optionalString(incident.guiltyFile)
        json.key("crash")
        json.bool(incident.isCrash)
        json.key("warning")
        json.bool(incident.isWarning)
        json.key("disposition")
        json.string(incident.disposition.rawValue)
        json.key("truncated")
        json.bool(incident.isTruncated)
        json.key("identity_source")
        json.string(incident.identitySource.rawValue)
        json.key("signatures")
        json.beginArray()
        for signature in incident.signatures { json.string(signature.id) }
        json.endArray()
        json.endObject()
    }

    /// The run's totals.
    static func write(_ totals: TriageTotals, to json: inout JSONWriter) {
        json.beginObject()
        json.key("inputs")
        json.integer(totals.inputs)
        json.key("failed_inputs")
        json.integer(totals.failedInputs)
        json.key("unusable_inputs")
        json.integer(totals.unusableInputs)
        json.key("crashes")
        json.integer(totals.crashIncidents)
        json.key("failed")
        json.integer(totals.failedIncidents)
        json.key("known")
        json.integer(totals.knownIncidents)
        json.key("passed_warnings")
        json.integer(totals.passedWarnings)
        json.key("exit_status")
        json.integer(totals.exitStatus)
        json.endObject()
    }
}
