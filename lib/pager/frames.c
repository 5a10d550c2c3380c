/*
 * Simulated RAM: a fixed number of frames, the frame table that finds the
 * frame of a page, the LRU list of frames (the head the most recent), and
 * each object's resident bits.  No I/O: paging.c moves pages in and out.
 *
 * The frame table is one table for all objects, sized by RAM (32 bytes a
 * frame), not an array per object (4 bytes an object page): with RAM much
 * smaller than the objects (make bench-engine's 64 GiB runs: 64K frames,
 * 11M object pages) an array would take 44 MiB where the table takes 2.
 * Nor would an array save a cache miss on a hit: the frame is read anyway
 * to move it in the LRU list.  Lookups of pages that are not resident,
 * most of them, stop at the resident bits.
 *
 * A replay's time is the misses of these lookups, one waiting for the
 * other (the table entry, then the frame, then its LRU neighbours; the
 * entries of the page evicted).  The trace knows the pages coming, so
 * trace-ahead.c has ram_prefetch_far/near start those loads some events
 * early, stage by stage, and prefetch_victims the ones the next eviction
 * at the LRU tail makes: random, 4M events on 1M pages and 256K frames,
 * --cluster 1, went from about 470 ns an event to 300, zipf from 190 to
 * 130 (CPU time, loaded machine).  Only prefetches: a hint that is stale
 * by the time its event comes costs a prefetch.  A table at half load
 * (4 MiB instead of 8) saved memory but ran 4-8% slower: kept at a quarter.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "pager.h"

/* One multiply: the high half of (object, page) times an odd constant
 * mixes both into the bits the table is indexed by. */
static uint32_t fhash(const struct pobj *o, uint64_t idx)
{
	uint64_t k = (idx ^ o->num << 40 ^ o->num >> 24) * 0x9e3779b97f4a7c15ull;
	uint32_t h = (uint32_t)(k >> 32);

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

/*
 * Prefetch for a coming fault, which evicts the page at the LRU tail: the
 * frame-table entries of the last few pages (removed), the slot map's
 * entries of the dirty ones (given a slot), and the frame before them,
 * the next to go.  The frames walked were brought in by the calls before.
 */
#define VICTIMS_AHEAD 3

__attribute__((noinline)) static void prefetch_victims(const struct swapctl_engine *e)
{
	uint32_t fi = e->lru_tail, mask = e->ftab_size - 1;
	unsigned k;

	for (k = 0; k < VICTIMS_AHEAD && fi != NOFRAME; k++) {
		const struct frame *f = &e->frames[fi];

		if (f->obj) {
			__builtin_prefetch(&e->ftab[fhash(f->obj, f->idx) & mask]);
			if (f->dirty)
				objmap_prefetch(&f->obj->map, f->idx, k == 0);
		}
		fi = f->prev;
	}
	if (fi != NOFRAME)
		__builtin_prefetch(&e->frames[fi]);
}

/*
 * Prefetch for a coming access to page idx of o (the trace lookahead,
 * trace-ahead.c), in three stages some events apart, each reading only
 * what the one before brought in.  Far: the loads whose addresses need no
 * other load (the frame-table entry, the slot map's table entry; the
 * resident bits are small enough to stay in cache); it returns the page's
 * hash for the others.  Near: what those name (the frame of a resident
 * page, the slot map's cluster); then, last, the frame's LRU neighbours,
 * which moving it to the front writes, or for a page that is not resident,
 * what the eviction its fault makes touches.  Nothing is written: a stale
 * hint costs a prefetch.
 */
uint32_t ram_prefetch_far(const struct swapctl_engine *e, const struct pobj *o, uint64_t idx)
{
	uint32_t h = fhash(o, idx);

	__builtin_prefetch(&e->ftab[h & (e->ftab_size - 1)]);
	objmap_prefetch(&o->map, idx, false);
	return h;
}

void ram_prefetch_near(const struct swapctl_engine *e, const struct pobj *o, uint64_t idx, uint32_t hash,
		       bool last)
{
	const struct frame *f;
	uint64_t v;

	if (idx >= o->npages)
		return;
	if (!last)
		objmap_prefetch(&o->map, idx, true);
	if (!resident_bit(o, idx)) {
		if (last)
			prefetch_victims(e);
		return;
	}
	/* the first entry only: at a quarter full most probes stop there
	 * (an empty one has hash 0, which no page has) */
	v = e->ftab[hash & (e->ftab_size - 1)];
	if ((uint32_t)(v >> 32) != hash)
		return;
	f = &e->frames[(uint32_t)v];
	if (!last) {
		__builtin_prefetch(f);
		return;
	}
	if (f->prev != NOFRAME)
		__builtin_prefetch(&e->frames[f->prev]);
	if (f->next != NOFRAME)
		__builtin_prefetch(&e->frames[f->next]);
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

/* The page of frame fi becomes the most recently used. */
void frame_to_front(struct swapctl_engine *e, uint32_t fi)
{
	if (e->lru_head != fi) {
		lru_unlink(e, fi);
		lru_push(e, fi);
	}
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

uint32_t frame_take(struct swapctl_engine *e, struct pobj *o, uint64_t idx)
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

void frame_set_dirty(struct swapctl_engine *e, struct frame *f)
{
	if (!f->dirty)
		e->ndirty++;
	f->dirty = 1;
}

void frame_release(struct swapctl_engine *e, uint32_t fi)
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

/* RAM of pages frames, holding the pages of the old one (which fit) in
 * their LRU order; -ENOMEM leaves it as it was. */
int ram_frames_resize(struct swapctl_engine *e, uint64_t pages)
{
	struct frame *frames, *old = e->frames;
	uint64_t *ftab, *oldtab = e->ftab;
	uint32_t fs, fi, n = 0, oldn = e->nframes;
	uint32_t *order;

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
