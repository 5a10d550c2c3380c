/*
 * The tables behind the panes: rows of typed cells, filtered and sorted by
 * what the user chose (struct gview), with the selection following its row
 * (by key) across refreshes.  The screen and the batch frames both draw
 * from here.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "swaptop.h"

static void out_of_memory(void)
{
	cmd_error("out of memory");
	exit(EXIT_SYSERR);
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		out_of_memory();
	return d;
}

void grid_init(struct grid *g, const struct gcol *cols, size_t ncols)
{
	memset(g, 0, sizeof(*g));
	g->cols = cols;
	g->ncols = ncols < GRID_MAXCOLS ? ncols : GRID_MAXCOLS;
}

static void rows_free(struct grid *g)
{
	size_t i, c;

	for (i = 0; i < g->n; i++) {
		free(g->rows[i].key);
		for (c = 0; c < g->ncols; c++)
			free(g->rows[i].c[c].text);
	}
	g->n = 0;
	g->nshown = 0;
}

void grid_reset(struct grid *g, const struct gcol *cols, size_t ncols)
{
	rows_free(g);
	g->cols = cols;
	g->ncols = ncols < GRID_MAXCOLS ? ncols : GRID_MAXCOLS;
}

void grid_free(struct grid *g)
{
	rows_free(g);
	free(g->rows);
	free(g->shown);
	memset(g, 0, sizeof(*g));
}

struct grow *grid_add(struct grid *g, const char *key)
{
	size_t shown_cap = g->cap;      /* shown has a slot per row */
	struct grow *r;

	if (ARRAY_GROW(g->rows, g->n, g->cap) < 0 ||
	    array_reserve(&g->shown, &shown_cap, g->cap, sizeof(*g->shown)) < 0)
		out_of_memory();
	r = &g->rows[g->n];
	memset(r, 0, sizeof(*r));
	r->key = xstrdup(key);
	r->index = g->n++;
	return r;
}

