/*
 * The swapon(2) and swapoff(2) system calls with their messages: the flags
 * for a priority and a discard policy, the capability check that comes
 * before them, protection from the OOM killer during swapoff, and the test
 * hooks that make them fail on purpose.
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

int swapcall_flags(int prio, enum swapctl_discard d)
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

/* Test hook "fail" (SWAPCTL_DEBUG_FAIL for the commands): a
 * comma-separated list of words (see HACKING). */
bool swapcall_debug_fail(const struct swapctl_ctx *ctx, const char *what)
{
	const char *v = swapctl_debug_value(ctx, "fail");
	size_t n = strlen(what);

	while (v && *v) {
		if (!strncmp(v, what, n) && (v[n] == ',' || v[n] == '\0'))
			return true;
		v = strchr(v, ',');
		if (v)
			v++;
	}
	return false;
}

bool swapcall_have_admin(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	return syscall(SYS_capget, &hdr, data) == 0 &&
	       (data[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32)));
}

/* swapon(2) and swapoff(2) need CAP_SYS_ADMIN: say so before anything else. */
int swapcall_require_admin(struct swapctl_ctx *ctx, const char *path, const char *what)
{
	if (swapcall_have_admin())
		return 0;
	return swapctl_fail_class(ctx, SWAPCTL_E_PERM, EPERM,
				  "%s: %s: not permitted (needs root or CAP_SYS_ADMIN)", path, what);
}

int swapcall_on(struct swapctl_ctx *ctx, const char *path, int flags)
{
	dbg(ctx, "%s: swapon flags 0x%x", path, (unsigned)flags);
	swaps_forget(ctx);
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

int swapcall_off(struct swapctl_ctx *ctx, const char *path)
{
	char saved[32];
	int r = 0, e;

	swaps_forget(ctx);
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
