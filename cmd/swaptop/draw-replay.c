/*
 * The replay screen:
 *
 *   title      trace, event and line, engine clock, speed, paused / end
 *   last       the event just applied (or the error that stopped it)
 *   RAM, Swap  bars of the simulated RAM and of the slots in use
 *   Paging     page-ins and page-outs per tick of engine time
 *   history    sparklines per tick: page-in, page-out, slots used
 *   devices    one row each, with a density strip of where slots are used
 *   histograms free runs and page-out/page-in cluster sizes of the
 *              selected device
 *   status     keys, a message, or the filter prompt
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "screen.h"

#define RATE_WINDOW 10          /* ticks the rates are averaged over */

void replay_build(struct ui *u)
{
	player_update(&u->rp);
	player_devices(&u->rp, &u->devs);
	grid_arrange(&u->devs, &u->devview);
}

static void fmt_num(double v, char *buf, size_t size)
{
	if (isnan(v))
		snprintf(buf, size, "-");
	else if (v < 10)
		snprintf(buf, size, "%.2f", v);
	else
		snprintf(buf, size, "%.0f", v);
}

static void title(const struct ui *u)
{
	const struct player *r = &u->rp;
	char left[512], speed[32];
	const char *right = "h help  q quit ";
	const char *state = r->err ? "  [error]" : r->done ? "  [end]" : u->paused ? "  [paused]" : "";

	if (u->speed > 0)
		snprintf(speed, sizeof(speed), "%g/s", u->speed);
	else
		snprintf(speed, sizeof(speed), "max");
	fill_line(0, ST_TITLE);
	snprintf(left, sizeof(left), " swaptop replay  event %llu  line %u  clock %llu  speed %s%s  %s",
		 (unsigned long long)r->st.events, player_line(r), (unsigned long long)r->st.clock,
		 speed, state, r->name);
	put(0, 0, COLS, left, AL_LEFT, ST_TITLE);
	if (COLS > text_width(left) + (int)strlen(right) + 1)
		put(0, COLS - (int)strlen(right), (int)strlen(right), right, AL_LEFT, ST_TITLE);
}

static void bar_line(int y, const char *label, uint64_t a, uint64_t b, const char *text, enum style st)
{
	struct seg seg = { b ? (double)a / (double)b : 0, st, NULL };
	int bw = (COLS - LABEL_W - 2) * 2 / 5;

	put(y, 0, LABEL_W, label, AL_LEFT, ST_LABEL);
	if (bw < 4)
		bw = 4;
	put(y, LABEL_W, 1, "[", AL_LEFT, ST_NORMAL);
	bar(y, LABEL_W + 1, bw, &seg, 1);
	put(y, LABEL_W + 1 + bw, 1, "]", AL_LEFT, ST_NORMAL);
	put_at(y, LABEL_W + 2 + bw, text, ST_NORMAL);
}

static void header(const struct ui *u)
{
	const struct player *r = &u->rp;
	const struct swapctl_engine_stats *s = &r->st;
	char text[256], a[16], b[16];
	double in, out, pct;
	int x;

	if (r->err)
		put(1, 0, COLS, r->errmsg, AL_LEFT, ST_CRIT);
	else
		put_fmt(1, 0, ST_NORMAL, "last: %s", s->events ? player_event(r) : "(nothing yet)");
	snprintf(text, sizeof(text), " %llu/%llu pages, %llu dirty, %llu objects, %llu reserved",
		 (unsigned long long)s->resident, (unsigned long long)s->ram_pages,
		 (unsigned long long)s->dirty, (unsigned long long)s->objects, (unsigned long long)s->reserved);
	bar_line(2, "RAM", s->resident, s->ram_pages, text, ST_USED);
	pct = s->slots_usable ? 100.0 * (double)s->slots_used / (double)s->slots_usable : NAN;
	snprintf(text, sizeof(text), " %llu/%llu slots %5.1f%%, %llu bad, %llu lost",
		 (unsigned long long)s->slots_used, (unsigned long long)s->slots_usable, isnan(pct) ? 0 : pct,
		 (unsigned long long)s->slots_bad, (unsigned long long)s->lost_pages);
	bar_line(3, "Swap", s->slots_used, s->slots_usable, text,
		 th_level(&u->o->th[TH_SWAP], pct) == LV_CRIT ? ST_CRIT :
		 th_level(&u->o->th[TH_SWAP], pct) == LV_WARN ? ST_WARN : ST_USED);
	player_rates(r, RATE_WINDOW, &in, &out);
	fmt_num(in, a, sizeof(a));
	fmt_num(out, b, sizeof(b));
	put(4, 0, LABEL_W, "Paging", AL_LEFT, ST_LABEL);
	x = put_fmt(4, LABEL_W, ST_NORMAL, "in %s out %s pages/tick (last %d ticks)", a, b, RATE_WINDOW);
	put_fmt(4, x, ST_NORMAL, "   faults %llu  read-around hits %llu  swapoffs %llu/%llu failed  "
		"reserve failures %llu", (unsigned long long)s->faults, (unsigned long long)s->readaround_hits,
		(unsigned long long)s->swapoffs, (unsigned long long)s->swapoff_failures,
		(unsigned long long)s->reserve_failures);
}

