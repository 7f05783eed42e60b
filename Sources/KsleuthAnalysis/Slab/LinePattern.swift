// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthPatterns

/// A built-in line pattern of the slab readers, compiled once.
struct LinePattern: Sendable {
    let pattern: Pattern

    init(_ source: String) {
        do {
            pattern = try Pattern(source)
        } catch {
            fatalError("a built-in slab pattern does not compile: \(source): \(error)")
        }
    }

    /// The capture groups (group 1 first) of the first match in `text`, or `nil`.
    func captures(_ text: String) -> [String?]? {
        guard let (_, groups) = try? pattern.firstMatch(in: text) else { return nil }
        return Array(groups.dropFirst())
    }

    /// Capture `index` (0-based) as a hex value.
    func hex(_ captures: [String?], _ index: Int) -> UInt64? {
        index < captures.count ? captures[index].flatMap { HexText.value($0) } : nil
    }

    /// Capture `index` as a decimal integer.
    func integer(_ captures: [String?], _ index: Int) -> Int? {
        index < captures.count ? captures[index].flatMap { Int($0) } : nil
    }
}
