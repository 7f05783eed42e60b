// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The prefix a line carries in front of the kernel's text: which path the message took to
/// the file (console, `dmesg`, syslog, the journal, pstore).
///
/// Detected per line, because real files mix them (a syslog file with a pasted dmesg, a
/// serial console with shell output). The raw values are stable names used in `stats`.
public enum PrefixFormat: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// `[    1.234567] text`: the kernel's own time stamp (console, `dmesg`).
    case dmesgRaw
    /// `[    1.234567][ T123] text`: stamp plus CONFIG_PRINTK_CALLER id (also `] [ T123]`).
    case dmesgRawCaller
    /// `[Wed May 23 16:58:12 2018] text`: `dmesg -T`.
    case dmesgCtime
    /// `2024-05-01T10:00:00,123456+02:00 text`: `dmesg --time-format=iso`.
    case dmesgISO
    /// `kern  :warn  : [    1.234567] text`: `dmesg -x`.
    case dmesgDecode
    /// `<4>[    1.234567] text`: a syslog priority in front (`dmesg -r`, pstore, /proc/kmsg).
    case kmsgLevel
    /// `6,339,5140900,-;text`: a `/dev/kmsg` record.
    case kmsgRecord
    /// ` SUBSYSTEM=acpi`: a dictionary line after a `/dev/kmsg` record (not kernel text).
    case kmsgDictionary
    /// `Jul 16 11:53:24 host kernel: [1310061.327439] text`: a syslog file with printk stamps.
    case syslog
    /// `Feb 04 00:07:13 host kernel: text`: syslog or `journalctl -k` without printk stamps.
    case syslogNoStamp
    /// `Apr 01 14:13:32 mysrv: text`: a syslog line with no program tag (a template that
    /// drops it). Kernel text only where such lines lead the file's syslog lines; in a file
    /// whose lines carry tags, a line of this shape is another program's.
    case syslogNoTag
    /// `2017-06-30T16:25:43.012+00:00 host kernel: text`: ISO-stamped syslog.
    case syslogISO
    /// `Apr 15 13:58:08.549417 host kernel: text`: `journalctl -k -o short-precise`.
    case journalShortPrecise
    /// `[ 1234.567890] host kernel: text`: `journalctl -k -o short-monotonic`.
    case journalShortMonotonic
    /// `kernel: text`: a journal line whose date and host were cut away.
    case journalBare
    /// `{"MESSAGE": "...", ...}`: `journalctl -k -o json`.
    case journalJSON
    /// `Oops#1 Part1`: the header of a pstore/ramoops dump part.
    case pstoreHeader
    /// A syslog line written by a program other than the kernel.
    case syslogOtherProgram
    /// An unstamped line that continues the record above it (indented, as `dmesg` and the
    /// journal print the later lines of a multi-line record).
    case continuation
    /// Text without any prefix: a bare console capture, an oops pasted into a bug report.
    case noTimestamp

    /// The stable name used in JSON output.
    public var name: String {
        switch self {
        case .dmesgRaw: "dmesg-raw"
        case .dmesgRawCaller: "dmesg-raw-caller"
        case .dmesgCtime: "dmesg-T"
        case .dmesgISO: "dmesg-iso"
        case .dmesgDecode: "dmesg-decode"
        case .kmsgLevel: "kmsg-loglevel"
        case .kmsgRecord: "kmsg-record"
        case .kmsgDictionary: "kmsg-dictionary"
        case .syslog: "syslog"
        case .syslogNoStamp: "syslog-nots"
        case .syslogNoTag: "syslog-no-tag"
        case .syslogISO: "syslog-iso"
        case .journalShortPrecise: "journalctl-short-precise"
        case .journalShortMonotonic: "journalctl-short-monotonic"
        case .journalBare: "journalctl-k-bare"
        case .journalJSON: "journalctl-json"
        case .pstoreHeader: "pstore-header"
        case .syslogOtherProgram: "syslog-other-program"
        case .continuation: "continuation"
        case .noTimestamp: "no-timestamp"
        }
    }

    public var description: String { name }

    /// Whether lines of this format carry kernel text (as opposed to another program's, or
    /// metadata).
    public var carriesKernelText: Bool {
        switch self {
        case .kmsgDictionary, .syslogOtherProgram, .pstoreHeader: false
        default: true
        }
    }
}
