// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The checks over a decoded 2.6 - 3.12 `struct slab` and its `bufctl[]` links.
///
/// The mechanics are those of mm/slab.c (2.6.32.69): `slab_get_obj` takes object `free` and
/// sets `free = bufctl[free]`; cache_alloc_refill asserts `inuse < num` and files a slab on
/// slabs_full only when `free == BUFCTL_END`; check_slabp walks the free list.
public struct ClassicSlabRules: Sendable {
    /// Objects per slab, from `cache '<name>'(<num>)` or derived from the dump's length.
    public var objectsPerSlab: Int?
    /// The descriptor's own address, from `slabp <ptr>(<inuse>)`.
    public var slabAddress: UInt64?
    /// Page size for the on-slab check.
    public var pageSize: UInt64

    public init(objectsPerSlab: Int? = nil, slabAddress: UInt64? = nil, pageSize: UInt64 = 4096) {
        self.objectsPerSlab = objectsPerSlab
        self.slabAddress = slabAddress
        self.pageSize = pageSize
    }

    /// Everything wrong or worth saying about `slab`.
    public func check(_ slab: DecodedStruct) -> [SlabAnomaly] {
        var result: [SlabAnomaly] = []
        let num = objectsPerSlab
        let bufctls = slab.elements("bufctl")
        result += listPointers(slab)
        result += placement(slab)
        if let free = slab.value("free") { result += freeValue(free, num: num, inuse: slab.value("inuse")) }
        if let inuse = slab.value("inuse"), let num {
            if inuse > UInt64(num) {
                result.append(
                    SlabAnomaly(
                        code: "inuse-above-num", severity: .error, field: "inuse",
                        explanation:
                            "inuse = \(inuse) exceeds num = \(num) objects per slab: the counter is corrupt "
                            + "(cache_alloc_refill's BUG_ON(slabp->inuse >= cachep->num) fires on it)"))
            } else if inuse == UInt64(num), let free = slab.value("free"), free != SlabLayout.bufctlEnd {
                result.append(
                    SlabAnomaly(
                        code: "full-slab-on-partial-list", severity: .error, field: "free",
                        explanation:
                            "inuse = num = \(num): the slab is full, so free should be BUFCTL_END; because it is "
                            + "\(HexText.format(free)), cache_alloc_refill filed the slab on slabs_partial and the "
                            + "next refill took it and hit BUG_ON(slabp->inuse >= cachep->num)"))
            } else if inuse == UInt64(num) {
                result.append(
                    SlabAnomaly(
                        code: "inuse-not-below-num", severity: .warning, field: "inuse",
                        explanation:
                            "inuse = num = \(num): a full slab; found on slabs_partial/slabs_free it triggers "
                            + "BUG_ON(slabp->inuse >= cachep->num), so its list links were corrupted"))
            }
        }
        result += bufctlValues(bufctls, num: num, free: slab.value("free"))
        if let nodeid = slab.value("nodeid"), nodeid > 1024 {
            result.append(
                SlabAnomaly(
                    code: "nodeid-implausible", severity: .warning, field: "nodeid",
                    explanation: "nodeid = \(nodeid) is not a plausible NUMA node"))
        }
        if let padding = slab["padding"], padding.raw.contains(where: { ($0 ?? 0) != 0 }) {
            result.append(
                SlabAnomaly(
                    code: "stale-padding", severity: .note, field: "padding",
                    explanation:
                        "padding bytes \(HexText.bytes(padding.raw)) are never written by SLAB: stale data from the "
                        + "page's earlier use, not significant"))
        }
        result += PoisonScanner.poisonedFields(slab)
        return result
    }

    func listPointers(_ slab: DecodedStruct) -> [SlabAnomaly] {
        var result: [SlabAnomaly] = []
        for name in ["list.next", "list.prev", "s_mem"] {
            guard let field = slab[name], let value = field.value, let address = field.address else { continue }
            if address.region == .listPoison {
                result.append(
                    SlabAnomaly(
                        code: "list-poison", severity: .error, field: name,
                        explanation: "\(name) = \(HexText.format(value)) is \(address.description)"))
            } else if !address.region.isKernelData {
                result.append(
                    SlabAnomaly(
                        code: "pointer-invalid", severity: .error, field: name,
                        explanation:
                            "\(name) = \(HexText.format(value)) is not a kernel data address "
                            + "(\(address.region.rawValue): \(address.description))"))
            }
        }
        return result
    }

