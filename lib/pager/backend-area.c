/*
 * The area backend: real page I/O on a swap file or block device that
 * carries a valid header and is not active in the kernel.  Pages go at
 * their offset in the area (page p at p * pagesize), with O_DIRECT where
 * the filesystem allows it, so the device and not the page cache is
 * measured.  The engine writes a self-describing pattern into every page
 * and verifies it on every read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "pager.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int backend_area_open(struct swapctl_ctx *ctx, struct pdev *d, const char *path, unsigned pagesize)
{
	struct swapctl_report *rep;
	struct stat st;
	uint64_t pages;
	unsigned i;
	int flags, r = 0;

	if (stat(path, &st) < 0)
		return swapctl_fail(ctx, errno, "%s: %s", path, strerror(errno));
	if (probe_is_active_swap(ctx, &st))
		return swapctl_fail(ctx, EBUSY, "%s: is an active swap area; the engine only drives areas the kernel is not using",
				    path);
	rep = malloc(sizeof(*rep));
	if (!rep)
		return -ENOMEM;
	r = swapctl_area_verify(ctx, path, rep);
	if (r < 0)
		goto out;
	if (rep->hdr.sig != SWAPCTL_SIG_SWAPSPACE2 || rep->hdr.version != 1) {
		r = swapctl_fail(ctx, EINVAL, "%s: not a swap area (format it with swapctl -F)", path);
		goto out;
	}
	if (rep->hdr.pagesize != pagesize) {
		r = swapctl_fail(ctx, EINVAL, "%s: header made for %u-byte pages; the engine uses %u", path,
				 rep->hdr.pagesize, pagesize);
		goto out;
	}
	for (i = 0; i < rep->nproblems; i++) {
		enum swapctl_defect df = rep->problems[i].defect;

		if (df == SWAPCTL_D_TOO_LARGE || df == SWAPCTL_D_TOO_SMALL || df == SWAPCTL_D_BADPAGES_COUNT ||
		    df == SWAPCTL_D_BADPAGES_RANGE) {
			r = swapctl_fail(ctx, EINVAL, "%s: %s", path, rep->problems[i].text);
			goto out;
		}
	}
	pages = (uint64_t)rep->hdr.last_page + 1;
	if (d->pages > pages) {
		r = swapctl_fail(ctx, EINVAL, "device %s: %llu pages wanted, %s has %llu", d->name,
				 (unsigned long long)d->pages, path, (unsigned long long)pages);
		goto out;
	}
	if (!d->pages)
		d->pages = pages;
	d->hdrbad = calloc(rep->hdr.nr_badpages + 1, sizeof(*d->hdrbad));
	d->gens = calloc(d->pages, sizeof(*d->gens));
	d->owner = calloc(d->pages, sizeof(*d->owner));
	if (!d->hdrbad || !d->gens || !d->owner) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < rep->hdr.nr_badpages; i++)
		if (rep->hdr.badpages[i] < d->pages)
			d->hdrbad[d->nhdrbad++] = rep->hdr.badpages[i];

	flags = O_RDWR | O_CLOEXEC | (S_ISBLK(st.st_mode) ? O_EXCL : 0);
	d->fd = open(path, flags | O_DIRECT);
	d->direct = d->fd >= 0;
	if (d->fd < 0 && errno == EINVAL)
		d->fd = open(path, flags);      /* a filesystem without O_DIRECT */
	if (d->fd < 0 && errno == EBUSY)
		r = swapctl_fail(ctx, EBUSY, "%s: is in use by another process", path);
	else if (d->fd < 0)
		r = swapctl_fail(ctx, errno, "%s: %s", path, strerror(errno));
	d->pagesize = pagesize;
out:
	free(rep);
	return r;
}

/* n pages at p; on failure find the page that fails, one page at a time. */
static int area_io(struct pdev *d, uint64_t p, unsigned n, void *buf, unsigned *done, bool write)
{
	size_t ps = d->pagesize;
	double t0 = now();
	unsigned i, limit = n;
	ssize_t got;
	int r = 0;

	for (i = 0; i < n; i++) {
		if (inject_hit(d, p + i, write)) {
			limit = i;
			r = -EIO;
			break;
		}
	}
	*done = 0;
	if (limit) {
		got = write ? pwrite(d->fd, buf, limit * ps, (off_t)(p * ps))
			    : pread(d->fd, buf, limit * ps, (off_t)(p * ps));
		if (got == (ssize_t)(limit * ps)) {
			*done = limit;
		} else {
			/* which page? retry them one by one */
			for (i = 0; i < limit; i++) {
				char *b = (char *)buf + i * ps;

				got = write ? pwrite(d->fd, b, ps, (off_t)((p + i) * ps))
					    : pread(d->fd, b, ps, (off_t)((p + i) * ps));
				if (got != (ssize_t)ps) {
					r = -EIO;
					break;
				}
				*done = i + 1;
			}
		}
	}
	d->st.io_seconds += now() - t0;
	return *done == n ? 0 : r ? r : -EIO;
}

static int area_write(struct pdev *d, uint64_t p, unsigned n, const void *buf, unsigned *done)
{
	return area_io(d, p, n, (void *)buf, done, true);
}

static int area_read(struct pdev *d, uint64_t p, unsigned n, void *buf, unsigned *done)
{
	return area_io(d, p, n, buf, done, false);
}

static void area_close(struct pdev *d)
{
	if (d->fd >= 0) {
		fsync(d->fd);
		close(d->fd);
	}
	d->fd = -1;
}

const struct backend_ops backend_area_ops = {
	.write = area_write,
	.read = area_read,
	.close = area_close,
};
