// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Locates a SLUB report's corrupted bytes in its `Object`/`Redzone`/`Padding` dump and says
/// whether they look like an overflow, an underflow, a use-after-free write or a bit flip.
public enum SLUBCorruptionAssessor {
    /// The assessment of `report` with its dump (if printed).
    public static func assess(_ report: SLUBReport, dump: Hexdump?) -> SLUBCorruption? {
        guard let overwrite = report.overwrite else { return nil }
        let what = (overwrite.what ?? report.problem).lowercased()
        let objectIndex = dump?.sections.firstIndex { $0.label == "Object" }
        let objectSize =
            objectIndex.map { dump!.sections[$0].count } ?? KmallocSizes.objectSize(ofCache: report.cache)
        let area: String
        if what.contains("left") || what.contains("bytes b4") {
            area = "left-redzone"
        } else if what.contains("redzone") {
            area = "right-redzone"
        } else if what.contains("padding") {
            area = "padding"
        } else {
            area = "object"
        }
        var first: Int?
        var last: Int?
        var method: String?
        // Real addresses (before 4.15, or no_hash_pointers): subtract.
        if !report.addressesHashed, let objectAddress = report.objectAddress ?? dump?.section("Object")?.address,
            !(dump?.addressesHashed ?? false)
        {
            first = Int(truncatingIfNeeded: Int64(bitPattern: overwrite.start &- objectAddress))
            last = Int(truncatingIfNeeded: Int64(bitPattern: overwrite.end &- objectAddress))
            method = "addresses"
        } else if let slabOffset = overwrite.slabOffset, let objectOffset = report.objectSlabOffset {
            first = slabOffset - objectOffset
            method = "report-offsets"
        }
        var corrupted: [UInt8] = []
        var scanned: (first: Int, last: Int, bytes: [UInt8])?
        if let dump, let objectIndex {
            if let scan = scan(dump, objectIndex: objectIndex, area: area, overwrite: overwrite) {
                scanned = scan
                if first == nil || method == "report-offsets" {
                    if first == nil { method = "dump-scan" }
                    first = first ?? scan.first
                    last = scan.last
                }
                corrupted = scan.bytes
            }
        }
        if last == nil, overwrite.start == overwrite.end { last = first }
        if corrupted.isEmpty { corrupted = [overwrite.found] }
        let pattern = classify(corrupted, expected: overwrite.expected)
        var corruption = SLUBCorruption(
            area: area, firstOffset: first, lastOffset: last, found: overwrite.found, expected: overwrite.expected,
            objectSize: objectSize, pattern: pattern, assessment: "unknown", explanation: "", method: method)
        if !report.addressesHashed {
            corruption.firstAddress = overwrite.start
            corruption.lastAddress = overwrite.end
        }
        if let scanned, let first {
            corruption.dumpAgrees = scanned.first == first && scanned.bytes.first == overwrite.found
            if corruption.dumpAgrees == false {
                corruption.dumpNote =
                    "the dump's first byte that differs from \(HexText.format(UInt64(overwrite.expected), digits: 2)) "
                    + "is at object offset \(scanned.first), the report says \(first)"
            } else if let last, scanned.last != last {
                corruption.dumpNote =
                    "the dump's last differing byte is at object offset \(scanned.last), the report's range ends "
                    + "at \(last)"
            }
        }
        explain(&corruption, report: report)
        return corruption
    }

    /// The first run of bytes that differ from what the area should hold, as object offsets.
    static func scan(_ dump: Hexdump, objectIndex: Int, area: String, overwrite: SLUBReport.Overwrite)
        -> (first: Int, last: Int, bytes: [UInt8])?
    {
        let object = dump.sections[objectIndex]
        let section: Hexdump.Section
        let base: Int
        switch area {
        case "right-redzone":
            guard objectIndex + 1 < dump.sections.count, dump.sections[objectIndex + 1].label == "Redzone" else {
                return nil
            }
            section = dump.sections[objectIndex + 1]
            base = object.count
        case "left-redzone":
            guard objectIndex > 0 else { return nil }
            section = dump.sections[objectIndex - 1]
            base = -section.count
        case "object":
            section = object
            base = 0
        default:
            guard let padding = dump.sections.last(where: { $0.label == "Padding" }) else { return nil }
            section = padding
            base = 0
        }
        let bytes = dump.bytes(of: section)
        let runs = PoisonScanner.differingRuns(bytes) { index in
            if area == "object", overwrite.expected == SlabPoison.free {
                return index == section.count - 1 ? SlabPoison.end : SlabPoison.free
            }
            return overwrite.expected
        }
        guard let run = runs.first else { return nil }
        // The kernel reports from the first bad byte to the last one of the area.
        let lastIndex = runs.last!.1
        let values = bytes[(bytes.startIndex + run.0)...(bytes.startIndex + lastIndex)].compactMap { $0 }
        return (base + run.0, base + lastIndex, values)
    }

