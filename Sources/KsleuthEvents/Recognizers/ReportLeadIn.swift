// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Lines the kernel prints before a report's header that belong to the report.
///
/// They are:
/// - the `------------[ cut here ]------------` rule, and the `====` rule of KASAN, KCSAN,
///   UBSAN and SLUB reports;
/// - a WARN's message, which `__warn_printk()` prints between `cut here` and `WARNING:`
///   (`refcount_t: underflow; use-after-free.`);
/// - a `dump_page()` block (`page:… refcount:1 mapcount:0`, `flags:`, `raw:`, `page dumped
///   because:`) printed before `kernel BUG at mm/…` by `VM_BUG_ON_PAGE()`;
/// - the hexdump of `check_slabp()` (`slab: Internal list corruption detected in cache
///   'task_struct'(5), slabp df913000(5). Hexdump:`, then `000: 00 50 90 df …` rows) printed
///   before `kernel BUG at mm/slab.c:3067!`.
///
/// The lines are held per stream while they keep that shape, and given to the next report
/// that starts on the stream right after them; any other line lets them go.
struct ReportLeadIn {
    /// The lines held, oldest first.
    private(set) var lines: [EvidenceLine] = []
    /// Lines of free text still taken after a `cut here` rule (a WARN's message).
    private var messageLinesLeft = 0

    /// At most this many lines are held; the oldest go first.
    static let maximumLines = 64
    /// Lines of a WARN's message taken after `cut here`.
    static let maximumMessageLines = 3

    /// Offers a line of the stream that did not start a report; `evidence` makes its copy
    /// when it is kept.
    mutating func offer(_ message: UnsafeRawBufferPointer, evidence: () -> EvidenceLine) {
        if ReportBodyGrammar.isPreamble(message) {
            append(evidence())
            messageLinesLeft = ReportBodyGrammar.isCutHere(message) ? ReportLeadIn.maximumMessageLines : 0
        } else if ReportLeadIn.isDumpLine(message) || (message.isEmpty && !lines.isEmpty) {
            append(evidence())
        } else if messageLinesLeft > 0 {
            append(evidence())
            messageLinesLeft -= 1
        } else {
            clear()
        }
    }

    /// Hands the lines over to a report starting now.
    mutating func take() -> [EvidenceLine] {
        defer { clear() }
        return lines
    }

    mutating func clear() {
        if !lines.isEmpty { lines.removeAll(keepingCapacity: true) }
        messageLinesLeft = 0
    }

    private mutating func append(_ line: EvidenceLine) {
        if lines.count == ReportLeadIn.maximumLines { lines.removeFirst() }
        lines.append(line)
    }

    private static let dumpPrefixes: [[UInt8]] = [
        "page:", "folio:", "flags: 0x", "raw: ", "head: ", "page dumped because: ", "page_owner ", "page_type: ",
        "memcg:", "anon flags:", "aops:", "slab: ",
    ].map { Array($0.utf8) }

    /// The first bytes of ``dumpPrefixes``, as a table for the first-byte gate.
    private static let dumpInitials: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for prefix in dumpPrefixes { table[Int(prefix[0])] = true }
        return table
    }()

    /// A line of the dumps printed before a report: `dump_page()`'s block or a hexdump row
    /// (`000: 00 50 90 df e0 2d 80 df …`, `00000010: 6b 6b 6b 6b …`).
    static func isDumpLine(_ message: UnsafeRawBufferPointer) -> Bool {
        guard let first = message.first, dumpInitials[Int(first)] || first.isHexDigitByte else { return false }
        if dumpInitials[Int(first)], dumpPrefixes.contains(where: { message.hasPrefix($0) }) { return true }
        var index = 0
        while index < message.count, index < 16, message[index].isHexDigitByte { index += 1 }
        guard index >= 3, index + 3 < message.count, message[index] == 0x3a, message[index + 1] == 0x20 else {
            return false
        }
        return message[index + 2].isHexDigitByte && message[index + 3].isHexDigitByte
    }
}

extension UInt8 {
    fileprivate var isHexDigitByte: Bool {
        (0x30...0x39).contains(self) || (0x61...0x66).contains(self) || (0x41...0x46).contains(self)
    }
}