void cell_text(struct grow *r, int col, const char *text)
{
	char *p;

	free(r->c[col].text);
	r->c[col].text = xstrdup(text ? text : "");
	/* a command name may hold a newline or an escape: never to the terminal */
	for (p = r->c[col].text; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	r->c[col].state = C_VALUE;
}

void cell_size(struct grow *r, int col, uint64_t bytes)
{
	r->c[col].u = bytes;
	r->c[col].state = bytes == SWAPCTL_UNKNOWN ? C_UNKNOWN :
			  bytes == SWAPCTL_UNLIMITED ? C_UNLIMITED : C_VALUE;
}

void cell_num(struct grow *r, int col, enum col_kind k, double v)
{
	(void)k;
	r->c[col].d = v;
	r->c[col].state = isnan(v) ? C_NONE : C_VALUE;
}

void cell_state(struct grow *r, int col, enum cell_state s)
{
	r->c[col].state = (unsigned char)s;
}

void cell_format(const struct gcol *c, const struct gcell *cell, const struct units *u,
		 char *buf, size_t size)
{
	switch (cell->state) {
	case C_UNKNOWN:
		snprintf(buf, size, "?");
		return;
	case C_NONE:
		snprintf(buf, size, "-");
		return;
	case C_UNLIMITED:
		snprintf(buf, size, "max");
		return;
	}
	switch (c->kind) {
	case K_TEXT:
		snprintf(buf, size, "%s", cell->text ? cell->text : "");
		break;
	case K_SIZE:
		if (u)
			units_format(u, cell->u, buf, size);
		else
			units_human(cell->u, buf, size);
		break;
	case K_INT:
		snprintf(buf, size, "%.0f", cell->d);
		break;
	case K_PCT:
		snprintf(buf, size, "%.1f", cell->d);
		break;
	case K_RATIO:
		snprintf(buf, size, "%.2fx", cell->d);
		break;
	case K_BAR:
		snprintf(buf, size, "%.2f", cell->d);
		break;
	case K_CUSTOM:
		buf[0] = '\0';
		break;
	}
}

/* ------------------------------------------------------------ arranging */

static const struct grid *sort_grid;
static int sort_col;
static bool sort_desc;

/* Values that are not known sort last whatever the direction. */
static int cmp_rows(const void *a, const void *b)
{
	const struct grow *x = &sort_grid->rows[*(const size_t *)a];
	const struct grow *y = &sort_grid->rows[*(const size_t *)b];
	const struct gcell *cx = &x->c[sort_col], *cy = &y->c[sort_col];
	const struct gcol *col = &sort_grid->cols[sort_col];
	bool kx = cx->state == C_VALUE || cx->state == C_UNLIMITED;
	bool ky = cy->state == C_VALUE || cy->state == C_UNLIMITED;
	int r = 0;

	if (kx != ky)
		return kx ? -1 : 1;
	if (kx) {
		switch (col->kind) {
		case K_TEXT:
			r = strcmp(cx->text ? cx->text : "", cy->text ? cy->text : "");
			break;
		case K_SIZE: {
			uint64_t ux = cx->state == C_UNLIMITED ? UINT64_MAX : cx->u;
			uint64_t uy = cy->state == C_UNLIMITED ? UINT64_MAX : cy->u;

			r = ux < uy ? -1 : ux > uy;
			break;
		}
		default:
			r = cx->d < cy->d ? -1 : cx->d > cy->d;
			break;
		}
		if (sort_desc)
			r = -r;
	}
	if (r == 0)     /* stable: the source's order */
		r = x->index < y->index ? -1 : x->index > y->index;
	return r;
}

static bool matches(const struct grid *g, const struct grow *r, const char *filter)
{
	size_t c;

	if (!*filter)
		return true;
	for (c = 0; c < g->ncols; c++)
		if (g->cols[c].kind == K_TEXT && r->c[c].text && strcasestr(r->c[c].text, filter))
			return true;
	return strcasestr(r->key, filter) != NULL;
}

void grid_arrange(struct grid *g, struct gview *v)
{
	size_t i;

	g->nshown = 0;
	if (g->ncols == 0)
		return;
	for (i = 0; i < g->n; i++)
		if (matches(g, &g->rows[i], v->filter))
			g->shown[g->nshown++] = i;
	if (v->sort < 0 || (size_t)v->sort >= g->ncols)
		v->sort = 0;
	sort_grid = g;
	sort_col = v->sort;
	/* numbers start with the largest, text in alphabetical order */
	sort_desc = (g->cols[v->sort].kind != K_TEXT) != v->invert;
	if (g->nshown > 1)
		qsort(g->shown, g->nshown, sizeof(*g->shown), cmp_rows);
	sort_grid = NULL;
	/* the selection follows its row; if the row went, keep the place */
	if (v->sel) {
		for (i = 0; i < g->nshown; i++)
			if (!strcmp(g->rows[g->shown[i]].key, v->sel)) {
				v->cur = i;
				return;
			}
	}
	if (g->nshown == 0) {
		v->cur = 0;
		free(v->sel);
		v->sel = NULL;
		return;
	}
	if (v->cur >= g->nshown)
		v->cur = g->nshown - 1;
	free(v->sel);
	v->sel = xstrdup(g->rows[g->shown[v->cur]].key);
}

const struct grow *grid_selected(const struct grid *g, const struct gview *v)
{
	if (!v->sel || v->cur >= g->nshown)
		return NULL;
	return &g->rows[g->shown[v->cur]];
}

void gview_move(const struct grid *g, struct gview *v, long delta)
{
	long cur = (long)v->cur + delta;

	if (g->nshown == 0)
		return;
	if (cur < 0)
		cur = 0;
	if (cur >= (long)g->nshown)
		cur = (long)g->nshown - 1;
	v->cur = (size_t)cur;
	free(v->sel);
	v->sel = xstrdup(g->rows[g->shown[v->cur]].key);
}

void gview_free(struct gview *v)
{
	free(v->sel);
	v->sel = NULL;
}
