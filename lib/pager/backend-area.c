/*
 * The area backend: real page I/O on a swap file or block device that
 * carries a valid header and is not active in the kernel.  Pages go at
 * their offset in the area (page p at p * pagesize), with O_DIRECT where
 * the filesystem allows it, so the device and not the page cache is
 * measured.  The engine writes a self-describing pattern into every page
 * and verifies it on every read.
 *
 * Requests go through io_uring when liburing was found at build time and
 * the kernel lets us make a ring, so a batch keeps up to PAGER_QD of them
 * in flight, submitted a few at a time or together with the wait for a
 * completion, to spare system calls; otherwise (or with the test hook
 * "no-uring", SWAPCTL_NO_URING=1 for the commands) each is a pread or pwrite, done when it is
 * submitted.  Either way a request that
 * fails or comes back short is done again one page at a time, to find the
 * page that fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef HAVE_LIBURING
#include <liburing.h>
#endif
#include "pager.h"

#ifdef HAVE_LIBURING
/* Requests prepared before one system call submits them all. */
#define SUBMIT_BATCH 4u

/* d->ring: the ring and the requests prepared in it, not yet submitted. */
struct ring {
	struct io_uring u;
	unsigned nprep;
	struct io_uring_sqe *sqe[SUBMIT_BATCH];
	struct pio *io[SUBMIT_BATCH];
};
#endif

/* A ring for d, unless the knob says no or the kernel refuses (an old
 * kernel, kernel.io_uring_disabled, a seccomp filter): then pread/pwrite. */
static void ring_open(struct swapctl_ctx *ctx, struct pdev *d)
{
#ifdef HAVE_LIBURING
	const char *v = swapctl_debug_value(ctx, "no-uring");
	struct ring *ring;

	if (v && *v && strcmp(v, "0") != 0)
		return;
	ring = calloc(1, sizeof(*ring));
	if (!ring)
		return;
	if (io_uring_queue_init(PAGER_QD, &ring->u, 0) < 0) {
		free(ring);
		return;
	}
	d->ring = ring;
#else
	(void)d;
#endif
}

