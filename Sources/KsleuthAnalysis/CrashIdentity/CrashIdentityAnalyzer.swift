// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthPatterns

/// Parses the call trace of every crash incident and names the crash the way syzkaller
/// does: title, alternative titles, type, corrupted flag with its reason, the frame, the
/// guilty file and a stable bucket id.
///
/// Runs on finished incidents only, so its patterns never touch the per-line scan.
public final class CrashIdentityAnalyzer: IncidentAnalyzer {
    /// Every crash-family kind.
    public var kinds: Set<IncidentKind>? { CrashIdentityAnalyzer.crashKinds }

    static let crashKinds = Set(IncidentKind.allCases.filter { $0.family == .crash })

    private let builder: TitleBuilder
    private let normalizer: TitleNormalizer
    private let guilty: GuiltyFile

    /// Compiles the title table, the normaliser and the guilty-file rules.
    ///
    /// - Throws: ``PatternError`` for the first pattern that does not compile.
    public init() throws(PatternError) {
        builder = TitleBuilder(table: try CompiledOopsTable())
        normalizer = try TitleNormalizer()
        guilty = try GuiltyFile()
    }

    /// The built-in analyzer.
    public static let standard: CrashIdentityAnalyzer = {
        do {
            return try CrashIdentityAnalyzer()
        } catch {
            fatalError("a built-in crash-identity pattern does not compile: \(error)")
        }
    }()

    public func analyze(_ incident: inout Incident) {
        let lines = incident.lines.map(\.text)
        let trace = incident.callTrace ?? CallTrace.parse(lines)
        if !trace.isEmpty { incident.callTrace = trace }
        // The title is read from the whole context when the recognizer kept one (it begins at
        // the header: a preamble line before it is added back).
        var context = incident.contextLines
        if !context.isEmpty { context.insert(contentsOf: lines[..<incident.headerIndex], at: 0) }
        incident.identity = identity(lines: context.isEmpty ? lines : context, incident: incident, trace: trace)
    }

    /// The identity of a report made of `lines`.
    func identity(lines: [String], incident: Incident, trace: CallTrace) -> CrashIdentity {
        var outcome: TitleBuilder.Outcome
        var start = 0
        if let (index, kind) = builder.oopsLine(in: lines) {
            start = index
            let report = builder.report(from: lines, start: index, separatesCallers: incident.caller != nil)
            outcome = builder.title(of: report, kind: kind)
        } else {
            // Named after the frames as printed, not those symbolization added from raw
            // addresses, so that the title does not change with symbols.
            outcome = fallback(incident, trace: CallTrace.parse(incident.lines.map(\.text)))
        }
        if incident.isTruncated, outcome.corruptionReason == nil, outcome.title.hasSuffix(" in corrupted") {
            outcome.corruptionReason = "the report is truncated"
        }
        if incident.truncationReason == Incident.headerNotInLog, outcome.corruptionReason == nil {
            outcome.corruptionReason = Incident.headerNotInLog
        }
        let title = normalizer.normalize(outcome.title)
        var alternatives: [String] = []
        for alternative in outcome.alternativeTitles.map(normalizer.normalize)
        where alternative != title && !alternatives.contains(alternative) {
            alternatives.append(alternative)
        }
        let type = CrashTypeTable.type(of: title)
        var frame: String?
        if let range = title.range(of: " in ", options: .backwards) {
            let name = title[range.upperBound...]
            if !name.isEmpty, name != "corrupted" { frame = String(name) }
        }
        return CrashIdentity(
            title: title, alternativeTitles: alternatives, type: type, isCorrupted: outcome.corruptionReason != nil,
            corruptionReason: outcome.corruptionReason, frame: frame,
            guiltyFile: guilty.file(in: lines[start...], title: title, trace: trace),
            bucket: CrashBucket.id(of: title), isWarning: CrashTypeTable.warningTypes.contains(type))
    }

    /// A report whose first line the title table does not know (an `Oops:` line whose
    /// header was lost, a sanitizer line of a format syzkaller does not read): its header,
    /// named after the faulting function when there is one.
    private func fallback(_ incident: Incident, trace: CallTrace) -> TitleBuilder.Outcome {
        var title = incident.title
        let named = trace.frames.first { $0.isReliable && !$0.function.isEmpty }
        if !title.contains(" in "), let frame = trace.faultingFrame ?? named {
            title += " in " + FrameNames.strippingSyscallPrefix(String(frame.baseFunction))
        }
        return TitleBuilder.Outcome(title: title, alternativeTitles: [], corruptionReason: nil)
    }
}

extension String {
    /// The range of the last occurrence of `needle`.
    fileprivate func range(of needle: String, options: BackwardsSearch) -> Range<Index>? {
        var found: Range<Index>?
        var rest = Substring(self)
        while let range = rest.range(of: needle) {
            found = range
            rest = self[range.upperBound...]
        }
        return found
    }

    fileprivate enum BackwardsSearch { case backwards }
}
