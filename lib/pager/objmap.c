/*
 * Per-object page -> slot maps.
 *
 * Small objects (up to OBJMAP_ARRAY_MAX pages) keep a plain array of 32-bit
 * slots: one load per lookup.  Larger ones keep only the clusters of 32
 * pages that have at least one slot, found through an open-addressing table
 * keyed by cluster number, so memory follows what is swapped, not the
 * object's size.
 *
 * A cluster stores only the slots it has: a bitmap of its pages that have
 * one, and those slots packed in page order, 3 bytes each (their low 24
 * bits; the top 8 are one byte for the whole cluster).  A slot is found by
 * counting the bits below its page.  Clusters come in capacities of 2, 4,
 * ... 32 slots, each capacity a pool of fixed-size records in chunks, and
 * move one capacity up when full and down when three quarters empty, so a
 * cluster costs 12 bytes plus 3 per slot and a little slack, where one of
 * fixed size would cost the 32 slots whatever it holds.  A cluster whose
 * slots do not share their top 8 bits turns wide: its 32 slots as full
 * 32-bit values in a block of their own (64 GiB of swap or more).
 *
 * The table is a directory indexed by cluster number instead of a hash
 * once the hash would have as many entries as the object has clusters
 * (an object swapped out densely): one load finds a cluster, and the
 * directory takes no more memory than the hash it replaces.
 *
 * The map converts itself between array and hash when the object grows
 * past the threshold or shrinks to half of it.
 *
 * objmap_prefetch starts a lookup's loads ahead of it (the replay's
 * lookahead, trace-ahead.c): the table entry first, the cluster it names
 * a few events later (objmap_prefetch_near, given the entry's position so
 * the key is hashed once); on random, without it the replay takes 24%
 * longer.
 *
 * objmap_prefetch_near prefetches a record's last byte as well as its
 * first: records are packed at 4-byte multiples, not line-aligned, so one
 * of more than 64 bytes (class 9 up: 20 slots or more) always straddles
 * two lines and smaller ones often do, and run.sh's random replay keeps
 * about 24 slots a cluster (1M pages less 256K in RAM over 32K clusters:
 * records of 80-88 bytes), so the slot looked up, or moved by a set, was
 * in the line not prefetched about half the time.  Random, 4M
 * events, sampling profile (two runs each): objmap_get 7.98% / 7.24% ->
 * 5.67% / 5.68% of the samples, objmap_prefetch_near 3.4-3.9% -> 4.0-4.9%;
 * cachegrind (1M events, prefetches not modelled): random 1,138.54M ->
 * 1,139.14M instructions, zipf 604.825M -> 604.835M, D1 misses unchanged
 * (8.66M, 3.92M).  Time on the loaded machine
 * unchanged within its noise.
 *
 * objmap_get reads a directory's entry itself and the cluster's slot
 * inline (no calls on the replay's most common lookup): random, 1M events,
 * 1503.5M -> 1495.7M instructions.  objmap_set reads a directory's entry
 * itself too (the page-out of every dirty eviction): random, 1M events,
 * --cluster 1, 982,269,896 -> 981,033,133 (zipf, no page-outs, unchanged).
 *
 * Costs: get O(1) expected; set O(1) expected, moving at most two records
 * of at most 108 bytes; next O(clusters in the range); take O(clusters in the
 * range, or in the map when that is fewer); resize O(slots).
 *
 * objmap_prefetch_rec does both stages at once for a directory (its
 * entry read, its record prefetched): frames.c's lookahead stages and
 * evictions use it (see there for the counts).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pager.h"

#define CLS_BITS 27u                    /* table entry: class << 27 | record */
/* Records per chunk of a pool: few, so a map wastes little in the last
 * chunk of each class, and a power of two, so finding a record is cheap;
 * the first chunk is smaller, for the classes a map passes through. */
#define CHUNK_SHIFT 4u
#define CHUNK_RECS (1u << CHUNK_SHIFT)
#define CHUNK0_RECS 4u

static uint32_t hash32(uint32_t k)
{
	k ^= k >> 16;
	k *= 0x7feb352dU;
	k ^= k >> 15;
	k *= 0x846ca68bU;
	k ^= k >> 16;
	return k;
}

static unsigned cap_of(unsigned cls)
{
	return 2 * (cls + 1);
}

