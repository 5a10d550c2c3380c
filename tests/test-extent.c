/*
 * Unit tests of the extent allocator: argument checks, alignment and
 * boundaries, regions at the edges of a 64-bit range, ENOMEM in free(), and
 * randomized differential runs against a one-bit-per-value model that
 * checks every placement (free, aligned, best or first fit) and compares
 * the free runs, counts and stats after every batch.
 *
 * SWAPCTL_TEST_QUICK (or a sanitizer build) runs fewer operations.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "tap.h"

/* sanitizer builds run fewer operations (they are several times slower) */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifndef SANITIZED
#define SANITIZED 0
#endif

#define NONE UINT64_MAX

/* ------------------------------------------------------------ malloc failure */

/* The extent's node allocator, failing the next fail_mallocs calls. */
static int fail_mallocs;

static void *failing_alloc(size_t n)
{
	if (fail_mallocs) {
		fail_mallocs--;
		return NULL;
	}
	return malloc(n);
}

/* The same, failing every request larger than a few lines (the leaf map's
 * growth, not its regions, index nodes or bin chunks). */
static void *small_alloc(size_t n)
{
	return n > 1024 ? NULL : malloc(n);
}

/* ------------------------------------------------------------ random */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t rnd_in(uint64_t lo, uint64_t hi)
{
	return lo + rnd() % (hi - lo + 1);
}

/* Fewer operations for quick runs and the (slower) sanitizer builds. */
static unsigned long scale(unsigned long normal)
{
	if (getenv("SWAPCTL_TEST_QUICK"))
		return normal / 16 ? normal / 16 : 1;
	if (SANITIZED)
		return normal / 8 ? normal / 8 : 1;
	return normal;
}

/* ------------------------------------------------------------ the model */

/* Values base .. base+n-1 as bits 0 .. n-1, set = allocated; cnt[len]
 * counts the free gaps of each length. */
struct model {
	uint64_t base, n, avail;
	uint8_t *used;
	uint64_t *cnt;
};

static void m_init(struct model *m, uint64_t base, uint64_t n)
{
	m->base = base;
	m->n = n;
	m->avail = n;
	m->used = calloc(n, 1);
	m->cnt = calloc(n + 1, sizeof(uint64_t));
	m->cnt[n] = 1;
}

static void m_done(struct model *m)
{
	free(m->used);
	free(m->cnt);
}

/* The free gap containing index i: [*gs, *ge]. */
static void m_gap_of(const struct model *m, uint64_t i, uint64_t *gs, uint64_t *ge)
{
	uint64_t a = i, b = i;

	while (a > 0 && !m->used[a - 1])
		a--;
	while (b + 1 < m->n && !m->used[b + 1])
		b++;
	*gs = a;
	*ge = b;
}

static bool m_all(const struct model *m, uint64_t s, uint64_t len, bool used)
{
	uint64_t i;

	for (i = s; i < s + len; i++)
		if (!!m->used[i] != used)
			return false;
	return true;
}

/* Mark [s, s+len) (all free) allocated, keeping the gap counts. */
static void m_take(struct model *m, uint64_t s, uint64_t len)
{
	uint64_t gs, ge;

	m_gap_of(m, s, &gs, &ge);
	m->cnt[ge - gs + 1]--;
	if (s > gs)
		m->cnt[s - gs]++;
	if (ge > s + len - 1)
		m->cnt[ge - (s + len - 1)]++;
	memset(m->used + s, 1, len);
	m->avail -= len;
}

/* Free [s, s+len) (all allocated). */
static void m_give(struct model *m, uint64_t s, uint64_t len)
{
	uint64_t gs, ge;

	if (s > 0 && !m->used[s - 1]) {
		m_gap_of(m, s - 1, &gs, &ge);
		m->cnt[ge - gs + 1]--;
	}
	if (s + len < m->n && !m->used[s + len]) {
		m_gap_of(m, s + len, &gs, &ge);
		m->cnt[ge - gs + 1]--;
	}
	memset(m->used + s, 0, len);
	m_gap_of(m, s, &gs, &ge);
	m->cnt[ge - gs + 1]++;
	m->avail += len;
}

