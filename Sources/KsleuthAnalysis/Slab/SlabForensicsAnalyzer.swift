// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// Decodes the hexdumps of slab, KASAN, KFENCE, bad-page, list-corruption and oops reports,
/// names what is wrong in them, and classifies every address the report prints.
///
/// Adds `details.hexdumps` (every dump, with `decoded` fields where a layout applies),
/// `details.slab` (allocator, cache, layout, decoded descriptor, corruption, KASAN/KFENCE
/// access, anomalies), `details.addresses` (`{value, class, note, source}`) and
/// `details.address_layout`. The layout is chosen from the BUG's file, the architecture the
/// registers show and the release the CPU line names.
public struct SlabForensicsAnalyzer: IncidentAnalyzer {
    public var kinds: Set<IncidentKind>? {
        [.slabCorruption, .bug, .kasan, .kfence, .badPage, .listCorruption, .oops, .generalProtectionFault]
    }

    public init() {}

    public func analyze(_ incident: inout Incident) {
        let lines = incident.lines.map { (number: $0.number, text: $0.text) }
        let texts = incident.lines.map(\.text)
        let context = LogContext(incident: incident)
        let found = AddressExtractor.extract(lines)
        var dumps = HexdumpAssembler().dumps(in: lines).filter(Self.isReported)
        Self.noteCut(&dumps, of: incident)
        let wide = found.contains { $0.value > 0xffff_ffff } || dumps.contains { $0.form == .raw && $0.groupSize == 8 }
        let architecture = context.architecture ?? (wide ? .amd64 : .arm32)
        let classifier = AddressClassifier(
            architecture: architecture, version: context.version, vaBits: context.vaBits)
        let decoder = StructDecoder(wordSize: architecture.wordSize, classifier: classifier)
        var dumpDetails = dumps.map(\.detail)
        var slab = Details()
        var anomalies: [SlabAnomaly] = []

        if let report = SLUBReportParser.parse(texts) {
            slab = Self.slubDetails(report, dumps: dumps, anomalies: &anomalies)
        } else if incident.kind == .kasan, let report = KASANReportParser.parse(texts, version: context.version) {
            slab["allocator"] = .string("kasan")
            slab["kasan"] = report.detail
            anomalies += Self.kasanChecks(report)
        } else if incident.kind == .kfence, let report = KFENCEReportParser.parse(texts) {
            slab["allocator"] = .string("kfence")
            slab["kfence"] = .object(report)
        } else if Self.isClassicSlab(incident, lines: lines) {
            slab = classicSlab(
                incident, lines: lines, dumps: dumps, dumpDetails: &dumpDetails, context: context,
                decoder: decoder, anomalies: &anomalies)
        }
        for (index, dump) in dumps.enumerated() where dump.form == .raw && incident.kind == .badPage {
            let page = decoder.decode(dump.bytes, as: .dumpPage)
            dumpDetails[index]["decoded"] = page.detail
            anomalies += Self.pageChecks(page)
        }
        if !dumpDetails.isEmpty { incident.details["hexdumps"] = .list(dumpDetails.map { .object($0) }) }
        if !anomalies.isEmpty { slab["anomalies"] = .list(anomalies.map(\.detail)) }
        if !slab.isEmpty { incident.details["slab"] = .object(slab) }
        if !found.isEmpty {
            let armBug =
                architecture == .arm32 && texts.contains { $0.contains("(__bug+") || $0.contains("__bug from") }
            incident.details["addresses"] = .list(
                found.map { entry in
                    var classification = classifier.classify(entry.value)
                    if armBug, entry.source == "fault", entry.value == 0 {
                        classification.description =
                            "NULL: written on purpose by arm's BUG() (__bug stores to address 0 after printing "
                            + "'kernel BUG at'), not a separate NULL dereference"
                    }
                    return classification.detail(source: entry.source, wordSize: architecture.wordSize)
                })
            incident.details["address_layout"] = .string(classifier.layout.name)
        }
    }

    /// Names, on a dump that runs to the last line of a report cut at its cap, that the rows
    /// after it were not read: a 1 GB dump gives the rows that fit in one report, and says so.
    static func noteCut(_ dumps: inout [Hexdump], of incident: Incident) {
        guard incident.isTruncated, let last = incident.lines.last?.number else { return }
        for index in dumps.indices where dumps[index].lastLine == last {
            dumps[index].isCut = true
            dumps[index].problems.append(
                "the report was cut after line \(last) (\(incident.truncationReason ?? "its cap")): the dump may go "
                    + "on, and its rows after that line were not decoded")
        }
    }

    /// Dumps worth reporting: not the arm stack's word dumps or a lone wrapped tail.
    static func isReported(_ dump: Hexdump) -> Bool {
        switch dump.form {
        case .bare: false
        case .offset, .address: dump.groupSize == 1 || dump.label != nil
        default: true
        }
    }

