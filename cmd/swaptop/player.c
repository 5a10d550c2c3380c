/*
 * The replay driver: a pager engine fed one event at a time from a trace
 * (or from the default generated workload), with the history of page-ins
 * and page-outs per tick of engine time.
 *
 * The clock moves only on "tick" events, so the engine's statistics, which
 * cost a walk over RAM, are read at ticks and when the screen asks.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "swaptop.h"

const struct gcol dev_cols[] = {
	[DC_NAME] = { "DEVICE", K_TEXT, 16, 100, true, false, false, "device name in the trace" },
	[DC_PRIO] = { "PRIO", K_INT, 6, 90, false, false, false, "priority: higher is used first" },
	[DC_ALLOC] = { "ALLOC", K_TEXT, 6, 40, true, false, false, "allocator: blist or extent" },
	[DC_SIZE] = { "PAGES", K_INT, 8, 80, false, false, false, "size in pages, header included" },
	[DC_USED] = { "USED", K_INT, 8, 95, false, false, false, "slots in use" },
	[DC_PCT] = { "USE%", K_PCT, 5, 85, false, false, false, "used, percent of the usable slots" },
	[DC_FREE] = { "FREE", K_INT, 8, 50, false, false, false, "free slots" },
	[DC_BAD] = { "BAD", K_INT, 4, 30, false, false, false, "bad slots (header, I/O errors)" },
	[DC_OUT] = { "OUT", K_INT, 8, 70, false, false, false, "pages written out" },
	[DC_IN] = { "IN", K_INT, 8, 70, false, false, false, "pages read in" },
	[DC_FAIL] = { "FAIL", K_INT, 5, 35, false, false, false, "allocation requests it could not meet" },
	[DC_STATE] = { "STATE", K_TEXT, 7, 32, true, false, false, "active, or removed (swapped off)" },
	[DC_MAP] = { "MAP", K_CUSTOM, 10, 45, true, true, true,
		     "where its slots are used, from the first page to the last" },
};
const size_t n_dev_cols = ARRAY_SIZE(dev_cols);

static int fail(struct player *r, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct player *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->errmsg, sizeof(r->errmsg), fmt, ap);
	va_end(ap);
	r->err = err;
	r->exit_code = EXIT_SYSERR;     /* lib_fail gives the failure's class */
	r->done = true;
	return err;
}

static int lib_fail(struct player *r, int err)
{
	const char *msg = swapctl_errmsg(r->ctx);
	int code = cmd_lib_exit_code(r->ctx, err);

	fail(r, err, "%s", msg && *msg ? msg : strerror(-err));
	r->exit_code = code;
	return err;
}

int player_open(struct player *r, struct swapctl_ctx *ctx, const struct opts *o)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->ctx = ctx;
	r->o = o;
	/* the engine and the trace as swapinfo -r makes them */
	rc = replay_setup(ctx, &o->rp, &r->e, &r->f, r->name, sizeof(r->name));
	if (rc) {
		r->e = NULL;
		r->f = NULL;
		r->printed = true;
		r->exit_code = rc;
		r->done = true;
		r->err = -EINVAL;
		return -EINVAL;
	}
	rc = swapctl_trace_open(ctx, r->f, r->name, &r->t);
	if (rc < 0)
		return lib_fail(r, rc);
	player_update(r);
	return 0;
}

void player_update(struct player *r)
{
	swapctl_engine_stats(r->e, &r->st);
}

/* The clock moved: spread what happened since the last tick over the ticks. */
static void on_tick(struct player *r)
{
	uint64_t dc, k;
	double in, out, used;

	player_update(r);
	if (r->st.clock <= r->tick_clock)
		return;
	dc = r->st.clock - r->tick_clock;
	in = (double)(r->st.pageins - r->tick_in) / (double)dc;
	out = (double)(r->st.pageouts - r->tick_out) / (double)dc;
	used = r->st.slots_usable ? (double)r->st.slots_used / (double)r->st.slots_usable : NAN;
	for (k = 0; k < dc && k < HIST_MAX; k++) {
		ring_push(&r->h_in, in);
		ring_push(&r->h_out, out);
		ring_push(&r->h_used, used);
	}
	r->tick_clock = r->st.clock;
	r->tick_in = r->st.pageins;
	r->tick_out = r->st.pageouts;
}

