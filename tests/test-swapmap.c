/*
 * The swap map: placing swap types on areas (swaptype_infer), and whole
 * reads of recorded trees: the non-root and no-swap fixtures, and trees
 * this test writes (pagemap is binary) for exact and inferred placements,
 * shared slots and the offset histogram.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"
#include "tap.h"

#define SW (1ull << 62)
#define E(type, off) (SW | ((uint64_t)(off) << 5) | (type))

static int use_root(struct swapctl_ctx *ctx, const char *dir)
{
	char abs[PATH_MAX];

	if (!realpath(dir, abs) || swapctl_set_sysroot(ctx, abs) < 0) {
		printf("not ok - sysroot %s cannot be used\n", dir);
		exit(1);
	}
	return 0;
}

static void fixture(struct swapctl_ctx *ctx, const char *name)
{
	const char *srcdir = getenv("srcdir");
	char rel[4096];

	snprintf(rel, sizeof(rel), "%s/tests/fixtures/sysroot/%s", srcdir ? srcdir : ".", name);
	use_root(ctx, rel);
}

static void test_infer(void)
{
	struct swaptype_result r;
	struct swaptype_area two[2] = { { 100, 10 }, { 100, 5 } };
	struct swaptype_seen both[2] = { { 0, 50, 10 }, { 1, 20, 5 } };
	struct swaptype_area same[2] = { { 100, 10 }, { 100, 10 } };
	struct swaptype_seen high[1] = { { 2, 50, 10 } };
	struct swaptype_area small_first[2] = { { 10, 10 }, { 100, 10 } };
	struct swaptype_area empty_first[2] = { { 100, 0 }, { 100, 10 } };
	struct swaptype_seen gap[2] = { { 0, 5, 3 }, { 3, 60, 10 } };
	struct swaptype_area three[3] = { { 100, 3 }, { 100, 10 }, { 100, 10 } };
	struct swaptype_area raced[1] = { { 100, 2 } };

	CHECK(swaptype_infer(two, 2, both, 2, &r) == 0 && r.area[0] == 0 && r.area[1] == 1 &&
	      r.exact[0] && r.exact[1] && r.placements == 1, "two types, two areas: in list order, exact");
	CHECK(swaptype_infer(same, 2, high, 1, &r) == 0 && !r.exact[0] && r.maybe[0] == 3 && r.area[0] == 1 &&
	      r.placements == 2, "type 2 on either of two alike areas: inferred, fewest gaps chosen (area 1)");
	CHECK(swaptype_infer(small_first, 2, high, 1, &r) == 0 && r.exact[0] && r.area[0] == 1,
	      "offsets beyond the first area's size: the second, exact");
	CHECK(swaptype_infer(empty_first, 2, high, 1, &r) == 0 && r.exact[0] && r.area[0] == 1,
	      "more pages than the first area's Used: the second, exact");
	CHECK(swaptype_infer(three, 3, gap, 2, &r) == 0 && r.area[0] == 0 && r.area[1] == 2 && r.exact[0] &&
	      !r.exact[1] && r.maybe[1] == 6, "types 0 and 3 on three areas: 0 exact, 3 on area 1 or 2 (inferred: 2, fewest gaps)");
	CHECK(swaptype_infer(raced, 1, high, 1, &r) == 0 && r.used_ignored && r.area[0] == 0,
	      "Used below the pages seen (they moved): offsets alone place it, and it says so");
	CHECK(swaptype_infer(small_first, 1, high, 1, &r) == -ESRCH && r.area[0] == -1,
	      "offsets beyond every area: no placement");
	CHECK(swaptype_infer(two, 2, NULL, 0, &r) == 0, "nothing seen: nothing to place");
}

static void test_noroot(struct swapctl_ctx *ctx)
{
	struct swapctl_swapmap *m = NULL;
	const struct swapctl_mapproc *p;
	const struct swapctl_maparea *a;

	fixture(ctx, "pagemap-noroot");
	if (!CHECK(swapctl_swapmap_read(ctx, NULL, 0, &m) == 0, "pagemap-noroot: read (%s)", swapctl_errmsg(ctx)))
		return;
	a = swapctl_swapmap_area(m, 0);
	p = swapctl_swapmap_proc(m, 0);
	CHECK(swapctl_swapmap_nareas(m) == 1 && a->placement == SWAPCTL_PLACE_UNKNOWN && a->type == -1 &&
	      a->pages == SWAPCTL_UNKNOWN && a->unattributed == SWAPCTL_UNKNOWN,
	      "pagemap-noroot: the area's figures are unknown, never 0");
	CHECK(swapctl_swapmap_nprocs(m) == 1 && p && p->pid == 100 && p->swapped == 10 && p->hidden == 10,
	      "pagemap-noroot: only the process with VmSwap, its 10 swapped pages hidden");
	CHECK(swapctl_swapmap_pages(m, 0, 0) == SWAPCTL_UNKNOWN, "pagemap-noroot: its pages on the area: unknown");
	swapctl_swapmap_free(m);
}

static void test_noswap(struct swapctl_ctx *ctx)
{
	struct swapctl_swapmap *m = NULL;

	fixture(ctx, "pagemap-noswap");
	if (!CHECK(swapctl_swapmap_read(ctx, NULL, 0, &m) == 0, "pagemap-noswap: read"))
		return;
	CHECK(swapctl_swapmap_nareas(m) == 0 && swapctl_swapmap_nprocs(m) == 0 && swapctl_swapmap_unread(m) == 0,
	      "pagemap-noswap: no area, no process walked");
	swapctl_swapmap_free(m);
}

/* A tree: areas "NAME PAGES USEDPAGES" and processes with pagemap entries
 * for 16 pages at 0x10000. */
struct tproc {
	int pid;
	uint64_t e[16];
};

