/*
 * swapinfo: reports on swap, per area (FreeBSD swapinfo's layout), with the
 * memory context, per process, per user and per cgroup.  This file parses
 * the command line, gathers a snapshot through libswapctl and prints it;
 * the tables are in reports.c, the Prometheus output in prom.c.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "config.h"
#include "swapinfo.h"
#include "swapinfo-replay.h"

static void usage(void)
{
	printf("Usage:\n"
	       "  %1$s [-l] [-a [-F fstab]] [-s] [-P [--area PATH]] [-U] [-G] [-x] [-n N]\n"
	       "           [-k|-m|-g|-h]\n"
	       "           [--bytes] [--json|--raw|--prometheus[=FILE]] [--noheadings]\n"
	       "           [-o COLUMNS] [--sample SECONDS] [-i SECONDS [COUNT]]\n"
	       "\n"
	       "Reports (without one: the areas, as FreeBSD's swapinfo):\n"
	       "  -l, --long       type, priority, label, UUID, backing file, model\n"
	       "  -a, --all        all areas: also inactive ones, hibernation images and\n"
	       "                   fstab entries not found, with their state\n"
	       "  -F, --fstab FILE with -a: read FILE instead of /etc/fstab\n"
	       "  -s, --summary    memory, swap, zswap, rates, pressure, zram\n"
	       "  -P, --processes  processes by swap use (VmSwap), largest first\n"
	       "  -U, --users      swap summed per user\n"
	       "  -G, --cgroups    swap per memory cgroup (v2 or v1)\n"
	       "  -x, --swappss    also SwapPss (smaps_rollup) of the processes listed\n"
	       "  --area PATH      with -P: the processes with pages on the active area PATH\n"
	       "  -n, --top N      list the top N processes, users or cgroups (default 20,\n"
	       "                   0 for all)\n"
	       "  -i, --interval SECONDS [COUNT]\n"
	       "                   repeat every SECONDS, COUNT times (default: forever)\n"
	       "  --sample S       seconds over which the first rates of -s are measured\n"
	       "                   (default 1; 0: averages since boot)\n"
	       "\n"
	       "The pager engine (see swaptrace(5)):\n"
	       "  -r, --replay [TRACE]   replay TRACE (\"-\": standard input; none: a\n"
	       "                   generated mixed workload) and report its statistics\n"
	       "  --device NAME=PATH  the trace's device NAME is the real, inactive swap\n"
	       "                   area PATH (page I/O, every read verified)\n"
	       "  --alloc blist|extent  the allocator of every device\n"
	       "  --cluster PAGES  the largest page-out of every device\n"
	       "  --ram PAGES      the simulated RAM, whatever the trace says\n"
	       "  -W, --workload NAME[,KEY=VALUE...]\n"
	       "                   write a generated trace: seq, random, zipf, fork, mixed\n"
	       "  --convert TRACE  write TRACE (\"-\": standard input; text or binary) in\n"
	       "                   the text form, or the binary form with --binary\n"
	       "  --binary         -W and --convert write the binary form\n"
	       "\n"
	       "Units (default: 1K-blocks, or $BLOCKSIZE):\n"
	       "  -k, --kibi  -m, --mebi  -g, --gibi   1K, 1M, 1G blocks\n"
	       "  -h, --human      human-readable (2.0G, 512M)\n"
	       "  --bytes          exact bytes\n"
	       "\n"
	       "Output:\n"
	       "  --json       JSON (sizes are numbers in bytes, whatever the units)\n"
	       "  --raw        no alignment\n"
	       "  --noheadings no header line\n"
	       "  -o, --output COLUMNS   columns to show; +COLUMNS adds to the defaults\n"
	       "  --prometheus[=FILE]    node-exporter textfile format, to FILE (atomically)\n"
	       "  --help, --version\n", program_name);
	report_help();
	replay_columns_help();
	printf("\nSee swapinfo(8) for the sources of every column and the exit codes.\n");
}

static double parse_seconds(const char *opt, const char *s, bool zero_ok)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || isnan(v) || v < 0 || v > 86400 * 365 || (!zero_ok && v == 0))
		cmd_usage_error("%s: '%s' is not a number of seconds%s", opt, s, zero_ok ? "" : " above 0");
	return v;
}

static void sleep_until(const struct timespec *t)
{
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL) == EINTR)
		;
}

static void sleep_seconds(double s)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += (time_t)s;
	t.tv_nsec += (long)((s - floor(s)) * 1e9);
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	sleep_until(&t);
}

static void snapshot_free(struct snapshot *s)
{
	swapctl_swaplist_free(s->own_swaps);
	swapctl_scan_free(s->scan);
	swapctl_zramlist_free(s->zram);
	swapctl_proclist_free(s->procs);
	swapctl_swapmap_free(s->map);
	swapctl_userlist_free(s->users);
	swapctl_cgrouplist_free(s->cgroups);
	memset(s, 0, sizeof(*s));
}

/* Read what the chosen reports need; prev: the last report's statistics. */
static int gather(struct swapctl_ctx *ctx, const struct opts *o, struct snapshot *s,
		  const struct swapctl_stats *prev)
{
	/* label, UUID, backing file, model: for -l, and for -o, which may name them */
	unsigned flags = o->longfmt || o->out.columns ? SWAPCTL_READ_IDENTITY : 0;
	int r;

	/* -a: the scan reads /proc/swaps, and its list is the report's */
	if (o->all)
		r = swapctl_scan_read(ctx, o->fstab, flags, &s->scan);
	else
		r = swapctl_swaps_read(ctx, flags, &s->own_swaps);
	if (r < 0)
		return r;
	s->swaps = o->all ? swapctl_scan_swaps(s->scan) : s->own_swaps;
	if (o->summary) {
		struct swapctl_stats first = { .struct_size = sizeof(first) };

		if (!prev && o->sample > 0) {
			if ((r = swapctl_stats_read(ctx, &first)) < 0)
				return r;
			sleep_seconds(o->sample);
			prev = &first;
		}
		s->stats.struct_size = sizeof(s->stats);
		if ((r = swapctl_stats_read(ctx, &s->stats)) < 0)
			return r;
		s->have_stats = true;
		swapctl_stats_rates(prev, &s->stats, &s->rates);
		if ((r = swapctl_zram_read(ctx, &s->zram)) < 0)
			return r;
	}
	if (o->procs || o->users) {
		if ((r = swapctl_procs_read(ctx, &s->procs)) < 0)
			return r;
		/* pagemap of the processes with swap: which area their pages are on */
		if (o->procs && swapctl_swaplist_count(s->swaps) && report_wants_map(o) &&
		    (r = swapctl_swapmap_read(ctx, s->procs, 0, &s->map)) < 0)
			return r;
		if (o->procs && o->smaps &&
		    (r = swapctl_proclist_read_smaps(ctx, s->procs, 0, o->top ? o->top : SIZE_MAX)) < 0)
			return r;
		if (o->users &&
		    (r = swapctl_proclist_by_user(ctx, s->procs, o->smaps ? (o->top ? o->top : SIZE_MAX) : 0,
						  &s->users)) < 0)
			return r;
	}
	if (o->cgroups && (r = swapctl_cgroups_read(ctx, &s->cgroups)) < 0)
		return r;
	return 0;
}

