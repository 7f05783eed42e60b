// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthPatterns

/// ``OopsTable`` with every pattern compiled once, placeholders expanded.
final class CompiledOopsTable: Sendable {
    struct Format: Sendable {
        let source: TitleFormat
        let title: Pattern
        let report: Pattern?
        let recipe: Recipe?
    }

    struct Recipe: Sendable {
        enum Step: Sendable {
            case find(Pattern)
            case trace
        }

        let steps: [Step]
        let fallback: [Step]
        let skip: Pattern
        let extractor: StackRecipe.Extractor
    }

    struct Kind: Sendable {
        let header: String
        let formats: [Format]
        let falsePositives: [Pattern]
    }

    let kinds: [Kind]
    /// Every kind's header and every informational message with a stack, for a byte prefilter:
    /// a line that holds none of them starts no report.
    let headerLiterals: LiteralSet
    /// Whether every header is long enough for ``headerLiterals`` (four bytes or more).
    let prefiltersHeaders: Bool
    let stackStarts: [Pattern]
    let corruptedFrame: Pattern
    let stallAnchors: Pattern
    let timestamp: Pattern

    init(_ kinds: [OopsKind] = OopsTable.kinds) throws(PatternError) {
        var compiled: [Kind] = []
        for kind in kinds {
            var formats: [Format] = []
            for format in kind.formats {
                formats.append(
                    Format(
                        source: format, title: try Pattern(TitlePlaceholders.expand(format.title)),
                        report: try format.report.map { (source) throws(PatternError) in
                            try Pattern(TitlePlaceholders.expand(source))
                        },
                        recipe: try format.stack.map { (recipe) throws(PatternError) in
                            try CompiledOopsTable.compile(recipe)
                        }
                    ))
            }
            var falsePositives: [Pattern] = []
            for source in kind.falsePositives { falsePositives.append(try Pattern(source)) }
            compiled.append(Kind(header: kind.header, formats: formats, falsePositives: falsePositives))
        }
        self.kinds = compiled
        let literals = compiled.map(\.header) + OopsTable.infoMessagesWithStack
        prefiltersHeaders = literals.allSatisfy { $0.utf8.count >= 4 }
        headerLiterals = LiteralSet(literals.filter { $0.utf8.count >= 4 })
        var starts: [Pattern] = []
        for source in OopsTable.stackStarts { starts.append(try Pattern(source)) }
        stackStarts = starts
        corruptedFrame = try Pattern(OopsTable.corruptedFrame)
        stallAnchors = try Pattern(CompiledOopsTable.alternation(SkipList.stallAnchors))
        timestamp = try Pattern(#"\[ *[0-9]+\.[0-9]+\]"#)
    }

    /// Whether `line` may hold a report header: false when the prefilter finds no header in it.
    func mayHoldHeader(_ line: String) -> Bool {
        guard prefiltersHeaders else { return true }
        if let found = line.utf8.withContiguousStorageIfAvailable({ bytes in
            headerLiterals.firstMatch(in: UnsafeRawBufferPointer(bytes)) != nil
        }) {
            return found
        }
        return Array(line.utf8).withUnsafeBytes { headerLiterals.firstMatch(in: $0) != nil }
    }

    private static func compile(_ recipe: StackRecipe) throws(PatternError) -> Recipe {
        func steps(_ steps: [StackRecipe.Step]) throws(PatternError) -> [Recipe.Step] {
            var result: [Recipe.Step] = []
            for step in steps {
                switch step {
                case .find(let source): result.append(.find(try Pattern(TitlePlaceholders.expand(source))))
                case .trace: result.append(.trace)
                }
            }
            return result
        }
        return Recipe(
            steps: try steps(recipe.steps), fallback: try steps(recipe.fallback),
            skip: try Pattern(alternation(SkipList.common + recipe.skip)), extractor: recipe.extractor)
    }

    private static func alternation(_ sources: [String]) -> String {
        sources.map { "(?:" + $0 + ")" }.joined(separator: "|")
    }
}
