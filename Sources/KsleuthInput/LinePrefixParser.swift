// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Reads the prefix of each line — every format in which kernel messages reach a file — and
/// hands on the kernel's text with its time stamp, caller id, level and host.
///
/// The grammar is written by hand over bytes, dispatched on the first byte, because it runs
/// on every line of the input. Formats are detected per line. The parser keeps a little
/// state: the prefix of the line before, so that an indented unstamped line continues the
/// record above it (as `dmesg` and the journal print multi-line records), and whether a
/// `/dev/kmsg` record came before (its dictionary lines are metadata, not text).
///
/// One physical line can carry several logical lines: syslog writes a multi-line record as
/// one line with `#012` for each newline, `/dev/kmsg` as `\x0a`, the journal's JSON as `\n`.
/// Each logical line is delivered separately, with the physical line's number.
public final class LinePrefixParser {
    // State read and written on every line; only this parser touches it, so its exclusivity
    // is not checked at run time.
    @exclusivity(unchecked) private var previousHadPrefix = false
    @exclusivity(unchecked) private var previousFormat: PrefixFormat = .noTimestamp
    @exclusivity(unchecked) private var inheritedMonotonic: Int64?
    @exclusivity(unchecked) private var inheritedCaller: CallerID?
    @exclusivity(unchecked) private var inheritedLevel: UInt8?
    /// RFC 3164 lines read so far with a program tag (`host kernel:`, `host sshd[812]:`) and
    /// without one (`host: text`): which of the two the file's syslog lines mostly are.
    @exclusivity(unchecked) private var taggedSyslogLines = 0
    @exclusivity(unchecked) private var untaggedSyslogLines = 0
    private let scratch: UnsafeMutableRawBufferPointer

    /// - Parameter maximumLineLength: the framer's maximum; unescaped text never grows longer.
    public init(maximumLineLength: Int = 64 * 1024) {
        scratch = .allocate(byteCount: maximumLineLength + 16, alignment: 16)
    }

    deinit {
        scratch.deallocate()
    }

    /// Reads `raw`'s prefix and calls `body` with each logical line it carries.
    ///
    /// - Returns: the prefix format of the physical line.
    @discardableResult
    public func parse(_ raw: RawLine, _ body: (LogLine) -> Void) -> PrefixFormat {
        var bytes = raw.bytes
        var isQuoted = false
        // Quoted mail and bug-tracker text: "> " (possibly several levels) before everything.
        while bytes.count > 0, bytes[0] == 0x3e, bytes.count == 1 || bytes[1] == 0x20 || bytes[1] == 0x3e {
            isQuoted = true
            bytes = UnsafeRawBufferPointer(rebasing: bytes[(bytes.count > 1 && bytes[1] == 0x20 ? 2 : 1)...])
        }
        var prefix = readPrefix(bytes)
        if prefix.format == .noTimestamp, previousHadPrefix, let first = bytes.first, first.isSpaceOrTab {
            prefix.format = .continuation
        }
        if prefix.format == .kmsgDictionary, previousFormat != .kmsgRecord, previousFormat != .kmsgDictionary {
            prefix.format = .continuation
        }
        if prefix.format == .continuation {
            prefix.monotonic = inheritedMonotonic
            prefix.caller = inheritedCaller
            prefix.level = inheritedLevel
        } else if prefix.format != .kmsgDictionary {
            previousHadPrefix = prefix.format != .noTimestamp && prefix.format.carriesKernelText
            inheritedMonotonic = prefix.monotonic
            inheritedCaller = prefix.caller
            inheritedLevel = prefix.level
        }
        previousFormat = prefix.format

        var line = LogLine(
            raw: raw, format: prefix.format, message: UnsafeRawBufferPointer(rebasing: bytes[prefix.messageStart...]),
            monotonicMicroseconds: prefix.monotonic, wallClock: prefix.wallClock.map { slice(bytes, $0) },
            host: prefix.host.map { slice(bytes, $0) }, caller: prefix.caller, level: prefix.level, isQuoted: isQuoted)
        switch prefix.escaping {
        case .none:
            body(line)
        case .syslogOctal:
            forEachPiece(of: line.message, separator: "#012") { piece in
                line.message = piece
                body(line)
            }
        case .kmsgHex:
            let text = unescapeKernelHex(line.message)
            forEachNewlineSeparated(text) { piece in
                line.message = piece
                body(line)
            }
        case .decoded(let text):
            forEachNewlineSeparated(text) { piece in
                line.message = piece
                body(line)
            }
        }
        return prefix.format
    }

