/*
 * swaptop: the live swap dashboard, over the kernel or over the pager
 * engine.  This file parses the command line and picks the mode: live or
 * replay (-r), on the screen or in batch (-b).
 */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "swaptop.h"

static void usage(void)
{
	printf("Usage:\n"
	       "  %1$s [-d SECONDS] [-n COUNT] [--pane areas|processes|cgroups]\n"
	       "          [--threshold NAME=[WARN:]CRIT,...] [--smaps-budget MS] [--mono] [--ascii]\n"
	       "  %1$s -r [TRACE] [--device NAME=PATH]... [--alloc blist|extent]\n"
	       "          [--cluster PAGES] [--ram PAGES] [--speed EVENTS] [--paused]\n"
	       "  %1$s -b [-d SECONDS] [-n COUNT] [--top N] [-k|-m|-g|-h|--bytes]\n"
	       "  %1$s -b -r [TRACE] [-d TICKS] [-n COUNT] [replay options]\n"
	       "\n"
	       "Modes:\n"
	       "  (none)       live: the kernel's swap, refreshed every -d seconds\n"
	       "  -r, --replay replay TRACE (\"-\": standard input; none: the default\n"
	       "               generated workload, as swapinfo -r) through the pager engine\n"
	       "  -b, --batch  plain-text frames on standard output, as top -b\n"
	       "\n"
	       "Options:\n"
	       "  -d, --delay SECONDS     between refreshes (default 1; 0.1 to 3600); with -b -r:\n"
	       "                          engine ticks between frames (default: the last only)\n"
	       "  -n, --iterations COUNT  exit after COUNT refreshes or frames\n"
	       "  --pane NAME             the pane shown first (default processes)\n"
	       "  --all-processes         also list the processes that hold no swap (key z)\n"
	       "  --area PATH             the processes with pages on the active area PATH and\n"
	       "                          its map (needs root; on the screen: Enter, m)\n"
	       "  --threshold LIST        warning and critical levels: swapout (pages/s),\n"
	       "                          swap (%% used), psi-some, psi-full (%%, avg10);\n"
	       "                          also from $SWAPTOP_THRESHOLDS\n"
	       "  --smaps-budget MS       time a SwapPss read may take per refresh (default 20)\n"
	       "  --mono                  no colours (also when NO_COLOR is set)\n"
	       "  --ascii                 ASCII instead of UTF-8 block characters\n"
	       "  --top N                 -b: rows of the process and cgroup lists (default 20,\n"
	       "                          0 for all)\n"
	       "  -k, --kibi  -m, --mebi  -g, --gibi  -h, --human  --bytes\n"
	       "                          -b: sizes in 1K (default), 1M, 1G blocks, human, bytes\n"
	       "\n"
	       "Replay:\n"
	       "  --device NAME=PATH      the trace's device NAME is the real, inactive swap\n"
	       "                          area PATH (page I/O, every read verified)\n"
	       "  --alloc blist|extent    the allocator of every device\n"
	       "  --cluster PAGES         the largest page-out of every device (1 to 1024)\n"
	       "  --ram PAGES             the simulated RAM, whatever the trace says\n"
	       "  --speed EVENTS          events per second on the screen (default 1000;\n"
	       "                          0: as fast as it goes)\n"
	       "  --paused                start paused (t steps one event, T one tick)\n"
	       "\n"
	       "  --help, --version\n"
	       "\n"
	       "Keys: q quit, h help, Space pause, < > sort, / filter, a p c panes,\n"
	       "+ - refresh interval or replay speed, t T step a replay.  See swaptop(1).\n",
	       program_name);
}

static double parse_double(const char *opt, const char *s, double min, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || isnan(v) || v < min || v > max)
		cmd_usage_error("%s: '%s' is not a number from %g to %g", opt, s, min, max);
	return v;
}

static long parse_long(const char *opt, const char *s, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min)
		cmd_usage_error("%s: '%s' is not a whole number from %ld", opt, s, min);
	return v;
}

