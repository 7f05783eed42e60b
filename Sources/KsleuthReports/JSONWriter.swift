// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Builds JSON text with keys in the order written.
///
/// Output is stable and diffs of it are readable. Strings are escaped per RFC 8259: control characters never appear raw.
struct JSONWriter {
    private(set) var text = ""
    private var needsComma: [Bool] = [false]

    mutating func beginObject() { value("{", opens: true) }
    mutating func endObject() { close("}") }
    mutating func beginArray() { value("[", opens: true) }
    mutating func endArray() { close("]") }

    mutating func key(_ name: String) {
        comma()
        text += JSONWriter.quoted(name)
        text += ":"
        pendingKey = true
    }

    mutating func string(_ value: String) { self.value(JSONWriter.quoted(value)) }
    mutating func integer<T: BinaryInteger>(_ value: T) { self.value(String(value)) }
    mutating func bool(_ value: Bool) { self.value(value ? "true" : "false") }
    mutating func null() { value("null") }

    mutating func number(_ value: Double) {
        if value.isFinite {
            self.value(value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value))
        } else {
            null()
        }
    }

    mutating func optionalString(_ value: String?) { if let value { string(value) } else { null() } }

    private var pendingKey = false

    private mutating func comma() {
        if needsComma[needsComma.count - 1] { text += "," }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func value(_ literal: String, opens: Bool = false) {
        if pendingKey {
            pendingKey = false
        } else {
            comma()
        }
        text += literal
        if opens { needsComma.append(false) }
    }

    private mutating func close(_ literal: String) {
        needsComma.removeLast()
        text += literal
    }

    static func quoted(_ string: String) -> String {
        // Most strings of a log need no escape: copy them whole.
        if string.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f && $0 != 0x22 && $0 != 0x5c }) {
            return "\"" + string + "\""
        }
        var result = "\""
        result.reserveCapacity(string.utf8.count + 2)
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7f || (0x80...0x9f).contains(scalar.value):
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        result += "\""
        return result
    }
}
