/*
 * The one off-change-on cycle behind swapctl -c: Linux has no call to
 * change an active area's priority, and forbids writes to an active area,
 * so both are a checked swapoff, the change, and a swapon.
 *
 * Everything is decided under the configuration lock: whether the area is
 * active, at which priority, and whether memory can take its pages back.
 * From the swapoff to the last swapon the signals a user or a session sends
 * (SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP) are held, so they take effect
 * with the area active again; only SIGKILL can still cut the cycle.
 *
 * Coming back: at the new priority if one was asked for; if that fails, or
 * the change failed, with the flags the area had (its priority and the
 * discard policy given), tried RESTORE_TRIES times.  A priority the kernel
 * chose (negative) cannot be asked for: swapon without one gives the next
 * free negative number, so the priority is read back and reported.  If the
 * kernel refuses every time the area is left off, and the error says so
 * with its own class (SWAPCTL_E_LEFT_OFF).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

#define RESTORE_TRIES 3

static void hold_signals(sigset_t *saved)
{
	static const int held[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP };
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < ARRAY_SIZE(held); i++)
		sigaddset(&set, held[i]);
	sigprocmask(SIG_BLOCK, &set, saved);
}

static void release_signals(const sigset_t *saved)
{
	sigprocmask(SIG_SETMASK, saved, NULL);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Test hook "pause" (SWAPCTL_DEBUG_PAUSE=FILE for the commands) waits,
 * with the area off, until FILE exists (at most a minute), so a test can
 * send signals at that moment. */
static void debug_pause(struct swapctl_ctx *ctx)
{
	const char *f = swapctl_debug_value(ctx, "pause");
	int i;

	for (i = 0; f && *f && i < 6000 && access(f, F_OK) < 0; i++)
		sleep_ms(10);
}

/* 1 and *prio when path is active, 0 when not, or a negative errno. */
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
	swapctl_swaplist_free(l);
	return sw != NULL;
}

/* swapon with the flags the area had; the number of the last attempt. */
static int swapon_again(struct swapctl_ctx *ctx, const char *path, int flags, int *tries)
{
	int r = -EIO;

	for (*tries = 1; *tries <= RESTORE_TRIES; ++*tries) {
		if (*tries > 1)
			sleep_ms(200);
		if (swapcall_debug_fail(ctx, "swapon-restore") ||
		    (*tries == 1 && swapcall_debug_fail(ctx, "swapon-restore-once")))
			r = swapctl_fail_class(ctx, SWAPCTL_E_SYSCALL, EIO, "%s: swapon failed: %s",
					       path, strerror(EIO));
		else
			r = swapcall_on(ctx, path, flags);
		if (r == 0)
			return 0;
	}
	*tries = RESTORE_TRIES;
	return r;
}

/* "priority 7", or for a negative one what it means. */
static void prio_words(int prio, char *buf, size_t size)
{
	if (prio == INT_MIN)
		snprintf(buf, size, "an unknown priority");
	else
		snprintf(buf, size, "priority %d", prio);
}

/*
 * The area is off: make the change, bring it back, and say what happened
 * when anything failed.  first holds the first failure's message.
 */
static int change_and_back(struct swapctl_ctx *ctx, const char *path, const struct cycle *c,
			   struct swapctl_change_result *res)
{
	enum swapctl_errclass cls = SWAPCTL_E_SYSTEM;
	char first[1024] = "", was[64], now[64];
	int r = 0, err = 0, tries = 0, back;

