// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

/// Explains page allocation failures and show_mem dumps: decodes the GFP mask for the era,
/// replays the allocator's checks on every zone of the dump, and gives a verdict with its
/// numbers (`docs/json-output.md`, "Allocation failure and memory dump details").
///
/// The flat facts ``FactExtractor`` sets (`task_comm`, `order`, `gfp_mask`, `gfp_flags`) stay.
public struct AllocationFailureAnalyzer: IncidentAnalyzer {
    public var kinds: Set<IncidentKind>? { [.pageAllocationFailure, .memoryDump] }

    public init() {}

    /// Adds the findings to `incident`.
    public func analyze(_ incident: inout Incident) {
        let report = OOMReport(lines: WrappedDumpLines.join(incident.lines))
        if incident.kind == .memoryDump {
            analyzeDump(report, &incident)
        } else {
            analyzeFailure(report, &incident)
        }
    }

    private func analyzeFailure(_ report: OOMReport, _ incident: inout Incident) {
        let texts = incident.lines.map { Substring($0.text).trimmingSpaces() }
        var details = incident.details
        guard let request = AllocationRequest(lines: texts) else {
            details["missing"] = .list([.string("failure header")])
            incident.details = details
            return
        }
        var release = report.kernelRelease
        if release == nil, case .string(let text)? = details["kernel_release"] { release = text }
        var gfp: GFPMask?
        if let mask = request.mask {
            let layout = GFPMask.layout(
                release: release, printedNames: request.printedNames, headerHasOomAdj: request.legacyPunctuation,
                mask: mask)
            gfp = GFPMask(mask, layout: layout)
        }
        let order = request.order ?? Self.order(ofBytes: request.sizeBytes, source: request.source)
        let context = AllocationContext(trace: CallTrace.parse(incident.lines.map(\.text)))
        var dump: MemoryDumpAssessment?
        if !report.zones.isEmpty || !report.buddies.isEmpty {
            let flags =
                gfp.map(AllocationFlags.init)
                ?? AllocationFlags(
                    high: false, harder: false, mayUseCMA: false, classicCheck: false)
            dump = MemoryDumpAssessment(
                zoneLines: report.zones, buddies: report.buddies, pageKB: report.pageKB, order: order ?? 0,
                flags: flags, requestedZone: gfp?.zone ?? "Normal",
                allowedNodes: NodeList.parse(request.nodemask) ?? NodeList.parse(request.memsAllowed))
        }
        let verdict = AllocationVerdict(request: request, gfp: gfp, dump: dump, context: context)
        details["source"] = .string(request.source.rawValue)
        if details["order"] == nil, let order { details["order"] = .integer(Int64(order)) }
        if let order {
            details["order_kb"] = .integer(report.pageKB << Int64(order))
            details["costly_order"] = .bool(order > 3)
        }
        if let gfp { details["gfp"] = .object(GFPMeaning.details(gfp, printed: request.printedNames)) }
        if let nodemask = request.nodemask { details["nodemask"] = .string(nodemask) }
        if let cpuset = request.cpuset ?? report.cpuset { details["cpuset"] = .string(cpuset) }
        if let mems = request.memsAllowed ?? report.memsAllowed { details["mems_allowed"] = .string(mems) }
        if let value = context.context { details["context"] = .string(value) }
        if let function = context.callerFunction {
            var caller = Details()
            caller["function"] = .string(function)
            if let module = context.callerModule { caller["module"] = .string(module) }
            details["caller"] = .object(caller)
        }
        if let extra = Self.sourceDetails(request) { details[request.source.rawValue] = .object(extra) }
        if let dump {
            details["classzone"] = .string(dump.classzone)
            details["zones"] = .list(dump.zones.map { .object($0.details(forRequest: true)) })
        }
        details["verdict"] = .object(
            Self.verdict(cause: verdict.cause, summary: verdict.summary, evidence: verdict.evidence, verdict.advice))
        let missing = Self.missing(report, dump: dump)
        if !missing.isEmpty { details["missing"] = .list(missing.map { .string($0) }) }
        incident.details = details
    }

