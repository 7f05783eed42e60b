// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthSignatures
import Testing

@Suite("Deliberately broken signature files")
struct InvalidSignatureTests {
    /// Each broken file, below `Invalid/`, with the field and message its first line expects.
    static let cases: [String] = {
        let root = SignatureFixtures.invalidRoot
        let areas = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return areas.sorted().flatMap { area in
            ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(area)")) ?? []).sorted().map {
                "\(area)/\($0)"
            }
        }
    }()

    @Test("there is a broken file for each kind of mistake")
    func inventory() {
        #expect(Self.cases.count >= 10)
    }

    @Test("each broken file is rejected, naming its file, line and field", arguments: cases)
    func rejected(file: String) throws {
        let text = try String(contentsOfFile: "\(SignatureFixtures.invalidRoot)/\(file)", encoding: .utf8)
        let header = try #require(text.split(separator: "\n").first, "empty file")
        let expectation = header.dropFirst("# expect: ".count).split(separator: " : ", maxSplits: 1)
        let field = String(expectation[0])
        let message = String(expectation[1])
        let (signature, parseProblems) = SignatureDatabase.parse(text, file: file)
        var problems = parseProblems
        if let signature {
            let database = SignatureDatabase(
                root: SignatureFixtures.databaseRoot, signatures: SignatureFixtures.database.signatures + [signature])
            #expect(!database.signatures.contains { $0.file == file })
            problems += database.problems
        }
        let errors = problems.filter { $0.severity == .error }
        let matching = errors.first { $0.message.contains(message) }
        let found = try #require(matching, "\(file): no error mentions '\(message)'; got \(errors)")
        #expect(found.file == file)
        #expect(found.line != nil && found.line! > 0)
        #expect(found.field == (field == "-" ? nil : field))
    }

    @Test("loading the broken files as a database reports each and loads none, unless strict throws")
    func asDatabase() throws {
        let database = try SignatureDatabase.load(directory: SignatureFixtures.invalidRoot)
        let rejected = Set(database.problems.filter { $0.severity == .error }.map(\.file))
        #expect(rejected.count == Self.cases.count - 1, "the duplicate id has no twin here: \(rejected)")
        #expect(throws: SignatureLoadError.self) {
            _ = try SignatureDatabase.load(directory: SignatureFixtures.invalidRoot, strict: true)
        }
    }
}
