// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import Foundation
import KsleuthEvents
import KsleuthReports
import KsleuthSignatures

/// `ksleuth signatures list|show|lint|test`: the database of known failure modes.
public struct SignaturesCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "signatures",
        abstract: "List, show, lint and test the signatures of known failure modes.",
        discussion: """
            The database is the directory named by --signatures, else KSLEUTH_SIGNATURES, else \
            <exe>/../share/ksleuth/signatures, else the source tree's signatures/.
            """,
        subcommands: [List.self, Show.self, Lint.self, Test.self])

    public init() {}

    /// Options every subcommand shares.
    public struct DatabaseOptions: ParsableArguments {
        @Option(name: .long, help: "The signature database directory.")
        public var signatures: String?

        @Flag(name: .long, help: "Fail when any signature file is broken, instead of leaving it out.")
        public var strict = false

        public init() {}

        /// Loads the database, printing its problems to standard error.
        func load(reportingWarnings: Bool = false) throws -> SignatureDatabase {
            let errors = StandardOutput(descriptor: STDERR_FILENO)
            defer { errors.flush() }
            do {
                let database = try SignatureDatabase.load(
                    using: SignatureLocator(explicitDirectory: signatures), strict: strict)
                for problem in database.problems where problem.severity == .error || reportingWarnings {
                    errors.write("\(problem)\n")
                }
                return database
            } catch {
                errors.write("ksleuth: error: \(error)\n")
                throw ExitCode(2)
            }
        }
    }

    /// `signatures list`.
    public struct List: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "List the signatures, one a line.")
        @OptionGroup public var database: DatabaseOptions
        public init() {}

        public func run() throws {
            let loaded = try database.load()
            let output = StandardOutput()
            let width = loaded.signatures.map(\.id.count).max() ?? 2
            for signature in loaded.signatures {
                let id = signature.id.padding(toLength: width, withPad: " ", startingAt: 0)
                let kinds = signature.kinds.map(\.rawValue).joined(separator: ",")
                output.write(
                    "\(signature.area.padding(toLength: 9, withPad: " ", startingAt: 0)) \(id)  "
                        + "\(signature.severity.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) "
                        + "\(signature.title)  [\(kinds)]\n")
            }
            output.write("\(loaded.signatures.count) signature(s) in \(loaded.root)\n")
            output.flush()
        }
    }

    /// `signatures show ID`.
    public struct Show: ParsableCommand {
        public static let configuration = CommandConfiguration(abstract: "Show one signature in full.")
        @OptionGroup public var database: DatabaseOptions
        @Argument(help: "The signature's id.") public var id: String
        public init() {}

        public func run() throws {
            let loaded = try database.load()
            guard let signature = loaded.signature(id: id) else {
                let errors = StandardOutput(descriptor: STDERR_FILENO)
                errors.write("ksleuth: error: no signature '\(id)' in \(loaded.root)\n")
                errors.flush()
                throw ExitCode(1)
            }
            let output = StandardOutput()
            output.write("\(signature.id): \(signature.title)\n")
            output.write("  file:        \(loaded.root)/\(signature.file)\n")
            output.write(
                "  severity:    \(signature.severity.rawValue) (confidence \(signature.confidence.rawValue))\n")
            output.write("  status:      \(signature.status.rawValue)\n")
            output.write("  kinds:       \(signature.kinds.map(\.rawValue).joined(separator: ", "))\n")
            if !signature.tags.isEmpty { output.write("  tags:        \(signature.tags.joined(separator: ", "))\n") }
            if let affected = signature.affected { output.write("  affected:    \(affected)\n") }
            if let fixedIn = signature.fixedIn { output.write("  fixed in:    \(fixedIn)\n") }
            output.write("\nExplanation:\n\(Show.indent(signature.explanation))\n")
            output.write("\nRemediation:\n\(Show.indent(signature.remediation))\n")
            output.write("\nReferences:\n")
            for reference in signature.references { output.write("  - \(reference.summary)\n") }
            if !signature.falsePositives.isEmpty {
                output.write("\nFalse positives:\n")
                for item in signature.falsePositives { output.write("  - \(item)\n") }
            }
            output.write("\nSamples: \(signature.samples.count) (")
            output.write("\(signature.samples.filter(\.expectsMatch).count) positive, ")
            output.write("\(signature.samples.filter { !$0.expectsMatch }.count) negative)\n")
            output.flush()
        }

        static func indent(_ text: String) -> String {
            text.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }.joined(separator: "\n")
        }
    }

    /// `signatures lint`.
    public struct Lint: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Check every signature file: schema, ids, patterns, canonical form and samples.",
            discussion: "Exit status: 0 when clean, 1 when any file has an error or a warning, or a sample misbehaves.")
        @OptionGroup public var database: DatabaseOptions
        public init() {}

        public func run() throws {
            let loaded = try database.load(reportingWarnings: true)
            let failures = SampleRunner(database: loaded).runAll().filter { !$0.passed }
            let errors = StandardOutput(descriptor: STDERR_FILENO)
            for outcome in failures {
                errors.write(
                    "\(outcome.signature.file):\(outcome.sample.line): error: samples: "
                        + "\(outcome.sample.name): \(outcome.failure ?? "")\n")
            }
            errors.flush()
            let errorCount = loaded.problems.filter { $0.severity == .error }.count + failures.count
            let warningCount = loaded.problems.filter { $0.severity == .warning }.count
            let output = StandardOutput()
            output.write(
                "\(loaded.signatures.count) signature(s) loaded; \(errorCount) error(s), \(warningCount) warning(s)\n")
            output.flush()
            if errorCount + warningCount > 0 { throw ExitCode(1) }
        }
    }

    /// `signatures test`.
    public struct Test: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Run every signature's samples through the analysis and print a table.",
            discussion: "Exit status: 0 when every sample behaves as declared, 1 otherwise.")
        @OptionGroup public var database: DatabaseOptions
        @Argument(help: "Only these signature ids (default: all).") public var ids: [String] = []
        public init() {}

        public func run() throws {
            let loaded = try database.load()
            let runner = SampleRunner(database: loaded)
            let selected = ids.isEmpty ? loaded.signatures : loaded.signatures.filter { ids.contains($0.id) }
            let outcomes = selected.flatMap(runner.run)
            let output = StandardOutput()
            let width = max(9, selected.map(\.id.count).max() ?? 0)
            output.write(
                "signature".padding(toLength: width, withPad: " ", startingAt: 0)
                    + "  sample              expect    result\n"
            )
            for outcome in outcomes {
                let id = outcome.signature.id.padding(toLength: width, withPad: " ", startingAt: 0)
                let name = outcome.sample.name.padding(toLength: 18, withPad: " ", startingAt: 0)
                let expect = (outcome.sample.expectsMatch ? "match" : "no-match").padding(
                    toLength: 8, withPad: " ", startingAt: 0)
                let result = outcome.passed ? "ok" : "FAIL: \(outcome.failure ?? "")"
                output.write("\(id)  \(name)  \(expect)  \(result)\n")
            }
            let failed = outcomes.filter { !$0.passed }.count
            output.write("\(outcomes.count - failed) passed, \(failed) failed\n")
            output.flush()
            if failed > 0 { throw ExitCode(1) }
        }
    }
}
