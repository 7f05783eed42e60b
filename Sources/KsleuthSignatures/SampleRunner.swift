// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthInput

/// Runs signatures' samples through the real pipeline (``KsleuthAnalysis/LogAnalyzer`` into
/// an ``KsleuthAnalysis/IncidentSink``) and checks that each behaves as declared.
public struct SampleRunner: Sendable {
    /// The database whose signatures are tested.
    public var database: SignatureDatabase
    /// The analysis settings the samples are read with.
    public var configuration: AnalysisConfiguration

    public init(database: SignatureDatabase, configuration: AnalysisConfiguration = AnalysisConfiguration()) {
        self.database = database
        self.configuration = configuration
    }

    /// The outcome of every sample of every signature, in database order.
    public func runAll() -> [SampleOutcome] { database.signatures.flatMap(run) }

    /// The outcome of each sample of `signature`.
    public func run(_ signature: Signature) -> [SampleOutcome] {
        signature.samples.map { sample in run(sample, of: signature) }
    }

    /// Reads `sample`'s log and reports whether `signature` matched one of its incidents.
    public func run(_ sample: SignatureSample, of signature: Signature) -> SampleOutcome {
        let input: LogInput
        do {
            switch sample.source {
            case .inline(let text):
                input = try LogInput(name: "\(signature.file):\(sample.line)", raw: InMemorySource(Array(text.utf8)))
            case .file(let path):
                input = try LogInput.open(URL(fileURLWithPath: database.root).appendingPathComponent(path).path)
            }
        } catch {
            return SampleOutcome(
                signature: signature, sample: sample, incidentKinds: [], matched: false,
                error: "cannot read the sample: \(error.message)")
        }
        let collector = IncidentBuffer()
        LogAnalyzer(configuration: configuration).analyze(input, into: collector)
        let matched = collector.incidents.contains { incident in
            database.matches(for: incident).contains { $0.signature.id == signature.id }
        }
        return SampleOutcome(
            signature: signature, sample: sample, incidentKinds: collector.incidents.map(\.kind), matched: matched,
            error: nil)
    }
}

/// What one sample did.
public struct SampleOutcome: Sendable {
    public var signature: Signature
    public var sample: SignatureSample
    /// The kinds of the incidents the sample's log held.
    public var incidentKinds: [IncidentKind]
    /// Whether the signature matched one of them.
    public var matched: Bool
    /// Why the sample could not be run.
    public var error: String?

    public init(
        signature: Signature, sample: SignatureSample, incidentKinds: [IncidentKind], matched: Bool, error: String?
    ) {
        self.signature = signature
        self.sample = sample
        self.incidentKinds = incidentKinds
        self.matched = matched
        self.error = error
    }

    /// Whether the sample behaved as declared.
    public var passed: Bool { error == nil && matched == sample.expectsMatch }

    /// Why it failed, in words; `nil` when it passed.
    public var failure: String? {
        if let error { return error }
        if passed { return nil }
        let kinds = incidentKinds.isEmpty ? "no incident" : incidentKinds.map(\.rawValue).joined(separator: ", ")
        return sample.expectsMatch
            ? "expected a match, got none (incidents: \(kinds))"
            : "expected no match, but it matched (incidents: \(kinds))"
    }
}
