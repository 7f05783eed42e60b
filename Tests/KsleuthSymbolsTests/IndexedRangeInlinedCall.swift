// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A `DW_TAG_inlined_subroutine` whose `DW_AT_ranges` is in the form `DW_FORM_rnglistx` (an
/// index into the unit's `DW_AT_rnglists_base` table), as `llvm-dwarfdump --debug-info
/// --show-form` prints it: an independent reading of the DWARF the reference tools see.
///
/// ```
/// 0x000001d3:       DW_TAG_inlined_subroutine
///                     DW_AT_abstract_origin [DW_FORM_ref4]	(0x000000b8 "mix")
///                     DW_AT_ranges [DW_FORM_rnglistx]	(indexed (0x0) rangelist = 0x000000cc
///                        [0x000000000000074b, 0x0000000000000755)
///                        [0x000000000000075c, 0x000000000000077a))
///                     DW_AT_call_file [DW_FORM_data1]	("/tmp/program.c")
///                     DW_AT_call_line [DW_FORM_data1]	(10)
/// ```
struct IndexedRangeInlinedCall: CustomStringConvertible {
    /// Where the DIE is in `.debug_info`.
    var offset: UInt64
    /// The inlined function, named through `DW_AT_abstract_origin`.
    var function: String
    /// The line of the call, in the caller.
    var callLine: UInt32
    /// The address ranges the range list gives, `[low, high)`.
    var ranges: [(low: UInt64, high: UInt64)]

    func covers(_ address: UInt64) -> Bool { ranges.contains { $0.low <= address && address < $0.high } }

    var description: String {
        let spans = ranges.map { "[0x\(String($0.low, radix: 16)),0x\(String($0.high, radix: 16)))" }
        return "\(function) (DIE 0x\(String(offset, radix: 16)), call line \(callLine), DW_FORM_rnglistx "
            + spans.joined(separator: " ") + ")"
    }

    /// The inlined calls of a `llvm-dwarfdump --debug-info --show-form` listing whose ranges
    /// are `DW_FORM_rnglistx`.
    static func parse(dump: String) -> [IndexedRangeInlinedCall] {
        var result: [IndexedRangeInlinedCall] = []
        var current: IndexedRangeInlinedCall?
        var inIndexedRanges = false
        func finish() {
            if let call = current, !call.ranges.isEmpty { result.append(call) }
            current = nil
            inIndexedRanges = false
        }
        for raw in dump.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if raw.first == "0", let colon = raw.firstIndex(of: ":") {
                finish()
                if raw.hasSuffix("DW_TAG_inlined_subroutine"),
                    let offset = UInt64(raw[..<colon].dropFirst(2), radix: 16)
                {
                    current = IndexedRangeInlinedCall(offset: offset, function: "", callLine: 0, ranges: [])
                }
                continue
            }
            guard current != nil else { continue }
            if line.hasPrefix("DW_AT_abstract_origin"), let name = quoted(line) {
                current?.function = name
            } else if line.hasPrefix("DW_AT_ranges [DW_FORM_rnglistx]") {
                inIndexedRanges = true
            } else if line.hasPrefix("DW_AT_call_line"), let open = line.lastIndex(of: "("),
                let number = UInt32(line[line.index(after: open)...].prefix { $0.isNumber })
            {
                current?.callLine = number
            }
            if inIndexedRanges, line.hasPrefix("["), let range = range(line) {
                current?.ranges.append(range)
            }
            if line.hasPrefix("DW_AT_"), !line.hasPrefix("DW_AT_ranges") { inIndexedRanges = false }
        }
        finish()
        return result
    }

    private static func quoted(_ line: Substring) -> String? {
        guard let first = line.firstIndex(of: "\""), let last = line.lastIndex(of: "\""), first < last else {
            return nil
        }
        return String(line[line.index(after: first)..<last])
    }

    /// `[0x000000000000074b, 0x0000000000000755)` (a section name may follow).
    private static func range(_ line: Substring) -> (low: UInt64, high: UInt64)? {
        let parts = line.dropFirst().split(separator: ",", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let low = parts[0].trimmingPrefix("0x")
        let high = parts[1].drop { $0 == " " }.trimmingPrefix("0x").prefix { $0.isHexDigit }
        guard let lowValue = UInt64(low, radix: 16), let highValue = UInt64(high, radix: 16) else { return nil }
        return (lowValue, highValue)
    }
}
