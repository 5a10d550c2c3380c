/* /proc/meminfo, through the sysroot. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

SWAPCTL_EXPORT int swapctl_meminfo_read(struct swapctl_ctx *ctx, struct swapctl_meminfo *mi)
{
	SWAPCTL_ENTER(ctx);
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "MemTotal", offsetof(struct swapctl_meminfo, mem_total) },
		{ "MemFree", offsetof(struct swapctl_meminfo, mem_free) },
		{ "MemAvailable", offsetof(struct swapctl_meminfo, mem_available) },
		{ "SwapTotal", offsetof(struct swapctl_meminfo, swap_total) },
		{ "SwapFree", offsetof(struct swapctl_meminfo, swap_free) },
		{ "SwapCached", offsetof(struct swapctl_meminfo, swap_cached) },
		{ "Zswap", offsetof(struct swapctl_meminfo, zswap) },
		{ "Zswapped", offsetof(struct swapctl_meminfo, zswapped) },
	};
	char *text, *line, *next;
	int r;

	memset(mi, 0, sizeof(*mi));
	r = sysroot_read_file(ctx, "/proc/meminfo", &text, NULL);
	if (r < 0)
		return swapctl_fail_errno(ctx, -r, "/proc/meminfo: %s", strerror(-r));
	for (line = text; line && *line; line = next) {
		char *colon = strchr(line, ':');
		unsigned long long v;
		size_t i;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!colon)
			continue;
		*colon = '\0';
		v = strtoull(colon + 1, NULL, 10);
		for (i = 0; i < ARRAY_SIZE(keys); i++) {
			if (!strcmp(line, keys[i].key)) {
				/* every field we read is in kB */
				*(uint64_t *)((char *)mi + keys[i].off) = v * 1024;
				if (!strcmp(line, "MemAvailable"))
					mi->has_mem_available = true;
				else if (!strcmp(line, "Zswap"))
					mi->has_zswap = true;
			}
		}
	}
	free(text);
	/* kernels before 3.14 have no MemAvailable: free memory is the floor */
	if (!mi->has_mem_available)
		mi->mem_available = mi->mem_free;
	return 0;
}

SWAPCTL_EXPORT void swapctl_swapuse(const struct swapctl_meminfo *mi, struct swapctl_swapuse *u)
{
	uint64_t rest;

	memset(u, 0, sizeof(*u));
	u->total = mi->swap_total;
	u->free = mi->swap_free < mi->swap_total ? mi->swap_free : mi->swap_total;
	u->used = u->total - u->free;
	/* cached pages and zswap's hold slots too: parts of used, never more */
	rest = u->used;
	u->cached = mi->swap_cached < rest ? mi->swap_cached : rest;
	rest -= u->cached;
	u->zswapped = mi->zswapped < rest ? mi->zswapped : rest;
	u->on_disk = rest - u->zswapped;
}
