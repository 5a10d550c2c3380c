/*
 * libswapctl: manage and inspect Linux swap space.
 *
 * Conventions (see libswapctl(3)):
 *  - Every call takes a context made by swapctl_new() and released with
 *    swapctl_unref().  The context carries the sysroot through which /proc,
 *    /sys, /dev/disk and /etc/fstab are read, the log function and the text
 *    of the last error.
 *  - Functions return 0 (or a count) on success and a negative errno value on
 *    failure.  After a failure swapctl_errmsg() gives one line naming the
 *    object and the reason, e.g. "/swapfile: area larger than the file".
 *  - Objects handed out are opaque or plain values; the comment at each type
 *    says who frees what.  The large structures a caller allocates carry
 *    their size (struct_size, set to sizeof before the call), so fields
 *    can be added at their end.
 *  - The engine and traces are declared in libswapctl-pager.h, the
 *    allocators in libswapctl-alloc.h; this header includes both.
 */
#ifndef LIBSWAPCTL_H
#define LIBSWAPCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ context */

struct swapctl_ctx;

/* log priorities follow syslog(3): LOG_ERR=3 ... LOG_DEBUG=7 */
typedef void (*swapctl_log_fn)(void *data, int priority, const char *msg);

/* A context reading the running system ("/"): the library reads no
 * environment variable; the commands pass SWAPCTL_SYSROOT and their test
 * hooks in with swapctl_set_sysroot() and swapctl_set_debug(). */
int swapctl_new(struct swapctl_ctx **ctx);
struct swapctl_ctx *swapctl_ref(struct swapctl_ctx *ctx);
struct swapctl_ctx *swapctl_unref(struct swapctl_ctx *ctx);
void swapctl_set_log_fn(struct swapctl_ctx *ctx, swapctl_log_fn fn, void *data);
void swapctl_set_log_priority(struct swapctl_ctx *ctx, int priority);
/*
 * Progress of long operations (the surface scan): fn is called now and then
 * with what is being done ("write", "read"), the pages done and the pages
 * in all; NULL turns it off.  Symbol version LIBSWAPCTL_0.2.
 */
typedef void (*swapctl_progress_fn)(void *data, const char *what, uint64_t done, uint64_t total);
void swapctl_set_progress_fn(struct swapctl_ctx *ctx, swapctl_progress_fn fn, void *data);
int swapctl_set_sysroot(struct swapctl_ctx *ctx, const char *root);
const char *swapctl_get_sysroot(const struct swapctl_ctx *ctx);
/*
 * The last call's failure: one line naming the object and the reason, ""
 * when it had none.  Every call that takes a context (or an engine or a
 * trace) starts with a clean message and class (swapctl_errclass()), so a
 * message is never an earlier call's.  Valid until the next call.
 */
const char *swapctl_errmsg(const struct swapctl_ctx *ctx);
/*
 * Flags of the context; returns the old ones.  SWAPCTL_NOLOG: failures are
 * recorded (swapctl_errmsg(), swapctl_errclass()) but not given to the log
 * function.  Set it around a call whose failure the caller expects and
 * handles, as kmod's KMOD_REMOVE_NOLOG does for one removal:
 *     unsigned old = swapctl_set_flags(ctx, SWAPCTL_NOLOG);
 *     r = swapctl_psi_read(ctx, NULL, &psi);
 *     swapctl_set_flags(ctx, old);
 * Symbol version LIBSWAPCTL_0.3.
 */
#define SWAPCTL_NOLOG 0x1u
unsigned swapctl_set_flags(struct swapctl_ctx *ctx, unsigned flags);
/*
 * Test hooks, for the commands' test suite (their environment variables in
 * parentheses, see HACKING): "fail" (SWAPCTL_DEBUG_FAIL) a comma-separated
 * list of swapon calls to fail, "pause" (SWAPCTL_DEBUG_PAUSE) a file the -c
 * cycle waits for, "scan-bad" (SWAPCTL_DEBUG_SCAN_BAD) pages whose scan
 * reads fail, "no-uring" (SWAPCTL_NO_URING) "1": the area backend does
 * pread/pwrite.  value NULL or "" clears it; -EINVAL for another name.
 * Symbol version LIBSWAPCTL_0.3.
 */
int swapctl_set_debug(struct swapctl_ctx *ctx, const char *name, const char *value);

/* --------------------------------------------------------- the swap header */

#define SWAPCTL_HEADER_OFFSET   1024    /* first byte the header owns */
#define SWAPCTL_LABEL_MAX       15      /* bytes, without the NUL */
#define SWAPCTL_MIN_PAGES       10      /* smallest area, header included */
#define SWAPCTL_PAGESIZE_MIN    4096
#define SWAPCTL_PAGESIZE_MAX    65536
/* bad-page entries that fit in a header of the largest page size */
#define SWAPCTL_BADPAGES_CAP    ((SWAPCTL_PAGESIZE_MAX - 1546) / 4)

/* What the signature slot (and offset 0, for TuxOnIce) says. */
enum swapctl_sig {
	SWAPCTL_SIG_NONE = 0,     /* nothing known */
	SWAPCTL_SIG_SWAPSPACE2,   /* Linux swap, version 1 header */
	SWAPCTL_SIG_SWAPSPACE1,   /* "SWAP-SPACE": obsolete version 0 */
	SWAPCTL_SIG_S1SUSPEND,    /* hibernation images ... */
	SWAPCTL_SIG_S2SUSPEND,
	SWAPCTL_SIG_ULSUSPEND,
	SWAPCTL_SIG_LINHIB0001,
	SWAPCTL_SIG_TUXONICE,
};

