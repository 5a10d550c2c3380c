/*
 * Pager engine benchmark (make bench; never a test).
 *
 *   bench-engine sim      replay rate of each generated workload on the
 *                         sim backend at 1 GiB and 64 GiB of swap, with the
 *                         same run's baseline: reading and tokenizing the
 *                         same trace without an engine; pages/s counts
 *                         the pages the r and w events touch (one event of
 *                         seq or fork touches 64).  Metadata per swapped
 *                         page at the end of each replay.
 *   bench-engine area F   page-out and page-in throughput on the swap area
 *                         F (a file or device, not active) through the area
 *                         backend.  Queue depth 1: a sequential fill
 *                         (evictions in clusters of 16 pages) and uniform
 *                         random faults of one 4 KiB page each (cluster 1:
 *                         no read-around), device time from the engine's
 *                         statistics.  Batched, at the engine's queue depth:
 *                         the page-out of the whole object at once (clusters
 *                         of 16) and a swapoff reading every page back (one
 *                         4 KiB page each, in random order on the device),
 *                         wall time of the call, patterns and checks included.
 *
 * Medians of BENCH_RUNS runs (default 5), fixed seeds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "libswapctl.h"
#include "libswapctl-pager.h"
#include "pager/pager.h"      /* PAGER_QD */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* Pages the r and w events of a trace touch (an event may touch many). */
static double page_touches(const char *text)
{
	const char *p = text;
	double n = 0;

	/* "r|w ID INDEX [COUNT]": no sscanf, which measures the whole rest
	 * of the text on every call */
	while (p && *p) {
		if ((p[0] == 'r' || p[0] == 'w') && p[1] == ' ') {
			const char *q = p + 2;
			char *end;
			unsigned long long count = 1;

			q += strcspn(q, " \n");                 /* the ID */
			q += strspn(q, " ");
			strtoull(q, &end, 10);                  /* the index */
			if (*end == ' ')
				count = strtoull(end + 1, NULL, 10);
			n += (double)count;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

/* The driver alone: read every line and split it into fields. */
static double baseline(const char *text, size_t len, unsigned long *lines)
{
	FILE *f = fmemopen((void *)text, len, "r");
	char *line = NULL, *save, *tok;
	size_t cap = 0;
	double t0 = now();
	unsigned long n = 0, fields = 0;

	while (getline(&line, &cap, f) > 0) {
		for (tok = strtok_r(line, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save))
			fields++;
		n++;
	}
	free(line);
	fclose(f);
	*lines = n + (fields == 0);
	return now() - t0;
}

static int bench_sim(struct swapctl_ctx *ctx, int runs)
{
	static const char *const kinds[] = { "seq", "random", "zipf", "fork", "mixed" };
	/* 1 GiB and 64 GiB of swap in 4 KiB pages, over 4 devices */
	static const unsigned long long swap_pages[] = { 262144ull, 16777216ull };
	size_t k, s;

	printf("%-8s %8s %10s %14s %14s %8s %14s %12s %12s\n", "workload", "swap", "events",
	       "baseline ev/s", "replay ev/s", "ratio", "pages/s", "map B/page", "engine MiB");
	for (s = 0; s < 2; s++) {
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			char spec[256], *text = NULL;
			size_t len = 0;
			unsigned long long pages = swap_pages[s] * 2 / 3;     /* swap is 1.5x the memory */
			double tb[16], tr[16];
			unsigned long lines = 0;
			struct swapctl_engine_stats st;
			FILE *f;
			int i;

			snprintf(spec, sizeof(spec), "%s,pages=%llu,ram=65536,devs=4,swap=%llu,events=1000000,seed=7",
				 kinds[k], pages, swap_pages[s] / 4);
			f = open_memstream(&text, &len);
			if (swapctl_workload_write(ctx, spec, f) < 0) {
				fprintf(stderr, "bench: %s\n", swapctl_errmsg(ctx));
				return 1;
			}
			fclose(f);
			for (i = 0; i < runs; i++) {
				struct swapctl_engine_opts o = { .seed = 7 };
				struct swapctl_engine *e;
				double t0;

				tb[i] = baseline(text, len, &lines);
				swapctl_engine_new(ctx, &o, &e);
				f = fmemopen(text, len, "r");
				t0 = now();
				if (swapctl_trace_replay(ctx, f, kinds[k], e) < 0) {
					fprintf(stderr, "bench: %s\n", swapctl_errmsg(ctx));
					return 1;
				}
				tr[i] = now() - t0;
				fclose(f);
				swapctl_engine_stats(e, &st);
				swapctl_engine_free(e);
			}
			printf("%-8s %7lluG %10lu %14.0f %14.0f %8.2f %14.0f %12.2f %12.1f\n", kinds[k],
			       swap_pages[s] * 4096 >> 30, lines, lines / median(tb, runs), lines / median(tr, runs),
			       median(tr, runs) / median(tb, runs), page_touches(text) / median(tr, runs),
			       st.swapped_pages ? (double)st.map_bytes / (double)st.swapped_pages : 0.0,
			       (double)st.engine_bytes / 1048576.0);
			free(text);
		}
	}
	return 0;
}

static struct swapctl_engine *new_engine(struct swapctl_ctx *ctx, const char *path, uint64_t ram,
					 unsigned cluster, uint64_t *pages)
{
	struct swapctl_engine_opts o = { .ram_pages = ram, .cluster = cluster, .seed = 3 };
	struct swapctl_dev_opts d = { .name = "area", .prio = 1, .path = path };
	struct swapctl_engine *e;
	struct swapctl_devstats ds;

	if (swapctl_engine_new(ctx, &o, &e) < 0 || swapctl_engine_dev_add(e, &d) < 0) {
		fprintf(stderr, "bench: %s\n", swapctl_errmsg(ctx));
		exit(1);
	}
	swapctl_engine_devstats(e, 0, &ds);
	*pages = ds.usable - ds.usable / 16;
	return e;
}

/* An engine with the area at path as its only device, cluster pages per
 * page-out, every page of "fill" written once: RAM overflows into clustered
 * page-outs, one at a time.  *mibs: their throughput (device time). */
static struct swapctl_engine *area_engine(struct swapctl_ctx *ctx, const char *path, unsigned cluster,
					  uint64_t *pages, double *mibs)
{
	struct swapctl_engine *e = new_engine(ctx, path, 4096, cluster, pages);
	struct swapctl_devstats ds;
	uint64_t n;

	swapctl_engine_obj_new(e, "fill", *pages);
	for (n = 0; n < *pages; n += 256)
		swapctl_engine_access(e, "fill", n, *pages - n < 256 ? *pages - n : 256, SWAPCTL_WRITE);
	swapctl_engine_devstats(e, 0, &ds);
	*mibs = (double)ds.io_bytes / ds.io_seconds / 1048576.0;
	swapctl_engine_access(e, "fill", 0, *pages, SWAPCTL_PAGEOUT);
	return e;
}

static int check_dev(struct swapctl_engine *e, size_t i)
{
	struct swapctl_devstats ds;
	struct swapctl_engine_stats st;

	swapctl_engine_devstats(e, i, &ds);
	swapctl_engine_stats(e, &st);
	if (ds.verify_errors || ds.read_errors || ds.write_errors || st.lost_pages) {
		fprintf(stderr, "bench: %llu pages failed to verify, %llu lost\n",
			(unsigned long long)ds.verify_errors, (unsigned long long)st.lost_pages);
		return -1;
	}
	return 0;
}

/* Batched page-out: every page resident and dirty, then one page-out of
 * the whole object (clusters of 16, PAGER_QD in flight). */
static double batch_pageout(struct swapctl_ctx *ctx, const char *path)
{
	uint64_t pages, n;
	struct swapctl_engine *e = new_engine(ctx, path, 1u << 24, 16, &pages);
	double t;

	swapctl_engine_obj_new(e, "fill", pages);
	for (n = 0; n < pages; n += 256)
		swapctl_engine_access(e, "fill", n, pages - n < 256 ? pages - n : 256, SWAPCTL_WRITE);
	t = now();
	swapctl_engine_access(e, "fill", 0, pages, SWAPCTL_PAGEOUT);
	t = now() - t;
	if (check_dev(e, 0) < 0)
		exit(1);
	swapctl_engine_free(e);
	return (double)pages * 4096 / t / 1048576.0;
}

/* Batched page-in: pages written in a random order and evicted in that
 * order (cluster 1), so the object's pages are scattered over the device;
 * then swapoff reads them all back in the object's order. */
static double batch_pagein(struct swapctl_ctx *ctx, const char *path)
{
	uint64_t pages, i, rng = 777, *perm;
	struct swapctl_engine *e = new_engine(ctx, path, 1u << 24, 1, &pages);
	struct swapctl_engine_stats st;
	struct swapctl_devstats ds;
	double t;

	perm = malloc(pages * sizeof(*perm));
	if (!perm)
		exit(1);
	for (i = 0; i < pages; i++)
		perm[i] = i;
	for (i = pages - 1; i > 0; i--) {
		uint64_t j, x;

		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		j = (rng >> 33) % (i + 1);
		x = perm[i];
		perm[i] = perm[j];
		perm[j] = x;
	}
	swapctl_engine_set_ram(e, pages + 16);
	swapctl_engine_obj_new(e, "fill", pages);
	for (i = 0; i < pages; i++)
		swapctl_engine_access(e, "fill", perm[i], 1, SWAPCTL_WRITE);
	free(perm);
	swapctl_engine_set_ram(e, 16);          /* evicts in the order written */
	swapctl_engine_set_ram(e, pages + 16);
	swapctl_engine_stats(e, &st);
	pages -= st.resident;                   /* the few the shrink kept */
	t = now();
	if (swapctl_engine_dev_del(e, "area") < 0) {
		fprintf(stderr, "bench: %s\n", swapctl_errmsg(ctx));
		exit(1);
	}
	t = now() - t;
	swapctl_engine_devstats(e, 0, &ds);
	if (check_dev(e, 0) < 0 || ds.pageins != pages) {
		fprintf(stderr, "bench: swapoff read %llu pages of %llu\n", (unsigned long long)ds.pageins,
			(unsigned long long)pages);
		exit(1);
	}
	swapctl_engine_free(e);
	return (double)pages * 4096 / t / 1048576.0;
}

static int bench_area(struct swapctl_ctx *ctx, const char *path, int runs)
{
	double out[16], in[16], bout[16], bin[16];
	uint64_t pages = 0;
	int i;

	for (i = 0; i < runs; i++) {
		struct swapctl_devstats ds;
		struct swapctl_engine *e = area_engine(ctx, path, 16, &pages, &out[i]);
		uint64_t k, rng = 12345;
		double bytes0, secs0, mibs;

		swapctl_engine_free(e);

		/* page-in: a cluster of 1, so each random fault is one 4 KiB read */
		e = area_engine(ctx, path, 1, &pages, &mibs);
		swapctl_engine_devstats(e, 0, &ds);
		bytes0 = (double)ds.io_bytes;
		secs0 = ds.io_seconds;
		for (k = 0; k < 20000; k++) {
			rng = rng * 6364136223846793005ull + 1442695040888963407ull;
			swapctl_engine_access(e, "fill", (rng >> 33) % pages, 1, SWAPCTL_READ);
		}
		swapctl_engine_devstats(e, 0, &ds);
		in[i] = ((double)ds.io_bytes - bytes0) / (ds.io_seconds - secs0) / 1048576.0;
		if (check_dev(e, 0) < 0)
			return 1;
		swapctl_engine_free(e);

		bout[i] = batch_pageout(ctx, path);
		bin[i] = batch_pagein(ctx, path);
	}
	printf("area %s: %llu pages\n", path, (unsigned long long)pages);
	printf("pageout_mibs %.1f\npagein_mibs %.1f\n", median(out, runs), median(in, runs));
	printf("qd %u\nbatch_pageout_mibs %.1f\nbatch_pagein_mibs %.1f\n", PAGER_QD, median(bout, runs),
	       median(bin, runs));
	return 0;
}

int main(int argc, char **argv)
{
	struct swapctl_ctx *ctx;
	const char *env = getenv("BENCH_RUNS");
	int runs = env ? atoi(env) : 5, r;

	if (runs < 1 || runs > 16)
		runs = 5;
	if (argc < 2 || swapctl_new(&ctx) < 0) {
		fprintf(stderr, "usage: bench-engine sim | area PATH\n");
		return 1;
	}
	if (!strcmp(argv[1], "sim"))
		r = bench_sim(ctx, runs);
	else if (!strcmp(argv[1], "area") && argc > 2)
		r = bench_area(ctx, argv[2], runs);
	else
		r = 1;
	swapctl_unref(ctx);
	return r;
}