static bool is_tick(const char *ev)
{
	ev += strspn(ev, " \t");
	return !strncmp(ev, "tick", 4) && (ev[4] == '\0' || ev[4] == ' ' || ev[4] == '\t' || ev[4] == '#');
}

int player_step(struct player *r)
{
	int rc;

	if (r->done)
		return r->err ? r->err : 0;
	rc = swapctl_trace_step(r->t, r->e);
	if (rc < 0)
		return lib_fail(r, rc);
	if (rc == 0) {
		r->done = true;
		player_update(r);
		return 0;
	}
	if (is_tick(swapctl_trace_event(r->t)))
		on_tick(r);
	return 1;
}

int player_tick(struct player *r)
{
	uint64_t c0 = r->tick_clock;
	int rc;

	while ((rc = player_step(r)) > 0)
		if (r->tick_clock != c0)
			break;
	player_update(r);
	return rc;
}

long player_run(struct player *r, uint64_t max, double seconds)
{
	double t0 = seconds > 0 ? now_seconds() : 0;
	uint64_t n = 0;
	int rc;

	while (n < max) {
		rc = player_step(r);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		n++;
		if (seconds > 0 && (n & 255) == 0 && now_seconds() - t0 >= seconds)
			break;
	}
	return (long)n;
}

void player_rates(const struct player *r, size_t window, double *in, double *out)
{
	double si = 0, so = 0;
	size_t i, n = r->h_in.n < window ? r->h_in.n : window;

	if (n == 0) {
		*in = *out = NAN;
		return;
	}
	for (i = 0; i < n; i++) {
		si += ring_get(&r->h_in, i);
		so += ring_get(&r->h_out, i);
	}
	*in = si / (double)n;
	*out = so / (double)n;
}

const char *player_event(const struct player *r)
{
	return r->t ? swapctl_trace_event(r->t) : "";
}

unsigned player_line(const struct player *r)
{
	return r->t ? swapctl_trace_line(r->t) : 0;
}

void player_devices(struct player *r, struct grid *g)
{
	size_t i, n = swapctl_engine_ndevs(r->e);

	grid_reset(g, dev_cols, n_dev_cols);
	for (i = 0; i < n; i++) {
		struct swapctl_devstats ds;
		char key[96];
		struct grow *row;

		if (swapctl_engine_devstats(r->e, i, &ds) < 0)
			continue;
		snprintf(key, sizeof(key), "%zu:%s", i, ds.name);
		row = grid_add(g, key);
		cell_text(row, DC_NAME, ds.name);
		cell_text(row, DC_STATE, ds.removed ? "removed" : "active");
		cell_num(row, DC_PRIO, K_INT, ds.prio);
		cell_text(row, DC_ALLOC, swapctl_allocator_name(ds.alloc));
		cell_num(row, DC_SIZE, K_INT, (double)ds.pages);
		cell_num(row, DC_USED, K_INT, (double)ds.used);
		cell_num(row, DC_PCT, K_PCT, ds.usable ? 100.0 * (double)ds.used / (double)ds.usable : NAN);
		row->c[DC_PCT].level = (unsigned char)th_level(&r->o->th[TH_SWAP], row->c[DC_PCT].d);
		cell_num(row, DC_FREE, K_INT, (double)ds.free);
		cell_num(row, DC_BAD, K_INT, (double)ds.bad);
		cell_num(row, DC_OUT, K_INT, (double)ds.pageouts);
		cell_num(row, DC_IN, K_INT, (double)ds.pageins);
		cell_num(row, DC_FAIL, K_INT, (double)ds.alloc_failures);
		if (ds.removed) {
			cell_state(row, DC_PRIO, C_NONE);
			cell_state(row, DC_PCT, C_NONE);
		}
		row->c[DC_MAP].d = (double)i;   /* the device, for the map */
	}
}

