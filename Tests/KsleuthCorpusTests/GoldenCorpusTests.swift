// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthInput
import KsleuthReports
import KsleuthTestSupport
import Testing

/// The repository's own sample logs against their hand-checked `.expected.json`.
@Suite("Golden corpora")
struct GoldenCorpusTests {
    static let logs = CorpusLocator.ownLogs()

    @Test("every sample log has its expectation beside it", arguments: logs)
    func expectationExists(log: URL) {
        let expected = log.deletingPathExtension().appendingPathExtension("expected.json")
        #expect(FileManager.default.fileExists(atPath: expected.path), "missing \(expected.lastPathComponent)")
    }

    @Test("the output agrees with the hand-checked values", arguments: logs)
    func agreesWithExpectation(log: URL) throws {
        let expectedURL = log.deletingPathExtension().appendingPathExtension("expected.json")
        guard FileManager.default.fileExists(atPath: expectedURL.path) else { return }
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: expectedURL))
        let output = MemoryOutput()
        let renderer = JSONRenderer(output: output)
        LogAnalyzer().analyze(path: log.path, into: renderer)
        renderer.close()
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(output.text.utf8)) as? [String: Any])
        let input = try #require((document["inputs"] as? [Any])?.first)
        let differences = GoldenComparison.differences(expected: expected, actual: input)
        let actualURL = log.deletingPathExtension().appendingPathExtension("actual.json")
        if differences.isEmpty {
            try? FileManager.default.removeItem(at: actualURL)
        } else {
            let pretty = try JSONSerialization.data(withJSONObject: input, options: [.prettyPrinted, .sortedKeys])
            try pretty.write(to: actualURL)
        }
        let report = differences.joined(separator: "\n  ")
        #expect(
            differences.isEmpty,
            "\(log.lastPathComponent):\n  \(report)\n  (actual output written to \(actualURL.lastPathComponent))")
    }
}
