/*
 * The kernel's view: active swap areas (/proc/swaps) and mounts.
 *
 * /proc/swaps is parsed here rather than with libmount: libmount 2.38 drops
 * every line whose name ends in " (deleted)" (a swap file or device node
 * removed while active), so those areas would vanish from every report.
 * The kernel escapes blank, tab, newline and backslash in names as octal
 * (\040 \011 \012 \134), the blank of its " (deleted)" suffix too; a
 * raw blank before "(deleted)" is accepted as well (older recordings).  The
 * last four fields are always type, size, used and priority.  A name that
 * really ends in " (deleted)" cannot be told from a deleted one.
 *
 * An area is found by what the path given is, not by its name: a block
 * device by its number, a file by device and inode.  Mounts still come
 * from libmount.
 */
#include <errno.h>
#include <fcntl.h>
#include <libmount.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "internal.h"

struct swapctl_swaplist {
	size_t n, cap;
	struct swapctl_swap *v;
};

#define DELETED_SUFFIX " (deleted)"

void unescape_octal(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static struct swapctl_swap *list_add(struct swapctl_swaplist *l)
{
	if (ARRAY_GROW(l->v, l->n, l->cap) < 0)
		return NULL;
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

/* Split off the last blank-separated field of line[0..*len). */
static char *last_field(char *line, size_t *len)
{
	size_t end = *len, start;

	while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t'))
		end--;
	start = end;
	while (start > 0 && line[start - 1] != ' ' && line[start - 1] != '\t')
		start--;
	if (start == end)
		return NULL;
	line[end] = '\0';
	*len = start;
	return line + start;
}

/* Parse one line of /proc/swaps into sw; 0 or -EINVAL. */
static int parse_line(char *line, struct swapctl_swap *sw)
{
	size_t len = strlen(line), n;
	char *type, *size, *used, *prio;
	uint64_t ks, ku;
	int64_t p;

	prio = last_field(line, &len);
	used = prio ? last_field(line, &len) : NULL;
	size = used ? last_field(line, &len) : NULL;
	type = size ? last_field(line, &len) : NULL;
	if (!type)
		return -EINVAL;
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	line[len] = '\0';
	n = strlen(DELETED_SUFFIX);
	if (len > n && !strcmp(line + len - n, DELETED_SUFFIX)) {
		sw->deleted = true;
		line[len - n] = '\0';
	}
	if (!*line || strchr(line, ' ') || strchr(line, '\t'))
		return -EINVAL;
	if (parse_u64(size, &ks) < 0 || parse_u64(used, &ku) < 0 || parse_s64(prio, &p) < 0 ||
	    ks > UINT64_MAX / 1024 || ku > ks || p < INT32_MIN || p > INT32_MAX)
		return -EINVAL;
	if (strcmp(type, "file") && strcmp(type, "partition"))
		return -EINVAL;
	unescape_octal(line);
	len = strlen(line);
	if (!sw->deleted && len > n && !strcmp(line + len - n, DELETED_SUFFIX)) {
		sw->deleted = true;
		line[len - n] = '\0';
	}
	if (!*line)
		return -EINVAL;
	snprintf(sw->path, sizeof(sw->path), "%s", line);
	sw->kind = !strcmp(type, "file") ? SWAPCTL_KIND_FILE : SWAPCTL_KIND_PARTITION;
	sw->size = ks * 1024;
	sw->used = ku * 1024;
	sw->prio = (int)p;
	sw->rotational = -1;
	return 0;
}

/* Parse the text of /proc/swaps (named name in messages) into l. */
int swaps_parse(struct swapctl_ctx *ctx, const char *name, char *text, struct swapctl_swaplist *l)
{
	char *line, *next;
	unsigned lineno = 0;

	for (line = text; line && *line; line = next) {
		struct swapctl_swap *sw;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (lineno == 1) {
			if (strncmp(line, "Filename", 8))
				return swapctl_fail_class(ctx, SWAPCTL_E_SYSTEM, EINVAL,
							  "%s:1: not a swaps table (no 'Filename' header)",
							  name);
			continue;
		}
		if (!*line)
			continue;
		sw = list_add(l);
		if (!sw)
			return -ENOMEM;
		if (parse_line(line, sw) < 0)
			/* the kernel's file, not the user's input: a system error */
			return swapctl_fail_class(ctx, SWAPCTL_E_SYSTEM, EINVAL, "%s:%u: malformed line",
						  name, lineno);
		sw->order = (unsigned)(l->n - 1);
	}
	return 0;
}

/* /proc/swaps as the kernel has it now, parsed (no sysfs, no identity). */
static int swaps_load(struct swapctl_ctx *ctx, struct swapctl_swaplist **out)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_swaplist *l = calloc(1, sizeof(*l));
	char *text = NULL;
	int r;

	if (!l)
		return -ENOMEM;
	/* no /proc/swaps is no answer (no /proc, or a kernel without swap) */
	r = sysroot_read_file(ctx, "/proc/swaps", &text, NULL);
	if (r < 0) {
		free(l);
		return swapctl_fail_class(ctx, SWAPCTL_E_SYSTEM, -r, "/proc/swaps: %s%s", strerror(-r),
					  r == -ENOENT ? " (is /proc mounted? does the kernel have swap?)" : "");
	}
	r = swaps_parse(ctx, "/proc/swaps", text, l);
	free(text);
	if (r < 0) {
		swapctl_swaplist_free(l);
		return r;
	}
	*out = l;
	return 0;
}

static struct swapctl_swaplist *swaps_copy(const struct swapctl_swaplist *from)
{
	struct swapctl_swaplist *l = calloc(1, sizeof(*l));

	if (!l || array_reserve(&l->v, &l->cap, from->n, sizeof(l->v[0])) < 0) {
		free(l);
		return NULL;
	}
	if (from->n)
		memcpy(l->v, from->v, from->n * sizeof(l->v[0]));
	l->n = from->n;
	return l;
}

void swaps_forget(struct swapctl_ctx *ctx)
{
	swapctl_swaplist_free(ctx->swaps_held);
	ctx->swaps_held = NULL;
}

SWAPCTL_EXPORT int swapctl_swaps_read(struct swapctl_ctx *ctx, unsigned flags,
				      struct swapctl_swaplist **out)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_swaplist *l;
	size_t i;
	int r;

	/*
	 * Under the lock the configuration only changes through this context
	 * (or other programs, which the lock never kept out): the decision,
	 * the memory check and the open for writing share one read, until a
	 * swapon or swapoff (swapcall.c) or the unlock forgets it.
	 */
	if (ctx->lock_depth > 0) {
		if (!ctx->swaps_held && (r = swaps_load(ctx, &ctx->swaps_held)) < 0)
			return r;
		ctx->swaps_held_free = swapctl_swaplist_free;
		if (!(l = swaps_copy(ctx->swaps_held)))
			return -ENOMEM;
	} else if ((r = swaps_load(ctx, &l)) < 0) {
		return r;
	}
	for (i = 0; i < l->n; i++)
		devinfo_fill(ctx, &l->v[i], flags & SWAPCTL_READ_IDENTITY);
	*out = l;
	return 0;
}

