// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthInput

/// Reads the lines of a file that may hold hexdump rows, prefixes removed, in bounded memory.
///
/// Rows are kept (at most `maximumRows`); runs of other lines are kept as at most two empty
/// lines, which is all the assembler needs to see where a dump ends. Past the cap the rest of
/// the file is only skimmed for one more row, so that the dump can say it was cut, in time
/// that does not grow with the rows left.
enum HexdumpLines {
    static let maximumRows = 1 << 16

    /// The lines kept, and whether a row followed once the cap was reached.
    struct Result {
        var lines: [(number: Int, text: String)]
        var moreRows: Bool
    }

    static func read(_ path: String) throws(InputError) -> Result {
        let input = try LogInput.open(path)
        let reader = LogLineReader(input: input)
        var result = Result(lines: [], moreRows: false)
        var others = 0
        var rows = 0
        try reader.forEachLine { line in
            guard rows < maximumRows else {
                if !result.moreRows { result.moreRows = HexdumpRowParser.parse(line.messageText) != nil }
                return
            }
            let text = line.messageText
            if HexdumpRowParser.parse(text) != nil || text.contains("^") {
                result.lines.append((line.raw.number, text))
                rows += 1
                others = 0
            } else if others < 2 {
                result.lines.append((line.raw.number, ""))
                others += 1
            }
        }
        return result
    }
}
