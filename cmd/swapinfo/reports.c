/*
 * swapinfo's tables: devices (FreeBSD swapinfo's layout), the summary,
 * zram devices, processes, users and cgroups.  Every value comes from
 * libswapctl; a value it could not read is printed "?" (JSON null).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "swapinfo.h"


void area_name(const struct swapctl_swap *sw, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s", sw->path, sw->deleted ? " (deleted)" : "");
}

/*
 * -o applies to every table shown: each table takes the names it has.  A
 * name no table has is a usage error; a table given none of an explicit
 * list is not shown.  Returns the sub-list (NULL: the defaults) in buf.
 */
static const char *columns_for(const char *list, const struct coldef *defs, size_t n,
			       char *buf, size_t size, bool *skip)
{
	const char *p;
	size_t used = 0;

	*skip = false;
	if (!list)
		return NULL;
	buf[0] = '\0';
	p = list;
	if (*p == '+') {
		buf[used++] = '+';
		buf[used] = '\0';
		p++;
	}
	while (*p) {
		size_t len = strcspn(p, ",");

		if (table_find_column(defs, n, p, len) >= 0 && used + len + 2 < size) {
			if (used && buf[used - 1] != '+')
				buf[used++] = ',';
			memcpy(buf + used, p, len);
			used += len;
			buf[used] = '\0';
		}
		p += len;
		if (*p == ',')
			p++;
	}
	if (list[0] != '+' && used == 0)
		*skip = true;
	return buf;
}

static void start_table(struct table *t, const char *name, const struct opts *o,
			const struct coldef *defs, size_t n, bool *skip)
{
	struct outopts out = o->out;
	char cols[1024];

	out.columns = columns_for(o->out.columns, defs, n, cols, sizeof(cols), skip);
	if (*skip)
		return;
	table_init(t, name, &out, defs, n);
}

/* Percent used, as FreeBSD prints it ("%5.0f%%"). */
static void set_capacity(struct table *t, struct libscols_line *ln, uint64_t used, uint64_t size)
{
	double pct = size ? 100.0 * (double)used / (double)size : 0;

	table_set(t, ln, "CAPACITY", t->json ? "%.0f" : "%.0f%%", pct);
}

/* ------------------------------------------------------------- devices */

enum { D_DEVICE, D_SIZE, D_USED, D_AVAIL, D_CAPACITY, D_TYPE, D_PRIO, D_STATE, D_FSTAB,
       D_LABEL, D_UUID, D_BACKING, D_MODEL, D_ROTA, D__N };

static const struct coldef device_cols[D__N] = {
	[D_DEVICE] = { "DEVICE", 0.2, 0, false, "the area: device or file (/proc/swaps)", true },
	[D_SIZE] = { "SIZE", 6, SCOLS_FL_RIGHT, true, "size in the chosen units (/proc/swaps)", true },
	[D_USED] = { "USED", 6, SCOLS_FL_RIGHT, true, "in use (/proc/swaps)", true },
	[D_AVAIL] = { "AVAIL", 6, SCOLS_FL_RIGHT, true, "size minus used", true },
	[D_CAPACITY] = { "CAPACITY", 5, SCOLS_FL_RIGHT, true, "used in percent of size", true },
	[D_TYPE] = { "TYPE", 5, 0, false, "partition, disk, file, loop, zram, device (sysfs)", false },
	[D_PRIO] = { "PRIO", 3, SCOLS_FL_RIGHT, true, "priority, higher used first (/proc/swaps)", false },
	[D_STATE] = { "STATE", 6, 0, false, "active, inactive, missing, hibernation, ? (unreadable)", false },
	[D_FSTAB] = { "FSTAB", 0.1, 0, false, "how fstab names it", false },
	[D_LABEL] = { "LABEL", 0.1, 0, false, "label (udev, else libblkid)", false },
	[D_UUID] = { "UUID", 36, 0, false, "UUID (udev, else libblkid)", false },
	[D_BACKING] = { "BACKING", 0.1, 0, false, "a loop device's backing file (sysfs)", false },
	[D_MODEL] = { "MODEL", 0.1, 0, false, "device model (sysfs device/model)", false },
	[D_ROTA] = { "ROTA", 1, SCOLS_FL_RIGHT, true, "rotational: 1, 0 (sysfs queue/rotational)", false },
};

static void device_row(struct table *t, const struct opts *o, const struct swapctl_swap *sw,
		       const struct swapctl_found *f)
{
	struct libscols_line *ln = table_line(t);
	bool active = !f || f->state == SWAPCTL_STATE_ACTIVE;
	char name[4200];

	area_name(sw, name, sizeof(name));
	table_set(t, ln, "DEVICE", "%s", name);
	if (f && f->state == SWAPCTL_STATE_MISSING)
		table_set_none(t, ln, "SIZE");
	else if (f && f->state == SWAPCTL_STATE_UNKNOWN)
		table_set_size(t, ln, "SIZE", &o->units, SWAPCTL_UNKNOWN);
	else
		table_set_size(t, ln, "SIZE", &o->units, sw->size);
	if (active) {
		table_set_size(t, ln, "USED", &o->units, sw->used);
		table_set_size(t, ln, "AVAIL", &o->units, sw->size - sw->used);
		set_capacity(t, ln, sw->used, sw->size);
		table_set(t, ln, "PRIO", "%d", sw->prio);
	} else {
		table_set_none(t, ln, "USED");
		table_set_none(t, ln, "AVAIL");
		table_set_none(t, ln, "CAPACITY");
		table_set_none(t, ln, "PRIO");
	}
	if (f && (f->state == SWAPCTL_STATE_MISSING || f->state == SWAPCTL_STATE_UNKNOWN))
		table_set_none(t, ln, "TYPE");
	else
		table_set(t, ln, "TYPE", "%s", swapctl_kind_name(sw->kind));
	if (f) {
		if (f->state == SWAPCTL_STATE_UNKNOWN)
			table_set(t, ln, "STATE", "%s", t->json ? "" : "?");
		else
			table_set(t, ln, "STATE", "%s", swapctl_state_name(f->state));
		if (f->in_fstab)
			table_set(t, ln, "FSTAB", "%s", f->fstab_spec);
		else
			table_set_none(t, ln, "FSTAB");
	}
	if (sw->identity_unknown) {
		/* unknown (not root, no udev data) is not the same as none */
		table_set(t, ln, "LABEL", "%s", t->json ? "" : "?");
		table_set(t, ln, "UUID", "%s", t->json ? "" : "?");
	} else {
		table_set(t, ln, "LABEL", "%s", sw->label);
		table_set(t, ln, "UUID", "%s", sw->uuid);
	}
	table_set(t, ln, "BACKING", "%s", sw->backing);
	table_set(t, ln, "MODEL", "%s", sw->model);
	if (sw->kind == SWAPCTL_KIND_FILE || (f && (f->state == SWAPCTL_STATE_MISSING ||
						      f->state == SWAPCTL_STATE_UNKNOWN)))
		table_set_none(t, ln, "ROTA");
	else if (sw->rotational < 0)
		table_set(t, ln, "ROTA", "%s", t->json ? "" : "?");
	else
		table_set(t, ln, "ROTA", "%d", sw->rotational);
}

