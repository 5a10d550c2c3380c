/*
 * What the screens are made of: text fitted to a width, segmented bars with
 * eighth-cell precision, sparklines, and a grid (a pane's table) that drops
 * its least important columns when the screen is narrow, as atop does.
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include "screen.h"

void put(int y, int x, int width, const char *s, enum align al, enum style st)
{
	char buf[4096];
	int w, pad;

	if (width <= 0 || y < 0 || y >= LINES || x >= COLS)
		return;
	if (x + width > COLS)
		width = COLS - x;
	w = text_fit(buf, sizeof(buf), s, width);
	pad = width - w;
	attrset(style_attr(st));
	move(y, x);
	if (al == AL_RIGHT)
		while (pad-- > 0)
			addch(' ');
	addstr(buf);
	while (pad-- > 0)
		addch(' ');
	attrset(A_NORMAL);
}

int put_at(int y, int x, const char *s, enum style st)
{
	char buf[4096];
	int w;

	if (y < 0 || y >= LINES || x >= COLS)
		return x;
	w = text_fit(buf, sizeof(buf), s, COLS - x);
	attrset(style_attr(st));
	mvaddstr(y, x, buf);
	attrset(A_NORMAL);
	return x + w;
}

int put_fmt(int y, int x, enum style st, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return put_at(y, x, buf, st);
}

void fill_line(int y, enum style st)
{
	if (y < 0 || y >= LINES)
		return;
	mvhline(y, 0, ' ' | style_attr(st), COLS);
}

void bar(int y, int x, int width, const struct seg *segs, size_t n)
{
	double cum = 0;
	int pos = 0, end, i;
	size_t s;

	if (width <= 0)
		return;
	move(y, x);
	for (s = 0; s < n && pos < width; s++) {
		const char *glyph = segs[s].glyph ? segs[s].glyph : G.full;
		int part = 0;
		double f = segs[s].frac;

		if (!(f > 0))
			continue;
		cum += f;
		if (cum > 1)
			cum = 1;
		if (s == n - 1 && !segs[s].glyph && G.utf8) {
			long eighths = lround(cum * width * 8);

			end = (int)(eighths / 8);
			part = (int)(eighths % 8);
		} else {
			end = (int)lround(cum * width);
		}
		if (end > width)
			end = width;
		attrset(style_attr(segs[s].st));
		for (i = pos; i < end; i++)
			addstr(glyph);
		pos = end > pos ? end : pos;
		if (part && pos < width) {
			addstr(G.part[part]);
			pos++;
		}
	}
	attrset(A_NORMAL);
	for (; pos < width; pos++)
		addch(' ');
}

double ring_max(const struct ring *r, size_t n)
{
	double m = 0, v;
	size_t i;

	for (i = 0; i < n && i < r->n; i++) {
		v = ring_get(r, i);
		if (!isnan(v) && v > m)
			m = v;
	}
	return m;
}

void spark(int y, int x, int width, const struct ring *r, double max, enum style st)
{
	int i;

	if (width <= 0)
		return;
	move(y, x);
	attrset(style_attr(st));
	for (i = 0; i < width; i++) {
		double v = ring_get(r, (size_t)(width - 1 - i));
		int lv = 0;

		if (!isnan(v) && v > 0 && max > 0) {
			lv = (int)ceil(v / max * 8);
			lv = lv < 1 ? 1 : lv > 8 ? 8 : lv;
		}
		addstr(G.spark[lv]);
	}
	attrset(A_NORMAL);
}

/* ---------------------------------------------------------------- grid */

static enum style level_style(int level)
{
	return level == LV_CRIT ? ST_CRIT : level == LV_WARN ? ST_WARN : ST_NORMAL;
}

static void layout_cols(const struct grid *g, const struct gview *v, int width, struct layout *lay)
{
	int w[GRID_MAXCOLS], total = -1, i, flex = -1, last = -1;
	bool on[GRID_MAXCOLS];
	size_t c, r;

	for (c = 0; c < g->ncols; c++) {
		const struct gcol *col = &g->cols[c];
		int name_w = (int)strlen(col->name) + ((int)c == v->sort);

		w[c] = col->width > name_w ? col->width : name_w;
		if (col->kind == K_TEXT && !col->flex) {
			int most = name_w;

			for (r = 0; r < g->nshown && most < col->width; r++) {
				const struct gcell *cell = &g->rows[g->shown[r]].c[c];
				int tw = cell->text ? text_width(cell->text) : 1;

				if (tw > most)
					most = tw;
			}
			w[c] = most < col->width ? most : col->width;
		}
		on[c] = true;
		total += w[c] + 1;
	}
	/* too wide: drop the least important columns */
	while (total > width) {
		int drop = -1;

		for (c = 0; c < g->ncols; c++)
			if (on[c] && (drop < 0 || g->cols[c].weight < g->cols[drop].weight))
				drop = (int)c;
		if (drop < 0)
			break;
		on[drop] = false;
		total -= w[drop] + 1;
		if (total < 0) {        /* nothing left: the most important, cut */
			on[drop] = true;
			w[drop] = width;
			total = width;
			break;
		}
	}
	for (c = 0; c < g->ncols; c++) {
		if (!on[c])
			continue;
		if (g->cols[c].flex && flex < 0)
			flex = (int)c;
		last = (int)c;
	}
	if (total < width) {
		if (flex >= 0)
			w[flex] += width - total;
		else if (last >= 0 && g->cols[last].kind == K_TEXT)
			w[last] += width - total;
	}
	for (i = 0, c = 0; c < g->ncols; c++) {
		lay->x[c] = i;
		lay->w[c] = on[c] ? w[c] : 0;
		if (on[c])
			i += w[c] + 1;
	}
}

