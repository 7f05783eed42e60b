// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Gathers the snapshot files of one incident, line by line, into what ``SnapshotAnalysis``
/// explains: one meminfo or free, the zone files, slab and vmalloc tables, vmstat, and the
/// memory of each process.
///
/// Every line is read, whatever the incident's evidence cap: the tables are summed as they go
/// (vmalloc areas by caller, mappings by kind), so memory is bounded by the number of caches,
/// callers and processes, not by the size of the files.
public struct SnapshotCollector: Sendable {
    /// The files read, in order.
    public private(set) var sources: [SnapshotSource] = []
    var meminfoLines: [Substring] = []
    var freeLines: [Substring] = []
    var buddy = BuddyInfoParser()
    var pageTypes = PageTypeInfoParser()
    var zoneInfo = ZoneInfoParser()
    var slab = SlabInfoFileParser()
    var vmalloc = VmallocInfoParser()
    var vmstat: [String: Int64] = [:]
    /// Processes by the directory their files are in (`proc/1/`), in the order first seen.
    var processes: [(key: String, parser: ProcessMemoryParser)] = []
    /// Formats given more than once: the later file's lines add to the earlier's.
    var repeatedFormats: Set<SnapshotFormat> = []
    private var current: (source: SnapshotSource, processIndex: Int?)?

    /// The most lines of a meminfo or free file kept (the kernel prints about 60).
    static let maximumMeminfoLines = 512

    public init() {}

    /// Starts the file `file` of `format`; `processKey` groups a process's files (its directory).
    public mutating func begin(file: String, format: SnapshotFormat, processKey: String) {
        finishCurrent()
        if sources.contains(where: { $0.format == format }) && !Self.perProcess.contains(format) {
            repeatedFormats.insert(format)
        }
        var processIndex: Int?
        if Self.perProcess.contains(format) {
            if let index = processes.firstIndex(where: { $0.key == processKey }) {
                processIndex = index
            } else {
                processes.append((processKey, ProcessMemoryParser()))
                processIndex = processes.count - 1
            }
        }
        current = (SnapshotSource(file: file, format: format, lines: 0), processIndex)
    }

    /// The formats that describe one process.
    static let perProcess: Set<SnapshotFormat> = [.status, .statm, .maps, .smaps, .smapsRollup]

    /// Reads one line of the current file (without its line end).
    public mutating func read(_ line: Substring) {
        guard let open = current else { return }
        var source = open.source
        let processIndex = open.processIndex
        source.lines += 1
        current = (source, processIndex)
        switch source.format {
        case .meminfo: if meminfoLines.count < Self.maximumMeminfoLines { meminfoLines.append(line) }
        case .free: if freeLines.count < Self.maximumMeminfoLines { freeLines.append(line) }
        case .buddyinfo: buddy.read(line.trimmingSpaces())
        case .pagetypeinfo: pageTypes.read(line.trimmingSpaces())
        case .zoneinfo: zoneInfo.read(line)
        case .slabinfo, .slabtop: slab.read(line)
        case .vmallocinfo: vmalloc.read(line.trimmingSpaces())
        case .vmstat:
            let parts = line.trimmingSpaces().split(separator: " ")
            if parts.count == 2, let value = Int64(parts[1]) { vmstat[String(parts[0])] = value }
        case .status, .statm, .maps, .smaps, .smapsRollup:
            if let processIndex { processes[processIndex].parser.read(line, format: source.format) }
        }
    }

    /// Ends the last file.
    public mutating func finish() { finishCurrent() }

    private mutating func finishCurrent() {
        guard let open = current else { return }
        var source = open.source
        let processIndex = open.processIndex
        if source.format == .maps, let processIndex, processes[processIndex].parser.sawSmapsFields {
            source.format = .smaps
        }
        sources.append(source)
        current = nil
    }
}