    func placement(_ slab: DecodedStruct) -> [SlabAnomaly] {
        guard let memory = slab.value("s_mem"), let colour = slab.value("colouroff"), memory >= colour else {
            return []
        }
        if colour >= pageSize * 32 {
            return [
                SlabAnomaly(
                    code: "colouroff-implausible", severity: .warning, field: "colouroff",
                    explanation: "colouroff = \(HexText.format(colour)) is larger than any slab")
            ]
        }
        let header = memory - colour
        guard header % pageSize == 0 else { return [] }
        var text =
            "s_mem - colouroff = \(HexText.format(header)) is page aligned: an on-slab descriptor at the page start"
        if let slabAddress {
            text += slabAddress == header ? ", matching slabp" : ", but slabp is \(HexText.format(slabAddress))"
        }
        return [SlabAnomaly(code: "on-slab-layout", severity: .note, field: "s_mem", explanation: text)]
    }

    func freeValue(_ free: UInt64, num: Int?, inuse: UInt64?) -> [SlabAnomaly] {
        if free == SlabLayout.bufctlEnd {
            if let num, let inuse, inuse < UInt64(num) {
                return [
                    SlabAnomaly(
                        code: "free-list-short", severity: .warning, field: "free",
                        explanation:
                            "free = BUFCTL_END says the slab is full, but inuse = \(inuse) < num = \(num)")
                ]
            }
            return []
        }
        if let num, free < UInt64(num) { return [] }
        if num == nil, free < SlabLayout.slabLimit, free < 4096 { return [] }
        var result = [
            SlabAnomaly(
                code: "bufctl-invalid", severity: .error, field: "free",
                explanation:
                    "free = \(HexText.format(free)) is not a valid object index"
                    + (num.map { " (< \($0))" } ?? "") + ", not BUFCTL_END (0xffffffff) and not BUFCTL_FREE "
                    + "(0xfffffffe); index_to_obj() would compute a wild object address from it")
        ]
        if let flip = flipAnomaly(free, field: "free", num: num) { result.append(flip) }
        return result
    }

    func bufctlValues(_ bufctls: [DecodedStruct.Field], num: Int?, free: UInt64?) -> [SlabAnomaly] {
        var result: [SlabAnomaly] = []
        let allocatedMarks = bufctls.filter { $0.value == SlabLayout.bufctlFree }.count
        for field in bufctls {
            guard let value = field.value else { continue }
            let legalSpecial = SlabLayout.bufctlNames.contains { $0.value == value }
            if legalSpecial { continue }
            if let num, value < UInt64(num) { continue }
            if num == nil, value < 4096 { continue }
            result.append(
                SlabAnomaly(
                    code: "bufctl-invalid", severity: .error, field: field.name,
                    explanation:
                        "\(field.name) = \(HexText.format(value)) is not a valid object index, BUFCTL_END or "
                        + "BUFCTL_FREE"))
            if let flip = flipAnomaly(value, field: field.name, num: num) { result.append(flip) }
            if let free, free == value {
                let index = field.name.dropFirst("bufctl[".count).dropLast()
                result.append(
                    SlabAnomaly(
                        code: "corruption-propagated", severity: .note, field: "free",
                        explanation:
                            "free holds the same bad value as \(field.name): slab_get_obj set free = "
                            + "bufctl[\(index)] when it allocated object \(index), so the damage was first in "
                            + "\(field.name) and reached the header through the free list"))
            }
        }
        if allocatedMarks > 0 {
            result.append(
                SlabAnomaly(
                    code: "debug-allocated-marks", severity: .note, field: "bufctl",
                    explanation:
                        "\(allocatedMarks) bufctl entries hold BUFCTL_FREE, which DEBUG builds write for allocated "
                        + "objects"))
        }
        return result
    }

    /// The bit-flip finding for a bad free-list value, if it is one bit from a legal one.
    func flipAnomaly(_ value: UInt64, field: String, num: Int?) -> SlabAnomaly? {
        let legal = SlabLayout.bufctlNames.map(\.value) + (0..<UInt64(min(num ?? 0, 4096)))
        guard let flip = BitFlip.nearest(value, among: legal) else { return nil }
        let name = SlabLayout.bufctlNames.first { $0.value == flip.legal }?.name ?? "index \(flip.legal)"
        let direction = value & (1 << UInt64(flip.bit)) == 0 ? "cleared" : "set"
        var text =
            "\(HexText.format(value)) is \(name) (\(HexText.format(flip.legal))) with bit \(flip.bit) \(direction): "
            + "a single-bit difference from a legal value, the signature of a bit flip (bad RAM; look for MCE/EDAC "
            + "reports and other single-bit corruption)"
        if flip.legal == SlabLayout.bufctlEnd {
            text += "; it also equals ~\(HexText.format(1 << UInt64(flip.bit))), so a wild write cannot be excluded"
        }
        return SlabAnomaly(code: "bit-flip", severity: .warning, field: field, explanation: text)
    }
}
