// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The OOM killer's task dump (`dump_tasks`): one row per thread-group leader with an mm.
public struct TaskTable: Sendable, Equatable {
    /// One row; memory values in pages except `pgtablesBytes`.
    public struct Row: Sendable, Equatable {
        public var pid: Int64
        public var uid: Int64?
        public var tgid: Int64?
        public var totalVMPages: Int64?
        public var rssPages: Int64
        /// `pgtables_bytes` (4.19+), or `nr_ptes` (+ `nr_pmds`) pages turned into bytes.
        public var pgtablesBytes: Int64?
        public var swapEntries: Int64?
        public var oomScoreAdj: Int64?
        /// The name, which may hold spaces (`CPU 0/KVM`, `php-fpm: pool w`).
        public var name: String
    }

    /// The column names of the header, without `pid` and `name`; `nil` when the header is missing.
    public var columns: [String]?
    /// The rows, in printed order.
    public var rows: [Row] = []
    /// Rows that could not be read: no closing bracket, or a line cut inside its values.
    public var unreadableRows = 0
    /// Pids of rows that end in a name but lost values on the way (a line garbled by syslog);
    /// they count as rows of the table but their values are not summed.
    public var damagedRowPids: [Int64] = []
    /// The number of rows the kernel printed that were seen: read rows and damaged rows.
    public var printedRowCount: Int { rows.count + damagedRowPids.count }
    /// Whether a `Tasks state` line or a table header was seen.
    public var present: Bool { columns != nil || !rows.isEmpty }
}

/// Reads the task table header and rows, in every era's column layout.
public struct TaskTableParser {
    /// The table read so far.
    public private(set) var table = TaskTable()
    private var pageSize: Int64

    public init(pageKB: Int64 = 4) {
        pageSize = pageKB * 1024
    }

    /// Reads `text`; returns whether it belonged to the table.
    public mutating func read(_ text: Substring) -> Bool {
        if text.hasPrefix("Tasks state") { return true }
        guard text.hasPrefix("[") else { return false }
        guard let close = text.firstIndex(of: "]") else {
            table.unreadableRows += 1
            return true
        }
        let inside = text[text.index(after: text.startIndex)..<close].trimmingSpaces()
        let after = text[text.index(after: close)...]
        if inside == "pid" {
            let names = after.split(separator: " ").map(String.init)
            table.columns = Array(names.dropLast(names.last == "name" ? 1 : 0))
            return true
        }
        guard let pid = Int64(inside) else { return false }
        readRow(pid: pid, after)
        return true
    }

    private mutating func readRow(pid: Int64, _ after: Substring) {
        let expected = table.columns?.count
        var values: [Int64] = []
        var rest = after.drop { $0 == " " }
        while expected.map({ values.count < $0 }) ?? true {
            let token = rest.prefix { $0 != " " }
            guard !token.isEmpty, let value = Int64(token) else { break }
            values.append(value)
            rest = rest.dropFirst(token.count).drop { $0 == " " }
        }
        let columns = table.columns ?? Self.guessColumns(count: values.count)
        if let expected, values.count < expected, !values.isEmpty, rest.contains(where: { !$0.isNumber && $0 != " " }) {
            // "[23093]    48 23093    53756      863   8       0     p-fpm": the name is there, a value is not.
            table.damagedRowPids.append(pid)
            return
        }
        guard values.count == columns.count, values.count >= 4, !rest.isEmpty else {
            table.unreadableRows += 1
            return
        }
        var row = TaskTable.Row(pid: pid, rssPages: 0, name: String(rest.trimmingSpaces()))
        var ptePages: Int64?
        for (column, value) in zip(columns, values) {
            switch column {
            case "uid": row.uid = value
            case "tgid": row.tgid = value
            case "total_vm": row.totalVMPages = value
            case "rss": row.rssPages = value
            case "pgtables_bytes": row.pgtablesBytes = value
            case "nr_ptes", "nr_pmds": ptePages = (ptePages ?? 0) + value
            case "swapents": row.swapEntries = value
            case "oom_score_adj": row.oomScoreAdj = value
            default: break
            }
        }
        if row.pgtablesBytes == nil, let ptePages { row.pgtablesBytes = ptePages * pageSize }
        table.rows.append(row)
    }

    /// The columns of a table whose header line is missing, from the number of values.
    static func guessColumns(count: Int) -> [String] {
        switch count {
        case 6: return ["uid", "tgid", "total_vm", "rss", "cpu", "oom_adj"]
        case 7: return ["uid", "tgid", "total_vm", "rss", "pgtables_bytes", "swapents", "oom_score_adj"]
        case 8: return ["uid", "tgid", "total_vm", "rss", "nr_ptes", "nr_pmds", "swapents", "oom_score_adj"]
        case 10:
            return [
                "uid", "tgid", "total_vm", "rss", "rss_anon", "rss_file", "rss_shmem", "pgtables_bytes", "swapents",
                "oom_score_adj",
            ]
        default: return Array(repeating: "", count: count)
        }
    }
}

extension Substring {
    /// The text without leading and trailing spaces.
    func trimmingSpaces() -> Substring {
        let start = drop { $0 == " " || $0 == "\t" }
        var end = start
        while end.last == " " || end.last == "\t" || end.last == "\r" { end = end.dropLast() }
        return end
    }
}
