// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Puts finished incidents back in input order.
///
/// Reports of different callers finish in any order; an incident is released once no report
/// still open began before it. Memory is bounded by the open reports' caps.
struct IncidentOrdering {
    private var waiting: [Incident] = []

    /// Whether any finished incident waits to be released.
    var hasWaiting: Bool { !waiting.isEmpty }

    mutating func add(_ incident: Incident) {
        let index = waiting.firstIndex { $0.evidence.firstLine > incident.evidence.firstLine } ?? waiting.count
        waiting.insert(incident, at: index)
    }

    /// Releases the incidents that begin before `line` (the first line of the oldest report
    /// still open; `nil` when none is).
    mutating func release(before line: Int?, _ emit: (Incident) -> Void) {
        guard !waiting.isEmpty else { return }
        var released = 0
        for incident in waiting {
            if let line, incident.evidence.firstLine >= line { break }
            emit(incident)
            released += 1
        }
        waiting.removeFirst(released)
    }
}
