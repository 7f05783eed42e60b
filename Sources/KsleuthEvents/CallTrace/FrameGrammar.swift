// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The frame syntaxes of the kernel's unwinders, read by hand byte by byte.
///
/// One line is read as a sequence of the tokens the architectures print, in any of these
/// shapes (leading blanks allowed):
///
/// | architecture | frame line |
/// | --- | --- |
/// | x86_64, i386 (4.x and later) | ` func+0x1d/0x60 [mod]`, ` ? func+0x1d/0x60` |
/// | x86, mips, riscv, loongarch, old arm64 | ` [<ffffffff81234567>] func+0x1d/0x60`, ` [<…>] ? func+…` |
/// | x86_64 2.6 | ` <ffffffff8016eb2c>{drain_array_locked+188} <…>{cache_reap+210}` |
/// | arm64 | ` func+0x1d/0x60 [mod]` after `Call trace:` |
/// | arm32 | `[<c003c6ec>] (__dabt_svc+0x4c/0x60) from [<c00405a4>] (__bug+0x1c/0x28)`, `(a) from (b)` |
/// | ppc64, ppc32 | `[c000000001234567] [c000000000123456] func+0x1c/0x60 (unreliable)` |
/// | s390 | ` [<0000000000112345>] func+0x52/0x78`, ` ([<…>] func+0x52/0x78)` |
/// | symbolized | ` func+0x1d/0x60 net/ipv6/raw.c:932`, ` inlined_callee net/ipv6/raw.c:613 [inline]` |
public enum FrameGrammar {
    /// A line that opens or closes a stack section.
    public enum SectionMarker: Sendable, Equatable {
        /// `<IRQ>`, `<NMI>`, `<SOFTIRQ>`, `<#DF>`, `<#MC>`, `<DB>`: frames after it belong to it.
        case enter(StackFrame.Section)
        /// `<EOI>`, `</IRQ>`, `</NMI>`, `<EOE>`, `</SOFTIRQ>`: back to the enclosing section.
        case leave
        /// `<TASK>` or `</TASK>`: the task stack again.
        case task
    }

    /// The frames one line holds.
    public struct LineFrames: Sendable, Equatable {
        /// The frames, left to right.
        public var frames: [StackFrame]
        /// arm32's caller (`… from [<addr>] (caller+0x1c/0x28)`), which is the next line's
        /// frame unless the trace ends here.
        public var caller: StackFrame?

        public var isEmpty: Bool { frames.isEmpty }
    }

    private static let markers: [(String, SectionMarker)] = [
        ("<IRQ>", .enter(.irq)), ("</IRQ>", .leave), ("<EOI>", .leave), ("<NMI>", .enter(.nmi)), ("</NMI>", .leave),
        ("<EOE>", .leave), ("<SOFTIRQ>", .enter(.softirq)), ("</SOFTIRQ>", .leave), ("<TASK>", .task),
        ("</TASK>", .task), ("<#DF>", .enter(.exception)), ("</#DF>", .leave), ("<#MC>", .enter(.exception)),
        ("</#MC>", .leave), ("<DB>", .enter(.exception)), ("</DB>", .leave),
    ]

    /// The section marker `line` consists of, if any.
    public static func sectionMarker(_ line: [UInt8]) -> SectionMarker? {
        var reader = ByteReader(line)
        reader.skipBlanks()
        guard reader.peek == UInt8(ascii: "<") else { return nil }
        let rest = reader.remaining.trimmingTrailingBlanks()
        for (text, marker) in markers where rest.elementsEqual(text.utf8) { return marker }
        return nil
    }

    /// The section marker that opens `line` and the frame text after it, as 3.x x86 printed
    /// the first frame of an interrupt stack: ` <IRQ>  [<ffffffff81656735>] dump_stack+0x19/0x1b`.
    public static func leadingSectionMarker(_ line: [UInt8]) -> (marker: SectionMarker, rest: [UInt8])? {
        var reader = ByteReader(line)
        reader.skipBlanks()
        guard reader.peek == UInt8(ascii: "<") else { return nil }
        for (text, marker) in markers where reader.hasPrefix(Array(text.utf8)) {
            let end = reader.position + text.utf8.count
            guard end < line.count, line[end] == 0x20 || line[end] == 0x09 else { continue }
            return (marker, Array(line[end...]))
        }
        return nil
    }

