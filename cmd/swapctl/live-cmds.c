/* swapctl on the running kernel: -a -d -c -p -A -U -l -s -q. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "swapctl.h"

/* Results of several operations: all fine, some failed, all failed. */
struct tally {
	int ok, failed, last;
};

static void tally_add(struct tally *t, int rc)
{
	if (rc == EXIT_OK) {
		t->ok++;
	} else {
		t->failed++;
		t->last = rc;
	}
}

static int tally_exit(const struct tally *t)
{
	if (t->failed == 0)
		return EXIT_OK;
	return t->ok ? EXIT_PARTIAL : t->last;
}

/* Priority of the active area at path, or INT32_MIN when not active. */
static int current_prio(struct swapctl_ctx *ctx, const char *path)
{
	struct swapctl_swaplist *l;
	const struct swapctl_swap *sw;
	int prio = INT32_MIN;

	if (swapctl_swaps_read(ctx, 0, &l) < 0)
		return prio;
	sw = swapctl_swaplist_find(l, path);
	if (sw)
		prio = sw->prio;
	swapctl_swaplist_free(l);
	return prio;
}

/* -o for -a: fstab-style options (pri=, discard[=once|pages]); they win over -p. */
static void swapon_opts(struct swapctl_ctx *ctx, const struct opts *o, struct swapctl_swapon_opts *so)
{
	struct swapctl_fstab_entry e;

	memset(so, 0, sizeof(*so));
	so->prio = o->have_prio ? o->prio : -1;
	so->force = o->force;
	so->dry_run = o->dry_run;
	if (!o->swapopts)
		return;
	snprintf(e.spec, sizeof(e.spec), "-o");
	if (swapctl_fstab_parse_options(ctx, o->swapopts, &e) < 0)
		cmd_usage_error("%s", swapctl_errmsg(ctx));
	if (e.prio >= 0)
		so->prio = e.prio;
	so->discard = e.discard;
}

static int add_one(struct swapctl_ctx *ctx, const char *path, const struct swapctl_swapon_opts *so)
{
	int r = swapctl_swapon(ctx, path, so);

	if (r < 0)
		return cmd_lib_error(ctx, r);
	if (so->dry_run) {
		if (so->prio >= 0)
			printf("would activate %s at priority %d\n", path, so->prio);
		else
			printf("would activate %s at a priority the kernel chooses\n", path);
	} else {
		printf("%s: activated at priority %d\n", path, current_prio(ctx, path));
	}
	return EXIT_OK;
}

int cmd_add(struct swapctl_ctx *ctx, const struct opts *o, char **paths, int n)
{
	struct swapctl_swapon_opts so;
	struct tally t = { 0 };
	int i;

	if (n < 1)
		cmd_usage_error("-a needs at least one PATH");
	swapon_opts(ctx, o, &so);
	for (i = 0; i < n; i++)
		tally_add(&t, add_one(ctx, paths[i], &so));
	return tally_exit(&t);
}

static int delete_one(struct swapctl_ctx *ctx, const char *path, const struct opts *o)
{
	struct swapctl_swapoff_opts so = { .force = o->force, .dry_run = o->dry_run };
	int r;

	if (o->dry_run) {
		/* the plan first: whose pages come back, and whether they fit */
		r = cmd_plan(ctx, o, path);
		if (r != EXIT_OK || o->json)
			return r;
	}
	r = swapctl_swapoff(ctx, path, &so);

	if (r < 0)
		return cmd_lib_error(ctx, r);
	printf(o->dry_run ? "would deactivate %s\n" : "%s: deactivated\n", path);
	return EXIT_OK;
}

int cmd_delete(struct swapctl_ctx *ctx, const struct opts *o, char **paths, int n)
{
	struct tally t = { 0 };
	int i;

	if (n < 1)
		cmd_usage_error("-d needs at least one PATH");
	for (i = 0; i < n; i++)
		tally_add(&t, delete_one(ctx, paths[i], o));
	return tally_exit(&t);
}

/* -t blk|noblk: does this path belong to the selected kind? */
static bool type_selected(const struct opts *o, const char *path)
{
	struct stat st;
	bool blk;

	if (!o->type)
		return true;
	blk = stat(path, &st) == 0 && S_ISBLK(st.st_mode);
	return !strcmp(o->type, "blk") ? blk : !blk;
}

static struct swapctl_fstab *read_fstab(struct swapctl_ctx *ctx, const struct opts *o, int *rc)
{
	struct swapctl_fstab *f;
	int r = swapctl_fstab_read(ctx, o->fstab, &f);

	if (r < 0) {
		*rc = cmd_lib_error(ctx, r);
		return NULL;
	}
	return f;
}

