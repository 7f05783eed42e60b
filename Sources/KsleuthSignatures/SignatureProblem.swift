// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Something wrong with a signature file: where it is and why.
///
/// An error keeps the signature out of the database; a warning does not, but fails `lint`; a
/// note only informs.
public struct SignatureProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        /// The signature is left out.
        case error
        /// The signature loads, but the file is not in canonical form.
        case warning
        /// Worth knowing on this platform (a pattern the JIT refused).
        case note
    }

    /// The file, as found under the database's root (`oom/memcg-limit.yaml`).
    public var file: String
    /// The 1-based line, when known.
    public var line: Int?
    /// The field concerned, as a path in the file (`match.all[2].pattern`); `nil` for the file.
    public var field: String?
    /// Why the file is wrong.
    public var message: String
    public var severity: Severity

    public init(file: String, line: Int?, field: String?, message: String, severity: Severity = .error) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        self.severity = severity
    }

    /// `file:line: error: field: message`, the form editors jump to.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": \(severity.rawValue): "
        if let field { text += "\(field): " }
        return text + message
    }
}
