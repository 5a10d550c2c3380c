/*
 * swapctl -F: a new swap header on a path.
 *
 * Careful in this order: everything that can refuse (path kind, active
 * swap, mounted, held open, foreign signatures, filesystem, size) is
 * checked before the first byte is written, so a refusal leaves nothing
 * changed.  Only then are old signatures wiped and the header written,
 * synced, read back and checked (headerio.c).  The area is opened through
 * areaopen.c; with -S the file is built beside the target (newfile.c) and
 * renamed over it once whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "internal.h"

static int fill_uuid(struct swapctl_ctx *ctx, const struct swapctl_format_opts *o, unsigned char *u)
{
	switch (o->uuid_mode) {
	case SWAPCTL_UUID_RANDOM:
	case SWAPCTL_UUID_TIME:
		swapctl_uuid_generate(o->uuid_mode == SWAPCTL_UUID_TIME, u);
		return 0;
	case SWAPCTL_UUID_CLEAR:
		memset(u, 0, 16);
		return 0;
	case SWAPCTL_UUID_GIVEN:
		memcpy(u, o->uuid, 16);
		return 0;
	}
	return swapctl_fail_input(ctx, EINVAL, "unknown UUID mode %d", (int)o->uuid_mode);
}

/* A freshly created or emptied file: no copy-on-write where that exists. */
static void set_nocow(struct swapctl_ctx *ctx, int fd, const char *path)
{
	int flags = 0;

	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0)
		return;
	if (flags & FS_NOCOW_FL)
		return;
	flags |= FS_NOCOW_FL;
	if (ioctl(fd, FS_IOC_SETFLAGS, &flags) < 0)
		dbg(ctx, "%s: cannot set NOCOW: %s", path, strerror(errno));
}

/*
 * Give a regular file exactly size bytes, all of them allocated (the kernel
 * refuses holes).  With secure, also mode 0600 and owner root, as -S does.
 */
static int prepare_file(struct swapctl_ctx *ctx, int fd, const char *path, uint64_t size,
			const struct stat *st, bool secure)
{
	if (st->st_size == 0)
		set_nocow(ctx, fd, path);
	if ((uint64_t)st->st_size != size && ftruncate(fd, (off_t)size) < 0)
		return swapctl_fail_errno(ctx, errno, "%s: cannot resize to %llu bytes: %s", path,
				    (unsigned long long)size, strerror(errno));
	if (fallocate(fd, 0, 0, (off_t)size) < 0) {
		int e = errno;

		if (e == EOPNOTSUPP || e == ENOSYS)
			e = posix_fallocate(fd, 0, (off_t)size);
		if (e)
			return swapctl_fail_errno(ctx, e, "%s: cannot allocate %llu bytes: %s", path,
					    (unsigned long long)size, strerror(e));
	}
	if (!secure)
		return 0;
	if ((st->st_mode & 07777) != 0600 && fchmod(fd, 0600) < 0)
		return swapctl_fail_errno(ctx, errno, "%s: cannot set mode 0600: %s", path, strerror(errno));
	if (geteuid() == 0 && (st->st_uid != 0 || st->st_gid != 0) && fchown(fd, 0, 0) < 0)
		return swapctl_fail_errno(ctx, errno, "%s: cannot give it to root: %s", path, strerror(errno));
	return 0;
}

/*
 * Open what is at path now, refusing what must never be overwritten (see
 * areaopen.c; the signatures are check_signatures' business here).  With
 * -S the target is replaced by a new file, so it need not exist, and what
 * exists must be a regular file, never a symlink: *fd is -1 when there is
 * nothing yet.
 */
static int open_target(struct swapctl_ctx *ctx, const char *path, const struct swapctl_format_opts *o,
		       struct stat *st, int *fd)
{
	struct area_fd a;
	int r;

	*fd = -1;
	if (o->size) {
		if (lstat(path, st) < 0) {
			if (errno != ENOENT)
				return swapctl_fail_errno(ctx, errno, "%s: %s", path, strerror(errno));
			memset(st, 0, sizeof(*st));
			st->st_mode = S_IFREG | 0600;
			return 0;
		}
		if (S_ISLNK(st->st_mode))
			return swapctl_fail_refused(ctx, EINVAL, "%s: is a symbolic link; -S puts a new file in its place: "
					    "give the file's own path", path);
		if (S_ISBLK(st->st_mode))
			return swapctl_fail_refused(ctx, EINVAL, "%s: -S sets the size of a file, not of a block device",
					    path);
	} else if (stat(path, st) < 0) {
		return swapctl_fail_errno(ctx, errno, "%s: %s%s", path, strerror(errno),
				    errno == ENOENT ? " (give -S SIZE to create a swap file)" : "");
	}
	r = area_open_write(ctx, path, AREA_FORCE, &a);
	if (r < 0)
		return r;
	*st = a.st;
	*fd = a.fd;
	return 0;
}