/* FreeBSD's swapinfo layout, byte for byte (pstat.c): a 15-column device,
 * the size as wide as its header (8 for -h), a Total row for several. */
static char *bsd_devices(const struct opts *o, const struct swapctl_swaplist *l)
{
	const char *hdr = o->units.header;
	int hlen = o->units.mode == UNITS_HUMAN ? 8 : (int)strlen(hdr);
	uint64_t size = 0, used = 0;
	struct bsd_cells c;
	char name[4200], *text = NULL;
	size_t i, n = swapctl_swaplist_count(l), len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	fprintf(f, "%-15s %*s %8s %8s %8s\n", "Device", hlen, hdr, "Used", "Avail", "Capacity");
	for (i = 0; i < n; i++) {
		const struct swapctl_swap *sw = swapctl_swaplist_get(l, i);

		bsd_cells(&o->units, sw->size, sw->used, &c);
		fprintf(f, "%-15s %*s %8s %8s %5.0f%%\n", bsd_name(sw, name, sizeof(name)), hlen,
			c.size, c.used, c.avail, c.pct);
		size += sw->size;
		used += sw->used;
	}
	if (n > 1) {
		bsd_cells(&o->units, size, used, &c);
		fprintf(f, "%-15s %*s %8s %8s %5.0f%%\n", "Total", hlen, c.size, c.used, c.avail, c.pct);
	}
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static bool device_table(const struct opts *o, const struct snapshot *s, struct table *t)
{
	struct coldef defs[D__N];
	uint64_t tsize = 0, tused = 0;
	size_t i, n, nactive = 0;
	bool skip;

	memcpy(defs, device_cols, sizeof(defs));
	if (o->longfmt) {
		defs[D_TYPE].dflt = defs[D_PRIO].dflt = defs[D_LABEL].dflt = true;
		defs[D_UUID].dflt = defs[D_BACKING].dflt = defs[D_MODEL].dflt = true;
		defs[D_ROTA].dflt = true;
	}
	if (o->all)
		defs[D_STATE].dflt = defs[D_FSTAB].dflt = true;
	start_table(t, "devices", o, defs, D__N, &skip);
	if (skip)
		return false;
	/* FreeBSD's headers; the columns -l and -a add in the same style */
	table_rename(t, "DEVICE", "Device");
	table_rename(t, "SIZE", o->units.header);
	table_rename(t, "USED", "Used");
	table_rename(t, "AVAIL", "Avail");
	table_rename(t, "CAPACITY", "Capacity");
	table_rename(t, "TYPE", "Type");
	table_rename(t, "PRIO", "Priority");
	table_rename(t, "STATE", "State");
	table_rename(t, "FSTAB", "Fstab");
	table_rename(t, "LABEL", "Label");
	table_rename(t, "BACKING", "Backing");
	table_rename(t, "MODEL", "Model");
	table_rename(t, "ROTA", "Rota");
	/* the plain report is FreeBSD's; -l, -a, -o, --raw, --noheadings are tables */
	if (!s->scan && !o->longfmt && !o->out.columns && !o->out.raw && !o->out.noheadings &&
	    !t->json) {
		char *text = bsd_devices(o, s->swaps);

		if (text) {
			table_set_text(t, text);
			return true;
		}
	}
	if (s->scan) {
		n = swapctl_scan_count(s->scan);
		for (i = 0; i < n; i++) {
			const struct swapctl_found *f = swapctl_scan_get(s->scan, i);

			device_row(t, o, &f->sw, f);
			if (f->state == SWAPCTL_STATE_ACTIVE) {
				tsize += f->sw.size;
				tused += f->sw.used;
				nactive++;
			}
		}
	} else {
		n = swapctl_swaplist_count(s->swaps);
		for (i = 0; i < n; i++) {
			const struct swapctl_swap *sw = swapctl_swaplist_get(s->swaps, i);

			device_row(t, o, sw, NULL);
			tsize += sw->size;
			tused += sw->used;
			nactive++;
		}
	}
	/* FreeBSD: a Total row when more than one area; for eyes only, so not
	 * in JSON, --raw or --noheadings */
	if (nactive > 1 && !t->json && !o->out.raw && !o->out.noheadings) {
		struct libscols_line *ln = table_line(t);

		table_set(t, ln, "DEVICE", "Total");
		table_set_size(t, ln, "SIZE", &o->units, tsize);
		table_set_size(t, ln, "USED", &o->units, tused);
		table_set_size(t, ln, "AVAIL", &o->units, tsize - tused);
		set_capacity(t, ln, tused, tsize);
	}
	return true;
}

/* ------------------------------------------------------------- summary */

enum { S_RAM, S_RAMAVAIL, S_SWAP, S_SWAPUSED, S_SWAPFREE, S_SWAPCACHED, S_AREAS,
       S_ZSWAP, S_ZSWAPCOMP, S_ZSWAPPOOL, S_ZSWAPSTORED, S_ZSWAPRATIO,
       S_SWAPIN, S_SWAPOUT, S_ZSWAPIN, S_ZSWAPOUT, S_ZSWAPWB, S_MAJFLT, S_INTERVAL,
       S_SOME10, S_SOME60, S_SOME300, S_FULL10, S_FULL60, S_FULL300, S__N };

static const struct coldef summary_cols[S__N] = {
	[S_RAM] = { "RAM", 0, 0, true, "total memory (meminfo MemTotal)", true },
	[S_RAMAVAIL] = { "RAM-AVAIL", 0, 0, true, "memory available (meminfo MemAvailable)", true },
	[S_SWAP] = { "SWAP", 0, 0, true, "swap space (meminfo SwapTotal)", true },
	[S_SWAPUSED] = { "SWAP-USED", 0, 0, true, "swap in use (SwapTotal - SwapFree)", true },
	[S_SWAPFREE] = { "SWAP-FREE", 0, 0, true, "swap free (meminfo SwapFree)", true },
	[S_SWAPCACHED] = { "SWAP-CACHED", 0, 0, true, "in RAM and in swap (meminfo SwapCached)", true },
	[S_AREAS] = { "AREAS", 0, 0, true, "active swap areas (/proc/swaps)", true },
	[S_ZSWAP] = { "ZSWAP", 0, 0, false, "zswap on (/sys/module/zswap/parameters/enabled)", true },
	[S_ZSWAPCOMP] = { "ZSWAP-COMP", 0, 0, false, "zswap compressor (parameters/compressor)", true },
	[S_ZSWAPPOOL] = { "ZSWAP-POOL", 0, 0, true, "zswap pool, compressed (meminfo Zswap)", true },
	[S_ZSWAPSTORED] = { "ZSWAP-STORED", 0, 0, true, "held by zswap, uncompressed (meminfo Zswapped)", true },
	[S_ZSWAPRATIO] = { "ZSWAP-RATIO", 0, 0, true, "stored / pool", true },
	[S_SWAPIN] = { "SWAPIN", 0, 0, true, "swapped in per second (vmstat pswpin)", true },
	[S_SWAPOUT] = { "SWAPOUT", 0, 0, true, "swapped out per second (vmstat pswpout)", true },
	[S_ZSWAPIN] = { "ZSWAPIN", 0, 0, true, "zswap loads per second (vmstat zswpin)", true },
	[S_ZSWAPOUT] = { "ZSWAPOUT", 0, 0, true, "zswap stores per second (vmstat zswpout)", true },
	[S_ZSWAPWB] = { "ZSWAPWB", 0, 0, true, "zswap writeback per second (vmstat zswpwb)", true },
	[S_MAJFLT] = { "MAJFLT", 0, 0, true, "major faults per second (vmstat pgmajfault)", true },
	[S_INTERVAL] = { "INTERVAL", 0, 0, true, "seconds the rates cover", true },
	[S_SOME10] = { "PSI-SOME-10", 0, 0, true, "% time some tasks stalled on memory, 10 s (PSI)", true },
	[S_SOME60] = { "PSI-SOME-60", 0, 0, true, "% time some tasks stalled on memory, 60 s", true },
	[S_SOME300] = { "PSI-SOME-300", 0, 0, true, "% time some tasks stalled on memory, 300 s", true },
	[S_FULL10] = { "PSI-FULL-10", 0, 0, true, "% time all tasks stalled on memory, 10 s", true },
	[S_FULL60] = { "PSI-FULL-60", 0, 0, true, "% time all tasks stalled on memory, 60 s", true },
	[S_FULL300] = { "PSI-FULL-300", 0, 0, true, "% time all tasks stalled on memory, 300 s", true },
};

/* A rate of bytes per second in the chosen units. */
static void fmt_rate(const struct opts *o, double bps, char *buf, size_t size)
{
	if (isnan(bps))
		snprintf(buf, size, "?");
	else if (o->units.mode == UNITS_HUMAN)
		units_human((uint64_t)llround(bps), buf, size);
	else
		snprintf(buf, size, "%.1f", bps / (double)o->units.blocksize);
}

static void fmt_size(const struct opts *o, uint64_t v, char *buf, size_t size)
{
	if (v == SWAPCTL_UNKNOWN)
		snprintf(buf, size, "?");
	else
		units_format(&o->units, v, buf, size);
}

static void fmt_double(double v, int prec, char *buf, size_t size)
{
	if (isnan(v))
		snprintf(buf, size, "?");
	else
		snprintf(buf, size, "%.*f", prec, v);
}

/* The value of summary metric m as text ("?" when unknown) and its unit. */
static void summary_value(const struct opts *o, const struct snapshot *s, int m,
			  char *buf, size_t size, char *unit, size_t usize)
{
	const struct swapctl_stats *st = &s->stats;
	const struct swapctl_meminfo *mi = &st->mem;
	const struct swapctl_zswap *z = &st->zswap;
	const struct swapctl_psi_line *pl = NULL;
	const char *hdr = o->units.mode == UNITS_HUMAN ? "" : o->units.header;
	struct swapctl_swapuse use;
	double pv = NAN;

	/* the breakdown swaptop shows: free and cached never above their whole */
	swapctl_swapuse(mi, &use);
	snprintf(unit, usize, "%s", hdr);
	switch (m) {
	case S_RAM: fmt_size(o, mi->mem_total, buf, size); return;
	case S_RAMAVAIL: fmt_size(o, mi->mem_available, buf, size); return;
	case S_SWAP: fmt_size(o, use.total, buf, size); return;
	case S_SWAPUSED: fmt_size(o, use.used, buf, size); return;
	case S_SWAPFREE: fmt_size(o, use.free, buf, size); return;
	case S_SWAPCACHED: fmt_size(o, use.cached, buf, size); return;
	case S_AREAS:
		unit[0] = '\0';
		snprintf(buf, size, "%zu", swapctl_swaplist_count(s->swaps));
		return;
	case S_ZSWAP:
		unit[0] = '\0';
		snprintf(buf, size, "%s", z->enabled < 0 ? "-" : z->enabled ? "yes" : "no");
		return;
	case S_ZSWAPCOMP:
		unit[0] = '\0';
		snprintf(buf, size, "%s", z->compressor[0] ? z->compressor : "-");
		return;
	case S_ZSWAPPOOL: fmt_size(o, z->pool, buf, size); return;
	case S_ZSWAPSTORED: fmt_size(o, z->stored, buf, size); return;
	case S_ZSWAPRATIO:
		unit[0] = '\0';
		if (z->pool == SWAPCTL_UNKNOWN || z->stored == SWAPCTL_UNKNOWN)
			snprintf(buf, size, "?");
		else
			fmt_double(z->pool ? (double)z->stored / (double)z->pool : NAN, 2, buf, size);
		if (z->pool == 0 && z->stored != SWAPCTL_UNKNOWN)
			snprintf(buf, size, "-");
		return;
	case S_SWAPIN: case S_SWAPOUT: case S_ZSWAPIN: case S_ZSWAPOUT: case S_ZSWAPWB: {
		const double v[] = { s->rates.swapin, s->rates.swapout, s->rates.zswapin,
				     s->rates.zswapout, s->rates.zswapwb };

		fmt_rate(o, v[m - S_SWAPIN], buf, size);
		snprintf(unit, usize, "%s/s", o->units.mode == UNITS_HUMAN ? "" : o->units.header);
		return;
	}
	case S_MAJFLT:
		fmt_double(s->rates.majfault, 1, buf, size);
		snprintf(unit, usize, "faults/s");
		return;
	case S_INTERVAL:
		fmt_double(s->rates.seconds, 1, buf, size);
		snprintf(unit, usize, "seconds");
		return;
	case S_SOME10: case S_SOME60: case S_SOME300:
		pl = st->psi.has_some ? &st->psi.some : NULL;
		break;
	default:
		pl = st->psi.has_full ? &st->psi.full : NULL;
		break;
	}
	snprintf(unit, usize, "%%");
	if (pl) {
		int w = (m - S_SOME10) % 3;

		pv = w == 0 ? pl->avg10 : w == 1 ? pl->avg60 : pl->avg300;
	}
	fmt_double(pv, 2, buf, size);
}

static bool summary_table(const struct opts *o, const struct snapshot *s, struct table *t)
{
	struct coldef defs[S__N];
	struct libscols_line *ln;
	char buf[64], unit[64];
	bool skip;
	int i;

	memcpy(defs, summary_cols, sizeof(defs));
	/* JSON: one object, a member per metric; ZSWAP a boolean */
	start_table(t, "summary", o, defs, S__N, &skip);
	if (skip)
		return false;
	if (t->json) {
		ln = table_line(t);
		for (i = 0; i < t->ncols; i++) {
			int m = t->map[i];

			summary_value(o, s, m, buf, sizeof(buf), unit, sizeof(unit));
			if (!strcmp(buf, "?") || !strcmp(buf, "-"))
				buf[0] = '\0';
			if (m == S_ZSWAP && buf[0]) {
				scols_column_set_json_type(scols_table_get_column(t->tb, (size_t)i),
							   SCOLS_JSON_BOOLEAN);
				snprintf(buf, sizeof(buf), "%s", s->stats.zswap.enabled ? "1" : "0");
			}
			scols_line_set_data(ln, (size_t)i, buf);
		}
		return true;
	}
	/* text: the metrics as rows: FIELD VALUE UNIT DESCRIPTION */
	{
		struct libscols_table *tb = scols_new_table();
		int sel[64], n = t->ncols;

		memcpy(sel, t->map, sizeof(int) * (size_t)n);
		table_free(t);
		t->tb = tb;
		t->ncols = 0;
		scols_table_set_name(tb, "summary");
		scols_table_enable_raw(tb, o->out.raw);
		scols_table_enable_noheadings(tb, o->out.noheadings);
		scols_table_new_column(tb, "FIELD", 0, 0);
		scols_table_new_column(tb, "VALUE", 0, SCOLS_FL_RIGHT);
		scols_table_new_column(tb, "UNIT", 0, 0);
		scols_table_new_column(tb, "DESCRIPTION", 0, 0);
		for (i = 0; i < n; i++) {
			summary_value(o, s, sel[i], buf, sizeof(buf), unit, sizeof(unit));
			ln = scols_table_new_line(tb, NULL);
			scols_line_set_data(ln, 0, summary_cols[sel[i]].name);
			scols_line_set_data(ln, 1, buf);
			scols_line_set_data(ln, 2, unit);
			scols_line_set_data(ln, 3, summary_cols[sel[i]].help);
		}
	}
	return true;
}

/* ---------------------------------------------------------------- zram */

enum { Z_NAME, Z_ALGORITHM, Z_DISKSIZE, Z_ORIG, Z_COMPR, Z_RATIO, Z_MEMUSED, Z_MEMLIMIT,
       Z_MEMPEAK, Z_SAME, Z_HUGE, Z_COMPACTED, Z_BACKING, Z_WRITEBACK, Z_WBREADS, Z_WBWRITES,
       Z_FAILREADS, Z_FAILWRITES, Z__N };

static const struct coldef zram_cols[Z__N] = {
	[Z_NAME] = { "NAME", 5, 0, false, "zram device (/sys/block/zramN)", true },
	[Z_ALGORITHM] = { "ALGORITHM", 5, 0, false, "compressor (comp_algorithm)", true },
	[Z_DISKSIZE] = { "DISKSIZE", 6, SCOLS_FL_RIGHT, true, "size of the device (disksize)", true },
	[Z_ORIG] = { "ORIG", 6, SCOLS_FL_RIGHT, true, "data stored, uncompressed (mm_stat 1)", true },
	[Z_COMPR] = { "COMPR", 6, SCOLS_FL_RIGHT, true, "data stored, compressed (mm_stat 2)", true },
	[Z_RATIO] = { "RATIO", 4, SCOLS_FL_RIGHT, true, "ORIG / COMPR", true },
	[Z_MEMUSED] = { "MEMUSED", 6, SCOLS_FL_RIGHT, true, "RAM used, overhead included (mm_stat 3)", true },
	[Z_MEMLIMIT] = { "MEMLIMIT", 6, SCOLS_FL_RIGHT, false, "RAM limit (mm_stat 4)", false },
	[Z_MEMPEAK] = { "MEMPEAK", 6, SCOLS_FL_RIGHT, true, "peak of MEMUSED (mm_stat 5)", false },
	[Z_SAME] = { "SAME", 4, SCOLS_FL_RIGHT, true, "same-filled pages (mm_stat 6)", true },
	[Z_HUGE] = { "HUGE", 4, SCOLS_FL_RIGHT, true, "incompressible pages (mm_stat 8)", true },
	[Z_COMPACTED] = { "COMPACTED", 4, SCOLS_FL_RIGHT, true, "pages freed by compaction (mm_stat 7)", false },
	[Z_BACKING] = { "BACKING", 0.1, 0, false, "writeback device (backing_dev)", false },
	[Z_WRITEBACK] = { "WRITEBACK", 6, SCOLS_FL_RIGHT, true, "written back, now on BACKING (bd_stat 1)", false },
	[Z_WBREADS] = { "WBREADS", 6, SCOLS_FL_RIGHT, true, "read from BACKING (bd_stat 2)", false },
	[Z_WBWRITES] = { "WBWRITES", 6, SCOLS_FL_RIGHT, true, "written to BACKING (bd_stat 3)", false },
	[Z_FAILREADS] = { "FAILREADS", 4, SCOLS_FL_RIGHT, true, "failed reads (io_stat 1)", false },
	[Z_FAILWRITES] = { "FAILWRITES", 4, SCOLS_FL_RIGHT, true, "failed writes (io_stat 2)", false },
};

static void set_count(struct table *t, struct libscols_line *ln, const char *name, uint64_t v)
{
	if (v == SWAPCTL_UNKNOWN)
		table_set(t, ln, name, "%s", t->json ? "" : "?");
	else
		table_set(t, ln, name, "%llu", (unsigned long long)v);
}

/* bd_stat counts 4 KiB units whatever the page size. */
static uint64_t units4k(uint64_t v)
{
	return v == SWAPCTL_UNKNOWN ? v : v * 4096;
}

static bool zram_table(const struct opts *o, const struct snapshot *s, struct table *t)
{
	struct coldef defs[Z__N];
	size_t i, n = swapctl_zramlist_count(s->zram);
	bool skip;

	memcpy(defs, zram_cols, sizeof(defs));
	for (i = 0; i < n; i++)
		if (swapctl_zramlist_get(s->zram, i)->backing_dev[0])
			defs[Z_BACKING].dflt = defs[Z_WRITEBACK].dflt = true;
	start_table(t, "zram", o, defs, Z__N, &skip);
	if (skip)
		return false;
	for (i = 0; i < n; i++) {
		const struct swapctl_zram *z = swapctl_zramlist_get(s->zram, i);
		struct libscols_line *ln = table_line(t);

		table_set(t, ln, "NAME", "%s", z->name);
		table_set(t, ln, "ALGORITHM", "%s", z->algorithm);
		table_set_size(t, ln, "DISKSIZE", &o->units, z->disksize);
		table_set_size(t, ln, "ORIG", &o->units, z->orig);
		table_set_size(t, ln, "COMPR", &o->units, z->compr);
		if (isnan(z->ratio))
			table_set_none(t, ln, "RATIO");
		else
			table_set(t, ln, "RATIO", "%.2f", z->ratio);
		table_set_size(t, ln, "MEMUSED", &o->units, z->mem_used);
		table_set_size(t, ln, "MEMLIMIT", &o->units, z->mem_limit);
		table_set_size(t, ln, "MEMPEAK", &o->units, z->mem_used_max);
		set_count(t, ln, "SAME", z->same_pages);
		set_count(t, ln, "HUGE", z->huge_pages);
		set_count(t, ln, "COMPACTED", z->pages_compacted);
		if (z->backing_dev[0])
			table_set(t, ln, "BACKING", "%s", z->backing_dev);
		else
			table_set_none(t, ln, "BACKING");
		table_set_size(t, ln, "WRITEBACK", &o->units, units4k(z->bd_count));
		table_set_size(t, ln, "WBREADS", &o->units, units4k(z->bd_reads));
		table_set_size(t, ln, "WBWRITES", &o->units, units4k(z->bd_writes));
		set_count(t, ln, "FAILREADS", z->failed_reads);
		set_count(t, ln, "FAILWRITES", z->failed_writes);
	}
	return true;
}

/* ----------------------------------------------------------- processes */

enum { P_PID, P_USER, P_UID, P_SWAP, P_SWAPPSS, P_SMAPSSWAP, P_RSS, P_AREAS, P_COMMAND, P_ARGS,
       P_AREA, P_PAGES, P_MAPPING, P__N };

static const struct coldef proc_cols[P__N] = {
	[P_PID] = { "PID", 5, SCOLS_FL_RIGHT, true, "process ID", true },
	[P_USER] = { "USER", 8, 0, false, "real user (status Uid)", true },
	[P_UID] = { "UID", 5, SCOLS_FL_RIGHT, true, "real user ID", false },
	[P_SWAP] = { "SWAP", 6, SCOLS_FL_RIGHT, true, "anonymous memory in swap (status VmSwap)", true },
	[P_SWAPPSS] = { "SWAPPSS", 6, SCOLS_FL_RIGHT, true, "proportional swap, shared divided (smaps_rollup SwapPss)", false },
	[P_SMAPSSWAP] = { "SMAPSSWAP", 6, SCOLS_FL_RIGHT, true, "swap with shmem (smaps_rollup Swap)", false },
	[P_RSS] = { "RSS", 6, SCOLS_FL_RIGHT, true, "resident memory (status VmRSS)", true },
	[P_AREAS] = { "AREAS", 6, SCOLS_FL_RIGHT, true, "its swap on each active area, a column named by the area's "
		      "path (pagemap; root only, else ?); ~ marks an inferred figure", true },
	[P_COMMAND] = { "COMMAND", 0.2, 0, false, "command name (status Name)", true },
	[P_ARGS] = { "ARGS", 0.3, SCOLS_FL_TRUNC, false, "command line (cmdline)", false },
	[P_AREA] = { "AREA", 0.2, 0, false, "long form, a row per process and area: the area", false },
	[P_PAGES] = { "PAGES", 6, SCOLS_FL_RIGHT, true, "long form: its pages on AREA (pagemap)", false },
	[P_MAPPING] = { "MAPPING", 8, 0, false, "long form: exact, inferred or unknown: how sure AREA is", false },
};

static size_t limit(const struct opts *o, size_t n)
{
	return o->top && o->top < n ? o->top : n;
}

/* Does the -o list name token (case-insensitive), or a path when token is "/"? */
static bool names(const char *list, const char *token)
{
	const char *p = list;

	while (p && *p) {
		size_t len = strcspn(p, ",+");

		if (len && (!strcmp(token, "/") ? *p == '/' :
			    strlen(token) == len && !strncasecmp(p, token, len)))
			return true;
		p += len;
		if (*p)
			p++;
	}
	return false;
}

bool report_wants_map(const struct opts *o)
{
	const char *l = o->out.columns;

	return o->area || !l || *l == '+' || names(l, "AREAS") || names(l, "AREA") || names(l, "PAGES") ||
	       names(l, "MAPPING") || names(l, "/");
}

/* Index of pid among the map's processes (sorted copy), or -1. */
struct pidix {
	pid_t pid;
	size_t i;
};

static int pidix_cmp(const void *a, const void *b)
{
	const struct pidix *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static long map_index(const struct pidix *v, size_t n, pid_t pid)
{
	struct pidix key = { pid, 0 };
	const struct pidix *f = n ? bsearch(&key, v, n, sizeof(*v), pidix_cmp) : NULL;

	return f ? (long)f->i : -1;
}

/* Pages of process p (mi: its index in the map, -1: not walked) on area ai. */
static uint64_t area_pages(const struct snapshot *s, const struct swapctl_proc *p, long mi, size_t ai)
{
	if (mi >= 0)
		return swapctl_swapmap_pages(s->map, (size_t)mi, ai);
	/* not walked: no swap at all (0 on every area), or unknown */
	return p->swap == 0 ? 0 : SWAPCTL_UNKNOWN;
}

static void set_area_cell(struct table *t, struct libscols_line *ln, const char *name, const struct opts *o,
			  const struct snapshot *s, uint64_t pages, size_t ai)
{
	const struct swapctl_maparea *a = swapctl_swapmap_area(s->map, ai);
	char buf[64];

	if (pages == SWAPCTL_UNKNOWN || t->json || a->placement != SWAPCTL_PLACE_INFERRED || pages == 0) {
		table_set_size(t, ln, name, &o->units,
			       pages == SWAPCTL_UNKNOWN ? pages : pages * swapctl_swapmap_pagesize(s->map));
		return;
	}
	/* a figure that rests on an inferred swap type is never shown as a fact */
	units_format(&o->units, pages * swapctl_swapmap_pagesize(s->map), buf, sizeof(buf));
	table_set(t, ln, name, "~%s", buf);
}

static void proc_cells(struct table *t, struct libscols_line *ln, const struct opts *o, struct swapctl_ctx *ctx,
		       const struct swapctl_proc *p)
{
	table_set(t, ln, "PID", "%ld", (long)p->pid);
	table_set(t, ln, "USER", "%s", p->user);
	table_set(t, ln, "UID", "%lu", (unsigned long)p->uid);
	table_set_size(t, ln, "SWAP", &o->units, p->swap);
	table_set_size(t, ln, "SWAPPSS", &o->units, p->swap_pss);
	table_set_size(t, ln, "SMAPSSWAP", &o->units, p->smaps_swap);
	table_set_size(t, ln, "RSS", &o->units, p->rss);
	table_set(t, ln, "COMMAND", "%s", p->comm);
	if (table_has(t, "ARGS")) {
		char args[4096];

		if (swapctl_proc_cmdline(ctx, p->pid, args, sizeof(args)) < 0)
			snprintf(args, sizeof(args), "%s", t->json ? "" : "?");
		table_set(t, ln, "ARGS", "%s", args);
	}
}

/* --area: its processes by their pages there, largest first, unknown last */
struct onarea {
	size_t row;
	uint64_t pages;
};

static int onarea_cmp(const void *a, const void *b)
{
	const struct onarea *x = a, *y = b;

	return x->pages != y->pages ? cmp_swap_desc(x->pages, y->pages) : CMP(x->row, y->row);
}

/* -o with AREAS replaced by every area's path, into buf. */
static const char *expand_areas(const char *list, const struct snapshot *s, char *buf, size_t size)
{
	size_t used = 0, i, na = swapctl_swaplist_count(s->swaps);
	const char *p = list;

	if (!list || !names(list, "AREAS"))
		return list;
	buf[0] = '\0';
	while (*p) {
		size_t len = strcspn(p, ",+");
		char sep = p[len];

		if (len == 5 && !strncasecmp(p, "AREAS", 5)) {
			for (i = 0; i < na; i++)
				used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%s%s",
							 i ? "," : "", swapctl_swaplist_get(s->swaps, i)->path);
		} else {
			used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%.*s", (int)len, p);
		}
		if (sep)
			used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "%c", sep);
		p += len + (sep ? 1 : 0);
	}
	if (used >= size)
		cmd_usage_error("-o: too many columns");
	return buf;
}

