/*
 * Large zeroed arrays on transparent huge pages.
 *
 * The pager engine's frame table and frames are read at random, one or two
 * lines a page access, over 12 MiB and more: on 4 KiB pages nearly every
 * access is also a TLB miss, and in a virtual machine a TLB miss walks two
 * page tables.  malloc's mappings are not aligned to 2 MiB, so even with
 * glibc.malloc.hugetlb=1 only their aligned middle gets huge pages (random
 * replay: 10 of 22 MiB).  Here an array of at least a huge page is mapped
 * aligned to one and advised MADV_HUGEPAGE ("madvise" THP mode uses huge
 * pages only there).  A huge page is allocated whole at its first touch, so
 * this is only for arrays that are used densely.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "internal.h"

#define HUGE_BYTES ((size_t)2 << 20)

static size_t page_round(size_t bytes)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return (bytes + page - 1) & ~(page - 1);
}

void *huge_calloc(size_t n, size_t size)
{
	size_t bytes, len, slack;
	char *q;

	if (size && n > SIZE_MAX / size)
		return NULL;
	bytes = n * size;
	if (bytes < HUGE_BYTES)
		return calloc(n ? n : 1, size ? size : 1);
	bytes = page_round(bytes);
	if (bytes > SIZE_MAX - HUGE_BYTES)
		return NULL;
	len = bytes + HUGE_BYTES;       /* one huge page more: trimmed below */
	q = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (q == MAP_FAILED)
		return NULL;
	slack = (HUGE_BYTES - ((uintptr_t)q & (HUGE_BYTES - 1))) & (HUGE_BYTES - 1);
	if (slack)
		munmap(q, slack);
	q += slack;
	len -= slack;
	if (len > bytes)
		munmap(q + bytes, len - bytes);
	(void)madvise(q, bytes, MADV_HUGEPAGE);        /* advice: it works without */
	return q;
}

void huge_free(void *p, size_t n, size_t size)
{
	if (!p)
		return;
	if (n * size < HUGE_BYTES)
		free(p);
	else
		munmap(p, page_round(n * size));
}
