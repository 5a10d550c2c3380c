/*
 * extent.c: allocated regions of a range [start, end], after NetBSD's
 * extent(9), with the free gaps indexed so no operation scans all regions.
 *
 * Design note
 * -----------
 * Layout.  Each allocated region is a node holding its first and last
 * value and the size of the free gap after it.  Nodes sit in two indexes:
 *
 *   - an AVL tree ordered by address; every node also keeps the largest
 *     gap of its subtree, which finds the lowest fitting gap (first fit)
 *     and the region containing a value (free, alloc_region);
 *   - a gap index for best fit: gaps of 1 .. BINS-1 values in one list per
 *     exact size with a bitmap of the non-empty lists, larger gaps in a
 *     second AVL tree ordered by (size, address).  Gaps of size 0 (touching
 *     regions, only without coalescing) are in neither.
 *
 * The gap before the first region belongs to a head node that is not in
 * the address tree; the last region's gap runs to the end.  Values are
 * kept as offsets from start plus one, so the head node ends at 0 and no
 * arithmetic wraps.
 *
 * Invariants.  Regions are disjoint and ordered; each gap is the distance
 * to the next region; subtree maxima are exact; a node is in the bin or
 * tree its gap size selects; with coalescing, no two regions touch; avail
 * is the sum of the gaps.  swapctl_extent_check() verifies all of it.
 *
 * Cost, R = number of regions:
 *   alloc         best fit O(1) from the bins, O(log R) from the tree;
 *                 first fit O(log R); then O(log R) to update the indexes.
 *                 Aligned or boundary-limited requests look at up to
 *                 CAND_MAX gaps that may not fit, then take the first gap
 *                 certain to fit; only when there is none do they try every
 *                 gap (O(R), the price of never failing when something fits).
 *   alloc_region  O(log R)
 *   free          O(log R); splitting a region allocates one node, which
 *                 is done before anything changes, so ENOMEM leaves the
 *                 extent as it was
 *   stats         O(R)
 * Memory: one node (about 100 bytes) per region, and spare nodes kept
 * for reuse, at most SPARE_MAX or a quarter of the regions.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define BINS            256             /* gaps below this have exact bins */
#define CAND_MAX        64              /* candidates tried before certain ones */
#define SPARE_MAX       64
#define NONE            UINT64_MAX

/* ------------------------------------------------------------ AVL */

struct avl {
	struct avl *l, *r, *p;
	int h;
};

struct avl_tree {
	struct avl *root;
	bool addr;                      /* the address tree: keep subtree max gaps */
};

static bool at_aug(struct avl *n);

static inline int avl_h(const struct avl *n)
{
	return n ? n->h : 0;
}

/* Recompute n's height and aggregate; false when neither changed. */
static inline bool avl_fix(struct avl_tree *t, struct avl *n)
{
	int a = avl_h(n->l), b = avl_h(n->r), h = 1 + (a > b ? a : b);
	bool changed = h != n->h;

	n->h = h;
	if (t->addr && at_aug(n))
		changed = true;
	return changed;
}

static inline void avl_replace(struct avl_tree *t, struct avl *p, struct avl *old,
			       struct avl *new)
{
	if (!p)
		t->root = new;
	else if (p->l == old)
		p->l = new;
	else
		p->r = new;
}

/* Rotate x's right child above it; returns the new subtree root. */
static struct avl *avl_rot_left(struct avl_tree *t, struct avl *x)
{
	struct avl *y = x->r;

	x->r = y->l;
	if (y->l)
		y->l->p = x;
	y->p = x->p;
	avl_replace(t, x->p, x, y);
	y->l = x;
	x->p = y;
	avl_fix(t, x);
	avl_fix(t, y);
	return y;
}

static struct avl *avl_rot_right(struct avl_tree *t, struct avl *x)
{
	struct avl *y = x->l;

	x->l = y->r;
	if (y->r)
		y->r->p = x;
	y->p = x->p;
	avl_replace(t, x->p, x, y);
	y->r = x;
	x->p = y;
	avl_fix(t, x);
	avl_fix(t, y);
	return y;
}

/*
 * Restore heights, balance and aggregates from n up, stopping at the first
 * node where nothing changed (nothing above depends on anything else).
 */
