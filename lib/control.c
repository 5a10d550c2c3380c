/*
 * Changing what is active: swapon, swapoff and priority changes, each with
 * the checks that make it safe, under the configuration lock.
 *
 *  - swapon verifies the area first (swapctl_area_verify) and refuses what
 *    the kernel would refuse, with the reason and the fix, and what it would
 *    take but should not: a hibernation image, an insecure mode (-f).
 *  - swapoff first checks that memory can take the area's pages back, and
 *    protects itself from the OOM killer while the kernel pages them in.
 *  - Linux has no call to change a priority: it is a checked swapoff and a
 *    swapon at the new priority, and if that swapon fails the old priority
 *    is restored, so the area is never left off.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "internal.h"

#ifndef SWAP_FLAG_PREFER
#define SWAP_FLAG_PREFER 0x8000
#endif
#ifndef SWAP_FLAG_PRIO_MASK
#define SWAP_FLAG_PRIO_MASK 0x7fff
#endif
#ifndef SWAP_FLAG_DISCARD
#define SWAP_FLAG_DISCARD 0x10000
#endif
#define FLAG_DISCARD_ONCE 0x20000
#define FLAG_DISCARD_PAGES 0x40000

#define MIB (1024ull * 1024)

static int swap_flags(int prio, enum swapctl_discard d)
{
	int f = 0;

	if (prio >= 0)
		f |= SWAP_FLAG_PREFER | (prio & SWAP_FLAG_PRIO_MASK);
	switch (d) {
	case SWAPCTL_DISCARD_BOTH:
		f |= SWAP_FLAG_DISCARD;
		break;
	case SWAPCTL_DISCARD_ONCE:
		f |= SWAP_FLAG_DISCARD | FLAG_DISCARD_ONCE;
		break;
	case SWAPCTL_DISCARD_PAGES:
		f |= SWAP_FLAG_DISCARD | FLAG_DISCARD_PAGES;
		break;
	case SWAPCTL_DISCARD_NONE:
		break;
	}
	return f;
}

/* Test hook: SWAPCTL_DEBUG_FAIL=swapon-new makes the swapon at a new
 * priority fail with EIO, to exercise the restore path on a real area. */
static bool debug_fail(const char *what)
{
	const char *v = getenv("SWAPCTL_DEBUG_FAIL");

	return v && !strcmp(v, what);
}

/* swapon(2) and swapoff(2) need CAP_SYS_ADMIN: say so before anything else. */
static int require_admin(struct swapctl_ctx *ctx, const char *path, const char *what)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data) == 0 &&
	    (data[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32))))
		return 0;
	return swapctl_fail_class(ctx, SWAPCTL_E_PERM, EPERM,
				  "%s: %s: not permitted (needs root or CAP_SYS_ADMIN)", path, what);
}

static int do_swapon(struct swapctl_ctx *ctx, const char *path, int flags)
{
	if (swapon(path, flags) == 0)
		return 0;
	if (errno == EPERM)
		return swapctl_fail_class(ctx, SWAPCTL_E_PERM, EPERM,
					  "%s: swapon: not permitted (needs root)", path);
	return swapctl_fail_class(ctx, SWAPCTL_E_SYSCALL, errno, "%s: swapon failed: %s", path,
				  strerror(errno));
}

/* Keep the OOM killer away from us while swapoff pages everything in. */
static void oom_protect(char *saved, size_t size)
{
	int fd = open("/proc/self/oom_score_adj", O_RDWR | O_CLOEXEC);
	ssize_t n;

	saved[0] = '\0';
	if (fd < 0)
		return;
	n = read(fd, saved, size - 1);
	saved[n > 0 ? n : 0] = '\0';
	if (pwrite(fd, "-1000", 5, 0) < 0)
		saved[0] = '\0';
	close(fd);
}

static void oom_restore(const char *saved)
{
	int fd;

	if (!saved[0])
		return;
	fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, saved, strlen(saved)) < 0) {
		/* nothing more to do: we only lose our own protection */
	}
	close(fd);
}

