// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthInput
import KsleuthPatterns

/// Turns a stream of log lines into incidents: a state machine fed one line at a time.
///
/// For each line it asks the cheap question first — does the kernel's text contain one of
/// the start rules' literals? — and runs a pattern only when it does, or when a report is
/// open. Lines are routed by printk caller id, so interleaved reports of several CPUs are
/// assembled apart. A report ends at its end marker, at a pause in the stamps, after a few
/// lines that do not belong, when a new report begins, or at the size cap (then it is marked
/// truncated). ``finish(_:)`` flushes what is still open at the end of the input, marked
/// truncated when the input stops in the middle of it. Nothing is dropped.
public final class IncidentRecognizer {
    /// The name stored in each incident's evidence.
    public let inputName: String
    /// The caps in force.
    public let limits: IncidentLimits

    private let rules: CompiledReportRules
    private let scratch = MatchScratch()
    // State touched on every line, by this recognizer only (it is not shared between tasks):
    // exclusivity is not checked at run time.
    @exclusivity(unchecked) private var streams: [ReportStream] = []
    @exclusivity(unchecked) private var ordering = IncidentOrdering()
    @exclusivity(unchecked) private var lastLineNumber = 0
    @exclusivity(unchecked) private var notices = NoticeFolding()
    /// The contexts of crash reports still being collected, oldest first.
    @exclusivity(unchecked) private var contexts: [ReportContext] = []
    @exclusivity(unchecked) private var lastScope = ReportContext.Scope.bare
    @exclusivity(unchecked) private var nextReportID = 0
    /// Kernel lines read so far, up to the few that may hold the tail of a report whose header
    /// the log lost.
    @exclusivity(unchecked) private var kernelLinesSeen = 0
    /// The length of the last physical line when it carried a prefix, else 0: the line a
    /// prefix-less piece that follows it was wrapped from.
    @exclusivity(unchecked) private var lastPrefixedLength = 0

    public init(inputName: String, rules: CompiledReportRules = .standard, limits: IncidentLimits = .standard) {
        self.inputName = inputName
        self.rules = rules
        self.limits = limits
    }

    /// The notices the log kept printing past their limit of incidents, with how many of their
    /// repeats were left out (only counted).
    public var suppressedNotices: [(title: String, count: Int)] { notices.suppressed }

    /// Feeds one line; `emit` receives every incident this line completes, in input order.
    public func accept(_ line: LogLine, _ emit: (Incident) -> Void) {
        lastLineNumber = line.raw.number
        let scope =
            line.format == .continuation ? lastScope : ReportContext.Scope(format: line.format, caller: line.caller)
        lastScope = scope
        let wrappedFromLength = lastPrefixedLength
        lastPrefixedLength = line.format.carriesKernelText && line.format != .noTimestamp ? line.raw.bytes.count : 0
        guard line.format.carriesKernelText else {
            noteForeignLine(onStream: index(for: nil, creating: false), line)
            extendContexts(line, scope)
            release(emit)
            return
        }
        closeStaleReports(at: line)
        kernelLinesSeen += 1
        for notice in notices.closeExpired(at: line, file: inputName) { ordering.add(notice) }
        let streamIndex = index(for: line.caller, creating: true)!
        let message = line.message
        // Bare text pasted into a commit message or documentation is often indented.
        let startText =
            line.format == .noTimestamp ? message.droppingLoginPrompt.droppingLeadingSpaces(upTo: 4) : message
        let ruleIndex = rules.firstRule(confirming: startText, using: scratch)
        if let ruleIndex, rules.rules[ruleIndex].kind.family == .notice {
            // A notice is a line of its own: it neither opens, joins nor ends a report.
            let closed = notices.accept(ruleIndex: ruleIndex, line: line, evidence: evidence(line), file: inputName)
            for notice in closed { ordering.add(notice) }
        } else if let ruleIndex {
            start(rules.rules[ruleIndex], line, streamIndex, scope)
        } else if streams[streamIndex].open != nil {
            // A mail client or terminal that wraps long lines leaves the rest without a prefix.
            let isWrapped = line.format == .noTimestamp && wrappedFromLength >= Self.minimumWrappedLength
            continueReport(line, streamIndex, isWrapped: isWrapped)
        } else if nextReportID == 0, kernelLinesSeen <= Self.headerlessStartLines,
            FrameGrammar.startsReportTail(Array(message)), rules.isBodyLine(message, using: scratch)
        {
            startHeaderless(line, streamIndex)
        } else {
            streams[streamIndex].leadIn.offer(message) { evidence(line) }
        }
        streams[streamIndex].lastLineNumber = line.raw.number
        extendContexts(line, scope)
        release(emit)
    }

