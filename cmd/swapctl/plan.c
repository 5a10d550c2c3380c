/*
 * swapctl -d -n: the swapoff plan.  What the kernel would read back from
 * the area (per process, the top PLAN_TOP and the rest, from the swap
 * map; the part no process maps), the memory check swapctl -d makes on
 * the same figures, and the kernel's own check.  Text, or --json.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "swapctl.h"

#define PLAN_TOP 10

struct holder {
	size_t i;               /* in the map */
	uint64_t pages;         /* on the area; UNKNOWN */
};

static int holder_cmp(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	return x->pages != y->pages ? cmp_swap_desc(x->pages, y->pages) : CMP(x->i, y->i);
}

static const char *size_text(const struct opts *o, uint64_t v, char *buf, size_t size)
{
	char n[48];

	if (v == SWAPCTL_UNKNOWN)
		return "?";
	units_format(&o->units, v, n, sizeof(n));
	snprintf(buf, size, "%s%s%s", n, o->units.mode == UNITS_HUMAN ? "" : " ",
		 o->units.mode == UNITS_HUMAN ? "" : o->units.word);
	return buf;
}

static void json_size(struct json *j, const char *key, uint64_t v)
{
	if (v == SWAPCTL_UNKNOWN)
		json_str(j, key, NULL);
	else
		json_u64(j, key, v);
}

static const char *kernel_text(const struct swapctl_swapoff_plan *p, char *buf, size_t size)
{
	if (p->overcommit < 0)
		return "unknown (vm.overcommit_memory or CommitLimit unreadable)";
	snprintf(buf, size, "%s (vm.overcommit_memory %d%s)", p->kernel_ok ? "passes" : "fails: ENOMEM",
		 p->overcommit, p->overcommit == 0 ? ": the area's size against RAM + swap" :
		 p->overcommit == 2 ? ": Committed_AS + the area's size against CommitLimit" : ": always");
	return buf;
}

static void plan_json(const struct swapctl_swapoff_plan *p, const struct swapctl_swapmap *m,
		      const char *path, const struct holder *h, size_t nh)
{
	unsigned ps = swapctl_swapmap_pagesize(m);
	uint64_t rest = 0;
	bool rest_unknown = false;
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_open(&j, NULL, '{');
	json_str(&j, "device", path);
	json_i64(&j, "type", swapctl_swapmap_area(m, (size_t)p->area)->type);
	json_str(&j, "mapping", swapctl_placement_name(p->placement));
	json_u64(&j, "size", p->size);
	json_u64(&j, "used", p->used);
	json_size(&j, "attributed", p->attributed);
	json_size(&j, "unattributed", p->unattributed);
	json_open(&j, "processes", '[');
	for (i = 0; i < nh && i < PLAN_TOP; i++) {
		const struct swapctl_mapproc *mp = swapctl_swapmap_proc(m, h[i].i);

		json_open(&j, NULL, '{');
		json_i64(&j, "pid", mp->pid);
		json_str(&j, "user", mp->user);
		json_str(&j, "command", mp->comm);
		json_size(&j, "pages", h[i].pages);
		json_size(&j, "bytes", h[i].pages == SWAPCTL_UNKNOWN ? h[i].pages : h[i].pages * ps);
		json_close(&j, '}');
	}
	json_close(&j, ']');
	for (i = PLAN_TOP; i < nh; i++) {
		if (h[i].pages == SWAPCTL_UNKNOWN)
			rest_unknown = true;
		else
			rest += h[i].pages;
	}
	json_u64(&j, "rest_processes", nh > PLAN_TOP ? nh - PLAN_TOP : 0);
	json_size(&j, "rest_pages", rest_unknown ? SWAPCTL_UNKNOWN : rest);
	json_u64(&j, "mem_available", p->mc.mem_available);
	json_u64(&j, "other_free", p->mc.other_free);
	json_u64(&j, "margin", p->mc.margin);
	json_bool(&j, "fits", p->mc.ok);
	if (p->overcommit < 0) {
		json_str(&j, "overcommit", NULL);
		json_str(&j, "kernel_ok", NULL);
	} else {
		json_i64(&j, "overcommit", p->overcommit);
		json_bool(&j, "kernel_ok", p->kernel_ok);
	}
	json_close(&j, '}');
	json_finish(&j);
}

