// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One frame of a resolved address: a function and where in the source the code is.
///
/// An address in inlined code resolves to several, innermost first.
public struct SourceFrame: Sendable, Hashable {
    /// The function's name (the linkage name when the DWARF has one), `nil` when unknown.
    public var function: String?
    /// The source file's path, `nil` when unknown.
    public var file: String?
    /// The line, 0 when unknown.
    public var line: UInt32
    /// The column, 0 when unknown.
    public var column: UInt32

    public init(function: String?, file: String?, line: UInt32, column: UInt32) {
        self.function = function
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line`, as addr2line prints it (`??:0` when unknown).
    public var location: String { "\(file ?? "??"):\(line)" }
}
