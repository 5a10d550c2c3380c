/*
 * Simulated RAM: a fixed number of frames, an LRU list, and the paging
 * that moves pages between frames and slots.
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
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "pager.h"

#define NOFRAME UINT32_MAX

static uint32_t fhash(const struct pobj *o, uint64_t idx)
{
	uint64_t k = o->num * 0x9e3779b97f4a7c15ull ^ idx * 0xc2b2ae3d27d4eb4full;
	uint32_t h;

	k ^= k >> 29;
	k *= 0xbf58476d1ce4e5b9ull;
	h = (uint32_t)(k ^ (k >> 32));
	return h ? h : 1;       /* never 0: 0 marks an empty entry */
}

/*
 * The frame table: open addressing, each entry the page's hash in the high
 * 32 bits and its frame in the low 32, so a probe touches a frame only when
 * the hashes match.
 */
static uint64_t *ftab_slot(const struct swapctl_engine *e, const struct pobj *o, uint64_t idx, uint32_t h)
{
	uint32_t mask = e->ftab_size - 1, i;

	for (i = h & mask;; i = (i + 1) & mask) {
		uint64_t v = e->ftab[i];

		if (!v)
			return &e->ftab[i];
		if ((uint32_t)(v >> 32) == h) {
			const struct frame *f = &e->frames[(uint32_t)v];

			if (f->obj == o && f->idx == idx)
				return &e->ftab[i];
		}
	}
}

/*
 * Each object has a bit per page telling whether it is resident.  Most
 * lookups are for pages that are not (faults, the neighbours of a cluster
 * or a read-around), and the bitmap answers those from memory next to the
 * neighbours' bits, where the frame table is a cache miss per page.
 * Bitmaps of 1 MiB or more are mapped without reserve: only the parts
 * with resident pages cost memory.
 */
#define RBITS_MAP_BYTES (1u << 20)

static void rbits_free(uint64_t *bits, uint64_t words)
{
	if (words * 8 >= RBITS_MAP_BYTES)
		munmap(bits, words * 8);
	else
		free(bits);
}

int ram_obj_bits(struct pobj *o, uint64_t pages)
{
	uint64_t words = (pages + 63) / 64, *bits;

	if (!pages) {
		if (o->rbits)
			rbits_free(o->rbits, o->rwords);
		o->rbits = NULL;
		o->rwords = 0;
		return 0;
	}
	/* objects that shrink and grow again (a heap) keep their bitmap: the
	 * bits past the end are clear, the pages there having left RAM */
	if (words <= o->rwords)
		return 0;
	if (o->rwords)
		words = words > o->rwords + o->rwords / 2 ? words : o->rwords + o->rwords / 2;
	if (words * 8 >= RBITS_MAP_BYTES) {
		bits = mmap(NULL, words * 8, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			    -1, 0);
		if (bits == MAP_FAILED)
			return -ENOMEM;
	} else {
		bits = calloc(words, 8);
		if (!bits)
			return -ENOMEM;
	}
	if (o->rbits) {
		if (o->resident)
			memcpy(bits, o->rbits, o->rwords * 8);
		rbits_free(o->rbits, o->rwords);
	}
	o->rbits = bits;
	o->rwords = words;
	return 0;
}

size_t ram_obj_bits_memory(const struct pobj *o)
{
	return (size_t)o->rwords * 8;
}

static bool resident_bit(const struct pobj *o, uint64_t idx)
{
	return o->rbits[idx / 64] >> (idx % 64) & 1;
}

static void set_resident(struct pobj *o, uint64_t idx, bool on)
{
	if (on)
		o->rbits[idx / 64] |= 1ull << (idx % 64);
	else
		o->rbits[idx / 64] &= ~(1ull << (idx % 64));
}

uint32_t ram_find(const struct swapctl_engine *e, const struct pobj *o, uint64_t idx)
{
	uint64_t v;

	if (!resident_bit(o, idx))
		return NOFRAME;
	v = *ftab_slot(e, o, idx, fhash(o, idx));

	return v ? (uint32_t)v : NOFRAME;
}

static void ftab_insert(struct swapctl_engine *e, uint32_t fi)
{
	struct frame *f = &e->frames[fi];
	uint32_t h = fhash(f->obj, f->idx);

	*ftab_slot(e, f->obj, f->idx, h) = (uint64_t)h << 32 | fi;
}

