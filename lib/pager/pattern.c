/*
 * Page patterns and the random numbers they are made of: what the area
 * backend writes in a page and checks on reading it back (and what
 * swapctl -V --scan writes and checks), and the generator the workloads
 * and error injection draw from.  Deterministic: the same seed, the same
 * numbers.
 */
#include <errno.h>
#include "pager.h"

uint64_t engine_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);    /* splitmix64 */

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ------------------------------------------------------- page patterns */

struct pattern_head {
	uint64_t magic;
	uint64_t obj, idx, gen, slot;
	uint64_t sum;           /* of the fill words */
};
#define PATTERN_MAGIC 0x5357504750414745ull    /* "SWPGPAGE" */

void engine_fill_page(void *page, unsigned pagesize, uint64_t objnum, uint64_t idx,
		      uint32_t gen, uint32_t slot)
{
	struct pattern_head *h = page;
	uint64_t *w = page, st = objnum * 0x100000001b3ull ^ idx << 20 ^ gen, sum = 0;
	size_t i, n = pagesize / 8;

	for (i = sizeof(*h) / 8; i < n; i++) {
		w[i] = engine_rand(&st);
		sum += w[i];
	}
	h->magic = PATTERN_MAGIC;
	h->obj = objnum;
	h->idx = idx;
	h->gen = gen;
	h->slot = slot;
	h->sum = sum;
}

int engine_check_page(const void *page, unsigned pagesize, uint64_t objnum, uint64_t idx,
		      uint32_t gen, uint32_t slot)
{
	const struct pattern_head *h = page;
	const uint64_t *w = page;
	uint64_t st = objnum * 0x100000001b3ull ^ idx << 20 ^ gen, sum = 0;
	size_t i, n = pagesize / 8;

	if (h->magic != PATTERN_MAGIC || h->obj != objnum || h->idx != idx || h->gen != gen ||
	    h->slot != slot)
		return -EILSEQ;
	for (i = sizeof(*h) / 8; i < n; i++) {
		if (w[i] != engine_rand(&st))
			return -EILSEQ;
		sum += w[i];
	}
	return sum == h->sum ? 0 : -EILSEQ;
}
