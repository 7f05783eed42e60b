// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthEvents
import KsleuthSignatures
import KsleuthTestSupport

/// Paths and builders the signature tests share.
enum SignatureFixtures {
    /// The repository's `signatures/`.
    static var databaseRoot: String { CorpusLocator.repositoryRoot.appendingPathComponent("signatures").path }

    /// `Tests/KsleuthSignaturesTests/Invalid/`.
    static var invalidRoot: String {
        CorpusLocator.repositoryRoot.appendingPathComponent("Tests/KsleuthSignaturesTests/Invalid").path
    }

    /// The whole database, loaded once.
    static let database: SignatureDatabase = {
        do {
            return try SignatureDatabase.load(directory: databaseRoot)
        } catch {
            fatalError("cannot load \(databaseRoot): \(error)")
        }
    }()

    /// A signature file with `match` as its condition, valid in every other respect.
    static func signatureText(id: String = "test-signature", kinds: String = "[oom-kill]", match: String) -> String {
        """
        id: \(id)
        title: A test signature
        severity: high
        kinds: \(kinds)
        match:
        \(match.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }.joined(separator: "\n"))
        explanation: For tests.
        remediation: None.
        references:
          - doc: Documentation/admin-guide/sysctl/vm.rst
        samples:
          - expect: match
            log: |
              [    1.000000] x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0
          - expect: no-match
            log: |
              [    1.000000] nothing here

        """
    }

    /// A database of the one signature in `text`, which must parse.
    static func database(_ text: String, id: String = "test-signature") throws -> SignatureDatabase {
        let (signature, problems) = SignatureDatabase.parse(text, file: "test/\(id).yaml")
        guard let signature else { throw FixtureError(problems: problems) }
        let database = SignatureDatabase(root: "/nonexistent", signatures: [signature], problems: problems)
        guard database.signatures.count == 1 else { throw FixtureError(problems: database.problems) }
        return database
    }

    /// An incident of `kind` with `lines` as its evidence and `details` as its findings.
    static func incident(
        kind: IncidentKind = .oom, lines: [String], details: Details = Details(), identity: CrashIdentity? = nil
    ) -> Incident {
        let evidence = lines.enumerated().map { index, text in
            EvidenceLine(
                number: index + 1, byteOffset: 0, length: text.utf8.count, text: text, monotonicMicroseconds: nil)
        }
        return Incident(
            kind: kind, title: lines.first ?? "",
            evidence: EvidenceSpan(file: "t", firstLine: 1, lastLine: lines.count, firstByte: 0, lastByte: 0),
            monotonicMicroseconds: nil, wallClock: nil, host: nil, caller: nil, isTruncated: false,
            truncationReason: nil, lines: evidence, headerIndex: 0, details: details, identity: identity)
    }
}

/// Problems that kept a fixture signature from loading.
struct FixtureError: Error, CustomStringConvertible {
    var problems: [SignatureProblem]
    var description: String { problems.map(\.description).joined(separator: "\n") }
}