enum swapctl_endian {
	SWAPCTL_ENDIAN_NATIVE = 0,
	SWAPCTL_ENDIAN_LITTLE,
	SWAPCTL_ENDIAN_BIG,
};

/* A decoded header: a plain value, nothing to free. */
struct swapctl_header {
	enum swapctl_sig sig;
	unsigned pagesize;              /* from where the magic sits */
	enum swapctl_endian endian;     /* LITTLE or BIG, never NATIVE */
	uint32_t version;
	uint32_t last_page;
	uint32_t nr_badpages;           /* as stored, may exceed the cap */
	unsigned char uuid[16];
	char label[SWAPCTL_LABEL_MAX + 2];  /* raw 16 bytes + NUL */
	bool label_terminated;          /* a NUL within the 16 bytes */
	uint32_t badpages[SWAPCTL_BADPAGES_CAP]; /* first min(nr, max) entries */
};

/* Every defect a header or an area can have; each has its own reason. */
enum swapctl_defect {
	SWAPCTL_D_NO_SIGNATURE = 0,   /* not a swap area */
	SWAPCTL_D_OLD_VERSION,        /* SWAP-SPACE (v0) */
	SWAPCTL_D_HIBERNATION,        /* holds a hibernation image */
	SWAPCTL_D_BAD_VERSION,        /* version other than 1 */
	SWAPCTL_D_PAGESIZE,           /* page size not the running kernel's */
	SWAPCTL_D_TOO_SMALL,          /* fewer than 10 pages */
	SWAPCTL_D_TOO_LARGE,          /* last_page beyond the device or file */
	SWAPCTL_D_BADPAGES_COUNT,     /* nr_badpages over the page size's max */
	SWAPCTL_D_BADPAGES_RANGE,     /* an entry is 0 or beyond last_page */
	SWAPCTL_D_BADPAGES_FILE,      /* bad pages listed for a regular file */
	SWAPCTL_D_LABEL,              /* never reported: a 16-byte label without
					 NUL is valid (the kernel, util-linux) */
	SWAPCTL_D_HOLES,              /* file has holes */
	SWAPCTL_D_SHARED,             /* file has shared (reflinked) extents */
	SWAPCTL_D_UNSUPPORTED_EXTENT, /* inline, delalloc or unknown extents */
	SWAPCTL_D_COW,                /* copy-on-write file on btrfs */
	SWAPCTL_D_MODE,               /* readable or writable by others */
	SWAPCTL_D_OWNER,              /* file not owned by root */
	SWAPCTL_D_FILESYSTEM,         /* file on a filesystem the kernel cannot
					 swap to (tmpfs, ramfs, overlay, FUSE ...) */
	SWAPCTL_D_FOREIGN,            /* other signatures beside the swap header
					 (partition table, filesystem, RAID ...) */
	SWAPCTL_D__COUNT
};

/* How bad a defect is. */
enum swapctl_severity {
	SWAPCTL_SEV_WARN = 1,       /* usable, but fix it */
	SWAPCTL_SEV_UNUSABLE,       /* a swap area this kernel refuses */
	SWAPCTL_SEV_INVALID,        /* not a (valid) swap area */
	SWAPCTL_SEV_HIBERNATION,    /* a hibernation image: do not touch */
};

const char *swapctl_defect_name(enum swapctl_defect d);   /* "holes" ... */
enum swapctl_severity swapctl_defect_severity(enum swapctl_defect d);
const char *swapctl_sig_name(enum swapctl_sig sig);        /* "SWAPSPACE2" ... */
/* bad-page entries a header of this page size can hold (637 for 4 KiB) */
unsigned swapctl_badpages_max(unsigned pagesize);

/*
 * Decode the start of an area (at least SWAPCTL_PAGESIZE_MIN bytes, up to
 * SWAPCTL_PAGESIZE_MAX).  Looks for a signature at every page size; returns
 * 0 with h->sig set (SWAPCTL_SIG_NONE when there is none), -EINVAL when len
 * is too short.
 */
int swapctl_header_parse(const void *buf, size_t len, struct swapctl_header *h);

/* Parameters for building a header page. */
struct swapctl_header_params {
	unsigned pagesize;              /* 4096..65536, power of two */
	enum swapctl_endian endian;
	uint64_t pages;                 /* size of the area in pages */
	unsigned char uuid[16];
	const char *label;              /* NULL or at most 15 bytes */
	const uint32_t *badpages;
	unsigned nr_badpages;
};

/*
 * Write a header page into page[0..pagesize): bytes before 1024 are zeroed,
 * the rest laid out as the kernel and mkswap(8) expect.  -EINVAL with a
 * message for bad parameters (label too long, too few pages ...).
 */
int swapctl_header_build(struct swapctl_ctx *ctx, void *page,
			 const struct swapctl_header_params *p);

/* ----------------------------------------------------------- a swap area */

/* One problem found by a verification. */
struct swapctl_problem {
	enum swapctl_defect defect;
	char text[256];                 /* the reason, one line */
	char fix[256];                  /* the command that fixes it, or "" */
};

#define SWAPCTL_PROBLEMS_MAX 24

/*
 * The result of swapctl_area_verify(): a plain value the caller allocates.
 * It carries its size: set struct_size to sizeof(struct swapctl_report)
 * before the call (the library refuses a size it does not know, -EINVAL).  New fields
 * are only ever added at the end, and a later library fills only the
 * fields within the size given, so a program built against this header
 * keeps working.
 */
