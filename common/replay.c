/* Engine replays from command-line options, shared by swapinfo and swaptop. */
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "replay.h"

/* The generated default trace lives here until replay_close. */
static char *default_text;

void replay_opt_alloc(struct replay_opts *r, const char *arg)
{
	if (!strcmp(arg, "blist"))
		r->alloc = SWAPCTL_ALLOC_BLIST;
	else if (!strcmp(arg, "extent"))
		r->alloc = SWAPCTL_ALLOC_EXTENT;
	else
		cmd_usage_error("--alloc: '%s' is not blist or extent", arg);
}

void replay_opt_cluster(struct replay_opts *r, const char *arg)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (!*arg || *end || v < 1 || v > 1024)
		cmd_usage_error("--cluster: '%s' is not a number of pages from 1 to 1024", arg);
	r->cluster = (unsigned)v;
}

void replay_opt_ram(struct replay_opts *r, const char *arg)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 10);

	if (!*arg || *end || v < 1 || v > (1ull << 24))
		cmd_usage_error("--ram: '%s' is not a number of pages from 1 to 16777216", arg);
	r->ram = v;
}

void replay_opt_device(struct replay_opts *r, const char *arg)
{
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg || !eq[1])
		cmd_usage_error("--device: '%s' is not NAME=PATH", arg);
	if (r->ndevmap == (int)(sizeof(r->devmap) / sizeof(r->devmap[0])))
		cmd_usage_error("--device: at most 64 devices");
	r->devmap[r->ndevmap++] = arg;
}

int replay_setup(struct swapctl_ctx *ctx, const struct replay_opts *r, struct swapctl_engine **e,
		 FILE **trace, char *name, size_t size)
{
	struct swapctl_engine_opts o = { .seed = r->seed };
	char *text = NULL;
	size_t len = 0;
	int i, rc;

	if (r->alloc >= 0) {
		o.alloc = (enum swapctl_allocator)r->alloc;
		o.force_alloc = true;
	}
	if (r->cluster) {
		o.cluster = r->cluster;
		o.force_cluster = true;
	}
	if (r->ram) {
		o.ram_pages = r->ram;
		o.force_ram = true;
	}
	rc = swapctl_engine_new(ctx, &o, e);
	if (rc < 0)
		return cmd_lib_error(ctx, rc);
	for (i = 0; i < r->ndevmap; i++) {
		char dev[64];
		const char *eq = strchr(r->devmap[i], '=');

		snprintf(dev, sizeof(dev), "%.*s", (int)(eq - r->devmap[i]), r->devmap[i]);
		if (swapctl_engine_map_device(*e, dev, eq + 1) < 0) {
			swapctl_engine_free(*e);
			cmd_error("out of memory");
			return EXIT_SYSERR;
		}
	}
	if (!r->trace) {
		FILE *f = open_memstream(&text, &len);

		rc = f ? swapctl_workload_write(ctx, REPLAY_DEFAULT_WORKLOAD, f) : -1;
		if (f)
			fclose(f);
		if (rc < 0) {
			swapctl_engine_free(*e);
			free(text);
			return f ? cmd_lib_error(ctx, rc) : EXIT_SYSERR;
		}
		/* the text stays until replay_close: fmemopen does not copy it */
		default_text = text;
		*trace = fmemopen(text, len, "r");
		snprintf(name, size, "default workload");
		if (*trace) {
			setvbuf(*trace, NULL, _IOFBF, 1 << 16);
			return 0;
		}
		free(text);
		default_text = NULL;
	} else if (!strcmp(r->trace, "-")) {
		*trace = stdin;
		snprintf(name, size, "stdin");
		return 0;
	} else {
		*trace = fopen(r->trace, "re");
		snprintf(name, size, "%s", r->trace);
		if (*trace)
			return 0;
	}
	swapctl_engine_free(*e);
	cmd_error("%s: %m", r->trace ? r->trace : "default workload");
	return EXIT_SYSERR;
}

void replay_close(FILE *trace)
{
	if (trace && trace != stdin)
		fclose(trace);
	free(default_text);
	default_text = NULL;
}

void replay_print_events(struct swapctl_engine *e, const char *name)
{
	struct swapctl_engine_stats st;
	size_t i, n = swapctl_engine_nevents(e);
	uint64_t total;

	for (i = 0; i < n && i < REPLAY_EVENT_LINES; i++) {
		const struct swapctl_event *v = swapctl_engine_event(e, i);
		char where[4200];

		if (v->line)
			snprintf(where, sizeof(where), "%s:%llu: %s", name, (unsigned long long)v->line, v->text);
		else
			snprintf(where, sizeof(where), "%s", name);
		if (v->dev[0])
			cmd_error("%s: device %s: %s", where, v->dev, v->reason);
		else
			cmd_error("%s: %s", where, v->reason);
	}
	swapctl_engine_stats(e, &st);
	total = st.failures + st.warnings;
	if (total > i)
		cmd_error("%s: %llu more events not shown (%llu failures and %llu warnings in all)", name,
			 (unsigned long long)(total - i), (unsigned long long)st.failures,
			 (unsigned long long)st.warnings);
}

int replay_status(struct swapctl_engine *e)
{
	struct swapctl_engine_stats st;

	swapctl_engine_stats(e, &st);
	return st.failures ? EXIT_REPLAY_FAILED : EXIT_OK;
}