    /// Ends the input: every open report becomes an incident.
    public func finish(_ emit: (Incident) -> Void) {
        for index in streams.indices where streams[index].open != nil {
            let open = streams[index].open!
            let cutShort = !open.hasEnded && !open.lastLineIsTerminal && open.foreignLines == 0
            close(index, truncationReason: cutShort ? "the input ends inside the report" : nil)
        }
        for index in contexts.indices { contexts[index].end() }
        settleContexts()
        for notice in notices.closeAll(file: inputName) { ordering.add(notice) }
        ordering.release(before: nil, emit)
    }

    // MARK: - Starting reports

    private func start(_ rule: ReportStartRule, _ line: LogLine, _ streamIndex: Int, _ scope: ReportContext.Scope) {
        switch rule.role {
        case .followUp(let family):
            if let target = openStream(of: family, preferring: streamIndex),
                !(rule.concludes && streams[target].open!.isConcluded)
            {
                streams[target].open!.append(evidence(line))
                if rule.concludes { streams[target].open!.isConcluded = true }
                markTerminal(line.message, target)
                return
            }
        case .midReport:
            if let open = streams[streamIndex].open {
                // The tail a log began with (`Hardware name:`, `Call Trace:`) turns out to be
                // this kind of report's: an OOM's dump_stack.
                if open.startsInside, open.kind.family != rule.kind.family {
                    streams[streamIndex].open!.kind = rule.kind
                }
                continueReport(line, streamIndex)
                return
            }
        case .dieLine:
            if let open = streams[streamIndex].open, open.kind.family == .crash, !open.hasDieLine, !open.hasEnded {
                streams[streamIndex].open!.hasDieLine = true
                streams[streamIndex].open!.append(evidence(line))
                return
            }
        case .header:
            if let open = streams[streamIndex].open, open.absorbs.contains(rule.kind),
                open.linesSinceHeader < ReportStartRule.mergeWindow, !open.hasEnded
            {
                streams[streamIndex].open!.append(evidence(line))
                return
            }
        }
        let leadIn = streams[streamIndex].leadIn.take()
        if streams[streamIndex].open != nil {
            // The open report may have taken the lines that announce this one as its own.
            if let first = leadIn.first { streams[streamIndex].open!.removeTrailingLines(from: first.number) }
            close(streamIndex, truncationReason: nil)
        }
        let header = evidence(line)
        for index in contexts.indices where contexts[index].isEnded(byStartOf: header.text) {
            contexts[index].end()
        }
        settleContexts()
        var report = OpenReport(
            id: nextReportID, kind: rule.kind, header: header, leadIn: leadIn, line: line, absorbs: rule.absorbs,
            hasDieLine: rule.role == .dieLine)
        report.isConcluded = rule.concludes
        nextReportID += 1
        if rule.kind.family == .crash {
            contexts.append(
                ReportContext(
                    reportID: report.id, scope: scope, header: header.text, lineNumber: header.number,
                    monotonic: header.monotonicMicroseconds))
            if contexts.count > limits.maximumOpenReports {
                contexts[0].end()
                settleContexts()
            }
        }
        streams[streamIndex].open = report
        enforceOpenReportLimit()
    }

    /// A log that starts inside a report (`EIP: delay_tsc+0x3b/0xe0` on its first line) keeps
    /// that report's tail as an incident of its own, marked as missing its header.
    private func startHeaderless(_ line: LogLine, _ streamIndex: Int) {
        var report = OpenReport(
            id: nextReportID, kind: .oops, header: evidence(line), leadIn: [], line: line, absorbs: [],
            hasDieLine: false)
        report.startsInside = true
        nextReportID += 1
        streams[streamIndex].open = report
    }

    /// The first kernel lines of an input that may be the tail of a report whose header is
    /// not in the log.
    static let headerlessStartLines = 3

