// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthInput

/// Folds the repeats of a kernel notice into one incident with a count.
///
/// The kernel repeats notices: `unregister_netdevice: waiting for lo to become free. Usage
/// count = 1` every ten seconds, `nf_conntrack: table full, dropping packet` at the printk rate
/// limit. A notice joins the open one of the same rule whose text is the same once digit runs
/// are set aside (`Usage count = 1` and `= 2`, `sector 2048` and `sector 4096`), when it comes
/// within ``window`` microseconds of that one's last line (within ``lineWindow`` lines when
/// the log has no stamps). The incident keeps the first line as its header and the last
/// repeat as its second evidence line, and `details.occurrences` counts the lines folded.
/// At most ``maximumOpen`` notices wait at once, so memory stays bounded whatever the log.
///
/// A notice the log keeps printing (a missing firmware file on every boot of a long log) gives
/// at most `IncidentLimits.maximumIncidentsPerNotice` incidents; its further repeats are only counted, in
/// ``suppressed``, the way printk's rate limit counts the messages it drops.
struct NoticeFolding {
    private struct OpenNotice {
        var ruleIndex: Int
        var key: [UInt8]
        var first: EvidenceLine
        var last: EvidenceLine
        var occurrences: Int
        var wallClock: String?
        var host: String?
        var caller: String?
    }

    /// Repeats further apart than this, in microseconds, are separate incidents.
    static let window: Int64 = 60_000_000
    /// Without stamps: repeats more lines apart than this are separate incidents.
    static let lineWindow = 1000
    /// Notices waiting for repeats at once; the oldest is closed beyond this.
    static let maximumOpen = 16
    /// Distinct notices whose incidents are counted; beyond this, a notice is not limited.
    static let maximumCountedNotices = 4096

    private struct NoticeKey: Hashable {
        var ruleIndex: Int
        var text: [UInt8]
    }

    /// Incidents given so far per notice.
    private var given: [NoticeKey: Int] = [:]
    /// Repeats left out per notice, with the first one's text, in the order they began.
    private(set) var suppressed: [(title: String, count: Int)] = []
    private var suppressedIndex: [NoticeKey: Int] = [:]

    private var open: [OpenNotice] = []

    /// The first line of the oldest notice still waiting for repeats.
    var oldestFirstLine: Int? { open.map(\.first.number).min() }

    /// Takes a line that notice rule `ruleIndex` confirmed; returns the incidents it closes.
    mutating func accept(ruleIndex: Int, line: LogLine, evidence: EvidenceLine, file: String) -> [Incident] {
        var closed = closeExpired(at: line, file: file)
        let key = Self.key(line.message)
        if let index = open.firstIndex(where: { $0.ruleIndex == ruleIndex && $0.key == key }) {
            open[index].last = evidence
            open[index].occurrences += 1
            return closed
        }
        let noticeKey = NoticeKey(ruleIndex: ruleIndex, text: key)
        if let count = given[noticeKey], count >= IncidentLimits.maximumIncidentsPerNotice {
            if let index = suppressedIndex[noticeKey] {
                suppressed[index].count += 1
            } else {
                suppressedIndex[noticeKey] = suppressed.count
                suppressed.append((evidence.text, 1))
            }
            return closed
        }
        if given[noticeKey] != nil || given.count < Self.maximumCountedNotices { given[noticeKey, default: 0] += 1 }
        open.append(
            OpenNotice(
                ruleIndex: ruleIndex, key: key, first: evidence, last: evidence, occurrences: 1,
                wallClock: line.wallClock.map { String(decoding: $0, as: UTF8.self) },
                host: line.host.map { String(decoding: $0, as: UTF8.self) }, caller: line.caller?.description))
        if open.count > Self.maximumOpen { closed.append(Self.incident(open.removeFirst(), file: file)) }
        return closed
    }

    /// Closes the notices whose repeats can no longer come: outside the window, or before a
    /// clock that went backwards (a reboot).
    mutating func closeExpired(at line: LogLine, file: String) -> [Incident] {
        guard !open.isEmpty else { return [] }
        var closed: [Incident] = []
        open.removeAll { notice in
            let expired: Bool
            if let now = line.monotonicMicroseconds, let last = notice.last.monotonicMicroseconds {
                expired = now - last > Self.window || now < last
            } else {
                expired = line.raw.number - notice.last.number > Self.lineWindow
            }
            if expired { closed.append(Self.incident(notice, file: file)) }
            return expired
        }
        return closed
    }

    /// Closes every waiting notice: the input has ended.
    mutating func closeAll(file: String) -> [Incident] {
        defer { open.removeAll() }
        return open.map { Self.incident($0, file: file) }
    }

    /// The notice's text with every run of digits replaced by one `#`.
    private static func key(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        var key: [UInt8] = []
        key.reserveCapacity(message.count)
        var inDigits = false
        for byte in message {
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if !isDigit {
                key.append(byte)
            } else if !inDigits {
                key.append(UInt8(ascii: "#"))
            }
            inDigits = isDigit
        }
        return key
    }

    private static func incident(_ notice: OpenNotice, file: String) -> Incident {
        var title = Substring(notice.first.text)
        while title.last == " " || title.last == "\t" { title.removeLast() }
        while title.first == " " || title.first == "\t" { title.removeFirst() }
        if title.count > 256 { title = title.prefix(256) }
        var details = Details()
        details["occurrences"] = .integer(Int64(notice.occurrences))
        let lines = notice.occurrences > 1 ? [notice.first, notice.last] : [notice.first]
        return Incident(
            kind: .notice, title: String(title),
            evidence: EvidenceSpan(
                file: file, firstLine: notice.first.number, lastLine: notice.last.number,
                firstByte: notice.first.byteOffset,
                lastByte: notice.last.byteOffset + max(notice.last.length, 1) - 1),
            monotonicMicroseconds: notice.first.monotonicMicroseconds, wallClock: notice.wallClock, host: notice.host,
            caller: notice.caller, isTruncated: false, truncationReason: nil, lines: lines, headerIndex: 0,
            details: details)
    }
}
