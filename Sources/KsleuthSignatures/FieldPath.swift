// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A place in an incident a condition reads, written as in the JSON output: `kind`, `title`,
/// `lines`, `details.memory.ram_kb`, `identity.type`.
public enum FieldPath: Sendable, Hashable, CustomStringConvertible {
    /// The incident's kind (`oom-kill`).
    case kind
    /// The incident's title.
    case title
    /// The text of every evidence line.
    case lines
    /// The text of the header line.
    case header
    /// Whether the report was cut short.
    case truncated
    /// The host from a syslog or journal prefix.
    case host
    /// A field of the crash identity (`identity.title`, `identity.type`, `identity.frame`, …).
    case identity(IdentityField)
    /// A path into `details`, one key per component; a list on the way is searched element by
    /// element.
    case details([String])

    /// The fields of ``KsleuthEvents/CrashIdentity`` a condition may read, by JSON name.
    public enum IdentityField: String, Sendable, CaseIterable {
        case title
        case alternativeTitles = "alternative_titles"
        case type
        case frame
        case guiltyFile = "guilty_file"
        case corrupted
        case warning
        case bucket
    }

    /// Parses `text`.
    ///
    /// - Returns: `nil` for a path that names nothing an incident has.
    public init?(_ text: String) {
        let components = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = components.first, !components.contains(where: \.isEmpty) else { return nil }
        switch (first, components.count) {
        case ("kind", 1): self = .kind
        case ("title", 1): self = .title
        case ("lines", 1): self = .lines
        case ("header", 1): self = .header
        case ("truncated", 1): self = .truncated
        case ("host", 1): self = .host
        case ("identity", 2):
            guard let field = IdentityField(rawValue: components[1]) else { return nil }
            self = .identity(field)
        case ("details", 2...): self = .details(Array(components.dropFirst()))
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .kind: "kind"
        case .title: "title"
        case .lines: "lines"
        case .header: "header"
        case .truncated: "truncated"
        case .host: "host"
        case .identity(let field): "identity.\(field.rawValue)"
        case .details(let keys): "details." + keys.joined(separator: ".")
        }
    }
}
