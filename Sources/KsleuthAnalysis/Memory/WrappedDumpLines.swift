// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// Rejoins show_free_areas zone and buddy lines that a console or a mail client wrapped onto
/// unprefixed continuation lines, so that each is read whole.
///
/// ```
/// DMA free:15892kB min:260kB low:324kB high:388kB active_anon:0kB
/// inactive_anon:0kB active_file:0kB inactive_file:0kB unevictable:0kB
/// DMA: 1*4kB 0*8kB 1*16kB 0*32kB 2*64kB 1*128kB 1*256kB 0*512kB 1*1024kB
/// 1*2048kB 3*4096kB = 15892kB
/// ```
///
/// The kernel ends a zone line with its last field and a buddy line with `= <N>kB`, so a line
/// that follows an unfinished one and starts a new record of no kind (no zone, buddy,
/// `lowmem_reserve[]`, `Node`, counter or total line) continues it: a zone line by more
/// `name:value` fields, a buddy line by more orders, migrate types or the total. A wrap at a
/// space joins with one space; a wrap inside a token (`1*20` / `48kB`) joins without.
public enum WrappedDumpLines {
    /// `lines` with every wrapped zone and buddy line joined into its first line.
    public static func join(_ lines: [EvidenceLine]) -> [EvidenceLine] {
        var result: [EvidenceLine] = []
        var open: Record?
        for line in lines {
            let text = Substring(line.text).trimmingSpaces()
            if let record = open, var last = result.last {
                let previous = Substring(last.text).trimmingSpaces()
                if let glue = continuation(of: record, previous: previous, next: text) {
                    last.text = String(previous) + glue + String(text)
                    last.length = line.byteOffset + line.length - last.byteOffset
                    result[result.count - 1] = last
                    open = Self.record(Substring(last.text))
                    continue
                }
            }
            result.append(line)
            open = Self.record(text)
        }
        return result
    }

    /// The kind of an unfinished record.
    enum Record {
        case zone
        case buddy
    }

    /// The record `text` starts that may continue on the next line: a zone line or 4.8's per-node
    /// line (any: they end only where the kernel stopped printing fields), or a buddy line
    /// without its whole `= <N>kB`.
    static func record(_ text: Substring) -> Record? {
        if ZoneLineParser.parse(text) != nil { return .zone }
        let (_, rest, hadNode) = KernelFields.nodePrefix(text)
        if hadNode, rest.hasPrefix("active_anon:") { return .zone }
        guard BuddyFreeList.parse(text) != nil else { return nil }
        let tokens = text.split(separator: " ")
        guard let equals = tokens.lastIndex(of: "="), equals + 1 < tokens.count else { return .buddy }
        return tokens[equals + 1].hasSuffix("kB") ? nil : .buddy
    }

    /// How `next` continues the unfinished `record` whose text so far is `previous`: `" "` after a
    /// wrap at a space, `""` after a wrap inside a token; `nil` when it does not continue it.
    static func continuation(of record: Record, previous: Substring, next text: Substring) -> String? {
        guard !text.isEmpty, !startsRecord(text) else { return nil }
        var tokens = text.split(separator: " ")
        let isCut = isCutInsideToken(record, previous)
        if isCut, let start = previous.split(separator: " ").last {
            tokens[0] = Substring(String(start) + String(tokens[0]))
        }
        // The continuation may itself end inside a token.
        let whole = tokens.dropLast()
        let last = tokens[tokens.count - 1]
        switch record {
        case .zone:
            guard whole.allSatisfy(isZoneFieldToken), isZoneFieldToken(last) || isPartialZoneToken(last) else {
                return nil
            }
            let hasField = tokens.contains {
                $0.hasSuffix("kB") || $0.hasSuffix("KB") || $0.contains("?") || $0 == "yes" || $0 == "no"
            }
            guard hasField else { return nil }
        case .buddy:
            guard whole.allSatisfy(isWholeBuddyToken), isWholeBuddyToken(last) || isPartialBuddyToken(last) else {
                return nil
            }
        }
        return isCut ? "" : " "
    }

