// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthInput
import KsleuthTestSupport
import Testing

/// A logical line copied out of the parser's callback.
struct ParsedLine: Equatable, CustomStringConvertible {
    var format: PrefixFormat
    var message: [UInt8]
    var monotonic: Int64?
    var wallClock: String?
    var host: String?
    var caller: CallerID?
    var level: UInt8?
    var isQuoted: Bool
    var number: Int

    init(_ line: LogLine) {
        format = line.format
        message = Array(line.message)
        monotonic = line.monotonicMicroseconds
        wallClock = line.wallClock.map { String(decoding: $0, as: UTF8.self) }
        host = line.host.map { String(decoding: $0, as: UTF8.self) }
        caller = line.caller
        level = line.level
        isQuoted = line.isQuoted
        number = line.raw.number
    }

    var text: String { String(decoding: message, as: UTF8.self) }

    var description: String {
        "\(number) \(format) mono=\(monotonic.map(String.init) ?? "-") caller=\(caller?.description ?? "-") "
            + "level=\(level.map(String.init) ?? "-") host=\(host ?? "-") wall=\(wallClock ?? "-"): \(text)"
    }
}

/// Feeds `lines` (physical lines, without terminators) to one parser, in order.
func parse(_ lines: [[UInt8]]) -> (logical: [ParsedLine], formats: [PrefixFormat]) {
    let parser = LinePrefixParser()
    var logical: [ParsedLine] = []
    var formats: [PrefixFormat] = []
    for (index, bytes) in lines.enumerated() {
        bytes.withUnsafeBytes { buffer in
            let raw = RawLine(bytes: buffer, number: index + 1, byteOffset: 0)
            formats.append(parser.parse(raw) { logical.append(ParsedLine($0)) })
        }
    }
    return (logical, formats)
}

func parse(_ lines: [String]) -> [ParsedLine] {
    parse(lines.map { Array($0.utf8) }).logical
}

