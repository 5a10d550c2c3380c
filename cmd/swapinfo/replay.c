/* swapinfo -r (replay a trace through the engine and report) and -W (write a
 * generated trace). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"
#include "output.h"
#include "replay.h"
#include "swapinfo.h"
#include "swapinfo-replay.h"

static const struct coldef dev_cols[] = {
	{ "Device", 0.1, 0, false, "device name in the trace", true },
	{ "Prio", 5, SCOLS_FL_RIGHT, true, "priority", true },
	{ "Alloc", 6, 0, false, "allocator: blist or extent", true },
	{ "Pages", 8, SCOLS_FL_RIGHT, true, "size in pages, header included", true },
	{ "Used", 8, SCOLS_FL_RIGHT, true, "slots holding pages", true },
	{ "Free", 8, SCOLS_FL_RIGHT, true, "free slots", true },
	{ "Bad", 5, SCOLS_FL_RIGHT, true, "bad slots: header and I/O errors", true },
	{ "Out", 8, SCOLS_FL_RIGHT, true, "pages written (page-outs)", true },
	{ "In", 8, SCOLS_FL_RIGHT, true, "pages read (page-ins)", true },
	{ "Writes", 8, SCOLS_FL_RIGHT, true, "write requests", false },
	{ "Reads", 8, SCOLS_FL_RIGHT, true, "read requests", false },
	{ "AllocFail", 9, SCOLS_FL_RIGHT, true, "allocation requests it could not meet", true },
	{ "RAHits", 7, SCOLS_FL_RIGHT, true, "read-around pages used later", true },
	{ "Runs", 6, SCOLS_FL_RIGHT, true, "free runs (fragmentation)", true },
	{ "Largest", 8, SCOLS_FL_RIGHT, true, "largest free run", true },
	{ "Errors", 6, SCOLS_FL_RIGHT, true, "write, read and verify errors", false },
	{ "Lost", 5, SCOLS_FL_RIGHT, true, "pages lost: could not be read back", false },
	{ "MiB/s", 8, SCOLS_FL_RIGHT, false, "I/O throughput (real areas)", false },
	{ "State", 7, 0, false, "active or removed (swapped off)", true },
	{ "Path", 0.2, 0, false, "real swap area, or empty for simulated", false },
};
#define NCOLS ARRAY_SIZE(dev_cols)

void replay_columns_help(void)
{
	help_table("Columns of the replay's device table (-r):", dev_cols, NCOLS);
}

static void hist_line(const char *title, const struct swapctl_devstats *d, size_t n, bool in)
{
	size_t i, b;

	printf("%s\n", title);
	for (i = 0; i < n; i++) {
		const uint64_t *h = in ? d[i].in_hist : d[i].out_hist;

		printf("  %-12s", d[i].name);
		for (b = 0; b < SWAPCTL_HIST_BUCKETS; b++)
			printf(" %s%u:%llu", b + 1 == SWAPCTL_HIST_BUCKETS ? ">=" : "", 1u << b,
			       (unsigned long long)h[b]);
		putchar('\n');
	}
}

static void runs_line(const struct swapctl_devstats *d, size_t n)
{
	size_t i, b, last;

	printf("free runs by length (pages: count)\n");
	for (i = 0; i < n; i++) {
		printf("  %-12s", d[i].name);
		for (last = SWAPCTL_FREESTATS_BUCKETS; last > 0 && !d[i].runs.hist[last - 1]; last--)
			;
		for (b = 0; b < last; b++)
			printf(" %llu:%llu", 1ull << b, (unsigned long long)d[i].runs.hist[b]);
		printf("%s\n", last ? "" : " none");
	}
}

static void print_text(const char *name, const struct swapctl_engine_stats *st,
		       const struct swapctl_devstats *d, size_t n, struct swapctl_engine *e,
		       const struct outopts *out)
{
	struct table t;
	size_t i;

	printf("replay of %s: %llu events, clock %llu, RAM %llu pages\n", name,
	       (unsigned long long)st->events, (unsigned long long)st->clock,
	       (unsigned long long)st->ram_pages);
	printf("  objects %llu, reserved %llu pages, reservation failures %llu\n",
	       (unsigned long long)st->objects, (unsigned long long)st->reserved,
	       (unsigned long long)st->reserve_failures);
	printf("  faults %llu (zero-filled %llu), page-ins %llu, page-outs %llu, clean drops %llu, read-around hits %llu\n",
	       (unsigned long long)st->faults, (unsigned long long)st->zero_fills,
	       (unsigned long long)st->pageins, (unsigned long long)st->pageouts,
	       (unsigned long long)st->clean_drops, (unsigned long long)st->readaround_hits);
	printf("  swapoffs %llu (failed %llu), lost pages %llu, low-water warnings %llu\n",
	       (unsigned long long)st->swapoffs, (unsigned long long)st->swapoff_failures,
	       (unsigned long long)st->lost_pages, (unsigned long long)st->low_water_warnings);
	printf("  failed pages: %llu not paged out (no swap left), %llu not brought in (RAM full), %llu lost; "
	       "events: %llu failures, %llu warnings\n",
	       (unsigned long long)st->pageout_failures, (unsigned long long)st->fault_failures,
	       (unsigned long long)st->lost_pages, (unsigned long long)st->failures,
	       (unsigned long long)st->warnings);
	printf("  slots: %llu usable, %llu used, %llu bad; %llu pages swapped, slot maps %.2f bytes per swapped page\n\n",
	       (unsigned long long)st->slots_usable, (unsigned long long)st->slots_used,
	       (unsigned long long)st->slots_bad, (unsigned long long)st->swapped_pages,
	       st->swapped_pages ? (double)st->map_bytes / (double)st->swapped_pages : 0.0);

	table_init(&t, "devices", out, dev_cols, NCOLS);
	for (i = 0; i < n; i++) {
		struct libscols_line *ln = table_line(&t);

		table_set(&t, ln, "Device", "%s", d[i].name);
		table_set(&t, ln, "Prio", "%d", d[i].prio);
		table_set(&t, ln, "Alloc", "%s", swapctl_allocator_name(d[i].alloc));
		table_set(&t, ln, "Pages", "%llu", (unsigned long long)d[i].pages);
		table_set(&t, ln, "Used", "%llu", (unsigned long long)d[i].used);
		table_set(&t, ln, "Free", "%llu", (unsigned long long)d[i].free);
		table_set(&t, ln, "Bad", "%llu", (unsigned long long)d[i].bad);
		table_set(&t, ln, "Out", "%llu", (unsigned long long)d[i].pageouts);
		table_set(&t, ln, "In", "%llu", (unsigned long long)d[i].pageins);
		table_set(&t, ln, "Writes", "%llu", (unsigned long long)d[i].writes);
		table_set(&t, ln, "Reads", "%llu", (unsigned long long)d[i].reads);
		table_set(&t, ln, "AllocFail", "%llu", (unsigned long long)d[i].alloc_failures);
		table_set(&t, ln, "RAHits", "%llu", (unsigned long long)d[i].readaround_hits);
		table_set(&t, ln, "Runs", "%llu", (unsigned long long)d[i].runs.runs);
		table_set(&t, ln, "Largest", "%llu", (unsigned long long)d[i].runs.largest);
		table_set(&t, ln, "Errors", "%llu",
			  (unsigned long long)(d[i].write_errors + d[i].read_errors + d[i].verify_errors));
		table_set(&t, ln, "Lost", "%llu", (unsigned long long)d[i].lost);
		if (d[i].io_seconds > 0)
			table_set(&t, ln, "MiB/s", "%.1f", (double)d[i].io_bytes / d[i].io_seconds / 1048576.0);
		table_set(&t, ln, "State", "%s", d[i].removed ? "removed" : "active");
		table_set(&t, ln, "Path", "%s", d[i].path);
	}
	table_print(&t);
	table_free(&t);
	putchar('\n');
	hist_line("page-outs by size (pages: count)", d, n, false);
	hist_line("page-ins by size (pages: count)", d, n, true);
	runs_line(d, n);
	for (i = 0; i < swapctl_engine_nlost(e); i++) {
		const struct swapctl_lost *l = swapctl_engine_lost(e, i);

		printf("lost: object %s page %llu (device %s)\n", l->obj, (unsigned long long)l->index, l->dev);
	}
	if (st->lost_pages > swapctl_engine_nlost(e))
		printf("lost: %llu more pages, not named\n",
		       (unsigned long long)(st->lost_pages - swapctl_engine_nlost(e)));
}

static void json_hist(struct json *j, const char *key, const uint64_t *h, size_t n)
{
	size_t b;

	json_open(j, key, '[');
	for (b = 0; b < n; b++)
		json_u64(j, NULL, h[b]);
	json_close(j, ']');
}

static void print_json(const char *name, const struct swapctl_engine_stats *st,
		       const struct swapctl_devstats *d, size_t n, struct swapctl_engine *e)
{
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_open(&j, NULL, '{');
	json_str(&j, "trace", name);
	json_u64(&j, "events", st->events);
	json_u64(&j, "clock", st->clock);
	json_u64(&j, "ram_pages", st->ram_pages);
	json_u64(&j, "resident", st->resident);
	json_u64(&j, "objects", st->objects);
	json_u64(&j, "reserved", st->reserved);
	json_u64(&j, "reserve_failures", st->reserve_failures);
	json_u64(&j, "faults", st->faults);
	json_u64(&j, "zero_fills", st->zero_fills);
	json_u64(&j, "pageins", st->pageins);
	json_u64(&j, "pageouts", st->pageouts);
	json_u64(&j, "clean_drops", st->clean_drops);
	json_u64(&j, "readaround_hits", st->readaround_hits);
	json_u64(&j, "swapoffs", st->swapoffs);
	json_u64(&j, "swapoff_failures", st->swapoff_failures);
	json_u64(&j, "lost_pages", st->lost_pages);
	json_u64(&j, "low_water_warnings", st->low_water_warnings);
	json_u64(&j, "pageout_failures", st->pageout_failures);
	json_u64(&j, "fault_failures", st->fault_failures);
	json_u64(&j, "failures", st->failures);
	json_u64(&j, "warnings", st->warnings);
	json_u64(&j, "slots_usable", st->slots_usable);
	json_u64(&j, "slots_used", st->slots_used);
	json_u64(&j, "slots_bad", st->slots_bad);
	json_u64(&j, "swapped_pages", st->swapped_pages);
	json_u64(&j, "map_bytes", st->map_bytes);
	json_open(&j, "devices", '[');
	for (i = 0; i < n; i++) {
		json_open(&j, NULL, '{');
		json_str(&j, "name", d[i].name);
		json_str(&j, "path", d[i].path[0] ? d[i].path : NULL);
		json_i64(&j, "prio", d[i].prio);
		json_str(&j, "alloc", swapctl_allocator_name(d[i].alloc));
		json_u64(&j, "cluster", d[i].cluster);
		json_bool(&j, "removed", d[i].removed);
		json_u64(&j, "pages", d[i].pages);
		json_u64(&j, "usable", d[i].usable);
		json_u64(&j, "used", d[i].used);
		json_u64(&j, "free", d[i].free);
		json_u64(&j, "bad", d[i].bad);
		json_u64(&j, "alloc_failures", d[i].alloc_failures);
		json_u64(&j, "pageouts", d[i].pageouts);
		json_u64(&j, "pageins", d[i].pageins);
		json_u64(&j, "writes", d[i].writes);
		json_u64(&j, "reads", d[i].reads);
		json_hist(&j, "out_hist", d[i].out_hist, SWAPCTL_HIST_BUCKETS);
		json_hist(&j, "in_hist", d[i].in_hist, SWAPCTL_HIST_BUCKETS);
		json_u64(&j, "readaround", d[i].readaround);
		json_u64(&j, "readaround_hits", d[i].readaround_hits);
		json_u64(&j, "write_errors", d[i].write_errors);
		json_u64(&j, "read_errors", d[i].read_errors);
		json_u64(&j, "verify_errors", d[i].verify_errors);
		json_u64(&j, "lost", d[i].lost);
		json_u64(&j, "io_bytes", d[i].io_bytes);
		json_double(&j, "io_seconds", d[i].io_seconds);
		json_open(&j, "free_runs", '{');
		json_u64(&j, "runs", d[i].runs.runs);
		json_u64(&j, "largest", d[i].runs.largest);
		json_double(&j, "average", d[i].runs.average);
		json_hist(&j, "hist", d[i].runs.hist, SWAPCTL_FREESTATS_BUCKETS);
		json_close(&j, '}');
		json_close(&j, '}');
	}
	json_close(&j, ']');
	json_open(&j, "lost", '[');
	for (i = 0; i < swapctl_engine_nlost(e); i++) {
		const struct swapctl_lost *l = swapctl_engine_lost(e, i);

		json_open(&j, NULL, '{');
		json_str(&j, "object", l->obj);
		json_u64(&j, "index", l->index);
		json_str(&j, "device", l->dev);
		json_close(&j, '}');
	}
	json_close(&j, ']');
	/* what went wrong, with the trace line (the first 10000 events) */
	json_open(&j, "event_log", '[');
	for (i = 0; i < swapctl_engine_nevents(e); i++) {
		const struct swapctl_event *v = swapctl_engine_event(e, i);

		json_open(&j, NULL, '{');
		json_u64(&j, "line", v->line);
		json_str(&j, "event", swapctl_event_name(v->kind));
		json_str(&j, "device", v->dev[0] ? v->dev : NULL);
		json_str(&j, "reason", v->reason);
		json_u64(&j, "pages", v->pages);
		json_bool(&j, "failure", v->failure);
		json_str(&j, "text", v->text);
		json_close(&j, '}');
	}
	json_close(&j, ']');
	json_close(&j, '}');
	json_finish(&j);
}