struct swapctl_report {
	size_t struct_size;             /* sizeof(struct swapctl_report), set by the caller */
	char path[4096];
	bool is_blockdev;
	uint64_t size;                  /* bytes of the file or device */
	unsigned kernel_pagesize;
	struct swapctl_header hdr;
	uint64_t usable_pages;          /* pages the kernel would use */
	char fstype[32];                /* filesystem holding a file */
	unsigned nproblems;
	struct swapctl_problem problems[SWAPCTL_PROBLEMS_MAX];
	enum swapctl_severity worst;    /* 0 when there are no problems */
	uint64_t offset;                /* where the area starts in path; size
					 * counts the bytes from there on */
};

/*
 * Read and check the area at path: header, size, and for regular files the
 * extents, copy-on-write, mode and owner.  Returns 0 when the report was
 * made (look at rep->worst), negative errno when the path cannot be read.
 */
int swapctl_area_verify(struct swapctl_ctx *ctx, const char *path,
			struct swapctl_report *rep);
/*
 * The same for an area that starts offset bytes into path (a multiple of
 * SWAPCTL_PAGESIZE_MIN, before its end; else -EINVAL).  The kernel cannot
 * activate it there, only through a block device that starts at it (a
 * partition, losetup --offset): the checks of a swap file itself (holes,
 * copy-on-write, filesystem, bad pages on a file) are left out.
 */
int swapctl_area_verify_at(struct swapctl_ctx *ctx, const char *path, uint64_t offset,
			   struct swapctl_report *rep);

/* The severity class of a report as one word: usable, unusable ... */
const char *swapctl_severity_name(enum swapctl_severity s);

/*
 * What the kernel needs to resume from hibernation in the swap area at
 * path: resume=UUID=uuid, and for a swap file resume_offset=offset, the
 * file's first page on the device in kernel pages (FIEMAP; on btrfs mapped
 * through the chunk tree, and the filesystem's UUID).  Returns 0, or a
 * negative errno with a message: a file whose first page is a hole or moves
 * (delayed, inline, encoded), a device without a UUID, a btrfs over several
 * devices.
 */
struct swapctl_resume {
	char uuid[37];                  /* UUID= of the device the kernel reads */
	char device[256];               /* that device, for files ("" on btrfs) */
	bool is_file;                   /* false: the area is the block device */
	uint64_t offset;                /* resume_offset=, files only */
};
int swapctl_resume_params(struct swapctl_ctx *ctx, const char *path, struct swapctl_resume *res);

/* How the UUID of a new area is chosen. */
enum swapctl_uuid_mode {
	SWAPCTL_UUID_RANDOM = 0,
	SWAPCTL_UUID_TIME,
	SWAPCTL_UUID_CLEAR,
	SWAPCTL_UUID_GIVEN,
};

struct swapctl_format_opts {
	const char *label;              /* NULL: none */
	enum swapctl_uuid_mode uuid_mode;
	unsigned char uuid[16];         /* with SWAPCTL_UUID_GIVEN */
	unsigned pagesize;              /* 0: the kernel's */
	enum swapctl_endian endian;
	uint64_t size;                  /* >0: create/resize a regular file */
	bool force;                     /* wipe foreign signatures */
	bool dry_run;                   /* only say what would be done */
	/* >0: the header goes this many bytes into path (a multiple of the
	 * page size, as mkswap --offset), the area runs from there to the end
	 * (or to size with it).  Signatures anywhere in path are refused
	 * unless force; force wipes only those from offset on. */
	uint64_t offset;
};

/* What a format did, or (dry run) would do. */
struct swapctl_format_result {
	uint64_t pages;                 /* area size in pages */
	unsigned pagesize;
	unsigned char uuid[16];
	char wiped[8][64];              /* signatures wiped ("ext4" ...) */
	unsigned nwiped;
	bool created;                   /* the file was created */
	bool resized;                   /* the file was resized */
};

/*
 * Format path as a swap area.  Refuses (-EBUSY / -EEXIST with a message)
 * to write over a mounted device, an active swap area, a device open
 * elsewhere, or, unless opts->force, any signature libblkid knows.  After
 * writing it syncs, reads the header back and checks it.
 */
int swapctl_area_format(struct swapctl_ctx *ctx, const char *path,
			const struct swapctl_format_opts *opts,
			struct swapctl_format_result *res);

/* Change the label (label != NULL) and/or UUID (uuid != NULL) of an area:
 * swapctl_area_change() without a priority, force or dry run. */
int swapctl_area_relabel(struct swapctl_ctx *ctx, const char *path,
			 const char *label, const unsigned char *uuid);

/* ------------------------------------------------------- the device list */

/* What kind of thing backs an area. */
enum swapctl_kind {
	SWAPCTL_KIND_FILE = 0,          /* a regular file */
	SWAPCTL_KIND_PARTITION,
	SWAPCTL_KIND_DISK,              /* a whole disk */
	SWAPCTL_KIND_LOOP,              /* a loop device (see backing) */
	SWAPCTL_KIND_ZRAM,
	SWAPCTL_KIND_DEVICE,            /* another block device (dm, md ...) */
};
const char *swapctl_kind_name(enum swapctl_kind k);   /* "file", "partition" ... */

/*
 * One active swap area: a plain value the library allocates; callers read
 * it through the pointers the lists give and never allocate one, so new
 * fields can be added at its end.
 */