    /// The shape of the corrupted bytes.
    static func classify(_ bytes: [UInt8], expected: UInt8) -> String {
        if bytes.count == 1, let byte = bytes.first {
            if byte == expected &- 1 { return "decrement" }
            if byte == expected &+ 1 { return "increment" }
            if (byte ^ expected).nonzeroBitCount == 1 { return "single-bit" }
        }
        let redzones: Set<UInt8> = [SlabPoison.redActive, SlabPoison.redInactive]
        if redzones.contains(expected), bytes.allSatisfy({ redzones.contains($0) && $0 != expected }) {
            return "redzone-state"
        }
        if bytes.allSatisfy({ $0 == 0 }) { return "zeros" }
        if bytes.count >= 4, bytes.allSatisfy({ (0x20...0x7e).contains($0) }) { return "ascii" }
        return "bytes"
    }

    static func explain(_ corruption: inout SLUBCorruption, report: SLUBReport) {
        let range: String = {
            guard let first = corruption.firstOffset else { return "" }
            guard let last = corruption.lastOffset, last != first else { return " at object offset \(first)" }
            return " at object offsets \(first)..\(last)"
        }()
        let count = corruption.firstOffset.flatMap { first in corruption.lastOffset.map { $0 - first + 1 } }
        let alloc = report.allocated.map { "; the object was allocated in \($0.function)" } ?? ""
        let freed = report.freed.map { " after it was freed in \($0.function)" } ?? " after it was freed"
        if corruption.pattern == "redzone-state" {
            corruption.assessment = "state-mismatch"
            corruption.explanation =
                "the red zone holds \(HexText.format(UInt64(corruption.found ?? 0), digits: 2)) where SLUB expected "
                + "\(HexText.format(UInt64(corruption.expected ?? 0), digits: 2)): the red zone marks the object "
                + "with the other state (free vs allocated), which points at a double free or a free SLUB did not "
                + "see, not at an overflow"
            return
        }
        switch corruption.area {
        case "right-redzone":
            corruption.assessment = "overflow"
            let size = corruption.objectSize.map { "the \($0)-byte object" } ?? "the object"
            var text: String
            if let first = corruption.firstOffset, let objectSize = corruption.objectSize, first >= objectSize {
                let past = (corruption.lastOffset ?? first) - objectSize + 1
                text = "a write past the end of \(size): off-by-\(past) (\(past) byte(s) into the red zone)\(range)"
            } else {
                text = "bytes written into the red zone after \(size)\(range)"
            }
            if corruption.pattern == "zeros", count == 1 { text += "; a single 0x00 is typical of a string's NUL" }
            corruption.explanation = text + alloc
        case "left-redzone":
            corruption.assessment = "underflow"
            corruption.explanation = "a write before the start of the object (into its left red zone)\(range)\(alloc)"
        case "padding":
            corruption.assessment = "overflow"
            corruption.explanation = "the slab's padding was overwritten\(range): a stray write beyond the last object"
        default:
            let bitNote =
                corruption.pattern == "single-bit" || corruption.pattern == "decrement"
                || corruption.pattern == "increment"
            if corruption.pattern == "single-bit" {
                corruption.assessment = "bit-flip"
                corruption.explanation =
                    "one byte of the freed object differs from the poison in a single bit\(range): a bit flip "
                    + "(bad RAM), or a one-bit write\(freed)"
            } else {
                corruption.assessment = "use-after-free-write"
                var text =
                    "\(count.map { "\($0) byte(s)" } ?? "bytes") of the poisoned object changed\(range)\(freed): "
                    + "a use-after-free write"
                if corruption.pattern == "decrement" {
                    text +=
                        "; a poison byte decremented by one is typical of a reference count dropped after "
                        + "the free"
                }
                if bitNote, let found = corruption.found, let expected = corruption.expected,
                    (found ^ expected).nonzeroBitCount == 1
                {
                    text += "; the single changed byte is also one bit from the poison, so a bit flip is possible"
                }
                corruption.explanation = text
            }
        }
    }
}
