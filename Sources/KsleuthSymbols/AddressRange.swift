// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A half-open range of addresses `[low, high)`.
public struct AddressRange: Sendable, Hashable {
    public var low: UInt64
    public var high: UInt64

    public init(low: UInt64, high: UInt64) {
        self.low = low
        self.high = high
    }

    /// Whether `address` lies in the range.
    @inline(__always)
    public func contains(_ address: UInt64) -> Bool { address >= low && address < high }
}
