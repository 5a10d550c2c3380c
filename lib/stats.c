/*
 * System-wide swap statistics: /proc/vmstat counters, pressure stall
 * information, zswap and zram.  Everything is read through the sysroot; a
 * figure the kernel does not give is SWAPCTL_UNKNOWN (or NAN), never 0.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"

/* ------------------------------------------------------------ vmstat */

int vmstat_parse(const char *text, struct swapctl_vmstat *vs)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
		{ "pswpin", offsetof(struct swapctl_vmstat, pswpin) },
		{ "pswpout", offsetof(struct swapctl_vmstat, pswpout) },
		{ "zswpin", offsetof(struct swapctl_vmstat, zswpin) },
		{ "zswpout", offsetof(struct swapctl_vmstat, zswpout) },
		{ "zswpwb", offsetof(struct swapctl_vmstat, zswpwb) },
		{ "pgmajfault", offsetof(struct swapctl_vmstat, pgmajfault) },
		{ "swap_ra", offsetof(struct swapctl_vmstat, swap_ra) },
		{ "swap_ra_hit", offsetof(struct swapctl_vmstat, swap_ra_hit) },
	};
	size_t i;
	int found = 0;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		uint64_t *v = (uint64_t *)((char *)vs + keys[i].off);

		if (kv_u64(text, keys[i].key, v) == 0)
			found++;
		else
			*v = SWAPCTL_UNKNOWN;
	}
	return found ? 0 : -EINVAL;
}

/* --------------------------------------------------------------- PSI */

/* "12.34" as a double without strtod (whose decimal point is the locale's). */
static int parse_fixed(const char *s, double *v)
{
	double x = 0, scale = 1;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	for (; *s >= '0' && *s <= '9'; s++)
		x = x * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++) {
			scale /= 10;
			x += (*s - '0') * scale;
		}
	if (*s && *s != ' ' && *s != '\n' && *s != '\t')
		return -EINVAL;
	*v = x;
	return 0;
}

/* "avg10=0.00 avg60=0.00 avg300=0.00 total=0" */
static int psi_parse_line(const char *s, struct swapctl_psi_line *pl)
{
	static const char *const names[] = { "avg10=", "avg60=", "avg300=", "total=" };
	double *avg[] = { &pl->avg10, &pl->avg60, &pl->avg300 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		const char *p = strstr(s, names[i]);
		char num[32];
		size_t n;

		if (!p)
			return -EINVAL;
		p += strlen(names[i]);
		n = strcspn(p, " \t\n");
		if (n == 0 || n >= sizeof(num))
			return -EINVAL;
		memcpy(num, p, n);
		num[n] = '\0';
		if (i < 3) {
			if (parse_fixed(num, avg[i]) < 0)
				return -EINVAL;
		} else if (parse_u64(num, &pl->total_us) < 0) {
			return -EINVAL;
		}
	}
	return 0;
}

