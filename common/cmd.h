/* Helpers shared by the command front-ends: errors, exit codes, JSON. */
#ifndef SWAPCTL_CMD_H
#define SWAPCTL_CMD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "libswapctl.h"

/* The exit codes of every command (documented in the man pages). */
enum {
	EXIT_OK = 0,
	EXIT_USAGE = 1,         /* bad options or arguments */
	EXIT_SYSERR = 2,        /* cannot access a path, out of memory, I/O */
	EXIT_PERM = 3,          /* not permitted (needs root) */
	EXIT_REFUSED = 4,       /* refused by a safety check */
	EXIT_SYSCALL = 5,       /* swapon(2)/swapoff(2) failed */
	EXIT_PARTIAL = 6,       /* -A/-U: some but not all failed */
	EXIT_NOTHING = 7,       /* nothing to do */
	EXIT_UNUSABLE = 8,      /* -V: a swap area this kernel cannot use */
	EXIT_NOTSWAP = 9,       /* -V: not a (valid) swap area */
	EXIT_HIBERNATION = 10,  /* -V: a hibernation image */
	EXIT_LEFT_OFF = 11,     /* -c: an active area could not be activated again */
	EXIT_REPLAY_FAILED = 12, /* swapinfo -r, swaptop -r: pages failed (the report is printed) */
};

extern const char *program_name;

void cmd_init(const char *argv0);
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cmd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a usage error and exit with EXIT_USAGE. */
void cmd_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Exit code for a library error (negative errno). */
int cmd_exit_code(int err);
/* Print the library's last error as "prog: message" and return its exit code. */
int cmd_lib_error(struct swapctl_ctx *ctx, int err);
/* The exit code cmd_lib_error() would return, without printing. */
int cmd_lib_exit_code(struct swapctl_ctx *ctx, int err);
/* A context, or exit with a message. */
struct swapctl_ctx *cmd_ctx(void);

/* A small streaming JSON writer with two-space indentation. */
struct json {
	FILE *f;
	int depth;
	bool first[32];
};
void json_init(struct json *j, FILE *f);
void json_open(struct json *j, const char *key, char bracket);  /* '{' or '[' */
void json_close(struct json *j, char bracket);                  /* '}' or ']' */
void json_str(struct json *j, const char *key, const char *val); /* NULL -> null */
void json_u64(struct json *j, const char *key, uint64_t v);
void json_i64(struct json *j, const char *key, int64_t v);
void json_double(struct json *j, const char *key, double v);
void json_bool(struct json *j, const char *key, bool v);
void json_finish(struct json *j);

#endif
