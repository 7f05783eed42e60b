// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthSymbols
import Testing

@Suite struct SymbolTableTests {
    @Test func lookupByAddressPrefersGlobalCode() {
        let table = SymbolTable([
            Symbol(name: "b_local", address: 0x1000, type: "t"),
            Symbol(name: "a_global", address: 0x1000, type: "T"),
            Symbol(name: "next", address: 0x1040, type: "T"),
        ])
        let found = table.symbol(containing: 0x1010)
        #expect(found?.symbol.name == "a_global")
        #expect(found?.offset == 0x10)
        #expect(found?.symbol.size == 0x40)
        #expect(table.symbol(containing: 0xfff) == nil)
    }
}
