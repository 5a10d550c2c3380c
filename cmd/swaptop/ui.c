/*
 * The interactive loop, for live and replay mode: wait for a key, the next
 * refresh or the next batch of replayed events, whichever comes first;
 * redraw when something changed (a resize redraws at once).  A signal
 * (SIGINT, SIGTERM, SIGHUP) leaves the loop; the terminal is restored and
 * the signal then ends the process as it would have.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "screen.h"

#define FRAME 0.04              /* replay: seconds of work between redraws */
#define MSG_SECONDS 2.0

struct grid *ui_grid(struct ui *u)
{
	return u->replay ? &u->devs : &u->grids[u->pane];
}

struct gview *ui_view(struct ui *u)
{
	return u->replay ? &u->devview : &u->views[u->pane];
}

void ui_message(struct ui *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof(u->msg), fmt, ap);
	va_end(ap);
	u->msg_until = now_seconds() + MSG_SECONDS;
}

static unsigned live_what(const struct ui *u)
{
	/* the swap map walks pagemap: only while a view shows it */
	unsigned map = (u->area_procs && u->pane == PANE_PROCS) || u->map_view ? LIVE_MAP : 0;

	return map | (u->pane == PANE_PROCS ? LIVE_PROCS : u->pane == PANE_CGROUPS ? LIVE_CGROUPS : 0);
}

/* The area selected on the areas pane (its path), or NULL. */
static const char *selected_area(const struct ui *u)
{
	const struct grow *r = grid_selected(&u->grids[PANE_AREAS], &u->views[PANE_AREAS]);

	return r ? r->key : NULL;
}

/* Enter on the areas pane: the processes on that area; on the processes
 * pane that lists them, or on the same area: all again. */
static void area_procs(struct ui *u)
{
	const char *path = selected_area(u);

	/* on the processes pane, or the same area again: all processes */
	if (u->area_procs && (u->pane == PANE_PROCS || !path ||
			      (u->live.map_path && !strcmp(path, u->live.map_path)))) {
		u->area_procs = false;
		u->views[PANE_PROCS].sort = PC_SWAP;
		if (!u->map_view)
			live_map_select(&u->live, NULL);
		ui_message(u, "all processes (Enter on an area: those with pages there)");
		return;
	}
	if (!path) {
		ui_message(u, "no area selected");
		return;
	}
	live_map_select(&u->live, path);
	u->area_procs = true;
	u->views[PANE_PROCS].sort = APC_PAGES;
	u->pane = PANE_PROCS;
	live_read_procs(&u->live);
	live_read_map(&u->live);
	ui_message(u, "processes with pages on %s (Enter on it again: all)", path);
}

/* m: the map of the selected area, or off. */
static void map_view(struct ui *u)
{
	const char *path = u->area_procs ? u->live.map_path : selected_area(u);

	if (u->map_view) {
		u->map_view = false;
		if (!u->area_procs)
			live_map_select(&u->live, NULL);
		return;
	}
	if (!path) {
		ui_message(u, "no area selected");
		return;
	}
	live_map_select(&u->live, path);
	u->map_view = true;
	live_read_procs(&u->live);
	live_read_map(&u->live);
}

static void build(struct ui *u)
{
	if (u->replay)
		replay_build(u);
	else
		live_build(u);
}

static void draw(struct ui *u)
{
	if (u->replay)
		draw_replay(u);
	else
		draw_live(u);
	refresh();
}

/* ---------------------------------------------------------------- live */

static void live_tick(struct ui *u)
{
	const char *sel = u->views[PANE_PROCS].sel;

	if (live_refresh(&u->live, live_what(u)) < 0)
		return;         /* the error is on the status line; try again */
	if (u->pane == PANE_PROCS && sel)
		live_smaps(&u->live, (pid_t)atol(sel), false);
}

static void set_pane(struct ui *u, enum pane p)
{
	u->pane = p;
	if (p == PANE_PROCS && !u->live.procs)
		live_read_procs(&u->live);
	if (p == PANE_PROCS && u->area_procs && !u->map_view)
		live_read_map(&u->live);        /* not read while the pane was hidden */
	if (p == PANE_CGROUPS && !u->live.cgroups)
		live_read_cgroups(&u->live);
}

/* ---------------------------------------------------------------- replay */

static void replay_advance(struct ui *u, double t)
{
	double dt = t - u->last_run;
	long n;

	u->last_run = t;
	if (u->speed > 0) {
		double owe = u->rp.carry + dt * u->speed;
		uint64_t want = (uint64_t)owe;

		u->rp.carry = owe - (double)want;
		if (!want)
			return;
		n = player_run(&u->rp, want, FRAME);
		if (n >= 0 && (uint64_t)n < want)
			u->rp.carry = 0;        /* could not keep up: no backlog */
	} else {
		player_run(&u->rp, UINT64_MAX, FRAME);
	}
	if (u->rp.done && !u->rp.err)
		ui_message(u, "end of the trace: q quits");
}