/* Record size of a class: the header, 3 bytes a slot, rounded to 4.  Every
 * class has room for the wide block's pointer (8 bytes) after the header. */
static inline size_t rec_size(unsigned cls)
{
	return (sizeof(struct mapcl) + 6 * (size_t)cls + 9) & ~(size_t)3;       /* 3 * cap, cap = 2cls + 2 */
}

static inline struct mapcl *rec_at(const struct objmap *m, unsigned cls, uint32_t i)
{
	uint32_t k = 0;

	if (i >= CHUNK0_RECS) {
		i -= CHUNK0_RECS;
		k = 1 + (i >> CHUNK_SHIFT);
		i &= CHUNK_RECS - 1;
	}
	return (struct mapcl *)(m->pools[cls].chunks[k] + (size_t)i * rec_size(cls));
}

/* Bits set in x, without a library call where the target has no instruction. */
static unsigned popcount32(uint32_t x)
{
	x = x - ((x >> 1) & 0x55555555u);
	x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0fu;
	return (x * 0x01010101u) >> 24;
}

static inline struct mapcl *entry_rec(const struct objmap *m, uint32_t ent)
{
	return rec_at(m, (ent - 1) >> CLS_BITS, (ent - 1) & ((1u << CLS_BITS) - 1));
}

/* A new record of class cls, at the end of its pool: its table entry, or
 * 0 without memory. */
static uint32_t rec_alloc(struct objmap *m, unsigned cls)
{
	struct mapcl_pool *p = &m->pools[cls];
	uint32_t n;

	if (p->nrec >= (1u << CLS_BITS) - 1)
		return 0;
	if (p->nrec == p->caprec) {
		uint8_t **v = realloc(p->chunks, (p->nchunks + 1) * sizeof(*v));

		if (!v)
			return 0;
		p->chunks = v;
		n = p->nchunks ? CHUNK_RECS : CHUNK0_RECS;
		v[p->nchunks] = malloc(n * rec_size(cls));
		if (!v[p->nchunks])
			return 0;
		p->caprec += n;
		p->nchunks++;
	}
	return ((uint32_t)cls << CLS_BITS | p->nrec++) + 1;
}

static uint32_t *tab_find(const struct objmap *m, uint32_t key);

/*
 * Free the record of table entry ent, which no table entry names any more.
 * Pools stay dense: the pool's last record moves into the hole (its entry
 * follows), and a chunk left empty goes once a quarter of the one before
 * is free too.  Without this, clusters growing through every capacity
 * would leave each pool at its high-water mark.
 */
static void rec_free(struct objmap *m, uint32_t ent)
{
	unsigned cls = (ent - 1) >> CLS_BITS;
	struct mapcl_pool *p = &m->pools[cls];
	uint32_t i = (ent - 1) & ((1u << CLS_BITS) - 1), last = p->nrec - 1;

	if (i != last) {
		struct mapcl *dst = rec_at(m, cls, i);

		memcpy(dst, rec_at(m, cls, last), rec_size(cls));
		*tab_find(m, dst->key) = ent;
	}
	p->nrec--;
	if (p->nchunks > 1 && p->nrec + CHUNK_RECS / 4 <= p->caprec - CHUNK_RECS) {
		free(p->chunks[--p->nchunks]);
		p->caprec -= CHUNK_RECS;
	}
}

static uint32_t *wide_block(const struct mapcl *c)
{
	uint32_t *w;

	memcpy(&w, c->d, sizeof(w));
	return w;
}

