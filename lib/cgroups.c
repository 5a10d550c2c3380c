/*
 * Swap per memory cgroup.  Where the memory controller lives is found by
 * looking, not assumed: cgroup v2 at /sys/fs/cgroup when its
 * cgroup.controllers lists memory, else v1 at /sys/fs/cgroup/memory, else v2
 * at /sys/fs/cgroup/unified (the hybrid layout).
 *
 *   v2: memory.swap.current / .max / .peak, memory.zswap.current,
 *       memory.current / .max
 *   v1: the total_swap (else swap) line of memory.stat, memory.memsw.*,
 *       memory.usage_in_bytes / limit_in_bytes
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "internal.h"

struct swapctl_cgrouplist {
	size_t n, cap;
	struct swapctl_cgroup *v;
	char root[256];
};

/* v1 reports "no limit" as PAGE_COUNTER_MAX pages in bytes (~2^63). */
#define V1_UNLIMITED_FLOOR (1ULL << 62)

int memcg_stat_swap(const char *text, uint64_t *swap)
{
	if (kv_u64(text, "total_swap", swap) == 0)
		return 0;
	return kv_u64(text, "swap", swap) == 0 ? 0 : -ENOENT;
}

static bool has_controller(struct swapctl_ctx *ctx, const char *dir)
{
	char path[512], line[1024], *tok, *save = NULL;

	snprintf(path, sizeof(path), "%s/cgroup.controllers", dir);
	if (sysroot_read_line(ctx, path, line, sizeof(line)) < 0)
		return false;
	for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		if (!strcmp(tok, "memory"))
			return true;
	return false;
}

static bool exists(struct swapctl_ctx *ctx, const char *path)
{
	char full[4096];
	struct stat st;

	return sysroot_path(ctx, path, full, sizeof(full)) == 0 && stat(full, &st) == 0;
}

/* Read dir/name as a number; UNKNOWN when unreadable. */
static uint64_t read_num(struct swapctl_ctx *ctx, const char *dir, const char *name, bool v1_limit)
{
	char path[4096];
	uint64_t v;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path) ||
	    sysroot_read_u64(ctx, path, &v) < 0)
		return SWAPCTL_UNKNOWN;
	if (v1_limit && v >= V1_UNLIMITED_FLOOR)
		return SWAPCTL_UNLIMITED;
	return v;
}

static unsigned count_procs(struct swapctl_ctx *ctx, const char *dir)
{
	char path[4096], *text, *p;
	unsigned n = 0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	if (sysroot_read_file(ctx, path, &text, NULL) < 0)
		return 0;
	for (p = text; *p; p++)
		n += *p == '\n';
	free(text);
	return n;
}

/* Fill cg for the cgroup at dir (sysroot-relative); false: no memory files. */
static bool read_one(struct swapctl_ctx *ctx, int version, const char *dir, struct swapctl_cgroup *cg)
{
	char path[4096], *text;

	cg->version = version;
	cg->swap = cg->swap_max = cg->swap_peak = cg->zswap = SWAPCTL_UNKNOWN;
	cg->mem = cg->mem_max = cg->memsw = cg->memsw_max = SWAPCTL_UNKNOWN;
	if (version == 2) {
		snprintf(path, sizeof(path), "%s/memory.swap.current", dir);
		if (!exists(ctx, path))
			return false;
		cg->swap = read_num(ctx, dir, "memory.swap.current", false);
		cg->swap_max = read_num(ctx, dir, "memory.swap.max", false);
		cg->swap_peak = read_num(ctx, dir, "memory.swap.peak", false);
		cg->zswap = read_num(ctx, dir, "memory.zswap.current", false);
		cg->mem = read_num(ctx, dir, "memory.current", false);
		cg->mem_max = read_num(ctx, dir, "memory.max", false);
	} else {
		snprintf(path, sizeof(path), "%s/memory.usage_in_bytes", dir);
		if (!exists(ctx, path))
			return false;
		snprintf(path, sizeof(path), "%s/memory.stat", dir);
		if (sysroot_read_file(ctx, path, &text, NULL) == 0) {
			uint64_t v;

			/* without swap accounting (swapaccount=0) there is no line */
			if (memcg_stat_swap(text, &v) == 0)
				cg->swap = v;
			free(text);
		}
		cg->mem = read_num(ctx, dir, "memory.usage_in_bytes", false);
		cg->mem_max = read_num(ctx, dir, "memory.limit_in_bytes", true);
		cg->memsw = read_num(ctx, dir, "memory.memsw.usage_in_bytes", false);
		cg->memsw_max = read_num(ctx, dir, "memory.memsw.limit_in_bytes", true);
	}
	cg->nprocs = count_procs(ctx, dir);
	return true;
}

