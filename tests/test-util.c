/* Unit tests of the shared helpers: sizes, numbers, UUIDs, the sysroot. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "tap.h"

static void test_sizes(void)
{
	static const struct {
		const char *s;
		uint64_t v;
	} good[] = {
		{ "0", 0 }, { "4096", 4096 }, { "64K", 65536 }, { "64k", 65536 },
		{ "64KiB", 65536 }, { "10KB", 10000 }, { "1M", 1 << 20 },
		{ "1.5G", 3ull << 29 }, { "2T", 2ull << 40 }, { "1E", 1ull << 60 },
	};
	static const char *const bad[] = { "", "x", "-1", "1X", "1Kb", "1.5", "1KiBB", "99999999999999999999" };
	uint64_t v;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		CHECK(swapctl_parse_size(good[i].s, &v) == 0 && v == good[i].v,
		      "size '%s' is %llu", good[i].s, (unsigned long long)good[i].v);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK(swapctl_parse_size(bad[i], &v) < 0, "size '%s' is refused", bad[i]);
	CHECK(swapctl_parse_size("16E", &v) == -ERANGE, "16E overflows");
}

static void test_numbers(void)
{
	uint64_t u;
	int64_t s;

	CHECK(parse_u64("18446744073709551615", &u) == 0 && u == UINT64_MAX, "u64 max parses");
	CHECK(parse_u64("18446744073709551616", &u) < 0, "u64 overflow is refused");
	CHECK(parse_u64("12a", &u) < 0 && parse_u64("-1", &u) < 0, "junk and signs are refused");
	CHECK(parse_s64("-5", &s) == 0 && s == -5, "negative s64 parses");
}

static void test_uuid(void)
{
	unsigned char u[16], z[16] = { 0 };
	char s[37];

	CHECK(swapctl_uuid_parse("4C08E1CD-9A2B-4E3F-8A11-223344556677", u) == 0,
	      "an upper-case UUID parses");
	swapctl_uuid_unparse(u, s);
	CHECK(!strcmp(s, "4c08e1cd-9a2b-4e3f-8a11-223344556677"), "UUIDs print in lower case");
	CHECK(swapctl_uuid_parse("4c08e1cd-9a2b-4e3f-8a11-22334455667", u) < 0 &&
	      swapctl_uuid_parse("not-a-uuid", u) < 0, "short or junk UUIDs are refused");
	CHECK(swapctl_uuid_is_null(z) && !swapctl_uuid_is_null(u), "null UUID detection");
	swapctl_uuid_generate(false, u);
	CHECK((u[6] >> 4) == 4, "random UUIDs are version 4");
	swapctl_uuid_generate(true, u);
	CHECK((u[6] >> 4) == 1, "time UUIDs are version 1");
}

static void test_sysroot(void)
{
	struct swapctl_ctx *ctx;
	char p[64], *data;
	size_t len;

	setenv("SWAPCTL_SYSROOT", "/tmp/elsewhere", 1);
	CHECK(swapctl_new(&ctx) == 0, "context made");
	CHECK(!strcmp(swapctl_get_sysroot(ctx), "/"), "the library reads no environment: SWAPCTL_SYSROOT is the commands'");
	unsetenv("SWAPCTL_SYSROOT");
	CHECK(swapctl_set_sysroot(ctx, "/tmp/root//") == 0 && !strcmp(swapctl_get_sysroot(ctx), "/tmp/root"),
	      "a sysroot is set, slashes trimmed");
	CHECK(sysroot_path(ctx, "/proc/swaps", p, sizeof(p)) == 0 && !strcmp(p, "/tmp/root/proc/swaps"),
	      "paths are prefixed");
	CHECK(sysroot_path(ctx, "/proc/a/very/long/path/that/does/not/fit/in/sixty/four/bytes", p,
			   sizeof(p)) == -ENAMETOOLONG, "too long paths are refused");
	CHECK(swapctl_set_sysroot(ctx, "relative") == -EINVAL && strstr(swapctl_errmsg(ctx), "relative"),
	      "a relative sysroot is refused, naming it");
	CHECK(swapctl_set_sysroot(ctx, "/") == 0 && !strcmp(swapctl_get_sysroot(ctx), "/"),
	      "/ is the real system");
	CHECK(sysroot_read_file(ctx, "/proc/self/status", &data, &len) == 0 && strstr(data, "Name:"),
	      "whole files are read through the sysroot");
	free(data);
	CHECK(swapctl_unref(ctx) == NULL, "unref frees the last reference");
}

/* Shell quoting of the fix commands: safe words bare, others quoted so a
 * shell reads back exactly the same words. */
