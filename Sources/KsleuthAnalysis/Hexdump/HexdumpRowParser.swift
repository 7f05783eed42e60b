// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Reads one line of kernel text as a hexdump row, in every shape the kernel prints.
///
/// Shapes: `check_slabp`'s `000: 00 50 …` (lib: `printk("\n%03x:", i)` + `" %02x"`),
/// `print_hex_dump` with an offset or address prefix, 1/2/4/8-byte groups and an ASCII column
/// (`lib/hexdump.c`), SLUB's `Object`/`Redzone`/`Padding`/`Bytes b4` rows with a real, hashed or
/// parenthesised address (`mm/slub.c` print_section), KASAN's shadow rows with the `>` marker
/// (`mm/kasan/report.c`), dump_page's `raw:`/`head:` words (`mm/debug.c`) and `Code:` bytes with
/// the `<xx>` or `(xxxxxxxx)` marker. Lines that are none of these give `nil`.
public enum HexdumpRowParser {
    /// The labels of SLUB's print_section rows, longest first.
    static let slubLabels = ["Bytes b4", "Object", "Redzone", "Padding"]

    /// Parses `text`; multi-byte groups are read as integers of the given byte order.
    public static func parse(_ text: String, littleEndian: Bool = true, lineNumber: Int? = nil) -> HexdumpRow? {
        var line = Substring(text)
        while let last = line.last, last == " " || last == "\t" || last == "\r" { line.removeLast() }
        var marked = false
        if line.first == ">" {
            marked = true
            line = line.dropFirst()
        }
        while line.first == " " || line.first == "\t" { line.removeFirst() }
        guard !line.isEmpty else { return nil }
        if line.hasPrefix("Code: ") {
            return code(line.dropFirst(6), littleEndian: littleEndian, lineNumber: lineNumber)
        }
        for label in ["raw", "head"] where line.hasPrefix(label + ": ") {
            guard
                var row = groups(
                    line.dropFirst(label.count + 2), form: .raw, littleEndian: littleEndian, lineNumber: lineNumber)
            else { return nil }
            row.label = label
            return row
        }
        for label in slubLabels where line.hasPrefix(label + " ") {
            return labelled(
                line.dropFirst(label.count), label: label, littleEndian: littleEndian, lineNumber: lineNumber)
        }
        if let colon = firstColonSpace(in: line) {
            return prefixed(
                head: line[..<colon], data: line[line.index(colon, offsetBy: 2)...], marked: marked,
                littleEndian: littleEndian, lineNumber: lineNumber)
        }
        guard let row = groups(line, form: .bare, littleEndian: littleEndian, lineNumber: lineNumber),
            row.bytes.count >= 2, row.problems.isEmpty
        else { return nil }
        return row
    }

    /// `Object ffff…: …` with the label already removed; the address may be `(0x…)`.
    static func labelled(_ rest: Substring, label: String, littleEndian: Bool, lineNumber: Int?) -> HexdumpRow? {
        guard let colon = firstColonSpace(in: rest) ?? trailingColon(in: rest) else { return nil }
        var head = rest[..<colon]
        while head.first == " " { head.removeFirst() }
        if head.first == "(" && head.last == ")" { head = head.dropFirst().dropLast() }
        guard let address = HexText.value(head) else { return nil }
        let dataStart = rest.index(colon, offsetBy: 2, limitedBy: rest.endIndex) ?? rest.endIndex
        var row =
            groups(rest[dataStart...], form: .labelled, littleEndian: littleEndian, lineNumber: lineNumber)
            ?? HexdumpRow(form: .labelled, bytes: [], lineNumber: lineNumber, problems: ["no bytes on the row"])
        row.label = label
        row.address = address
        return row
    }

    /// A row `<label> <hex>: <groups>`: an offset when the number is small, else an address.
    static func prefixed(head: Substring, data: Substring, marked: Bool, littleEndian: Bool, lineNumber: Int?)
        -> HexdumpRow?
    {
        let tokens = head.split(separator: " ", omittingEmptySubsequences: true)
        guard let last = tokens.last, last.utf8.count >= 3, last.utf8.count <= 16, HexText.isHex(last),
            let value = HexText.value(last)
        else { return nil }
        let label = tokens.count > 1 ? tokens.dropLast().joined(separator: " ") : nil
        let isOffset = last.utf8.count <= 4 || (last.utf8.count <= 8 && value < 0x10_0000 && !marked)
        guard
            var row = groups(
                data, form: isOffset ? .offset : .address, littleEndian: littleEndian, lineNumber: lineNumber)
        else { return nil }
        row.label = label
        if isOffset { row.offset = Int(value) } else { row.address = value }
        row.isMarkedRow = marked
        return row
    }

