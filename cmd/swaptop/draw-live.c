/*
 * The live screen:
 *
 *   title      host, time, refresh interval, paused
 *   Swap       bar: on the devices, in zswap, in the swap cache; legend
 *   RAM        bar: used (total less available)
 *   Paging     swap-in/out pages per second, zswap, PSI memory (avg10)
 *   history    sparklines: swap-in, swap-out, swap used
 *   tabs       a Areas, p Processes, c Cgroups; sort and filter
 *   panes      the areas (always), and the processes or cgroups
 *              (Enter on an area: the processes with pages on it)
 *   map        m: the selected area's occupancy along its length
 *   status     the selected row, a message, or the filter prompt
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "screen.h"

#define HEAD_LINES 9            /* title .. tabs */
#define TEXT_W 34               /* right of the bars */

static const char *const pane_names[PANE__COUNT] = { "Areas", "Processes", "Cgroups" };
static const char pane_keys[PANE__COUNT] = { 'a', 'p', 'c' };

void live_build(struct ui *u)
{
	struct live *l = &u->live;
	struct grid *pg = &u->grids[PANE_PROCS];
	const struct grow *sel;
	size_t ncols;

	live_areas(l, &u->grids[PANE_AREAS]);
	grid_arrange(&u->grids[PANE_AREAS], &u->views[PANE_AREAS]);
	if (u->area_procs)
		live_area_procs(l, pg);
	else
		live_procs(l, pg);
	grid_arrange(pg, &u->views[PANE_PROCS]);
	/* SwapPss: at once when the selection moved to another process */
	sel = grid_selected(pg, &u->views[PANE_PROCS]);
	if (sel && u->pane == PANE_PROCS && !u->area_procs && (pid_t)atol(sel->key) != l->pss_pid) {
		live_smaps(l, (pid_t)atol(sel->key), true);
		if (l->pss_pid == (pid_t)atol(sel->key) && l->pss_valid)
			cell_size((struct grow *)sel, PC_PSS, l->pss);
	}
	if (l->cgroups) {
		live_cgroups(l, &u->grids[PANE_CGROUPS]);
	} else {
		const struct gcol *cols = live_cg_cols(l, &ncols);

		grid_reset(&u->grids[PANE_CGROUPS], cols, ncols);
	}
	grid_arrange(&u->grids[PANE_CGROUPS], &u->views[PANE_CGROUPS]);
}

static void fmt_rate(double v, char *buf, size_t size)
{
	if (isnan(v))
		snprintf(buf, size, "-");
	else if (v < 10)
		snprintf(buf, size, "%.1f", v);
	else if (v < 100000)
		snprintf(buf, size, "%.0f", v);
	else
		snprintf(buf, size, "%.0fk", v / 1000);
}

static enum style lv_style(enum level lv, enum style ok)
{
	return lv == LV_CRIT ? ST_CRIT : lv == LV_WARN ? ST_WARN : ok;
}

static void title(const struct ui *u)
{
	char left[256], clock[16];
	const char *right = "h help  q quit ";
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	fill_line(0, ST_TITLE);
	snprintf(left, sizeof(left), " swaptop  %s  %s  every %gs%s", u->host, clock, u->interval,
		 u->paused ? "  [paused]" : "");
	put(0, 0, COLS, left, AL_LEFT, ST_TITLE);
	if (COLS > text_width(left) + (int)strlen(right) + 1)
		put(0, COLS - (int)strlen(right), (int)strlen(right), right, AL_LEFT, ST_TITLE);
}