static void step(struct ui *u, bool tick)
{
	int r;

	u->paused = true;
	if (u->rp.done) {
		ui_message(u, u->rp.err ? "the replay stopped at an error" : "end of the trace");
		return;
	}
	r = tick ? player_tick(&u->rp) : player_step(&u->rp);
	if (r == 0)
		ui_message(u, "end of the trace");
}

/* ---------------------------------------------------------------- keys */

static bool sortable(const struct grid *g, int c)
{
	return g->cols[c].kind != K_BAR && g->cols[c].kind != K_CUSTOM;
}

static void sort_move(struct ui *u, int dir)
{
	struct grid *g = ui_grid(u);
	struct gview *v = ui_view(u);
	int n = (int)g->ncols, c = v->sort, i;

	if (n == 0)
		return;
	for (i = 0; i < n; i++) {
		c = (c + dir + n) % n;
		if (sortable(g, c))
			break;
	}
	v->sort = c;
	v->invert = false;
}

static void prompt_key(struct ui *u, int ch)
{
	struct gview *v = ui_view(u);
	size_t len = strlen(v->filter);

	switch (ch) {
	case '\n':
	case '\r':
	case KEY_ENTER:
		u->prompt = false;
		break;
	case 27:
		snprintf(v->filter, sizeof(v->filter), "%s", u->saved_filter);
		u->prompt = false;
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		/* a whole UTF-8 character */
		while (len > 0 && ((unsigned char)v->filter[len - 1] & 0xc0) == 0x80)
			len--;
		if (len > 0)
			len--;
		v->filter[len] = '\0';
		break;
	case 21:                /* Ctrl-U */
		v->filter[0] = '\0';
		break;
	default:
		if (ch >= 32 && ch < 256 && ch != 127 && len + 1 < sizeof(v->filter)) {
			v->filter[len] = (char)ch;
			v->filter[len + 1] = '\0';
		}
		break;
	}
}

static void handle_key(struct ui *u, int ch)
{
	struct grid *g = ui_grid(u);
	struct gview *v = ui_view(u);
	long page = LINES > 16 ? LINES - 14 : 1;

	if (u->help) {
		if (ch != KEY_RESIZE)
			u->help = false;
		return;
	}
	if (u->prompt) {
		prompt_key(u, ch);
		return;
	}
	switch (key_action(ch)) {
	case ACT_QUIT:
		u->quit = true;
		break;
	case ACT_HELP:
		u->help = true;
		break;
	case ACT_PAUSE:
		u->paused = !u->paused;
		if (!u->paused) {
			u->last_run = now_seconds();
			u->rp.carry = 0;
			u->next = u->last_run;  /* live: refresh at once */
		}
		break;
	case ACT_SORT_NEXT:
		sort_move(u, 1);
		break;
	case ACT_SORT_PREV:
		sort_move(u, -1);
		break;
	case ACT_INVERT:
		v->invert = !v->invert;
		break;
	case ACT_FILTER:
		snprintf(u->saved_filter, sizeof(u->saved_filter), "%s", v->filter);
		u->prompt = true;
		break;
	case ACT_CLEAR_FILTER:
		v->filter[0] = '\0';
		break;
	case ACT_NOSWAP:
		if (u->replay)
			break;
		u->live.show_noswap = !u->live.show_noswap;
		ui_message(u, u->live.show_noswap ? "processes holding no swap are listed (z hides them)"
						  : "processes holding no swap are hidden (z lists them)");
		set_pane(u, PANE_PROCS);
		break;
	case ACT_AREA_PROCS:
		if (!u->replay && (u->pane == PANE_AREAS || u->area_procs))
			area_procs(u);
		break;
	case ACT_MAP:
		if (!u->replay)
			map_view(u);
		break;
	case ACT_PANE_AREAS:
	case ACT_PANE_PROCS:
	case ACT_PANE_CGROUPS:
	case ACT_NEXT_PANE:
		if (u->replay) {
			ui_message(u, "a, p, c and Tab switch panes in live mode");
			break;
		}
		set_pane(u, key_action(ch) == ACT_PANE_AREAS ? PANE_AREAS :
			    key_action(ch) == ACT_PANE_PROCS ? PANE_PROCS :
			    key_action(ch) == ACT_PANE_CGROUPS ? PANE_CGROUPS :
			    (enum pane)((u->pane + 1) % PANE__COUNT));
		break;
	case ACT_FASTER:
	case ACT_SLOWER: {
		int dir = key_action(ch) == ACT_FASTER ? 1 : -1;

		if (u->replay) {
			u->speed = speed_step(u->speed, dir);
			if (u->speed > 0)
				ui_message(u, "speed: %g events/s", u->speed);
			else
				ui_message(u, "speed: as fast as it goes");
		} else {
			double old = u->interval;

			u->interval = interval_step(u->interval, dir);
			u->next += u->interval - old;
			ui_message(u, "refresh every %g s", u->interval);
		}
		break;
	}
	case ACT_STEP:
	case ACT_TICK:
		if (!u->replay)
			ui_message(u, "t and T step a replay (swaptop -r)");
		else
			step(u, key_action(ch) == ACT_TICK);
		break;
	case ACT_UP:
		gview_move(g, v, -1);
		break;
	case ACT_DOWN:
		gview_move(g, v, 1);
		break;
	case ACT_PGUP:
		gview_move(g, v, -page);
		break;
	case ACT_PGDN:
		gview_move(g, v, page);
		break;
	case ACT_HOME:
		gview_move(g, v, -(long)g->nshown);
		break;
	case ACT_END:
		gview_move(g, v, (long)g->nshown);
		break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		break;
	case ACT_RESIZE:
	case ACT_NONE:
		break;
	}
}

