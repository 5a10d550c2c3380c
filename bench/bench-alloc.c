/*
 * bench-alloc: one driver for both allocators (blist, extent) and for a
 * null allocator that does nothing, so the driver's own cost (random
 * numbers, the table of live allocations) is measured in the same run.
 *
 * Every workload fills a map to its target, ages it by 'age' times the
 * live set in free/alloc pairs, then measures WINDOWS windows of OPS
 * operations: batches of BATCH timed frees of victims followed by BATCH
 * timed allocations.  Figures are medians over the windows, in ns per
 * operation; seeds are fixed, so every run does the same operations.
 * The allocators' maps are made side by side and their windows taken in
 * turn (null, blist, extent, then again), and the extent/blist targets
 * are medians of the ratios within each window: this machine's speed
 * drifts by more than those ratios' margins within a few seconds (run
 * one after the other, the same build's free ratio read 1.23 to 2.51).
 *
 * usage: bench-alloc [-q] [-w WINDOWS] [-o OPS] [-A blist|extent] [FILTER]
 *   -q       quick: 2^20 blocks instead of 2^24, 2^22 instead of 2^28
 *   -A       run that allocator only (for profilers): no ratios
 *   FILTER   run only workloads whose name contains it
 *
 * It ends with the targets it still checks (extent/blist on the 12k-regions
 * row, blist's memory and failing requests); blist's speed is measured
 * against FreeBSD's blist by the anchor driver, not here.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "libswapctl-alloc.h"

#define BATCH 1024
#define MAXWIN 31

/* ------------------------------------------------------------ allocators */

struct allocator {
	const char *name;
	void *(*create)(uint64_t n);
	int (*alloc)(void *a, uint64_t count, uint64_t maxcount, uint64_t *s, uint64_t *l);
	int (*free)(void *a, uint64_t s, uint64_t n);
	uint64_t (*largest)(void *a);
	uint64_t (*regions)(void *a);
	size_t (*memory)(void *a);
	void (*destroy)(void *a);
	bool flexible;                  /* honours maxcount > count */
};

static void *bl_create(uint64_t n)
{
	struct swapctl_blist *b;

	return swapctl_blist_create(n, true, &b) == 0 ? b : NULL;
}

static int bl_alloc(void *a, uint64_t count, uint64_t maxcount, uint64_t *s, uint64_t *l)
{
	return swapctl_blist_alloc(a, count, maxcount, s, l);
}

static int bl_free(void *a, uint64_t s, uint64_t n)
{
	return swapctl_blist_free(a, s, n);
}

static uint64_t bl_largest(void *a)
{
	struct swapctl_freestats st;

	swapctl_blist_stats(a, &st);
	return st.largest;
}

static uint64_t bl_regions(void *a)
{
	(void)a;
	return 0;
}

static size_t bl_memory(void *a)
{
	return swapctl_blist_memory(a);
}

static void bl_destroy(void *a)
{
	swapctl_blist_destroy(a);
}

static void *ex_create(uint64_t n)
{
	struct swapctl_extent *e;

	return swapctl_extent_create(0, n - 1, 0, &e) == 0 ? e : NULL;
}

static int ex_alloc(void *a, uint64_t count, uint64_t maxcount, uint64_t *s, uint64_t *l)
{
	(void)maxcount;
	*l = count;
	return swapctl_extent_alloc(a, count, 0, 0, 0, s);
}

static int ex_free(void *a, uint64_t s, uint64_t n)
{
	return swapctl_extent_free(a, s, n);
}

static uint64_t ex_largest(void *a)
{
	struct swapctl_freestats st;

	swapctl_extent_stats(a, &st);
	return st.largest;
}

static uint64_t ex_regions(void *a)
{
	return swapctl_extent_regions(a);
}

static size_t ex_memory(void *a)
{
	return swapctl_extent_memory(a);
}

static void ex_destroy(void *a)
{
	swapctl_extent_destroy(a);
}

/* The driver alone: hands out made-up blocks, frees nothing. */
struct null_alloc {
	uint64_t n, next;
};

static void *nu_create(uint64_t n)
{
	struct null_alloc *z = calloc(1, sizeof(*z));

	z->n = n;
	return z;
}

static int nu_alloc(void *a, uint64_t count, uint64_t maxcount, uint64_t *s, uint64_t *l)
{
	struct null_alloc *z = a;

	(void)count;
	*s = z->next;
	*l = maxcount;
	z->next = (z->next + maxcount) % z->n;
	return 0;
}

