/*
 * Workload generators: write swaptrace 1 text for typical access patterns.
 * The same spec and seed always give the same trace.
 *
 *   seq      sequential write then read sweeps over one object
 *   random   uniform random reads (70%) and writes (30%)
 *   zipf     reads and writes concentrated on a hot set (Zipf, s = 1)
 *   fork     a parent written once, shadows written in part, collapsed
 *   mixed    all of these at once, with priority changes, page-outs,
 *            discards, resizes and a swapoff of a busy device (the default)
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "trace.h"

struct wl {
	uint64_t pages, ram, swap, devs, events, seed, cluster;
	uint64_t rng;
	uint64_t n;             /* events written */
	FILE *out;
	/* the binary form: each line parsed back and written as a record */
	struct trace_writer *tw;
	struct swapctl_trace *parser;
	int err;
};

static uint64_t rnd(struct wl *w, uint64_t bound)
{
	return bound ? engine_rand(&w->rng) % bound : 0;
}

static double unif(struct wl *w)
{
	return (double)(engine_rand(&w->rng) >> 11) * 0x1.0p-53;
}

__attribute__((format(printf, 2, 3)))
static void ev(struct wl *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (w->tw) {
		char line[256];
		int n = vsnprintf(line, sizeof(line) - 1, fmt, ap), r;

		/* the two lines of the text header come before the first event */
		snprintf(line + n, sizeof(line) - (size_t)n, "\n");
		r = trace_text_parse(w->parser, line);
		if (r > 0)
			r = trace_writer_event(w->tw, &w->parser->ev, (unsigned)(w->n + 3));
		if (r < 0 && !w->err)
			w->err = r;
	} else {
		vfprintf(w->out, fmt, ap);
		fputc('\n', w->out);
	}
	va_end(ap);
	w->n++;
}

static bool more(const struct wl *w)
{
	return w->n < w->events;
}

/*
 * A page of a Zipf(1) distribution over n pages.  Ranks come in runs of 16
 * pages (data larger than a page), and the runs are scattered over the
 * object, so the hot set is spread out but has the locality real data has.
 */
static uint64_t zipf_page(struct wl *w, uint64_t n)
{
	double u = unif(w);
	uint64_t rank = (uint64_t)exp(u * log((double)n + 1.0)), runs = n / 16, p;

	rank = rank ? rank - 1 : 0;
	if (rank >= n)
		rank = n - 1;
	if (!runs)
		return rank;
	p = (rank / 16 * 0x9e3779b1ull) % runs * 16 + rank % 16;
	return p < n ? p : rank;
}

static void devices(struct wl *w, bool varied)
{
	uint64_t i;

	for (i = 0; i < w->devs; i++) {
		if (varied)
			ev(w, "dev add swap%llu %llu prio=%d alloc=%s cluster=%llu", (unsigned long long)i,
			   (unsigned long long)w->swap, i == 0 ? 20 : 10, i == 1 ? "extent" : "blist",
			   (unsigned long long)(i == 2 ? w->cluster / 2 ? w->cluster / 2 : 1 : w->cluster));
		else
			ev(w, "dev add swap%llu %llu prio=10 cluster=%llu", (unsigned long long)i,
			   (unsigned long long)w->swap, (unsigned long long)w->cluster);
	}
}

static void gen_seq(struct wl *w)
{
	uint64_t i, chunk = 64;

	ev(w, "obj new data %llu", (unsigned long long)w->pages);
	while (more(w)) {
		for (i = 0; i < w->pages && more(w); i += chunk)
			ev(w, "w data %llu %llu", (unsigned long long)i,
			   (unsigned long long)(w->pages - i < chunk ? w->pages - i : chunk));
		for (i = 0; i < w->pages && more(w); i += chunk)
			ev(w, "r data %llu %llu", (unsigned long long)i,
			   (unsigned long long)(w->pages - i < chunk ? w->pages - i : chunk));
		ev(w, "tick");
	}
}

static void gen_random(struct wl *w, bool zipf)
{
	ev(w, "obj new data %llu", (unsigned long long)w->pages);
	while (more(w)) {
		uint64_t p = zipf ? zipf_page(w, w->pages) : rnd(w, w->pages);

		ev(w, "%s data %llu", unif(w) < 0.7 ? "r" : "w", (unsigned long long)p);
		if (w->n % 1000 == 0)
			ev(w, "tick");
	}
}

