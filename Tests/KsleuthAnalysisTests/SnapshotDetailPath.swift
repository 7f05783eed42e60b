// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

extension Details {
    /// The value at a dotted path (`memory.ram_kb`, `slab.top.0.name`): object keys and list indices.
    func value(at path: String) -> DetailValue? {
        var current: DetailValue = .object(self)
        for part in path.split(separator: ".") {
            switch current {
            case .object(let details):
                guard let next = details[String(part)] else { return nil }
                current = next
            case .list(let items):
                guard let index = Int(part), items.indices.contains(index) else { return nil }
                current = items[index]
            default: return nil
            }
        }
        return current
    }

    /// The integer at `path`.
    func integer(at path: String) -> Int64? {
        if case .integer(let value)? = value(at: path) { return value }
        return nil
    }

    /// The string at `path`.
    func string(at path: String) -> String? {
        if case .string(let value)? = value(at: path) { return value }
        return nil
    }

    /// The number of elements of the list at `path`.
    func count(at path: String) -> Int? {
        if case .list(let items)? = value(at: path) { return items.count }
        return nil
    }

    /// The strings of the list at `path`.
    func strings(at path: String) -> [String] {
        guard case .list(let items)? = value(at: path) else { return [] }
        return items.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }
}