    // MARK: - The grammar

    enum Escaping {
        case none
        /// rsyslog's `#012` for an embedded newline.
        case syslogOctal
        /// `/dev/kmsg`'s `\xHH`.
        case kmsgHex
        /// Text already decoded into the scratch buffer (journal JSON).
        case decoded(UnsafeRawBufferPointer)
    }

    struct Prefix {
        var format: PrefixFormat = .noTimestamp
        var messageStart = 0
        var monotonic: Int64?
        var wallClock: Range<Int>?
        var host: Range<Int>?
        var caller: CallerID?
        var level: UInt8?
        var escaping: Escaping = .none
    }

    /// - Parameter allowsPriority: whether a `<N>` priority may open the line; false for the
    ///   text after one, so that a line of `<1><1><1>…` is not read recursively.
    func readPrefix(_ bytes: UnsafeRawBufferPointer, allowsPriority: Bool = true) -> Prefix {
        var cursor = ByteCursor(bytes)
        var prefix = Prefix()
        guard let first = cursor.peek() else { return prefix }
        switch first {
        case 0x3c where allowsPriority:  // "<N>" syslog priority
            if let level = readPriority(&cursor) {
                let afterPriority = cursor.position
                var inner = readPrefix(cursor.rest, allowsPriority: false)
                if inner.format == .noTimestamp || inner.format == .continuation {
                    inner = Prefix()
                    inner.format = .kmsgLevel
                } else if inner.format == .dmesgRaw || inner.format == .dmesgRawCaller {
                    inner.format = .kmsgLevel
                }
                inner.messageStart += afterPriority
                inner.wallClock = inner.wallClock.map {
                    ($0.lowerBound + afterPriority)..<($0.upperBound + afterPriority)
                }
                inner.host = inner.host.map { ($0.lowerBound + afterPriority)..<($0.upperBound + afterPriority) }
                inner.level = inner.level ?? level
                return inner
            }
        case 0x5b:  // "["
            if readBracketPrefix(&cursor, into: &prefix) { return prefix }
        case 0x30...0x39:
            if readKmsgRecord(&cursor, into: &prefix) { return prefix }
            cursor.position = 0
            if readISOPrefix(&cursor, into: &prefix) { return prefix }
        case 0x7b:  // "{"
            if readJournalJSON(bytes, into: &prefix) { return prefix }
        case 0x20:
            if readKmsgDictionary(&cursor) {
                prefix.format = .kmsgDictionary
                prefix.messageStart = bytes.count
                return prefix
            }
        default:
            if first.isUppercaseLetter {
                if readSyslogPrefix(&cursor, into: &prefix) { return prefix }
                cursor.position = 0
                if isPstoreHeader(bytes) {
                    prefix.format = .pstoreHeader
                    return prefix
                }
            } else if first.isLowercaseLetter {
                if cursor.skip("kernel:") {
                    // "kernel: text", and "kernel:text" as some collectors write it.
                    _ = cursor.skip(0x20)
                    prefix.format = .journalBare
                    if cursor.peek() == 0x5b { _ = readKernelStamp(&cursor, into: &prefix) }
                    prefix.messageStart = cursor.position
                    if containsOctalNewline(cursor.rest) { prefix.escaping = .syslogOctal }
                    return prefix
                }
                if readDecodePrefix(&cursor, into: &prefix) { return prefix }
            }
        }
        return readEmbeddedStamp(bytes) ?? prefix
    }

    /// `<6>`: the priority is facility * 8 + level.
    private func readPriority(_ cursor: inout ByteCursor) -> UInt8? {
        let start = cursor.position
        guard cursor.skip(0x3c), let number = cursor.digits(maximumCount: 3), cursor.skip(0x3e) else {
            cursor.position = start
            return nil
        }
        return UInt8(number.value & 7)
    }

