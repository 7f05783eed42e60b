// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A pattern that could not be compiled, or a match that PCRE2 refused to finish.
///
/// Compile errors quote the pattern and the offset PCRE2 stopped at, so that a broken
/// signature file can be fixed without guessing.
public struct PatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in PCRE2's own terms.
    public struct Code: RawRepresentable, Sendable, Hashable {
        public var rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// The match limit was reached: the pattern backtracks too much on this subject.
        public static let matchLimit = Code(rawValue: -47)
        /// The depth limit was reached.
        public static let depthLimit = Code(rawValue: -53)
        /// The heap limit was reached.
        public static let heapLimit = Code(rawValue: -63)
    }

    /// PCRE2's error code.
    public var code: Code
    /// PCRE2's message for the code.
    public var message: String
    /// The pattern's source text.
    public var pattern: String
    /// Byte offset in the pattern where compilation failed; `nil` for match-time errors.
    public var offset: Int?

    public init(code: Code, message: String, pattern: String, offset: Int?) {
        self.code = code
        self.message = message
        self.pattern = pattern
        self.offset = offset
    }

    public var description: String {
        if let offset {
            return "cannot compile pattern /\(pattern)/ at offset \(offset): \(message)"
        }
        return "pattern /\(pattern)/ failed to match: \(message)"
    }
}
