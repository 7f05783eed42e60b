// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthPatterns

/// The frames of an incident's call traces, in the order printed, with the faulting
/// instruction's frame (`RIP:`, `pc :`, `PC is at`, `NIP`, `epc :`, `era :`) apart.
public struct CallTrace: Sendable, Hashable {
    /// The frames of every trace of the report (`Call Trace:`, `Allocated by task`, …).
    public var frames: [StackFrame]
    /// The frame of the program counter at the fault, when the report printed registers.
    public var faultingFrame: StackFrame?
    /// Whether frames were dropped at ``maximumFrames``.
    public var isTruncated: Bool

    public init(frames: [StackFrame] = [], faultingFrame: StackFrame? = nil, isTruncated: Bool = false) {
        self.frames = frames
        self.faultingFrame = faultingFrame
        self.isTruncated = isTruncated
    }

    /// The most frames kept per incident; a hostile trace is cut here and marked truncated.
    public static let maximumFrames = 2048

    /// Whether the trace holds neither frames nor a faulting frame.
    public var isEmpty: Bool { frames.isEmpty && faultingFrame == nil }

    /// Reads the call traces out of `lines`, the kernel text of an incident's evidence.
    ///
    /// Section markers (`<IRQ>`, `<EOI>`, `<NMI>`, `<TASK>`, …) set the section of the frames
    /// after them; nesting is tracked to a small bounded depth, so that a hostile log of
    /// nested markers costs nothing.
    public static func parse(_ lines: [String]) -> CallTrace {
        var trace = CallTrace()
        var sections: [StackFrame.Section] = []
        var pendingCaller: StackFrame?
        var afterBreakingEvent = false
        func enter(_ marker: FrameGrammar.SectionMarker) {
            switch marker {
            case .enter(let section):
                if sections.count < 16 { sections.append(section) } else { sections[sections.count - 1] = section }
            case .leave:
                if !sections.isEmpty { sections.removeLast() }
            case .task:
                sections.removeAll()
            }
        }
        for (index, text) in lines.enumerated() {
            var bytes = Array(text.utf8)
            if let marker = FrameGrammar.sectionMarker(bytes) {
                enter(marker)
                continue
            }
            if let (marker, rest) = FrameGrammar.leadingSectionMarker(bytes) {
                enter(marker)
                bytes = rest
            }
            // s390's last branch before the fault is a register, not a caller.
            if text.containsASCII("Last Breaking-Event-Address:") {
                afterBreakingEvent = true
                continue
            }
            if afterBreakingEvent {
                afterBreakingEvent = false
                if !FrameGrammar.frames(in: bytes).isEmpty { continue }
            }
            let section = sections.last ?? .task
            if trace.faultingFrame == nil, var frame = FrameGrammar.programCounterFrame(bytes) {
                frame.section = section
                frame.lineIndex = index
                trace.faultingFrame = frame
                continue
            }
            let parsed = FrameGrammar.frames(in: bytes)
            if parsed.isEmpty {
                if let caller = pendingCaller { trace.append(caller) }
                pendingCaller = nil
                continue
            }
            for var frame in parsed.frames {
                frame.section = section
                frame.lineIndex = index
                trace.append(frame)
            }
            if var caller = parsed.caller {
                caller.section = section
                caller.lineIndex = index
                pendingCaller = caller
            } else {
                pendingCaller = nil
            }
        }
        if let caller = pendingCaller { trace.append(caller) }
        return trace
    }

    private mutating func append(_ frame: StackFrame) {
        guard frames.count < CallTrace.maximumFrames else {
            isTruncated = true
            return
        }
        frames.append(frame)
    }
}
