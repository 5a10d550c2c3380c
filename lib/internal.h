/* Internal interfaces shared by the library's modules; not installed. */
#ifndef SWAPCTL_INTERNAL_H
#define SWAPCTL_INTERNAL_H

#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include "array.h"
#include "libswapctl.h"

#define SWAPCTL_EXPORT __attribute__((visibility("default")))

struct swapctl_ctx {
	int refcount;
	swapctl_log_fn log_fn;
	void *log_data;
	int log_priority;
	char *sysroot;          /* "/" or a prefix without trailing slash */
	char errmsg[1024];
	enum swapctl_errclass errclass;
	swapctl_progress_fn progress_fn;
	void *progress_data;
	unsigned flags;         /* SWAPCTL_NOLOG */
	char *debug[5];         /* test hooks by name (ctx.c), or NULL */
	int lock_fd;            /* -1 when not held */
	int lock_depth;
	/* /proc/swaps as read under the lock, kept until the lock is released
	 * or an area is activated or deactivated (swaps.c); NULL: not read */
	struct swapctl_swaplist *swaps_held;
	/* set by swaps.c with swaps_held: ctx.c frees the list through it and
	 * so does not depend on swaps.c (no file-level cycle) */
	void (*swaps_held_free)(struct swapctl_swaplist *l);
};

/*
 * Record a failure for swapctl_errmsg() and swapctl_errclass(), log it
 * (unless SWAPCTL_NOLOG is set) and return -err (err > 0).  Each failure
 * states its class where it happens:
 *   _input    the caller's argument or input is malformed (SWAPCTL_E_INVALID)
 *   _refused  a safety check refuses it (SWAPCTL_E_REFUSED)
 *   _perm     not permitted (SWAPCTL_E_PERM)
 *   _system   cannot access, I/O, memory, a malformed kernel file (SWAPCTL_E_SYSTEM)
 *   _errno    a system call failed with err: the kernel's answer is the class
 *             (EPERM, EACCES, EROFS: permission; EBUSY, ETXTBSY: refused,
 *             in use; any other: system)
 */