SWAPCTL_EXPORT size_t swapctl_swaplist_count(const struct swapctl_swaplist *l)
{
	return l ? l->n : 0;
}

SWAPCTL_EXPORT const struct swapctl_swap *swapctl_swaplist_get(const struct swapctl_swaplist *l, size_t i)
{
	return l && i < l->n ? &l->v[i] : NULL;
}

static const struct swapctl_swap *find_stat(const struct swapctl_swaplist *l, const struct stat *st)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct stat s2;

		if (!l->v[i].deleted && stat(l->v[i].path, &s2) == 0 && same_file(st, &s2))
			return &l->v[i];
	}
	return NULL;
}

/* Does the swap header on the block device at path give an area of size bytes? */
static bool header_fits(const char *path, uint64_t size)
{
	unsigned ps = swapctl_kernel_pagesize();
	struct swapctl_header *h = malloc(sizeof(*h));
	unsigned char *buf = malloc(ps);
	bool fits = false;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && h && buf && pread_full(fd, buf, ps, 0) == 0 &&
	    swapctl_header_parse(buf, ps, h) == 0 && h->sig == SWAPCTL_SIG_SWAPSPACE2 &&
	    h->version == 1 && h->pagesize == ps && h->last_page > h->nr_badpages)
		/* the kernel's count: pages 1..last_page less the bad ones */
		fits = (uint64_t)(h->last_page - h->nr_badpages) * ps == size;
	if (fd >= 0)
		close(fd);
	free(h);
	free(buf);
	return fits;
}

