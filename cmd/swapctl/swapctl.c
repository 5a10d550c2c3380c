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
	       "  %1$s -a [-f] [-n] [-p prio] [-o discard[=once|pages]] PATH...   activate\n"
	       "  %1$s -d [-f] [-n] PATH...                deactivate\n"
	       "  %1$s -c [-f] [-n] [-p prio] [-L label] [-u uuid] PATH   change priority, label, UUID\n"
	       "  %1$s -A [-f] [-n] [-p prio] [-t blk|noblk] [--fstab FILE]   activate fstab's swap\n"
	       "  %1$s -U [-f] [-n] [-t blk|noblk] [--fstab FILE]   deactivate fstab's swap\n"
	       "  %1$s -l [-k|-m|-g|-h|--bytes] [-p prio] [-o COLUMNS] [--json|--raw]   list\n"
	       "  %1$s -s [-k|-m|-g|-h|--bytes] [-p prio] [--json]   summary\n"
	       "  %1$s -q [--fstab FILE]                   does fstab define swap?\n"
	       "  %1$s -F [-f] [-n] [-q] [-L label] [-u UUID|clear|random|time] [-P pagesize]\n"
	       "          [-e native|little|big] [-S size] [--offset bytes] PATH   format\n"
	       "  %1$s -V [-q] [--json] [--offset bytes] PATH...   verify\n"
	       "  %1$s -V --scan [--record] PATH           write and read back every page\n"
	       "\n"
	       "Commands:\n"
	       "  -a, --add            -d, --delete         -c, --change\n"
	       "  -A, --add-all        -U, --delete-all     -q, --query\n"
	       "  -l, --list           -s, --summary\n"
	       "  -F, --format         -V, --verify         --scan, --record\n"
	       "\n"
	       "Options:\n"
	       "  -p, --priority PRIO   priority 0..32767 (higher is used first);\n"
	       "                        with -l/-s: only that one\n"
	       "  -f, --force           skip the safety check that refused (see swapctl(8))\n"
	       "  -n, --dry-run         only say what would be done; change nothing\n"
	       "  -o, --options LIST    with -a: discard[=once|pages], pri=N\n"
	       "  -o, --output COLUMNS  with -l: the columns; +COLUMNS adds to the defaults\n"
	       "  -t, --type TYPE       with -A/-U: only block devices (blk) or only files (noblk)\n"
	       "  -k, --kibi  -m, --mebi  -g, --gibi  -h, --human\n"
	       "                        KiB, MiB, GiB or human-readable units\n"
	       "                        (default: $BLOCKSIZE or 512)\n"
	       "  -L, --label LABEL     volume label, at most 15 bytes\n"
	       "  -u, --uuid UUID       a UUID, clear, random or time\n"
	       "  -P, --pagesize SIZE   page size of the header (default: the kernel's)\n"
	       "  -e, --endianness ORDER  byte order of the header: native, little, big\n"
	       "  -S, --size SIZE       create or resize PATH as a regular file of this size\n"
	       "  --offset BYTES        with -F, -V: the header this far into PATH, a multiple\n"
	       "                        of the page size (the kernel cannot activate it there)\n"
	       "  -q, --quiet           with -F, -V, -c: print nothing but errors\n"
	       "                        (alone, -q is --query)\n"
	       "  -v, --verbose         say more\n"
	       "  --fstab FILE          read FILE instead of /etc/fstab\n"
	       "  --json --raw --noheadings --bytes   output formats\n"
	       "  --help --version\n", program_name);
	swapctl_list_help();
	printf("\nWithout a command, swapctl lists (-l).  See swapctl(8) for the exit codes.\n");
}

static void set_mode(struct opts *o, int m)
{
	if (o->mode && o->mode != m)
		cmd_usage_error("-%c and -%c cannot be used together", o->mode, m);
	o->mode = m;
}

/* Digits only: " 5", "+5" and "-0" are refused, not read as 5 or 0. */
static int parse_prio(const char *s)
{
	long p;

	if (cmd_parse_int(s, 0, 32767, &p) < 0)
		cmd_usage_error("-p: priority '%s' is not a number from 0 to 32767", s);
	return (int)p;
}

