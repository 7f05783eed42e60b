// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The `Node <n>, zone <name>` start that buddyinfo, pagetypeinfo and zoneinfo lines share.
///
/// ```
/// Node 0, zone   Normal   4381   1093    185   1530    567    102      4      0      0      0      0
/// Node    0, zone      DMA, type    Unmovable      1      0      0      1      2      1 …
/// ```
struct ZoneName: Sendable, Hashable {
    var node: Int
    var zone: String

    /// The node, the zone and the text after the zone name, or `nil` when `text` does not start so.
    static func parse(_ text: Substring) -> (name: ZoneName, rest: Substring)? {
        guard text.hasPrefix("Node ") else { return nil }
        let afterNode = text.dropFirst(5).drop { $0 == " " }
        let digits = afterNode.prefix { $0.isNumber }
        guard let node = Int(digits) else { return nil }
        let afterDigits = afterNode.dropFirst(digits.count)
        guard afterDigits.hasPrefix(", zone") else { return nil }
        let afterZone = afterDigits.dropFirst(6).drop { $0 == " " }
        let zone = afterZone.prefix { $0 != " " && $0 != "," && $0 != "\t" }
        guard !zone.isEmpty else { return nil }
        return (ZoneName(node: node, zone: String(zone)), afterZone.dropFirst(zone.count))
    }

    /// The numbers of a whitespace-separated list; `nil` when a token is not a number (a line
    /// cut in the middle of a token ends the list there: the cut token is dropped).
    static func counts(_ text: Substring) -> [Int64] {
        var result: [Int64] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            guard let value = Int64(token) else { break }
            result.append(value)
        }
        return result
    }
}
