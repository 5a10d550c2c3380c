/*
 * Paging: the moves of pages between frames (frames.c) and slots
 * (devices.c), and the I/O they take.
 *
 *  - A fault on a page with a slot reads it in, together with the
 *    neighbours of the same object whose slots are contiguous with it on
 *    the same device (read-around), in one I/O.  The slot stays with a
 *    clean page, so evicting it again costs nothing (the swap cache).
 *  - Writing a page dirties it and frees its slot.
 *  - When RAM is full, the least recently used page goes: a clean one is
 *    dropped, a dirty one is written together with its dirty resident
 *    neighbours (a cluster) into contiguous slots.
 *  - A write error keeps the page dirty in RAM and retires the slot; a read
 *    error retires the slot and the page is lost, counted and named.
 *  - As in FreeBSD's pager, a page that cannot go out (no swap left, write
 *    errors on every device) or come in (RAM full of such pages) fails
 *    alone: it stays where it is, the failure is counted as an event of
 *    its trace line, and the run goes on.
 *
 * Where the engine has several independent I/Os to do (the page-out of a
 * range, evictions for several frames, a RAM shrink, swapoff) it queues
 * them (queue.c) and they are in flight together.  Every decision is taken
 * when a request is queued, as if it had completed: its pages are marked
 * busy (no longer there for paging) and injected errors are handled at
 * once.  Only the bookkeeping of the result waits for the completion,
 * which comes in the order the requests were queued; an error the device
 * itself reports is handled then, the same way.
 *
 * The eviction of a fault that needs one frame, with nothing queued, on the
 * simulated device without data or injected errors, completes at once
 * instead (write_run): the drain right after it would complete it the same
 * way, so nothing changes but the queue's ~120 instructions a page-out
 * (random, 1M events: 1293.6M -> 1271.7M instructions).
 *
 * ram_access looks a faulting page's slot up once, for fault_in, and a
 * write to a page that had none (a zero fill) does not look it up again.
 * A write to a resident dirty page does not look it up at all
 * (slot_of_resident): a dirty page has no slot.  --cluster 1, 1M zipf
 * (write hits on hot pages): 604,814,176 -> 597,946,880 instructions; 4M
 * zipf 2,521,233,541 -> 2,477,815,374, D1 misses 19.63M -> 18.52M; 1M
 * random 1,027,211,321 -> 1,027,139,331, D1 8.642M -> 8.595M.
 *
 * The fast path (access_fast, fault_in_fast, make_room_fast).  When the
 * configuration allows it (engine_fast_update in devices.c, recomputed
 * whenever a device is added, removed, enabled, disabled or reprioritised:
 * one device in use, enabled, of cluster 1, simulated without data or
 * injected errors), a fault needs no read-around, no neighbour probes, no
 * queue, no device lookup and no allocation order: the eviction is the
 * oldest page dropped or written alone to one slot of the device at once,
 * the read of the page cannot fail, and nothing moves the faulting page's
 * slot meanwhile.  It makes the same calls in the same order as the
 * general path and counts through the same helpers (count_out, count_in,
 * drop_clean, drop_clean_after, write_page; engine_alloc_one shares
 * alloc_on with engine_alloc_slots); anything unusual (a page-out in
 * flight, a busy frame) goes to make_room.  The test hook
 * "engine-slowpath" (SWAPCTL_DEBUG_ENGINE_SLOWPATH=1) keeps it off, and
 * tests/swapinfo-fastpath.sh compares the two --json replays on traces
 * where the fast path comes and goes (it fails when a counter of the fast
 * path is broken).  1M-event random replay, --cluster 1 (785K faults,
 * 182K page-outs): 1,140,025,298 -> 1,031,041,994 instructions (-139 a
 * fault), D1 misses 8.66M -> 8.64M; 1M zipf (no evictions, zero fills
 * only): 604,827,146 -> 604,814,176.  The 4M-event run.sh traces,
 * --cluster 1 (with devices.c's check_water change): random
 * 5,372,485,102 -> 4,426,113,877 (-312 a fault over 3.03M faults), D1
 * 37.89M -> 37.81M; zipf 2,609,806,240 -> 2,521,233,541 (-136 a fault over
 * 652K).  Wall time, alternated pairs against main: random median 0.885x,
 * zipf 0.918x: the rest of a fault is the frame table, the slot map and the
 * allocator (frames.c, objmap.c, blist.c) and their cache misses.  The
 * run.sh anchor (RUNS=3, load 6 to 9, so noisy): engine/libCacheSim
 * pages/s 1.54 then (with slot_of_resident) 1.79 random (1.42 at the
 * start, quiet), 2.22 then 2.24 zipf; faults = LRU misses.
 * Tried and left out: the general read and write loop out of line
 * (noinline), so the fast path would not pay for its registers: 1M random
 * 1,031,041,994 -> 1,031,043,244, nothing; passing the device to
 * write_run (from engine_alloc_slots) and read_run (from fault_in) on the
 * general path instead of engine_slot_dev: 1M random at its own cluster
 * 16, 1,160,061,309 -> 1,159,780,826 (-0.02%).
 *
 * The fast path's eviction leaves the victim's frame to fault_in_fast,
 * which gives it the new page with frame_replace (frames.c): the same
 * frame frame_release then frame_take would give (the free list's top),
 * without the free list's push and pop; and a page read in is not touched
 * (it is the newest already, with no read-around mark: touch did
 * nothing).  1M events, --cluster 1, cachegrind: random 1,025,904,221 ->
 * 1,019,330,132 instructions (-8.4 a fault), D1 misses 8.586M either way;
 * zipf (no evictions) 595,782,251 -> 596,016,141.  Then (frames.c's
 * inlining) 1,002,619,903; access_fast tests the page's resident bit
 * inline (ram_resident, pager.h) and calls ram_find only for a page that
 * is in RAM: random (79% faults) 1,002,619,903 -> 994,458,262, zipf
 * (mostly hits: the bit read twice) 592,670,980 -> 593,475,936.
 * This round in all (these, frames.c's inlining, objmap_set's directory
 * entry), cachegrind, --cluster 1: 1M random 1,025,904,221 ->
 * 981,033,133 (-57 a fault), 1M zipf 595,782,251 -> 576,569,236; the
 * 4M-event run.sh traces: random 4,464,249,584 -> 4,250,869,071 (-70 a
 * fault over 3.03M), D1 misses 37.49M either way, zipf 2,482,075,717 ->
 * 2,415,463,031, D1 18.51M either way.  User time, 9 alternated pairs
 * against main on the loaded machine (load 8-11), medians of the pairs'
 * ratios: random 0.986, zipf 0.962, within the noise: the misses, not the
 * instructions, set the time.  Tried and left out: lru_append reading the
 * ring's fields into locals once (the stores to the ring might alias
 * them): 1M random 982,269,896 -> 984,648,672, zipf 576,569,236 ->
 * 581,101,912, worse; ram_check_pages skipping empty table entries four
 * at a time: 1M random 1,025,904,221 -> 1,029,320,142, worse.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pager.h"

/* Count an I/O of n pages in a power-of-two histogram. */
static inline void engine_hist_add(uint64_t *hist, unsigned n)
{
	unsigned b = 0;

	while (b + 1 < SWAPCTL_HIST_BUCKETS && (2u << b) <= n)
		b++;
	hist[b]++;
}

