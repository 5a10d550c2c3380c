/* The library context: sysroot, logging, last error. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

SWAPCTL_EXPORT int swapctl_new(struct swapctl_ctx **out)
{
	struct swapctl_ctx *ctx = calloc(1, sizeof(*ctx));
	const char *root = getenv("SWAPCTL_SYSROOT");
	int r;

	if (!ctx)
		return -ENOMEM;
	ctx->refcount = 1;
	ctx->log_priority = 3;
	r = swapctl_set_sysroot(ctx, root && *root ? root : "/");
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
	free(ctx->sysroot);
	free(ctx);
	return NULL;
}

SWAPCTL_EXPORT void swapctl_set_log_fn(struct swapctl_ctx *ctx, swapctl_log_fn fn, void *data)
{
	ctx->log_fn = fn;
	ctx->log_data = data;
}

SWAPCTL_EXPORT void swapctl_set_log_priority(struct swapctl_ctx *ctx, int priority)
{
	ctx->log_priority = priority;
}

SWAPCTL_EXPORT int swapctl_set_sysroot(struct swapctl_ctx *ctx, const char *root)
{
	char *copy;
	size_t n;

	if (!root || root[0] != '/')
		return swapctl_fail(ctx, EINVAL, "%s: sysroot must be an absolute path",
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

SWAPCTL_EXPORT const char *swapctl_get_sysroot(const struct swapctl_ctx *ctx)
{
	return ctx->sysroot[0] ? ctx->sysroot : "/";
}

SWAPCTL_EXPORT const char *swapctl_errmsg(const struct swapctl_ctx *ctx)
{
	return ctx->errmsg;
}

int swapctl_fail(struct swapctl_ctx *ctx, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->errmsg, sizeof(ctx->errmsg), fmt, ap);
	va_end(ap);
	swapctl_log(ctx, 3, "%s", ctx->errmsg);
	return -err;
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