static bool proc_table(const struct opts *o, struct swapctl_ctx *ctx, const struct snapshot *s,
		       struct table *t)
{
	/* the table keeps its column definitions: one process table per report */
	static struct coldef defs[P__N + 32];
	struct opts oo = *o;
	char cols[8192];
	size_t i, j, nd = 0, n = limit(o, swapctl_proclist_count(s->procs));
	size_t na = s->map ? swapctl_swapmap_nareas(s->map) : 0, nm = swapctl_swapmap_nprocs(s->map);
	struct pidix *ix = calloc(nm ? nm : 1, sizeof(*ix));
	int area = s->map && o->area ? swapctl_swapmap_find(s->map, o->area) : -1;
	bool skip, longform;

	if (!ix)
		cmd_lib_error(ctx, -ENOMEM);
	for (i = 0; i < nm; i++)
		ix[i] = (struct pidix){ swapctl_swapmap_proc(s->map, i)->pid, i };
	if (nm)
		qsort(ix, nm, sizeof(*ix), pidix_cmp);
	for (i = 0; i < P_AREAS; i++)
		defs[nd++] = proc_cols[i];
	defs[P_SWAPPSS].dflt = o->smaps;
	for (i = 0; i < na && i < 32; i++) {
		const struct swapctl_swap *sw = swapctl_swaplist_get(swapctl_swapmap_swaps(s->map), i);

		defs[nd++] = (struct coldef){ sw->path, 6, SCOLS_FL_RIGHT, true, "its swap on this area",
					      area < 0 || (size_t)area == i };
	}
	for (i = P_AREAS; i < P__N; i++)
		defs[nd++] = proc_cols[i];
	defs[nd - (P__N - P_AREAS)].dflt = false;      /* AREAS: a name for the columns above */
	oo.out.columns = expand_areas(o->out.columns, s, cols, sizeof(cols));
	start_table(t, "processes", &oo, defs, nd, &skip);
	if (skip) {
		free(ix);
		return false;
	}
	longform = table_has(t, "AREA") || table_has(t, "PAGES") || table_has(t, "MAPPING");
	if (area >= 0) {
		/* only who holds pages there, by those pages */
		struct onarea *v = calloc(swapctl_proclist_count(s->procs) + 1, sizeof(*v));
		size_t nv = 0;

		if (!v)
			cmd_lib_error(ctx, -ENOMEM);
		for (i = 0; i < swapctl_proclist_count(s->procs); i++) {
			const struct swapctl_proc *p = swapctl_proclist_get(s->procs, i);
			uint64_t pg = area_pages(s, p, map_index(ix, nm, p->pid), (size_t)area);

			if (pg != 0)
				v[nv++] = (struct onarea){ i, pg };
		}
		if (nv)
			qsort(v, nv, sizeof(*v), onarea_cmp);
		for (i = 0; i < limit(o, nv); i++) {
			const struct swapctl_proc *p = swapctl_proclist_get(s->procs, v[i].row);
			struct libscols_line *ln = table_line(t);

			proc_cells(t, ln, o, ctx, p);
			set_area_cell(t, ln, defs[P_AREAS + (size_t)area].name, o, s, v[i].pages, (size_t)area);
			table_set(t, ln, "AREA", "%s", defs[P_AREAS + (size_t)area].name);
			if (v[i].pages == SWAPCTL_UNKNOWN)
				table_set(t, ln, "PAGES", "%s", t->json ? "" : "?");
			else
				table_set(t, ln, "PAGES", "%llu", (unsigned long long)v[i].pages);
			table_set(t, ln, "MAPPING", "%s",
				  swapctl_placement_name(swapctl_swapmap_area(s->map, (size_t)area)->placement));
		}
		free(v);
		free(ix);
		return true;
	}
	for (i = 0; i < n; i++) {
		const struct swapctl_proc *p = swapctl_proclist_get(s->procs, i);
		long mi = map_index(ix, nm, p->pid);
		struct libscols_line *ln;

		if (!longform) {
			ln = table_line(t);
			proc_cells(t, ln, o, ctx, p);
			for (j = 0; j < na; j++)
				set_area_cell(t, ln, defs[P_AREAS + j].name, o, s, area_pages(s, p, mi, j), j);
			continue;
		}
		/* long form: a row per area it has pages on (or may have: unknown) */
		for (j = 0; j < na; j++) {
			uint64_t pg = area_pages(s, p, mi, j);

			if (pg == 0)
				continue;
			ln = table_line(t);
			proc_cells(t, ln, o, ctx, p);
			table_set(t, ln, "AREA", "%s", defs[P_AREAS + j].name);
			if (pg == SWAPCTL_UNKNOWN)
				table_set(t, ln, "PAGES", "%s", t->json ? "" : "?");
			else
				table_set(t, ln, "PAGES", "%llu", (unsigned long long)pg);
			table_set(t, ln, "MAPPING", "%s",
				  swapctl_placement_name(swapctl_swapmap_area(s->map, j)->placement));
		}
	}
	free(ix);
	return true;
}

