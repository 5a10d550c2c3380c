/*
 * Operations on a swap area given by path: verify, format, relabel.
 *
 * Areas are opened through areaopen.c (the one way, for every writer).
 * Format is careful in this order: everything that can refuse (path kind,
 * active swap, mounted, held open, foreign signatures, filesystem, size) is
 * checked before the first byte is written, so a refusal leaves nothing
 * changed.  Only then are old signatures wiped and the header written,
 * synced, read back and checked.  With -S the file is built beside the
 * target (newfile.c) and renamed over it once whole.
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

/* Enough of the start of an area to find a magic at any page size. */
#define PROBE_LEN SWAPCTL_PAGESIZE_MAX

static int read_start(int fd, uint64_t size, unsigned char *buf, size_t *len)
{
	size_t want = size < PROBE_LEN ? (size_t)size : PROBE_LEN, got;
	int r;

	memset(buf, 0, PROBE_LEN);
	*len = want;
	r = want ? pread_full(fd, buf, want, 0) : 0;
	if (r != -EIO)
		return r;
	/*
	 * A bad block after the first page must not hide the header (a disk
	 * that needs --scan has them): keep what reads, page by page, up to
	 * the first failure; only an unreadable first page is an error.
	 */
	memset(buf, 0, PROBE_LEN);
	for (got = 0; got < want; got += SWAPCTL_PAGESIZE_MIN) {
		size_t n = want - got < SWAPCTL_PAGESIZE_MIN ? want - got : SWAPCTL_PAGESIZE_MIN;

		if (pread_full(fd, buf + got, n, (off_t)got) < 0)
			break;
	}
	if (got < SWAPCTL_PAGESIZE_MIN && got < want)
		return -EIO;
	*len = got < want ? got : want;
	return 0;
}

/* Printable in a fix line as it is: no quoting needed. */
static bool plain_word(const char *s)
{
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/", *s))
			return false;
	return true;
}

/*
 * A swap header beside other signatures (a disk once swap, then
 * partitioned; LVM, md, LUKS, btrfs made over an old swap area) is not
 * plainly swap: activating or writing to it destroys what is there.  The
 * fix makes a clean area and keeps the label and UUID.
 */
static void report_foreign(struct swapctl_ctx *ctx, int fd, const char *path,
			   struct swapctl_report *rep)
{
	const struct swapctl_header *h = &rep->hdr;
	struct probe_found f;
	char list[600], fix[400], uuid[37];
	size_t n;

	if (area_foreign(ctx, fd, path, &f) < 0 || !f.n)
		return;
	area_foreign_list(&f, list, sizeof(list));
	n = (size_t)snprintf(fix, sizeof(fix), "swapctl -F -f");
	if (h->label_terminated && h->label[0] && plain_word(h->label))
		n += (size_t)snprintf(fix + n, sizeof(fix) - n, " -L %s", h->label);
	if (!swapctl_uuid_is_null(h->uuid)) {
		swapctl_uuid_unparse(h->uuid, uuid);
		n += (size_t)snprintf(fix + n, sizeof(fix) - n, " -u %s", uuid);
	}
	if (n < sizeof(fix))
		snprintf(fix + n, sizeof(fix) - n, " %s", path);
	report_add(rep, SWAPCTL_D_FOREIGN, plain_word(path) ? fix : NULL,
		   "besides the swap header it holds %s; activating or writing to it destroys them",
		   list);
}

SWAPCTL_EXPORT int swapctl_area_verify(struct swapctl_ctx *ctx, const char *path,
				       struct swapctl_report *rep)
{
	SWAPCTL_ENTER(ctx);
	unsigned char *buf;
	struct stat st;
	size_t len;
	int fd, r;

	if ((r = abi_check_size(ctx, "swapctl_report", rep->struct_size, sizeof(*rep))) < 0)
		return r;
	memset(rep, 0, sizeof(*rep));
	rep->struct_size = sizeof(*rep);
	snprintf(rep->path, sizeof(rep->path), "%s", path);
	rep->kernel_pagesize = swapctl_kernel_pagesize();

	fd = area_open_read(ctx, path, &st);
	if (fd < 0)
		return fd;
	rep->is_blockdev = S_ISBLK(st.st_mode);
	r = fd_size(fd, &rep->size);
	if (r < 0) {
		close(fd);
		return swapctl_fail_errno(ctx, -r, "%s: cannot get its size: %s", path, strerror(-r));
	}
	buf = malloc(PROBE_LEN);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	r = read_start(fd, rep->size, buf, &len);
	if (r < 0) {
		free(buf);
		close(fd);
		return swapctl_fail_errno(ctx, -r, "%s: cannot read the header: %s", path, strerror(-r));
	}
	if (len < SWAPCTL_PAGESIZE_MIN)
		rep->hdr.sig = SWAPCTL_SIG_NONE;
	else
		swapctl_header_parse(buf, len, &rep->hdr);
	free(buf);

