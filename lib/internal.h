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

/* util.c: parsing helpers used by several modules. */
int parse_u64(const char *s, uint64_t *v);          /* decimal, whole string */
int parse_s64(const char *s, int64_t *v);
/* Read/write exactly len bytes at off; -EIO on a short transfer. */
int pread_full(int fd, void *buf, size_t len, off_t off);
int pwrite_full(int fd, const void *buf, size_t len, off_t off);
/* Size of a regular file or block device open on fd. */
int fd_size(int fd, uint64_t *size);

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

#endif
