/*
 * swaptop: what its files share.
 *
 *   main.c         options, and the choice of mode
 *   levels.c       thresholds (--threshold, SWAPTOP_THRESHOLDS) and levels
 *   grid.c         the tables behind every pane: rows, sorting, filtering
 *   live.c         live data from libswapctl: snapshots, rates, history
 *   player.c       the replay driver over the pager engine
 *   batch.c        plain-text frames (-b), and the replay totals
 *   term.c         the terminal: curses, signals, colours, glyphs, text width
 *   widgets.c      bars, sparklines, histograms, tables on the screen
 *   draw-live.c    the live screen;  draw-replay.c  the replay screen
 *   keys.c         the keys and the help screen
 *   ui.c           the interactive loop
 *
 * All data comes from libswapctl; nothing here reads /proc or /sys.
 */
#ifndef SWAPTOP_H
#define SWAPTOP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "cmd.h"
#include "output.h"
#include "replay.h"

/* ------------------------------------------------------------ thresholds */

enum th_id { TH_SWAPOUT, TH_SWAP, TH_PSI_SOME, TH_PSI_FULL, TH__COUNT };
enum level { LV_NONE = 0, LV_OK, LV_WARN, LV_CRIT };

struct threshold {
	double warn, crit;
};

/* Defaults (atop's for swap-out and swap use). */
void thresholds_default(struct threshold *th);
/* "NAME=[WARN:]CRIT[,...]": 0, or -1 with a reason in err. */
int thresholds_parse(struct threshold *th, const char *spec, char *err, size_t size);
/* The level of v; LV_NONE when v is not a number. */
enum level th_level(const struct threshold *th, double v);
const char *level_word(enum level lv);          /* "ok", "warn", "crit", "-" */

/* --------------------------------------------------------------- options */

enum pane { PANE_AREAS = 0, PANE_PROCS, PANE_CGROUPS, PANE__COUNT };

struct opts {
	bool batch;             /* -b */
	bool replay;            /* -r */
	bool mono;              /* --mono, NO_COLOR */
	bool ascii;             /* --ascii: no UTF-8 block characters */
	bool paused;            /* --paused */
	double delay;           /* -d: seconds (live), ticks (batch replay) */
	bool delay_given;
	long count;             /* -n: refreshes or frames; -1: no limit */
	struct replay_opts rp;  /* replay: trace, devices, allocator, RAM ... */
	double speed;           /* replay: events per second, 0 = as fast as it goes */
	struct threshold th[TH__COUNT];
	struct units units;     /* batch: sizes */
	size_t top;             /* batch: rows per list, 0 = all */
	double smaps_budget;    /* seconds a SwapPss read may take per refresh */
	enum pane pane;         /* the pane shown first */
	bool all_procs;         /* --all-processes: also those holding no swap */
	const char *area;       /* --area: the area whose processes and map are shown */
};

/* The speeds +/- step through, events per second; 0 = unlimited. */
double speed_step(double speed, int dir);
/* The refresh intervals +/- step through, seconds. */
double interval_step(double seconds, int dir);
/* CLOCK_MONOTONIC seconds. */
double now_seconds(void);

/* ------------------------------------------------------------------ grid */

/* What a column holds, and so how it is shown and sorted. */
enum col_kind {
	K_TEXT,                 /* text */
	K_SIZE,                 /* bytes in u */
	K_INT,                  /* a whole number in d */
	K_PCT,                  /* percent in d */
	K_RATIO,                /* a ratio in d, shown as "3.2x" */
	K_BAR,                  /* a fraction 0..1 in d, drawn as a bar */
	K_CUSTOM,               /* drawn by the pane (the replay map) */
};

/* How a cell stands. */
enum cell_state { C_VALUE = 0, C_UNKNOWN, C_NONE, C_UNLIMITED };

#define GRID_MAXCOLS 16

struct gcol {
	const char *name;       /* header, on screen and in batch frames */
	enum col_kind kind;
	int width;              /* screen: text at most, others exactly; flex: least */
	int weight;             /* narrow screens drop the lowest weights first */
	bool left;              /* left-aligned */
	bool flex;              /* takes what the others leave */
	bool nobatch;           /* not in batch frames */
	const char *help;       /* for the help screen */
};

struct gcell {
	char *text;             /* K_TEXT */
	uint64_t u;             /* K_SIZE */
	double d;               /* K_INT, K_PCT, K_RATIO, K_BAR */
	unsigned char state;    /* enum cell_state */
	unsigned char level;    /* enum level: colour */
};

struct grow {
	char *key;              /* identity across refreshes: PID, path */
	struct gcell c[GRID_MAXCOLS];
	size_t index;           /* for the pane: the source's position */
};

