// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Reads the unit of a `free` output from its own text: the command line printed before the
/// table, the procps era its header shows, and `-h`'s suffixes.
///
/// The rules are those of procps' `free.c` (`scale_size()` and its options):
///
/// - procps-ng 3.3.10 and later print an `available` column
///   (`total used free shared buff/cache available`, or with `-w` `buffers cache`):
///   `-b`/`--bytes` bytes, `-k`/`--kibi` KiB, `-m`/`--mebi` MiB, `-g`/`--gibi` GiB, `--tebi`,
///   `--pebi`; `--kilo`, `--mega`, `--giga`, `--tera`, `--peta` (and `--si` with a unit) are
///   powers of 1000 bytes. `-h` prints `B` for small values, then `Ki`, `Mi`, `Gi`, `Ti`, `Pi`,
///   or with `--si` bare `K`, `M`, `G`, `T`, `P` in powers of 1000.
/// - procps 3.2 and procps-ng up to 3.3.9 print `total used free shared buffers cached` and a
///   `-/+ buffers/cache:` row: `-b` bytes, `-k`/`--kilo` KiB, `-m`/`--mega` MiB, `-g`/`--giga`
///   GiB, `--tera` TiB (with `--si`: 1000 bytes for `-k`, then KiB × 1000 per step); `-h`
///   (3.3.0+) prints bare `B`, `K`, `M`, `G`, `T` in powers of 1024 (1000 with `--si`).
public enum FreeOutputUnitReader {
    /// Which procps printed the table, by its header.
    public enum Era: Sendable, Equatable {
        /// procps-ng 3.3.10+: an `available` column.
        case modern
        /// procps 3.2 and procps-ng up to 3.3.9: `buffers` and `cached`, no `available`.
        case classic
    }

    /// The era of the header line `text`, or `nil` when it is not free's header.
    public static func era(ofHeader text: Substring) -> Era? {
        let words = text.split(separator: " ")
        guard words.starts(with: ["total", "used", "free", "shared"]) else { return nil }
        return words.contains("available") ? .modern : .classic
    }

    /// The words that may run `free` (`watch -n 1 free -m`, `sudo free -g`).
    static let wrappers: Set<Substring> = ["sudo", "watch", "time", "exec", "command", "busybox"]

    /// The options of the last `free` command line in `lines`, or `nil` when no line runs free.
    ///
    /// `free` counts as the command when it starts the line or follows a shell prompt (a word
    /// ending in `$`, `#`, `>` or `%`) or a wrapper (`sudo`, `watch`, …), and every word up to a
    /// `|`, `;` or `&&` is an option or an option's number (`-s 5`).
    public static func commandOptions(in lines: [Substring]) -> [String]? {
        var found: [String]?
        for line in lines {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            for (index, word) in words.enumerated() {
                guard word == "free" || word.hasSuffix("/free") else { continue }
                if index > 0 {
                    let isPrompt = words[index - 1].last.map { "$#>%".contains($0) } ?? false
                    guard isPrompt || words[..<index].contains(where: { wrappers.contains($0) }) else { continue }
                }
                let rest = words[(index + 1)...].prefix { !["|", ";", "&&", "||", ">", "2>&1"].contains($0) }
                guard rest.allSatisfy({ $0.hasPrefix("-") || $0.allSatisfy(\.isNumber) }) else { continue }
                found = rest.map(String.init)
            }
        }
        return found
    }

    /// The long unit options: `scale_size()`'s exponent (1 bytes, 2 kilo, 3 mega, …) and whether
    /// procps-ng 3.3.10+ reads the option in powers of 1000 (`--mega`) rather than 1024 (`--mebi`).
    static let longUnits: [Substring: (exponent: Int, isDecimal: Bool)] = [
        "bytes": (1, false), "kilo": (2, true), "mega": (3, true), "giga": (4, true), "tera": (5, true),
        "peta": (6, true), "kibi": (2, false), "mebi": (3, false), "gibi": (4, false), "tebi": (5, false),
        "pebi": (6, false),
    ]

    /// The unit that `free` run with `options` prints, for procps of `era`.
    public static func unit(options: [String], era: Era) -> FreeOutputUnit {
        var exponent = 0
        var decimal = false
        var human = false
        for option in options {
            if option.hasPrefix("--") {
                let name = option.dropFirst(2).prefix { $0 != "=" }
                if name == "si" {
                    decimal = true
                } else if name == "human" {
                    human = true
                } else if let entry = longUnits[name] {
                    exponent = entry.exponent
                    if entry.isDecimal && era == .modern { decimal = true }
                }
                continue
            }
            guard option.hasPrefix("-") else { continue }
            for letter in option.dropFirst() {
                switch letter {
                case "b": exponent = 1
                case "k": exponent = 2
                case "m": exponent = 3
                case "g": exponent = 4
                case "h": human = true
                default: break
                }
            }
        }
        let base: Double = decimal ? 1000 : 1024
        if human {
            return FreeOutputUnit(
                bytesPerUnit: 1024, isHuman: true, humanBase: base, scalesKibibytes: era == .classic,
                evidence: .commandLine)
        }
        let bytes: Double
        switch (era, exponent) {
        case (_, 0): bytes = 1024
        case (_, 1): bytes = 1
        case (.modern, _): bytes = FreeOutputUnit.power(base, exponent - 1)
        case (.classic, 2): bytes = base
        case (.classic, _): bytes = 1024 * FreeOutputUnit.power(base, exponent - 2)
        }
        return FreeOutputUnit(bytesPerUnit: bytes, evidence: .commandLine)
    }

    /// The unit of the free output in `lines`: from its command line, else from `-h`'s
    /// suffixes, else procps' default, assumed.
    public static func unit(of lines: [Substring]) -> FreeOutputUnit {
        let era = lines.lazy.compactMap { Self.era(ofHeader: $0.trimmingSpaces()) }.first ?? .modern
        if let options = commandOptions(in: lines) { return unit(options: options, era: era) }
        let values = lines.flatMap { line -> [Substring] in
            let text = line.trimmingSpaces()
            guard let colon = text.firstIndex(of: ":"), MemInfoSnapshotAnalyzer.freeRowNames.contains(text[..<colon])
            else { return [] }
            return text[text.index(after: colon)...].split(separator: " ")
        }
        let suffixed = values.filter { $0.last.map { !$0.isNumber } ?? false }
        guard !suffixed.isEmpty else { return .assumedKibibytes }
        // Bare K, M, G: procps-ng 3.3.10+ prints them only with --si; earlier -h always did.
        let bare = suffixed.contains { !$0.hasSuffix("i") && !$0.hasSuffix("B") }
        let base: Double = bare && era == .modern ? 1000 : 1024
        return FreeOutputUnit(
            bytesPerUnit: 1024, isHuman: true, humanBase: base, scalesKibibytes: era == .classic, evidence: .suffixes)
    }
}