    /// The shortest prefixed line a prefix-less line after it is taken to be wrapped from
    /// (mail clients wrap at 72 to 78 columns).
    static let minimumWrappedLength = 60

    // MARK: - Continuing and ending reports

    private func continueReport(_ line: LogLine, _ streamIndex: Int, isWrapped: Bool = false) {
        let message = line.message
        let open = streams[streamIndex].open!
        let isPreamble = ReportBodyGrammar.isPreamble(message)
        streams[streamIndex].leadIn.offer(message) { evidence(line) }
        if open.hasEnded {
            // After the end marker: the panic and its tail, and the register summary that
            // x86 prints again after "---[ end trace" (5.x and later).
            if isPanicTail(message) || rules.isBodyLine(message, using: scratch) {
                streams[streamIndex].open!.append(evidence(line))
            } else {
                close(streamIndex, truncationReason: nil)
            }
            return
        }
        // An indented (or empty) line continues the line before it; after a line that did not belong,
        // only a line the report printers write can take the report up again.
        let isIndented =
            line.format == .continuation || isWrapped || message.isEmpty
            || message.first.map { $0 == 0x20 || $0 == 0x09 } == true
        let belongs =
            (isIndented && open.foreignLines == 0) || isPreamble
            || rules.isBodyLine(message.droppingLeadingSpaces(upTo: 16), using: scratch)
        guard belongs else {
            noteForeignLine(onStream: streamIndex, line)
            return
        }
        let wasTerminal = open.lastLineIsTerminal
        streams[streamIndex].open!.append(evidence(line))
        if ReportBodyGrammar.endMarkers.contains(where: { message.hasPrefix($0) }) {
            streams[streamIndex].open!.hasEnded = true
        }
        // A wrapped piece ends where the line it was cut from ends.
        if isWrapped {
            streams[streamIndex].open!.lastLineIsTerminal = wasTerminal
        } else {
            markTerminal(message, streamIndex)
        }
        let report = streams[streamIndex].open!
        if report.lines.count >= limits.maximumLines || report.byteCount >= limits.maximumBytes {
            close(
                streamIndex,
                truncationReason:
                    "the report reached the cap of \(limits.maximumLines) lines or \(limits.maximumBytes) bytes")
        }
    }

    private func noteForeignLine(onStream streamIndex: Int?, _ line: LogLine) {
        guard let streamIndex, streams[streamIndex].open != nil else { return }
        streams[streamIndex].open!.foreignLines += 1
        if streams[streamIndex].open!.foreignLines > limits.foreignLineTolerance || streams[streamIndex].open!.hasEnded
        {
            close(streamIndex, truncationReason: nil)
        }
    }

    private func markTerminal(_ message: UnsafeRawBufferPointer, _ streamIndex: Int) {
        var start = 0
        while start < message.count, message[start] == 0x20 || message[start] == 0x09 { start += 1 }
        let trimmed = UnsafeRawBufferPointer(rebasing: message[start...]).trimmingTrailingSpaces
        // At the start (`Killed process …`), at the end after a count (`0 pages hwpoisoned`),
        // or inside a longer line.
        streams[streamIndex].open!.lastLineIsTerminal = ReportBodyGrammar.terminalMarkers.contains {
            trimmed.hasPrefix($0) || trimmed.hasSuffix($0)
                || (trimmed.count > $0.count + 8 && trimmed.containsBytes($0))
        }
    }

    private func isPanicTail(_ message: UnsafeRawBufferPointer) -> Bool {
        ReportBodyGrammar.panicTail.contains { message.hasPrefix($0) }
    }

