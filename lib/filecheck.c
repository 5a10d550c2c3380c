/*
 * What the kernel checks on a swap file before it takes it: every byte
 * backed by a real extent (no holes, nothing inline, shared or delayed),
 * no copy-on-write on btrfs; and what an administrator should check: the
 * mode and owner, since swap holds other processes' memory.
 */
#include <errno.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/statvfs.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "internal.h"

/* a path operand that cannot be taken for an option */
#define P(path) shell_path(path, (char[4100]){ 0 }, 4100)

#define FIEMAP_BATCH 128

static const struct {
	unsigned long magic;
	const char *name;
} fs_names[] = {
	{ EXT4_SUPER_MAGIC, "ext4" },
	{ XFS_SUPER_MAGIC, "xfs" },
	{ BTRFS_SUPER_MAGIC, "btrfs" },
	{ TMPFS_MAGIC, "tmpfs" },
	{ NFS_SUPER_MAGIC, "nfs" },
	{ 0x2011bab0, "exfat" },
	{ MSDOS_SUPER_MAGIC, "vfat" },
	{ 0x65735546, "fuse" },
	{ OVERLAYFS_SUPER_MAGIC, "overlay" },
	{ 0xf2f52010, "f2fs" },
	{ 0x2fc12fc1, "zfs" },
	{ RAMFS_MAGIC, "ramfs" },
	{ V9FS_MAGIC, "9p" },
	{ SQUASHFS_MAGIC, "squashfs" },
};

/*
 * Filesystems whose files the kernel cannot swap to: swapon(2) needs the
 * file's address space to map its blocks (bmap, or swap_activate as xfs,
 * btrfs, f2fs, NFS and SMB have), and these have neither, so swapon fails
 * with EINVAL.  ext2/3/4, xfs, btrfs (NOCOW), f2fs, vfat, exfat, jfs, NFS
 * and others can; a filesystem not named here is left to the kernel.
 */
static const struct {
	unsigned long magic;
	const char *name;
} no_swap_fs[] = {
	{ TMPFS_MAGIC, "tmpfs" },
	{ RAMFS_MAGIC, "ramfs" },
	{ OVERLAYFS_SUPER_MAGIC, "overlay" },
	{ 0x65735546, "fuse" },
	{ 0x2fc12fc1, "zfs" },
	{ V9FS_MAGIC, "9p" },
	{ CEPH_SUPER_MAGIC, "ceph" },
	{ ECRYPTFS_SUPER_MAGIC, "ecryptfs" },
	{ 0xca451a4e, "bcachefs" },
	{ SQUASHFS_MAGIC, "squashfs" },
	{ 0xe0f5e1e2, "erofs" },
	{ CRAMFS_MAGIC, "cramfs" },
	{ ISOFS_SUPER_MAGIC, "iso9660" },
};

int filecheck_fs_refusal(unsigned long magic, unsigned long flags, char *why, size_t size)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(no_swap_fs); i++) {
		if (no_swap_fs[i].magic == magic) {
			snprintf(why, size, "a file on %s cannot be swap: the kernel swaps only to files "
				 "whose filesystem maps their blocks (bmap or swap_activate)",
				 no_swap_fs[i].name);
			return 1;
		}
	}
	if (flags & ST_RDONLY) {
		snprintf(why, size, "the filesystem is mounted read-only; swapon needs to write to the file");
		return 1;
	}
	return 0;
}

static void fs_name(unsigned long magic, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fs_names); i++) {
		if (fs_names[i].magic == magic) {
			snprintf(buf, size, "%s", fs_names[i].name);
			return;
		}
	}
	snprintf(buf, size, "0x%lx", magic);
}

