/* Helpers shared by the command front-ends: errors, exit codes, JSON. */
#ifndef SWAPCTL_CMD_H
#define SWAPCTL_CMD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
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

/* Set the program name; at exit, a failed write of standard output is
 * reported ("prog: write error: reason") and the exit status is 2. */
void cmd_init(const char *argv0);
/* Flush standard output: 0, or EXIT_SYSERR when output was lost (the error
 * is printed at exit).  For loops that should stop when nobody reads. */
int cmd_check_stdout(void);
/* A decimal number from min to max, digits only (a leading '-' only when
 * min < 0; no blanks, no '+', no "-0"): 0, or -1. */
int cmd_parse_int(const char *s, long min, long max, long *v);
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cmd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a usage error and exit with EXIT_USAGE. */
void cmd_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Exit code for a failed system call of the command itself (errno, either
 * sign): EXIT_PERM when not permitted, else EXIT_SYSERR.  A library failure
 * goes through cmd_lib_error(), which uses the class the library gave it. */
int cmd_sys_exit_code(int err);
/* Print the library's last error as "prog: message" and return the exit
 * code of its class (swapctl_errclass). */
int cmd_lib_error(struct swapctl_ctx *ctx, int err);
/* The exit code cmd_lib_error() would return, without printing. */
int cmd_lib_exit_code(struct swapctl_ctx *ctx, int err);
/* A context with the sysroot (SWAPCTL_SYSROOT) and test hooks of the
 * environment, or exit with a message. */
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

/*
 * JSON documents are valid UTF-8 whatever bytes a label, path or command
 * name holds: a byte that does not start a valid UTF-8 sequence becomes
 * U+FFFD.  utf8_seq_len: bytes of the valid sequence at s, 0 when invalid.
 * utf8_sanitize: s with each invalid byte replaced, into out (truncated at
 * a character boundary).
 */
size_t utf8_seq_len(const char *s);
void utf8_sanitize(const char *s, char *out, size_t size);

/*
 * Replace a file safely, as root may: the new contents go to a temporary
 * file made with mkstemp(3) in the target's directory (O_EXCL: a symlink
 * planted there is never followed), which is fsync'ed and renamed over the
 * target.  A target that exists and is not a regular file (a symlink, a
 * device, a FIFO, a directory) is refused.  On any failure the temporary
 * file is removed and the target left as it was.
 */
struct safe_file {
	FILE *f;                /* write the contents here */
	char tmp[4096];
	const char *target;
};
/* 0, or an exit code after printing "prog: FILE: reason". */
int safe_file_open(struct safe_file *sf, const char *target, mode_t mode);
/* Flush, fsync, rename: 0, or an exit code after printing the reason. */
int safe_file_commit(struct safe_file *sf);
/* Give up: close and remove the temporary file. */
void safe_file_abort(struct safe_file *sf);

#endif