struct swapctl_swap {
	char path[4096];                /* kernel escapes decoded */
	bool deleted;                   /* the kernel said " (deleted)" */
	enum swapctl_kind kind;
	uint64_t size;                  /* bytes */
	uint64_t used;                  /* bytes */
	int prio;
	unsigned order;                 /* 0 = activated first */
	dev_t devno;                    /* the block device, 0 for files */
	/* identity, filled with SWAPCTL_READ_IDENTITY: */
	char label[SWAPCTL_LABEL_MAX + 2];
	char uuid[37];
	char backing[4096];             /* a loop device's backing file */
	char model[64];
	int rotational;                 /* 1, 0, or -1 when unknown */
	/* label and UUID could not be read (no udev data and no permission to
	 * read the area): unknown, which is not the same as none ("") */
	bool identity_unknown;
};

#define SWAPCTL_READ_IDENTITY 0x1       /* label, UUID, model (udev, else blkid) */

/* A list of active areas in /proc/swaps order; the caller frees it. */
struct swapctl_swaplist;
int swapctl_swaps_read(struct swapctl_ctx *ctx, unsigned flags, struct swapctl_swaplist **out);
size_t swapctl_swaplist_count(const struct swapctl_swaplist *l);
const struct swapctl_swap *swapctl_swaplist_get(const struct swapctl_swaplist *l, size_t i);
/* The active area that is the same file or device as path, or NULL. */
const struct swapctl_swap *swapctl_swaplist_find(const struct swapctl_swaplist *l, const char *path);
/* Fill what SWAPCTL_READ_IDENTITY reads into a list read without it, so
 * a caller that wants it only sometimes reads /proc/swaps once. */
void swapctl_swaplist_identify(struct swapctl_ctx *ctx, struct swapctl_swaplist *l);
void swapctl_swaplist_free(struct swapctl_swaplist *l);

/* Discard policy of an area (swapon(2) flags). */
enum swapctl_discard {
	SWAPCTL_DISCARD_NONE = 0,
	SWAPCTL_DISCARD_BOTH,           /* "discard" */
	SWAPCTL_DISCARD_ONCE,           /* "discard=once" */
	SWAPCTL_DISCARD_PAGES,          /* "discard=pages" */
};

/* One swap entry of fstab: a plain value. */
struct swapctl_fstab_entry {
	char spec[4096];                /* as written: path, LABEL=, UUID= ... */
	char path[4096];                /* resolved; "" when not found */
	int prio;                       /* pri=, or -1 */
	enum swapctl_discard discard;
	bool nofail;
	bool noauto;
};

/* The swap entries of an fstab; the caller frees the list. */
struct swapctl_fstab;
/* path NULL: <sysroot>/etc/fstab.  A malformed line fails with -EINVAL
 * and a message "FILE:LINE: reason". */
int swapctl_fstab_read(struct swapctl_ctx *ctx, const char *path, struct swapctl_fstab **out);
size_t swapctl_fstab_count(const struct swapctl_fstab *f);
const struct swapctl_fstab_entry *swapctl_fstab_get(const struct swapctl_fstab *f, size_t i);
void swapctl_fstab_free(struct swapctl_fstab *f);
/* The entry naming the same file or device as path (by device number, or
 * device and inode; LABEL= and UUID= as resolved), or NULL. */
const struct swapctl_fstab_entry *swapctl_fstab_find(const struct swapctl_fstab *f, const char *path);
/* Parse the options field of a swap entry (pri=, discard, nofail, noauto). */
int swapctl_fstab_parse_options(struct swapctl_ctx *ctx, const char *options,
				struct swapctl_fstab_entry *e);

/* ---------------------------------------------------------------- memory */

/* /proc/meminfo, in bytes; a field the kernel does not give is 0. */
struct swapctl_meminfo {
	uint64_t mem_total;
	uint64_t mem_free;
	uint64_t mem_available;
	uint64_t swap_total;
	uint64_t swap_free;
	uint64_t swap_cached;
	uint64_t zswap;                 /* compressed pool */
	uint64_t zswapped;              /* what it holds, uncompressed */
	bool has_mem_available;
	bool has_zswap;                 /* Zswap/Zswapped given (Linux 5.19+) */
};
int swapctl_meminfo_read(struct swapctl_ctx *ctx, struct swapctl_meminfo *mi);

/* ----------------------------------------------------- changing swap state */

/* Why the last call failed, for the commands' exit codes: each failure
 * states its class where it happens (never guessed from the errno).  A
 * failure without a message is SWAPCTL_E_SYSTEM. */
enum swapctl_errclass {
	SWAPCTL_E_SYSTEM = 0,           /* cannot access, I/O, memory, a
					   malformed kernel file */
	SWAPCTL_E_INVALID,              /* bad argument or input (trace, fstab) */
	SWAPCTL_E_PERM,                 /* not permitted */
	SWAPCTL_E_REFUSED,              /* refused by a safety check */
	SWAPCTL_E_SYSCALL,              /* swapon(2)/swapoff(2) failed */
	SWAPCTL_E_LEFT_OFF,             /* an area that was active could not be
					   activated again: it is off */
};
enum swapctl_errclass swapctl_errclass(const struct swapctl_ctx *ctx);

struct swapctl_swapon_opts {
	int prio;                       /* 0..32767, or -1: the kernel chooses */
	enum swapctl_discard discard;
	bool force;                     /* over hibernation images, insecure modes */
	bool dry_run;
};

/*
 * Activate the area at path after checking it: it must be a valid swap area
 * of this kernel's page size, not active, not a hibernation image (force
 * rewrites the signature), a file without holes or copy-on-write, and not
 * readable or writable by others (force goes on).
 */
int swapctl_swapon(struct swapctl_ctx *ctx, const char *path, const struct swapctl_swapon_opts *o);

