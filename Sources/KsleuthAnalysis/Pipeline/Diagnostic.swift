// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Something about an input that the user should know: it was damaged, cut, or not a log.
///
/// Diagnostics are output, not errors: the analysis goes on, and they are reported once per
/// input beside its incidents.
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable {
        /// Worth knowing; nothing was lost.
        case note
        /// Part of the input could not be read as intended (cut lines, a damaged stream).
        case warning
        /// The input is unusable as a log (unreadable, a directory, binary data).
        case error
    }

    /// A stable name (`lines-cut`, `invalid-utf8`, `binary-input`, …).
    public var code: String
    public var severity: Severity
    public var message: String
    /// The first line concerned, when there is one.
    public var line: Int?

    public init(code: String, severity: Severity, message: String, line: Int? = nil) {
        self.code = code
        self.severity = severity
        self.message = message
        self.line = line
    }
}