static inline __attribute__((always_inline)) uint32_t cl_get(const struct mapcl *c, unsigned bit)
{
	const uint8_t *d;

	if (!(c->bits >> bit & 1))
		return SLOT_NONE;
	if (c->wide)
		return wide_block(c)[bit];
	d = &c->d[3 * popcount32(c->bits & ((1u << bit) - 1))];
	return (uint32_t)c->hi << 24 | (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16;
}

/* ------------------------------------------------------------ the table */

static uint32_t *tab_find(const struct objmap *m, uint32_t key)
{
	uint32_t mask = m->tsize - 1, h;

	if (m->direct)
		return key < m->tsize ? &m->table[key] : NULL;
	if (!m->tsize)
		return NULL;
	for (h = hash32(key) & mask;; h = (h + 1) & mask) {
		uint32_t v = m->table[h];

		if (!v || entry_rec(m, v)->key == key)
			return &m->table[h];    /* where it is, or would go */
	}
}

/* Clusters an object of npages pages can have. */
static uint64_t clusters_of(uint64_t npages)
{
	return (npages + MAPCL_PAGES - 1) / MAPCL_PAGES;
}

/*
 * A new table for a hash of nsize entries, or, when that many entries
 * would already cover every cluster of the object, a directory indexed by
 * cluster number: no hashing, no probe, no record to compare, and no more
 * memory than the hash it replaces.
 */
static int tab_rebuild(struct objmap *m, uint32_t nsize)
{
	uint32_t *old = m->table, osize = m->tsize, i;
	bool direct = clusters_of(m->npages) <= nsize;

	if (direct)
		nsize = (uint32_t)clusters_of(m->npages);
	m->table = calloc(nsize ? nsize : 1, sizeof(*m->table));
	if (!m->table) {
		m->table = old;
		return -ENOMEM;
	}
	m->tsize = nsize;
	m->direct = direct;
	for (i = 0; i < osize; i++)
		if (old[i])
			*tab_find(m, entry_rec(m, old[i])->key) = old[i];
	free(old);
	return 0;
}

static int tab_grow(struct objmap *m)
{
	return tab_rebuild(m, m->tsize ? m->tsize * 2 : 16);
}

/* Remove the table entry at pos, shifting followers back (linear probing). */
static void tab_remove(struct objmap *m, uint32_t *pos)
{
	uint32_t mask = m->tsize - 1, i = (uint32_t)(pos - m->table), j = i;

	m->table[i] = 0;
	if (m->direct) {
		m->tused--;
		return;
	}
	for (;;) {
		uint32_t h;

		j = (j + 1) & mask;
		if (!m->table[j])
			break;
		h = hash32(entry_rec(m, m->table[j])->key) & mask;
		/* may the entry at j move to i?  Only if its home is not in (i, j] */
		if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) {
			m->table[i] = m->table[j];
			m->table[j] = 0;
			i = j;
		}
	}
	m->tused--;
}

static struct mapcl *cl_lookup(const struct objmap *m, uint32_t key)
{
	uint32_t *p = tab_find(m, key);

	return p && *p ? entry_rec(m, *p) : NULL;
}

/* Move the cluster at table position pos to class cls; NULL without memory
 * (it stays where it was). */
static struct mapcl *cl_move(struct objmap *m, uint32_t *pos, unsigned cls)
{
	uint32_t ent = rec_alloc(m, cls), old = *pos;
	struct mapcl *c = entry_rec(m, old), *n;

	if (!ent)
		return NULL;
	n = entry_rec(m, ent);
	memcpy(n, c, sizeof(*c) + (c->wide ? sizeof(uint32_t *) : 3u * c->count));
	n->cls = (uint8_t)cls;
	*pos = ent;
	rec_free(m, old);
	return n;
}

/* Make c wide: every slot as a full 32-bit value. */
static int cl_widen(struct mapcl *c)
{
	uint32_t *w = calloc(MAPCL_PAGES, sizeof(*w));
	unsigned i;

	if (!w)
		return -ENOMEM;
	for (i = 0; i < MAPCL_PAGES; i++)
		w[i] = cl_get(c, i);
	c->wide = 1;
	memcpy(c->d, &w, sizeof(w));
	return 0;
}

/* The smallest class that holds n slots. */
static unsigned cls_for(unsigned n)
{
	return n <= 2 ? 0 : n >= MAPCL_PAGES ? MAPCL_CLASSES - 1 : (n + 1) / 2 - 1;
}

