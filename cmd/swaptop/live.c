/*
 * Live data: every refresh reads one snapshot through libswapctl (the
 * calls swapinfo makes) and keeps what is costly to read again:
 *
 *  - labels and UUIDs of the areas (udev or blkid), read again only when
 *    the set of active areas changes;
 *  - command lines, read once per process (same PID and name);
 *  - SwapPss (smaps_rollup, a walk of the page tables) only for the
 *    selected process, and less often when one read costs more than the
 *    time budget (--smaps-budget).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "swaptop.h"

/* Identity of an area seen before. */
struct ident {
	char path[4096];
	char label[SWAPCTL_LABEL_MAX + 2];
	char uuid[37];
};

/* A command line, in an open-addressing table by PID (pid 0: empty). */
struct cmdline {
	pid_t pid;
	char comm[64];
	char *cmd;
};

/* ------------------------------------------------------------- columns */

const struct gcol area_cols[] = {
	[AC_NAME] = { "NAME", K_TEXT, 28, 100, true, false, false, "the area: file or device (/proc/swaps)" },
	[AC_TYPE] = { "TYPE", K_TEXT, 9, 50, true, false, false, "file, partition, disk, loop, zram, device" },
	[AC_PRIO] = { "PRIO", K_INT, 6, 90, false, false, false, "priority: higher is used first" },
	[AC_SIZE] = { "SIZE", K_SIZE, 6, 95, false, false, false, "size of the area" },
	[AC_USED] = { "USED", K_SIZE, 6, 95, false, false, false, "swap in use on it" },
	[AC_PCT] = { "USE%", K_PCT, 5, 80, false, false, false, "used, percent of the size" },
	[AC_BAR] = { "USAGE", K_BAR, 8, 40, true, true, true, "used, as a bar" },
	[AC_LABEL] = { "LABEL", K_TEXT, 16, 30, true, false, false, "label of the swap header" },
	[AC_ROT] = { "ROT", K_TEXT, 3, 20, true, false, false, "rotational disk: yes, no; - for files" },
	[AC_RATIO] = { "RATIO", K_RATIO, 6, 25, false, false, false, "zram: data stored / compressed size" },
};
const size_t n_area_cols = ARRAY_SIZE(area_cols);

const struct gcol proc_cols[] = {
	[PC_PID] = { "PID", K_INT, 7, 100, false, false, false, "process ID" },
	[PC_USER] = { "USER", K_TEXT, 10, 60, true, false, false, "real user" },
	[PC_SWAP] = { "SWAP", K_SIZE, 6, 100, false, false, false, "VmSwap: its anonymous pages in swap" },
	[PC_RSS] = { "RSS", K_SIZE, 6, 70, false, false, false, "VmRSS: resident memory" },
	[PC_PCT] = { "SWAP%", K_PCT, 5, 50, false, false, false, "its share of the swap in use" },
	[PC_PSS] = { "SWAPPSS", K_SIZE, 7, 45, false, false, false,
		     "SwapPss (smaps_rollup), read for the selected process only" },
	[PC_CMD] = { "COMMAND", K_TEXT, 12, 90, true, true, false, "command line" },
};
const size_t n_proc_cols = ARRAY_SIZE(proc_cols);

enum { G2_SWAP, G2_MAX, G2_PCT, G2_PEAK, G2_ZSWAP, G2_MEM, G2_PROCS, G2_PATH };
const struct gcol cg2_cols[] = {
	[G2_SWAP] = { "SWAP", K_SIZE, 6, 100, false, false, false, "memory.swap.current" },
	[G2_MAX] = { "SWAP.MAX", K_SIZE, 8, 80, false, false, false, "memory.swap.max" },
	[G2_PCT] = { "USE%", K_PCT, 5, 60, false, false, false, "swap, percent of swap.max" },
	[G2_PEAK] = { "PEAK", K_SIZE, 6, 40, false, false, false, "memory.swap.peak" },
	[G2_ZSWAP] = { "ZSWAP", K_SIZE, 6, 45, false, false, false, "memory.zswap.current" },
	[G2_MEM] = { "MEM", K_SIZE, 6, 50, false, false, false, "memory.current" },
	[G2_PROCS] = { "PROCS", K_INT, 5, 30, false, false, false, "processes in it (cgroup.procs)" },
	[G2_PATH] = { "CGROUP", K_TEXT, 12, 90, true, true, false, "the cgroup" },
};
const size_t n_cg2_cols = ARRAY_SIZE(cg2_cols);

