// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Why a symbol source, an ELF file or its DWARF could not be read, and where.
public struct SymbolsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is, stable for scripts and tests.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file could not be opened or read.
        public static let cannotOpen = Code(rawValue: "cannot-open")
        /// The data ends before a structure it announces.
        public static let truncated = Code(rawValue: "truncated")
        /// A value is out of its allowed range or a structure is inconsistent.
        public static let malformed = Code(rawValue: "malformed")
        /// The file is not in a format this reader knows (not ELF, an unknown DWARF version).
        public static let unsupported = Code(rawValue: "unsupported")
        /// A compressed section or file could not be unpacked.
        public static let decompression = Code(rawValue: "decompression")
    }

    /// The kind of failure.
    public var code: Code
    /// The file being read (empty until a caller that knows it fills it in).
    public var file: String
    /// The section being read, when there is one.
    public var section: String?
    /// The byte offset where the failure was seen (in the section when `section` is set).
    public var offset: Int?
    /// What was expected and what was found.
    public var message: String

    public init(code: Code, file: String = "", section: String? = nil, offset: Int? = nil, message: String) {
        self.code = code
        self.file = file
        self.section = section
        self.offset = offset
        self.message = message
    }

    /// The same error located in `file` and `section`, unless it already names them.
    public func located(file: String, section: String? = nil) -> SymbolsError {
        var copy = self
        if copy.file.isEmpty { copy.file = file }
        if copy.section == nil { copy.section = section }
        return copy
    }

    public var description: String {
        var place = file.isEmpty ? "" : file
        if let section { place += place.isEmpty ? section : " \(section)" }
        if let offset { place += " at offset 0x\(String(offset, radix: 16))" }
        return place.isEmpty ? "\(message) [\(code)]" : "\(place): \(message) [\(code)]"
    }
}