/* --------------------------------------------------------------- users */

enum { U_USER, U_UID, U_PROCS, U_SWAP, U_SWAPPSS, U_RSS, U_UNREAD, U_PSSUNREAD, U__N };

static const struct coldef user_cols[U__N] = {
	[U_USER] = { "USER", 8, 0, false, "user name", true },
	[U_UID] = { "UID", 5, SCOLS_FL_RIGHT, true, "user ID", true },
	[U_PROCS] = { "PROCS", 5, SCOLS_FL_RIGHT, true, "processes", true },
	[U_SWAP] = { "SWAP", 6, SCOLS_FL_RIGHT, true, "sum of VmSwap", true },
	[U_SWAPPSS] = { "SWAPPSS", 6, SCOLS_FL_RIGHT, true, "sum of SwapPss (smaps_rollup)", false },
	[U_RSS] = { "RSS", 6, SCOLS_FL_RIGHT, true, "sum of VmRSS", true },
	[U_UNREAD] = { "UNREAD", 4, SCOLS_FL_RIGHT, true, "processes whose VmSwap could not be read", false },
	[U_PSSUNREAD] = { "PSSUNREAD", 4, SCOLS_FL_RIGHT, true, "processes whose SwapPss could not be read", false },
};

static bool user_table(const struct opts *o, const struct snapshot *s, struct table *t)
{
	struct coldef defs[U__N];
	size_t i, n = limit(o, swapctl_userlist_count(s->users));
	bool skip;

	memcpy(defs, user_cols, sizeof(defs));
	defs[U_SWAPPSS].dflt = o->smaps;
	start_table(t, "users", o, defs, U__N, &skip);
	if (skip)
		return false;
	for (i = 0; i < n; i++) {
		const struct swapctl_usersum *u = swapctl_userlist_get(s->users, i);
		struct libscols_line *ln = table_line(t);

		table_set(t, ln, "USER", "%s", u->user);
		table_set(t, ln, "UID", "%lu", (unsigned long)u->uid);
		table_set(t, ln, "PROCS", "%u", u->nprocs);
		table_set_size(t, ln, "SWAP", &o->units, u->swap);
		table_set_size(t, ln, "SWAPPSS", &o->units, u->swap_pss);
		table_set_size(t, ln, "RSS", &o->units, u->rss);
		table_set(t, ln, "UNREAD", "%u", u->swap_unread);
		table_set(t, ln, "PSSUNREAD", "%u", u->pss_unread);
	}
	return true;
}

