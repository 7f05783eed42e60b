// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthInput

/// The lines of one printk caller (`[ T123]`, `[    C1]`), or of the whole input when the
/// log has no caller ids: the unit in which a report is assembled, so that two CPUs printing
/// at once do not mix their reports.
struct ReportStream {
    /// The caller, or `nil` for lines without a caller id.
    var caller: CallerID?
    /// The report being assembled.
    var open: OpenReport?
    /// The lines that may announce the next report (`cut here`, a WARN's message, a page or
    /// slab dump).
    var leadIn = ReportLeadIn()
    /// The input line number of this stream's last line.
    var lastLineNumber: Int
}
