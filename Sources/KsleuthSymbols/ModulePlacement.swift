// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Where one loaded module's code sat in the running kernel, and how that was learnt: the
/// address `/proc/modules` prints, or the one the log's frames agree on.
///
/// ```
/// ext4 999424 2 - Live 0xffffffffc0455000          ← /proc/modules: the module's .text
/// [<ffffffffc0461a2c>] ext4_fill_super+0x5c/0x120 [ext4]   ← a frame giving the same
/// ```
public struct ModulePlacement: Sendable, Hashable {
    /// Where the placement comes from.
    public enum Source: String, Sendable {
        /// A `/proc/modules` line.
        case procModules = "proc-modules"
        /// Solved from frames that print both a raw address and `func+0xoff [module]`.
        case frames
    }

    /// The module's name, `-` and `_` as the kernel spells it.
    public var name: String
    /// The runtime address of the module's first code section (`.text`), which the module
    /// loader places first.
    public var base: UInt64
    /// How many bytes from `base` may belong to the module: `/proc/modules`' size (all of its
    /// memory, code first), 0 when unknown (the module file's code span is used then).
    public var size: UInt64
    public var source: Source
    /// For ``Source/frames``: how many frames agree, and how many were looked at.
    public var agreeing: Int
    public var considered: Int

    public init(
        name: String, base: UInt64, size: UInt64, source: Source, agreeing: Int = 0, considered: Int = 0
    ) {
        self.name = name
        self.base = base
        self.size = size
        self.source = source
        self.agreeing = agreeing
        self.considered = considered
    }
}