/* ------------------------------------------------------------- cgroups */

enum { C_CGROUP, C_VERSION, C_SWAP, C_SWAPMAX, C_SWAPPEAK, C_ZSWAP, C_MEM, C_MEMMAX,
       C_MEMSW, C_MEMSWMAX, C_PROCS, C__N };

static const struct coldef cgroup_cols[C__N] = {
	[C_CGROUP] = { "CGROUP", 0.3, 0, false, "cgroup path in the memory hierarchy", true },
	[C_VERSION] = { "VERSION", 1, SCOLS_FL_RIGHT, true, "cgroup version, 1 or 2", false },
	[C_SWAP] = { "SWAP", 6, SCOLS_FL_RIGHT, true, "swap used (v2 memory.swap.current, v1 memory.stat total_swap)", true },
	[C_SWAPMAX] = { "SWAPMAX", 6, SCOLS_FL_RIGHT, false, "swap limit (v2 memory.swap.max)", false },
	[C_SWAPPEAK] = { "SWAPPEAK", 6, SCOLS_FL_RIGHT, true, "peak swap (v2 memory.swap.peak)", false },
	[C_ZSWAP] = { "ZSWAP", 6, SCOLS_FL_RIGHT, true, "zswap pool (v2 memory.zswap.current)", false },
	[C_MEM] = { "MEM", 6, SCOLS_FL_RIGHT, true, "memory used (memory.current, v1 usage_in_bytes)", true },
	[C_MEMMAX] = { "MEMMAX", 6, SCOLS_FL_RIGHT, false, "memory limit (memory.max, v1 limit_in_bytes)", true },
	[C_MEMSW] = { "MEMSW", 6, SCOLS_FL_RIGHT, true, "memory+swap used (v1 memory.memsw.usage_in_bytes)", false },
	[C_MEMSWMAX] = { "MEMSWMAX", 6, SCOLS_FL_RIGHT, false, "memory+swap limit (v1 memory.memsw.limit_in_bytes)", false },
	[C_PROCS] = { "PROCS", 4, SCOLS_FL_RIGHT, true, "processes (cgroup.procs)", true },
};

