/*
 * The kernel's view: active swap areas (/proc/swaps) and mounts
 * (/proc/self/mountinfo), both read through libmount and the sysroot.
 */
#include <errno.h>
#include <libmount.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "internal.h"

static struct libmnt_table *parse_table(struct swapctl_ctx *ctx, const char *file, bool swaps)
{
	struct libmnt_table *tb = mnt_new_table();
	char path[4096];
	int r;

	if (!tb)
		return NULL;
	if (sysroot_path(ctx, file, path, sizeof(path)) < 0) {
		mnt_unref_table(tb);
		return NULL;
	}
	r = swaps ? mnt_table_parse_swaps(tb, path) : mnt_table_parse_file(tb, path);
	if (r < 0) {
		dbg(ctx, "%s: cannot parse: %s", path, strerror(-r));
		mnt_unref_table(tb);
		return NULL;
	}
	return tb;
}

/* Same object: a block device by its number, a file by device and inode. */
static bool same_file(const struct stat *a, const struct stat *b)
{
	if (S_ISBLK(a->st_mode))
		return S_ISBLK(b->st_mode) && a->st_rdev == b->st_rdev;
	return !S_ISBLK(b->st_mode) && a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

int probe_is_active_swap(struct swapctl_ctx *ctx, const struct stat *st)
{
	struct libmnt_table *tb = parse_table(ctx, "/proc/swaps", true);
	struct libmnt_iter *it;
	struct libmnt_fs *fs;
	int found = 0;

	if (!tb)
		return 0;
	it = mnt_new_iter(MNT_ITER_FORWARD);
	while (it && !found && mnt_table_next_fs(tb, it, &fs) == 0) {
		const char *src = mnt_fs_get_srcpath(fs);
		struct stat s2;

		if (src && stat(src, &s2) == 0 && same_file(st, &s2))
			found = 1;
	}
	mnt_free_iter(it);
	mnt_unref_table(tb);
	return found;
}

int probe_is_mounted(struct swapctl_ctx *ctx, dev_t devno, char *mnt, size_t size)
{
	struct libmnt_table *tb = parse_table(ctx, "/proc/self/mountinfo", false);
	struct libmnt_fs *fs;

	if (!tb)
		return 0;
	fs = mnt_table_find_devno(tb, devno, MNT_ITER_FORWARD);
	if (fs)
		snprintf(mnt, size, "%s", mnt_fs_get_target(fs) ? mnt_fs_get_target(fs) : "?");
	mnt_unref_table(tb);
	return fs != NULL;
}
