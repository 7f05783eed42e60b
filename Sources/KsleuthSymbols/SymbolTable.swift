// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Symbols sorted by address for `address → func+off` and indexed by name for
/// `func+off → address`, the lookup that needs no KASLR offset.
public struct SymbolTable: Sendable {
    /// The symbols, sorted by address; at one address the preferred name comes first.
    public let symbols: [Symbol]
    private let indexByName: [String: [Int]]

    /// Sorts and indexes `symbols`.
    ///
    /// - Parameter inferSizes: give each symbol of unknown size the distance to the next
    ///   symbol's address (as kallsyms does), the last one keeping 0 (unbounded).
    public init(_ symbols: [Symbol], inferSizes: Bool = true) {
        var sorted = symbols.enumerated().sorted { left, right in
            if left.element.address != right.element.address { return left.element.address < right.element.address }
            if left.element.rank != right.element.rank { return left.element.rank < right.element.rank }
            return left.offset < right.offset
        }.map(\.element)
        if inferSizes {
            var index = sorted.count - 1
            var following: UInt64?
            while index >= 0 {
                var groupStart = index
                while groupStart > 0, sorted[groupStart - 1].address == sorted[index].address { groupStart -= 1 }
                if let following {
                    for member in groupStart...index where sorted[member].size == 0 {
                        sorted[member].size = following - sorted[member].address
                    }
                }
                following = sorted[index].address
                index = groupStart - 1
            }
        }
        var byName: [String: [Int]] = [:]
        for (index, symbol) in sorted.enumerated() { byName[symbol.name, default: []].append(index) }
        self.symbols = sorted
        indexByName = byName
    }

    /// The number of symbols.
    public var count: Int { symbols.count }

    /// The symbol holding `address` and the offset into it: the last symbol at or below the
    /// address (preferring code), `nil` below the first symbol or past the end of a sized one.
    public func symbol(containing address: UInt64) -> (symbol: Symbol, offset: UInt64)? {
        var low = 0
        var high = symbols.count
        while low < high {
            let middle = (low + high) / 2
            if symbols[middle].address <= address { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        var index = low - 1
        let start = symbols[index].address
        while index > 0, symbols[index - 1].address == start { index -= 1 }
        while index < symbols.count, symbols[index].address == start {
            let symbol = symbols[index]
            if symbol.size == 0 || address - start < symbol.size { return (symbol, address - start) }
            index += 1
        }
        return nil
    }

    /// Every symbol named `name`, by address.
    public func symbols(named name: String) -> [Symbol] {
        (indexByName[name] ?? []).map { symbols[$0] }
    }

    /// The symbol a `name+0xoffset/0xsize` frame means: among the symbols of that name (there
    /// can be several static functions), the one whose size matches, else the first code symbol
    /// the frame fits (the offset within it, and the printed size, kallsyms' distance to the
    /// next symbol, not shorter than it), else the first code symbol large enough for the
    /// offset, else the first (faddr2line's rule).
    public func resolve(name: String, offset: UInt64, size: UInt64?) -> Symbol? {
        let candidates = symbols(named: name)
        if let size, let exact = candidates.first(where: { $0.size == size && $0.isText }) { return exact }
        if let size, let exact = candidates.first(where: { $0.size == size }) { return exact }
        if let size, candidates.count > 1,
            let fits = candidates.first(where: { $0.isText && offset <= $0.size && $0.size <= size })
        {
            return fits
        }
        if let fits = candidates.first(where: { $0.isText && ($0.size == 0 || offset <= $0.size) }) { return fits }
        return candidates.first
    }
}
