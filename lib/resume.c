/*
 * The kernel's hibernation parameters for a swap area: resume=UUID=... names
 * the block device, and for a swap file resume_offset= gives the file's first
 * page on that device, in pages (the kernel reads the swap header there).
 *
 * A file's first physical block comes from FIEMAP.  On btrfs FIEMAP gives an
 * address in the filesystem's own logical space, so it is mapped to the
 * device through the chunk tree (single-device filesystems with one stripe
 * per chunk: what btrfs itself accepts swap files on); the UUID is the
 * filesystem's, as blkid shows it.
 */
#include <blkid.h>
#include <endian.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <linux/btrfs.h>
#include <linux/btrfs_tree.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <uuid/uuid.h>
#include "internal.h"

/* The UUID blkid finds on a block device (a filesystem's, or a swap area's). */
static int device_uuid(struct swapctl_ctx *ctx, const char *dev, char *uuid)
{
	blkid_probe pr;
	const char *v;
	int r = -ENOENT;

	pr = blkid_new_probe_from_filename(dev);
	if (!pr)
		return swapctl_fail_errno(ctx, errno ? errno : EIO, "%s: cannot probe", dev);
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_UUID);
	if (blkid_do_safeprobe(pr) == 0 && blkid_probe_lookup_value(pr, "UUID", &v, NULL) == 0) {
		snprintf(uuid, 37, "%s", v);
		r = 0;
	}
	blkid_free_probe(pr);
	if (r < 0)
		return swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, ENOENT, "%s: no UUID: the kernel "
					  "cannot be told where to resume", dev);
	return 0;
}

/* The first extent of the file: its physical byte address, checked usable. */
static int first_extent(struct swapctl_ctx *ctx, int fd, const char *path, uint64_t *phys)
{
	struct {
		struct fiemap fm;
		struct fiemap_extent e[1];
	} m;

	memset(&m, 0, sizeof(m));
	m.fm.fm_start = 0;
	m.fm.fm_length = 1;
	m.fm.fm_flags = FIEMAP_FLAG_SYNC;
	m.fm.fm_extent_count = 1;
	if (ioctl(fd, FS_IOC_FIEMAP, &m.fm) < 0)
		return swapctl_fail_errno(ctx, errno, "%s: FIEMAP: %s", path, strerror(errno));
	if (m.fm.fm_mapped_extents < 1 || m.e[0].fe_logical != 0)
		return swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, ENODATA,
					  "%s: its first page is a hole", path);
	if (m.e[0].fe_flags & (FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DELALLOC |
			       FIEMAP_EXTENT_ENCODED | FIEMAP_EXTENT_DATA_INLINE |
			       FIEMAP_EXTENT_NOT_ALIGNED | FIEMAP_EXTENT_UNWRITTEN))
		return swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, ENODATA,
					  "%s: its first extent has no fixed place on the device", path);
	/* the kernel's swap extents start on page boundaries of the device */
	if (m.e[0].fe_physical % swapctl_kernel_pagesize())
		return swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, ENODATA,
					  "%s: its first page does not start on a page boundary of "
					  "the device (filesystem blocks smaller than a page)", path);
	*phys = m.e[0].fe_physical;
	return 0;
}