    private static let programCounterKeys: [[UInt8]] = [
        "RIP: ", "EIP: ", "IP: ", "pc : ", "PC is at ", "NIP [", "NIP: ", "NIP ", "epc : ", "epc   : ", "era : ",
        "ERA: ", "Krnl PSW : ",
    ].map { Array($0.utf8) }

    /// The frame of a program-counter line (`RIP: 0010:func+0x1d/0x60`, `pc : func+…`,
    /// `PC is at func+…`, `NIP [c000…] func+…`, `epc : … func+…`), if it names a function.
    public static func programCounterFrame(_ line: [UInt8]) -> StackFrame? {
        var reader = ByteReader(line)
        reader.skipBlanks()
        guard let key = programCounterKeys.first(where: { reader.hasPrefix($0) }) else { return nil }
        if key.last == UInt8(ascii: "[") { reader.position += key.count - 1 } else { reader.position += key.count }
        // A segment selector (`0010:`) before the address or the function.
        let mark = reader.position
        if reader.readDigits(radix: 16) != nil, reader.peek == UInt8(ascii: ":") {
            reader.position += 1
        } else {
            reader.position = mark
        }
        var address: UInt64?
        for _ in 0..<4 {
            reader.skipBlanks()
            if let value = reader.readBracketedAddress() {
                address = value
            } else if let value = reader.readBareAddress() {
                address = value
            } else {
                break
            }
        }
        reader.skipBlanks()
        guard var frame = readSymbol(&reader) else { return nil }
        if frame.address == nil { frame.address = address }
        readSuffixes(&reader, into: &frame)
        return frame
    }

    /// Whether `line` can only come from inside a crash report.
    ///
    /// A program-counter line, a trace header, a named frame or the `Code:` bytes: a log whose
    /// first lines are such is the tail of a report whose header it lost.
    public static func startsReportTail(_ line: [UInt8]) -> Bool {
        var reader = ByteReader(line)
        reader.skipBlanks()
        for header in ["Call Trace:", "Call trace:", "Code: "] where reader.hasPrefix(Array(header.utf8)) {
            return true
        }
        if programCounterFrame(line) != nil { return true }
        return frames(in: line).frames.contains { !$0.function.isEmpty }
    }

    /// The frames of `line`; empty when the line is no frame line.
    public static func frames(in line: [UInt8]) -> LineFrames {
        var reader = ByteReader(line)
        reader.skipBlanks()
        var result = LineFrames(frames: [])
        // 2.6 x86_64: "<ffffffff8016eb2c>{drain_array_locked+188}", several per line.
        if reader.peek == UInt8(ascii: "<") {
            while let frame = readOldStyle(&reader) {
                result.frames.append(frame)
                reader.skipBlanks()
            }
            return result
        }
        var reliable = true
        var address: UInt64?
        var parenthesized = false
        for _ in 0..<4 {
            reader.skipBlanks()
            if reader.peek == UInt8(ascii: "("), reader.peek(at: 1) == UInt8(ascii: "[") {
                reader.position += 1
                parenthesized = true
            }
            if let value = reader.readBracketedAddress() {
                address = value
            } else if reader.peek == UInt8(ascii: "?"), reader.peek(at: 1) == UInt8(ascii: " ") {
                reliable = false
                reader.position += 2
            } else {
                break
            }
        }
        reader.skipBlanks()
        // A frame the unwinder could not name: "[<000003fffd4a1d92>] 0x3fffd4a1d92".
        if let address, let frame = readAddressOnly(&reader, address: address) {
            result.frames.append(StackFrame(address: frame, function: "", isReliable: reliable))
            return result
        }
        // Sanitizer-style frames (LKL): "#4 0x0000000000a60a36 in func path/file.c:0:31".
        if address == nil, let frame = readNumberedFrame(&reader) {
            result.frames.append(frame)
            return result
        }
        // arm32: "(func+0x4c/0x60) from [<c00405a4>] (caller+0x1c/0x28)".
        if reader.peek == UInt8(ascii: "(") {
            reader.position += 1
            guard var frame = readSymbol(&reader) ?? readBareName(&reader), reader.peek == UInt8(ascii: ")") else {
                return result
            }
            reader.position += 1
            frame.address = frame.address ?? address
            frame.isReliable = reliable
            result.frames.append(frame)
            reader.skipBlanks()
            if reader.skip(Array("from".utf8)) {
                reader.skipBlanks()
                let callerAddress = reader.readBracketedAddress()
                reader.skipBlanks()
                if reader.peek == UInt8(ascii: "("), reader.advance(),
                    var caller = readSymbol(&reader) ?? readBareName(&reader)
                {
                    caller.address = caller.address ?? callerAddress
                    result.caller = caller
                }
            }
            return result
        }
        // arm32 since 5.x: "callee from caller+0x18/0x1c", no addresses, no parentheses.
        let mark = reader.position
        if var callee = readSymbol(&reader) ?? readWord(&reader), reader.skip(Array(" from ".utf8)),
            var caller = readSymbol(&reader) ?? readWord(&reader)
        {
            callee.isReliable = reliable
            caller.isReliable = reliable
            result.frames.append(callee)
            result.caller = caller
            return result
        }
        reader.position = mark
        // decode_stacktrace.sh: "__schedule (kernel/sched/core.c:5404 kernel/sched/core.c:6790) (T)".
        if let frame = readDecodedFrame(&reader) {
            var frame = frame
            frame.address = address
            frame.isReliable = reliable
            result.frames.append(frame)
            return result
        }
        reader.position = mark
        guard var frame = readSymbol(&reader, allowInline: true) else { return result }
        frame.address = frame.address ?? address
        frame.isReliable = reliable
        if parenthesized, reader.peek == UInt8(ascii: ")") { reader.position += 1 }
        readSuffixes(&reader, into: &frame)
        result.frames.append(frame)
        return result
    }