/* What a completed write of n pages to d counts (both paths). */
static inline void count_out(struct swapctl_engine *e, struct pdev *d, unsigned n)
{
	d->st.writes++;
	d->st.pageouts += n;
	d->st.io_bytes += (uint64_t)n * e->o.pagesize;
	e->st.pageouts += n;
	engine_hist_add(d->st.out_hist, n);
}

/* What a read of n good pages from d counts (both paths). */
static inline void count_in(struct swapctl_engine *e, struct pdev *d, unsigned n)
{
	d->st.reads++;
	d->st.pageins += n;
	d->st.io_bytes += (uint64_t)n * e->o.pagesize;
	e->st.pageins += n;
	engine_hist_add(d->st.in_hist, n);
}

/* A clean page leaves RAM (both paths). */
static inline void drop_clean(struct swapctl_engine *e, uint32_t fi)
{
	frame_release(e, fi);
	e->st.clean_drops++;
}

static void *iobuf(struct swapctl_engine *e, unsigned pages)
{
	if (e->iobuf_pages < pages) {
		void *b = NULL;

		if (posix_memalign(&b, 4096, (size_t)pages * e->o.pagesize) != 0)
			return NULL;
		free(e->iobuf);
		e->iobuf = b;
		e->iobuf_pages = pages;
	}
	return e->iobuf;
}

static bool has_data(const struct pdev *d)
{
	return d->gens != NULL;
}

/* ------------------------------------------------------------ batches */

enum { IO_PAGEOUT = 1, IO_TAKEBACK, IO_RESIDENT };

static void io_complete(void *arg, struct pio *io);
static void pageout_done(struct swapctl_engine *e, struct pio *io);