/* Can memory take an area's pages back?  All in bytes. */
struct swapctl_memcheck {
	uint64_t used;                  /* what the area holds */
	uint64_t mem_available;
	uint64_t other_free;            /* free space on the other areas */
	uint64_t margin;                /* kept in reserve */
	bool ok;
};
int swapctl_swapoff_check(struct swapctl_ctx *ctx, const char *path, struct swapctl_memcheck *mc);

struct swapctl_swapoff_opts {
	bool force;                     /* skip the memory check */
	bool dry_run;
};
/* Deactivate after the memory check, protected from the OOM killer. */
int swapctl_swapoff(struct swapctl_ctx *ctx, const char *path, const struct swapctl_swapoff_opts *o);

/*
 * Change an active area's priority: swapctl_area_change() with only a
 * priority.  Returns 1 when the area is already at prio.
 */
int swapctl_set_priority(struct swapctl_ctx *ctx, const char *path, int prio,
			 enum swapctl_discard discard, bool force);

/* What swapctl_area_change() is to change; NULL / -1 keep. */
struct swapctl_change_opts {
	const char *label;              /* "" clears it */
	const unsigned char *uuid;      /* 16 bytes */
	int prio;                       /* 0..32767 (the area must be active), or -1 */
	enum swapctl_discard discard;   /* an active area gets it back (the kernel
					   does not report it: give fstab's) */
	bool force;                     /* skip the memory check */
	bool dry_run;                   /* decide and check everything, change nothing */
};
/* What it did, or (dry run) would do. */
struct swapctl_change_result {
	bool active;                    /* it was active: it is (would be) cycled */
	int old_prio;                   /* its priority before (active areas) */
	int prio;                       /* after, read back from /proc/swaps (dry
					   run: the one it would be asked at);
					   INT_MIN when unknown or left off */
	struct swapctl_memcheck mc;     /* the memory check (active areas) */
};
/*
 * Change an area's label, UUID and/or priority.  The header is checked
 * before anything else.  Whether the area is active is decided under the
 * configuration lock, held to the end.  An inactive area is written in
 * place.  An active one goes through one cycle: the memory check (force
 * skips it), swapoff, the write, swapon at the new priority or the one it
 * had, with discard; SIGHUP, SIGINT, SIGQUIT, SIGTERM and SIGTSTP are held
 * from the swapoff to the swapon.  When that swapon fails, the area is
 * activated again with the flags it had (three attempts) and the error says
 * at which priority it now is: a priority the kernel chose (negative)
 * cannot be asked for again, so it gets the next free one.  When every
 * attempt fails, the error has the class SWAPCTL_E_LEFT_OFF.  Returns 0, 1
 * (only a priority, which it already has), or a negative errno.
 */
int swapctl_area_change(struct swapctl_ctx *ctx, const char *path,
			const struct swapctl_change_opts *opts, struct swapctl_change_result *res);

/* The exclusive configuration lock (/run/swapctl.lock); nests per context. */
int swapctl_lock(struct swapctl_ctx *ctx);
void swapctl_unlock(struct swapctl_ctx *ctx);

/* --- reports: statistics, processes, cgroups --- */

/*
 * A value that could not be read (no permission, not in this kernel, the
 * process went away) is SWAPCTL_UNKNOWN: report it as unknown, never as 0.
 * A limit that is not set ("max") is SWAPCTL_UNLIMITED.
 */
#define SWAPCTL_UNKNOWN         UINT64_MAX
#define SWAPCTL_UNLIMITED       (UINT64_MAX - 1)

/* Counters of /proc/vmstat, in pages since boot; UNKNOWN when absent. */
struct swapctl_vmstat {
	uint64_t pswpin, pswpout;       /* pages read from / written to swap */
	uint64_t zswpin, zswpout;       /* pages loaded from / stored in zswap */
	uint64_t zswpwb;                /* pages zswap wrote back to swap */
	uint64_t pgmajfault;
	uint64_t swap_ra, swap_ra_hit;  /* swap readahead pages, and those used */
};

/* Pressure stall information (/proc/pressure/memory, memory.pressure). */
struct swapctl_psi_line {
	double avg10, avg60, avg300;    /* percent of time stalled */
	uint64_t total_us;              /* microseconds since boot */
};
struct swapctl_psi {
	bool has_some, has_full;        /* false: not given (or PSI is off) */
	struct swapctl_psi_line some, full;
};
/* path NULL: /proc/pressure/memory.  -ENOENT/-EOPNOTSUPP without PSI. */
int swapctl_psi_read(struct swapctl_ctx *ctx, const char *path, struct swapctl_psi *psi);

/* zswap: /sys/module/zswap/parameters and the sizes in /proc/meminfo. */
struct swapctl_zswap {
	int enabled;                    /* 1, 0, or -1: no zswap in this kernel */
	char compressor[32];            /* "" when unknown */
	int max_pool_percent;           /* -1 when unknown */
	uint64_t pool;                  /* bytes of the compressed pool (Zswap) */
	uint64_t stored;                /* bytes it holds, uncompressed (Zswapped) */
};

/* One snapshot of the system-wide figures swapinfo -s shows.  It carries
 * its size as struct swapctl_report does: set struct_size to
 * sizeof(struct swapctl_stats) before swapctl_stats_read(). */