static void history(const struct player *r, int y)
{
	history_rows(y, &r->h_in, &r->h_out, &r->h_used, fmt_num, "/t");
}

/* The density strip of each device row: how full each part of it is. */
static void maps(struct ui *u, const struct layout *lay)
{
	double buckets[512];
	struct swapctl_devstats ds;
	int i, w = lay->w[DC_MAP], j;
	uint64_t per;

	if (!w)
		return;
	if (w > 512)
		w = 512;
	for (i = 0; i < lay->rows; i++) {
		const struct grow *row = &u->devs.rows[u->devs.shown[u->devview.top + (size_t)i]];
		size_t dev = (size_t)row->c[DC_MAP].d;
		bool sel = u->devview.cur == u->devview.top + (size_t)i;

		if (!strcmp(row->c[DC_STATE].text, "removed")) {
			put(lay->first + i, lay->x[DC_MAP], w, "(swapped off)", AL_LEFT,
			    sel ? ST_SELECTED : ST_NORMAL);
			continue;
		}
		if (swapctl_engine_devmap(u->rp.e, dev, buckets, (size_t)w) < 0 ||
		    swapctl_engine_devstats(u->rp.e, dev, &ds) < 0)
			continue;
		/* the last bucket may run past the device's end: what is past
		 * it counts as used there; count only the pages that exist */
		per = (ds.pages + (uint64_t)w - 1) / (uint64_t)w;
		for (j = w - 1; j >= 0 && per * (uint64_t)j >= ds.pages; j--)
			buckets[j] = 0;
		if (j >= 0 && per * (uint64_t)(j + 1) > ds.pages) {
			uint64_t real = ds.pages - per * (uint64_t)j;

			buckets[j] = 1 - (1 - buckets[j]) * (double)per / (double)real;
		}
		move(lay->first + i, lay->x[DC_MAP]);
		attrset(style_attr(sel ? ST_SELECTED : ST_USED));
		for (j = 0; j < w; j++) {
			double f = buckets[j];
			int lv = f <= 0 ? 0 : (int)ceil(f * 8);

			addstr(G.spark[lv < 0 ? 0 : lv > 8 ? 8 : lv]);
		}
		attrset(A_NORMAL);
	}
}

static void label_pow2(unsigned k, bool last_open, char *buf, size_t size)
{
	uint64_t v = 1ull << k;

	if (v >= 1024 * 1024)
		snprintf(buf, size, "%lluM%s", (unsigned long long)(v >> 20), last_open ? "+" : "");
	else if (v >= 1024)
		snprintf(buf, size, "%lluK%s", (unsigned long long)(v >> 10), last_open ? "+" : "");
	else
		snprintf(buf, size, "%llu%s", (unsigned long long)v, last_open ? "+" : "");
}

/* Horizontal bars of a[] (and the counts of b[] beside them); bucket k
 * holds sizes 2^k .. 2^(k+1)-1. */