/* Buffers of a queue, in pages: 16 MiB at 4 KiB pages. */
#define QUEUE_PAGES 4096u

/* The engine's queue, its buffers holding requests of up to pages pages
 * (fewer of them when clusters are large). */
static struct pqueue *queue(struct swapctl_engine *e, unsigned pages)
{
	unsigned n = PAGER_QUEUE;

	if (e->q && e->q->maxpages >= pages)
		return e->q;
	if (e->q)
		pq_destroy(e->q);
	else if (!(e->q = malloc(sizeof(*e->q))))
		return NULL;
	if (pages < 16)
		pages = 16;
	while (n > 2 && n * pages > QUEUE_PAGES)
		n /= 2;
	if (pq_init(e->q, n, pages, e->o.pagesize, io_complete, e) < 0) {
		free(e->q);
		e->q = NULL;
	}
	return e->q;
}

void ram_drain(struct swapctl_engine *e)
{
	if (e->q)
		pq_drain(e->q);
}

/* 0 when the page read into buf holds what was last written to slot. */
static int page_verify(struct swapctl_engine *e, struct pdev *d, const void *buf, uint32_t slot)
{
	uint64_t p = slot - d->base;

	/* the pattern of the object page that wrote it (copy may have moved
	 * the slot to another object since), its generation, the slot */
	if (!has_data(d) || engine_check_page(buf, e->o.pagesize, d->owner[p] >> 32, d->owner[p] & 0xffffffffu,
					     d->gens[p], slot) == 0)
		return 0;
	d->st.verify_errors++;
	return -EILSEQ;
}

/*
 * Page idx of o could not be written to slot, the first of the n slots left
 * of its run: the slot is retired, the others go back, and the page stays
 * dirty in RAM, moved to the front so the next eviction tries another.
 */
static void write_failed(struct swapctl_engine *e, struct pobj *o, uint64_t idx, uint32_t slot, unsigned n)
{
	struct pdev *d = engine_slot_dev(e, slot);
	uint32_t fi = ram_find(e, o, idx);

	d->st.write_errors++;
	engine_count(e, SWAPCTL_EV_WRITE_ERROR, d, 1);
	engine_retire_slot(e, slot);
	if (n > 1)
		engine_free_slots(e, slot + 1, n - 1);
	frame_to_front(e, fi);
}

/*
 * Queue the write of pages [a, a + n) of o, all resident and dirty, to n
 * contiguous slots from first; their frames are freed when it completes.
 * The caller knows the frame of page known (or NOFRAME): one lookup less.
 * Returns n, or -EIO after handling an injected error.
 */
static int write_run(struct swapctl_engine *e, struct pobj *o, uint64_t a, unsigned n, uint32_t first,
		     uint64_t known, uint32_t kfi, bool now)
{
	struct pdev *d = engine_slot_dev(e, first);
	struct pqueue *q;
	uint64_t p = first - d->base;
	unsigned i, limit;
	struct pio *io;

	limit = inject_limit(d, p, n, true);
	if (now && limit == n && d->ops == &backend_sim_ops && !has_data(d) && (!e->q || !e->q->count)) {
		/* nothing to wait for and nothing queued before it: complete it
		 * here, as the drain that follows would */
		struct pio sync = { .d = d, .p = p, .n = n, .write = true, .done = n, .kind = IO_PAGEOUT,
				    .want = n, .obj = o, .idx = a, .slot = first,
				    .frame = known == a && kfi != NOFRAME ? kfi : ram_find(e, o, a) };

		e->out_pending += n;
		pageout_done(e, &sync);
		return (int)n;
	}
	q = queue(e, n);
	if (!q)
		return -ENOMEM;
	if (limit) {
		io = pq_next(q);
		for (i = 0; i < limit; i++) {
			uint32_t fi = a + i == known && kfi != NOFRAME ? kfi : ram_find(e, o, a + i);
			struct frame *f = &e->frames[fi];

			if (i == 0)
				io->frame = fi;

			if (has_data(d))
				engine_fill_page((char *)io->buf + (size_t)i * e->o.pagesize, e->o.pagesize, o->num,
						 a + i, f->gen, first + i);
			f->busy = 1;
		}
		io->d = d;
		io->p = p;
		io->n = limit;
		io->want = n;
		io->write = true;
		io->kind = IO_PAGEOUT;
		io->obj = o;
		io->idx = a;
		io->slot = first;
		e->out_pending += limit;
		pq_submit(q, io);
	}
	if (limit == n)
		return (int)n;
	write_failed(e, o, a + limit, first + limit, n - limit);
	return -EIO;
}

