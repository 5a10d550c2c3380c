/*
 * The reference for swaptop's replay totals: replay a whole trace with
 * swapctl_trace_replay() (no stepping, no display) and print the engine's
 * figures in the "key value" form swaptop -b -r ends with.  The test
 * compares the two, so swaptop's event-by-event driver must reach exactly
 * the state a plain replay reaches.
 *
 *   swaptop-totals TRACE [blist|extent]
 *   swaptop-totals -w SPEC [blist|extent]     a generated workload
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "libswapctl.h"

static void list(const char *prefix, const char *key, const uint64_t *v, size_t n)
{
	size_t i;

	printf("%s%s", prefix, key);
	for (i = 0; i < n; i++)
		printf(" %llu", (unsigned long long)v[i]);
	printf("\n");
}

static void print_totals(struct swapctl_engine *e)
{
	struct swapctl_engine_stats s;
	size_t i, n = swapctl_engine_ndevs(e);

	swapctl_engine_stats(e, &s);
#define P(f) printf("%s %llu\n", #f, (unsigned long long)s.f)
	P(events); P(clock); P(ram_pages); P(resident); P(dirty); P(objects); P(reserved);
	P(reserve_failures); P(faults); P(zero_fills); P(pageins); P(pageouts); P(clean_drops);
	P(readaround_hits); P(swapoffs); P(swapoff_failures); P(lost_pages); P(low_water_warnings);
	P(pageout_failures); P(fault_failures); P(failures); P(warnings);
	P(slots_usable); P(slots_used); P(slots_bad); P(swapped_pages); P(map_bytes);
	P(engine_bytes); P(alloc_bytes);
#undef P
	for (i = 0; i < n; i++) {
		struct swapctl_devstats d;
		char p[48];

		if (swapctl_engine_devstats(e, i, &d) < 0)
			continue;
		snprintf(p, sizeof(p), "dev.%zu.", i);
		printf("%sname %s\n%spath %s\n", p, d.name, p, d.path[0] ? d.path : "-");
		printf("%sprio %d\n%salloc %s\n%scluster %u\n%sremoved %d\n", p, d.prio, p,
		       swapctl_allocator_name(d.alloc), p, d.cluster, p, d.removed ? 1 : 0);
#define D(f) printf("%s%s %llu\n", p, #f, (unsigned long long)d.f)
		D(pages); D(usable); D(used); D(free); D(bad); D(alloc_failures); D(pageouts);
		D(pageins); D(writes); D(reads);
		list(p, "out_hist", d.out_hist, SWAPCTL_HIST_BUCKETS);
		list(p, "in_hist", d.in_hist, SWAPCTL_HIST_BUCKETS);
		D(readaround); D(readaround_hits); D(write_errors); D(read_errors); D(verify_errors);
		D(lost); D(io_bytes);
#undef D
		printf("%sfree_runs.runs %llu\n", p, (unsigned long long)d.runs.runs);
		printf("%sfree_runs.largest %llu\n", p, (unsigned long long)d.runs.largest);
		list(p, "free_runs.hist", d.runs.hist, SWAPCTL_FREESTATS_BUCKETS);
	}
	for (i = 0; i < swapctl_engine_nlost(e); i++) {
		const struct swapctl_lost *l = swapctl_engine_lost(e, i);

		printf("lost %s %llu %s\n", l->obj, (unsigned long long)l->index, l->dev);
	}
}

int main(int argc, char **argv)
{
	struct swapctl_engine_opts eo;
	struct swapctl_engine *e;
	struct swapctl_ctx *ctx;
	const char *name;
	int a = 1, r;
	FILE *f;

	if (argc < 2 || (!strcmp(argv[1], "-w") && argc < 3)) {
		fprintf(stderr, "usage: swaptop-totals TRACE|-w SPEC [blist|extent]\n");
		return 2;
	}
	if (swapctl_new(&ctx) < 0)
		return 2;
	memset(&eo, 0, sizeof(eo));
	if (!strcmp(argv[1], "-w")) {
		name = argv[2];
		f = tmpfile();
		if (!f || swapctl_workload_write(ctx, name, f) < 0 || fseek(f, 0, SEEK_SET) < 0) {
			fprintf(stderr, "swaptop-totals: %s: %s\n", name, swapctl_errmsg(ctx));
			return 2;
		}
		a = 3;
	} else {
		name = argv[1];
		f = fopen(name, "r");
		if (!f) {
			fprintf(stderr, "swaptop-totals: %s: %s\n", name, strerror(errno));
			return 2;
		}
		a = 2;
	}
	if (a < argc) {
		eo.alloc = !strcmp(argv[a], "extent") ? SWAPCTL_ALLOC_EXTENT : SWAPCTL_ALLOC_BLIST;
		eo.force_alloc = true;
	}
	if (swapctl_engine_new(ctx, &eo, &e) < 0) {
		fprintf(stderr, "swaptop-totals: %s\n", swapctl_errmsg(ctx));
		return 2;
	}
	r = swapctl_trace_replay(ctx, f, name, e);
	if (r < 0) {
		fprintf(stderr, "swaptop-totals: %s\n", swapctl_errmsg(ctx));
		return 1;
	}
	print_totals(e);
	swapctl_engine_free(e);
	fclose(f);
	swapctl_unref(ctx);
	return 0;
}
