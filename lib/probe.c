/*
 * libblkid: which signatures sit on a file or device, and wiping them.
 * Formatting never writes over something libblkid recognises unless forced,
 * and then erases exactly what it found through libblkid.
 */
#include <blkid.h>
#include <errno.h>
#include <string.h>
#include "internal.h"

/* A probe of fd from byte offset to its end (size bytes; 0: the whole of fd). */
static blkid_probe probe_new(struct swapctl_ctx *ctx, int fd, uint64_t offset, uint64_t size,
			     const char *path)
{
	blkid_probe pr = blkid_new_probe();

	if (!pr)
		return NULL;
	if (blkid_probe_set_device(pr, fd, (blkid_loff_t)offset, (blkid_loff_t)size) != 0) {
		dbg(ctx, "%s: libblkid cannot probe it", path);
		blkid_free_probe(pr);
		return NULL;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_USAGE |
					  BLKID_SUBLKS_MAGIC | BLKID_SUBLKS_BADCSUM);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_MAGIC);
	return pr;
}

/* Describe the current probe result: "ext4 filesystem", "gpt partition table". */
static void describe(blkid_probe pr, char *buf, size_t size)
{
	const char *type = NULL, *usage = NULL;

	if (blkid_probe_lookup_value(pr, "TYPE", &type, NULL) == 0) {
		blkid_probe_lookup_value(pr, "USAGE", &usage, NULL);
		if (!strcmp(type, "swsuspend"))
			snprintf(buf, size, "hibernation image (swsuspend)");
		else if (!strcmp(type, "swap"))
			snprintf(buf, size, "swap");
		else if (usage && !strcmp(usage, "raid"))
			snprintf(buf, size, "%s RAID member", type);
		else if (usage && !strcmp(usage, "crypto"))
			snprintf(buf, size, "%s encrypted volume", type);
		else
			snprintf(buf, size, "%s %s", type, usage && !strcmp(usage, "filesystem") ?
				 "filesystem" : "signature");
	} else if (blkid_probe_lookup_value(pr, "PTTYPE", &type, NULL) == 0) {
		snprintf(buf, size, "%s partition table", type);
	} else {
		snprintf(buf, size, "unknown signature");
	}
}

static void found_add(struct probe_found *f, const char *what)
{
	unsigned i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->what[i], what))
			return;
	if (f->n < ARRAY_SIZE(f->what))
		snprintf(f->what[f->n++], sizeof(f->what[0]), "%s", what);
}

static int probe_loop(struct swapctl_ctx *ctx, int fd, uint64_t offset, const char *path,
		      struct probe_found *found, bool wipe)
{
	blkid_probe pr;
	uint64_t size = 0;
	char what[64];
	int r;

	memset(found, 0, sizeof(*found));
	/* an area at an offset is probed alone, from there to the end */
	if (offset) {
		r = fd_size(fd, &size);
		if (r < 0)
			return swapctl_fail_errno(ctx, -r, "%s: cannot get its size: %s", path, strerror(-r));
		if (size <= offset)
			return 0;
		size -= offset;
	}
	pr = probe_new(ctx, fd, offset, size, path);
	if (!pr)
		return swapctl_fail_system(ctx, EIO, "%s: libblkid cannot probe it", path);
	while ((r = blkid_do_probe(pr)) == 0) {
		describe(pr, what, sizeof(what));
		found_add(found, what);
		if (wipe && blkid_do_wipe(pr, 0) != 0) {
			r = -errno ? -errno : -EIO;
			blkid_free_probe(pr);
			return swapctl_fail_errno(ctx, -r, "%s: cannot wipe the %s: %s", path, what,
					    strerror(-r));
		}
	}
	blkid_free_probe(pr);
	if (r < 0)
		return swapctl_fail_system(ctx, EIO, "%s: libblkid probing failed", path);
	return 0;
}

int probe_signatures(struct swapctl_ctx *ctx, int fd, const char *path, struct probe_found *found)
{
	return probe_loop(ctx, fd, 0, path, found, false);
}

int probe_signatures_at(struct swapctl_ctx *ctx, int fd, uint64_t offset, const char *path,
			struct probe_found *found)
{
	return probe_loop(ctx, fd, offset, path, found, false);
}

int probe_wipe(struct swapctl_ctx *ctx, int fd, const char *path, struct probe_found *found)
{
	return probe_loop(ctx, fd, 0, path, found, true);
}

int probe_wipe_at(struct swapctl_ctx *ctx, int fd, uint64_t offset, const char *path,
		  struct probe_found *found)
{
	return probe_loop(ctx, fd, offset, path, found, true);
}
