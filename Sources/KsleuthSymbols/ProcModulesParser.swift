// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The modules of a `/proc/modules` text and what could not be read.
public struct ProcModules: Sendable {
    /// The modules with their load addresses, in the order listed.
    public var placements: [ModulePlacement]
    /// How many non-empty lines were not module lines.
    public var skippedLines: Int
    /// The 1-based numbers of the first few skipped lines, for the warning.
    public var firstSkippedLines: [Int]
    /// Whether every address was zero: the file was read without permission (`kptr_restrict`).
    public var addressesHidden: Bool

    /// The warnings a user should see (garbage lines, hidden addresses), empty when none.
    public var warnings: [String] {
        ListingWarnings.warnings(
            skippedLines: skippedLines, firstSkippedLines: firstSkippedLines, addressesHidden: addressesHidden,
            entries: "modules", file: "/proc/modules")
    }
}

/// Reads `/proc/modules` text, as `kernel/module/procfs.c` prints it.
///
/// ```
/// nf_tables 253952 5 nft_chain_nat,nft_compat, Live 0xffffffffc0a4e000 (E)
/// <name> <size> <refcount|-> <users,|-> <Live|Loading|Unloading> 0x<address> [taints]
/// ```
public enum ProcModulesParser {
    private static let states: Set<Substring> = ["Live", "Loading", "Unloading"]

    /// Parses the text; lines that are not module lines are counted and skipped, never fatal.
    public static func parse(_ text: some Collection<UInt8>) -> ProcModules {
        var placements: [ModulePlacement] = []
        var skipped = 0
        var firstSkipped: [Int] = []
        var allZero = true
        let lines = String(decoding: Array(text), as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard let placement = placement(fields) else {
                skipped += 1
                if firstSkipped.count < 5 { firstSkipped.append(index + 1) }
                continue
            }
            if placement.base != 0 { allZero = false }
            placements.append(placement)
        }
        return ProcModules(
            placements: placements, skippedLines: skipped, firstSkippedLines: firstSkipped,
            addressesHidden: allZero && !placements.isEmpty)
    }

    /// Reads the file at `path`.
    public static func parse(contentsOf path: String) throws(SymbolsError) -> ProcModules {
        let storage = try ByteStorage(contentsOf: path)
        return parse(storage.bytes)
    }

    private static func placement(_ fields: [Substring]) -> ModulePlacement? {
        guard fields.count >= 6, fields.count <= 7, let size = UInt64(fields[1]), states.contains(fields[4]),
            fields[5].hasPrefix("0x"), (3...18).contains(fields[5].count),
            let base = UInt64(fields[5].dropFirst(2), radix: 16)
        else { return nil }
        guard fields[0].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { return nil }
        if fields.count == 7 { guard fields[6].hasPrefix("("), fields[6].hasSuffix(")") else { return nil } }
        return ModulePlacement(name: String(fields[0]), base: base, size: size, source: .procModules)
    }
}
