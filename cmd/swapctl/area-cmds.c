/* swapctl -F (format), -V (verify) and -c -L/-u (relabel). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include "swapctl.h"

static void human(uint64_t bytes, char *buf, size_t size)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = (double)bytes;
	unsigned i = 0;

	while (v >= 1024 && i + 1 < ARRAY_SIZE(unit)) {
		v /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(buf, size, "%llu B", (unsigned long long)bytes);
	else
		snprintf(buf, size, "%.*f %s", v < 10 ? 1 : 0, v, unit[i]);
}

/* -u argument: a UUID or one of clear/random/time. */
static int uuid_mode(const char *arg, enum swapctl_uuid_mode *mode, unsigned char *uuid)
{
	if (!arg || !strcmp(arg, "random"))
		*mode = SWAPCTL_UUID_RANDOM;
	else if (!strcmp(arg, "time"))
		*mode = SWAPCTL_UUID_TIME;
	else if (!strcmp(arg, "clear"))
		*mode = SWAPCTL_UUID_CLEAR;
	else if (swapctl_uuid_parse(arg, uuid) == 0)
		*mode = SWAPCTL_UUID_GIVEN;
	else
		return -1;
	return 0;
}

static void one_path(int n, const char *what)
{
	if (n != 1)
		cmd_usage_error("%s takes exactly one PATH", what);
}

static void print_warnings(const struct swapctl_report *rep)
{
	unsigned i;

	for (i = 0; i < rep->nproblems; i++) {
		const struct swapctl_problem *p = &rep->problems[i];

		if (p->fix[0])
			cmd_warn("%s: %s (fix: %s)", rep->path, p->text, p->fix);
		else
			cmd_warn("%s: %s", rep->path, p->text);
	}
}

int cmd_format(struct swapctl_ctx *ctx, const struct opts *o, char **paths, int n)
{
	struct swapctl_format_opts fo = { 0 };
	struct swapctl_format_result res;
	struct swapctl_report *rep;
	char uuid[37], size[32], at[48] = "";
	const char *path;
	unsigned i;
	int r;

	one_path(n, "-F");
	path = paths[0];
	if (uuid_mode(o->uuid, &fo.uuid_mode, fo.uuid) < 0)
		cmd_usage_error("-u: '%s' is not a UUID, clear, random or time", o->uuid);
	fo.label = o->label;
	fo.pagesize = o->pagesize;
	fo.endian = o->endian;
	fo.size = o->size;
	fo.force = o->force;
	fo.dry_run = o->dry_run;
	fo.offset = o->offset;

	r = swapctl_area_format(ctx, path, &fo, &res);
	if (r < 0)
		return cmd_lib_error(ctx, r);

	swapctl_uuid_unparse(res.uuid, uuid);
	human((res.pages - 1) * res.pagesize, size, sizeof(size));
	if (o->offset)
		snprintf(at, sizeof(at), " at offset %llu", (unsigned long long)o->offset);
	if (o->dry_run) {
		if (res.created)
			printf("would create %s (%llu bytes, mode 0600)\n", path,
			       (unsigned long long)o->size);
		else if (res.resized)
			printf("would resize %s to %llu bytes\n", path, (unsigned long long)o->size);
		for (i = 0; i < res.nwiped; i++)
			printf("would wipe the %s signature\n", res.wiped[i]);
		printf("would write swap header version 1 to %s%s: %llu pages of %u bytes, "
		       "%s usable, %s%s%s, UUID=%s\n", path, at, (unsigned long long)res.pages,
		       res.pagesize, size, o->label ? "LABEL=" : "no label",
		       o->label ? o->label : "", "", uuid);
		return EXIT_OK;
	}
	if (o->quiet)
		return EXIT_OK;
	for (i = 0; i < res.nwiped; i++)
		if (strcmp(res.wiped[i], "swap"))
			printf("wiped the %s signature\n", res.wiped[i]);
	printf("%s: swap area version 1%s, %llu pages of %u bytes, %s usable, %s%s, UUID=%s\n",
	       path, at, (unsigned long long)res.pages, res.pagesize, size,
	       o->label ? "LABEL=" : "no label", o->label ? o->label : "", uuid);

	/* what the new area still lacks (holes, mode ...) is worth saying */
	rep = calloc(1, sizeof(*rep));
	if (rep)
		rep->struct_size = sizeof(*rep);
	if (rep && swapctl_area_verify_at(ctx, path, o->offset, rep) == 0)
		print_warnings(rep);
	free(rep);
	return EXIT_OK;
}