static void draw_row(int y, int x, const struct grid *g, const struct grow *row, bool sel,
		     const struct layout *lay)
{
	size_t c;
	char buf[4096];

	for (c = 0; c < g->ncols; c++) {
		const struct gcol *col = &g->cols[c];
		const struct gcell *cell = &row->c[c];
		int w = lay->w[c];
		enum style st = sel ? ST_SELECTED : level_style(cell->level);

		if (!w)
			continue;
		if (col->kind == K_CUSTOM)
			continue;
		if (col->kind == K_BAR && cell->state == C_VALUE) {
			struct seg s = { cell->d, sel ? ST_SELECTED : cell->level >= LV_WARN ?
					 level_style(cell->level) : ST_USED, NULL };

			bar(y, x + lay->x[c], w, &s, 1);
			continue;
		}
		cell_format(col, cell, NULL, buf, sizeof(buf));
		put(y, x + lay->x[c], w, buf, col->left ? AL_LEFT : AL_RIGHT, st);
	}
}

void grid_draw(int y, int x, int width, int height, const struct grid *g, struct gview *v,
	       bool focused, struct layout *lay)
{
	int rows = height - 1, i;
	size_t c;

	memset(lay, 0, sizeof(*lay));
	if (height <= 0 || width <= 0)
		return;
	layout_cols(g, v, width, lay);
	/* the header */
	mvhline(y, x, ' ' | style_attr(ST_HEADER), width);
	for (c = 0; c < g->ncols; c++) {
		char name[64];
		const struct gcol *col = &g->cols[c];
		bool sorted = (int)c == v->sort;

		if (!lay->w[c])
			continue;
		snprintf(name, sizeof(name), "%s%s", col->name,
			 sorted ? ((col->kind != K_TEXT) != v->invert ? G.down : G.up) : "");
		put(y, x + lay->x[c], lay->w[c], name, col->left ? AL_LEFT : AL_RIGHT,
		    sorted && focused ? ST_SORTED : ST_HEADER);
	}
	lay->first = y + 1;
	lay->rows = 0;
	if (rows <= 0)
		return;
	/* keep the selection in view */
	if (v->cur < v->top)
		v->top = v->cur;
	if (v->cur >= v->top + (size_t)rows)
		v->top = v->cur - (size_t)rows + 1;
	if (v->top + (size_t)rows > g->nshown)
		v->top = g->nshown > (size_t)rows ? g->nshown - (size_t)rows : 0;
	for (i = 0; i < rows && v->top + (size_t)i < g->nshown; i++) {
		size_t idx = v->top + (size_t)i;
		bool sel = focused && idx == v->cur && v->sel;

		if (sel)
			mvhline(y + 1 + i, x, ' ' | style_attr(ST_SELECTED), width);
		draw_row(y + 1 + i, x, g, &g->rows[g->shown[idx]], sel, lay);
		lay->rows++;
	}
}

/* Word-wrapped lines of text from line y on; returns the next line. */
static int wrap(int y, const char *text, enum style st)
{
	char line[512];
	const char *p = text;

	while (*p && y < LINES) {
		size_t n = 0, brk = 0;

		while (p[n] && (int)n < COLS) {
			if (p[n] == ' ')
				brk = n;
			n++;
		}
		if (p[n] && brk)
			n = brk;
		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		put(y++, 0, COLS, line, AL_LEFT, st);
		p += n;
		while (*p == ' ')
			p++;
	}
	return y;
}

void draw_too_small(int need_w, int need_h)
{
	char msg[256];
	int y = LINES / 2 - 1;

	erase();
	snprintf(msg, sizeof(msg), "Terminal too small: swaptop needs %dx%d, this one is %dx%d. "
		 "Make it larger, or press q to quit.", need_w, need_h, COLS, LINES);
	wrap(y < 0 ? 0 : y, msg, ST_NORMAL);
}

void history_rows(int y, const struct ring *in, const struct ring *out, const struct ring *used,
		  void (*fmt)(double v, char *buf, size_t size), const char *unit)
{
	const struct ring *rates[2] = { in, out };
	static const char *const names[2] = { "in", "out" };
	static const enum style styles[2] = { ST_IN, ST_OUT };
	int w = COLS - LABEL_W - 16, i;
	char a[16];

	if (w < 4)
		return;
	for (i = 0; i < 2; i++) {
		double m = ring_max(rates[i], (size_t)w);

		fmt(m, a, sizeof(a));
		put(y + i, 0, LABEL_W, names[i], AL_LEFT, ST_LABEL);
		spark(y + i, LABEL_W, w, rates[i], m, styles[i]);
		put_fmt(y + i, LABEL_W + w + 1, ST_NORMAL, "max %s%s", a, unit);
	}
	put(y + 2, 0, LABEL_W, "used", AL_LEFT, ST_LABEL);
	spark(y + 2, LABEL_W, w, used, 1.0, ST_USED);
	if (!isnan(ring_get(used, 0)))
		put_fmt(y + 2, LABEL_W + w + 1, ST_NORMAL, "now %.1f%%", 100 * ring_get(used, 0));
}
