/*
 * Unit tests of the blist allocator: edge cases, huge maps, and randomized
 * differential runs against a plain one-bit-per-block model that makes the
 * same next-fit choices, compared after every batch of operations.
 *
 * SWAPCTL_TEST_QUICK (or a sanitizer build) runs fewer operations.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "tap.h"

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

/* ------------------------------------------------------------ the model */

struct model {
	uint64_t n, avail, cursor;
	uint64_t *w;                    /* bit set = allocated */
	uint64_t bound;                 /* >= the longest free run; NONE: unknown */
};

static void m_init(struct model *m, uint64_t n, bool all_free)
{
	uint64_t nw = (n + 63) / 64 + 1;

	m->n = n;
	m->w = malloc(nw * 8);
	memset(m->w, all_free ? 0 : 0xff, nw * 8);
	m->avail = all_free ? n : 0;
	m->cursor = 0;
	m->bound = NONE;
}

static bool m_isfree(const struct model *m, uint64_t i)
{
	return !(m->w[i >> 6] >> (i & 63) & 1);
}

static void m_set(struct model *m, uint64_t s, uint64_t n, bool alloc)
{
	uint64_t i, lo, hi;

	for (i = s; i < s + n; i++) {
		if (m_isfree(m, i) == alloc)
			m->avail += alloc ? -1 : 1;
		if (alloc)
			m->w[i >> 6] |= UINT64_C(1) << (i & 63);
		else
			m->w[i >> 6] &= ~(UINT64_C(1) << (i & 63));
	}
	/* a free can only lengthen the longest run to the run it joined */
	if (!alloc && m->bound != NONE) {
		for (lo = s; lo > 0 && m_isfree(m, lo - 1); lo--)
			;
		for (hi = s + n; hi < m->n && m_isfree(m, hi); hi++)
			;
		if (hi - lo > m->bound)
			m->bound = hi - lo;
	}
}

/* First s >= from with [s, s+count) free. */
static uint64_t m_find(const struct model *m, uint64_t from, uint64_t count)
{
	uint64_t i, run = 0;

	for (i = from; i < m->n; i++) {
		if ((i & 63) == 0 && m->w[i >> 6] == ~UINT64_C(0)) {
			run = 0;
			i += 63;
			continue;
		}
		if (m_isfree(m, i)) {
			if (++run == count)
				return i + 1 - count;
		} else {
			run = 0;
		}
	}
	return NONE;
}

