// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One printed row of a hexdump, turned into bytes in memory order.
public struct HexdumpRow: Sendable, Hashable {
    /// Which printer's shape the row has.
    public enum Form: String, Sendable, Hashable {
        /// `000: 00 50 90 df …`: an offset prefix (check_slabp, SLAB's poison dump, DUMP_PREFIX_OFFSET).
        case offset
        /// `ffff88020f347c30: 39 b6 …`: an address prefix (DUMP_PREFIX_ADDRESS, KASAN's shadow rows).
        case address
        /// `Object ffff…: …`, `Redzone …`, `Padding …`, `Bytes b4 …`: SLUB's labelled print_section rows.
        case labelled
        /// `raw: 0017ffffc0000000 ffffea0004a3b008 …`: dump_page's words.
        case raw
        /// `Code: 48 8b <58> 08 …`: the instruction bytes around the faulting address.
        case code
        /// Hex groups with no prefix: the wrapped tail of the row before it.
        case bare
    }

    public var form: Form
    /// The label before the address (`Object`, `Redzone`, `raw`, a print_hex_dump prefix string).
    public var label: String?
    /// The row's address as printed; for SLUB rows on 4.15+ a hashed value unrelated to the address.
    public var address: UInt64?
    /// The row's offset as printed (offset form).
    public var offset: Int?
    /// The bytes in memory order; `nil` for a group that could not be read.
    public var bytes: [UInt8?]
    /// Bytes per printed group: 1, 2, 4 or 8.
    public var groupSize: Int
    /// The index in `bytes` of a marked byte (`<xx>` in `Code:`, `(xxxxxxxx)` on arm).
    public var markerIndex: Int?
    /// KASAN's `>`: this row holds the first bad address.
    public var isMarkedRow: Bool
    /// The 1-based input line, when known.
    public var lineNumber: Int?
    /// What could not be read on the row, in words.
    public var problems: [String]

    public init(
        form: Form, label: String? = nil, address: UInt64? = nil, offset: Int? = nil, bytes: [UInt8?],
        groupSize: Int = 1, markerIndex: Int? = nil, isMarkedRow: Bool = false, lineNumber: Int? = nil,
        problems: [String] = []
    ) {
        self.form = form
        self.label = label
        self.address = address
        self.offset = offset
        self.bytes = bytes
        self.groupSize = groupSize
        self.markerIndex = markerIndex
        self.isMarkedRow = isMarkedRow
        self.lineNumber = lineNumber
        self.problems = problems
    }
}
