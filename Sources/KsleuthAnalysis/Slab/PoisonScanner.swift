// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Finds slab poison and red-zone bytes where live data belongs, and live data where poison belongs.
public enum PoisonScanner {
    /// Fields of a decoded descriptor made entirely of one poison byte.
    public static func poisonedFields(_ decoded: DecodedStruct) -> [SlabAnomaly] {
        var result: [SlabAnomaly] = []
        for field in decoded.fields where field.kind != .padding && field.raw.count >= 2 {
            guard let first = field.raw.first ?? nil, field.raw.allSatisfy({ $0 == first }),
                let name = SlabPoison.name(of: first)
            else { continue }
            result.append(
                SlabAnomaly(
                    code: "poison-in-live-field", severity: .error, field: field.name,
                    explanation:
                        "\(field.name) is all \(name): the descriptor lies in memory the allocator poisoned "
                        + "(freed or never initialised), not live management data"))
        }
        return result
    }

    /// Runs of bytes in `bytes` that differ from `expected`, as (first, last) index pairs.
    public static func differingRuns(_ bytes: ArraySlice<UInt8?>, expected: (Int) -> UInt8?) -> [(Int, Int)] {
        var runs: [(Int, Int)] = []
        var start: Int?
        for (index, byte) in zip(bytes.indices, bytes) {
            let wanted = expected(index - bytes.startIndex)
            let differs = byte != nil && wanted != nil && byte != wanted
            if differs, start == nil { start = index - bytes.startIndex }
            if !differs, let begun = start {
                runs.append((begun, index - bytes.startIndex - 1))
                start = nil
            }
        }
        if let begun = start { runs.append((begun, bytes.count - 1)) }
        return runs
    }

    /// How many bytes of `bytes` are `byte`.
    public static func count(of byte: UInt8, in bytes: ArraySlice<UInt8?>) -> Int {
        bytes.reduce(0) { $0 + ($1 == byte ? 1 : 0) }
    }
}