/* Once per run: say why some SwapPss are "?". */
static void warn_unread(const struct opts *o, const struct snapshot *s)
{
	static bool warned;
	size_t i, n, unread = 0;

	if (warned || !o->smaps || !s->procs)
		return;
	n = swapctl_proclist_count(s->procs);
	if (o->procs)
		for (i = 0; i < n && (!o->top || i < o->top); i++)
			unread += swapctl_proclist_get(s->procs, i)->swap_pss == SWAPCTL_UNKNOWN;
	for (i = 0; s->users && i < swapctl_userlist_count(s->users); i++)
		unread += swapctl_userlist_get(s->users, i)->pss_unread;
	if (unread) {
		cmd_warn("SwapPss of %zu process%s could not be read (smaps_rollup needs the same "
			 "user, root or CAP_SYS_PTRACE): unknown, left out of sums", unread,
			 unread == 1 ? "" : "es");
		warned = true;
	}
}

/* Once per run: say why per-area figures are ? or marked ~. */
static void warn_map(const struct opts *o, const struct snapshot *s)
{
	static bool warned;
	size_t i, n = swapctl_swapmap_nareas(s->map);
	uint64_t hidden = 0;
	bool unknown = false, inferred = false;

	if (warned || !s->map || o->prometheus)
		return;
	for (i = 0; i < n; i++) {
		enum swapctl_placement pl = swapctl_swapmap_area(s->map, i)->placement;

		unknown |= pl == SWAPCTL_PLACE_UNKNOWN;
		inferred |= pl == SWAPCTL_PLACE_INFERRED;
	}
	for (i = 0; i < swapctl_swapmap_nprocs(s->map); i++) {
		const struct swapctl_mapproc *p = swapctl_swapmap_proc(s->map, i);

		if (p->swapped != SWAPCTL_UNKNOWN)
			hidden += p->hidden;
	}
	if (unknown && hidden)
		cmd_warn("the kernel shows which area a page is on to root only (pagemap needs "
			 "CAP_SYS_ADMIN): per-area figures are unknown");
	else if (unknown)
		cmd_warn("the swap areas changed while pagemap was read: per-area figures are unknown");
	else if (inferred)
		cmd_warn("the swap type of some areas is inferred, not certain (an area swapped off "
			 "earlier left a gap in the numbering): their figures are marked ~");
	warned = unknown || inferred;
}

