// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The shape of one kernel structure that slab reports dump, as data: field names, offsets and
/// sizes for 32- and 64-bit kernels (see `../shared/reference/slab-layouts.md`).
///
/// Offsets are those of the named kernel headers; where the reference gives only one word size
/// the other is derived with the C rules for that ABI and the field's note says so.
public struct SlabLayout: Sendable {
    /// What a field holds, which decides how its value is read and judged.
    public enum FieldKind: String, Sendable {
        /// A kernel pointer: classified as an address.
        case pointer
        /// An unsigned integer.
        case unsigned
        /// A `kmem_bufctl_t` free-list link (index, `BUFCTL_END`, `BUFCTL_FREE`).
        case bufctl
        /// SLUB's `counters` word: `inuse:16, objects:15, frozen:1`.
        case slubCounters
        /// A `freelist_idx_t` object index (SLAB 3.13+).
        case index
        /// Page flags.
        case flags
        /// Bytes no code writes (alignment padding).
        case padding
    }

    /// One field at its place for each word size.
    public struct Field: Sendable {
        public var name: String
        public var kind: FieldKind
        /// Offset on 32-bit and on 64-bit kernels.
        public var offset: (bits32: Int, bits64: Int)
        /// Size on 32-bit and on 64-bit kernels.
        public var size: (bits32: Int, bits64: Int)
        public var note: String?

        public init(
            _ name: String, _ kind: FieldKind, offset: (Int, Int), size: (Int, Int), note: String? = nil
        ) {
            self.name = name
            self.kind = kind
            self.offset = (offset.0, offset.1)
            self.size = (size.0, size.1)
            self.note = note
        }

        /// A field whose size is the word size (pointers, `unsigned long`).
        public static func word(_ name: String, _ kind: FieldKind, offset: (Int, Int), note: String? = nil) -> Field {
            Field(name, kind, offset: offset, size: (4, 8), note: note)
        }

        public func offset(wordSize: Int) -> Int { wordSize == 4 ? offset.bits32 : offset.bits64 }
        public func size(wordSize: Int) -> Int { wordSize == 4 ? size.bits32 : size.bits64 }
    }

    /// An array that follows the structure (SLAB's `bufctl[]`), as long as the dump goes.
    public struct TrailingArray: Sendable {
        public var name: String
        public var kind: FieldKind
        public var elementSize: Int
    }

    /// The name used on the command line and in JSON (`slab-classic`).
    public var name: String
    /// The structure, for people (`struct slab + kmem_bufctl_t bufctl[num]`).
    public var title: String
    /// The releases it applies to.
    public var releases: String
    /// Where the offsets come from.
    public var source: String
    public var fields: [Field]
    /// `sizeof` on 32-bit and 64-bit kernels.
    public var size: (bits32: Int, bits64: Int)
    public var trailing: TrailingArray?
    /// Whether only one word size was read from source (the other derived).
    public var wordSizes: Set<Int>

    public init(
        name: String, title: String, releases: String, source: String, fields: [Field], size: (Int, Int),
        trailing: TrailingArray? = nil, wordSizes: Set<Int> = [4, 8]
    ) {
        self.name = name
        self.title = title
        self.releases = releases
        self.source = source
        self.fields = fields
        self.size = (size.0, size.1)
        self.trailing = trailing
        self.wordSizes = wordSizes
    }

    public func size(wordSize: Int) -> Int { wordSize == 4 ? size.bits32 : size.bits64 }

    /// Every layout ksleuth knows, by name.
    public static let all: [SlabLayout] =
        [classicSlab, slabFreelist8, slabFreelist16, slabStructSlab66, slubPage418, slubSlab517, slubSlab66, dumpPage]
        + [listHead]

    /// The layout called `name`.
    public static func named(_ name: String) -> SlabLayout? { all.first { $0.name == name } }
}
