/*
 * Configured swap: the "swap" entries of fstab, read with libmount, with
 * their specs resolved (paths, LABEL=, UUID=, PARTLABEL=, PARTUUID=) and
 * the options swap cares about: pri=, discard[=once|pages], nofail, noauto.
 */
#include <errno.h>
#include <libmount.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

struct swapctl_fstab {
	size_t n;
	struct swapctl_fstab_entry *v;
};

struct parse_state {
	struct swapctl_ctx *ctx;
	int line;
	char file[4096];
};

/* libmount calls this on a line it cannot parse; stop at the first. */
static int on_parse_error(struct libmnt_table *tb, const char *filename, int line)
{
	struct parse_state *ps = mnt_table_get_userdata(tb);

	if (ps && !ps->line) {
		ps->line = line;
		snprintf(ps->file, sizeof(ps->file), "%s", filename ? filename : "fstab");
	}
	return -EINVAL;
}

SWAPCTL_EXPORT int swapctl_fstab_parse_options(struct swapctl_ctx *ctx, const char *options,
					       struct swapctl_fstab_entry *e)
{
	char *val = NULL;
	size_t len = 0;

	e->prio = -1;
	e->discard = SWAPCTL_DISCARD_NONE;
	e->nofail = e->noauto = false;
	if (!options)
		return 0;
	if (mnt_optstr_get_option(options, "pri", &val, &len) == 0) {
		char num[16], *end;
		long p;

		if (!val || len == 0 || len >= sizeof(num))
			return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
						  "%s: pri= needs a number from 0 to 32767", e->spec);
		memcpy(num, val, len);
		num[len] = '\0';
		p = strtol(num, &end, 10);
		if (*end || p < 0 || p > 32767)
			return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
						  "%s: pri=%s is not a number from 0 to 32767", e->spec, num);
		e->prio = (int)p;
	}
	if (mnt_optstr_get_option(options, "discard", &val, &len) == 0) {
		if (!val || len == 0)
			e->discard = SWAPCTL_DISCARD_BOTH;
		else if (len == 4 && !strncmp(val, "once", 4))
			e->discard = SWAPCTL_DISCARD_ONCE;
		else if (len == 5 && !strncmp(val, "pages", 5))
			e->discard = SWAPCTL_DISCARD_PAGES;
		else
			return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
						  "%s: discard=%.*s is not once or pages", e->spec,
						  (int)len, val);
	}
	e->nofail = mnt_optstr_get_option(options, "nofail", &val, &len) == 0;
	e->noauto = mnt_optstr_get_option(options, "noauto", &val, &len) == 0;
	return 0;
}

SWAPCTL_EXPORT int swapctl_fstab_read(struct swapctl_ctx *ctx, const char *path,
				      struct swapctl_fstab **out)
{
	struct libmnt_table *tb = mnt_new_table();
	struct libmnt_cache *cache = mnt_new_cache();
	struct libmnt_iter *it = mnt_new_iter(MNT_ITER_FORWARD);
	struct swapctl_fstab *f = calloc(1, sizeof(*f));
	struct parse_state ps = { .ctx = ctx };
	struct libmnt_fs *fs;
	char file[4096];
	int r = -ENOMEM;

	if (!tb || !cache || !it || !f)
		goto fail;
	if (path)
		snprintf(file, sizeof(file), "%s", path);
	else if ((r = sysroot_path(ctx, "/etc/fstab", file, sizeof(file))) < 0)
		goto fail;
	if (access(file, R_OK) < 0) {
		r = swapctl_fail(ctx, errno, "%s: %s", file, strerror(errno));
		goto fail;
	}
	mnt_table_set_userdata(tb, &ps);
	mnt_table_set_parser_errcb(tb, on_parse_error);
	r = mnt_table_parse_fstab(tb, file);
	if (r < 0 || ps.line) {
		r = swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL, "%s:%d: malformed line",
				       ps.line ? ps.file : file, ps.line);
		goto fail;
	}
	while (mnt_table_next_fs(tb, it, &fs) == 0) {
		struct swapctl_fstab_entry *e, *v;
		const char *spec = mnt_fs_get_source(fs), *real;

		if (!mnt_fs_is_swaparea(fs) || !spec)
			continue;
		v = realloc(f->v, (f->n + 1) * sizeof(*v));
		if (!v) {
			r = -ENOMEM;
			goto fail;
		}
		f->v = v;
		e = &f->v[f->n++];
		memset(e, 0, sizeof(*e));
		snprintf(e->spec, sizeof(e->spec), "%s", spec);
		r = swapctl_fstab_parse_options(ctx, mnt_fs_get_options(fs), e);
		if (r < 0)
			goto fail;
		real = mnt_resolve_spec(spec, cache);
		if (real && access(real, F_OK) == 0)
			snprintf(e->path, sizeof(e->path), "%s", real);
	}
	mnt_free_iter(it);
	mnt_unref_cache(cache);
	mnt_unref_table(tb);
	*out = f;
	return 0;
fail:
	mnt_free_iter(it);
	mnt_unref_cache(cache);
	mnt_unref_table(tb);
	swapctl_fstab_free(f);
	return r;
}

SWAPCTL_EXPORT size_t swapctl_fstab_count(const struct swapctl_fstab *f)
{
	return f ? f->n : 0;
}

SWAPCTL_EXPORT const struct swapctl_fstab_entry *swapctl_fstab_get(const struct swapctl_fstab *f, size_t i)
{
	return f && i < f->n ? &f->v[i] : NULL;
}

SWAPCTL_EXPORT void swapctl_fstab_free(struct swapctl_fstab *f)
{
	if (!f)
		return;
	free(f->v);
	free(f);
}
