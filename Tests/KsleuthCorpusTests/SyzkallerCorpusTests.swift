// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthInput
import KsleuthTestSupport
import Testing

/// syzkaller's own report corpus against its headers.
///
/// The titles, types and corrupted flags ksleuth gives agree with `TITLE:`, `ALT:`, `TYPE:`,
/// `CORRUPTED:` and `FILE:` at the thresholds reached so far. The figures are printed; a drop
/// below a threshold fails.
@Suite("syzkaller corpus", .enabled(if: CorpusLocator.hasSharedCorpora))
struct SyzkallerCorpusTests {
    struct Expectation {
        var title = ""
        var alternatives: [String] = []
        var type: String?
        var corrupted = false
        var file: String?
    }

    static func expectation(of url: URL) throws -> Expectation {
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        var expectation = Expectation()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty { break }
            func value(_ key: String) -> String? {
                line.hasPrefix(key) ? String(line.dropFirst(key.count)).trimmingCharacters(in: .whitespaces) : nil
            }
            if let title = value("TITLE:") {
                expectation.title = title
            } else if let alternative = value("ALT TITLE:") ?? value("ALT:") {
                expectation.alternatives.append(alternative)
            } else if let type = value("TYPE:") {
                expectation.type = type
            } else if let corrupted = value("CORRUPTED:") {
                expectation.corrupted = corrupted.uppercased().hasPrefix("Y")
            } else if let file = value("FILE:") {
                expectation.file = file
            }
        }
        return expectation
    }

    static func reports(_ folder: String) -> [URL] {
        guard let root = CorpusLocator.sharedRoot?.appendingPathComponent("corpora/\(folder)"),
            let names = try? FileManager.default.contentsOfDirectory(atPath: root.path)
        else { return [] }
        return names.filter { Int($0) != nil }.sorted { Int($0)! < Int($1)! }.map { root.appendingPathComponent($0) }
    }

    static func primaryIdentity(of url: URL) -> CrashIdentity? {
        let collector = IncidentCollector()
        LogAnalyzer().analyze(path: url.path, into: collector)
        return collector.incidents.lazy.compactMap(\.identity).first
    }

    static func title(_ title: String) -> String {
        let cuts = [title.range(of: " in ")?.lowerBound, title.firstIndex(of: ":")].compactMap { $0 }
        return cuts.min().map { String(title[..<$0]).trimmingCharacters(in: .whitespaces) } ?? title
    }

    @Test("titles, classes, types and corrupted flags agree with syzkaller's")
    func titles() throws {
        let files = SyzkallerCorpusTests.reports("syzkaller-reports")
        try #require(files.count > 400)
        var agree = 0
        var classAgree = 0
        var typeAgree = 0
        var typed = 0
        var corruptedTrue = 0
        var corruptedFalse = 0
        var corruptedMissed = 0
        var spurious: [String] = []
        for url in files {
            let expected = try SyzkallerCorpusTests.expectation(of: url)
            let identity = SyzkallerCorpusTests.primaryIdentity(of: url)
            let got = identity?.title ?? ""
            let accepted = expected.title.isEmpty ? [""] : [expected.title] + expected.alternatives
            if accepted.contains(got) { agree += 1 }
            if accepted.map(SyzkallerCorpusTests.title).contains(SyzkallerCorpusTests.title(got)) { classAgree += 1 }
            if expected.title.isEmpty, !got.isEmpty { spurious.append(url.lastPathComponent) }
            if let type = expected.type {
                typed += 1
                if identity?.type == type { typeAgree += 1 }
            }
            switch (expected.corrupted, identity?.isCorrupted ?? false) {
            case (true, true): corruptedTrue += 1
            case (false, true): corruptedFalse += 1
            case (true, false): corruptedMissed += 1
            default: break
            }
        }
        let count = Double(files.count)
        let titleAgreement = Double(agree) / count
        let classAgreement = Double(classAgree) / count
        let precision = Double(corruptedTrue) / Double(max(1, corruptedTrue + corruptedFalse))
        let recall = Double(corruptedTrue) / Double(max(1, corruptedTrue + corruptedMissed))
        print(
            "syzkaller titles: title_agreement=\(titleAgreement) class=\(classAgreement) type=\(typeAgree)/\(typed)"
                + " corrupted_precision=\(precision) corrupted_recall=\(recall) spurious=\(spurious)")
        #expect(spurious.isEmpty, "titles on files that expect no crash: \(spurious)")
        #expect(titleAgreement >= 0.95)
        #expect(classAgreement >= 0.98)
        #expect(Double(typeAgree) / Double(max(1, typed)) >= 0.95)
        #expect(recall >= 0.85)
        #expect(precision >= 0.85)
    }

    @Test("the guilty file agrees with syzkaller's")
    func guiltyFiles() throws {
        let files = SyzkallerCorpusTests.reports("syzkaller-guilty")
        try #require(files.count > 40)
        var agree = 0
        for url in files {
            let expected = try SyzkallerCorpusTests.expectation(of: url)
            let got = SyzkallerCorpusTests.primaryIdentity(of: url)?.guiltyFile ?? ""
            if got == (expected.file ?? "") { agree += 1 }
        }
        let agreement = Double(agree) / Double(files.count)
        print("syzkaller guilty files: \(agree)/\(files.count) = \(agreement)")
        #expect(agreement >= 0.9)
    }
}
