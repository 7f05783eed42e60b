// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A kernel release's version numbers, read from the release string a log prints
/// (`2.6.32-5-amd64`, `4.19.0-16-amd64`, `6.1.0-18-amd64`, `3.6.0-rc7-guest`).
public struct KernelVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var major: Int
    public var minor: Int
    public var patch: Int

    public init(_ major: Int, _ minor: Int, _ patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Reads the leading `major.minor[.patch]` of `release`.
    public init?(release: String) {
        var numbers: [Int] = []
        var current = ""
        for character in release {
            if character.isASCII, character.isNumber {
                current.append(character)
            } else {
                guard !current.isEmpty, let value = Int(current) else { break }
                numbers.append(value)
                current = ""
                if character != "." || numbers.count == 3 { break }
            }
        }
        if !current.isEmpty, numbers.count < 3, let value = Int(current) { numbers.append(value) }
        // 2.6.x releases carry the real series in the third number.
        guard numbers.count >= 2, (2...9).contains(numbers[0]) else { return nil }
        self.init(numbers[0], numbers[1], numbers.count > 2 ? numbers[2] : 0)
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    public static func < (left: KernelVersion, right: KernelVersion) -> Bool {
        (left.major, left.minor, left.patch) < (right.major, right.minor, right.patch)
    }
}