/* A header page built from hp, written at offset, synced and read back. */
static int write_header(struct swapctl_ctx *ctx, int fd, const char *path,
			const struct swapctl_header_params *hp, uint64_t offset)
{
	unsigned char *page = calloc(1, hp->pagesize);
	int r;

	if (!page)
		return -ENOMEM;
	r = swapctl_header_build(ctx, page, hp);
	if (r == 0)
		r = header_write(ctx, fd, path, offset, page, hp->pagesize, 0);
	free(page);
	return r;
}

/* Files on filesystems the kernel cannot swap to (-V reports them). */
static int refuse_fs(struct swapctl_ctx *ctx, const char *path, int fd)
{
	char dir[4096], why[200];
	struct statfs sfs;
	const char *slash;
	int r;

	if (fd >= 0) {
		r = fstatfs(fd, &sfs);
	} else {
		slash = strrchr(path, '/');
		snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
		r = statfs(dir, &sfs);
	}
	if (r == 0 && filecheck_fs_refusal((unsigned long)sfs.f_type, (unsigned long)sfs.f_flags,
					   why, sizeof(why)))
		return swapctl_fail_refused(ctx, EINVAL, "%s: %s", path, why);
	return 0;
}

/* -S: a new file of size bytes with its header, renamed over path when whole. */
static int build_new_file(struct swapctl_ctx *ctx, const char *path, uint64_t size,
			  const struct swapctl_header_params *hp, uint64_t offset)
{
	struct newfile nf;
	struct stat st;
	int r;

	r = newfile_open(ctx, path, 0600, &nf);
	if (r < 0)
		return r;
	/* an area at an offset is never swapped to as a file (losetup --offset) */
	r = offset ? 0 : refuse_fs(ctx, path, nf.fd);
	if (r == 0 && fstat(nf.fd, &st) < 0)
		r = swapctl_fail_errno(ctx, errno, "%s: %s", path, strerror(errno));
	if (r == 0)
		r = prepare_file(ctx, nf.fd, path, size, &st, true);
	if (r == 0)
		r = write_header(ctx, nf.fd, path, hp, offset);
	if (r < 0) {
		newfile_abort(&nf);
		return r;
	}
	return newfile_commit(ctx, &nf, path);
}

static void join_found(const struct probe_found *f, bool skip_swap, char *buf, size_t size)
{
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < f->n; i++) {
		if (skip_swap && !strcmp(f->what[i], "swap"))
			continue;
		if (buf[0])
			strncat(buf, ", ", size - strlen(buf) - 1);
		strncat(buf, f->what[i], size - strlen(buf) - 1);
	}
}

/*
 * Before a header at an offset: what path holds from its start, outside
 * the area (a partition table the area is a partition of, a filesystem the
 * area would be written into), is refused without force, and never wiped.
 */
static int check_before(struct swapctl_ctx *ctx, int fd, const char *path,
			const struct swapctl_format_opts *o)
{
	struct probe_found before;
	char list[600];
	int r;

	r = area_foreign(ctx, fd, path, &before);
	if (r < 0 || !before.n || o->force)
		return r;
	area_foreign_list(&before, list, sizeof(list));
	return swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, EEXIST,
				  "%s: refusing to write a header at offset %llu: from its start it holds %s "
				  "(-f writes the header and leaves them as they are)",
				  path, (unsigned long long)o->offset, list);
}

/*
 * Signatures we must not overwrite without force (an old swap header is
 * fine), in the area: size bytes from offset.
 */
static int check_signatures(struct swapctl_ctx *ctx, int fd, const char *path, uint64_t offset,
			    uint64_t size, const struct swapctl_format_opts *o, struct probe_found *found)
{
	unsigned char *buf;
	struct swapctl_header *h;
	char list[512];
	size_t len;
	int r;

	memset(found, 0, sizeof(*found));
	if (fd < 0 || size == 0)
		return 0;
	r = probe_signatures_at(ctx, fd, offset, path, found);
	if (r < 0)
		return r;
	/* our own parser knows TuxOnIce and friends even where libblkid may not */
	buf = malloc(HEADER_READ_MAX);
	h = malloc(sizeof(*h));
	if (!buf || !h) {
		free(buf);
		free(h);
		return -ENOMEM;
	}
	if (header_read(fd, offset, size, buf, &len) == 0 && len >= SWAPCTL_PAGESIZE_MIN &&
	    swapctl_header_parse(buf, len, h) == 0 && h->sig != SWAPCTL_SIG_NONE &&
	    h->sig != SWAPCTL_SIG_SWAPSPACE2 && h->sig != SWAPCTL_SIG_SWAPSPACE1) {
		bool have = false;
		unsigned i;

		for (i = 0; i < found->n; i++)
			have |= !strncmp(found->what[i], "hibernation", 11);
		if (!have && found->n < ARRAY_SIZE(found->what))
			snprintf(found->what[found->n++], sizeof(found->what[0]),
				 "hibernation image (%s)", swapctl_sig_name(h->sig));
	}
	free(buf);
	free(h);
	join_found(found, true, list, sizeof(list));
	if (list[0] && !o->force)
		return swapctl_fail_refused(ctx, EEXIST, "%s: refusing to overwrite what is on it: %s (use -f to wipe it)", path, list);
	return 0;
}