static void write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		printf("not ok - cannot write %s\n", path);
		exit(1);
	}
}

static void make_tree(const char *root, const char *swaps, const struct tproc *p, size_t n)
{
	char path[4096], text[512];
	size_t i;

	snprintf(path, sizeof(path), "%s/proc", root);
	mkdir(root, 0755);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proc/swaps", root);
	write_file(path, swaps, strlen(swaps));
	for (i = 0; i < n; i++) {
		uint64_t pm[0x30] = { 0 };
		unsigned k, nsw = 0;

		for (k = 0; k < 16; k++)
			nsw += (p[i].e[k] & SW) != 0;
		snprintf(path, sizeof(path), "%s/proc/%d", root, p[i].pid);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/proc/%d/status", root, p[i].pid);
		snprintf(text, sizeof(text), "Name:\tp%d\nUid:\t0\t0\t0\t0\nVmSize:\t 1000 kB\nVmRSS:\t 10 kB\nVmSwap:\t %u kB\n",
			 p[i].pid, nsw * 4);
		write_file(path, text, strlen(text));
		snprintf(path, sizeof(path), "%s/proc/%d/maps", root, p[i].pid);
		snprintf(text, sizeof(text), "00010000-00020000 rw-p 00000000 00:00 0 \n");
		write_file(path, text, strlen(text));
		memcpy(&pm[0x10], p[i].e, sizeof(p[i].e));
		snprintf(path, sizeof(path), "%s/proc/%d/pagemap", root, p[i].pid);
		write_file(path, pm, sizeof(pm));
	}
}

static void test_trees(struct swapctl_ctx *ctx)
{
	char dir[] = "/tmp/test-swapmap.XXXXXX", root[128], cmd[256];
	const char *hdr = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
	char swaps[1024];
	struct swapctl_swapmap *m = NULL;
	const struct swapctl_maparea *a0, *a1;
	uint64_t hsum = 0;
	size_t b;
	/* types 0 and 2 (1 was swapped off): two areas, so exact; pid 2
	 * shares offset 3 of type 0 with pid 1 (after a fork) */
	struct tproc exact[2] = {
		{ 1, { E(0, 1), E(0, 2), E(0, 3), E(2, 100), E(2, 1000) } },
		{ 2, { E(0, 3), E(2, 101) } },
	};
	/* one type, 5, and two areas that could both be it */
	struct tproc amb[1] = { { 1, { E(5, 1), E(5, 2) } } };

	if (swapctl_kernel_pagesize() != 4096 || !mkdtemp(dir)) {
		CHECK(swapctl_kernel_pagesize() != 4096, "trees: a temporary directory");
		return;
	}
	snprintf(root, sizeof(root), "%s/exact", dir);
	snprintf(swaps, sizeof(swaps), "%s/dev/vda partition\t1024\t\t16\t\t-2\n/dev/vdb partition\t8192\t\t12\t\t-3\n", hdr);
	make_tree(root, swaps, exact, 2);
	use_root(ctx, root);
	if (CHECK(swapctl_swapmap_read(ctx, NULL, 0, &m) == 0, "exact tree: read (%s)", swapctl_errmsg(ctx))) {
		a0 = swapctl_swapmap_area(m, 0);
		a1 = swapctl_swapmap_area(m, 1);
		CHECK(a0->placement == SWAPCTL_PLACE_EXACT && a0->type == 0 && a1->placement == SWAPCTL_PLACE_EXACT &&
		      a1->type == 2, "exact tree: types 0 and 2 (a gap) on the two areas, exact");
		CHECK(a0->pages == 3 && a1->pages == 3, "exact tree: distinct slots, a shared one counted once");
		CHECK(a0->unattributed == 4096 && a1->unattributed == 0 && a0->nprocs == 2,
		      "exact tree: unattributed = Used - attributed, per area");
		CHECK(swapctl_swapmap_proc(m, 0)->pid == 1 && swapctl_swapmap_pages(m, 0, 0) == 3 &&
		      swapctl_swapmap_pages(m, 0, 1) == 2 && swapctl_swapmap_pages(m, 1, 0) == 1 &&
		      swapctl_swapmap_pages(m, 1, 1) == 1, "exact tree: pages per process and area");
		for (b = 0; b < SWAPCTL_MAP_BUCKETS; b++)
			hsum += a1->hist[b];
		CHECK(hsum == 3 && a1->hist[100 * 64 / 2049] == 2 && a1->hist[1000 * 64 / 2049] == 1,
		      "exact tree: the histogram puts offsets along the area");
		swapctl_swapmap_free(m);
	}
	snprintf(root, sizeof(root), "%s/amb", dir);
	snprintf(swaps, sizeof(swaps), "%s/dev/vda partition\t1024\t\t8\t\t-2\n/dev/vdb partition\t1024\t\t8\t\t-3\n", hdr);
	make_tree(root, swaps, amb, 1);
	use_root(ctx, root);
	if (CHECK(swapctl_swapmap_read(ctx, NULL, 0, &m) == 0, "ambiguous tree: read")) {
		a0 = swapctl_swapmap_area(m, 0);
		a1 = swapctl_swapmap_area(m, 1);
		CHECK(a0->placement == SWAPCTL_PLACE_INFERRED && a1->placement == SWAPCTL_PLACE_INFERRED &&
		      a0->pages + a1->pages == 2, "ambiguous tree: both areas inferred, never exact");
		swapctl_swapmap_free(m);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
}

int main(void)
{
	struct swapctl_ctx *ctx;

	if (swapctl_new(&ctx) < 0)
		return 1;
	test_infer();
	test_noroot(ctx);
	test_noswap(ctx);
	test_trees(ctx);
	swapctl_unref(ctx);
	TAP_EXIT();
}