static void plan_text(const struct opts *o, const struct swapctl_swapoff_plan *p,
		      const struct swapctl_swapmap *m, const char *path, const struct holder *h, size_t nh)
{
	const struct swapctl_maparea *a = swapctl_swapmap_area(m, (size_t)p->area);
	unsigned ps = swapctl_swapmap_pagesize(m);
	char b1[64], b2[64], b3[64], kb[256], name[4200];
	uint64_t rest = 0;
	bool rest_unknown = false;
	size_t i;

	printf("swapoff plan for %s", safe_name(path, name, sizeof(name)));
	if (a->type >= 0)
		printf(" (swap type %d, %s)", a->type, swapctl_placement_name(p->placement));
	printf("\n  size %s, used %s: %llu pages would be read back\n", size_text(o, p->size, b1, sizeof(b1)),
	       size_text(o, p->used, b2, sizeof(b2)), (unsigned long long)(p->used / ps));
	if (p->placement == SWAPCTL_PLACE_UNKNOWN)
		printf("  processes: unknown (pagemap shows areas to root only, or the areas changed)\n");
	else
		printf("  processes: %zu with %s%s\n", nh, p->placement == SWAPCTL_PLACE_INFERRED ? "~" : "",
		       size_text(o, p->attributed, b1, sizeof(b1)));
	for (i = 0; i < nh && i < PLAN_TOP; i++) {
		const struct swapctl_mapproc *mp = swapctl_swapmap_proc(m, h[i].i);

		if (h[i].pages == SWAPCTL_UNKNOWN)
			printf("  %7ld %-10s %8s pages %s\n", (long)mp->pid, mp->user, "?",
			       safe_name(mp->comm, name, sizeof(name)));
		else
			printf("  %7ld %-10s %8llu pages %s\n", (long)mp->pid, mp->user,
			       (unsigned long long)h[i].pages, safe_name(mp->comm, name, sizeof(name)));
	}
	for (i = PLAN_TOP; i < nh; i++) {
		if (h[i].pages == SWAPCTL_UNKNOWN)
			rest_unknown = true;
		else
			rest += h[i].pages;
	}
	if (nh > PLAN_TOP)
		printf("  and %zu more processes: %s%llu pages\n", nh - PLAN_TOP, rest_unknown ? "at least " : "",
		       (unsigned long long)rest);
	printf("  unattributed (shmem, tmpfs, swap cache): %s\n", size_text(o, p->unattributed, b1, sizeof(b1)));
	printf("  MemAvailable %s, free on other areas %s, margin %s: %s\n",
	       size_text(o, p->mc.mem_available, b1, sizeof(b1)), size_text(o, p->mc.other_free, b2, sizeof(b2)),
	       size_text(o, p->mc.margin, b3, sizeof(b3)),
	       p->mc.ok ? "fits" : "does not fit (swapctl -d refuses without -f)");
	printf("  the kernel's check: %s\n", kernel_text(p, kb, sizeof(kb)));
}

int cmd_plan(struct swapctl_ctx *ctx, const struct opts *o, const char *path)
{
	struct swapctl_swapoff_plan p;
	struct swapctl_swapmap *m;
	struct holder *h;
	size_t i, nh = 0, n;
	int r = swapctl_swapoff_plan(ctx, path, &m, &p);

	if (r < 0)
		return cmd_lib_error(ctx, r);
	n = swapctl_swapmap_nprocs(m);
	h = calloc(n ? n : 1, sizeof(*h));
	if (!h) {
		swapctl_swapmap_free(m);
		return cmd_lib_error(ctx, -ENOMEM);
	}
	for (i = 0; i < n; i++) {
		uint64_t pg = swapctl_swapmap_pages(m, i, (size_t)p.area);

		if (pg != 0)
			h[nh++] = (struct holder){ i, pg };
	}
	if (nh)
		qsort(h, nh, sizeof(*h), holder_cmp);
	if (o->json)
		plan_json(&p, m, path, h, nh);
	else
		plan_text(o, &p, m, path, h, nh);
	free(h);
	swapctl_swapmap_free(m);
	/* text goes on with -d's own dry run, which says what it would do */
	return !o->json || p.mc.ok || o->force ? EXIT_OK : EXIT_REFUSED;
}