/* Set the slot of page bit of the cluster at pos (slot != 0). */
static int cl_set(struct objmap *m, uint32_t *pos, unsigned bit, uint32_t slot)
{
	struct mapcl *c = entry_rec(m, *pos);
	bool had = c->bits >> bit & 1;
	unsigned at;
	uint8_t *d;

	if (!c->wide) {
		if (c->count == 0 || (had && c->count == 1))
			c->hi = (uint8_t)(slot >> 24);
		if ((slot >> 24) != c->hi) {
			if (cl_widen(c) < 0)
				return -ENOMEM;
			m->nwide++;
		}
	}
	if (c->wide) {
		wide_block(c)[bit] = slot;
		if (!had) {
			c->bits |= 1u << bit;
			c->count++;
			m->nslots++;
		}
		return 0;
	}
	at = (unsigned)popcount32(c->bits & ((1u << bit) - 1));
	if (!had) {
		if (c->count == cap_of(c->cls) && !(c = cl_move(m, pos, c->cls + 1u)))
			return -ENOMEM;
		d = &c->d[3 * at];
		memmove(d + 3, d, 3u * (c->count - at));
		c->bits |= 1u << bit;
		c->count++;
		m->nslots++;
	}
	d = &c->d[3 * at];
	d[0] = (uint8_t)slot;
	d[1] = (uint8_t)(slot >> 8);
	d[2] = (uint8_t)(slot >> 16);
	return 0;
}

/* Clear the slot of page bit of the cluster at pos. */
static void cl_clear(struct objmap *m, uint32_t *pos, unsigned bit)
{
	struct mapcl *c = entry_rec(m, *pos);
	uint32_t ent = *pos;

	if (!(c->bits >> bit & 1))
		return;
	if (c->wide) {
		wide_block(c)[bit] = SLOT_NONE;
	} else {
		uint8_t *d = &c->d[3 * popcount32(c->bits & ((1u << bit) - 1))];
		unsigned after = (unsigned)popcount32(c->bits >> bit >> 1);

		memmove(d, d + 3, 3u * after);
	}
	c->bits &= ~(1u << bit);
	c->count--;
	m->nslots--;
	if (c->count == 0) {
		if (c->wide) {
			free(wide_block(c));
			m->nwide--;
		}
		tab_remove(m, pos);
		rec_free(m, ent);
	} else if (!c->wide && c->count <= cap_of(c->cls) / 4) {
		cl_move(m, pos, cls_for(c->count + 1));   /* without memory it stays */
	}
}

/* ---------------------------------------------------------------- the map */

int objmap_init(struct objmap *m, uint64_t npages)
{
	memset(m, 0, sizeof(*m));
	return objmap_resize(m, npages);
}

static void free_hash(struct objmap *m)
{
	uint32_t i;

	for (i = 0; i < m->tsize; i++)
		if (m->table[i] && entry_rec(m, m->table[i])->wide)
			free(wide_block(entry_rec(m, m->table[i])));
	for (i = 0; m->pools && i < MAPCL_CLASSES; i++) {
		uint32_t k;

		for (k = 0; k < m->pools[i].nchunks; k++)
			free(m->pools[i].chunks[k]);
		free(m->pools[i].chunks);
	}
	free(m->pools);
	free(m->table);
	m->pools = NULL;
	m->table = NULL;
	m->tsize = m->tused = m->nwide = 0;
	m->direct = false;
}

void objmap_destroy(struct objmap *m)
{
	free(m->array);
	free_hash(m);
	memset(m, 0, sizeof(*m));
}

uint32_t objmap_get(const struct objmap *m, uint64_t idx)
{
	const struct mapcl *c;

	if (idx >= m->npages)
		return SLOT_NONE;
	if (!m->hashed)
		return m->array[idx];
	/* a directory's entry without a call (the common case: an object
	 * swapped out densely); the cluster's slot inline */
	if (m->direct) {
		uint32_t key = (uint32_t)(idx / MAPCL_PAGES), v = key < m->tsize ? m->table[key] : 0;

		c = v ? entry_rec(m, v) : NULL;
	} else {
		c = cl_lookup(m, (uint32_t)(idx / MAPCL_PAGES));
	}
	return c ? cl_get(c, (unsigned)(idx % MAPCL_PAGES)) : SLOT_NONE;
}

/*
 * A hint that page idx will be looked up soon (trace lookahead): far, the
 * table entry, whose address needs no load; near, later, the cluster
 * record that entry names (read from the entry, which far brought in).
 * Far returns where that entry is (its position + 1, 0 for none) for
 * near, so the key is hashed once; a map changed in between (resized,
 * rehashed, turned to an array) makes it a wrong hint, never a bad read.
 * Only prefetches: nothing is written.
 */