static void pageout_done(struct swapctl_engine *e, struct pio *io)
{
	struct pdev *d = io->d;
	struct pobj *o = io->obj;
	unsigned i;

	e->out_pending -= io->n;
	if (io->done)
		count_out(e, d, io->done);
	for (i = 0; i < io->n; i++) {
		uint64_t idx = io->idx + i;
		/* the frames of a queued write stay put until it completes */
		uint32_t fi = i == 0 ? io->frame : ram_find(e, o, idx);

		e->frames[fi].busy = 0;
		if (i >= io->done)
			continue;
		if (has_data(d)) {
			d->gens[io->p + i] = e->frames[fi].gen;
			d->owner[io->p + i] = o->num << 32 | idx;
		}
		objmap_set(&o->map, idx, io->slot + i);
		frame_release(e, fi);
	}
	if (io->done < io->n)   /* the device failed it */
		write_failed(e, o, io->idx + io->done, io->slot + io->done, io->n - io->done);
}

/* Largest cluster any enabled device takes. */
static unsigned max_cluster(const struct swapctl_engine *e)
{
	unsigned c = 1;
	size_t i;

	for (i = 0; i < e->norder; i++)
		if (e->order[i]->cluster > c)
			c = e->order[i]->cluster;
	return c;
}

static bool dirty_resident(const struct swapctl_engine *e, const struct pobj *o, uint64_t idx)
{
	uint32_t fi = ram_find(e, o, idx);

	return fi != NOFRAME && e->frames[fi].dirty && !e->frames[fi].busy;
}

/*
 * Page out the dirty page idx of o (in frame fi) with its dirty resident neighbours in
 * [lo, hi): a cluster, written in as few runs of contiguous slots as the
 * allocator gives.  Returns pages queued, 0 when swap is full, -EIO.
 */
static int page_out(struct swapctl_engine *e, struct pobj *o, uint64_t idx, uint32_t fi, uint64_t lo, uint64_t hi,
		    bool now)
{
	unsigned want = max_cluster(e), got;
	uint64_t a = idx, b = idx + 1;
	uint32_t first;
	int written = 0, r;

	while (b - a < want && b < hi && dirty_resident(e, o, b))
		b++;
	while (b - a < want && a > lo && dirty_resident(e, o, a - 1))
		a--;
	/* once a request had to be halved, the rest of the cluster asks for
	 * that size too, so 16 pages go out as 4 x 4 and not as 4 + 3 + 3 ... */
	while (a < b) {
		got = engine_alloc_slots(e, (unsigned)(b - a) < want ? (unsigned)(b - a) : want, &first);
		if (!got)
			return written;
		want = got;
		r = write_run(e, o, a, got, first, idx, fi, now);
		if (r < 0)
			return written ? written : r;
		written += r;
		a += got;
	}
	return written;
}

/* Swap is full: the oldest clean page newer than pos goes; -ENOMEM when
 * there is none. */
static int drop_clean_after(struct swapctl_engine *e, uint32_t pos)
{
	for (pos = lru_newer(e, pos); pos != LRU_NONE; pos = lru_newer(e, pos)) {
		uint32_t fi = e->lru[pos];

		if (!e->frames[fi].dirty && !e->frames[fi].busy) {
			drop_clean(e, fi);
			return 1;
		}
	}
	return -ENOMEM;
}

/* Free at least one frame: drop a clean page or queue the write of a dirty
 * one (pages being written are passed over: they are already going).  A
 * write error retires its slot and the next try goes elsewhere, so a device
 * that fails every write is used up and the others carry on; the tries end
 * because every failure takes a slot away. */
static int evict_one(struct swapctl_engine *e, bool now)
{
	uint32_t pos = lru_oldest(e);
	int r;

	while (pos != LRU_NONE) {
		uint32_t fi = e->lru[pos];
		struct frame *f = &e->frames[fi];
		struct pobj *o;

		if (f->busy) {
			pos = lru_newer(e, pos);
			continue;
		}
		if (!f->dirty) {
			drop_clean(e, fi);
			return 1;
		}
		o = frame_obj(e, f);
		r = page_out(e, o, frame_idx(f), fi, 0, o->npages, now);
		if (r > 0)
			return r;
		if (r == 0)
			return drop_clean_after(e, pos);
		if (r != -EIO)
			return r;
		pos = lru_oldest(e);    /* a write error: the page went to the front */
	}
	return -ENOMEM;
}