enum { G1_SWAP, G1_MEMSW, G1_MEMSWMAX, G1_PCT, G1_MEM, G1_MEMMAX, G1_PROCS, G1_PATH };
const struct gcol cg1_cols[] = {
	[G1_SWAP] = { "SWAP", K_SIZE, 6, 100, false, false, false, "total_swap of memory.stat" },
	[G1_MEMSW] = { "MEMSW", K_SIZE, 6, 80, false, false, false, "memory.memsw.usage_in_bytes" },
	[G1_MEMSWMAX] = { "MEMSW.MAX", K_SIZE, 9, 70, false, false, false, "memory.memsw.limit_in_bytes" },
	[G1_PCT] = { "USE%", K_PCT, 5, 60, false, false, false, "memsw, percent of its limit" },
	[G1_MEM] = { "MEM", K_SIZE, 6, 50, false, false, false, "memory.usage_in_bytes" },
	[G1_MEMMAX] = { "MEM.MAX", K_SIZE, 7, 40, false, false, false, "memory.limit_in_bytes" },
	[G1_PROCS] = { "PROCS", K_INT, 5, 30, false, false, false, "processes in it (cgroup.procs)" },
	[G1_PATH] = { "CGROUP", K_TEXT, 12, 90, true, true, false, "the cgroup" },
};
const size_t n_cg1_cols = ARRAY_SIZE(cg1_cols);

/* ---------------------------------------------------------------- ring */

void ring_push(struct ring *r, double v)
{
	r->v[r->head] = v;
	r->head = (r->head + 1) % HIST_MAX;
	if (r->n < HIST_MAX)
		r->n++;
}

double ring_get(const struct ring *r, size_t i)
{
	if (i >= r->n)
		return NAN;
	return r->v[(r->head + HIST_MAX - 1 - i) % HIST_MAX];
}

/* ------------------------------------------------------------- refresh */

void live_init(struct live *l, struct swapctl_ctx *ctx, const struct opts *o)
{
	memset(l, 0, sizeof(*l));
	l->ctx = ctx;
	l->o = o;
	l->pss = l->pss_swap = SWAPCTL_UNKNOWN;
	/* the screen lists who holds swap; -b frames keep every process */
	l->show_noswap = o->all_procs || o->batch;
	l->map_area = -1;
	if (o->area)
		live_map_select(l, o->area);
}

static void set_err(struct live *l, int r, const char *what)
{
	const char *msg = swapctl_errmsg(l->ctx);

	snprintf(l->err, sizeof(l->err), "%s", msg && *msg ? msg : what);
	(void)r;
}

static struct ident *ident_find(struct live *l, const char *path)
{
	size_t i;

	for (i = 0; i < l->nidents; i++)
		if (!strcmp(l->idents[i].path, path))
			return &l->idents[i];
	return NULL;
}

/* The active areas; labels and UUIDs only when the set changed. */
static int read_areas(struct live *l)
{
	struct swapctl_swaplist *sl;
	size_t i, n;
	bool known = true;
	int r;

	r = swapctl_swaps_read(l->ctx, 0, &sl);
	if (r < 0)
		return r;
	n = swapctl_swaplist_count(sl);
	for (i = 0; i < n && known; i++)
		known = ident_find(l, swapctl_swaplist_get(sl, i)->path) != NULL;
	if (!known || n != l->nidents) {
		struct ident *v;

		swapctl_swaplist_identify(l->ctx, sl);
		v = realloc(l->idents, (n ? n : 1) * sizeof(*v));
		if (!v) {
			swapctl_swaplist_free(sl);
			return -ENOMEM;
		}
		l->idents = v;
		for (i = 0; i < n; i++) {
			const struct swapctl_swap *sw = swapctl_swaplist_get(sl, i);

			snprintf(v[i].path, sizeof(v[i].path), "%s", sw->path);
			snprintf(v[i].label, sizeof(v[i].label), "%s", sw->label);
			snprintf(v[i].uuid, sizeof(v[i].uuid), "%s", sw->uuid);
		}
		l->nidents = n;
	}
	swapctl_swaplist_free(l->swaps);
	l->swaps = sl;
	return 0;
}

static size_t cmd_slot(const struct cmdline *t, size_t cap, pid_t pid)
{
	size_t i = ((size_t)pid * 2654435761u) & (cap - 1);

	while (t[i].pid && t[i].pid != pid)
		i = (i + 1) & (cap - 1);
	return i;
}

