// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// An input that cannot be read, or can be read no further.
///
/// Carries where it happened: the input's name and, when known, the byte offset in the
/// (decompressed) stream. The command line shows it once, as one line.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure; extensible, as new inputs bring new ways to fail.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The file does not exist or may not be opened.
        public static let cannotOpen = Code(rawValue: "cannot-open")
        /// The path names a directory.
        public static let isDirectory = Code(rawValue: "is-directory")
        /// `read(2)` failed.
        public static let readFailed = Code(rawValue: "read-failed")
        /// The compressed stream holds bytes the decompressor rejects.
        public static let corruptCompressedData = Code(rawValue: "corrupt-compressed-data")
        /// The compressed stream ends before its end marker.
        public static let truncatedCompressedData = Code(rawValue: "truncated-compressed-data")
        /// No source of this machine's kernel log could be read.
        public static let noSystemLog = Code(rawValue: "no-system-log")
    }

    public var code: Code
    /// The input's name as the user gave it (`-` for standard input).
    public var input: String
    /// What happened, in words.
    public var message: String
    /// Byte offset in the decompressed stream where reading stopped, when it matters.
    public var byteOffset: Int?

    public init(code: Code, input: String, message: String, byteOffset: Int? = nil) {
        self.code = code
        self.input = input
        self.message = message
        self.byteOffset = byteOffset
    }

    public var description: String {
        if let byteOffset { return "\(input): \(message) (at byte \(byteOffset))" }
        return "\(input): \(message)"
    }
}
