// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents
import KsleuthInput

/// The JSON shape of incidents, input statistics and diagnostics.
///
/// Shared by the `json` and `jsonl` formats. Field names are normative: `docs/json-output.md` documents each one.
enum IncidentJSON {
    static func write(_ incident: Incident, withFile: Bool, to json: inout JSONWriter) {
        json.beginObject()
        if withFile {
            json.key("file")
            json.string(incident.evidence.file)
        }
        json.key("kind")
        json.string(incident.kind.rawValue)
        json.key("title")
        json.string(incident.title)
        json.key("evidence")
        writeEvidence(incident.evidence, headerLine: incident.header.number, lineCount: incident.lines.count, to: &json)
        json.key("time")
        json.beginObject()
        json.key("monotonic_seconds")
        if let stamp = incident.monotonicMicroseconds {
            json.number(Double(stamp) / 1_000_000)
        } else {
            json.null()
        }
        json.key("wall_clock")
        json.optionalString(incident.wallClock)
        json.endObject()
        json.key("host")
        json.optionalString(incident.host)
        json.key("caller")
        json.optionalString(incident.caller)
        json.key("truncated")
        json.bool(incident.isTruncated)
        json.key("truncation_reason")
        json.optionalString(incident.truncationReason)
        json.key("details")
        write(incident.details, to: &json)
        json.key("identity")
        if let identity = incident.identity { write(identity, to: &json) } else { json.null() }
        json.key("call_trace")
        if let trace = incident.callTrace { write(trace, to: &json) } else { json.null() }
        json.key("lines")
        json.beginArray()
        for line in incident.lines {
            json.beginObject()
            json.key("line")
            json.integer(line.number)
            json.key("text")
            json.string(line.text)
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    static func write(_ identity: CrashIdentity, to json: inout JSONWriter) {
        json.beginObject()
        json.key("title")
        json.string(identity.title)
        json.key("alternative_titles")
        json.beginArray()
        for title in identity.alternativeTitles { json.string(title) }
        json.endArray()
        json.key("type")
        json.string(identity.type)
        json.key("corrupted")
        json.bool(identity.isCorrupted)
        json.key("corruption_reason")
        json.optionalString(identity.corruptionReason)
        json.key("frame")
        json.optionalString(identity.frame)
        json.key("guilty_file")
        json.optionalString(identity.guiltyFile)
        json.key("bucket")
        json.string(identity.bucket)
        json.key("warning")
        json.bool(identity.isWarning)
        json.endObject()
    }

    static func write(_ trace: CallTrace, to json: inout JSONWriter) {
        json.beginObject()
        json.key("faulting_frame")
        if let frame = trace.faultingFrame { write(frame, to: &json) } else { json.null() }
        json.key("frames")
        json.beginArray()
        for frame in trace.frames { write(frame, to: &json) }
        json.endArray()
        json.key("truncated")
        json.bool(trace.isTruncated)
        json.endObject()
    }

    static func write(_ frame: StackFrame, to json: inout JSONWriter) {
        json.beginObject()
        json.key("address")
        if let address = frame.address { json.string("0x" + String(address, radix: 16)) } else { json.null() }
        json.key("function")
        if frame.function.isEmpty { json.null() } else { json.string(frame.function) }
        json.key("offset")
        if let offset = frame.offset { json.integer(offset) } else { json.null() }
        json.key("size")
        if let size = frame.size { json.integer(size) } else { json.null() }
        json.key("module")
        json.optionalString(frame.module)
        json.key("reliable")
        json.bool(frame.isReliable)
        json.key("section")
        json.string(frame.section.rawValue)
        json.key("file")
        json.optionalString(frame.file)
        json.key("line")
        if let line = frame.line { json.integer(line) } else { json.null() }
        json.key("column")
        if let column = frame.column { json.integer(column) } else { json.null() }
        json.key("inlined")
        json.bool(frame.isInlined)
        json.key("inlined_frames")
        json.beginArray()
        for inner in frame.inlinedFrames {
            json.beginObject()
            json.key("function")
            json.string(inner.function)
            json.key("file")
            json.optionalString(inner.file)
            json.key("line")
            if let line = inner.line { json.integer(line) } else { json.null() }
            json.key("column")
            if let column = inner.column { json.integer(column) } else { json.null() }
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    /// The `evidence` object: where the incident lies in its input.
    static func writeEvidence(_ evidence: EvidenceSpan, headerLine: Int, lineCount: Int, to json: inout JSONWriter) {
        json.beginObject()
        json.key("file")
        json.string(evidence.file)
        json.key("first_line")
        json.integer(evidence.firstLine)
        json.key("last_line")
        json.integer(evidence.lastLine)
        json.key("first_byte")
        json.integer(evidence.firstByte)
        json.key("last_byte")
        json.integer(evidence.lastByte)
        json.key("header_line")
        json.integer(headerLine)
        json.key("line_count")
        json.integer(lineCount)
        json.endObject()
    }

    static func write(_ details: Details, to json: inout JSONWriter) {
        json.beginObject()
        for (key, value) in details {
            json.key(key)
            write(value, to: &json)
        }
        json.endObject()
    }

    static func write(_ value: DetailValue, to json: inout JSONWriter) {
        switch value {
        case .string(let text): json.string(text)
        case .integer(let number): json.integer(number)
        case .number(let number): json.number(number)
        case .bool(let flag): json.bool(flag)
        case .list(let values):
            json.beginArray()
            for value in values { write(value, to: &json) }
            json.endArray()
        case .object(let details): write(details, to: &json)
        }
    }

    static func write(_ statistics: InputStatistics, to json: inout JSONWriter) {
        json.beginObject()
        json.key("lines_read")
        json.integer(statistics.linesRead)
        json.key("bytes_read")
        json.integer(statistics.bytesRead)
        json.key("compression")
        json.string(statistics.compression.rawValue)
        json.key("dominant_format")
        json.optionalString(statistics.dominantFormat?.name)
        json.key("lines_by_format")
        json.beginObject()
        for format in PrefixFormat.allCases {
            guard let count = statistics.linesByFormat[format], count > 0 else { continue }
            json.key(format.name)
            json.integer(count)
        }
        json.endObject()
        json.key("lines_cut")
        json.integer(statistics.linesCut)
        json.key("longest_line_bytes")
        json.integer(statistics.longestLineLength)
        json.key("invalid_utf8_lines")
        json.integer(statistics.invalidUTF8Lines)
        json.key("nul_byte_lines")
        json.integer(statistics.linesWithNUL)
        json.key("looks_binary")
        json.bool(statistics.looksBinary)
        json.endObject()
    }

    static func write(_ diagnostics: [Diagnostic], to json: inout JSONWriter) {
        json.beginArray()
        for diagnostic in diagnostics { write(diagnostic, file: nil, to: &json) }
        json.endArray()
    }

    static func write(_ diagnostic: Diagnostic, file: String?, to json: inout JSONWriter) {
        json.beginObject()
        if let file {
            json.key("file")
            json.string(file)
        }
        json.key("code")
        json.string(diagnostic.code)
        json.key("severity")
        json.string(diagnostic.severity.rawValue)
        json.key("message")
        json.string(diagnostic.message)
        json.key("line")
        if let line = diagnostic.line { json.integer(line) } else { json.null() }
        json.endObject()
    }
}