/* Lowest placement in the gap [gs, ge] (indexes), or NONE; alignment and
 * boundaries apply to values (index + base), as in the library. */
static uint64_t m_fit(const struct model *m, uint64_t gs, uint64_t ge, uint64_t size,
		      uint64_t align, uint64_t boundary)
{
	uint64_t v, lo = gs + m->base, hi = ge + m->base;

	if (align < 1)
		align = 1;
	v = (lo + align - 1) / align * align;
	for (; v <= hi && hi - v >= size - 1; v += align) {
		if (boundary && v / boundary != (v + size - 1) / boundary)
			continue;
		return v - m->base;
	}
	return NONE;
}

/* Gaps of length >= size, in address order, by callback. */
static uint64_t m_first_fit(const struct model *m, uint64_t size, uint64_t align,
			    uint64_t boundary)
{
	uint64_t i = 0, gs, ge, a;

	while (i < m->n) {
		if (m->used[i]) {
			i++;
			continue;
		}
		m_gap_of(m, i, &gs, &ge);
		if (ge - gs + 1 >= size && (a = m_fit(m, gs, ge, size, align, boundary)) != NONE)
			return a;
		i = ge + 1;
	}
	return NONE;
}

static bool m_any_gap(const struct model *m, uint64_t from, uint64_t below)
{
	uint64_t l;

	for (l = from; l < below && l <= m->n; l++)
		if (m->cnt[l])
			return true;
	return false;
}

/* Runs, largest, histogram, from the model. */
static void m_stats(const struct model *m, struct swapctl_freestats *st)
{
	uint64_t l;

	memset(st, 0, sizeof(*st));
	st->size = m->n;
	st->free = m->avail;
	for (l = 1; l <= m->n; l++) {
		if (!m->cnt[l])
			continue;
		st->runs += m->cnt[l];
		st->largest = l;
		st->hist[63 - __builtin_clzll(l)] += m->cnt[l];
	}
	st->average = st->runs ? (double)st->free / (double)st->runs : 0;
}

static uint64_t m_regions(const struct model *m)
{
	uint64_t i, r = 0;

	for (i = 0; i < m->n; i++)
		if (m->used[i] && (i == 0 || !m->used[i - 1]))
			r++;
	return r;
}

/* ------------------------------------------------------------ comparing */

static char why[512];

