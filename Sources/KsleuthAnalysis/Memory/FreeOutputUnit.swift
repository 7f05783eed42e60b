// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The unit free(1) printed its numbers in, and what told it.
///
/// procps prints KiB unless told otherwise. ``FreeOutputUnitReader`` reads the unit from the
/// command line printed before the table (`$ free -m`), from `-h`'s suffixes (`15Gi`, `512Mi`,
/// `0B`), or from the MemTotal of a meminfo beside it.
public struct FreeOutputUnit: Sendable, Equatable {
    /// What told the unit.
    public enum Evidence: String, Sendable {
        /// The `free` command line printed before the table.
        case commandLine = "command-line"
        /// `-h`'s suffixes on the numbers.
        case suffixes
        /// The MemTotal of a meminfo given with it.
        case meminfo
        /// Nothing: procps' default (KiB) is assumed.
        case assumed
    }

    /// Bytes per unit of a plain number (1024 for KiB).
    public var bytesPerUnit: Double
    /// Whether the numbers carry `-h` suffixes.
    public var isHuman: Bool
    /// The step between bare `-h` suffixes (`K`, `M`, `G`): 1024, or 1000 with `--si`.
    ///
    /// `Ki`/`Mi`/`Gi` are always powers of 1024.
    public var humanBase: Double
    /// Whether bare suffixes above `K` count KiB times the base (procps up to 3.3.9 with
    /// `--si`: its `M` is 1000 KiB), rather than bytes times the base.
    public var scalesKibibytes: Bool
    /// What told the unit.
    public var evidence: Evidence

    public init(
        bytesPerUnit: Double, isHuman: Bool = false, humanBase: Double = 1024, scalesKibibytes: Bool = false,
        evidence: Evidence
    ) {
        self.bytesPerUnit = bytesPerUnit
        self.isHuman = isHuman
        self.humanBase = humanBase
        self.scalesKibibytes = scalesKibibytes
        self.evidence = evidence
    }

    /// procps' default: KiB, nothing said.
    public static let assumedKibibytes = FreeOutputUnit(bytesPerUnit: 1024, evidence: .assumed)

    /// The same unit, told by `evidence`.
    public func told(by evidence: Evidence) -> FreeOutputUnit {
        var unit = self
        unit.evidence = evidence
        return unit
    }

    /// The unit's name for people: `KiB`, `MiB`, `MB`, `bytes`, `-h suffixes`.
    public var name: String {
        if isHuman { return humanBase == 1000 ? "-h --si suffixes" : "-h suffixes" }
        let names: [(Double, String)] = [
            (1, "bytes"), (1024, "KiB"), (1_048_576, "MiB"), (1_073_741_824, "GiB"), (1_099_511_627_776, "TiB"),
            (1_125_899_906_842_624, "PiB"), (1000, "kB (1000 bytes)"), (1_000_000, "MB (10^6 bytes)"),
            (1_000_000_000, "GB (10^9 bytes)"), (1_000_000_000_000, "TB (10^12 bytes)"),
            (1_000_000_000_000_000, "PB (10^15 bytes)"),
        ]
        return names.first { $0.0 == bytesPerUnit }?.1 ?? "\(Int64(bytesPerUnit)) bytes"
    }

    /// The unit in whole kB, when it is one (1 for KiB, 1024 for MiB); `nil` for bytes, SI units
    /// and `-h` output.
    public var wholeKilobytes: Int64? {
        guard !isHuman, bytesPerUnit >= 1024, bytesPerUnit.truncatingRemainder(dividingBy: 1024) == 0 else {
            return nil
        }
        return Int64(bytesPerUnit / 1024)
    }

    /// A printed value in kB (KiB, as the kernel counts): a plain number in this unit, or a
    /// number with a `-h` suffix; `nil` when `token` is neither.
    public func kilobytes(_ token: Substring) -> Int64? {
        if let value = Int64(token) { return Int64((Double(value) * bytesPerUnit / 1024).rounded()) }
        var number = token
        let bytes: Double
        if number.hasSuffix("i"), let letter = number.dropLast().last, let step = Self.step(letter) {
            number = number.dropLast(2)
            bytes = Self.power(1024, step)
        } else if let letter = number.last, let step = Self.step(letter) {
            number = number.dropLast()
            bytes = scalesKibibytes && step > 1 ? 1024 * Self.power(humanBase, step - 1) : Self.power(humanBase, step)
        } else if number.hasSuffix("B") {
            number = number.dropLast()
            bytes = 1
        } else {
            return nil
        }
        guard let value = Double(number.replacing(",", with: ".")) else { return nil }
        return Int64((value * bytes / 1024).rounded())
    }

    /// The power of 1024 or 1000 a suffix letter stands for (`K` 1, `M` 2, … `E` 6).
    static func step(_ letter: Character) -> Int? {
        ["K": 1, "M": 2, "G": 3, "T": 4, "P": 5, "E": 6][letter]
    }

    static func power(_ base: Double, _ exponent: Int) -> Double {
        (0..<max(exponent, 0)).reduce(1.0) { result, _ in result * base }
    }
}
