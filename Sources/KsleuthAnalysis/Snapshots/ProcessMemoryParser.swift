// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Reads one of a process's memory files into a ``ProcessMemory``.
///
/// ```
/// VmRSS:	   29948 kB                                     (status)
/// 7460 1172 1003 93 0 277 0                               (statm)
/// 55fc0adde000-55fc0ae10000 r--p 00000000 fc:01 3303       /usr/lib/systemd/systemd   (maps)
/// Rss:                 200 kB                             (smaps, smaps_rollup)
/// ```
struct ProcessMemoryParser: Sendable {
    private(set) var memory = ProcessMemory()
    /// Whether a mapping carried smaps counters.
    private(set) var sawSmapsFields = false
    private var currentKind: MappingKind?
    private var inRollup = false

    /// Reads one line of a file of `format`.
    mutating func read(_ text: Substring, format: SnapshotFormat) {
        switch format {
        case .status: readStatus(text)
        case .statm:
            let values = text.split(separator: " ").compactMap { Int64($0) }
            if values.count == 7 { memory.statmPages = values }
        case .maps, .smaps, .smapsRollup: readMapping(text)
        default: break
        }
    }

    private mutating func readStatus(_ text: Substring) {
        guard let colon = text.firstIndex(of: ":") else { return }
        let name = text[..<colon]
        let value = text[text.index(after: colon)...].trimmingSpaces()
        switch name {
        case "Name": memory.name = String(value)
        case "Pid": memory.pid = Int64(value)
        default:
            guard name.hasPrefix("Vm") || name.hasPrefix("Rss") || name == "HugetlbPages", value.hasSuffix(" kB"),
                let number = Int64(value.dropLast(3).trimmingSpaces())
            else { return }
            memory.status[String(name)] = number
        }
    }

    private mutating func readMapping(_ text: Substring) {
        if let colon = text.firstIndex(of: ":"), text.first?.isUppercase ?? false {
            let name = text[..<colon]
            let value = text[text.index(after: colon)...].trimmingSpaces()
            guard value.hasSuffix(" kB"), let number = Int64(value.dropLast(3).trimmingSpaces()) else { return }
            if inRollup {
                memory.rollup[String(name)] = number
                return
            }
            guard let kind = currentKind else { return }
            sawSmapsFields = true
            switch name {
            case "Rss": memory.byKind[kind]!.rssKB = (memory.byKind[kind]!.rssKB ?? 0) + number
            case "Pss": memory.byKind[kind]!.pssKB = (memory.byKind[kind]!.pssKB ?? 0) + number
            case "Swap": memory.byKind[kind]!.swapKB = (memory.byKind[kind]!.swapKB ?? 0) + number
            default: break
            }
            return
        }
        let fields = text.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
        guard fields.count >= 5, let dash = fields[0].firstIndex(of: "-"),
            let start = UInt64(fields[0][..<dash], radix: 16),
            let end = UInt64(fields[0][fields[0].index(after: dash)...], radix: 16), end >= start
        else {
            currentKind = nil
            return
        }
        let path = fields.count > 5 ? fields[5].trimmingSpaces() : ""
        if path == "[rollup]" {
            inRollup = true
            return
        }
        let kind = MappingKind.of(permissions: fields[1], path: path)
        currentKind = kind
        memory.byKind[kind, default: ProcessMemory.KindTotals()].mappings += 1
        memory.byKind[kind]!.sizeKB += Int64((end - start) / 1024)
    }
}