int swapinfo_replay(struct swapctl_ctx *ctx, const struct replay_opts *r, const struct outopts *out)
{
	struct swapctl_engine_stats st;
	struct swapctl_devstats *d;
	struct swapctl_engine *e;
	char name[4096];
	FILE *f;
	size_t i, n;
	int rc;

	rc = replay_setup(ctx, r, &e, &f, name, sizeof(name));
	if (rc)
		return rc;
	rc = swapctl_trace_replay(ctx, f, name, e);
	replay_close(f);
	if (rc < 0) {
		rc = cmd_lib_error(ctx, rc);
		swapctl_engine_free(e);
		return rc;
	}
	/* every replay ends with the engine checking itself */
	rc = swapctl_engine_check(e);
	if (rc < 0) {
		rc = cmd_lib_error(ctx, rc);
		swapctl_engine_free(e);
		return EXIT_SYSERR;
	}
	swapctl_engine_stats(e, &st);
	n = swapctl_engine_ndevs(e);
	d = calloc(n ? n : 1, sizeof(*d));
	if (!d) {
		swapctl_engine_free(e);
		return EXIT_SYSERR;
	}
	for (i = 0; i < n; i++)
		swapctl_engine_devstats(e, i, &d[i]);
	/* the report is printed whatever failed; the events go to stderr
	 * and the exit status says whether pages failed */
	if (out->json)
		print_json(name, &st, d, n, e);
	else
		print_text(name, &st, d, n, e, out);
	fflush(stdout);
	replay_print_events(e, name);
	rc = replay_status(e);
	free(d);
	swapctl_engine_free(e);
	return rc;
}

