/*
 * swapctl -c on a path: a new priority, label or UUID, or several at once.
 * Every change goes through the one off-change-on cycle (cycle.c); a label
 * or UUID is its change (relabel.c).
 */
#include <errno.h>
#include <string.h>
#include "internal.h"

/*
 * swapctl -c.  The kernel forbids writes to an active area (ETXTBSY) and
 * has no call to change a priority, so an active area goes through the
 * off-change-on cycle (cycle.c) with relabel_write as its change.
 */
SWAPCTL_EXPORT int swapctl_area_change(struct swapctl_ctx *ctx, const char *path,
				       const struct swapctl_change_opts *o,
				       struct swapctl_change_result *res)
{
	SWAPCTL_ENTER(ctx);
	struct relabel rl = { o->label, o->uuid };
	struct swapctl_change_result own;
	struct cycle c = {
		.what = "priority change", .prio = o->prio, .discard = o->discard,
		.force = o->force, .dry_run = o->dry_run, .need_active = o->prio >= 0,
	};
	int r;

	if (o->prio < -1 || o->prio > 32767)
		return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
					  "priority %d is not from 0 to 32767", o->prio);
	if (o->label && strlen(o->label) > SWAPCTL_LABEL_MAX)
		return swapctl_fail_input(ctx, EINVAL, "%s: label '%s' is %zu bytes long; at most %d fit",
				    path, o->label, strlen(o->label), SWAPCTL_LABEL_MAX);
	if (o->label || o->uuid) {
		r = relabel_check(ctx, path);
		if (r < 0)
			return r;
		c.what = "relabelling an active area";
		c.change = relabel_write;
		c.data = &rl;
	} else if (o->prio < 0) {
		return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
					  "%s: nothing to change (no label, UUID or priority)", path);
	}
	return cycle_run(ctx, path, &c, res ? res : &own);
}

SWAPCTL_EXPORT int swapctl_area_relabel(struct swapctl_ctx *ctx, const char *path,
					const char *label, const unsigned char *uuid)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_change_opts o = { .label = label, .uuid = uuid, .prio = -1 };

	return swapctl_area_change(ctx, path, &o, NULL);
}
