// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// The kind of memory an address points into, or the kind of value it really is.
///
/// The raw value is the stable `class` string of the JSON output.
public enum AddressRegion: String, Sendable, Hashable, CaseIterable {
    case user
    /// 0 … PAGE_SIZE-1: a NULL pointer plus a member offset.
    case null
    case directMap = "direct-map"
    case lowmem
    case vmalloc
    case vmemmap
    case modules
    case kernelText = "kernel-text"
    /// x86_64 0xffffffffa0000000 … 0xffffffffbfffffff: the image with KASLR, modules without.
    case kernelTextOrModules = "kernel-text-or-modules"
    case fixmap
    case pkmap
    case vectors
    case cpuEntryArea = "cpu-entry-area"
    case kasanShadow = "kasan-shadow"
    case ldtRemap = "ldt-remap"
    case espFixup = "esp-fixup"
    case efi
    case vsyscall
    case bpfJit = "bpf-jit"
    case pciIO = "pci-io"
    case deviceTree = "device-tree"
    case guardHole = "guard-hole"
    case hole = "unmapped-hole"
    case nonCanonical = "non-canonical"
    case errPtr = "err-ptr"
    case listPoison = "list-poison"
    case slabPoison = "slab-poison"
    case magic
    /// A `%p` value hashed by the kernel (4.15+): not an address.
    case hashed

    /// Whether a pointer here may be a valid kernel data pointer (slab objects, list links).
    public var isKernelData: Bool {
        switch self {
        case .directMap, .lowmem, .vmalloc, .vmemmap, .kernelText, .kernelTextOrModules, .modules, .fixmap, .pkmap,
            .cpuEntryArea:
            true
        default: false
        }
    }
}