/*
 * --offset: where -F writes a header and -V looks for one.  Page-aligned,
 * so the area is whole pages of PATH, as whatever exposes it to the kernel
 * later (a partition, losetup --offset) sees it; -F: pages of the header's
 * size, -V: of the smallest (the header tells its own).  mkswap takes any
 * byte offset.
 */
static void check_offset(const struct opts *o)
{
	unsigned ps = o->mode == 'F' ? (o->pagesize ? o->pagesize : swapctl_kernel_pagesize())
				     : SWAPCTL_PAGESIZE_MIN;

	if (!o->have_offset)
		return;
	if (o->mode != 'F' && o->mode != 'V')
		cmd_usage_error("--offset goes with -F or -V: the kernel cannot activate an area "
				"at an offset");
	if (o->scan)
		cmd_usage_error("--offset does not go with --scan, which tests a whole area");
	if (o->offset % ps)
		cmd_usage_error("--offset: %llu is not a multiple of the page size, %u",
				(unsigned long long)o->offset, ps);
}

int main(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_RAW, OPT_NOHEAD, OPT_BYTES, OPT_FSTAB, OPT_HELP, OPT_VERSION,
	       OPT_SCAN, OPT_RECORD, OPT_QUIET, OPT_OFFSET };
	static const struct option longopts[] = {
		{ "add", no_argument, NULL, 'a' },
		{ "delete", no_argument, NULL, 'd' },
		{ "change", no_argument, NULL, 'c' },
		{ "add-all", no_argument, NULL, 'A' },
		{ "delete-all", no_argument, NULL, 'U' },
		{ "list", no_argument, NULL, 'l' },
		{ "summary", no_argument, NULL, 's' },
		{ "query", no_argument, NULL, 'Q' },
		{ "format", no_argument, NULL, 'F' },
		{ "verify", no_argument, NULL, 'V' },
		{ "priority", required_argument, NULL, 'p' },
		{ "force", no_argument, NULL, 'f' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "options", required_argument, NULL, 'o' },
		{ "output", required_argument, NULL, 'o' },
		{ "type", required_argument, NULL, 't' },
		UNITS_LONGOPTS,
		{ "label", required_argument, NULL, 'L' },
		{ "uuid", required_argument, NULL, 'u' },
		{ "pagesize", required_argument, NULL, 'P' },
		{ "endianness", required_argument, NULL, 'e' },
		{ "size", required_argument, NULL, 'S' },
		{ "offset", required_argument, NULL, OPT_OFFSET },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "raw", no_argument, NULL, OPT_RAW },
		{ "noheadings", no_argument, NULL, OPT_NOHEAD },
		{ "bytes", no_argument, NULL, OPT_BYTES },
		{ "fstab", required_argument, NULL, OPT_FSTAB },
		{ "scan", no_argument, NULL, OPT_SCAN },
		{ "record", no_argument, NULL, OPT_RECORD },
		{ "help", no_argument, NULL, OPT_HELP },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { 0 };
	struct swapctl_ctx *ctx;
	const char *oarg = NULL;
	uint64_t v;
	int c, rc, unitflag = 0, short_q = 0;

	cmd_init(argv[0]);
	while ((c = getopt_long(argc, argv, "FVcadlsAUqL:u:P:e:S:p:fno:t:kmghv", longopts, NULL)) != -1) {
		switch (c) {
		case 'F': case 'V': case 'c': case 'a': case 'd':
		case 'l': case 's': case 'A': case 'U':
			set_mode(&o, c);
			break;
		case 'Q':
			set_mode(&o, 'q');
			break;
		case 'q':
			/* NetBSD's query alone; mkswap's quiet beside a command */
			short_q = 1;
			break;
		case OPT_QUIET:
			o.quiet = true;
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
		case OPT_OFFSET:
			if (swapctl_parse_size(optarg, &v) < 0)
				cmd_usage_error("--offset: '%s' is not a number of bytes (examples: 1MiB, 65536)",
						optarg);
			o.offset = v;
			o.have_offset = true;
			break;
		case 'p':
			o.prio = parse_prio(optarg);
			o.have_prio = true;
			break;
		case 'f':
			o.force = true;
			break;
		case 'n':
			o.dry_run = true;
			break;
		case 'o':
			oarg = optarg;
			break;
		case 't':
			if (strcmp(optarg, "blk") && strcmp(optarg, "noblk"))
				cmd_usage_error("-t: '%s' is not blk or noblk", optarg);
			o.type = optarg;
			break;
		case 'k': case 'm': case 'g': case 'h':
			unitflag = c;
			break;
		case 'v':
			o.verbose = true;
			break;
		case OPT_JSON:
			o.json = o.out.json = true;
			break;
		case OPT_RAW:
			o.out.raw = true;
			break;
		case OPT_NOHEAD:
			o.out.noheadings = true;
			break;
		case OPT_BYTES:
			unitflag = 'b';
			break;
		case OPT_FSTAB:
			o.fstab = optarg;
			break;
		case OPT_SCAN:
			o.scan = true;
			break;
		case OPT_RECORD:
			o.record = true;
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
	if (short_q) {
		if (o.mode)
			o.quiet = true;
		else
			o.mode = 'q';
	}
	if (!o.mode) {
		if (optind < argc)
			cmd_usage_error("no command given for '%s' (one of -a -d -c -A -U -l -s -q -F -V)",
					argv[optind]);
		o.mode = 'l';   /* as OpenBSD: no command lists */
	}
	if (o.quiet && !strchr("FVc", o.mode))
		cmd_usage_error("--quiet goes with -F, -V or -c; -q alone is --query");
	/* -o names columns for a listing and swap options for activation */
	if (oarg) {
		if (o.mode == 'l')
			o.out.columns = oarg;
		else if (o.mode == 'a')
			o.swapopts = oarg;
		else
			cmd_usage_error("-o goes with -a (swap options) or -l (columns)");
	}
	if ((o.scan || o.record) && o.mode != 'V')
		cmd_usage_error("--scan and --record go with -V");
	if (o.record && !o.scan)
		cmd_usage_error("--record needs --scan");
	check_offset(&o);
	if (o.type && o.mode != 'A' && o.mode != 'U')
		cmd_usage_error("-t goes with -A or -U");
	if (o.have_prio && !strchr("acAls", o.mode))
		cmd_usage_error("-p goes with -a, -c, -A, -l or -s%s",
				o.mode == 'F' ? " (the page size of -F is -P)" : "");
	if (o.mode == 'c' && (o.pagesize || o.size))
		cmd_usage_error("-P and -S go with -F");
	if (strchr("lsAUq", o.mode) && optind < argc)
		cmd_usage_error("-%c takes no PATH", o.mode);
	units_init(&o.units, 512);
	if (unitflag)
		units_set(&o.units, unitflag);
	if (o.out.json)
		units_set(&o.units, 'b');       /* JSON sizes are numbers in bytes */

	ctx = cmd_ctx();
	switch (o.mode) {
	case 'F':
		rc = cmd_format(ctx, &o, argv + optind, argc - optind);
		break;
	case 'V':
		rc = cmd_verify(ctx, &o, argv + optind, argc - optind);
		break;
	case 'c':
		rc = cmd_change(ctx, &o, argv + optind, argc - optind);
		break;
	case 'a':
		rc = cmd_add(ctx, &o, argv + optind, argc - optind);
		break;
	case 'd':
		rc = cmd_delete(ctx, &o, argv + optind, argc - optind);
		break;
	case 'A':
		rc = cmd_add_all(ctx, &o);
		break;
	case 'U':
		rc = cmd_remove_all(ctx, &o);
		break;
	case 's':
		rc = cmd_summary(ctx, &o);
		break;
	case 'q':
		rc = cmd_query(ctx, &o);
		break;
	default:
		rc = cmd_list(ctx, &o);
		break;
	}
	swapctl_unref(ctx);
	return rc;
}
