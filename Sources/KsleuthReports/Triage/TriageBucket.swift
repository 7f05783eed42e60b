// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The bucket of an incident that has no crash identity: a stable hash of its normalised title.
///
/// Used until the crash-identity analysis names an incident. Numbers, addresses and offsets
/// are replaced before hashing, so the same report on another boot, build or machine lands in
/// the same bucket: `BUG: soft lockup - CPU#5 stuck for 13s! [bash:5910]` and
/// `BUG: soft lockup - CPU#2 stuck for 22s! [bash:77]` share one.
public enum TriageBucket {
    /// The 16-hex-digit FNV-1a 64 hash of `normalized(title)`.
    public static func fallback(forTitle title: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in normalized(title).utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// `title` with every number replaced: `0x…` and hex runs holding a digit (8 or more
    /// characters long) by `X`, other digit runs by `N`; whitespace runs by one space.
    public static func normalized(_ title: String) -> String {
        let scalars = Array(title.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        var pendingSpace = false
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
                index += 1
                continue
            }
            if pendingSpace {
                result.append(" ")
                pendingSpace = false
            }
            let previousIsWord = index > 0 && isWordCharacter(scalars[index - 1])
            if !previousIsWord, let end = hexNumberEnd(scalars, from: index) {
                result.append("X")
                index = end
            } else if isDigit(scalar) {
                result.append("N")
                while index < scalars.count, isDigit(scalars[index]) { index += 1 }
            } else {
                result.append(scalar)
                index += 1
            }
        }
        return String(result)
    }

    /// Where a hex number starting at `start` ends: `0x` followed by hex digits, or a run of
    /// at least 8 hex digits holding a digit and ending at a word boundary.
    private static func hexNumberEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        if scalars[start] == "0", start + 2 < scalars.count, scalars[start + 1] == "x" || scalars[start + 1] == "X",
            isHexDigit(scalars[start + 2])
        {
            var end = start + 2
            while end < scalars.count, isHexDigit(scalars[end]) { end += 1 }
            return end
        }
        var end = start
        var sawDigit = false
        while end < scalars.count, isHexDigit(scalars[end]) {
            sawDigit = sawDigit || isDigit(scalars[end])
            end += 1
        }
        guard end - start >= 8, sawDigit, end == scalars.count || !isWordCharacter(scalars[end]) else { return nil }
        return end
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private static func isHexDigit(_ scalar: Unicode.Scalar) -> Bool {
        isDigit(scalar) || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar)
    }

    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isHexDigit(scalar) || ("g"..."z").contains(scalar) || ("G"..."Z").contains(scalar) || scalar == "_"
    }
}