static void histogram(int y, int x, int width, int height, const char *title,
		      const uint64_t *a, const uint64_t *b, size_t n, bool open_last)
{
	uint64_t va[SWAPCTL_FREESTATS_BUCKETS], vb[SWAPCTL_FREESTATS_BUCKETS], max = 0;
	size_t rows = height > 1 ? (size_t)height - 1 : 0, shown, k;
	int bw, cw = b ? 17 : 8;

	put(y, x, width, title, AL_LEFT, ST_LABEL);
	if (n > SWAPCTL_FREESTATS_BUCKETS)
		n = SWAPCTL_FREESTATS_BUCKETS;
	shown = n < rows ? n : rows;
	if (shown == 0)
		return;
	for (k = 0; k < n; k++) {
		size_t at = k < shown ? k : shown - 1;    /* the last line takes the rest */

		if (k < shown)
			va[at] = vb[at] = 0;
		va[at] += a[k];
		vb[at] += b ? b[k] : 0;
	}
	for (k = 0; k < shown; k++)
		if (va[k] > max)
			max = va[k];
	bw = width - 7 - cw;
	for (k = 0; k < shown; k++) {
		char lab[16], cnt[40];
		struct seg seg = { max ? (double)va[k] / (double)max : 0, ST_USED, NULL };

		label_pow2((unsigned)k, k == shown - 1 && (open_last || n > shown), lab, sizeof(lab));
		put(y + 1 + (int)k, x, 6, lab, AL_RIGHT, ST_NORMAL);
		if (bw > 0)
			bar(y + 1 + (int)k, x + 7, bw, &seg, 1);
		if (b)
			snprintf(cnt, sizeof(cnt), "%8llu %8llu", (unsigned long long)va[k], (unsigned long long)vb[k]);
		else
			snprintf(cnt, sizeof(cnt), "%8llu", (unsigned long long)va[k]);
		put(y + 1 + (int)k, x + 7 + (bw > 0 ? bw : 0), cw, cnt, AL_RIGHT, ST_NORMAL);
	}
}

static void histograms(struct ui *u, int y, int height)
{
	const struct grow *sel = grid_selected(&u->devs, &u->devview);
	struct swapctl_devstats ds;
	char title[160];
	size_t last;
	int half = COLS / 2;

	if (height < 3 || !sel || swapctl_engine_devstats(u->rp.e, (size_t)sel->c[DC_MAP].d, &ds) < 0)
		return;
	for (last = SWAPCTL_FREESTATS_BUCKETS; last > 1 && !ds.runs.hist[last - 1]; last--)
		;
	snprintf(title, sizeof(title), "Free runs of %s: %llu runs, largest %llu pages", ds.name,
		 (unsigned long long)ds.runs.runs, (unsigned long long)ds.runs.largest);
	histogram(y, 0, half - 1, height, title, ds.runs.hist, NULL, last, false);
	snprintf(title, sizeof(title), "Clusters of %s (pages): page-outs  page-ins", ds.name);
	histogram(y, half + 1, COLS - half - 1, height, title, ds.out_hist, ds.in_hist,
		  SWAPCTL_HIST_BUCKETS, true);
}

static void status(struct ui *u, int y)
{
	char buf[256];

	if (u->prompt) {
		snprintf(buf, sizeof(buf), "Filter: %s_   (Enter: keep, Esc: cancel)", u->devview.filter);
		fill_line(y, ST_MSG);
		put(y, 0, COLS, buf, AL_LEFT, ST_MSG);
		return;
	}
	if (u->msg[0] && now_seconds() < u->msg_until) {
		fill_line(y, ST_MSG);
		put(y, 0, COLS, u->msg, AL_LEFT, ST_MSG);
		return;
	}
	put(y, 0, COLS, "Space run/pause  t one event  T one tick  +/- speed  Up/Down device  "
	    "< > sort  / filter", AL_LEFT, ST_NORMAL);
}

void draw_replay(struct ui *u)
{
	struct layout lay;
	int y0 = 8, body, dh;

	erase();
	if (COLS < REPLAY_MIN_W || LINES < REPLAY_MIN_H) {
		draw_too_small(REPLAY_MIN_W, REPLAY_MIN_H);
		return;
	}
	if (u->help) {
		draw_help(u);
		return;
	}
	title(u);
	header(u);
	history(&u->rp, 5);
	body = LINES - 1 - y0;
	dh = (int)u->devs.nshown + 1;
	if (dh < 2)
		dh = 2;
	if (dh > body / 2)
		dh = body / 2;
	grid_draw(y0, 0, COLS, dh, &u->devs, &u->devview, true, &lay);
	maps(u, &lay);
	if (!u->devs.nshown)
		put(y0 + 1, 1, COLS - 1, u->devs.n ? "nothing matches the filter" : "no device yet",
		    AL_LEFT, ST_NORMAL);
	histograms(u, y0 + dh + 1, body - dh - 1);
	status(u, LINES - 1);
}
