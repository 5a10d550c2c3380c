/*
 * Batch mode (-b): plain-text frames on standard output, as top -b, for
 * scripts and logs.  A frame is a few "section key=value ..." lines, then
 * tables separated by blank lines: a header of column names and one row a
 * line, blank-separated.  Text that could hold a blank is escaped as
 * /proc/swaps does (\040), except in the last column; "-" stands for
 * nothing, "?" for a value that could not be read.
 *
 * A replay ends with its totals: a line "totals", then one "key value" a
 * line (see player_totals()).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "swaptop.h"

#define LAST_MAX 512            /* bytes of a command line, as top -b */

/* Octal escapes for control characters and backslashes, and for blanks
 * unless keep_blanks (the last column); at most max bytes of s. */
static void escape(const char *s, bool keep_blanks, size_t max, char *buf, size_t size)
{
	size_t o = 0, i;

	if (!*s) {
		snprintf(buf, size, "-");
		return;
	}
	for (i = 0; s[i] && i < max && o + 5 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < ' ' || (c == ' ' && !keep_blanks) || c == '\\' || c == 0x7f)
			o += (size_t)snprintf(buf + o, size - o, "\\%03o", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
}

/* A grid's shown rows (at most limit; 0: all), aligned. */
static void print_grid(FILE *f, const struct grid *g, const struct units *u, size_t limit)
{
	size_t nrows = g->nshown, r, c, last = 0;
	int w[GRID_MAXCOLS] = { 0 };
	char **cells, buf[4096], esc[16384];

	if (limit && nrows > limit)
		nrows = limit;
	for (c = 0; c < g->ncols; c++)
		if (!g->cols[c].nobatch)
			last = c;
	cells = calloc((nrows + 1) * g->ncols, sizeof(*cells));
	if (!cells) {
		cmd_error("out of memory");
		exit(EXIT_SYSERR);
	}
	for (c = 0; c < g->ncols; c++) {
		if (g->cols[c].nobatch)
			continue;
		cells[c] = strdup(g->cols[c].name);
		for (r = 0; r < nrows; r++) {
			const struct gcell *cell = &g->rows[g->shown[r]].c[c];

			cell_format(&g->cols[c], cell, u, buf, sizeof(buf));
			if (g->cols[c].kind == K_TEXT)
				escape(buf, c == last, c == last ? LAST_MAX : SIZE_MAX, esc, sizeof(esc));
			else
				snprintf(esc, sizeof(esc), "%s", *buf ? buf : "-");
			cells[(r + 1) * g->ncols + c] = strdup(esc);
		}
	}
	for (r = 0; r <= nrows; r++)
		for (c = 0; c < g->ncols; c++)
			if (cells[r * g->ncols + c] && (int)strlen(cells[r * g->ncols + c]) > w[c])
				w[c] = (int)strlen(cells[r * g->ncols + c]);
	for (r = 0; r <= nrows; r++) {
		bool first = true;

		for (c = 0; c < g->ncols; c++) {
			const char *s = cells[r * g->ncols + c];

			if (g->cols[c].nobatch || !s)
				continue;
			if (!first)
				fputc(' ', f);
			first = false;
			if (c == last)
				fputs(s, f);
			else if (g->cols[c].left)
				fprintf(f, "%-*s", w[c], s);
			else
				fprintf(f, "%*s", w[c], s);
		}
		fputc('\n', f);
	}
	for (r = 0; r < (nrows + 1) * g->ncols; r++)
		free(cells[r]);
	free(cells);
}

static void num(FILE *f, const char *key, double v, int decimals)
{
	fprintf(f, " %s=", key);
	if (isnan(v))
		fputc('-', f);
	else
		fprintf(f, "%.*f", decimals, v);
}

static void size(FILE *f, const char *key, uint64_t v, const struct units *u)
{
	char buf[32];

	units_format(u, v, buf, sizeof(buf));
	fprintf(f, " %s=%s", key, buf);
}

/* ---------------------------------------------------------------- live */

/*
 * --area: "area path=... placement=... pages=... procs=... unattributed=...",
 * "map fill=..." (a digit per bucket, first page first: 0 empty, 1 to 9
 * tenths full, rounded up), "map change=..." (+ grew, - shrank, . same;
 * all "." on the first frame), then its processes by pages there.
 */
static void area_section(FILE *f, struct live *l, const struct opts *o)
{
	const struct swapctl_maparea *a = live_map_area(l);
	double fill[SWAPCTL_MAP_BUCKETS];
	int change[SWAPCTL_MAP_BUCKETS];
	char path[4096], fs[SWAPCTL_MAP_BUCKETS + 1], cs[SWAPCTL_MAP_BUCKETS + 1];
	struct grid g;
	struct gview v;
	int i;

	escape(l->map_path, false, SIZE_MAX, path, sizeof(path));
	fputc('\n', f);
	if (!a || live_map_buckets(l, fill, change) < 0) {
		fprintf(f, "area path=%s map=? reason=", path);
		escape(l->map_err, true, SIZE_MAX, path, sizeof(path));
		fprintf(f, "%s\n", path);
		return;
	}
	fprintf(f, "area path=%s type=%d placement=%s pages=%llu procs=%u", path, a->type,
		swapctl_placement_name(a->placement), (unsigned long long)a->pages, a->nprocs);
	if (a->unattributed == SWAPCTL_UNKNOWN)
		fprintf(f, " unattributed=?");
	else
		size(f, "unattributed", a->unattributed, &o->units);
	fputc('\n', f);
	for (i = 0; i < SWAPCTL_MAP_BUCKETS; i++) {
		fs[i] = fill[i] <= 0 ? '0' : (char)('0' + (int)fmin(9, ceil(fill[i] * 9)));
		cs[i] = change[i] > 0 ? '+' : change[i] < 0 ? '-' : '.';
	}
	fs[i] = cs[i] = '\0';
	fprintf(f, "map buckets=%d fill=%s\nmap change=%s\n\n", SWAPCTL_MAP_BUCKETS, fs, cs);
	memset(&v, 0, sizeof(v));
	grid_init(&g, NULL, 0);
	live_area_procs(l, &g);
	v.sort = APC_PAGES;
	grid_arrange(&g, &v);
	print_grid(f, &g, &o->units, o->top);
	gview_free(&v);
	grid_free(&g);
}

static void live_frame(FILE *f, struct live *l, const struct opts *o, long frame)
{
	const struct units *u = &o->units;
	struct summary s;
	struct grid g;
	struct gview v;
	char when[32];
	time_t t = time(NULL);
	struct tm tm;

	live_summary(l, &s);
	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, "swaptop frame=%ld time=%s interval=%g units=%s\n", frame, when, o->delay,
		u->mode == UNITS_HUMAN ? "human" : u->header);
	fprintf(f, "swap");
	size(f, "total", s.swap_total, u);
	size(f, "used", s.swap_used, u);
	size(f, "free", s.swap_free, u);
	size(f, "devices", s.swap_disk, u);
	size(f, "cache", s.swap_cache, u);
	if (s.has_zswap) {
		size(f, "zswapped", s.zswapped, u);
		size(f, "zswap_pool", s.zswap_pool, u);
	} else {
		fprintf(f, " zswapped=- zswap_pool=-");
	}
	num(f, "pct", s.swap_pct, 1);
	fprintf(f, " level=%s\n", level_word(s.lv_swap));
	fprintf(f, "ram");
	size(f, "total", s.mem_total, u);
	size(f, "available", s.mem_avail, u);
	size(f, "used", s.mem_used, u);
	num(f, "pct", s.mem_pct, 1);
	fputc('\n', f);
	fprintf(f, "paging");
	num(f, "in", s.in_ps, 1);
	num(f, "out", s.out_ps, 1);
	num(f, "zswap_in", s.has_zswap ? s.zin_ps : NAN, 1);
	num(f, "zswap_out", s.has_zswap ? s.zout_ps : NAN, 1);
	fprintf(f, " unit=pages/s since_boot=%d level=%s\n", s.since_boot, level_word(s.lv_out));
	fprintf(f, "psi");
	num(f, "some", s.psi_some, 2);
	num(f, "full", s.psi_full, 2);
	fprintf(f, " some_level=%s full_level=%s\n", level_word(s.lv_some), level_word(s.lv_full));

	memset(&v, 0, sizeof(v));
	grid_init(&g, NULL, 0);
	fputc('\n', f);
	live_areas(l, &g);
	v.sort = AC_PRIO;
	grid_arrange(&g, &v);
	print_grid(f, &g, u, 0);
	gview_free(&v);

	fputc('\n', f);
	if (l->procs) {
		live_procs(l, &g);
		v.sort = PC_SWAP;
		grid_arrange(&g, &v);
		print_grid(f, &g, u, o->top);
		gview_free(&v);
	} else {
		fprintf(f, "processes: %s\n", l->procs_err);
	}

	if (l->map_path)
		area_section(f, l, o);

	fputc('\n', f);
	if (l->cgroups) {
		live_cgroups(l, &g);
		v.sort = 0;
		grid_arrange(&g, &v);
		print_grid(f, &g, u, o->top);
		gview_free(&v);
	} else {
		fprintf(f, "cgroups: %s\n", l->cg_err);
	}
	grid_free(&g);
}