struct swapctl_stats {
	size_t struct_size;             /* sizeof(struct swapctl_stats), set by the caller */
	double time;                    /* CLOCK_MONOTONIC seconds at the read */
	double uptime;                  /* /proc/uptime seconds; NAN if unknown */
	unsigned pagesize;
	struct swapctl_meminfo mem;
	struct swapctl_vmstat vm;
	struct swapctl_zswap zswap;     /* pool/stored UNKNOWN before Linux 5.19 */
	struct swapctl_psi psi;         /* has_* false without PSI */
};
/* Reads meminfo, vmstat, zswap and PSI; only a missing meminfo fails. */
int swapctl_stats_read(struct swapctl_ctx *ctx, struct swapctl_stats *st);

/* Per-second rates, bytes per second; NAN when unknown. */
struct swapctl_rates {
	double seconds;                 /* the interval they cover */
	double swapin, swapout;         /* swap I/O */
	double zswapin, zswapout, zswapwb;
	double majfault;                /* major faults per second */
};
/* Rates from prev to cur; prev NULL: averages since boot (cur->uptime). */
void swapctl_stats_rates(const struct swapctl_stats *prev, const struct swapctl_stats *cur,
			 struct swapctl_rates *r);

/* One initialised zram device (/sys/block/zramN): a plain value.  Sizes in
 * bytes; page counts in pages of the kernel's size; UNKNOWN when absent. */
struct swapctl_zram {
	char name[32];                  /* "zram0" */
	uint64_t disksize;
	char algorithm[32];             /* the selected compressor */
	uint64_t orig;                  /* data stored, uncompressed */
	uint64_t compr;                 /* the same, compressed */
	uint64_t mem_used;              /* RAM used, allocator overhead included */
	uint64_t mem_limit;             /* UNLIMITED when none */
	uint64_t mem_used_max;          /* peak of mem_used */
	uint64_t same_pages;            /* same-filled pages (no memory used) */
	uint64_t pages_compacted;
	uint64_t huge_pages;            /* incompressible pages, stored whole */
	double ratio;                   /* orig / compr; NAN when empty */
	char backing_dev[256];          /* writeback device, "" for none */
	uint64_t bd_count, bd_reads, bd_writes; /* writeback, 4 KiB units */
	uint64_t failed_reads, failed_writes;
};
/* Initialised zram devices by number; the caller frees the list. */
struct swapctl_zramlist;
int swapctl_zram_read(struct swapctl_ctx *ctx, struct swapctl_zramlist **out);
size_t swapctl_zramlist_count(const struct swapctl_zramlist *l);
const struct swapctl_zram *swapctl_zramlist_get(const struct swapctl_zramlist *l, size_t i);
void swapctl_zramlist_free(struct swapctl_zramlist *l);

/* One process: a plain value.  Kernel threads are never listed. */
struct swapctl_proc {
	pid_t pid;
	uid_t uid;                      /* real uid */
	char user[33];                  /* its name, or the number */
	char comm[64];                  /* Name: from status */
	uint64_t swap;                  /* VmSwap: anonymous pages in swap, bytes */
	uint64_t rss;                   /* VmRSS, bytes */
	uint64_t swap_pss;              /* SwapPss of smaps_rollup, only after
					   swapctl_proclist_read_smaps() */
	uint64_t smaps_swap;            /* Swap of smaps_rollup (shmem included) */
};
/*
 * Every process from /proc/PID/status (VmSwap, VmRSS, Uid, Name), sorted by
 * swap, largest first, unknown last.  Never reads smaps.  The caller frees.
 */
struct swapctl_proclist;
int swapctl_procs_read(struct swapctl_ctx *ctx, struct swapctl_proclist **out);
size_t swapctl_proclist_count(const struct swapctl_proclist *l);
const struct swapctl_proc *swapctl_proclist_get(const struct swapctl_proclist *l, size_t i);
/*
 * Read smaps_rollup (SwapPss, Swap) for entries first..first+n-1 only.  A
 * process that exited meanwhile is removed from the list and the next one
 * read in its place; one that cannot be read (another user's, without
 * CAP_SYS_PTRACE) stays, its values SWAPCTL_UNKNOWN.
 */
int swapctl_proclist_read_smaps(struct swapctl_ctx *ctx, struct swapctl_proclist *l,
				size_t first, size_t n);
void swapctl_proclist_free(struct swapctl_proclist *l);
/* The command line of a process, arguments separated by blanks. */
int swapctl_proc_cmdline(struct swapctl_ctx *ctx, pid_t pid, char *buf, size_t size);

/* Sums per user of a process list: a plain value. */
struct swapctl_usersum {
	uid_t uid;
	char user[33];
	unsigned nprocs;
	uint64_t swap, rss, swap_pss;   /* sums of what could be read; UNKNOWN
					   when nothing could */
	unsigned swap_unread;           /* processes whose VmSwap was unknown */
	unsigned pss_unread;            /* ... whose SwapPss was unknown */
};
/*
 * Sum l per user, sorted by swap, largest first.  With smaps_users > 0 the
 * smaps_rollup of every process of the first smaps_users users is read (l
 * is updated) and SwapPss summed.  The caller frees the list.
 */
struct swapctl_userlist;
int swapctl_proclist_by_user(struct swapctl_ctx *ctx, struct swapctl_proclist *l,
			     size_t smaps_users, struct swapctl_userlist **out);
size_t swapctl_userlist_count(const struct swapctl_userlist *u);
const struct swapctl_usersum *swapctl_userlist_get(const struct swapctl_userlist *u, size_t i);
void swapctl_userlist_free(struct swapctl_userlist *u);

/*
 * One memory cgroup: a plain value.  Bytes; UNKNOWN when unreadable or not
 * in this cgroup version (v1 has no swap limit, v2 no mem+swap counters).
 */
