// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A line with its prefix read: where it is, when and by whom it was printed, and the
/// kernel's text.
///
/// The byte views borrow the framer's (or the prefix parser's) buffers and are valid only
/// during the callback that receives the line. Copy what must outlive it.
public struct LogLine {
    /// The physical line.
    public var raw: RawLine
    /// The prefix the line carried.
    public var format: PrefixFormat
    /// The kernel's text, after every prefix (`BUG: unable to handle …`).
    public var message: UnsafeRawBufferPointer
    /// The printk time stamp, in microseconds since boot, when the line (or the record it
    /// continues) had one.
    public var monotonicMicroseconds: Int64?
    /// The wall-clock time text as the writer printed it (syslog, journal, `dmesg -T`).
    public var wallClock: UnsafeRawBufferPointer?
    /// The host name from a syslog or journal prefix.
    public var host: UnsafeRawBufferPointer?
    /// The printk caller id, when CONFIG_PRINTK_CALLER put one in.
    public var caller: CallerID?
    /// The log level 0 (emerg) to 7 (debug), when the prefix says.
    public var level: UInt8?
    /// Whether the line was quoted (`> `) as in mail or a bug tracker.
    public var isQuoted: Bool

    public init(
        raw: RawLine, format: PrefixFormat, message: UnsafeRawBufferPointer, monotonicMicroseconds: Int64? = nil,
        wallClock: UnsafeRawBufferPointer? = nil, host: UnsafeRawBufferPointer? = nil, caller: CallerID? = nil,
        level: UInt8? = nil, isQuoted: Bool = false
    ) {
        self.raw = raw
        self.format = format
        self.message = message
        self.monotonicMicroseconds = monotonicMicroseconds
        self.wallClock = wallClock
        self.host = host
        self.caller = caller
        self.level = level
        self.isQuoted = isQuoted
    }

    /// The message as a `String`, invalid UTF-8 replaced.
    ///
    /// For cold paths only.
    public var messageText: String { String(decoding: message, as: UTF8.self) }
}
