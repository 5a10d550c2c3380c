/*
 * swapctl: BSD-style control of Linux swap.  This file parses the command
 * line and dispatches; the work is in libswapctl.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "swapctl.h"

static void usage(void)
{
	printf("Usage:\n"
	       "  %1$s -F [-L label] [-u UUID|clear|random|time] [-P pagesize]\n"
	       "          [-e native|little|big] [-S size] [-f] [-n] PATH\n"
	       "                       format PATH as a swap area\n"
	       "  %1$s -V [--json] PATH...   verify swap areas\n"
	       "  %1$s -c [-L label] [-u UUID|clear|random|time] PATH\n"
	       "                       change the label or UUID of an area\n"
	       "\n"
	       "Options:\n"
	       "  -L label     volume label, at most 15 bytes\n"
	       "  -u uuid      UUID: a UUID, clear, random (default) or time\n"
	       "  -P size      page size of the header (default: the kernel's)\n"
	       "  -e order     byte order of the header: native, little, big\n"
	       "  -S size      create or resize PATH as a regular file of this size\n"
	       "  -f           overwrite signatures found on PATH (wiped with libblkid)\n"
	       "  -n           only say what would be done\n"
	       "  --json       JSON output\n"
	       "  --help       this help\n"
	       "  --version    the version\n"
	       "\n"
	       "See swapctl(8) for the exit codes.\n", program_name);
}

static void set_mode(struct opts *o, int m)
{
	if (o->mode && o->mode != m)
		cmd_usage_error("-%c and -%c cannot be used together", o->mode, m);
	o->mode = m;
}

int main(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_HELP, OPT_VERSION };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { 0 };
	struct swapctl_ctx *ctx;
	uint64_t v;
	int c, rc;

	cmd_init(argv[0]);
	while ((c = getopt_long(argc, argv, "FVcL:u:P:e:S:p:fn", longopts, NULL)) != -1) {
		switch (c) {
		case 'F':
		case 'V':
		case 'c':
			set_mode(&o, c);
			break;
		case 'L':
			if (strlen(optarg) > SWAPCTL_LABEL_MAX)
				cmd_usage_error("-L: label '%s' is %zu bytes long; at most %d fit",
						optarg, strlen(optarg), SWAPCTL_LABEL_MAX);
			o.label = optarg;
			break;
		case 'u':
			o.uuid = optarg;
			break;
		case 'P':
			if (swapctl_parse_size(optarg, &v) < 0 || v < SWAPCTL_PAGESIZE_MIN ||
			    v > SWAPCTL_PAGESIZE_MAX || (v & (v - 1)))
				cmd_usage_error("-P: page size '%s' must be a power of two from %d to %d",
						optarg, SWAPCTL_PAGESIZE_MIN, SWAPCTL_PAGESIZE_MAX);
			o.pagesize = (unsigned)v;
			break;
		case 'e':
			if (!strcmp(optarg, "native"))
				o.endian = SWAPCTL_ENDIAN_NATIVE;
			else if (!strcmp(optarg, "little"))
				o.endian = SWAPCTL_ENDIAN_LITTLE;
			else if (!strcmp(optarg, "big"))
				o.endian = SWAPCTL_ENDIAN_BIG;
			else
				cmd_usage_error("-e: byte order '%s' is not native, little or big", optarg);
			break;
		case 'S':
			if (swapctl_parse_size(optarg, &v) < 0 || v == 0)
				cmd_usage_error("-S: '%s' is not a size (examples: 1G, 512MiB, 65536)", optarg);
			o.size = v;
			break;
		case 'p': {
			char *end;
			long p = strtol(optarg, &end, 10);

			if (!*optarg || *end || p < 0 || p > 32767)
				cmd_usage_error("-p: priority '%s' is not a number from 0 to 32767", optarg);
			o.prio = (int)p;
			o.have_prio = true;
			break;
		}
		case 'f':
			o.force = true;
			break;
		case 'n':
			o.dry_run = true;
			break;
		case OPT_JSON:
			o.json = true;
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
	if (!o.mode)
		cmd_usage_error("no command given (one of -F -V -c)");

	ctx = cmd_ctx();
	switch (o.mode) {
	case 'F':
		rc = cmd_format(ctx, &o, argv + optind, argc - optind);
		break;
	case 'V':
		rc = cmd_verify(ctx, &o, argv + optind, argc - optind);
		break;
	default:
		rc = cmd_change(ctx, &o, argv + optind, argc - optind);
		break;
	}
	swapctl_unref(ctx);
	return rc;
}
