// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One file of a memory snapshot: its name as given, its format and its size in lines.
public struct SnapshotSource: Sendable, Equatable {
    public var file: String
    public var format: SnapshotFormat
    public var lines: Int

    public init(file: String, format: SnapshotFormat, lines: Int) {
        self.file = file
        self.format = format
        self.lines = lines
    }
}