    /// Closes reports whose stream has gone quiet: a pause in the stamps, a clock that went
    /// backwards (a reboot), or many lines of input since their last line.
    private func closeStaleReports(at line: LogLine) {
        for index in streams.indices {
            guard let open = streams[index].open else { continue }
            var stale = line.raw.number - open.lastLineNumber > 1000
            var pause = limits.maximumPause(for: open.kind.family)
            // nmi_trigger_cpumask_backtrace() waits up to 10 s for the CPUs it signalled.
            if open.awaitsBacktraces { pause += limits.backtraceWaitMicroseconds }
            if let now = line.monotonicMicroseconds, let last = open.lastMonotonic,
                line.caller == nil || streams[index].caller == line.caller || now - last > pause
            {
                var paused = now - last > pause
                // A header whose body a slow console printed long after it: the body's first
                // line (`CPU: 0 PID: 1 Comm: swapper …`) still continues it.
                if paused, open.lines.count == 1, now - last <= limits.maximumBodyDelayMicroseconds,
                    line.caller == nil || streams[index].caller == line.caller,
                    rules.isBodyLine(line.message, using: scratch)
                {
                    paused = false
                }
                stale = stale || paused || now < last - 1_000_000
            }
            if stale { close(index, truncationReason: nil) }
        }
    }

    private func close(_ streamIndex: Int, truncationReason: String?) {
        guard let open = streams[streamIndex].open else { return }
        streams[streamIndex].open = nil
        let reason = open.startsInside ? Incident.headerNotInLog : truncationReason
        let incident = open.incident(file: inputName, truncationReason: reason)
        if let index = contexts.firstIndex(where: { $0.reportID == open.id }) {
            contexts[index].incident = incident
            settleContexts()
        } else {
            ordering.add(incident)
        }
    }

    private func release(_ emit: (Incident) -> Void) {
        guard ordering.hasWaiting else { return }
        let openStart = streams.compactMap { $0.open?.lines[0].number }.min()
        let waitingStart = contexts.compactMap { $0.incident?.evidence.firstLine }.min()
        let oldest = [openStart, waitingStart, notices.oldestFirstLine].compactMap { $0 }.min()
        ordering.release(before: oldest, emit)
    }

    // MARK: - Contexts

    /// Adds `line` to the contexts of its scope; ends those whose scope has been silent for
    /// long.
    private func extendContexts(_ line: LogLine, _ scope: ReportContext.Scope) {
        guard !contexts.isEmpty else { return }
        let number = line.raw.number
        var text: String?
        var ended = false
        for index in contexts.indices {
            if contexts[index].collects(scope) {
                guard contexts[index].lastLineNumber < number else { continue }
                if text == nil { text = String(decoding: line.message, as: UTF8.self) }
                contexts[index].append(
                    text!, lineNumber: number, monotonic: line.monotonicMicroseconds, limits: limits)
            } else if contexts[index].lastLineNumber < number - limits.maximumContextLines {
                contexts[index].end()
            }
            ended = ended || !contexts[index].isCollecting
        }
        if ended { settleContexts() }
    }

    /// Hands the incidents whose evidence and context are both complete to the ordering.
    private func settleContexts() {
        contexts.removeAll { context in
            guard !context.isCollecting, var incident = context.incident else { return false }
            incident.contextLines = context.lines
            ordering.add(incident)
            return true
        }
    }

    // MARK: - Streams

    private func index(for caller: CallerID?, creating: Bool) -> Int? {
        if let index = streams.firstIndex(where: { $0.caller == caller }) { return index }
        guard creating else { return nil }
        if streams.count >= 4 * limits.maximumOpenReports {
            streams.removeAll { $0.open == nil }
        }
        streams.append(ReportStream(caller: caller, open: nil, lastLineNumber: lastLineNumber))
        return streams.count - 1
    }

    private func openStream(of family: IncidentFamily, preferring preferred: Int) -> Int? {
        if let open = streams[preferred].open, open.kind.family == family { return preferred }
        return streams.indices
            .filter { streams[$0].open?.kind.family == family }
            .max { streams[$0].lastLineNumber < streams[$1].lastLineNumber }
    }

    private func enforceOpenReportLimit() {
        let openIndices = streams.indices.filter { streams[$0].open != nil }
        guard openIndices.count > limits.maximumOpenReports,
            let oldest = openIndices.min(by: { streams[$0].lastLineNumber < streams[$1].lastLineNumber })
        else { return }
        close(oldest, truncationReason: "more than \(limits.maximumOpenReports) reports were open at once")
    }

    private func evidence(_ line: LogLine) -> EvidenceLine {
        EvidenceLine(
            number: line.raw.number, byteOffset: line.raw.byteOffset, length: line.raw.bytes.count,
            text: String(decoding: line.message, as: UTF8.self), monotonicMicroseconds: line.monotonicMicroseconds)
    }
}
