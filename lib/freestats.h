/*
 * freestats.h: filling a struct swapctl_freestats run by run, the one
 * definition both allocators (blist.c, extent.c) use.  Header-only: blist.c
 * is also linked alone (bench-alloc, the anchor driver).
 */
#ifndef SWAPCTL_FREESTATS_H
#define SWAPCTL_FREESTATS_H

#include <string.h>
#include "libswapctl.h"

static inline void freestats_start(struct swapctl_freestats *st, uint64_t size, uint64_t free)
{
	memset(st, 0, sizeof(*st));
	st->size = size;
	st->free = free;
}

/* One maximal free run of len > 0 blocks. */
static inline void freestats_add(struct swapctl_freestats *st, uint64_t len)
{
	st->runs++;
	if (len > st->largest)
		st->largest = len;
	st->hist[63 - __builtin_clzll(len)]++;
}

static inline void freestats_end(struct swapctl_freestats *st)
{
	st->average = st->runs ? (double)st->free / (double)st->runs : 0.0;
}

#endif