static void avl_rebalance(struct avl_tree *t, struct avl *n)
{
	while (n) {
		int bal = avl_h(n->l) - avl_h(n->r);

		if (bal > 1) {
			if (avl_h(n->l->l) < avl_h(n->l->r))
				avl_rot_left(t, n->l);
			n = avl_rot_right(t, n);
		} else if (bal < -1) {
			if (avl_h(n->r->r) < avl_h(n->r->l))
				avl_rot_right(t, n->r);
			n = avl_rot_left(t, n);
		} else if (!avl_fix(t, n)) {
			return;
		}
		n = n->p;
	}
}

static struct avl *avl_first(struct avl *n)
{
	if (n)
		while (n->l)
			n = n->l;
	return n;
}

static struct avl *avl_next(struct avl *n)
{
	if (n->r)
		return avl_first(n->r);
	while (n->p && n->p->r == n)
		n = n->p;
	return n->p;
}

static struct avl *avl_prev(struct avl *n)
{
	if (n->l) {
		n = n->l;
		while (n->r)
			n = n->r;
		return n;
	}
	while (n->p && n->p->l == n)
		n = n->p;
	return n->p;
}

/* Link n as the in-order successor of p (p NULL: as the first node). */
static void avl_insert_after(struct avl_tree *t, struct avl *p, struct avl *n)
{
	n->l = n->r = NULL;
	n->h = 1;
	if (!p) {
		p = avl_first(t->root);
		if (!p) {
			n->p = NULL;
			t->root = n;
			avl_fix(t, n);
			return;
		}
		p->l = n;
	} else if (!p->r) {
		p->r = n;
	} else {
		p = avl_first(p->r);
		p->l = n;
	}
	n->p = p;
	avl_fix(t, n);
	avl_rebalance(t, p);
}

static void avl_remove(struct avl_tree *t, struct avl *n)
{
	struct avl *c, *p, *moved = NULL;

	if (n->l && n->r) {
		/* trade places with the successor, which has no left child */
		struct avl *s = avl_first(n->r), *np = n->p, *sp = s->p, *sr = s->r;
		int h = n->h;

		avl_replace(t, np, n, s);
		s->p = np;
		s->l = n->l;
		s->l->p = s;
		n->h = s->h;
		s->h = h;
		if (sp == n) {
			s->r = n;
			n->p = s;
		} else {
			s->r = n->r;
			s->r->p = s;
			sp->l = n;
			n->p = sp;
		}
		n->l = NULL;
		n->r = sr;
		if (sr)
			sr->p = n;
		moved = s;
	}
	c = n->l ? n->l : n->r;
	p = n->p;
	avl_replace(t, p, n, c);
	if (c)
		c->p = p;
	avl_rebalance(t, p);
	/* the successor took new children: its aggregate may be stale even
	 * where the walk from below stopped */
	if (moved)
		avl_rebalance(t, moved);
}

/* ------------------------------------------------------------ regions */

struct region {
	struct avl a;                   /* address tree */
	uint64_t s, e;                  /* first and last value (offsets + 1) */
	uint64_t gap;                   /* free values after e */
	uint64_t maxgap;                /* largest gap in the address subtree */
	union {
		struct {                /* gap in 1 .. BINS-1: its bin */
			struct region *next, *prev;
		} bin;
		struct avl g;           /* gap >= BINS: the big-gap tree */
	} x;
};                                      /* searches read only the first 48 bytes */

#define REG(p, field) ((struct region *)((char *)(p) - offsetof(struct region, field)))

struct swapctl_extent {
	uint64_t start, end;            /* as given */
	uint64_t size;                  /* end - start + 1; offsets run 1 .. size */
	unsigned flags;
	struct avl_tree at;             /* regions by address */
	struct avl_tree gt;             /* gaps >= BINS by (size, address) */
	struct region head;             /* e = 0; its gap is the first gap */
	struct region *bins[BINS];
	uint64_t binmap[BINS / 64];
	uint64_t avail;
	uint64_t nregions;
	struct region *spare;           /* free nodes, linked by x.bin.next */
	unsigned nspare;
};

