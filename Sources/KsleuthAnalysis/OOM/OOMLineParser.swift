// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthPatterns

/// The OOM killer's own lines (`mm/oom_kill.c`) in every era: the header, the cpuset line,
/// the task's stack-dump line, the `oom-kill:` summary, the select, kill and reaper lines.
enum OOMLineParser {
    /// `sed invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0` and the older
    /// `…, order=0, oom_adj=0[, oom_score_adj=0]`, `oomkilladj=0` and 4.14's `nodemask=…,  order=`.
    static let header = compile(
        #"^(.+?) invoked oom-killer: gfp_mask=(0x[0-9a-fA-F]+)(?:\(([^)]*)\))?,\s*(?:nodemask=(\S+?),\s*)?order=(-?\d+)(?:,\s*(?:oom_adj|oomkilladj)=(-?\d+))?(?:,\s*oom_score_adj=(-?\d+))?"#
    )
    /// `sed cpuset=/ mems_allowed=0-1` (up to 4.19).
    static let cpuset = compile(#"^(.+?) cpuset=(\S*) mems_allowed=(\S+)\s*$"#)
    /// `CPU: 4 PID: 29481 Comm: sed Not tainted 3.10.0-514.6.1.el7.x86_64 #1`.
    static let cpuLine = compile(
        #"^CPU: (\d+) (?:UID: \d+ )?PID: (\d+) Comm: (.+?) (?:Not tainted|Tainted:.*?) (\d+\.\d+[^\s]*)"#)
    /// `Pid: 23212, comm: php-fpm Not tainted 2.6.32-642.11.1.el6.x86_64 #1`.
    static let pidLine = compile(#"^Pid: (\d+), comm: (.+?) (?:Not tainted|Tainted:.*?) (\d+\.\d+[^\s]*)"#)
    /// `Out of memory: Kill process 40738 (mysqld) score 16 or sacrifice child` (and 2.6.32's
    /// `kill process … or a child`).
    static let select = compile(#"^(.*?): ?[Kk]ill process (\d+) \((.*)\) score (\d+) or (?:sacrifice child|a child)"#)
    /// Every era's `Killed process` line (see ``parseKill(_:)``).
    static let kill = compile(
        #"^(?:(.*?): )?Killed process (\d+)(?:, UID (\d+),)? \((.*)\)(?:, UID (\d+),)?(?: total-vm:(\d+)kB, anon-rss:(\d+)kB, file-rss:(\d+)kB(?:, shmem-rss:(\d+)kB)?(?:, UID:(\d+))?(?: pgtables:(\d+)kB)?(?: oom_score_adj:(-?\d+))?)?"#
    )
    /// `oom_reaper: reaped process 731655 (python3), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`.
    static let reaped = compile(
        #"^oom_reaper: reaped process (\d+) \((.*)\), now anon-rss:(\d+)kB, file-rss:(\d+)kB(?:, shmem-rss:(\d+)kB)?"#)
    /// `oom_reaper: unable to reap pid:123 (java)`.
    static let unableToReap = compile(#"^oom_reaper: unable to reap pid:(\d+) \((.*)\)"#)
    /// `Out of memory: OOM victim 123 (java) is already exiting. Skip killing the task`.
    static let exiting = compile(#"OOM victim (\d+) \((.*)\) is already exiting"#)

    private static func compile(_ source: String) -> Pattern {
        do {
            return try Pattern(source)
        } catch {
            fatalError("a built-in OOM pattern does not compile: \(error)")
        }
    }

    /// The captures of `pattern` in `text`, or `nil` when it does not match.
    static func match(_ pattern: Pattern, _ text: Substring) -> [String?]? {
        guard let (_, captures) = try? pattern.firstMatch(in: String(text)) else { return nil }
        return captures
    }

    /// The fields of an `oom-kill:constraint=…,nodemask=…,cpuset=…,mems_allowed=0,2-3,global_oom,…`
    /// summary; a piece without `=` (other than `global_oom`) continues the previous value.
    static func summary(_ text: Substring) -> [String: String]? {
        guard text.hasPrefix("oom-kill:") else { return nil }
        var fields: [String: String] = [:]
        var last: String?
        for piece in text.dropFirst("oom-kill:".count).split(separator: ",", omittingEmptySubsequences: false) {
            if let equals = piece.firstIndex(of: "=") {
                let key = String(piece[..<equals])
                fields[key] = String(piece[piece.index(after: equals)...])
                last = key
            } else if piece == "global_oom" {
                fields["global_oom"] = ""
                last = nil
            } else if let key = last {
                fields[key, default: ""] += "," + piece
            }
        }
        return fields
    }
}