    // MARK: - Pieces

    /// `name+0xOFF/0xSIZE`, `name+0xOFF`, or (with `allowInline`) `name path/file.c:12`.
    ///
    /// ppc64's ELFv1 ABI names a function's code `.name` (the plain name is its descriptor):
    /// `.eeh_dev_check_failure+0x27c/0x390` is the function `eeh_dev_check_failure`.
    private static func readSymbol(_ reader: inout ByteReader, allowInline: Bool = false) -> StackFrame? {
        let entry = reader.position
        if reader.peek == UInt8(ascii: "."), reader.position + 1 < reader.bytes.endIndex,
            reader.bytes[reader.position + 1].isIdentifierHead
        {
            reader.position += 1
        }
        let start = reader.position
        guard let first = reader.peek, first.isIdentifierHead else {
            reader.position = entry
            return nil
        }
        while let byte = reader.peek, byte.isIdentifierBody { reader.position += 1 }
        let name = String(decoding: reader.bytes[start..<reader.position], as: UTF8.self)
        if reader.peek == UInt8(ascii: "+") {
            reader.position += 1
            guard reader.skip(Array("0x".utf8)), let offset = reader.readDigits(radix: 16) else {
                reader.position = entry
                return nil
            }
            var frame = StackFrame(function: name, offset: offset)
            if reader.peek == UInt8(ascii: "/") {
                reader.position += 1
                _ = reader.skip(Array("0x".utf8))
                frame.size = reader.readDigits(radix: 16)
            }
            return frame
        }
        guard allowInline, reader.peek == UInt8(ascii: " ") else {
            reader.position = entry
            return nil
        }
        reader.skipBlanks()
        guard let (file, line) = readSourceLocation(&reader) else {
            reader.position = entry
            return nil
        }
        var frame = StackFrame(function: name, file: file, line: line)
        reader.skipBlanks()
        if reader.skip(Array("[inline]".utf8)) { frame.isInlined = true }
        return frame
    }

    /// A bare function name followed by a blank or the end of the line.
    private static func readWord(_ reader: inout ByteReader) -> StackFrame? {
        let start = reader.position
        guard let first = reader.peek, first.isIdentifierHead else { return nil }
        while let byte = reader.peek, byte.isIdentifierBody { reader.position += 1 }
        guard reader.peek == nil || reader.peek == UInt8(ascii: " ") else {
            reader.position = start
            return nil
        }
        return StackFrame(function: String(decoding: reader.bytes[start..<reader.position], as: UTF8.self))
    }

    /// arm32's bare `(func)`: a name with no offset, closed by `)`.
    private static func readBareName(_ reader: inout ByteReader) -> StackFrame? {
        let start = reader.position
        guard let first = reader.peek, first.isIdentifierHead else { return nil }
        while let byte = reader.peek, byte.isIdentifierBody { reader.position += 1 }
        guard reader.peek == UInt8(ascii: ")") else {
            reader.position = start
            return nil
        }
        return StackFrame(function: String(decoding: reader.bytes[start..<reader.position], as: UTF8.self))
    }