static bool at_aug(struct avl *n)
{
	struct region *r = REG(n, a);
	uint64_t m = r->gap;

	if (n->l && REG(n->l, a)->maxgap > m)
		m = REG(n->l, a)->maxgap;
	if (n->r && REG(n->r, a)->maxgap > m)
		m = REG(n->r, a)->maxgap;
	if (r->maxgap == m)
		return false;
	r->maxgap = m;
	return true;
}

/* The aggregate after r's gap changed, up to where it stops changing. */
static void at_fix_up(struct region *r)
{
	struct avl *n = &r->a;

	if (n->p == NULL && r->a.h == 0)
		return;                         /* the head node */
	for (; n; n = n->p)
		if (!at_aug(n))
			break;
}

static struct region *next_region(const struct swapctl_extent *ex, const struct region *r)
{
	struct avl *n = r == &ex->head ? avl_first(ex->at.root) : avl_next((struct avl *)&r->a);

	return n ? REG(n, a) : NULL;
}

static struct region *prev_region(struct swapctl_extent *ex, struct region *r)
{
	struct avl *n = avl_prev(&r->a);

	return n ? REG(n, a) : &ex->head;
}

/*
 * The region with the largest start <= x, else the head node.  The child is
 * picked by index, not by a branch: the comparisons are random, and
 * mispredicting one per level costs more than the walk.
 */
static struct region *find_le(const struct swapctl_extent *ex, uint64_t x)
{
	struct avl *n = ex->at.root, *best = NULL;

	while (n) {
		struct avl *kid[2] = { n->l, n->r };
		bool ge = REG(n, a)->s <= x;

		best = ge ? n : best;
		n = kid[ge];
	}
	return best ? REG(best, a) : (struct region *)&ex->head;
}

/* ------------------------------------------------------------ gap index */

static int gt_cmp(const struct region *a, const struct region *b)
{
	if (a->gap != b->gap)
		return a->gap < b->gap ? -1 : 1;
	return a->s < b->s ? -1 : a->s > b->s;
}

static void gap_insert(struct swapctl_extent *ex, struct region *r)
{
	if (r->gap == 0)
		return;
	if (r->gap < BINS) {
		unsigned b = (unsigned)r->gap;

		r->x.bin.prev = NULL;
		r->x.bin.next = ex->bins[b];
		if (ex->bins[b])
			ex->bins[b]->x.bin.prev = r;
		ex->bins[b] = r;
		ex->binmap[b / 64] |= UINT64_C(1) << (b % 64);
	} else {
		struct avl **link = &ex->gt.root, *parent = NULL;

		while (*link) {
			parent = *link;
			link = gt_cmp(r, REG(parent, x.g)) < 0 ? &parent->l : &parent->r;
		}
		r->x.g.l = r->x.g.r = NULL;
		r->x.g.p = parent;
		r->x.g.h = 1;
		*link = &r->x.g;
		avl_rebalance(&ex->gt, parent);
	}
}

static void gap_remove(struct swapctl_extent *ex, struct region *r)
{
	if (r->gap == 0)
		return;
	if (r->gap < BINS) {
		unsigned b = (unsigned)r->gap;

		if (r->x.bin.prev)
			r->x.bin.prev->x.bin.next = r->x.bin.next;
		else
			ex->bins[b] = r->x.bin.next;
		if (r->x.bin.next)
			r->x.bin.next->x.bin.prev = r->x.bin.prev;
		if (!ex->bins[b])
			ex->binmap[b / 64] &= ~(UINT64_C(1) << (b % 64));
	} else {
		avl_remove(&ex->gt, &r->x.g);
	}
}

/* Change r's gap, keeping both indexes right. */
static void set_gap(struct swapctl_extent *ex, struct region *r, uint64_t gap)
{
	if (r->gap == gap)
		return;
	gap_remove(ex, r);
	r->gap = gap;
	gap_insert(ex, r);
	at_fix_up(r);
}

/* ------------------------------------------------------------ nodes */

/* Where new nodes come from; tests replace it to make allocations fail
 * (extent_set_node_alloc in internal.h), under sanitizers too. */
static void *(*node_alloc)(size_t) = malloc;

void extent_set_node_alloc(void *(*fn)(size_t))
{
	node_alloc = fn ? fn : malloc;
}

static struct region *node_get(struct swapctl_extent *ex)
{
	struct region *r = ex->spare;

