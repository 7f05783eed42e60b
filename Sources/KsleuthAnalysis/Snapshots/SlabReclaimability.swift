// ksleuth — Linux kernel log forensics. SPDX-License-Identifier: Apache-2.0

/// Whether a slab cache's memory counts as reclaimable (`SReclaimable`): caches created with
/// `SLAB_RECLAIM_ACCOUNT`, whose objects the shrinkers free under pressure.
///
/// slabinfo does not print the flag, so it is read from the cache's name with a table kept
/// as data: the dcache (`dentry`; `dentry_cache` in old kernels) and inode caches, buffer
/// heads, the page-cache radix tree / xarray nodes, and the `kmalloc-rcl-*` caches (4.20+).
/// The kmalloc caches and the caches of kernel objects with an owner (tasks, files, sockets)
/// are not reclaimable; other names are unknown.
enum SlabReclaimability {
    /// Caches created with `SLAB_RECLAIM_ACCOUNT`.
    static let reclaimableNames: Set<String> = [
        "dentry", "dentry_cache", "inode_cache", "buffer_head", "radix_tree_node", "xfs_inode", "xfs_ili", "mbcache",
        "ext4_extent_status", "ext4_inode_cache", "ext3_inode_cache", "ext2_inode_cache", "proc_inode_cache",
        "sock_inode_cache", "nfs_inode_cache", "btrfs_inode", "fuse_inode", "ovl_inode", "f2fs_inode_cache",
        "fat_inode_cache", "isofs_inode_cache", "squashfs_inode_cache", "ceph_inode_info", "cifs_inode_cache",
        "jbd2_journal_head", "kernfs_iattrs_cache", "v9fs_inode_cache", "zfs_znode_cache",
    ]
    /// Name prefixes of reclaimable caches.
    static let reclaimablePrefixes = ["kmalloc-rcl-", "dma-kmalloc-rcl-"]
    /// Caches known not to be reclaimable (besides the plain kmalloc caches).
    static let unreclaimableNames: Set<String> = [
        "task_struct", "mm_struct", "vm_area_struct", "anon_vma", "anon_vma_chain", "filp", "files_cache",
        "signal_cache", "sighand_cache", "cred_jar", "pid", "kernfs_node_cache", "shmem_inode_cache",
        "skbuff_head_cache", "skbuff_fclone_cache", "TCP", "TCPv6", "UDP", "UDPv6", "names_cache",
        "biovec-max", "bio-0", "vmap_area", "lsm_file_cache", "seq_file", "sigqueue", "kmem_cache",
        "kmem_cache_node", "pde_opener", "task_delay_info", "numa_policy", "uid_cache", "net_namespace",
    ]
    /// Name prefixes of unreclaimable caches.
    static let unreclaimablePrefixes = ["kmalloc-", "dma-kmalloc-", "size-", "kmalloc-cg-"]

    /// `true` or `false` when the name says, `nil` when it does not.
    static func isReclaimable(_ name: String) -> Bool? {
        if reclaimableNames.contains(name) || reclaimablePrefixes.contains(where: { name.hasPrefix($0) }) {
            return true
        }
        if unreclaimableNames.contains(name) || unreclaimablePrefixes.contains(where: { name.hasPrefix($0) }) {
            return false
        }
        return nil
    }
}