    /// `[    1.234567]`, then an optional caller id, and the single space after them.
    private func readKernelStamp(_ cursor: inout ByteCursor, into prefix: inout Prefix) -> Bool {
        let start = cursor.position
        guard cursor.skip(0x5b) else { return false }
        cursor.skipSpaces()
        guard let seconds = cursor.digits(), cursor.skip(0x2e), let fraction = cursor.digits() else {
            cursor.position = start
            return readCallerOnly(&cursor, into: &prefix)
        }
        cursor.skipSpaces()
        guard cursor.skip(0x5d) else {
            cursor.position = start
            return false
        }
        prefix.monotonic = seconds.value &* 1_000_000 &+ microseconds(fraction)
        // The kernel writes the caller id right after the stamp, util-linux after a space;
        // then one space before the text.
        _ = cursor.skip(0x20)
        if cursor.peek() == 0x5b, let caller = readCaller(&cursor) {
            prefix.caller = caller
            _ = cursor.skip(0x20)
        }
        return true
    }

    /// `[ T123]` with no time stamp before it.
    private func readCallerOnly(_ cursor: inout ByteCursor, into prefix: inout Prefix) -> Bool {
        let start = cursor.position
        guard let caller = readCaller(&cursor) else {
            cursor.position = start
            return false
        }
        prefix.caller = caller
        _ = cursor.skip(0x20)
        return true
    }

    private func readCaller(_ cursor: inout ByteCursor) -> CallerID? {
        let start = cursor.position
        guard cursor.skip(0x5b) else { return nil }
        cursor.skipSpaces()
        let kind = cursor.peek()
        guard kind == 0x54 || kind == 0x43 else {
            cursor.position = start
            return nil
        }
        cursor.position += 1
        guard let number = cursor.digits(maximumCount: 10), cursor.skip(0x5d) else {
            cursor.position = start
            return nil
        }
        return kind == 0x54 ? .task(pid: Int(number.value)) : .cpu(Int(number.value))
    }

    private func microseconds(_ fraction: (value: Int64, count: Int)) -> Int64 {
        var value = fraction.value
        var count = fraction.count
        while count < 6 {
            value *= 10
            count += 1
        }
        while count > 6 {
            value /= 10
            count -= 1
        }
        return value
    }

    /// Lines that open with `[`: a printk stamp (with caller id, or as `journalctl -o
    /// short-monotonic` writes it, with host and `kernel:`), or `dmesg -T`'s date.
    private func readBracketPrefix(_ cursor: inout ByteCursor, into prefix: inout Prefix) -> Bool {
        if let second = cursor.peek(1), second.isUppercaseLetter || second.isLowercaseLetter || second >= 0x80 {
            return readCtimePrefix(&cursor, into: &prefix)
        }
        guard readKernelStamp(&cursor, into: &prefix) else { return false }
        if prefix.monotonic == nil {
            prefix.format = .dmesgRawCaller
            prefix.messageStart = cursor.position
            return true
        }
        prefix.format = prefix.caller == nil ? .dmesgRaw : .dmesgRawCaller
        prefix.messageStart = cursor.position
        // journalctl -o short-monotonic: "[ 1234.567890] host kernel: text".
        var probe = cursor
        let host = probe.token()
        if !host.isEmpty, probe.skip(" kernel: ") {
            prefix.format = .journalShortMonotonic
            prefix.host = host
            prefix.messageStart = probe.position
        }
        return true
    }

    /// Reads `dmesg -T`'s date: `[Wed May 23 16:58:12 2018] text`.
    ///
    /// The day and month names follow the locale (`[Di Aug 12 03:54:03 2025]` in German), so
    /// the date is recognised by its fixed end — `HH:MM:SS YYYY]` — not by its names.
    private func readCtimePrefix(_ cursor: inout ByteCursor, into prefix: inout Prefix) -> Bool {
        let bytes = cursor.bytes
        var close = 1
        while close < min(bytes.count, 48), bytes[close] != 0x5d { close += 1 }
        guard close >= 20, close < bytes.count, bytes[close] == 0x5d else { return false }
        let year = close - 4
        let clock = year - 9
        guard bytes[year - 1] == 0x20, (year..<close).allSatisfy({ bytes[$0].isDigit }),
            bytes[clock - 1] == 0x20, bytes[clock + 2] == 0x3a, bytes[clock + 5] == 0x3a,
            [0, 1, 3, 4, 6, 7].allSatisfy({ bytes[clock + $0].isDigit })
        else { return false }
        prefix.format = .dmesgCtime
        prefix.wallClock = 1..<close
        cursor.position = close + 1
        // The kernel writes a caller id right after its stamp; util-linux after a space.
        var probe = cursor
        _ = probe.skip(0x20)
        if probe.peek() == 0x5b, let caller = readCaller(&probe) {
            prefix.caller = caller
            cursor = probe
        }
        _ = cursor.skip(0x20)
        prefix.messageStart = cursor.position
        return true
    }