	debug_pause(ctx);
	if (c->change && (r = c->change(ctx, path, c->data, true)) < 0) {
		snprintf(first, sizeof(first), "%s", swapctl_errmsg(ctx));
		cls = swapctl_errclass(ctx);
		err = -r;
	}
	if (r == 0 && c->prio >= 0 && c->prio != res->old_prio) {
		if (swapcall_debug_fail(ctx, "swapon-new"))
			r = -EIO;
		else
			r = swapcall_on(ctx, path, swapcall_flags(c->prio, c->discard));
		if (r == 0) {
			res->prio = c->prio;
			active_prio(ctx, path, &res->prio);
			return 0;
		}
		snprintf(first, sizeof(first), "%s: swapon at priority %d failed: %s", path, c->prio,
			 strerror(-r));
		cls = SWAPCTL_E_SYSCALL;
		err = -r;
	}
	/* back with the flags it had: a negative priority was the kernel's */
	back = res->old_prio >= 0 ? res->old_prio : -1;
	r = swapon_again(ctx, path, swapcall_flags(back, c->discard), &tries);
	prio_words(res->old_prio, was, sizeof(was));
	if (r < 0) {
		res->prio = INT_MIN;
		if (first[0])
			return swapctl_fail_class(ctx, SWAPCTL_E_LEFT_OFF, -r,
						  "%s; activating it again failed too (%d attempts: %s): "
						  "the area is OFF (it was active at %s)",
						  first, tries, strerror(-r), was);
		return swapctl_fail_class(ctx, SWAPCTL_E_LEFT_OFF, -r,
					  "%s: activating it again failed (%d attempts: %s): "
					  "the area is OFF (it was active at %s)",
					  path, tries, strerror(-r), was);
	}
	res->prio = INT_MIN;
	active_prio(ctx, path, &res->prio);
	if (!first[0])
		return 0;
	prio_words(res->prio, now, sizeof(now));
	if (res->prio == res->old_prio)
		return swapctl_fail_class(ctx, cls, err, "%s; it is active again at its old %s%s",
					  first, was, tries > 1 ? " (at a later attempt)" : "");
	return swapctl_fail_class(ctx, cls, err,
				  "%s; it is active again, at %s instead of %s%s: the kernel had chosen "
				  "that one; the areas after it moved up one at the swapoff, and a new "
				  "activation gets the next free negative priority",
				  first, now, was, tries > 1 ? " (at a later attempt)" : "");
}

int cycle_run(struct swapctl_ctx *ctx, const char *path, const struct cycle *c,
	      struct swapctl_change_result *res)
{
	bool locked = false;
	sigset_t saved;
	int r, old = INT_MIN;

	memset(res, 0, sizeof(*res));
	res->old_prio = res->prio = INT_MIN;
	if (c->need_active && !c->dry_run && (r = swapcall_require_admin(ctx, path, c->what)) < 0)
		return r;
	/*
	 * Only who may change the configuration takes its lock (it is root's
	 * file); anyone else can only write an inactive area they may write.
	 */
	if (swapcall_have_admin()) {
		r = swapctl_lock(ctx);
		if (r < 0)
			return r;
		locked = true;
	}
	r = active_prio(ctx, path, &old);
	if (r < 0)
		goto out;
	if (r == 0) {
		if (c->need_active)
			r = swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, ENOENT,
					       "%s: not an active swap area", path);
		else
			r = c->dry_run || !c->change ? 0 : c->change(ctx, path, c->data, false);
		goto out;
	}
	res->active = true;
	res->old_prio = res->prio = old;
	if (!c->change && c->prio == old) {
		r = 1;          /* already there: nothing to do */
		goto out;
	}
	if (!c->dry_run && (r = swapcall_require_admin(ctx, path, c->what)) < 0)
		goto out;
	r = swapctl_swapoff_check(ctx, path, &res->mc);
	if (r == 0 && !res->mc.ok && !c->force)
		r = memcheck_refuse(ctx, path, &res->mc);
	if (r == 0 && c->dry_run)
		/* where it would come back; a negative priority cannot be asked for */
		res->prio = c->prio >= 0 ? c->prio : old >= 0 ? old : INT_MIN;
	if (r < 0 || c->dry_run)
		goto out;

	hold_signals(&saved);
	r = swapcall_off(ctx, path);
	if (r == 0)
		r = change_and_back(ctx, path, c, res);
	release_signals(&saved);
out:
	if (locked)
		swapctl_unlock(ctx);
	return r;
}