struct grid {
	const struct gcol *cols;
	size_t ncols;
	struct grow *rows;
	size_t n, cap;
	size_t *shown;          /* rows after filter and sort */
	size_t nshown;
};

/* What the user chose for a pane: kept across refreshes. */
struct gview {
	int sort;               /* column */
	bool invert;
	char filter[64];
	char *sel;              /* key of the selected row, or NULL */
	size_t cur;             /* its position in shown */
	size_t top;             /* first row on screen */
};

void grid_init(struct grid *g, const struct gcol *cols, size_t ncols);
void grid_reset(struct grid *g, const struct gcol *cols, size_t ncols);
void grid_free(struct grid *g);
struct grow *grid_add(struct grid *g, const char *key);
void cell_text(struct grow *r, int col, const char *text);
void cell_size(struct grow *r, int col, uint64_t bytes);   /* UNKNOWN, UNLIMITED */
void cell_num(struct grow *r, int col, enum col_kind k, double v);   /* NAN: "-" */
void cell_state(struct grow *r, int col, enum cell_state s);
/* Filter and sort by v; keep the selection on the same key. */
void grid_arrange(struct grid *g, struct gview *v);
/* The selected row, or NULL. */
const struct grow *grid_selected(const struct grid *g, const struct gview *v);
/* Move the selection by delta rows (clamped); rows: the lines on screen. */
void gview_move(const struct grid *g, struct gview *v, long delta);
void gview_free(struct gview *v);
/* A cell as text; u NULL: human sizes (the screen), else in those units. */
void cell_format(const struct gcol *c, const struct gcell *cell, const struct units *u,
		 char *buf, size_t size);

/* ------------------------------------------------------------------ live */

#define HIST_MAX 512

/* A ring of the last samples. */
struct ring {
	double v[HIST_MAX];
	size_t n, head;         /* head: where the next goes */
};
void ring_push(struct ring *r, double v);
/* The i-th newest (0 = the last pushed). */
double ring_get(const struct ring *r, size_t i);

/* The header's figures, derived from one snapshot. */
struct summary {
	uint64_t swap_total, swap_used, swap_free;
	uint64_t swap_disk;             /* used, less cache and zswap */
	uint64_t swap_cache, zswap_pool, zswapped;
	bool has_zswap;
	double swap_pct;                /* NAN without swap */
	uint64_t mem_total, mem_avail, mem_used;
	double mem_pct;
	double in_ps, out_ps;           /* pages per second; NAN unknown */
	double zin_ps, zout_ps;
	bool since_boot;                /* rates are averages since boot */
	double psi_some, psi_full;      /* avg10 percent; NAN without PSI */
	enum level lv_swap, lv_out, lv_some, lv_full;
};

struct ident;
struct cmdline;

struct live {
	struct swapctl_ctx *ctx;
	const struct opts *o;
	struct swapctl_stats prev, cur;
	bool have_prev, have_cur;
	struct swapctl_rates rates;
	struct swapctl_swaplist *swaps;
	struct ident *idents;           /* label, UUID ... of areas seen */
	size_t nidents;
	struct swapctl_zramlist *zram;
	struct swapctl_proclist *procs;
	char procs_err[256];
	bool show_noswap;               /* list processes holding no swap (z) */
	size_t procs_hidden;            /* those left out, for the tab */
	struct swapctl_cgrouplist *cgroups;
	char cg_err[256];
	struct ring h_in, h_out, h_used;        /* pages/s, pages/s, fraction */
	unsigned refreshes;
	/* SwapPss of the selected process, within a time budget */
	pid_t pss_pid;
	uint64_t pss, pss_swap;         /* UNKNOWN when unreadable */
	bool pss_valid;
	double pss_at, pss_cost;        /* when read, seconds it took */
	unsigned pss_skip;              /* refreshes to wait before the next */
	/* command lines, read for the rows on screen only */
	struct cmdline *cmds;
	size_t ncmds, capcmds;
	/* the swap map of one area (areamap.c): read only while shown */
	char *map_path;                 /* the area, NULL: none */
	struct swapctl_swapmap *map;
	int map_area;                   /* its index in map, -1 */
	uint64_t map_prev[SWAPCTL_MAP_BUCKETS];  /* its histogram a refresh ago */
	bool map_have_prev;
	char map_err[256];              /* why there is no map */
	char err[512];
};

/* What a refresh reads beyond the header and the areas. */
#define LIVE_PROCS      0x1
#define LIVE_CGROUPS    0x2
#define LIVE_MAP        0x4     /* the swap map of l->map_path (and the processes) */

