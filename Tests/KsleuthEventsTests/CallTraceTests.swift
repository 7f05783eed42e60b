// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import KsleuthEvents
import Testing

/// The frame grammars of every architecture, one line each, and the sections around them.
@Suite("Call traces")
struct CallTraceTests {
    private func frames(_ line: String) -> [StackFrame] {
        FrameGrammar.frames(in: Array(line.utf8)).frames
    }

    @Test("x86_64 4.x and later: func+0x../0x.. with a module, and ? frames as unreliable")
    func x86Modern() throws {
        let frame = try #require(frames("  nft_do_chain+0x1d/0x60 [nf_tables]").first)
        #expect(frame.function == "nft_do_chain")
        #expect(frame.offset == 0x1d && frame.size == 0x60)
        #expect(frame.module == "nf_tables" && frame.isReliable)
        let guess = try #require(frames(" ? __warn+0x1a9/0x1e0").first)
        #expect(!guess.isReliable && guess.function == "__warn")
    }

    @Test("x86 with addresses, mips, riscv, loongarch: [<addr>] func+0x../0x..")
    func bracketedAddress() throws {
        let frame = try #require(frames(" [<ffffffff81234567>] ? kfree+0x10/0x80").first)
        #expect(frame.address == 0xffff_ffff_8123_4567 && !frame.isReliable && frame.function == "kfree")
        let mips = try #require(frames("[<9000000000221b4c>] show_stack+0x5c/0x180").first)
        #expect(mips.address == 0x9000_0000_0022_1b4c && mips.function == "show_stack")
    }

    @Test("2.6-era x86_64: several <addr>{func+dec} frames on one line")
    func oldStyle() {
        let parsed = frames(" <ffffffff8016eb2c>{drain_array_locked+188} <ffffffff8016ec1e>{cache_reap+210}")
        #expect(parsed.map(\.function) == ["drain_array_locked", "cache_reap"])
        #expect(parsed.first?.offset == 188 && parsed.first?.address == 0xffff_ffff_8016_eb2c)
    }

    @Test("arm32: (callee) from (caller), with and without addresses")
    func arm32() throws {
        let line = FrameGrammar.frames(
            in: Array("[<c003c6ec>] (__dabt_svc+0x4c/0x60) from [<c00405a4>] (__bug+0x1c/0x28)".utf8))
        #expect(line.frames.first?.function == "__dabt_svc" && line.frames.first?.address == 0xc003_c6ec)
        #expect(line.caller?.function == "__bug" && line.caller?.address == 0xc004_05a4)
        let bare = FrameGrammar.frames(
            in: Array("[<818df678>] (dump_backtrace) from [<818df774>] (show_stack+0x18/0x1c)".utf8))
        #expect(bare.frames.first?.function == "dump_backtrace" && bare.frames.first?.offset == nil)
        let noAddress = FrameGrammar.frames(
            in: Array("(warn_slowpath_common+0x4c/0x64) from (warn_slowpath_null+0x1c/0x24)".utf8))
        #expect(noAddress.frames.first?.function == "warn_slowpath_common")
        #expect(noAddress.caller?.function == "warn_slowpath_null")
    }

    @Test("arm32 since 5.x: callee from caller+0x../0x.., no addresses or parentheses")
    func arm32Bare() {
        let line = FrameGrammar.frames(in: Array(" unwind_backtrace from show_stack+0x18/0x1c".utf8))
        #expect(line.frames.first?.function == "unwind_backtrace" && line.caller?.function == "show_stack")
        #expect(line.caller?.offset == 0x18)
        #expect(FrameGrammar.frames(in: Array("Something went wrong from here".utf8)).isEmpty)
    }

