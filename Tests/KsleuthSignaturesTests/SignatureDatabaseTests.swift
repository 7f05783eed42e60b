// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthSignatures
import Testing

@Suite("The signature database")
struct SignatureDatabaseTests {
    @Test("every file of signatures/ loads without an error or a warning")
    func loadsClean() {
        let database = SignatureFixtures.database
        #expect(database.problems.isEmpty, "\(database.problems.map(\.description).joined(separator: "\n"))")
        #expect(database.signatures.count >= 30)
    }

    @Test("ids are unique, equal to the file name, and the file lies in its area")
    func identities() {
        let signatures = SignatureFixtures.database.signatures
        #expect(Set(signatures.map(\.id)).count == signatures.count)
        for signature in signatures {
            #expect(signature.file == "\(signature.area)/\(signature.id).yaml")
        }
    }

    @Test("every signature has a reference and samples of both kinds")
    func contentRules() {
        for signature in SignatureFixtures.database.signatures {
            #expect(!signature.references.isEmpty, "\(signature.id)")
            let positives = signature.samples.filter(\.expectsMatch).count
            #expect(positives >= 1, "\(signature.id)")
            #expect(signature.samples.count - positives >= 1, "\(signature.id)")
        }
    }

    @Test("every sample behaves as declared through the real pipeline")
    func samplesBehave() {
        let outcomes = SampleRunner(database: SignatureFixtures.database).runAll()
        #expect(outcomes.count >= 60)
        for outcome in outcomes where !outcome.passed {
            Issue.record(
                "\(outcome.signature.file):\(outcome.sample.line) \(outcome.sample.name): \(outcome.failure ?? "")")
        }
    }

    @Test("the locator prefers --signatures, then KSLEUTH_SIGNATURES, then the share and source trees")
    func locatorOrder() throws {
        let explicit = SignatureLocator(explicitDirectory: "/a", environment: ["KSLEUTH_SIGNATURES": "/b"])
        #expect(explicit.candidates.map(\.path) == ["/a"])
        let fromEnvironment = SignatureLocator(environment: ["KSLEUTH_SIGNATURES": "/b"])
        #expect(fromEnvironment.candidates.map(\.path) == ["/b"])
        let installed = SignatureLocator(
            environment: [:], executablePath: "/opt/ksleuth/bin/ksleuth", currentDirectory: "/")
        #expect(installed.candidates.first?.path == "/opt/ksleuth/share/ksleuth/signatures")
        let tree = SignatureLocator(
            environment: [:], executablePath: "/nonexistent/ksleuth",
            currentDirectory: SignatureFixtures.databaseRoot + "/oom")
        #expect(tree.candidates.contains { $0.path.hasSuffix("/signatures") && $0.origin.contains("current") })
        let nowhere = SignatureLocator(environment: [:], executablePath: "/nonexistent/ksleuth", currentDirectory: "/")
        #expect(throws: SignatureLoadError.self) { _ = try nowhere.locate() }
    }
}