int backend_area_open(struct swapctl_ctx *ctx, struct pdev *d, const char *path, unsigned pagesize)
{
	struct swapctl_report *rep;
	struct stat st;
	uint64_t pages;
	struct area_fd a;
	unsigned i;
	int r = 0;

	if (stat(path, &st) < 0)
		return swapctl_fail_errno(ctx, errno, "%s: %s", path, strerror(errno));
	if (probe_is_active_swap(ctx, &st))
		return swapctl_fail_refused(ctx, EBUSY, "%s: is an active swap area; the engine only drives areas the kernel is not using",
				    path);
	rep = malloc(sizeof(*rep));
	if (!rep)
		return -ENOMEM;
	rep->struct_size = sizeof(*rep);
	r = swapctl_area_verify(ctx, path, rep);
	if (r < 0)
		goto out;
	if (rep->hdr.sig != SWAPCTL_SIG_SWAPSPACE2 || rep->hdr.version != 1) {
		r = swapctl_fail_refused(ctx, EINVAL, "%s: not a swap area (format it with swapctl -F)", path);
		goto out;
	}
	if (rep->hdr.pagesize != pagesize) {
		r = swapctl_fail_refused(ctx, EINVAL, "%s: header made for %u-byte pages; the engine uses %u", path,
				 rep->hdr.pagesize, pagesize);
		goto out;
	}
	/*
	 * What the kernel would refuse, with -V's reasons: the engine drives an
	 * area as the kernel would, and never fills a file's holes or writes
	 * where the header lists bad pages on a file.  Not the page size (the
	 * engine's own, checked above) nor the filesystem type (user-space I/O
	 * works anywhere); other signatures are area_open_write's to refuse.
	 */
	for (i = 0; i < rep->nproblems; i++) {
		enum swapctl_defect df = rep->problems[i].defect;

		if (swapctl_defect_severity(df) >= SWAPCTL_SEV_UNUSABLE && df != SWAPCTL_D_PAGESIZE &&
		    df != SWAPCTL_D_FILESYSTEM && df != SWAPCTL_D_FOREIGN) {
			r = swapctl_fail_refused(ctx, EINVAL, "%s: %s", path, rep->problems[i].text);
			goto out;
		}
	}
	pages = (uint64_t)rep->hdr.last_page + 1;
	if (d->pages > pages) {
		r = swapctl_fail_refused(ctx, EINVAL, "device %s: %llu pages wanted, %s has %llu", d->name,
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

	/* exclusive, not active, nothing but swap on it: see areaopen.c */
	r = area_open_write(ctx, path, AREA_DIRECT, &a);
	d->fd = a.fd;
	d->direct = a.direct;
	d->pagesize = pagesize;
	if (d->fd >= 0)
		ring_open(ctx, d);
out:
	free(rep);
	return r;
}

static ssize_t xfer(struct pdev *d, void *buf, size_t len, uint64_t page, bool write)
{
	off_t off = (off_t)(page * d->pagesize);

	return write ? pwrite(d->fd, buf, len, off) : pread(d->fd, buf, len, off);
}

/* After a failed or short transfer: the pages one by one, up to the first
 * that fails; io->done is how many went through. */
static void by_page(struct pdev *d, struct pio *io)
{
	size_t ps = d->pagesize;
	unsigned i;

	for (i = 0; i < io->n; i++)
		if (xfer(d, (char *)io->buf + i * ps, ps, io->p + i, io->write) != (ssize_t)ps)
			break;
	io->done = i;
	io->err = i == io->n ? 0 : -EIO;
}

/* The result of a whole transfer: res bytes, or a negative errno. */
static void finish(struct pdev *d, struct pio *io, ssize_t res)
{
	if (res == (ssize_t)((size_t)io->n * d->pagesize)) {
		io->done = io->n;
		io->err = 0;
	} else {
		by_page(d, io);
	}
	dev_finished(d, io);
}

#ifdef HAVE_LIBURING
/*
 * Submit the prepared requests, and with wait, wait for a completion in the
 * same system call.  When the kernel keeps refusing them they are done by
 * hand, their ring entries turned into no-ops in case it takes them later.
 */
static void ring_flush(struct pdev *d, unsigned wait)
{
	struct ring *ring = d->ring;
	unsigned i, tries = 0;
	int r;

	if (!ring->nprep && !wait)
		return;
	/* interrupted, or the kernel short of memory: a while */
	while (((r = wait ? io_uring_submit_and_wait(&ring->u, wait) : io_uring_submit(&ring->u)) == -EINTR ||
		r == -EAGAIN || r == -EBUSY) && ++tries < 1000)
		;
	if (r < 0 && ring->nprep) {
		for (i = 0; i < ring->nprep; i++) {
			struct pio *io = ring->io[i];

			io_uring_prep_nop(ring->sqe[i]);
			io_uring_sqe_set_data(ring->sqe[i], NULL);
			finish(d, io, xfer(d, io->buf, (size_t)io->n * d->pagesize, io->p, io->write));
		}
	}
	ring->nprep = 0;
}

/* Complete what the ring has, waiting for one completion at least. */
static void ring_reap(struct pdev *d)
{
	struct ring *ring = d->ring;
	struct io_uring_cqe *cqe;

	if (ring->nprep)
		ring_flush(d, 1);
	if (!d->inflight || io_uring_wait_cqe(&ring->u, &cqe) < 0)
		return;         /* done by hand, or interrupted: the caller waits again */
	do {
		struct pio *io = io_uring_cqe_get_data(cqe);
		int res = cqe->res;

		io_uring_cqe_seen(&ring->u, cqe);
		if (io)
			finish(d, io, res);
	} while (io_uring_peek_cqe(&ring->u, &cqe) == 0);
}

/* 0 when io is prepared in the ring (submitted with the next few); else
 * the caller does it by hand. */
static int ring_prep(struct pdev *d, struct pio *io)
{
	struct ring *ring = d->ring;
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring->u);
	unsigned len = io->n * d->pagesize;

	if (!sqe) {
		ring_flush(d, 0);
		sqe = io_uring_get_sqe(&ring->u);
		if (!sqe)
			return -EAGAIN;
	}
	if (io->write)
		io_uring_prep_write(sqe, d->fd, io->buf, len, io->p * d->pagesize);
	else
		io_uring_prep_read(sqe, d->fd, io->buf, len, io->p * d->pagesize);
	io_uring_sqe_set_data(sqe, io);
	ring->sqe[ring->nprep] = sqe;
	ring->io[ring->nprep++] = io;
	if (ring->nprep == SUBMIT_BATCH)
		ring_flush(d, 0);
	return 0;
}
#endif

/* A request waited for at once is a pread or pwrite even with a ring: one
 * system call where the ring takes two. */
static void area_submit(struct pdev *d, struct pio *io)
{
#ifdef HAVE_LIBURING
	/* never more than PAGER_QD in flight, synchronous ones included: the
	 * depth fio is compared at, and the ring's completion queue holds them */
	while (d->ring && d->inflight >= PAGER_QD)
		ring_reap(d);
#endif
	dev_started(d);
#ifdef HAVE_LIBURING
	if (d->ring && !io->sync && ring_prep(d, io) == 0)
		return;
	if (d->ring)
		ring_flush(d, 0);       /* the prepared ones go on meanwhile */
#endif
	finish(d, io, xfer(d, io->buf, (size_t)io->n * d->pagesize, io->p, io->write));
}

static void area_reap(struct pdev *d)
{
#ifdef HAVE_LIBURING
	if (d->ring && d->inflight)
		ring_reap(d);
#else
	(void)d;        /* pread and pwrite complete when submitted */
#endif
}

static void area_close(struct pdev *d)
{
#ifdef HAVE_LIBURING
	if (d->ring) {
		struct ring *ring = d->ring;

		while (d->inflight)
			ring_reap(d);
		io_uring_queue_exit(&ring->u);
		free(ring);
		d->ring = NULL;
	}
#endif
	if (d->fd >= 0) {
		fsync(d->fd);
		close(d->fd);
	}
	d->fd = -1;
}

const struct backend_ops backend_area_ops = {
	.submit = area_submit,
	.reap = area_reap,
	.close = area_close,
};