    @Test("ppc64: [sp] [lr] func+0x../0x.. (unreliable)")
    func powerPC() throws {
        let frame = try #require(
            frames("[c000000001c4fb00] [c0000000000208c8] show_stack+0x68/0x1a0 (unreliable)").first)
        #expect(frame.address == 0xc000_0000_0002_08c8 && frame.function == "show_stack" && !frame.isReliable)
    }

    @Test("ppc64 ELFv1: a '.name' frame is the function 'name'")
    func powerPCDotNames() throws {
        let frame = try #require(
            frames("[c000000010f93150] [c000000008028668] .rtas_read_config+0x128/0x170").first)
        #expect(frame.function == "rtas_read_config" && frame.offset == 0x128 && frame.size == 0x170)
        #expect(frame.address == 0xc000_0000_0802_8668 && frame.isReliable)
        // A lone dot, or "..." for elided frames, is no name.
        #expect(frames(" ...").isEmpty)
    }

    @Test("s390: parenthesized frames")
    func s390() throws {
        let frame = try #require(frames(" ([<0000000000112345>] show_trace+0x52/0x78)").first)
        #expect(frame.function == "show_trace" && frame.address == 0x11_2345)
    }

    @Test("symbolized frames carry file and line; inlined callees have no offset")
    func symbolized() throws {
        let frame = try #require(frames(" rawv6_sendmsg+0x2ede/0x4400 net/ipv6/raw.c:932").first)
        #expect(frame.file == "net/ipv6/raw.c" && frame.line == 932)
        let inline = try #require(frames(" __dump_stack lib/dump_stack.c:16 [inline]").first)
        #expect(inline.isInlined && inline.offset == nil && inline.file == "lib/dump_stack.c" && inline.line == 16)
    }

    @Test("lines that are no frames give none")
    func notFrames() {
        for line in ["RSP: 0018:ffff880066befc88  EFLAGS: 00010006", "Call Trace:", "BUG: KASAN: x in f+0x1/0x2", ""] {
            #expect(frames(line).isEmpty, "\(line)")
        }
    }

    @Test("program-counter lines of each architecture")
    func programCounter() {
        let lines = [
            "RIP: 0010:[<ffffffff82d4e304>]  [<ffffffff82d4e304>] __memset+0x24/0x30", "RIP: 0010:__memset+0x24/0x30",
            "pc : __memset+0x24/0x30", "PC is at __memset+0x24/0x30", "NIP [c000000000123456] __memset+0x24/0x30",
            "epc   : ffffffff80123456 __memset+0x24/0x30",
        ]
        for line in lines {
            #expect(FrameGrammar.programCounterFrame(Array(line.utf8))?.function == "__memset", "\(line)")
        }
        #expect(FrameGrammar.programCounterFrame(Array("RIP: 0033:0x4512c9".utf8)) == nil)
    }

    @Test("sections: <IRQ> … <EOI> and <NMI> nest, <TASK> resets; the RIP frame is kept apart")
    func sections() throws {
        let trace = CallTrace.parse([
            "RIP: 0010:native_safe_halt+0xe/0x10", "Call Trace:", " <NMI>", " nmi_handle+0x1/0x2", " </NMI>", " <IRQ>",
            " handle_irq+0x1/0x2", " <EOI>", " <TASK>", " do_idle+0x1/0x2", " </TASK>",
        ])
        #expect(trace.faultingFrame?.function == "native_safe_halt")
        #expect(trace.frames.map(\.section) == [.nmi, .irq, .task])
        #expect(trace.frames.map(\.lineIndex) == [3, 6, 9])
    }

    @Test("a hostile trace is cut at the frame cap and marked truncated")
    func frameCap() {
        let lines = Array(repeating: " f+0x1/0x2", count: CallTrace.maximumFrames + 10)
        let trace = CallTrace.parse(lines)
        #expect(trace.frames.count == CallTrace.maximumFrames && trace.isTruncated)
        let nested = CallTrace.parse(Array(repeating: "<IRQ>", count: 10_000) + [" f+0x1/0x2"])
        #expect(nested.frames.first?.section == .irq)
    }

    @Test("3.x x86: the first interrupt frame on the <IRQ> line itself")
    func markerAndFrameOnOneLine() {
        let trace = CallTrace.parse([
            "Call Trace:", " <IRQ>  [<ffffffff81656735>] dump_stack+0x19/0x1b",
            " [<ffffffff8105d670>] warn_slowpath_common+0x70/0xa0", " <EOI>",
            " [<ffffffff8166bbe9>] system_call_fastpath+0x16/0x1b",
        ])
        #expect(trace.frames.map(\.function) == ["dump_stack", "warn_slowpath_common", "system_call_fastpath"])
        #expect(trace.frames.map(\.section) == [.irq, .irq, .task])
        #expect(trace.frames.first?.address == 0xffff_ffff_8165_6735)
    }

    @Test("s390: the parenthesised first frame, an address-only frame, and the last breaking event apart")
    func s390Trace() throws {
        let trace = CallTrace.parse([
            "Call Trace:", "([<000003ff8086d036>] will_oops_init+0x36/0x1000 [will_oops])",
            " [<000000000010014e>] do_one_initcall+0xce/0x160", " [<000003fffd4a1d92>] 0x3fffd4a1d92",
            "Last Breaking-Event-Address:", " [<000003ff8086d036>] will_oops_init+0x36/0x1000 [will_oops]",
        ])
        #expect(trace.frames.map(\.function) == ["will_oops_init", "do_one_initcall", ""])
        #expect(
            trace.frames[0].module == "will_oops" && trace.frames[0].offset == 0x36 && trace.frames[0].size == 0x1000)
        #expect(trace.frames[2].address == 0x3ff_fd4a_1d92)
        // An address followed by a name without an offset is no frame (`handlers:` of a spurious irq).
        #expect(frames("[<0000000013155f90>] usb_hcd_irq").isEmpty)
    }

    @Test("sanitizer-style numbered frames of the Linux Kernel Library")
    func numberedFrames() throws {
        let frame = try #require(
            frames(
                "    #4 0x0000000000a60a36 in __hidinput_change_resolution_multipliers /src/lkl/drivers/hid/hid-input.c:0:31"
            ).first)
        #expect(frame.function == "__hidinput_change_resolution_multipliers")
        #expect(frame.address == 0xa6_0a36)
        #expect(frame.file == "/src/lkl/drivers/hid/hid-input.c" && frame.line == nil)
        let located = try #require(
            frames("    #5 0x0000000000a4b8dc in hidinput_connect /src/hid-input.c:1615:7").first)
        #expect(located.line == 1615)
    }

    @Test("decode_stacktrace.sh frames: func (file:line …) and arm64's (T) mark")
    func decodedFrames() throws {
        let single = try #require(frames("__switch_to (arch/arm64/kernel/process.c:740) (T)").first)
        #expect(single.function == "__switch_to" && single.file == "arch/arm64/kernel/process.c" && single.line == 740)
        let inlined = try #require(frames("__schedule (kernel/sched/core.c:5404 kernel/sched/core.c:6790)").first)
        #expect(inlined.function == "__schedule" && inlined.line == 6790)
        #expect(frames("schedule (/home/build/sd-fuse_rk3528/").isEmpty)
    }
}
