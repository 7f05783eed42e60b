// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// One thing wrong (or worth noting) in decoded slab data, with what it implies.
public struct SlabAnomaly: Sendable, Hashable {
    /// How sure and how serious.
    public enum Severity: String, Sendable {
        /// A value no correct kernel writes there.
        case error
        /// Suspicious, or consistent with corruption.
        case warning
        /// A fact that helps read the others.
        case note
    }

    /// Stable name of the rule (`bufctl-invalid`, `bit-flip`, `inuse-not-below-num`, …).
    public var code: String
    public var severity: Severity
    /// The field concerned, when there is one.
    public var field: String?
    public var explanation: String

    public init(code: String, severity: Severity, field: String? = nil, explanation: String) {
        self.code = code
        self.severity = severity
        self.field = field
        self.explanation = explanation
    }

    /// The JSON shape.
    public var detail: DetailValue {
        var object = Details()
        object["code"] = .string(code)
        object["severity"] = .string(severity.rawValue)
        if let field { object["field"] = .string(field) }
        object["explanation"] = .string(explanation)
        return .object(object)
    }
}