/* Keep the command lines of the processes listed now; read the new ones. */
static void update_cmdlines(struct live *l)
{
	size_t n = swapctl_proclist_count(l->procs), cap = 64, i;
	struct cmdline *t;

	while (cap < n * 2)
		cap *= 2;
	t = calloc(cap, sizeof(*t));
	if (!t)
		return;
	for (i = 0; i < n; i++) {
		const struct swapctl_proc *p = swapctl_proclist_get(l->procs, i);
		struct cmdline *old = NULL, *c;
		char buf[4096];

		if (l->capcmds) {
			old = &l->cmds[cmd_slot(l->cmds, l->capcmds, p->pid)];
			if (!old->pid || strcmp(old->comm, p->comm))
				old = NULL;
		}
		c = &t[cmd_slot(t, cap, p->pid)];
		if (c->pid)
			continue;       /* listed twice: keep the first */
		c->pid = p->pid;
		snprintf(c->comm, sizeof(c->comm), "%s", p->comm);
		if (old) {
			c->cmd = old->cmd;
			old->cmd = NULL;
		} else if (swapctl_proc_cmdline(l->ctx, p->pid, buf, sizeof(buf)) == 0 && buf[0]) {
			c->cmd = strdup(buf);
		}
	}
	for (i = 0; i < l->capcmds; i++)
		free(l->cmds[i].cmd);
	free(l->cmds);
	l->cmds = t;
	l->capcmds = cap;
	l->ncmds = n;
}

const char *live_cmdline(struct live *l, pid_t pid, const char *comm)
{
	const struct cmdline *c;

	if (!l->capcmds)
		return comm;
	c = &l->cmds[cmd_slot(l->cmds, l->capcmds, pid)];
	return c->pid == pid && c->cmd && !strcmp(c->comm, comm) ? c->cmd : comm;
}

static bool any_zram(const struct swapctl_swaplist *sl)
{
	size_t i;

	for (i = 0; i < swapctl_swaplist_count(sl); i++)
		if (swapctl_swaplist_get(sl, i)->kind == SWAPCTL_KIND_ZRAM)
			return true;
	return false;
}

void live_read_procs(struct live *l)
{
	int r;

	swapctl_proclist_free(l->procs);
	l->procs = NULL;
	l->procs_err[0] = '\0';
	r = swapctl_procs_read(l->ctx, &l->procs);
	if (r < 0) {
		snprintf(l->procs_err, sizeof(l->procs_err), "%s", swapctl_errmsg(l->ctx));
		l->procs = NULL;
		return;
	}
	update_cmdlines(l);
}

void live_read_cgroups(struct live *l)
{
	int r;

	swapctl_cgrouplist_free(l->cgroups);
	l->cgroups = NULL;
	l->cg_err[0] = '\0';
	r = swapctl_cgroups_read(l->ctx, &l->cgroups);
	if (r < 0) {
		snprintf(l->cg_err, sizeof(l->cg_err), "%s", swapctl_errmsg(l->ctx));
		l->cgroups = NULL;
	}
}

int live_refresh(struct live *l, unsigned what)
{
	struct swapctl_stats st = { .struct_size = sizeof(st) };
	int r;

	l->err[0] = '\0';
	r = swapctl_stats_read(l->ctx, &st);
	if (r < 0) {
		set_err(l, r, "cannot read the memory statistics");
		return r;
	}
	if (l->have_cur) {
		l->prev = l->cur;
		l->have_prev = true;
	}
	l->cur = st;
	l->have_cur = true;
	swapctl_stats_rates(l->have_prev ? &l->prev : NULL, &l->cur, &l->rates);

	r = read_areas(l);
	if (r < 0) {
		set_err(l, r, "cannot read the active areas");
		return r;
	}
	swapctl_zramlist_free(l->zram);
	l->zram = NULL;
	if (any_zram(l->swaps) && swapctl_zram_read(l->ctx, &l->zram) < 0)
		l->zram = NULL;

	swapctl_proclist_free(l->procs);
	l->procs = NULL;
	l->procs_err[0] = '\0';
	if (what & (LIVE_PROCS | LIVE_MAP))
		live_read_procs(l);
	if (what & LIVE_MAP)
		live_read_map(l);
	swapctl_cgrouplist_free(l->cgroups);
	l->cgroups = NULL;
	l->cg_err[0] = '\0';
	if (what & LIVE_CGROUPS)
		live_read_cgroups(l);

	{
		struct summary s;

		live_summary(l, &s);
		/* the first rates are averages since boot: not history */
		ring_push(&l->h_in, l->have_prev ? s.in_ps : NAN);
		ring_push(&l->h_out, l->have_prev ? s.out_ps : NAN);
		ring_push(&l->h_used, s.swap_total ? (double)s.swap_used / (double)s.swap_total : NAN);
	}
	if (l->pss_skip)
		l->pss_skip--;
	l->refreshes++;
	return 0;
}

