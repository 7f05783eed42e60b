// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthPatterns

/// Names one report: finds its oops line, picks the title format, walks the stack for the
/// function, and decides whether the report is corrupted.
struct TitleBuilder: Sendable {
    /// What the builder found, before normalisation.
    struct Outcome: Sendable, Equatable {
        var title: String
        var alternativeTitles: [String]
        var corruptionReason: String?
    }

    let table: CompiledOopsTable

    /// The report text the title is read from: the lines from the oops line on, without
    /// unreliable frames, cut at the next report when there is no caller id to tell reports
    /// apart.
    struct Report {
        var lines: [String]
        /// Lines the title is searched in (a prefix of `lines`).
        var titleLineCount: Int
    }

    /// The index of the first line that starts an oops, and its kind.
    func oopsLine(in lines: [String]) -> (index: Int, kind: CompiledOopsTable.Kind)? {
        for (index, line) in lines.enumerated() {
            if let kind = kind(of: line) { return (index, kind) }
        }
        return nil
    }

    private func kind(of line: String) -> CompiledOopsTable.Kind? {
        guard table.mayHoldHeader(line) else { return nil }
        return table.kinds.first { kind in
            line.containsASCII(kind.header) && !kind.falsePositives.contains { (try? $0.firstMatch(in: line)) != nil }
        }
    }

    func report(from lines: [String], start: Int, separatesCallers: Bool) -> Report {
        var kept: [String] = []
        var titleLineCount: Int?
        var skipping = false
        let isBUG = lines[start].containsASCII("kernel BUG at ")
        for (offset, line) in lines[start...].enumerated() {
            if offset > 0 {
                if titleLineCount == nil, !separatesCallers, startsAnotherReport(line),
                    !(isBUG && offset <= 2 && TitleBuilder.isARMBugTrap(line))
                {
                    titleLineCount = kept.count
                }
                if line.containsASCII("Disabling lock debugging due to kernel taint") { continue }
                if !skipping, kept.count > 22,
                    line.containsASCII("Kernel panic - not syncing")
                        || line.containsASCII("WARNING: possible circular locking dependency detected")
                {
                    skipping = true
                }
                if skipping || TitleBuilder.isUnreliableFrame(line) { continue }
            }
            kept.append(line)
        }
        return Report(lines: kept, titleLineCount: titleLineCount ?? kept.count)
    }

    private func startsAnotherReport(_ line: String) -> Bool {
        guard table.mayHoldHeader(line) else { return false }
        if OopsTable.infoMessagesWithStack.contains(where: { line.containsASCII($0) }) { return true }
        guard kind(of: line) != nil else { return false }
        return !ReportStartRule.linesInsideReports.contains { line.containsASCII($0) }
    }

    /// arm32's `BUG()` is a store to address 0 (`arch/arm/kernel/traps.c`): its NULL fault
    /// right after `kernel BUG at` is the same report, not a second one.
    static func isARMBugTrap(_ line: String) -> Bool {
        line.hasPrefix("Unable to handle kernel NULL pointer dereference at virtual address 00000000")
    }

    static func isUnreliableFrame(_ line: String) -> Bool {
        // x86 marks an unreliable frame with "? ", PowerPC with "(unreliable)".
        guard line.utf8.contains(0x3f) || line.utf8.contains(0x28) else { return false }
        guard !line.containsASCII("<EOI>") else { return false }
        let frames = FrameGrammar.frames(in: Array(line.utf8)).frames
        return !frames.isEmpty && frames.allSatisfy { !$0.isReliable }
    }

    // MARK: - Choosing the format