int swapctl_fail_class(struct swapctl_ctx *ctx, enum swapctl_errclass cls, int err,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define swapctl_fail_input(ctx, err, ...) swapctl_fail_class(ctx, SWAPCTL_E_INVALID, err, __VA_ARGS__)
#define swapctl_fail_refused(ctx, err, ...) swapctl_fail_class(ctx, SWAPCTL_E_REFUSED, err, __VA_ARGS__)
#define swapctl_fail_perm(ctx, err, ...) swapctl_fail_class(ctx, SWAPCTL_E_PERM, err, __VA_ARGS__)
#define swapctl_fail_system(ctx, err, ...) swapctl_fail_class(ctx, SWAPCTL_E_SYSTEM, err, __VA_ARGS__)
int swapctl_fail_errno(struct swapctl_ctx *ctx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * The first statement of every exported call that takes a context (or an
 * engine or trace, through its context): the message and class of an
 * earlier call are gone, so a failure without a message of its own never
 * shows an older one.
 */
#define SWAPCTL_ENTER(ctx) swapctl_enter(ctx)
static inline void swapctl_enter(struct swapctl_ctx *ctx)
{
	ctx->errmsg[0] = '\0';
	ctx->errclass = SWAPCTL_E_SYSTEM;
}
void swapctl_log(struct swapctl_ctx *ctx, int priority, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define dbg(ctx, ...) swapctl_log(ctx, 7, __VA_ARGS__)
/* A caller-allocated struct that carries its size (struct_size, its first
 * field, which the caller sets to sizeof): 0 when it is a size this library knows, else
 * -EINVAL with a message naming the type. */
int abi_check_size(struct swapctl_ctx *ctx, const char *type, size_t given, size_t known);
/* The value of a test hook set by swapctl_set_debug(), or NULL. */
const char *swapctl_debug_value(const struct swapctl_ctx *ctx, const char *name);
/* Tell the caller's progress function, when it set one. */
void swapctl_progress(struct swapctl_ctx *ctx, const char *what, uint64_t done, uint64_t total);
#define info(ctx, ...) swapctl_log(ctx, 6, __VA_ARGS__)

/* sysroot.c: every read of /proc, /sys, /dev/disk, /etc goes through here. */
/* Build "<sysroot><path>" into buf; -ENAMETOOLONG when it does not fit. */
int sysroot_path(const struct swapctl_ctx *ctx, const char *path,
		 char *buf, size_t size);
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
/* Same object: a block device by its number, a file by device and inode. */
bool same_file(const struct stat *a, const struct stat *b);
/* qsort order of swap figures: larger first, SWAPCTL_UNKNOWN last. */
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

/* header.c: fields of a header page in memory (no I/O). */
void header_put32(void *p, uint32_t v, enum swapctl_endian e);
/* The 16-byte label field: label's bytes (at most 16), NUL-padded; NULL clears it. */
void header_set_label(void *page, const char *label);
void header_set_uuid(void *page, const unsigned char *uuid);

/* headerio.c: header pages on disk.  The area starts at byte offset of fd. */
#define HEADER_READ_MAX SWAPCTL_PAGESIZE_MAX    /* enough for a magic at any page size */
/*
 * The start of an area of size bytes into buf (HEADER_READ_MAX bytes,
 * zero-filled past what was read); *len bytes were read.  Past a bad block
 * it keeps the pages read before it; only an unreadable first page is an
 * error (-EIO).  No message: the caller says what it was reading for.
 */
int header_read(int fd, uint64_t offset, uint64_t size, unsigned char *buf, size_t *len);
/* Write page[from..pagesize) at offset + from, fsync, read the page back
 * from the disk and check it is what was written, a SWAPSPACE2 header. */
int header_write(struct swapctl_ctx *ctx, int fd, const char *path, uint64_t offset,
		 const unsigned char *page, unsigned pagesize, size_t from);

/* check.c: the header against the area's size and the kernel. */
void header_check(const struct swapctl_header *h, uint64_t size, bool regular_file,
		  unsigned kernel_pagesize, const char *path, struct swapctl_report *rep);

/* filecheck.c: what the kernel checks on a swap file. */
struct swapctl_report;
void filecheck_run(struct swapctl_ctx *ctx, int fd, const struct stat *st,
		   struct swapctl_report *rep);
/* 1 and the reason in why when the kernel cannot swap to a file on a
 * filesystem of this statfs f_type (and f_flags: read-only), else 0. */
int filecheck_fs_refusal(unsigned long magic, unsigned long flags, char *why, size_t size);
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
/* The same for an area that starts at byte offset of fd (-F/-V --offset):
 * only what lies from there to the end. */
int probe_signatures_at(struct swapctl_ctx *ctx, int fd, uint64_t offset, const char *path,
			struct probe_found *found);
int probe_wipe_at(struct swapctl_ctx *ctx, int fd, uint64_t offset, const char *path,
		  struct probe_found *found);
/* Is the file or device (by st) an active swap area? 1 yes, 0 no. */
int probe_is_active_swap(struct swapctl_ctx *ctx, const struct stat *st);
/*
 * areaopen.c: the one way to open an area.  For reading (verify): a regular
 * file or block device only, never blocking on a FIFO; returns the fd.
 */
int area_open_read(struct swapctl_ctx *ctx, const char *path, struct stat *st);
/* For writing: also not active, not mounted, block devices O_EXCL, and no
 * signature but swap unless AREA_FORCE (a.foreign lists them either way). */
#define AREA_FORCE 1u
#define AREA_DIRECT 2u          /* O_DIRECT where the filesystem has it */
/* the caller deactivated the area itself, under the configuration lock: no
 * look at /proc/swaps (the kernel still refuses writes to an active area:
 * O_EXCL on a device, ETXTBSY on a file) */
#define AREA_CYCLED 4u
struct area_fd {
	int fd;
	struct stat st;
	bool direct;
	struct probe_found foreign;
};
int area_open_write(struct swapctl_ctx *ctx, const char *path, unsigned flags, struct area_fd *a);
/* Signatures on fd other than swap and hibernation images. */
int area_foreign(struct swapctl_ctx *ctx, int fd, const char *path, struct probe_found *foreign);
/* The same in an area that starts at byte offset of fd. */
int area_foreign_at(struct swapctl_ctx *ctx, int fd, uint64_t offset, const char *path,
		    struct probe_found *foreign);
/* "dos partition table, ext4 filesystem" */
void area_foreign_list(const struct probe_found *f, char *buf, size_t size);
/* The refusal every writer gives: "PATH: refusing to write to it: ... (hint)". */
int area_refuse_foreign(struct swapctl_ctx *ctx, const char *path, const struct probe_found *f,
			const char *hint);
/* newfile.c: a new file built beside its target, renamed over it when done. */
struct newfile {
	int fd, dirfd;
	char base[256];         /* the target's name in its directory */
	char tmp[4096 + 300];   /* the temporary's name while it has one */
	bool tmp_in_dir;        /* tmp is relative to dirfd (else a path) */
};
int newfile_open(struct swapctl_ctx *ctx, const char *target, mode_t mode, struct newfile *nf);
/* fsync, rename over the target, fsync the directory; aborts on failure. */
int newfile_commit(struct swapctl_ctx *ctx, struct newfile *nf, const char *target);
/* Remove the temporary, close everything; the target is untouched. */
void newfile_abort(struct newfile *nf);
/* swaps.c: parse the text of /proc/swaps (called name in messages). */
struct swapctl_swaplist;
int swaps_parse(struct swapctl_ctx *ctx, const char *name, char *text, struct swapctl_swaplist *l);
/* An empty list, for swaps_parse (tests, fuzzing). */
struct swapctl_swaplist *swaps_list_new(void);
/* swaps.c: drop the /proc/swaps kept under the lock (it changed, or the
 * lock is released): the next swapctl_swaps_read reads it again. */
void swaps_forget(struct swapctl_ctx *ctx);
/* swaps.c: decode the kernel's octal escapes (\040) in place. */
void unescape_octal(char *s);
/* devinfo.c: kind, label, UUID, model, backing file of an area. */
void devinfo_fill(struct swapctl_ctx *ctx, struct swapctl_swap *sw, bool identity);
/* swapcall.c: swapon(2)/swapoff(2) with their messages. */
int swapcall_flags(int prio, enum swapctl_discard d);   /* prio -1: the kernel's */
bool swapcall_have_admin(void);                         /* CAP_SYS_ADMIN? */
int swapcall_require_admin(struct swapctl_ctx *ctx, const char *path, const char *what);
int swapcall_on(struct swapctl_ctx *ctx, const char *path, int flags);
int swapcall_off(struct swapctl_ctx *ctx, const char *path);   /* OOM-protected */
/* Test hooks: is what in the list the hook "fail" names? */
bool swapcall_debug_fail(const struct swapctl_ctx *ctx, const char *what);
/* memcheck.c: the refusal of swapctl_swapoff_check's verdict, with its numbers. */
int memcheck_refuse(struct swapctl_ctx *ctx, const char *path, const struct swapctl_memcheck *mc);
/* The check itself: sw (an entry of l) against memory and the other areas. */
void memcheck_fill(const struct swapctl_swaplist *l, const struct swapctl_swap *sw,
		   const struct swapctl_meminfo *mi, struct swapctl_memcheck *mc);
/*
 * cycle.c: the one off-change-on cycle (swapctl -c).  Under the lock: is
 * path active?  If not, run change (or refuse with need_active).  If so:
 * memory check, swapoff, change, swapon at prio (or back at the flags it
 * had), signals held throughout.  0, 1 (nothing to do), or -errno.
 */
struct cycle {
	const char *what;               /* "priority change": for permission messages */
	int prio;                       /* 0..32767, or -1: back at the old one */
	enum swapctl_discard discard;   /* given back to the area on every swapon */
	bool force;                     /* skip the memory check */
	bool dry_run;                   /* decide and check, change nothing */
	bool need_active;               /* refuse an area that is not active */
	/* or NULL; off: the cycle deactivated the area, under the lock */
	int (*change)(struct swapctl_ctx *ctx, const char *path, void *data, bool off);
	void *data;
};
int cycle_run(struct swapctl_ctx *ctx, const char *path, const struct cycle *c,
	      struct swapctl_change_result *res);
/* relabel.c: -c -L/-u.  Is path a swap area whose header may change (before
 * the cycle, in a dry run too)?  relabel_write is the cycle's change. */
struct relabel {
	const char *label;              /* NULL: kept */
	const unsigned char *uuid;      /* NULL: kept */
};
int relabel_check(struct swapctl_ctx *ctx, const char *path);
int relabel_write(struct swapctl_ctx *ctx, const char *path, void *data, bool off);
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


/* swaptype.c: which active area each swap type seen in pagemap is. */
#define SWAPTYPE_MAX 32                 /* 5 bits of type in pagemap */
struct swaptype_area {                  /* in /proc/swaps order */
	uint64_t pages;                 /* usable pages (Size) */
	uint64_t used;                  /* pages in use: the larger of two reads */
};
struct swaptype_seen {                  /* in increasing type order */
	unsigned type;
	uint64_t maxoff;                /* the largest offset seen */
	uint64_t distinct;              /* distinct offsets seen */
};
struct swaptype_result {
	int area[SWAPTYPE_MAX];         /* per seen type: its area, -1 none */
	bool exact[SWAPTYPE_MAX];       /* per seen type: no other area possible */
	uint32_t maybe[SWAPTYPE_MAX];   /* per seen type: the areas it may be (bits) */
	uint64_t placements;            /* placements that meet every fact */
	bool used_ignored;              /* none met Used: offsets alone decided */
};
/* 0; -ESRCH when no placement fits (r->area all -1); -EINVAL. */
int swaptype_infer(const struct swaptype_area *a, size_t n, const struct swaptype_seen *s, size_t k,
		   struct swaptype_result *r);

/* pagemap.c: the swapped pages of one process. */
#define PM_SWAP_BIT     (1ull << 62)
#define PM_PRESENT_BIT  (1ull << 63)
#define PM_TYPE(e)      ((unsigned)((e) & 0x1f))
#define PM_OFFSET(e)    (((e) >> 5) & ((1ull << 50) - 1))
struct pagemap_walk {
	uint64_t swapped;               /* entries with the swap bit */
	uint64_t hidden;                /* ... whose type and offset read 0 (no
					   CAP_SYS_ADMIN: the kernel hides them) */
	uint64_t by_type[SWAPTYPE_MAX]; /* visible ones per type */
	/* called for every visible swap entry, or NULL */
	void (*entry)(void *data, unsigned type, uint64_t offset);
	void *data;
};
/*
 * Walk /proc/PID/pagemap (under procfd, the sysroot's /proc) over the
 * private mappings of /proc/PID/maps, in large reads; on the live system
 * PAGEMAP_SCAN finds the swapped ranges first when the kernel has it.
 * 0, -ESRCH (the process is gone), or another -errno (unreadable).
 */
int pagemap_walk_pid(int procfd, pid_t pid, bool live, struct pagemap_walk *w);

#endif
