/*
 * Which active area a swap type is.  pagemap names an area by its type (the
 * kernel's swap_info index); /proc/swaps lists the areas in type order but
 * not the types, and an area swapped off leaves its type free until the
 * next swapon takes the lowest free one, so the list can skip numbers.
 *
 * What is certain: the types of the listed areas increase along the list,
 * and area i has a type >= i.  A type seen with offsets up to O and D
 * distinct slots can only be an area of more than O - 1 usable pages
 * holding at least D pages (Used, read before and after the walk).  Every
 * order-preserving placement of the seen types that meets these is counted
 * (dynamic programming, forwards and backwards): a type that has one
 * possible area in all of them is placed exactly.  When several remain,
 * the placement that best explains the Used figures (least squared
 * difference between Used and pages seen, per area; then fewest skipped
 * numbers) is chosen and said to be inferred.
 */
#include <errno.h>
#include <string.h>
#include "internal.h"

struct score {
	double cost;    /* sum of (used - seen)^2 - used^2 over the areas placed */
	long gaps;      /* sum of (type - area index): numbers skipped */
	bool ok;
};

static bool better(const struct score *a, const struct score *b)
{
	if (!b->ok)
		return a->ok;
	if (!a->ok)
		return false;
	if (a->cost != b->cost)
		return a->cost < b->cost;
	return a->gaps < b->gaps;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Can seen type j be area i (offsets fit, and the pages when use_used)? */
static bool fits(const struct swaptype_area *a, const struct swaptype_seen *s, bool use_used)
{
	if (s->maxoff > a->pages)
		return false;
	return !use_used || s->distinct <= a->used;
}

static int infer(const struct swaptype_area *a, size_t n, const struct swaptype_seen *s, size_t k,
		 bool use_used, struct swaptype_result *r)
{
	uint64_t f[SWAPTYPE_MAX][SWAPTYPE_MAX], g[SWAPTYPE_MAX][SWAPTYPE_MAX];
	struct score best[SWAPTYPE_MAX][SWAPTYPE_MAX];
	int from[SWAPTYPE_MAX][SWAPTYPE_MAX];
	size_t i, j, p;
	int at;
	struct score top = { 0, 0, false };

	memset(f, 0, sizeof(f));
	memset(g, 0, sizeof(g));
	/* forwards: ways to place types 0..j with type j on area i */
	for (j = 0; j < k; j++) {
		for (i = 0; i < n; i++) {
			best[j][i].ok = false;
			from[j][i] = -1;
			if (i > s[j].type || !fits(&a[i], &s[j], use_used))
				continue;
			{
				double u = (double)a[i].used, d = (double)s[j].distinct;
				double c = (u - d) * (u - d) - u * u;
				long gap = (long)s[j].type - (long)i;

				if (j == 0) {
					f[j][i] = 1;
					best[j][i] = (struct score){ c, gap, true };
					continue;
				}
				for (p = 0; p < i; p++) {
					struct score cand;

					/* between them, i - p - 1 areas need types of their own */
					if (!f[j - 1][p] || s[j].type - s[j - 1].type < i - p)
						continue;
					f[j][i] = sat_add(f[j][i], f[j - 1][p]);
					cand = best[j - 1][p];
					cand.cost += c;
					cand.gaps += gap;
					if (better(&cand, &best[j][i])) {
						best[j][i] = cand;
						from[j][i] = (int)p;
					}
				}
			}
		}
	}
	/* backwards: ways to place types j..k-1 with type j on area i */
	for (j = k; j-- > 0;) {
		for (i = 0; i < n; i++) {
			if (!fits(&a[i], &s[j], use_used) || i > s[j].type)
				continue;
			if (j == k - 1) {
				g[j][i] = 1;
				continue;
			}
			for (p = i + 1; p < n; p++)
				if (g[j + 1][p] && s[j + 1].type - s[j].type >= p - i)
					g[j][i] = sat_add(g[j][i], g[j + 1][p]);
		}
	}
	at = -1;
	for (i = 0; i < n; i++)
		if (best[k - 1][i].ok && better(&best[k - 1][i], &top)) {
			top = best[k - 1][i];
			at = (int)i;
		}
	if (at < 0)
		return -ESRCH;
	r->placements = 0;
	for (i = 0; i < n; i++)
		r->placements = sat_add(r->placements, f[k - 1][i]);
	for (j = k; j-- > 0;) {
		size_t npos = 0;

		r->area[j] = at;
		for (i = 0; i < n; i++)
			if (f[j][i] && g[j][i]) {
				npos++;
				r->maybe[j] |= 1u << i;
			}
		r->exact[j] = npos == 1;
		at = from[j][at];
	}
	return 0;
}

int swaptype_infer(const struct swaptype_area *a, size_t n, const struct swaptype_seen *s, size_t k,
		   struct swaptype_result *r)
{
	size_t j;
	int rc;

	memset(r, 0, sizeof(*r));
	for (j = 0; j < SWAPTYPE_MAX; j++)
		r->area[j] = -1;
	if (n > SWAPTYPE_MAX || k > SWAPTYPE_MAX)
		return -EINVAL;
	for (j = 1; j < k; j++)
		if (s[j].type <= s[j - 1].type)
			return -EINVAL;
	if (k == 0)
		return 0;
	rc = infer(a, n, s, k, true, r);
	if (rc == -ESRCH) {
		/* pages moved while we looked: the offsets alone still decide */
		memset(r->maybe, 0, sizeof(r->maybe));
		rc = infer(a, n, s, k, false, r);
		r->used_ignored = rc == 0;
	}
	if (rc < 0) {
		for (j = 0; j < SWAPTYPE_MAX; j++)
			r->area[j] = -1;
		memset(r->maybe, 0, sizeof(r->maybe));
	}
	return rc;
}
