/* The library context: sysroot, logging, last error. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

SWAPCTL_EXPORT int swapctl_new(struct swapctl_ctx **out)
{
	struct swapctl_ctx *ctx = calloc(1, sizeof(*ctx));
	int r;

	if (!ctx)
		return -ENOMEM;
	ctx->refcount = 1;
	ctx->lock_fd = -1;
	ctx->log_priority = 3;
	r = swapctl_set_sysroot(ctx, "/");
	if (r < 0) {
		free(ctx);
		return r;
	}
	*out = ctx;
	return 0;
}

SWAPCTL_EXPORT struct swapctl_ctx *swapctl_ref(struct swapctl_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

SWAPCTL_EXPORT struct swapctl_ctx *swapctl_unref(struct swapctl_ctx *ctx)
{
	if (!ctx || --ctx->refcount > 0)
		return ctx;
	if (ctx->lock_fd >= 0)
		close(ctx->lock_fd);
	if (ctx->swaps_held)
		ctx->swaps_held_free(ctx->swaps_held);
	for (size_t i = 0; i < ARRAY_SIZE(ctx->debug); i++)
		free(ctx->debug[i]);
	free(ctx->sysroot);
	free(ctx);
	return NULL;
}

SWAPCTL_EXPORT void swapctl_set_log_fn(struct swapctl_ctx *ctx, swapctl_log_fn fn, void *data)
{
	ctx->log_fn = fn;
	ctx->log_data = data;
}

SWAPCTL_EXPORT void swapctl_set_progress_fn(struct swapctl_ctx *ctx, swapctl_progress_fn fn,
					    void *data)
{
	ctx->progress_fn = fn;
	ctx->progress_data = data;
}

void swapctl_progress(struct swapctl_ctx *ctx, const char *what, uint64_t done, uint64_t total)
{
	if (ctx->progress_fn)
		ctx->progress_fn(ctx->progress_data, what, done, total);
}

SWAPCTL_EXPORT void swapctl_set_log_priority(struct swapctl_ctx *ctx, int priority)
{
	ctx->log_priority = priority;
}

SWAPCTL_EXPORT unsigned swapctl_set_flags(struct swapctl_ctx *ctx, unsigned flags)
{
	unsigned old = ctx->flags;

	ctx->flags = flags;
	return old;
}

SWAPCTL_EXPORT int swapctl_set_sysroot(struct swapctl_ctx *ctx, const char *root)
{
	SWAPCTL_ENTER(ctx);
	char *copy;
	size_t n;

	if (!root || root[0] != '/')
		return swapctl_fail_input(ctx, EINVAL, "%s: sysroot must be an absolute path",
				    root ? root : "(null)");
	copy = strdup(root);
	if (!copy)
		return -ENOMEM;
	/* keep "/" as the empty prefix; strip trailing slashes otherwise */
	n = strlen(copy);
	while (n > 0 && copy[n - 1] == '/')
		copy[--n] = '\0';
	free(ctx->sysroot);
	ctx->sysroot = copy;
	return 0;
}

int abi_check_size(struct swapctl_ctx *ctx, const char *type, size_t given, size_t known)
{
	/* one size so far: a later version that appends fields accepts this
	 * one too, and fills only the fields within it */
	if (given == known)
		return 0;
	return swapctl_fail_input(ctx, EINVAL, "struct %s of %zu bytes: this library's has %zu "
				  "(set its struct_size to sizeof)", type, given, known);
}

/* The test hooks, in the order of ctx->debug. */
static const char *const debug_names[] = { "fail", "pause", "scan-bad", "no-uring", "engine-slowpath" };

_Static_assert(ARRAY_SIZE(debug_names) == ARRAY_SIZE(((struct swapctl_ctx *)0)->debug),
	       "one slot per test hook");

static int debug_index(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(debug_names); i++)
		if (name && !strcmp(name, debug_names[i]))
			return (int)i;
	return -1;
}

SWAPCTL_EXPORT int swapctl_set_debug(struct swapctl_ctx *ctx, const char *name, const char *value)
{
	SWAPCTL_ENTER(ctx);
	char *copy = NULL;
	int i;

	i = debug_index(name);
	if (i < 0)
		return swapctl_fail_input(ctx, EINVAL, "%s: no such test hook", name ? name : "(null)");
	if (value && *value && !(copy = strdup(value)))
		return -ENOMEM;
	free(ctx->debug[i]);
	ctx->debug[i] = copy;
	return 0;
}

const char *swapctl_debug_value(const struct swapctl_ctx *ctx, const char *name)
{
	int i = debug_index(name);

	return i < 0 ? NULL : ctx->debug[i];
}

SWAPCTL_EXPORT const char *swapctl_get_sysroot(const struct swapctl_ctx *ctx)
{
	return ctx->sysroot[0] ? ctx->sysroot : "/";
}

SWAPCTL_EXPORT const char *swapctl_errmsg(const struct swapctl_ctx *ctx)
{
	return ctx->errmsg;
}

SWAPCTL_EXPORT enum swapctl_errclass swapctl_errclass(const struct swapctl_ctx *ctx)
{
	return ctx->errclass;
}

/* The class of a failed system call: what the kernel answered. */
static enum swapctl_errclass errno_class(int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
	case EROFS:
		return SWAPCTL_E_PERM;
	case EBUSY:
	case ETXTBSY:
		return SWAPCTL_E_REFUSED;       /* in use */
	default:
		return SWAPCTL_E_SYSTEM;
	}
}

static int vfail(struct swapctl_ctx *ctx, enum swapctl_errclass cls, int err,
		 const char *fmt, va_list ap)
{
	vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	ctx->errclass = cls;
	if (!(ctx->flags & SWAPCTL_NOLOG))
		swapctl_log(ctx, 3, "%s", ctx->errmsg);
	return -err;
}

int swapctl_fail_errno(struct swapctl_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfail(ctx, errno_class(err), err, fmt, ap);
	va_end(ap);
	return r;
}

int swapctl_fail_class(struct swapctl_ctx *ctx, enum swapctl_errclass cls, int err,
		       const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfail(ctx, cls, err, fmt, ap);
	va_end(ap);
	return r;
}

void swapctl_log(struct swapctl_ctx *ctx, int priority, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (!ctx->log_fn || priority > ctx->log_priority)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ctx->log_fn(ctx->log_data, priority, buf);
}
