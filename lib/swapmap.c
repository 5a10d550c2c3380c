/*
 * Where every swapped page lives: per area, the distinct slots processes
 * map (pagemap), an offset histogram over the area's length, and the rest
 * of Used no process maps ("unattributed": shmem and tmpfs, whose swapped
 * pages sit in their page cache; the swap cache; processes we could not
 * read).  Per process, its pages on each area.
 *
 * Cost: /proc/PID/status of every process (as swapinfo -P), then pagemap
 * only of those whose VmSwap is not 0.  Each type keeps a bitmap of the
 * offsets seen, so a slot two processes share (after fork) counts once for
 * the area and once for each process.  Which area a type is: swaptype.c.
 * /proc/swaps is read before and after the walk: an area added or removed
 * meanwhile makes every placement unknown; Used is checked against the
 * larger of the two reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

struct typemap {
	uint64_t *bits;                 /* one bit per offset seen */
	uint64_t nwords;
	uint64_t distinct, maxoff;
	uint64_t beyond;                /* offsets no area is large enough for */
};

struct mproc {
	struct swapctl_mapproc pub;
	uint64_t by_type[SWAPTYPE_MAX]; /* visible pages per type */
};

struct swapctl_swapmap {
	unsigned pagesize;
	struct swapctl_swaplist *swaps; /* after the walk */
	size_t nareas;
	struct swapctl_maparea *areas;
	size_t nprocs;
	struct mproc *procs;
	int type_area[SWAPTYPE_MAX];    /* -1: no area */
	unsigned unread;
	uint64_t maxpages;              /* of the largest area */
	struct typemap types[SWAPTYPE_MAX];
};

SWAPCTL_EXPORT const char *swapctl_placement_name(enum swapctl_placement p)
{
	switch (p) {
	case SWAPCTL_PLACE_EXACT:
		return "exact";
	case SWAPCTL_PLACE_INFERRED:
		return "inferred";
	default:
		return "unknown";
	}
}

static void see(void *data, unsigned type, uint64_t off)
{
	struct swapctl_swapmap *m = data;
	struct typemap *t = &m->types[type];
	uint64_t w = off / 64;

	if (off > m->maxpages) {
		t->beyond++;
		return;
	}
	if (w >= t->nwords) {
		uint64_t n = m->maxpages / 64 + 1;
		uint64_t *b = realloc(t->bits, n * 8);

		if (!b) {
			t->beyond++;    /* no memory: counted, not placed */
			return;
		}
		memset(b + t->nwords, 0, (n - t->nwords) * 8);
		t->bits = b;
		t->nwords = n;
	}
	if (!(t->bits[w] & (1ull << (off % 64)))) {
		t->bits[w] |= 1ull << (off % 64);
		t->distinct++;
		if (off > t->maxoff)
			t->maxoff = off;
	}
}

static int proc_cmp(const void *a, const void *b)
{
	const struct swapctl_mapproc *x = &((const struct mproc *)a)->pub;
	const struct swapctl_mapproc *y = &((const struct mproc *)b)->pub;

	return x->swapped != y->swapped ? cmp_swap_desc(x->swapped, y->swapped) : CMP(x->pid, y->pid);
}