/// Parses one physical line and requires that it gives exactly one logical line.
func parseOne(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ParsedLine {
    let parsed = parse([line])
    try #require(parsed.count == 1, "\(parsed)", sourceLocation: sourceLocation)
    return parsed[0]
}

@Suite("LinePrefixParser")
struct LinePrefixParserTests {
    // MARK: - The kernel's own prefix (console, dmesg)

    @Test("raw dmesg: the printk stamp gives the monotonic time in microseconds")
    func dmesgRaw() throws {
        let line = try parseOne("[    1.234567] text")
        #expect(line.format == .dmesgRaw)
        #expect(line.monotonic == 1_234_567)
        #expect(line.text == "text")
        #expect(line.caller == nil)
        #expect(line.level == nil)
        #expect(line.host == nil)
        #expect(line.wallClock == nil)
        #expect(!line.isQuoted)
    }

    @Test("raw dmesg with more than five digits of seconds widens the field")
    func dmesgRawWideSeconds() throws {
        let line = try parseOne(
            "[1310061.327439] CPU 0/KVM invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE)")
        #expect(line.format == .dmesgRaw)
        #expect(line.monotonic == 1_310_061_327_439)
        #expect(line.text == "CPU 0/KVM invoked oom-killer: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE)")
    }

    @Test("the message keeps its own leading spaces after the one separator space")
    func dmesgRawKeepsIndentation() throws {
        let line = try parseOne("[   10.000000]  ? __schedule+0x2eb/0x8c0")
        #expect(line.format == .dmesgRaw)
        #expect(line.text == " ? __schedule+0x2eb/0x8c0")
    }

    @Test("a task caller id right after the stamp: [ T1234]")
    func dmesgRawCallerTask() throws {
        let line = try parseOne("[   12.345678][ T1234] text")
        #expect(line.format == .dmesgRawCaller)
        #expect(line.monotonic == 12_345_678)
        #expect(line.caller == .task(pid: 1234))
        #expect(line.text == "text")
    }

    @Test("a CPU caller id right after the stamp: [    C3]")
    func dmesgRawCallerCPU() throws {
        let line = try parseOne("[   12.345678][    C3] text")
        #expect(line.format == .dmesgRawCaller)
        #expect(line.monotonic == 12_345_678)
        #expect(line.caller == .cpu(3))
        #expect(line.text == "text")
    }

    @Test("util-linux dmesg puts a space between the stamp and the caller id")
    func dmesgUtilLinuxCaller() throws {
        let line = try parseOne("[  123.456789] [ T1234] text")
        #expect(line.format == .dmesgRawCaller)
        #expect(line.monotonic == 123_456_789)
        #expect(line.caller == .task(pid: 1234))
        #expect(line.text == "text")
    }

    @Test("dmesg -T: the ctime stamp is the wall clock")
    func dmesgCtime() throws {
        let line = try parseOne("[Wed May 23 16:58:12 2018] text")
        #expect(line.format == .dmesgCtime)
        #expect(line.wallClock == "Wed May 23 16:58:12 2018")
        #expect(line.monotonic == nil)
        #expect(line.text == "text")
    }

    @Test("dmesg -T with a space-padded single-digit day")
    func dmesgCtimeSingleDigitDay() throws {
        let line = try parseOne("[Mon Jan  2 15:04:05 2006] Memory cgroup out of memory: Killed process 4242 (java)")
        #expect(line.format == .dmesgCtime)
        #expect(line.wallClock == "Mon Jan  2 15:04:05 2006")
        #expect(line.text == "Memory cgroup out of memory: Killed process 4242 (java)")
    }

    @Test("dmesg -T with a caller id: util-linux prints it after the date, as after a stamp")
    func dmesgCtimeWithCaller() throws {
        let line = try parseOne("[Wed May 23 16:58:12 2018] [ T1234] text")
        #expect(line.format == .dmesgCtime)
        #expect(line.wallClock == "Wed May 23 16:58:12 2018")
        #expect(line.caller == .task(pid: 1234))
        #expect(line.text == "text")
    }

    @Test("dmesg -x: facility and level names before the stamp")
    func dmesgDecode() throws {
        let line = try parseOne("kern  :warn  : [   12.000000] text")
        #expect(line.format == .dmesgDecode)
        #expect(line.level == 4)
        #expect(line.monotonic == 12_000_000)
        #expect(line.text == "text")
    }

    @Test(
        "dmesg -x level names map to the kernel's level numbers",
        arguments: [
            ("emerg", 0), ("alert", 1), ("crit", 2), ("err", 3), ("warn", 4), ("notice", 5), ("info", 6), ("debug", 7),
        ])
    func dmesgDecodeLevels(_ name: String, _ level: Int) throws {
        let padded = name + String(repeating: " ", count: max(0, 6 - name.count))
        let line = try parseOne("kern  :\(padded): [    3.500000] some text")
        #expect(line.format == .dmesgDecode)
        #expect(line.level == UInt8(level))
        #expect(line.monotonic == 3_500_000)
        #expect(line.text == "some text")
    }

    @Test("dmesg -r: the syslog priority before the stamp gives the level")
    func kmsgLevel() throws {
        let line = try parseOne("<4>[  123.456789] text")
        #expect(line.format == .kmsgLevel)
        #expect(line.level == 4)
        #expect(line.monotonic == 123_456_789)
        #expect(line.text == "text")
    }

    @Test("a priority with a facility keeps only the level: <14> is user.info, level 6")
    func kmsgLevelWithFacility() throws {
        let line = try parseOne("<14>[   99.000001] systemd[1]: Started Journal Service.")
        #expect(line.format == .kmsgLevel)
        #expect(line.level == 6)
        #expect(line.monotonic == 99_000_001)
    }

    @Test("a priority with no stamp after it, as /proc/kmsg without printk.time")
    func kmsgLevelNoStamp() throws {
        let line = try parseOne("<6>text")
        #expect(line.format == .kmsgLevel)
        #expect(line.level == 6)
        #expect(line.monotonic == nil)
        #expect(line.text == "text")
    }

    @Test("a priority before a stamp with a caller id keeps the caller")
    func kmsgLevelWithCaller() throws {
        let line = try parseOne("<3>[    7.000000][  T100] BUG: KASAN: use-after-free in foo+0x10/0x20")
        #expect(line.format == .kmsgLevel)
        #expect(line.level == 3)
        #expect(line.caller == .task(pid: 100))
        #expect(line.text == "BUG: KASAN: use-after-free in foo+0x10/0x20")
    }

    // MARK: - /dev/kmsg records

    @Test("a /dev/kmsg record: priority, sequence, microseconds, flags, then the text")
    func kmsgRecord() throws {
        let line = try parseOne("6,339,5140900,-;NET: Registered protocol family 10")
        #expect(line.format == .kmsgRecord)
        #expect(line.level == 6)
        #expect(line.monotonic == 5_140_900)
        #expect(line.text == "NET: Registered protocol family 10")
    }

    @Test("a /dev/kmsg record with a caller field", arguments: [("T1", CallerID.task(pid: 1)), ("C2", .cpu(2))])
    func kmsgRecordCaller(_ field: String, _ caller: CallerID) throws {
        let line = try parseOne("6,340,5140901,-,caller=\(field);Run /init as init process")
        #expect(line.format == .kmsgRecord)
        #expect(line.caller == caller)
        #expect(line.monotonic == 5_140_901)
        #expect(line.text == "Run /init as init process")
    }

    @Test("a /dev/kmsg continuation flag 'c' is accepted like '-'")
    func kmsgRecordContinuationFlag() throws {
        let line = try parseOne("4,12,1000,c;Modules linked in:")
        #expect(line.format == .kmsgRecord)
        #expect(line.level == 4)
        #expect(line.text == "Modules linked in:")
    }

    @Test("an escaped newline \\x0a in a /dev/kmsg record gives two logical lines of the same physical line")
    func kmsgRecordEscapedNewline() throws {
        let parsed = parse([#"4,341,5140902,-;first line\x0asecond line"#])
        #expect(parsed.map(\.text) == ["first line", "second line"])
        #expect(parsed.allSatisfy { $0.format == .kmsgRecord && $0.number == 1 && $0.monotonic == 5_140_902 })
    }

    @Test("other \\xHH escapes in a /dev/kmsg record are decoded, a lone backslash kept")
    func kmsgRecordOtherEscapes() throws {
        let parsed = parse([#"6,1,2,-;tab\x09here back\x5cslash"#])
        #expect(parsed.map(\.text) == ["tab\there back\\slash"])
    }

    @Test("dictionary lines after a /dev/kmsg record are metadata, not kernel text")
    func kmsgDictionary() throws {
        let parsed = parse([
            "7,160,424069,-;pci_root PNP0A03:00: host bridge window [io  0x0d00-0xffff]", " SUBSYSTEM=acpi",
            " DEVICE=+acpi:PNP0A03:00",
        ])
        try #require(parsed.count == 3)
        #expect(parsed[0].format == .kmsgRecord)
        #expect(parsed[0].level == 7)
        #expect(parsed[0].monotonic == 424_069)
        #expect(parsed[1].format == .kmsgDictionary)
        #expect(parsed[2].format == .kmsgDictionary)
        #expect(!PrefixFormat.kmsgDictionary.carriesKernelText)
    }

    @Test("a KEY=value line after ordinary dmesg text is not a dictionary line")
    func dictionaryOnlyAfterRecord() throws {
        let parsed = parse(["[    1.000000] hello", " SUBSYSTEM=acpi"])
        #expect(parsed.map(\.format) == [.dmesgRaw, .continuation])
    }

    // MARK: - syslog files

    @Test("a syslog line with the printk stamp kept in the text")
    func syslog() throws {
        let line = try parseOne(
            "Jul 16 11:53:24 sau-3f41e-or kernel: [1310061.327439] CPU 0/KVM invoked oom-killer: "
                + "gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0")
        #expect(line.format == .syslog)
        #expect(line.host == "sau-3f41e-or")
        #expect(line.wallClock == "Jul 16 11:53:24")
        #expect(line.monotonic == 1_310_061_327_439)
        #expect(line.text.hasPrefix("CPU 0/KVM invoked oom-killer: gfp_mask=0x6200ca"))
    }

    @Test("a syslog line whose printk stamp carries a caller id")
    func syslogWithCaller() throws {
        let line = try parseOne(
            "Jul 16 11:53:24 host kernel: [   12.345678][    C3] watchdog: BUG: soft lockup - CPU#3")
        #expect(line.format == .syslog)
        #expect(line.monotonic == 12_345_678)
        #expect(line.caller == .cpu(3))
        #expect(line.text == "watchdog: BUG: soft lockup - CPU#3")
    }

    @Test("a syslog line with a space-padded single-digit day")
    func syslogSingleDigitDay() throws {
        let line = try parseOne("Feb  4 15:40:27 host kernel: [ 5021.107431] Out of memory: Kill process 2792 (java)")
        #expect(line.format == .syslog)
        #expect(line.wallClock == "Feb  4 15:40:27")
        #expect(line.host == "host")
        #expect(line.monotonic == 5_021_107_431)
        #expect(line.text == "Out of memory: Kill process 2792 (java)")
    }

    @Test("a syslog line without the printk stamp")
    func syslogNoStamp() throws {
        let line = try parseOne("Feb 04 00:07:13 host kernel: Out of memory: Killed process 1234 (java)")
        #expect(line.format == .syslogNoStamp)
        #expect(line.wallClock == "Feb 04 00:07:13")
        #expect(line.host == "host")
        #expect(line.monotonic == nil)
        #expect(line.text == "Out of memory: Killed process 1234 (java)")
    }

    @Test("a syslog line from another program carries no kernel text")
    func syslogOtherProgram() throws {
        let line = try parseOne("Nov  9 10:19:35 ohm openvpn[1118]: WARNING: No server certificate verification method")
        #expect(line.format == .syslogOtherProgram)
        #expect(line.host == "ohm")
        #expect(line.wallClock == "Nov  9 10:19:35")
        #expect(!line.format.carriesKernelText)
    }

    @Test("a syslog line without a program tag is kernel text in a file of such lines")
    func syslogNoTag() throws {
        // The OOMAnalyser sample "prefix-syslog-prefix": a template that writes the host with a
        // colon and no tag.
        let parsed = parse([
            "Apr 01 14:13:32 mysrv: sed invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0",
            "Apr 01 14:13:32 mysrv:  [<ffffffff816861ac>] dump_stack+0x19/0x1b",
        ])
        #expect(parsed.map(\.format) == [.syslogNoTag, .syslogNoTag])
        #expect(parsed.allSatisfy { $0.format.carriesKernelText })
        #expect(parsed[0].host == "mysrv")
        #expect(parsed[0].wallClock == "Apr 01 14:13:32")
        #expect(parsed[0].monotonic == nil)
        #expect(parsed[0].text == "sed invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0")
        #expect(parsed[1].text == " [<ffffffff816861ac>] dump_stack+0x19/0x1b")
    }

    @Test("an untagged syslog line keeps a printk stamp after the host")
    func syslogNoTagWithStamp() throws {
        let line = try parseOne("Apr 01 14:13:32 mysrv: [ 5021.107431] Out of memory: Kill process 2792 (java)")
        #expect(line.format == .syslogNoTag)
        #expect(line.monotonic == 5_021_107_431)
        #expect(line.text == "Out of memory: Kill process 2792 (java)")
    }

    @Test("in a file whose syslog lines carry tags, an untagged line is another program's")
    func syslogNoTagAmongTaggedLines() throws {
        let parsed = parse([
            "Apr 01 14:13:30 mysrv kernel: e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex",
            "Apr 01 14:13:31 mysrv systemd[1]: Started Session 4 of user root.",
            "Apr 01 14:13:32 systemd: Started Session 5 of user root.",
        ])
        #expect(parsed.map(\.format) == [.syslogNoStamp, .syslogOtherProgram, .syslogOtherProgram])
        #expect(!parsed[2].format.carriesKernelText)
        #expect(parsed[2].host == "systemd")
    }

    @Test("a program tag with its pid is no host name, even where nothing came before")
    func syslogTagWithoutHost() throws {
        let line = try parseOne("Apr 01 14:13:32 sshd[812]: Accepted publickey for root from 10.0.0.2")
        #expect(line.format == .syslogOtherProgram)
    }

    @Test("a syslog template without the host keeps the kernel's tag")
    func syslogKernelTagWithoutHost() throws {
        let parsed = parse([
            "Apr 01 14:13:32 kernel: [  123.456789] Out of memory: Killed process 2792 (java)",
            "Apr 01 14:13:33 systemd: Started Session 4 of user root.",
            "Apr 01 14:13:34 kernel: Killed process 2793 (java)",
            "Apr 01 14:13:35 systemd: Started Session 5 of user root.",
        ])
        #expect(parsed.map(\.format) == [.syslog, .syslogOtherProgram, .syslogNoStamp, .syslogOtherProgram])
        #expect(parsed[0].host == nil)
        #expect(parsed[0].monotonic == 123_456_789)
        #expect(parsed[0].text == "Out of memory: Killed process 2792 (java)")
        #expect(parsed[2].text == "Killed process 2793 (java)")
    }

    @Test("rsyslog's #012 splits one physical line into logical lines with the same line number")
    func syslogOctalNewlines() throws {
        let parsed = parse([
            "Jul 16 11:53:24 host kernel: [  100.000000] Mem-Info:#012active_anon:239 inactive_anon:0#012 free:1000"
        ])
        #expect(parsed.map(\.text) == ["Mem-Info:", "active_anon:239 inactive_anon:0", " free:1000"])
        #expect(parsed.allSatisfy { $0.number == 1 && $0.format == .syslog && $0.monotonic == 100_000_000 })
        #expect(parsed.allSatisfy { $0.host == "host" })
    }

    @Test("ISO-stamped syslog (RSYSLOG_FileFormat)")
    func syslogISO() throws {
        let line = try parseOne("2024-05-01T10:00:00.123456+00:00 myhost kernel: text")
        #expect(line.format == .syslogISO)
        #expect(line.host == "myhost")
        #expect(line.wallClock == "2024-05-01T10:00:00.123456+00:00")
        #expect(line.monotonic == nil)
        #expect(line.text == "text")
    }

    @Test("ISO-stamped syslog with a space instead of T and the printk stamp in the text")
    func syslogISOSpaceSeparated() throws {
        let line = try parseOne(
            "2017-06-30 16:25:43.012 err kernel: [261108.341940] "
                + "INFO: task java:2279 blocked for more than 120 seconds.")
        #expect(line.format == .syslogISO)
        #expect(line.monotonic == 261_108_341_940)
        #expect(line.text == "INFO: task java:2279 blocked for more than 120 seconds.")
    }

    @Test("dmesg --time-format=iso: comma before the microseconds, no host")
    func dmesgISO() throws {
        let line = try parseOne("2024-05-01T10:00:00,123456+02:00 text")
        #expect(line.format == .dmesgISO)
        #expect(line.wallClock == "2024-05-01T10:00:00,123456+02:00")
        #expect(line.host == nil)
        #expect(line.text == "text")
    }

    @Test("dmesg --time-format=iso with a device-prefixed message is still kernel text")
    func dmesgISODevicePrefixedMessage() throws {
        let line = try parseOne(
            "2024-05-01T10:00:00,123456+02:00 usb 1-1: new high-speed USB device number 2 using xhci_hcd")
        #expect(line.format == .dmesgISO)
        #expect(line.host == nil)
        #expect(line.text == "usb 1-1: new high-speed USB device number 2 using xhci_hcd")
    }

    // MARK: - journald

    @Test("journalctl -o short-precise: microseconds in the wall clock")
    func journalShortPrecise() throws {
        let line = try parseOne(
            "Apr 15 13:58:08.549417 raspberrypi kernel: Code: d503201f d503201f d503233f a9bf7bfd (f9400000)")
        #expect(line.format == .journalShortPrecise)
        #expect(line.host == "raspberrypi")
        #expect(line.wallClock == "Apr 15 13:58:08.549417")
        #expect(line.text == "Code: d503201f d503201f d503233f a9bf7bfd (f9400000)")
    }

    @Test("journalctl -o short-monotonic: the bracket is the monotonic clock, then host and kernel:")
    func journalShortMonotonic() throws {
        let line = try parseOne("[ 1234.567890] myhost kernel: text")
        #expect(line.format == .journalShortMonotonic)
        #expect(line.host == "myhost")
        #expect(line.monotonic == 1_234_567_890)
        #expect(line.text == "text")
    }

    @Test("a bare kernel: prefix with date and host cut away")
    func journalBare() throws {
        let line = try parseOne("kernel: text")
        #expect(line.format == .journalBare)
        #expect(line.text == "text")
        #expect(line.monotonic == nil)
        let stamped = try parseOne("kernel: [  505.052637] active_anon:239 inactive_anon:0")
        #expect(stamped.format == .journalBare)
        #expect(stamped.monotonic == 505_052_637)
        #expect(stamped.text == "active_anon:239 inactive_anon:0")
    }

    @Test("journalctl -o json: message, priority, monotonic stamp, host and escapes")
    func journalJSON() throws {
        let json =
            #"{"__REALTIME_TIMESTAMP":"1714557600123456","_HOSTNAME":"myhost","PRIORITY":"4","_TRANSPORT":"kernel","#
            + #""SYSLOG_IDENTIFIER":"kernel","_SOURCE_MONOTONIC_TIMESTAMP":"12345678","#
            + #""MESSAGE":"say \"hi\" to C:\\dir\nsecond line"}"#
        let parsed = parse([json])
        #expect(parsed.map(\.text) == [#"say "hi" to C:\dir"#, "second line"])
        for line in parsed {
            #expect(line.format == .journalJSON)
            #expect(line.level == 4)
            #expect(line.monotonic == 12_345_678)
            #expect(line.host == "myhost")
            #expect(line.number == 1)
        }
    }

    @Test("journalctl -o json with spaces around the colons, as older systemd prints")
    func journalJSONSpaced() throws {
        let json =
            #"{ "__CURSOR" : "s=abc;i=1", "PRIORITY" : "3", "_TRANSPORT" : "kernel", "#
            + #""_SOURCE_MONOTONIC_TIMESTAMP" : "5140900", "MESSAGE" : "BUG: unable to handle page fault" }"#
        let line = try parseOne(json)
        #expect(line.format == .journalJSON)
        #expect(line.level == 3)
        #expect(line.monotonic == 5_140_900)
        #expect(line.text == "BUG: unable to handle page fault")
    }

    @Test("journalctl -o json \\u escapes decode to UTF-8")
    func journalJSONUnicodeEscape() throws {
        let line = try parseOne(#"{"_TRANSPORT":"kernel","MESSAGE":"caf\u00e9 \u001b[0m end"}"#)
        #expect(line.format == .journalJSON)
        #expect(line.message == Array("café \u{1B}[0m end".utf8))
    }

    @Test("journalctl -o json with a MESSAGE that is not UTF-8, given as an array of byte numbers")
    func journalJSONByteArray() throws {
        let json = #"{"PRIORITY":"6","_TRANSPORT":"kernel","MESSAGE":[66,85,71,58,32,255,254,33]}"#
        let line = try parseOne(json)
        #expect(line.format == .journalJSON)
        #expect(line.level == 6)
        #expect(line.message == [66, 85, 71, 58, 32, 255, 254, 33])
    }

    @Test("journalctl -o json from another transport is another program's line")
    func journalJSONOtherTransport() throws {
        let json = #"{"PRIORITY":"6","_TRANSPORT":"syslog","SYSLOG_IDENTIFIER":"sshd","MESSAGE":"Accepted publickey"}"#
        let line = try parseOne(json)
        #expect(line.format == .syslogOtherProgram)
        #expect(!line.format.carriesKernelText)
    }

    // MARK: - pstore, quoting, continuation, noise

    @Test("pstore dump part headers", arguments: ["Oops#1 Part1", "Panic#2 Part3", "Emergency#1 Part12"])
    func pstoreHeader(_ header: String) throws {
        let line = try parseOne(header)
        #expect(line.format == .pstoreHeader)
        #expect(!line.format.carriesKernelText)
    }

    @Test("lines after a pstore header carry the <P> prefix")
    func pstoreBody() throws {
        let parsed = parse(["Panic#1 Part1", "<0>[  200.000001] Kernel panic - not syncing: Fatal exception"])
        #expect(parsed.map(\.format) == [.pstoreHeader, .kmsgLevel])
        #expect(parsed.last?.level == 0)
        #expect(parsed.last?.monotonic == 200_000_001)
        #expect(parsed.last?.text == "Kernel panic - not syncing: Fatal exception")
    }

    @Test("a quoted line from mail is read under its quote marks")
    func quotedMail() throws {
        let line = try parseOne("> [    1.000000] text")
        #expect(line.isQuoted)
        #expect(line.format == .dmesgRaw)
        #expect(line.monotonic == 1_000_000)
        #expect(line.text == "text")
        let nested = try parseOne(">> [    2.000000] nested")
        #expect(nested.isQuoted)
        #expect(nested.format == .dmesgRaw)
        #expect(nested.text == "nested")
    }

    @Test("an indented unstamped line continues the stamped record above and inherits its stamp and caller")
    func continuationInherits() throws {
        let parsed = parse([
            "[  505.052637][ T4242] active_anon:239 inactive_anon:0 isolated_anon:0",
            "                active_file:1 inactive_file:2 isolated_file:0",
        ])
        try #require(parsed.count == 2)
        #expect(parsed[1].format == .continuation)
        #expect(parsed[1].monotonic == 505_052_637)
        #expect(parsed[1].caller == .task(pid: 4242))
        #expect(parsed[1].text.contains("active_file:1 inactive_file:2"))
        #expect(parsed[1].number == 2)
    }

    @Test("an unindented unstamped line is bare text, even after a stamped line")
    func unindentedIsNoTimestamp() throws {
        let parsed = parse(["[    3.000000] first", "Call Trace:"])
        #expect(parsed.map(\.format) == [.dmesgRaw, .noTimestamp])
        #expect(parsed[1].monotonic == nil)
        #expect(parsed[1].text == "Call Trace:")
    }

    @Test("an indented line at the start of an input is bare text, not a continuation")
    func indentedFirstLine() throws {
        let line = try parseOne(" [<ffffffff81234567>] dump_stack+0x19/0x1b")
        #expect(line.format == .noTimestamp)
    }

    @Test("shell output before a stamp on a serial console is noise, the kernel text after it is kept")
    func serialConsoleNoise() throws {
        let line = try parseOne(
            "root@hikey:~# . /lava-570975[   36.912468] IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready")
        #expect(line.format == .dmesgRaw)
        #expect(line.monotonic == 36_912_468)
        #expect(line.text == "IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready")
    }

    @Test("text with brackets that are not a stamp stays bare text")
    func bracketsAreNotAStamp() throws {
        let line = try parseOne("RIP: 0010:[<ffffffff8108c0f0>]  [<ffffffff8108c0f0>] up_read+0x10/0x20")
        #expect(line.format == .noTimestamp)
        #expect(line.monotonic == nil)
    }

    @Test("garbled input never crashes and always yields a format")
    func garbledInput() throws {
        var lines: [[UInt8]] = [
            [], [0x00], [0xFF], [0x00, 0x00, 0xFF, 0xFE], Array("[".utf8), Array("[ 12.".utf8), Array("<999999>".utf8),
            Array("6,1,2".utf8), Array("<".utf8), Array("<6".utf8), Array("<6>".utf8), Array("6,1,2,".utf8),
            Array("6,1,2,-".utf8), Array(";".utf8), Array("[ T".utf8), Array("[Wed".utf8), Array("{".utf8),
            Array(#"{"MESSAGE":"#.utf8), Array(#"{"MESSAGE":"\"#.utf8), Array(#"{"MESSAGE":[1,2"#.utf8),
            Array(#"{"MESSAGE":"\u12"#.utf8), Array("kernel:".utf8), Array("kern  :".utf8), Array("Jan".utf8),
            Array("Jan  1 00:00:00".utf8), Array("Jan  1 00:00:00 ".utf8), Array("2024-05-01T10:00:00".utf8),
            Array("2024-05-01T10:00:00+".utf8), Array("Oops#".utf8), Array("> ".utf8), Array(">".utf8),
            Array("[99999999999999999999999.99999999999999999999]".utf8), Array(#"6,1,2,-;\x"#.utf8),
            Array(#"6,1,2,-;\x0"#.utf8), Array("[Wed May 23 16:58:12 2018".utf8), Array("#012#012".utf8),
            Array("Jan  1 00:00:00 h kernel: #012".utf8), Array(" SUBSYSTEM=".utf8),
        ]
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<500 {
            let count = Int(generator.next() % 300)
            lines.append((0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        }
        let alphabet = Array("[]<>0123456789.,;:-T C#012 kernel: x\\{}\"".utf8)
        for _ in 0..<500 {
            let count = Int(generator.next() % 80)
            lines.append((0..<count).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        }
        let (logical, formats) = parse(lines)
        #expect(formats.count == lines.count)
        #expect(logical.count >= lines.count)
        #expect(Set(formats).isSubset(of: Set(PrefixFormat.allCases)))
    }

    @Test("a line of thousands of nested priorities does not exhaust the stack")
    func deeplyNestedPriorities() async {
        await #expect(processExitsWith: .success) {
            let line = Array((String(repeating: "<6>", count: 20_000) + "[    1.000000] text").utf8)
            let parser = LinePrefixParser(maximumLineLength: line.count)
            line.withUnsafeBytes { buffer in
                _ = parser.parse(RawLine(bytes: buffer, number: 1, byteOffset: 0)) { _ in }
            }
        }
    }

    @Test(
        "every physical line of a shared corpus log is parsed without a crash",
        .enabled(if: CorpusLocator.hasSharedCorpora))
    func sharedCorporaParse() throws {
        for url in CorpusLocator.sharedLogs() {
            let bytes = try readBytes(url)
            let parser = LinePrefixParser()
            let framer = LineFramer(source: MemoryByteSource(bytes))
            var logical = 0
            try framer.forEachLine { raw in
                _ = parser.parse(raw) { line in
                    logical += 1
                    #expect(line.message.count <= raw.bytes.count, "\(url.path):\(raw.number)")
                }
            }
            #expect(logical >= framer.linesRead, "\(url.path)")
        }
    }
}
