// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Whether a bad value is one bit away from a value that would have been legal: the signature
/// of a hardware bit flip (SLAB's own poison check calls this "Single bit error detected").
public enum BitFlip {
    /// The legal value `value` differs from in exactly one bit, and that bit's number.
    public static func nearest(_ value: UInt64, among legal: [UInt64]) -> (legal: UInt64, bit: Int)? {
        for candidate in legal {
            let difference = value ^ candidate
            if difference != 0, difference & (difference - 1) == 0 {
                return (candidate, difference.trailingZeroBitCount)
            }
        }
        return nil
    }

    /// The number of bits in which `left` and `right` differ.
    public static func distance(_ left: UInt64, _ right: UInt64) -> Int { (left ^ right).nonzeroBitCount }
}