static int do_swapoff(struct swapctl_ctx *ctx, const char *path)
{
	char saved[32];
	int r = 0, e;

	oom_protect(saved, sizeof(saved));
	if (swapoff(path) < 0) {
		e = errno;
		if (e == EPERM)
			r = swapctl_fail_class(ctx, SWAPCTL_E_PERM, e,
					       "%s: swapoff: not permitted (needs root)", path);
		else if (e == ENOMEM)
			r = swapctl_fail_class(ctx, SWAPCTL_E_SYSCALL, e,
					       "%s: swapoff failed: out of memory; the area stays active", path);
		else
			r = swapctl_fail_class(ctx, SWAPCTL_E_SYSCALL, e, "%s: swapoff failed: %s", path,
					       strerror(e));
	}
	oom_restore(saved);
	return r;
}

/* Put back the magic a hibernation image replaced (with force only). */
static int clear_hibernation(struct swapctl_ctx *ctx, const char *path, const struct swapctl_header *h)
{
	static const char zero[8];
	int fd = open(path, O_WRONLY | O_CLOEXEC), r;

	if (fd < 0)
		return swapctl_fail(ctx, errno, "%s: %s", path, strerror(errno));
	if (h->sig == SWAPCTL_SIG_TUXONICE)
		r = pwrite_full(fd, zero, sizeof(zero), 0);
	else
		r = pwrite_full(fd, "SWAPSPACE2", 10, (off_t)h->pagesize - 10);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	close(fd);
	if (r < 0)
		return swapctl_fail(ctx, -r, "%s: cannot rewrite the swap signature: %s", path, strerror(-r));
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
	r = swapctl_area_verify(ctx, path, rep);
	if (r < 0)
		goto out;
	for (i = 0; i < rep->nproblems && r == 0; i++) {
		char fix[300] = "";

		p = &rep->problems[i];
		if (p->fix[0])
			snprintf(fix, sizeof(fix), " (fix: %s)", p->fix);
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
	struct swapctl_swaplist *l;
	const struct swapctl_swap *sw;
	int r;

	if (o->prio < -1 || o->prio > 32767)
		return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
					  "priority %d is not from 0 to 32767", o->prio);
	if (!o->dry_run && (r = require_admin(ctx, path, "swapon")) < 0)
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
		r = do_swapon(ctx, path, swap_flags(o->prio, o->discard));
out:
	swapctl_unlock(ctx);
	return r;
}

SWAPCTL_EXPORT int swapctl_swapoff_check(struct swapctl_ctx *ctx, const char *path,
					 struct swapctl_memcheck *mc)
{
	struct swapctl_swaplist *l;
	const struct swapctl_swap *sw;
	struct swapctl_meminfo mi;
	size_t i;
	int r;

	memset(mc, 0, sizeof(*mc));
	r = swapctl_swaps_read(ctx, 0, &l);
	if (r < 0)
		return r;
	sw = swapctl_swaplist_find(l, path);
	if (!sw) {
		struct stat st;
		int e = stat(path, &st) < 0 ? errno : 0;

		swapctl_swaplist_free(l);
		/* a path that is not there at all is a system error, as for -a */
		if (e)
			return swapctl_fail_class(ctx, SWAPCTL_E_SYSTEM, e, "%s: %s", path, strerror(e));
		return swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, ENOENT, "%s: not an active swap area",
					  path);
	}
	r = swapctl_meminfo_read(ctx, &mi);
	if (r < 0) {
		swapctl_swaplist_free(l);
		return r;
	}
	mc->used = sw->used;
	for (i = 0; i < swapctl_swaplist_count(l); i++) {
		const struct swapctl_swap *o = swapctl_swaplist_get(l, i);

		if (o != sw)
			mc->other_free += o->size - o->used;
	}
	mc->mem_available = mi.mem_available;
	/* keep 64 MiB or 1/32 of RAM, whichever is more, for everyone else */
	mc->margin = mi.mem_total / 32 > 64 * MIB ? mi.mem_total / 32 : 64 * MIB;
	mc->ok = mc->used == 0 || mc->used + mc->margin <= mc->mem_available + mc->other_free;
	swapctl_swaplist_free(l);
	return 0;
}

static int refuse_memory(struct swapctl_ctx *ctx, const char *path, const struct swapctl_memcheck *mc)
{
	return swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, ENOMEM,
				  "%s: memory cannot take its pages back: %llu MiB used, %llu MiB available "
				  "+ %llu MiB free on other areas, %llu MiB kept in reserve; use -f to try anyway",
				  path, (unsigned long long)(mc->used / MIB),
				  (unsigned long long)(mc->mem_available / MIB),
				  (unsigned long long)(mc->other_free / MIB),
				  (unsigned long long)(mc->margin / MIB));
}