    /// Reads a `/dev/kmsg` record: `6,339,5140900,-,caller=T1;text`.
    private func readKmsgRecord(_ cursor: inout ByteCursor, into prefix: inout Prefix) -> Bool {
        guard let priority = cursor.digits(maximumCount: 4), cursor.skip(0x2c),
            cursor.digits() != nil, cursor.skip(0x2c),
            let usec = cursor.digits(), cursor.skip(0x2c)
        else { return false }
        let fieldsStart = cursor.position
        while let byte = cursor.peek(), byte != 0x3b, cursor.position - fieldsStart < 64 { cursor.position += 1 }
        guard cursor.skip(0x3b) else { return false }
        var fields = ByteCursor(cursor.bytes, at: fieldsStart)
        while fields.position < cursor.position - 1 {
            if fields.skip("caller=") {
                let kind = fields.peek()
                fields.position += 1
                if kind == 0x54 || kind == 0x43, let number = fields.digits(maximumCount: 10) {
                    prefix.caller = kind == 0x54 ? .task(pid: Int(number.value)) : .cpu(Int(number.value))
                }
                break
            }
            fields.position += 1
        }
        prefix.format = .kmsgRecord
        prefix.level = UInt8(priority.value & 7)
        prefix.monotonic = usec.value
        prefix.messageStart = cursor.position
        prefix.escaping = .kmsgHex
        return true
    }

    /// ` SUBSYSTEM=acpi` after a `/dev/kmsg` record.
    private func readKmsgDictionary(_ cursor: inout ByteCursor) -> Bool {
        guard previousFormat == .kmsgRecord || previousFormat == .kmsgDictionary else { return false }
        var probe = cursor
        guard probe.skip(0x20) else { return false }
        let start = probe.position
        while let byte = probe.peek(), byte.isUppercaseLetter || byte == 0x5f || byte.isDigit { probe.position += 1 }
        return probe.position > start && probe.peek() == 0x3d
    }

    /// ISO 8601 stamps: `2024-05-01T10:00:00.123456+02:00 host kernel: text` (rsyslog),
    /// `2017-06-30 16:25:43.012 err kernel: text`, or `dmesg --time-format=iso`'s
    /// `2024-05-01T10:00:00,123456+02:00 text`.
    private func readISOPrefix(_ cursor: inout ByteCursor, into prefix: inout Prefix) -> Bool {
        let bytes = cursor.bytes
        guard bytes.count >= 20, bytes[4] == 0x2d, bytes[7] == 0x2d, bytes[10] == 0x54 || bytes[10] == 0x20,
            bytes[13] == 0x3a, bytes[16] == 0x3a, bytes[0].isDigit, bytes[11].isDigit
        else { return false }
        cursor.position = 19
        // util-linux writes a comma before the microseconds, syslog daemons a dot.
        let isDmesg = cursor.peek() == 0x2c
        if cursor.peek() == 0x2e || isDmesg {
            cursor.position += 1
            _ = cursor.digits()
        }
        if !cursor.skip(0x5a), let sign = cursor.peek(), sign == 0x2b || sign == 0x2d, cursor.peek(1)?.isDigit == true {
            cursor.position += 1
            _ = cursor.digits(maximumCount: 4)
            if cursor.skip(0x3a) { _ = cursor.digits(maximumCount: 2) }
        }
        let stampEnd = cursor.position
        guard cursor.skip(0x20) else { return false }
        prefix.wallClock = 0..<stampEnd
        let afterStamp = cursor.position
        if !isDmesg, cursor.skip("kernel: ") {
            prefix.format = .syslogISO
            return finishSyslog(&cursor, into: &prefix, precise: false)
        }
        let host = cursor.token()
        if !isDmesg, cursor.skip(" kernel: ") {
            prefix.format = .syslogISO
            prefix.host = host
            return finishSyslog(&cursor, into: &prefix, precise: false)
        }
        if !isDmesg, cursor.skip(0x20) {
            let tag = cursor.token()
            if tag.count > 1, bytes[tag.upperBound - 1] == 0x3a {
                prefix.format = .syslogOtherProgram
                prefix.host = host
                _ = cursor.skip(0x20)
                prefix.messageStart = cursor.position
                return true
            }
        }
        cursor.position = afterStamp
        prefix.format = .dmesgISO
        if cursor.peek() == 0x5b, let caller = readCaller(&cursor) {
            prefix.caller = caller
            _ = cursor.skip(0x20)
        }
        prefix.messageStart = cursor.position
        return true
    }

