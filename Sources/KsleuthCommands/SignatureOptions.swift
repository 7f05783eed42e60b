// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import KsleuthAnalysis
import KsleuthReports
import KsleuthSignatures

/// Options that choose the signature database `analyze` and `triage` match incidents against.
public struct SignatureOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "The signature database (default: KSLEUTH_SIGNATURES, the installed share directory, the source tree).")
    public var signatures: String?

    @Flag(name: .long, help: "Do not match incidents against the signature database.")
    public var noSignatures = false

    @Flag(name: .long, help: "Stop when a signature file is broken, instead of leaving it out.")
    public var strictSignatures = false

    public init() {}

    /// The signature stage, or none when it is switched off or no database is found.
    ///
    /// A database named with `--signatures` must load; one found on its own is optional: its
    /// absence is a note on `diagnostics`, and broken files in it are listed there once.
    func analyzers(reportingTo diagnostics: any ReportOutput) throws -> [any IncidentAnalyzer] {
        guard !noSignatures else { return [] }
        do {
            let database = try SignatureDatabase.load(
                using: SignatureLocator(explicitDirectory: signatures), strict: strictSignatures)
            for problem in database.problems where problem.severity == .error {
                diagnostics.write("ksleuth: warning: signature left out: \(problem)\n")
            }
            return [SignatureAnnotator(database: database)]
        } catch {
            if signatures != nil || strictSignatures {
                diagnostics.write("ksleuth: error: \(error)\n")
                diagnostics.flush()
                throw ExitCode(2)
            }
            diagnostics.write("ksleuth: note: known failure modes are not matched: \(error)\n")
            return []
        }
    }
}