    /// The title of the report whose oops line is `report.lines[0]`, of kind `kind`.
    func title(of report: Report, kind: CompiledOopsTable.Kind) -> Outcome {
        let lines = Array(report.lines.prefix(report.titleLineCount))
        let text = lines.joined(separator: "\n") + "\n"
        var lineStarts: [Int] = []
        var offset = 0
        for line in lines {
            lineStarts.append(offset)
            offset += line.utf8.count + 1
        }
        var best: (position: Int, outcome: Outcome, format: CompiledOopsTable.Format)?
        var earliest = Int.max
        var matchedTitle = false
        for format in kind.formats {
            guard let (titleMatch, titleCaptures) = try? format.title.firstMatch(in: text) else { continue }
            let position = titleMatch.range.lowerBound
            if position > earliest || (position == earliest && best != nil) { continue }
            if position < earliest {
                best = nil
                earliest = position
            }
            matchedTitle = true
            var captures = titleCaptures
            var start = position
            if let report = format.report {
                guard let (reportMatch, reportCaptures) = try? report.firstMatch(in: text) else { continue }
                captures = reportCaptures
                start = reportMatch.range.lowerBound
            }
            let arguments = captures.dropFirst().map { $0 ?? "" }
            var reason: String?
            var frame: String?
            var rawFrame: String?
            if let recipe = format.recipe {
                let startLine = max(0, (lineStarts.lastIndex { $0 <= start }) ?? 0)
                let found = extractFrame(recipe, lines: lines, from: startLine)
                rawFrame = found.frame
                frame = found.frame.map(FrameNames.strippingSyscallPrefix)
                if found.frame == nil {
                    reason = "no frame survived the skip list"
                } else if found.corrupted {
                    reason = "a fault-injection stack is mixed into the report"
                }
            }
            let title = fill(format.source.template, arguments, frame: frame ?? "corrupted")
            var alternatives = format.source.alternatives.map { fill($0, arguments, frame: frame ?? "corrupted") }
            if let rawFrame, let frame, rawFrame != frame {
                alternatives.append(fill(format.source.template, arguments, frame: rawFrame))
            }
            if reason == nil, format.source.corrupted { reason = "the report format is a catch-all for a lost header" }
            best = (position, Outcome(title: title, alternativeTitles: alternatives, corruptionReason: reason), format)
        }
        if let best {
            var outcome = best.outcome
            if outcome.corruptionReason == nil {
                outcome.corruptionReason = corruption(
                    title: outcome.title, lines: report.lines, format: best.format.source)
            }
            return outcome
        }
        // No format matched: the text from the header to the end of its line.
        var headerText = lines.first ?? ""
        if let range = Substring(headerText).range(of: kind.header) {
            headerText = String(headerText[range.lowerBound...])
        }
        var outcome = Outcome(title: headerText, alternativeTitles: [], corruptionReason: nil)
        if matchedTitle { outcome.corruptionReason = "the title matched but not the report pattern" }
        if outcome.corruptionReason == nil, (try? table.timestamp.firstMatch(in: headerText)) != nil {
            outcome.corruptionReason = "the title holds a console timestamp (two lines merged)"
        }
        return outcome
    }

    private func fill(_ template: String, _ arguments: [String], frame: String) -> String {
        var result = template.replacingAll("{FRAME}", with: frame)
        for (index, argument) in arguments.enumerated().reversed() {
            result = result.replacingAll("{\(index + 1)}", with: argument)
        }
        return result
    }

    // MARK: - Frames

    private func extractFrame(
        _ recipe: CompiledOopsTable.Recipe, lines: [String], from start: Int
    ) -> (frame: String?, corrupted: Bool) {
        let first = walk(recipe.steps, recipe: recipe, lines: lines, from: start)
        if first.frame != nil || recipe.fallback.isEmpty { return first }
        let second = walk(recipe.fallback, recipe: recipe, lines: lines, from: start)
        return (second.frame, first.corrupted || second.corrupted)
    }

