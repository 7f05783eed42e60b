// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A value in an incident's kind-specific `details`: what analyses found, in a shape that
/// maps one-to-one onto JSON.
public indirect enum DetailValue: Sendable, Hashable {
    case string(String)
    case integer(Int64)
    case number(Double)
    case bool(Bool)
    case list([DetailValue])
    case object(Details)
}

/// Ordered key-value pairs: the order analyses add them is the order reports print them.
public struct Details: Sendable, Hashable, Sequence {
    public private(set) var entries: [(key: String, value: DetailValue)] = []

    public init() {}

    public var isEmpty: Bool { entries.isEmpty }

    /// The value for `key`, if set.
    public subscript(key: String) -> DetailValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: DetailValue)]> { entries.makeIterator() }

    public static func == (left: Details, right: Details) -> Bool {
        left.entries.elementsEqual(right.entries) { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for (key, value) in entries {
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}