int cmd_add_all(struct swapctl_ctx *ctx, const struct opts *o)
{
	struct swapctl_fstab *f;
	struct swapctl_swaplist *l;
	struct tally t = { 0 };
	int rc = EXIT_OK;
	size_t i;

	f = read_fstab(ctx, o, &rc);
	if (!f)
		return rc;
	rc = swapctl_swaps_read(ctx, 0, &l);
	if (rc < 0) {
		swapctl_fstab_free(f);
		return cmd_lib_error(ctx, rc);
	}
	for (i = 0; i < swapctl_fstab_count(f); i++) {
		const struct swapctl_fstab_entry *e = swapctl_fstab_get(f, i);
		struct swapctl_swapon_opts so = {
			.prio = e->prio >= 0 ? e->prio : o->have_prio ? o->prio : -1,
			.discard = e->discard, .force = o->force, .dry_run = o->dry_run,
		};

		if (e->noauto)
			continue;
		if (!e->path[0]) {
			if (e->nofail)
				continue;
			cmd_error("%s: cannot find the device", e->spec);
			tally_add(&t, EXIT_SYSERR);
			continue;
		}
		if (!type_selected(o, e->path) || swapctl_swaplist_find(l, e->path))
			continue;
		tally_add(&t, add_one(ctx, e->path, &so));
	}
	swapctl_swaplist_free(l);
	swapctl_fstab_free(f);
	if (t.ok + t.failed == 0) {
		printf("nothing to do: every swap area in fstab is active\n");
		return EXIT_NOTHING;
	}
	return tally_exit(&t);
}

int cmd_remove_all(struct swapctl_ctx *ctx, const struct opts *o)
{
	struct swapctl_fstab *f;
	struct swapctl_swaplist *l;
	struct tally t = { 0 };
	int rc = EXIT_OK, r;
	size_t i;

	f = read_fstab(ctx, o, &rc);
	if (!f)
		return rc;
	r = swapctl_swaps_read(ctx, 0, &l);
	if (r < 0) {
		swapctl_fstab_free(f);
		return cmd_lib_error(ctx, r);
	}
	/* newest first: the reverse of /proc/swaps, which lists oldest first */
	for (i = swapctl_swaplist_count(l); i-- > 0;) {
		const struct swapctl_swap *sw = swapctl_swaplist_get(l, i);

		if (!swapctl_fstab_find(f, sw->path) || !type_selected(o, sw->path))
			continue;
		tally_add(&t, delete_one(ctx, sw->path, o));
	}
	swapctl_swaplist_free(l);
	swapctl_fstab_free(f);
	if (t.ok + t.failed == 0) {
		printf("nothing to do: no active swap area is in fstab\n");
		return EXIT_NOTHING;
	}
	return tally_exit(&t);
}

static const struct coldef list_cols[] = {
	{ "DEVICE", 0.3, 0, false, "path of the area", true },
	{ "SIZE", 10, SCOLS_FL_RIGHT, true, "size in the chosen units", true },
	{ "USED", 8, SCOLS_FL_RIGHT, true, "used", true },
	{ "AVAIL", 8, SCOLS_FL_RIGHT, true, "available", true },
	{ "CAPACITY", 8, SCOLS_FL_RIGHT, true, "used, in percent", true },
	{ "PRIO", 8, SCOLS_FL_RIGHT, true, "priority (higher is used first)", true },
	{ "TYPE", 8, 0, false, "file, partition, disk, loop, zram, device", false },
	{ "LABEL", 0.1, 0, false, "volume label", false },
	{ "UUID", 36, 0, false, "UUID", false },
};

void swapctl_list_help(void)
{
	table_help(list_cols, ARRAY_SIZE(list_cols));
}

static bool selected(const struct opts *o, const struct swapctl_swap *sw)
{
	return !o->have_prio || sw->prio == o->prio;
}

static void add_row(struct table *t, const struct units *u, const char *name, uint64_t size,
		    uint64_t used, const struct swapctl_swap *sw)
{
	struct libscols_line *ln = table_line(t);
	char buf[64];

	table_set(t, ln, "Device", "%s%s", name, sw && sw->deleted ? " (deleted)" : "");
	units_format(u, size, buf, sizeof(buf));
	table_set(t, ln, "Size", "%s", buf);
	units_format(u, used, buf, sizeof(buf));
	table_set(t, ln, "Used", "%s", buf);
	units_format(u, size - used, buf, sizeof(buf));
	table_set(t, ln, "Avail", "%s", buf);
	table_set(t, ln, "Capacity", t->json ? "%.0f" : "%.0f%%",
		  size ? 100.0 * (double)used / (double)size : 0.0);
	if (sw) {
		table_set(t, ln, "PRIO", "%d", sw->prio);
		table_set(t, ln, "Type", "%s", swapctl_kind_name(sw->kind));
		/* "?": unknown (not root, no udev data), not the same as none */
		table_set(t, ln, "Label", "%s", sw->identity_unknown && !t->json ? "?" : sw->label);
		table_set(t, ln, "UUID", "%s", sw->identity_unknown && !t->json ? "?" : sw->uuid);
	}
}

/* NetBSD's swaplist.c layout, byte for byte: the path column as wide as the
 * longest path (at least 11), the size column as wide as its header. */