    /// Whether the incident is a classic SLAB (mm/slab.c) report.
    static func isClassicSlab(_ incident: Incident, lines: [(number: Int, text: String)]) -> Bool {
        if case .string(let file)? = incident.details["source_file"], file == "mm/slab.c" { return true }
        return lines.contains { line in
            line.text.contains("Internal list corruption") || line.text.hasPrefix("Slab corruption")
                || line.text.hasPrefix("slab error in ")
        }
    }

    /// What the BUG_ON at a mm/slab.c caller asserts (2.6.32 mm/slab.c).
    static let slabChecks: [(function: String, check: String)] = [
        (
            "cache_alloc_refill",
            "BUG_ON(slabp->inuse >= cachep->num): a full slab was found on slabs_partial or slabs_free"
        ),
        ("____cache_alloc_node", "BUG_ON(slabp->inuse == cachep->num): a full slab on the node's partial/free list"),
        ("cache_free_debugcheck", "a kfree of a pointer that is not an object of this cache (objnr >= num)"),
        ("check_slabp", "check_slabp: the slab's free list is inconsistent with inuse and num"),
        ("free_block", "free_block: an object freed into a slab that does not hold it, or a double free"),
    ]

    func classicSlab(
        _ incident: Incident, lines: [(number: Int, text: String)], dumps: [Hexdump], dumpDetails: inout [Details],
        context: LogContext, decoder: StructDecoder, anomalies: inout [SlabAnomaly]
    ) -> Details {
        var slab = Details()
        slab["allocator"] = .string("slab")
        let header = ClassicSlabHeader.find(in: lines)
        if let header {
            slab["cache"] = .string(header.cache)
            slab["objects_per_slab"] = .integer(Int64(header.objectsPerSlab))
            if let address = header.slabAddress { slab["slab_address"] = .string(HexText.format(address)) }
        }
        if let check = Self.slabChecks.first(where: { entry in lines.contains { $0.text.contains(entry.function) } }) {
            slab["check"] = .string(check.check)
        }
        if let version = context.version, version >= KernelVersion(3, 13) {
            slab["layout"] = .string(SlabLayout.slabFreelist8.name)
            slab["layout_reason"] = .string(
                "mm/slab.c in \(version): the descriptor lives in struct page (freelist index array)")
            return slab
        }
        let poisonCheck = lines.contains { $0.text.hasPrefix("Slab corruption") }
        let candidates = dumps.enumerated().filter { $0.element.form == .offset && $0.element.groupSize == 1 }
        let chosen = candidates.first { entry in header.map { (entry.element.firstLine ?? 0) > $0.line } ?? true }
        if poisonCheck {
            slab["layout"] = .string("object")
            slab["layout_reason"] = .string("SLAB's poison check dumps the object body, not the descriptor")
            if let chosen { anomalies += Self.poisonObjectChecks(chosen.element) }
            return slab
        }
        slab["layout"] = .string(SlabLayout.classicSlab.name)
        slab["layout_reason"] = .string(
            context.version.map { "mm/slab.c in \($0) (before 3.13): struct slab with bufctl[]" }
                ?? "mm/slab.c, offset rows of check_slabp: struct slab with bufctl[] (2.6 - 3.12)")
        guard let chosen else { return slab }
        let wordSize = decoder.wordSize
        var num = header?.objectsPerSlab
        let fixed = SlabLayout.classicSlab.size(wordSize: wordSize)
        if num == nil, chosen.element.bytes.count > fixed, (chosen.element.bytes.count - fixed) % 4 == 0 {
            num = (chosen.element.bytes.count - fixed) / 4
            slab["objects_per_slab"] = .integer(Int64(num!))
            anomalies.append(
                SlabAnomaly(
                    code: "num-derived", severity: .note, field: "bufctl",
                    explanation:
                        "num = \(num!) derived from the dump's length: check_slabp prints sizeof(struct slab) "
                        + "(\(fixed)) + num * 4 bytes"))
        }
        let decoded = decoder.decode(chosen.element.bytes, as: .classicSlab, elements: num)
        slab["decoded"] = decoded.detail
        dumpDetails[chosen.offset]["decoded"] = .string(SlabLayout.classicSlab.name)
        anomalies += ClassicSlabRules(objectsPerSlab: num, slabAddress: header?.slabAddress).check(decoded)
        return slab
    }

    /// SLAB's poison check dump (`Slab corruption: … start=…, len=…` + `000: …` rows).
    static func poisonObjectChecks(_ dump: Hexdump) -> [SlabAnomaly] {
        let bytes = dump.bytes[...]
        let runs = PoisonScanner.differingRuns(bytes) { index in
            index == bytes.count - 1 ? SlabPoison.end : SlabPoison.free
        }
        guard let first = runs.first, let last = runs.last else { return [] }
        let changed = runs.reduce(0) { $0 + $1.1 - $1.0 + 1 }
        var text =
            "\(changed) byte(s) of the freed object differ from POISON_FREE (offsets \(first.0)..\(last.1)): "
            + "written after the free"
        if changed == 1, let byte = bytes[first.0], (byte ^ SlabPoison.free).nonzeroBitCount == 1 {
            text += "; a single bit differs, the case SLAB itself reports as 'Single bit error detected'"
        } else if PoisonScanner.count(of: 0, in: bytes) == bytes.count {
            text += "; the whole object is zero, as after a memset or re-initialisation of a freed object"
        }
        return [SlabAnomaly(code: "poison-overwritten", severity: .error, field: "object", explanation: text)]
    }

