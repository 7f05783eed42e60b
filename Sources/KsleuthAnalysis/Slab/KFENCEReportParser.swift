// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// Reads a KFENCE report's access and object lines (mm/kfence/report.c, 6.6) into details:
/// the access, the object's bounds, size and cache, and the access's offset from the object.
public enum KFENCEReportParser {
    static let header = LinePattern(#"^BUG: KFENCE: ([\w -]+?)(?: (read|write))? in (\S+)"#)
    static let access = LinePattern(
        #"^(Out-of-bounds|Use-after-free|Invalid|Corrupted memory|Invalid free)(?: (read|write))?(?: at| of) 0x([0-9a-f]+)(?: \[[^\]]*\])?(?: \((?:(\d+)B (left|right) of |in )?kfence-#(\d+)\))?"#
    )
    static let object = LinePattern(#"^kfence-#(\d+): 0x([0-9a-f]+)-0x([0-9a-f]+), size=(\d+), cache=(\S+)"#)

    /// The details of the KFENCE report in `lines`, if any.
    public static func parse(_ lines: [String]) -> Details? {
        var result = Details()
        var address: UInt64?
        var start: UInt64?
        for text in lines {
            let line = String(text.drop { $0 == " " })
            if result["bug_type"] == nil, let groups = header.captures(line), let type = groups[0] {
                result["bug_type"] = .string(type)
                if let kind = groups[1] { result["access"] = .string(kind) }
                if let function = groups[2] { result["function"] = .string(function) }
            } else if address == nil, let groups = access.captures(line), let value = access.hex(groups, 2) {
                address = value
                result["address"] = .string(HexText.format(value, digits: 16))
                if let distance = access.integer(groups, 3), let side = groups[4] {
                    result["distance"] = .integer(Int64(distance))
                    result["side"] = .string(side)
                }
                if let index = access.integer(groups, 5) { result["object_index"] = .integer(Int64(index)) }
            } else if start == nil, let groups = object.captures(line), let first = object.hex(groups, 1) {
                start = first
                result["object_start"] = .string(HexText.format(first, digits: 16))
                if let end = object.hex(groups, 2) { result["object_end"] = .string(HexText.format(end, digits: 16)) }
                if let size = object.integer(groups, 3) { result["object_size"] = .integer(Int64(size)) }
                if let cache = groups[4] { result["cache"] = .string(cache.trimmingCharacters(in: ",")) }
            }
        }
        guard result["bug_type"] != nil else { return nil }
        // %p hashes both values unless no_hash_pointers; only real kernel addresses subtract.
        if let address, let start, address >> 32 != 0, start >> 32 != 0 {
            result["offset"] = .integer(Int64(bitPattern: address &- start))
        } else if address != nil {
            result["addresses_hashed"] = .bool(true)
        }
        return result
    }
}