    /// The address an unnamed frame repeats after its bracketed one (`0x3fffd4a1d92`), or the
    /// bracketed address itself when nothing follows; `nil` when text follows.
    private static func readAddressOnly(_ reader: inout ByteReader, address: UInt64) -> UInt64? {
        let mark = reader.position
        if reader.peek == nil { return address }
        if reader.skip(Array("0x".utf8)), let value = reader.readDigits(radix: 16) {
            reader.skipBlanks()
            if reader.peek == nil { return value }
        }
        reader.position = mark
        return nil
    }

    /// `#4 0x0000000000a60a36 in func path/file.c:0:31`, the frames of sanitizer-style
    /// unwinders (the Linux Kernel Library prints them under `Linux Kernel Library Stack Trace:`).
    private static func readNumberedFrame(_ reader: inout ByteReader) -> StackFrame? {
        let mark = reader.position
        guard reader.skip(Array("#".utf8)), reader.readDigits(radix: 10) != nil, reader.skip(Array(" 0x".utf8)),
            let address = reader.readDigits(radix: 16), reader.skip(Array(" in ".utf8)),
            let name = readWord(&reader)
        else {
            reader.position = mark
            return nil
        }
        var frame = StackFrame(address: address, function: name.function)
        reader.skipBlanks()
        if let (file, line) = readSourceLocation(&reader) {
            frame.file = file
            frame.line = line > 0 ? line : nil
        }
        return frame
    }

    /// decode_stacktrace.sh's `func (path/file.c:740)`.
    ///
    /// An inlined chain prints several locations (innermost first, the function's own last);
    /// arm64's unwinder mark (`(T)`, `(P)`, `(L)`) may follow. A line cut short after a whole
    /// location still gives the frame.
    private static func readDecodedFrame(_ reader: inout ByteReader) -> StackFrame? {
        let mark = reader.position
        guard var frame = readWord(&reader), reader.skip(Array(" (".utf8)) else {
            reader.position = mark
            return nil
        }
        var locations: [(String, Int)] = []
        while let location = readSourceLocation(&reader) {
            locations.append(location)
            guard reader.skip(Array(" ".utf8)) else { break }
        }
        guard let own = locations.last else {
            reader.position = mark
            return nil
        }
        frame.file = own.0
        frame.line = own.1
        return frame
    }

    /// `[mod]`, `[mod buildid]`, `path/file.c:12`, `[inline]`, `(unreliable)` after a symbol.
    private static func readSuffixes(_ reader: inout ByteReader, into frame: inout StackFrame) {
        for _ in 0..<6 {
            reader.skipBlanks()
            guard let byte = reader.peek else { return }
            if reader.skip(Array("[inline]".utf8)) {
                frame.isInlined = true
            } else if reader.skip(Array("(unreliable)".utf8)) {
                frame.isReliable = false
            } else if byte == UInt8(ascii: "[") {
                let start = reader.position + 1
                guard let close = reader.bytes[start...].firstIndex(of: UInt8(ascii: "]")) else { return }
                let inside = reader.bytes[start..<close]
                let name = inside.prefix { $0 != UInt8(ascii: " ") }
                if !name.isEmpty, name.allSatisfy(\.isIdentifierBody) {
                    frame.module = String(decoding: name, as: UTF8.self)
                }
                reader.position = close + 1
            } else if let (file, line) = readSourceLocation(&reader) {
                frame.file = file
                frame.line = line
            } else {
                return
            }
        }
    }

    /// `dir/file.c:123` (optionally `:123:45`).
    private static func readSourceLocation(_ reader: inout ByteReader) -> (String, Int)? {
        let start = reader.position
        while let byte = reader.peek, byte.isPathByte { reader.position += 1 }
        let path = reader.bytes[start..<reader.position]
        guard reader.peek == UInt8(ascii: ":"), path.contains(UInt8(ascii: ".")) else {
            reader.position = start
            return nil
        }
        reader.position += 1
        guard let line = reader.readDigits(radix: 10), line < 10_000_000 else {
            reader.position = start
            return nil
        }
        if reader.peek == UInt8(ascii: ":"), reader.peek(at: 1)?.isDigit == true {
            reader.position += 1
            _ = reader.readDigits(radix: 10)
        }
        var text = Substring(String(decoding: path, as: UTF8.self))
        while text.hasPrefix("./") { text = text.dropFirst(2) }
        return (String(text), Int(line))
    }