/*
 * A block device activated through a node deleted since: /proc/swaps has
 * only the dead name, and nothing in /proc or /sys says which device it
 * was.  The device at path is taken for that area when exactly one such
 * area fits it: the device is held exclusively (as swapon holds it: open
 * with O_EXCL fails with EBUSY), carries a swap header of this kernel's
 * page size, and the area has the size that header gives.
 */
static const struct swapctl_swap *find_deleted_blk(const struct swapctl_swaplist *l, const char *path)
{
	const struct swapctl_swap *found = NULL;
	size_t i, candidates = 0;
	int fd;

	for (i = 0; i < l->n; i++)
		candidates += l->v[i].deleted && l->v[i].kind != SWAPCTL_KIND_FILE;
	if (!candidates)
		return NULL;
	fd = open(path, O_RDONLY | O_EXCL | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	if (fd >= 0 || errno != EBUSY)
		return NULL;
	for (i = 0; i < l->n; i++) {
		if (!l->v[i].deleted || l->v[i].kind == SWAPCTL_KIND_FILE || !header_fits(path, l->v[i].size))
			continue;
		if (found)
			return NULL;    /* two fit: cannot tell which */
		found = &l->v[i];
	}
	return found;
}

SWAPCTL_EXPORT const struct swapctl_swap *swapctl_swaplist_find(const struct swapctl_swaplist *l,
								const char *path)
{
	const struct swapctl_swap *sw;
	struct stat st;
	size_t i;

	if (!l)
		return NULL;
	if (stat(path, &st) == 0) {
		sw = find_stat(l, &st);
		if (!sw && S_ISBLK(st.st_mode))
			sw = find_deleted_blk(l, path);
		return sw;
	}
	/* not on this system (a recorded tree), or a dead name: compare names */
	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].path, path))
			return &l->v[i];
	return NULL;
}

SWAPCTL_EXPORT void swapctl_swaplist_identify(struct swapctl_ctx *ctx, struct swapctl_swaplist *l)
{
	size_t i;

	for (i = 0; l && i < l->n; i++)
		devinfo_fill(ctx, &l->v[i], true);
}

struct swapctl_swaplist *swaps_list_new(void)
{
	return calloc(1, sizeof(struct swapctl_swaplist));
}

SWAPCTL_EXPORT void swapctl_swaplist_free(struct swapctl_swaplist *l)
{
	if (!l)
		return;
	free(l->v);
	free(l);
}

int probe_is_active_swap(struct swapctl_ctx *ctx, const struct stat *st)
{
	struct swapctl_swaplist *l;
	int found;

	if (swapctl_swaps_read(ctx, 0, &l) < 0)
		return 0;
	found = find_stat(l, st) != NULL;
	swapctl_swaplist_free(l);
	return found;
}

int probe_is_mounted(struct swapctl_ctx *ctx, dev_t devno, char *mnt, size_t size)
{
	struct libmnt_table *tb = mnt_new_table();
	struct libmnt_fs *fs = NULL;
	char path[4096];

	if (!tb)
		return 0;
	if (sysroot_path(ctx, "/proc/self/mountinfo", path, sizeof(path)) == 0 &&
	    mnt_table_parse_file(tb, path) == 0) {
		fs = mnt_table_find_devno(tb, devno, MNT_ITER_FORWARD);
		if (fs)
			snprintf(mnt, size, "%s", mnt_fs_get_target(fs) ? mnt_fs_get_target(fs) : "?");
	}
	mnt_unref_table(tb);
	return fs != NULL;
}
