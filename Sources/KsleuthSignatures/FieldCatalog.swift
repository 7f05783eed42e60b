// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The `details` paths the analyses write, as documented in `docs/json-output.md`: a
/// signature that names any other path is rejected, so that a typo never makes a signature
/// silently match nothing.
///
/// Nested objects are those of the OOM forensics schema (`memory`, `memcg`, `victim`, …);
/// a path may reach a key inside a list of objects (`details.zones.free_kb`).
public enum FieldCatalog {
    /// Every known `details` path, without the `details.` prefix.
    public static let detailPaths: Set<String> = {
        var paths: Set<String> = [
            // Header facts (Sources/KsleuthAnalysis/Facts/HeaderFacts.swift).
            "cpu", "pid", "comm", "taint", "kernel_release", "hardware", "trigger_comm", "gfp_mask", "gfp_flags",
            "order", "oom_score_adj", "victim_pid", "victim_comm", "victim_total_vm_kb", "victim_anon_rss_kb",
            "victim_file_rss_kb", "victim_shmem_rss_kb", "task_comm", "task_pid", "blocked_seconds", "stuck_cpu",
            "stuck_seconds", "panic_reason", "source_file", "source_line", "function",
            // Notices: repeats folded into one (Sources/KsleuthEvents/Assembly/NoticeFolding.swift).
            "occurrences",
            // OOM forensics: scalars.
            "scope", "manual", "kernel_version", "constraint",
        ]
        let objects: [String: [String]] = [
            "trigger": ["comm", "pid", "cpu", "oom_score_adj", "gfp_mask", "gfp_flags", "order"],
            "memcg": [
                "oom_path", "task_path", "usage_kb", "limit_kb", "failcnt", "swap_usage_kb", "swap_limit_kb",
                "cgroup_version",
            ],
            "victim": [
                "pid", "comm", "uid", "total_vm_kb", "anon_rss_kb", "file_rss_kb", "shmem_rss_kb", "pgtables_kb",
                "oom_score_adj", "score",
            ],
            "memory": [
                "ram_kb", "swap_total_kb", "swap_free_kb", "swap_cache_kb", "free_kb", "anon_kb", "page_cache_kb",
                "shmem_kb", "slab_reclaimable_kb", "slab_unreclaimable_kb", "page_tables_kb", "kernel_stack_kb",
                "hugepages_kb", "unaccounted_kb",
            ],
            "tasks": ["count", "rss_sum_kb", "top", "top.comm", "top.count", "top.rss_kb", "top.percent"],
            "zones": [
                "node", "zone", "free_kb", "min_kb", "low_kb", "high_kb", "below_min", "free_blocks_by_order",
                "free_kb_at_or_above_order",
            ],
            "verdict": ["cause", "summary", "evidence"],
        ]
        for (object, keys) in objects {
            paths.insert(object)
            for key in keys { paths.insert("\(object).\(key)") }
        }
        return paths
    }()

    /// Objects whose keys are open-ended (the OOM reaper's numbers): any key below them is
    /// accepted.
    public static let openObjects: Set<String> = ["reaper"]

    /// Whether `path` is a place an incident may have a value.
    public static func isKnown(_ path: FieldPath) -> Bool {
        guard case .details(let keys) = path else { return true }
        if openObjects.contains(keys[0]) { return true }
        return detailPaths.contains(keys.joined(separator: "."))
    }

    /// The known paths closest to an unknown one, for the error message.
    public static func suggestions(for text: String) -> [String] {
        let key = text.split(separator: ".").last.map(String.init) ?? text
        let candidates = detailPaths.filter {
            $0.hasSuffix(key) || $0.split(separator: ".").last.map(String.init) == key
        }
        return candidates.sorted().prefix(3).map { "details.\($0)" }
    }
}