    /// `Jul 16 11:53:24 host kernel: …`, `Apr 15 13:58:08.549417 host kernel: …`.
    private func readSyslogPrefix(_ cursor: inout ByteCursor, into prefix: inout Prefix) -> Bool {
        let bytes = cursor.bytes
        guard bytes.count >= 16, isMonth(bytes), bytes[3] == 0x20, bytes[4] == 0x20 || bytes[4].isDigit,
            bytes[5].isDigit, bytes[6] == 0x20, bytes[9] == 0x3a, bytes[12] == 0x3a, bytes[7].isDigit
        else { return false }
        cursor.position = 15
        var precise = false
        if cursor.skip(0x2e) {
            precise = cursor.digits() != nil
        }
        let stampEnd = cursor.position
        guard cursor.skip(0x20) else { return false }
        prefix.wallClock = 0..<stampEnd
        let host = cursor.token()
        prefix.host = host
        if host.count > 1, bytes[host.upperBound - 1] == 0x3a, isHostName(cursor.slice(host.dropLast())) {
            return readUntaggedSyslog(&cursor, host: host.dropLast(), into: &prefix, precise: precise)
        }
        guard cursor.skip(0x20) else {
            prefix.format = .syslogOtherProgram
            prefix.messageStart = cursor.position
            return true
        }
        // rsyslog templates may put the facility and severity before the tag: "<kern.warning>".
        if cursor.peek() == 0x3c {
            var probe = cursor
            let label = probe.token()
            if label.count > 2, bytes[label.upperBound - 1] == 0x3e, probe.skip(0x20) {
                prefix.level = severity(named: cursor.slice((label.lowerBound + 1)..<(label.upperBound - 1)))
                cursor = probe
            }
        }
        if cursor.skip("kernel:") {
            taggedSyslogLines += 1
            _ = cursor.skip(0x20)
            prefix.format = precise ? .journalShortPrecise : .syslogNoStamp
            return finishSyslog(&cursor, into: &prefix, precise: precise)
        }
        var probe = cursor
        let tag = probe.token()
        if tag.count > 1, bytes[tag.upperBound - 1] == 0x3a { taggedSyslogLines += 1 }
        prefix.format = .syslogOtherProgram
        prefix.messageStart = cursor.position
        return true
    }

    /// `Apr 01 14:13:32 mysrv: text`: a syslog line whose template dropped the program tag
    /// (or whose host name was written with a colon), and `Apr 01 14:13:32 kernel: text`, one
    /// whose template dropped the host.
    ///
    /// Without a tag nothing on the line tells the kernel's messages from other programs', and
    /// `systemd: Started …` in a file without host names has the same shape. So the file
    /// decides, as its dominant format does: such a line is kernel text while the untagged
    /// form leads the syslog lines read so far, and another program's line in a file whose
    /// lines carry tags. (The reader streams; the lines read so far are the file it knows.)
    private func readUntaggedSyslog(
        _ cursor: inout ByteCursor, host: Range<Int>, into prefix: inout Prefix, precise: Bool
    ) -> Bool {
        _ = cursor.skip(0x20)
        if cursor.slice(host).elementsEqual("kernel".utf8) {
            taggedSyslogLines += 1
            prefix.host = nil
            prefix.format = precise ? .journalShortPrecise : .syslogNoStamp
            return finishSyslog(&cursor, into: &prefix, precise: precise)
        }
        untaggedSyslogLines += 1
        prefix.host = host
        guard untaggedSyslogLines > taggedSyslogLines else {
            prefix.format = .syslogOtherProgram
            prefix.messageStart = cursor.position
            return true
        }
        prefix.format = .syslogNoTag
        return finishSyslog(&cursor, into: &prefix, precise: precise)
    }