	if (r) {
		ex->spare = r->x.bin.next;
		ex->nspare--;
		return r;
	}
	return node_alloc(sizeof(*r));
}

/* Spare nodes are kept up to a quarter of the regions (at least
 * SPARE_MAX): memory stays proportional to the regions, and a burst of
 * frees after a burst of merges does not go back to malloc. */
static void node_put(struct swapctl_extent *ex, struct region *r)
{
	if (ex->nspare < SPARE_MAX || ex->nspare < ex->nregions / 4) {
		r->x.bin.next = ex->spare;
		ex->spare = r;
		ex->nspare++;
		return;
	}
	free(r);
}

/* ------------------------------------------------------------ placement */

static inline bool pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

/*
 * Where [size] values fit in the gap after r, aligned and not crossing a
 * multiple of boundary: the lowest such offset, or NONE.  Alignment and
 * boundaries are on the caller's values, not on offsets.
 */
static uint64_t fit(const struct swapctl_extent *ex, const struct region *r,
		    uint64_t size, uint64_t align, uint64_t boundary)
{
	uint64_t base = ex->start - 1;  /* value = offset + base */
	uint64_t lo = r->e + 1 + base, hi = r->e + r->gap + base, a;

	if (r->gap < size)
		return NONE;
	a = lo;
	if (align > 1) {
		a = (lo + align - 1) & ~(align - 1);
		if (a < lo)
			return NONE;            /* wrapped */
	}
	if (boundary && (a & ~(boundary - 1)) != ((a + size - 1) & ~(boundary - 1))) {
		uint64_t b = (a | (boundary - 1)) + 1;

		if (b < a)
			return NONE;
		a = b;
		if (align > 1) {
			a = (b + align - 1) & ~(align - 1);
			if (a < b)
				return NONE;
		}
	}
	if (a > hi || hi - a < size - 1)
		return NONE;
	return a - base;
}

/* The gap size that fits any placement of such a request. */
static uint64_t sure_size(uint64_t size, uint64_t align, uint64_t boundary)
{
	uint64_t n = size, pad = align > 1 ? align - 1 : 0;

	if (boundary)
		pad += (boundary > size ? size : boundary) - 1 + (align > 1 ? align - 1 : 0);
	return n + pad < n ? UINT64_MAX : n + pad;
}

/* Smallest non-empty bin >= b, or BINS. */
static unsigned bin_from(const struct swapctl_extent *ex, unsigned b)
{
	unsigned w = b / 64;
	uint64_t m;

	if (b >= BINS)
		return BINS;
	m = ex->binmap[w] & (~UINT64_C(0) << (b % 64));
	for (;;) {
		if (m)
			return w * 64 + (unsigned)__builtin_ctzll(m);
		if (++w == BINS / 64)
			return BINS;
		m = ex->binmap[w];
	}
}

/* First node of the big-gap tree with gap >= size. */
static struct avl *gt_lower(const struct swapctl_extent *ex, uint64_t size)
{
	struct avl *n = ex->gt.root, *best = NULL;

	while (n) {
		if (REG(n, x.g)->gap >= size) {
			best = n;
			n = n->l;
		} else {
			n = n->r;
		}
	}
	return best;
}

/*
 * Best-fit candidates in increasing gap size, from gaps of at least need;
 * the first that fits, or NULL.  *budget limits the candidates looked at
 * (counted down; 0 means stopped early, not exhausted).
 */
static struct region *bf_scan(const struct swapctl_extent *ex, uint64_t need, uint64_t size,
			      uint64_t align, uint64_t boundary, unsigned *budget, uint64_t *at)
{
	struct region *r;
	struct avl *n;
	unsigned b;

	for (b = bin_from(ex, need < BINS ? (unsigned)need : BINS); b < BINS;
	     b = bin_from(ex, b + 1)) {
		for (r = ex->bins[b]; r; r = r->x.bin.next) {
			if ((*at = fit(ex, r, size, align, boundary)) != NONE)
				return r;
			if (--*budget == 0)
				return NULL;
		}
	}
	for (n = gt_lower(ex, need); n; n = avl_next(n)) {
		r = REG(n, x.g);
		if ((*at = fit(ex, r, size, align, boundary)) != NONE)
			return r;
		if (--*budget == 0)
			return NULL;
	}
	return NULL;
}