    /// 2.6 x86_64's `<ffffffff8016eb2c>{drain_array_locked+188}`.
    private static func readOldStyle(_ reader: inout ByteReader) -> StackFrame? {
        let start = reader.position
        guard reader.peek == UInt8(ascii: "<") else { return nil }
        reader.position += 1
        guard let address = reader.readDigits(radix: 16), reader.peek == UInt8(ascii: ">") else {
            reader.position = start
            return nil
        }
        reader.position += 1
        guard reader.peek == UInt8(ascii: "{") else {
            reader.position = start
            return nil
        }
        reader.position += 1
        let nameStart = reader.position
        while let byte = reader.peek, byte.isIdentifierBody { reader.position += 1 }
        guard reader.position > nameStart else {
            reader.position = start
            return nil
        }
        let name = String(decoding: reader.bytes[nameStart..<reader.position], as: UTF8.self)
        var offset: UInt64?
        if reader.peek == UInt8(ascii: "+") {
            reader.position += 1
            offset = reader.readDigits(radix: 10)
        }
        guard reader.peek == UInt8(ascii: "}") else {
            reader.position = start
            return nil
        }
        reader.position += 1
        return StackFrame(address: address, function: name, offset: offset)
    }
}

/// A cursor over one line's bytes.
struct ByteReader {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    func peek(at distance: Int) -> UInt8? {
        position + distance < bytes.count ? bytes[position + distance] : nil
    }

    var remaining: ArraySlice<UInt8> { bytes[min(position, bytes.count)...] }

    mutating func advance() -> Bool {
        guard position < bytes.count else { return false }
        position += 1
        return true
    }

    mutating func skipBlanks() {
        while let byte = peek, byte == 0x20 || byte == 0x09 { position += 1 }
    }

    func hasPrefix(_ prefix: [UInt8]) -> Bool {
        bytes.count - position >= prefix.count && bytes[position..<position + prefix.count].elementsEqual(prefix)
    }

    mutating func skip(_ prefix: [UInt8]) -> Bool {
        guard hasPrefix(prefix) else { return false }
        position += prefix.count
        return true
    }

    /// Up to 16 digits of `radix`; `nil` when there is none.
    mutating func readDigits(radix: UInt64) -> UInt64? {
        var value: UInt64 = 0
        var count = 0
        while let byte = peek, let digit = byte.digitValue(radix: radix) {
            if count < 16 { value = value &* radix &+ digit }
            count += 1
            position += 1
        }
        return count == 0 ? nil : value
    }

    /// `[<ffffffff81234567>]`, `[<c003c6ec>]` or PowerPC's `[c000000000123456]`.
    mutating func readBracketedAddress() -> UInt64? {
        let start = position
        guard peek == UInt8(ascii: "[") else { return nil }
        position += 1
        let angled = peek == UInt8(ascii: "<")
        if angled { position += 1 }
        _ = skip(Array("0x".utf8))
        while peek == UInt8(ascii: " ") { position += 1 }
        guard let value = readDigits(radix: 16) else {
            position = start
            return nil
        }
        if angled {
            guard peek == UInt8(ascii: ">") else {
                position = start
                return nil
            }
            position += 1
        }
        guard peek == UInt8(ascii: "]") else {
            position = start
            return nil
        }
        position += 1
        return value
    }

    /// A bare hexadecimal address of 8 or more digits followed by a blank (mips `epc`).
    mutating func readBareAddress() -> UInt64? {
        let start = position
        _ = skip(Array("0x".utf8))
        let digitsStart = position
        guard let value = readDigits(radix: 16), position - digitsStart >= 8, peek == UInt8(ascii: " ") else {
            position = start
            return nil
        }
        return value
    }
}

extension ArraySlice<UInt8> {
    func trimmingTrailingBlanks() -> ArraySlice<UInt8> {
        var result = self
        while let last = result.last, last == 0x20 || last == 0x09 { result.removeLast() }
        return result
    }
}

extension UInt8 {
    var isDigit: Bool { self >= 0x30 && self <= 0x39 }

    var isIdentifierHead: Bool {
        (self >= 0x41 && self <= 0x5a) || (self >= 0x61 && self <= 0x7a) || self == 0x5f
    }

    var isIdentifierBody: Bool { isIdentifierHead || isDigit || self == 0x2e || self == 0x24 }

    var isPathByte: Bool { isIdentifierBody || self == 0x2f || self == 0x2d }

    func digitValue(radix: UInt64) -> UInt64? {
        let value: UInt64
        switch self {
        case 0x30...0x39: value = UInt64(self - 0x30)
        case 0x61...0x66: value = UInt64(self - 0x61 + 10)
        case 0x41...0x46: value = UInt64(self - 0x41 + 10)
        default: return nil
        }
        return value < radix ? value : nil
    }
}