/* The longest free run, by a plain scan. */
static uint64_t m_longest(const struct model *m)
{
	uint64_t i, run = 0, best = 0;

	for (i = 0; i < m->n; i++) {
		run = m_isfree(m, i) ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

static int m_alloc(struct model *m, uint64_t count, uint64_t maxcount,
		   uint64_t *start, uint64_t *len)
{
	uint64_t s, n;

	/* allocations only shorten runs, so a known longest run stays a bound */
	if (m->bound == NONE)
		m->bound = m_longest(m);
	if (count > m->bound)
		return -ENOSPC;
	s = m_find(m, m->cursor, count);
	if (s == NONE && m->cursor)
		s = m_find(m, 0, count);
	if (s == NONE) {
		m->bound = m_longest(m);
		return -ENOSPC;
	}
	n = count;
	while (n < maxcount && s + n < m->n && m_isfree(m, s + n))
		n++;
	m_set(m, s, n, true);
	m->cursor = s + n < m->n ? s + n : 0;
	*start = s;
	*len = n;
	return 0;
}

static void m_stats(const struct model *m, struct swapctl_freestats *st)
{
	uint64_t i = 0, s;

	memset(st, 0, sizeof(*st));
	st->size = m->n;
	st->free = m->avail;
	while (i < m->n) {
		if (!m_isfree(m, i)) {
			i++;
			continue;
		}
		s = i;
		while (i < m->n && m_isfree(m, i))
			i++;
		st->runs++;
		if (i - s > st->largest)
			st->largest = i - s;
		st->hist[63 - __builtin_clzll(i - s)]++;
	}
	st->average = st->runs ? (double)st->free / (double)st->runs : 0;
}

static void m_resize(struct model *m, uint64_t n, bool new_free)
{
	uint64_t nw = (n + 63) / 64 + 1, i, old = m->n;
	uint64_t *w = calloc(nw, 8);

	for (i = 0; i < n; i++) {
		bool f = i < old ? m_isfree(m, i) : new_free;

		if (!f)
			w[i >> 6] |= UINT64_C(1) << (i & 63);
	}
	free(m->w);
	m->w = w;
	m->n = n;
	m->avail = 0;
	for (i = 0; i < n; i++)
		m->avail += m_isfree(m, i);
	if (m->cursor >= n)
		m->cursor = 0;
	m->bound = NONE;
}

/* ------------------------------------------------------------ comparing */

static char why[512];

static bool same_stats(const struct swapctl_freestats *a, const struct swapctl_freestats *b)
{
	return a->size == b->size && a->free == b->free && a->runs == b->runs &&
	       a->largest == b->largest && a->average == b->average &&
	       memcmp(a->hist, b->hist, sizeof(a->hist)) == 0;
}

/* Everything observable agrees with the model. */
static bool agree(const struct swapctl_blist *b, const struct model *m)
{
	struct swapctl_freestats sb, sm;
	uint64_t pos = 0, s, len, i;
	int r;

	if (swapctl_blist_check(b) != 0) {
		snprintf(why, sizeof(why), "check() failed");
		return false;
	}
	if (swapctl_blist_avail(b) != m->avail || swapctl_blist_size(b) != m->n) {
		snprintf(why, sizeof(why), "avail %" PRIu64 " model %" PRIu64,
			 swapctl_blist_avail(b), m->avail);
		return false;
	}
	swapctl_blist_stats(b, &sb);
	m_stats(m, &sm);
	if (!same_stats(&sb, &sm)) {
		snprintf(why, sizeof(why), "stats: runs %" PRIu64 "/%" PRIu64
			 " largest %" PRIu64 "/%" PRIu64, sb.runs, sm.runs, sb.largest, sm.largest);
		return false;
	}
	/* the runs themselves, one by one */
	i = 0;
	while ((r = swapctl_blist_next_free(b, pos, &s, &len)) == 0) {
		while (i < m->n && !m_isfree(m, i))
			i++;
		if (i != s) {
			snprintf(why, sizeof(why), "run at %" PRIu64 ", model %" PRIu64, s, i);
			return false;
		}
		while (i < m->n && m_isfree(m, i))
			i++;
		if (i - s != len) {
			snprintf(why, sizeof(why), "run at %" PRIu64 " len %" PRIu64
				 ", model %" PRIu64, s, len, i - s);
			return false;
		}
		pos = s + len;
		if (pos >= m->n)
			break;
	}
	while (i < m->n && !m_isfree(m, i))
		i++;
	if (i != m->n) {
		snprintf(why, sizeof(why), "model has a run at %" PRIu64 " the map lacks", i);
		return false;
	}
	return true;
}

/* ------------------------------------------------------------ random */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t rnd_in(uint64_t lo, uint64_t hi)   /* [lo, hi] */
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

/* ------------------------------------------------------------ edge cases */

static void test_args(void)
{
	struct swapctl_blist *b;
	uint64_t s, l, f;

	CHECK(swapctl_blist_create(0, true, &b) == -EINVAL && !b, "0 blocks is refused");
	CHECK(swapctl_blist_create((UINT64_C(1) << 56) + 1, true, &b) == -EINVAL,
	      "more than 2^56 blocks is refused");
	CHECK(swapctl_blist_create(1, true, NULL) == -EINVAL, "NULL out is refused");
	swapctl_blist_destroy(NULL);

	CHECK(swapctl_blist_create(1, true, &b) == 0, "a map of 1 block");
	CHECK(swapctl_blist_avail(b) == 1 && swapctl_blist_size(b) == 1, "1 block, 1 free");
	CHECK(swapctl_blist_alloc(b, 0, 1, &s, &l) == -EINVAL, "count 0 is refused");
	CHECK(swapctl_blist_alloc(b, 2, 1, &s, &l) == -EINVAL, "maxcount < count is refused");
	CHECK(swapctl_blist_alloc(b, 2, 2, &s, &l) == -ENOSPC, "2 blocks do not fit in 1");
	CHECK(swapctl_blist_alloc(b, 1, 100, &s, &l) == 0 && s == 0 && l == 1,
	      "the one block, maxcount clipped by the map");
	CHECK(swapctl_blist_alloc(b, 1, 1, &s, &l) == -ENOSPC, "full map: -ENOSPC");
	CHECK(swapctl_blist_free(b, 1, 1) == -ERANGE, "free past the end: -ERANGE");
	CHECK(swapctl_blist_free(b, 0, 2) == -ERANGE, "free running past the end: -ERANGE");
	CHECK(swapctl_blist_free(b, 0, 0) == -EINVAL, "free of 0 blocks: -EINVAL");
	CHECK(swapctl_blist_free(b, 0, 1) == 0 && swapctl_blist_avail(b) == 1, "free it");
	CHECK(swapctl_blist_free(b, 0, 1) == -EINVAL && swapctl_blist_avail(b) == 1,
	      "double free: -EINVAL, nothing changed");
	CHECK(swapctl_blist_free(NULL, 0, 1) == -EINVAL, "free on no map: -EINVAL");
	{
		struct swapctl_blist *w;

		/* the common free's folded tests send each of these elsewhere */
		CHECK(swapctl_blist_create(UINT64_C(1) << 16, false, &w) == 0, "a full map of 2^16 blocks");
		CHECK(swapctl_blist_free(w, UINT64_MAX - 2, 4) == -ERANGE, "free wrapping past 2^64: -ERANGE");
		CHECK(swapctl_blist_free(w, UINT64_MAX, 1) == -ERANGE, "free at 2^64 - 1: -ERANGE");
		CHECK(swapctl_blist_free(w, 100, 0) == -EINVAL, "free of 0 blocks in a word: -EINVAL");
		CHECK(swapctl_blist_free(w, 130, 1) == 0 && swapctl_blist_free(w, 124, 8) == -EINVAL &&
		      swapctl_blist_avail(w) == 1, "range over two words, one block free: -EINVAL");
		CHECK(swapctl_blist_free(w, 124, 6) == 0 && swapctl_blist_free(w, 131, 2) == 0 &&
		      swapctl_blist_avail(w) == 9 && swapctl_blist_check(w) == 0,
		      "ranges over two words and at a word's end");
		CHECK(swapctl_blist_free(w, (UINT64_C(1) << 16) - 64, 64) == 0 &&
		      swapctl_blist_free(w, 1000, 65) == 0 && swapctl_blist_check(w) == 0,
		      "the last word, and 65 blocks");
		swapctl_blist_destroy(w);
	}
	CHECK(swapctl_blist_fill(b, 0, 1, &f) == 0 && f == 1 && swapctl_blist_avail(b) == 0,
	      "fill counts the free block");
	CHECK(swapctl_blist_fill(b, 0, 1, &f) == 0 && f == 0, "fill again counts none");
	CHECK(swapctl_blist_fill(b, 0, 2, &f) == -ERANGE, "fill past the end: -ERANGE");
	CHECK(swapctl_blist_next_free(b, 0, &s, &l) == -ENOENT, "no free run in a full map");
	CHECK(swapctl_blist_check(b) == 0, "1-block map is consistent");
	swapctl_blist_destroy(b);
}

/* Sizes around every word, chunk and node boundary, full and empty. */
static void test_sizes(void)
{
	static const uint64_t sizes[] = {
		1, 2, 63, 64, 65, 100, 511, 512, 513, 1000, 4097, 8191, 8192, 8193,
		65535, 65536, 65537, 524287, 524288, 524289, 1000003,
	};
	unsigned i, bad = 0;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint64_t n = sizes[i], s, l, f;
		struct swapctl_blist *b;
		struct swapctl_freestats st;
		bool ok = true;

		/* empty */
		ok &= swapctl_blist_create(n, true, &b) == 0;
		ok &= swapctl_blist_check(b) == 0 && swapctl_blist_avail(b) == n;
		swapctl_blist_stats(b, &st);
		ok &= st.runs == 1 && st.largest == n && st.free == n;
		ok &= swapctl_blist_alloc(b, n + 1, n + 1, &s, &l) == -ENOSPC;
		ok &= swapctl_blist_alloc(b, n, n, &s, &l) == 0 && s == 0 && l == n;
		ok &= swapctl_blist_avail(b) == 0 && swapctl_blist_check(b) == 0;
		ok &= swapctl_blist_alloc(b, 1, 1, &s, &l) == -ENOSPC;
		/* the last block */
		ok &= swapctl_blist_free(b, n - 1, 1) == 0;
		ok &= swapctl_blist_alloc(b, 1, 5, &s, &l) == 0 && s == n - 1 && l == 1;
		ok &= swapctl_blist_free(b, 0, n) == 0 && swapctl_blist_avail(b) == n;
		ok &= swapctl_blist_free(b, n - 1, 1) == -EINVAL;
		ok &= swapctl_blist_check(b) == 0;
		swapctl_blist_destroy(b);
		/* full */
		ok &= swapctl_blist_create(n, false, &b) == 0;
		ok &= swapctl_blist_check(b) == 0 && swapctl_blist_avail(b) == 0;
		swapctl_blist_stats(b, &st);
		ok &= st.runs == 0 && st.largest == 0;
		ok &= swapctl_blist_alloc(b, 1, 1, &s, &l) == -ENOSPC;
		ok &= swapctl_blist_free(b, n - 1, 1) == 0;
		ok &= swapctl_blist_fill(b, 0, n, &f) == 0 && f == 1;
		ok &= swapctl_blist_free(b, 0, n) == 0 && swapctl_blist_avail(b) == n;
		ok &= swapctl_blist_check(b) == 0;
		swapctl_blist_destroy(b);
		if (!ok) {
			bad++;
			printf("# size %" PRIu64 " failed\n", n);
		}
	}
	CHECK(bad == 0, "empty and full maps of %zu sizes (1 .. 1000003): whole-map "
	      "alloc, last block, fill, free", ARRAY_SIZE(sizes));
}

/* A single free run placed across each boundary must be found exactly. */
static void test_boundaries(void)
{
	static const uint64_t spans[] = { 64, 512, 8192, 65536, 524288, 4194304 };
	const uint64_t n = (UINT64_C(1) << 23) + 4321;
	struct swapctl_blist *b;
	unsigned i, bad = 0, tried = 0;

	swapctl_blist_create(n, false, &b);
	for (i = 0; i < ARRAY_SIZE(spans); i++) {
		uint64_t k, a, c, s, l;

		for (k = spans[i]; k < n; k += spans[i] * 5 + spans[i] / 2 * (k & 1)) {
			for (a = 1; a <= 600; a = a * 3 + 1) {
				for (c = 1; c <= 600; c = c * 5 + 2) {
					uint64_t lo = k - (a < k ? a : k), len;

					if (k + c > n)
						continue;
					len = k + c - lo;
					tried++;
					if (swapctl_blist_free(b, lo, len) != 0) {
						bad++;
						continue;
					}
					/* too long fails at once; exact fits; flexible takes all */
					if (swapctl_blist_alloc(b, len + 1, len + 1, &s, &l) != -ENOSPC)
						bad++;
					if (swapctl_blist_alloc(b, len, len, &s, &l) != 0 ||
					    s != lo || l != len)
						bad++;
					swapctl_blist_free(b, lo, len);
					if (swapctl_blist_alloc(b, 1, UINT64_MAX, &s, &l) != 0 ||
					    s != lo || l != len)
						bad++;
				}
			}
			if (k > 8 * spans[i] && spans[i] < 65536)
				k += spans[i] * 97;     /* fewer probes on small spans */
		}
	}
	CHECK(bad == 0 && swapctl_blist_check(b) == 0 && swapctl_blist_avail(b) == 0,
	      "%u single runs across word/chunk/node boundaries found exactly", tried);
	swapctl_blist_destroy(b);
}

static void test_next_fit(void)
{
	struct swapctl_blist *b;
	uint64_t s, l, prev = 0, i;
	bool adjacent = true;

	swapctl_blist_create(100000, true, &b);
	for (i = 0; i < 1000; i++) {
		swapctl_blist_alloc(b, 1 + i % 32, 1 + i % 32, &s, &l);
		if (i && s != prev)
			adjacent = false;
		prev = s + l;
	}
	CHECK(adjacent, "consecutive allocations are adjacent");
	/* a hole behind the cursor is not taken while space remains ahead */
	swapctl_blist_free(b, 10, 5);
	swapctl_blist_alloc(b, 5, 5, &s, &l);
	CHECK(s == prev, "next fit: the cursor goes on past a hole behind it");
	/* at the end it wraps to the hole */
	swapctl_blist_fill(b, s + l, 100000 - s - l, NULL);
	swapctl_blist_alloc(b, 5, 5, &s, &l);
	CHECK(s == 10 && l == 5, "next fit wraps to block 0");
	swapctl_blist_destroy(b);
}

/*
 * A chunk's summary of runs inside its words (not touching a word's first
 * or last block), for every length a word can hold, at both ends of the
 * word and in words across the chunk, with a shorter decoy run: a run of
 * the length is found from another chunk through the summaries, one block
 * longer is not (an inner value too high is -EUCLEAN, too low -ENOSPC).
 * Built twice: by fill around the runs (the summaries rescanned from the
 * words) and by frees from a full map (updated incrementally, then
 * compared with a rescan by swapctl_blist_check).
 */
static void test_inner_runs(void)
{
	static const unsigned words[] = { 0, 3, 7 };
	const uint64_t n = 8 * 512, cs = 3 * 512;
	unsigned len, wi, side, how, bad = 0, runs = 0;

	for (len = 1; len <= 62; len++)
		for (wi = 0; wi < 3; wi++)
			for (side = 0; side < 2; side++)
				for (how = 0; how < 2; how++) {
					struct swapctl_blist *b;
					uint64_t w = words[wi], rs, ds = 0, s = NONE, l = 0;
					int r1, r2, rc;

					rs = cs + w * 64 + (side ? 63 - len : 1);
					/* the decoy, one shorter, in another word */
					if (len > 1)
						ds = cs + ((w + 4) & 7) * 64 + 1;
					if (how == 0) {
						swapctl_blist_create(n, true, &b);
						swapctl_blist_fill(b, 0, rs, NULL);
						swapctl_blist_fill(b, rs + len, n - rs - len, NULL);
						if (len > 1)
							swapctl_blist_free(b, ds, len - 1);
					} else {
						swapctl_blist_create(n, false, &b);
						swapctl_blist_free(b, rs, len);
						if (len > 1)
							swapctl_blist_free(b, ds, len - 1);
					}
					rc = swapctl_blist_check(b);
					r1 = swapctl_blist_alloc(b, len + 1, len + 1, &s, &l);
					r2 = swapctl_blist_alloc(b, len, len, &s, &l);
					runs++;
					if (rc != 0 || r1 != -ENOSPC || r2 != 0 || s != rs || l != len) {
						if (!bad)
							printf("# inner run %u at %" PRIu64 " (%s): check %d, "
							       "alloc %u: %d, alloc %u: %d at %" PRIu64 "\n",
							       len, rs, how ? "frees" : "fill", rc,
							       len + 1, r1, len, r2, s);
						bad++;
					}
					swapctl_blist_destroy(b);
				}
	CHECK(bad == 0, "runs inside words: %u of %u chunks summarized right", runs - bad, runs);
}

/* 2^32 + 1 blocks, both ways; the all-free one costs no memory up front. */
static void test_huge(void)
{
	const uint64_t n = (UINT64_C(1) << 32) + 1;
	struct swapctl_blist *b;
	struct swapctl_freestats st;
	uint64_t s, l, f;
	bool ok;

	ok = swapctl_blist_create(n, true, &b) == 0;
	CHECK(ok, "create 2^32+1 blocks, all free");
	if (!ok)
		return;
	ok = swapctl_blist_fill(b, n - 1, 1, &f) == 0 && f == 1;
	ok &= swapctl_blist_alloc(b, UINT64_C(1) << 32, UINT64_C(1) << 32, &s, &l) == 0 &&
	      s == 0 && l == UINT64_C(1) << 32;
	ok &= swapctl_blist_avail(b) == 0;
	ok &= swapctl_blist_free(b, n - 1, 1) == 0;
	ok &= swapctl_blist_alloc(b, 1, 1, &s, &l) == 0 && s == n - 1;
	CHECK(ok, "2^32+1: the last block, and one run of 2^32 blocks");
	ok = swapctl_blist_free(b, (UINT64_C(1) << 31) - 7, 100) == 0;
	ok &= swapctl_blist_free(b, (UINT64_C(1) << 32) - 3, 4) == 0;
	ok &= swapctl_blist_alloc(b, 4, 4, &s, &l) == 0 && s == (UINT64_C(1) << 31) - 7;
	ok &= swapctl_blist_alloc(b, 97, 97, &s, &l) == -ENOSPC;
	ok &= swapctl_blist_alloc(b, 96, 96, &s, &l) == 0 && s == (UINT64_C(1) << 31) - 3;
	ok &= swapctl_blist_alloc(b, 4, 4, &s, &l) == 0 && s == (UINT64_C(1) << 32) - 3;
	CHECK(ok, "2^32+1: runs past 2^31 and 2^32 found exactly");
	ok = swapctl_blist_free(b, 1, UINT64_C(1) << 32) == 0;
	swapctl_blist_stats(b, &st);
	CHECK(ok && st.runs == 1 && st.largest == UINT64_C(1) << 32 &&
	      st.free == UINT64_C(1) << 32, "2^32+1: a free run of 2^32 blocks in stats");
	CHECK(swapctl_blist_check(b) == 0, "2^32+1 all-free map is consistent");
	ok = swapctl_blist_resize(b, n + 1000, true) == 0;
	swapctl_blist_stats(b, &st);
	CHECK(ok && swapctl_blist_avail(b) == (UINT64_C(1) << 32) + 1000 && st.runs == 1 &&
	      st.largest == (UINT64_C(1) << 32) + 1000 && swapctl_blist_check(b) == 0,
	      "2^32+1 grows by 1000 free blocks: they join the run before them");
	ok = swapctl_blist_resize(b, 70000, true) == 0;
	swapctl_blist_stats(b, &st);
	CHECK(ok && swapctl_blist_avail(b) == 69999 && st.runs == 1 && st.largest == 69999 &&
	      swapctl_blist_check(b) == 0, "then shrinks to 70000 blocks");
	swapctl_blist_destroy(b);

	ok = swapctl_blist_create(n, false, &b) == 0;
	ok &= swapctl_blist_free(b, n - 1, 1) == 0;
	ok &= swapctl_blist_alloc(b, 1, 1, &s, &l) == 0 && s == n - 1;
	ok &= swapctl_blist_check(b) == 0;
	CHECK(ok, "2^32+1 blocks all allocated: the last block");
	swapctl_blist_destroy(b);
}

/*
 * 2^40 and 2^44 + 3 blocks: created all free they cost memory only where
 * blocks are allocated, so they are used sparsely here.
 */
/* A field of /proc/self/smaps_rollup in KiB, or -1. */
static long rollup_kb(const char *key)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];
	size_t n = strlen(key);
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, n) == 0 && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* Is Linux's transparent huge page mode "always" or "madvise"? */
static bool thp_on(void)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	char line[128] = "";
	bool on;

	if (!f)
		return false;
	on = fgets(line, sizeof(line), f) &&
	     (strstr(line, "[always]") || strstr(line, "[madvise]"));
	fclose(f);
	return on;
}