static int walk(struct swapctl_ctx *ctx, struct swapctl_cgrouplist *l, int version,
		const char *dir, size_t rootlen, unsigned depth)
{
	struct swapctl_cgroup cg;
	char full[4096];
	struct dirent *e;
	DIR *d;
	int r = 0;

	memset(&cg, 0, sizeof(cg));
	if (read_one(ctx, version, dir, &cg)) {
		if (ARRAY_GROW(l->v, l->n, l->cap) < 0)
			return -ENOMEM;
		snprintf(cg.path, sizeof(cg.path), "%s", dir[rootlen] ? dir + rootlen : "/");
		l->v[l->n++] = cg;
	} else if (version == 2 && dir[rootlen]) {
		return 0;       /* memory not enabled here: not below either */
	}
	if (depth > 32 || sysroot_path(ctx, dir, full, sizeof(full)) < 0)
		return 0;
	d = opendir(full);
	if (!d)
		return 0;
	while (r == 0 && (e = readdir(d))) {
		char sub[4096];

		if (e->d_name[0] == '.')
			continue;
		if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name) >= sizeof(sub))
			continue;
		if (e->d_type == DT_UNKNOWN) {
			struct stat st;
			char p[4096];

			if (sysroot_path(ctx, sub, p, sizeof(p)) < 0 || stat(p, &st) < 0 ||
			    !S_ISDIR(st.st_mode))
				continue;
		}
		r = walk(ctx, l, version, sub, rootlen, depth + 1);
	}
	closedir(d);
	return r;
}

static int cg_cmp(const void *a, const void *b)
{
	const struct swapctl_cgroup *x = a, *y = b;
	int c = cmp_swap_desc(x->swap, y->swap);

	return c ? c : strcmp(x->path, y->path);
}

SWAPCTL_EXPORT int swapctl_cgroups_read(struct swapctl_ctx *ctx, struct swapctl_cgrouplist **out)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_cgrouplist *l = calloc(1, sizeof(*l));
	int version, r;

	if (!l)
		return -ENOMEM;
	if (has_controller(ctx, "/sys/fs/cgroup")) {
		version = 2;
		snprintf(l->root, sizeof(l->root), "/sys/fs/cgroup");
	} else if (exists(ctx, "/sys/fs/cgroup/memory/memory.usage_in_bytes")) {
		version = 1;
		snprintf(l->root, sizeof(l->root), "/sys/fs/cgroup/memory");
	} else if (has_controller(ctx, "/sys/fs/cgroup/unified")) {
		version = 2;
		snprintf(l->root, sizeof(l->root), "/sys/fs/cgroup/unified");
	} else {
		free(l);
		return swapctl_fail_system(ctx, ENOENT,
				    "/sys/fs/cgroup: no memory controller (neither v2 nor v1 memory)");
	}
	r = walk(ctx, l, version, l->root, strlen(l->root), 0);
	if (r < 0) {
		swapctl_cgrouplist_free(l);
		return r;
	}
	if (l->n)
		qsort(l->v, l->n, sizeof(l->v[0]), cg_cmp);
	*out = l;
	return 0;
}

SWAPCTL_EXPORT size_t swapctl_cgrouplist_count(const struct swapctl_cgrouplist *l)
{
	return l ? l->n : 0;
}

SWAPCTL_EXPORT const struct swapctl_cgroup *swapctl_cgrouplist_get(const struct swapctl_cgrouplist *l, size_t i)
{
	return l && i < l->n ? &l->v[i] : NULL;
}

SWAPCTL_EXPORT const char *swapctl_cgrouplist_root(const struct swapctl_cgrouplist *l)
{
	return l ? l->root : NULL;
}

SWAPCTL_EXPORT void swapctl_cgrouplist_free(struct swapctl_cgrouplist *l)
{
	if (!l)
		return;
	free(l->v);
	free(l);
}