/* Walk the pagemap of every process of l with swap (only pid, when > 0). */
static int walk_procs(struct swapctl_ctx *ctx, struct swapctl_swapmap *m, const struct swapctl_proclist *l,
		      pid_t pid)
{
	size_t i, n = swapctl_proclist_count(l);
	bool live = !strcmp(swapctl_get_sysroot(ctx), "/");
	int procfd = sysroot_open(ctx, "/proc", O_RDONLY | O_DIRECTORY);

	if (procfd < 0)
		return swapctl_fail_errno(ctx, -procfd, "/proc: %s", strerror(-procfd));
	m->procs = calloc(n ? n : 1, sizeof(*m->procs));
	if (!m->procs) {
		close(procfd);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		const struct swapctl_proc *p = swapctl_proclist_get(l, i);
		struct swapctl_mapproc *mp = &m->procs[m->nprocs].pub;
		struct pagemap_walk w;
		int r;

		if (pid > 0 ? p->pid != pid : p->swap == 0)
			continue;
		memset(mp, 0, sizeof(*mp));
		mp->pid = p->pid;
		mp->uid = p->uid;
		snprintf(mp->user, sizeof(mp->user), "%s", p->user);
		snprintf(mp->comm, sizeof(mp->comm), "%s", p->comm);
		mp->vmswap = p->swap;
		memset(&w, 0, sizeof(w));
		w.entry = see;
		w.data = m;
		r = p->swap == SWAPCTL_UNKNOWN ? -EACCES : pagemap_walk_pid(procfd, p->pid, live, &w);
		if (r == -ESRCH)
			continue;       /* exited: its pages are free */
		if (r < 0) {
			dbg(ctx, "/proc/%ld/pagemap: %s", (long)p->pid, strerror(-r));
			mp->swapped = mp->hidden = mp->unplaced = SWAPCTL_UNKNOWN;
			m->unread++;
		} else {
			mp->swapped = w.swapped;
			mp->hidden = w.hidden;
			memcpy(m->procs[m->nprocs].by_type, w.by_type, sizeof(w.by_type));
		}
		m->nprocs++;
	}
	close(procfd);
	return 0;
}

/* The same areas in both reads?  used: the larger Used of each, in pages. */
static bool same_areas(const struct swapctl_swaplist *a, const struct swapctl_swaplist *b)
{
	size_t i, n = swapctl_swaplist_count(a);

	if (n != swapctl_swaplist_count(b))
		return false;
	for (i = 0; i < n; i++) {
		const struct swapctl_swap *x = swapctl_swaplist_get(a, i), *y = swapctl_swaplist_get(b, i);

		if (strcmp(x->path, y->path) || x->size != y->size)
			return false;
	}
	return true;
}

/* Place the types seen; a type that fits nowhere is dropped (unplaced):
 * the fewest pages first, until the rest fits. */
static void place(struct swapctl_swapmap *m, const struct swapctl_swaplist *before, bool stable)
{
	struct swaptype_area a[SWAPTYPE_MAX];
	struct swaptype_seen s[SWAPTYPE_MAX];
	struct swaptype_result r;
	bool dropped[SWAPTYPE_MAX] = { false };
	size_t i, k;
	unsigned t;

	for (t = 0; t < SWAPTYPE_MAX; t++)
		m->type_area[t] = -1;
	for (i = 0; i < m->nareas; i++)
		m->areas[i].placement = SWAPCTL_PLACE_UNKNOWN;
	if (!stable || m->nareas > SWAPTYPE_MAX)
		return;
	for (i = 0; i < m->nareas; i++) {
		const struct swapctl_swap *x = swapctl_swaplist_get(before, i);
		uint64_t u = m->areas[i].used > x->used ? m->areas[i].used : x->used;

		a[i].pages = m->areas[i].size / m->pagesize;
		a[i].used = u / m->pagesize;
	}
	for (t = 0; t < SWAPTYPE_MAX; t++)
		dropped[t] = m->types[t].beyond > 0;
	for (;;) {
		int rc, least = -1;

		k = 0;
		for (t = 0; t < SWAPTYPE_MAX; t++)
			if (m->types[t].distinct && !dropped[t])
				s[k++] = (struct swaptype_seen){ t, m->types[t].maxoff, m->types[t].distinct };
		rc = swaptype_infer(a, m->nareas, s, k, &r);
		if (rc == 0)
			break;
		if (rc != -ESRCH || k == 0)
			return;
		for (i = 0; i < k; i++)
			if (least < 0 || s[i].distinct < s[least].distinct)
				least = (int)i;
		dropped[s[least].type] = true;
	}
	/* exact: no type that may be this area has another possible area (an
	 * area no type can be holds nothing of processes: a fact too) */
	for (i = 0; i < m->nareas; i++) {
		size_t j;
		bool exact = true;

		for (j = 0; j < k; j++)
			if ((r.maybe[j] >> i & 1) && !r.exact[j])
				exact = false;
		m->areas[i].placement = exact ? SWAPCTL_PLACE_EXACT : SWAPCTL_PLACE_INFERRED;
	}
	for (i = 0; i < k; i++)
		m->type_area[s[i].type] = r.area[i];
}