    /// The hex groups of a row's data part, stopping at the ASCII column.
    static func groups(_ data: Substring, form: HexdumpRow.Form, littleEndian: Bool, lineNumber: Int?)
        -> HexdumpRow?
    {
        let utf8 = data.utf8
        var hexEnd = utf8.endIndex
        if let gap = firstDoubleSpace(in: data) { hexEnd = gap }
        let tokens = utf8[utf8.startIndex..<hexEnd].split(whereSeparator: { $0 == 0x20 || $0 == 0x09 })
        func isHex(_ token: Substring.UTF8View.SubSequence) -> Bool {
            !token.isEmpty && token.allSatisfy { HexText.digit($0) != nil }
        }
        guard let first = tokens.first(where: { isHex($0) && $0.count % 2 == 0 }) else { return nil }
        let width = first.count
        guard width == 2 || width == 4 || width == 8 || width == 16 else { return nil }
        let groupSize = width / 2
        // Trailing tokens that are not groups are the ASCII column printed with one space.
        var end = tokens.count
        while end > 0, !(tokens[end - 1].count == width && isHex(tokens[end - 1])) { end -= 1 }
        var bytes: [UInt8?] = []
        bytes.reserveCapacity(end * groupSize)
        var problems: [String] = []
        for token in tokens[0..<end] {
            if token.count == width, isHex(token) {
                let value = token.reduce(UInt64(0)) { $0 << 4 | UInt64(HexText.digit($1)!) }
                bytes += split(value, size: groupSize, littleEndian: littleEndian)
            } else {
                bytes += Array(repeating: nil, count: groupSize)
                let reason = token.count % 2 == 1 ? "an odd digit count" : "not hex"
                problems.append("group '\(String(decoding: token.prefix(20), as: UTF8.self))' is \(reason)")
            }
        }
        guard !bytes.isEmpty else { return nil }
        return HexdumpRow(form: form, bytes: bytes, groupSize: groupSize, lineNumber: lineNumber, problems: problems)
    }

    /// `Code: 48 8b <58> 08 …` (x86) or `Code: e5823000 (e5801000)` (arm words, Thumb halfwords).
    static func code(_ data: Substring, littleEndian: Bool, lineNumber: Int?) -> HexdumpRow? {
        var bytes: [UInt8?] = []
        var marker: Int?
        var problems: [String] = []
        var groupSize = 1
        for token in data.split(separator: " ") {
            var body = token
            var isMarked = false
            if (body.first == "<" && body.last == ">") || (body.first == "(" && body.last == ")") {
                body = body.dropFirst().dropLast()
                isMarked = true
            }
            guard HexText.isHex(body), [2, 4, 8].contains(body.utf8.count), let value = HexText.value(body) else {
                if bytes.isEmpty { return nil }
                problems.append("token '\(token.prefix(20))' is not an instruction group")
                continue
            }
            groupSize = body.utf8.count / 2
            if isMarked, marker == nil { marker = bytes.count }
            bytes += split(value, size: groupSize, littleEndian: littleEndian)
        }
        guard !bytes.isEmpty else { return nil }
        return HexdumpRow(
            form: .code, label: "Code", bytes: bytes, groupSize: groupSize, markerIndex: marker, lineNumber: lineNumber,
            problems: problems)
    }

    /// The bytes of an integer group in memory order.
    static func split(_ value: UInt64, size: Int, littleEndian: Bool) -> [UInt8?] {
        let little = (0..<size).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) as UInt8? }
        return littleEndian ? little : little.reversed()
    }

    static func firstColonSpace(in text: Substring) -> Substring.Index? {
        let utf8 = text.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let next = utf8.index(after: index)
            if utf8[index] == 0x3a, next < utf8.endIndex, utf8[next] == 0x20 { return index }
            index = next
        }
        return nil
    }

    static func trailingColon(in text: Substring) -> Substring.Index? {
        text.utf8.last == 0x3a ? text.utf8.index(before: text.utf8.endIndex) : nil
    }

    static func firstDoubleSpace(in text: Substring) -> Substring.Index? {
        let utf8 = text.utf8
        var index = utf8.startIndex
        var seenNonSpace = false
        while index < utf8.endIndex {
            let next = utf8.index(after: index)
            if utf8[index] != 0x20 { seenNonSpace = true }
            if seenNonSpace, utf8[index] == 0x20, next < utf8.endIndex, utf8[next] == 0x20 { return index }
            index = next
        }
        return nil
    }
}
