/* Small helpers shared by the modules: numbers, sizes, UUIDs, full I/O. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uuid.h>
#include "internal.h"

int parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*v = x;
	return 0;
}

int parse_s64(const char *s, int64_t *v)
{
	char *end;
	long long x;

	if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
		return -EINVAL;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*v = x;
	return 0;
}

/*
 * Sizes as people write them: "4096", "64K", "64KiB", "1.5G", "10MB".
 * K M G T P E and their "iB" forms are powers of 1024; "KB" "MB" ... are
 * powers of 1000, as in util-linux.
 */
SWAPCTL_EXPORT int swapctl_parse_size(const char *s, uint64_t *bytes)
{
	static const char units[] = "KMGTPE";
	uint64_t whole = 0, frac = 0, fracdiv = 1, mult = 1, base = 1024;
	const char *p = s, *u;
	int i;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return -ERANGE;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++) {
			if (fracdiv < 1000000000000ULL) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				fracdiv *= 10;
			}
		}
	}
	if (*p) {
		u = strchr(units, *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
		if (!u || !*u)
			return -EINVAL;
		p++;
		if (!strcmp(p, "B"))
			base = 1000;
		else if (*p && strcmp(p, "iB"))
			return -EINVAL;
		for (i = 0; i <= u - units; i++)
			mult *= base;
	} else if (frac) {
		return -EINVAL;         /* a fraction of a byte */
	}
	if (whole > UINT64_MAX / mult)
		return -ERANGE;
	*bytes = whole * mult + (uint64_t)((double)frac / (double)fracdiv * (double)mult);
	return 0;
}

SWAPCTL_EXPORT int swapctl_uuid_parse(const char *s, unsigned char uuid[16])
{
	if (!s || strlen(s) != 36 || uuid_parse(s, uuid) != 0)
		return -EINVAL;
	return 0;
}

SWAPCTL_EXPORT void swapctl_uuid_unparse(const unsigned char uuid[16], char out[37])
{
	uuid_unparse_lower(uuid, out);
}

SWAPCTL_EXPORT bool swapctl_uuid_is_null(const unsigned char uuid[16])
{
	return uuid_is_null(uuid);
}

SWAPCTL_EXPORT void swapctl_uuid_generate(bool time_based, unsigned char uuid[16])
{
	if (time_based)
		uuid_generate_time(uuid);
	else
		uuid_generate_random(uuid);
}

SWAPCTL_EXPORT unsigned swapctl_kernel_pagesize(void)
{
	return (unsigned)sysconf(_SC_PAGESIZE);
}

bool same_file(const struct stat *a, const struct stat *b)
{
	if (S_ISBLK(a->st_mode))
		return S_ISBLK(b->st_mode) && a->st_rdev == b->st_rdev;
	return !S_ISBLK(b->st_mode) && a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* Exactly len bytes at off, read or written; -EIO on a short transfer. */
static int io_full(int fd, char *p, size_t len, off_t off, bool writing)
{
	while (len > 0) {
		ssize_t n = writing ? pwrite(fd, p, len, off) : pread(fd, p, len, off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		off += n;
		len -= (size_t)n;
	}
	return 0;
}

int pread_full(int fd, void *buf, size_t len, off_t off)
{
	return io_full(fd, buf, len, off, false);
}

int pwrite_full(int fd, const void *buf, size_t len, off_t off)
{
	return io_full(fd, (char *)buf, len, off, true);     /* only written from */
}

int fd_size(int fd, uint64_t *size)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, size) < 0)
			return -errno;
		return 0;
	}
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	*size = (uint64_t)st.st_size;
	return 0;
}

int kv_u64(const char *text, const char *key, uint64_t *v)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, klen) && (p[klen] == ':' || p[klen] == ' ' || p[klen] == '\t')) {
			const char *s = p + klen + (p[klen] == ':');
			unsigned long long x;
			char *end;

			while (*s == ' ' || *s == '\t')
				s++;
			if (*s < '0' || *s > '9')
				return -EINVAL;
			errno = 0;
			x = strtoull(s, &end, 10);
			if (errno)
				return -EINVAL;
			if (!strncmp(end, " kB", 3)) {
				if (x > UINT64_MAX / 1024)
					return -EINVAL;
				x *= 1024;
			}
			*v = x;
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -ENOENT;
}

/* Characters that never need quoting in a POSIX shell word. */
static bool shell_safe(const char *w)
{
	if (!*w)
		return false;
	for (; *w; w++)
		if (!((*w >= 'a' && *w <= 'z') || (*w >= 'A' && *w <= 'Z') || (*w >= '0' && *w <= '9') ||
		      strchr("_@%+=:,./-", *w)))
			return false;
	return true;
}

int shell_command(char *buf, size_t size, const char *const *words)
{
	size_t o = 0, i;
	const char *w;

#define PUT(c) do { if (o + 1 >= size) goto toolong; buf[o++] = (c); } while (0)
	for (i = 0; words[i]; i++) {
		if (i)
			PUT(' ');
		if (shell_safe(words[i])) {
			for (w = words[i]; *w; w++)
				PUT(*w);
			continue;
		}
		/* 'word', each ' inside as '\'' */
		PUT('\'');
		for (w = words[i]; *w; w++) {
			if (*w == '\'') {
				PUT('\'');
				PUT('\\');
				PUT('\'');
			}
			PUT(*w);
		}
		PUT('\'');
	}
#undef PUT
	buf[o] = '\0';
	return 0;
toolong:
	buf[0] = '\0';         /* no command rather than a cut one */
	return -ENAMETOOLONG;
}

const char *shell_path(const char *path, char *buf, size_t size)
{
	if (path[0] != '-')
		return path;
	snprintf(buf, size, "./%s", path);
	return buf;
}