/*
 * Best fit: the smallest gap that can hold the request.  Aligned or
 * boundary-limited requests try CAND_MAX candidates, then the smallest gap
 * certain to fit, and only then (nothing is certain) all the rest.
 */
static struct region *best_fit(const struct swapctl_extent *ex, uint64_t size,
			       uint64_t align, uint64_t boundary, uint64_t *at)
{
	uint64_t sure = sure_size(size, align, boundary);
	unsigned budget = CAND_MAX;
	struct region *r = bf_scan(ex, size, size, align, boundary, &budget, at);

	if (r || budget)
		return r;
	budget = UINT32_MAX;
	r = bf_scan(ex, sure, size, align, boundary, &budget, at);
	if (r)
		return r;
	budget = UINT32_MAX;
	return bf_scan(ex, size, size, align, boundary, &budget, at);
}

/* First node in address order, from n's subtree, with gap >= m. */
static struct region *ff_first(struct avl *n, uint64_t m)
{
	while (n) {
		if (n->l && REG(n->l, a)->maxgap >= m)
			n = n->l;
		else if (REG(n, a)->gap >= m)
			return REG(n, a);
		else if (n->r && REG(n->r, a)->maxgap >= m)
			n = n->r;
		else
			return NULL;
	}
	return NULL;
}

/* The next node after n in address order with gap >= m. */
static struct region *ff_next(struct avl *n, uint64_t m)
{
	if (n->r && REG(n->r, a)->maxgap >= m)
		return ff_first(n->r, m);
	for (; n->p; n = n->p) {
		struct avl *p = n->p;

		if (p->l != n)
			continue;
		if (REG(p, a)->gap >= m)
			return REG(p, a);
		if (p->r && REG(p->r, a)->maxgap >= m)
			return ff_first(p->r, m);
	}
	return NULL;
}

/* First-fit candidates in address order, as bf_scan(). */
static struct region *ff_scan(const struct swapctl_extent *ex, uint64_t need, uint64_t size,
			      uint64_t align, uint64_t boundary, unsigned *budget, uint64_t *at)
{
	struct region *r = ex->head.gap >= need ? (struct region *)&ex->head :
		ff_first(ex->at.root, need);

	while (r) {
		if ((*at = fit(ex, r, size, align, boundary)) != NONE)
			return r;
		if (--*budget == 0)
			return NULL;
		r = r == &ex->head ? ff_first(ex->at.root, need) : ff_next(&r->a, need);
	}
	return NULL;
}

/* First fit: the lowest address that can hold the request (same limits). */
static struct region *first_fit(const struct swapctl_extent *ex, uint64_t size,
				uint64_t align, uint64_t boundary, uint64_t *at)
{
	uint64_t sure = sure_size(size, align, boundary);
	unsigned budget = CAND_MAX;
	struct region *r = ff_scan(ex, size, size, align, boundary, &budget, at);

	if (r || budget)
		return r;
	budget = UINT32_MAX;
	r = ff_scan(ex, sure, size, align, boundary, &budget, at);
	if (r)
		return r;
	budget = UINT32_MAX;
	return ff_scan(ex, size, size, align, boundary, &budget, at);
}

/*
 * Allocate [a, a + size) (offsets) inside the gap after p: extend a
 * neighbour, join both, or add a node (nn, reserved by the caller; it is
 * consumed or handed back).
 */
static void place(struct swapctl_extent *ex, struct region *p, uint64_t a,
		  uint64_t size, struct region *nn)
{
	struct region *q = next_region(ex, p);
	uint64_t last = a + size - 1;
	uint64_t qs = q ? q->s : ex->size + 1;
	bool coalesce = !(ex->flags & SWAPCTL_EXTENT_NOCOALESCE);
	bool left = coalesce && p != &ex->head && a == p->e + 1;
	bool right = coalesce && q && last + 1 == qs;

	ex->avail -= size;
	if (left && right) {
		/* p swallows q */
		uint64_t qgap = q->gap;

		gap_remove(ex, q);
		avl_remove(&ex->at, &q->a);
		node_put(ex, q);
		ex->nregions--;
		p->e = q->e;
		set_gap(ex, p, qgap);
	} else if (left) {
		p->e = last;
		set_gap(ex, p, p->gap - size);
	} else if (right) {
		q->s = a;
		set_gap(ex, p, a - p->e - 1);
	} else {
		nn->s = a;
		nn->e = last;
		nn->gap = qs - last - 1;
		nn->maxgap = nn->gap;
		avl_insert_after(&ex->at, p == &ex->head ? NULL : &p->a, &nn->a);
		gap_insert(ex, nn);
		ex->nregions++;
		set_gap(ex, p, a - p->e - 1);
		nn = NULL;
	}
	if (nn)
		node_put(ex, nn);
}