uint32_t objmap_prefetch(const struct objmap *m, uint64_t idx)
{
	uint32_t key = (uint32_t)(idx / MAPCL_PAGES), pos;

	if (idx >= m->npages)
		return 0;
	if (!m->hashed) {
		__builtin_prefetch(&m->array[idx]);
		return 0;
	}
	if (m->direct) {
		if (key >= m->tsize)
			return 0;
		pos = key;
	} else {
		if (!m->tsize)
			return 0;
		pos = hash32(key) & (m->tsize - 1);      /* the first probe: most lookups stop there */
	}
	__builtin_prefetch(&m->table[pos]);
	return pos + 1;
}

/* Both stages at once where the first is cheap: a directory's entry is
 * read now (a directory is small, 4 bytes for 32 pages: in cache) and its
 * record prefetched; 0 then, nothing left for near.  An array's slot and
 * a hash's table entry as objmap_prefetch, whose return it is. */
uint32_t objmap_prefetch_rec(const struct objmap *m, uint64_t idx)
{
	uint32_t key = (uint32_t)(idx / MAPCL_PAGES), v;
	const uint8_t *r;

	if (!m->direct || idx >= m->npages)
		return objmap_prefetch(m, idx);
	v = key < m->tsize ? m->table[key] : 0;
	if (v) {
		r = (const uint8_t *)entry_rec(m, v);
		__builtin_prefetch(r, 1);
		__builtin_prefetch(r + rec_size((v - 1) >> CLS_BITS) - 1, 1);
	}
	return 0;
}

void objmap_prefetch_near(const struct objmap *m, uint32_t at)
{
	uint32_t v;

	if (!at || at > m->tsize || !m->hashed)
		return;
	v = m->table[at - 1];
	if (v) {
		const uint8_t *r = (const uint8_t *)entry_rec(m, v);

		/* the record's first and last bytes: records are not
		 * line-aligned, one of more than 64 bytes always straddles
		 * two lines, and the slot wanted is as likely in the second */
		__builtin_prefetch(r, 1);
		__builtin_prefetch(r + rec_size((v - 1) >> CLS_BITS) - 1, 1);
	}
}

int objmap_set(struct objmap *m, uint64_t idx, uint32_t slot)
{
	uint32_t key = (uint32_t)(idx / MAPCL_PAGES), *pos, ent;
	unsigned bit = (unsigned)(idx % MAPCL_PAGES);
	struct mapcl *c;
	int r;

	if (idx >= m->npages)
		return -ERANGE;
	if (!m->hashed) {
		m->nslots = m->nslots + (slot != 0) - (m->array[idx] != 0);
		m->array[idx] = slot;
		return 0;
	}
	/* a directory's entry without a call (objmap_get does the same) */
	pos = m->direct ? (key < m->tsize ? &m->table[key] : NULL) : tab_find(m, key);
	if (!slot) {
		if (pos && *pos)
			cl_clear(m, pos, bit);
		return 0;
	}
	if (!pos || !*pos) {
		/* a new cluster: pools and table room first, then its record */
		if (!m->pools && !(m->pools = calloc(MAPCL_CLASSES, sizeof(*m->pools))))
			return -ENOMEM;
		if (!m->direct && (m->tused + 1) * 4 > m->tsize * 3 && (r = tab_grow(m)) < 0)
			return r;
		ent = rec_alloc(m, 0);
		if (!ent)
			return -ENOMEM;
		c = entry_rec(m, ent);
		memset(c, 0, sizeof(*c));
		c->key = key;
		pos = tab_find(m, key);
		*pos = ent;
		m->tused++;
	}
	r = cl_set(m, pos, bit, slot);
	if (r < 0 && entry_rec(m, *pos)->count == 0) {
		ent = *pos;
		tab_remove(m, pos);
		rec_free(m, ent);
	}
	return r;
}

int objmap_next(const struct objmap *m, uint64_t from, uint64_t to, uint64_t *idx, uint32_t *slot)
{
	uint64_t i;

	if (!m->nslots)
		return 0;
	if (to > m->npages)
		to = m->npages;
	if (!m->hashed) {
		for (i = from; i < to; i++) {
			if (m->array[i]) {
				*idx = i;
				*slot = m->array[i];
				return 1;
			}
		}
		return 0;
	}
	/* cluster by cluster: one lookup each, then the bits */
	for (i = from; i < to; i = (i / MAPCL_PAGES + 1) * MAPCL_PAGES) {
		const struct mapcl *c = cl_lookup(m, (uint32_t)(i / MAPCL_PAGES));
		uint32_t b;

		if (!c)
			continue;
		b = c->bits >> (i % MAPCL_PAGES);
		if (b) {
			uint64_t p = i + (uint64_t)__builtin_ctz(b);

			if (p >= to)
				return 0;
			*idx = p;
			*slot = cl_get(c, (unsigned)(p % MAPCL_PAGES));
			return 1;
		}
	}
	return 0;
}

