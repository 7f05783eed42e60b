// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// A node list as the kernel prints one (`%*pbl`: `0`, `0-1`, `0,2-3`); `(null)` and an empty
/// list mean no constraint.
enum NodeList {
    /// The nodes of `text`, or `nil` for no constraint or an unreadable list.
    static func parse(_ text: String?) -> Set<Int>? {
        guard let text, !text.isEmpty, text != "(null)" else { return nil }
        var nodes: Set<Int> = []
        for piece in text.split(separator: ",") {
            let bounds = piece.split(separator: "-").map { Int($0) }
            if bounds.count == 1, let node = bounds[0] {
                nodes.insert(node)
            } else if bounds.count == 2, let low = bounds[0], let high = bounds[1], low <= high, high - low < 4096 {
                nodes.formUnion(low...high)
            } else {
                return nil
            }
        }
        return nodes.isEmpty ? nil : nodes
    }
}
