// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The bucket id of a crash: FNV-1a (64 bits) of its normalised title, as 16 hex digits.
///
/// The title is normalised, so the id does not change with addresses, line numbers,
/// compilers or machines; FNV-1a is fixed by its definition, so it does not change with
/// ksleuth's build either.
enum CrashBucket {
    static func id(of normalizedTitle: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in normalizedTitle.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
