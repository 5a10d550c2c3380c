/*
 * The one way to open a swap area, for every writer (format, relabel, the
 * surface scan, the engine's area backend, putting back a swap magic over
 * a hibernation image) and, read-only, for verify:
 *
 *  - only a regular file or a block device.  A FIFO, socket, character
 *    device or directory is refused from stat(2), before open(2) could
 *    block on it; the open is non-blocking too and checked to be the file
 *    that was looked at, so a path swapped meanwhile is refused as well;
 *  - for writing, never an active swap area nor a mounted block device,
 *    and block devices exclusively (O_EXCL): refused while anyone else
 *    holds them so (a filesystem, md, LVM, device-mapper, another writer);
 *  - for writing, every signature libblkid finds other than swap is
 *    refused unless the caller is forced.  A disk once used whole as swap
 *    and then partitioned keeps its old swap magic beside the partition
 *    table: it is not plainly ours, and writing to it or activating it
 *    destroys what is there.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

static int refuse_kind(struct swapctl_ctx *ctx, const char *path, const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return swapctl_fail_refused(ctx, EISDIR, "%s: is a directory", path);
	if (S_ISFIFO(st->st_mode))
		return swapctl_fail_refused(ctx, EINVAL, "%s: is a FIFO, not a regular file or block device", path);
	return swapctl_fail_refused(ctx, EINVAL, "%s: not a regular file or block device", path);
}

/* Open path with flags, refusing anything but a regular file or block device. */
static int open_checked(struct swapctl_ctx *ctx, const char *path, int flags, struct stat *st)
{
	struct stat now;
	int fd, e;

	if (stat(path, st) < 0)
		return swapctl_fail_errno(ctx, errno, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st->st_mode) && !S_ISBLK(st->st_mode))
		return refuse_kind(ctx, path, st);
	fd = open(path, flags | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		if (e == EBUSY && (flags & O_EXCL))
			return swapctl_fail_refused(ctx, EBUSY, "%s: is in use by another process", path);
		return swapctl_fail_errno(ctx, e, "%s: %s", path, strerror(e));
	}
	if (fstat(fd, &now) < 0 || now.st_dev != st->st_dev || now.st_ino != st->st_ino ||
	    (now.st_mode & S_IFMT) != (st->st_mode & S_IFMT)) {
		close(fd);
		return swapctl_fail_system(ctx, EAGAIN, "%s: changed while it was being opened", path);
	}
	*st = now;
	/* the rest of the I/O is ordinary blocking I/O */
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		e = errno;
		close(fd);
		return swapctl_fail_errno(ctx, e, "%s: %s", path, strerror(e));
	}
	return fd;
}

int area_open_read(struct swapctl_ctx *ctx, const char *path, struct stat *st)
{
	return open_checked(ctx, path, O_RDONLY, st);
}

int area_foreign(struct swapctl_ctx *ctx, int fd, const char *path, struct probe_found *foreign)
{
	return area_foreign_at(ctx, fd, 0, path, foreign);
}

int area_foreign_at(struct swapctl_ctx *ctx, int fd, uint64_t offset, const char *path,
		    struct probe_found *foreign)
{
	struct probe_found all;
	unsigned i;
	int r;

	memset(foreign, 0, sizeof(*foreign));
	r = probe_signatures_at(ctx, fd, offset, path, &all);
	if (r < 0)
		return r;
	/* swap is ours; a hibernation image is the header's business */
	for (i = 0; i < all.n; i++)
		if (strcmp(all.what[i], "swap") && strncmp(all.what[i], "hibernation", 11))
			memcpy(foreign->what[foreign->n++], all.what[i], sizeof(all.what[i]));
	return 0;
}

void area_foreign_list(const struct probe_found *f, char *buf, size_t size)
{
	size_t len = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < f->n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", f->what[i]);
}

int area_refuse_foreign(struct swapctl_ctx *ctx, const char *path, const struct probe_found *f,
			const char *hint)
{
	char list[600];

	area_foreign_list(f, list, sizeof(list));
	/* EBUSY: what is on it is in use by something else (EEXIST would read
	 * as a duplicate name in a trace) */
	return swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, EBUSY,
				  "%s: refusing to write to it: besides the swap header it holds %s (%s)",
				  path, list, hint);
}

int area_open_write(struct swapctl_ctx *ctx, const char *path, unsigned flags, struct area_fd *a)
{
	char mnt[4096];
	int oflags = O_RDWR, r;

	memset(a, 0, sizeof(*a));
	a->fd = -1;
	if (stat(path, &a->st) < 0)
		return swapctl_fail_errno(ctx, errno, "%s: %s", path, strerror(errno));
	if (!S_ISREG(a->st.st_mode) && !S_ISBLK(a->st.st_mode))
		return refuse_kind(ctx, path, &a->st);
	if (!(flags & AREA_CYCLED) && probe_is_active_swap(ctx, &a->st))
		return swapctl_fail_refused(ctx, EBUSY, "%s: is an active swap area (deactivate it first)", path);
	if (S_ISBLK(a->st.st_mode)) {
		if (probe_is_mounted(ctx, a->st.st_rdev, mnt, sizeof(mnt)))
			return swapctl_fail_refused(ctx, EBUSY, "%s: is mounted on %s", path, mnt);
		oflags |= O_EXCL;       /* fails while anyone else holds it exclusively */
	}
	a->fd = open_checked(ctx, path, oflags, &a->st);
	if (a->fd < 0) {
		r = a->fd;
		a->fd = -1;
		return r;
	}
	r = area_foreign(ctx, a->fd, path, &a->foreign);
	if (r == 0 && a->foreign.n && !(flags & AREA_FORCE))
		r = area_refuse_foreign(ctx, path, &a->foreign,
					"swapctl -F -f wipes them and writes a new header");
	/* after the probe: libblkid's reads are not aligned for O_DIRECT */
	if (r == 0 && (flags & AREA_DIRECT))
		a->direct = fcntl(a->fd, F_SETFL, fcntl(a->fd, F_GETFL) | O_DIRECT) == 0;
	if (r < 0) {
		close(a->fd);
		a->fd = -1;
	}
	return r;
}
