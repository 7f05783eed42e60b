// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// Reads the values a ``FieldPath`` names in an incident.
enum FieldResolver {
    /// Every value of `path` in `incident`, with the evidence line it came from.
    ///
    /// None when the field is absent, several when the path crosses a list; `lines` gives each
    /// evidence line's text with its line number.
    static func values(of path: FieldPath, in incident: Incident) -> [(value: ScalarValue, line: Int?)] {
        switch path {
        case .kind: return [(.string(incident.kind.rawValue), nil)]
        case .title: return [(.string(incident.title), nil)]
        case .lines: return incident.lines.map { (.string($0.text), $0.number) }
        case .header: return [(.string(incident.header.text), incident.header.number)]
        case .truncated: return [(.bool(incident.isTruncated), nil)]
        case .host: return incident.host.map { [(.string($0), nil)] } ?? []
        case .identity(let field):
            guard let identity = incident.identity else { return [] }
            switch field {
            case .title: return [(.string(identity.title), nil)]
            case .alternativeTitles: return identity.alternativeTitles.map { (.string($0), nil) }
            case .type: return identity.type.isEmpty ? [] : [(.string(identity.type), nil)]
            case .frame: return identity.frame.map { [(.string($0), nil)] } ?? []
            case .guiltyFile: return identity.guiltyFile.map { [(.string($0), nil)] } ?? []
            case .corrupted: return [(.bool(identity.isCorrupted), nil)]
            case .warning: return [(.bool(identity.isWarning), nil)]
            case .bucket: return [(.string(identity.bucket), nil)]
            }
        case .details(let keys):
            var current: [DetailValue] = []
            if let first = incident.details[keys[0]] { current = [first] }
            for key in keys.dropFirst() {
                current = current.flatMap { value -> [DetailValue] in
                    switch value {
                    case .object(let details): return details[key].map { [$0] } ?? []
                    case .list(let items):
                        return items.compactMap { item in
                            if case .object(let details) = item { return details[key] }
                            return nil
                        }
                    default: return []
                    }
                }
            }
            return current.flatMap(scalars).map { ($0, nil) }
        }
    }

    /// The first numeric value of `path`, for percentages.
    static func number(of path: FieldPath, in incident: Incident) -> Double? {
        values(of: path, in: incident).lazy.compactMap(\.value.numeric).first
    }

    private static func scalars(_ value: DetailValue) -> [ScalarValue] {
        switch value {
        case .string(let text): [.string(text)]
        case .integer(let number): [.number(Double(number))]
        case .number(let number): [.number(number)]
        case .bool(let flag): [.bool(flag)]
        case .list(let items): items.flatMap(scalars)
        case .object: []
        }
    }
}