/* Walk the extents once; report holes and extents the kernel cannot swap to. */
static void check_extents(struct swapctl_ctx *ctx, int fd, uint64_t size, struct swapctl_report *rep)
{
	struct fiemap *fm;
	uint64_t expect = 0, holes = 0, first_hole = UINT64_MAX;
	uint64_t shared = 0, odd = 0;
	bool last = false;

	fm = calloc(1, sizeof(*fm) + FIEMAP_BATCH * sizeof(struct fiemap_extent));
	if (!fm)
		return;
	while (!last && expect < size) {
		unsigned i;

		memset(fm, 0, sizeof(*fm));
		fm->fm_start = expect;
		fm->fm_length = size - expect;
		fm->fm_flags = FIEMAP_FLAG_SYNC;
		fm->fm_extent_count = FIEMAP_BATCH;
		if (ioctl(fd, FS_IOC_FIEMAP, fm) < 0) {
			dbg(ctx, "%s: FIEMAP: %s", rep->path, strerror(errno));
			free(fm);
			return;         /* not every filesystem has it */
		}
		if (fm->fm_mapped_extents == 0)
			break;
		for (i = 0; i < fm->fm_mapped_extents; i++) {
			struct fiemap_extent *e = &fm->fm_extents[i];

			if (e->fe_logical > expect) {
				holes += e->fe_logical - expect;
				if (first_hole == UINT64_MAX)
					first_hole = expect;
			}
			if (e->fe_flags & FIEMAP_EXTENT_SHARED)
				shared += e->fe_length;
			if (e->fe_flags & (FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC |
					   FIEMAP_EXTENT_DATA_INLINE | FIEMAP_EXTENT_DATA_TAIL |
					   FIEMAP_EXTENT_NOT_ALIGNED | FIEMAP_EXTENT_ENCODED))
				odd += e->fe_length;
			if (e->fe_logical + e->fe_length > expect)
				expect = e->fe_logical + e->fe_length;
			if (e->fe_flags & FIEMAP_EXTENT_LAST)
				last = true;
		}
	}
	free(fm);
	if (expect < size) {
		holes += size - expect;
		if (first_hole == UINT64_MAX)
			first_hole = expect;
	}
	if (holes) {
		char fix[256], bytes[24];

		snprintf(bytes, sizeof(bytes), "%llu", (unsigned long long)size);
		shell_command(fix, sizeof(fix),
			      (const char *const[]){ "swapctl", "-F", "-S", bytes, P(rep->path), NULL });
		report_add(rep, SWAPCTL_D_HOLES, fix,
			   "file has holes: %llu bytes not allocated, the first at offset %llu",
			   (unsigned long long)holes, (unsigned long long)first_hole);
	}
	if (shared)
		report_add(rep, SWAPCTL_D_SHARED, NULL,
			   "file shares %llu bytes of extents with another file (reflink or snapshot)",
			   (unsigned long long)shared);
	if (odd)
		report_add(rep, SWAPCTL_D_UNSUPPORTED_EXTENT, NULL,
			   "%llu bytes are in extents the kernel cannot swap to (inline, encoded or unknown)",
			   (unsigned long long)odd);
}

static void check_cow(int fd, unsigned long fstype, struct swapctl_report *rep)
{
	int flags = 0;
	char fix[512], rm[256], mk[256], bytes[24];

	if (fstype != BTRFS_SUPER_MAGIC)
		return;
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0 || (flags & FS_NOCOW_FL))
		return;
	/* NOCOW can only be set on an empty file, so the fix recreates it */
	snprintf(bytes, sizeof(bytes), "%llu", (unsigned long long)rep->size);
	if (shell_command(rm, sizeof(rm), (const char *const[]){ "rm", P(rep->path), NULL }) < 0 ||
	    shell_command(mk, sizeof(mk),
			  (const char *const[]){ "swapctl", "-F", "-S", bytes, P(rep->path), NULL }) < 0)
		fix[0] = '\0';
	else
		snprintf(fix, sizeof(fix), "%s && %s", rm, mk);
	report_add(rep, SWAPCTL_D_COW, fix,
		   "copy-on-write file on btrfs; the kernel refuses it (needs the NOCOW attribute, chattr +C, set while empty)");
}

void filecheck_run(struct swapctl_ctx *ctx, int fd, const struct stat *st,
		   struct swapctl_report *rep)
{
	struct statfs sfs;
	char fix[256], why[200];

	/*
	 * An area at an offset of a file is reached through a block device
	 * (losetup --offset), never swapped to as a file: what the kernel
	 * checks on swap files does not apply to it, who may read it does.
	 */
	bool as_file = S_ISREG(st->st_mode) && !rep->offset;

	if (S_ISREG(st->st_mode)) {
		if (fstatfs(fd, &sfs) == 0) {
			fs_name((unsigned long)sfs.f_type, rep->fstype, sizeof(rep->fstype));
			if (as_file && filecheck_fs_refusal((unsigned long)sfs.f_type,
							    (unsigned long)sfs.f_flags, why, sizeof(why)))
				report_add(rep, SWAPCTL_D_FILESYSTEM, NULL, "%s", why);
			if (as_file)
				check_cow(fd, (unsigned long)sfs.f_type, rep);
		}
		if (as_file)
			check_extents(ctx, fd, (uint64_t)st->st_size, rep);
		if (st->st_mode & 077) {
			shell_command(fix, sizeof(fix),
				      (const char *const[]){ "chmod", "0600", P(rep->path), NULL });
			report_add(rep, SWAPCTL_D_MODE, fix,
				   "insecure mode %04o: other users can read swapped memory",
				   (unsigned)(st->st_mode & 07777));
		}
		if (st->st_uid != 0) {
			shell_command(fix, sizeof(fix),
				      (const char *const[]){ "chown", "0:0", P(rep->path), NULL });
			report_add(rep, SWAPCTL_D_OWNER, fix,
				   "owned by uid %u, not root", (unsigned)st->st_uid);
		}
	} else if (S_ISBLK(st->st_mode) && (st->st_mode & 007)) {
		shell_command(fix, sizeof(fix),
			      (const char *const[]){ "chmod", "0660", P(rep->path), NULL });
		report_add(rep, SWAPCTL_D_MODE, fix,
			   "insecure mode %04o: other users can read swapped memory",
			   (unsigned)(st->st_mode & 07777));
	}
}