static void gen_fork(struct wl *w)
{
	uint64_t gen = 0, i, size = w->pages / 2 ? w->pages / 2 : 1;

	ev(w, "obj new base0 %llu", (unsigned long long)size);
	for (i = 0; i < size && more(w); i += 64)
		ev(w, "w base0 %llu %llu", (unsigned long long)i,
		   (unsigned long long)(size - i < 64 ? size - i : 64));
	while (more(w)) {
		uint64_t k;

		ev(w, "obj new shadow%llu %llu", (unsigned long long)gen, (unsigned long long)size);
		for (k = 0; k < size / 10 + 1 && more(w); k++)
			ev(w, "w shadow%llu %llu", (unsigned long long)gen, (unsigned long long)rnd(w, size));
		for (k = 0; k < size / 10 + 1 && more(w); k++)
			ev(w, "r base%llu %llu", (unsigned long long)gen, (unsigned long long)rnd(w, size));
		/* the parent goes away: the shadow absorbs what it does not have */
		ev(w, "copy base%llu shadow%llu 0", (unsigned long long)gen, (unsigned long long)gen);
		gen++;
		/* the shadow lives on as the next base: a new id for it */
		ev(w, "obj new base%llu %llu", (unsigned long long)gen, (unsigned long long)size);
		ev(w, "copy shadow%llu base%llu 0", (unsigned long long)(gen - 1), (unsigned long long)gen);
		ev(w, "tick");
	}
}

static void gen_mixed(struct wl *w)
{
	uint64_t heap0 = w->pages / 2, heap = heap0, scan = w->pages / 4, i = 0, tmp = 0, cursor = 0;
	bool swapped_off = false, prio_changed = false;

	ev(w, "obj new heap %llu", (unsigned long long)heap);
	ev(w, "obj new scan %llu", (unsigned long long)scan);
	while (more(w)) {
		uint64_t k = rnd(w, 100);

		if (k < 45) {
			/* one random draw per statement: argument order is unspecified */
			bool read = unif(w) < 0.6;
			uint64_t p = zipf_page(w, heap);

			ev(w, "%s heap %llu", read ? "r" : "w", (unsigned long long)p);
		} else if (k < 65) {
			uint64_t c = scan - cursor < 32 ? scan - cursor : 32;

			ev(w, "%s scan %llu %llu", cursor < scan / 2 ? "w" : "r", (unsigned long long)cursor,
			   (unsigned long long)c);
			cursor = cursor + c >= scan ? 0 : cursor + c;
		} else if (k < 80) {
			ev(w, "w heap %llu", (unsigned long long)rnd(w, heap));
		} else if (k < 88) {
			uint64_t size = 16 + rnd(w, 240);

			ev(w, "obj new tmp%llu %llu", (unsigned long long)tmp, (unsigned long long)size);
			ev(w, "w tmp%llu 0 %llu", (unsigned long long)tmp, (unsigned long long)size);
			if (tmp)
				ev(w, "obj del tmp%llu", (unsigned long long)(tmp - 1));
			tmp++;
		} else if (k < 92) {
			uint64_t p = rnd(w, heap), c = 1 + rnd(w, 32);

			ev(w, "out heap %llu %llu", (unsigned long long)p,
			   (unsigned long long)(heap - p < c ? heap - p : c));
		} else if (k < 95) {
			uint64_t p = rnd(w, scan), c = 1 + rnd(w, 64);

			ev(w, "free scan %llu %llu", (unsigned long long)p,
			   (unsigned long long)(scan - p < c ? scan - p : c));
		} else if (k < 97) {
			/* between 7/8 of its first size and that size: never more
			 * than was reserved at the start, so it cannot be refused */
			uint64_t size = heap0 - rnd(w, heap0 / 8 + 1);

			ev(w, "obj resize heap %llu", (unsigned long long)size);
			heap = size;
		} else {
			ev(w, "tick %llu", (unsigned long long)(1 + rnd(w, 10)));
		}
		i++;
		if (!prio_changed && w->n > w->events / 3 && w->devs > 2) {
			ev(w, "dev prio swap2 30");
			prio_changed = true;
		}
		if (!swapped_off && w->n > w->events * 2 / 3 && w->devs > 1) {
			/* the busiest device of the start goes, a new one comes */
			ev(w, "dev del swap0");
			ev(w, "dev add swap0b %llu prio=5", (unsigned long long)w->swap);
			swapped_off = true;
		}
	}
}