/* Free need frames: the page-outs it takes are in flight together. */
static int make_room(struct swapctl_engine *e, uint32_t need)
{
	int r = 0;

	while (e->nfree < need) {
		while (r >= 0 && e->nfree + e->out_pending < need)
			r = evict_one(e, need - e->nfree == 1 && !e->out_pending);
		ram_drain(e);
		if (r < 0 && e->nfree < need)
			return r;
	}
	return 0;
}

static void touch(struct swapctl_engine *e, uint32_t fi)
{
	struct frame *f = &e->frames[fi];

	if (f->ra) {
		uint32_t slot = objmap_get(&frame_obj(e, f)->map, frame_idx(f));
		struct pdev *d = slot ? engine_slot_dev(e, slot) : NULL;

		f->ra = 0;
		e->st.readaround_hits++;
		if (d)
			d->st.readaround_hits++;
	}
	frame_to_front(e, fi);
}

/* A page whose data could not be read back: its slot is retired and it is lost. */
static void lose_page(struct swapctl_engine *e, struct pobj *o, uint64_t idx, uint32_t slot)
{
	struct pdev *d = engine_slot_dev(e, slot);

	objmap_set(&o->map, idx, SLOT_NONE);
	engine_retire_slot(e, slot);
	engine_lost(e, o, idx);
	engine_count(e, SWAPCTL_EV_LOST, d, 1);
	if (d)
		d->st.lost++;
	if (e->nlost && !strcmp(e->lost[e->nlost - 1].obj, o->id) && e->lost[e->nlost - 1].index == idx)
		snprintf(e->lost[e->nlost - 1].dev, sizeof(e->lost[0].dev), "%s", d ? d->name : "?");
}

/*
 * Read n pages of o from idx (slots from first, contiguous on one device)
 * into frames, which the caller has made room for.  Pages that fail to read
 * or verify are lost.  want is the page the fault was for (not read-around).
 */
static void read_run(struct swapctl_engine *e, struct pobj *o, uint64_t idx, unsigned n, uint32_t first,
		     uint64_t want)
{
	struct pdev *d = engine_slot_dev(e, first);
	uint64_t p = first - d->base;
	unsigned i, done = 0, ok = 0;
	void *buf = has_data(d) ? iobuf(e, n) : NULL;
	int r;

	if (has_data(d) && !buf) {
		n = 1;
		buf = iobuf(e, 1);
	}
	r = dev_io(d, p, n, buf, false, &done);
	if (r < 0)
		d->st.read_errors++;
	for (i = 0; i < n; i++) {
		uint64_t pi = idx + i;
		uint32_t slot = first + i, fi;

		if (i >= done) {
			/* the failing page is lost; the ones after it were not read */
			if (i == done)
				lose_page(e, o, pi, slot);
			continue;
		}
		/* no buffer on a device without data (sim): nothing to offset */
		if (buf && page_verify(e, d, (char *)buf + (size_t)i * e->o.pagesize, slot) < 0) {
			lose_page(e, o, pi, slot);
			continue;
		}
		fi = frame_take(e, o, pi);
		e->frames[fi].gen = has_data(d) ? d->gens[p + i] : 0;
		e->frames[fi].ra = pi != want;
		if (pi != want) {
			d->st.readaround++;
		}
		ok++;
	}
	if (ok)
		count_in(e, d, ok);
}

static bool can_read_around(const struct swapctl_engine *e, const struct pobj *o, uint64_t idx,
			    uint32_t slot, const struct pdev *d)
{
	/* the slot test first: it usually fails, and the object's map is in
	 * cache where the frame table is not */
	return idx < o->npages && slot > d->base && slot - d->base < d->pages &&
	       objmap_get(&o->map, idx) == slot && ram_find(e, o, idx) == NOFRAME;
}

/* Bring page idx of o, whose slot is slot, into RAM; returns its frame or
 * NOFRAME (-ENOMEM). */