static void ftab_remove(struct swapctl_engine *e, uint32_t fi)
{
	struct frame *f = &e->frames[fi];
	uint32_t mask = e->ftab_size - 1;
	uint32_t i = (uint32_t)(ftab_slot(e, f->obj, f->idx, fhash(f->obj, f->idx)) - e->ftab), j = i;

	e->ftab[i] = 0;
	for (;;) {
		uint32_t h;

		j = (j + 1) & mask;
		if (!e->ftab[j])
			break;
		h = (uint32_t)(e->ftab[j] >> 32) & mask;
		if ((j > i && (h <= i || h > j)) || (j < i && h <= i && h > j)) {
			e->ftab[i] = e->ftab[j];
			e->ftab[j] = 0;
			i = j;
		}
	}
}

static void lru_unlink(struct swapctl_engine *e, uint32_t fi)
{
	struct frame *f = &e->frames[fi];

	if (f->prev != NOFRAME)
		e->frames[f->prev].next = f->next;
	else
		e->lru_head = f->next;
	if (f->next != NOFRAME)
		e->frames[f->next].prev = f->prev;
	else
		e->lru_tail = f->prev;
	f->prev = f->next = NOFRAME;
}

static void lru_push(struct swapctl_engine *e, uint32_t fi)
{
	struct frame *f = &e->frames[fi];

	f->prev = NOFRAME;
	f->next = e->lru_head;
	if (e->lru_head != NOFRAME)
		e->frames[e->lru_head].prev = fi;
	else
		e->lru_tail = fi;
	e->lru_head = fi;
}

static void set_frames(struct swapctl_engine *e, struct frame *frames, uint32_t n, uint64_t *ftab, uint32_t fsize)
{
	uint32_t i;

	e->frames = frames;
	e->nframes = n;
	e->ftab = ftab;
	e->ftab_size = fsize;
	e->nfree = n;
	e->freelist = n ? 0 : NOFRAME;
	for (i = 0; i < n; i++) {
		frames[i].obj = NULL;
		frames[i].next = i + 1 < n ? i + 1 : NOFRAME;
		frames[i].prev = NOFRAME;
	}
	e->lru_head = e->lru_tail = NOFRAME;
}

static uint32_t table_size(uint64_t frames)
{
	uint32_t s = 16;

	while (s < frames * 4)  /* a quarter full: short probes */
		s *= 2;
	return s;
}

int ram_init(struct swapctl_engine *e, uint64_t pages)
{
	struct frame *frames;
	uint64_t *ftab;
	uint32_t fs;

	if (pages == 0 || pages > RAM_MAX_PAGES)
		return -EINVAL;
	fs = table_size(pages);
	frames = calloc(pages, sizeof(*frames));
	ftab = calloc(fs, sizeof(*ftab));
	if (!frames || !ftab) {
		free(frames);
		free(ftab);
		return -ENOMEM;
	}
	set_frames(e, frames, (uint32_t)pages, ftab, fs);
	return 0;
}

void ram_destroy(struct swapctl_engine *e)
{
	free(e->frames);
	free(e->ftab);
	e->frames = NULL;
	e->ftab = NULL;
	e->nframes = e->nfree = 0;
}

static uint32_t frame_take(struct swapctl_engine *e, struct pobj *o, uint64_t idx)
{
	uint32_t fi = e->freelist;
	struct frame *f = &e->frames[fi];

	e->freelist = f->next;
	e->nfree--;
	memset(f, 0, sizeof(*f));
	f->obj = o;
	f->idx = idx;
	ftab_insert(e, fi);
	lru_push(e, fi);
	o->resident++;
	set_resident(o, idx, true);
	return fi;
}

static void set_dirty(struct swapctl_engine *e, struct frame *f)
{
	if (!f->dirty)
		e->ndirty++;
	f->dirty = 1;
}

static void frame_release(struct swapctl_engine *e, uint32_t fi)
{
	struct frame *f = &e->frames[fi];

	if (f->dirty)
		e->ndirty--;
	ftab_remove(e, fi);
	lru_unlink(e, fi);
	f->obj->resident--;
	set_resident(f->obj, f->idx, false);
	f->obj = NULL;
	f->next = e->freelist;
	e->freelist = fi;
	e->nfree++;
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
	lru_unlink(e, fi);
	lru_push(e, fi);
}

/*
 * Queue the write of pages [a, a + n) of o, all resident and dirty, to n
 * contiguous slots from first; their frames are freed when it completes.
 * Returns n, or -EIO after handling an injected error.
 */