    private func analyzeDump(_ report: OOMReport, _ incident: inout Incident) {
        var details = incident.details
        let dump = MemoryDumpAssessment(
            zoneLines: report.zones, buddies: report.buddies, pageKB: report.pageKB, order: 0,
            flags: AllocationFlags(high: false, harder: false, mayUseCMA: false, classicCheck: false),
            requestedZone: "Movable", allowedNodes: nil)
        let verdict = MemoryDumpVerdict(dump)
        details["zones"] = .list(dump.zones.map { .object($0.details(forRequest: false)) })
        let memory = MemoryBreakdown(info: report.memInfo, zones: report.zones, pageKB: report.pageKB)
        var totals = Details()
        for (key, value) in [
            ("ram_kb", memory.ramKB), ("reserved_kb", memory.reservedKB), ("free_kb", memory.freeKB),
            ("swap_total_kb", memory.swapTotalKB), ("swap_free_kb", memory.swapFreeKB),
            ("highmem_kb", report.memInfo.highMemPages.map { $0 * report.pageKB }),
            ("cma_reserved_kb", report.memInfo.cmaReservedPages.map { $0 * report.pageKB }),
        ] {
            if let value { totals[key] = .integer(value) }
        }
        if !totals.isEmpty { details["memory"] = .object(totals) }
        details["verdict"] = .object(
            Self.verdict(cause: verdict.cause, summary: verdict.summary, evidence: verdict.evidence, []))
        let missing = Self.missing(report, dump: dump)
        if !missing.isEmpty { details["missing"] = .list(missing.map { .string($0) }) }
        incident.details = details
    }

    private static func verdict(cause: String, summary: String, evidence: [String], _ advice: [String]) -> Details {
        var details = Details()
        details["cause"] = .string(cause)
        details["summary"] = .string(summary)
        details["evidence"] = .list(evidence.map { .string($0) })
        if !advice.isEmpty { details["advice"] = .list(advice.map { .string($0) }) }
        return details
    }

    /// What the report lacks for a full analysis.
    private static func missing(_ report: OOMReport, dump: MemoryDumpAssessment?) -> [String] {
        guard let dump else { return ["Mem-Info dump"] }
        var missing: [String] = []
        if report.zones.isEmpty { missing.append("zone lines") }
        if report.buddies.isEmpty { missing.append("buddy lines") }
        if report.zones.contains(where: { $0.minKB == nil }) { missing.append("watermarks") }
        for zone in dump.zones where zone.line != nil && zone.buddy == nil && zone.isPopulated {
            missing.append("buddy line of Node \(zone.node) \(zone.zone)")
        }
        missing += BuddyLineCheck.problems(report.buddies)
        return missing
    }

    /// The page order a size in bytes needs (`get_order`), for XFS's kmalloc-backed requests
    /// larger than two pages; vmalloc requests allocate single pages.
    static func order(ofBytes bytes: Int64?, source: AllocationRequest.Source) -> Int? {
        guard let bytes, bytes > 0 else { return nil }
        if source == .vmalloc { return 0 }
        guard source == .xfs, bytes > 8192 else { return nil }
        let pages = (bytes + 4095) / 4096
        var order = 0
        while (Int64(1) << Int64(order)) < pages { order += 1 }
        return order
    }

    private static func sourceDetails(_ request: AllocationRequest) -> Details? {
        var details = Details()
        func set(_ key: String, _ value: Int64?) { if let value { details[key] = .integer(value) } }
        switch request.source {
        case .vmalloc:
            set("size_bytes", request.sizeBytes)
            set("allocated_bytes", request.allocatedBytes)
            if let reason = request.vmallocReason { details["reason"] = .string(reason) }
        case .slub:
            set("node", request.slubNode.map { Int64($0) })
            if let cache = request.slubCache { details["cache"] = .string(cache) }
            set("object_size", request.slubObjectSize)
            set("default_order", request.slubDefaultOrder.map { Int64($0) })
            set("min_order", request.slubMinOrder.map { Int64($0) })
        case .xfs:
            set("size_bytes", request.sizeBytes)
        case .stall:
            set("stall_ms", request.stallMilliseconds)
        case .pageAllocator:
            return nil
        }
        return details.isEmpty ? nil : details
    }
}
