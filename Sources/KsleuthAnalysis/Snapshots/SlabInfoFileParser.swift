// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Reads `/proc/slabinfo` (`cache_show`, versions 1.1 and 2.x) and `slabtop -o` output into one
/// ``SlabCacheUsage`` per cache.
///
/// ```
/// slabinfo - version: 2.1
/// # name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables … : slabdata <active_slabs> <num_slabs> <sharedavail>
/// dentry            1130346 1130346    192   21    1 : tunables    0    0    0 : slabdata  53826  53826      0
/// ```
///
/// Version 2.x names its columns in the `# name` header, which is followed; version 1.1 (2.4
/// kernels) prints `name active_objs num_objs objsize active_slabs num_slabs pagesperslab`.
/// slabtop prints `OBJS ACTIVE USE OBJ SIZE SLABS OBJ/SLAB CACHE SIZE NAME` rows.
struct SlabInfoFileParser: Sendable {
    /// The `slabinfo - version:` value.
    private(set) var version: String?
    /// The caches read; `sizeKB` counts pages of 1 kB until ``caches(pageKB:)`` scales them.
    private var rows: [(cache: SlabCacheUsage, inPages: Bool)] = []
    /// Lines that looked like cache lines but could not be read (cut or garbled).
    private(set) var unreadLines = 0
    private var columns: [String] = []
    private var inSlabtopTable = false

    /// The caches, with slab pages of `pageKB` kB.
    func caches(pageKB: Int64) -> [SlabCacheUsage] {
        rows.map { row in
            var cache = row.cache
            if row.inPages { cache.sizeKB *= pageKB }
            return cache
        }
    }

    /// Whether any cache line was read.
    var isEmpty: Bool { rows.isEmpty }

    /// Whether the version's cache lines can be read.
    var knowsVersion: Bool {
        guard let version else { return inSlabtopTable || !rows.isEmpty }
        return version == "1.1" || version.hasPrefix("2.")
    }

    /// Reads one line.
    mutating func read(_ text: Substring) {
        let trimmed = text.trimmingSpaces()
        if trimmed.hasPrefix("slabinfo - version:") {
            version = String(trimmed.dropFirst("slabinfo - version:".count).trimmingSpaces())
            return
        }
        if trimmed.hasPrefix("# name") {
            columns = trimmed.dropFirst(1).split(separator: " ").map { String($0.filter { $0 != "<" && $0 != ">" }) }
            return
        }
        if trimmed.hasPrefix("OBJS ACTIVE") {
            inSlabtopTable = true
            return
        }
        guard !trimmed.isEmpty, !trimmed.hasPrefix("Active / Total"), !trimmed.hasPrefix("#") else { return }
        if inSlabtopTable, let cache = slabtopRow(trimmed) {
            rows.append((cache, false))
        } else if !inSlabtopTable, let cache = slabinfoRow(trimmed) {
            rows.append((cache, true))
        } else if version != nil || inSlabtopTable {
            unreadLines += 1
        }
    }

    private func slabinfoRow(_ text: Substring) -> SlabCacheUsage? {
        let tokens = text.split(separator: " ")
        guard tokens.count >= 7, !tokens[0].isEmpty else { return nil }
        let name = String(tokens[0])
        if version == "1.1" {
            let numbers = tokens[1...6].compactMap { Int64($0) }
            guard numbers.count == 6 else { return nil }
            return SlabCacheUsage(
                name: name, activeObjects: numbers[0], objects: numbers[1], objectSizeBytes: numbers[2],
                sizeKB: numbers[4] * numbers[5])
        }
        guard version?.hasPrefix("2.") ?? false else { return nil }
        let names = columns.isEmpty ? Self.version2Columns : columns
        var values: [String: Int64] = [:]
        for (column, token) in zip(names.dropFirst(), tokens.dropFirst()) {
            if let value = Int64(token) {
                values[column] = value
            } else if token != ":" && token != column {
                return nil
            }
        }
        guard let active = values["active_objs"], let objects = values["num_objs"], let size = values["objsize"],
            let slabs = values["num_slabs"], let pages = values["pagesperslab"]
        else { return nil }
        return SlabCacheUsage(
            name: name, activeObjects: active, objects: objects, objectSizeBytes: size, sizeKB: slabs * pages)
    }

    /// The columns of version 2.x when the header is missing.
    static let version2Columns = [
        "name", "active_objs", "num_objs", "objsize", "objperslab", "pagesperslab", ":", "tunables", "limit",
        "batchcount", "sharedfactor", ":", "slabdata", "active_slabs", "num_slabs", "sharedavail",
    ]

    /// `1130346 1130346 100%    0.19K  53826       21    215304K dentry`.
    private func slabtopRow(_ text: Substring) -> SlabCacheUsage? {
        let tokens = text.split(separator: " ")
        guard tokens.count >= 8, let objects = Int64(tokens[0]), let active = Int64(tokens[1]),
            tokens[3].hasSuffix("K"), let objectKB = Double(tokens[3].dropLast()),
            tokens[6].hasSuffix("K"), let sizeKB = Double(tokens[6].dropLast())
        else { return nil }
        return SlabCacheUsage(
            name: tokens[7...].joined(separator: " "), activeObjects: active, objects: objects,
            objectSizeBytes: Int64((objectKB * 1024).rounded()), sizeKB: Int64(sizeKB.rounded()))
    }
}