/* ------------------------------------------------------------ API */

SWAPCTL_EXPORT
int swapctl_extent_create(uint64_t start, uint64_t end, unsigned flags,
			  struct swapctl_extent **out)
{
	struct swapctl_extent *ex;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (end < start || end - start >= UINT64_MAX - 2 ||
	    (flags & ~(unsigned)SWAPCTL_EXTENT_NOCOALESCE))
		return -EINVAL;
	ex = calloc(1, sizeof(*ex));
	if (!ex)
		return -ENOMEM;
	ex->start = start;
	ex->end = end;
	ex->size = end - start + 1;
	ex->flags = flags;
	ex->at.addr = true;
	ex->gt.addr = false;
	ex->head.s = ex->head.e = 0;
	ex->head.gap = 0;
	set_gap(ex, &ex->head, ex->size);
	ex->avail = ex->size;
	*out = ex;
	return 0;
}

static void free_subtree(struct avl *n)
{
	while (n) {
		struct avl *r = n->r;

		free_subtree(n->l);
		free(REG(n, a));
		n = r;
	}
}

SWAPCTL_EXPORT
void swapctl_extent_destroy(struct swapctl_extent *ex)
{
	if (!ex)
		return;
	free_subtree(ex->at.root);
	while (ex->spare) {
		struct region *r = ex->spare;

		ex->spare = r->x.bin.next;
		free(r);
	}
	free(ex);
}

SWAPCTL_EXPORT
int swapctl_extent_alloc(struct swapctl_extent *ex, uint64_t size, uint64_t alignment,
			 uint64_t boundary, unsigned flags, uint64_t *result)
{
	struct region *p, *nn;
	uint64_t a;

	if (!ex || !result || size == 0 || (flags & ~(unsigned)SWAPCTL_EXTENT_FIRSTFIT))
		return -EINVAL;
	if (alignment > 1 && !pow2(alignment))
		return -EINVAL;
	if (boundary && (!pow2(boundary) || boundary < size))
		return -EINVAL;
	if (size > ex->avail)
		return -ENOSPC;
	/* a node may be needed; get it first so failure changes nothing */
	nn = node_get(ex);
	if (!nn)
		return -ENOMEM;
	p = flags & SWAPCTL_EXTENT_FIRSTFIT ?
		first_fit(ex, size, alignment, boundary, &a) :
		best_fit(ex, size, alignment, boundary, &a);
	if (!p) {
		node_put(ex, nn);
		return -ENOSPC;
	}
	place(ex, p, a, size, nn);
	*result = a + ex->start - 1;
	return 0;
}

static int range_ok(const struct swapctl_extent *ex, uint64_t start, uint64_t size)
{
	if (!ex || size == 0)
		return -EINVAL;
	if (start < ex->start || start > ex->end || size - 1 > ex->end - start)
		return -ERANGE;
	return 0;
}

SWAPCTL_EXPORT
int swapctl_extent_alloc_region(struct swapctl_extent *ex, uint64_t start, uint64_t size)
{
	struct region *p, *nn;
	uint64_t s, e;
	int r = range_ok(ex, start, size);

	if (r < 0)
		return r;
	s = start - ex->start + 1;
	e = s + size - 1;
	p = find_le(ex, s);
	if (p != &ex->head && p->e >= s)
		return -EBUSY;
	if (e > p->e + p->gap)
		return -EBUSY;
	nn = node_get(ex);
	if (!nn)
		return -ENOMEM;
	place(ex, p, s, size, nn);
	return 0;
}

