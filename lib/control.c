/*
 * Changing what is active: swapon, swapoff and priority changes, each with
 * the checks that make it safe, under the configuration lock.
 *
 *  - swapon verifies the area first (swapctl_area_verify) and refuses what
 *    the kernel would refuse, with the reason and the fix, and what it would
 *    take but should not: a hibernation image, an insecure mode (-f).
 *  - swapoff first checks that memory can take the area's pages back, and
 *    protects itself from the OOM killer while the kernel pages them in.
 *  - Linux has no call to change a priority: it is the off-change-on cycle
 *    of cycle.c with no change but the priority.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

/* Put back the magic a hibernation image replaced (with force only). */
static int clear_hibernation(struct swapctl_ctx *ctx, const char *path, const struct swapctl_header *h)
{
	static const char zero[8];
	struct area_fd a;
	int fd, r;

	/* forced: the image is what -f discards (other signatures were refused) */
	if ((r = area_open_write(ctx, path, AREA_FORCE, &a)) < 0)
		return r;
	fd = a.fd;
	if (h->sig == SWAPCTL_SIG_TUXONICE)
		r = pwrite_full(fd, zero, sizeof(zero), 0);
	else
		r = pwrite_full(fd, "SWAPSPACE2", 10, (off_t)h->pagesize - 10);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	close(fd);
	if (r < 0)
		return swapctl_fail_errno(ctx, -r, "%s: cannot rewrite the swap signature: %s", path, strerror(-r));
	info(ctx, "%s: hibernation image discarded", path);
	return 0;
}

/* Refuse, with the reason and the fix, what must not be activated. */
static int check_area(struct swapctl_ctx *ctx, const char *path, bool force, bool dry_run)
{
	struct swapctl_report *rep = malloc(sizeof(*rep));
	const struct swapctl_problem *p;
	unsigned i;
	int r;

	if (!rep)
		return -ENOMEM;
	rep->struct_size = sizeof(*rep);
	r = swapctl_area_verify(ctx, path, rep);
	if (r < 0)
		goto out;
	for (i = 0; i < rep->nproblems && r == 0; i++) {
		char fix[300] = "";

		p = &rep->problems[i];
		if (p->fix[0])
			snprintf(fix, sizeof(fix), " (fix: %s)", p->fix);
		if (p->defect == SWAPCTL_D_FOREIGN) {   /* the same probe as every writer's */
			if (!force)
				r = swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, EEXIST,
						       "%s: refusing to activate it: %s%s; use -f to activate it anyway",
						       path, p->text, fix);
			continue;
		}
		switch (swapctl_defect_severity(p->defect)) {
		case SWAPCTL_SEV_HIBERNATION:
			if (!force)
				r = swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, EEXIST,
						       "%s: %s; use -f to activate it anyway", path, p->text);
			else if (!dry_run && (r = clear_hibernation(ctx, path, &rep->hdr)) == 0)
				r = check_area(ctx, path, false, dry_run);
			goto out;
		case SWAPCTL_SEV_INVALID:
			r = swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, EINVAL,
					       "%s: not a usable swap area: %s%s", path, p->text, fix);
			break;
		case SWAPCTL_SEV_UNUSABLE:
			r = swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, EINVAL, "%s: %s%s", path, p->text, fix);
			break;
		case SWAPCTL_SEV_WARN:
			if (!force)
				r = swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, EPERM,
						       "%s: %s%s; use -f to activate it anyway", path,
						       p->text, fix);
			break;
		}
	}
out:
	free(rep);
	return r;
}

SWAPCTL_EXPORT int swapctl_swapon(struct swapctl_ctx *ctx, const char *path,
				  const struct swapctl_swapon_opts *o)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_swaplist *l;
	const struct swapctl_swap *sw;
	int r;

	if (o->prio < -1 || o->prio > 32767)
		return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
					  "priority %d is not from 0 to 32767", o->prio);
	if (!o->dry_run && (r = swapcall_require_admin(ctx, path, "swapon")) < 0)
		return r;
	r = swapctl_lock(ctx);
	if (r < 0)
		return r;
	r = swapctl_swaps_read(ctx, 0, &l);
	if (r < 0)
		goto out;
	sw = swapctl_swaplist_find(l, path);
	if (sw)
		r = swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, EBUSY, "%s: already active (priority %d)",
				       path, sw->prio);
	swapctl_swaplist_free(l);
	if (r == 0)
		r = check_area(ctx, path, o->force, o->dry_run);
	if (r == 0 && !o->dry_run)
		r = swapcall_on(ctx, path, swapcall_flags(o->prio, o->discard));
out:
	swapctl_unlock(ctx);
	return r;
}

SWAPCTL_EXPORT int swapctl_swapoff(struct swapctl_ctx *ctx, const char *path,
				   const struct swapctl_swapoff_opts *o)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_memcheck mc;
	int r;

	if (!o->dry_run && (r = swapcall_require_admin(ctx, path, "swapoff")) < 0)
		return r;
	r = swapctl_lock(ctx);
	if (r < 0)
		return r;
	r = swapctl_swapoff_check(ctx, path, &mc);
	if (r == 0 && !mc.ok && !o->force)
		r = memcheck_refuse(ctx, path, &mc);
	if (r == 0 && !o->dry_run)
		r = swapcall_off(ctx, path);
	swapctl_unlock(ctx);
	return r;
}

SWAPCTL_EXPORT int swapctl_set_priority(struct swapctl_ctx *ctx, const char *path, int prio,
					enum swapctl_discard discard, bool force)
{
	SWAPCTL_ENTER(ctx);
	struct cycle c = {
		.what = "priority change", .prio = prio, .discard = discard, .force = force,
		.need_active = true,
	};
	struct swapctl_change_result res;

	if (prio < 0 || prio > 32767)
		return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
					  "priority %d is not from 0 to 32767", prio);
	return cycle_run(ctx, path, &c, &res);
}