struct swapctl_cgroup {
	char path[4096];                /* in the hierarchy: "/", "/system.slice" */
	int version;                    /* 1 or 2 */
	uint64_t swap;                  /* v2 memory.swap.current; v1 total_swap
					   (or swap) of memory.stat */
	uint64_t swap_max;              /* v2 memory.swap.max */
	uint64_t swap_peak;             /* v2 memory.swap.peak */
	uint64_t zswap;                 /* v2 memory.zswap.current */
	uint64_t mem, mem_max;          /* memory.current/max; v1 usage/limit */
	uint64_t memsw, memsw_max;      /* v1 memory.memsw.usage/limit_in_bytes */
	unsigned nprocs;                /* lines of cgroup.procs */
};
/*
 * Every cgroup of the hierarchy that has the memory controller, found by
 * looking at /sys/fs/cgroup (v2 with memory in cgroup.controllers, else v1
 * at /sys/fs/cgroup/memory, else v2 at /sys/fs/cgroup/unified), sorted by
 * swap, largest first.  -ENOENT with a message when there is none.
 */
struct swapctl_cgrouplist;
int swapctl_cgroups_read(struct swapctl_ctx *ctx, struct swapctl_cgrouplist **out);
size_t swapctl_cgrouplist_count(const struct swapctl_cgrouplist *l);
const struct swapctl_cgroup *swapctl_cgrouplist_get(const struct swapctl_cgrouplist *l, size_t i);
/* Where the memory hierarchy is mounted, e.g. "/sys/fs/cgroup/memory". */
const char *swapctl_cgrouplist_root(const struct swapctl_cgrouplist *l);
void swapctl_cgrouplist_free(struct swapctl_cgrouplist *l);

/* ------------------------------------------ where swapped pages live */

/*
 * Which area each swapped page of each process is on, from
 * /proc/PID/pagemap (swap type and offset of every swapped page; root
 * only: without CAP_SYS_ADMIN the kernel hides them).  pagemap names an
 * area by its swap type, which /proc/swaps does not show: the areas are
 * listed in type order, but one swapped off leaves its number free, so
 * the mapping is inferred from the offsets and counts seen and each
 * area's size and Used.  Each area says whether its figures are exact
 * (the only placement every fact allows) or inferred (the likeliest of
 * several); unknown when the kernel hid the types or the areas changed
 * during the walk.  Symbol version LIBSWAPCTL_0.3.
 */
enum swapctl_placement {
	SWAPCTL_PLACE_UNKNOWN = 0,
	SWAPCTL_PLACE_EXACT,
	SWAPCTL_PLACE_INFERRED,
};
const char *swapctl_placement_name(enum swapctl_placement p);  /* "exact" ... */

#define SWAPCTL_MAP_BUCKETS 64
/* One active area, in /proc/swaps order: a plain value. */
struct swapctl_maparea {
	int type;                       /* swap type, -1 when unknown */
	enum swapctl_placement placement;
	uint64_t size, used;            /* bytes (/proc/swaps, after the walk) */
	uint64_t pages;                 /* distinct slots processes map on it
					   (UNKNOWN when placement is) */
	uint64_t unattributed;          /* bytes of used no process maps: shmem,
					   tmpfs, swap cache; UNKNOWN when a
					   process with swap could not be read */
	unsigned nprocs;                /* processes with pages on it */
	/* slots seen per 1/SWAPCTL_MAP_BUCKETS of the area, first page first */
	uint64_t hist[SWAPCTL_MAP_BUCKETS];
};
/* One process with swap (VmSwap > 0): a plain value. */
struct swapctl_mapproc {
	pid_t pid;
	uid_t uid;
	char user[33];
	char comm[64];
	uint64_t vmswap;                /* bytes (status VmSwap) */
	uint64_t swapped;               /* pages pagemap shows swapped;
					   UNKNOWN when it could not be read */
	uint64_t hidden;                /* of them, whose area the kernel hid */
	uint64_t unplaced;              /* of them, of a type no area can be */
};
/*
 * Read the map: every process of procs (NULL: swapctl_procs_read) whose
 * VmSwap is not 0 (pid 0), or only pid.  The caller frees it.
 */
struct swapctl_swapmap;
int swapctl_swapmap_read(struct swapctl_ctx *ctx, const struct swapctl_proclist *procs, pid_t pid,
			 struct swapctl_swapmap **out);
unsigned swapctl_swapmap_pagesize(const struct swapctl_swapmap *m);
/* The areas as /proc/swaps gave them after the walk (owned by the map). */
const struct swapctl_swaplist *swapctl_swapmap_swaps(const struct swapctl_swapmap *m);
size_t swapctl_swapmap_nareas(const struct swapctl_swapmap *m);
const struct swapctl_maparea *swapctl_swapmap_area(const struct swapctl_swapmap *m, size_t i);
/* The index of the active area that is path, or -1. */
int swapctl_swapmap_find(const struct swapctl_swapmap *m, const char *path);
/* Processes by pages swapped, largest first; unreadable ones last. */
size_t swapctl_swapmap_nprocs(const struct swapctl_swapmap *m);
const struct swapctl_mapproc *swapctl_swapmap_proc(const struct swapctl_swapmap *m, size_t i);
/* Pages of process proc on area area, or UNKNOWN. */
uint64_t swapctl_swapmap_pages(const struct swapctl_swapmap *m, size_t proc, size_t area);
/* Processes with swap whose pagemap could not be read. */
unsigned swapctl_swapmap_unread(const struct swapctl_swapmap *m);
void swapctl_swapmap_free(struct swapctl_swapmap *m);

