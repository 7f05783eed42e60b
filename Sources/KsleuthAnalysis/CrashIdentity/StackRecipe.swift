// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// How a title format finds the function that names the crash: steps that walk the report
/// from the title line, the frames never to blame for this format, and how the candidate
/// frames are reduced to one.
struct StackRecipe: Sendable {
    /// One step of the walk.
    enum Step: Sendable {
        /// The next line matching the pattern; its captures are candidate functions.
        case find(String)
        /// The frames of the call trace that follows, up to the next trace's start marker.
        case trace
    }

    /// How candidate frames become the one function.
    enum Extractor: Sendable {
        /// The first frame not skipped.
        case first
        /// Stalls and lockups: the frame just above the first dispatch "anchor" frame.
        case stall
        /// Hung tasks: victims of one stuck RCU or RTNL holder group together.
        case hang
    }

    var steps: [Step]
    /// Steps tried when ``steps`` yield no frame.
    var fallback: [Step] = []
    /// Per-format skip patterns, added to ``SkipList/common``.
    var skip: [String] = []
    var extractor: Extractor = .first

    /// Call trace only.
    static func callTrace(skip: [String] = [], extractor: Extractor = .first) -> StackRecipe {
        StackRecipe(steps: [.find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace], skip: skip, extractor: extractor)
    }

    /// The program counter line first, then the call trace.
    static func programCounter(skip: [String] = [], extractor: Extractor = .first) -> StackRecipe {
        StackRecipe(
            steps: [.find(TitlePlaceholders.programCounter), .find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace],
            fallback: [.find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace], skip: skip, extractor: extractor)
    }

    /// WARNING and BUG traps: the program counter line (or PowerPC's `--- interrupt:`) and
    /// the trace after it, or the call trace when there is no register dump.
    static func warning(skip: [String] = []) -> StackRecipe {
        StackRecipe(
            steps: [
                .find("(?:" + TitlePlaceholders.programCounter + "|--- interrupt: [0-9a-f]+ at {{FUNC}})"), .trace,
            ],
            fallback: [.find(#"(?:Call [Tt]race:|Backtrace:)"#), .trace], skip: skip)
    }

    /// Frames printed right below the header (KMSAN, KFENCE, arm64 without `Call trace:`).
    static func headerTrace(skip: [String] = []) -> StackRecipe {
        StackRecipe(steps: [.trace], skip: skip)
    }
}
