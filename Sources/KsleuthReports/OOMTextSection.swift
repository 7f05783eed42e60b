// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// The compact text section of an `oom-kill` incident: the verdict with its numbers, the
/// scope and trigger, the victim, the top consumers, where the memory was, and the zones
/// below their min watermark — everything a reader needs on one screen.
///
/// It renders the values `OOMAnalyzer` put in the details (never the log's text), so
/// `--format json` holds the same numbers in full:
///
/// ```
///      verdict         user-space-growth
///                      User-space memory use: mysqld holds 20629004 kB RSS (61.5% of RAM)
///      victim          pid 6576  mysqld  uid 27  score 651  oom_score_adj 0
///                      rss anon 20629004 kB, file 0 kB, shmem 0 kB  page tables 42140 kB
///      top consumers   comm                          tasks      rss kB   of RAM
///                      mysqld                            1    20629004    61.5%
/// ```
struct OOMTextSection {
    /// The detail keys this section shows; the generic tree leaves them out.
    static let coveredKeys: Set<String> = [
        "verdict", "scope", "constraint", "manual", "trigger", "victim", "tasks", "memory", "zones",
        // The flat header facts repeat what the nested fields say.
        "pid", "comm", "cpu", "kernel_release", "trigger_comm", "gfp_mask", "gfp_flags", "order", "oom_score_adj",
        "victim_pid", "victim_comm", "victim_total_vm_kb", "victim_anon_rss_kb", "victim_file_rss_kb",
        "victim_shmem_rss_kb",
    ]

    /// Columns a line may take, indentation included.
    var width = 118
    /// Consumers listed.
    var maximumConsumers = 5

    /// The section's lines for `details`, indented by `indent` spaces and sanitised.
    func lines(for details: Details, indent: Int, style: TerminalStyle) -> [String] {
        let margin = String(repeating: " ", count: indent)
        let hanging = margin + String(repeating: " ", count: 16)
        let room = max(width - indent - 16, 32)
        var result: [String] = []
        func add(_ label: String, _ rows: [String]) {
            for (index, row) in rows.enumerated() {
                let head = index == 0 ? margin + style.cyan(pad(label, 14)) + "  " : hanging
                result.append(head + row)
            }
        }
        let verdict = object(details["verdict"])
        let cause = text(verdict["cause"]) ?? "unknown"
        var verdictRows = [style.bold(sanitized(cause))]
        if let summary = text(verdict["summary"]) { verdictRows += wrap(summary, room) }
        let summary = text(verdict["summary"]) ?? ""
        let evidence = strings(verdict["evidence"]).filter { !summary.contains($0) }
        if !evidence.isEmpty { verdictRows += wrap(evidence.joined(separator: "; "), room) }
        for factor in strings(verdict["factors"]) { verdictRows += wrap(factor, room).map { style.yellow($0) } }
        add("verdict", verdictRows)
        add("scope", [scopeRow(details)])
        if let trigger = triggerRow(object(details["trigger"])) { add("trigger", wrap(trigger, room)) }
        add("victim", victimRows(object(details["victim"]), room: room))
        let consumers = consumerRows(details, room: room, style: style)
        if !consumers.isEmpty { add("top consumers", consumers) }
        let memory = memoryRows(object(details["memory"]), room: room)
        if !memory.isEmpty { add("memory", memory) }
        let cgroupMemory = memoryRows(object(object(details["memcg"])["memory"]), room: room)
        if !cgroupMemory.isEmpty { add("memcg memory", cgroupMemory) }
        let zones = zoneRows(details, room: room)
        if !zones.isEmpty { add("zones", zones) }
        return result
    }

    private func scopeRow(_ details: Details) -> String {
        var row = text(details["scope"]) ?? "unknown"
        if details["manual"] == .bool(true) { row += " (manual, sysrq-f)" }
        let memcg = object(details["memcg"])
        if let path = text(memcg["oom_path"]) {
            row += " " + path
            if let limit = integer(memcg["limit_kb"]) { row += " (limit \(limit) kB)" }
        }
        if let constraint = text(details["constraint"]) { row += ", " + constraint }
        return clip(sanitized(row), width - 21)
    }

