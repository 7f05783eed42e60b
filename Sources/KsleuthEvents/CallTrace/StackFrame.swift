// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// One frame of a call trace: a function the CPU was in, as the kernel's unwinder printed it.
///
/// Every field but `function` is optional because the architectures and eras print different
/// parts: x86 `func+0x1d/0x60 [mod]`, 2.6's `<ffffffff8016eb2c>{drain_array_locked+188}`,
/// arm32's `[<c003c6ec>] (__dabt_svc+0x4c/0x60) from …`, symbolized `func+0x1d/0x60 fs/x.c:12`.
public struct StackFrame: Sendable, Hashable {
    /// The part of the stack a frame was printed in (`<IRQ>`, `<NMI>`, `<SOFTIRQ>`, an
    /// exception stack), `task` for the ordinary process stack.
    public enum Section: String, Sendable, Hashable, CaseIterable {
        case task
        case irq
        case nmi
        case softirq
        case exception
    }

    /// The return or program-counter address printed with the frame.
    public var address: UInt64?
    /// The function's name as printed, compiler suffixes (`.isra.0`, `.cold`) kept; empty for a
    /// frame printed as an address only (`[<000003fffd4a1d92>] 0x3fffd4a1d92`).
    public var function: String
    /// The offset into the function.
    public var offset: UInt64?
    /// The function's size.
    public var size: UInt64?
    /// The module the function belongs to (`[nf_tables]`), build id dropped.
    public var module: String?
    /// `false` for frames the unwinder marks as guesses (x86 ` ? `, PowerPC `(unreliable)`).
    public var isReliable: Bool
    /// The stack section the frame was printed in.
    public var section: Section
    /// The source file of a symbolized frame (`net/ipv6/raw.c`).
    public var file: String?
    /// The source line of a symbolized frame.
    public var line: Int?
    /// The source column, when a symbolizer read it from DWARF; `nil` when unknown.
    public var column: Int?
    /// The functions inlined into this one at the frame's address, innermost first, each
    /// with the position in it (`file`, `line`, `column`), as syzkaller prints them before the
    /// frame (` mix helpers.h:3 [inline]`); filled when the analysis symbolizes the trace.
    public var inlinedFrames: [StackFrame]
    /// Whether the symbolizer marked the frame `[inline]` (an inlined callee, no offset).
    public var isInlined: Bool
    /// The index, in the incident's evidence lines, of the line the frame was read from.
    public var lineIndex: Int

    public init(
        address: UInt64? = nil, function: String, offset: UInt64? = nil, size: UInt64? = nil, module: String? = nil,
        isReliable: Bool = true, section: Section = .task, file: String? = nil, line: Int? = nil,
        isInlined: Bool = false, lineIndex: Int = 0, column: Int? = nil, inlinedFrames: [StackFrame] = []
    ) {
        self.address = address
        self.function = function
        self.offset = offset
        self.size = size
        self.module = module
        self.isReliable = isReliable
        self.section = section
        self.file = file
        self.line = line
        self.isInlined = isInlined
        self.lineIndex = lineIndex
        self.column = column
        self.inlinedFrames = inlinedFrames
    }

    /// The function's name without compiler suffixes: the identifier before the first `.`.
    public var baseFunction: Substring {
        function.prefix { $0 != "." }
    }
}
