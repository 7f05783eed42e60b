// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One kind of oops in the title table: the header string that marks its first line, the
/// title formats tried on the report, and the lines that carry the header but are no crash.
struct OopsKind: Sendable {
    /// A line holding this text (anywhere) starts a report of the kind.
    var header: String
    /// The formats, tried in order; the one whose title pattern matches earliest wins.
    var formats: [TitleFormat]
    /// Patterns of lines that hold the header and are no crash (`ODEBUG:` for `BUG:`).
    var falsePositives: [String] = []
}

/// One way an oops kind is titled: the patterns that select it, the template of the title,
/// and the recipe that picks the function.
///
/// Patterns may use the placeholders of ``TitlePlaceholders``. A template names the captures
/// of the deciding pattern as `{1}`, `{2}`, … (the report pattern's when there is one, else
/// the title pattern's) and the chosen function as `{FRAME}`.
struct TitleFormat: Sendable {
    /// Matched against the report text; the earliest match among a kind's formats wins.
    var title: String
    /// When set, the report must also match this, and its captures feed the template.
    var report: String?
    /// The title template.
    var template: String
    /// Templates of alternative titles (`bad-access in {FRAME}`).
    var alternatives: [String] = []
    /// How the function is found; `nil` when the title names none.
    var stack: StackRecipe?
    /// The report is not expected to carry a call trace.
    var noStackTrace = false
    /// A catch-all for a report whose real header was lost: the result is always corrupted.
    var corrupted = false
}
