/*
 * Per-object page -> slot maps.
 *
 * Small objects (up to OBJMAP_ARRAY_MAX pages) keep a plain array of 32-bit
 * slots: one load per lookup.  Larger ones keep only the clusters of 32
 * pages that have at least one slot, in chunks found through an
 * open-addressing table keyed by cluster number, so memory follows what is
 * swapped, not the object's size.  A narrow cluster packs each slot into 3
 * bytes (see pager.h): about 3.5 bytes per swapped page when clusters are
 * full.  The map converts itself between the two forms when the object
 * grows past the threshold or shrinks to half of it.
 *
 * Costs: get/set O(1) expected; next O(pages scanned); resize O(slots).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pager.h"

#define NARROW_MAX 0xfffffeu    /* low 24 bits + 1 must fit in 24 bits */

static uint32_t hash32(uint32_t k)
{
	k ^= k >> 16;
	k *= 0x7feb352dU;
	k ^= k >> 15;
	k *= 0x846ca68bU;
	k ^= k >> 16;
	return k;
}

static uint32_t cl_get(const struct mapcl *c, unsigned i)
{
	const uint8_t *d;
	uint32_t v;

	if (c->wide)
		return c->u.w[i];
	d = &c->u.d[i * 3];
	v = (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16;
	return v ? ((uint32_t)c->hi << 24 | (v - 1)) : SLOT_NONE;
}

static void cl_put_narrow(struct mapcl *c, unsigned i, uint32_t slot)
{
	uint32_t v = slot ? (slot & 0xffffffu) + 1 : 0;
	uint8_t *d = &c->u.d[i * 3];

	d[0] = (uint8_t)v;
	d[1] = (uint8_t)(v >> 8);
	d[2] = (uint8_t)(v >> 16);
}

/* Make c wide: every slot as a full 32-bit value. */
static int cl_widen(struct mapcl *c)
{
	uint32_t *w = malloc(MAPCL_PAGES * sizeof(*w));
	unsigned i;

	if (!w)
		return -ENOMEM;
	for (i = 0; i < MAPCL_PAGES; i++)
		w[i] = cl_get(c, i);
	c->wide = 1;
	c->u.w = w;
	return 0;
}

static int cl_set(struct mapcl *c, unsigned i, uint32_t slot)
{
	uint32_t old = cl_get(c, i);
	int r;

	if (slot && !c->wide) {
		if (c->count == 0 || (old && c->count == 1))
			c->hi = (uint8_t)(slot >> 24);
		if ((slot >> 24) != c->hi || (slot & 0xffffffu) > NARROW_MAX) {
			r = cl_widen(c);
			if (r < 0)
				return r;
		}
	}
	if (c->wide)
		c->u.w[i] = slot;
	else
		cl_put_narrow(c, i, slot);
	c->count = (uint16_t)(c->count + (slot != 0) - (old != 0));
	return 0;
}

static void cl_release(struct mapcl *c)
{
	if (c->wide)
		free(c->u.w);
	memset(c, 0, sizeof(*c));
}

/* ------------------------------------------------------------ the table */

static struct mapcl *cl_at(const struct objmap *m, uint32_t idx)
{
	return &m->chunks[idx / MAPCL_CHUNK][idx % MAPCL_CHUNK];
}

static uint32_t *tab_find(const struct objmap *m, uint32_t key)
{
	uint32_t mask = m->tsize - 1, h;

	if (!m->tsize)
		return NULL;
	for (h = hash32(key) & mask;; h = (h + 1) & mask) {
		uint32_t v = m->table[h];

		if (!v)
			return &m->table[h];    /* where it would go */
		if (cl_at(m, v - 1)->key == key)
			return &m->table[h];
	}
}

static int tab_grow(struct objmap *m)
{
	uint32_t nsize = m->tsize ? m->tsize * 2 : 16, i;
	uint32_t *old = m->table, osize = m->tsize;

	m->table = calloc(nsize, sizeof(*m->table));
	if (!m->table) {
		m->table = old;
		return -ENOMEM;
	}
	m->tsize = nsize;
	for (i = 0; i < osize; i++)
		if (old[i])
			*tab_find(m, cl_at(m, old[i] - 1)->key) = old[i];
	free(old);
	return 0;
}

/* Remove the table entry at pos, shifting followers back (linear probing). */
static void tab_remove(struct objmap *m, uint32_t *pos)
{
	uint32_t mask = m->tsize - 1, i = (uint32_t)(pos - m->table), j = i;

	m->table[i] = 0;
	for (;;) {
		uint32_t h;

		j = (j + 1) & mask;
		if (!m->table[j])
			break;
		h = hash32(cl_at(m, m->table[j] - 1)->key) & mask;
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

	return p && *p ? cl_at(m, *p - 1) : NULL;
}

static struct mapcl *cl_create(struct objmap *m, uint32_t key)
{
	uint32_t idx;
	int r;

	if ((m->tused + 1) * 4 > m->tsize * 3 && (r = tab_grow(m)) < 0)
		return NULL;
	if (m->freecl) {
		idx = m->freecl - 1;
		m->freecl = cl_at(m, idx)->key; /* the free list is threaded through key */
	} else {
		if (m->ncl == m->nchunks * MAPCL_CHUNK) {
			struct mapcl **v = realloc(m->chunks, (m->nchunks + 1) * sizeof(*v));

			if (!v)
				return NULL;
			m->chunks = v;
			v[m->nchunks] = malloc(MAPCL_CHUNK * sizeof(struct mapcl));
			if (!v[m->nchunks])
				return NULL;
			m->nchunks++;
		}
		idx = m->ncl++;
	}
	memset(cl_at(m, idx), 0, sizeof(struct mapcl));
	cl_at(m, idx)->key = key;
	*tab_find(m, key) = idx + 1;
	m->tused++;
	return cl_at(m, idx);
}

static void cl_delete(struct objmap *m, struct mapcl *c)
{
	uint32_t idx = m->table[tab_find(m, c->key) - m->table] - 1;

	tab_remove(m, tab_find(m, c->key));
	cl_release(c);
	c->key = m->freecl;
	m->freecl = idx + 1;
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
		if (m->table[i])
			cl_release(cl_at(m, m->table[i] - 1));
	for (i = 0; i < m->nchunks; i++)
		free(m->chunks[i]);
	free(m->table);
	free(m->chunks);
	m->table = NULL;
	m->chunks = NULL;
	m->tsize = m->tused = m->ncl = m->nchunks = m->freecl = 0;
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
	c = cl_lookup(m, (uint32_t)(idx / MAPCL_PAGES));
	return c ? cl_get(c, (unsigned)(idx % MAPCL_PAGES)) : SLOT_NONE;
}

int objmap_set(struct objmap *m, uint64_t idx, uint32_t slot)
{
	struct mapcl *c;
	uint32_t old;
	int r;

	if (idx >= m->npages)
		return -ERANGE;
	if (!m->hashed) {
		old = m->array[idx];
		m->array[idx] = slot;
	} else {
		c = cl_lookup(m, (uint32_t)(idx / MAPCL_PAGES));
		if (!c) {
			if (!slot)
				return 0;
			c = cl_create(m, (uint32_t)(idx / MAPCL_PAGES));
			if (!c)
				return -ENOMEM;
		}
		old = cl_get(c, (unsigned)(idx % MAPCL_PAGES));
		r = cl_set(c, (unsigned)(idx % MAPCL_PAGES), slot);
		if (r < 0)
			return r;
		if (c->count == 0)
			cl_delete(m, c);
	}
	m->nslots = m->nslots + (slot != 0) - (old != 0);
	return 0;
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
	/* walk cluster by cluster, skipping absent ones with one lookup each */
	for (i = from; i < to;) {
		const struct mapcl *c = cl_lookup(m, (uint32_t)(i / MAPCL_PAGES));
		uint64_t end = (i / MAPCL_PAGES + 1) * MAPCL_PAGES;

		if (c) {
			for (; i < end && i < to; i++) {
				uint32_t s = cl_get(c, (unsigned)(i % MAPCL_PAGES));

				if (s) {
					*idx = i;
					*slot = s;
					return 1;
				}
			}
		}
		i = end;
	}
	return 0;
}

/* objmap_take over the pages [from, to) of cluster key. */
static int take_cluster(struct objmap *m, uint32_t key, uint64_t from, uint64_t to,
			int (*fn)(void *, uint64_t, uint32_t), void *arg)
{
	uint64_t i = (uint64_t)key * MAPCL_PAGES, end = i + MAPCL_PAGES;
	const struct mapcl *c = cl_lookup(m, key);
	int r;

	if (!c)
		return 0;
	for (i = i > from ? i : from, end = end < to ? end : to; i < end && c->count; i++) {
		uint32_t s = cl_get(c, (unsigned)(i % MAPCL_PAGES));

		if (!s)
			continue;
		r = fn(arg, i, s);
		if (r < 0)
			return r;
		if (r == 0 && objmap_set(m, i, SLOT_NONE) == 0 && !cl_lookup(m, key))
			break;          /* that was its last slot: the cluster is gone */
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
			uint32_t key = m->table[t] ? cl_at(m, m->table[t] - 1)->key : 0;

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

size_t objmap_memory(const struct objmap *m)
{
	size_t bytes = sizeof(*m);
	uint32_t i;

	if (!m->hashed)
		return bytes + (m->npages ? m->npages : 1) * sizeof(uint32_t);
	bytes += (size_t)m->nchunks * (MAPCL_CHUNK * sizeof(struct mapcl) + sizeof(struct mapcl *)) +
		 (size_t)m->tsize * sizeof(uint32_t);
	for (i = 0; i < m->tsize; i++)
		if (m->table[i] && cl_at(m, m->table[i] - 1)->wide)
			bytes += MAPCL_PAGES * sizeof(uint32_t);
	return bytes;
}
