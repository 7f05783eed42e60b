// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import Yams

/// Reads one signature file into a ``Signature``, collecting every problem with its line and
/// field instead of stopping at the first.
struct SignatureParser {
    /// The top-level keys in canonical order; a file lists them in this order.
    static let canonicalKeys = [
        "id", "title", "status", "severity", "confidence", "tags", "kinds", "match", "explanation", "remediation",
        "references", "affected", "fixed_in", "falsepositives", "samples",
    ]
    static let requiredKeys: Set<String> = [
        "id", "title", "severity", "kinds", "match", "explanation", "remediation", "references", "samples",
    ]

    /// A file larger than this is not read (a pattern the size of a log is not a signature).
    static let maximumFileBytes = 256 * 1024
    /// `all` / `any` / `not` nested deeper than this is rejected.
    static let maximumConditionDepth = 12
    /// Flow collections (`[`, `{`) or block indentation nested deeper than this are rejected
    /// before the YAML parser sees them.
    static let maximumYAMLNesting = 48
    /// A pattern longer than this many bytes is rejected.
    static let maximumPatternBytes = 4096

    let file: String
    let expectedID: String
    let area: String
    private(set) var problems: [SignatureProblem] = []

    init(file: String, expectedID: String, area: String) {
        self.file = file
        self.expectedID = expectedID
        self.area = area
    }

    mutating func problem(
        _ line: Int?, _ field: String?, _ message: String, _ severity: SignatureProblem.Severity = .error
    ) {
        problems.append(SignatureProblem(file: file, line: line, field: field, message: message, severity: severity))
    }

    /// Parses `text`; `nil` when any error was found.
    mutating func parse(_ text: String) -> Signature? {
        guard text.utf8.count <= SignatureParser.maximumFileBytes else {
            problem(
                nil, nil,
                "the file has \(text.utf8.count) bytes; a signature file may have at most "
                    + "\(SignatureParser.maximumFileBytes)"
            )
            return nil
        }
        if let line = SignatureParser.excessiveNestingLine(in: text) {
            problem(line, nil, "nesting deeper than \(SignatureParser.maximumYAMLNesting) levels")
            return nil
        }
        checkLayout(text)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            let (line, message) = SignatureParser.describe(error)
            problem(line, nil, "invalid YAML: \(message)")
            return nil
        } catch {
            problem(nil, nil, "invalid YAML: \(error)")
            return nil
        }
        guard let root, let mapping = root.mapping else {
            problem(root?.mark?.line ?? 1, nil, "a signature file must be a mapping of fields")
            return nil
        }
        var fields: [String: Node] = [:]
        var order: [String] = []
        for (keyNode, value) in mapping {
            let line = keyNode.mark?.line
            guard let key = keyNode.scalar?.string else {
                problem(line, nil, "keys must be plain words")
                continue
            }
            guard SignatureParser.canonicalKeys.contains(key) else {
                problem(
                    line, key, "unknown field; the fields are \(SignatureParser.canonicalKeys.joined(separator: ", "))")
                continue
            }
            if fields[key] != nil { problem(line, key, "the field is given twice") }
            fields[key] = value
            order.append(key)
        }
        for key in SignatureParser.canonicalKeys where SignatureParser.requiredKeys.contains(key) && fields[key] == nil
        {
            problem(root.mark?.line ?? 1, key, "required field is missing")
        }
        let canonical = SignatureParser.canonicalKeys.filter(order.contains)
        if canonical != order, let first = zip(order, canonical).first(where: { $0 != $1 }) {
            problem(
                fields[first.0]?.mark?.line, first.0,
                "fields are not in canonical order (\(canonical.joined(separator: ", ")))", .warning)
        }

        let id = string(fields["id"], "id")
        if let id {
            if !SignatureParser.isValidID(id) {
                problem(fields["id"]?.mark?.line, "id", "'\(id)' is not a valid id: lower-case words joined by '-'")
            } else if id != expectedID {
                problem(fields["id"]?.mark?.line, "id", "'\(id)' differs from the file name '\(expectedID).yaml'")
            }
        }
        let title = string(fields["title"], "title")
        let status = word(fields["status"], "status", SignatureStatus.self) ?? .stable
        let severity = word(fields["severity"], "severity", SignatureSeverity.self)
        let confidence = word(fields["confidence"], "confidence", SignatureConfidence.self) ?? .high
        let tags = strings(fields["tags"], "tags") ?? []
        let kinds = parseKinds(fields["kinds"])
        let match = fields["match"].flatMap { parseCondition($0, field: "match", depth: 1) }
        let explanation = string(fields["explanation"], "explanation")
        let remediation = string(fields["remediation"], "remediation")
        let references = parseReferences(fields["references"])
        let affected = fields["affected"] == nil ? nil : string(fields["affected"], "affected")
        let fixedIn = fields["fixed_in"] == nil ? nil : string(fields["fixed_in"], "fixed_in")
        let falsePositives = strings(fields["falsepositives"], "falsepositives") ?? []
        let samples = parseSamples(fields["samples"])

