// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents

extension ZoneAssessment {
    /// The zone as a `zones[]` object of `docs/json-output.md`; `forRequest` adds the fields
    /// that judge one order (a failure), else only the per-order lists (a dump).
    func details(forRequest: Bool) -> Details {
        var details = Details()
        func set(_ key: String, _ value: Int64?) { if let value { details[key] = .integer(value) } }
        func set(_ key: String, _ value: Bool?) { if let value { details[key] = .bool(value) } }
        details["node"] = .integer(Int64(node))
        details["zone"] = .string(zone)
        if forRequest {
            details["eligible"] = .bool(eligible)
            if let ineligibleReason { details["ineligible_reason"] = .string(ineligibleReason) }
        }
        set("free_kb", line?.freeKB)
        set("min_kb", line?.minKB)
        set("low_kb", line?.fields["low"])
        set("high_kb", line?.fields["high"])
        set("managed_kb", line?.fields["managed"])
        set("free_cma_kb", line?.fields["free_cma"])
        set("reserved_highatomic_kb", line?.fields["reserved_highatomic"])
        if let lowmemReservePages { details["lowmem_reserve_kb"] = .integer(lowmemReservePages * pageKB) }
        if let buddy {
            var blocks = Details()
            for (index, count) in buddy.counts.enumerated() { blocks[String(index)] = .integer(count) }
            details["free_blocks_by_order"] = .object(blocks)
            set("buddy_total_kb", buddy.totalKB)
            if let total = buddy.totalKB, total != buddy.summedKB { set("buddy_orders_sum_kb", buddy.summedKB) }
            set("largest_free_order", largestFreeOrder.map { Int64($0) })
        }
        if forRequest, let contiguous {
            set("free_kb_at_or_above_order", freeKBAtOrAboveOrder)
            set("free_kb_below_order", freeKBBelowOrder)
            set("free_blocks_of_order_available", contiguous.freeBlocksSuitable)
            set("can_serve_order", canServeOrder)
            if !blocksOnlyIn.isEmpty { details["blocks_only_in"] = .list(blocksOnlyIn.map { .string($0) }) }
            set("unusable_index", contiguous.unusableIndex)
            set("fragmentation_index", contiguous.fragmentationIndex)
        }
        if buddy != nil {
            details["unusable_index_by_order"] = .list(unusableIndexByOrder.map { .integer($0) })
            details["fragmentation_index_by_order"] = .list(fragmentationIndexByOrder.map { .integer($0) })
        }
        if forRequest {
            set("watermark_ok", watermarkOK)
            if let check = watermarkMin { details["watermark"] = .object(watermarkDetails(check)) }
        } else if let free = line?.freeKB, isPopulated {
            set("below_min", line?.minKB.map { free < $0 })
            set("below_low", line?.fields["low"].map { free < $0 })
            set("fragmented_from_order", MemoryDumpVerdict.fragmentedFromOrder(self).map { Int64($0) })
        }
        return details
    }

    private func watermarkDetails(_ check: WatermarkCheck) -> Details {
        var details = Details()
        details["mark"] = .string("min")
        details["effective_min_kb"] = .integer(check.effectiveMarkPages * pageKB)
        details["lowmem_reserve_kb"] = .integer(check.lowmemReservePages * pageKB)
        details["usable_free_kb"] = .integer(check.usableFreePages * pageKB)
        details["below_mark"] = .bool(check.belowMark)
        if let order = check.failedAfterOrder { details["failed_after_order"] = .integer(Int64(order)) }
        if let low = watermarkLow { details["low_ok"] = .bool(low.passes && watermarkOK != false) }
        return details
    }
}