static int write_run(struct swapctl_engine *e, struct pobj *o, uint64_t a, unsigned n, uint32_t first)
{
	struct pdev *d = engine_slot_dev(e, first);
	struct pqueue *q = queue(e, n);
	uint64_t p = first - d->base;
	unsigned i, limit;
	struct pio *io;

	if (!q)
		return -ENOMEM;
	limit = inject_limit(d, p, n, true);
	if (limit) {
		io = pq_next(q);
		for (i = 0; i < limit; i++) {
			struct frame *f = &e->frames[ram_find(e, o, a + i)];

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
	if (io->done) {
		d->st.writes++;
		d->st.pageouts += io->done;
		d->st.io_bytes += (uint64_t)io->done * e->o.pagesize;
		e->st.pageouts += io->done;
		engine_hist_add(d->st.out_hist, io->done);
	}
	for (i = 0; i < io->n; i++) {
		uint64_t idx = io->idx + i;
		uint32_t fi = ram_find(e, o, idx);

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
 * Page out the dirty page idx of o with its dirty resident neighbours in
 * [lo, hi): a cluster, written in as few runs of contiguous slots as the
 * allocator gives.  Returns pages queued, 0 when swap is full, -EIO.
 */
static int page_out(struct swapctl_engine *e, struct pobj *o, uint64_t idx, uint64_t lo, uint64_t hi)
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
		r = write_run(e, o, a, got, first);
		if (r < 0)
			return written ? written : r;
		written += r;
		a += got;
	}
	return written;
}

/* Free at least one frame: drop a clean page or queue the write of a dirty
 * one (pages being written are passed over: they are already going).  A
 * write error retires its slot and the next try goes elsewhere, so a device
 * that fails every write is used up and the others carry on; the tries end
 * because every failure takes a slot away. */
static int evict_one(struct swapctl_engine *e)
{
	uint32_t fi = e->lru_tail;
	int r;

	while (fi != NOFRAME) {
		struct frame *f = &e->frames[fi];
		uint32_t prev = f->prev;

		if (f->busy) {
			fi = prev;
			continue;
		}
		if (!f->dirty) {
			frame_release(e, fi);
			e->st.clean_drops++;
			return 1;
		}
		r = page_out(e, f->obj, f->idx, 0, f->obj->npages);
		if (r > 0)
			return r;
		if (r == 0) {
			/* swap is full: only clean pages can still go */
			for (fi = prev; fi != NOFRAME; fi = e->frames[fi].prev) {
				if (!e->frames[fi].dirty && !e->frames[fi].busy) {
					frame_release(e, fi);
					e->st.clean_drops++;
					return 1;
				}
			}
			return -ENOMEM;
		}
		if (r != -EIO)
			return r;
		fi = e->lru_tail;       /* a write error: the page went to the front */
	}
	return -ENOMEM;
}

/* Free need frames: the page-outs it takes are in flight together. */
static int make_room(struct swapctl_engine *e, uint32_t need)
{
	int r = 0;

	while (e->nfree < need) {
		while (r >= 0 && e->nfree + e->out_pending < need)
			r = evict_one(e);
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
		uint32_t slot = objmap_get(&f->obj->map, f->idx);
		struct pdev *d = slot ? engine_slot_dev(e, slot) : NULL;

		f->ra = 0;
		e->st.readaround_hits++;
		if (d)
			d->st.readaround_hits++;
	}
	if (e->lru_head != fi) {
		lru_unlink(e, fi);
		lru_push(e, fi);
	}
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
	if (ok) {
		d->st.reads++;
		d->st.pageins += ok;
		d->st.io_bytes += (uint64_t)ok * e->o.pagesize;
		e->st.pageins += ok;
		engine_hist_add(d->st.in_hist, ok);
	}
}

static bool can_read_around(const struct swapctl_engine *e, const struct pobj *o, uint64_t idx,
			    uint32_t slot, const struct pdev *d)
{
	/* the slot test first: it usually fails, and the object's map is in
	 * cache where the frame table is not */
	return idx < o->npages && slot > d->base && slot - d->base < d->pages &&
	       objmap_get(&o->map, idx) == slot && ram_find(e, o, idx) == NOFRAME;
}

/* Bring page idx of o into RAM; returns its frame or NOFRAME (-ENOMEM). */
static uint32_t fault_in(struct swapctl_engine *e, struct pobj *o, uint64_t idx, int *err)
{
	uint32_t slot = objmap_get(&o->map, idx), fi;
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
		return fault_in(e, o, idx, err);
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

void ram_walk(struct swapctl_engine *e, struct pobj *o, uint64_t from, uint64_t to,
	      void (*fn)(struct swapctl_engine *, struct pobj *, uint64_t, uint32_t, void *), void *arg)
{
	uint64_t i, left = o->resident;

	if (to > o->npages)
		to = o->npages;
	/* a word of bits at a time, copied first: fn may clear them */
	for (i = from; i < to && left; i = (i | 63) + 1) {
		uint64_t w = o->rbits[i / 64] >> (i % 64);

		if (to - i < 64)
			w &= (1ull << (to - i)) - 1;
		while (w) {
			uint64_t p = i + (uint64_t)__builtin_ctzll(w);

			w &= w - 1;
			left--;
			fn(e, o, p, ram_find(e, o, p), arg);
		}
	}
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
		frame_release(e, fi);
		e->st.clean_drops++;
		return;
	}
	/* a write error leaves the page resident: go on with the others */
	if (or->full || page_out(e, o, i, or->lo, or->hi) == 0) {
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
	for (i = idx; i < idx + count; i++) {
		uint32_t fi = ram_find(e, o, i), slot;

		if (fi == NOFRAME) {
			/* once no frame could be freed, none will be in this
			 * access: the pages left that are not resident fail too */
			fi = failed ? NOFRAME : fault_in(e, o, i, &err);
			if (fi == NOFRAME) {
				failed++;       /* it stays where it was */
				continue;
			}
		} else {
			touch(e, fi);
		}
		if (kind == SWAPCTL_WRITE) {
			struct frame *f = &e->frames[fi];

			set_dirty(e, f);
			f->gen++;
			slot = objmap_get(&o->map, i);
			if (slot) {
				engine_free_slots(e, slot, 1);
				objmap_set(&o->map, i, SLOT_NONE);
			}
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
		d->st.reads++;
		d->st.pageins++;
		d->st.io_bytes += e->o.pagesize;
		e->st.pageins++;
		engine_hist_add(d->st.in_hist, 1);
	}
	engine_free_slots(e, io->slot, 1);
	objmap_set(&o->map, io->idx, SLOT_NONE);
	set_dirty(e, &e->frames[fi]);
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
		set_dirty(e, &e->frames[fi]);
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

void ram_move(struct swapctl_engine *e, struct pobj *from, uint64_t fidx, struct pobj *to, uint64_t tidx)
{
	uint32_t fi = ram_find(e, from, fidx), slot = objmap_get(&from->map, fidx);
	struct frame *f = &e->frames[fi];

	ftab_remove(e, fi);
	from->resident--;
	set_resident(from, fidx, false);
	f->obj = to;
	f->idx = tidx;
	to->resident++;
	set_resident(to, tidx, true);
	ftab_insert(e, fi);
	if (slot && objmap_set(&to->map, tidx, slot) == 0)
		objmap_set(&from->map, fidx, SLOT_NONE);
}

int ram_resize(struct swapctl_engine *e, uint64_t pages)
{
	struct frame *frames, *old = e->frames;
	uint64_t *ftab, *oldtab = e->ftab;
	uint32_t fs, fi, n = 0, oldn = e->nframes;
	uint32_t *order;
	int r;

	if (pages == 0 || pages > RAM_MAX_PAGES)
		return swapctl_fail_class(e->ctx, SWAPCTL_E_INVALID, EINVAL, "ram %llu: from 1 to %u pages",
					  (unsigned long long)pages, RAM_MAX_PAGES);
	/* shrinking: evict down to the new size first, the page-outs in
	 * flight together */
	r = 0;
	while (e->nframes - e->nfree > pages) {
		while (r >= 0 && e->nframes - e->nfree - e->out_pending > pages)
			r = evict_one(e);
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
	fs = table_size(pages);
	frames = calloc(pages, sizeof(*frames));
	ftab = calloc(fs, sizeof(*ftab));
	order = malloc(((size_t)oldn + 1) * sizeof(*order));
	if (!frames || !ftab || !order) {
		free(frames);
		free(ftab);
		free(order);
		return -ENOMEM;
	}
	/* keep the LRU order: oldest first, each pushed to the front */
	for (fi = e->lru_tail; fi != NOFRAME; fi = old[fi].prev)
		order[n++] = fi;
	set_frames(e, frames, (uint32_t)pages, ftab, fs);
	for (fi = 0; fi < n; fi++) {
		struct frame *src = &old[order[fi]];
		uint32_t nf = frame_take(e, src->obj, src->idx);

		src->obj->resident--;   /* frame_take counted it again */
		e->frames[nf].gen = src->gen;
		e->frames[nf].dirty = src->dirty;
		e->frames[nf].ra = src->ra;
	}
	free(old);
	free(oldtab);
	free(order);
	return 0;
}