int main(int argc, char **argv)
{
	enum { OPT_MONO = 256, OPT_ASCII, OPT_THRESHOLD, OPT_PANE, OPT_SMAPS, OPT_TOP, OPT_BYTES,
	       OPT_DEVICE, OPT_ALLOC, OPT_CLUSTER, OPT_RAM, OPT_SPEED, OPT_PAUSED, OPT_HELP, OPT_VERSION,
	       OPT_ALLPROCS, OPT_AREA };
	static const struct option longopts[] = {
		{ "batch", no_argument, NULL, 'b' },
		{ "all-processes", no_argument, NULL, OPT_ALLPROCS },
		{ "area", required_argument, NULL, OPT_AREA },
		UNITS_LONGOPTS,
		{ "delay", required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "replay", no_argument, NULL, 'r' },
		{ "mono", no_argument, NULL, OPT_MONO },
		{ "ascii", no_argument, NULL, OPT_ASCII },
		{ "threshold", required_argument, NULL, OPT_THRESHOLD },
		{ "pane", required_argument, NULL, OPT_PANE },
		{ "smaps-budget", required_argument, NULL, OPT_SMAPS },
		{ "top", required_argument, NULL, OPT_TOP },
		{ "bytes", no_argument, NULL, OPT_BYTES },
		{ "device", required_argument, NULL, OPT_DEVICE },
		{ "alloc", required_argument, NULL, OPT_ALLOC },
		{ "cluster", required_argument, NULL, OPT_CLUSTER },
		{ "ram", required_argument, NULL, OPT_RAM },
		{ "speed", required_argument, NULL, OPT_SPEED },
		{ "paused", no_argument, NULL, OPT_PAUSED },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("SWAPTOP_THRESHOLDS"), *delay_arg = NULL;
	bool top_given = false, speed_given = false, pane_given = false, engine_opts = false;
	struct swapctl_ctx *ctx;
	struct opts o;
	char err[256];
	int c, unit = 0, rc;

	cmd_init(argv[0]);
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");     /* batch numbers are for machines */
	memset(&o, 0, sizeof(o));
	o.delay = 1;
	o.count = -1;
	o.speed = 1000;
	o.top = 20;
	o.smaps_budget = 0.020;
	o.pane = PANE_PROCS;
	o.rp.alloc = -1;
	thresholds_default(o.th);
	if (env && *env && thresholds_parse(o.th, env, err, sizeof(err)) < 0)
		cmd_usage_error("SWAPTOP_THRESHOLDS: %s", err);
	units_init(&o.units, 1024);

	while ((c = getopt_long(argc, argv, "bd:n:rkmgh", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			o.batch = true;
			break;
		case 'd':
			delay_arg = optarg;
			break;
		case 'n':
			o.count = parse_long("-n", optarg, 1);
			break;
		case 'r':
			o.replay = true;
			break;
		case OPT_MONO:
			o.mono = true;
			break;
		case OPT_ASCII:
			o.ascii = true;
			break;
		case OPT_THRESHOLD:
			if (thresholds_parse(o.th, optarg, err, sizeof(err)) < 0)
				cmd_usage_error("--threshold: %s", err);
			break;
		case OPT_PANE:
			if (!strcmp(optarg, "areas"))
				o.pane = PANE_AREAS;
			else if (!strcmp(optarg, "processes"))
				o.pane = PANE_PROCS;
			else if (!strcmp(optarg, "cgroups"))
				o.pane = PANE_CGROUPS;
			else
				cmd_usage_error("--pane: '%s' is not areas, processes or cgroups", optarg);
			pane_given = true;
			break;
		case OPT_SMAPS:
			o.smaps_budget = parse_double("--smaps-budget", optarg, 0, 60000) / 1000;
			break;
		case OPT_TOP:
			o.top = (size_t)parse_long("--top", optarg, 0);
			top_given = true;
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
		case OPT_DEVICE:
			replay_opt_device(&o.rp, optarg);
			engine_opts = true;
			break;
		case OPT_ALLOC:
			replay_opt_alloc(&o.rp, optarg);
			engine_opts = true;
			break;
		case OPT_CLUSTER:
			replay_opt_cluster(&o.rp, optarg);
			engine_opts = true;
			break;
		case OPT_RAM:
			replay_opt_ram(&o.rp, optarg);
			engine_opts = true;
			break;
		case OPT_SPEED:
			o.speed = parse_double("--speed", optarg, 0, 1e9);
			speed_given = true;
			break;
		case OPT_PAUSED:
			o.paused = true;
			break;
		case OPT_ALLPROCS:
			o.all_procs = true;
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
	if (optind < argc) {
		if (!o.replay)
			cmd_usage_error("unexpected argument '%s' (a TRACE goes with -r)", argv[optind]);
		o.rp.trace = argv[optind++];
		if (optind < argc)
			cmd_usage_error("unexpected argument '%s' (one TRACE at most)", argv[optind]);
	}
	if (!o.replay && (engine_opts || speed_given || o.paused))
		cmd_usage_error("--device, --alloc, --cluster, --ram, --speed and --paused go with -r");
	if (o.replay && pane_given)
		cmd_usage_error("--pane goes with live mode");
	if (o.replay && o.all_procs)
		cmd_usage_error("--all-processes goes with live mode");
	if (o.replay && o.area)
		cmd_usage_error("--area goes with live mode");
	/* top's habit: -h alone asks for help, which is --help here */
	if (!o.batch && unit == 'h' && argc == 2)
		cmd_usage_error("-h (human-readable sizes) goes with -b; for help: --help");
	if (!o.batch && (top_given || unit))
		cmd_usage_error("--top, -k, -m, -g, -h and --bytes go with -b");
	if (o.batch && (o.paused || speed_given))
		cmd_usage_error("--paused and --speed go with the screen, not -b");
	if (delay_arg) {
		if (o.replay && o.batch)
			o.delay = (double)parse_long("-d", delay_arg, 1);
		else if (o.replay)
			cmd_usage_error("-d: the replay's pace is --speed (with -b, -d counts ticks)");
		else
			o.delay = parse_double("-d", delay_arg, 0.1, 3600);
		o.delay_given = true;
	}
	if (unit)
		units_set(&o.units, unit);

	ctx = cmd_ctx();
	if (o.batch)
		rc = o.replay ? batch_replay(ctx, &o) : batch_live(ctx, &o);
	else
		rc = ui_run(ctx, &o);
	swapctl_unref(ctx);
	return rc;
}
