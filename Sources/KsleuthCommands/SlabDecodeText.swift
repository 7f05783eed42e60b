// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis

/// The text report of `ksleuth slab decode`: one line per field, then the anomalies.
enum SlabDecodeText {
    static func render(
        _ decoded: DecodedStruct, layout: SlabLayout, architecture: Architecture, hexdump: Hexdump, objects: Int?,
        anomalies: [SlabAnomaly]
    ) -> String {
        var text = "\(layout.name): \(layout.title) (\(layout.releases)), \(architecture.rawValue) "
        text += "\(architecture.wordSize * 8)-bit \(decoded.littleEndian ? "little" : "big")-endian\n"
        text += "dump: \(hexdump.bytes.count) bytes"
        if let first = hexdump.firstLine, let last = hexdump.lastLine { text += ", lines \(first)-\(last)" }
        if let objects { text += ", num = \(objects)" }
        text += "\n\n"
        for field in decoded.fields {
            let offset = HexText.format(UInt64(field.offset), digits: 2)
            let value = field.value.map { HexText.format($0) } ?? "(missing)"
            var line = "\(offset)  \(pad(field.name, 14)) \(pad(HexText.bytes(field.raw), 24)) \(pad(value, 19))"
            if field.kind != .pointer, let number = field.value, number < 1 << 20 { line += "= \(number)" }
            if let address = field.address { line += "\(address.region.rawValue): \(address.description)" }
            for (key, part) in field.parts.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(part)" }
            text += line.trimmingTrailing() + "\n"
        }
        for missing in decoded.missing { text += "missing: \(missing)\n" }
        for problem in hexdump.problems { text += "dump: \(problem)\n" }
        if !anomalies.isEmpty { text += "\n" }
        for anomaly in anomalies {
            text += "\(anomaly.severity.rawValue): \(anomaly.code)"
            if let field = anomaly.field { text += " (\(field))" }
            text += ": \(anomaly.explanation)\n"
        }
        return text
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

extension String {
    func trimmingTrailing() -> String {
        var result = Substring(self)
        while result.last == " " { result.removeLast() }
        return String(result)
    }
}
