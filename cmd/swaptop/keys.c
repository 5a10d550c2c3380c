/*
 * Keys: what each does, and the help screen that lists them.  The keys
 * follow htop, top, atop and below where they agree (q, h/?, Space, </>
 * and F6, /, t/T).
 */
#include <string.h>
#include "screen.h"

#define LIVE   0x1
#define REPLAY 0x2
#define BOTH   (LIVE | REPLAY)

static const struct {
	int key;
	enum action act;
} keymap[] = {
	{ 'q', ACT_QUIT }, { 'Q', ACT_QUIT }, { KEY_F(10), ACT_QUIT },
	{ 'h', ACT_HELP }, { '?', ACT_HELP }, { KEY_F(1), ACT_HELP },
	{ ' ', ACT_PAUSE },
	{ '>', ACT_SORT_NEXT }, { '.', ACT_SORT_NEXT }, { KEY_F(6), ACT_SORT_NEXT },
	{ '<', ACT_SORT_PREV }, { ',', ACT_SORT_PREV },
	{ 'I', ACT_INVERT },
	{ 'z', ACT_NOSWAP },
	{ '\n', ACT_AREA_PROCS }, { '\r', ACT_AREA_PROCS }, { KEY_ENTER, ACT_AREA_PROCS },
	{ 'm', ACT_MAP },
	{ '/', ACT_FILTER }, { KEY_F(4), ACT_FILTER }, { '\\', ACT_FILTER },
	{ 27, ACT_CLEAR_FILTER },
	{ 'a', ACT_PANE_AREAS }, { 'p', ACT_PANE_PROCS }, { 'c', ACT_PANE_CGROUPS },
	{ '\t', ACT_NEXT_PANE },
	{ '+', ACT_FASTER }, { '=', ACT_FASTER }, { '-', ACT_SLOWER }, { '_', ACT_SLOWER },
	{ 't', ACT_STEP }, { 'T', ACT_TICK },
	{ KEY_UP, ACT_UP }, { 'k', ACT_UP }, { KEY_DOWN, ACT_DOWN }, { 'j', ACT_DOWN },
	{ KEY_PPAGE, ACT_PGUP }, { KEY_NPAGE, ACT_PGDN },
	{ KEY_HOME, ACT_HOME }, { 'g', ACT_HOME }, { KEY_END, ACT_END }, { 'G', ACT_END },
	{ 12, ACT_REDRAW }, { KEY_RESIZE, ACT_RESIZE },
};

static const struct {
	const char *keys, *what;
	unsigned modes;
} helptext[] = {
	{ "q  F10", "quit", BOTH },
	{ "h  ?  F1", "this help (any key returns)", BOTH },
	{ "Space", "pause and resume refreshing", LIVE },
	{ "Space", "pause and run the replay", REPLAY },
	{ "t", "step one event (pauses)", REPLAY },
	{ "T", "step one tick of engine time (pauses)", REPLAY },
	{ "+  -", "refresh more often, less often", LIVE },
	{ "+  -", "replay faster, slower", REPLAY },
	{ "a  p  c", "show the areas, processes or cgroups pane", LIVE },
	{ "Tab", "the next pane", LIVE },
	{ "<  >  F6", "sort by the column left or right of the current one", BOTH },
	{ "I", "invert the sort order", BOTH },
	{ "z", "also list the processes that hold no swap (again: hide them)", LIVE },
	{ "Enter", "areas pane: the processes with pages on the selected area (again: all)", LIVE },
	{ "m", "the map of the selected area: how full each part is, what changed (root)", LIVE },
	{ "/  F4", "filter the pane's rows (Enter keeps, Esc cancels)", BOTH },
	{ "Esc", "clear the filter", BOTH },
	{ "Up Down PgUp PgDn Home End", "select a row (a process: its SwapPss is read)", LIVE },
	{ "Up Down PgUp PgDn Home End", "select a device for the histograms", REPLAY },
	{ "Ctrl-L", "redraw the screen", BOTH },
};

enum action key_action(int ch)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keymap); i++)
		if (keymap[i].key == ch)
			return keymap[i].act;
	return ACT_NONE;
}

void draw_help(const struct ui *u)
{
	unsigned mode = u->replay ? REPLAY : LIVE;
	const struct grid *g = u->replay ? &u->devs : &u->grids[u->pane];
	const struct threshold *th = u->o->th;
	int y = 2, i;
	size_t k;

	fill_line(0, ST_TITLE);
	put(0, 0, COLS, u->replay ? " swaptop help: replay" : " swaptop help: live", AL_LEFT, ST_TITLE);
	for (k = 0; k < ARRAY_SIZE(helptext) && y < LINES - 1; k++) {
		if (!(helptext[k].modes & mode))
			continue;
		put(y, 1, 28, helptext[k].keys, AL_LEFT, ST_KEY);
		put(y, 30, COLS - 30, helptext[k].what, AL_LEFT, ST_NORMAL);
		y++;
	}
	if (y + 2 < LINES - 1) {
		y++;
		put(y++, 1, COLS - 1, "Thresholds, warning/critical (--threshold NAME=WARN:CRIT, SWAPTOP_THRESHOLDS):",
		    AL_LEFT, ST_LABEL);
		put_fmt(y++, 3, ST_NORMAL, "swapout %g/%g pages/s   swap %g/%g %%   psi-some %g/%g %%   psi-full %g/%g %%",
			th[TH_SWAPOUT].warn, th[TH_SWAPOUT].crit, th[TH_SWAP].warn, th[TH_SWAP].crit,
			th[TH_PSI_SOME].warn, th[TH_PSI_SOME].crit, th[TH_PSI_FULL].warn, th[TH_PSI_FULL].crit);
	}
	if (y + 2 < LINES - 1 && g->ncols) {
		y++;
		put(y++, 1, COLS - 1, "Columns of this pane:", AL_LEFT, ST_LABEL);
		for (i = 0; (size_t)i < g->ncols && y < LINES - 1; i++, y++) {
			put(y, 3, 10, g->cols[i].name, AL_LEFT, ST_KEY);
			put(y, 14, COLS - 14, g->cols[i].help ? g->cols[i].help : "", AL_LEFT, ST_NORMAL);
		}
	}
	put(LINES - 1, 0, COLS, "Press any key to return.", AL_LEFT, ST_NORMAL);
}