    private func triggerRow(_ trigger: Details) -> String? {
        guard !trigger.isEmpty else { return nil }
        var parts: [String] = []
        var task = text(trigger["comm"]) ?? "?"
        if let pid = integer(trigger["pid"]) { task += ", pid \(pid)" }
        if let cpu = integer(trigger["cpu"]) { task += ", CPU \(cpu)" }
        parts.append(task)
        if let order = integer(trigger["order"]) { parts.append("order \(order)") }
        if let mask = text(trigger["gfp_mask"]) {
            let flags = strings(trigger["gfp_flags"]).joined(separator: "|")
            parts.append(flags.isEmpty ? "gfp_mask \(mask)" : "gfp_mask \(mask) (\(flags))")
        }
        if let adjust = integer(trigger["oom_score_adj"]) { parts.append("oom_score_adj \(adjust)") }
        return sanitized(parts.joined(separator: "; "))
    }

    private func victimRows(_ victim: Details, room: Int) -> [String] {
        guard let pid = integer(victim["pid"]) else { return ["not named in the log"] }
        var first = "pid \(pid)"
        if let comm = text(victim["comm"]) { first += "  " + sanitized(comm) }
        for (key, label) in [("uid", "uid"), ("score", "score"), ("oom_score_adj", "oom_score_adj")] {
            if let value = integer(victim[key]) { first += "  \(label) \(value)" }
        }
        var rss: [String] = []
        for (key, label) in [("anon_rss_kb", "anon"), ("file_rss_kb", "file"), ("shmem_rss_kb", "shmem")] {
            if let value = integer(victim[key]) { rss.append("\(label) \(value) kB") }
        }
        var second = rss.isEmpty ? "" : "rss " + rss.joined(separator: ", ")
        if rss.isEmpty, let total = integer(victim["rss_kb"]) { second = "rss \(total) kB" }
        var parts = second.isEmpty ? [] : [second]
        if let tables = integer(victim["pgtables_kb"]) { parts.append("page tables \(tables) kB") }
        if let total = integer(victim["total_vm_kb"]) { parts.append("total-vm \(total) kB") }
        var rows = [clip(first, room)]
        if !parts.isEmpty { rows += wrap(parts.joined(separator: "; "), room) }
        return rows
    }

    private func consumerRows(_ details: Details, room: Int, style: TerminalStyle) -> [String] {
        let tasks = object(details["tasks"])
        let top = list(tasks["top"]).map(object)
        guard !top.isEmpty else { return [] }
        let base =
            text(details["scope"]) == "memcg" && integer(object(details["memcg"])["limit_kb"]) != nil
            ? "of limit" : "of RAM"
        let nameWidth = max(12, min(room - 36, 28))
        var rows = [
            style.dim(
                pad("comm", nameWidth) + pad("tasks", 8, right: true) + pad("rss kB", 14, right: true)
                    + pad(base, 10, right: true))
        ]
        for consumer in top.prefix(maximumConsumers) {
            let name = clip(sanitized(text(consumer["comm"]) ?? "?"), nameWidth - 1)
            let count = integer(consumer["count"]).map(String.init) ?? ""
            let rss = integer(consumer["rss_kb"]).map(String.init) ?? ""
            let share = number(consumer["percent"]).map { percent($0) } ?? ""
            rows.append(
                pad(name, nameWidth) + pad(count, 8, right: true) + pad(rss, 14, right: true)
                    + pad(share, 10, right: true))
        }
        if let count = integer(tasks["count"]), let sum = integer(tasks["rss_sum_kb"]) {
            rows.append(style.dim("\(count) tasks, \(sum) kB rss in all"))
        }
        return rows
    }

