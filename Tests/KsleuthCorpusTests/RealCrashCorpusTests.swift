// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

import Foundation
import KsleuthAnalysis
import KsleuthEvents
import KsleuthTestSupport
import Testing

/// The crash logs of the shared real corpus and the CI-log corpora against what their
/// originating tools assert for them (issue 3's acceptance).
///
/// Every crash file of `real/` must give an incident of its category's kind, with a title and,
/// where the log prints a trace, a parsed call trace; the `.expected` file beside it (satyr
/// frame facts, clusterfuzz crash state, ChromiumOS signatures, SQUAD checks, hotsos findings,
/// abrt-dump-oops output, lkp-tests stats and call-trace blocks, logspec errors) must agree.
/// In `ci-logs/`, every kernel problem logspec, SQUAD and tuxparse expect must be one of
/// ksleuth's incidents.
@Suite("Real crash corpus", .enabled(if: CorpusLocator.hasSharedCorpora, "needs ../shared corpora"))
struct RealCrashCorpusTests {
    /// Crash kinds of the oops family: what `Oops:`, `BUG:`, `kernel BUG at`, `WARNING:`,
    /// `general protection fault`, `Internal error:`, `Unable to handle kernel …` and the panic
    /// after them are recognised as.
    static let oopsKinds: Set<IncidentKind> = [
        .oops, .generalProtectionFault, .bug, .warning, .panic, .atomicContext, .listCorruption,
    ]

    /// The kinds each category folder's reports must be recognised as.
    static let categoryKinds: [String: Set<IncidentKind>] = [
        "oops-x86": oopsKinds, "oops-arm32": oopsKinds, "oops-arm64": oopsKinds, "oops-other-arch": oopsKinds,
        "kasan-kfence": [.kasan, .kfence, .kcsan, .kmsan],
        "lockup-hung-rcu": [.hungTask, .softLockup, .hardLockup, .rcuStall, .workqueueLockup],
        "panic": [.panic],
        "slab-bug": [.bug, .slabCorruption],
        "slub-debug": [.slabCorruption],
        "bad-page": [.badPage],
    ]

    /// Files whose report is of another kind than their folder's, as `MANIFEST.tsv` notes say.
    static let kindOverrides: [String: Set<IncidentKind>] = [
        // "page dump + VM_BUG_ON_PAGE(compound && !PageTransHuge(page))": a kernel BUG at mm/rmap.c.
        "bad-page/lkp-dmesg-40.log": [.bug, .badPage],
        // "WARNING in putback_inactive_pages with taint B (bad page) set".
        "bad-page/satyr-github-102.log": [.warning],
        // "KASAN-era general protection fault (3.14, CONFIG_KASAN_INLINE hint lines)".
        "kasan-kfence/clusterfuzz-kasan-gpf.log": [.generalProtectionFault, .kasan],
        // "lockdep: suspicious RCU usage".
        "lockup-hung-rcu/satyr-gitlog-03.log": [.lockdep, .warning],
        // "lockdep report on Cavium Octeon (MIPS)".
        "oops-other-arch/satyr-gitlog-10.log": [.lockdep],
        // "irq 16: nobody cared" with its stack dump.
        "oops-x86/lkp-kmsg-06.log": [.spuriousInterrupt],
    ]

    /// Files whose `.expected` counts follow the convention of the tool that wrote it where
    /// the log says otherwise, with the reason; the failures they give are only those
    /// counts, and ``satyrConventions()`` checks the values read from the log instead.
    static let toolConventions: [String: String] = [
        "oops-x86/satyr-rhbz-836206.log":
            "satyr reads the file as one oops; the log holds two reports (sleeping function called from invalid context, then scheduling while atomic)",
        "oops-arm32/satyr-arm-hung-task-oops-2.log":
            "satyr counts one frame per arm32 'callee from caller' line; the last line's caller (ret_fast_syscall) is a frame too",
    ]

    /// Files that hold no crash report of their own, with the reason.
    static let withoutReport: [String: String] = [
        // Task dumps (`rs:main Q:Reg D …` + Call Trace) whose `blocked for more than` headers
        // the source cut away: nothing tells a hang from a sysrq-w dump.
        "lockup-hung-rcu/moooofly-hung-tasks-syslog.log": "no hung-task header in the excerpt",
        // `sysrq: SysRq : Show backtrace of all active CPUs`: backtraces on request.
        "lockup-hung-rcu/moooofly-sysrq-l-nmi-backtrace.log": "sysrq-l backtraces on request",
    ]