/*
 * A map of at most 64 MiB gets huge pages for its 2 MiB bitmap; a sparse
 * map of 2^40 blocks does not (test_sparse checks what it touches).
 */
static void test_huge_pages(void)
{
	const uint64_t n = UINT64_C(1) << 24;  /* a 2 MiB bitmap */
	struct swapctl_blist *b;
	long before, after;
	uint64_t f;

	if (!thp_on() || rollup_kb("AnonHugePages") < 0) {
		printf("skip - huge pages for a 2^24-block map # no transparent huge pages "
		       "(THP off or no smaps_rollup)\n");
		return;
	}
	if (swapctl_blist_create(n, true, &b) != 0) {
		CHECK(false, "create 2^24 blocks");
		return;
	}
	before = rollup_kb("AnonHugePages");
	swapctl_blist_fill(b, 0, n, &f);
	after = rollup_kb("AnonHugePages");
	CHECK(f == n && after - before >= 2048,
	      "2^24-block map: its bitmap is on a huge page (%ld KiB more in huge pages)",
	      after - before);
	swapctl_blist_destroy(b);
}

static void test_sparse(void)
{
	static const uint64_t sizes[] = { UINT64_C(1) << 40, (UINT64_C(1) << 44) + 3 };
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint64_t n = sizes[i], s, l, f, j, last = 0, top = n - 1 - (n / 2 + 1);
		long rss0, rss1;
		const uint64_t g = UINT64_C(1) << 32;
		struct swapctl_blist *b;
		struct swapctl_freestats st;
		bool ok;

		rss0 = rollup_kb("Rss");
		if (swapctl_blist_create(n, true, &b) != 0) {
			printf("skip - %" PRIu64 " blocks # no address space for it\n", n);
			continue;
		}
		ok = swapctl_blist_alloc(b, 1000, 1000, &s, &l) == 0 && s == 0;
		ok &= swapctl_blist_fill(b, n - 1, 1, &f) == 0 && f == 1;
		ok &= swapctl_blist_fill(b, n / 2, 1, &f) == 0 && f == 1;
		/* two runs longer than 2^32: too long fails, the rest is seen */
		ok &= swapctl_blist_alloc(b, top + 1, top + 1, &s, &l) == -ENOSPC;
		swapctl_blist_stats(b, &st);
		ok &= st.runs == 2 && st.largest == top && st.free == n - 1002;
		ok &= swapctl_blist_next_free(b, 5000, &s, &l) == 0 && s == 5000 &&
		      l == n / 2 - 5000;
		/* a short run across 2^32 */
		ok &= swapctl_blist_fill(b, g - 100, 200, &f) == 0 && f == 200;
		ok &= swapctl_blist_free(b, g - 6, 10) == 0;
		ok &= swapctl_blist_next_free(b, g - 100, &s, &l) == 0 && s == g - 6 && l == 10;
		ok &= swapctl_blist_fill(b, g - 100, 200, &f) == 0 && f == 10;
		ok &= swapctl_blist_free(b, g - 100, 200) == 0;
		/* scattered single blocks far apart in the upper half */
		for (j = 0; j < 2000 && ok; j++) {
			uint64_t x = n / 2 + 1 + rnd_in(0, top - 1);

			if (swapctl_blist_fill(b, x, 1, &f) != 0 || f != 1) {
				ok = false;
				break;
			}
			last = x;
		}
		swapctl_blist_stats(b, &st);
		ok &= st.free == swapctl_blist_avail(b) && st.runs > 1900 && st.runs <= 2002;
		ok &= swapctl_blist_free(b, last, 1) == 0;
		ok &= swapctl_blist_free(b, last, 1) == -EINVAL;
		ok &= swapctl_blist_free(b, n - 1, 1) == 0;
		ok &= swapctl_blist_next_free(b, n - 1, &s, &l) == 0 && s == n - 1 && l == 1;
		CHECK(ok, "%" PRIu64 " blocks, sparse: runs past 2^32 and 2^40, stats (%" PRIu64
		      " runs), %zu MiB of address space", n, st.runs,
		      swapctl_blist_memory(b) >> 20);
		/* 2000 scattered blocks: a few small pages per level each, not
		 * huge pages (2000 of them would be 4 GiB) */
		rss1 = rollup_kb("Rss");
		CHECK(rss0 < 0 || rss1 - rss0 < 256 * 1024,
		      "%" PRIu64 " blocks, sparse: %ld MiB of memory touched", n,
		      (rss1 - rss0) >> 10);
		swapctl_blist_destroy(b);
	}
}