static int parse_spec(struct swapctl_ctx *ctx, const char *spec, char *name, size_t size, struct wl *w)
{
	static const char *const keys[] = { "pages", "ram", "swap", "devs", "events", "seed", "cluster" };
	uint64_t *vals[] = { &w->pages, &w->ram, &w->swap, &w->devs, &w->events, &w->seed, &w->cluster };
	char *copy = strdup(spec), *tok, *save = NULL;
	size_t i;
	int r = 0;

	if (!copy)
		return -ENOMEM;
	tok = strtok_r(copy, ",", &save);
	snprintf(name, size, "%s", tok ? tok : "");
	while (r == 0 && (tok = strtok_r(NULL, ",", &save))) {
		char *eq = strchr(tok, '=');

		for (i = 0; eq && i < ARRAY_SIZE(keys); i++)
			if ((size_t)(eq - tok) == strlen(keys[i]) && !strncmp(tok, keys[i], (size_t)(eq - tok)))
				break;
		if (!eq || i == ARRAY_SIZE(keys))
			r = swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
					       "workload: '%s' is not one of pages=, ram=, swap=, devs=, events=, seed=, cluster=",
					       tok);
		else if (parse_u64(eq + 1, vals[i]) < 0)
			r = swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL, "workload: '%s' is not a number", tok);
	}
	free(copy);
	return r;
}

SWAPCTL_EXPORT int swapctl_workload_write_as(struct swapctl_ctx *ctx, const char *spec, FILE *out,
					     enum swapctl_trace_form form)
{
	SWAPCTL_ENTER(ctx);
	struct wl w = { .pages = 8192, .ram = 2048, .devs = 3, .events = 100000, .seed = 1, .cluster = 16 };
	struct trace_writer tw;
	char name[32];
	int r;

	r = parse_spec(ctx, spec, name, sizeof(name), &w);
	if (r < 0)
		return r;
	if (strcmp(name, "seq") && strcmp(name, "random") && strcmp(name, "zipf") && strcmp(name, "fork") &&
	    strcmp(name, "mixed"))
		return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
					  "workload '%s': not seq, random, zipf, fork or mixed", name);
	if (!w.pages || !w.ram || !w.devs || w.devs > 64 || !w.cluster || w.cluster > 1024)
		return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
					  "workload %s: pages, ram and devs (at most 64) must be positive, cluster 1..1024",
					  name);
	if (!w.swap)
		w.swap = w.pages * 3 / 2 / w.devs + 2;
	w.out = out;
	w.rng = w.seed;
	if (form == SWAPCTL_TRACE_BINARY) {
		r = swapctl_trace_open(ctx, NULL, "workload", &w.parser);
		if (r < 0)
			return r;
		w.parser->header = true;
		trace_writer_init(&tw, out, true);
		w.tw = &tw;
		trace_writer_header(&tw, swapctl_kernel_pagesize());
	} else {
		fprintf(out, "swaptrace 1 pagesize=%u\n# workload %s pages=%llu ram=%llu swap=%llu devs=%llu events=%llu seed=%llu cluster=%llu\n",
			swapctl_kernel_pagesize(), name, (unsigned long long)w.pages, (unsigned long long)w.ram,
			(unsigned long long)w.swap, (unsigned long long)w.devs, (unsigned long long)w.events,
			(unsigned long long)w.seed, (unsigned long long)w.cluster);
	}
	ev(&w, "ram %llu", (unsigned long long)w.ram);
	devices(&w, !strcmp(name, "mixed"));
	if (!strcmp(name, "seq"))
		gen_seq(&w);
	else if (!strcmp(name, "random"))
		gen_random(&w, false);
	else if (!strcmp(name, "zipf"))
		gen_random(&w, true);
	else if (!strcmp(name, "fork"))
		gen_fork(&w);
	else
		gen_mixed(&w);
	if (w.tw) {
		trace_writer_free(&tw);
		swapctl_trace_close(w.parser);
		if (w.err < 0)
			return swapctl_fail_system(ctx, -w.err, "workload %s: cannot write the binary trace", name);
	}
	if (fflush(out) != 0 || ferror(out))
		return swapctl_fail_system(ctx, EIO, "workload %s: cannot write the trace", name);
	return 0;
}

SWAPCTL_EXPORT int swapctl_workload_write(struct swapctl_ctx *ctx, const char *spec, FILE *out)
{
	SWAPCTL_ENTER(ctx);
	return swapctl_workload_write_as(ctx, spec, out, SWAPCTL_TRACE_TEXT);
}