static void set_v(struct table *t, struct libscols_line *ln, const char *name, const struct units *u,
		  uint64_t v, bool applies)
{
	if (applies)
		table_set_size(t, ln, name, u, v);
	else
		table_set_none(t, ln, name);
}

static bool cgroup_table(const struct opts *o, const struct snapshot *s, struct table *t)
{
	struct coldef defs[C__N];
	size_t i, n = limit(o, swapctl_cgrouplist_count(s->cgroups));
	const struct swapctl_cgroup *first = swapctl_cgrouplist_get(s->cgroups, 0);
	bool skip, v2 = first && first->version == 2;

	memcpy(defs, cgroup_cols, sizeof(defs));
	defs[C_SWAPMAX].dflt = v2;
	defs[C_MEMSW].dflt = defs[C_MEMSWMAX].dflt = first && !v2;
	start_table(t, "cgroups", o, defs, C__N, &skip);
	if (skip)
		return false;
	for (i = 0; i < n; i++) {
		const struct swapctl_cgroup *c = swapctl_cgrouplist_get(s->cgroups, i);
		struct libscols_line *ln = table_line(t);
		bool is2 = c->version == 2;

		table_set(t, ln, "CGROUP", "%s", c->path);
		table_set(t, ln, "VERSION", "%d", c->version);
		table_set_size(t, ln, "SWAP", &o->units, c->swap);
		set_v(t, ln, "SWAPMAX", &o->units, c->swap_max, is2);
		set_v(t, ln, "SWAPPEAK", &o->units, c->swap_peak, is2);
		set_v(t, ln, "ZSWAP", &o->units, c->zswap, is2);
		table_set_size(t, ln, "MEM", &o->units, c->mem);
		table_set_size(t, ln, "MEMMAX", &o->units, c->mem_max);
		set_v(t, ln, "MEMSW", &o->units, c->memsw, !is2);
		set_v(t, ln, "MEMSWMAX", &o->units, c->memsw_max, !is2);
		table_set(t, ln, "PROCS", "%u", c->nprocs);
	}
	return true;
}

