// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthInput

/// Reads the lines of a file that may hold hexdump rows, prefixes removed, in bounded memory.
///
/// Rows are kept (at most `maximumRows`); runs of other lines are kept as at most two empty
/// lines, which is all the assembler needs to see where a dump ends.
enum HexdumpLines {
    static let maximumRows = 1 << 16

    static func read(_ path: String) throws(InputError) -> [(number: Int, text: String)] {
        let input = try LogInput.open(path)
        let reader = LogLineReader(input: input)
        var lines: [(number: Int, text: String)] = []
        var others = 0
        var rows = 0
        try reader.forEachLine { line in
            guard rows < maximumRows else { return }
            let text = line.messageText
            if HexdumpRowParser.parse(text) != nil || text.contains("^") {
                lines.append((line.raw.number, text))
                rows += 1
                others = 0
            } else if others < 2 {
                lines.append((line.raw.number, ""))
                others += 1
            }
        }
        return lines
    }
}