void live_summary(const struct live *l, struct summary *s)
{
	const struct swapctl_meminfo *m = &l->cur.mem;
	double ps = l->cur.pagesize ? l->cur.pagesize : 4096;
	struct swapctl_swapuse u;

	memset(s, 0, sizeof(*s));
	/* the breakdown swapinfo -s shows too */
	swapctl_swapuse(m, &u);
	s->swap_total = u.total;
	s->swap_free = u.free;
	s->swap_used = u.used;
	s->swap_cache = u.cached;
	s->has_zswap = m->has_zswap;
	s->zswap_pool = m->zswap;
	s->zswapped = u.zswapped;
	s->swap_disk = u.on_disk;
	s->swap_pct = s->swap_total ? 100.0 * (double)s->swap_used / (double)s->swap_total : NAN;
	s->mem_total = m->mem_total;
	s->mem_avail = m->has_mem_available ? m->mem_available : m->mem_free;
	if (s->mem_avail > s->mem_total)
		s->mem_avail = s->mem_total;
	s->mem_used = s->mem_total - s->mem_avail;
	s->mem_pct = s->mem_total ? 100.0 * (double)s->mem_used / (double)s->mem_total : NAN;
	s->in_ps = l->rates.swapin / ps;
	s->out_ps = l->rates.swapout / ps;
	s->zin_ps = l->rates.zswapin / ps;
	s->zout_ps = l->rates.zswapout / ps;
	s->since_boot = !l->have_prev;
	s->psi_some = l->cur.psi.has_some ? l->cur.psi.some.avg10 : NAN;
	s->psi_full = l->cur.psi.has_full ? l->cur.psi.full.avg10 : NAN;
	s->lv_swap = th_level(&l->o->th[TH_SWAP], s->swap_pct);
	s->lv_out = th_level(&l->o->th[TH_SWAPOUT], s->out_ps);
	s->lv_some = th_level(&l->o->th[TH_PSI_SOME], s->psi_some);
	s->lv_full = th_level(&l->o->th[TH_PSI_FULL], s->psi_full);
}

/* ---------------------------------------------------------------- smaps */

void live_smaps(struct live *l, pid_t pid, bool force)
{
	const struct swapctl_proc *p = NULL;
	double t0, cost, budget = l->o->smaps_budget;
	size_t i, n = swapctl_proclist_count(l->procs);

	if (pid != l->pss_pid) {
		l->pss_pid = pid;
		l->pss_valid = false;
		l->pss = l->pss_swap = SWAPCTL_UNKNOWN;
		/* a new selection is read at once, unless the last read was slow */
		force = l->pss_cost <= budget;
	}
	if (!force && l->pss_skip)
		return;
	if (force && l->pss_valid)
		return;         /* read already for this snapshot */
	for (i = 0; i < n; i++)
		if (swapctl_proclist_get(l->procs, i)->pid == pid)
			break;
	if (i == n)
		return;
	t0 = now_seconds();
	/* a process that exited is dropped from the list: check it is still ours */
	if (swapctl_proclist_read_smaps(l->ctx, l->procs, i, 1) == 0 &&
	    (p = swapctl_proclist_get(l->procs, i)) && p->pid != pid)
		p = NULL;
	cost = now_seconds() - t0;
	l->pss = p ? p->swap_pss : SWAPCTL_UNKNOWN;
	l->pss_swap = p ? p->smaps_swap : SWAPCTL_UNKNOWN;
	l->pss_valid = true;
	l->pss_at = t0;
	l->pss_cost = cost;
	/* over the budget: skip as many refreshes as it took budgets */
	l->pss_skip = budget > 0 && cost > budget ? (unsigned)fmin(cost / budget, 600) : 0;
}

/* ---------------------------------------------------------------- grids */