/* ------------------------------------------------------------ differential */

struct live {
	uint64_t s, n;
};

struct run_cfg {
	uint64_t n;
	unsigned target;                /* percent full */
	unsigned long ops;
	bool all_free;
	bool resize;
};

static uint64_t pick_size(uint64_t n)
{
	uint64_t r = rnd() % 100;

	if (r < 70)
		return rnd_in(1, 32);
	if (r < 90)
		return rnd_in(33, 600);
	if (r < 98)
		return rnd_in(1, 4);
	return rnd_in(1, n / 3 + 1);
}

static bool random_run(const struct run_cfg *cfg, unsigned long *nops)
{
	struct swapctl_blist *b;
	struct model m;
	struct live *live;
	size_t nlive = 0, cap = 1024;
	unsigned long op;
	uint64_t n = cfg->n;
	bool ok = true;

	live = malloc(cap * sizeof(*live));
	swapctl_blist_create(n, cfg->all_free, &b);
	m_init(&m, n, cfg->all_free);
	if (!cfg->all_free) {
		swapctl_blist_free(b, 1, n - 1);
		m_set(&m, 1, n - 1, false);
	}
	for (op = 0; op < cfg->ops && ok; op++) {
		uint64_t full = (m.n - m.avail) * 100 / m.n, r = rnd() % 1000;
		uint64_t s1 = 0, l1 = 0, s2 = 0, l2 = 0;
		int e1, e2;

		if (r < 8) {
			/* fill a random range: its free blocks become a live record */
			uint64_t s = rnd_in(0, m.n - 1), k = rnd_in(1, 300), f, i, c;

			if (k > m.n - s)
				k = m.n - s;
			c = 0;
			for (i = s; i < s + k; i++)
				c += m_isfree(&m, i);
			e1 = swapctl_blist_fill(b, s, k, &f);
			if (e1 || f != c) {
				snprintf(why, sizeof(why), "fill %" PRIu64 "+%" PRIu64 ": %d, %" PRIu64
					 " free, model %" PRIu64, s, k, e1, f, c);
				ok = false;
				break;
			}
			for (i = s; i < s + k; i++) {
				if (!m_isfree(&m, i))
					continue;
				if (nlive && live[nlive - 1].s + live[nlive - 1].n == i &&
				    live[nlive - 1].s >= s) {
					live[nlive - 1].n++;
				} else {
					if (nlive == cap)
						live = realloc(live, (cap *= 2) * sizeof(*live));
					live[nlive].s = i;
					live[nlive++].n = 1;
				}
				m_set(&m, i, 1, true);
			}
		} else if (r < 16) {
			/* double free and out of range: refused, nothing changes */
			uint64_t x = rnd_in(0, m.n - 1), k = rnd_in(1, 40);

			if (m_isfree(&m, x)) {
				uint64_t s = x >= k / 2 ? x - k / 2 : 0;

				if (k > m.n - s)
					k = m.n - s;
				if (swapctl_blist_free(b, s, k) != -EINVAL) {
					snprintf(why, sizeof(why), "double free accepted");
					ok = false;
				}
			}
			if (swapctl_blist_free(b, m.n - k / 2 - 1, k + 1) != -ERANGE ||
			    swapctl_blist_fill(b, m.n, 1, NULL) != -ERANGE) {
				snprintf(why, sizeof(why), "out of range accepted");
				ok = false;
			}
			if (swapctl_blist_avail(b) != m.avail) {
				snprintf(why, sizeof(why), "a refused call changed avail");
				ok = false;
			}
		} else if (cfg->resize && r < 18) {
			/* grow or shrink by a little; drop what falls off */
			uint64_t nn = m.n + rnd_in(0, 2000), i, j = 0;
			bool nf = rnd() & 1;

			if (rnd() & 1)
				nn = m.n > 3000 ? m.n - rnd_in(1, 2000) : m.n + 1;
			if (nn > cfg->n * 2 || nn < cfg->n / 2)
				nn = cfg->n;
			e1 = swapctl_blist_resize(b, nn, nf);
			m_resize(&m, nn, nf);
			if (e1) {
				snprintf(why, sizeof(why), "resize %" PRIu64 ": %d", nn, e1);
				ok = false;
			}
			for (i = 0; i < nlive; i++) {
				if (live[i].s >= nn)
					continue;
				live[j] = live[i];
				if (live[j].s + live[j].n > nn)
					live[j].n = nn - live[j].s;
				j++;
			}
			nlive = j;
		} else if (full < cfg->target || nlive == 0) {
			uint64_t count = pick_size(m.n), maxcount = count;

			if (rnd() % 4 == 0) {       /* flexible */
				maxcount = count + rnd_in(0, 64);
				count = rnd_in(1, count);
			}
			e1 = swapctl_blist_alloc(b, count, maxcount, &s1, &l1);
			e2 = m_alloc(&m, count, maxcount, &s2, &l2);
			if (e1 != e2 || (e1 == 0 && (s1 != s2 || l1 != l2))) {
				snprintf(why, sizeof(why), "alloc(%" PRIu64 ", %" PRIu64 "): %d %" PRIu64
					 "+%" PRIu64 ", model %d %" PRIu64 "+%" PRIu64,
					 count, maxcount, e1, s1, l1, e2, s2, l2);
				ok = false;
				break;
			}
			if (e1 == 0) {
				if (nlive == cap)
					live = realloc(live, (cap *= 2) * sizeof(*live));
				live[nlive].s = s1;
				live[nlive++].n = l1;
			}
		} else {
			/* a random victim, whole or a piece of it */
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
			e1 = swapctl_blist_free(b, s, k);
			m_set(&m, s, k, false);
			if (e1) {
				snprintf(why, sizeof(why), "free %" PRIu64 "+%" PRIu64 ": %d", s, k, e1);
				ok = false;
			}
		}
		if (ok && (op % 1000 == 999 || op + 1 == cfg->ops))
			ok = agree(b, &m);
	}
	if (!ok) {
		printf("# N=%" PRIu64 " target %u%%: op %lu: %s\n", n, cfg->target, op, why);
		if (n <= 100000)
			swapctl_blist_dump(b, stdout);
	}
	*nops = op;
	swapctl_blist_destroy(b);
	free(m.w);
	free(live);
	return ok;
}

static void test_random(void)
{
	static const uint64_t sizes[] = { 1000, 8191, 65613, 300000 };
	static const unsigned targets[] = { 50, 90, 99 };
	unsigned long total = 0;
	unsigned i, j;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		for (j = 0; j < ARRAY_SIZE(targets); j++) {
			struct run_cfg cfg = {
				.n = sizes[i], .target = targets[j],
				.ops = scale(sizes[i] < 10000 ? 150000 : 250000),
				.all_free = (i + j) & 1, .resize = (i + j) % 3 == 0,
			};
			unsigned long done;
			bool ok;

			rng_state = 1000 * i + j + 1;
			ok = random_run(&cfg, &done);
			total += done;
			CHECK(ok, "random vs model: %" PRIu64 " blocks, %u%% full, %lu ops%s",
			      cfg.n, cfg.target, done, cfg.resize ? ", with resizes" : "");
		}
	}
	printf("# %lu random operations in all\n", total);
}

int main(void)
{
	rng_state = 42;
	test_args();
	test_sizes();
	test_boundaries();
	test_next_fit();
	test_inner_runs();
	test_random();
	test_huge();
	test_sparse();
	test_huge_pages();
	TAP_EXIT();
}
