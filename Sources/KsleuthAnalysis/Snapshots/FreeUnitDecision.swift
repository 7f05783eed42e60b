// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The unit a snapshot's `free` output is read in, and what was assumed to get it.
///
/// The text decides first (``FreeOutputUnitReader``: the command line, `-h`'s suffixes). With a
/// meminfo beside it, MemTotal decides: free prints MemTotal divided by its unit, truncated, so
/// the unit is the one that gives back the printed Mem total. With neither, the numbers are
/// read as KiB (procps' default) and the assumption is named; a Mem total that is under 64 MiB
/// as KiB, in a row whose columns add up, is named as probably `free -m` or `free -g` — the
/// values are not rescaled on a guess.
struct FreeUnitDecision: Sendable {
    /// The unit the numbers are read in.
    var unit: FreeOutputUnit
    /// What was assumed or found contradictory, for the incident's `missing` list.
    var notes: [String] = []

    /// The units `free` can print plain numbers in, in bytes (`-b`, `-k`, `--kilo`, `-m`, …).
    static let plainUnits: [Double] = [
        1024, 1_048_576, 1_073_741_824, 1_099_511_627_776, 1, 1000, 1_000_000, 1_000_000_000, 1_000_000_000_000,
    ]

    /// The smallest Mem total, in kB, of a system that runs procps' free (64 MiB).
    static let smallestPlausibleTotalKB: Int64 = 65536

    init(freeLines: [Substring], memTotalKB: Int64?) {
        let told = FreeOutputUnitReader.unit(of: freeLines)
        unit = told
        let rows = Self.memRow(freeLines)
        if let memTotalKB, !told.isHuman, let printed = rows?.total {
            decide(printedTotal: printed, memTotalKB: memTotalKB, told: told)
            return
        }
        guard told.evidence == .assumed else { return }
        notes.append(
            "free's unit is not shown (no free command line, no -h suffixes, no meminfo beside it): "
                + "its numbers are read as KiB, procps' default")
        guard let rows, rows.total > 0, rows.total < Self.smallestPlausibleTotalKB, rows.addsUp else { return }
        var guesses: [String] = []
        if rows.total >= 64 {
            guesses.append("free -m (\(Self.gibibytes(rows.total * 1024)) GiB)")
        }
        if rows.total < 4096 { guesses.append("free -g (\(rows.total) GiB)") }
        notes.append(
            "free's Mem total \(rows.total) read as KiB is \(Self.mebibytes(rows.total)) MiB, less than any system "
                + "running procps, while its columns add up: probably "
                + guesses.joined(separator: " or ") + "; the values are left in KiB")
    }

    private mutating func decide(printedTotal: Int64, memTotalKB: Int64, told: FreeOutputUnit) {
        let exact = Self.plainUnits.filter { bytes in
            let expected = Int64((Double(memTotalKB) * 1024 / bytes).rounded(.down))
            return abs(expected - printedTotal) <= 1
        }
        let chosen: Double
        if exact.contains(told.bytesPerUnit) {
            chosen = told.bytesPerUnit
        } else if let first = exact.first {
            chosen = first
        } else {
            chosen =
                Self.plainUnits.min {
                    abs(Double(printedTotal) * $0 / 1024 - Double(memTotalKB))
                        < abs(Double(printedTotal) * $1 / 1024 - Double(memTotalKB))
                } ?? 1024
            notes.append(
                "free's Mem total \(printedTotal) matches the meminfo's MemTotal \(memTotalKB) kB in no unit: "
                    + "read in the nearest")
        }
        let decided = FreeOutputUnit(bytesPerUnit: chosen, evidence: .meminfo)
        if told.evidence == .commandLine, chosen != told.bytesPerUnit {
            notes.append(
                "free's command line asks for \(told.name), but MemTotal \(memTotalKB) kB fits \(decided.name): "
                    + "read as \(decided.name)")
        }
        unit = told.evidence == .commandLine && chosen == told.bytesPerUnit ? told : decided
    }

    /// The `Mem:` row's total as printed (no unit applied) and whether the row adds up, each
    /// column truncated on its own: used + free + buff/cache = total (procps-ng 3.3.10 to
    /// 3.3.17), used + available = total (4.0+: used is MemTotal − MemAvailable), or used + free
    /// = total (procps up to 3.3.9).
    static func memRow(_ lines: [Substring]) -> (total: Int64, addsUp: Bool)? {
        var columns: [Substring] = []
        for line in lines {
            let text = line.trimmingSpaces()
            if FreeOutputUnitReader.era(ofHeader: text) != nil {
                columns = text.split(separator: " ")
                continue
            }
            guard text.hasPrefix("Mem:"), !columns.isEmpty else { continue }
            let words = text.dropFirst(4).split(separator: " ")
            let numbers = words.compactMap { Int64($0) }
            guard numbers.count == words.count, numbers.count == columns.count else { return nil }
            func value(_ name: Substring) -> Int64 { columns.firstIndex(of: name).map { numbers[$0] } ?? 0 }
            let total = value("total")
            guard columns.contains("available") else { return (total, abs(total - value("used") - value("free")) <= 2) }
            let cache = value("buff/cache") + value("buffers") + value("cache")
            let addsUp =
                abs(total - value("used") - value("free") - cache) <= 3
                || abs(total - value("used") - value("available")) <= 2
            return (total, addsUp)
        }
        return nil
    }

    static func mebibytes(_ kilobytes: Int64) -> String { oneDecimal(Double(kilobytes) / 1024) }

    static func gibibytes(_ kilobytes: Int64) -> String { oneDecimal(Double(kilobytes) / 1_048_576) }

    /// `value` to one decimal (`15.6`).
    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int64((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