static const struct swapctl_zram *zram_of(const struct live *l, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	for (i = 0; i < swapctl_zramlist_count(l->zram); i++)
		if (!strcmp(swapctl_zramlist_get(l->zram, i)->name, base))
			return swapctl_zramlist_get(l->zram, i);
	return NULL;
}

void live_areas(struct live *l, struct grid *g)
{
	size_t i, n = swapctl_swaplist_count(l->swaps);

	grid_reset(g, area_cols, n_area_cols);
	for (i = 0; i < n; i++) {
		const struct swapctl_swap *sw = swapctl_swaplist_get(l->swaps, i);
		const struct ident *id = ident_find(l, sw->path);
		const struct swapctl_zram *z;
		char name[4200];
		struct grow *r;
		double pct = sw->size ? 100.0 * (double)sw->used / (double)sw->size : 0;

		snprintf(name, sizeof(name), "%s%s", sw->path, sw->deleted ? " (deleted)" : "");
		r = grid_add(g, sw->path);
		cell_text(r, AC_NAME, name);
		cell_text(r, AC_TYPE, swapctl_kind_name(sw->kind));
		cell_num(r, AC_PRIO, K_INT, sw->prio);
		cell_size(r, AC_SIZE, sw->size);
		cell_size(r, AC_USED, sw->used);
		cell_num(r, AC_PCT, K_PCT, pct);
		r->c[AC_PCT].level = (unsigned char)th_level(&l->o->th[TH_SWAP], pct);
		cell_num(r, AC_BAR, K_BAR, sw->size ? (double)sw->used / (double)sw->size : 0);
		r->c[AC_BAR].level = r->c[AC_PCT].level;
		cell_text(r, AC_LABEL, id && id->label[0] ? id->label : "-");
		if (sw->kind == SWAPCTL_KIND_FILE || sw->rotational < 0)
			cell_text(r, AC_ROT, sw->kind == SWAPCTL_KIND_FILE ? "-" : "?");
		else
			cell_text(r, AC_ROT, sw->rotational ? "yes" : "no");
		z = sw->kind == SWAPCTL_KIND_ZRAM ? zram_of(l, sw->path) : NULL;
		cell_num(r, AC_RATIO, K_RATIO, z ? z->ratio : NAN);
	}
}

void live_procs(struct live *l, struct grid *g)
{
	size_t i, n = swapctl_proclist_count(l->procs);
	struct summary s;

	live_summary(l, &s);
	grid_reset(g, proc_cols, n_proc_cols);
	l->procs_hidden = 0;
	for (i = 0; i < n; i++) {
		const struct swapctl_proc *p = swapctl_proclist_get(l->procs, i);
		char key[24];
		struct grow *r;

		/* a swap tool lists who holds swap; the rest on request (z) */
		if (p->swap == 0 && !l->show_noswap) {
			l->procs_hidden++;
			continue;
		}

		snprintf(key, sizeof(key), "%ld", (long)p->pid);
		r = grid_add(g, key);
		cell_num(r, PC_PID, K_INT, p->pid);
		cell_text(r, PC_USER, p->user);
		cell_size(r, PC_SWAP, p->swap);
		cell_size(r, PC_RSS, p->rss);
		if (p->swap == SWAPCTL_UNKNOWN)
			cell_state(r, PC_PCT, C_UNKNOWN);
		else
			cell_num(r, PC_PCT, K_PCT,
				 s.swap_used ? 100.0 * (double)p->swap / (double)s.swap_used : NAN);
		if (p->pid == l->pss_pid && l->pss_valid)
			cell_size(r, PC_PSS, l->pss);
		else
			cell_state(r, PC_PSS, C_NONE);
		cell_text(r, PC_CMD, live_cmdline(l, p->pid, p->comm));
	}
}

const struct gcol *live_cg_cols(const struct live *l, size_t *n)
{
	const struct swapctl_cgroup *c = swapctl_cgrouplist_get(l->cgroups, 0);

	if (c && c->version == 1) {
		*n = n_cg1_cols;
		return cg1_cols;
	}
	*n = n_cg2_cols;
	return cg2_cols;
}

static double pct_of(uint64_t v, uint64_t max)
{
	if (v == SWAPCTL_UNKNOWN || max == SWAPCTL_UNKNOWN || max == SWAPCTL_UNLIMITED || max == 0)
		return NAN;
	return 100.0 * (double)v / (double)max;
}

static void count_cell(struct grow *r, int col, unsigned n)
{
	cell_num(r, col, K_INT, n);
}

