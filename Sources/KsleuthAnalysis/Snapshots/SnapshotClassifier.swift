// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthPatterns

/// Tells a memory snapshot from a kernel log by its content: the first of its first few
/// non-blank lines that a ``SnapshotFormatRules`` rule matches names the format.
///
/// Not thread-safe: the match scratch is the classifier's own; one analysis run uses one.
public final class SnapshotClassifier {
    private let rules: [(format: SnapshotFormat, pattern: Pattern)]
    private let scratch = MatchScratch()
    /// Compiles `rules`.
    ///
    /// - Throws: ``PatternError`` for the first pattern that does not compile.
    public init(rules: [SnapshotFormatRule] = SnapshotFormatRules.all) throws(PatternError) {
        var compiled: [(SnapshotFormat, Pattern)] = []
        for rule in rules { compiled.append((rule.format, try Pattern(rule.pattern))) }
        self.rules = compiled
    }

    /// A classifier of the built-in rules.
    public static func standard() -> SnapshotClassifier {
        do {
            return try SnapshotClassifier()
        } catch {
            fatalError("a built-in snapshot format pattern does not compile: \(error)")
        }
    }

    /// The format `line` identifies, if any.
    public func format(of line: UnsafeRawBufferPointer) -> SnapshotFormat? {
        rules.first { $0.pattern.matches(line, using: scratch) }?.format
    }

    /// The format `text` identifies (tests and cold paths).
    public func format(of text: String) -> SnapshotFormat? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { format(of: UnsafeRawBufferPointer($0)) }
    }
}