int psi_parse(const char *text, struct swapctl_psi *psi)
{
	const char *line = text;

	memset(psi, 0, sizeof(*psi));
	while (line && *line) {
		if (!strncmp(line, "some ", 5) && psi_parse_line(line + 5, &psi->some) == 0)
			psi->has_some = true;
		else if (!strncmp(line, "full ", 5) && psi_parse_line(line + 5, &psi->full) == 0)
			psi->has_full = true;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return psi->has_some ? 0 : -EINVAL;
}

SWAPCTL_EXPORT int swapctl_psi_read(struct swapctl_ctx *ctx, const char *path, struct swapctl_psi *psi)
{
	SWAPCTL_ENTER(ctx);
	const char *p = path ? path : "/proc/pressure/memory";
	char *text;
	int r;

	memset(psi, 0, sizeof(*psi));
	r = sysroot_read_file(ctx, p, &text, NULL);
	if (r < 0)
		return swapctl_fail_errno(ctx, -r, "%s: %s", p, strerror(-r));
	r = psi_parse(text, psi);
	free(text);
	if (r < 0)
		return swapctl_fail_class(ctx, SWAPCTL_E_SYSTEM, EINVAL, "%s: not pressure stall information", p);
	return 0;
}

/* ------------------------------------------------------------- zswap */

static void zswap_read(struct swapctl_ctx *ctx, const struct swapctl_meminfo *mi,
		       struct swapctl_zswap *z)
{
	char line[64];
	uint64_t v;

	memset(z, 0, sizeof(*z));
	z->enabled = -1;
	z->max_pool_percent = -1;
	if (sysroot_read_line(ctx, "/sys/module/zswap/parameters/enabled", line, sizeof(line)) == 0)
		z->enabled = line[0] == 'Y' || line[0] == 'y' || line[0] == '1';
	if (sysroot_read_line(ctx, "/sys/module/zswap/parameters/compressor", line, sizeof(line)) == 0)
		snprintf(z->compressor, sizeof(z->compressor), "%s", line);
	if (sysroot_read_u64(ctx, "/sys/module/zswap/parameters/max_pool_percent", &v) == 0 && v <= 100)
		z->max_pool_percent = (int)v;
	z->pool = mi->has_zswap ? mi->zswap : SWAPCTL_UNKNOWN;
	z->stored = mi->has_zswap ? mi->zswapped : SWAPCTL_UNKNOWN;
}

/* ------------------------------------------------------------- stats */

static double monotonic_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

SWAPCTL_EXPORT int swapctl_stats_read(struct swapctl_ctx *ctx, struct swapctl_stats *st)
{
	SWAPCTL_ENTER(ctx);
	char *text;
	double up;
	unsigned fl;
	int r;

	if ((r = abi_check_size(ctx, "swapctl_stats", st->struct_size, sizeof(*st))) < 0)
		return r;
	memset(st, 0, sizeof(*st));
	st->struct_size = sizeof(*st);
	st->time = monotonic_now();
	st->pagesize = swapctl_kernel_pagesize();
	st->uptime = NAN;
	r = swapctl_meminfo_read(ctx, &st->mem);
	if (r < 0)
		return r;
	if (sysroot_read_file(ctx, "/proc/vmstat", &text, NULL) == 0) {
		vmstat_parse(text, &st->vm);
		free(text);
	} else {
		vmstat_parse("", &st->vm);
	}
	if (sysroot_read_file(ctx, "/proc/uptime", &text, NULL) == 0) {
		text[strcspn(text, " \n")] = '\0';
		if (parse_fixed(text, &up) == 0)
			st->uptime = up;
		free(text);
	}
	zswap_read(ctx, &st->mem, &st->zswap);
	fl = swapctl_set_flags(ctx, ctx->flags | SWAPCTL_NOLOG);
	if (swapctl_psi_read(ctx, NULL, &st->psi) < 0)
		memset(&st->psi, 0, sizeof(st->psi));
	swapctl_set_flags(ctx, fl);
	ctx->errmsg[0] = '\0';          /* a kernel without PSI is no error */
	return 0;
}

/* (b - a) pages per second in bytes; NAN when unknown or the counter went back. */
static double rate(uint64_t a, uint64_t b, double scale, double seconds)
{
	if (a == SWAPCTL_UNKNOWN || b == SWAPCTL_UNKNOWN || b < a || !(seconds > 0))
		return NAN;
	return (double)(b - a) * scale / seconds;
}

SWAPCTL_EXPORT void swapctl_stats_rates(const struct swapctl_stats *prev, const struct swapctl_stats *cur,
					struct swapctl_rates *r)
{
	static const struct swapctl_vmstat zero = { 0 };
	const struct swapctl_vmstat *a = prev ? &prev->vm : &zero, *b = &cur->vm;
	double ps = cur->pagesize ? cur->pagesize : 4096;

	r->seconds = prev ? cur->time - prev->time : cur->uptime;
	r->swapin = rate(a->pswpin, b->pswpin, ps, r->seconds);
	r->swapout = rate(a->pswpout, b->pswpout, ps, r->seconds);
	r->zswapin = rate(a->zswpin, b->zswpin, ps, r->seconds);
	r->zswapout = rate(a->zswpout, b->zswpout, ps, r->seconds);
	r->zswapwb = rate(a->zswpwb, b->zswpwb, ps, r->seconds);
	r->majfault = rate(a->pgmajfault, b->pgmajfault, 1, r->seconds);
}

/* -------------------------------------------------------------- zram */

struct swapctl_zramlist {
	size_t n, cap;
	struct swapctl_zram *v;
};

/* Split up to max blank-separated numbers of text into v (UNKNOWN beyond). */
static int parse_numbers(const char *text, uint64_t *v, size_t max)
{
	const char *p = text;
	size_t i;
	int n = 0;

	for (i = 0; i < max; i++) {
		char num[32];
		size_t len;

		v[i] = SWAPCTL_UNKNOWN;
		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		if (len == 0)
			continue;
		if (len >= sizeof(num))
			return -EINVAL;
		memcpy(num, p, len);
		num[len] = '\0';
		p += len;
		if (parse_u64(num, &v[i]) < 0)
			return -EINVAL;
		n++;
	}
	return n;
}

int zram_parse_mm_stat(const char *text, struct swapctl_zram *z)
{
	uint64_t v[9];
	int n = parse_numbers(text, v, ARRAY_SIZE(v));

	if (n < 5)
		return -EINVAL;
	z->orig = v[0];
	z->compr = v[1];
	z->mem_used = v[2];
	z->mem_limit = v[3] == 0 ? SWAPCTL_UNLIMITED : v[3];
	z->mem_used_max = v[4];
	z->same_pages = v[5];
	z->pages_compacted = v[6];
	z->huge_pages = v[7];
	z->ratio = z->compr && z->compr != SWAPCTL_UNKNOWN ? (double)z->orig / (double)z->compr : NAN;
	return 0;
}

/* The selected algorithm of "lzo [lzo-rle] lz4". */
void zram_parse_algorithm(const char *text, char *buf, size_t size)
{
	const char *open = strchr(text, '['), *close = open ? strchr(open, ']') : NULL;

	if (open && close)
		snprintf(buf, size, "%.*s", (int)(close - open - 1), open + 1);
	else
		snprintf(buf, size, "%.*s", (int)strcspn(text, " \n"), text);
}

static int zram_read_one(struct swapctl_ctx *ctx, const char *name, struct swapctl_zram *z)
{
	char path[512], *text;
	uint64_t v[4];
	int r;

	memset(z, 0, sizeof(*z));
	snprintf(z->name, sizeof(z->name), "%s", name);
	snprintf(path, sizeof(path), "/sys/block/%s/disksize", name);
	r = sysroot_read_u64(ctx, path, &z->disksize);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "/sys/block/%s/mm_stat", name);
	r = sysroot_read_file(ctx, path, &text, NULL);
	if (r < 0)
		return swapctl_fail_errno(ctx, -r, "%s: %s", path, strerror(-r));
	r = zram_parse_mm_stat(text, z);
	free(text);
	if (r < 0)
		return swapctl_fail_class(ctx, SWAPCTL_E_SYSTEM, EINVAL, "%s: malformed", path);
	snprintf(path, sizeof(path), "/sys/block/%s/comp_algorithm", name);
	if (sysroot_read_file(ctx, path, &text, NULL) == 0) {
		zram_parse_algorithm(text, z->algorithm, sizeof(z->algorithm));
		free(text);
	}
	snprintf(path, sizeof(path), "/sys/block/%s/backing_dev", name);
	if (sysroot_read_line(ctx, path, z->backing_dev, sizeof(z->backing_dev)) == 0 &&
	    !strcmp(z->backing_dev, "none"))
		z->backing_dev[0] = '\0';
	z->bd_count = z->bd_reads = z->bd_writes = SWAPCTL_UNKNOWN;
	snprintf(path, sizeof(path), "/sys/block/%s/bd_stat", name);
	if (sysroot_read_file(ctx, path, &text, NULL) == 0) {
		if (parse_numbers(text, v, 3) == 3) {
			z->bd_count = v[0];
			z->bd_reads = v[1];
			z->bd_writes = v[2];
		}
		free(text);
	}
	z->failed_reads = z->failed_writes = SWAPCTL_UNKNOWN;
	snprintf(path, sizeof(path), "/sys/block/%s/io_stat", name);
	if (sysroot_read_file(ctx, path, &text, NULL) == 0) {
		if (parse_numbers(text, v, 2) == 2) {
			z->failed_reads = v[0];
			z->failed_writes = v[1];
		}
		free(text);
	}
	return 0;
}