static int write_prometheus(const struct opts *o, struct swapctl_ctx *ctx, const struct snapshot *s)
{
	struct safe_file sf;
	int rc;

	if (!o->prom_file) {
		prom_write(stdout, o, ctx, s);
		return 0;
	}
	/* 0644: node-exporter's textfile collector may run as another user */
	rc = safe_file_open(&sf, o->prom_file, 0644);
	if (rc)
		return rc;
	prom_write(sf.f, o, ctx, s);
	return safe_file_commit(&sf);
}

static int report(struct swapctl_ctx *ctx, const struct opts *o, struct swapctl_stats *prev,
		  bool *have_prev)
{
	struct table tables[MAX_TABLES], *ptr[MAX_TABLES];
	struct snapshot s;
	size_t n, i;
	int r;

	memset(&s, 0, sizeof(s));
	r = gather(ctx, o, &s, *have_prev ? prev : NULL);
	if (r < 0) {
		r = cmd_lib_error(ctx, r);
		snapshot_free(&s);
		return r;
	}
	if (o->area && (!s.map || swapctl_swapmap_find(s.map, o->area) < 0)) {
		/* as swapctl -d: a path that is not there is a system error */
		if (access(o->area, F_OK) < 0) {
			cmd_error("%s: %s", o->area, strerror(errno));
			r = EXIT_SYSERR;
		} else {
			cmd_error("%s: not an active swap area", o->area);
			r = EXIT_REFUSED;
		}
		snapshot_free(&s);
		return r;
	}
	warn_unread(o, &s);
	warn_map(o, &s);
	if (o->prometheus) {
		r = write_prometheus(o, ctx, &s);
	} else {
		n = report_tables(o, ctx, &s, tables);
		for (i = 0; i < n; i++)
			ptr[i] = &tables[i];
		table_print_all(ptr, n);
		for (i = 0; i < n; i++)
			table_free(&tables[i]);
	}
	if (s.have_stats) {
		*prev = s.stats;
		*have_prev = true;
	}
	snapshot_free(&s);
	if (cmd_check_stdout() && r == EXIT_OK)
		r = EXIT_SYSERR;        /* nobody reads: stop (the error is printed at exit) */
	return r;
}

/* -r [TRACE], -W WORKLOAD, --convert TRACE: the offline pager engine, not
 * the system. */