SWAPCTL_EXPORT int swapctl_area_format(struct swapctl_ctx *ctx, const char *path,
				       const struct swapctl_format_opts *o,
				       struct swapctl_format_result *res)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_header_params hp = { 0 };
	struct probe_found found, wiped;
	struct stat st;
	uint64_t size, now;
	int fd, r;

	memset(res, 0, sizeof(*res));
	hp.pagesize = o->pagesize ? o->pagesize : swapctl_kernel_pagesize();
	hp.endian = o->endian;
	hp.label = o->label;
	if (o->label && strlen(o->label) > SWAPCTL_LABEL_MAX)
		return swapctl_fail_input(ctx, EINVAL, "%s: label '%s' is %zu bytes long; at most %d fit",
				    path, o->label, strlen(o->label), SWAPCTL_LABEL_MAX);
	if (fill_uuid(ctx, o, hp.uuid) < 0)
		return -EINVAL;
	if (o->offset % hp.pagesize)
		return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
					  "%s: offset %llu is not a multiple of the page size %u", path,
					  (unsigned long long)o->offset, hp.pagesize);

	r = open_target(ctx, path, o, &st, &fd);
	if (r < 0)
		return r;
	if (o->size)
		size = o->size;
	else if ((r = fd_size(fd, &size)) < 0)
		goto out;
	if (o->offset && o->offset >= size) {
		r = swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
				       "%s: offset %llu is past its end (%llu bytes)", path,
				       (unsigned long long)o->offset, (unsigned long long)size);
		goto out;
	}
	size -= o->offset;      /* the area's bytes */
	hp.pages = size / hp.pagesize;
	if (hp.pages > (uint64_t)UINT32_MAX + 1) {
		info(ctx, "%s: only the first 2^32 pages can be used", path);
		hp.pages = (uint64_t)UINT32_MAX + 1;
	}
	if (hp.pages < SWAPCTL_MIN_PAGES) {
		r = swapctl_fail_refused(ctx, EINVAL, "%s: too small (%llu bytes); a swap area needs at least %u pages (%u KiB)",
				 path, (unsigned long long)size, SWAPCTL_MIN_PAGES,
				 SWAPCTL_MIN_PAGES * hp.pagesize / 1024);
		goto out;
	}
	/* an area at an offset is never swapped to as a file (losetup --offset) */
	if (S_ISREG(st.st_mode) && !o->offset && (r = refuse_fs(ctx, path, fd)) < 0)
		goto out;
	/*
	 * What is on it now: a block device's whole size, a file's current
	 * length.  -S replaces the whole file, whatever the offset; else an
	 * area at an offset is probed alone, and what is before it refused.
	 */
	now = S_ISBLK(st.st_mode) ? size + o->offset : (uint64_t)st.st_size;
	if (o->offset && !o->size) {
		r = check_before(ctx, fd, path, o);
		if (r == 0)
			r = check_signatures(ctx, fd, path, o->offset, now - o->offset, o, &found);
	} else {
		r = check_signatures(ctx, fd, path, 0, now, o, &found);
	}
	if (r < 0)
		goto out;

	res->pages = hp.pages;
	res->pagesize = hp.pagesize;
	memcpy(res->uuid, hp.uuid, 16);
	res->created = fd < 0;
	res->resized = fd >= 0 && o->size && (uint64_t)st.st_size != o->size;
	if (o->dry_run || o->size) {
		/* -S replaces the file: nothing of what was in it is kept */
		for (res->nwiped = 0; res->nwiped < found.n; res->nwiped++)
			memcpy(res->wiped[res->nwiped], found.what[res->nwiped], sizeof(res->wiped[0]));
		if (o->dry_run)
			goto out;
	}
	if (o->size) {
		if (fd >= 0)
			close(fd);      /* nothing was written to it */
		fd = -1;
		r = build_new_file(ctx, path, o->size, &hp, o->offset);
		goto out;
	}
	/* holes are allocated for the kernel, which reads a swap file itself;
	 * an image holding an area at an offset stays as sparse as it is */
	if (S_ISREG(st.st_mode) && !o->offset) {
		r = prepare_file(ctx, fd, path, (uint64_t)st.st_size, &st, false);
		if (r < 0)
			goto out;
	}
	if (found.n) {
		r = probe_wipe_at(ctx, fd, o->offset, path, &wiped);
		if (r < 0)
			goto out;
		for (res->nwiped = 0; res->nwiped < wiped.n; res->nwiped++)
			memcpy(res->wiped[res->nwiped], wiped.what[res->nwiped], sizeof(res->wiped[0]));
	}
	r = write_header(ctx, fd, path, &hp, o->offset);
out:
	if (fd >= 0 && close(fd) < 0 && r == 0)
		r = swapctl_fail_errno(ctx, errno, "%s: %s", path, strerror(errno));
	return r;
}
