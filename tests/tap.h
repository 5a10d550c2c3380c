/* Minimal check helpers for the C unit tests: one "ok"/"not ok" line per
 * check, read by tests/run-tests.sh. */
#ifndef SWAPCTL_TAP_H
#define SWAPCTL_TAP_H
#include <stdarg.h>
#include <stdio.h>

static int tap_failures;

__attribute__((format(printf, 4, 5)))
static int tap_check(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fputs(ok ? "ok - " : "not ok - ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok) {
		printf(" (%s:%d)", file, line);
		tap_failures++;
	}
	putchar('\n');
	fflush(stdout);
	return ok;
}

#define CHECK(cond, ...) tap_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define TAP_EXIT() return tap_failures ? 1 : 0

#endif
