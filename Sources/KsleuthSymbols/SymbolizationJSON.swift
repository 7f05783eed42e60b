// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The JSON of symbolization results (`docs/symbolization.md`): an array of
/// `{address, frames: [{function, file, line, column}]}` for an address list, and a document
/// of resolved frame lines for a log.
public enum SymbolizationJSON {
    /// One address and its frames, innermost first.
    public static func address(_ address: UInt64, frames: [SourceFrame]) -> String {
        "{\"address\":\"0x\(String(address, radix: 16))\",\"frames\":\(framesArray(frames))}"
    }

    /// A JSON array of the frames.
    public static func framesArray(_ frames: [SourceFrame]) -> String {
        let items = frames.map { frame in
            "{\"function\":\(optional(frame.function)),\"file\":\(optional(frame.file)),"
                + "\"line\":\(frame.line),\"column\":\(frame.column)}"
        }
        return "[" + items.joined(separator: ",") + "]"
    }

    /// The document for a symbolized log.
    public static func log(
        frames: [ResolvedLogFrame], kaslr: KASLROffset?, warnings: [String], modules: [ModulePlacement] = []
    ) -> String {
        var text = "{\"kaslr\":"
        if let kaslr {
            text += "{\"offset\":\"0x\(String(kaslr.offset, radix: 16))\",\"source\":\(string(kaslr.source.rawValue))"
            if kaslr.source == .frames { text += ",\"agreeing\":\(kaslr.agreeing),\"considered\":\(kaslr.considered)" }
            text += "}"
        } else {
            text += "null"
        }
        let placements = modules.map { placement in
            var item =
                "{\"name\":\(string(placement.name)),\"base\":\"0x\(String(placement.base, radix: 16))\","
                + "\"source\":\(string(placement.source.rawValue))"
            if placement.source == .frames {
                item += ",\"agreeing\":\(placement.agreeing),\"considered\":\(placement.considered)"
            }
            return item + "}"
        }
        text += ",\"modules\":[" + placements.joined(separator: ",") + "]"
        text += ",\"warnings\":[" + warnings.map(string).joined(separator: ",") + "],\"frames\":["
        let items = frames.map { frame in
            let reference = frame.reference
            var item =
                "{\"line\":\(frame.lineNumber),\"symbol\":\(optional(reference.symbol ?? frame.resolvedSymbol?.name))"
            let offset = reference.symbol != nil ? reference.offset : frame.resolvedSymbol?.offset
            item += ",\"offset\":" + (offset.map { "\"0x\(String($0, radix: 16))\"" } ?? "null")
            let size = reference.symbol != nil ? reference.size : frame.resolvedSymbol?.size
            item += ",\"size\":" + (size.map { "\"0x\(String($0, radix: 16))\"" } ?? "null")
            item += ",\"module\":\(optional(reference.module ?? frame.resolvedModule))"
            item += ",\"rawAddress\":" + (reference.address.map { "\"0x\(String($0, radix: 16))\"" } ?? "null")
            item += ",\"lookupAddress\":" + (frame.lookupAddress.map { "\"0x\(String($0, radix: 16))\"" } ?? "null")
            item += ",\"faulting\":\(reference.isFaulting),\"frames\":\(framesArray(frame.frames))}"
            return item
        }
        return text + items.joined(separator: ",") + "]}"
    }

    private static func optional(_ value: String?) -> String {
        value.map(string) ?? "null"
    }

    /// `value` as a JSON string literal.
    public static func string(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
