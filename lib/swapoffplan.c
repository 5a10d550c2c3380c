/*
 * The plan of a swapoff: what the kernel would read back (per process from
 * the swap map, the rest unattributed), our memory check on the same
 * figures as swapctl_swapoff_check, and the kernel's own check.
 *
 * The kernel's check (swapoff(2) calls security_vm_enough_memory_mm with
 * the area's whole size before reading anything): with
 * vm.overcommit_memory 1 it always passes; 0 (heuristic) fails when the
 * size is more than RAM plus swap; 2 (strict) when Committed_AS plus the
 * size is over CommitLimit (for root: no admin reserve; a process's small
 * user reserve is left out).  Passing it only means swapoff starts: it
 * then fails with ENOMEM, or the OOM killer steps in, when memory runs
 * out while pages come back.  That is what our check is for.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static void kernel_check(struct swapctl_ctx *ctx, const struct swapctl_meminfo *mi,
			 struct swapctl_swapoff_plan *p)
{
	uint64_t mode;
	char *text;

	p->overcommit = -1;
	p->kernel_ok = true;
	if (sysroot_read_u64(ctx, "/proc/sys/vm/overcommit_memory", &mode) == 0 && mode <= 2)
		p->overcommit = (int)mode;
	if (sysroot_read_file(ctx, "/proc/meminfo", &text, NULL) == 0) {
		if (kv_u64(text, "CommitLimit", &p->commit_limit) < 0)
			p->commit_limit = SWAPCTL_UNKNOWN;
		if (kv_u64(text, "Committed_AS", &p->committed_as) < 0)
			p->committed_as = SWAPCTL_UNKNOWN;
		free(text);
	} else {
		p->commit_limit = p->committed_as = SWAPCTL_UNKNOWN;
	}
	switch (p->overcommit) {
	case 0:
		p->kernel_ok = p->size <= mi->mem_total + mi->swap_total;
		break;
	case 2:
		if (p->commit_limit == SWAPCTL_UNKNOWN || p->committed_as == SWAPCTL_UNKNOWN)
			p->overcommit = -1;
		else
			p->kernel_ok = p->committed_as + p->size <= p->commit_limit;
		break;
	default:
		break;
	}
}

SWAPCTL_EXPORT int swapctl_swapoff_plan(struct swapctl_ctx *ctx, const char *path, struct swapctl_swapmap **map,
					struct swapctl_swapoff_plan *plan)
{
	SWAPCTL_ENTER(ctx);
	const struct swapctl_maparea *a;
	struct swapctl_swapmap *m;
	struct swapctl_meminfo mi;
	int r, i;

	memset(plan, 0, sizeof(*plan));
	*map = NULL;
	r = swapctl_swapmap_read(ctx, NULL, 0, &m);
	if (r < 0)
		return r;
	i = swapctl_swapmap_find(m, path);
	if (i < 0) {
		struct swapctl_memcheck mc;

		swapctl_swapmap_free(m);
		/* the same refusal (and class) as swapoff's own check */
		r = swapctl_swapoff_check(ctx, path, &mc);
		return r < 0 ? r : swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, ENOENT,
						      "%s: not an active swap area", path);
	}
	r = swapctl_meminfo_read(ctx, &mi);
	if (r < 0) {
		swapctl_swapmap_free(m);
		return r;
	}
	a = swapctl_swapmap_area(m, (size_t)i);
	plan->area = i;
	plan->placement = a->placement;
	plan->size = a->size;
	plan->used = a->used;
	if (a->pages == SWAPCTL_UNKNOWN) {
		plan->attributed = plan->unattributed = SWAPCTL_UNKNOWN;
	} else {
		uint64_t b = a->pages * swapctl_swapmap_pagesize(m);

		plan->attributed = b < a->used ? b : a->used;
		plan->unattributed = a->unattributed;
	}
	memcheck_fill(swapctl_swapmap_swaps(m), swapctl_swaplist_get(swapctl_swapmap_swaps(m), (size_t)i),
		      &mi, &plan->mc);
	kernel_check(ctx, &mi, plan);
	*map = m;
	return 0;
}
