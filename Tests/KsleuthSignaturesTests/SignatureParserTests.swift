// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthEvents
import KsleuthSignatures
import Testing

@Suite("Signature parser")
struct SignatureParserTests {
    @Test("a complete file parses into its fields")
    func parsesFields() throws {
        let text = SignatureFixtures.signatureText(match: "lines: 'invoked oom-killer'")
        let (signature, problems) = SignatureDatabase.parse(text, file: "oom/test-signature.yaml")
        #expect(problems.isEmpty, "\(problems)")
        let parsed = try #require(signature)
        #expect(parsed.id == "test-signature")
        #expect(parsed.area == "oom")
        #expect(parsed.severity == .high)
        #expect(parsed.kinds == [.oom])
        #expect(parsed.samples.map(\.expectsMatch) == [true, false])
        #expect(parsed.references == [.documentation(path: "Documentation/admin-guide/sysctl/vm.rst")])
    }

    @Test("field paths of the JSON output parse, others do not")
    func fieldPaths() {
        #expect(FieldPath("details.memory.slab_unreclaimable_kb") == .details(["memory", "slab_unreclaimable_kb"]))
        #expect(FieldPath("identity.title") == .identity(.title))
        #expect(FieldPath("identity.type") == .identity(.type))
        #expect(FieldPath("lines") == .lines)
        #expect(FieldPath("identity.colour") == nil)
        #expect(FieldPath("details.") == nil)
        #expect(FieldPath("detail.order") == nil)
        #expect(FieldCatalog.isKnown(.details(["memory", "ram_kb"])))
        #expect(FieldCatalog.isKnown(.details(["zones", "free_kb"])))
        #expect(!FieldCatalog.isKnown(.details(["memory", "slab_kb"])))
    }

    @Test("a ratio operand names a field or a capture group")
    func ratioOperands() throws {
        let database = try SignatureFixtures.database(
            SignatureFixtures.signatureText(
                match: """
                    all:
                      - field: details.memory.slab_unreclaimable_kb
                        gt: 50% of details.memory.ram_kb
                      - lines: 'used (\\d+) of (\\d+)'
                        ge: 90% of $2
                    """))
        let test = try #require(database.signatures.first?.match.fieldTests.first)
        #expect(test.operators == [.compare(.gt, .percentOfField(50, .details(["memory", "ram_kb"])))])
        let second = try #require(database.signatures.first?.match.fieldTests.last)
        #expect(second.operators.contains(.compare(.ge, .percentOfCapture(90, 2))))
    }

    @Test("every problem names the file, the line and the field")
    func problemLocation() {
        let text = SignatureFixtures.signatureText(match: "field: details.order\nbetween: 3")
        let (signature, problems) = SignatureDatabase.parse(text, file: "oom/test-signature.yaml")
        #expect(signature == nil)
        let problem = problems.first { $0.severity == .error }
        #expect(problem?.file == "oom/test-signature.yaml")
        #expect(problem?.line == 7)
        #expect(problem?.field == "match.between")
        #expect(problem?.description.hasPrefix("oom/test-signature.yaml:7: error: match.between: ") == true)
    }

    @Test("fields out of canonical order are a warning, not an error")
    func canonicalOrder() {
        var text = SignatureFixtures.signatureText(match: "lines: 'invoked oom-killer'")
        text = text.replacingOccurrences(
            of: "title: A test signature\nseverity: high", with: "severity: high\ntitle: A test signature")
        let (signature, problems) = SignatureDatabase.parse(text, file: "oom/test-signature.yaml")
        #expect(signature != nil)
        #expect(problems.contains { $0.severity == .warning && $0.message.contains("canonical order") })
    }

    @Test("a 10 MB pattern and 100 levels of nesting are refused before YAML parsing")
    func hostileSizes() {
        let huge = SignatureFixtures.signatureText(match: "lines: '\(String(repeating: "a", count: 10 << 20))'")
        let started = ContinuousClock.now
        let (hugeSignature, hugeProblems) = SignatureDatabase.parse(huge, file: "x/test-signature.yaml")
        #expect(hugeSignature == nil)
        #expect(hugeProblems.first?.message.contains("at most") == true)
        let deep = SignatureFixtures.signatureText(
            match: "field: kind\nin: " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100))
        let (deepSignature, deepProblems) = SignatureDatabase.parse(deep, file: "x/test-signature.yaml")
        #expect(deepSignature == nil)
        #expect(deepProblems.first?.message.contains("nesting deeper") == true)
        #expect(ContinuousClock.now - started < .seconds(2))
    }
}
