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
 *    says who frees what.
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
 * Symbol version LIBSWAPCTL_0.2.
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
 * Symbol version LIBSWAPCTL_0.2.
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

/* The result of swapctl_area_verify(): a plain value. */
struct swapctl_report {
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
};

/*
 * Read and check the area at path: header, size, and for regular files the
 * extents, copy-on-write, mode and owner.  Returns 0 when the report was
 * made (look at rep->worst), negative errno when the path cannot be read.
 */
int swapctl_area_verify(struct swapctl_ctx *ctx, const char *path,
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

/* One active swap area: a plain value. */
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
	int prio;                       /* after, read back from /proc/swaps;
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

/* ------------------------------------------------------------ allocators */
/* --- allocators ---: blist (radix-tree bitmap) and extent (regions).
 * Neither takes a context nor locks: the caller serializes calls on one
 * object.  Blocks are plain numbers; what a block is belongs to the caller. */

/* Free space of a map, by maximal free runs: a plain value. */
#define SWAPCTL_FREESTATS_BUCKETS 64
struct swapctl_freestats {
	uint64_t size;                  /* blocks managed */
	uint64_t free;                  /* of which free */
	uint64_t runs;                  /* maximal free runs */
	uint64_t largest;               /* blocks in the largest run, 0 if none */
	double average;                 /* free / runs, 0 if none */
	/* hist[k]: runs of 2^k .. 2^(k+1)-1 blocks */
	uint64_t hist[SWAPCTL_FREESTATS_BUCKETS];
};

/*
 * blist: one bit per block (blocks 0 .. nblocks-1, nblocks up to 2^56) under
 * a tree of free-run summaries; about 1.08 bits of memory per block.
 * Memory of a map created all free is only touched where blocks get
 * allocated.  Allocation is next-fit from a cursor.
 */
struct swapctl_blist;

/* A map with every block free (all_free) or allocated; -EINVAL, -ENOMEM. */
int swapctl_blist_create(uint64_t nblocks, bool all_free, struct swapctl_blist **out);
void swapctl_blist_destroy(struct swapctl_blist *b);
/*
 * Find the first free run of at least count blocks at or after the cursor
 * (else from block 0) and allocate up to maxcount blocks of it: *start and
 * *len (count <= *len <= maxcount).  Any count up to nblocks; -ENOSPC when
 * no run is long enough (found in O(1)), -EINVAL when count is 0 or
 * maxcount < count.
 */
int swapctl_blist_alloc(struct swapctl_blist *b, uint64_t count, uint64_t maxcount,
			uint64_t *start, uint64_t *len);
/* Free [start, start+n): -ERANGE outside the map, -EINVAL when any block
 * of it is already free (nothing is changed then). */
int swapctl_blist_free(struct swapctl_blist *b, uint64_t start, uint64_t n);
/* Allocate [start, start+n) whatever its state; *nfilled (may be NULL):
 * how many of its blocks were free.  -ERANGE outside the map. */
int swapctl_blist_fill(struct swapctl_blist *b, uint64_t start, uint64_t n, uint64_t *nfilled);
uint64_t swapctl_blist_avail(const struct swapctl_blist *b);   /* O(1) */
uint64_t swapctl_blist_size(const struct swapctl_blist *b);
/*
 * Grow or shrink to nblocks, keeping the state of the blocks both sizes
 * share; new blocks are free when new_free, else allocated.  Blocks cut off
 * are dropped whatever their state.  -ENOMEM leaves the map as it was.
 */
int swapctl_blist_resize(struct swapctl_blist *b, uint64_t nblocks, bool new_free);
/* The first free block at or after from and the length of the free run
 * starting there; -ENOENT when there is none. */
int swapctl_blist_next_free(const struct swapctl_blist *b, uint64_t from,
			    uint64_t *start, uint64_t *len);
int swapctl_blist_stats(const struct swapctl_blist *b, struct swapctl_freestats *st);
size_t swapctl_blist_memory(const struct swapctl_blist *b);    /* bytes */
/* Verify every internal invariant (O(nblocks)): 0 or -EUCLEAN. */
int swapctl_blist_check(const struct swapctl_blist *b);
/* Debug dump: geometry, the summary tree (mixed parts), the free runs. */
void swapctl_blist_dump(const struct swapctl_blist *b, FILE *fp);

/*
 * extent: allocated regions of [start, end] (inclusive; end - start below
 * 2^64 - 2) after NetBSD's extent(9), in memory proportional to the number
 * of regions.  Adjacent allocations merge into one region unless the
 * extent was created with SWAPCTL_EXTENT_NOCOALESCE.
 */
#define SWAPCTL_EXTENT_NOCOALESCE 0x1   /* create: one region per allocation */
#define SWAPCTL_EXTENT_FIRSTFIT   0x2   /* alloc: lowest address, not best fit */
struct swapctl_extent;

int swapctl_extent_create(uint64_t start, uint64_t end, unsigned flags,
			  struct swapctl_extent **out);
void swapctl_extent_destroy(struct swapctl_extent *ex);
/*
 * Allocate size values aligned to alignment (a power of two; 0 or 1: none)
 * and not crossing a multiple of boundary (0: none, else a power of two
 * >= size).  Best fit: the smallest free gap that can hold it, at the
 * lowest fitting address in that gap; with SWAPCTL_EXTENT_FIRSTFIT the
 * lowest fitting address overall.  -ENOSPC when nothing fits, -EINVAL for
 * bad arguments, -ENOMEM.
 */
int swapctl_extent_alloc(struct swapctl_extent *ex, uint64_t size, uint64_t alignment,
			 uint64_t boundary, unsigned flags, uint64_t *result);
/* Allocate exactly [start, start+size): -EBUSY when any of it is taken,
 * -ERANGE outside the extent, -ENOMEM. */
int swapctl_extent_alloc_region(struct swapctl_extent *ex, uint64_t start, uint64_t size);
/*
 * Free [start, start+size), which must lie in one allocated region (with
 * NOCOALESCE: be exactly one region); -EINVAL otherwise, -ERANGE outside
 * the extent.  Freeing the middle of a region splits it, which needs
 * memory: -ENOMEM then, with nothing changed.
 */
int swapctl_extent_free(struct swapctl_extent *ex, uint64_t start, uint64_t size);
uint64_t swapctl_extent_avail(const struct swapctl_extent *ex);   /* free values */
uint64_t swapctl_extent_regions(const struct swapctl_extent *ex); /* allocated regions */
/* The first free value at or after from and the length of the free gap
 * starting there; -ENOENT when there is none. */
int swapctl_extent_next_free(const struct swapctl_extent *ex, uint64_t from,
			     uint64_t *start, uint64_t *len);
int swapctl_extent_stats(const struct swapctl_extent *ex, struct swapctl_freestats *st);
size_t swapctl_extent_memory(const struct swapctl_extent *ex);   /* bytes */
/* Verify every internal invariant (O(regions)): 0 or -EUCLEAN. */
int swapctl_extent_check(const struct swapctl_extent *ex);
void swapctl_extent_dump(const struct swapctl_extent *ex, FILE *fp);

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

/* One snapshot of the system-wide figures swapinfo -s shows. */
struct swapctl_stats {
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

/* The state of a swap area found by swapctl_scan(). */
enum swapctl_state {
	SWAPCTL_STATE_ACTIVE = 0,       /* in /proc/swaps */
	SWAPCTL_STATE_INACTIVE,         /* a swap signature, not in use */
	SWAPCTL_STATE_MISSING,          /* named in fstab, not found */
	SWAPCTL_STATE_HIBERNATION,      /* holds a hibernation image */
	SWAPCTL_STATE_UNKNOWN,          /* named in fstab, there, but unreadable */
};
const char *swapctl_state_name(enum swapctl_state s);  /* "active" ... */

/* One area found by a scan: a plain value. */
struct swapctl_found {
	struct swapctl_swap sw;         /* for inactive areas used is 0 and
					   size what the header gives */
	enum swapctl_state state;
	bool in_fstab;
	char fstab_spec[4096];          /* as written in fstab ("A, B" when
					   two lines name it), or "" */
	int fstab_prio;                 /* pri= of fstab, or -1 */
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
void swapctl_scan_free(struct swapctl_scan *s);

/* ------------------------------------------------- the offline pager engine */

/*
 * A user-space swap pager: devices with priorities and allocators, objects
 * of anonymous memory with per-object slot maps, a simulated RAM with LRU
 * page-out in clusters and read-around page-in, swapoff, reservation, I/O
 * errors.  Devices are simulated (no data) or real swap areas that are not
 * active (real page I/O, every page read back is verified).  Replays are
 * deterministic: the same events and seed give the same statistics.
 */
struct swapctl_engine;

enum swapctl_allocator {
	SWAPCTL_ALLOC_BLIST = 0,
	SWAPCTL_ALLOC_EXTENT,
};
const char *swapctl_allocator_name(enum swapctl_allocator a);  /* "blist" ... */

struct swapctl_engine_opts {
	unsigned pagesize;              /* 0: the kernel's */
	uint64_t ram_pages;             /* simulated RAM; 0: 1024 */
	unsigned cluster;               /* default largest page-out; 0: 16 */
	enum swapctl_allocator alloc;   /* default allocator */
	uint64_t seed;                  /* for error rates */
	unsigned low_water_pct;         /* warn below this % free swap; 0: 10 */
	unsigned high_water_pct;        /* clear above it; 0: 20 */
	/* overrides that win over what a trace says (the command line) */
	bool force_alloc, force_cluster, force_ram;
};

/* Every device's figures; a plain value. */
#define SWAPCTL_HIST_BUCKETS 8          /* 1, 2, 4 ... 64, 128+ pages */
struct swapctl_devstats {
	char name[64];
	char path[4096];                /* area backend, or "" for sim */
	int prio;
	bool removed;                   /* swapped off */
	enum swapctl_allocator alloc;
	unsigned cluster;
	uint64_t pages;                 /* header page included */
	uint64_t usable, used, free, bad;
	uint64_t alloc_failures;        /* requests it could not satisfy */
	uint64_t pageouts, pageins;     /* pages */
	uint64_t writes, reads;         /* I/O requests */
	uint64_t out_hist[SWAPCTL_HIST_BUCKETS];   /* page-outs by size */
	uint64_t in_hist[SWAPCTL_HIST_BUCKETS];    /* page-ins by size */
	uint64_t readaround, readaround_hits;
	uint64_t write_errors, read_errors, verify_errors;
	uint64_t lost;                  /* pages lost: could not be read back */
	uint64_t io_bytes;
	double io_seconds;
	struct swapctl_freestats runs;  /* free-run (fragmentation) figures */
};

struct swapctl_engine_stats {
	uint64_t events, clock;
	uint64_t ram_pages, resident, dirty;
	uint64_t objects, reserved, reserve_failures;
	uint64_t faults, zero_fills, pageins, pageouts, clean_drops;
	uint64_t readaround_hits;
	uint64_t swapoffs, swapoff_failures;
	uint64_t lost_pages;
	uint64_t low_water_warnings;
	/* pages that failed alone, the replay going on (see the events) */
	uint64_t pageout_failures;      /* stayed in RAM: no swap left for them */
	uint64_t fault_failures;        /* not brought in: RAM full of pages swap cannot take */
	uint64_t failures;              /* events that failed pages (kind failure) */
	uint64_t warnings;              /* the other events: swapoff failures, low water */
	uint64_t slots_usable, slots_used, slots_bad;
	uint64_t swapped_pages;         /* object pages with a slot */
	uint64_t map_bytes;             /* memory of every slot map */
	uint64_t engine_bytes;          /* everything but the allocators */
	uint64_t alloc_bytes;           /* the allocators */
};

/*
 * What went wrong during a run, with the trace line that did it: one event
 * per line, kind and device (the pages add up).  As in FreeBSD's pager,
 * a page that fails fails alone and the run goes on.
 */
enum swapctl_event_kind {
	SWAPCTL_EV_PAGEOUT_FAILED = 0,  /* no swap left: the pages stay in RAM */
	SWAPCTL_EV_FAULT_FAILED,        /* RAM full of pages swap cannot take */
	SWAPCTL_EV_RAM_KEPT,            /* RAM could not shrink that far */
	SWAPCTL_EV_WRITE_ERROR,         /* slots retired, the pages stay in RAM */
	SWAPCTL_EV_LOST,                /* read errors or bad data: pages lost */
	SWAPCTL_EV_SWAPOFF_FAILED,      /* a warning: the device stays on */
	SWAPCTL_EV_LOW_WATER,           /* a warning: free swap below the mark */
};
/* "pageout-failed", "fault-failed", "ram-kept", "write-error", "lost",
 * "swapoff-failed", "low-water" */
const char *swapctl_event_name(enum swapctl_event_kind k);

struct swapctl_event {
	enum swapctl_event_kind kind;
	bool failure;                   /* pages failed (all but the warnings) */
	uint64_t line;                  /* trace line; 0 outside a trace */
	char text[96];                  /* the trace's event, as written */
	char dev[64];                   /* "" when no device is concerned */
	uint64_t pages;                 /* pages it concerns */
	char reason[192];               /* "3 pages lost: could not be read back" */
};
/* Events kept (the first 10000; stats failures + warnings counts them all). */
size_t swapctl_engine_nevents(const struct swapctl_engine *e);
const struct swapctl_event *swapctl_engine_event(const struct swapctl_engine *e, size_t i);

/* A page lost to a read error: object and index. */
struct swapctl_lost {
	char obj[64];
	uint64_t index;
	char dev[64];
};

int swapctl_engine_new(struct swapctl_ctx *ctx, const struct swapctl_engine_opts *o,
		       struct swapctl_engine **out);
void swapctl_engine_free(struct swapctl_engine *e);

struct swapctl_dev_opts {
	const char *name;
	uint64_t pages;                 /* sim: size, header page included;
					   area: 0 = the area's own size */
	int prio;                       /* 0..32767, or -1: next negative */
	enum swapctl_allocator alloc;
	bool alloc_given;               /* else the engine's default */
	unsigned cluster;               /* 0: the engine's default */
	const char *path;               /* NULL: simulated; else a real area */
	/* error injection (device pages, or a probability per I/O page) */
	const uint64_t *write_errors, *read_errors;
	size_t nwrite_errors, nread_errors;
	double write_error_rate, read_error_rate;
};
/* Map a device name to a real swap area: later dev_add of that name uses
 * the area backend on path (swapinfo -r --device NAME=PATH). */
int swapctl_engine_map_device(struct swapctl_engine *e, const char *name, const char *path);
int swapctl_engine_dev_add(struct swapctl_engine *e, const struct swapctl_dev_opts *o);
/* Swapoff: pages everything back; -ENOMEM leaves the device enabled. */
int swapctl_engine_dev_del(struct swapctl_engine *e, const char *name);
int swapctl_engine_dev_prio(struct swapctl_engine *e, const char *name, int prio);
int swapctl_engine_set_ram(struct swapctl_engine *e, uint64_t pages);

/* Objects: -ENOMEM when the reservation cannot be met, -EEXIST, -ENOENT. */
int swapctl_engine_obj_new(struct swapctl_engine *e, const char *id, uint64_t pages);
int swapctl_engine_obj_resize(struct swapctl_engine *e, const char *id, uint64_t pages);
int swapctl_engine_obj_del(struct swapctl_engine *e, const char *id);

enum swapctl_access {
	SWAPCTL_READ = 0,               /* fault in */
	SWAPCTL_WRITE,                  /* fault in, dirty, free the slot */
	SWAPCTL_PAGEOUT,                /* write out now if resident */
	SWAPCTL_DISCARD,                /* drop pages and their slots */
};
/* -ERANGE when the pages are outside the object. */
int swapctl_engine_access(struct swapctl_engine *e, const char *id, uint64_t index,
			  uint64_t count, enum swapctl_access a);
/* Collapse: page i of dst takes src's page i + offset where dst has none;
 * src is destroyed. */
int swapctl_engine_copy(struct swapctl_engine *e, const char *src, const char *dst, uint64_t offset);
void swapctl_engine_tick(struct swapctl_engine *e, uint64_t n);
/* The engine's clock (ticks so far), in O(1). */
uint64_t swapctl_engine_clock(const struct swapctl_engine *e);

/* Check every invariant: each allocated slot belongs to exactly one object
 * page and each object slot is allocated, counts add up.  0 or -EUCLEAN
 * with a message. */
int swapctl_engine_check(struct swapctl_engine *e);

void swapctl_engine_stats(struct swapctl_engine *e, struct swapctl_engine_stats *st);
size_t swapctl_engine_ndevs(const struct swapctl_engine *e);
/* Devices in the order added, removed ones included. */
int swapctl_engine_devstats(struct swapctl_engine *e, size_t i, struct swapctl_devstats *ds);
size_t swapctl_engine_nlost(const struct swapctl_engine *e);
const struct swapctl_lost *swapctl_engine_lost(const struct swapctl_engine *e, size_t i);
/* Where a device's slots are used: n buckets of used/usable ratio (0..1). */
int swapctl_engine_devmap(struct swapctl_engine *e, size_t i, double *buckets, size_t n);

/* ------------------------------------------------------------- traces */

/* A trace being replayed, one event at a time. */
struct swapctl_trace;
/* name is used in messages ("trace:12: reason"). */
int swapctl_trace_open(struct swapctl_ctx *ctx, FILE *f, const char *name, struct swapctl_trace **out);
/* Apply the next event: 1 applied, 0 end of trace, negative on a malformed
 * line or an engine error (message "name:LINE: reason"; the trace stops). */
int swapctl_trace_step(struct swapctl_trace *t, struct swapctl_engine *e);
unsigned swapctl_trace_line(const struct swapctl_trace *t);
/* The text of the last event applied (for displays). */
const char *swapctl_trace_event(const struct swapctl_trace *t);
void swapctl_trace_close(struct swapctl_trace *t);
/* Replay a whole trace. */
int swapctl_trace_replay(struct swapctl_ctx *ctx, FILE *f, const char *name, struct swapctl_engine *e);

/*
 * Write a generated trace: spec is "WORKLOAD[,key=value...]" with WORKLOAD
 * seq, random, zipf, fork or mixed, keys pages, ram, swap, devs, events,
 * seed, cluster (see swaptrace(5)).
 */
int swapctl_workload_write(struct swapctl_ctx *ctx, const char *spec, FILE *out);

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
#endif