        guard !problems.contains(where: { $0.severity == .error }), let id, let title, let severity, let kinds,
            let match, let explanation, let remediation, let references, let samples
        else { return nil }
        return Signature(
            id: id, area: area, title: title, status: status, severity: severity, confidence: confidence, tags: tags,
            kinds: kinds, match: match, explanation: explanation, remediation: remediation, references: references,
            affected: affected, fixedIn: fixedIn, falsePositives: falsePositives, samples: samples, file: file)
    }

    // MARK: - scalars

    private mutating func string(_ node: Node?, _ field: String) -> String? {
        guard let node else { return nil }
        guard let scalar = node.scalar else {
            problem(node.mark?.line, field, "must be text")
            return nil
        }
        let text = scalar.string.trimmingTrailingNewlines()
        if text.isEmpty { problem(node.mark?.line, field, "must not be empty") }
        return text.isEmpty ? nil : text
    }

    private mutating func word<Value: RawRepresentable & CaseIterable>(
        _ node: Node?, _ field: String, _ type: Value.Type
    ) -> Value? where Value.RawValue == String {
        guard let text = string(node, field) else { return nil }
        guard let value = Value(rawValue: text) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            problem(node?.mark?.line, field, "'\(text)' is not one of \(allowed)")
            return nil
        }
        return value
    }

    private mutating func strings(_ node: Node?, _ field: String) -> [String]? {
        guard let node else { return nil }
        guard let sequence = node.sequence else {
            problem(node.mark?.line, field, "must be a list")
            return nil
        }
        return sequence.enumerated().compactMap { index, item in string(item, "\(field)[\(index)]") }
    }

    private mutating func parseKinds(_ node: Node?) -> [IncidentKind]? {
        guard let node, let words = strings(node, "kinds") else { return nil }
        if words.isEmpty { problem(node.mark?.line, "kinds", "must name at least one incident kind") }
        var kinds: [IncidentKind] = []
        for (index, word) in words.enumerated() {
            guard let kind = IncidentKind(rawValue: word) else {
                let line = node.sequence?[index].mark?.line
                problem(
                    line, "kinds[\(index)]",
                    "'\(word)' is not an incident kind ("
                        + IncidentKind.allCases.map(\.rawValue).joined(separator: ", ") + ")"
                )
                continue
            }
            kinds.append(kind)
        }
        return kinds.isEmpty ? nil : kinds
    }

    // MARK: - conditions

    private static let combinators: Set<String> = ["all", "any", "not"]
    private static let testKeys: Set<String> = [
        "field", "lines", "equals", "in", "gt", "ge", "lt", "le", "exists", "pattern", "hint", "ignore_case",
    ]

    private mutating func parseCondition(_ node: Node, field: String, depth: Int) -> MatchCondition? {
        let line = node.mark?.line
        guard depth <= SignatureParser.maximumConditionDepth else {
            problem(line, field, "conditions nest deeper than \(SignatureParser.maximumConditionDepth) levels")
            return nil
        }
        guard let mapping = node.mapping else {
            problem(line, field, "a condition must be a mapping (all, any, not, field or lines)")
            return nil
        }
        let keys = mapping.keys.compactMap { $0.scalar?.string }
        let combinator = keys.filter(SignatureParser.combinators.contains)
        if let name = combinator.first {
            guard keys.count == 1 else {
                problem(line, field, "'\(name)' must stand alone in its condition")
                return nil
            }
            let value = mapping[name]!
            if name == "not" {
                return parseCondition(value, field: "\(field).not", depth: depth + 1).map(MatchCondition.not)
            }
            guard let sequence = value.sequence, !sequence.isEmpty else {
                problem(value.mark?.line, "\(field).\(name)", "must be a non-empty list of conditions")
                return nil
            }
            var conditions: [MatchCondition] = []
            var failed = false
            for (index, item) in sequence.enumerated() {
                if let condition = parseCondition(item, field: "\(field).\(name)[\(index)]", depth: depth + 1) {
                    conditions.append(condition)
                } else {
                    failed = true
                }
            }
            if failed { return nil }
            return name == "all" ? .all(conditions) : .any(conditions)
        }
        return parseFieldTest(mapping, line: line, field: field).map(MatchCondition.field)
    }

    private mutating func parseFieldTest(_ mapping: Node.Mapping, line: Int?, field: String) -> FieldTest? {
        var values: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string, SignatureParser.testKeys.contains(key) else {
                let name = keyNode.scalar?.string ?? "?"
                problem(
                    keyNode.mark?.line, "\(field).\(name)",
                    "unknown condition key; a test has field or lines, then equals, in, gt, ge, lt, le, exists "
                        + "or pattern, and optionally hint and ignore_case"
                )
                return nil
            }
            values[key] = value
        }
        let path: FieldPath
        var operators: [FieldOperator] = []
        if let lines = values["lines"] {
            guard values["field"] == nil, values["pattern"] == nil else {
                problem(line, field, "'lines: PATTERN' is short for 'field: lines' with 'pattern'; give one form")
                return nil
            }
            guard let source = string(lines, "\(field).lines") else { return nil }
            path = .lines
            operators.append(.pattern(source))
        } else if let fieldNode = values["field"] {
            guard let text = string(fieldNode, "\(field).field") else { return nil }
            guard let parsed = FieldPath(text), FieldCatalog.isKnown(parsed) else {
                let suggestions = FieldCatalog.suggestions(for: text)
                let hint = suggestions.isEmpty ? "" : " (did you mean \(suggestions.joined(separator: ", "))?)"
                problem(fieldNode.mark?.line, "\(field).field", "unknown field path '\(text)'\(hint)")
                return nil
            }
            path = parsed
        } else {
            problem(line, field, "a test needs 'field' or 'lines'")
            return nil
        }
        if let node = values["equals"], let value = scalarValue(node, "\(field).equals") {
            operators.append(.equals(value))
        }
        if let node = values["in"] {
            if let sequence = node.sequence, !sequence.isEmpty {
                let list = sequence.enumerated().compactMap { scalarValue($1, "\(field).in[\($0)]") }
                operators.append(.oneOf(list))
            } else {
                problem(node.mark?.line, "\(field).in", "must be a non-empty list of values")
            }
        }
        for comparison in Comparison.allCases {
            guard let node = values[comparison.rawValue] else { continue }
            if let operand = numericOperand(node, "\(field).\(comparison.rawValue)") {
                operators.append(.compare(comparison, operand))
            }
        }
        if let node = values["exists"] {
            if let flag = node.bool {
                operators.append(.exists(flag))
            } else {
                problem(node.mark?.line, "\(field).exists", "must be true or false")
            }
        }
        if let node = values["pattern"], let source = string(node, "\(field).pattern") {
            operators.append(.pattern(source))
        }
        let patternLine = (values["lines"] ?? values["pattern"])?.mark?.line ?? line
        let patternField = values["lines"] != nil ? "\(field).lines" : "\(field).pattern"
        for case .pattern(let source) in operators { checkPattern(source, line: patternLine, field: patternField) }
        let ignoresCase = values["ignore_case"]?.bool ?? false
        var hints: [String] = []
        if let node = values["hint"] {
            let list = node.sequence.map { Array($0) } ?? [node]
            for item in list {
                guard let hint = string(item, "\(field).hint") else { continue }
                if hint.utf8.count < 4 {
                    problem(item.mark?.line, "\(field).hint", "a hint must be at least 4 bytes long")
                }
                hints.append(hint)
            }
        }
        if !hints.isEmpty, operators.allSatisfy({ if case .pattern = $0 { false } else { true } }) {
            problem(values["hint"]?.mark?.line, "\(field).hint", "a hint belongs to a test with a pattern")
        }
        if operators.isEmpty {
            problem(line, field, "a test of '\(path)' needs an operator (equals, in, gt, ge, lt, le, exists, pattern)")
            return nil
        }
        if case .lines = path {
            let onlyPatternAndComparisons = operators.allSatisfy {
                switch $0 {
                case .pattern, .compare: true
                default: false
                }
            }
            if !onlyPatternAndComparisons
                || !operators.contains(where: { if case .pattern = $0 { true } else { false } })
            {
                problem(line, field, "a test of lines takes a pattern, and optionally gt/ge/lt/le on its first capture")
            }
        }
        for case .compare(_, .percentOfCapture) in operators where path != .lines {
            problem(line, field, "'N% of $K' compares with a capture group and needs a test of lines")
        }
        return FieldTest(
            path: path, operators: operators, hints: hints, ignoresCase: ignoresCase, line: patternLine ?? 0,
            patternField: patternField)
    }

    private mutating func scalarValue(_ node: Node, _ field: String) -> ScalarValue? {
        guard let scalar = node.scalar else {
            problem(node.mark?.line, field, "must be a string, number or boolean")
            return nil
        }
        if scalar.style == .plain {
            if let int = node.int { return .number(Double(int)) }
            if let float = node.float { return .number(float) }
            if let bool = node.bool, ["true", "false"].contains(scalar.string) { return .bool(bool) }
        }
        return .string(scalar.string)
    }

    private mutating func numericOperand(_ node: Node, _ field: String) -> NumericOperand? {
        if let scalar = node.scalar, scalar.style == .plain, let value = node.float ?? node.int.map(Double.init) {
            return .constant(value)
        }
        guard let text = node.scalar?.string else {
            problem(node.mark?.line, field, "must be a number or 'N% of FIELD'")
            return nil
        }
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[0].hasSuffix("%"), parts[1] == "of", let percent = Double(parts[0].dropLast())
        else {
            problem(
                node.mark?.line, field,
                "'\(text)' is neither a number nor 'N% of FIELD' (e.g. '50% of details.memory.ram_kb')")
            return nil
        }
        let target = String(parts[2])
        if target.hasPrefix("$"), let group = Int(target.dropFirst()), group >= 1 {
            return .percentOfCapture(percent, group)
        }
        guard let path = FieldPath(target), FieldCatalog.isKnown(path) else {
            problem(node.mark?.line, field, "unknown field path '\(target)'")
            return nil
        }
        return .percentOfField(percent, path)
    }

    private mutating func checkPattern(_ source: String, line: Int?, field: String) {
        if source.utf8.count > SignatureParser.maximumPatternBytes {
            problem(
                line, field,
                "the pattern has \(source.utf8.count) bytes; at most \(SignatureParser.maximumPatternBytes) are allowed"
            )
            return
        }
        if let reason = PatternLint.catastrophicConstruct(in: source) {
            problem(line, field, "the pattern may backtrack catastrophically: \(reason)")
        }
    }

    // MARK: - references and samples

    private mutating func parseReferences(_ node: Node?) -> [SignatureReference]? {
        guard let node else { return nil }
        guard let sequence = node.sequence, !sequence.isEmpty else {
            problem(node.mark?.line, "references", "must be a non-empty list")
            return nil
        }
        var references: [SignatureReference] = []
        for (index, item) in sequence.enumerated() {
            let field = "references[\(index)]"
            guard let mapping = item.mapping else {
                problem(item.mark?.line, field, "a reference is a mapping: commit + subject, cve, lwn, doc or url")
                continue
            }
            var values: [String: String] = [:]
            for (keyNode, value) in mapping {
                guard let key = keyNode.scalar?.string,
                    ["commit", "subject", "cve", "lwn", "doc", "url", "title"].contains(key)
                else {
                    problem(keyNode.mark?.line, field, "unknown reference key '\(keyNode.scalar?.string ?? "?")'")
                    continue
                }
                values[key] = string(value, "\(field).\(key)")
            }
            let line = item.mark?.line
            if let commit = values["commit"] {
                guard commit.count >= 12, commit.allSatisfy(\.isHexDigit) else {
                    problem(line, "\(field).commit", "'\(commit)' is not a commit id of at least 12 hex digits")
                    continue
                }
                guard let subject = values["subject"] else {
                    problem(line, "\(field).subject", "a commit reference needs its subject line")
                    continue
                }
                references.append(.commit(id: commit, subject: subject))
            } else if let cve = values["cve"] {
                guard cve.hasPrefix("CVE-"), cve.split(separator: "-").count == 3 else {
                    problem(line, "\(field).cve", "'\(cve)' is not a CVE id")
                    continue
                }
                references.append(.cve(cve))
            } else if let lwn = values["lwn"] {
                guard lwn.hasPrefix("https://lwn.net/") else {
                    problem(line, "\(field).lwn", "an LWN reference is an https://lwn.net/ address")
                    continue
                }
                references.append(.lwn(url: lwn, title: values["title"]))
            } else if let doc = values["doc"] {
                guard doc.hasPrefix("Documentation/") else {
                    problem(line, "\(field).doc", "a documentation reference is a path under Documentation/")
                    continue
                }
                references.append(.documentation(path: doc))
            } else if let url = values["url"] {
                guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
                    problem(line, "\(field).url", "'\(url)' is not an http(s) address")
                    continue
                }
                references.append(.link(url: url, title: values["title"]))
            } else {
                problem(line, field, "a reference needs commit, cve, lwn, doc or url")
            }
        }
        return references
    }

    private mutating func parseSamples(_ node: Node?) -> [SignatureSample]? {
        guard let node else { return nil }
        guard let sequence = node.sequence else {
            problem(node.mark?.line, "samples", "must be a list")
            return nil
        }
        var samples: [SignatureSample] = []
        for (index, item) in sequence.enumerated() {
            let field = "samples[\(index)]"
            let line = item.mark?.line ?? 0
            guard let mapping = item.mapping else {
                problem(line, field, "a sample is a mapping with expect and log or file")
                continue
            }
            var values: [String: Node] = [:]
            for (keyNode, value) in mapping {
                guard let key = keyNode.scalar?.string, ["name", "expect", "log", "file"].contains(key) else {
                    problem(
                        keyNode.mark?.line, field,
                        "unknown sample key '\(keyNode.scalar?.string ?? "?")' (name, expect, log, file)")
                    continue
                }
                values[key] = value
            }
            guard let expect = string(values["expect"], "\(field).expect") else {
                problem(line, "\(field).expect", "a sample needs 'expect: match' or 'expect: no-match'")
                continue
            }
            guard expect == "match" || expect == "no-match" else {
                problem(values["expect"]?.mark?.line, "\(field).expect", "'\(expect)' is neither match nor no-match")
                continue
            }
            let source: SignatureSample.Source
            if let log = values["log"], values["file"] == nil {
                guard let text = log.scalar?.string else {
                    problem(log.mark?.line, "\(field).log", "must be text")
                    continue
                }
                source = .inline(text)
            } else if let fileNode = values["file"], values["log"] == nil, let path = string(fileNode, "\(field).file")
            {
                guard path.hasPrefix("samples/"), !path.contains("..") else {
                    problem(fileNode.mark?.line, "\(field).file", "a sample file lies under samples/ of the database")
                    continue
                }
                source = .file(path)
            } else {
                problem(line, field, "a sample has either 'log' or 'file'")
                continue
            }
            let name =
                values["name"].flatMap { string($0, "\(field).name") } ?? (expect == "match" ? "positive" : "negative")
            samples.append(SignatureSample(name: name, expectsMatch: expect == "match", source: source, line: line))
        }
        if !samples.contains(where: \.expectsMatch) {
            problem(node.mark?.line, "samples", "at least one sample must expect a match")
        }
        if !samples.contains(where: { !$0.expectsMatch }) {
            problem(node.mark?.line, "samples", "at least one sample must expect no match")
        }
        return samples
    }

    // MARK: - helpers

    /// Warns about what keeps a file from its canonical form: trailing blanks, no final line end
    /// (YAML itself refuses tabs as indentation; a tab inside a sample is the kernel's).
    private mutating func checkLayout(_ text: String) {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.last == " " {
                problem(index + 1, nil, "trailing blanks", .warning)
                return
            }
        }
        if !text.isEmpty, !text.hasSuffix("\n") { problem(nil, nil, "the file does not end with a line end", .warning) }
    }

    static func isValidID(_ id: String) -> Bool {
        guard let first = id.first, first.isLetter, id.count <= 64, !id.hasSuffix("-"), !id.contains("--") else {
            return false
        }
        return id.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// The first line that nests flow collections or block indentation too deeply.
    static func excessiveNestingLine(in text: String) -> Int? {
        var depth = 0
        var line = 1
        var atLineStart = true
        var indentation = 0
        var quote: Character?
        for character in text {
            if character == "\n" {
                line += 1
                atLineStart = true
                indentation = 0
                continue
            }
            if atLineStart {
                if character == " " {
                    indentation += 1
                    if indentation / 2 > maximumYAMLNesting { return line }
                    continue
                }
                atLineStart = false
            }
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "[", "{":
                depth += 1
                if depth > maximumYAMLNesting { return line }
            case "]", "}": depth = max(0, depth - 1)
            case "'" where depth > 0, "\"" where depth > 0: quote = character
            default: break
            }
        }
        return nil
    }

    static func describe(_ error: YamlError) -> (line: Int?, message: String) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let text = context.map { "\($0.text) (line \($0.mark.line)): \(problem)" } ?? problem
            return (mark.line, text)
        case .reader(let problem, _, _, _): return (nil, problem)
        default: return (nil, "\(error)")
        }
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var result = Substring(self)
        while result.last == "\n" || result.last == " " { result.removeLast() }
        return String(result)
    }
}
