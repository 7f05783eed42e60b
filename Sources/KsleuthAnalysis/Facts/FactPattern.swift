// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// One fact a report line states, read with a pattern: which kinds of incident it applies
/// to, the pattern, and the detail name and type of each capture group.
public struct FactPattern: Sendable {
    /// How a capture becomes a detail value.
    public enum FieldType: Sendable {
        case string
        case integer
        /// A hexadecimal number kept as printed (`0x1201d2`), so that masks keep their form.
        case hexString
    }

    /// The kinds this fact is looked for in; `nil` for every kind.
    public var kinds: Set<IncidentKind>?
    /// The pattern, unanchored unless it says `^`; run on each evidence line until it matches.
    public var pattern: String
    /// For each capture group in order: the detail name and type; `nil` skips the group.
    public var fields: [(name: String, type: FieldType)?]

    public init(kinds: Set<IncidentKind>? = nil, pattern: String, fields: [(name: String, type: FieldType)?]) {
        self.kinds = kinds
        self.pattern = pattern
        self.fields = fields
    }
}
