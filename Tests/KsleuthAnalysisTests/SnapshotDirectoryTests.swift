// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// Several snapshot files of one incident, analysed together.
@Suite("Memory snapshot directories")
struct SnapshotDirectoryTests {
    static let dentryLeak = CorpusLocator.ownCorpora.appendingPathComponent("memory-snapshot/dentry-leak-sosreport")

    func analyze(_ directory: URL, files: [String]) -> (incidents: [Incident], summary: InputSummary) {
        let collector = IncidentCollector()
        let summary = LogAnalyzer().analyze(
            snapshotDirectory: directory.path, files: files.map { directory.appendingPathComponent($0).path },
            into: collector)
        return (collector.incidents, summary)
    }

    /// The JSON shape of a detail value (`docs/json-output.md`).
    static func json(_ value: DetailValue) -> Any {
        switch value {
        case .string(let text): text
        case .integer(let number): number
        case .number(let number): number
        case .bool(let flag): flag
        case .list(let items): items.map(json)
        case .object(let details): Dictionary(uniqueKeysWithValues: details.map { ($0.key, json($0.value)) })
        }
    }

    @Test("the dentry leak: meminfo and slabinfo of a sosreport give one slab verdict")
    func dentryLeak() throws {
        let (incidents, summary) = analyze(
            Self.dentryLeak, files: ["proc/meminfo", "proc/slabinfo", "sos_commands/kernel/dmesg"])
        let incident = try #require(incidents.first)
        #expect(incidents.count == 1)
        #expect(summary.diagnostics.map(\.code) == ["not-snapshots"])
        let expectedURL = Self.dentryLeak.deletingLastPathComponent().appendingPathComponent(
            "dentry-leak-sosreport.expected.json")
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: expectedURL))
        let actual: [String: Any] = [
            "incidents": [
                [
                    "kind": incident.kind.rawValue, "title": incident.title, "truncated": incident.isTruncated,
                    "evidence": ["first_line": incident.evidence.firstLine, "last_line": incident.evidence.lastLine],
                    "details": Self.json(.object(incident.details)),
                ]
            ]
        ]
        let differences = GoldenComparison.differences(expected: expected, actual: actual)
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        // Hand-read: dentry's slabdata says 2445500 slabs of one 4 kB page, 60.0% of 16303228 kB.
        #expect(incident.details.integer(at: "slab.top.0.size_kb") == 9_782_000)
        #expect(incident.details.value(at: "slab.top.0.share_of_ram_percent") == .number(60.0))
    }

    @Test("files are put in order: system-wide first, then each process's")
    func order() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ksleuth-snapshot-order-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("proc/1"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "7460 1172 1003 93 0 277 0\n".write(
            to: directory.appendingPathComponent("proc/1/statm"), atomically: true, encoding: .utf8)
        try "Name:\tsystemd\nPid:\t1\nVmRSS:\t    4688 kB\n".write(
            to: directory.appendingPathComponent("proc/1/status"), atomically: true, encoding: .utf8)
        try "MemTotal:        4026036 kB\nMemFree:          129248 kB\n".write(
            to: directory.appendingPathComponent("proc/meminfo"), atomically: true, encoding: .utf8)
        let (incidents, _) = analyze(directory, files: ["proc/1/statm", "proc/1/status", "proc/meminfo"])
        let incident = try #require(incidents.first)
        let formats = (0..<3).compactMap { incident.details.string(at: "sources.\($0).format") }
        #expect(formats == ["meminfo", "statm", "status"])
        // statm and status of proc/1 are one process.
        #expect(incident.details.count(at: "processes") == 1)
        #expect(incident.details.string(at: "processes.0.name") == "systemd")
        #expect(incident.details.integer(at: "processes.0.statm_resident_kb") == 4688)
        #expect(incident.title == "memory snapshot: meminfo, statm, status (3 files)")
    }

    @Test("a directory without a snapshot is an error")
    func noSnapshot() {
        let (incidents, summary) = analyze(Self.dentryLeak, files: ["sos_commands/kernel/dmesg"])
        #expect(incidents.isEmpty)
        #expect(summary.isUnusable)
        #expect(summary.diagnostics.map(\.code) == ["no-snapshot", "not-snapshots"])
    }
}