/* ------------------------------------------------------------- totals */

static void kv(FILE *f, const char *prefix, const char *key, uint64_t v)
{
	fprintf(f, "%s%s %llu\n", prefix, key, (unsigned long long)v);
}

static void hist(FILE *f, const char *prefix, const char *key, const uint64_t *h, size_t n)
{
	size_t i;

	fprintf(f, "%s%s", prefix, key);
	for (i = 0; i < n; i++)
		fprintf(f, " %llu", (unsigned long long)h[i]);
	fputc('\n', f);
}

/*
 * One "key value" a line, named as the fields of swapinfo -r --json:
 * engine figures, then dev.N.FIELD for the N-th device added (removed
 * ones included), histograms as lists of numbers, and "lost OBJECT INDEX
 * DEVICE" for every page lost.  I/O time is left out: it is the only
 * figure a replay does not repeat exactly.
 */
void player_totals(struct player *r, FILE *f)
{
	const struct swapctl_engine_stats *s = &r->st;
	size_t i, n = swapctl_engine_ndevs(r->e);

	player_update(r);
#define T(field) kv(f, "", #field, s->field)
	T(events); T(clock); T(ram_pages); T(resident); T(dirty);
	T(objects); T(reserved); T(reserve_failures);
	T(faults); T(zero_fills); T(pageins); T(pageouts); T(clean_drops);
	T(readaround_hits); T(swapoffs); T(swapoff_failures); T(lost_pages);
	T(low_water_warnings); T(pageout_failures); T(fault_failures); T(failures); T(warnings);
	T(slots_usable); T(slots_used); T(slots_bad);
	T(swapped_pages); T(map_bytes); T(engine_bytes); T(alloc_bytes);
#undef T
	for (i = 0; i < n; i++) {
		struct swapctl_devstats d;
		char p[48];

		if (swapctl_engine_devstats(r->e, i, &d) < 0)
			continue;
		snprintf(p, sizeof(p), "dev.%zu.", i);
		fprintf(f, "%sname %s\n", p, d.name);
		fprintf(f, "%spath %s\n", p, d.path[0] ? d.path : "-");
		fprintf(f, "%sprio %d\n", p, d.prio);
		fprintf(f, "%salloc %s\n", p, swapctl_allocator_name(d.alloc));
		fprintf(f, "%scluster %u\n", p, d.cluster);
		fprintf(f, "%sremoved %d\n", p, d.removed ? 1 : 0);
#define D(field) kv(f, p, #field, d.field)
		D(pages); D(usable); D(used); D(free); D(bad); D(alloc_failures);
		D(pageouts); D(pageins); D(writes); D(reads);
		hist(f, p, "out_hist", d.out_hist, SWAPCTL_HIST_BUCKETS);
		hist(f, p, "in_hist", d.in_hist, SWAPCTL_HIST_BUCKETS);
		D(readaround); D(readaround_hits);
		D(write_errors); D(read_errors); D(verify_errors); D(lost); D(io_bytes);
		kv(f, p, "free_runs.runs", d.runs.runs);
		kv(f, p, "free_runs.largest", d.runs.largest);
		hist(f, p, "free_runs.hist", d.runs.hist, SWAPCTL_FREESTATS_BUCKETS);
#undef D
	}
	for (i = 0; i < swapctl_engine_nlost(r->e); i++) {
		const struct swapctl_lost *lp = swapctl_engine_lost(r->e, i);

		fprintf(f, "lost %s %llu %s\n", lp->obj, (unsigned long long)lp->index, lp->dev);
	}
}

void player_close(struct player *r)
{
	swapctl_trace_close(r->t);
	if (r->f)
		replay_close(r->f);
	swapctl_engine_free(r->e);
	memset(r, 0, sizeof(*r));
}