static bool agree(const struct swapctl_extent *ex, const struct model *m, bool coalesce)
{
	struct swapctl_freestats a, b;
	uint64_t pos = m->base, s, len, i = 0;

	if (swapctl_extent_check(ex) != 0) {
		snprintf(why, sizeof(why), "check() failed");
		return false;
	}
	if (swapctl_extent_avail(ex) != m->avail) {
		snprintf(why, sizeof(why), "avail %" PRIu64 ", model %" PRIu64,
			 swapctl_extent_avail(ex), m->avail);
		return false;
	}
	if (coalesce && swapctl_extent_regions(ex) != m_regions(m)) {
		snprintf(why, sizeof(why), "regions %" PRIu64 ", model %" PRIu64,
			 swapctl_extent_regions(ex), m_regions(m));
		return false;
	}
	swapctl_extent_stats(ex, &a);
	m_stats(m, &b);
	if (a.size != b.size || a.free != b.free || a.runs != b.runs || a.largest != b.largest ||
	    a.average != b.average || memcmp(a.hist, b.hist, sizeof(a.hist))) {
		snprintf(why, sizeof(why), "stats: runs %" PRIu64 "/%" PRIu64 " largest %" PRIu64
			 "/%" PRIu64, a.runs, b.runs, a.largest, b.largest);
		return false;
	}
	while (swapctl_extent_next_free(ex, pos, &s, &len) == 0) {
		while (i < m->n && m->used[i])
			i++;
		if (s != i + m->base) {
			snprintf(why, sizeof(why), "gap at %" PRIu64 ", model %" PRIu64, s, i + m->base);
			return false;
		}
		while (i < m->n && !m->used[i])
			i++;
		if (len != i + m->base - s) {
			snprintf(why, sizeof(why), "gap at %" PRIu64 " len %" PRIu64, s, len);
			return false;
		}
		pos = s + len;
		if (i >= m->n)
			break;
	}
	while (i < m->n && m->used[i])
		i++;
	if (i < m->n) {
		snprintf(why, sizeof(why), "model gap at %" PRIu64 " not listed", i + m->base);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------ fixed cases */

static void test_args(void)
{
	struct swapctl_extent *ex;
	uint64_t r;

	CHECK(swapctl_extent_create(10, 9, 0, &ex) == -EINVAL && !ex, "end < start is refused");
	CHECK(swapctl_extent_create(0, UINT64_MAX, 0, &ex) == -EINVAL,
	      "the whole 64-bit space is refused");
	CHECK(swapctl_extent_create(0, 10, 0x80, &ex) == -EINVAL, "unknown flags are refused");
	CHECK(swapctl_extent_create(0, 10, 0, NULL) == -EINVAL, "NULL out is refused");
	swapctl_extent_destroy(NULL);

	CHECK(swapctl_extent_create(5, 5, 0, &ex) == 0, "an extent of one value");
	CHECK(swapctl_extent_alloc(ex, 0, 0, 0, 0, &r) == -EINVAL, "size 0 is refused");
	CHECK(swapctl_extent_alloc(ex, 1, 3, 0, 0, &r) == -EINVAL, "alignment 3 is refused");
	CHECK(swapctl_extent_alloc(ex, 4, 0, 2, 0, &r) == -EINVAL, "boundary below size is refused");
	CHECK(swapctl_extent_alloc(ex, 1, 0, 0, 0x40, &r) == -EINVAL, "unknown alloc flags refused");
	CHECK(swapctl_extent_alloc(ex, 2, 0, 0, 0, &r) == -ENOSPC, "2 values do not fit in 1");
	CHECK(swapctl_extent_alloc(ex, 1, 0, 0, 0, &r) == 0 && r == 5, "the one value");
	CHECK(swapctl_extent_alloc(ex, 1, 0, 0, 0, &r) == -ENOSPC, "then nothing");
	CHECK(swapctl_extent_free(ex, 6, 1) == -ERANGE, "free past the end: -ERANGE");
	CHECK(swapctl_extent_free(ex, 4, 1) == -ERANGE, "free before the start: -ERANGE");
	CHECK(swapctl_extent_free(ex, 5, 0) == -EINVAL, "free of 0 values: -EINVAL");
	CHECK(swapctl_extent_free(ex, 5, 1) == 0 && swapctl_extent_avail(ex) == 1, "free it");
	CHECK(swapctl_extent_free(ex, 5, 1) == -EINVAL, "double free: -EINVAL");
	CHECK(swapctl_extent_alloc_region(ex, 5, 2) == -ERANGE, "region past the end: -ERANGE");
	CHECK(swapctl_extent_alloc_region(ex, 5, 1) == 0 && swapctl_extent_regions(ex) == 1,
	      "alloc_region of the one value");
	CHECK(swapctl_extent_alloc_region(ex, 5, 1) == -EBUSY, "taken region: -EBUSY");
	CHECK(swapctl_extent_check(ex) == 0, "1-value extent is consistent");
	swapctl_extent_destroy(ex);
}

static void test_placement(void)
{
	struct swapctl_extent *ex;
	uint64_t r, r2, s, l;
	bool ok;

	swapctl_extent_create(3, 1026, 0, &ex);
	ok = swapctl_extent_alloc(ex, 10, 16, 0, 0, &r) == 0 && r == 16;
	ok &= swapctl_extent_alloc(ex, 10, 16, 0, 0, &r) == 0 && r == 32;
	CHECK(ok, "alignment applies to values, not offsets");
	ok = swapctl_extent_alloc(ex, 3, 0, 0, 0, &r) == 0 && r == 26;
	ok &= swapctl_extent_alloc(ex, 6, 0, 0, 0, &r) == 0 && r == 3;
	CHECK(ok, "small requests go to the smallest holes that fit");
	ok = swapctl_extent_alloc(ex, 40, 0, 64, 0, &r) == 0 && r == 64;
	ok &= swapctl_extent_alloc(ex, 20, 0, 64, 0, &r) == 0 && r == 42;
	ok &= swapctl_extent_alloc(ex, 30, 0, 64, 0, &r) == 0 && r == 128;
	CHECK(ok, "boundary: no allocation crosses a multiple of 64");
	ok = swapctl_extent_alloc(ex, 64, 64, 64, 0, &r) == 0 && r == 192;
	CHECK(ok && swapctl_extent_check(ex) == 0, "alignment and boundary together");
	swapctl_extent_destroy(ex);

	/* best fit picks the smallest hole, first fit the lowest one */
	swapctl_extent_create(0, 999, 0, &ex);
	swapctl_extent_alloc_region(ex, 0, 1000);
	swapctl_extent_free(ex, 100, 50);
	swapctl_extent_free(ex, 300, 20);
	swapctl_extent_free(ex, 500, 31);
	ok = swapctl_extent_alloc(ex, 20, 0, 0, 0, &r) == 0 && r == 300;
	ok &= swapctl_extent_alloc(ex, 20, 0, 0, SWAPCTL_EXTENT_FIRSTFIT, &r2) == 0 && r2 == 100;
	ok &= swapctl_extent_alloc(ex, 25, 0, 0, 0, &r) == 0 && r == 120;
	ok &= swapctl_extent_alloc(ex, 32, 0, 0, 0, &r) == -ENOSPC;
	ok &= swapctl_extent_alloc(ex, 31, 0, 0, 0, &r) == 0 && r == 500;
	CHECK(ok, "best fit takes the smallest hole that fits, first fit the lowest");
	ok = swapctl_extent_next_free(ex, 0, &s, &l) == 0 && s == 145 && l == 5;
	ok &= swapctl_extent_next_free(ex, 147, &s, &l) == 0 && s == 147 && l == 3;
	ok &= swapctl_extent_next_free(ex, 150, &s, &l) == -ENOENT;
	CHECK(ok, "next_free walks the gaps");
	ok = swapctl_extent_free(ex, 140, 10) == -EINVAL && swapctl_extent_free(ex, 148, 5) == -EINVAL;
	CHECK(ok, "freeing across a gap is refused");
	CHECK(swapctl_extent_regions(ex) == 2 && swapctl_extent_check(ex) == 0,
	      "coalesced: 2 regions around the last gap");
	swapctl_extent_destroy(ex);

	/* near the top of the 64-bit space: no wrapping */
	swapctl_extent_create(UINT64_MAX - 1000, UINT64_MAX - 3, 0, &ex);
	ok = swapctl_extent_alloc(ex, 100, UINT64_C(1) << 63, 0, 0, &r) == -ENOSPC;
	ok &= swapctl_extent_alloc(ex, 998, 0, 0, 0, &r) == 0 && r == UINT64_MAX - 1000;
	ok &= swapctl_extent_free(ex, UINT64_MAX - 3, 1) == 0;
	ok &= swapctl_extent_alloc(ex, 1, 4, 0, 0, &r) == 0 && r == UINT64_MAX - 3;
	ok &= swapctl_extent_alloc_region(ex, UINT64_MAX - 3, 1) == -EBUSY;
	ok &= swapctl_extent_check(ex) == 0;
	CHECK(ok, "extent ending at 2^64 - 4: alignment that would wrap fails cleanly");
	swapctl_extent_destroy(ex);
	swapctl_extent_create(0, UINT64_MAX - 3, 0, &ex);
	ok = swapctl_extent_alloc(ex, UINT64_C(1) << 63, 0, 0, 0, &r) == 0 && r == 0;
	ok &= swapctl_extent_alloc(ex, UINT64_C(1) << 40, UINT64_C(1) << 40, 0, 0, &r) == 0 &&
	      r == UINT64_C(1) << 63;
	ok &= swapctl_extent_avail(ex) == UINT64_MAX - 2 - (UINT64_C(1) << 63) - (UINT64_C(1) << 40);
	ok &= swapctl_extent_free(ex, 12345, UINT64_C(1) << 62) == 0;
	ok &= swapctl_extent_check(ex) == 0 && swapctl_extent_regions(ex) == 2;
	CHECK(ok, "the largest extent: 2^64 - 3 values, regions of 2^63 and 2^62");
	swapctl_extent_destroy(ex);
}

static void test_nocoalesce(void)
{
	struct swapctl_extent *ex;
	uint64_t r, i;
	bool ok = true;

	swapctl_extent_create(0, 99, SWAPCTL_EXTENT_NOCOALESCE, &ex);
	for (i = 0; i < 10; i++)
		ok &= swapctl_extent_alloc(ex, 10, 0, 0, 0, &r) == 0 && r == i * 10;
	ok &= swapctl_extent_regions(ex) == 10 && swapctl_extent_check(ex) == 0;
	ok &= swapctl_extent_free(ex, 10, 20) == -EINVAL;       /* two regions */
	ok &= swapctl_extent_free(ex, 12, 5) == -EINVAL;        /* part of one */
	ok &= swapctl_extent_free(ex, 10, 10) == 0 && swapctl_extent_regions(ex) == 9;
	ok &= swapctl_extent_alloc(ex, 4, 0, 0, 0, &r) == 0 && r == 10;
	ok &= swapctl_extent_alloc(ex, 6, 0, 0, 0, &r) == 0 && r == 14;
	ok &= swapctl_extent_regions(ex) == 11 && swapctl_extent_check(ex) == 0;
	CHECK(ok, "without coalescing every allocation stays a region and frees whole");
	swapctl_extent_destroy(ex);
}

static void test_enomem(void)
{
	struct swapctl_extent *ex;
	uint64_t r, i;
	bool ok;

	extent_set_node_alloc(failing_alloc);
	swapctl_extent_create(0, 9999, 0, &ex);
	swapctl_extent_alloc(ex, 10000, 0, 0, 0, &r);
	/* use up the spare nodes, then fail the next malloc */
	for (i = 0; i < 200; i++)
		swapctl_extent_free(ex, 10 + i * 20, 5);
	fail_mallocs = 1;
	ok = swapctl_extent_free(ex, 9000, 10) == -ENOMEM;
	fail_mallocs = 0;
	ok &= swapctl_extent_avail(ex) == 1000 && swapctl_extent_regions(ex) == 201;
	ok &= swapctl_extent_check(ex) == 0;
	ok &= swapctl_extent_free(ex, 9000, 10) == 0 && swapctl_extent_regions(ex) == 202;
	/* a free that needs no node works without memory */
	fail_mallocs = 1000;
	ok &= swapctl_extent_free(ex, 9000 - 1, 1) == 0 && swapctl_extent_free(ex, 0, 10) == 0;
	fail_mallocs = 0;
	ok &= swapctl_extent_check(ex) == 0;
	CHECK(ok, "a split free reports ENOMEM and changes nothing; other frees need no memory");
	swapctl_extent_destroy(ex);

	/*
	 * Splits that also split address index nodes, up to a few levels: a
	 * failing malloc at any point of a free or an allocation that needs a
	 * region leaves the extent as it was, and the retry works.
	 */
	swapctl_extent_create(0, 99999, 0, &ex);
	swapctl_extent_alloc(ex, 100000, 0, 0, 0, &r);
	ok = true;
	for (i = 0; i < 3000 && ok; i++) {
		uint64_t at = (i * 7919) % 33333 * 3 + 1, before = swapctl_extent_regions(ex);
		int k, e = -ENOMEM;

		for (k = 0; e == -ENOMEM && k < 8; k++) {
			fail_mallocs = k < 4 ? 1 : 0;
			e = swapctl_extent_free(ex, at, 1);
			if (e == -ENOMEM)
				ok &= swapctl_extent_regions(ex) == before && swapctl_extent_check(ex) == 0;
		}
		ok &= e == 0 && swapctl_extent_regions(ex) == before + 1;
		if (i % 3 == 0) {
			/* and fill it again: the two regions join */
			e = swapctl_extent_alloc_region(ex, at, 1);
			ok &= e == 0 && swapctl_extent_regions(ex) == before;
		}
		if (i % 500 == 0)
			ok &= swapctl_extent_check(ex) == 0;
	}
	fail_mallocs = 0;
	ok &= swapctl_extent_check(ex) == 0;
	CHECK(ok, "ENOMEM while the address index grows changes nothing (%" PRIu64 " regions)",
	      swapctl_extent_regions(ex));
	swapctl_extent_destroy(ex);

	/*
	 * The leaf map cannot grow: operations still work on the old, coarser
	 * map, and the next one with memory rebuilds it.
	 */
	extent_set_node_alloc(small_alloc);
	swapctl_extent_create(0, 99999, 0, &ex);
	swapctl_extent_alloc(ex, 100000, 0, 0, 0, &r);
	ok = true;
	for (i = 0; i < 3000 && ok; i++) {
		ok &= swapctl_extent_free(ex, (i * 7919) % 33333 * 3 + 1, 1) == 0;
		if (i % 7 == 0)
			ok &= swapctl_extent_alloc_region(ex, (i * 7919) % 33333 * 3 + 1, 1) == 0;
		if (i % 250 == 0)
			ok &= swapctl_extent_check(ex) == 0;
	}
	{
		size_t before = swapctl_extent_memory(ex);

		extent_set_node_alloc(NULL);
		ok &= swapctl_extent_alloc(ex, 1, 0, 0, 0, &r) == 0 && swapctl_extent_check(ex) == 0 &&
			swapctl_extent_memory(ex) > before + 1024;
	}
	CHECK(ok, "ENOMEM for the leaf map keeps the old map; it grows when memory returns");
	swapctl_extent_destroy(ex);
	extent_set_node_alloc(NULL);
}

/* ------------------------------------------------------------ differential */

struct live {
	uint64_t s, n;                  /* values */
};

struct run_cfg {
	uint64_t base, n;
	unsigned target;
	unsigned long ops;
};

static bool random_run(const struct run_cfg *cfg, unsigned long *nops)
{
	struct swapctl_extent *ex;
	struct model m;
	struct live *live;
	size_t nlive = 0, cap = 1024;
	unsigned long op;
	bool ok = true;
	const uint64_t base = cfg->base, n = cfg->n;

	live = malloc(cap * sizeof(*live));
	swapctl_extent_create(base, base + n - 1, 0, &ex);
	m_init(&m, base, n);
	for (op = 0; op < cfg->ops && ok; op++) {
		uint64_t full = (n - m.avail) * 100 / n, r = rnd() % 1000, res = 0;
		int e;

		if (r < 40) {
			/* alloc_region at a random place */
			uint64_t s = rnd_in(0, n - 1), k = rnd_in(1, 64), exp;

			if (k > n - s)
				k = n - s;
			exp = m_all(&m, s, k, false) ? 0 : (uint64_t)-EBUSY;
			e = swapctl_extent_alloc_region(ex, s + base, k);
			if ((uint64_t)e != exp) {
				snprintf(why, sizeof(why), "alloc_region %" PRIu64 "+%" PRIu64 ": %d",
					 s + base, k, e);
				ok = false;
			} else if (e == 0) {
				m_take(&m, s, k);
				if (nlive == cap)
					live = realloc(live, (cap *= 2) * sizeof(*live));
				live[nlive].s = s + base;
				live[nlive++].n = k;
			}
		} else if (r < 60) {
			/* refused frees: across free values, or out of range */
			uint64_t s = rnd_in(0, n - 1), k = rnd_in(1, 40);

			if (k > n - s)
				k = n - s;
			if (!m_all(&m, s, k, true) && swapctl_extent_free(ex, s + base, k) != -EINVAL) {
				snprintf(why, sizeof(why), "free over free values accepted");
				ok = false;
			}
			if (swapctl_extent_free(ex, base + n - 1, 2) != -ERANGE ||
			    (base && swapctl_extent_free(ex, base - 1, 2) != -ERANGE)) {
				snprintf(why, sizeof(why), "out of range free accepted");
				ok = false;
			}
		} else if (full < cfg->target || nlive == 0) {
			uint64_t size, align = 0, boundary = 0, gs, ge, want;
			unsigned flags = rnd() % 5 == 0 ? SWAPCTL_EXTENT_FIRSTFIT : 0;
			uint64_t q = rnd() % 100;

			size = q < 70 ? rnd_in(1, 32) : q < 95 ? rnd_in(33, 300) : rnd_in(1, n / 4 + 1);
			if (rnd() % 4 == 0)
				align = UINT64_C(1) << rnd_in(0, 7);
			if (rnd() % 6 == 0) {
				boundary = UINT64_C(1) << rnd_in(0, 10);
				while (boundary < size)
					boundary <<= 1;
			}
			e = swapctl_extent_alloc(ex, size, align, boundary, flags, &res);
			if (e == -ENOSPC) {
				if (m_first_fit(&m, size, align, boundary) != NONE) {
					snprintf(why, sizeof(why), "alloc %" PRIu64 "/%" PRIu64 "/%" PRIu64
						 ": ENOSPC but it fits", size, align, boundary);
					ok = false;
				}
			} else if (e != 0) {
				snprintf(why, sizeof(why), "alloc: %d", e);
				ok = false;
			} else {
				uint64_t s = res - base;
				bool plain = align <= 1 && boundary == 0;

				if (res < base || s + size > n || !m_all(&m, s, size, false) ||
				    (align > 1 && res % align) ||
				    (boundary && res / boundary != (res + size - 1) / boundary)) {
					snprintf(why, sizeof(why), "alloc %" PRIu64 " at %" PRIu64
						 ": not a valid place", size, res);
					ok = false;
					break;
				}
				m_gap_of(&m, s, &gs, &ge);
				want = m_fit(&m, gs, ge, size, align, boundary);
				if (flags && plain && m_first_fit(&m, size, align, boundary) != s) {
					snprintf(why, sizeof(why), "first fit %" PRIu64 " at %" PRIu64
						 ", model %" PRIu64, size, res,
						 m_first_fit(&m, size, align, boundary) + base);
					ok = false;
				} else if (want != s) {
					snprintf(why, sizeof(why), "alloc %" PRIu64 " at %" PRIu64
						 ", not the lowest place in its gap", size, res);
					ok = false;
				} else if (!flags && plain && m_any_gap(&m, size, ge - gs + 1)) {
					snprintf(why, sizeof(why), "best fit %" PRIu64 " took a gap of %"
						 PRIu64 " with a smaller one left", size, ge - gs + 1);
					ok = false;
				}
				m_take(&m, s, size);
				if (nlive == cap)
					live = realloc(live, (cap *= 2) * sizeof(*live));
				live[nlive].s = res;
				live[nlive++].n = size;
			}
		} else {
			/* a victim, whole or a piece */
			size_t v = rnd() % nlive;
			uint64_t s = live[v].s, k = live[v].n;

			if (k > 1 && rnd() % 4 == 0) {
				uint64_t a = rnd_in(0, k - 1), c = rnd_in(1, k - a);

				if (a + c < k) {
					if (nlive == cap)
						live = realloc(live, (cap *= 2) * sizeof(*live));
					live[nlive].s = s + a + c;
					live[nlive++].n = k - a - c;
				}
				live[v].n = a;
				s += a;
				k = c;
				if (live[v].n == 0)
					live[v] = live[--nlive];
			} else {
				live[v] = live[--nlive];
			}
			e = swapctl_extent_free(ex, s, k);
			if (e) {
				snprintf(why, sizeof(why), "free %" PRIu64 "+%" PRIu64 ": %d", s, k, e);
				ok = false;
			}
			m_give(&m, s - base, k);
		}
		if (ok && (op % 1000 == 999 || op + 1 == cfg->ops))
			ok = agree(ex, &m, true);
	}
	if (!ok) {
		printf("# [%" PRIu64 ", +%" PRIu64 ") target %u%%: op %lu: %s\n",
		       base, n, cfg->target, op, why);
		if (n <= 5000)
			swapctl_extent_dump(ex, stdout);
	}
	*nops = op;
	swapctl_extent_destroy(ex);
	m_done(&m);
	free(live);
	return ok;
}

static void test_random(void)
{
	static const struct { uint64_t base, n; } maps[] = {
		{ 0, 1000 }, { 1000003, 8191 }, { 77, 20000 },
	};
	static const unsigned targets[] = { 50, 90, 99 };
	unsigned long total = 0;
	unsigned i, j;

	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		for (j = 0; j < ARRAY_SIZE(targets); j++) {
			struct run_cfg cfg = {
				.base = maps[i].base, .n = maps[i].n, .target = targets[j],
				.ops = scale(maps[i].n < 10000 ? 250000 : 200000),
			};
			unsigned long done;
			bool ok;

			rng_state = 7000 + 10 * i + j;
			ok = random_run(&cfg, &done);
			total += done;
			CHECK(ok, "random vs model: [%" PRIu64 ", +%" PRIu64 "), %u%% full, %lu ops",
			      cfg.base, cfg.n, cfg.target, done);
		}
	}
	printf("# %lu random operations in all\n", total);
}

/* Past SLAB_FROM (1024) regions, nodes come from 2 MiB slabs; nodes the
 * extent drops go to free lists and are used again; destroy unmaps them. */
static void test_slabs(void)
{
	struct swapctl_extent *ex;
	uint64_t r, i, n = 60000;
	size_t small, big;
	bool ok;

	swapctl_extent_create(0, 3 * n - 1, 0, &ex);
	swapctl_extent_alloc(ex, 3 * n, 0, 0, 0, &r);
	for (i = 0; i < 500; i++)
		swapctl_extent_free(ex, 3 * i + 1, 1);
	small = swapctl_extent_memory(ex);
	ok = swapctl_extent_check(ex) == 0 && small < ((size_t)1 << 20);
	for (i = 500; i < n - 1 && ok; i++) {
		ok &= swapctl_extent_free(ex, 3 * i + 1, 1) == 0;
		if (i % 4999 == 0)
			ok &= swapctl_extent_check(ex) == 0;
	}
	big = swapctl_extent_memory(ex);
	ok &= swapctl_extent_regions(ex) == n && swapctl_extent_check(ex) == 0 &&
		big >= ((size_t)2 << 20);
	/* back to one region, its nodes on the free lists, then again */
	for (i = 0; i < n - 1 && ok; i++)
		ok &= swapctl_extent_alloc_region(ex, 3 * i + 1, 1) == 0;
	ok &= swapctl_extent_regions(ex) == 1 && swapctl_extent_check(ex) == 0;
	for (i = 0; i < n - 1 && ok; i += 2)
		ok &= swapctl_extent_free(ex, 3 * i + 1, 1) == 0;
	ok &= swapctl_extent_check(ex) == 0 && swapctl_extent_memory(ex) <= big;
	CHECK(ok, "nodes from slabs past 1024 regions, used again after merges (%zu -> %zu bytes)",
	      small, big);
	swapctl_extent_destroy(ex);
}

int main(void)
{
	test_args();
	test_placement();
	test_nocoalesce();
	test_enomem();
	test_slabs();
	test_random();
	TAP_EXIT();
}