static void fill_areas(struct swapctl_swapmap *m)
{
	size_t i, p;
	unsigned t;

	for (t = 0; t < SWAPTYPE_MAX; t++) {
		int ai = m->type_area[t];
		struct swapctl_maparea *a;
		uint64_t w, span;

		if (ai < 0)
			continue;
		a = &m->areas[ai];
		a->type = (int)t;
		a->pages += m->types[t].distinct;
		span = a->size / m->pagesize + 1;
		for (w = 0; w < m->types[t].nwords; w++) {
			uint64_t bits = m->types[t].bits[w];

			while (bits) {
				uint64_t off = w * 64 + (uint64_t)__builtin_ctzll(bits);
				uint64_t b = off * SWAPCTL_MAP_BUCKETS / span;

				a->hist[b < SWAPCTL_MAP_BUCKETS ? b : SWAPCTL_MAP_BUCKETS - 1]++;
				bits &= bits - 1;
			}
		}
	}
	for (p = 0; p < m->nprocs; p++) {
		struct swapctl_mapproc *mp = &m->procs[p].pub;
		const uint64_t *bt = m->procs[p].by_type;

		if (mp->swapped == SWAPCTL_UNKNOWN)
			continue;
		for (t = 0; t < SWAPTYPE_MAX; t++) {
			if (!bt[t])
				continue;
			if (m->type_area[t] < 0)
				mp->unplaced += bt[t];
			else
				m->areas[m->type_area[t]].nprocs++;
		}
	}
	for (i = 0; i < m->nareas; i++) {
		struct swapctl_maparea *a = &m->areas[i];
		uint64_t b = a->pages * m->pagesize;

		if (a->placement == SWAPCTL_PLACE_UNKNOWN) {
			a->type = -1;
			a->pages = a->unattributed = SWAPCTL_UNKNOWN;
			a->nprocs = 0;
			memset(a->hist, 0, sizeof(a->hist));
			continue;
		}
		/* what no process maps; unknown when some process could not be read */
		a->unattributed = m->unread ? SWAPCTL_UNKNOWN : a->used > b ? a->used - b : 0;
	}
}

SWAPCTL_EXPORT int swapctl_swapmap_read(struct swapctl_ctx *ctx, const struct swapctl_proclist *procs, pid_t pid,
					struct swapctl_swapmap **out)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_swapmap *m = calloc(1, sizeof(*m));
	struct swapctl_swaplist *before = NULL;
	struct swapctl_proclist *pl = NULL;
	uint64_t hidden = 0;
	size_t i;
	int r;

	if (!m)
		return -ENOMEM;
	m->pagesize = swapctl_kernel_pagesize();
	if ((r = swapctl_swaps_read(ctx, 0, &before)) < 0)
		goto fail;
	for (i = 0; i < swapctl_swaplist_count(before); i++) {
		uint64_t p = swapctl_swaplist_get(before, i)->size / m->pagesize;

		m->maxpages = p > m->maxpages ? p : m->maxpages;
	}
	if (!procs && (r = swapctl_procs_read(ctx, &pl)) < 0)
		goto fail;
	if ((r = walk_procs(ctx, m, procs ? procs : pl, pid)) < 0)
		goto fail;
	if ((r = swapctl_swaps_read(ctx, 0, &m->swaps)) < 0)
		goto fail;
	m->nareas = swapctl_swaplist_count(m->swaps);
	m->areas = calloc(m->nareas ? m->nareas : 1, sizeof(*m->areas));
	if (!m->areas) {
		r = -ENOMEM;
		goto fail;
	}
	for (i = 0; i < m->nareas; i++) {
		const struct swapctl_swap *sw = swapctl_swaplist_get(m->swaps, i);

		m->areas[i].type = -1;
		m->areas[i].size = sw->size;
		m->areas[i].used = sw->used;
	}
	for (i = 0; i < m->nprocs; i++)
		if (m->procs[i].pub.swapped != SWAPCTL_UNKNOWN)
			hidden += m->procs[i].pub.hidden;
	/* hidden entries (no CAP_SYS_ADMIN): no area can be told */
	place(m, before, same_areas(before, m->swaps) && hidden == 0);
	fill_areas(m);
	if (m->nprocs)
		qsort(m->procs, m->nprocs, sizeof(m->procs[0]), proc_cmp);
	swapctl_swaplist_free(before);
	swapctl_proclist_free(pl);
	*out = m;
	return 0;
