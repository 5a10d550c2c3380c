/* swaptop: what the interactive (curses) files share. */
#ifndef SWAPTOP_SCREEN_H
#define SWAPTOP_SCREEN_H

#include <curses.h>
#include "swaptop.h"

/* The smallest screen each mode can draw. */
#define LIVE_MIN_W 60
#define LIVE_MIN_H 16
#define REPLAY_MIN_W 60
#define REPLAY_MIN_H 18

/* ------------------------------------------------------------ term.c */

enum style {
	ST_NORMAL = 0, ST_TITLE, ST_HEADER, ST_SORTED, ST_SELECTED, ST_OK, ST_WARN, ST_CRIT,
	ST_USED, ST_ZSWAP, ST_CACHE, ST_IN, ST_OUT, ST_LABEL, ST_TAB, ST_TABSEL, ST_MSG, ST_KEY,
	ST__COUNT
};

/* UTF-8 block characters, or ASCII. */
struct glyphs {
	bool utf8;
	const char *spark[9];   /* vertical: 0 .. 8 eighths */
	const char *part[8];    /* horizontal: 0 .. 7 eighths of a cell */
	const char *full;       /* a whole cell of a bar */
	const char *zswap, *cache;      /* parts of the swap bar */
	const char *down, *up;  /* sort direction */
};
extern struct glyphs G;

/* Set up the terminal: 0, or an exit code after printing the reason. */
int term_init(const struct opts *o);
/* Restore it (idempotent); the signal that asked to stop, or 0. */
int term_end(void);
attr_t style_attr(enum style s);
/* Wait up to seconds (< 0: forever) for a key: 1 key, 0 timeout, -1 signal. */
int term_wait(double seconds);
/* SIGINT, SIGTERM or SIGHUP arrived: which. */
int term_signal(void);
/* Is the locale's character set UTF-8? */
bool locale_is_utf8(void);

/* Printable text of src that fits in width columns, into dst; its columns. */
int text_fit(char *dst, size_t size, const char *src, int width);
int text_width(const char *s);

/* ---------------------------------------------------------- widgets.c */

enum align { AL_LEFT, AL_RIGHT };
/* Text in [x, x + width), padded. */
void put(int y, int x, int width, const char *s, enum align al, enum style st);
/* Text from x on, as far as it fits; returns the column after it. */
int put_at(int y, int x, const char *s, enum style st);
int put_fmt(int y, int x, enum style st, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void fill_line(int y, enum style st);

struct seg {
	double frac;            /* of the whole bar */
	enum style st;
	const char *glyph;      /* NULL: G.full (with eighths for the last) */
};
/* Width of the row labels of the header and history panes. */
#define LABEL_W 7

/* A bar of width cells made of segments. */
void bar(int y, int x, int width, const struct seg *segs, size_t n);
/* The newest width values of r, scaled to max, right-aligned. */
void spark(int y, int x, int width, const struct ring *r, double max, enum style st);
/* The largest of the newest n values of r (NAN ignored); 0 when none. */
double ring_max(const struct ring *r, size_t n);
/* Three sparkline rows from y: in and out (labelled with their maximum,
 * formatted by fmt, then unit) and used (a fraction, labelled "now"). */
void history_rows(int y, const struct ring *in, const struct ring *out, const struct ring *used,
		  void (*fmt)(double v, char *buf, size_t size), const char *unit);

/* Where a grid's columns went on screen. */
struct layout {
	int x[GRID_MAXCOLS], w[GRID_MAXCOLS];   /* w 0: not shown */
	int first, rows;        /* first data line, data lines drawn */
};
/* A grid in a box: header line and rows; keeps v's selection in view. */
void grid_draw(int y, int x, int width, int height, const struct grid *g, struct gview *v,
	       bool focused, struct layout *lay);

/* The too-small screen. */
void draw_too_small(int need_w, int need_h);

/* ----------------------------------------------------------- ui state */

struct ui {
	const struct opts *o;
	struct swapctl_ctx *ctx;
	bool replay;
	struct live live;
	struct player rp;
	struct grid grids[PANE__COUNT];
	struct gview views[PANE__COUNT];
	enum pane pane;
	struct grid devs;
	struct gview devview;
	bool paused, help, quit;
	bool area_procs;        /* the processes pane lists those on live.map_path */
	bool map_view;          /* the map of live.map_path under the panes */
	double interval;        /* live: seconds between refreshes */
	double speed;           /* replay: events per second, 0 unlimited */
	bool prompt;            /* editing the filter */
	char saved_filter[64];  /* to restore on Esc */
	char msg[256];
	double msg_until;
	long refreshes;
	double next;            /* live: time of the next refresh */
	double last_run;        /* replay: when events were last run */
	char host[64];
};

/* The grid and view of the focused pane. */
struct grid *ui_grid(struct ui *u);
struct gview *ui_view(struct ui *u);
void ui_message(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* draw-live.c, draw-replay.c */
void draw_live(struct ui *u);
void draw_replay(struct ui *u);
/* Rebuild the grids from the data (filter, sort, selection). */
void live_build(struct ui *u);
void replay_build(struct ui *u);

/* ------------------------------------------------------------- keys.c */

enum action {
	ACT_NONE = 0, ACT_QUIT, ACT_HELP, ACT_PAUSE, ACT_SORT_NEXT, ACT_SORT_PREV, ACT_INVERT,
	ACT_FILTER, ACT_PANE_AREAS, ACT_PANE_PROCS, ACT_PANE_CGROUPS, ACT_NEXT_PANE, ACT_FASTER,
	ACT_SLOWER, ACT_STEP, ACT_TICK, ACT_UP, ACT_DOWN, ACT_PGUP, ACT_PGDN, ACT_HOME, ACT_END,
	ACT_REDRAW, ACT_RESIZE, ACT_CLEAR_FILTER, ACT_NOSWAP, ACT_AREA_PROCS, ACT_MAP,
};
enum action key_action(int ch);
void draw_help(const struct ui *u);

#endif