static const char *endian_name(enum swapctl_endian e)
{
	return e == SWAPCTL_ENDIAN_BIG ? "big-endian" : "little-endian";
}

static bool endian_native(enum swapctl_endian e)
{
	return (e == SWAPCTL_ENDIAN_BIG) == (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
}

static bool has_defect(const struct swapctl_report *rep, enum swapctl_defect d)
{
	unsigned i;

	for (i = 0; i < rep->nproblems; i++)
		if (rep->problems[i].defect == d)
			return true;
	return false;
}

static const char *verdict(const struct swapctl_report *rep)
{
	switch (rep->worst) {
	case SWAPCTL_SEV_UNUSABLE:
		if (has_defect(rep, SWAPCTL_D_FOREIGN))
			return "ambiguous: a swap header beside other signatures";
		return "swap area this kernel cannot use";
	case SWAPCTL_SEV_INVALID:
		return "not a valid swap area";
	case SWAPCTL_SEV_HIBERNATION:
		return "hibernation image";
	default:
		return "usable swap area";
	}
}

static int verdict_exit(const struct swapctl_report *rep)
{
	switch (rep->worst) {
	case SWAPCTL_SEV_UNUSABLE:
		return EXIT_UNUSABLE;
	case SWAPCTL_SEV_INVALID:
		return EXIT_NOTSWAP;
	case SWAPCTL_SEV_HIBERNATION:
		return EXIT_HIBERNATION;
	default:
		return EXIT_OK;
	}
}

static bool has_fields(const struct swapctl_header *h)
{
	return h->sig != SWAPCTL_SIG_NONE && h->sig != SWAPCTL_SIG_SWAPSPACE1;
}

/* The kernel command line that resumes from this area, or why there is none. */
static void print_resume_text(struct swapctl_ctx *ctx, const struct swapctl_report *rep,
			      const struct swapctl_resume *rs, int r)
{
	if (rep->offset)
		printf("  %-12s none: the kernel resumes only from an active swap area, and cannot "
		       "activate one at an offset\n", "resume:");
	else if (r < 0)
		printf("  %-12s none: %s\n", "resume:", swapctl_errmsg(ctx));
	else if (rs->is_file)
		printf("  %-12s resume=UUID=%s resume_offset=%llu\n", "resume:", rs->uuid,
		       (unsigned long long)rs->offset);
	else
		printf("  %-12s resume=UUID=%s\n", "resume:", rs->uuid);
}

static void print_resume_json(struct json *j, const struct swapctl_report *rep,
			      const struct swapctl_resume *rs, int r)
{
	if (r < 0 || rep->offset) {
		json_str(j, "resume", NULL);
		return;
	}
	json_open(j, "resume", '{');
	json_str(j, "uuid", rs->uuid);
	if (rs->is_file)
		json_u64(j, "offset", rs->offset);
	else
		json_str(j, "offset", NULL);
	json_close(j, '}');
}

static void print_text(struct swapctl_ctx *ctx, const struct swapctl_report *rep)
{
	const struct swapctl_header *h = &rep->hdr;
	struct swapctl_resume rs;
	char uuid[37], buf[32];
	unsigned i;

	printf("%s: %s\n", rep->path, verdict(rep));
	printf("  %-12s %s\n", "type:", rep->is_blockdev ? "block device" : "regular file");
	if (rep->fstype[0])
		printf("  %-12s %s\n", "filesystem:", rep->fstype);
	if (rep->offset)
		printf("  %-12s %llu bytes into the %s\n", "offset:", (unsigned long long)rep->offset,
		       rep->is_blockdev ? "device" : "file");
	human(rep->size, buf, sizeof(buf));
	printf("  %-12s %llu bytes (%s)%s\n", "size:", (unsigned long long)rep->size, buf,
	       rep->offset ? " from the offset on" : "");
	printf("  %-12s %s\n", "signature:", swapctl_sig_name(h->sig));
	if (h->sig == SWAPCTL_SIG_NONE)
		goto problems;
	printf("  %-12s %u (this kernel: %u)\n", "page size:", h->pagesize, rep->kernel_pagesize);
	if (has_fields(h)) {
		printf("  %-12s %s%s\n", "byte order:", endian_name(h->endian),
		       endian_native(h->endian) ? " (native)" : " (not this machine's; the kernel accepts it)");
		printf("  %-12s %u\n", "version:", h->version);
		printf("  %-12s %llu pages (last_page %u)\n", "area:",
		       (unsigned long long)h->last_page + 1, h->last_page);
		human(rep->usable_pages * h->pagesize, buf, sizeof(buf));
		printf("  %-12s %llu pages (%s)\n", "usable:", (unsigned long long)rep->usable_pages, buf);
		printf("  %-12s %u", "bad pages:", h->nr_badpages);
		for (i = 0; i < h->nr_badpages && i < 16 && i < swapctl_badpages_max(h->pagesize); i++)
			printf("%s%u", i ? "," : " (", h->badpages[i]);
		printf("%s\n", h->nr_badpages > 16 ? ",...)" : h->nr_badpages ? ")" : "");
		printf("  %-12s %s\n", "label:", h->label[0] ? h->label : "(none)");
		swapctl_uuid_unparse(h->uuid, uuid);
		printf("  %-12s %s\n", "UUID:", swapctl_uuid_is_null(h->uuid) ? "(none)" : uuid);
		print_resume_text(ctx, rep, &rs, rep->offset ? 0 : swapctl_resume_params(ctx, rep->path, &rs));
	}
problems:
	for (i = 0; i < rep->nproblems; i++) {
		const struct swapctl_problem *p = &rep->problems[i];
		enum swapctl_severity s = swapctl_defect_severity(p->defect);

		printf("  %s: %s\n", s == SWAPCTL_SEV_WARN ? "warning" : "error", p->text);
		if (p->fix[0])
			printf("    fix: %s\n", p->fix);
	}
}

static void print_json(struct swapctl_ctx *ctx, struct json *j, const struct swapctl_report *rep)
{
	const struct swapctl_header *h = &rep->hdr;
	struct swapctl_resume rs;
	char uuid[37];
	unsigned i;

	json_open(j, NULL, '{');
	json_str(j, "path", rep->path);
	json_str(j, "verdict", swapctl_severity_name(rep->worst));
	json_str(j, "type", rep->is_blockdev ? "block" : "file");
	json_str(j, "filesystem", rep->fstype[0] ? rep->fstype : NULL);
	json_u64(j, "offset", rep->offset);
	json_u64(j, "size", rep->size);
	json_u64(j, "kernel_pagesize", rep->kernel_pagesize);
	json_str(j, "signature", swapctl_sig_name(h->sig));
	if (has_fields(h)) {
		json_u64(j, "pagesize", h->pagesize);
		json_str(j, "endianness", h->endian == SWAPCTL_ENDIAN_BIG ? "big" : "little");
		json_u64(j, "version", h->version);
		json_u64(j, "last_page", h->last_page);
		json_u64(j, "usable_pages", rep->usable_pages);
		json_u64(j, "nr_badpages", h->nr_badpages);
		json_open(j, "badpages", '[');
		for (i = 0; i < h->nr_badpages && i < swapctl_badpages_max(h->pagesize); i++)
			json_u64(j, NULL, h->badpages[i]);
		json_close(j, ']');
		json_str(j, "label", h->label[0] ? h->label : NULL);
		swapctl_uuid_unparse(h->uuid, uuid);
		json_str(j, "uuid", swapctl_uuid_is_null(h->uuid) ? NULL : uuid);
		print_resume_json(j, rep, &rs, rep->offset ? 0 : swapctl_resume_params(ctx, rep->path, &rs));
	}
	json_open(j, "problems", '[');
	for (i = 0; i < rep->nproblems; i++) {
		const struct swapctl_problem *p = &rep->problems[i];

		json_open(j, NULL, '{');
		json_str(j, "defect", swapctl_defect_name(p->defect));
		json_str(j, "severity",
			 swapctl_defect_severity(p->defect) == SWAPCTL_SEV_WARN ? "warning" : "error");
		json_str(j, "text", p->text);
		json_str(j, "fix", p->fix[0] ? p->fix : NULL);
		json_close(j, '}');
	}
	json_close(j, ']');
	json_close(j, '}');
}

/* A terminal sees the scan move: one stderr line, redrawn five times a
 * second, with what is done, the rate and the time left. */
struct progress {
	const char *path;
	double start, last;
	bool shown;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void show_progress(void *data, const char *what, uint64_t done, uint64_t total)
{
	struct progress *pr = data;
	double t = now(), rate;

	if (t - pr->last < 0.2 || !total || done > total)
		return;
	pr->last = t;
	rate = t > pr->start ? (double)done / (t - pr->start) : 0;
	fprintf(stderr, "\r%s: %s: %3.0f%% (%llu of %llu pages), %.0f MiB/s, %.0f s left\033[K",
		pr->path, what, 100.0 * (double)done / (double)total, (unsigned long long)done,
		(unsigned long long)total,
		rate * swapctl_kernel_pagesize() / (1024.0 * 1024.0),
		rate > 0 ? (double)(total - done) / rate : 0.0);
	pr->shown = true;
}

/* -V --scan: every usable page written and read back through the engine. */
static int scan_one(struct swapctl_ctx *ctx, const struct opts *o, const char *path)
{
	struct swapctl_scan_result res;
	struct progress pr = { path, now(), now(), false };
	double mib;
	size_t i;
	int r;

	/* progress only for a person watching: stderr a terminal, no -q */
	if (!o->quiet && isatty(STDERR_FILENO))
		swapctl_set_progress_fn(ctx, show_progress, &pr);
	r = swapctl_area_scan(ctx, path, &res);
	swapctl_set_progress_fn(ctx, NULL, NULL);
	if (pr.shown)
		fputs("\r\033[K", stderr);
	if (r < 0)
		return cmd_lib_error(ctx, r);
	mib = (double)res.pages_tested * swapctl_kernel_pagesize() / (1024.0 * 1024.0);
	printf("%s: %llu pages written and read back: %zu bad", path,
	       (unsigned long long)res.pages_tested, res.nbad);
	for (i = 0; i < res.nbad && i < 32; i++)
		printf("%s%llu", i ? "," : " (", (unsigned long long)res.bad[i]);
	printf("%s\n", res.nbad > 32 ? ",...)" : res.nbad ? ")" : "");
	if (res.write_seconds > 0 && res.read_seconds > 0)
		printf("  write %.1f MiB/s, read %.1f MiB/s\n", mib / res.write_seconds, mib / res.read_seconds);
	if (res.nbad && o->record) {
		r = swapctl_area_record_bad(ctx, path, res.bad, res.nbad);
		free(res.bad);
		if (r < 0)
			return cmd_lib_error(ctx, r);
		printf("%s: %zu bad pages recorded in the header\n", path, res.nbad);
		return EXIT_OK;
	}
	free(res.bad);
	return res.nbad ? EXIT_UNUSABLE : EXIT_OK;
}

int cmd_verify(struct swapctl_ctx *ctx, const struct opts *o, char **paths, int n)
{
	struct swapctl_report *rep = malloc(sizeof(*rep));
	struct json j;
	int i, r, rc = EXIT_OK, worst = EXIT_OK;

	if (n < 1)
		cmd_usage_error("-V needs at least one PATH");
	if (!rep)
		return EXIT_SYSERR;
	rep->struct_size = sizeof(*rep);
	json_init(&j, stdout);
	/* one array whatever the count, so a script reads every answer alike */
	if (o->json)
		json_open(&j, NULL, '[');
	for (i = 0; i < n; i++) {
		if (o->scan) {
			rc = scan_one(ctx, o, paths[i]);
			if (rc > worst)
				worst = rc;
			continue;
		}
		r = swapctl_area_verify_at(ctx, paths[i], o->offset, rep);
		if (r < 0) {
			rc = cmd_lib_error(ctx, r);
			if (rc == EXIT_REFUSED)
				rc = EXIT_NOTSWAP;      /* a directory or a FIFO is not swap */
		} else {
			rc = verdict_exit(rep);
			if (o->json)
				print_json(ctx, &j, rep);
			else if (!o->quiet)
				print_text(ctx, rep);
		}
		if (rc > worst)
			worst = rc;
	}
	if (o->json)
		json_close(&j, ']');
	if (o->json)
		json_finish(&j);
	free(rep);
	return worst;
}

#define MIB (1024ull * 1024)

/* The discard policy fstab gives this area (none when it is not listed or
 * fstab cannot be read), so a cycle gives it back: the kernel does not say. */
static enum swapctl_discard fstab_discard(struct swapctl_ctx *ctx, const struct opts *o, const char *path)
{
	enum swapctl_discard d = SWAPCTL_DISCARD_NONE;
	const struct swapctl_fstab_entry *e;
	struct swapctl_fstab *f;

	if (swapctl_fstab_read(ctx, o->fstab, &f) < 0)
		return d;
	if ((e = swapctl_fstab_find(f, path)))
		d = e->discard;
	swapctl_fstab_free(f);
	return d;
}

/* Where an active area comes back (the library's answer in a dry run). */
static void back_at(const struct swapctl_change_result *res, char *buf, size_t size)
{
	if (res->prio != INT_MIN)
		snprintf(buf, size, "priority %d", res->prio);
	else
		snprintf(buf, size, "the next priority the kernel chooses (one it chose, like %d, "
			 "cannot be asked for)", res->old_prio);
}

/* -c -n: what would be done, with the decisions already taken. */
static int print_change_plan(const struct opts *o, const char *path, enum swapctl_uuid_mode mode,
			     const unsigned char *uuid, const struct swapctl_change_result *res)
{
	const struct swapctl_memcheck *mc = &res->mc;
	char s[37], where[128];

	if (o->label && o->label[0])
		printf("would set the label of %s to '%s'\n", path, o->label);
	else if (o->label)
		printf("would clear the label of %s\n", path);
	if (o->uuid) {
		swapctl_uuid_unparse(uuid, s);
		if (mode == SWAPCTL_UUID_GIVEN)
			printf("would set the UUID of %s to %s\n", path, s);
		else if (mode == SWAPCTL_UUID_CLEAR)
			printf("would clear the UUID of %s\n", path);
		else
			printf("would give %s a new %s UUID\n", path,
			       mode == SWAPCTL_UUID_TIME ? "time-based" : "random");
	}
	if (o->have_prio)
		printf("would change the priority of %s from %d to %d\n", path, res->old_prio, o->prio);
	if (!res->active) {
		printf("%s is not active: its header would be written in place\n", path);
		return EXIT_OK;
	}
	back_at(res, where, sizeof(where));
	printf("%s is active at priority %d: it would be deactivated and activated again at %s\n",
	       path, res->old_prio, where);
	printf("  memory check: %llu MiB used, %llu MiB available + %llu MiB free on other areas, "
	       "%llu MiB kept in reserve: %s\n", (unsigned long long)(mc->used / MIB),
	       (unsigned long long)(mc->mem_available / MIB), (unsigned long long)(mc->other_free / MIB),
	       (unsigned long long)(mc->margin / MIB), mc->ok ? "passes" : "fails, -f skips it");
	return EXIT_OK;
}

/* -c: a new priority (-p), label (-L) or UUID (-u), or several at once, in
 * one cycle when the area is active. */
int cmd_change(struct swapctl_ctx *ctx, const struct opts *o, char **paths, int n)
{
	struct swapctl_change_opts co = { .prio = -1 };
	struct swapctl_change_result res;
	enum swapctl_uuid_mode mode = SWAPCTL_UUID_RANDOM;
	unsigned char uuid[16] = { 0 };
	const char *path;
	char s[37];
	int r;

	one_path(n, "-c");
	path = paths[0];
	if (!o->label && !o->uuid && !o->have_prio)
		cmd_usage_error("-c needs -p priority, -L label or -u uuid");
	if (o->uuid) {
		if (uuid_mode(o->uuid, &mode, uuid) < 0)
			cmd_usage_error("-u: '%s' is not a UUID, clear, random or time", o->uuid);
		if (mode == SWAPCTL_UUID_CLEAR)
			memset(uuid, 0, 16);
		else if (mode != SWAPCTL_UUID_GIVEN)
			swapctl_uuid_generate(mode == SWAPCTL_UUID_TIME, uuid);
		co.uuid = uuid;
	}
	co.label = o->label;
	co.prio = o->have_prio ? o->prio : -1;
	co.discard = fstab_discard(ctx, o, path);
	co.force = o->force;
	co.dry_run = o->dry_run;
	r = swapctl_area_change(ctx, path, &co, &res);
	if (r < 0)
		return cmd_lib_error(ctx, r);
	if (r == 1) {
		printf("%s: already at priority %d\n", path, o->prio);
		return EXIT_NOTHING;
	}
	if (o->dry_run)
		return print_change_plan(o, path, mode, uuid, &res);
	if (o->quiet)
		return EXIT_OK;
	if (o->label)
		printf("%s: label set to '%s'\n", path, o->label);
	if (o->uuid) {
		swapctl_uuid_unparse(uuid, s);
		printf("%s: UUID set to %s\n", path, s);
	}
	if (o->have_prio) {
		printf("%s: priority %d -> %d\n", path, res.old_prio,
		       res.prio == INT_MIN ? o->prio : res.prio);
	} else if (res.active && res.prio == INT_MIN) {
		printf("%s: deactivated, changed and activated again\n", path);
	} else if (res.active && res.prio == res.old_prio) {
		printf("%s: deactivated, changed and activated again at priority %d\n", path, res.prio);
	} else if (res.active) {
		printf("%s: deactivated, changed and activated again at priority %d: it was at %d, "
		       "a priority the kernel chose, which cannot be asked for\n", path, res.prio,
		       res.old_prio);
	}
	return EXIT_OK;
}
