/* Internal interfaces shared by the library's modules; not installed. */
#ifndef SWAPCTL_INTERNAL_H
#define SWAPCTL_INTERNAL_H

#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include "libswapctl.h"

#define SWAPCTL_EXPORT __attribute__((visibility("default")))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct swapctl_ctx {
	int refcount;
	swapctl_log_fn log_fn;
	void *log_data;
	int log_priority;
	char *sysroot;          /* "/" or a prefix without trailing slash */
	char errmsg[1024];
	enum swapctl_errclass errclass;
	int lock_fd;            /* -1 when not held */
	int lock_depth;
};

/* Record the message for swapctl_errmsg() and return -err (err > 0). */
int swapctl_fail(struct swapctl_ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same with an explicit class (swapctl_fail derives it from err). */
int swapctl_fail_class(struct swapctl_ctx *ctx, enum swapctl_errclass cls, int err,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void swapctl_log(struct swapctl_ctx *ctx, int priority, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define dbg(ctx, ...) swapctl_log(ctx, 7, __VA_ARGS__)
#define info(ctx, ...) swapctl_log(ctx, 6, __VA_ARGS__)

/* sysroot.c: every read of /proc, /sys, /dev/disk, /etc goes through here. */
/* Build "<sysroot><path>" into buf; -ENAMETOOLONG when it does not fit. */
int sysroot_path(const struct swapctl_ctx *ctx, const char *path,
		 char *buf, size_t size);
FILE *sysroot_fopen(const struct swapctl_ctx *ctx, const char *path);
/* Read a whole small file into a NUL-terminated malloc'd buffer. */
int sysroot_read_file(const struct swapctl_ctx *ctx, const char *path,
		      char **out, size_t *len);

/* The first line of a sysfs attribute or small file, trailing blanks and
 * newline stripped, into buf; -errno when it cannot be read. */
int sysroot_read_line(const struct swapctl_ctx *ctx, const char *path, char *buf, size_t size);
/* A whole small file as a u64 (sysfs numbers); "max" gives SWAPCTL_UNLIMITED. */
int sysroot_read_u64(const struct swapctl_ctx *ctx, const char *path, uint64_t *v);
/* Open a file or directory under the sysroot (O_CLOEXEC added); -errno. */
int sysroot_open(const struct swapctl_ctx *ctx, const char *path, int flags);
/* Read a small file relative to dirfd into buf (NUL-terminated, truncated
 * to size - 1); returns the length or -errno.  For the hot per-process path. */
ssize_t read_small_at(int dirfd, const char *name, char *buf, size_t size);

/* util.c: parsing helpers used by several modules. */
int parse_u64(const char *s, uint64_t *v);          /* decimal, whole string */
int parse_s64(const char *s, int64_t *v);
/*
 * "Key: value" and "key value" texts (/proc/meminfo, /proc/PID/status,
 * /proc/vmstat, memory.stat): the value of the line starting with key and
 * then ':' or a blank, as a number; a trailing " kB" multiplies by 1024.
 * -ENOENT when no line has the key, -EINVAL when its value is no number.
 */
int kv_u64(const char *text, const char *key, uint64_t *v);
/* Read/write exactly len bytes at off; -EIO on a short transfer. */
int pread_full(int fd, void *buf, size_t len, off_t off);
int pwrite_full(int fd, const void *buf, size_t len, off_t off);
/* Size of a regular file or block device open on fd. */
int fd_size(int fd, uint64_t *size);
/*
 * A shell command from words (NULL-terminated) that any POSIX shell reads
 * back as exactly those words: a word of only [A-Za-z0-9_@%+=:,./-] stays
 * bare, any other goes between single quotes with each ' written '\''.
 * -ENAMETOOLONG (buf "") when it does not fit: never a cut command.
 */
int shell_command(char *buf, size_t size, const char *const *words);
/* path as a command's operand: "./-x" for "-x", so it is never an option. */
const char *shell_path(const char *path, char *buf, size_t size);

/* hashmap.c: string -> pointer; keys are owned by the caller's values. */
struct hm_entry {
	uint64_t hash;          /* 0: empty */
	const char *key;
	void *val;
};
struct hashmap {
	struct hm_entry *v;
	size_t size, used;
};
void *hashmap_get(const struct hashmap *m, const char *key);
int hashmap_put(struct hashmap *m, const char *key, void *val);   /* -EEXIST */
void *hashmap_del(struct hashmap *m, const char *key);
void hashmap_free(struct hashmap *m);

/* extent.c: the allocator of region nodes (NULL: malloc), for tests. */
void extent_set_node_alloc(void *(*fn)(size_t));

/* header.c */
void header_put32(void *p, uint32_t v, enum swapctl_endian e);

/* check.c: the header against the area's size and the kernel. */
void header_check(const struct swapctl_header *h, uint64_t size, bool regular_file,
		  unsigned kernel_pagesize, const char *path, struct swapctl_report *rep);

/* filecheck.c: what the kernel checks on a swap file. */
struct swapctl_report;
void filecheck_run(struct swapctl_ctx *ctx, int fd, const struct stat *st,
		   struct swapctl_report *rep);
void report_add(struct swapctl_report *rep, enum swapctl_defect d,
		const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* probe.c: libblkid and system state. */
struct probe_found {
	char what[8][64];               /* "ext4 filesystem", "gpt partition table" */
	unsigned n;
};
/* Every signature libblkid finds on fd (superblocks and partition tables). */
int probe_signatures(struct swapctl_ctx *ctx, int fd, const char *path,
		     struct probe_found *found);
/* Erase them all through libblkid; names go into found. */
int probe_wipe(struct swapctl_ctx *ctx, int fd, const char *path,
	       struct probe_found *found);
/* Is the file or device (by st) an active swap area? 1 yes, 0 no. */
int probe_is_active_swap(struct swapctl_ctx *ctx, const struct stat *st);
/* swaps.c: parse the text of /proc/swaps (called name in messages). */
struct swapctl_swaplist;
int swaps_parse(struct swapctl_ctx *ctx, const char *name, char *text, struct swapctl_swaplist *l);
/* swaps.c: decode the kernel's octal escapes (\040) in place. */
void unescape_octal(char *s);
/* devinfo.c: kind, label, UUID, model, backing file of an area. */
void devinfo_fill(struct swapctl_ctx *ctx, struct swapctl_swap *sw, bool identity);
/* control.c: deactivate path, run fn, reactivate at its old priority. */
int control_cycle(struct swapctl_ctx *ctx, const char *path,
		  int (*fn)(struct swapctl_ctx *ctx, const char *path, void *data), void *data);
/* Is the block device (or a partition of it) mounted?  mountpoint out. */
int probe_is_mounted(struct swapctl_ctx *ctx, dev_t devno, char *mnt, size_t size);

/* stats.c, procs.c, cgroups.c: the parsers of the reports (fuzzed). */
int vmstat_parse(const char *text, struct swapctl_vmstat *vs);
int psi_parse(const char *text, struct swapctl_psi *psi);
int zram_parse_mm_stat(const char *text, struct swapctl_zram *z);
void zram_parse_algorithm(const char *text, char *buf, size_t size);
/* /proc/PID/status: 1 for a user process, 0 for a kernel thread, -EINVAL. */
int proc_status_parse(const char *text, struct swapctl_proc *p);
/* /proc/PID/smaps_rollup: SwapPss and Swap into p. */
int smaps_rollup_parse(const char *text, struct swapctl_proc *p);
/* v1 memory.stat: total_swap, else swap. */
int memcg_stat_swap(const char *text, uint64_t *swap);

#endif
