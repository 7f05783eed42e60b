// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthPatterns

/// The source file to blame, read from the `path/file.c:123` references of a symbolized
/// report, or from the frames ksleuth symbolized itself.
///
/// The first reference that is not in a file called from everywhere (headers, `lib/`, the
/// sanitizers, allocators, locking, scheduling, printk, traps, …) wins; a later one in a
/// deeper directory under the chosen one's refines it. When every reference is ignored,
/// the first one is used, so that the report still goes to someone.
///
/// A line that prints no reference of its own contributes the files of the reliable frames
/// read from it that the symbolization stage resolved: the inlined functions innermost
/// first, then the frame's own file, the order in which syzkaller's symbolized report prints
/// them (` mix include/x.h:3 [inline]` before ` work+0x1d/0x60 fs/y.c:12`).
struct GuiltyFile: Sendable {
    /// Files never to blame.
    static let ignoredSources = [
        #"\.h$"#, "^lib/", "^virt/lib/", "^mm/kasan/", "^mm/kmsan/", "^mm/kfence/", #"^kernel/kcov\.c"#,
        #"^mm/sl.b\.c"#, #"^mm/slab_common\.c"#, #"^mm/memory\.c"#, "^mm/percpu", #"^mm/vmalloc\.c"#,
        #"^mm/page_alloc\.c"#, #"^mm/mempool\.c"#, #"^mm/util\.c"#, #"^mm/filemap\.c"#, #"^mm/truncate\.c"#,
        "^kernel/rcu/", "^arch/.*/kernel/traps\\.c", "^arch/.*/mm/fault\\.c", "^arch/.*/mm/physaddr\\.c",
        "^arch/.*/kernel/unwind", "^arch/.*/kernel/stacktrace\\.c", "^arch/.*/kernel/dumpstack", "^arch/.*/entry/",
        "^arch/.*/kernel/entry", "^kernel/locking/", #"^kernel/panic\.c"#, "^kernel/printk/", #"^kernel/softirq\.c"#,
        #"^kernel/kthread\.c"#, "^kernel/sched/", #"^kernel/time/timer\.c"#, #"^kernel/workqueue\.c"#,
        #"^kernel/stacktrace\.c"#, #"^kernel/entry/"#, #"^net/core/dev\.c"#, #"^net/core/sock\.c"#,
        #"^net/core/skbuff\.c"#, #"^fs/proc/generic\.c"#, #"^drivers/usb/core/urb\.c"#, "^trusty/", "^crypto/crc",
    ]

    /// Lines whose references are not candidates: lockdep's `…, at: func` and held-lock
    /// lines, and the irq-state lines.
    static let ignoredLines = [
        #", at: "#, #"^\s*#[0-9]+: "#, "hardirqs (?:last|first)", "softirqs (?:last|first)",
    ]

    private let ignored: [Pattern]
    private let ignoredLinePatterns: [Pattern]
    private let reference: Pattern

    init() throws(PatternError) {
        var ignored: [Pattern] = []
        for source in GuiltyFile.ignoredSources { ignored.append(try Pattern(source)) }
        self.ignored = ignored
        var lines: [Pattern] = []
        for source in GuiltyFile.ignoredLines { lines.append(try Pattern(source)) }
        ignoredLinePatterns = lines
        reference = try Pattern(#"([a-zA-Z0-9_\-./]*[a-zA-Z0-9_\-]+\.(?:c|h|rs|S)):[0-9]+"#)
    }

    /// The file to blame among `lines`, `nil` when none carries a reference.
    ///
    /// For RCU stalls (`title`), the search starts at the timer interrupt's entry, because
    /// the frames above it are the stall detector's own.
    ///
    /// - Parameter trace: the incident's call trace, whose symbolized frames (by
    ///   `lineIndex`, an index of `lines`) count as references of the lines they were read from.
    func file(in lines: ArraySlice<String>, title: String, trace: CallTrace? = nil) -> String? {
        let symbolized = GuiltyFile.symbolizedFiles(of: trace)
        if title.hasPrefix("INFO: rcu detected stall"),
            let entry = lines.firstIndex(where: { line in GuiltyFile.interruptEntries.contains { line.contains($0) } }),
            let file = file(in: lines[entry...], symbolized: symbolized)
        {
            return file
        }
        return file(in: lines, symbolized: symbolized)
    }

    /// The files of the reliable symbolized frames of `trace`, by the index of the line each
    /// was read from: inlined functions innermost first, then the frame's own.
    static func symbolizedFiles(of trace: CallTrace?) -> [Int: [String]] {
        guard let trace else { return [:] }
        var files: [Int: [String]] = [:]
        for frame in [trace.faultingFrame].compactMap(\.self) + trace.frames
        where frame.isReliable && !frame.isInlined {
            let chain = frame.inlinedFrames.compactMap(\.file) + (frame.file.map { [$0] } ?? [])
            guard !chain.isEmpty else { continue }
            files[frame.lineIndex, default: []] += chain.map(GuiltyFile.clean)
        }
        return files
    }

    /// Where an RCU stall's interesting frames begin.
    static let interruptEntries = [" apic_timer_interrupt+0x", "el1h_64_irq", "Exception stack"]

    private func file(in lines: ArraySlice<String>, symbolized: [Int: [String]]) -> String? {
        var files: [String] = []
        var everyFile: [String] = []
        for (index, line) in zip(lines.indices, lines) {
            let skipped = ignoredLinePatterns.contains { (try? $0.firstMatch(in: line)) != nil }
            var rest = Substring(line)
            var printed = 0
            while let (match, captures) = try? reference.firstMatch(in: String(rest)), let path = captures[1] {
                if !skipped { files.append(GuiltyFile.clean(path)) }
                everyFile.append(GuiltyFile.clean(path))
                printed += 1
                let end = rest.utf8.index(rest.startIndex, offsetBy: match.range.upperBound)
                rest = rest[end...]
                if everyFile.count > 4096 { break }
            }
            if printed == 0, let resolved = symbolized[index] {
                if !skipped { files += resolved }
                everyFile += resolved
            }
        }
        guard let firstIndex = files.firstIndex(where: { !isIgnored($0) }) else {
            return files.first ?? everyFile.first
        }
        var chosen = files[firstIndex]
        for candidate in files[(firstIndex + 1)...] where !isIgnored(candidate) {
            let chosenDirectory = GuiltyFile.directory(of: chosen)
            let candidateDirectory = GuiltyFile.directory(of: candidate)
            if candidateDirectory.count > chosenDirectory.count, candidateDirectory.hasPrefix(chosenDirectory + "/") {
                chosen = candidate
            }
        }
        return chosen
    }

    private func isIgnored(_ file: String) -> Bool {
        ignored.contains { (try? $0.firstMatch(in: file)) != nil }
    }

    static func directory(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "" }
        return String(file[..<slash])
    }

    /// `path` made relative and without `.` and `..` components (`arch/x86/kvm/../../../virt/kvm/x.c`
    /// is `virt/kvm/x.c`).
    static func clean(_ path: String) -> String {
        var components: [Substring] = []
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(component)
            }
        }
        return components.joined(separator: "/")
    }
}
