// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthSignatures
import Testing

@Suite("Signature pattern lint")
struct PatternLintTests {
    @Test(
        "nested unbounded quantifiers are rejected",
        arguments: [#"(a+)+"#, #"(\w*)*"#, #"^(?:\S+\s?)+$"#, #"((ab)*)+"#, #"(x+x+)+y"#, #"(?<word>\d+)*"#])
    func catastrophic(pattern: String) {
        #expect(PatternLint.catastrophicConstruct(in: pattern) != nil)
    }

    @Test(
        "patterns with a required separator or bounded repetition pass",
        arguments: [
            #"(\d+,)+"#, #"^BUG: KASAN: "#, #"order:(\d+), mode:(0x[0-9a-f]+)"#, #"(?:ab){2,4}"#, #"(?i)nfs"#,
            #"(?=foo)\w+"#, #"\[<[0-9a-f]+>\] (\w+)\+0x"#,
        ])
    func benign(pattern: String) {
        #expect(PatternLint.catastrophicConstruct(in: pattern) == nil)
    }
}