SWAPCTL_EXPORT
int swapctl_extent_free(struct swapctl_extent *ex, uint64_t start, uint64_t size)
{
	struct region *p, *prev, *m;
	uint64_t s, e;
	int r = range_ok(ex, start, size);

	if (r < 0)
		return r;
	s = start - ex->start + 1;
	e = s + size - 1;
	p = find_le(ex, s);
	if (p == &ex->head || p->e < e)
		return -EINVAL;                 /* not (all) allocated */
	if ((ex->flags & SWAPCTL_EXTENT_NOCOALESCE) && (p->s != s || p->e != e))
		return -EINVAL;                 /* must be one whole region */
	if (p->s == s && p->e == e) {
		prev = prev_region(ex, p);
		gap_remove(ex, p);
		avl_remove(&ex->at, &p->a);
		set_gap(ex, prev, prev->gap + size + p->gap);
		node_put(ex, p);
		ex->nregions--;
	} else if (p->s == s) {
		prev = prev_region(ex, p);
		p->s = e + 1;
		set_gap(ex, prev, prev->gap + size);
	} else if (p->e == e) {
		p->e = s - 1;
		set_gap(ex, p, p->gap + size);
	} else {
		m = node_get(ex);
		if (!m)
			return -ENOMEM;
		m->s = e + 1;
		m->e = p->e;
		m->gap = p->gap;
		m->maxgap = m->gap;
		p->e = s - 1;
		avl_insert_after(&ex->at, &p->a, &m->a);
		gap_insert(ex, m);
		ex->nregions++;
		set_gap(ex, p, size);
	}
	ex->avail += size;
	return 0;
}

SWAPCTL_EXPORT
uint64_t swapctl_extent_avail(const struct swapctl_extent *ex)
{
	return ex ? ex->avail : 0;
}

SWAPCTL_EXPORT
uint64_t swapctl_extent_regions(const struct swapctl_extent *ex)
{
	return ex ? ex->nregions : 0;
}

SWAPCTL_EXPORT
size_t swapctl_extent_memory(const struct swapctl_extent *ex)
{
	if (!ex)
		return 0;
	return sizeof(*ex) + (ex->nregions + ex->nspare) * sizeof(struct region);
}

SWAPCTL_EXPORT
int swapctl_extent_next_free(const struct swapctl_extent *ex, uint64_t from,
			     uint64_t *start, uint64_t *len)
{
	const struct region *p;
	uint64_t x;

	if (!ex || !start || !len)
		return -EINVAL;
	if (from > ex->end)
		return -ENOENT;
	x = from < ex->start ? 1 : from - ex->start + 1;
	p = find_le(ex, x);
	if (x > p->e) {                 /* in p's gap */
		*start = x + ex->start - 1;
		*len = p->e + p->gap - x + 1;
		return 0;
	}
	/* x is inside region p: the first gap after it */
	if (p->gap == 0) {
		p = ff_next((struct avl *)&p->a, 1);
		if (!p)
			return -ENOENT;
	}
	*start = p->e + 1 + ex->start - 1;
	*len = p->gap;
	return 0;
}

static void stats_add(struct swapctl_freestats *st, uint64_t len)
{
	st->runs++;
	if (len > st->largest)
		st->largest = len;
	st->hist[63 - __builtin_clzll(len)]++;
}

SWAPCTL_EXPORT
int swapctl_extent_stats(const struct swapctl_extent *ex, struct swapctl_freestats *st)
{
	struct avl *n;

	if (!ex || !st)
		return -EINVAL;
	memset(st, 0, sizeof(*st));
	st->size = ex->size;
	st->free = ex->avail;
	if (ex->head.gap)
		stats_add(st, ex->head.gap);
	for (n = avl_first(ex->at.root); n; n = avl_next(n))
		if (REG(n, a)->gap)
			stats_add(st, REG(n, a)->gap);
	st->average = st->runs ? (double)st->free / (double)st->runs : 0.0;
	return 0;
}

/* Heights, balance, parents and (for the address tree) aggregates. */
static int check_avl(const struct avl *n, const struct avl *parent, bool addr)
{
	int a, b;

	if (!n)
		return 0;
	if (n->p != parent)
		return -1;
	a = check_avl(n->l, n, addr);
	b = check_avl(n->r, n, addr);
	if (a < 0 || b < 0 || a - b > 1 || b - a > 1 || n->h != 1 + (a > b ? a : b))
		return -1;
	if (addr) {
		uint64_t m = REG(n, a)->gap;

		if (n->l && REG(n->l, a)->maxgap > m)
			m = REG(n->l, a)->maxgap;
		if (n->r && REG(n->r, a)->maxgap > m)
			m = REG(n->r, a)->maxgap;
		if (REG(n, a)->maxgap != m)
			return -1;
	}
	return n->h;
}

