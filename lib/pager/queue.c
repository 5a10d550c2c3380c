/*
 * Batched I/O: a ring of requests the engine (or a scan) keeps in flight,
 * completed in the order they were queued.  Decisions are all taken when a
 * request is queued, injected errors included (they are drawn then, in the
 * order the requests are made), so a batch changes when I/O is waited for,
 * never which pages go where: the sim backend, the area backend with
 * io_uring and without it make the same decisions.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pager.h"

double pager_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void dev_started(struct pdev *d)
{
	if (d->inflight++ == 0)
		d->busy_since = pager_now();
	if (d->inflight > d->peak)
		d->peak = d->inflight;
}

void dev_finished(struct pdev *d, struct pio *io)
{
	io->busy = false;
	if (d->inflight && --d->inflight == 0)
		d->st.io_seconds += pager_now() - d->busy_since;
}

int pq_init(struct pqueue *q, unsigned cap, unsigned maxpages, unsigned pagesize,
	    void (*complete)(void *arg, struct pio *io), void *arg)
{
	void *b = NULL;

	memset(q, 0, sizeof(*q));
	q->ent = calloc(cap, sizeof(*q->ent));
	if (!q->ent || posix_memalign(&b, 4096, (size_t)cap * maxpages * pagesize) != 0) {
		free(q->ent);
		q->ent = NULL;
		return -ENOMEM;
	}
	q->bufs = b;
	q->cap = cap;
	q->maxpages = maxpages;
	q->pagesize = pagesize;
	q->complete = complete;
	q->arg = arg;
	return 0;
}

void pq_destroy(struct pqueue *q)
{
	if (!q)
		return;
	pq_drain(q);
	free(q->ent);
	free(q->bufs);
	q->ent = NULL;
	q->bufs = NULL;
}

/*
 * The newest request is submitted when the next one is asked for, or as a
 * synchronous one when the queue is drained: a batch of one (an eviction,
 * say) costs one system call, and a batch of many keeps the others in
 * flight while the last is done.
 */
static void start(struct pqueue *q, bool sync)
{
	struct pio *io = q->pending;

	if (!io)
		return;
	q->pending = NULL;
	io->sync = sync;
	io->d->ops->submit(io->d, io);
}

/* Wait for the oldest request and hand it to the completion. */
static void complete_oldest(struct pqueue *q)
{
	struct pio *io = &q->ent[q->head];

	if (io == q->pending)
		start(q, true);
	while (io->busy)
		io->d->ops->reap(io->d);
	q->head = (q->head + 1) % q->cap;
	q->count--;
	q->complete(q->arg, io);
}

struct pio *pq_next(struct pqueue *q)
{
	struct pio *io;
	unsigned i;

	start(q, false);
	if (q->count == q->cap)
		complete_oldest(q);
	if (!q->count)
		q->head = 0;    /* batches of one reuse one buffer, warm in cache */
	i = (q->head + q->count) % q->cap;
	io = &q->ent[i];
	memset(io, 0, sizeof(*io));
	io->buf = q->bufs + (size_t)i * q->maxpages * q->pagesize;
	return io;
}

void pq_submit(struct pqueue *q, struct pio *io)
{
	q->count++;
	io->done = 0;
	io->err = 0;
	if (io->n == 0) {
		/* every page failed by injection: nothing to do but complete it */
		io->err = -EIO;
		return;
	}
	io->busy = true;
	q->pending = io;
}

void pq_drain(struct pqueue *q)
{
	start(q, true);
	while (q->count)
		complete_oldest(q);
}

int dev_io(struct pdev *d, uint64_t p, unsigned n, void *buf, bool write, unsigned *done)
{
	struct pio io = { .d = d, .p = p, .write = write, .buf = buf, .sync = true };

	io.n = inject_limit(d, p, n, write);
	*done = 0;
	if (io.n) {
		io.busy = true;
		d->ops->submit(d, &io);
		while (io.busy)
			d->ops->reap(d);
		*done = io.done;
	}
	return *done == n ? 0 : -EIO;
}
