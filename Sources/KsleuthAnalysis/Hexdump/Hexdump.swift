// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A run of hexdump rows put back together as one block of memory.
///
/// Bytes are indexed from the dump's start; a byte no row covered, or one that could not be
/// read, is `nil`. SLUB dumps keep their labelled sections (`Redzone`, `Object`, …) in order.
public struct Hexdump: Sendable, Hashable {
    /// One labelled stretch of the dump (a SLUB `Object` run, the `Redzone` after it).
    public struct Section: Sendable, Hashable {
        public var label: String
        /// Offset of the section's first byte in `bytes`.
        public var start: Int
        public var count: Int
        /// The printed address of the section's first row (hashed on 4.15+ kernels).
        public var address: UInt64?
        /// The printed address of every row of the section, with the row's offset in `bytes`.
        public var rowAddresses: [(offset: Int, address: UInt64)]

        public init(label: String, start: Int, count: Int, address: UInt64?, rowAddresses: [(Int, UInt64)] = []) {
            self.label = label
            self.start = start
            self.count = count
            self.address = address
            self.rowAddresses = rowAddresses.map { (offset: $0.0, address: $0.1) }
        }

        public static func == (left: Section, right: Section) -> Bool {
            left.label == right.label && left.start == right.start && left.count == right.count
                && left.address == right.address
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(label)
            hasher.combine(start)
        }
    }

    public var form: HexdumpRow.Form
    /// The label of the rows (`Code`, `raw`, a print_hex_dump prefix), or `nil`.
    public var label: String?
    /// The address of byte 0 when the rows printed real addresses.
    public var baseAddress: UInt64?
    /// The offset of byte 0 as printed (offset rows), usually 0.
    public var baseOffset: Int
    public var bytes: [UInt8?]
    public var sections: [Section]
    /// Bytes per printed group.
    public var groupSize: Int
    /// The byte a marker pointed at (`<xx>` in `Code:`).
    public var markerIndex: Int?
    /// The rows, kept for the shadow-dump reader (`>` marks, addresses).
    public var rows: [HexdumpRow]
    /// The first and last input line of the dump.
    public var firstLine: Int?
    public var lastLine: Int?
    /// Whether the printed addresses are hashed (`%p` on 4.15+): not usable as addresses.
    public var addressesHashed: Bool
    /// What is missing or unreadable, in words.
    public var problems: [String]
    /// For a KASAN shadow dump: bytes of memory one shadow byte stands for (8 generic, 16 tags).
    public var shadowGranule: Int?
    /// Whether rows of the dump were left unread.
    ///
    /// Rows past the bytes kept, or after the end of a report cut at its cap; ``problems`` says which.
    public var isCut: Bool

    public init(
        form: HexdumpRow.Form, label: String?, baseAddress: UInt64?, baseOffset: Int, bytes: [UInt8?],
        sections: [Section], groupSize: Int, markerIndex: Int?, rows: [HexdumpRow], firstLine: Int?, lastLine: Int?,
        addressesHashed: Bool, problems: [String]
    ) {
        self.form = form
        self.label = label
        self.baseAddress = baseAddress
        self.baseOffset = baseOffset
        self.bytes = bytes
        self.sections = sections
        self.groupSize = groupSize
        self.markerIndex = markerIndex
        self.rows = rows
        self.firstLine = firstLine
        self.lastLine = lastLine
        self.addressesHashed = addressesHashed
        self.problems = problems
        self.shadowGranule = nil
        self.isCut = false
    }

    /// How many bytes could not be read or were not printed.
    public var missingCount: Int { bytes.reduce(0) { $0 + ($1 == nil ? 1 : 0) } }

    /// The section called `label` (the first one), if any.
    public func section(_ label: String) -> Section? { sections.first { $0.label == label } }

    /// The bytes of `section`.
    public func bytes(of section: Section) -> ArraySlice<UInt8?> {
        bytes[section.start..<min(bytes.count, section.start + section.count)]
    }
}
