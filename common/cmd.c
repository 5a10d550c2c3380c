/* Errors and exit codes shared by swapctl, swapinfo and swaptop. */
#include <errno.h>
#include <stdarg.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>
#include "cmd.h"

const char *program_name = "swapctl";
static int stdout_errno;        /* why a flush of stdout failed */

/*
 * Output that could not be written is an error: at exit, flush and close
 * standard output, and on failure say so and exit with the system-error
 * code.  A closed stdout (>&-) with nothing to write is no error.
 */
static void close_stdout(void)
{
	bool pending = __fpending(stdout) != 0;
	bool failed = ferror(stdout) != 0;
	int e = 0;

	if (fflush(stdout) != 0) {
		failed = true;
		e = errno;
	}
	if (fclose(stdout) != 0 && (pending || errno != EBADF)) {
		failed = true;
		if (!e)
			e = errno;
	}
	if (!failed)
		return;
	if (!e)
		e = stdout_errno ? stdout_errno : EIO;
	fprintf(stderr, "%s: write error: %s\n", program_name, strerror(e));
	fflush(stderr);
	_exit(EXIT_SYSERR);
}

void cmd_init(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	program_name = slash ? slash + 1 : argv0;
	/* labels and names print as text in the user's character set; numbers
	 * stay in the C form that scripts parse */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	/* libtool's wrapper runs the real binary as lt-NAME */
	if (!strncmp(program_name, "lt-", 3))
		program_name += 3;
	atexit(close_stdout);
}

int cmd_check_stdout(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	if (!stdout_errno)
		stdout_errno = errno;
	/* close_stdout() reports it at exit */
	return EXIT_SYSERR;
}

int cmd_parse_int(const char *s, long min, long max, long *v)
{
	const char *p = s;
	long long x = 0;
	bool neg = false;

	if (*p == '-' && min < 0) {
		neg = true;
		p++;
	}
	if (!*p || strlen(p) > 18)      /* 18 digits cannot overflow */
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		x = x * 10 + (*p - '0');
	}
	if (neg) {
		if (x == 0)
			return -1;      /* "-0" is not a number anyone means */
		x = -x;
	}
	if (x < min || x > max)
		return -1;
	*v = (long)x;
	return 0;
}

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", program_name, prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cmd_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void cmd_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void cmd_usage_error(const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s (see '%s --help')\n", program_name, msg, program_name);
	exit(EXIT_USAGE);
}

int cmd_sys_exit_code(int err)
{
	switch (err < 0 ? -err : err) {
	case EPERM:
	case EACCES:
	case EROFS:
		return EXIT_PERM;
	default:
		return EXIT_SYSERR;
	}
}

/* The one map from the class a library failure states to an exit code.  A
 * failure without a message of its own is a system error: every call
 * starts with a clean class. */
int cmd_lib_exit_code(struct swapctl_ctx *ctx, int err)
{
	(void)err;
	switch (swapctl_errclass(ctx)) {
	case SWAPCTL_E_INVALID:
		return EXIT_USAGE;
	case SWAPCTL_E_PERM:
		return EXIT_PERM;
	case SWAPCTL_E_REFUSED:
		return EXIT_REFUSED;
	case SWAPCTL_E_SYSCALL:
		return EXIT_SYSCALL;
	case SWAPCTL_E_LEFT_OFF:
		return EXIT_LEFT_OFF;
	case SWAPCTL_E_SYSTEM:
		break;
	}
	return EXIT_SYSERR;
}

int cmd_lib_error(struct swapctl_ctx *ctx, int err)
{
	const char *msg = swapctl_errmsg(ctx);

	cmd_error("%s", msg && *msg ? msg : strerror(-err));
	return cmd_lib_exit_code(ctx, err);
}

/* The library reads no environment: what the commands take from theirs
 * (see the ENVIRONMENT of each man page, and HACKING for the test hooks). */
static const struct {
	const char *var, *hook;
} env_hooks[] = {
	{ "SWAPCTL_DEBUG_FAIL", "fail" },
	{ "SWAPCTL_DEBUG_PAUSE", "pause" },
	{ "SWAPCTL_DEBUG_SCAN_BAD", "scan-bad" },
	{ "SWAPCTL_NO_URING", "no-uring" },
	{ "SWAPCTL_DEBUG_ENGINE_SLOWPATH", "engine-slowpath" },
};

struct swapctl_ctx *cmd_ctx(void)
{
	const char *root = getenv("SWAPCTL_SYSROOT");
	struct swapctl_ctx *ctx;
	int r = swapctl_new(&ctx);
	size_t i;

	if (r < 0) {
		cmd_error("cannot initialise libswapctl: %s", strerror(-r));
		exit(EXIT_SYSERR);
	}
	if (root && *root && swapctl_set_sysroot(ctx, root) < 0) {
		cmd_error("SWAPCTL_SYSROOT: %s", swapctl_errmsg(ctx));
		exit(EXIT_SYSERR);
	}
	for (i = 0; i < sizeof(env_hooks) / sizeof(env_hooks[0]); i++) {
		const char *v = getenv(env_hooks[i].var);

		if (v && *v && swapctl_set_debug(ctx, env_hooks[i].hook, v) < 0) {
			cmd_error("%s: %s", env_hooks[i].var, swapctl_errmsg(ctx));
			exit(EXIT_SYSERR);
		}
	}
	return ctx;
}
