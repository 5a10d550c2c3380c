/*
 * The configuration lock: every operation that changes which areas are
 * active, or their priorities, holds an exclusive flock on /run/swapctl.lock
 * so that concurrent invocations serialise.  It nests within one context,
 * so a priority change (swapoff + swapon) holds it across both steps.
 * While it is held, /proc/swaps is read once (see swapctl_swaps_read).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "internal.h"

#define LOCK_PATH "/run/swapctl.lock"

SWAPCTL_EXPORT int swapctl_lock(struct swapctl_ctx *ctx)
{
	SWAPCTL_ENTER(ctx);
	int fd;

	if (ctx->lock_depth++ > 0)
		return 0;
	fd = open(LOCK_PATH, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		ctx->lock_depth = 0;
		return swapctl_fail_errno(ctx, errno, "%s: cannot open the lock: %s", LOCK_PATH, strerror(errno));
	}
	while (flock(fd, LOCK_EX) < 0) {
		if (errno == EINTR)
			continue;
		close(fd);
		ctx->lock_depth = 0;
		return swapctl_fail_errno(ctx, errno, "%s: cannot lock: %s", LOCK_PATH, strerror(errno));
	}
	ctx->lock_fd = fd;
	return 0;
}

SWAPCTL_EXPORT void swapctl_unlock(struct swapctl_ctx *ctx)
{
	if (ctx->lock_depth == 0 || --ctx->lock_depth > 0)
		return;
	close(ctx->lock_fd);    /* closing releases the flock */
	ctx->lock_fd = -1;
	swaps_forget(ctx);      /* without the lock, every read is a new one */
}