static uint32_t fault_in(struct swapctl_engine *e, struct pobj *o, uint64_t idx, uint32_t slot, int *err)
{
	uint32_t fi;
	struct pdev *d;
	uint64_t a = idx, b = idx + 1;
	int r;

	e->st.faults++;
	if (slot == SLOT_NONE) {
		r = make_room(e, 1);
		if (r < 0) {
			*err = r;
			return NOFRAME;
		}
		e->st.zero_fills++;
		return frame_take(e, o, idx);
	}
	d = engine_slot_dev(e, slot);
	/* read-around: neighbours whose slots continue this one's, both ways */
	while (b - a < d->cluster && can_read_around(e, o, b, slot + (uint32_t)(b - idx), d))
		b++;
	while (b - a < d->cluster && a > 0 && can_read_around(e, o, a - 1, slot - (uint32_t)(idx - a + 1), d))
		a--;
	if (make_room(e, (uint32_t)(b - a)) < 0) {
		a = idx;
		b = idx + 1;
		r = make_room(e, 1);
		if (r < 0) {
			*err = r;
			return NOFRAME;
		}
	}
	/* eviction may have moved things: re-check the range is still readable */
	slot = objmap_get(&o->map, idx);
	if (slot == SLOT_NONE)
		return fault_in(e, o, idx, SLOT_NONE, err);
	read_run(e, o, a, (unsigned)(b - a), slot - (uint32_t)(idx - a), idx);
	fi = ram_find(e, o, idx);
	if (fi == NOFRAME) {
		/* it was lost: the process sees a fresh page */
		e->st.zero_fills++;
		if (!e->nfree && make_room(e, 1) < 0) {
			*err = -ENOMEM;
			return NOFRAME;
		}
		fi = frame_take(e, o, idx);
	}
	/* the faulting page is the most recently used */
	touch(e, fi);
	return fi;
}

static int free_slot(void *e, uint64_t idx, uint32_t slot)
{
	(void)idx;
	engine_free_slots(e, slot, 1);
	return 0;
}

static void release_page(struct swapctl_engine *e, struct pobj *o, uint64_t idx, uint32_t fi, void *arg)
{
	(void)o;
	(void)idx;
	(void)arg;
	frame_release(e, fi);
}

void ram_drop(struct swapctl_engine *e, struct pobj *o, uint64_t from, uint64_t to)
{
	ram_walk(e, o, from, to, release_page, NULL);
	objmap_take(&o->map, from, to, free_slot, e);
}

struct out_range {
	uint64_t lo, hi;        /* the range asked */
	uint64_t failed;        /* dirty pages that found no slot */
	bool full;
};

static void out_page(struct swapctl_engine *e, struct pobj *o, uint64_t i, uint32_t fi, void *arg)
{
	struct out_range *or = arg;

	/* gone already (a full queue completed its write) or being written */
	if (fi == NOFRAME || e->frames[fi].busy)
		return;
	if (!e->frames[fi].dirty) {
		drop_clean(e, fi);
		return;
	}
	/* a write error leaves the page resident: go on with the others */
	if (or->full || page_out(e, o, i, fi, or->lo, or->hi, false) == 0) {
		or->full = true;
		or->failed++;
	}
}

/* Explicit page-out of [idx, idx + count): write dirty runs, drop clean
 * pages; only resident pages are visited, so a huge range costs its
 * bitmap.  A dirty page swap has no slot for stays in RAM, counted; slots
 * are not freed meanwhile, so once one is refused the rest are too. */
static int page_out_range(struct swapctl_engine *e, struct pobj *o, uint64_t idx, uint64_t count)
{
	struct out_range or = { .lo = idx, .hi = idx + count };

	ram_walk(e, o, idx, idx + count, out_page, &or);
	ram_drain(e);
	if (or.failed)
		engine_count(e, SWAPCTL_EV_PAGEOUT_FAILED, NULL, or.failed);
	return 0;
}

/* The slot of page idx of o, resident in frame fi: a dirty page has none
 * (written since its slot was freed; swapctl_engine_check holds it to
 * that), so the map is read only for a clean one. */
static inline uint32_t slot_of_resident(const struct swapctl_engine *e, const struct pobj *o, uint64_t idx,
					uint32_t fi)
{
	return e->frames[fi].dirty ? SLOT_NONE : objmap_get(&o->map, idx);
}

/* A write to page idx of o, resident in frame fi, whose slot was slot
 * (SLOT_NONE: none): dirty, a new generation, the slot freed (on d when
 * known, else looked up).  Both paths. */
static inline void write_page(struct swapctl_engine *e, struct pobj *o, uint64_t idx, uint32_t fi, uint32_t slot,
			      struct pdev *d)
{
	struct frame *f = &e->frames[fi];

	frame_set_dirty(e, f);
	f->gen++;
	if (slot) {
		if (d)
			engine_dev_free(e, d, slot, 1);
		else
			engine_free_slots(e, slot, 1);
		objmap_set(&o->map, idx, SLOT_NONE);
	}
}

/* ------------------------------------------------------------ fast path */

/*
 * make_room(e, 1) when e->fast: one device, enabled, cluster 1, sim
 * without data or injected errors (engine_fast_update).  Then the general
 * path's eviction is the oldest page dropped (clean) or written alone to
 * one slot at once (write_run's sync shortcut, pageout_done): no
 * neighbours, no queue, no device lookup.  Anything else (a page-out in
 * flight, a busy frame) goes to make_room.
 */