    /// Whether `text` is a line of its own: a zone, buddy, `lowmem_reserve[]`, `Node …`, counter,
    /// `Mem-Info:` or page-total line.
    static func startsRecord(_ text: Substring) -> Bool {
        if ZoneLineParser.parse(text) != nil || BuddyFreeList.parse(text) != nil { return true }
        if ZoneLineParser.lowmemReserve(text) != nil || KernelFields.nodePrefix(text).hadPrefix { return true }
        var info = MemInfo()
        return MemInfoParser.read(text, into: &info)
    }

    /// A zone-line field token: `free:15892kB`, `isolated(anon):0kB`, `pages_scanned:0`,
    /// `all_unreclaimable?`, its `yes`/`no`, or a `shmem_thp:` whose value follows.
    static func isZoneFieldToken(_ token: Substring) -> Bool {
        if token == "all_unreclaimable?" || token == "yes" || token == "no" { return true }
        if token.allSatisfy(\.isNumber) || token.hasSuffix("kB") && token.dropLast(2).allSatisfy(\.isNumber) {
            return true
        }
        guard let colon = token.firstIndex(of: ":") else { return false }
        let name = token[..<colon]
        let value = token[token.index(after: colon)...]
        let nameOK = !name.isEmpty && name.allSatisfy { $0.isLowercase || $0 == "_" || $0 == "(" || $0 == ")" }
        let digits = value.hasSuffix("kB") || value.hasSuffix("KB") ? value.dropLast(2) : value
        return nameOK && digits.allSatisfy(\.isNumber)
    }

    /// A buddy-line token: `1*2048kB` or its migrate types `(UME)`.
    static func isBuddyToken(_ token: Substring) -> Bool {
        if token.hasPrefix("(") && token.hasSuffix(")") { return true }
        guard let star = token.firstIndex(of: "*"), token.hasSuffix("kB") else { return false }
        return token[..<star].allSatisfy(\.isNumber)
            && token[token.index(after: star)...].dropLast(2).allSatisfy(\.isNumber)
    }

    /// A whole token of a buddy line: an order, its migrate types, `=` or the total.
    static func isWholeBuddyToken(_ token: Substring) -> Bool {
        isBuddyToken(token) || token == "=" || token.hasSuffix("kB") && token.dropLast(2).allSatisfy(\.isNumber)
    }

    /// The start of a buddy token the wrap cut: `1*20`, `(UE`.
    static func isPartialBuddyToken(_ token: Substring) -> Bool {
        let characters = "0123456789*k()UMERHCI"
        return token.allSatisfy { characters.contains($0) }
    }

    /// The start of a zone field the wrap cut: `inacti`, `free:158`.
    static func isPartialZoneToken(_ token: Substring) -> Bool {
        token.allSatisfy { $0.isLowercase || $0.isNumber || "_():".contains($0) }
    }

    /// Whether the unfinished line ends inside a token, so that the next line's first token is
    /// its rest: a buddy line's `1*20` or `(UE`; a zone line's `inacti` or `free:158` (every
    /// zone field but `pages_scanned` carries `kB`).
    static func isCutInsideToken(_ record: Record, _ text: Substring) -> Bool {
        guard let last = text.split(separator: " ").last else { return false }
        switch record {
        case .buddy:
            return !isBuddyToken(last) && last != "="
        case .zone:
            if ["all_unreclaimable?", "yes", "no"].contains(last) { return false }
            if last.hasSuffix("kB"), last.dropLast(2).allSatisfy(\.isNumber) { return false }
            guard let colon = last.firstIndex(of: ":") else { return true }
            let value = last[last.index(after: colon)...]
            if value.isEmpty || value.hasSuffix("kB") || value.hasSuffix("KB") { return false }
            return last[..<colon] != "pages_scanned"
        }
    }
}