/* ---------------------------------------------------------------- loop */

static double wait_time(const struct ui *u, double t)
{
	double w;

	if (!u->replay) {
		w = u->paused ? -1 : u->next - t;
	} else if (u->paused || u->rp.done) {
		w = -1;
	} else if (u->speed > 0) {
		w = (1 - u->rp.carry) / u->speed;
		w = w < FRAME ? FRAME : w > 1 ? 1 : w;
	} else {
		w = 0;
	}
	if (u->msg_until > t && (w < 0 || u->msg_until - t < w))
		w = u->msg_until - t;
	return w < 0 ? -1 : w;
}

static void ui_free(struct ui *u)
{
	int p;

	for (p = 0; p < PANE__COUNT; p++) {
		grid_free(&u->grids[p]);
		gview_free(&u->views[p]);
	}
	grid_free(&u->devs);
	gview_free(&u->devview);
	if (u->replay)
		player_close(&u->rp);
	else
		live_free(&u->live);
}

static int start(struct ui *u)
{
	int r;

	if (u->replay) {
		r = player_open(&u->rp, u->ctx, u->o);
		if (r < 0) {
			if (!u->rp.printed)
				cmd_error("%s", u->rp.errmsg);
			return u->rp.exit_code;
		}
		return 0;
	}
	live_init(&u->live, u->ctx, u->o);
	r = live_refresh(&u->live, live_what(u));
	if (r < 0) {
		cmd_error("%s", u->live.err);
		return cmd_lib_exit_code(u->ctx, r);
	}
	return 0;
}

int ui_run(struct swapctl_ctx *ctx, const struct opts *o)
{
	struct ui *u = calloc(1, sizeof(*u));
	double t;
	int rc, sig, p;

	if (!u) {
		cmd_error("out of memory");
		return EXIT_SYSERR;
	}
	u->o = o;
	u->ctx = ctx;
	u->replay = o->replay;
	u->pane = o->pane;
	u->paused = o->paused;
	u->interval = o->delay;
	u->speed = o->speed;
	if (gethostname(u->host, sizeof(u->host) - 1) < 0)
		snprintf(u->host, sizeof(u->host), "?");
	for (p = 0; p < PANE__COUNT; p++)
		grid_init(&u->grids[p], NULL, 0);
	u->views[PANE_AREAS].sort = AC_PRIO;
	u->views[PANE_PROCS].sort = PC_SWAP;
	u->views[PANE_CGROUPS].sort = 0;        /* SWAP */
	if (o->area && !o->replay) {
		/* --area: its processes, by their pages there */
		u->area_procs = true;
		u->views[PANE_PROCS].sort = APC_PAGES;
	}
	grid_init(&u->devs, dev_cols, n_dev_cols);
	u->devview.sort = DC_PRIO;

	rc = start(u);
	if (rc == 0)
		rc = term_init(o);
	if (rc != 0) {
		ui_free(u);
		free(u);
		return rc;
	}
	t = now_seconds();
	u->next = t + u->interval;
	u->last_run = t;
	u->refreshes = 1;
	build(u);
	draw(u);
	while (!u->quit) {
		bool dirty = false;
		int ch;

		if (!u->replay && o->count > 0 && u->refreshes >= o->count)
			break;
		if (term_wait(wait_time(u, now_seconds())) < 0)
			break;
		while (!u->quit && (ch = getch()) != ERR) {
			handle_key(u, ch);
			dirty = true;
		}
		if (u->quit || term_signal())
			break;
		t = now_seconds();
		if (!u->replay && !u->paused && t >= u->next) {
			live_tick(u);
			u->refreshes++;
			u->next += u->interval;
			if (u->next < t)
				u->next = t + u->interval;
			dirty = true;
		} else if (u->replay && !u->paused && !u->rp.done) {
			replay_advance(u, t);
			dirty = true;
		}
		if (u->msg_until && t >= u->msg_until) {
			u->msg_until = 0;
			dirty = true;
		}
		if (dirty) {
			build(u);
			draw(u);
		}
	}
	sig = term_end();
	rc = EXIT_OK;
	if (u->replay && u->rp.err) {
		cmd_error("%s", u->rp.errmsg);
		rc = u->rp.exit_code;
	} else if (u->replay && u->rp.e) {
		/* what failed so far, now that the screen is gone */
		replay_print_events(u->rp.e, u->rp.name);
		rc = replay_status(u->rp.e);
	}
	ui_free(u);
	free(u);
	if (sig) {
		/* end the way the signal asked, now that the terminal is sane */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	return rc;
}
