// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A log excerpt that proves a signature: a positive one must match, a negative one must not.
public struct SignatureSample: Sendable {
    /// Where the sample's log comes from.
    public enum Source: Sendable, Hashable {
        /// The log text, written in the signature file.
        case inline(String)
        /// A file, relative to the database's root (`samples/dentry-leak.log`).
        case file(String)
    }

    /// A short name for tables (`positive`, `negative`, or the author's own).
    public var name: String
    /// Whether the signature must match some incident of the log.
    public var expectsMatch: Bool
    /// The log.
    public var source: Source
    /// The line in the signature file where the sample starts.
    public var line: Int

    public init(name: String, expectsMatch: Bool, source: Source, line: Int) {
        self.name = name
        self.expectsMatch = expectsMatch
        self.source = source
        self.line = line
    }
}