SWAPCTL_EXPORT
int swapctl_extent_check(const struct swapctl_extent *ex)
{
	const struct region *p = &ex->head, *q;
	uint64_t sum, nreg = 0, nbinned = 0, nbig = 0, b;
	const struct avl *n;
	bool coalesce;

	if (!ex)
		return -EINVAL;
	coalesce = !(ex->flags & SWAPCTL_EXTENT_NOCOALESCE);
	if (check_avl(ex->at.root, NULL, true) < 0 || check_avl(ex->gt.root, NULL, false) < 0)
		return -EUCLEAN;
	sum = ex->head.gap;
	for (;;) {
		uint64_t qs;

		q = next_region(ex, p);
		qs = q ? q->s : ex->size + 1;
		if (p->e + p->gap + 1 != qs)
			return -EUCLEAN;
		if (p->gap >= BINS)
			nbig++;
		else if (p->gap)
			nbinned++;
		if (!q)
			break;
		if (q->s > q->e || q->e > ex->size)
			return -EUCLEAN;
		if (coalesce && p != &ex->head && p->gap == 0)
			return -EUCLEAN;        /* touching regions not joined */
		sum += q->gap;
		nreg++;
		p = q;
	}
	if (sum != ex->avail || nreg != ex->nregions)
		return -EUCLEAN;
	for (b = 1; b < BINS; b++) {
		const struct region *r;
		bool any = ex->bins[b] != NULL;

		if (any != !!(ex->binmap[b / 64] >> (b % 64) & 1))
			return -EUCLEAN;
		for (r = ex->bins[b]; r; r = r->x.bin.next) {
			/* each entry is a live node (or the head) of that gap */
			if (r->gap != b || (r->x.bin.next && r->x.bin.next->x.bin.prev != r) ||
			    find_le(ex, r->s) != r || nbinned == 0)
				return -EUCLEAN;
			nbinned--;
		}
	}
	if (ex->bins[0] || nbinned)
		return -EUCLEAN;
	for (n = avl_first(ex->gt.root); n; n = avl_next((struct avl *)n)) {
		const struct avl *m = avl_next((struct avl *)n);

		if (REG(n, x.g)->gap < BINS || (m && gt_cmp(REG(n, x.g), REG(m, x.g)) >= 0) ||
		    find_le(ex, REG(n, x.g)->s) != REG(n, x.g) || nbig == 0)
			return -EUCLEAN;
		nbig--;
	}
	return nbig ? -EUCLEAN : 0;
}

SWAPCTL_EXPORT
void swapctl_extent_dump(const struct swapctl_extent *ex, FILE *fp)
{
	const struct region *p;
	uint64_t base, n = 0;

	if (!ex || !fp)
		return;
	base = ex->start - 1;
	fprintf(fp, "extent [%" PRIu64 ", %" PRIu64 "]: %" PRIu64 " free, %" PRIu64
		" regions, %s, %zu bytes\n", ex->start, ex->end, ex->avail, ex->nregions,
		ex->flags & SWAPCTL_EXTENT_NOCOALESCE ? "no coalescing" : "coalescing",
		swapctl_extent_memory(ex));
	if (ex->head.gap)
		fprintf(fp, "  free [%" PRIu64 ", %" PRIu64 "] %" PRIu64 "\n",
			ex->start, ex->start + ex->head.gap - 1, ex->head.gap);
	for (p = next_region(ex, &ex->head); p; p = next_region(ex, p)) {
		if (n++ == 500) {
			fputs("  ...\n", fp);
			break;
		}
		fprintf(fp, "  used [%" PRIu64 ", %" PRIu64 "] %" PRIu64 "\n",
			p->s + base, p->e + base, p->e - p->s + 1);
		if (p->gap)
			fprintf(fp, "  free [%" PRIu64 ", %" PRIu64 "] %" PRIu64 "\n",
				p->e + 1 + base, p->e + p->gap + base, p->gap);
	}
}
