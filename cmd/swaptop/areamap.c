/*
 * One area's swap map (--area, Enter on the areas pane, the map view):
 * which processes have pages on it, and how full each part of it is, from
 * libswapctl's swap map (a walk of the pagemap of every process with swap).
 * Read only while a view shows it, once a refresh; the histogram of the
 * refresh before is kept to show what changed.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "swaptop.h"

const struct gcol areaproc_cols[] = {
	[APC_PID] = { "PID", K_INT, 7, 100, false, false, false, "process ID" },
	[APC_USER] = { "USER", K_TEXT, 10, 60, true, false, false, "real user" },
	[APC_PAGES] = { "PAGES", K_INT, 8, 100, false, false, false,
			"its pages on the selected area (pagemap; needs root)" },
	[APC_ONAREA] = { "ONAREA", K_SIZE, 6, 95, false, false, false, "those pages, in bytes" },
	[APC_SWAP] = { "SWAP", K_SIZE, 6, 80, false, false, false, "VmSwap: its swap on all areas" },
	[APC_CMD] = { "COMMAND", K_TEXT, 12, 90, true, true, false, "command line" },
};
const size_t n_areaproc_cols = ARRAY_SIZE(areaproc_cols);

void live_map_select(struct live *l, const char *path)
{
	if (path && l->map_path && !strcmp(path, l->map_path))
		return;
	free(l->map_path);
	l->map_path = path ? strdup(path) : NULL;
	l->map_have_prev = false;
	swapctl_swapmap_free(l->map);
	l->map = NULL;
	l->map_area = -1;
	l->map_err[0] = '\0';
}

const struct swapctl_maparea *live_map_area(const struct live *l)
{
	return l->map && l->map_area >= 0 ? swapctl_swapmap_area(l->map, (size_t)l->map_area) : NULL;
}

void live_read_map(struct live *l)
{
	const struct swapctl_maparea *a = live_map_area(l);
	int r;

	/* the last histogram of the same area: what changed since */
	if (a) {
		memcpy(l->map_prev, a->hist, sizeof(l->map_prev));
		l->map_have_prev = a->placement != SWAPCTL_PLACE_UNKNOWN;
	}
	swapctl_swapmap_free(l->map);
	l->map = NULL;
	l->map_area = -1;
	l->map_err[0] = '\0';
	if (!l->map_path)
		return;
	if (geteuid() != 0) {
		/* pagemap shows swap entries to CAP_SYS_ADMIN only: no walk */
		snprintf(l->map_err, sizeof(l->map_err), "the swap map needs root (pagemap hides swap entries)");
		l->map_have_prev = false;
		return;
	}
	r = swapctl_swapmap_read(l->ctx, l->procs, 0, &l->map);
	if (r < 0) {
		snprintf(l->map_err, sizeof(l->map_err), "%s", swapctl_errmsg(l->ctx));
		l->map = NULL;
		l->map_have_prev = false;
		return;
	}
	l->map_area = swapctl_swapmap_find(l->map, l->map_path);
	if (l->map_area < 0) {
		snprintf(l->map_err, sizeof(l->map_err), "%s: not an active swap area", l->map_path);
		l->map_have_prev = false;
	} else if (swapctl_swapmap_area(l->map, (size_t)l->map_area)->placement == SWAPCTL_PLACE_UNKNOWN) {
		/* the kernel hides swap types from pagemap unless CAP_SYS_ADMIN */
		snprintf(l->map_err, sizeof(l->map_err),
			 "the swap types could not be placed (the areas changed during the walk)");
	}
}

void live_area_procs(struct live *l, struct grid *g)
{
	const struct swapctl_maparea *a = live_map_area(l);
	size_t i, n = l->map ? swapctl_swapmap_nprocs(l->map) : 0;
	unsigned ps = l->map ? swapctl_swapmap_pagesize(l->map) : 0;

	grid_reset(g, areaproc_cols, n_areaproc_cols);
	if (!a)
		return;
	for (i = 0; i < n; i++) {
		const struct swapctl_mapproc *p = swapctl_swapmap_proc(l->map, i);
		uint64_t pages = swapctl_swapmap_pages(l->map, i, (size_t)l->map_area);
		char key[24];
		struct grow *r;

		if (pages == 0)
			continue;
		snprintf(key, sizeof(key), "%ld", (long)p->pid);
		r = grid_add(g, key);
		cell_num(r, APC_PID, K_INT, p->pid);
		cell_text(r, APC_USER, p->user);
		if (pages == SWAPCTL_UNKNOWN) {
			cell_state(r, APC_PAGES, C_UNKNOWN);
			cell_state(r, APC_ONAREA, C_UNKNOWN);
		} else {
			cell_num(r, APC_PAGES, K_INT, (double)pages);
			cell_size(r, APC_ONAREA, pages * ps);
		}
		cell_size(r, APC_SWAP, p->vmswap);
		cell_text(r, APC_CMD, live_cmdline(l, p->pid, p->comm));
	}
}

/* The slots one bucket of the area covers (the last may cover fewer). */
static double bucket_slots(const struct live *l, const struct swapctl_maparea *a)
{
	double span = (double)(a->size / swapctl_swapmap_pagesize(l->map) + 1);

	return span / SWAPCTL_MAP_BUCKETS;
}

int live_map_buckets(const struct live *l, double *fill, int *change)
{
	const struct swapctl_maparea *a = live_map_area(l);
	double per;
	size_t i;

	if (!a || a->placement == SWAPCTL_PLACE_UNKNOWN)
		return -1;
	per = bucket_slots(l, a);
	for (i = 0; i < SWAPCTL_MAP_BUCKETS; i++) {
		double f = per > 0 ? (double)a->hist[i] / per : 0;

		fill[i] = f > 1 ? 1 : f;
		change[i] = !l->map_have_prev || a->hist[i] == l->map_prev[i] ? 0
			    : a->hist[i] > l->map_prev[i] ? 1 : -1;
	}
	return SWAPCTL_MAP_BUCKETS;
}