    static func slubDetails(_ report: SLUBReport, dumps: [Hexdump], anomalies: inout [SlabAnomaly]) -> Details {
        var slab = Details()
        slab["allocator"] = .string("slub")
        slab["cache"] = .string(report.cache)
        slab["problem"] = .string(report.problem)
        if let address = report.objectAddress { slab["object_address"] = .string(HexText.format(address)) }
        if let offset = report.objectSlabOffset { slab["object_slab_offset"] = .integer(Int64(offset)) }
        if let objects = report.slabObjects { slab["slab_objects"] = .integer(Int64(objects)) }
        if let used = report.slabUsed { slab["slab_used"] = .integer(Int64(used)) }
        if report.addressesHashed { slab["addresses_hashed"] = .bool(true) }
        let dump = dumps.first { $0.form == .labelled }
        if let corruption = SLUBCorruptionAssessor.assess(report, dump: dump) {
            slab["corruption"] = corruption.detail
        }
        for (key, track) in [("allocated", report.allocated), ("freed", report.freed)] {
            guard let track else { continue }
            var entry = Details()
            entry["function"] = .string(track.function)
            if let age = track.ageJiffies { entry["age_jiffies"] = .integer(Int64(age)) }
            if let cpu = track.cpu { entry["cpu"] = .integer(Int64(cpu)) }
            if let pid = track.pid { entry["pid"] = .integer(Int64(pid)) }
            if !track.stack.isEmpty { entry["stack"] = .list(track.stack.map { .string($0) }) }
            slab[key] = .object(entry)
        }
        if let objects = report.slabObjects, let used = report.slabUsed, used > objects {
            anomalies.append(
                SlabAnomaly(
                    code: "inuse-above-objects", severity: .error, field: "counters",
                    explanation: "used = \(used) exceeds objects = \(objects)"))
        }
        if let alloc = report.allocated?.ageJiffies, let free = report.freed?.ageJiffies, free > alloc {
            anomalies.append(
                SlabAnomaly(
                    code: "free-older-than-alloc", severity: .note, field: "track",
                    explanation:
                        "the free track (age \(free)) is older than the allocation track (age \(alloc)): the object "
                        + "was reallocated after that free; the free record is stale"))
        }
        return slab
    }

    static func kasanChecks(_ report: KASANReport) -> [SlabAnomaly] {
        var result: [SlabAnomaly] = []
        if let offset = report.offset, let stated = report.statedDistance, let relation = report.statedRelation {
            let size = report.objectSize ?? 0
            let expected: Int =
                switch relation {
                case "inside": offset
                case "to the left": -offset
                default: offset - size
                }
            if expected != stated {
                result.append(
                    SlabAnomaly(
                        code: "kasan-offset-mismatch", severity: .warning, field: "offset",
                        explanation:
                            "the addresses give offset \(offset), but the report says \(stated) bytes \(relation)"))
            }
        }
        if let shadow = report.shadowBugType, shadow != report.bugType, shadow != "unknown-crash",
            !(report.bugType.hasSuffix(shadow) || shadow.hasSuffix(report.bugType))
        {
            result.append(
                SlabAnomaly(
                    code: "kasan-shadow-disagrees", severity: .note, field: "shadow",
                    explanation:
                        "the shadow byte under the marker gives \(shadow), the report says \(report.bugType)"))
        }
        return result
    }

    /// Checks over a decoded `struct page` of a bad-page report.
    static func pageChecks(_ page: DecodedStruct) -> [SlabAnomaly] {
        var result: [SlabAnomaly] = []
        if let mapcount = page.value("_mapcount"), mapcount != 0xffff_ffff {
            result.append(
                SlabAnomaly(
                    code: "page-mapcount", severity: .warning, field: "_mapcount",
                    explanation:
                        "_mapcount = \(Int32(bitPattern: UInt32(truncatingIfNeeded: mapcount))): a page being freed "
                        + "should be unmapped (-1)"))
        }
        if let mapping = page.value("mapping"), mapping != 0, mapping & 1 == 0, let field = page["mapping"],
            let address = field.address, !address.region.isKernelData
        {
            result.append(
                SlabAnomaly(
                    code: "pointer-invalid", severity: .error, field: "mapping",
                    explanation: "mapping = \(HexText.format(mapping)) is not a kernel address (\(address.description))"
                ))
        }
        return result
    }
}
