/*
 * The swapped pages of one process, from /proc/PID/pagemap: 8 bytes per
 * virtual page; bit 62 says swapped, bits 0-4 the swap type (the area),
 * bits 5-54 the offset in it.  Without CAP_SYS_ADMIN the kernel clears
 * type and offset (bit 62 stays): such entries are counted as hidden.
 *
 * Only private mappings are read (shared anonymous memory is shmem, whose
 * swapped pages are in its page cache, never in page tables).  On the live
 * system one PAGEMAP_SCAN ioctl (Linux 6.7+) first finds the swapped
 * ranges, so huge sparse mappings (sanitizer shadows, reserved heaps) cost
 * a page-table walk instead of reading zeros; else, and in recorded trees,
 * the mappings of /proc/PID/maps are read CHUNK entries at a time.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "internal.h"

#define CHUNK 8192              /* entries per pread: 64 KiB */
#define REGIONS 256             /* ranges per PAGEMAP_SCAN call */
#define GAP 512                 /* pages between mappings read through */

/* The PAGEMAP_SCAN interface (linux/fs.h, 6.7), under our own names so
 * older headers build. */
struct pm_region {
	uint64_t start, end, categories;
};
struct pm_scan {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask, return_mask;
};
#define PM_SCAN_IOCTL _IOWR('f', 16, struct pm_scan)
#define PM_IS_SWAPPED (1ull << 4)

struct walker {
	int fd;
	unsigned pagesize;
	uint64_t *buf;
	struct pagemap_walk *w;
};

static void count(struct walker *k, const uint64_t *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned type;
		uint64_t off;

		if (!(e[i] & PM_SWAP_BIT))
			continue;
		k->w->swapped++;
		type = PM_TYPE(e[i]);
		off = PM_OFFSET(e[i]);
		if (type == 0 && off == 0) {    /* offset 0 is the header: hidden */
			k->w->hidden++;
			continue;
		}
		k->w->by_type[type]++;
		if (k->w->entry)
			k->w->entry(k->w->data, type, off);
	}
}

/* The entries of pages [first, first + n). */
static int read_range(struct walker *k, uint64_t first, uint64_t n)
{
	while (n) {
		size_t want = n < CHUNK ? (size_t)n : CHUNK;
		ssize_t got = pread(k->fd, k->buf, want * 8, (off_t)(first * 8));

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (got == 0)
			break;          /* a recorded file ends: the rest is not there */
		count(k, k->buf, (size_t)got / 8);
		first += (uint64_t)got / 8;
		n -= (uint64_t)got / 8;
	}
	return 0;
}

/* Read a whole /proc file under dirfd into a malloc'd NUL-terminated buffer. */
static int read_all_at(int dirfd, const char *name, char **out)
{
	size_t cap = 16384, n = 0;
	char *buf = malloc(cap);
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf) {
		int e = fd < 0 ? -errno : -ENOMEM;

		free(buf);
		if (fd >= 0)
			close(fd);
		return e;
	}
	for (;;) {
		ssize_t got;

		if (cap - n < 4096) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = -errno;

			free(buf);
			close(fd);
			return e;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	return 0;
}

/* One line of maps: "start-end perms ...": 1 for a private mapping to read. */
static int parse_map(const char *line, uint64_t *start, uint64_t *end)
{
	char *p;

	*start = strtoull(line, &p, 16);
	if (*p != '-')
		return -EINVAL;
	*end = strtoull(p + 1, &p, 16);
	if (*p != ' ' || strlen(p) < 5 || *end < *start)
		return -EINVAL;
	if (p[4] != 'p')
		return 0;               /* shared: shmem or file, no swap entries */
	if (strstr(p, "[vsyscall]"))
		return 0;
	return 1;
}

/* PAGEMAP_SCAN over [lo, hi): the swapped ranges, each read.  -ENOTTY,
 * -EINVAL: the kernel has no such ioctl (the caller reads the mappings). */
static int scan_swapped(struct walker *k, uint64_t lo, uint64_t hi)
{
	struct pm_region vec[REGIONS];
	struct pm_scan a;
	bool scanned = false;

	while (lo < hi) {
		long n, i;
		int r;

		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.start = lo;
		a.end = hi;
		a.vec = (uint64_t)(uintptr_t)vec;
		a.vec_len = REGIONS;
		a.category_mask = PM_IS_SWAPPED;
		a.return_mask = PM_IS_SWAPPED;
		n = ioctl(k->fd, PM_SCAN_IOCTL, &a);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* after a first success a failure is no missing ioctl */
			return scanned ? -EIO : -errno;
		}
		scanned = true;
		for (i = 0; i < n; i++) {
			r = read_range(k, vec[i].start / k->pagesize,
				       (vec[i].end - vec[i].start) / k->pagesize);
			if (r < 0)
				return r;
		}
		if (n < REGIONS || a.walk_end <= lo)
			break;
		lo = a.walk_end;
	}
	return 0;
}

int pagemap_walk_pid(int procfd, pid_t pid, bool live, struct pagemap_walk *w)
{
	struct walker k = { .fd = -1, .pagesize = swapctl_kernel_pagesize(), .w = w };
	uint64_t lo = UINT64_MAX, hi = 0, start, end;
	char name[48], *maps = NULL, *line, *next, *maps_end;
	int r;

	snprintf(name, sizeof(name), "%ld/maps", (long)pid);
	r = read_all_at(procfd, name, &maps);
	if (r < 0)
		goto out;
	snprintf(name, sizeof(name), "%ld/pagemap", (long)pid);
	k.fd = openat(procfd, name, O_RDONLY | O_CLOEXEC);
	if (k.fd < 0) {
		r = -errno;
		goto out;
	}
	/* one line each: parse_map looks at its own line only */
	for (line = maps; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (parse_map(line, &start, &end) == 1) {
			lo = start < lo ? start : lo;
			hi = end > hi ? end : hi;
		}
	}
	maps_end = line;
	if (lo >= hi)
		goto out;               /* no private mapping: nothing in swap */
	k.buf = malloc(CHUNK * 8);
	if (!k.buf) {
		r = -ENOMEM;
		goto out;
	}
	r = live ? scan_swapped(&k, lo, hi) : -ENOTTY;
	if (r != -ENOTTY && r != -EINVAL && r != -EFAULT && r != -EOPNOTSUPP)
		goto out;
	/* the kernel cannot scan (nothing was counted): read every private mapping */
	r = 0;
	/* mappings close together are read in one pread: the gap's entries
	 * are zeros (or not swap) */
	lo = hi = 0;
	for (line = maps; line < maps_end && r == 0; line = next) {
		next = line + strlen(line) + 1;
		if (parse_map(line, &start, &end) != 1)
			continue;
		start /= k.pagesize;
		end /= k.pagesize;
		if (hi > lo && start >= hi && start - hi <= GAP && end - lo <= CHUNK) {
			hi = end;
			continue;
		}
		if (hi > lo)
			r = read_range(&k, lo, hi - lo);
		lo = start;
		hi = end;
	}
	if (r == 0 && hi > lo)
		r = read_range(&k, lo, hi - lo);
out:
	if (k.fd >= 0)
		close(k.fd);
	free(k.buf);
	free(maps);
	/* gone meanwhile: its memory is gone too */
	if (r == -ENOENT) {
		snprintf(name, sizeof(name), "%ld", (long)pid);
		if (faccessat(procfd, name, F_OK, 0) < 0)
			r = -ESRCH;
	}
	return r;
}