static int engine_mode(struct opts *o, int nargs, char **args)
{
	struct swapctl_ctx *ctx;
	int rc;

	if ((o->replay != 0) + (o->workload != NULL) + (o->convert != NULL) > 1)
		cmd_usage_error("-r, -W and --convert cannot be used together");
	if (o->summary || o->procs || o->users || o->cgroups || o->all || o->longfmt || o->interval ||
	    o->prometheus)
		cmd_usage_error("-r, -W and --convert go with no other report");
	if (o->binary && !o->workload && !o->convert)
		cmd_usage_error("--binary goes with -W or --convert");
	if (nargs > (o->replay ? 1 : 0))
		cmd_usage_error("unexpected argument '%s'", args[o->replay ? 1 : 0]);
	if ((o->workload || o->convert) && (o->ro.ndevmap || o->ro.alloc >= 0 || o->ro.cluster || o->ro.ram))
		cmd_usage_error("--device, --alloc, --cluster and --ram go with -r");
	o->ro.trace = nargs ? args[0] : NULL;
	ctx = cmd_ctx();
	if (o->convert)
		rc = swapinfo_convert(ctx, o->convert, o->binary);
	else if (o->workload)
		rc = swapinfo_workload(ctx, o->workload, o->binary);
	else
		rc = swapinfo_replay(ctx, &o->ro, &o->out);
	swapctl_unref(ctx);
	return rc;
}