static void swap_lines(const struct summary *s, int y)
{
	char text[96], a[16], b[16], c[16], d[16];
	struct seg segs[3];
	int bw, x;
	double tot = (double)s->swap_total;

	units_human(s->swap_used, a, sizeof(a));
	units_human(s->swap_total, b, sizeof(b));
	if (s->swap_total)
		snprintf(text, sizeof(text), " %s/%s %5.1f%%", a, b, s->swap_pct);
	else
		snprintf(text, sizeof(text), " no swap");
	put(y, 0, LABEL_W, "Swap", AL_LEFT, ST_LABEL);
	bw = COLS - LABEL_W - 2 - TEXT_W;
	put(y, LABEL_W, 1, "[", AL_LEFT, ST_NORMAL);
	segs[0] = (struct seg){ tot ? (double)s->swap_disk / tot : 0, lv_style(s->lv_swap, ST_USED), NULL };
	segs[1] = (struct seg){ tot ? (double)s->zswapped / tot : 0, ST_ZSWAP, G.zswap };
	segs[2] = (struct seg){ tot ? (double)s->swap_cache / tot : 0, ST_CACHE, G.cache };
	bar(y, LABEL_W + 1, bw, segs, 3);
	put(y, LABEL_W + 1 + bw, 1, "]", AL_LEFT, ST_NORMAL);
	put_at(y, LABEL_W + 2 + bw, text, lv_style(s->lv_swap, ST_NORMAL));

	/* the legend */
	units_human(s->swap_disk, a, sizeof(a));
	units_human(s->swap_cache, b, sizeof(b));
	units_human(s->swap_free, c, sizeof(c));
	x = LABEL_W + 1;
	x = put_at(y + 1, x, G.full, ST_USED);
	x = put_fmt(y + 1, x, ST_NORMAL, " devices %s  ", a);
	if (s->has_zswap) {
		units_human(s->zswapped, a, sizeof(a));
		units_human(s->zswap_pool, d, sizeof(d));
		x = put_at(y + 1, x, G.zswap, ST_ZSWAP);
		x = put_fmt(y + 1, x, ST_NORMAL, " zswap %s (%s RAM)  ", a, d);
	}
	x = put_at(y + 1, x, G.cache, ST_CACHE);
	x = put_fmt(y + 1, x, ST_NORMAL, " cache %s  ", b);
	put_fmt(y + 1, x, ST_NORMAL, "free %s", c);
}

static void ram_line(const struct summary *s, int y)
{
	char text[96], a[16], b[16], c[16];
	struct seg seg;
	int bw;

	units_human(s->mem_used, a, sizeof(a));
	units_human(s->mem_total, b, sizeof(b));
	units_human(s->mem_avail, c, sizeof(c));
	snprintf(text, sizeof(text), " %s/%s %5.1f%% avail %s", a, b, s->mem_pct, c);
	put(y, 0, LABEL_W, "RAM", AL_LEFT, ST_LABEL);
	bw = COLS - LABEL_W - 2 - TEXT_W;
	put(y, LABEL_W, 1, "[", AL_LEFT, ST_NORMAL);
	seg = (struct seg){ s->mem_total ? (double)s->mem_used / (double)s->mem_total : 0, ST_USED, NULL };
	bar(y, LABEL_W + 1, bw, &seg, 1);
	put(y, LABEL_W + 1 + bw, 1, "]", AL_LEFT, ST_NORMAL);
	put_at(y, LABEL_W + 2 + bw, text, ST_NORMAL);
}

/* Most important first: what is cut on a narrow screen is zswap. */
static void paging_line(const struct summary *s, int y)
{
	char a[16], b[16];
	int x;

	put(y, 0, LABEL_W, "Paging", AL_LEFT, ST_LABEL);
	fmt_rate(s->in_ps, a, sizeof(a));
	fmt_rate(s->out_ps, b, sizeof(b));
	x = put_fmt(y, LABEL_W, ST_NORMAL, "in %s ", a);
	x = put_fmt(y, x, lv_style(s->lv_out, ST_NORMAL), "out %s", b);
	x = put_at(y, x, " pages/s", ST_NORMAL);
	x = put_at(y, x, "  PSI ", ST_LABEL);
	if (isnan(s->psi_some) && isnan(s->psi_full)) {
		x = put_at(y, x, "-", ST_NORMAL);
	} else {
		x = put_fmt(y, x, lv_style(s->lv_some, ST_NORMAL), "some %.2f%%", s->psi_some);
		x = put_fmt(y, x, lv_style(s->lv_full, ST_NORMAL), " full %.2f%%", s->psi_full);
	}
	if (s->has_zswap) {
		fmt_rate(s->zin_ps, a, sizeof(a));
		fmt_rate(s->zout_ps, b, sizeof(b));
		x = put_fmt(y, x, ST_NORMAL, "  zswap in %s out %s", a, b);
	}
	if (s->since_boot)
		put_at(y, x, "  (rates since boot)", ST_NORMAL);
}