/*
 * Before swapoff of path: what the kernel would read back and whether it
 * fits.  map (the caller frees it) lists per process the pages on the
 * area (swapctl_swapmap_pages with plan.area).  The memory check is
 * swapctl_swapoff_check's, on the same figures.
 */
struct swapctl_swapoff_plan {
	int area;                       /* index in the map */
	enum swapctl_placement placement;
	uint64_t size;                  /* bytes */
	uint64_t used;                  /* bytes to read back (Used) */
	uint64_t attributed;            /* of them, mapped by processes; UNKNOWN */
	uint64_t unattributed;          /* the rest: shmem, swap cache; UNKNOWN */
	struct swapctl_memcheck mc;     /* MemAvailable, margin, our verdict */
	/* the kernel's own check (vm_enough_memory of the area's size) */
	int overcommit;                 /* vm.overcommit_memory, -1 unknown */
	uint64_t commit_limit, committed_as;    /* bytes, meminfo */
	bool kernel_ok;
};
int swapctl_swapoff_plan(struct swapctl_ctx *ctx, const char *path, struct swapctl_swapmap **map,
			 struct swapctl_swapoff_plan *plan);

/*
 * Swap in use, one breakdown for every command: used = total - free (free
 * clamped to total), of which in RAM too (SwapCached) and in zswap
 * (Zswapped), each clamped to what is left, and the rest on the areas.
 */
struct swapctl_swapuse {
	uint64_t total, free, used;
	uint64_t cached;                /* also in RAM: the swap cache */
	uint64_t zswapped;              /* held by zswap, uncompressed */
	uint64_t on_disk;               /* used - cached - zswapped */
};
void swapctl_swapuse(const struct swapctl_meminfo *mi, struct swapctl_swapuse *u);

/* The state of a swap area found by swapctl_scan(). */
enum swapctl_state {
	SWAPCTL_STATE_ACTIVE = 0,       /* in /proc/swaps */
	SWAPCTL_STATE_INACTIVE,         /* a swap signature, not in use */
	SWAPCTL_STATE_MISSING,          /* named in fstab, not found */
	SWAPCTL_STATE_HIBERNATION,      /* holds a hibernation image */
	SWAPCTL_STATE_UNKNOWN,          /* named in fstab, there, but unreadable */
};
const char *swapctl_state_name(enum swapctl_state s);  /* "active" ... */

/*
 * One area found by a scan: a plain value the library allocates.  sw is
 * its last member so that struct swapctl_swap, which only the library
 * allocates, can grow at its end without moving the fields before it.
 */
struct swapctl_found {
	enum swapctl_state state;
	bool in_fstab;
	char fstab_spec[4096];          /* as written in fstab ("A, B" when
					   two lines name it), or "" */
	int fstab_prio;                 /* pri= of fstab, or -1 */
	struct swapctl_swap sw;         /* for inactive areas used is 0 and
					   size what the header gives */
};
/*
 * Every swap area: the active ones, swap and hibernation signatures on
 * block devices (libudev enumeration, or sysfs under a sysroot, probed with
 * libblkid) and on the files fstab names, and fstab entries not found.
 * fstab NULL: <sysroot>/etc/fstab (none is not an error).  flags:
 * SWAPCTL_READ_IDENTITY.  Devices that cannot be read are skipped.
 */
struct swapctl_scan;
int swapctl_scan_read(struct swapctl_ctx *ctx, const char *fstab, unsigned flags,
		      struct swapctl_scan **out);
size_t swapctl_scan_count(const struct swapctl_scan *s);
const struct swapctl_found *swapctl_scan_get(const struct swapctl_scan *s, size_t i);
/* /proc/swaps as the scan read it (with identity), so a caller needs no
 * second read; owned by the scan, freed with it. */
const struct swapctl_swaplist *swapctl_scan_swaps(const struct swapctl_scan *s);
void swapctl_scan_free(struct swapctl_scan *s);

/* ------------------------------------------------------- surface scan */

/* Drive a whole real swap area through the engine's area backend: write
 * every usable page with its pattern, read it back, verify.  Bad pages
 * found are returned (malloc'd, caller frees). */
struct swapctl_scan_result {
	uint64_t pages_tested;
	uint64_t *bad;
	size_t nbad;
	double write_seconds, read_seconds;
};
int swapctl_area_scan(struct swapctl_ctx *ctx, const char *path, struct swapctl_scan_result *res);
/* Write the bad pages into the header (block devices only). */
int swapctl_area_record_bad(struct swapctl_ctx *ctx, const char *path, const uint64_t *bad, size_t n);

/* ------------------------------------------------------------- utilities */

/* "4c08e1cd-..." <-> 16 bytes; parse accepts the usual 36-char form. */
int swapctl_uuid_parse(const char *s, unsigned char uuid[16]);
void swapctl_uuid_unparse(const unsigned char uuid[16], char out[37]);
bool swapctl_uuid_is_null(const unsigned char uuid[16]);
/* A new random (or, with time_based, time-based) UUID. */
void swapctl_uuid_generate(bool time_based, unsigned char uuid[16]);

/* Sizes: "512", "64K", "1.5GiB", "2G" ... into bytes. */
int swapctl_parse_size(const char *s, uint64_t *bytes);

/* The running kernel's page size. */
unsigned swapctl_kernel_pagesize(void);

#ifdef __cplusplus
}
#endif

/* The allocators and the pager engine have their own headers; they are
 * included here so that programs written for 0.1, which had one header,
 * build unchanged.  New programs include the one they use. */
#include "libswapctl-alloc.h"
#include "libswapctl-pager.h"
#endif
