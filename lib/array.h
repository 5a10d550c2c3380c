/*
 * Array helpers for the library and the commands alike (header only, not
 * installed): the length of a fixed array, a growable array, and the
 * pieces of qsort comparators.
 */
#ifndef SWAPCTL_ARRAY_H
#define SWAPCTL_ARRAY_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Room for need elements of size bytes in the array *vp (the address of any
 * object pointer: struct x **) whose capacity is *cap.  The capacity at
 * least doubles (from 4), so n appends cost O(n) copies.  0, or -ENOMEM
 * with the array and *cap as they were.  The pointer is read and written
 * with memcpy: the caller's pointer type is not void *.
 */
static inline int array_reserve(void *vp, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 4;
	void *v, *nv;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return -ENOMEM;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / size)
		return -ENOMEM;
	memcpy(&v, vp, sizeof(v));
	nv = realloc(v, ncap * size);
	if (!nv)
		return -ENOMEM;
	memcpy(vp, &nv, sizeof(nv));
	*cap = ncap;
	return 0;
}

/* Room for one more element at v[n] (v a typed pointer, cap its capacity). */
#define ARRAY_GROW(v, n, cap) array_reserve(&(v), &(cap), (n) + 1, sizeof(*(v)))

/* Comparator pieces: -1, 0 or 1 as a is below, equal to or above b. */
#define CMP(a, b) (((a) > (b)) - ((a) < (b)))

/* The order of swap figures in every list: larger first, unknown
 * (UINT64_MAX, SWAPCTL_UNKNOWN) last. */
static inline int cmp_swap_desc(uint64_t x, uint64_t y)
{
	if (x == y)
		return 0;
	if (x == UINT64_MAX || y == UINT64_MAX)
		return x == UINT64_MAX ? 1 : -1;
	return CMP(y, x);
}

#endif
