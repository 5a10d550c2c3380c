/*
 * swapctl -V: what is at a path, checked as the kernel would check it (the
 * header, its size, and for files what filecheck.c looks at), and what
 * else libblkid finds there.  Read-only: the area is opened for reading
 * through areaopen.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

/* Printable in a fix line as it is: no quoting needed. */
static bool plain_word(const char *s)
{
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/", *s))
			return false;
	return true;
}

/*
 * A swap header beside other signatures (a disk once swap, then
 * partitioned; LVM, md, LUKS, btrfs made over an old swap area) is not
 * plainly swap: activating or writing to it destroys what is there.  The
 * fix makes a clean area and keeps the label and UUID.
 */
static void report_foreign(struct swapctl_ctx *ctx, int fd, const char *path,
			   struct swapctl_report *rep)
{
	const struct swapctl_header *h = &rep->hdr;
	struct probe_found f;
	char list[600], fix[400], uuid[37];
	size_t n;

	if (area_foreign_at(ctx, fd, rep->offset, path, &f) < 0 || !f.n)
		return;
	area_foreign_list(&f, list, sizeof(list));
	n = (size_t)snprintf(fix, sizeof(fix), "swapctl -F -f");
	if (h->label_terminated && h->label[0] && plain_word(h->label))
		n += (size_t)snprintf(fix + n, sizeof(fix) - n, " -L %s", h->label);
	if (!swapctl_uuid_is_null(h->uuid)) {
		swapctl_uuid_unparse(h->uuid, uuid);
		n += (size_t)snprintf(fix + n, sizeof(fix) - n, " -u %s", uuid);
	}
	if (rep->offset && n < sizeof(fix))
		n += (size_t)snprintf(fix + n, sizeof(fix) - n, " --offset=%llu",
				      (unsigned long long)rep->offset);
	if (n < sizeof(fix))
		snprintf(fix + n, sizeof(fix) - n, " %s", path);
	report_add(rep, SWAPCTL_D_FOREIGN, plain_word(path) ? fix : NULL,
		   "besides the swap header it holds %s; activating or writing to it destroys them",
		   list);
}

SWAPCTL_EXPORT int swapctl_area_verify(struct swapctl_ctx *ctx, const char *path,
				       struct swapctl_report *rep)
{
	SWAPCTL_ENTER(ctx);
	return swapctl_area_verify_at(ctx, path, 0, rep);
}

SWAPCTL_EXPORT int swapctl_area_verify_at(struct swapctl_ctx *ctx, const char *path, uint64_t offset,
					  struct swapctl_report *rep)
{
	SWAPCTL_ENTER(ctx);
	unsigned char *buf;
	struct stat st;
	size_t len;
	int fd, r;

	if ((r = abi_check_size(ctx, "swapctl_report", rep->struct_size, sizeof(*rep))) < 0)
		return r;
	memset(rep, 0, sizeof(*rep));
	rep->struct_size = sizeof(*rep);
	snprintf(rep->path, sizeof(rep->path), "%s", path);
	rep->kernel_pagesize = swapctl_kernel_pagesize();
	rep->offset = offset;
	if (offset % SWAPCTL_PAGESIZE_MIN)
		return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
					  "%s: offset %llu is not a multiple of %d bytes", path,
					  (unsigned long long)offset, SWAPCTL_PAGESIZE_MIN);

	fd = area_open_read(ctx, path, &st);
	if (fd < 0)
		return fd;
	rep->is_blockdev = S_ISBLK(st.st_mode);
	r = fd_size(fd, &rep->size);
	if (r < 0) {
		close(fd);
		return swapctl_fail_errno(ctx, -r, "%s: cannot get its size: %s", path, strerror(-r));
	}
	if (offset && offset >= rep->size) {
		close(fd);
		return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
					  "%s: offset %llu is past its end (%llu bytes)", path,
					  (unsigned long long)offset, (unsigned long long)rep->size);
	}
	rep->size -= offset;
	buf = malloc(HEADER_READ_MAX);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	r = header_read(fd, offset, rep->size, buf, &len);
	if (r < 0) {
		free(buf);
		close(fd);
		return swapctl_fail_errno(ctx, -r, "%s: cannot read the header: %s", path, strerror(-r));
	}
	if (len < SWAPCTL_PAGESIZE_MIN)
		rep->hdr.sig = SWAPCTL_SIG_NONE;
	else
		swapctl_header_parse(buf, len, &rep->hdr);
	free(buf);

	if (len < SWAPCTL_PAGESIZE_MIN)
		report_add(rep, SWAPCTL_D_TOO_SMALL, NULL,
			   "only %llu bytes: too small to hold a swap header",
			   (unsigned long long)rep->size);
	else
		header_check(&rep->hdr, rep->size, S_ISREG(st.st_mode), rep->kernel_pagesize,
			     path, rep);
	if (rep->hdr.sig == SWAPCTL_SIG_SWAPSPACE2 && rep->hdr.version == 1) {
		uint64_t last = rep->hdr.last_page;
		uint64_t bad = rep->hdr.nr_badpages;

		rep->usable_pages = last > bad ? last - bad : 0;
	}
	filecheck_run(ctx, fd, &st, rep);
	if (rep->hdr.sig == SWAPCTL_SIG_SWAPSPACE2)
		report_foreign(ctx, fd, path, rep);
	close(fd);
	return 0;
}
