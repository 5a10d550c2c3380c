/*
 * All reads of /proc, /sys, /dev/disk and /etc go through the sysroot prefix
 * (SWAPCTL_SYSROOT), so tests can feed recorded trees.  Writes and system
 * calls always act on the real system.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

int sysroot_path(const struct swapctl_ctx *ctx, const char *path, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s%s", ctx->sysroot, path);

	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

FILE *sysroot_fopen(const struct swapctl_ctx *ctx, const char *path)
{
	char p[4096];

	if (sysroot_path(ctx, path, p, sizeof(p)) < 0) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return fopen(p, "re");
}

int sysroot_read_file(const struct swapctl_ctx *ctx, const char *path, char **out, size_t *len)
{
	char p[4096];
	char *buf = NULL;
	size_t cap = 0, n = 0;
	int fd, r;

	r = sysroot_path(ctx, path, p, sizeof(p));
	if (r < 0)
		return r;
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t got;

		if (cap - n < 4096) {
			char *nb = realloc(buf, cap ? cap * 2 : 8192);

			if (!nb) {
				r = -ENOMEM;
				goto fail;
			}
			buf = nb;
			cap = cap ? cap * 2 : 8192;
		}
		got = read(fd, buf + n, cap - n - 1);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			goto fail;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return 0;
fail:
	close(fd);
	free(buf);
	return r;
}
