// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The line check_slabp prints before its hexdump (mm/slab.c 2.6.32):
/// `slab: Internal list corruption detected in cache '<name>'(<num>), slabp <ptr>(<inuse>). Hexdump:`.
public struct ClassicSlabHeader: Sendable, Hashable {
    public var cache: String
    public var objectsPerSlab: Int
    public var slabAddress: UInt64?
    public var inuse: Int?
    /// The 1-based line it was on.
    public var line: Int

    static let pattern = LinePattern(
        #"slab: Internal list corruption detected in cache '([^']*)'\((\d+)\), slabp ([0-9a-fx]+)\((\d+)\)"#)

    /// The header in `lines`, if there is one.
    public static func find(in lines: [(number: Int, text: String)]) -> ClassicSlabHeader? {
        for line in lines {
            guard line.text.contains("Internal list corruption"), let groups = pattern.captures(line.text),
                let cache = groups[0], let num = pattern.integer(groups, 1)
            else { continue }
            return ClassicSlabHeader(
                cache: cache, objectsPerSlab: num, slabAddress: pattern.hex(groups, 2),
                inuse: pattern.integer(groups, 3), line: line.number)
        }
        return nil
    }
}
