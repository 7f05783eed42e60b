// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The warnings of a text listing read line by line (`System.map`, `/proc/kallsyms`,
/// `/proc/modules`): the lines that were not entries, and addresses all zero because the file
/// was read without permission (`kptr_restrict`).
enum ListingWarnings {
    /// - Parameters:
    ///   - entries: what a line should hold, plural (`symbols`, `modules`).
    ///   - file: the listing as named in the warning (`kallsyms`, `/proc/modules`).
    static func warnings(
        skippedLines: Int, firstSkippedLines: [Int], addressesHidden: Bool, entries: String, file: String
    ) -> [String] {
        var result: [String] = []
        if skippedLines > 0 {
            let lines = firstSkippedLines.map(String.init).joined(separator: ", ")
            result.append("skipped \(skippedLines) line(s) that are not \(entries) (first: line \(lines))")
        }
        if addressesHidden {
            result.append("every address is 0: \(file) was read without permission (kptr_restrict)")
        }
        return result
    }
}