fail:
	swapctl_swaplist_free(before);
	swapctl_proclist_free(pl);
	swapctl_swapmap_free(m);
	return r;
}

SWAPCTL_EXPORT unsigned swapctl_swapmap_pagesize(const struct swapctl_swapmap *m)
{
	return m->pagesize;
}

SWAPCTL_EXPORT const struct swapctl_swaplist *swapctl_swapmap_swaps(const struct swapctl_swapmap *m)
{
	return m->swaps;
}

SWAPCTL_EXPORT size_t swapctl_swapmap_nareas(const struct swapctl_swapmap *m)
{
	return m ? m->nareas : 0;
}

SWAPCTL_EXPORT const struct swapctl_maparea *swapctl_swapmap_area(const struct swapctl_swapmap *m, size_t i)
{
	return m && i < m->nareas ? &m->areas[i] : NULL;
}

SWAPCTL_EXPORT int swapctl_swapmap_find(const struct swapctl_swapmap *m, const char *path)
{
	const struct swapctl_swap *sw = swapctl_swaplist_find(m->swaps, path);
	size_t i;

	for (i = 0; sw && i < m->nareas; i++)
		if (swapctl_swaplist_get(m->swaps, i) == sw)
			return (int)i;
	return -1;
}

SWAPCTL_EXPORT size_t swapctl_swapmap_nprocs(const struct swapctl_swapmap *m)
{
	return m ? m->nprocs : 0;
}

SWAPCTL_EXPORT const struct swapctl_mapproc *swapctl_swapmap_proc(const struct swapctl_swapmap *m, size_t i)
{
	return m && i < m->nprocs ? &m->procs[i].pub : NULL;
}

SWAPCTL_EXPORT uint64_t swapctl_swapmap_pages(const struct swapctl_swapmap *m, size_t proc, size_t area)
{
	const struct mproc *p;
	uint64_t n = 0;
	unsigned t;

	if (!m || proc >= m->nprocs || area >= m->nareas)
		return SWAPCTL_UNKNOWN;
	p = &m->procs[proc];
	if (p->pub.swapped == SWAPCTL_UNKNOWN || m->areas[area].placement == SWAPCTL_PLACE_UNKNOWN)
		return SWAPCTL_UNKNOWN;
	for (t = 0; t < SWAPTYPE_MAX; t++)
		if (m->type_area[t] == (int)area)
			n += p->by_type[t];
	return n;
}

SWAPCTL_EXPORT unsigned swapctl_swapmap_unread(const struct swapctl_swapmap *m)
{
	return m ? m->unread : 0;
}

SWAPCTL_EXPORT void swapctl_swapmap_free(struct swapctl_swapmap *m)
{
	unsigned t;

	if (!m)
		return;
	for (t = 0; t < SWAPTYPE_MAX; t++)
		free(m->types[t].bits);
	swapctl_swaplist_free(m->swaps);
	free(m->areas);
	free(m->procs);
	free(m);
}