static int zram_cmp(const void *a, const void *b)
{
	const struct swapctl_zram *x = a, *y = b;

	return CMP(atoi(x->name + 4), atoi(y->name + 4));
}

SWAPCTL_EXPORT int swapctl_zram_read(struct swapctl_ctx *ctx, struct swapctl_zramlist **out)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_zramlist *l = calloc(1, sizeof(*l));
	struct dirent *e;
	char dir[4096];
	unsigned fl;
	DIR *d;
	int r = 0;

	if (!l)
		return -ENOMEM;
	*out = NULL;
	if ((r = sysroot_path(ctx, "/sys/block", dir, sizeof(dir))) < 0)
		goto fail;
	d = opendir(dir);
	if (!d) {
		*out = l;               /* no sysfs: no zram */
		return 0;
	}
	while ((e = readdir(d))) {
		struct swapctl_zram z;

		if (strncmp(e->d_name, "zram", 4) || e->d_name[4] < '0' || e->d_name[4] > '9')
			continue;
		fl = swapctl_set_flags(ctx, ctx->flags | SWAPCTL_NOLOG);
		r = zram_read_one(ctx, e->d_name, &z);
		swapctl_set_flags(ctx, fl);
		if (r < 0 || z.disksize == 0)
			continue;       /* not initialised, or gone meanwhile */
		if ((r = ARRAY_GROW(l->v, l->n, l->cap)) < 0) {
			closedir(d);
			goto fail;
		}
		l->v[l->n++] = z;
	}
	closedir(d);
	ctx->errmsg[0] = '\0';
	if (l->n)
		qsort(l->v, l->n, sizeof(l->v[0]), zram_cmp);
	*out = l;
	return 0;
fail:
	swapctl_zramlist_free(l);
	return r;
}

SWAPCTL_EXPORT size_t swapctl_zramlist_count(const struct swapctl_zramlist *l)
{
	return l ? l->n : 0;
}

SWAPCTL_EXPORT const struct swapctl_zram *swapctl_zramlist_get(const struct swapctl_zramlist *l, size_t i)
{
	return l && i < l->n ? &l->v[i] : NULL;
}

SWAPCTL_EXPORT void swapctl_zramlist_free(struct swapctl_zramlist *l)
{
	if (!l)
		return;
	free(l->v);
	free(l);
}