static void sleep_until(double when)
{
	struct timespec ts;

	ts.tv_sec = (time_t)when;
	ts.tv_nsec = (long)((when - (double)ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* EXIT_SYSERR when output is lost; the error is printed once, at exit. */
static int flush_out(void)
{
	return cmd_check_stdout();
}

int batch_live(struct swapctl_ctx *ctx, const struct opts *o)
{
	struct live l;
	double next = now_seconds();
	long frame;
	int rc = EXIT_OK, r;

	live_init(&l, ctx, o);
	for (frame = 1; o->count < 0 || frame <= o->count; frame++) {
		if (frame > 1) {
			next += o->delay;
			sleep_until(next);
			putchar('\n');
		}
		r = live_refresh(&l, LIVE_PROCS | LIVE_CGROUPS | (o->area ? LIVE_MAP : 0));
		if (r < 0) {
			cmd_error("%s", l.err);
			rc = cmd_lib_exit_code(ctx, r);
			break;
		}
		live_frame(stdout, &l, o, frame);
		if ((rc = flush_out()) != 0)
			break;
		if (frame == 1)
			next = now_seconds();
	}
	live_free(&l);
	return rc;
}

/* -------------------------------------------------------------- replay */

static void replay_frame(FILE *f, struct player *r, const struct opts *o, long frame, const char *end)
{
	const struct swapctl_engine_stats *s = &r->st;
	struct grid g;
	struct gview v;
	double in, out;

	player_update(r);
	fprintf(f, "swaptop replay=%s frame=%ld event=%llu line=%u clock=%llu%s%s\n", r->name, frame,
		(unsigned long long)s->events, player_line(r), (unsigned long long)s->clock,
		end ? " end=" : "", end ? end : "");
	fprintf(f, "ram pages=%llu resident=%llu dirty=%llu objects=%llu reserved=%llu\n",
		(unsigned long long)s->ram_pages, (unsigned long long)s->resident,
		(unsigned long long)s->dirty, (unsigned long long)s->objects, (unsigned long long)s->reserved);
	fprintf(f, "swap usable=%llu used=%llu bad=%llu lost=%llu",
		(unsigned long long)s->slots_usable, (unsigned long long)s->slots_used,
		(unsigned long long)s->slots_bad, (unsigned long long)s->lost_pages);
	num(f, "pct", s->slots_usable ? 100.0 * (double)s->slots_used / (double)s->slots_usable : NAN, 1);
	fputc('\n', f);
	player_rates(r, 10, &in, &out);
	fprintf(f, "paging pageins=%llu pageouts=%llu", (unsigned long long)s->pageins,
		(unsigned long long)s->pageouts);
	num(f, "in", in, 2);
	num(f, "out", out, 2);
	fprintf(f, " unit=pages/tick window=10\n\n");
	grid_init(&g, NULL, 0);
	memset(&v, 0, sizeof(v));
	player_devices(r, &g);
	v.sort = DC_PRIO;
	grid_arrange(&g, &v);
	print_grid(f, &g, &o->units, 0);
	gview_free(&v);
	grid_free(&g);
}

int batch_replay(struct swapctl_ctx *ctx, const struct opts *o)
{
	struct player r;
	uint64_t every = 0, next_clock;
	long frame = 0;
	const char *end = "trace";
	int rc;

	if (player_open(&r, ctx, o) < 0) {
		if (!r.printed)
			cmd_error("%s", r.errmsg);
		rc = r.exit_code;
		player_close(&r);
		return rc;
	}
	if (o->delay_given)
		every = (uint64_t)ceil(o->delay);
	next_clock = every;
	while ((rc = player_step(&r)) > 0) {
		if (every && r.tick_clock >= next_clock) {
			/* the last frame allowed is the final one */
			if (o->count > 0 && frame + 1 >= o->count) {
				end = "count";
				break;
			}
			replay_frame(stdout, &r, o, ++frame, NULL);
			putchar('\n');
			/* the next multiple of every after the clock, computed:
			 * a tick of 2^64 - 1 steps must not loop per step */
			next_clock = r.tick_clock / every < UINT64_MAX / every ? (r.tick_clock / every + 1) * every
										 : UINT64_MAX;
			if (next_clock <= r.tick_clock)
				every = 0;      /* the clock is at its end: no more frames */
		}
	}
	if (rc < 0) {
		fflush(stdout);
		cmd_error("%s", r.errmsg);
		rc = r.exit_code;
		player_close(&r);
		return rc;
	}
	replay_frame(stdout, &r, o, ++frame, end);
	printf("\ntotals\n");
	player_totals(&r, stdout);
	rc = flush_out();
	/* what failed during the run: on stderr, and in the exit status */
	replay_print_events(r.e, r.name);
	if (rc == 0)
		rc = replay_status(r.e);
	player_close(&r);
	return rc;
}