    static let crashFolders = [
        "oops-x86", "oops-arm32", "oops-arm64", "oops-other-arch", "kasan-kfence", "lockup-hung-rcu", "panic",
        "slab-bug", "slub-debug", "bad-page",
    ]

    // MARK: - Reading logs and incidents

    static func text(of url: URL) -> String {
        String(decoding: (try? Data(contentsOf: url)) ?? Data(), as: UTF8.self)
    }

    static func lines(of text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0.hasSuffix("\r") ? $0.dropLast() : $0)
        }
    }

    static func incidents(of url: URL) throws -> [Incident] {
        try IncidentCollector.analyze(Array(Data(contentsOf: url)), name: url.lastPathComponent).incidents
    }

    static func evidence(_ incident: Incident) -> [String] {
        incident.lines.map(\.text)
    }

    static func functions(_ incident: Incident) -> [String] {
        guard let trace = incident.callTrace else { return [] }
        return ([trace.faultingFrame].compactMap { $0 } + trace.frames).map(\.function)
    }

    static func hasFunction(_ name: String, in incidents: [Incident]) -> Bool {
        incidents.contains { incident in
            functions(incident).contains { $0 == name || $0.prefix { $0 != "." } == name }
        }
    }

    /// Whether an incident's line or title holds `needle`; SQUAD's `] TEXT` (the end of the
    /// printk stamp, then TEXT) asks for a line that begins with TEXT.
    static func contains(_ needle: String, in incidents: [Incident]) -> Bool {
        if needle.hasPrefix("] ") {
            let start = needle.dropFirst(2)
            return incidents.contains { incident in evidence(incident).contains { $0.hasPrefix(start) } }
        }
        return incidents.contains { incident in
            if evidence(incident).contains(where: { $0.contains(needle) }) || incident.title.contains(needle) {
                return true
            }
            // A notice folds repeats whose text differs only in digits (`…-b0-57.ucode`, `…-b0-56.ucode`):
            // its evidence is the first and last line, so the others match with digits set aside.
            guard occurrences(of: incident) > 1 else { return false }
            let shape = withoutDigits(needle)
            return evidence(incident).contains { withoutDigits($0).contains(shape) }
        }
    }

    /// How many kernel lines an incident stands for: a folded notice's count, else one.
    static func occurrences(of incident: Incident) -> Int {
        if case .integer(let count)? = incident.details["occurrences"] { return Int(count) }
        return 1
    }

    static func withoutDigits(_ text: String) -> String {
        String(text.unicodeScalars.filter { !("0"..."9").contains($0) })
    }

    /// Registers and program-counter lines print `func+0x…/0x…` without being trace frames.
    static let registerMarkers = [
        "RIP:", "EIP:", " IP:", "IP: [", "pc :", "lr :", "PC is at", "LR is at", "NIP", "LR [", "epc", "ra  ",
        "era ", "EIP is at", "RIP  [", "EIP: [", "Krnl PSW", ", at: [<",
    ]

    /// Whether the log prints a call trace: a trace header, or two frame lines.
    static func hasCallTrace(_ lines: [String]) -> Bool {
        if lines.contains(where: {
            $0.contains("Call Trace:") || $0.contains("Call trace:") || $0.contains("Backtrace:")
        }) {
            return true
        }
        let frame = #/(\[<[0-9a-fA-F]{8,16}>\]|\s\?\s|^\s*|\]\s+)[A-Za-z_][\w.]*\+0x[0-9a-f]+/0x[0-9a-f]+/#
        let frames = lines.filter { line in
            !registerMarkers.contains { line.contains($0) } && line.contains(frame)
        }
        return frames.count >= 2
    }

    // MARK: - Test 1: the crash files of real/

    @Test("every crash file of real/ gives an incident of its kind, titled, with its call trace and expectations")
    func crashFiles() throws {
        let root = try #require(CorpusLocator.sharedRoot).appendingPathComponent("corpora/real")
        var failures: [String] = []
        var checked = 0
        var expectations = 0
        for folder in Self.crashFolders {
            let logs = CorpusLocator.files(under: root.appendingPathComponent(folder))
            for url in logs {
                let name = "\(folder)/\(url.lastPathComponent)"
                checked += 1
                if Self.withoutReport[name] != nil { continue }
                let incidents = try Self.incidents(of: url)
                let lines = Self.lines(of: Self.text(of: url))
                let kinds = Self.kindOverrides[name] ?? Self.categoryKinds[folder] ?? []
                let fitting = incidents.filter { incident in
                    kinds.contains(incident.kind)
                        || (kinds.contains(.panic)
                            && Self.evidence(incident).contains { $0.contains("Kernel panic - not syncing") })
                }
                let got = incidents.map { "\($0.kind.rawValue) \"\($0.identity?.title ?? "")\"" }
                guard !fitting.isEmpty else {
                    failures.append("\(name): no incident of kind \(kinds.map(\.rawValue).sorted()); got \(got)")
                    continue
                }
                if !fitting.contains(where: { !($0.identity?.title.isEmpty ?? true) }) {
                    failures.append("\(name): no title on \(got)")
                }
                if Self.hasCallTrace(lines), !fitting.contains(where: { !($0.callTrace?.frames.isEmpty ?? true) }) {
                    failures.append("\(name): the log prints a call trace, no frames parsed; got \(got)")
                }
                let expected = url.deletingPathExtension().appendingPathExtension("expected")
                if FileManager.default.fileExists(atPath: expected.path) {
                    expectations += 1
                    let primary = fitting.first { !($0.callTrace?.frames.isEmpty ?? true) } ?? fitting[0]
                    let problems = Self.check(
                        expected: Self.text(of: expected), incidents: incidents, primary: primary)
                    failures += problems.map { "\(name): \($0)" }
                }
            }
        }
        print("real crash files: \(checked) files, \(expectations) with .expected, \(failures.count) failures")
        for failure in failures { print("  FAIL \(failure)") }
        #expect(checked > 80)
        let unexpected = failures.filter { failure in
            let file = String(failure.prefix { $0 != ":" })
            return Self.toolConventions[file] == nil || !failure.contains(": satyr ")
        }
        #expect(unexpected.isEmpty, "\(unexpected.count) failures:\n\(unexpected.joined(separator: "\n"))")
    }

    /// The two files of ``toolConventions``, with the values read from the logs by hand.
    @Test("where satyr's counts follow its own convention, the log's reports and frames")
    func satyrConventions() throws {
        let root = try #require(CorpusLocator.sharedRoot).appendingPathComponent("corpora/real")
        // Lines 1-20: "BUG: sleeping function called from invalid context at mm/memory.c:3927", 15 frame
        // lines from "__might_sleep+0x13c/0x200" to "system_call_fastpath+0x16/0x1b" (on a line that
        // a syslog stamp garbled). Lines 21-34: "BUG: scheduling while atomic: NetworkManager/1109/0x00000003",
        // its Modules line of 59 names, 9 frames from "__schedule_bug+0x80/0x85" to
        // "system_call_fastpath+0x16/0x1b".
        let two = try Self.incidents(of: root.appendingPathComponent("oops-x86/satyr-rhbz-836206.log"))
        try #require(two.count == 2)
        #expect(two[0].title == "BUG: sleeping function called from invalid context at mm/memory.c:3927")
        #expect(two[0].callTrace?.frames.count == 15)
        #expect(two[0].callTrace?.frames.first?.function == "__might_sleep")
        #expect(two[0].callTrace?.frames.last?.function == "system_call_fastpath")
        #expect(two[1].title == "BUG: scheduling while atomic: NetworkManager/1109/0x00000003")
        #expect(two[1].callTrace?.frames.map(\.function).first == "__schedule_bug")
        #expect(two[1].callTrace?.frames.count == 9)
        if case .list(let modules)? = two[1].details["modules"] {
            #expect(modules.count == 59)
        } else {
            Issue.record("no modules on the second report")
        }
        // Seven "[<c036ec10>] (vfs_write) from [<c036f270>] (SyS_write+0x48/0x88)" lines: seven
        // callees, the last line's caller "(ret_fast_syscall+0x0/0x30)" an eighth frame.
        let arm = try Self.incidents(of: root.appendingPathComponent("oops-arm32/satyr-arm-hung-task-oops-2.log"))
        let frames = try #require(arm.first?.callTrace?.frames)
        #expect(
            frames.map(\.function) == [
                "shmem_getpage_gfp", "generic_perform_write", "__generic_file_write_iter", "generic_file_write_iter",
                "new_sync_write", "vfs_write", "SyS_write", "ret_fast_syscall",
            ])
        #expect(frames.last?.offset == 0 && frames.last?.size == 0x30)
    }

    /// The disagreements between an `.expected` file and the incidents, in words.
    static func check(expected: String, incidents: [Incident], primary: Incident) -> [String] {
        let lines = Self.lines(of: expected)
        let origin = lines.first ?? ""
        let body = Array(lines.dropFirst())
        if origin.contains("satyr") { return satyr(body, primary) }
        if origin.contains("clusterfuzz") { return clusterfuzz(body, incidents) }
        if origin.contains("squad") || origin.contains("anomaly_detector") { return squad(body, incidents) }
        if origin.contains("ComputeKernelStackSignature") { return chromeSignature(body, incidents) }
        if origin.contains("hotsos") { return hotsos(body, incidents) }
        if origin.contains("abrt-dump-oops") { return abrt(body, incidents) }
        if origin.contains("get_crash_calltraces") { return lkpCallTraces(body, incidents) }
        if origin.contains("lkp-tests stats") { return lkpStats(body, incidents) }
        if origin.contains("logspec") { return logspec(body.joined(separator: "\n"), incidents) }
        return ["unknown expectation format: \(origin)"]
    }

    static func value(_ key: String, in lines: [String]) -> String? {
        lines.first { $0.hasPrefix(key + ":") }.map {
            String($0.dropFirst(key.count + 1)).trimmingCharacters(in: .whitespaces)
        }
    }

    /// satyr's `sr_koops_stacktrace_parse` facts.
    ///
    /// First and last function, frame count, taint flags, modules, the stack section of the
    /// first and last frame. satyr puts the `EIP is at` function first when a report prints one,
    /// so the faulting frame may lead.
    static func satyr(_ lines: [String], _ incident: Incident) -> [String] {
        var problems: [String] = []
        let frames = incident.callTrace?.frames ?? []
        let names = frames.map(\.function)
        let faulting = incident.callTrace?.faultingFrame?.function
        let first = value("first_function", in: lines) ?? ""
        let withFaulting = first != "(none)" && names.first != first && faulting == first
        let listed = withFaulting ? [first] + names : names
        if first == "(none)" ? !names.isEmpty : listed.first != first {
            problems.append("satyr first_function \(first), got \(listed.first ?? "(none)")")
        }
        let last = value("last_function", in: lines) ?? ""
        if last != "(none)", names.last != last {
            problems.append("satyr last_function \(last), got \(names.last ?? "(none)")")
        }
        if let count = value("frame_count", in: lines).flatMap(Int.init), count != listed.count {
            problems.append("satyr frame_count \(count), got \(listed.count)")
        }
        if let count = value("taint_flag_count", in: lines).flatMap(Int.init) {
            var taint = ""
            if case .string(let text)? = incident.details["taint"] { taint = text }
            let flags = taint.filter { $0.isLetter && $0 != "G" }.count
            if flags != count { problems.append("satyr taint_flag_count \(count), got \(flags) (\"\(taint)\")") }
        }
        if let count = value("module_count", in: lines).flatMap(Int.init) {
            var modules = 0
            if case .list(let list)? = incident.details["modules"] { modules = list.count }
            if modules != count { problems.append("satyr module_count \(count), got \(modules)") }
        }
        for (key, frame) in [("first_frame_stack", frames.first), ("last_frame_stack", frames.last)] {
            if let stack = value(key, in: lines), frame?.section.rawValue != stack.lowercased() {
                problems.append("satyr \(key) \(stack), got \(frame?.section.rawValue ?? "-")")
            }
        }
        return problems
    }

    /// clusterfuzz's crash state (the top three frames it keeps, in order) and crash address.
    static func clusterfuzz(_ lines: [String], _ incidents: [Incident]) -> [String] {
        func quoted(_ key: String) -> String {
            (value(key, in: lines) ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        var problems: [String] = []
        let state = quoted("crash_state").components(separatedBy: "\\n").filter { !$0.isEmpty }
        let inOrder = incidents.contains { incident in
            var rest = functions(incident)[...]
            for name in state {
                guard let index = rest.firstIndex(where: { $0 == name || $0.prefix { $0 != "." } == name }) else {
                    return false
                }
                rest = rest[(index + 1)...]
            }
            return true
        }
        if !inOrder {
            problems.append(
                "clusterfuzz crash_state \(state) not in order in any trace; got \(incidents.map(functions))")
        }
        let address = quoted("crash_address")
        if let wanted = UInt64(address.hasPrefix("0x") ? String(address.dropFirst(2)) : address, radix: 16) {
            let hex = #/(?:0x)?([0-9a-fA-F]{4,16})/#
            let found = incidents.contains { incident in
                evidence(incident).contains { line in
                    line.matches(of: hex).contains { UInt64($0.output.1, radix: 16) == wanted }
                }
            }
            if !found { problems.append("clusterfuzz crash_address \(address) in no incident's lines") }
        }
        return problems
    }

    /// `kind:` groups with their `must_contain:` lines (SQUAD's linux_log_parser, ChromiumOS's
    /// anomaly detector): one incident of that kind holds them all.
    static func squad(_ lines: [String], _ incidents: [Incident]) -> [String] {
        var groups: [(kind: String, needles: [String])] = []
        for line in lines {
            if line.hasPrefix("kind:") {
                groups.append((String(line.dropFirst(5)).trimmingCharacters(in: .whitespaces), []))
            } else if line.hasPrefix("must_contain:"), !groups.isEmpty {
                groups[groups.count - 1].needles.append(String(line.dropFirst(13)).trimmingCharacters(in: .whitespaces))
            }
        }
        return groups.compactMap { group in
            let kind = IncidentKind(rawValue: group.kind)
            let found = incidents.contains { incident in
                (kind == nil || incident.kind == kind)
                    && group.needles.allSatisfy { needle in evidence(incident).contains { $0.contains(needle) } }
            }
            return found ? nil : "\(group.kind) incident holding \(group.needles) not found"
        }
    }

    /// ChromiumOS's `kernel-[(KIND)-]FUNCTION-HASH`: the function in a trace of that kind.
    static func chromeSignature(_ lines: [String], _ incidents: [Incident]) -> [String] {
        guard var signature = value("signature", in: lines) else { return ["no signature"] }
        signature = String(signature.dropFirst("kernel-".count))
        signature = String(signature[..<(signature.lastIndex(of: "-") ?? signature.endIndex)])
        let kinds: [String: IncidentKind] = ["HARDLOCKUP": .hardLockup, "SOFTLOCKUP": .softLockup, "HANG": .hungTask]
        var kind: IncidentKind?
        if signature.hasPrefix("("), let close = signature.firstIndex(of: ")") {
            kind = kinds[String(signature[signature.index(after: signature.startIndex)..<close])]
            signature = String(signature[signature.index(close, offsetBy: 2)...])
        }
        let candidates = incidents.filter { kind == nil || $0.kind == kind }
        if candidates.isEmpty { return ["ChromiumOS signature wants a \(kind?.rawValue ?? "") incident"] }
        return hasFunction(signature, in: candidates)
            ? [] : ["ChromiumOS signature function \(signature) in no \(kind?.rawValue ?? "") trace"]
    }

    /// hotsos: `N reports of hung tasks`, `N reports of fanotify related hangs`.
    static func hotsos(_ lines: [String], _ incidents: [Incident]) -> [String] {
        let text = lines.joined(separator: " ")
        guard let match = text.firstMatch(of: #/(\d+) reports of (hung tasks|fanotify related hangs)/#),
            let count = Int(match.output.1)
        else { return ["unknown hotsos finding: \(text)"] }
        let hung = incidents.filter { $0.kind == .hungTask }
        let got =
            match.output.2 == "hung tasks" ? hung.count : hung.filter { contains("fanotify", in: [$0]) }.count
        return got == count ? [] : ["hotsos \(count) \(match.output.2), got \(got)"]
    }

    /// abrt-dump-oops: `Found oopses: N`, then each oops after a `Version:` line, header first.
    static func abrt(_ lines: [String], _ incidents: [Incident]) -> [String] {
        var problems: [String] = []
        let count = lines.first { $0.contains("Found oopses:") }.flatMap { Int($0.split(separator: " ").last ?? "") }
        var headers: [String] = []
        for (index, line) in lines.enumerated() where line.hasPrefix("Version:") && index + 1 < lines.count {
            headers.append(lines[index + 1].trimmingCharacters(in: .whitespaces))
        }
        var used = Set<Int>()
        for header in headers {
            let match = incidents.indices.first { index in
                !used.contains(index)
                    && evidence(incidents[index]).contains { $0.trimmingCharacters(in: .whitespaces) == header }
            }
            if let match { used.insert(match) } else { problems.append("abrt oops \"\(header)\" is no incident's") }
        }
        if let count, count != headers.count { problems.append("abrt found \(count) oopses, lists \(headers.count)") }
        return problems
    }

    /// The text of a log line without its printk stamps or `dmesg --decode` level.
    static func kernelText(_ line: String) -> String {
        var text = Substring(line)
        if let level = text.prefixMatch(of: #/\w+\s*:\s*\w+\s*:\s/#) { text = text[level.range.upperBound...] }
        while let stamp = text.prefixMatch(of: #/\s*\[[^<\]][^\]]*\]\s?/#) { text = text[stamp.range.upperBound...] }
        return String(text)
    }

    /// lkp-tests stats: each `message:KEY: LINE` is an evidence line; `calltrace:FUNC` a frame,
    /// `RIP:FUNC` / `EIP:FUNC` the faulting function.
    static func lkpStats(_ lines: [String], _ incidents: [Incident]) -> [String] {
        var problems: [String] = []
        for line in lines where line.hasPrefix("message:") {
            guard let separator = line.range(of: ": ") else { continue }
            let key = String(line[line.index(line.startIndex, offsetBy: 8)..<separator.lowerBound])
            let message = kernelText(String(line[separator.upperBound...])).trimmingCharacters(in: .whitespaces)
            if key.hasPrefix("calltrace:") {
                let name = String(key.dropFirst("calltrace:".count))
                if !hasFunction(name, in: incidents) { problems.append("lkp \(key): frame \(name) in no trace") }
            } else if key.hasPrefix("RIP:") || key.hasPrefix("EIP:") {
                let name = String(key.dropFirst(4))
                let faulting = incidents.contains { $0.callTrace?.faultingFrame?.function == name }
                if !faulting { problems.append("lkp \(key): no incident faults in \(name)") }
            } else if !contains(message, in: incidents) {
                problems.append("lkp \(key): \"\(message)\" in no incident")
            }
        }
        return problems
    }

    /// lkp's `get_crash_calltraces` blocks: the first line opens an incident, every frame is parsed.
    static func lkpCallTraces(_ lines: [String], _ incidents: [Incident]) -> [String] {
        var problems: [String] = []
        let blocks = lines.split { $0 == "---" }
        let frame = #/(?:\]|^|\s)\s*(?:\[<[0-9a-f]+>\]\s*)?(?:\?\s+)?([A-Za-z_][\w.]*)\+0x[0-9a-f]+/0x[0-9a-f]+/#
        for block in blocks {
            let texts = block.map(kernelText)
            if let first = texts.first(where: { !$0.contains("cut here") }), !contains(first, in: incidents) {
                problems.append("lkp call-trace block \"\(first)\" in no incident")
            }
            for text in texts where !registerMarkers.contains(where: { text.contains($0) }) {
                guard let match = text.firstMatch(of: frame) else { continue }
                let name = String(match.output.1)
                if !hasFunction(name, in: incidents) { problems.append("lkp call-trace frame \(name) in no trace") }
            }
        }
        return problems
    }

    /// logspec: each crash error's summary is an incident's line and its `call_trace` that
    /// incident's frames. (`linux.kernel.error_return_code` lines are counted in the ci-logs test.)
    static func logspec(_ json: String, _ incidents: [Incident]) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
            let errors = object["errors"] as? [[String: Any]]
        else { return ["logspec expectation is not JSON"] }
        var problems: [String] = []
        for error in errors {
            let type = error["error_type"] as? String ?? ""
            guard type.hasPrefix("linux.kernel."), type != "linux.kernel.error_return_code" else { continue }
            let summary = error["error_summary"] as? String ?? ""
            let holders = incidents.filter { contains(summary, in: [$0]) }
            if holders.isEmpty { problems.append("logspec \(type) \"\(summary)\" in no incident") }
            let frames = (error["call_trace"] as? [String] ?? []).compactMap { entry -> String? in
                let token = entry.split(separator: " ").first { $0 != "?" } ?? ""
                let name = String(token.prefix { $0 != "+" })
                return name.hasPrefix("<") || name.hasPrefix("0x") || name.isEmpty ? nil : name
            }
            for name in frames where !hasFunction(name, in: holders) {
                problems.append("logspec \(type) frame \(name) not in the incident's trace")
            }
        }
        return problems
    }

    // MARK: - Test 2: the ci-logs corpora

    /// One kernel problem a CI log parser expects in a log.
    struct Problem {
        var tool: String
        var file: String
        var label: String
        /// For each list, one of its strings is in the incident's lines.
        var needles: [[String]] = []
        /// Whether the problem is one line of a report another problem names too (logspec's
        /// `test.baseline.dmesg` lines), so that it may share that incident.
        var sharesIncident = false
        /// The word SQUAD names the problem's kind with (`check-kernel-warning-…`): an incident it
        /// names is preferred among those holding the lines.
        var kindWord: String?
        /// tuxparse's `name_contains_at_least`: this many of the patterns name incidents of the log.
        var atLeast: (patterns: [String], minimum: Int)?

        func isMet(by incident: Incident) -> Bool {
            needles.allSatisfy { anyOf in anyOf.contains { RealCrashCorpusTests.contains($0, in: [incident]) } }
        }
    }

    /// What a CI log tool expects of one log, and what was left out as no kernel problem.
    struct ToolExpectation {
        var log: URL
        var problems: [Problem] = []
        var excluded: [String] = []
    }

    static func json(_ url: URL) -> [String: Any] {
        ((try? JSONSerialization.jsonObject(with: Data(contentsOf: url))) as? [String: Any]) ?? [:]
    }

    /// logspec's errors: `linux.kernel.*` and the `test.baseline.dmesg` lines are kernel
    /// problems; `kbuild.*` (build errors) and `linux.kselftest` (test results) are not.
    static func logspecExpectations(_ root: URL) -> [ToolExpectation] {
        CorpusLocator.files(under: root, suffix: ".expected.json").map { url in
            let log = URL(fileURLWithPath: url.path.replacingOccurrences(of: ".expected.json", with: ".log"))
            var expectation = ToolExpectation(log: log)
            let expected = json(url)["expected"] as? [String: Any] ?? [:]
            for error in expected["errors"] as? [[String: Any]] ?? [] {
                let type = error["error_type"] as? String ?? ""
                var summary = error["error_summary"] as? String ?? ""
                guard type.hasPrefix("linux.kernel.") || type == "test.baseline.dmesg" else {
                    expectation.excluded.append("\(log.lastPathComponent) \(type): \(summary)")
                    continue
                }
                if type == "test.baseline.dmesg", let level = summary.firstMatch(of: #/^\w+\s*:\s/#) {
                    summary = String(summary[level.range.upperBound...])
                }
                // logspec writes `WARNING at FILE:LINE FUNC` for `WARNING: CPU: 0 PID: 0 at FILE:LINE FUNC`.
                let needles =
                    summary.hasPrefix("WARNING at ")
                    ? [["WARNING"], [String(summary.dropFirst("WARNING ".count))]] : [[summary]]
                var problem = Problem(
                    tool: "logspec", file: log.lastPathComponent, label: "\(type): \(summary)", needles: needles)
                problem.sharesIncident = type == "test.baseline.dmesg"
                expectation.problems.append(problem)
            }
            return expectation
        }
    }

    /// SQUAD's failed checks (`result: false`), one per problem: the per-occurrence copies
    /// (name + `-<sha256>`) and the repeats across suites with the same lines are one problem.
    static func squadExpectations(_ root: URL) -> [ToolExpectation] {
        CorpusLocator.files(under: root, suffix: ".expected.json").map { url in
            let object = json(url)
            var expectation = ToolExpectation(log: root.appendingPathComponent(object["log"] as? String ?? ""))
            var seen = Set<String>()
            for test in object["tests"] as? [[String: Any]] ?? [] where test["result"] as? Bool == false {
                let name = (test["name"] as? String ?? "").replacing(#/-[0-9a-f]{64}$/#, with: "")
                let needles = (test["log_contains"] as? [String] ?? []).compactMap { text -> [String]? in
                    if text.allSatisfy({ $0 == "=" }) { return nil }
                    return [text]
                }
                guard seen.insert("\(name) \(needles)").inserted else { continue }
                var problem = Problem(
                    tool: "squad", file: expectation.log.lastPathComponent, label: name, needles: needles)
                let word = name.split(separator: "-").dropFirst(2).first.map(String.init)
                problem.kindWord = word == "exception" ? "warning" : word
                expectation.problems.append(problem)
            }
            return expectation
        }
    }

    /// tuxparse's checks of its boot/test parser (the `build/` logs are compiler output).
    static func tuxparseExpectations(_ root: URL) -> [ToolExpectation] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return files.filter { $0.hasSuffix(".expected.json") }.sorted().map { name in
            let object = json(root.appendingPathComponent(name))
            var expectation = ToolExpectation(log: root.appendingPathComponent(object["log"] as? String ?? ""))
            for check in object["checks"] as? [[String: Any]] ?? [] {
                var problem = Problem(tool: "tuxparse", file: expectation.log.lastPathComponent, label: "")
                problem.needles = check["excerpt_any_of"] as? [[String]] ?? []
                if let atLeast = check["name_contains_at_least"] as? [String: Any] {
                    let patterns = atLeast["patterns"] as? [String] ?? []
                    problem.atLeast = (patterns, atLeast["min"] as? Int ?? patterns.count)
                    problem.label = "at least \(problem.atLeast!.minimum) of \(patterns)"
                } else {
                    let names =
                        (check["name_contains"] as? String).map { [$0] } ?? check["name_contains_any"] as? [String]
                    problem.label = "\(names ?? []) with \(problem.needles)"
                }
                expectation.problems.append(problem)
            }
            return expectation
        }
    }

    /// Whether an incident is what a tuxparse test named `pattern` reports (`panic`, `oops`, …).
    static func names(_ incident: Incident, _ pattern: String) -> Bool {
        [incident.kind.rawValue, incident.identity?.title ?? "", incident.header.text].contains {
            $0.lowercased().contains(pattern.lowercased())
        }
    }

    @Test("every kernel problem logspec, SQUAD and tuxparse expect in ci-logs is an incident")
    func ciLogs() throws {
        let root = try #require(CorpusLocator.sharedRoot).appendingPathComponent("corpora/ci-logs")
        let logspecRoot = root.appendingPathComponent("logspec")
        let kbuild = CorpusLocator.files(under: logspecRoot.appendingPathComponent("kbuild"), suffix: ".expected.json")
        let expectations =
            ["linux_boot", "test_baseline", "test_kselftest"].flatMap {
                Self.logspecExpectations(logspecRoot.appendingPathComponent($0))
            } + Self.squadExpectations(root.appendingPathComponent("squad"))
            + Self.tuxparseExpectations(root.appendingPathComponent("tuxparse"))
        var total = 0
        var found = 0
        var missed: [String] = []
        var unmatched: [String] = []
        var byTool: [String: (found: Int, total: Int)] = [:]
        for expectation in expectations {
            let incidents = try Self.incidents(of: expectation.log)
            // Each incident meets as many problems as the kernel lines it stands for.
            var uses: [Int: Int] = [:]
            for problem in expectation.problems {
                total += 1
                var met = false
                if let (patterns, minimum) = problem.atLeast {
                    let named = patterns.filter { pattern in incidents.contains { Self.names($0, pattern) } }
                    for (index, incident) in incidents.enumerated()
                    where named.contains(where: { Self.names(incident, $0) }) {
                        uses[index, default: 0] += 1
                    }
                    met = named.count >= minimum
                } else {
                    let holders = incidents.indices.filter { problem.isMet(by: incidents[$0]) }
                    let unused = holders.filter { uses[$0, default: 0] < Self.occurrences(of: incidents[$0]) }
                    let named = unused.filter { index in
                        problem.kindWord.map { Self.names(incidents[index], $0) } ?? true
                    }
                    if let index = named.first ?? unused.first ?? (problem.sharesIncident ? holders.first : nil) {
                        uses[index, default: 0] += 1
                        met = true
                    }
                }
                byTool[problem.tool, default: (0, 0)].total += 1
                if met {
                    found += 1
                    byTool[problem.tool, default: (0, 0)].found += 1
                } else {
                    missed.append("\(problem.tool) \(problem.file): \(problem.label)")
                }
            }
            for (index, incident) in incidents.enumerated() where uses[index] == nil {
                unmatched.append(
                    "\(expectation.log.lastPathComponent):\(incident.header.number) \(incident.kind.rawValue)"
                        + " \"\(incident.identity?.title ?? incident.title)\"")
            }
        }
        let excluded = expectations.flatMap(\.excluded)
        let kbuildErrors = kbuild.reduce(0) { count, url in
            count + ((Self.json(url)["expected"] as? [String: Any])?["errors"] as? [Any] ?? []).count
        }
        print("ci-logs kernel problems found: \(found)/\(total) \(byTool.sorted { $0.key < $1.key })")
        print("ci-logs excluded: \(kbuildErrors) kbuild errors (build output), \(excluded.count) others: \(excluded)")
        for line in missed { print("  MISSED \(line)") }
        for line in unmatched { print("  UNMATCHED \(line)") }
        #expect(total > 0)
        #expect(found == total, "\(total - found) expected problems missed:\n\(missed.joined(separator: "\n"))")
    }
}
