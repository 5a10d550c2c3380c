/*
 * libswapctl-pager.h: the offline pager engine of libswapctl and its
 * traces (swaptrace(5)).  Engines are made from a context of libswapctl.h
 * and report their failures through it.  Symbol version LIBSWAPCTL_0.1.
 */
#ifndef LIBSWAPCTL_PAGER_H
#define LIBSWAPCTL_PAGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "libswapctl-alloc.h"   /* struct swapctl_freestats */

#ifdef __cplusplus
extern "C" {
#endif

struct swapctl_ctx;             /* libswapctl.h */

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

/* The two forms of a trace (swaptrace(5)); readers take either. */
enum swapctl_trace_form {
	SWAPCTL_TRACE_TEXT = 0,
	SWAPCTL_TRACE_BINARY,
};
/* Write the trace read from in (either form) to out in form: the same
 * events on the same line numbers; comments are not kept.  Checks the
 * grammar only (what the engine refuses is found by a replay).
 * Symbol version LIBSWAPCTL_0.3. */
int swapctl_trace_convert(struct swapctl_ctx *ctx, FILE *in, const char *name, FILE *out,
			  enum swapctl_trace_form form);

/*
 * Write a generated trace: spec is "WORKLOAD[,key=value...]" with WORKLOAD
 * seq, random, zipf, fork or mixed, keys pages, ram, swap, devs, events,
 * seed, cluster (see swaptrace(5)).
 */
int swapctl_workload_write(struct swapctl_ctx *ctx, const char *spec, FILE *out);
/* The same, in either form (LIBSWAPCTL_0.3). */
int swapctl_workload_write_as(struct swapctl_ctx *ctx, const char *spec, FILE *out, enum swapctl_trace_form form);

#ifdef __cplusplus
}
#endif
#endif