static void test_shell(void)
{
	static const struct {
		const char *word, *quoted;
	} cases[] = {
		{ "swap0", "swap0" }, { "/dev/sdb2", "/dev/sdb2" }, { "a b", "'a b'" },
		{ "';id>x;'", "''\\'';id>x;'\\'''" }, { "", "''" }, { "$(id)", "'$(id)'" },
		{ "~root", "'~root'" }, { "x\ny", "'x\ny'" }, { "\xff", "'\xff'" },
	};
	char buf[64], small[8], pbuf[32];
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		CHECK(shell_command(buf, sizeof(buf), (const char *const[]){ cases[i].word, NULL }) == 0 &&
		      !strcmp(buf, cases[i].quoted), "word %u quoted as expected", i);
	}
	CHECK(shell_command(buf, sizeof(buf), (const char *const[]){ "chmod", "0600", "my file", NULL }) == 0 &&
	      !strcmp(buf, "chmod 0600 'my file'"), "words joined by one blank");
	CHECK(shell_command(small, sizeof(small), (const char *const[]){ "chmod", "0600", NULL }) == -ENAMETOOLONG &&
	      small[0] == '\0', "a command that does not fit is left out, never cut");
	CHECK(!strcmp(shell_path("-x", pbuf, sizeof(pbuf)), "./-x") &&
	      !strcmp(shell_path("x", pbuf, sizeof(pbuf)), "x"), "a path starting with - gets ./");
}

/* The growable array keeps what it held, and the comparators order. */
static void test_array(void)
{
	uint64_t *v = NULL, *old;
	size_t n = 0, cap = 0, i;
	bool ok = true;

	for (i = 0; i < 1000; i++) {
		if (ARRAY_GROW(v, n, cap) < 0)
			break;
		v[n++] = i * 3;
	}
	for (i = 0; i < n; i++)
		ok = ok && v[i] == i * 3;
	CHECK(n == 1000 && ok && cap >= n && cap < 2 * n, "array: 1000 appends kept, capacity %zu", cap);
	old = v;
	CHECK(array_reserve(&v, &cap, cap, sizeof(*v)) == 0 && v == old, "array: no realloc when it fits");
	CHECK(array_reserve(&v, &cap, SIZE_MAX / 2, sizeof(*v)) == -ENOMEM && v == old && v[999] == 2997,
	      "array: an impossible size is -ENOMEM, the array as it was");
	free(v);
	CHECK(CMP(1, 2) == -1 && CMP(2, 2) == 0 && CMP(3, 2) == 1, "CMP gives -1, 0, 1");
	CHECK(cmp_swap_desc(5, 3) < 0 && cmp_swap_desc(3, 5) > 0 && cmp_swap_desc(4, 4) == 0,
	      "swap figures: larger first");
	CHECK(cmp_swap_desc(SWAPCTL_UNKNOWN, 0) > 0 && cmp_swap_desc(0, SWAPCTL_UNKNOWN) < 0,
	      "swap figures: unknown last");
}

static int logged;

static void count_log(void *data, int priority, const char *msg)
{
	(void)data;
	(void)msg;
	if (priority <= 3)
		logged++;
}

/* Each failure states its class; each call starts clean; SWAPCTL_NOLOG
 * records a failure without logging it. */
static void test_errors(void)
{
	struct swapctl_ctx *ctx;
	struct swapctl_meminfo mi;
	struct swapctl_fstab *f = NULL;
	unsigned old;

	if (swapctl_new(&ctx) < 0) {
		CHECK(0, "context made");
		return;
	}
	swapctl_set_log_fn(ctx, count_log, NULL);
	CHECK(swapctl_set_sysroot(ctx, "relative") == -EINVAL && swapctl_errclass(ctx) == SWAPCTL_E_INVALID &&
	      logged == 1, "a bad argument is invalid input, logged once (class %d)", swapctl_errclass(ctx));
	CHECK(swapctl_meminfo_read(ctx, &mi) == 0 && swapctl_errmsg(ctx)[0] == '\0' &&
	      swapctl_errclass(ctx) == SWAPCTL_E_SYSTEM, "the next call starts with a clean message and class");
	CHECK(swapctl_fstab_read(ctx, "/nonexistent/fstab", &f) < 0 && swapctl_errclass(ctx) == SWAPCTL_E_SYSTEM &&
	      strstr(swapctl_errmsg(ctx), "/nonexistent/fstab"), "a missing file is a system error naming it");
	CHECK(swapctl_set_debug(ctx, "no-such-hook", "1") == -EINVAL && swapctl_errclass(ctx) == SWAPCTL_E_INVALID,
	      "an unknown test hook is invalid input");
	logged = 0;
	old = swapctl_set_flags(ctx, SWAPCTL_NOLOG);
	CHECK(old == 0 && swapctl_set_sysroot(ctx, "relative") == -EINVAL && logged == 0 &&
	      strstr(swapctl_errmsg(ctx), "relative"), "SWAPCTL_NOLOG: recorded, not logged");
	CHECK(swapctl_set_flags(ctx, old) == SWAPCTL_NOLOG && swapctl_set_sysroot(ctx, "relative") < 0 && logged == 1,
	      "flags given back: failures are logged again");
	CHECK(swapctl_set_debug(ctx, "no-uring", "1") == 0 && swapctl_set_debug(ctx, "no-uring", NULL) == 0,
	      "a test hook is set and cleared");
	swapctl_unref(ctx);
}

int main(void)
{
	test_array();
	test_errors();
	test_shell();
	test_sizes();
	test_numbers();
	test_uuid();
	test_sysroot();
	TAP_EXIT();
}