int main(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_RAW, OPT_NOHEAD, OPT_BYTES, OPT_PROM, OPT_SAMPLE, OPT_HELP,
	       OPT_VERSION, OPT_DEVICE, OPT_ALLOC, OPT_CLUSTER, OPT_RAM, OPT_CONVERT, OPT_BINARY,
	       OPT_AREA };
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "long", no_argument, NULL, 'l' },
		{ "summary", no_argument, NULL, 's' },
		{ "processes", no_argument, NULL, 'P' },
		{ "swappss", no_argument, NULL, 'x' },
		{ "users", no_argument, NULL, 'U' },
		{ "cgroups", no_argument, NULL, 'G' },
		{ "top", required_argument, NULL, 'n' },
		{ "area", required_argument, NULL, OPT_AREA },
		{ "interval", required_argument, NULL, 'i' },
		{ "fstab", required_argument, NULL, 'F' },
		UNITS_LONGOPTS,
		{ "replay", no_argument, NULL, 'r' },
		{ "workload", required_argument, NULL, 'W' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "raw", no_argument, NULL, OPT_RAW },
		{ "noheadings", no_argument, NULL, OPT_NOHEAD },
		{ "bytes", no_argument, NULL, OPT_BYTES },
		{ "output", required_argument, NULL, 'o' },
		{ "prometheus", optional_argument, NULL, OPT_PROM },
		{ "sample", required_argument, NULL, OPT_SAMPLE },
		{ "device", required_argument, NULL, OPT_DEVICE },
		{ "alloc", required_argument, NULL, OPT_ALLOC },
		{ "cluster", required_argument, NULL, OPT_CLUSTER },
		{ "ram", required_argument, NULL, OPT_RAM },
		{ "convert", required_argument, NULL, OPT_CONVERT },
		{ "binary", no_argument, NULL, OPT_BINARY },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o;
	struct swapctl_ctx *ctx;
	struct swapctl_stats prev;
	struct timespec next;
	bool have_prev = false, have_n = false;
	int c, unit = 0, rc = EXIT_OK;
	long iter;

	memset(&o, 0, sizeof(o));
	o.top = 20;
	o.sample = 1;
	o.count = -1;
	o.ro.alloc = -1;
	cmd_init(argv[0]);
	units_init(&o.units, 1024);
	while ((c = getopt_long(argc, argv, "alsPxUGn:i:F:kmgho:rW:", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			o.all = true;
			break;
		case 'l':
			o.longfmt = true;
			break;
		case 's':
			o.summary = true;
			break;
		case 'P':
			o.procs = true;
			break;
		case 'x':
			o.smaps = true;
			break;
		case 'U':
			o.users = true;
			break;
		case 'G':
			o.cgroups = true;
			break;
		case 'n': {
			long v;

			if (cmd_parse_int(optarg, 0, 1L << 40, &v) < 0)
				cmd_usage_error("-n: '%s' is not a count (0 for all)", optarg);
			o.top = (size_t)v;
			have_n = true;
			break;
		}
		case 'i':
			o.interval = parse_seconds("-i", optarg, false);
			break;
		case 'F':
			o.fstab = optarg;
			break;
		case 'k':
		case 'm':
		case 'g':
		case 'h':
			unit = c;
			break;
		case OPT_BYTES:
			unit = 'b';
			break;
		case 'o':
			o.out.columns = optarg;
			break;
		case OPT_JSON:
			o.out.json = true;
			break;
		case OPT_RAW:
			o.out.raw = true;
			break;
		case OPT_NOHEAD:
			o.out.noheadings = true;
			break;
		case OPT_PROM:
			o.prometheus = true;
			o.prom_file = optarg;
			break;
		case OPT_SAMPLE:
			o.sample = parse_seconds("--sample", optarg, true);
			break;
		case 'r':
			o.replay = true;
			break;
		case 'W':
			o.workload = optarg;
			break;
		case OPT_DEVICE:
			replay_opt_device(&o.ro, optarg);
			break;
		case OPT_ALLOC:
			replay_opt_alloc(&o.ro, optarg);
			break;
		case OPT_CLUSTER:
			replay_opt_cluster(&o.ro, optarg);
			break;
		case OPT_RAM:
			replay_opt_ram(&o.ro, optarg);
			break;
		case OPT_CONVERT:
			o.convert = optarg;
			break;
		case OPT_BINARY:
			o.binary = true;
			break;
		case OPT_AREA:
			o.area = optarg;
			break;
		case OPT_HELP:
			usage();
			return EXIT_OK;
		case OPT_VERSION:
			printf("%s %s\n", program_name, PACKAGE_VERSION);
			return EXIT_OK;
		default:
			fprintf(stderr, "%s: see '%s --help'\n", program_name, program_name);
			return EXIT_USAGE;
		}
	}
	if (o.replay || o.workload || o.convert || o.binary)
		return engine_mode(&o, argc - optind, argv + optind);
	if (o.ro.ndevmap || o.ro.alloc >= 0 || o.ro.cluster || o.ro.ram)
		cmd_usage_error("--device, --alloc, --cluster and --ram go with -r");
	if (optind < argc) {
		if (!o.interval)
			cmd_usage_error("unexpected argument '%s'", argv[optind]);
		if (cmd_parse_int(argv[optind], 1, 1L << 40, &o.count) < 0)
			cmd_usage_error("COUNT: '%s' is not a number above 0", argv[optind]);
		if (++optind < argc)
			cmd_usage_error("unexpected argument '%s'", argv[optind]);
	}
	if (o.smaps && !o.procs && !o.users)
		o.procs = true;         /* -x alone: the process report */
	if (have_n && !o.procs && !o.users && !o.cgroups)
		cmd_usage_error("-n applies to -P, -U and -G");
	if (o.area && !o.procs)
		cmd_usage_error("--area applies to -P");
	if (o.fstab && !o.all)
		cmd_usage_error("-F applies to -a");
	if (o.out.json && o.out.raw)
		cmd_usage_error("--json and --raw cannot be used together");
	if (o.prometheus && (o.out.json || o.out.raw || o.out.noheadings || o.out.columns))
		cmd_usage_error("--prometheus cannot be used with --json, --raw, --noheadings or -o");
	o.devices = o.longfmt || o.all || (!o.summary && !o.procs && !o.users && !o.cgroups);
	if (o.prometheus) {
		/* without a report: the areas and the summary; counters, no rates */
		if (o.devices && !o.longfmt && !o.all)
			o.summary = true;
		o.sample = 0;
	}
	if (unit)
		units_set(&o.units, unit);
	o.out.bytes = unit == 'b';
	if (o.out.json || o.prometheus)
		units_set(&o.units, 'b');       /* machines get numbers, in bytes */
	if (o.prometheus)
		units_set(&o.units, 'b');

	ctx = cmd_ctx();
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (iter = 0; o.count < 0 || iter < o.count; iter++) {
		if (iter > 0) {
			double t = (double)next.tv_nsec / 1e9 + o.interval;

			next.tv_sec += (time_t)floor(t);
			next.tv_nsec = (long)((t - floor(t)) * 1e9);
			sleep_until(&next);
			if (!o.prometheus && !o.out.json)
				putchar('\n');
		}
		rc = report(ctx, &o, &prev, &have_prev);
		if (rc != EXIT_OK || !o.interval)
			break;
		if (iter == 0)          /* the first may have sampled: count from here */
			clock_gettime(CLOCK_MONOTONIC, &next);
	}
	swapctl_unref(ctx);
	return rc;
}