    private func memoryRows(_ memory: Details, room: Int) -> [String] {
        guard !memory.isEmpty else { return [] }
        var rows: [String] = []
        if let ram = integer(memory["ram_kb"]) {
            var totals = "RAM \(ram) kB"
            for (key, label) in [("user_kb", "user"), ("kernel_kb", "kernel"), ("free_kb", "free")] {
                if let value = integer(memory[key]) { totals += ", \(label) \(value) kB (\(share(value, of: ram)))" }
            }
            rows += wrap(totals, room)
        }
        let items: [(String, String)] = [
            ("anon_kb", "anon"), ("page_cache_kb", "page cache"), ("shmem_kb", "shmem"),
            ("slab_reclaimable_kb", "slab reclaimable"), ("slab_unreclaimable_kb", "slab unreclaim."),
            ("slab_kb", "slab"), ("page_tables_kb", "page tables"), ("kernel_stack_kb", "kernel stacks"),
            ("hugepages_kb", "hugepages"), ("unevictable_kb", "unevictable"), ("unaccounted_kb", "unaccounted"),
            // A memcg's own stats (`memcg.memory`).
            ("mapped_file_kb", "mapped file"), ("rss_huge_kb", "anon huge"), ("swap_kb", "swap"),
            ("kernel_kb", "kernel"), ("sock_kb", "sockets"), ("percpu_kb", "per-cpu"),
        ]
        let totalled: Set<String> = rows.isEmpty ? [] : ["kernel_kb"]
        let cells = items.filter { !totalled.contains($0.0) }.compactMap { key, label in
            integer(memory[key]).map { pad(label, 17) + pad(String($0), 10, right: true) + " kB" }
        }
        let perRow = max(1, (room + 3) / 33)
        var index = 0
        while index < cells.count {
            rows.append(cells[index..<min(index + perRow, cells.count)].joined(separator: "   "))
            index += perRow
        }
        if let total = integer(memory["swap_total_kb"]) {
            var swap = total == 0 ? "no swap" : "swap \(total) kB"
            if total > 0, let free = integer(memory["swap_free_kb"]) { swap += ", \(free) kB free" }
            if let cache = integer(memory["swap_cache_kb"]), cache > 0 { swap += ", swap cache \(cache) kB" }
            rows.append(swap)
        }
        return rows
    }

    private func zoneRows(_ details: Details, room: Int) -> [String] {
        let zones = list(details["zones"]).map(object)
        guard !zones.isEmpty else { return [] }
        let order = integer(object(details["trigger"])["order"]) ?? 0
        var rows: [String] = []
        for zone in zones where zone["below_min"] == .bool(true) {
            let name = "Node \(integer(zone["node"]) ?? 0) \(sanitized(text(zone["zone"]) ?? "?"))"
            var row = pad(name, 16) + " below min: free \(integer(zone["free_kb"]) ?? 0) kB"
            row += " < min \(integer(zone["min_kb"]) ?? 0) kB"
            if let low = integer(zone["low_kb"]), let high = integer(zone["high_kb"]) {
                row += " (low \(low), high \(high))"
            }
            rows.append(clip(row, room))
        }
        if order > 0 {
            let blocked = zones.filter { integer($0["free_kb_at_or_above_order"]) == 0 }.map {
                "Node \(integer($0["node"]) ?? 0) \(sanitized(text($0["zone"]) ?? "?"))"
            }
            if !blocked.isEmpty {
                rows += wrap("no free block of order \(order) or more in " + blocked.joined(separator: ", "), room)
            }
        }
        if rows.isEmpty { rows.append("none below its min watermark") }
        return rows
    }

    // MARK: - Values

    private func object(_ value: DetailValue?) -> Details {
        if case .object(let details)? = value { return details }
        return Details()
    }

    private func list(_ value: DetailValue?) -> [DetailValue] {
        if case .list(let values)? = value { return values }
        return []
    }

    private func object(_ value: DetailValue) -> Details { object(Optional(value)) }

    private func text(_ value: DetailValue?) -> String? {
        if case .string(let text)? = value, !text.isEmpty { return text }
        return nil
    }

    private func strings(_ value: DetailValue?) -> [String] {
        list(value).compactMap { text($0) }
    }

    private func integer(_ value: DetailValue?) -> Int64? {
        if case .integer(let number)? = value { return number }
        return nil
    }

    private func number(_ value: DetailValue?) -> Double? {
        switch value {
        case .number(let number)?: number
        case .integer(let number)?: Double(number)
        default: nil
        }
    }

    // MARK: - Text

    private func sanitized(_ text: String) -> String { TerminalSanitizer.sanitize(text) }

    private func percent(_ value: Double) -> String {
        let tenths = Int64((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))%"
    }

    private func share(_ value: Int64, of base: Int64) -> String {
        base > 0 ? percent(Double(value) * 100 / Double(base)) : "?"
    }

    private func clip(_ text: String, _ room: Int) -> String {
        text.count > room ? String(text.prefix(max(room - 1, 1))) + "…" : text
    }

    /// `text` broken at spaces into lines of at most `room` columns, each sanitised.
    private func wrap(_ text: String, _ room: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ").map({ sanitized(String($0)) }) {
            if !line.isEmpty && line.count + 1 + word.count > room {
                lines.append(line)
                line = ""
            }
            line += line.isEmpty ? clip(word, room) : " " + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}