static int nu_free(void *a, uint64_t s, uint64_t n)
{
	(void)a;
	(void)s;
	(void)n;
	return 0;
}

static uint64_t nu_largest(void *a)
{
	(void)a;
	return 0;
}

static size_t nu_memory(void *a)
{
	(void)a;
	return 0;
}

static const struct allocator ALLOCATORS[] = {
	{ "blist", bl_create, bl_alloc, bl_free, bl_largest, bl_regions, bl_memory, bl_destroy, true },
	{ "extent", ex_create, ex_alloc, ex_free, ex_largest, ex_regions, ex_memory, ex_destroy, false },
	{ "driver", nu_create, nu_alloc, nu_free, nu_largest, bl_regions, nu_memory, free, true },
};
enum { A_BLIST, A_EXTENT, A_NULL };

/* ------------------------------------------------------------ driver */

static uint64_t rng;

static inline uint64_t rnd(void)
{
	uint64_t z = (rng += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static inline uint64_t rnd_below(uint64_t n)
{
	return (uint64_t)(((unsigned __int128)rnd() * n) >> 64);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

enum victim { RANDOM, FIFO };

struct workload {
	const char *name;
	unsigned log2n;
	unsigned full;                  /* percent */
	uint64_t minsz, maxsz;
	bool flex;                      /* count = 1, maxcount = size */
	enum victim victim;
	bool failpath;                  /* time requests above the largest run */
	unsigned age;                   /* aging ops, times the live set */
};

struct result {
	double alloc[MAXWIN], free[MAXWIN], fail[MAXWIN];
	double alloc_med, free_med, fail_med;
	uint64_t fails, attempts, regions, live;
	double bits;                    /* memory bits per block */
	bool ran;
};

struct live {
	uint64_t s, l;
};

/*
 * The table of live allocations: random victims swap-remove, FIFO is a
 * ring.  Entries are packed in 8 bytes (start << 10 | length) and the ring
 * is a power of two, so the driver's own cache footprint and work stay
 * small next to the allocator's.
 */
struct table {
	uint64_t *v;
	uint64_t mask, head, n;
};

static inline void t_push(struct table *t, uint64_t s, uint64_t l)
{
	t->v[(t->head + t->n) & t->mask] = s << 10 | l;
	t->n++;
}

static inline struct live t_take(struct table *t, enum victim how)
{
	uint64_t x;
	struct live r;

	if (how == FIFO) {
		x = t->v[t->head];
		t->head = (t->head + 1) & t->mask;
	} else {
		uint64_t i = (t->head + rnd_below(t->n)) & t->mask;

		x = t->v[i];
		t->v[i] = t->v[(t->head + t->n - 1) & t->mask];
	}
	t->n--;
	r.s = x >> 10;
	r.l = x & 1023;
	return r;
}

static inline uint64_t pick(const struct workload *w)
{
	return w->minsz + rnd_below(w->maxsz - w->minsz + 1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *v, unsigned n)
{
	double t[MAXWIN];

	memcpy(t, v, n * sizeof(*v));
	qsort(t, n, sizeof(*t), cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/* What one measured window took: times (ns) and operations. */
struct window {
	double ta, tf, tx;
	uint64_t na, nf, nx;
};

/*
 * One measured window, apart so profilers can select it and nothing else
 * (valgrind --tool=callgrind --collect-atstart=no --toggle-collect=measured).
 */
static __attribute__((noinline, noclone)) void measured(const struct allocator *A,
		const struct workload *w, void *a, struct table *t, uint64_t ops,
		uint64_t *used, uint64_t *fails, struct window *wr)
{
	double t0, t1, t2;
	uint64_t i, k, s, l;

	for (k = 0; k < ops / BATCH; k++) {
		uint64_t nb = t->n < BATCH ? t->n : BATCH;

		t0 = now_ns();
		for (i = 0; i < nb; i++) {
			struct live v = t_take(t, w->victim);

			A->free(a, v.s, v.l);
			*used -= v.l;
		}
		t1 = now_ns();
		for (i = 0; i < nb; i++) {
			uint64_t z = pick(w);

			if (A->alloc(a, w->flex ? 1 : z, z, &s, &l) == 0) {
				t_push(t, s, l);
				*used += l;
			} else {
				(*fails)++;
			}
		}
		t2 = now_ns();
		wr->tf += t1 - t0;
		wr->ta += t2 - t1;
		wr->nf += nb;
		wr->na += nb;
		if (w->failpath && A != &ALLOCATORS[A_NULL]) {
			uint64_t big = A->largest(a) + 1;

			t0 = now_ns();
			for (i = 0; i < BATCH; i++)
				if (A->alloc(a, big + (i & 63), big + (i & 63), &s, &l) == 0)
					abort();        /* it must not fit */
			wr->tx += now_ns() - t0;
			wr->nx += BATCH;
		} else if (w->failpath) {
			t0 = now_ns();
			for (i = 0; i < BATCH; i++)
				A->alloc(a, 1 + (i & 63), 1 + (i & 63), &s, &l);
			wr->tx += now_ns() - t0;
			wr->nx += BATCH;
		}
	}
}

/*
 * One allocator's run of a workload: its map and table of live
 * allocations, kept between windows so the allocators' windows can
 * alternate (the random numbers are each run's own: every run does the
 * same operations whatever ran in between).
 */
struct run {
	const struct allocator *A;
	const struct workload *w;
	void *a;
	struct table t;
	uint64_t n, used, fails, attempts, ops, rng;
	struct result *res;
};

/* Create, fill and age; false (said on stderr) if the map cannot be made. */
static bool run_start(struct run *r, const struct allocator *A, const struct workload *w,
		      uint64_t ops, unsigned log2n, struct result *res)
{
	uint64_t target, i, s, l, nage;

	memset(r, 0, sizeof(*r));
	memset(res, 0, sizeof(*res));
	r->A = A;
	r->w = w;
	r->res = res;
	r->ops = ops;
	r->n = UINT64_C(1) << log2n;
	target = r->n / 100 * w->full;
	rng = 0x5eed0000u + log2n * 131 + w->full * 7 + w->minsz * 3 + w->maxsz;
	r->a = A->create(r->n);
	if (!r->a) {
		fprintf(stderr, "bench-alloc: %s: cannot create %" PRIu64 " blocks\n", A->name, r->n);
		return false;
	}
	r->t.mask = 1;
	while (r->t.mask < target / w->minsz + 2 * BATCH + 16)
		r->t.mask <<= 1;
	r->t.v = malloc(r->t.mask * sizeof(*r->t.v));
	r->t.mask--;
	if (!r->t.v) {
		fprintf(stderr, "bench-alloc: out of memory\n");
		exit(1);
	}
	/* fill */
	while (r->used < target) {
		uint64_t z = pick(w);

		if (A->alloc(r->a, w->flex ? 1 : z, z, &s, &l) != 0)
			break;
		t_push(&r->t, s, l);
		r->used += l;
	}
	/* age: free a victim, allocate a new one */
	nage = r->t.n * w->age;
	for (i = 0; i < nage; i++) {
		struct live v = t_take(&r->t, w->victim);
		uint64_t z;

		A->free(r->a, v.s, v.l);
		r->used -= v.l;
		z = pick(w);
		if (A->alloc(r->a, w->flex ? 1 : z, z, &s, &l) == 0) {
			t_push(&r->t, s, l);
			r->used += l;
		}
	}
	r->rng = rng;
	return true;
}

/* Measured window win of a started run. */
static void run_window(struct run *r, unsigned win)
{
	struct window wr = { 0 };

	rng = r->rng;
	measured(r->A, r->w, r->a, &r->t, r->ops, &r->used, &r->fails, &wr);
	r->rng = rng;
	r->attempts += wr.na;
	r->res->alloc[win] = wr.ta / wr.na;
	r->res->free[win] = wr.tf / wr.nf;
	r->res->fail[win] = wr.nx ? wr.tx / wr.nx : 0;
}

/* The medians and the map's figures; the map is gone after. */
static void run_finish(struct run *r, unsigned windows)
{
	struct result *res = r->res;

	res->alloc_med = median(res->alloc, windows);
	res->free_med = median(res->free, windows);
	res->fail_med = median(res->fail, windows);
	res->fails = r->fails;
	res->attempts = r->attempts;
	res->regions = r->A->regions(r->a);
	res->live = r->t.n;
	res->bits = (double)r->A->memory(r->a) * 8 / (double)r->n;
	res->ran = true;
	r->A->destroy(r->a);
	free(r->t.v);
}

/* The median over the windows of a's time over b's in the same window. */
static double window_ratio(const double *a, const double *b, unsigned windows)
{
	double v[MAXWIN];
	unsigned i;

	for (i = 0; i < windows; i++)
		v[i] = a[i] / b[i];
	return median(v, windows);
}

/* ------------------------------------------------------------ workloads */

#define W(name, lg, full, mn, mx, flex, victim, fail, age) \
	{ name, lg, full, mn, mx, flex, victim, fail, age }

static const struct workload WORKLOADS[] = {
	W("random 1..32 exact",   24, 50, 1, 32, false, RANDOM, false, 3),
	W("random 1..32 flex",    24, 50, 1, 32, true,  RANDOM, false, 3),
	W("random 1..32 exact",   24, 90, 1, 32, false, RANDOM, false, 3),
	W("random 1..32 flex",    24, 90, 1, 32, true,  RANDOM, false, 3),
	/*
	 * Issue 3 compares extent with blist "at 2^24 with 12,000 live
	 * regions".  At 50% extent coalesces the 2^24 workload into about
	 * 9,000 regions; 70% full, otherwise the same, ends the measured
	 * windows with about 12,000 (65%: 12,300, 75%: 11,000; the count
	 * drifts during the run, 53% starts near 12,000 but ends near 9,500),
	 * so the extent/blist targets are taken from this row.
	 */
	W("12k regions 1..32",    24, 70, 1, 32, false, RANDOM, false, 3),
	W("random 1..32 exact",   28, 50, 1, 32, false, RANDOM, false, 3),
	W("random 1..32 flex",    28, 50, 1, 32, true,  RANDOM, false, 3),
	W("random 1..32 exact",   28, 90, 1, 32, false, RANDOM, false, 3),
	W("random 1..32 flex",    28, 90, 1, 32, true,  RANDOM, false, 3),
	W("single-block churn",   24, 50, 1, 1,   false, RANDOM, false, 3),
	W("FIFO churn 1..32",     24, 50, 1, 32,  false, FIFO,   false, 3),
	W("range free 1..512",    24, 50, 1, 512, false, RANDOM, false, 3),
	W("failure path 1..32",   24, 99, 1, 32,  false, RANDOM, true,  3),
};

struct cell {
	struct result r[3];
};

static void print_row(const struct workload *w, unsigned log2n, const char *aname,
		      const struct result *r, const struct result *base)
{
	printf("%-20s 2^%-2u %3u%% %-6s %8.1f %8.1f", w->name, log2n, w->full, aname,
	       r->alloc_med, r->free_med);
	if (w->failpath)
		printf(" %8.1f", r->fail_med);
	else
		printf(" %8s", "-");
	printf(" %7" PRIu64 " %6.3f %8" PRIu64 " | %6.1f %6.1f | %7.1f %7.1f\n",
	       r->fails, r->bits, r->regions ? r->regions : r->live,
	       base->alloc_med, base->free_med,
	       r->alloc_med - base->alloc_med, r->free_med - base->free_med);
}

static void pin_cpu(void)
{
	cpu_set_t set;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	CPU_ZERO(&set);
	CPU_SET(n > 1 ? (int)n - 1 : 0, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

struct target {
	char what[96];
	double value, limit;
};

#define ADD_TARGET(val, lim, ...) do { \
		snprintf(tg[nt].what, sizeof(tg[nt].what), __VA_ARGS__); \
		tg[nt].value = (val); \
		tg[nt].limit = (lim); \
		nt++; \
	} while (0)

int main(int argc, char **argv)
{
	unsigned windows = 5, nw = sizeof(WORKLOADS) / sizeof(WORKLOADS[0]), i, j, win, nt = 0;
	struct run runs[3];
	bool started[3];
	uint64_t ops = UINT64_C(1) << 20;
	const char *filter = NULL, *only = NULL;
	bool quick = false;
	struct cell *cells;
	struct target tg[16];
	int c;

	while ((c = getopt(argc, argv, "qw:o:A:")) != -1) {
		switch (c) {
		case 'q': quick = true; break;
		case 'A': only = optarg; break;
		case 'w': windows = (unsigned)atoi(optarg); break;
		case 'o': ops = strtoull(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: bench-alloc [-q] [-w WINDOWS] [-o OPS] [-A blist|extent] [FILTER]\n");
			return 2;
		}
	}
	if (optind < argc)
		filter = argv[optind];
	if (windows < 1 || windows > MAXWIN)
		windows = 5;
	if (quick)
		ops = UINT64_C(1) << 18;
	if (ops < BATCH)
		ops = BATCH;
	pin_cpu();
	cells = calloc(nw, sizeof(*cells));
	printf("bench-alloc: ns per operation, median of %u windows of %" PRIu64
	       " ops after aging; fixed seeds%s\n", windows, ops, quick ? "; quick sizes" : "");
	printf("%-20s %-4s %4s %-6s %8s %8s %8s %7s %6s %8s | %-13s | %-15s\n",
	       "workload", "size", "full", "alloc", "alloc", "free", "fail", "fails",
	       "bit/bk", "regions", "driver alone", "net of driver");
	for (i = 0; i < nw; i++) {
		const struct workload *w = &WORKLOADS[i];
		unsigned lg = quick ? w->log2n - 4 - (w->log2n > 24 ? 2 : 0) : w->log2n;

		if (filter && !strstr(w->name, filter))
			continue;
		/* the driver alone, blist and extent started side by side and
		 * their windows taken in turn, so a change in the machine's
		 * speed during the run falls on all of them alike */
		started[A_NULL] = run_start(&runs[A_NULL], &ALLOCATORS[A_NULL], w, ops, lg, &cells[i].r[A_NULL]);
		started[A_BLIST] = (!only || !strcmp(only, "blist")) &&
				   run_start(&runs[A_BLIST], &ALLOCATORS[A_BLIST], w, ops, lg, &cells[i].r[A_BLIST]);
		started[A_EXTENT] = !w->flex && (!only || !strcmp(only, "extent")) &&
				    run_start(&runs[A_EXTENT], &ALLOCATORS[A_EXTENT], w, ops, lg, &cells[i].r[A_EXTENT]);
		for (win = 0; win < windows; win++)
			for (j = 0; j < 3; j++)
				if (started[j])
					run_window(&runs[j], win);
		for (j = 0; j < 3; j++)
			if (started[j])
				run_finish(&runs[j], windows);
		if (started[A_BLIST])
			print_row(w, lg, "blist", &cells[i].r[A_BLIST], &cells[i].r[A_NULL]);
		if (started[A_EXTENT])
			print_row(w, lg, "extent", &cells[i].r[A_EXTENT], &cells[i].r[A_NULL]);
		fflush(stdout);
	}
	/*
	 * What is still a target here (at 2^24 blocks, or what -q measured
	 * instead): extent against blist (issue 14), blist's memory and its
	 * failing requests (issue 3).  blist's speed targets are ratios
	 * against FreeBSD's blist, measured side by side by the anchor driver
	 * (blist-vs-freebsd.sh, issue 14), not by absolute times here.
	 */
	for (i = 0; i < nw; i++) {
		const struct workload *w = &WORKLOADS[i];
		const struct result *b = &cells[i].r[A_BLIST], *e = &cells[i].r[A_EXTENT];
		unsigned lg = quick ? w->log2n - 4 : w->log2n;

		if (!b->ran || only || w->log2n != 24)
			continue;
		if (w->full == 50 && !w->flex && w->victim == RANDOM && w->maxsz == 32)
			ADD_TARGET(b->bits, 1.1, "blist memory, bits per block, 2^%u", lg);
		if (w->full == 70 && !w->flex && w->victim == RANDOM && w->maxsz == 32 && e->ran) {
			/* the "12k regions" row: see WORKLOADS */
			ADD_TARGET(window_ratio(e->alloc, b->alloc, windows), 2,
				   "extent/blist alloc, 2^%u, %llu regions", lg, (unsigned long long)e->regions);
			ADD_TARGET(window_ratio(e->free, b->free, windows), 2,
				   "extent/blist free, 2^%u, %llu regions", lg, (unsigned long long)e->regions);
		}
		if (w->failpath)
			ADD_TARGET(b->fail_med, 50, "blist failing request ns, 2^%u 99%%", lg);
	}
	if (nt) {
		printf("\ntargets (issues 3, 14):\n");
		for (j = 0; j < nt; j++)
			printf("  %-46s %8.2f  <= %-6g %s\n", tg[j].what, tg[j].value, tg[j].limit,
			       tg[j].value <= tg[j].limit ? "met" : "NOT MET");
		printf("  blist alloc and free against FreeBSD's blist: measured by the anchor\n"
		       "  driver blist-vs-freebsd.sh (issue 14), not here\n");
	}
	free(cells);
	return 0;
}
