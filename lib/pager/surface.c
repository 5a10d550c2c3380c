/*
 * swapctl -V --scan: drive a whole real swap area through the engine's
 * area backend.  Every usable page is written with its pattern (O_DIRECT
 * requests of 512 KiB, 16 in flight), then read back and verified the same
 * way; pages that fail either way are bad.  --record writes them into the header's bad-page list.
 * Each run draws a random nonce that seeds every page's pattern, so what an
 * earlier scan left on the device never passes for this one's: a device
 * that drops writes silently fails every scan, not only the first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "pager.h"

#define SCAN_BATCH 128u         /* pages per request: 512 KiB at 4 KiB */
#define SCAN_QD 16u             /* requests in flight */

struct scan {
	struct swapctl_ctx *ctx;
	struct pdev *d;
	bool read;
	struct swapctl_scan_result *res;
	uint64_t nonce;         /* this run's: seeds every page's pattern */
	int err;                /* the first failure to note a bad page */
};

static void add_bad(struct scan *s, uint64_t p)
{
	struct swapctl_scan_result *res = s->res;
	uint64_t *v;

	if (res->nbad && res->bad[res->nbad - 1] == p)
		return;
	v = realloc(res->bad, (res->nbad + 1) * sizeof(*v));
	if (!v) {
		s->err = -ENOMEM;
		return;
	}
	res->bad = v;
	res->bad[res->nbad++] = p;
}

static bool header_bad(const struct pdev *d, uint64_t p)
{
	size_t i;

	for (i = 0; i < d->nhdrbad; i++)
		if (d->hdrbad[i] == p)
			return true;
	return false;
}

/* Pages [from, to) of io went through: on the read pass, verify them. */
static void verify(struct scan *s, struct pio *io, unsigned from, unsigned to)
{
	size_t ps = s->d->pagesize;
	unsigned i;

	for (i = from; s->read && i < to; i++)
		if (engine_check_page((char *)io->buf + i * ps, (unsigned)ps, s->nonce, io->p + i, 1, (uint32_t)(io->p + i)) < 0)
			add_bad(s, io->p + i);
}

/*
 * A request completed.  The page it stopped at is bad.  An injected error
 * was known when it was queued, and the next request starts after that
 * page; when the device failed it, the pages after the bad one are done
 * here, one request at a time.
 */
static void scan_done(void *arg, struct pio *io)
{
	struct scan *s = arg;
	unsigned from = 0, done = io->done;

	for (;;) {
		verify(s, io, from, from + done);
		if (from + done == io->want)
			return;
		add_bad(s, io->p + from + done);
		from += done + 1;
		if (from >= io->n)
			return;
		dev_io(s->d, io->p + from, io->n - from, (char *)io->buf + (size_t)from * s->d->pagesize,
		       io->write, &done);
	}
}