SWAPCTL_EXPORT int swapctl_swapoff(struct swapctl_ctx *ctx, const char *path,
				   const struct swapctl_swapoff_opts *o)
{
	struct swapctl_memcheck mc;
	int r;

	if (!o->dry_run && (r = require_admin(ctx, path, "swapoff")) < 0)
		return r;
	r = swapctl_lock(ctx);
	if (r < 0)
		return r;
	r = swapctl_swapoff_check(ctx, path, &mc);
	if (r == 0 && !mc.ok && !o->force)
		r = refuse_memory(ctx, path, &mc);
	if (r == 0 && !o->dry_run)
		r = do_swapoff(ctx, path);
	swapctl_unlock(ctx);
	return r;
}

/* Find path's current priority; -ENOENT-style refusal when not active. */
static int active_prio(struct swapctl_ctx *ctx, const char *path, int *prio)
{
	struct swapctl_swaplist *l;
	const struct swapctl_swap *sw;
	int r = swapctl_swaps_read(ctx, 0, &l);

	if (r < 0)
		return r;
	sw = swapctl_swaplist_find(l, path);
	if (sw)
		*prio = sw->prio;
	else
		r = swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, ENOENT, "%s: not an active swap area", path);
	swapctl_swaplist_free(l);
	return r;
}

SWAPCTL_EXPORT int swapctl_set_priority(struct swapctl_ctx *ctx, const char *path, int prio,
					enum swapctl_discard discard, bool force)
{
	struct swapctl_memcheck mc;
	int old, r, r2;

	if (prio < 0 || prio > 32767)
		return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
					  "priority %d is not from 0 to 32767", prio);
	if ((r = require_admin(ctx, path, "priority change")) < 0)
		return r;
	r = swapctl_lock(ctx);
	if (r < 0)
		return r;
	r = active_prio(ctx, path, &old);
	if (r < 0 || old == prio) {
		r = r < 0 ? r : 1;      /* 1: already there, nothing done */
		goto out;
	}
	r = swapctl_swapoff_check(ctx, path, &mc);
	if (r == 0 && !mc.ok && !force)
		r = refuse_memory(ctx, path, &mc);
	if (r == 0)
		r = do_swapoff(ctx, path);
	if (r < 0)
		goto out;
	if (debug_fail("swapon-new"))
		r = swapctl_fail_class(ctx, SWAPCTL_E_SYSCALL, EIO, "%s: swapon failed: %s", path,
				       strerror(EIO));
	else
		r = do_swapon(ctx, path, swap_flags(prio, discard));
	if (r < 0) {
		char first[1024];

		snprintf(first, sizeof(first), "%s", swapctl_errmsg(ctx));
		r2 = do_swapon(ctx, path, swap_flags(old >= 0 ? old : -1, discard));
		if (r2 == 0)
			r = swapctl_fail_class(ctx, SWAPCTL_E_SYSCALL, -r,
					       "%s; restored the old priority %d", first, old);
		else
			r = swapctl_fail_class(ctx, SWAPCTL_E_SYSCALL, -r,
					       "%s; restoring priority %d failed too: the area is OFF", first, old);
	}
out:
	swapctl_unlock(ctx);
	return r;
}

int control_cycle(struct swapctl_ctx *ctx, const char *path,
		  int (*fn)(struct swapctl_ctx *ctx, const char *path, void *data), void *data)
{
	struct swapctl_memcheck mc;
	int old, r, r2;

	if ((r = require_admin(ctx, path, "relabelling an active area")) < 0)
		return r;
	r = swapctl_lock(ctx);
	if (r < 0)
		return r;
	r = active_prio(ctx, path, &old);
	if (r == 0)
		r = swapctl_swapoff_check(ctx, path, &mc);
	if (r == 0 && !mc.ok)
		r = refuse_memory(ctx, path, &mc);
	if (r == 0)
		r = do_swapoff(ctx, path);
	if (r < 0)
		goto out;
	r = fn(ctx, path, data);
	/* whatever fn did, the area goes back on at the priority it had */
	r2 = do_swapon(ctx, path, swap_flags(old >= 0 ? old : -1, SWAPCTL_DISCARD_NONE));
	if (r2 < 0 && r == 0)
		r = r2;
out:
	swapctl_unlock(ctx);
	return r;
}