/* Every slot to fn, cluster by cluster as the table holds them (a walk,
 * no lookup per slot: what a check of the whole map wants). */
int objmap_each(const struct objmap *m, int (*fn)(void *, uint64_t, uint32_t), void *arg)
{
	uint64_t i;
	uint32_t t;
	int r;

	if (!m->nslots)
		return 0;
	if (!m->hashed) {
		for (i = 0; i < m->npages; i++)
			if (m->array[i] && (r = fn(arg, i, m->array[i])) < 0)
				return r;
		return 0;
	}
	for (t = 0; t < m->tsize; t++) {
		const struct mapcl *c;
		uint64_t base;
		uint32_t b;
		unsigned k;

		if (!m->table[t])
			continue;
		c = entry_rec(m, m->table[t]);
		base = (uint64_t)c->key * MAPCL_PAGES;
		for (b = c->bits, k = 0; b; b &= b - 1, k++) {
			unsigned bit = (unsigned)__builtin_ctz(b);
			const uint8_t *d = &c->d[3 * k];
			uint32_t s = c->wide ? wide_block(c)[bit]
					     : (uint32_t)c->hi << 24 | (uint32_t)d[0] | (uint32_t)d[1] << 8 |
						       (uint32_t)d[2] << 16;

			r = fn(arg, base + bit, s);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* objmap_take over the pages [from, to) of cluster key. */
static int take_cluster(struct objmap *m, uint32_t key, uint64_t from, uint64_t to,
			int (*fn)(void *, uint64_t, uint32_t), void *arg)
{
	uint64_t base = (uint64_t)key * MAPCL_PAGES;
	const struct mapcl *c = cl_lookup(m, key);
	uint32_t b;
	int r;

	if (!c)
		return 0;
	b = c->bits;
	if (from > base)
		b &= ~0u << (from - base);
	if (to < base + MAPCL_PAGES)
		b &= (1u << (to - base)) - 1;
	while (b) {
		unsigned bit = (unsigned)__builtin_ctz(b);
		uint32_t s;

		b &= b - 1;
		/* look again: clearing a slot may move the cluster or end it */
		c = cl_lookup(m, key);
		if (!c)
			break;
		s = cl_get(c, bit);
		if (!s)
			continue;
		r = fn(arg, base + bit, s);
		if (r < 0)
			return r;
		if (r == 0)
			objmap_set(m, base + bit, SLOT_NONE);
	}
	return 0;
}

int objmap_take(struct objmap *m, uint64_t from, uint64_t to, int (*fn)(void *, uint64_t, uint32_t), void *arg)
{
	uint64_t i, k0, k1;
	uint32_t *keys, n = 0, t, s;
	int r = 0;

	if (to > m->npages)
		to = m->npages;
	if (!m->nslots || from >= to)
		return 0;
	k0 = from / MAPCL_PAGES;
	k1 = (to - 1) / MAPCL_PAGES;
	/* a range of more clusters than the map has: its clusters come from
	 * the table instead of a lookup for each key of the range */
	if (m->hashed && k1 - k0 + 1 > m->tused && (keys = malloc((size_t)m->tused * sizeof(*keys)))) {
		for (t = 0; t < m->tsize; t++) {
			uint32_t key = m->table[t] ? entry_rec(m, m->table[t])->key : 0;

			if (m->table[t] && key >= k0 && key <= k1)
				keys[n++] = key;
		}
		for (t = 0; t < n && r == 0; t++)
			r = take_cluster(m, keys[t], from, to, fn, arg);
		free(keys);
		return r;
	}
	for (i = from; objmap_next(m, i, to, &i, &s) == 1; i++) {
		r = fn(arg, i, s);
		if (r < 0)
			return r;
		if (r == 0)
			objmap_set(m, i, SLOT_NONE);
	}
	return 0;
}

/* Rebuild m in the other form, keeping every slot. */
static int convert(struct objmap *m, bool to_hash, uint64_t npages)
{
	struct objmap n = { .npages = npages, .hashed = to_hash };
	uint64_t i = 0;
	uint32_t s;
	int r;

	if (!to_hash) {
		n.array = calloc(npages ? npages : 1, sizeof(*n.array));
		if (!n.array)
			return -ENOMEM;
	}
	while (objmap_next(m, i, npages, &i, &s) == 1) {
		r = objmap_set(&n, i, s);
		if (r < 0) {
			objmap_destroy(&n);
			return r;
		}
		i++;
	}
	objmap_destroy(m);
	*m = n;
	return 0;
}

int objmap_resize(struct objmap *m, uint64_t npages)
{
	bool want_hash = npages > OBJMAP_ARRAY_MAX;
	uint32_t *a;

	/* hysteresis: a hashed map turns back into an array at half the limit */
	if (m->hashed && npages > OBJMAP_ARRAY_MAX / 2)
		want_hash = true;
	if (!m->array && !m->hashed && !want_hash) {
		m->array = calloc(npages ? npages : 1, sizeof(*m->array));
		if (!m->array)
			return -ENOMEM;
		m->npages = npages;
		return 0;
	}
	if (want_hash != m->hashed)
		return convert(m, want_hash, npages);
	if (m->hashed && m->direct && clusters_of(npages) > m->tsize) {
		/* a directory too small for the new size: a hash of the size
		 * its clusters need (or a directory again, if that covers it) */
		uint32_t h = 16;
		uint64_t old = m->npages;
		int r;

		while ((uint64_t)m->tused * 4 > (uint64_t)h * 3)
			h *= 2;
		m->npages = npages;
		r = tab_rebuild(m, h);
		if (r < 0) {
			m->npages = old;
			return r;
		}
	}
	if (!m->hashed) {
		a = realloc(m->array, (npages ? npages : 1) * sizeof(*a));
		if (!a)
			return -ENOMEM;
		if (npages > m->npages)
			memset(a + m->npages, 0, (npages - m->npages) * sizeof(*a));
		m->array = a;
	}
	m->npages = npages;
	return 0;
}

int objmap_check(const struct objmap *m)
{
	uint32_t per_class[MAPCL_CLASSES] = { 0 }, t, wide = 0;
	uint64_t slots = 0;
	unsigned i;

	if (!m->hashed)
		return 0;
	for (t = 0; t < m->tsize; t++) {
		const struct mapcl *c;
		unsigned cls;

		if (!m->table[t])
			continue;
		cls = (m->table[t] - 1) >> CLS_BITS;
		c = entry_rec(m, m->table[t]);
		/* each cluster: found from its key, its class and count right,
		 * not empty, within the map */
		if (cls >= MAPCL_CLASSES || c->cls != cls || tab_find(m, c->key) != &m->table[t] ||
		    c->count != popcount32(c->bits) || !c->count || (!c->wide && c->count > cap_of(cls)) ||
		    (uint64_t)c->key * MAPCL_PAGES + 31 - (unsigned)__builtin_clz(c->bits) >= m->npages)
			return -EUCLEAN;
		per_class[cls]++;
		wide += c->wide;
		slots += c->count;
	}
	for (i = 0; i < MAPCL_CLASSES; i++)
		if (m->pools && per_class[i] != m->pools[i].nrec)
			return -EUCLEAN;        /* pools are dense: every record in use */
	return slots == m->nslots && wide == m->nwide ? 0 : -EUCLEAN;
}

size_t objmap_memory(const struct objmap *m)
{
	size_t bytes = sizeof(*m);
	unsigned i;

	if (!m->hashed)
		return bytes + (m->npages ? m->npages : 1) * sizeof(uint32_t);
	bytes += (size_t)m->tsize * sizeof(uint32_t) + (size_t)m->nwide * MAPCL_PAGES * sizeof(uint32_t);
	for (i = 0; m->pools && i < MAPCL_CLASSES; i++)
		bytes += sizeof(m->pools[i]) + (size_t)m->pools[i].caprec * rec_size(i) +
			 m->pools[i].nchunks * sizeof(uint8_t *);
	return bytes;
}
