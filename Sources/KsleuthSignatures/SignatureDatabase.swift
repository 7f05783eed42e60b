// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthEvents
import KsleuthPatterns

/// Every signature of a directory, validated and compiled once, matched against incidents.
///
/// Matching runs per incident, never per line: only the signatures naming the incident's kind
/// are tried, and a pattern on the evidence lines runs only on lines that hold one of its
/// literals (found for all signatures at once by one ``KsleuthPatterns/LiteralSet`` pass).
public struct SignatureDatabase: Sendable {
    /// The limits every signature pattern matches under: tighter than the recognizer's, since
    /// a signature is data anyone may write.
    public static let matchLimits = MatchLimits(matchLimit: 200_000, depthLimit: 5_000, heapLimitKiB: 8_192)

    /// The directory the signatures were read from.
    public let root: String
    /// The signatures that loaded, sorted by area and id.
    public let signatures: [Signature]
    /// What was wrong with the files: errors (the signature was left out) and warnings.
    public let problems: [SignatureProblem]

    private let compiled: [CompiledSignature]
    private let byKind: [IncidentKind: [Int]]
    private let hints: LiteralSet

    /// Reads every `<area>/<id>.yaml` under `directory`.
    ///
    /// A broken file is reported in ``problems`` and left out; the others load.
    /// - Parameter strict: throw when any file has an error.
    /// - Throws: ``SignatureLoadError`` when the directory cannot be read, or in strict mode
    ///   when a file is broken.
    public static func load(directory: String, strict: Bool = false) throws(SignatureLoadError) -> SignatureDatabase {
        let files: [String]
        do {
            files = try SignatureDatabase.signatureFiles(in: directory)
        } catch {
            throw .unreadable(path: directory, reason: error.localizedDescription)
        }
        var signatures: [Signature] = []
        var problems: [SignatureProblem] = []
        for relative in files {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(relative)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                problems.append(SignatureProblem(file: relative, line: nil, field: nil, message: "cannot be read"))
                continue
            }
            let text = String(decoding: data, as: UTF8.self)
            let (signature, found) = parse(text, file: relative)
            problems += found
            if let signature { signatures.append(signature) }
        }
        let database = SignatureDatabase(root: directory, signatures: signatures, problems: problems)
        if strict, database.problems.contains(where: { $0.severity == .error }) { throw .invalid(database.problems) }
        return database
    }

    /// Finds the database with `locator` and loads it.
    public static func load(using locator: SignatureLocator, strict: Bool = false) throws(SignatureLoadError)
        -> SignatureDatabase
    {
        try load(directory: try locator.locate(), strict: strict)
    }

    /// Parses one signature file's text; `file` is its path below the database root
    /// (`<area>/<id>.yaml`), which gives the expected id and the area.
    public static func parse(_ text: String, file: String) -> (Signature?, [SignatureProblem]) {
        let components = file.split(separator: "/").map(String.init)
        let name = components.last ?? file
        let expectedID = name.hasSuffix(".yaml") ? String(name.dropLast(5)) : name
        let area = components.count >= 2 ? components[components.count - 2] : ""
        var parser = SignatureParser(file: file, expectedID: expectedID, area: area)
        let signature = parser.parse(text)
        return (signature, parser.problems)
    }

    /// Validates the signatures as a whole (unique, non-overlapping ids), compiles their
    /// patterns, and indexes them by kind; signatures that fail are left out with a problem.
    public init(root: String, signatures: [Signature], problems: [SignatureProblem] = []) {
        var problems = problems
        var accepted: [Signature] = []
        var compiled: [CompiledSignature] = []
        var hintList: [String] = []
        var hintIndex: [String: Int] = [:]
        var seen: [String: String] = [:]
        for signature in signatures.sorted(by: { ($0.area, $0.id, $0.file) < ($1.area, $1.id, $1.file) }) {
            let normalised = signature.id.lowercased().replacingOccurrences(of: "_", with: "-")
            if let other = seen[normalised] {
                let message =
                    other.hasSuffix("/\(signature.id).yaml")
                    ? "duplicate id '\(signature.id)': \(other) has it too"
                    : "id '\(signature.id)' overlaps the id of \(other)"
                problems.append(SignatureProblem(file: signature.file, line: 1, field: "id", message: message))
                continue
            }
            seen[normalised] = signature.file
            var failed = false
            let condition = SignatureDatabase.compile(
                signature.match, signature: signature, problems: &problems, failed: &failed
            ) { hint in
                if let index = hintIndex[hint] { return index }
                hintList.append(hint)
                hintIndex[hint] = hintList.count - 1
                return hintList.count - 1
            }
            if failed { continue }
            accepted.append(signature)
            compiled.append(CompiledSignature(signature: signature, condition: condition))
        }
        var byKind: [IncidentKind: [Int]] = [:]
        for (index, entry) in compiled.enumerated() {
            for kind in Set(entry.signature.kinds) { byKind[kind, default: []].append(index) }
        }
        self.root = root
        self.signatures = accepted
        self.problems = problems
        self.compiled = compiled
        self.byKind = byKind
        self.hints = LiteralSet(hintList)
    }

    /// The signature with `id`.
    public func signature(id: String) -> Signature? { signatures.first { $0.id == id } }

    /// Every signature `incident` satisfies, most severe first.
    public func matches(for incident: Incident) -> [SignatureMatch] { evaluate(incident).matches }

    /// The matches for `incident`, with the tests a match limit stopped.
    public func evaluate(_ incident: Incident) -> SignatureEvaluation {
        guard let candidates = byKind[incident.kind] else {
            return SignatureEvaluation(matches: [], limitFailures: [])
        }
        let subject = IncidentSubject(incident: incident, hints: hints)
        var matches: [SignatureMatch] = []
        for index in candidates {
            let entry = compiled[index]
            var evidence: [MatchEvidence] = []
            guard entry.condition.evaluate(subject, evidence: &evidence) else { continue }
            var confidence = entry.signature.confidence.score
            if incident.isTruncated { confidence *= 0.8 }
            if incident.identity?.isCorrupted == true { confidence *= 0.8 }
            matches.append(SignatureMatch(signature: entry.signature, evidence: evidence, confidence: confidence))
        }
        matches.sort { ($0.signature.severity, $1.signature.id) > ($1.signature.severity, $0.signature.id) }
        return SignatureEvaluation(matches: matches, limitFailures: subject.limitFailures)
    }

    // MARK: - loading

    /// The `<area>/<name>` paths of every file below `directory` that is meant as a signature,
    /// sorted; files in the wrong place are returned too, so that parsing reports them.
    static func signatureFiles(in directory: String) throws -> [String] {
        let manager = FileManager.default
        var result: [String] = []
        for entry in try manager.contentsOfDirectory(atPath: directory).sorted() where !entry.hasPrefix(".") {
            let path = (directory as NSString).appendingPathComponent(entry)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue {
                if entry.hasSuffix(".yaml") || entry.hasSuffix(".yml") { result.append(entry) }
                continue
            }
            if entry == "samples" { continue }
            for file in try manager.contentsOfDirectory(atPath: path).sorted()
            where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
                result.append("\(entry)/\(file)")
            }
        }
        return result
    }

    // MARK: - compiling

    private static func compile(
        _ condition: MatchCondition, signature: Signature, problems: inout [SignatureProblem], failed: inout Bool,
        hint: (String) -> Int
    ) -> CompiledCondition {
        switch condition {
        case .all(let conditions):
            return .all(
                conditions.map { compile($0, signature: signature, problems: &problems, failed: &failed, hint: hint) })
        case .any(let conditions):
            return .any(
                conditions.map { compile($0, signature: signature, problems: &problems, failed: &failed, hint: hint) })
        case .not(let inner):
            return .not(compile(inner, signature: signature, problems: &problems, failed: &failed, hint: hint))
        case .field(let test):
            var pattern: Pattern?
            if let source = test.pattern {
                do {
                    pattern = try Pattern(
                        source, options: test.ignoresCase ? [.caseInsensitive] : [], limits: matchLimits)
                    if pattern?.isJITCompiled == false {
                        problems.append(
                            SignatureProblem(
                                file: signature.file, line: test.line, field: test.patternField,
                                message: "the pattern could not be JIT-compiled and runs interpreted",
                                severity: .warning
                            ))
                    }
                } catch {
                    problems.append(
                        SignatureProblem(
                            file: signature.file, line: test.line, field: test.patternField, message: error.description)
                    )
                    failed = true
                }
            }
            var hintIndices: [Int]?
            if case .lines = test.path, pattern != nil {
                var literals = test.hints
                if literals.isEmpty, !test.ignoresCase, let source = test.pattern,
                    let derived = LiteralHint.derive(from: source)
                {
                    literals = [derived]
                }
                if !literals.isEmpty { hintIndices = literals.map(hint) }
            }
            let summary = "\(test.path) " + test.operators.map(\.description).joined(separator: ", ")
            let others = test.operators.filter { if case .pattern = $0 { false } else { true } }
            return .test(
                CompiledTest(
                    path: test.path, operators: others, pattern: pattern, hintIndices: hintIndices, summary: summary)
            )
        }
    }
}

/// A signature with its condition compiled.
struct CompiledSignature: Sendable {
    var signature: Signature
    var condition: CompiledCondition
}
