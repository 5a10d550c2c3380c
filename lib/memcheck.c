/*
 * Before a swapoff: can memory take the area's pages back?  Its used space
 * plus a reserve for everyone else must fit in MemAvailable plus the free
 * space of the other active areas.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "internal.h"

#define MIB (1024ull * 1024)

SWAPCTL_EXPORT int swapctl_swapoff_check(struct swapctl_ctx *ctx, const char *path,
					 struct swapctl_memcheck *mc)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_swaplist *l;
	const struct swapctl_swap *sw;
	struct swapctl_meminfo mi;
	int r;

	memset(mc, 0, sizeof(*mc));
	r = swapctl_swaps_read(ctx, 0, &l);
	if (r < 0)
		return r;
	sw = swapctl_swaplist_find(l, path);
	if (!sw) {
		struct stat st;
		int e = stat(path, &st) < 0 ? errno : 0;

		swapctl_swaplist_free(l);
		/* a path that is not there at all is a system error, as for -a */
		if (e)
			return swapctl_fail_class(ctx, SWAPCTL_E_SYSTEM, e, "%s: %s", path, strerror(e));
		return swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, ENOENT, "%s: not an active swap area",
					  path);
	}
	r = swapctl_meminfo_read(ctx, &mi);
	if (r == 0)
		memcheck_fill(l, sw, &mi, mc);
	swapctl_swaplist_free(l);
	return r;
}

void memcheck_fill(const struct swapctl_swaplist *l, const struct swapctl_swap *sw,
		   const struct swapctl_meminfo *mi, struct swapctl_memcheck *mc)
{
	size_t i;

	memset(mc, 0, sizeof(*mc));
	mc->used = sw->used;
	for (i = 0; i < swapctl_swaplist_count(l); i++) {
		const struct swapctl_swap *o = swapctl_swaplist_get(l, i);

		if (o != sw)
			mc->other_free += o->size - o->used;
	}
	mc->mem_available = mi->mem_available;
	/* keep 64 MiB or 1/32 of RAM, whichever is more, for everyone else */
	mc->margin = mi->mem_total / 32 > 64 * MIB ? mi->mem_total / 32 : 64 * MIB;
	mc->ok = mc->used == 0 || mc->used + mc->margin <= mc->mem_available + mc->other_free;
}

int memcheck_refuse(struct swapctl_ctx *ctx, const char *path, const struct swapctl_memcheck *mc)
{
	return swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, ENOMEM,
				  "%s: memory cannot take its pages back: %llu MiB used, %llu MiB available "
				  "+ %llu MiB free on other areas, %llu MiB kept in reserve; use -f to try anyway",
				  path, (unsigned long long)(mc->used / MIB),
				  (unsigned long long)(mc->mem_available / MIB),
				  (unsigned long long)(mc->other_free / MIB),
				  (unsigned long long)(mc->margin / MIB));
}
