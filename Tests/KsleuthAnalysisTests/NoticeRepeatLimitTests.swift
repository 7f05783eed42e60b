// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// A notice the log keeps printing gives a bounded number of incidents; its further repeats
/// are counted in one note.
@Suite("Notice repeat limit")
struct NoticeRepeatLimitTests {
    @Test("a notice repeated all day gives 20 incidents and a count of the rest")
    func limited() throws {
        var log = ""
        // One missing firmware file every two minutes: too far apart to fold into one incident.
        for index in 0..<50 {
            log +=
                "[\(1000 + index * 120).000000] platform regulatory.0: Direct firmware load for regulatory.db"
                + " failed with error -2\n"
        }
        let (incidents, summary) = try IncidentCollector.analyze(log)
        #expect(incidents.count == IncidentLimits.maximumIncidentsPerNotice)
        #expect(incidents.allSatisfy { $0.kind == .notice })
        let notes = summary.diagnostics.filter { $0.code == "notice-repeats" }
        #expect(notes.count == 1)
        #expect(notes.first?.message.hasPrefix("30 more repeat(s) of the notice") == true)
    }

    @Test("distinct notices are limited each on its own")
    func perNotice() throws {
        var log = ""
        for index in 0..<30 {
            for server in ["alpha", "beta"] {
                log += "[\(1000 + index * 120).000000] nfs: server \(server) not responding, still trying\n"
            }
        }
        let (incidents, summary) = try IncidentCollector.analyze(log)
        #expect(incidents.count == 2 * IncidentLimits.maximumIncidentsPerNotice)
        let notes = summary.diagnostics.filter { $0.code == "notice-repeats" }
        #expect(notes.map(\.message).allSatisfy { $0.hasPrefix("10 more repeat(s)") })
        #expect(notes.count == 2)
    }
}
