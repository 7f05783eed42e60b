// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthPatterns

/// One incident prepared for matching: its lines as bytes and which hints each holds, both
/// computed at most once however many signatures read them.
final class IncidentSubject {
    let incident: Incident
    let scratch = MatchScratch()
    private let hints: LiteralSet
    private var bytes: [[UInt8]]?
    private var linesByHint: [Int: [Int]]?
    /// Patterns stopped by a match limit: a message each.
    var limitFailures: [String] = []

    init(incident: Incident, hints: LiteralSet) {
        self.incident = incident
        self.hints = hints
    }

    /// The UTF-8 bytes of each evidence line.
    var lineBytes: [[UInt8]] {
        if let bytes { return bytes }
        let computed = incident.lines.map { Array($0.text.utf8) }
        bytes = computed
        return computed
    }

    /// The indices of the lines that contain one of the hints `indices`, in order.
    func lines(containingAnyOf indices: [Int]) -> [Int] {
        let table = hintTable()
        var result = Set<Int>()
        for index in indices { result.formUnion(table[index] ?? []) }
        return result.sorted()
    }

    private func hintTable() -> [Int: [Int]] {
        if let linesByHint { return linesByHint }
        var table: [Int: [Int]] = [:]
        for (lineIndex, line) in lineBytes.enumerated() {
            line.withUnsafeBytes { buffer in
                hints.forEachMatch(in: buffer) { literal, _ in
                    if table[literal]?.last != lineIndex { table[literal, default: []].append(lineIndex) }
                    return true
                }
            }
        }
        linesByHint = table
        return table
    }
}