void live_cgroups(struct live *l, struct grid *g)
{
	size_t i, n = swapctl_cgrouplist_count(l->cgroups), ncols;
	const struct gcol *cols = live_cg_cols(l, &ncols);

	grid_reset(g, cols, ncols);
	for (i = 0; i < n; i++) {
		const struct swapctl_cgroup *c = swapctl_cgrouplist_get(l->cgroups, i);
		struct grow *r = grid_add(g, c->path);

		if (cols == cg1_cols) {
			cell_size(r, G1_SWAP, c->swap);
			cell_size(r, G1_MEMSW, c->memsw);
			cell_size(r, G1_MEMSWMAX, c->memsw_max);
			cell_num(r, G1_PCT, K_PCT, pct_of(c->memsw, c->memsw_max));
			cell_size(r, G1_MEM, c->mem);
			cell_size(r, G1_MEMMAX, c->mem_max);
			count_cell(r, G1_PROCS, c->nprocs);
			cell_text(r, G1_PATH, c->path);
		} else {
			double pct = pct_of(c->swap, c->swap_max);

			cell_size(r, G2_SWAP, c->swap);
			cell_size(r, G2_MAX, c->swap_max);
			cell_num(r, G2_PCT, K_PCT, pct);
			r->c[G2_PCT].level = (unsigned char)th_level(&l->o->th[TH_SWAP], pct);
			cell_size(r, G2_PEAK, c->swap_peak);
			cell_size(r, G2_ZSWAP, c->zswap);
			cell_size(r, G2_MEM, c->mem);
			count_cell(r, G2_PROCS, c->nprocs);
			cell_text(r, G2_PATH, c->path);
		}
	}
}

/* ------------------------------------------------------------ details */

void live_area_detail(const struct live *l, const char *key, char *buf, size_t size)
{
	const struct ident *id = ident_find((struct live *)l, key);
	size_t i;

	for (i = 0; i < swapctl_swaplist_count(l->swaps); i++) {
		const struct swapctl_swap *sw = swapctl_swaplist_get(l->swaps, i);

		if (strcmp(sw->path, key))
			continue;
		snprintf(buf, size, "%s  UUID %s%s%s%s%s", sw->path, id && id->uuid[0] ? id->uuid : "-",
			 sw->backing[0] ? "  backing " : "", sw->backing,
			 sw->model[0] ? "  model " : "", sw->model);
		return;
	}
	snprintf(buf, size, "%s", key);
}

void live_proc_detail(const struct live *l, const char *key, char *buf, size_t size)
{
	pid_t pid = (pid_t)atol(key);
	char pss[16], sw[16];

	if (pid != l->pss_pid || !l->pss_valid) {
		snprintf(buf, size, "PID %ld: SwapPss not read yet", (long)pid);
		return;
	}
	if (l->pss == SWAPCTL_UNKNOWN) {
		snprintf(buf, size, "PID %ld: SwapPss ? (smaps_rollup not readable: needs the same user, "
			 "root or CAP_SYS_PTRACE)", (long)pid);
		return;
	}
	units_human(l->pss, pss, sizeof(pss));
	if (l->pss_swap == SWAPCTL_UNKNOWN)
		snprintf(sw, sizeof(sw), "?");
	else
		units_human(l->pss_swap, sw, sizeof(sw));
	snprintf(buf, size, "PID %ld: SwapPss %s, Swap %s (smaps_rollup, shmem included), read in %.1f ms",
		 (long)pid, pss, sw, l->pss_cost * 1000);
}

void live_cgroup_detail(const struct live *l, const char *key, char *buf, size_t size)
{
	const char *root = l->cgroups ? swapctl_cgrouplist_root(l->cgroups) : NULL;

	if (!root)
		snprintf(buf, size, "%s", key);
	else
		snprintf(buf, size, "%s%s", root, strcmp(key, "/") ? key : "");
}

void live_free(struct live *l)
{
	size_t i;

	swapctl_swaplist_free(l->swaps);
	swapctl_zramlist_free(l->zram);
	swapctl_proclist_free(l->procs);
	swapctl_cgrouplist_free(l->cgroups);
	for (i = 0; i < l->capcmds; i++)
		free(l->cmds[i].cmd);
	free(l->cmds);
	free(l->idents);
	free(l->map_path);
	swapctl_swapmap_free(l->map);
	memset(l, 0, sizeof(*l));
}