/* One pass over the area: write (read == false) or read and verify. */
static int pass(struct scan *s, struct pqueue *q)
{
	struct pdev *d = s->d;
	size_t ps = d->pagesize;
	uint64_t p = 1;

	while (p < d->pages && !s->err) {
		unsigned n = d->pages - p < SCAN_BATCH ? (unsigned)(d->pages - p) : SCAN_BATCH, i;
		struct pio *io;

		for (i = 0; i < n; i++)         /* stop a request at a known bad page */
			if (header_bad(d, p + i))
				break;
		if (i == 0) {
			p++;
			continue;
		}
		io = pq_next(q);
		io->d = d;
		io->p = p;
		io->want = i;
		io->write = !s->read;
		io->n = inject_limit(d, p, i, io->write);
		for (i = 0; io->write && i < io->n; i++)
			engine_fill_page((char *)io->buf + i * ps, (unsigned)ps, s->nonce, p + i, 1, (uint32_t)(p + i));
		pq_submit(q, io);
		p += io->n < io->want ? io->n + 1 : io->n;
		swapctl_progress(s->ctx, s->read ? "read" : "write", (s->read ? d->pages : 0) + p,
				 2 * d->pages);
	}
	pq_drain(q);
	return s->err;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Test hook "scan-bad" (SWAPCTL_DEBUG_SCAN_BAD=5,9 for the commands) makes
 * reads of pages 5 and 9 fail, so tests can exercise --record on a real
 * device (no device-mapper here). */
static void debug_bad_pages(struct swapctl_ctx *ctx, struct pdev *d)
{
	const char *v = swapctl_debug_value(ctx, "scan-bad");
	char *end;

	while (v && *v) {
		unsigned long long p = strtoull(v, &end, 10);
		uint64_t *n;

		if (end == v)
			break;
		n = realloc(d->inj.rpages, (d->inj.nr + 1) * sizeof(*n));
		if (!n)
			break;
		d->inj.rpages = n;
		d->inj.rpages[d->inj.nr++] = p;
		v = *end == ',' ? end + 1 : end;
	}
}

/* Sorted, each page once (a page can fail on both passes). */
static void sort_bad(struct swapctl_scan_result *res)
{
	size_t i, n = 0;

	qsort(res->bad, res->nbad, sizeof(*res->bad), cmp_u64);
	for (i = 0; i < res->nbad; i++)
		if (!n || res->bad[n - 1] != res->bad[i])
			res->bad[n++] = res->bad[i];
	res->nbad = n;
}

/* The run's nonce, from the kernel's random pool (it does not block once
 * the pool is initialised, which it is long before anyone scans a disk). */
static int draw_nonce(struct swapctl_ctx *ctx, uint64_t *nonce)
{
	ssize_t n;

	do
		n = getrandom(nonce, sizeof(*nonce), 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(*nonce))
		return swapctl_fail_errno(ctx, n < 0 ? errno : EIO, "cannot draw the scan's random pattern: %s",
				    strerror(n < 0 ? errno : EIO));
	return 0;
}

SWAPCTL_EXPORT int swapctl_area_scan(struct swapctl_ctx *ctx, const char *path, struct swapctl_scan_result *res)
{
	SWAPCTL_ENTER(ctx);
	struct pdev *d = calloc(1, sizeof(*d));
	struct scan s = { .ctx = ctx, .d = d, .res = res };
	struct pqueue q = { 0 };
	double t;
	int r;

	memset(res, 0, sizeof(*res));
	if (!d)
		return -ENOMEM;
	snprintf(d->name, sizeof(d->name), "scan");
	d->fd = -1;
	r = draw_nonce(ctx, &s.nonce);
	if (r < 0)
		goto out;
	r = backend_area_open(ctx, d, path, swapctl_kernel_pagesize());
	if (r < 0)
		goto out;
	d->ops = &backend_area_ops;
	debug_bad_pages(ctx, d);
	r = pq_init(&q, SCAN_QD, SCAN_BATCH, d->pagesize, scan_done, &s);
	if (r < 0)
		goto out;
	t = pager_now();
	r = pass(&s, &q);
	if (r == 0 && fsync(d->fd) < 0)
		r = swapctl_fail_errno(ctx, errno, "%s: cannot sync: %s", path, strerror(errno));
	res->write_seconds = pager_now() - t;
	if (r == 0) {
		/* a file without O_DIRECT must come from the disk, not the cache */
		if (!d->direct)
			posix_fadvise(d->fd, 0, 0, POSIX_FADV_DONTNEED);
		s.read = true;
		t = pager_now();
		r = pass(&s, &q);
		res->read_seconds = pager_now() - t;
	}
	res->pages_tested = d->pages - 1 - d->nhdrbad;
	if (res->nbad)
		sort_bad(res);
out:
	pq_destroy(&q);
	backend_area_ops.close(d);
	free(d->hdrbad);
	free(d->gens);
	free(d->owner);
	free(d->inj.rpages);
	free(d);
	return r;
}

SWAPCTL_EXPORT int swapctl_area_record_bad(struct swapctl_ctx *ctx, const char *path, const uint64_t *bad, size_t n)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_header_params hp = { 0 };
	struct swapctl_header *h = malloc(sizeof(*h));
	uint32_t *list = NULL;
	unsigned char *page = NULL;
	struct area_fd a;
	size_t i, total = 0;
	int fd = -1, r;

	if (!h)
		return -ENOMEM;
	r = area_open_write(ctx, path, 0, &a);
	if (r < 0)
		goto out;
	fd = a.fd;
	if (!S_ISBLK(a.st.st_mode)) {
		r = swapctl_fail_refused(ctx, EINVAL, "%s: bad pages can only be recorded on block devices (the kernel refuses them on files)",
				 path);
		goto out;
	}
	page = malloc(SWAPCTL_PAGESIZE_MAX);
	if (!page) {
		r = -ENOMEM;
		goto out;
	}
	memset(page, 0, SWAPCTL_PAGESIZE_MAX);
	r = pread_full(fd, page, swapctl_kernel_pagesize(), 0);
	if (r < 0 || swapctl_header_parse(page, swapctl_kernel_pagesize(), h) < 0 ||
	    h->sig != SWAPCTL_SIG_SWAPSPACE2 || h->version != 1) {
		r = swapctl_fail_refused(ctx, EINVAL, "%s: not a swap area of this kernel's page size", path);
		goto out;
	}
	/* keep the bad pages already listed, add the new ones, no duplicates */
	list = malloc((h->nr_badpages + n + 1) * sizeof(*list));
	if (!list) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < h->nr_badpages && i < swapctl_badpages_max(h->pagesize); i++)
		list[total++] = h->badpages[i];
	for (i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < total && list[k] != bad[i]; k++)
			;
		if (k == total)
			list[total++] = (uint32_t)bad[i];
	}
	if (total > swapctl_badpages_max(h->pagesize)) {
		r = swapctl_fail_refused(ctx, E2BIG, "%s: %zu bad pages; a %u-byte header holds at most %u", path, total,
				 h->pagesize, swapctl_badpages_max(h->pagesize));
		goto out;
	}
	hp.pagesize = h->pagesize;
	hp.endian = h->endian;
	hp.pages = (uint64_t)h->last_page + 1;
	memcpy(hp.uuid, h->uuid, 16);
	hp.label = NULL;        /* set below: a 16-byte label has no NUL, build refuses it */
	hp.badpages = list;
	hp.nr_badpages = (unsigned)total;
	r = swapctl_header_build(ctx, page, &hp);
	if (r < 0)
		goto out;
	header_set_label(page, h->label);
	/* the header owns bytes 1024 onwards; what is before stays as it was */
	r = pwrite_full(fd, page + SWAPCTL_HEADER_OFFSET, h->pagesize - SWAPCTL_HEADER_OFFSET, SWAPCTL_HEADER_OFFSET);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (r < 0)
		r = swapctl_fail_errno(ctx, -r, "%s: cannot write the header: %s", path, strerror(-r));
out:
	if (fd >= 0)
		close(fd);
	free(page);
	free(list);
	free(h);
	return r;
}