static int make_room_fast(struct swapctl_engine *e, uint32_t *victim)
{
	uint32_t pos, fi, slot;
	struct frame *f;
	struct pobj *o;

	if (e->nfree)
		return 0;
	pos = lru_oldest(e);
	if (pos == LRU_NONE || e->out_pending || e->frames[e->lru[pos]].busy)
		return make_room(e, 1);
	fi = e->lru[pos];
	f = &e->frames[fi];
	if (!f->dirty) {
		e->st.clean_drops++;    /* drop_clean, the frame left to the caller */
		*victim = fi;
		return 0;
	}
	if (!engine_alloc_one(e, &slot)) {
		int r = drop_clean_after(e, pos);       /* swap is full (evict_one) */

		return r < 0 ? r : 0;
	}
	o = frame_obj(e, f);
	count_out(e, e->order[0], 1);
	objmap_set(&o->map, frame_idx(f), slot);
	*victim = fi;
	return 0;
}

/* fault_in when e->fast: no read-around (cluster 1), the one device's
 * read cannot fail, and the eviction does not touch this page's slot.
 * The evicted page's frame is the one the page takes (frame_replace:
 * frame_release and frame_take without the free list), and a page read
 * in is the newest already (the general path's touch does nothing). */
static uint32_t fault_in_fast(struct swapctl_engine *e, struct pobj *o, uint64_t idx, uint32_t slot, int *err)
{
	uint32_t fi, victim = NOFRAME;
	int r;

	e->st.faults++;
	r = make_room_fast(e, &victim);
	if (r < 0 && slot != SLOT_NONE)
		r = make_room(e, 1);    /* fault_in tries once more for one page */
	if (r < 0) {
		*err = r;
		return NOFRAME;
	}
	fi = victim != NOFRAME ? frame_replace(e, victim, o, idx) : frame_take(e, o, idx);
	if (slot == SLOT_NONE)
		e->st.zero_fills++;
	else
		count_in(e, e->order[0], 1);
	return fi;
}

/* ram_access's read and write when e->fast. */
static int access_fast(struct swapctl_engine *e, struct pobj *o, uint64_t idx, uint64_t count, int kind)
{
	uint64_t i, failed = 0;
	int err = 0;

	for (i = idx; i < idx + count; i++) {
		/* most accesses of a replay that pages are faults: the resident
		 * bit without a call */
		uint32_t fi = ram_resident(o, i) ? ram_find(e, o, i) : NOFRAME, slot = SLOT_NONE;

		if (fi == NOFRAME) {
			if (failed) {
				failed++;
				continue;
			}
			slot = objmap_get(&o->map, i);
			fi = fault_in_fast(e, o, i, slot, &err);
			if (fi == NOFRAME) {
				failed++;
				continue;
			}
		} else {
			touch(e, fi);
			if (kind == SWAPCTL_WRITE)
				slot = slot_of_resident(e, o, i, fi);
		}
		if (kind == SWAPCTL_WRITE)
			write_page(e, o, i, fi, slot, e->order[0]);
	}
	if (failed)
		engine_count(e, SWAPCTL_EV_FAULT_FAILED, NULL, failed);
	return 0;
}

int ram_access(struct swapctl_engine *e, struct pobj *o, uint64_t idx, uint64_t count, int kind)
{
	uint64_t i, failed = 0;
	int err = 0;

	switch (kind) {
	case SWAPCTL_PAGEOUT:
		return page_out_range(e, o, idx, count);
	case SWAPCTL_DISCARD:
		ram_drop(e, o, idx, idx + count);
		return 0;
	}
	if (e->fast)
		return access_fast(e, o, idx, count, kind);
	for (i = idx; i < idx + count; i++) {
		uint32_t fi = ram_find(e, o, i), slot = UINT32_MAX;     /* not looked up */

		if (fi == NOFRAME) {
			/* once no frame could be freed, none will be in this
			 * access: the pages left that are not resident fail too */
			if (!failed)
				slot = objmap_get(&o->map, i);
			fi = failed ? NOFRAME : fault_in(e, o, i, slot, &err);
			if (fi == NOFRAME) {
				failed++;       /* it stays where it was */
				continue;
			}
		} else {
			touch(e, fi);
		}
		if (kind == SWAPCTL_WRITE) {
			/* a page that had no slot (zero-filled) still has none */
			if (slot != SLOT_NONE)
				slot = slot_of_resident(e, o, i, fi);
			write_page(e, o, i, fi, slot, NULL);
		}
	}
	if (failed)
		engine_count(e, SWAPCTL_EV_FAULT_FAILED, NULL, failed);
	return 0;
}