/* btrfs: the device address of a logical address, from the chunk tree. */
static int btrfs_map(struct swapctl_ctx *ctx, int fd, const char *path, uint64_t logical,
		     uint64_t *phys)
{
	struct btrfs_ioctl_search_args args;
	struct btrfs_ioctl_search_key *k = &args.key;
	uint64_t min_offset = 0;

	for (;;) {
		size_t pos = 0;
		uint32_t i;

		memset(&args, 0, sizeof(args));
		k->tree_id = BTRFS_CHUNK_TREE_OBJECTID;
		k->min_objectid = k->max_objectid = BTRFS_FIRST_CHUNK_TREE_OBJECTID;
		k->min_type = k->max_type = BTRFS_CHUNK_ITEM_KEY;
		k->min_offset = min_offset;
		k->max_offset = logical;
		k->max_transid = UINT64_MAX;
		k->nr_items = 512;
		if (ioctl(fd, BTRFS_IOC_TREE_SEARCH, &args) < 0)
			return swapctl_fail_errno(ctx, errno, "%s: btrfs chunk tree: %s", path, strerror(errno));
		if (k->nr_items == 0)
			break;
		for (i = 0; i < k->nr_items; i++) {
			struct btrfs_ioctl_search_header sh;
			struct btrfs_chunk c;
			struct btrfs_stripe s;

			if (pos + sizeof(sh) > sizeof(args.buf))
				break;
			memcpy(&sh, args.buf + pos, sizeof(sh));
			pos += sizeof(sh);
			if (pos + sh.len > sizeof(args.buf))
				break;
			if (sh.type == BTRFS_CHUNK_ITEM_KEY && sh.len >= sizeof(c)) {
				memcpy(&c, args.buf + pos, sizeof(c));
				if (sh.offset <= logical && logical - sh.offset < le64toh(c.length)) {
					if (le16toh(c.num_stripes) != 1 &&
					    !(le64toh(c.type) & BTRFS_BLOCK_GROUP_DUP))
						return swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, ENOTSUP,
									  "%s: on a btrfs chunk striped "
									  "over several devices", path);
					/* the first stripe: a single or DUP chunk's first copy */
					memcpy(&s, args.buf + pos + offsetof(struct btrfs_chunk, stripe),
					       sizeof(s));
					*phys = le64toh(s.offset) + (logical - sh.offset);
					return 0;
				}
			}
			pos += sh.len;
			min_offset = sh.offset + 1;
		}
		if (min_offset == 0 || min_offset > logical)
			break;
	}
	return swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, ENOENT,
				  "%s: no btrfs chunk holds its first extent", path);
}

static int btrfs_params(struct swapctl_ctx *ctx, int fd, const char *path,
			struct swapctl_resume *res)
{
	struct btrfs_ioctl_fs_info_args fi;
	uint64_t logical, phys = 0;
	int r;

	memset(&fi, 0, sizeof(fi));
	if (ioctl(fd, BTRFS_IOC_FS_INFO, &fi) < 0)
		return swapctl_fail_errno(ctx, errno, "%s: btrfs fs info: %s", path, strerror(errno));
	if (fi.num_devices != 1)
		return swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, ENOTSUP,
					  "%s: on a btrfs of %llu devices (resume needs one)", path,
					  (unsigned long long)fi.num_devices);
	uuid_unparse_lower(fi.fsid, res->uuid);
	r = first_extent(ctx, fd, path, &logical);
	if (r < 0)
		return r;
	r = btrfs_map(ctx, fd, path, logical, &phys);
	if (r < 0)
		return r;
	res->offset = phys / swapctl_kernel_pagesize();
	return 0;
}

SWAPCTL_EXPORT int swapctl_resume_params(struct swapctl_ctx *ctx, const char *path,
				     struct swapctl_resume *res)
{
	SWAPCTL_ENTER(ctx);
	struct statfs sf;
	struct stat st;
	char *dev;
	uint64_t phys;
	int fd, r;

	memset(res, 0, sizeof(*res));
	/* O_NONBLOCK: a FIFO must not hang the open; it is refused below */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return swapctl_fail_errno(ctx, errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		r = swapctl_fail_errno(ctx, errno, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (S_ISBLK(st.st_mode)) {
		/* a swap partition: the kernel finds it by the swap area's UUID */
		res->is_file = false;
		r = device_uuid(ctx, path, res->uuid);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, EINVAL,
				       "%s: neither a regular file nor a block device", path);
		goto out;
	}
	res->is_file = true;
	if (fstatfs(fd, &sf) == 0 && (unsigned long)sf.f_type == BTRFS_SUPER_MAGIC) {
		r = btrfs_params(ctx, fd, path, res);
		goto out;
	}
	dev = blkid_devno_to_devname(st.st_dev);
	if (!dev) {
		r = swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, ENODEV,
				       "%s: its filesystem is on no block device (%u:%u)", path,
				       major(st.st_dev), minor(st.st_dev));
		goto out;
	}
	snprintf(res->device, sizeof(res->device), "%s", dev);
	free(dev);
	r = device_uuid(ctx, res->device, res->uuid);
	if (r < 0)
		goto out;
	r = first_extent(ctx, fd, path, &phys);
	if (r < 0)
		goto out;
	res->offset = phys / swapctl_kernel_pagesize();
out:
	close(fd);
	return r;
}
