/*
 * The swap header on disk: reading the start of an area and writing a
 * header page.  header.c lays the page out (no I/O); verify, format and
 * relabel come here for the bytes.  The area starts at a byte offset of
 * its file or device (0 but for swapctl -F/-V --offset).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "internal.h"

int header_read(int fd, uint64_t offset, uint64_t size, unsigned char *buf, size_t *len)
{
	size_t want = size < HEADER_READ_MAX ? (size_t)size : HEADER_READ_MAX, got;
	int r;

	memset(buf, 0, HEADER_READ_MAX);
	*len = want;
	r = want ? pread_full(fd, buf, want, (off_t)offset) : 0;
	if (r != -EIO)
		return r;
	/*
	 * A bad block after the first page must not hide the header (a disk
	 * that needs --scan has them): keep what reads, page by page, up to
	 * the first failure; only an unreadable first page is an error.
	 */
	memset(buf, 0, HEADER_READ_MAX);
	for (got = 0; got < want; got += SWAPCTL_PAGESIZE_MIN) {
		size_t n = want - got < SWAPCTL_PAGESIZE_MIN ? want - got : SWAPCTL_PAGESIZE_MIN;

		if (pread_full(fd, buf + got, n, (off_t)(offset + got)) < 0)
			break;
	}
	if (got < SWAPCTL_PAGESIZE_MIN && got < want)
		return -EIO;
	*len = got < want ? got : want;
	return 0;
}

/* What the disk holds now, not the page cache: a device's buffers are
 * flushed, a file's cached pages dropped. */
static void drop_cache(int fd, uint64_t offset, unsigned pagesize)
{
	if (ioctl(fd, BLKFLSBUF, 0) < 0)
		posix_fadvise(fd, (off_t)offset, pagesize, POSIX_FADV_DONTNEED);
}

int header_write(struct swapctl_ctx *ctx, int fd, const char *path, uint64_t offset,
		 const unsigned char *page, unsigned pagesize, size_t from)
{
	struct swapctl_header *h = NULL;
	unsigned char *back = NULL;
	int r;

	r = pwrite_full(fd, page + from, pagesize - from, (off_t)(offset + from));
	if (r < 0)
		return swapctl_fail_errno(ctx, -r, "%s: cannot write the header: %s", path, strerror(-r));
	if (fsync(fd) < 0)
		return swapctl_fail_errno(ctx, errno, "%s: cannot sync the header: %s", path, strerror(errno));
	back = malloc(pagesize);
	h = malloc(sizeof(*h));
	r = -ENOMEM;
	if (!back || !h)
		goto out;
	drop_cache(fd, offset, pagesize);
	r = pread_full(fd, back, pagesize, (off_t)offset);
	if (r < 0) {
		r = swapctl_fail_errno(ctx, -r, "%s: cannot read the header back: %s", path, strerror(-r));
		goto out;
	}
	if (memcmp(back, page, pagesize) || swapctl_header_parse(back, pagesize, h) < 0 ||
	    h->sig != SWAPCTL_SIG_SWAPSPACE2 || h->pagesize != pagesize)
		r = swapctl_fail_system(ctx, EIO, "%s: the header read back differs from what was written", path);
	else
		r = 0;
out:
	free(back);
	free(h);
	return r;
}