    private func walk(
        _ steps: [CompiledOopsTable.Recipe.Step], recipe: CompiledOopsTable.Recipe, lines: [String], from start: Int
    ) -> (frame: String?, corrupted: Bool) {
        var frames: [String] = []
        var corrupted = false
        var cursor = start
        var stepIndex = 0
        func append(_ captures: [String?]) {
            for case let name? in captures.dropFirst() where !name.isEmpty && frames.count < 4096 {
                if (try? recipe.skip.firstMatch(in: name)) == nil { frames.append(name) }
            }
        }
        steps: while stepIndex < steps.count {
            switch steps[stepIndex] {
            case .find(let pattern):
                while cursor < lines.count {
                    let line = lines[cursor]
                    cursor += 1
                    if (try? table.corruptedFrame.firstMatch(in: line)) != nil {
                        corrupted = true
                        break
                    }
                    if let (_, captures) = try? pattern.firstMatch(in: line) {
                        append(captures)
                        break
                    }
                }
                stepIndex += 1
            case .trace:
                while cursor < lines.count {
                    let line = lines[cursor]
                    cursor += 1
                    if (try? table.corruptedFrame.firstMatch(in: line)) != nil {
                        corrupted = true
                        break
                    }
                    if table.stackStarts.contains(where: { (try? $0.firstMatch(in: line)) != nil }) { break }
                    if stepIndex + 1 < steps.count, case .find(let next) = steps[stepIndex + 1],
                        let (_, captures) = try? next.firstMatch(in: line)
                    {
                        append(captures)
                        stepIndex += 2
                        continue steps
                    }
                    let parsed = FrameGrammar.frames(in: Array(line.utf8))
                    var names: [String?] = [nil]
                    for frame in parsed.frames + (parsed.caller.map { [$0] } ?? [])
                    where frame.isReliable && !frame.isInlined {
                        names.append(String(frame.baseFunction))
                    }
                    append(names)
                }
                stepIndex += 1
            }
        }
        return (extract(frames, recipe.extractor), corrupted)
    }

    private func extract(_ frames: [String], _ extractor: StackRecipe.Extractor) -> String? {
        switch extractor {
        case .first:
            return frames.first
        case .stall:
            guard var previous = frames.first else { return nil }
            for frame in frames {
                if frame.hasPrefix("smp_call_function") { return "smp_call_function" }
                if (try? table.stallAnchors.firstMatch(in: frame)) != nil { return previous }
                previous = frame
            }
            return nil
        case .hang:
            for frame in frames {
                if frame.hasPrefix("rtnl_lock") { return frame }
                for anchor in ["synchronize_rcu", "synchronize_srcu", "synchronize_net", "synchronize_sched"]
                where frame.hasPrefix(anchor) {
                    return "synchronize_rcu"
                }
            }
            let skip = [
                "sched", "_lock", "_slowlock", "down", "completion", "kthread", "wait", "synchronize",
                "context_switch", "__switch_to", "cancel_delayed_work", "rcu_barrier",
            ]
            return frames.first { frame in !skip.contains { frame.contains($0) } }
        }
    }

    // MARK: - Corruption

    private func corruption(title: String, lines: [String], format: TitleFormat) -> String? {
        if (try? table.timestamp.firstMatch(in: title)) != nil {
            return "the title holds a console timestamp (two lines merged)"
        }
        guard !format.noStackTrace else { return nil }
        let keywords = ["Call Trace", "Call trace", "backtrace", "Backtrace"]
        guard lines.contains(where: { line in keywords.contains { line.containsASCII($0) } }) else {
            return "the report has no stack trace"
        }
        for keyword in table.stackStarts {
            guard let index = lines.firstIndex(where: { (try? keyword.firstMatch(in: $0)) != nil }) else { continue }
            let after = lines[(index + 1)...]
            // syzkaller wants three more lines in its split of the text, the last being the empty
            // string after the final newline: two lines after the keyword.
            if after.count < 2 { return "a call trace is cut off" }
            var found = false
            for line in after.prefix(15) {
                if table.stackStarts.contains(where: { (try? $0.firstMatch(in: line)) != nil }) { break }
                if line.containsASCII("(stack is not available)") || TitleBuilder.isFrameLine(line) {
                    found = true
                    break
                }
            }
            if !found { return "a call trace holds no frames" }
        }
        return nil
    }

    /// Whether `line` holds a reliable frame with an offset: `func+0x1c/0x28`, or the caller of
    /// arm32's `[<c00405a4>] (__bug) from [<c0123456>] (cache_alloc_refill+0x1c/0x28)`.
    static func isFrameLine(_ line: String) -> Bool {
        let parsed = FrameGrammar.frames(in: Array(line.utf8))
        return (parsed.frames + (parsed.caller.map { [$0] } ?? [])).contains { $0.isReliable && $0.offset != nil }
    }
}