/* ----------------------------------------------------------------- all */

/* Every name of -o must belong to a table this run shows. */
static void check_columns(const struct opts *o)
{
	const struct {
		bool on;
		const struct coldef *defs;
		size_t n;
	} t[] = {
		{ o->devices, device_cols, D__N }, { o->summary, summary_cols, S__N },
		{ o->summary, zram_cols, Z__N }, { o->procs, proc_cols, P__N },
		{ o->users, user_cols, U__N }, { o->cgroups, cgroup_cols, C__N },
	};
	const char *p = o->out.columns;

	if (!p)
		return;
	if (*p == '+')
		p++;
	while (*p) {
		size_t len = strcspn(p, ","), i;
		bool found = false;

		/* an area's column of -P is named by its path */
		found = o->procs && *p == '/';
		for (i = 0; i < ARRAY_SIZE(t) && !found; i++)
			found = t[i].on && table_find_column(t[i].defs, t[i].n, p, len) >= 0;
		if (!found)
			cmd_usage_error("-o: unknown column '%.*s'", (int)len, p);
		p += len;
		if (*p == ',')
			p++;
	}
}

size_t report_tables(const struct opts *o, struct swapctl_ctx *ctx, const struct snapshot *s,
		     struct table *tables)
{
	size_t n = 0;