	if (len < SWAPCTL_PAGESIZE_MIN)
		report_add(rep, SWAPCTL_D_TOO_SMALL, NULL,
			   "only %llu bytes: too small to hold a swap header",
			   (unsigned long long)rep->size);
	else
		header_check(&rep->hdr, rep->size, S_ISREG(st.st_mode), rep->kernel_pagesize,
			     path, rep);
	if (rep->hdr.sig == SWAPCTL_SIG_SWAPSPACE2 && rep->hdr.version == 1) {
		uint64_t last = rep->hdr.last_page;
		uint64_t bad = rep->hdr.nr_badpages;

		rep->usable_pages = last > bad ? last - bad : 0;
	}
	filecheck_run(ctx, fd, &st, rep);
	if (rep->hdr.sig == SWAPCTL_SIG_SWAPSPACE2)
		report_foreign(ctx, fd, path, rep);
	close(fd);
	return 0;
}

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

static int write_header(struct swapctl_ctx *ctx, int fd, const char *path,
			const struct swapctl_header_params *hp);

/* -V and -F refuse files on filesystems the kernel cannot swap to. */
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
			  const struct swapctl_header_params *hp)
{
	struct newfile nf;
	struct stat st;
	int r;

	r = newfile_open(ctx, path, 0600, &nf);
	if (r < 0)
		return r;
	r = refuse_fs(ctx, path, nf.fd);
	if (r == 0 && fstat(nf.fd, &st) < 0)
		r = swapctl_fail_errno(ctx, errno, "%s: %s", path, strerror(errno));
	if (r == 0)
		r = prepare_file(ctx, nf.fd, path, size, &st, true);
	if (r == 0)
		r = write_header(ctx, nf.fd, path, hp);
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

/* Signatures we must not overwrite without force (an old swap header is fine). */
static int check_signatures(struct swapctl_ctx *ctx, int fd, const char *path, uint64_t size,
			    const struct swapctl_format_opts *o, struct probe_found *found)
{
	unsigned char *buf;
	struct swapctl_header *h;
	char list[512];
	size_t len;
	int r;

	memset(found, 0, sizeof(*found));
	if (fd < 0 || size == 0)
		return 0;
	r = probe_signatures(ctx, fd, path, found);
	if (r < 0)
		return r;
	/* our own parser knows TuxOnIce and friends even where libblkid may not */
	buf = malloc(PROBE_LEN);
	h = malloc(sizeof(*h));
	if (!buf || !h) {
		free(buf);
		free(h);
		return -ENOMEM;
	}
	if (read_start(fd, size, buf, &len) == 0 && len >= SWAPCTL_PAGESIZE_MIN &&
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

static int write_header(struct swapctl_ctx *ctx, int fd, const char *path,
			const struct swapctl_header_params *hp)
{
	unsigned char *page = calloc(1, hp->pagesize);
	unsigned char *back = NULL;
	struct swapctl_header *h = NULL;
	int r;

	if (!page)
		return -ENOMEM;
	r = swapctl_header_build(ctx, page, hp);
	if (r < 0)
		goto out;
	r = pwrite_full(fd, page, hp->pagesize, 0);
	if (r < 0) {
		r = swapctl_fail_errno(ctx, -r, "%s: cannot write the header: %s", path, strerror(-r));
		goto out;
	}
	if (fsync(fd) < 0) {
		r = swapctl_fail_errno(ctx, errno, "%s: cannot sync the header: %s", path, strerror(errno));
		goto out;
	}
	/* read back what the disk now holds and check it is what we wrote */
	back = malloc(hp->pagesize);
	h = malloc(sizeof(*h));
	r = -ENOMEM;
	if (!back || !h)
		goto out;
	if (ioctl(fd, BLKFLSBUF, 0) < 0)
		posix_fadvise(fd, 0, hp->pagesize, POSIX_FADV_DONTNEED);
	r = pread_full(fd, back, hp->pagesize, 0);
	if (r < 0) {
		r = swapctl_fail_errno(ctx, -r, "%s: cannot read the header back: %s", path, strerror(-r));
		goto out;
	}
	if (memcmp(back, page, hp->pagesize) || swapctl_header_parse(back, hp->pagesize, h) < 0 ||
	    h->sig != SWAPCTL_SIG_SWAPSPACE2 || h->pagesize != hp->pagesize)
		r = swapctl_fail_system(ctx, EIO, "%s: the header read back differs from what was written", path);
	else
		r = 0;
out:
	free(page);
	free(back);
	free(h);
	return r;
}

SWAPCTL_EXPORT int swapctl_area_format(struct swapctl_ctx *ctx, const char *path,
				       const struct swapctl_format_opts *o,
				       struct swapctl_format_result *res)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_header_params hp = { 0 };
	struct probe_found found, wiped;
	struct stat st;
	uint64_t size;
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

	r = open_target(ctx, path, o, &st, &fd);
	if (r < 0)
		return r;
	if (o->size)
		size = o->size;
	else if ((r = fd_size(fd, &size)) < 0)
		goto out;
	hp.pages = size / hp.pagesize;
	if (hp.pages > (uint64_t)UINT32_MAX + 1) {
		info(ctx, "%s: only the first 2^32 pages can be used", path);
		hp.pages = (uint64_t)UINT32_MAX + 1;
	}
	if (hp.pages < SWAPCTL_MIN_PAGES) {
		r = swapctl_fail_refused(ctx, EINVAL,
				 "%s: too small (%llu bytes); a swap area needs at least %u pages (%u KiB)",
				 path, (unsigned long long)size, SWAPCTL_MIN_PAGES,
				 SWAPCTL_MIN_PAGES * hp.pagesize / 1024);
		goto out;
	}
	if (S_ISREG(st.st_mode) && (r = refuse_fs(ctx, path, fd)) < 0)
		goto out;
	/* what is on it now: a block device's whole size, a file's current length */
	r = check_signatures(ctx, fd, path, S_ISBLK(st.st_mode) ? size : (uint64_t)st.st_size, o, &found);
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
		r = build_new_file(ctx, path, o->size, &hp);
		goto out;
	}
	if (S_ISREG(st.st_mode)) {
		r = prepare_file(ctx, fd, path, (uint64_t)st.st_size, &st, false);
		if (r < 0)
			goto out;
	}
	if (found.n) {
		r = probe_wipe(ctx, fd, path, &wiped);
		if (r < 0)
			goto out;
		for (res->nwiped = 0; res->nwiped < wiped.n; res->nwiped++)
			memcpy(res->wiped[res->nwiped], wiped.what[res->nwiped], sizeof(res->wiped[0]));
	}
	r = write_header(ctx, fd, path, &hp);
out:
	if (fd >= 0 && close(fd) < 0 && r == 0)
		r = swapctl_fail_errno(ctx, errno, "%s: %s", path, strerror(errno));
	return r;
}

struct relabel {
	const char *label;
	const unsigned char *uuid;
};

static int relabel_write(struct swapctl_ctx *ctx, const char *path, void *data, bool off)
{
	const struct relabel *rl = data;
	const char *label = rl->label;
	const unsigned char *uuid = rl->uuid;
	struct swapctl_header *h;
	struct area_fd a;
	unsigned char *buf = NULL, field[16];
	uint64_t size;
	size_t len;
	int fd, r;

	r = area_open_write(ctx, path, off ? AREA_CYCLED : 0, &a);
	if (r < 0)
		return r;
	fd = a.fd;
	h = calloc(1, sizeof(*h));
	buf = malloc(PROBE_LEN);
	r = -ENOMEM;
	if (!h || !buf)
		goto out;
	r = fd_size(fd, &size);
	if (r < 0) {
		r = swapctl_fail_errno(ctx, -r, "%s: cannot get its size: %s", path, strerror(-r));
		goto out;
	}
	r = read_start(fd, size, buf, &len);
	if (r < 0) {
		r = swapctl_fail_errno(ctx, -r, "%s: cannot read the header: %s", path, strerror(-r));
		goto out;
	}
	if (len < SWAPCTL_PAGESIZE_MIN) {
		r = swapctl_fail_refused(ctx, EINVAL, "%s: not a swap area (only %llu bytes: too small to hold a swap header)",
				 path, (unsigned long long)size);
		goto out;
	}
	if (swapctl_header_parse(buf, len, h) < 0 || h->sig != SWAPCTL_SIG_SWAPSPACE2 || h->version != 1) {
		r = swapctl_fail_refused(ctx, EINVAL, "%s: not a swap area%s", path,
				 h->sig >= SWAPCTL_SIG_S1SUSPEND ? " (it holds a hibernation image)" :
				 h->sig == SWAPCTL_SIG_SWAPSPACE2 ? " (unknown header version)" : "");
		goto out;
	}
	if (label) {
		memset(field, 0, sizeof(field));
		memcpy(field, label, strlen(label));
		r = pwrite_full(fd, field, 16, 1052);
	}
	if (r >= 0 && uuid)
		r = pwrite_full(fd, uuid, 16, 1036);
	if (r < 0 || fsync(fd) < 0) {
		r = r < 0 ? r : -errno;
		r = swapctl_fail_errno(ctx, -r, "%s: cannot write the header: %s", path, strerror(-r));
		goto out;
	}
	if (pread_full(fd, buf, h->pagesize, 0) < 0 || swapctl_header_parse(buf, h->pagesize, h) < 0 ||
	    (label && strcmp(h->label, label)) || (uuid && memcmp(h->uuid, uuid, 16)))
		r = swapctl_fail_system(ctx, EIO, "%s: the header read back differs from what was written", path);
	else
		r = 0;
out:
	free(h);
	free(buf);
	close(fd);
	return r;
}

/* Other signatures beside the header, looked at read-only. */
static int refuse_foreign(struct swapctl_ctx *ctx, const char *path)
{
	struct probe_found f;
	struct stat st;
	int fd = area_open_read(ctx, path, &st), r;

	if (fd < 0)
		return fd;
	r = area_foreign(ctx, fd, path, &f);
	close(fd);
	if (r == 0 && f.n)
		r = area_refuse_foreign(ctx, path, &f, "swapctl -F -f wipes them and writes a new header");
	return r;
}

/* Before anything is decided: is path a swap area whose header we can change? */
static int relabel_check(struct swapctl_ctx *ctx, const char *path)
{
	struct swapctl_report *rep = malloc(sizeof(*rep));
	enum swapctl_sig sig;
	int r;

	if (!rep)
		return -ENOMEM;
	rep->struct_size = sizeof(*rep);
	r = swapctl_area_verify(ctx, path, rep);
	sig = rep->hdr.sig;
	if (r == 0 && rep->size < SWAPCTL_PAGESIZE_MIN)
		r = swapctl_fail_refused(ctx, EINVAL, "%s: not a swap area (only %llu bytes: too small to "
				 "hold a swap header)", path, (unsigned long long)rep->size);
	else if (r == 0 && (sig != SWAPCTL_SIG_SWAPSPACE2 || rep->hdr.version != 1))
		r = swapctl_fail_refused(ctx, EINVAL, "%s: not a swap area%s", path,
				 sig >= SWAPCTL_SIG_S1SUSPEND ? " (it holds a hibernation image)" :
				 sig == SWAPCTL_SIG_SWAPSPACE2 ? " (unknown header version)" : "");
	free(rep);
	/* other signatures beside the header: refused before an active area
	 * is cycled, and in a dry run too */
	if (r == 0)
		r = refuse_foreign(ctx, path);
	return r;
}

/*
 * swapctl -c.  The kernel forbids writes to an active area (ETXTBSY) and
 * has no call to change a priority, so an active area goes through the
 * off-change-on cycle (cycle.c) with relabel_write as its change.
 */
SWAPCTL_EXPORT int swapctl_area_change(struct swapctl_ctx *ctx, const char *path,
				       const struct swapctl_change_opts *o,
				       struct swapctl_change_result *res)
{
	SWAPCTL_ENTER(ctx);
	struct relabel rl = { o->label, o->uuid };
	struct swapctl_change_result own;
	struct cycle c = {
		.what = "priority change", .prio = o->prio, .discard = o->discard,
		.force = o->force, .dry_run = o->dry_run, .need_active = o->prio >= 0,
	};
	int r;

	if (o->prio < -1 || o->prio > 32767)
		return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
					  "priority %d is not from 0 to 32767", o->prio);
	if (o->label && strlen(o->label) > SWAPCTL_LABEL_MAX)
		return swapctl_fail_input(ctx, EINVAL, "%s: label '%s' is %zu bytes long; at most %d fit",
				    path, o->label, strlen(o->label), SWAPCTL_LABEL_MAX);
	if (o->label || o->uuid) {
		r = relabel_check(ctx, path);
		if (r < 0)
			return r;
		c.what = "relabelling an active area";
		c.change = relabel_write;
		c.data = &rl;
	} else if (o->prio < 0) {
		return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
					  "%s: nothing to change (no label, UUID or priority)", path);
	}
	return cycle_run(ctx, path, &c, res ? res : &own);
}

SWAPCTL_EXPORT int swapctl_area_relabel(struct swapctl_ctx *ctx, const char *path,
					const char *label, const unsigned char *uuid)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_change_opts o = { .label = label, .uuid = uuid, .prio = -1 };

	return swapctl_area_change(ctx, path, &o, NULL);
}