void live_init(struct live *l, struct swapctl_ctx *ctx, const struct opts *o);
/* Read a new snapshot: 0, or a negative errno with l->err set. */
int live_refresh(struct live *l, unsigned what);
/* Read the processes, or the cgroups, now (a pane was switched to). */
void live_read_procs(struct live *l);
void live_read_cgroups(struct live *l);
void live_summary(const struct live *l, struct summary *s);
/* SwapPss of pid, read now if the budget allows (force: selection changed). */
void live_smaps(struct live *l, pid_t pid, bool force);
/* The command line of pid (read once, then cached), or comm. */
const char *live_cmdline(struct live *l, pid_t pid, const char *comm);
void live_areas(struct live *l, struct grid *g);
void live_procs(struct live *l, struct grid *g);
void live_cgroups(struct live *l, struct grid *g);
/* One line about the row of that key, for the status line. */
void live_area_detail(const struct live *l, const char *key, char *buf, size_t size);
void live_proc_detail(const struct live *l, const char *key, char *buf, size_t size);
void live_cgroup_detail(const struct live *l, const char *key, char *buf, size_t size);
void live_free(struct live *l);

/* areamap.c: the area whose map is read (NULL: none; a new one forgets the
 * last histogram), read it now, its processes, and its buckets: fill 0..1
 * and change +1 grew, -1 shrank, 0 same or unknown (SWAPCTL_MAP_BUCKETS of
 * each); -1 without a map. */
void live_map_select(struct live *l, const char *path);
void live_read_map(struct live *l);
const struct swapctl_maparea *live_map_area(const struct live *l);
void live_area_procs(struct live *l, struct grid *g);
int live_map_buckets(const struct live *l, double *fill, int *change);
extern const struct gcol areaproc_cols[];
extern const size_t n_areaproc_cols;
enum { APC_PID, APC_USER, APC_PAGES, APC_ONAREA, APC_SWAP, APC_CMD };

extern const struct gcol area_cols[];
extern const size_t n_area_cols;
extern const struct gcol proc_cols[];
extern const size_t n_proc_cols;
extern const struct gcol cg2_cols[];
extern const size_t n_cg2_cols;
extern const struct gcol cg1_cols[];
extern const size_t n_cg1_cols;
/* The cgroup columns for the hierarchy l read. */
const struct gcol *live_cg_cols(const struct live *l, size_t *n);

/* Column numbers the code refers to. */
enum { AC_NAME, AC_TYPE, AC_PRIO, AC_SIZE, AC_USED, AC_PCT, AC_BAR, AC_LABEL, AC_ROT, AC_RATIO };
enum { PC_PID, PC_USER, PC_SWAP, PC_RSS, PC_PCT, PC_PSS, PC_CMD };

/* ---------------------------------------------------------------- replay */

struct player {
	struct swapctl_ctx *ctx;
	const struct opts *o;
	struct swapctl_engine *e;
	struct swapctl_trace *t;
	FILE *f;
	char name[4096];
	bool done;              /* end of the trace, or an error */
	bool printed;           /* the error was printed already */
	int err;                /* the error that stopped it, or 0 */
	int exit_code;          /* and the exit code it calls for */
	char errmsg[512];
	struct swapctl_engine_stats st;         /* at the last tick or refresh */
	uint64_t tick_clock, tick_in, tick_out; /* counters at the last tick */
	struct ring h_in, h_out, h_used;        /* per tick */
	double carry;           /* events owed to the speed */
};

int player_open(struct player *r, struct swapctl_ctx *ctx, const struct opts *o);
/* One event: 1 applied, 0 at the end, negative on an error (r->errmsg). */
int player_step(struct player *r);
/* Events until the clock moves (or the end). */
int player_tick(struct player *r);
/* Up to max events, for at most seconds: events applied, or negative. */
long player_run(struct player *r, uint64_t max, double seconds);
/* Refresh r->st. */
void player_update(struct player *r);
/* Page-ins and page-outs per tick over the last window ticks; NAN without ticks. */
void player_rates(const struct player *r, size_t window, double *in, double *out);
const char *player_event(const struct player *r);
unsigned player_line(const struct player *r);
void player_devices(struct player *r, struct grid *g);
/* The final figures, one "key value" a line. */
void player_totals(struct player *r, FILE *f);
void player_close(struct player *r);

extern const struct gcol dev_cols[];
extern const size_t n_dev_cols;
enum { DC_NAME, DC_PRIO, DC_ALLOC, DC_SIZE, DC_USED, DC_PCT, DC_FREE, DC_BAD, DC_OUT, DC_IN,
       DC_FAIL, DC_STATE, DC_MAP };

/* ----------------------------------------------------------------- batch */

int batch_live(struct swapctl_ctx *ctx, const struct opts *o);
int batch_replay(struct swapctl_ctx *ctx, const struct opts *o);

/* ------------------------------------------------------------ interactive */

int ui_run(struct swapctl_ctx *ctx, const struct opts *o);

#endif