	check_columns(o);
	if (o->devices && device_table(o, s, &tables[n]))
		n++;
	if (o->summary && summary_table(o, s, &tables[n]))
		n++;
	if (o->summary && swapctl_zramlist_count(s->zram) && zram_table(o, s, &tables[n]))
		n++;
	if (o->procs && proc_table(o, ctx, s, &tables[n]))
		n++;
	if (o->users && user_table(o, s, &tables[n]))
		n++;
	if (o->cgroups && cgroup_table(o, s, &tables[n]))
		n++;
	return n;
}

void help_table(const char *title, const struct coldef *defs, size_t n)
{
	const char *alias;
	size_t i;

	printf("\n%s\n", title);
	for (i = 0; i < n; i++) {
		printf("  %-13s %s\n", defs[i].name, defs[i].help);
		if ((alias = table_column_alias(defs[i].name)))
			printf("  %-13s %s under util-linux's name\n", alias, defs[i].name);
	}
}

/* For --help: every table's columns. */
void report_help(void)
{
	help_table("Columns of the device report (default -l -a):", device_cols, D__N);
	help_table("Fields of the summary (-s):", summary_cols, S__N);
	help_table("Columns of the zram table (-s):", zram_cols, Z__N);
	help_table("Columns of the process report (-P):", proc_cols, P__N);
	help_table("Columns of the user report (-U):", user_cols, U__N);
	help_table("Columns of the cgroup report (-G):", cgroup_cols, C__N);
}
