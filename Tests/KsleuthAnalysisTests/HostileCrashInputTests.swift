// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import KsleuthTestSupport
import Testing

/// Logs built to hurt a crash parser.
///
/// Nothing but headers, a trace far past the caps, sections nested without end, random bytes
/// between frames: each gives bounded incidents, marked truncated where they could not be
/// whole, and never a crash. `make bench` runs the same shapes at 100 MB and a million frames,
/// with time and memory.
@Suite("Hostile crash input")
struct HostileCrashInputTests {
    static let header = "[  101.200000] BUG: unable to handle page fault for address: ffffc90000a7d000\n"
    static let oops = """
        [  101.200000] BUG: kernel NULL pointer dereference, address: 0000000000000010
        [  101.200017] Oops: 0000 [#1] SMP PTI
        [  101.200025] RIP: 0010:demo_probe+0x1d/0x60 [demo]
        [  101.200040] Call Trace:

        """

    @Test("a log of nothing but crash headers gives one one-line incident per header")
    func onlyHeaders() throws {
        let (incidents, _) = try IncidentCollector.analyze(String(repeating: Self.header, count: 3000))
        #expect(incidents.count == 3000)
        #expect(incidents.allSatisfy { $0.kind == .oops && $0.lines.count == 1 })
        #expect(
            incidents.allSatisfy { $0.identity?.title == "BUG: unable to handle kernel paging request in corrupted" })
        #expect(incidents.allSatisfy { $0.identity?.isCorrupted == true })
    }

    @Test("a trace past the incident's line cap is cut there and marked truncated")
    func endlessTrace() throws {
        let frames = String(repeating: "[  101.200043]  do_one_initcall+0x46/0x1d0\n", count: 60_000)
        let (incidents, _) = try IncidentCollector.analyze(Self.oops + frames)
        let first = try #require(incidents.first)
        #expect(first.isTruncated)
        #expect(first.lines.count == IncidentLimits.standard.maximumLines)
        #expect(first.callTrace?.frames.count == CallTrace.maximumFrames)
        #expect(first.callTrace?.isTruncated == true)
        #expect(first.callTrace?.faultingFrame?.function == "demo_probe")
    }

    @Test("sections nested 30,000 deep: the report is cut at its line cap, marked truncated")
    func nestedSections() throws {
        var log = Self.oops
        for index in 0..<30_000 {
            log += "[  101.200041]  " + ["<IRQ>", "<NMI>", "<SOFTIRQ>"][index % 3] + "\n"
        }
        log += "[  101.200042]  handle_irq+0x1/0x2\n[  101.200064] ---[ end trace 3d2f1c3a9e8b7a65 ]---\n"
        let (incidents, _) = try IncidentCollector.analyze(log)
        let first = try #require(incidents.first)
        #expect(first.isTruncated)
        #expect(first.lines.count == IncidentLimits.standard.maximumLines)
    }

    @Test("random bytes between frames: the frames are still read, the garbage is no frame")
    func garbageBetweenFrames() throws {
        var generator = SeededGenerator(seed: 11)
        var bytes = Array(Self.oops.utf8)
        for _ in 0..<500 {
            bytes += Array("[  101.200043]  do_one_initcall+0x46/0x1d0\n".utf8)
            let junk = (0..<Int.random(in: 1...80, using: &generator)).map { _ in
                UInt8.random(in: 0x20...0xff, using: &generator)
            }
            bytes += Array("[  101.200044]  ".utf8) + junk + [0x0a]
        }
        let (incidents, _) = try IncidentCollector.analyze(bytes)
        let first = try #require(incidents.first)
        let names = Set(first.callTrace?.frames.map(\.function) ?? [])
        #expect(names == ["do_one_initcall"])
        #expect(first.callTrace?.frames.count == 500)
    }
}