    /// Letters, digits, `-`, `.` and `_`: a host name or an IPv4 address, not a program tag
    /// with its pid (`sshd[812]`).
    private func isHostName(_ name: UnsafeRawBufferPointer) -> Bool {
        !name.isEmpty
            && name.allSatisfy {
                $0.isLowercaseLetter || $0.isUppercaseLetter || $0.isDigit || $0 == 0x2d || $0 == 0x2e || $0 == 0x5f
            }
    }

    /// After `kernel: `: an optional printk stamp, and `#012` escapes to undo.
    private func finishSyslog(_ cursor: inout ByteCursor, into prefix: inout Prefix, precise: Bool) -> Bool {
        let beforeStamp = cursor.position
        if cursor.peek() == 0x5b, readKernelStamp(&cursor, into: &prefix), prefix.monotonic != nil {
            if prefix.format == .syslogNoStamp { prefix.format = .syslog }
        } else {
            cursor.position = beforeStamp
            prefix.monotonic = nil
        }
        prefix.messageStart = cursor.position
        if containsOctalNewline(cursor.rest) { prefix.escaping = .syslogOctal }
        return true
    }

    /// `kern  :warn  : [    1.234567] text` from `dmesg -x`.
    private func readDecodePrefix(_ cursor: inout ByteCursor, into prefix: inout Prefix) -> Bool {
        let start = cursor.position
        while let byte = cursor.peek(), byte.isLowercaseLetter || byte.isDigit { cursor.position += 1 }
        guard cursor.position - start >= 2 else { return false }
        cursor.skipSpaces()
        guard cursor.skip(0x3a) else { return false }
        let levelStart = cursor.position
        while let byte = cursor.peek(), byte.isLowercaseLetter { cursor.position += 1 }
        let levelName = cursor.slice(levelStart..<cursor.position)
        guard let level = LinePrefixParser.levelNames.firstIndex(where: { $0.elementsEqual(levelName) }) else {
            return false
        }
        cursor.skipSpaces()
        guard cursor.skip(0x3a) else { return false }
        _ = cursor.skip(0x20)
        prefix.format = .dmesgDecode
        prefix.level = UInt8(level)
        _ = readKernelStamp(&cursor, into: &prefix)
        prefix.messageStart = cursor.position
        return true
    }

    /// The level of a syslog severity label (`kern.warning`, `warn`, `err`), if it names one.
    private func severity(named label: UnsafeRawBufferPointer) -> UInt8? {
        var start = 0
        if let dot = label.firstIndex(of: 0x2e) { start = dot + 1 }
        let name = UnsafeRawBufferPointer(rebasing: label[start...])
        let aliases: [(String, UInt8)] = [
            ("warning", 4), ("error", 3), ("critical", 2), ("emergency", 0), ("panic", 0),
        ]
        for (alias, level) in aliases where name.elementsEqual(alias.utf8) { return level }
        return LinePrefixParser.levelNames.firstIndex { $0.elementsEqual(name) }.map(UInt8.init)
    }

    private static let levelNames: [[UInt8]] = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"]
        .map { Array($0.utf8) }

