/*
 * --prometheus: the text exposition format, for node-exporter's textfile
 * collector.  Sizes are in bytes (pages converted), counters end in _total,
 * ratios are 0..1.  A value that could not be read is left out, never
 * written as 0; an unset limit is +Inf.  The names are listed in swapinfo(8).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "swapinfo.h"

/* A label value with \ " and newline escaped; the format is UTF-8, so a
 * byte that starts no valid sequence is written as U+FFFD. */
static void put_label(FILE *f, const char *name, const char *value, bool first)
{
	fprintf(f, "%s%s=\"", first ? "" : ",", name);
	for (; *value; value++) {
		size_t n = utf8_seq_len(value);

		if (n == 0)
			fputs("\xef\xbf\xbd", f);
		else if (n > 1) {
			fwrite(value, 1, n, f);
			value += n - 1;
		} else if (*value == '\\' || *value == '"')
			fprintf(f, "\\%c", *value);
		else if (*value == '\n')
			fputs("\\n", f);
		else
			fputc(*value, f);
	}
	fputc('"', f);
}

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The shortest decimal form that reads back as v. */
static const char *shortest(double v, char *buf, size_t size)
{
	int prec;

	for (prec = 6; prec < 17; prec++) {
		snprintf(buf, size, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return buf;
	}
	snprintf(buf, size, "%.17g", v);
	return buf;
}

/* name{labels} value, labels as NULL-terminated name/value pairs. */
static void sample(FILE *f, const char *name, const char *const *labels, double v)
{
	char buf[64];
	size_t i;

	fputs(name, f);
	if (labels && labels[0]) {
		fputc('{', f);
		for (i = 0; labels[i]; i += 2)
			put_label(f, labels[i], labels[i + 1], i == 0);
		fputc('}', f);
	}
	if (isinf(v))
		fputs(" +Inf\n", f);
	else if (v == floor(v) && fabs(v) < 1e18)
		fprintf(f, " %.0f\n", v);
	else
		fprintf(f, " %s\n", shortest(v, buf, sizeof(buf)));
}

/* A byte count, left out when unknown; unlimited is +Inf. */
static void sample_u64(FILE *f, const char *name, const char *const *labels, uint64_t v)
{
	if (v == SWAPCTL_UNKNOWN)
		return;
	sample(f, name, labels, v == SWAPCTL_UNLIMITED ? INFINITY : (double)v);
}

/* ------------------------------------------------------------ areas */

static void put_areas(FILE *f, const struct opts *o, const struct snapshot *s)
{
	static const struct {
		const char *name, *type, *help;
	} fam[] = {
		{ "swapctl_swap_area_size_bytes", "gauge", "Size of the swap area in bytes." },
		{ "swapctl_swap_area_used_bytes", "gauge", "Bytes in use on the active swap area." },
		{ "swapctl_swap_area_priority", "gauge", "Priority of the active swap area (higher is used first)." },
		{ "swapctl_swap_area_info", "gauge", "A swap area: type, state, label, UUID, backing file." },
	};
	size_t n = s->scan ? swapctl_scan_count(s->scan) : swapctl_swaplist_count(s->swaps);
	size_t k, i;

	for (k = 0; k < 4; k++) {
		family(f, fam[k].name, fam[k].type, fam[k].help);
		for (i = 0; i < n; i++) {
			const struct swapctl_found *fd = s->scan ? swapctl_scan_get(s->scan, i) : NULL;
			const struct swapctl_swap *sw = fd ? &fd->sw : swapctl_swaplist_get(s->swaps, i);
			enum swapctl_state st = fd ? fd->state : SWAPCTL_STATE_ACTIVE;
			const char *type = swapctl_kind_name(sw->kind), *state = swapctl_state_name(st);
			const char *base[] = { "device", sw->path, "type", type, NULL };
			const char *info[] = { "device", sw->path, "type", type, "state", state,
					       "label", sw->label, "uuid", sw->uuid,
					       "backing", sw->backing, "deleted", sw->deleted ? "1" : "0", NULL };

			if (k == 0 && st != SWAPCTL_STATE_MISSING && st != SWAPCTL_STATE_UNKNOWN)
				sample_u64(f, fam[k].name, base, sw->size);
			else if (k == 1 && st == SWAPCTL_STATE_ACTIVE)
				sample_u64(f, fam[k].name, base, sw->used);
			else if (k == 2 && st == SWAPCTL_STATE_ACTIVE)
				sample(f, fam[k].name, base, sw->prio);
			else if (k == 3)
				sample(f, fam[k].name, info, 1);
		}
	}
	(void)o;
}

/* ---------------------------------------------------------- summary */

static void one(FILE *f, const char *name, const char *type, const char *help, uint64_t v)
{
	if (v == SWAPCTL_UNKNOWN)
		return;
	family(f, name, type, help);
	sample_u64(f, name, NULL, v);
}

static uint64_t pages(uint64_t v, unsigned pagesize)
{
	return v == SWAPCTL_UNKNOWN ? v : v * pagesize;
}

static void put_summary(FILE *f, const struct snapshot *s)
{
	const struct swapctl_stats *st = &s->stats;
	const struct swapctl_meminfo *mi = &st->mem;
	const struct swapctl_zswap *z = &st->zswap;
	unsigned ps = st->pagesize;
	static const char *const win[] = { "10s", "60s", "300s" };
	int k, w;

	one(f, "swapctl_memory_total_bytes", "gauge", "Total usable RAM (MemTotal).", mi->mem_total);
	one(f, "swapctl_memory_available_bytes", "gauge", "RAM available without swapping (MemAvailable).",
	    mi->mem_available);
	one(f, "swapctl_swap_total_bytes", "gauge", "Swap space of all active areas (SwapTotal).", mi->swap_total);
	one(f, "swapctl_swap_free_bytes", "gauge", "Swap space free (SwapFree).", mi->swap_free);
	one(f, "swapctl_swap_cached_bytes", "gauge", "Memory both in RAM and in swap (SwapCached).",
	    mi->swap_cached);
	one(f, "swapctl_swap_areas", "gauge", "Active swap areas.", swapctl_swaplist_count(s->swaps));
	one(f, "swapctl_swap_in_bytes_total", "counter", "Bytes read from swap (vmstat pswpin).",
	    pages(st->vm.pswpin, ps));
	one(f, "swapctl_swap_out_bytes_total", "counter", "Bytes written to swap (vmstat pswpout).",
	    pages(st->vm.pswpout, ps));
	one(f, "swapctl_major_faults_total", "counter", "Major page faults (vmstat pgmajfault).",
	    st->vm.pgmajfault);
	if (z->enabled >= 0)
		one(f, "swapctl_zswap_enabled", "gauge", "1 when zswap is on.", (uint64_t)z->enabled);
	one(f, "swapctl_zswap_pool_bytes", "gauge", "Compressed size of the zswap pool (Zswap).", z->pool);
	one(f, "swapctl_zswap_stored_bytes", "gauge", "Uncompressed size of what zswap holds (Zswapped).",
	    z->stored);
	one(f, "swapctl_zswap_in_bytes_total", "counter", "Bytes loaded from zswap (vmstat zswpin).",
	    pages(st->vm.zswpin, ps));
	one(f, "swapctl_zswap_out_bytes_total", "counter", "Bytes stored in zswap (vmstat zswpout).",
	    pages(st->vm.zswpout, ps));
	one(f, "swapctl_zswap_written_back_bytes_total", "counter",
	    "Bytes zswap wrote back to swap (vmstat zswpwb).", pages(st->vm.zswpwb, ps));
	if (!st->psi.has_some)
		return;
	family(f, "swapctl_memory_pressure_ratio", "gauge",
	       "Share of time tasks stalled on memory (PSI avg10/60/300 / 100).");
	for (k = 0; k < 2; k++) {
		const struct swapctl_psi_line *pl = k ? &st->psi.full : &st->psi.some;
		const double avg[] = { pl->avg10, pl->avg60, pl->avg300 };

		if (k && !st->psi.has_full)
			break;
		for (w = 0; w < 3; w++) {
			const char *labels[] = { "kind", k ? "full" : "some", "window", win[w], NULL };

			sample(f, "swapctl_memory_pressure_ratio", labels, avg[w] / 100);
		}
	}
	family(f, "swapctl_memory_pressure_stalled_seconds_total", "counter",
	       "Time tasks stalled on memory (PSI total).");
	for (k = 0; k < 2; k++) {
		const char *labels[] = { "kind", k ? "full" : "some", NULL };

		if (k && !st->psi.has_full)
			break;
		sample(f, "swapctl_memory_pressure_stalled_seconds_total", labels,
		       (double)(k ? st->psi.full.total_us : st->psi.some.total_us) / 1e6);
	}
}

/* ------------------------------------------------------------- zram */

static void put_zram(FILE *f, const struct snapshot *s)
{
	enum { DISK, ORIG, COMPR, USED, LIMIT, PEAK, SAME, HUGE, WB, WBR, WBW, RATIO, NFAM };
	static const struct {
		const char *name, *type, *help;
	} fam[NFAM] = {
		[DISK] = { "swapctl_zram_disk_size_bytes", "gauge", "Size of the zram device (disksize)." },
		[ORIG] = { "swapctl_zram_original_bytes", "gauge", "Data stored, uncompressed (mm_stat)." },
		[COMPR] = { "swapctl_zram_compressed_bytes", "gauge", "Data stored, compressed (mm_stat)." },
		[USED] = { "swapctl_zram_memory_used_bytes", "gauge", "RAM used by the device (mm_stat)." },
		[LIMIT] = { "swapctl_zram_memory_limit_bytes", "gauge", "RAM limit of the device, +Inf for none." },
		[PEAK] = { "swapctl_zram_memory_used_max_bytes", "gauge", "Peak RAM used (mm_stat)." },
		[SAME] = { "swapctl_zram_same_filled_bytes", "gauge", "Same-filled pages, stored without memory." },
		[HUGE] = { "swapctl_zram_huge_bytes", "gauge", "Incompressible pages, stored whole." },
		[WB] = { "swapctl_zram_writeback_bytes", "gauge", "Data written back to the backing device (bd_stat)." },
		[WBR] = { "swapctl_zram_writeback_reads_bytes_total", "counter", "Bytes read from the backing device." },
		[WBW] = { "swapctl_zram_writeback_writes_bytes_total", "counter", "Bytes written to the backing device." },
		[RATIO] = { "swapctl_zram_compression_ratio", "gauge", "Original / compressed size." },
	};
	size_t n = swapctl_zramlist_count(s->zram), i;
	unsigned ps = s->stats.pagesize;
	int k;

	if (!n)
		return;
	for (k = 0; k < NFAM; k++) {
		family(f, fam[k].name, fam[k].type, fam[k].help);
		for (i = 0; i < n; i++) {
			const struct swapctl_zram *z = swapctl_zramlist_get(s->zram, i);
			const char *labels[] = { "device", z->name, NULL };
			const uint64_t v[NFAM] = {
				[DISK] = z->disksize, [ORIG] = z->orig, [COMPR] = z->compr,
				[USED] = z->mem_used, [LIMIT] = z->mem_limit, [PEAK] = z->mem_used_max,
				[SAME] = pages(z->same_pages, ps), [HUGE] = pages(z->huge_pages, ps),
				[WB] = pages(z->bd_count, 4096), [WBR] = pages(z->bd_reads, 4096),
				[WBW] = pages(z->bd_writes, 4096),
			};

			if (k == RATIO) {
				if (!isnan(z->ratio))
					sample(f, fam[k].name, labels, z->ratio);
			} else {
				sample_u64(f, fam[k].name, labels, v[k]);
			}
		}
	}
}

/* ------------------------------------------------ processes, users */

static void put_procs(FILE *f, const struct opts *o, const struct snapshot *s)
{
	size_t n = swapctl_proclist_count(s->procs), i, k;

	if (o->top && o->top < n)
		n = o->top;
	for (k = 0; k < (o->smaps ? 2u : 1u); k++) {
		const char *name = k ? "swapctl_process_swap_pss_bytes" : "swapctl_process_swap_bytes";

		family(f, name, "gauge", k ? "Proportional swap of the process (smaps_rollup SwapPss)." :
					     "Anonymous memory of the process in swap (VmSwap).");
		for (i = 0; i < n; i++) {
			const struct swapctl_proc *p = swapctl_proclist_get(s->procs, i);
			char pid[24];
			const char *labels[] = { "pid", pid, "user", p->user, "command", p->comm, NULL };

			snprintf(pid, sizeof(pid), "%ld", (long)p->pid);
			sample_u64(f, name, labels, k ? p->swap_pss : p->swap);
		}
	}
}

static void put_users(FILE *f, const struct opts *o, const struct snapshot *s)
{
	size_t n = swapctl_userlist_count(s->users), i, k;

	if (o->top && o->top < n)
		n = o->top;
	for (k = 0; k < (o->smaps ? 3u : 2u); k++) {
		static const char *const names[] = { "swapctl_user_swap_bytes", "swapctl_user_processes",
						     "swapctl_user_swap_pss_bytes" };
		static const char *const help[] = { "Sum of VmSwap of the user's processes.",
						    "Processes of the user.",
						    "Sum of SwapPss of the user's processes." };

		family(f, names[k], "gauge", help[k]);
		for (i = 0; i < n; i++) {
			const struct swapctl_usersum *u = swapctl_userlist_get(s->users, i);
			char uid[24];
			const char *labels[] = { "user", u->user, "uid", uid, NULL };

			snprintf(uid, sizeof(uid), "%lu", (unsigned long)u->uid);
			sample_u64(f, names[k], labels, k == 0 ? u->swap : k == 1 ? u->nprocs : u->swap_pss);
		}
	}
}

/* ---------------------------------------------------------- cgroups */

static void put_cgroups(FILE *f, const struct opts *o, const struct snapshot *s)
{
	enum { SWAP, SWAPMAX, ZSWAP, MEM, MEMMAX, MEMSW, MEMSWMAX, NFAM };
	static const struct {
		const char *name, *help;
		int version;    /* 0: both */
	} fam[NFAM] = {
		[SWAP] = { "swapctl_cgroup_swap_bytes", "Swap used by the cgroup and its children.", 0 },
		[SWAPMAX] = { "swapctl_cgroup_swap_max_bytes", "Swap limit (v2 memory.swap.max).", 2 },
		[ZSWAP] = { "swapctl_cgroup_zswap_bytes", "zswap pool of the cgroup (v2).", 2 },
		[MEM] = { "swapctl_cgroup_memory_bytes", "Memory used by the cgroup.", 0 },
		[MEMMAX] = { "swapctl_cgroup_memory_max_bytes", "Memory limit of the cgroup.", 0 },
		[MEMSW] = { "swapctl_cgroup_memsw_bytes", "Memory plus swap used (v1 memsw).", 1 },
		[MEMSWMAX] = { "swapctl_cgroup_memsw_max_bytes", "Memory plus swap limit (v1 memsw).", 1 },
	};
	size_t n = swapctl_cgrouplist_count(s->cgroups), i;
	const struct swapctl_cgroup *c0 = swapctl_cgrouplist_get(s->cgroups, 0);
	int k;

	if (o->top && o->top < n)
		n = o->top;
	for (k = 0; k < NFAM; k++) {
		if (!c0 || (fam[k].version && fam[k].version != c0->version))
			continue;
		family(f, fam[k].name, "gauge", fam[k].help);
		for (i = 0; i < n; i++) {
			const struct swapctl_cgroup *c = swapctl_cgrouplist_get(s->cgroups, i);
			const char *labels[] = { "cgroup", c->path, NULL };
			const uint64_t v[NFAM] = {
				[SWAP] = c->swap, [SWAPMAX] = c->swap_max, [ZSWAP] = c->zswap,
				[MEM] = c->mem, [MEMMAX] = c->mem_max, [MEMSW] = c->memsw,
				[MEMSWMAX] = c->memsw_max,
			};

			sample_u64(f, fam[k].name, labels, v[k]);
		}
	}
}

void prom_write(FILE *f, const struct opts *o, struct swapctl_ctx *ctx, const struct snapshot *s)
{
	(void)ctx;
	if (o->devices)
		put_areas(f, o, s);
	if (o->summary && s->have_stats) {
		put_summary(f, s);
		put_zram(f, s);
	}
	if (o->procs)
		put_procs(f, o, s);
	if (o->users)
		put_users(f, o, s);
	if (o->cgroups)
		put_cgroups(f, o, s);
}
