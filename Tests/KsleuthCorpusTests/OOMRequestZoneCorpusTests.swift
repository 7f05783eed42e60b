// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// The request zone of the first OOM of every OOMAnalyser-derived example against its
/// `.expected.json`: `mem_zone`, `max_order`, `numa_node_with_shortage` and `fragmented`
/// (null included: a manual OOM has no request zone, a zone above its min has no shortage).
@Suite(
    "OOM request zones of the OOMAnalyser examples",
    .enabled(if: CorpusLocator.hasSharedCorpora, "needs ../shared corpora"))
struct OOMRequestZoneCorpusTests {
    static let fields: [(expected: String, detail: String)] = [
        ("mem_zone", "zone"), ("max_order", "orders"), ("numa_node_with_shortage", "shortage_node"),
        ("fragmented", "fragmented"),
    ]

    static func value(_ detail: DetailValue?) -> String {
        switch detail {
        case .string(let text)?: text
        case .integer(let number)?: String(number)
        case .bool(let flag)?: String(flag)
        default: "null"
        }
    }

    static func value(_ json: Any?) -> String {
        switch json {
        case let text as String: text
        // JSON's true and false are NSNumbers too: tell them by their Objective-C type code.
        case let number as NSNumber where String(cString: number.objCType) == "c": String(number.boolValue)
        case let number as NSNumber: number.stringValue
        default: "null"
        }
    }

    @Test("mem_zone, max_order, numa_node_with_shortage and fragmented agree on every example that states them")
    func requestZones() throws {
        let root = try #require(CorpusLocator.sharedRoot).appendingPathComponent("corpora/oom-examples")
        var compared = 0
        var disagreements: [String] = []
        for url in CorpusLocator.files(under: root, suffix: ".expected.json") {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
            let expected = object?["expected"] as? [String: Any] ?? [:]
            let wanted = Self.fields.filter { expected.keys.contains($0.expected) }
            guard !wanted.isEmpty else { continue }
            let log = URL(fileURLWithPath: url.path.replacingOccurrences(of: ".expected.json", with: ".log"))
            let incidents = try IncidentCollector.analyze(Array(Data(contentsOf: log)), name: log.lastPathComponent)
                .incidents
            var zone = Details()
            if case .object(let details)? = incidents.first(where: { $0.kind == .oom })?.details["request_zone"] {
                zone = details
            }
            for field in wanted {
                compared += 1
                let want = Self.value(expected[field.expected] as Any?)
                let got = Self.value(zone[field.detail])
                if want != got {
                    disagreements.append("\(log.lastPathComponent) \(field.expected): \(want), got \(got)")
                }
            }
        }
        print("OOM request zones: \(compared) values compared, \(disagreements.count) disagree")
        #expect(compared >= 70)
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
    }
}