static void bsd_list(const struct opts *o, const struct swapctl_swaplist *l)
{
	const char *hdr = o->units.header;
	uint64_t size = 0, used = 0;
	struct bsd_cells c;
	char name[4200];
	size_t i, n = 0;
	int w = 11, hlen = (int)strlen(hdr);

	for (i = 0; i < swapctl_swaplist_count(l); i++) {
		const struct swapctl_swap *sw = swapctl_swaplist_get(l, i);
		int len = (int)strlen(bsd_name(sw, name, sizeof(name)));

		if (selected(o, sw) && len > w)
			w = len;
	}
	printf("%-*s %*s %8s %8s %8s  %s\n", w, "Device", hlen, hdr, "Used", "Avail", "Capacity",
	       "Priority");
	for (i = 0; i < swapctl_swaplist_count(l); i++) {
		const struct swapctl_swap *sw = swapctl_swaplist_get(l, i);

		if (!selected(o, sw))
			continue;
		bsd_cells(&o->units, sw->size, sw->used, &c);
		printf("%-*s %*s %8s %8s %5.0f%%    %d\n", w, bsd_name(sw, name, sizeof(name)), hlen,
		       c.size, c.used, c.avail, c.pct, sw->prio);
		size += sw->size;
		used += sw->used;
		n++;
	}
	if (n > 1) {
		bsd_cells(&o->units, size, used, &c);
		printf("%-*s %*s %8s %8s %5.0f%%\n", w, "Total", hlen, c.size, c.used, c.avail, c.pct);
	}
}

int cmd_list(struct swapctl_ctx *ctx, const struct opts *o)
{
	struct swapctl_swaplist *l;
	uint64_t size = 0, used = 0;
	struct table t;
	size_t i, n = 0;
	int r;

	r = swapctl_swaps_read(ctx, o->out.columns ? SWAPCTL_READ_IDENTITY : 0, &l);
	if (r < 0)
		return cmd_lib_error(ctx, r);
	/* the plain listing is NetBSD's; -o, --raw, --noheadings, --json are tables */
	if (!o->out.columns && !o->out.raw && !o->out.noheadings && !o->out.json) {
		for (i = 0; i < swapctl_swaplist_count(l); i++)
			if (selected(o, swapctl_swaplist_get(l, i)))
				n++;
		if (n == 0)
			printf("no swap devices configured\n");
		else
			bsd_list(o, l);
		swapctl_swaplist_free(l);
		return EXIT_OK;
	}
	table_init(&t, "devices", &o->out, list_cols, ARRAY_SIZE(list_cols));
	table_rename(&t, "Size", o->units.header);
	for (i = 0; i < swapctl_swaplist_count(l); i++) {
		const struct swapctl_swap *sw = swapctl_swaplist_get(l, i);

		if (!selected(o, sw))
			continue;
		add_row(&t, &o->units, sw->path, sw->size, sw->used, sw);
		size += sw->size;
		used += sw->used;
		n++;
	}
	/* the BSD Total row is for eyes: --raw, --noheadings and JSON give data rows only */
	if (n > 1 && !o->out.json && !o->out.raw && !o->out.noheadings)
		add_row(&t, &o->units, "Total", size, used, NULL);
	if (n == 0 && !o->out.json)
		printf("no swap devices configured\n");
	else
		table_print(&t);
	table_free(&t);
	swapctl_swaplist_free(l);
	return EXIT_OK;
}

int cmd_summary(struct swapctl_ctx *ctx, const struct opts *o)
{
	struct swapctl_swaplist *l;
	uint64_t size = 0, used = 0;
	char a[32], b[32], c[32];
	size_t i, n = 0;
	int r;

	r = swapctl_swaps_read(ctx, 0, &l);
	if (r < 0)
		return cmd_lib_error(ctx, r);
	for (i = 0; i < swapctl_swaplist_count(l); i++) {
		const struct swapctl_swap *sw = swapctl_swaplist_get(l, i);

		if (selected(o, sw)) {
			size += sw->size;
			used += sw->used;
			n++;
		}
	}
	swapctl_swaplist_free(l);
	if (o->out.json) {
		struct json j;

		json_init(&j, stdout);
		json_open(&j, NULL, '{');
		json_u64(&j, "devices", n);
		json_u64(&j, "size", size);
		json_u64(&j, "used", used);
		json_u64(&j, "avail", size - used);
		json_close(&j, '}');
		json_finish(&j);
		return EXIT_OK;
	}
	if (n == 0) {
		printf("no swap devices configured\n");
		return EXIT_OK;
	}
	units_format(&o->units, size, a, sizeof(a));
	units_format(&o->units, used, b, sizeof(b));
	units_format(&o->units, size - used, c, sizeof(c));
	if (o->units.mode == UNITS_HUMAN)
		printf("total: %s allocated, %s used, %s available.\n", a, b, c);
	else
		printf("total: %s %s allocated, %s %s used, %s %s available\n", a, o->units.word, b,
		       o->units.word, c, o->units.word);
	return EXIT_OK;
}

int cmd_query(struct swapctl_ctx *ctx, const struct opts *o)
{
	struct swapctl_fstab *f;
	size_t n;
	int r = swapctl_fstab_read(ctx, o->fstab, &f);

	if (r < 0) {
		cmd_lib_error(ctx, r);
		return EXIT_SYSERR;
	}
	n = swapctl_fstab_count(f);
	swapctl_fstab_free(f);
	return n ? EXIT_OK : 1;
}