static void history(const struct live *l, int y)
{
	history_rows(y, &l->h_in, &l->h_out, &l->h_used, fmt_rate, "/s");
}

static void tabs(const struct ui *u, int y)
{
	const struct grid *g = &u->grids[u->pane];
	const struct gview *v = &u->views[u->pane];
	char buf[160], right[160];
	int x = 0, p;

	for (p = 0; p < PANE__COUNT; p++) {
		if (p == PANE_PROCS && u->area_procs)
			snprintf(buf, sizeof(buf), " %c %s on %s %zu ", pane_keys[p], pane_names[p],
				 u->live.map_path, u->grids[p].n);
		else if ((p == PANE_CGROUPS && !u->live.cgroups) || (p == PANE_PROCS && !u->live.procs))
			snprintf(buf, sizeof(buf), " %c %s ", pane_keys[p], pane_names[p]);
		else
			snprintf(buf, sizeof(buf), " %c %s %zu ", pane_keys[p], pane_names[p], u->grids[p].n);
		x = put_at(y, x, buf, p == (int)u->pane ? ST_TABSEL : ST_TAB);
		x = put_at(y, x, " ", ST_NORMAL);
	}
	if (v->sort >= 0 && (size_t)v->sort < g->ncols) {
		bool down = (g->cols[v->sort].kind != K_TEXT) != v->invert;

		char hidden[64] = "";

		if (u->pane == PANE_PROCS && u->live.procs_hidden)
			snprintf(hidden, sizeof(hidden), "%zu without swap hidden (z)  ",
				 u->live.procs_hidden);
		snprintf(right, sizeof(right), "%ssort: %s%s%s%s ", hidden, g->cols[v->sort].name,
			 down ? G.down : G.up, v->filter[0] ? "  filter: " : "", v->filter);
		if (COLS - text_width(right) > x)
			put_at(y, COLS - text_width(right), right, ST_NORMAL);
	}
}

static void status(struct ui *u, int y)
{
	const struct grow *sel = grid_selected(&u->grids[u->pane], &u->views[u->pane]);
	char buf[1024];

	if (u->prompt) {
		snprintf(buf, sizeof(buf), "Filter: %s_   (Enter: keep, Esc: cancel)", u->views[u->pane].filter);
		fill_line(y, ST_MSG);
		put(y, 0, COLS, buf, AL_LEFT, ST_MSG);
		return;
	}
	if (u->msg[0] && now_seconds() < u->msg_until) {
		fill_line(y, ST_MSG);
		put(y, 0, COLS, u->msg, AL_LEFT, ST_MSG);
		return;
	}
	if (u->live.err[0]) {
		put(y, 0, COLS, u->live.err, AL_LEFT, ST_CRIT);
		return;
	}
	if (!sel)
		return;
	if (u->pane == PANE_AREAS)
		live_area_detail(&u->live, sel->key, buf, sizeof(buf));
	else if (u->pane == PANE_PROCS)
		live_proc_detail(&u->live, sel->key, buf, sizeof(buf));
	else
		live_cgroup_detail(&u->live, sel->key, buf, sizeof(buf));
	put(y, 0, COLS, buf, AL_LEFT, ST_NORMAL);
}

/* An empty pane says why. */
static void empty_note(const struct ui *u, enum pane p, int y, int height)
{
	const char *why = NULL;

	if (height < 2 || u->grids[p].nshown)
		return;
	if (u->grids[p].n && u->views[p].filter[0])
		why = "nothing matches the filter (/ to change it)";
	else if (p == PANE_AREAS)
		why = "no active swap area";
	else if (p == PANE_PROCS && u->area_procs)
		why = u->live.map_err[0] ? u->live.map_err : "no process has pages on this area";
	else if (p == PANE_PROCS)
		why = u->live.procs_err[0] ? u->live.procs_err : "no process";
	else
		why = u->live.cg_err[0] ? u->live.cg_err : "reading the cgroups ...";
	put(y + 1, 1, COLS - 1, why, AL_LEFT, ST_NORMAL);
}

