/*
 * All reads of /proc, /sys, /dev/disk and /etc go through the sysroot prefix
 * (swapctl_set_sysroot; the commands pass SWAPCTL_SYSROOT), so tests can
 * feed recorded trees.  Writes and system
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

		if ((r = array_reserve(&buf, &cap, n + 4096, 1)) < 0)
			goto fail;
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

int sysroot_open(const struct swapctl_ctx *ctx, const char *path, int flags)
{
	char p[4096];
	int r, fd;

	r = sysroot_path(ctx, path, p, sizeof(p));
	if (r < 0)
		return r;
	fd = open(p, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Read what fits of fd into buf (NUL-terminated) and close fd. */
static ssize_t read_close(int fd, char *buf, size_t size)
{
	size_t n = 0;

	while (n < size - 1) {
		ssize_t got = read(fd, buf + n, size - 1 - n);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			got = -errno;
			close(fd);
			return got;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	buf[n] = '\0';
	return (ssize_t)n;
}

ssize_t read_small_at(int dirfd, const char *name, char *buf, size_t size)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return read_close(fd, buf, size);
}

int sysroot_read_line(const struct swapctl_ctx *ctx, const char *path, char *buf, size_t size)
{
	char tmp[4096];
	ssize_t n;
	int fd = sysroot_open(ctx, path, O_RDONLY);

	if (fd < 0)
		return fd;
	n = read_close(fd, tmp, sizeof(tmp));
	if (n < 0)
		return (int)n;
	tmp[strcspn(tmp, "\n")] = '\0';
	n = (ssize_t)strlen(tmp);
	while (n > 0 && (tmp[n - 1] == ' ' || tmp[n - 1] == '\t'))
		tmp[--n] = '\0';
	snprintf(buf, size, "%s", tmp);
	return 0;
}

int sysroot_read_u64(const struct swapctl_ctx *ctx, const char *path, uint64_t *v)
{
	char line[64];
	int r = sysroot_read_line(ctx, path, line, sizeof(line));

	if (r < 0)
		return r;
	if (!strcmp(line, "max")) {
		*v = SWAPCTL_UNLIMITED;
		return 0;
	}
	return parse_u64(line, v);
}