    private static let months: [[UInt8]] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ].map { Array($0.utf8) }

    private func isMonth(_ bytes: UnsafeRawBufferPointer) -> Bool {
        LinePrefixParser.months.contains { $0[0] == bytes[0] && $0[1] == bytes[1] && $0[2] == bytes[2] }
    }

    /// `Oops#1 Part1`, `Panic#2 Part3`.
    private func isPstoreHeader(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var cursor = ByteCursor(bytes)
        while let byte = cursor.peek(), byte.isUppercaseLetter || byte.isLowercaseLetter { cursor.position += 1 }
        guard cursor.position >= 4, cursor.skip(0x23), cursor.digits() != nil, cursor.skip(" Part"),
            cursor.digits() != nil
        else { return false }
        cursor.skipSpaces()
        return cursor.isAtEnd
    }

    /// A bare line that holds a printk stamp after some noise — a serial console where shell
    /// output and kernel output share a line (`root@hikey:~# [   36.91] IPv6: …`).
    private func readEmbeddedStamp(_ bytes: UnsafeRawBufferPointer) -> Prefix? {
        guard let base = bytes.baseAddress, bytes.count > 12 else { return nil }
        var from = 1
        let limit = min(bytes.count, 512)
        while from < limit, let found = memchrByte(base + from, 0x5b, limit - from) {
            let position = base.distance(to: found)
            var cursor = ByteCursor(bytes, at: position)
            var prefix = Prefix()
            if readKernelStamp(&cursor, into: &prefix), prefix.monotonic != nil,
                cursor.bytes[position + 1] == 0x20 || cursor.bytes[position + 1].isDigit
            {
                prefix.format = prefix.caller == nil ? .dmesgRaw : .dmesgRawCaller
                prefix.messageStart = cursor.position
                return prefix
            }
            from = position + 1
        }
        return nil
    }

    // MARK: - journalctl -o json

    private func readJournalJSON(_ bytes: UnsafeRawBufferPointer, into prefix: inout Prefix) -> Bool {
        guard let message = JournalJSONFields.decodeString(in: bytes, key: "MESSAGE", into: scratch) else {
            return false
        }
        if let transport = JournalJSONFields.rawValue(in: bytes, key: "_TRANSPORT"),
            !transport.elementsEqual("\"kernel\"".utf8)
        {
            prefix.format = .syslogOtherProgram
        } else {
            prefix.format = .journalJSON
        }
        if let priority = JournalJSONFields.integer(in: bytes, key: "PRIORITY") { prefix.level = UInt8(priority & 7) }
        if let monotonic = JournalJSONFields.integer(in: bytes, key: "_SOURCE_MONOTONIC_TIMESTAMP") {
            prefix.monotonic = monotonic
        }
        prefix.host = JournalJSONFields.stringRange(in: bytes, key: "_HOSTNAME")
        prefix.wallClock = JournalJSONFields.stringRange(in: bytes, key: "__REALTIME_TIMESTAMP")
        prefix.messageStart = bytes.count
        prefix.escaping = .decoded(message)
        return true
    }

    // MARK: - Escapes and pieces

    private func unescapeKernelHex(_ text: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard text.contains(0x5c) else { return text }
        var out = 0
        var index = 0
        let limit = scratch.count
        while index < text.count, out < limit {
            let byte = text[index]
            if byte == 0x5c, index + 3 < text.count, text[index + 1] == 0x78,
                let high = hexValue(text[index + 2]), let low = hexValue(text[index + 3])
            {
                scratch[out] = high << 4 | low
                index += 4
            } else {
                scratch[out] = byte
                index += 1
            }
            out += 1
        }
        return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(scratch)[0..<out])
    }

    private func forEachNewlineSeparated(_ text: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        var index = 0
        while index < text.count {
            if text[index] == 0x0a {
                body(UnsafeRawBufferPointer(rebasing: text[start..<index]))
                start = index + 1
            }
            index += 1
        }
        if start < text.count || start == 0 { body(UnsafeRawBufferPointer(rebasing: text[start...])) }
    }

    private func forEachPiece(
        of text: UnsafeRawBufferPointer, separator: StaticString, _ body: (UnsafeRawBufferPointer) -> Void
    ) {
        let length = separator.utf8CodeUnitCount
        var start = 0
        var index = 0
        while index + length <= text.count {
            var cursor = ByteCursor(text, at: index)
            if cursor.skip(separator) {
                body(UnsafeRawBufferPointer(rebasing: text[start..<index]))
                index += length
                start = index
            } else {
                index += 1
            }
        }
        body(UnsafeRawBufferPointer(rebasing: text[start...]))
    }

    private func containsOctalNewline(_ text: UnsafeRawBufferPointer) -> Bool {
        guard let base = text.baseAddress, text.count >= 4 else { return false }
        var from = 0
        while from < text.count, let found = memchrByte(base + from, 0x23, text.count - from) {
            let position = base.distance(to: found)
            if position + 3 < text.count, text[position + 1] == 0x30, text[position + 2] == 0x31,
                text[position + 3] == 0x32
            {
                return true
            }
            from = position + 1
        }
        return false
    }

    private func slice(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[range])
    }
}

@inline(__always)
func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case 0x30...0x39: byte - 0x30
    case 0x61...0x66: byte - 0x61 + 10
    case 0x41...0x46: byte - 0x41 + 10
    default: nil
    }
}
