/*
 * libswapctl-alloc.h: the allocators of libswapctl, blist (radix-tree
 * bitmap) and extent (regions), and the free-space figures they share.
 * Neither takes a context: they are usable alone (see libswapctl(3)).
 * Symbol version LIBSWAPCTL_0.1.
 */
#ifndef LIBSWAPCTL_ALLOC_H
#define LIBSWAPCTL_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ allocators */
/* --- allocators ---: blist (radix-tree bitmap) and extent (regions).
 * Neither takes a context nor locks: the caller serializes calls on one
 * object.  Blocks are plain numbers; what a block is belongs to the caller. */

/* Free space of a map, by maximal free runs: a plain value. */
#define SWAPCTL_FREESTATS_BUCKETS 64
struct swapctl_freestats {
	uint64_t size;                  /* blocks managed */
	uint64_t free;                  /* of which free */
	uint64_t runs;                  /* maximal free runs */
	uint64_t largest;               /* blocks in the largest run, 0 if none */
	double average;                 /* free / runs, 0 if none */
	/* hist[k]: runs of 2^k .. 2^(k+1)-1 blocks */
	uint64_t hist[SWAPCTL_FREESTATS_BUCKETS];
};

/*
 * blist: one bit per block (blocks 0 .. nblocks-1, nblocks up to 2^56) under
 * a tree of free-run summaries; about 1.08 bits of memory per block.
 * Memory of a map created all free is only touched where blocks get
 * allocated (2 MiB at a time in maps of at most 64 MiB, which ask for
 * huge pages).  Allocation is next-fit from a cursor.
 */
struct swapctl_blist;

/* A map with every block free (all_free) or allocated; -EINVAL, -ENOMEM. */
int swapctl_blist_create(uint64_t nblocks, bool all_free, struct swapctl_blist **out);
void swapctl_blist_destroy(struct swapctl_blist *b);
/*
 * Find the first free run of at least count blocks at or after the cursor
 * (else from block 0) and allocate up to maxcount blocks of it: *start and
 * *len (count <= *len <= maxcount).  Any count up to nblocks; -ENOSPC when
 * no run is long enough (found in O(1)), -EINVAL when count is 0 or
 * maxcount < count.
 */
int swapctl_blist_alloc(struct swapctl_blist *b, uint64_t count, uint64_t maxcount,
			uint64_t *start, uint64_t *len);
/* Free [start, start+n): -ERANGE outside the map, -EINVAL when any block
 * of it is already free (nothing is changed then). */
int swapctl_blist_free(struct swapctl_blist *b, uint64_t start, uint64_t n);
/* Allocate [start, start+n) whatever its state; *nfilled (may be NULL):
 * how many of its blocks were free.  -ERANGE outside the map. */
int swapctl_blist_fill(struct swapctl_blist *b, uint64_t start, uint64_t n, uint64_t *nfilled);
uint64_t swapctl_blist_avail(const struct swapctl_blist *b);   /* O(1) */
uint64_t swapctl_blist_size(const struct swapctl_blist *b);
/*
 * Grow or shrink to nblocks, keeping the state of the blocks both sizes
 * share; new blocks are free when new_free, else allocated.  Blocks cut off
 * are dropped whatever their state.  -ENOMEM leaves the map as it was.
 */
int swapctl_blist_resize(struct swapctl_blist *b, uint64_t nblocks, bool new_free);
/* The first free block at or after from and the length of the free run
 * starting there; -ENOENT when there is none. */
int swapctl_blist_next_free(const struct swapctl_blist *b, uint64_t from,
			    uint64_t *start, uint64_t *len);
int swapctl_blist_stats(const struct swapctl_blist *b, struct swapctl_freestats *st);
size_t swapctl_blist_memory(const struct swapctl_blist *b);    /* bytes */
/* Verify every internal invariant (O(nblocks)): 0 or -EUCLEAN. */
int swapctl_blist_check(const struct swapctl_blist *b);
/* Debug dump: geometry, the summary tree (mixed parts), the free runs. */
void swapctl_blist_dump(const struct swapctl_blist *b, FILE *fp);

/*
 * extent: allocated regions of [start, end] (inclusive; end - start below
 * 2^64 - 2) after NetBSD's extent(9), in memory proportional to the number
 * of regions.  Adjacent allocations merge into one region unless the
 * extent was created with SWAPCTL_EXTENT_NOCOALESCE.
 */
#define SWAPCTL_EXTENT_NOCOALESCE 0x1   /* create: one region per allocation */
#define SWAPCTL_EXTENT_FIRSTFIT   0x2   /* alloc: lowest address, not best fit */
struct swapctl_extent;

int swapctl_extent_create(uint64_t start, uint64_t end, unsigned flags,
			  struct swapctl_extent **out);
void swapctl_extent_destroy(struct swapctl_extent *ex);
/*
 * Allocate size values aligned to alignment (a power of two; 0 or 1: none)
 * and not crossing a multiple of boundary (0: none, else a power of two
 * >= size).  Best fit: the smallest free gap that can hold it, at the
 * lowest fitting address in that gap; with SWAPCTL_EXTENT_FIRSTFIT the
 * lowest fitting address overall.  -ENOSPC when nothing fits, -EINVAL for
 * bad arguments, -ENOMEM.
 */
int swapctl_extent_alloc(struct swapctl_extent *ex, uint64_t size, uint64_t alignment,
			 uint64_t boundary, unsigned flags, uint64_t *result);
/* Allocate exactly [start, start+size): -EBUSY when any of it is taken,
 * -ERANGE outside the extent, -ENOMEM. */
int swapctl_extent_alloc_region(struct swapctl_extent *ex, uint64_t start, uint64_t size);
/*
 * Free [start, start+size), which must lie in one allocated region (with
 * NOCOALESCE: be exactly one region); -EINVAL otherwise, -ERANGE outside
 * the extent.  Freeing the middle of a region splits it, which needs
 * memory: -ENOMEM then, with nothing changed.
 */
int swapctl_extent_free(struct swapctl_extent *ex, uint64_t start, uint64_t size);
uint64_t swapctl_extent_avail(const struct swapctl_extent *ex);   /* free values */
uint64_t swapctl_extent_regions(const struct swapctl_extent *ex); /* allocated regions */
/* The first free value at or after from and the length of the free gap
 * starting there; -ENOENT when there is none. */
int swapctl_extent_next_free(const struct swapctl_extent *ex, uint64_t from,
			     uint64_t *start, uint64_t *len);
int swapctl_extent_stats(const struct swapctl_extent *ex, struct swapctl_freestats *st);
size_t swapctl_extent_memory(const struct swapctl_extent *ex);   /* bytes */
/* Verify every internal invariant (O(regions)): 0 or -EUCLEAN. */
int swapctl_extent_check(const struct swapctl_extent *ex);
void swapctl_extent_dump(const struct swapctl_extent *ex, FILE *fp);

#ifdef __cplusplus
}
#endif
#endif
