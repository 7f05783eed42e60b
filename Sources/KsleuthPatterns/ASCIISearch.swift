// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

extension StringProtocol {
    /// Whether the UTF-8 bytes of `needle` occur in this text: a byte comparison, without the
    /// Unicode-aware matching of `contains(_:)`, for the fixed ASCII words of kernel lines
    /// (`" invoked oom-killer: "`, `"Sending NMI from CPU"`) that many lines are tested for.
    public func containsASCII(_ needle: StaticString) -> Bool {
        containsBytes(UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount))
    }

    /// Whether the UTF-8 bytes of `needle` occur in this text, compared byte by byte.
    public func containsASCII(_ needle: String) -> Bool {
        var needle = needle
        return needle.withUTF8 { containsBytes($0) }
    }

    /// Whether the text starts with the UTF-8 bytes of `prefix`.
    public func hasASCIIPrefix(_ prefix: StaticString) -> Bool {
        utf8.starts(with: UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
    }

    private func containsBytes(_ pattern: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = pattern.first else { return true }
        let found = utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard bytes.count >= pattern.count else { return false }
            var index = 0
            let last = bytes.count - pattern.count
            while index <= last {
                if bytes[index] == first {
                    var offset = 1
                    while offset < pattern.count, bytes[index + offset] == pattern[offset] { offset += 1 }
                    if offset == pattern.count { return true }
                }
                index += 1
            }
            return false
        }
        return found
            ?? Array(utf8).withUnsafeBufferPointer { bytes in
                bytes.count >= pattern.count
                    && (0...(bytes.count - pattern.count)).contains { start in
                        (0..<pattern.count).allSatisfy { bytes[start + $0] == pattern[$0] }
                    }
            }
    }
}
