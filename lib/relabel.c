/*
 * swapctl -c -L/-u: a new label or UUID written into an area's header in
 * place, everything else kept.  relabel_check decides whether the path is
 * a swap area whose header may be changed; relabel_write is the change the
 * off-change-on cycle runs (area.c, cycle.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

/* Refuse what is not a version 1 swap header (too_small: not even a page). */
static int refuse_not_swap(struct swapctl_ctx *ctx, const char *path, uint64_t size, bool too_small,
			   const struct swapctl_header *h)
{
	if (too_small)
		return swapctl_fail_refused(ctx, EINVAL, "%s: not a swap area (only %llu bytes: too small to "
				    "hold a swap header)", path, (unsigned long long)size);
	if (h->sig != SWAPCTL_SIG_SWAPSPACE2 || h->version != 1)
		return swapctl_fail_refused(ctx, EINVAL, "%s: not a swap area%s", path,
				    h->sig >= SWAPCTL_SIG_S1SUSPEND ? " (it holds a hibernation image)" :
				    h->sig == SWAPCTL_SIG_SWAPSPACE2 ? " (unknown header version)" : "");
	return 0;
}

int relabel_write(struct swapctl_ctx *ctx, const char *path, void *data, bool off)
{
	const struct relabel *rl = data;
	struct swapctl_header *h;
	struct area_fd a;
	unsigned char *buf = NULL;
	uint64_t size;
	size_t len;
	int fd, r;

	r = area_open_write(ctx, path, off ? AREA_CYCLED : 0, &a);
	if (r < 0)
		return r;
	fd = a.fd;
	h = calloc(1, sizeof(*h));
	buf = malloc(HEADER_READ_MAX);
	r = -ENOMEM;
	if (!h || !buf)
		goto out;
	r = fd_size(fd, &size);
	if (r < 0) {
		r = swapctl_fail_errno(ctx, -r, "%s: cannot get its size: %s", path, strerror(-r));
		goto out;
	}
	r = header_read(fd, 0, size, buf, &len);
	if (r < 0) {
		r = swapctl_fail_errno(ctx, -r, "%s: cannot read the header: %s", path, strerror(-r));
		goto out;
	}
	if (len >= SWAPCTL_PAGESIZE_MIN)
		swapctl_header_parse(buf, len, h);
	r = refuse_not_swap(ctx, path, size, len < SWAPCTL_PAGESIZE_MIN, h);
	if (r < 0)
		goto out;
	if (rl->label)
		header_set_label(buf, rl->label);
	if (rl->uuid)
		header_set_uuid(buf, rl->uuid);
	/* the header owns bytes 1024 on; what is before stays as it was */
	r = header_write(ctx, fd, path, 0, buf, h->pagesize, SWAPCTL_HEADER_OFFSET);
out:
	free(h);
	free(buf);
	close(fd);
	return r;
}

/* Other signatures beside the header, looked at read-only. */
static int refuse_foreign(struct swapctl_ctx *ctx, const char *path)
{
	struct probe_found f;
	struct stat st;
	int fd = area_open_read(ctx, path, &st), r;

	if (fd < 0)
		return fd;
	r = area_foreign(ctx, fd, path, &f);
	close(fd);
	if (r == 0 && f.n)
		r = area_refuse_foreign(ctx, path, &f, "swapctl -F -f wipes them and writes a new header");
	return r;
}

int relabel_check(struct swapctl_ctx *ctx, const char *path)
{
	struct swapctl_report *rep = malloc(sizeof(*rep));
	int r;

	if (!rep)
		return -ENOMEM;
	rep->struct_size = sizeof(*rep);
	r = swapctl_area_verify(ctx, path, rep);
	if (r == 0)
		r = refuse_not_swap(ctx, path, rep->size, rep->size < SWAPCTL_PAGESIZE_MIN, &rep->hdr);
	free(rep);
	/* other signatures beside the header: refused before an active area
	 * is cycled, and in a dry run too */
	if (r == 0)
		r = refuse_foreign(ctx, path);
	return r;
}
