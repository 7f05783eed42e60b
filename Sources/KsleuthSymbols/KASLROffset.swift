// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// How far the running kernel was moved from its link-time addresses (`runtime = link +
/// offset`), and how that was learnt.
public struct KASLROffset: Sendable, Hashable {
    /// Where the offset comes from.
    public enum Source: String, Sendable {
        /// The panic's `Kernel Offset: 0x… from 0x…` line.
        case kernelOffsetLine = "kernel-offset-line"
        /// `Kernel Offset: disabled`.
        case disabled
        /// Solved from frames that print both a raw address and `func+0xoff`.
        case frames
    }

    /// The offset, to subtract from runtime addresses.
    public var offset: UInt64
    public var source: Source
    /// For ``Source/frames``: how many frames agree, and how many were looked at.
    public var agreeing: Int
    public var considered: Int

    public init(offset: UInt64, source: Source, agreeing: Int = 0, considered: Int = 0) {
        self.offset = offset
        self.source = source
        self.agreeing = agreeing
        self.considered = considered
    }

    /// The offset a `Kernel Offset:` line states, `nil` when `line` is not one.
    public static func parse(line: some StringProtocol) -> KASLROffset? {
        guard let marker = line.firstRange(of: "Kernel Offset: ") else { return nil }
        let rest = line[marker.upperBound...]
        if rest.hasPrefix("disabled") { return KASLROffset(offset: 0, source: .disabled) }
        guard rest.hasPrefix("0x") else { return nil }
        let digits = rest.dropFirst(2).prefix { $0.isHexDigit }
        guard !digits.isEmpty, digits.count <= 16, let value = UInt64(digits, radix: 16) else { return nil }
        return KASLROffset(offset: value, source: .kernelOffsetLine)
    }

    /// The offset most pairs of `(runtime, link)` addresses agree on, `nil` without pairs or
    /// when no offset has a strict majority.
    public static func solve(pairs: [(runtime: UInt64, link: UInt64)]) -> KASLROffset? {
        guard !pairs.isEmpty else { return nil }
        var votes: [UInt64: Int] = [:]
        for pair in pairs { votes[pair.runtime &- pair.link, default: 0] += 1 }
        guard let best = votes.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }),
            best.value * 2 > pairs.count
        else { return nil }
        return KASLROffset(offset: best.key, source: .frames, agreeing: best.value, considered: pairs.count)
    }
}
