// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthInput
import KsleuthPatterns

/// The text a crash is named from: every line of the header's printk context, from the header
/// until the next report begins, whether or not the line belongs to the report.
///
/// The evidence of a report stops after a few lines that do not belong; but a call trace is
/// often split by other messages of the same console (`binder: …` lines between `Call Trace:`
/// and the frames), and syzkaller reads the title and the stack from the whole context. So a
/// crash report keeps collecting its context after its evidence has ended, until a new report
/// starts, the clock goes backwards (a reboot), the cap is reached or the input ends; its
/// incident is released only then.
struct ReportContext {
    /// Whose lines make up a context, decided by the prefix of the line.
    enum Scope: Hashable {
        /// One printk caller (`[ T123]`, `[    C1]`).
        case caller(CallerID)
        /// Lines with a kernel prefix (a stamp, a syslog or journal prefix) but no caller id.
        case console
        /// Lines without any prefix: pasted text, fuzzer program lines between stamped ones.
        case bare
        /// Lines of other programs (syslog), which never belong to a kernel context.
        case other

        /// The scope of a line with `format` and `caller`.
        init(format: PrefixFormat, caller: CallerID?) {
            if let caller {
                self = .caller(caller)
            } else if !format.carriesKernelText {
                self = .other
            } else if format == .noTimestamp {
                self = .bare
            } else {
                self = .console
            }
        }

        var isCPU: Bool {
            if case .caller(.cpu) = self { return true }
            return false
        }
    }

    /// The report the context belongs to.
    let reportID: Int
    /// Whose lines are collected.
    let scope: Scope
    /// The lines so far, the header first.
    private(set) var lines: [String]
    private(set) var byteCount: Int
    /// The input line number of the last line collected.
    private(set) var lastLineNumber: Int
    private(set) var lastMonotonic: Int64?
    /// Whether lines are still collected (false once a stop condition was met).
    private(set) var isCollecting = true
    /// After `Sending NMI from CPU`, the backtraces of every CPU belong to the context.
    private var acceptsEveryCPU = false
    /// The incident, once its evidence has ended; it waits here until the context is complete.
    var incident: Incident?

    init(reportID: Int, scope: Scope, header: String, lineNumber: Int, monotonic: Int64?) {
        self.reportID = reportID
        self.scope = scope
        lines = [header]
        byteCount = header.utf8.count
        lastLineNumber = lineNumber
        lastMonotonic = monotonic
    }

    /// Whether a line of `lineScope` is part of this context.
    func collects(_ lineScope: Scope) -> Bool {
        isCollecting && (lineScope == scope || (acceptsEveryCPU && lineScope.isCPU))
    }

    /// Whether a new report whose header is `header` ends this context.
    ///
    /// Without caller ids any report does, since the lines of two reports cannot be told apart; a caller's context goes
    /// on through later reports (a stack overflow's double fault after its guard-page hit), as
    /// syzkaller reads it, until its caps.
    func isEnded(byStartOf header: String) -> Bool {
        guard isCollecting else { return false }
        if case .caller = scope { return false }
        return !ReportStartRule.linesInsideReports.contains { header.containsASCII($0) }
    }

    /// Adds one line; stops collecting at the caps.
    mutating func append(_ text: String, lineNumber: Int, monotonic: Int64?, limits: IncidentLimits) {
        if let monotonic, let last = lastMonotonic, monotonic < last - 1_000_000 {
            isCollecting = false
            return
        }
        lines.append(text)
        byteCount += text.utf8.count
        lastLineNumber = lineNumber
        if let monotonic { lastMonotonic = monotonic }
        if !acceptsEveryCPU, text.containsASCII("Sending NMI from CPU") { acceptsEveryCPU = true }
        if lines.count >= limits.maximumContextLines || byteCount >= limits.maximumBytes { isCollecting = false }
    }

    /// Stops collecting.
    mutating func end() { isCollecting = false }
}