/* A binary trace is not for a terminal. */
static bool binary_to_tty(bool binary)
{
	if (binary && isatty(STDOUT_FILENO)) {
		cmd_error("will not write a binary trace to a terminal (redirect it to a file)");
		return true;
	}
	return false;
}

int swapinfo_workload(struct swapctl_ctx *ctx, const char *spec, bool binary)
{
	int r;

	if (binary_to_tty(binary))
		return EXIT_USAGE;
	r = swapctl_workload_write_as(ctx, spec, stdout, binary ? SWAPCTL_TRACE_BINARY : SWAPCTL_TRACE_TEXT);
	return r < 0 ? cmd_lib_error(ctx, r) : EXIT_OK;
}

int swapinfo_convert(struct swapctl_ctx *ctx, const char *trace, bool binary)
{
	FILE *f = strcmp(trace, "-") ? fopen(trace, "re") : stdin;
	int r;

	if (binary_to_tty(binary))
		return EXIT_USAGE;
	if (!f) {
		cmd_error("%s: %m", trace);
		return EXIT_SYSERR;
	}
	r = swapctl_trace_convert(ctx, f, f == stdin ? "stdin" : trace, stdout,
				  binary ? SWAPCTL_TRACE_BINARY : SWAPCTL_TRACE_TEXT);
	if (f != stdin)
		fclose(f);
	return r < 0 ? cmd_lib_error(ctx, r) : EXIT_OK;
}