/* Queue the read of page idx of o from slot into a frame taken now. */
static int take_back_read(struct swapctl_engine *e, struct pobj *o, uint64_t idx, uint32_t slot)
{
	struct pdev *d = engine_slot_dev(e, slot);
	struct pqueue *q = queue(e, 1);
	struct pio *io;

	if (!q)
		return -ENOMEM;
	io = pq_next(q);
	io->d = d;
	io->p = slot - d->base;
	io->want = 1;
	io->n = inject_limit(d, io->p, 1, false);
	io->kind = IO_TAKEBACK;
	io->obj = o;
	io->idx = idx;
	io->slot = slot;
	io->frame = NOFRAME;
	if (io->n) {
		io->frame = frame_take(e, o, idx);
		e->frames[io->frame].busy = 1;
	}
	pq_submit(q, io);
	return 0;
}

/* The page is in RAM now, dirty, and its slot is free. */
static void take_back_done(struct swapctl_engine *e, struct pio *io)
{
	struct pdev *d = io->d;
	struct pobj *o = io->obj;
	uint32_t fi = io->frame;

	if (io->kind == IO_TAKEBACK) {
		if (fi != NOFRAME)
			e->frames[fi].busy = 0;
		if (io->done < io->want || page_verify(e, d, io->buf, io->slot) < 0) {
			if (io->done < io->want)
				d->st.read_errors++;
			if (fi != NOFRAME)
				frame_release(e, fi);
			lose_page(e, o, io->idx, io->slot);
			return;
		}
		e->frames[fi].gen = has_data(d) ? d->gens[io->p] : 0;
		count_in(e, d, 1);
	}
	engine_free_slots(e, io->slot, 1);
	objmap_set(&o->map, io->idx, SLOT_NONE);
	frame_set_dirty(e, &e->frames[fi]);
}

/* Swapoff of one page: queued, so many are read together; the caller
 * drains the queue.  Pages already in RAM go through the queue too, so
 * slots are freed in the order of the pages. */
int ram_take_back(struct swapctl_engine *e, struct pobj *o, uint64_t idx)
{
	uint32_t slot = objmap_get(&o->map, idx), fi = ram_find(e, o, idx);
	struct pqueue *q;
	struct pio *io;
	int r;

	if (fi == NOFRAME) {
		if (!e->nfree) {
			ram_drain(e);
			r = make_room(e, 1);
			if (r < 0)
				return r;
		}
		slot = objmap_get(&o->map, idx);
		if (slot == SLOT_NONE)
			return 0;
		return take_back_read(e, o, idx, slot);
	}
	if (!slot) {
		frame_set_dirty(e, &e->frames[fi]);
		return 0;
	}
	q = queue(e, 1);
	if (!q)
		return -ENOMEM;
	io = pq_next(q);
	io->kind = IO_RESIDENT;
	io->obj = o;
	io->idx = idx;
	io->slot = slot;
	io->frame = fi;
	pq_submit(q, io);
	return 0;
}

static void io_complete(void *arg, struct pio *io)
{
	struct swapctl_engine *e = arg;

	if (io->kind == IO_PAGEOUT)
		pageout_done(e, io);
	else
		take_back_done(e, io);
}

int ram_resize(struct swapctl_engine *e, uint64_t pages)
{
	int r;

	if (pages == 0 || pages > RAM_MAX_PAGES)
		return swapctl_fail_class(e->ctx, SWAPCTL_E_INVALID, EINVAL, "ram %llu: from 1 to %u pages",
					  (unsigned long long)pages, RAM_MAX_PAGES);
	/* shrinking: evict down to the new size first, the page-outs in
	 * flight together */
	r = 0;
	while (e->nframes - e->nfree > pages) {
		while (r >= 0 && e->nframes - e->nfree - e->out_pending > pages)
			r = evict_one(e, false);
		ram_drain(e);
		if (r < 0 && e->nframes - e->nfree > pages) {
			/* RAM shrinks as far as its pages let it */
			uint64_t kept = e->nframes - e->nfree;

			engine_event(e, SWAPCTL_EV_RAM_KEPT, NULL, kept,
				     "RAM stays at %llu pages, not %llu: the pages in it have nowhere to go",
				     (unsigned long long)kept, (unsigned long long)pages);
			pages = kept;
		}
	}
	return ram_frames_resize(e, pages);
}
