/*
 * A new file built beside its target and renamed over it only when it is
 * complete, so the target is either what it was or the finished file: a
 * failure (ENOSPC) or a kill half-way leaves it untouched.
 *
 * The file is made with O_TMPFILE where the filesystem has it (unnamed until
 * it is complete, so a kill leaves nothing behind), else with mkostemp(3)
 * as ".NAME.XXXXXX" in the target's directory (O_CREAT | O_EXCL: never a
 * file someone planted, never through a symlink).  The finished file gets a
 * fresh unique name the same way and is renamed over the target, then the
 * directory is synced.  rename(2) replaces a symlink at the target, not
 * what it points to; callers refuse symlinks and non-regular targets first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include "internal.h"

static void split(const char *target, char *dir, size_t dsize, const char **base)
{
	const char *slash = strrchr(target, '/');

	if (!slash) {
		snprintf(dir, dsize, ".");
		*base = target;
	} else if (slash == target) {
		snprintf(dir, dsize, "/");
		*base = slash + 1;
	} else {
		snprintf(dir, dsize, "%.*s", (int)(slash - target), target);
		*base = slash + 1;
	}
}

int newfile_open(struct swapctl_ctx *ctx, const char *target, mode_t mode, struct newfile *nf)
{
	char dir[4096];
	const char *base;
	int e;

	memset(nf, 0, sizeof(*nf));
	nf->fd = nf->dirfd = -1;
	split(target, dir, sizeof(dir), &base);
	if (!*base || strlen(base) > sizeof(nf->base) - 1)
		return swapctl_fail_input(ctx, EINVAL, "%s: cannot create: not a file name", target);
	snprintf(nf->base, sizeof(nf->base), "%s", base);
	nf->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (nf->dirfd < 0)
		return swapctl_fail_errno(ctx, errno, "%s: cannot create: %s", target, strerror(errno));
	nf->fd = openat(nf->dirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, mode);
	if (nf->fd >= 0)
		return 0;
	e = errno;
	if (e != EOPNOTSUPP && e != EISDIR && e != EINVAL && e != ENOENT) {
		close(nf->dirfd);
		nf->dirfd = -1;
		return swapctl_fail_errno(ctx, e, "%s: cannot create: %s", target, strerror(e));
	}
	/* no O_TMPFILE here: a named temporary beside the target */
	if ((size_t)snprintf(nf->tmp, sizeof(nf->tmp), "%s/.%s.XXXXXX", dir, base) >= sizeof(nf->tmp)) {
		close(nf->dirfd);
		nf->dirfd = -1;
		return swapctl_fail_system(ctx, ENAMETOOLONG, "%s: cannot create: name too long", target);
	}
	nf->fd = mkostemp(nf->tmp, O_CLOEXEC);
	if (nf->fd < 0 || fchmod(nf->fd, mode) < 0) {
		e = errno;
		newfile_abort(nf);
		return swapctl_fail_errno(ctx, e, "%s: cannot create: %s", target, strerror(e));
	}
	return 0;
}

/* Give the unnamed O_TMPFILE a unique name beside the target, in nf->tmp. */
static int name_tmpfile(struct newfile *nf)
{
	char proc[64], name[300];
	unsigned char rnd[6];
	int tries;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", nf->fd);
	for (tries = 0; tries < 100; tries++) {
		if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
			return -EIO;
		snprintf(name, sizeof(name), ".%s.%02x%02x%02x%02x%02x%02x", nf->base,
			 rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
		if (linkat(AT_FDCWD, proc, nf->dirfd, name, AT_SYMLINK_FOLLOW) == 0) {
			snprintf(nf->tmp, sizeof(nf->tmp), "%s", name);
			nf->tmp_in_dir = true;
			return 0;
		}
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

int newfile_commit(struct swapctl_ctx *ctx, struct newfile *nf, const char *target)
{
	const char *from;
	int r = 0;

	if (fsync(nf->fd) < 0)
		r = -errno;
	else if (!nf->tmp[0])
		r = name_tmpfile(nf);
	if (r == 0) {
		/* mkostemp's name is a path; name_tmpfile's is relative to dirfd */
		from = nf->tmp_in_dir ? nf->tmp : strrchr(nf->tmp, '/') + 1;
		if (renameat(nf->dirfd, from, nf->dirfd, nf->base) < 0)
			r = -errno;
		else
			nf->tmp[0] = '\0';      /* it is the target now */
	}
	if (r == 0 && fsync(nf->dirfd) < 0)
		r = -errno;
	if (r < 0) {
		newfile_abort(nf);
		return swapctl_fail_errno(ctx, -r, "%s: cannot put the new file in place: %s", target,
				    strerror(-r));
	}
	close(nf->fd);
	close(nf->dirfd);
	nf->fd = nf->dirfd = -1;
	return 0;
}

void newfile_abort(struct newfile *nf)
{
	if (nf->tmp[0] && nf->dirfd >= 0)
		unlinkat(nf->dirfd, nf->tmp_in_dir ? nf->tmp : strrchr(nf->tmp, '/') + 1, 0);
	nf->tmp[0] = '\0';
	if (nf->fd >= 0)
		close(nf->fd);
	if (nf->dirfd >= 0)
		close(nf->dirfd);
	nf->fd = nf->dirfd = -1;
}
