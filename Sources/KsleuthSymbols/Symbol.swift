// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A named address: one line of `System.map` or `/proc/kallsyms`, or one ELF symbol.
public struct Symbol: Sendable, Hashable {
    /// The symbol's name, with compiler suffixes (`.isra.0`, `.cold`) kept: they are separate
    /// symbols.
    public var name: String
    /// The symbol's address (link-time for `System.map` and ELF files, runtime for kallsyms).
    public var address: UInt64
    /// The size in bytes, 0 when the source does not say (a symbol table built from text
    /// infers it from the next symbol).
    public var size: UInt64
    /// The `nm` type letter (`T` global text, `t` local text, `D`, `b`, `W`, …).
    public var type: Character
    /// The module that holds the symbol (`[ext4]` in kallsyms), `nil` for the kernel image.
    public var module: String?

    public init(name: String, address: UInt64, size: UInt64 = 0, type: Character, module: String? = nil) {
        self.name = name
        self.address = address
        self.size = size
        self.type = type
        self.module = module
    }

    /// Whether the symbol is code (`T`, `t`, `W`, `w`).
    public var isText: Bool { type == "T" || type == "t" || type == "W" || type == "w" }

    /// The preference among symbols at one address: global code first, then local code.
    var rank: Int {
        switch type {
        case "T": 0
        case "W": 1
        case "t": 2
        case "w": 3
        default: type.isUppercase ? 4 : 5
        }
    }
}
