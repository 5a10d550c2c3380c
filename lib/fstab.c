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
	size_t n, cap;
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

/* pri=: digits only, 0..32767 (no blanks, sign or leading "-0"). */
static int parse_pri(const char *val, size_t len, int *prio)
{
	size_t i;
	long p = 0;

	if (!val || len == 0 || len > 5)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (val[i] < '0' || val[i] > '9')
			return -EINVAL;
		p = p * 10 + (val[i] - '0');
	}
	if (p > 32767)
		return -EINVAL;
	*prio = (int)p;
	return 0;
}

/*
 * Options other than these are ignored, as util-linux's swapon does: fstab
 * holds options for other tools too (defaults, sw, x-systemd.*).  A
 * malformed or repeated pri= or discard is an error.
 */
SWAPCTL_EXPORT int swapctl_fstab_parse_options(struct swapctl_ctx *ctx, const char *options,
					       struct swapctl_fstab_entry *e)
{
	SWAPCTL_ENTER(ctx);
	char *opts = (char *)options, *name, *val;
	size_t nlen, vlen;
	bool have_pri = false, have_discard = false;

	e->prio = -1;
	e->discard = SWAPCTL_DISCARD_NONE;
	e->nofail = e->noauto = false;
	if (!options)
		return 0;
	while (mnt_optstr_next_option(&opts, &name, &nlen, &val, &vlen) == 0) {
		if (nlen == 3 && !strncmp(name, "pri", 3)) {
			if (have_pri)
				return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
							  "%s: pri= given twice", e->spec);
			have_pri = true;
			if (parse_pri(val, val ? vlen : 0, &e->prio) < 0)
				return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
							  "%s: pri=%.*s is not a number from 0 to 32767",
							  e->spec, val ? (int)vlen : 0, val ? val : "");
		} else if (nlen == 7 && !strncmp(name, "discard", 7)) {
			if (have_discard)
				return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
							  "%s: discard given twice", e->spec);
			have_discard = true;
			if (!val || vlen == 0)
				e->discard = SWAPCTL_DISCARD_BOTH;
			else if (vlen == 4 && !strncmp(val, "once", 4))
				e->discard = SWAPCTL_DISCARD_ONCE;
			else if (vlen == 5 && !strncmp(val, "pages", 5))
				e->discard = SWAPCTL_DISCARD_PAGES;
			else
				return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
							  "%s: discard=%.*s is not once or pages", e->spec,
							  (int)vlen, val);
		} else if (nlen == 6 && !strncmp(name, "nofail", 6)) {
			e->nofail = true;
		} else if (nlen == 6 && !strncmp(name, "noauto", 6)) {
			e->noauto = true;
		}
	}
	return 0;
}

/*
 * The line of file holding the entry spec with options (libmount does not
 * keep line numbers): the first line whose first and fourth fields are
 * those; 0 when not found.
 */
static int line_of(const char *file, const char *spec, const char *options)
{
	FILE *f = fopen(file, "re");
	char buf[8192];
	int line = 0, found = 0;

	if (!f)
		return 0;
	while (!found && fgets(buf, sizeof(buf), f)) {
		char *save = NULL, *src, *opt;

		line++;
		src = strtok_r(buf, " \t\n", &save);
		if (!src || *src == '#')
			continue;
		strtok_r(NULL, " \t\n", &save);
		strtok_r(NULL, " \t\n", &save);
		opt = strtok_r(NULL, " \t\n", &save);
		if (!strcmp(src, spec) && opt && options && !strcmp(opt, options))
			found = line;
	}
	fclose(f);
	return found;
}

SWAPCTL_EXPORT int swapctl_fstab_read(struct swapctl_ctx *ctx, const char *path,
				      struct swapctl_fstab **out)
{
	SWAPCTL_ENTER(ctx);
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
		r = swapctl_fail_errno(ctx, errno, "%s: %s", file, strerror(errno));
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
		struct swapctl_fstab_entry *e;
		const char *spec = mnt_fs_get_source(fs), *real;

		if (!mnt_fs_is_swaparea(fs) || !spec)
			continue;
		if ((r = ARRAY_GROW(f->v, f->n, f->cap)) < 0)
			goto fail;
		e = &f->v[f->n++];
		memset(e, 0, sizeof(*e));
		snprintf(e->spec, sizeof(e->spec), "%s", spec);
		r = swapctl_fstab_parse_options(ctx, mnt_fs_get_options(fs), e);
		if (r < 0) {
			/* name the file and line: "fstab:3: /dev/sdb2: pri= given twice" */
			char msg[sizeof(ctx->errmsg)], where[32] = "";
			int line = line_of(file, spec, mnt_fs_get_options(fs));

			snprintf(msg, sizeof(msg), "%s", swapctl_errmsg(ctx));
			if (line > 0)
				snprintf(where, sizeof(where), ":%d", line);
			r = swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL, "%s%s: %s", file, where, msg);
			goto fail;
		}
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

SWAPCTL_EXPORT const struct swapctl_fstab_entry *swapctl_fstab_find(const struct swapctl_fstab *f,
								 const char *path)
{
	struct stat a, b;
	size_t i;

	if (!f || stat(path, &a) < 0)
		return NULL;
	for (i = 0; i < f->n; i++)
		if (f->v[i].path[0] && stat(f->v[i].path, &b) == 0 && same_file(&a, &b))
			return &f->v[i];
	return NULL;
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