/*
 * The map view: the area's occupancy from its offset histogram, first page
 * on the left, each bucket as wide as the screen allows, in the replay
 * map's glyphs; under it, where it grew (+) or shrank (-) since the last
 * refresh.  Two lines.
 */
static void area_map(const struct ui *u, int y)
{
	double fill[SWAPCTL_MAP_BUCKETS];
	int change[SWAPCTL_MAP_BUCKETS], i, k, x, per;
	const struct swapctl_maparea *a = live_map_area(&u->live);
	char head[64];

	fill_line(y, ST_NORMAL);
	fill_line(y + 1, ST_NORMAL);
	x = put_at(y, 0, " Map ", ST_LABEL);
	if (!a || live_map_buckets(&u->live, fill, change) < 0) {
		put_fmt(y, x, ST_MSG, "%s: %s", u->live.map_path ? u->live.map_path : "",
			u->live.map_err[0] ? u->live.map_err : "not read yet");
		return;
	}
	snprintf(head, sizeof(head), "%s%s ", a->placement == SWAPCTL_PLACE_INFERRED ? "~" : "",
		 swapctl_placement_name(a->placement));
	per = (COLS - x - text_width(head) - 1) / SWAPCTL_MAP_BUCKETS;
	if (per < 1) {
		put_at(y, x, "(too narrow)", ST_MSG);
		return;
	}
	put_at(y + 1, 0, " +/- ", ST_LABEL);
	for (i = 0; i < SWAPCTL_MAP_BUCKETS; i++) {
		int lv = fill[i] <= 0 ? 0 : (int)ceil(fill[i] * 8);

		for (k = 0; k < per; k++) {
			move(y, x + i * per + k);
			attrset(style_attr(ST_USED));
			addstr(G.spark[lv > 8 ? 8 : lv]);
			if (change[i]) {
				move(y + 1, x + i * per + k);
				attrset(style_attr(change[i] > 0 ? ST_OUT : ST_IN));
				addstr(change[i] > 0 ? "+" : "-");
			}
		}
	}
	attrset(A_NORMAL);
	put_at(y, x + SWAPCTL_MAP_BUCKETS * per + 1, head, ST_NORMAL);
	put_fmt(y + 1, x + SWAPCTL_MAP_BUCKETS * per + 1, ST_NORMAL, "%s", u->live.map_path);
}

void draw_live(struct ui *u)
{
	struct summary s;
	struct layout lay;
	int body, y0 = HEAD_LINES, ah;

	erase();
	if (COLS < LIVE_MIN_W || LINES < LIVE_MIN_H) {
		draw_too_small(LIVE_MIN_W, LIVE_MIN_H);
		return;
	}
	if (u->help) {
		draw_help(u);
		return;
	}
	live_summary(&u->live, &s);
	title(u);
	swap_lines(&s, 1);
	ram_line(&s, 3);
	paging_line(&s, 4);
	history(&u->live, 5);
	tabs(u, 8);
	body = LINES - 1 - y0;
	if (u->map_view) {
		body -= 2;
		area_map(u, LINES - 3);
	}
	if (u->pane == PANE_AREAS) {
		grid_draw(y0, 0, COLS, body, &u->grids[PANE_AREAS], &u->views[PANE_AREAS], true, &lay);
		empty_note(u, PANE_AREAS, y0, body);
	} else {
		size_t na = u->grids[PANE_AREAS].nshown;

		ah = (int)na + 1;
		if (ah < 2)
			ah = 2;
		if (ah > body / 3)
			ah = body / 3 < 2 ? 2 : body / 3;
		grid_draw(y0, 0, COLS, ah, &u->grids[PANE_AREAS], &u->views[PANE_AREAS], false, &lay);
		empty_note(u, PANE_AREAS, y0, ah);
		grid_draw(y0 + ah, 0, COLS, body - ah, &u->grids[u->pane], &u->views[u->pane], true, &lay);
		empty_note(u, u->pane, y0 + ah, body - ah);
	}
	status(u, LINES - 1);
}
