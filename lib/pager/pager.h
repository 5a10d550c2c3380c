/*
 * The offline pager engine: internal structures shared by its files.
 *
 * The files, from the bottom layer up (each calls only the ones above it
 * in this list):
 *
 *   pattern.c   the random generator; the data pattern of a page
 *   inject.c    error injection for tests (pages or rates that fail)
 *   objmap.c    per-object page -> slot maps (array, or hash of clusters)
 *   queue.c     batched I/O: requests in flight, completed in order
 *   backend-sim.c, backend-area.c   where page data goes (none; a real
 *               area, io_uring or pread/pwrite)
 *   events.c    what went wrong (events), lost pages
 *   devices.c   devices, priorities, slot allocation, their statistics
 *   frames.c    simulated RAM: frames, frame table, LRU, resident bits
 *   paging.c    fault-in, read-around, eviction, clustered page-out,
 *               swapoff reads, RAM resize
 *   engine.c    objects, reservations, swapoff, the engine's life,
 *               statistics, invariants
 *   trace.c     swaptrace 1 replay (trace.h: trace-input.c the buffer and
 *               messages, trace-text.c and trace-bin.c read the text and
 *               binary forms, trace-ahead.c looks ahead for prefetches,
 *               trace-write.c writes either)
 *   workload.c  generated traces (swapinfo -W)
 *   surface.c   surface test of a real area (swapctl -V --scan), and
 *               --record of the bad pages it finds into the header
 *
 * Slots: one global slot space shared by all devices, slot 0 meaning
 * "none"; each device owns a contiguous range [base, base + pages) of it,
 * and its page 0 (the header) and bad pages are never allocated.  Slots are
 * 32-bit: the engine models up to 2^32 - 2 pages of swap (16 TiB at 4 KiB).
 *
 * The evictions prefetch what they will touch themselves (frames.c's
 * lru_oldest, from the ring position e->lru_ahead it last started at), so
 * the lookahead has two stages, far and near, and no marks in the LRU
 * ring; objmap_prefetch_rec does
 * a directory's two prefetch stages at once.  One large object may keep
 * its frames in a map of its own instead of the frame table
 * (e->fdirect_obj, o->fdirect: frames.c's direct frame map).  Counts in
 * frames.c.
 */
#ifndef SWAPCTL_PAGER_H
#define SWAPCTL_PAGER_H

#include <stdbool.h>
#include <stdint.h>
#include "internal.h"

#define SLOT_NONE 0u
#define NOFRAME UINT32_MAX     /* no frame: the page is not in RAM */
/* simulated RAM: at most 2^24 frames (64 GiB of 4 KiB pages, ~1 GiB of
 * frame tables), so a trace cannot ask for more memory than a machine has */
#define RAM_MAX_PAGES (1u << 24)
#define OBJMAP_ARRAY_MAX 256u   /* pages: larger objects use the hash */
#define MAPCL_PAGES 32u         /* pages per hash cluster */
#define MAPCL_CLASSES 16u       /* cluster capacities: 2, 4, ... 32 slots */

/* ------------------------------------------------------------ slot maps */

/*
 * A cluster of 32 consecutive pages of an object, holding only the slots
 * it has (see objmap.c): this header, then 3 bytes per slot of its
 * capacity, in page order (narrow: each slot's low 24 bits, the top 8
 * being hi for all), or a pointer to 32 full 32-bit slots (wide).
 */
struct mapcl {
	uint32_t key;           /* page index / MAPCL_PAGES */
	uint32_t bits;          /* the pages that have a slot */
	uint8_t hi;             /* top 8 bits of every slot (narrow) */
	uint8_t cls;            /* capacity 2 * (cls + 1) slots */
	uint8_t wide;
	uint8_t count;          /* slots: the bits set */
	uint8_t d[];
};

/* The records of one capacity, dense, in chunks that never move. */
struct mapcl_pool {
	uint8_t **chunks;
	uint32_t nchunks, nrec, caprec;         /* chunks; records in use; records they hold */
};

struct objmap {
	uint64_t npages;
	uint64_t nslots;        /* pages that have a slot */
	bool hashed;
	uint32_t *array;        /* !hashed: npages slots */
	/* hashed: clusters in pools by capacity, found through an
	 * open-addressing table of (class << 27 | record) + 1, 0 empty, or
	 * (direct) a table of those indexed by cluster number */
	struct mapcl_pool *pools;
	uint32_t *table;
	uint32_t tsize, tused;
	bool direct;            /* table indexed by cluster number, not hashed */
	uint32_t nwide;         /* wide clusters (their blocks, for memory) */
};

int objmap_init(struct objmap *m, uint64_t npages);
void objmap_destroy(struct objmap *m);
uint32_t objmap_get(const struct objmap *m, uint64_t idx);
/* Set (slot != 0) or clear (slot 0) the slot of page idx; -ENOMEM. */
int objmap_set(struct objmap *m, uint64_t idx, uint32_t slot);
/* Prefetch what a lookup of page idx will read (see objmap.c): far
 * returns where for near (0: nothing for near). */
uint32_t objmap_prefetch(const struct objmap *m, uint64_t idx);
void objmap_prefetch_near(const struct objmap *m, uint32_t at);
/* objmap_prefetch, and for a directory near's part too (0 returned). */
uint32_t objmap_prefetch_rec(const struct objmap *m, uint64_t idx);
/* The first page in [from, to) that has a slot: 1 found, 0 none. */
int objmap_next(const struct objmap *m, uint64_t from, uint64_t to, uint64_t *idx, uint32_t *slot);
/* Give each slot of the pages [from, to) to fn, in no set order: fn
 * returns 0 to take it out of the map, 1 to leave it there, a negative
 * error to stop (returned).  O(pages in the range, or clusters in the map
 * when the range is wider). */
int objmap_take(struct objmap *m, uint64_t from, uint64_t to, int (*fn)(void *, uint64_t, uint32_t), void *arg);
/* Give each slot to fn (a negative return stops it, returned), in no set
 * order, without changing the map; O(slots + clusters). */
int objmap_each(const struct objmap *m, int (*fn)(void *, uint64_t, uint32_t), void *arg);
/* Change the size; pages cut off must have been cleared by the caller.
 * Converts between array and hash as the size crosses the threshold. */
int objmap_resize(struct objmap *m, uint64_t npages);
size_t objmap_memory(const struct objmap *m);
/* 0 when the map's own structure holds together, else -EUCLEAN. */
int objmap_check(const struct objmap *m);

/* ------------------------------------------------------------- backends */

struct pdev;

/*
 * One I/O request: n pages at device page p, written from (read into) buf,
 * which the sim backend ignores.  A backend completes it by clearing busy
 * and setting done (the pages before the first that failed) and err (0 or
 * -EIO).  The rest is the submitter's, for its completion.
 */
struct pio {
	struct pdev *d;
	uint64_t p;
	unsigned n;
	bool write;
	bool busy;              /* submitted, not completed */
	bool sync;              /* waited for at once: no use queueing it */
	void *buf;
	unsigned done;
	int err;
	/* the submitter's context */
	int kind;
	unsigned want;          /* pages asked; n is fewer when an error was injected */
	void *obj;
	uint64_t idx;
	uint32_t slot, frame;
};

struct backend_ops {
	/* Start io (the error injection has been applied); a synchronous
	 * backend completes it before returning. */
	void (*submit)(struct pdev *d, struct pio *io);
	/* Wait until at least one submitted request of d has completed. */
	void (*reap)(struct pdev *d);
	void (*close)(struct pdev *d);
};
extern const struct backend_ops backend_sim_ops;
extern const struct backend_ops backend_area_ops;
/* Open a real, inactive swap area for the area backend: fills d->fd,
 * d->pages, the bad pages, and d->ring (io_uring) when it can be used;
 * refuses active areas and busy devices. */
int backend_area_open(struct swapctl_ctx *ctx, struct pdev *d, const char *path, unsigned pagesize);
/* Requests a device keeps in flight (io_uring entries); the engine queues
 * twice as many, so a slow request does not hold the device's queue down
 * while the ones after it wait to be completed in order. */
#define PAGER_QD 32u
#define PAGER_QUEUE (2 * PAGER_QD)

/* Error injection for tests (inject.c): slots (device pages) or a rate. */
struct inject {
	uint64_t *wpages, *rpages;
	size_t nw, nr;
	double wrate, rrate;
};
/* 1 when the backend should fail this page now. */
bool inject_hit(struct pdev *d, uint64_t p, bool write);
/* Pages of [p, p + n) before the first one an injected error fails. */
unsigned inject_limit(struct pdev *d, uint64_t p, unsigned n, bool write);

/* --------------------------------------------------------------- queues */

/*
 * A queue of requests kept in flight together, completed in the order they
 * were queued: the submitter decides everything when it queues a request
 * (injected errors included) and only the bookkeeping of its result waits.
 * A ring of cap entries, each with a page-aligned buffer of maxpages pages.
 */
struct pqueue {
	struct pio *ent;
	unsigned cap, head, count;
	unsigned maxpages;
	size_t pagesize;
	char *bufs;
	struct pio *pending;    /* the newest, queued but not yet submitted */
	void (*complete)(void *arg, struct pio *io);
	void *arg;
};
int pq_init(struct pqueue *q, unsigned cap, unsigned maxpages, unsigned pagesize,
	    void (*complete)(void *arg, struct pio *io), void *arg);
void pq_destroy(struct pqueue *q);
/* A free entry, its buffer ready (the oldest is completed when the ring is
 * full); the caller fills d, p, n, write and its context, then pq_submit. */
struct pio *pq_next(struct pqueue *q);
void pq_submit(struct pqueue *q, struct pio *io);
/* Complete every queued request, in order. */
void pq_drain(struct pqueue *q);
/* One request, waited for: injection, submission, completion.  0, or -EIO
 * with *done the pages before the one that failed. */
int dev_io(struct pdev *d, uint64_t p, unsigned n, void *buf, bool write, unsigned *done);
/* A backend's accounting of device time: busy from the first request
 * submitted to the last completed (st.io_seconds). */
void dev_started(struct pdev *d);
void dev_finished(struct pdev *d, struct pio *io);
double pager_now(void);

/* --------------------------------------------------------------- devices */

struct pdev {
	char name[64];
	char path[4096];        /* area backend: the file or device */
	int prio;
	bool enabled;           /* takes new allocations */
	bool removed;           /* swapped off: kept for the report */
	uint64_t pages;         /* size, header page included */
	uint32_t base;          /* global slot of page 0 */
	unsigned cluster;       /* largest page-out request */
	enum swapctl_allocator alloc_kind;
	struct swapctl_blist *bl;
	struct swapctl_extent *ex;
	uint64_t used, bad;     /* slots allocated to pages, retired */
	uint64_t usable;        /* pages - 1 - header bad pages */
	const struct backend_ops *ops;
	int fd;
	unsigned pagesize;
	bool direct;            /* O_DIRECT */
	void *ring;             /* io_uring, when available */
	unsigned inflight;      /* requests submitted, not reaped */
	unsigned peak;          /* most ever in flight (tests: was it batched?) */
	double busy_since;      /* when inflight last became non-zero */
	/* area: what was written to each page, to verify it on reading:
	 * the writer's object number << 32 | page index, and generation */
	uint32_t *gens;
	uint64_t *owner;
	struct inject inj;
	uint64_t *retired;      /* pages retired after I/O errors */
	size_t nretired, capretired;
	uint64_t *hdrbad;       /* bad pages from the area's header */
	size_t nhdrbad;
	uint64_t rng;           /* per-device random state, from the seed */
	struct swapctl_devstats st;
};

/* ------------------------------------------------------- objects and RAM */

struct pobj {
	char *id;
	size_t pos;             /* in e->objs */
	uint64_t num;           /* unique, for patterns and frame keys */
	uint64_t npages;
	struct objmap map;
	uint64_t resident;
	uint64_t *rbits;        /* a bit per page: resident (see ram_find) */
	uint64_t rwords;
	uint64_t lost;
	uint32_t fh;            /* its handle in frame keys (e->fobjs) */
	uint32_t fdirect;       /* its frames in a map after rbits, not the table (frames.c) */
};

/*
 * A frame of simulated RAM, 16 bytes (see frames.c): its page as one key,
 * the object's handle in the top FRAME_OBJ_BITS bits and the page index in
 * the low FRAME_IDX_BITS (frame_key, frame_obj, frame_idx), 0 when free.
 */
#define FRAME_IDX_BITS 40       /* objects are smaller: reserve <= 2^32 + 2^24 pages */
#define FRAME_OBJ_BITS 24
#define FRAME_OBJS_MAX ((1u << FRAME_OBJ_BITS) - 1)    /* objects at once; handle 0 unused */
#define LRU_NONE UINT32_MAX
struct frame {
	uint64_t key;           /* handle << FRAME_IDX_BITS | page index; 0: free */
	uint32_t pos;           /* in use: its entry in the LRU ring; free: next free frame */
	uint32_t gen : 29;      /* generation of the data, modulo 2^29 */
	uint32_t dirty : 1;
	uint32_t ra : 1;        /* brought in by read-around, not used yet */
	uint32_t busy : 1;      /* in a queued request: not there for paging */
};

struct swapctl_engine {
	struct swapctl_ctx *ctx;
	struct swapctl_engine_opts o;
	/* devices, in the order added; prio_order sorts them for allocation */
	struct pdev **devs;
	size_t ndevs, capdevs;
	struct pdev **order;    /* enabled devices by priority, highest first */
	size_t norder;
	size_t *rr;             /* per position in order: next device of its level */
	int next_auto_prio;
	struct swapctl_extent *slots;   /* the global slot space */
	/* objects: by id, and in a vector for ordered walks */
	struct hashmap objs_by_id;
	struct pobj **objs;
	size_t nobjs, capobjs;
	struct pobj *last_obj;  /* the object found last (obj_find) */
	struct pobj *fdirect_obj;       /* the object whose frames are in its own map, or NULL */
	uint64_t next_objnum;
	/* RAM */
	struct frame *frames;
	uint32_t nframes, nfree, freelist;
	uint32_t ndirty;        /* frames holding dirty pages */
	/* the LRU (frames.c): a ring of frame numbers, oldest first, an entry
	 * live when its bit in lru_live is set */
	uint32_t *lru;
	uint64_t *lru_live;
	uint32_t lru_head, lru_tail, lru_cap;
	uint32_t lru_ahead;     /* the oldest position lru_oldest prefetched from last */
	/* objects by handle, for frames; the handles free */
	struct pobj **fobjs;
	uint32_t *fh_free;
	uint32_t nfobjs, capfobjs, nfh_free;
	uint64_t *ftab;         /* (obj, idx): hash << 32 | frame; 0 empty */
	uint32_t ftab_size;
	uint64_t reserved;
	bool low_water;
	/* paging.c's fast path for a fault: set by engine_fast_update when
	 * the configuration allows it; slowpath (test hook "engine-slowpath")
	 * keeps it off */
	bool fast, slowpath;
	/* area backend: buffers for one cluster, page-aligned */
	void *iobuf;
	size_t iobuf_pages;
	/* batched I/O (page-out of a range, eviction of several pages,
	 * swapoff): requests queued, pages they will free */
	struct pqueue *q;
	uint64_t out_pending;
	/* pages lost to read errors: names kept up to a limit */
	struct swapctl_lost *lost;
	size_t nlost, caplost;
	/* what went wrong (events), and the trace position for them */
	struct swapctl_event *events;
	size_t nevents, capevents;
	uint64_t ev_line;               /* set by trace.c before each event */
	const char *ev_text;
	/* name -> path mappings for the area backend */
	char (*map_name)[64];
	char (*map_path)[4096];
	size_t nmap;
	struct swapctl_engine_stats st;
};

static inline uint64_t frame_key(const struct pobj *o, uint64_t idx)
{
	return (uint64_t)o->fh << FRAME_IDX_BITS | idx;
}

static inline struct pobj *frame_obj(const struct swapctl_engine *e, const struct frame *f)
{
	return e->fobjs[f->key >> FRAME_IDX_BITS];
}

static inline uint64_t frame_idx(const struct frame *f)
{
	return f->key & ((1ull << FRAME_IDX_BITS) - 1);
}

/* engine.c: swapctl_engine_access to the engine's last object (last_obj, not
 * NULL), for a caller that knows the name names it (the trace lookahead):
 * no lookup by name. */
int engine_access_last(struct swapctl_engine *e, uint64_t index, uint64_t count, enum swapctl_access a);

/* pattern.c */
uint64_t engine_rand(uint64_t *state);
void engine_fill_page(void *page, unsigned pagesize, uint64_t objnum, uint64_t idx,
		      uint32_t gen, uint32_t slot);
/* 0 when page holds what engine_fill_page wrote for these values. */
int engine_check_page(const void *page, unsigned pagesize, uint64_t objnum, uint64_t idx,
		      uint32_t gen, uint32_t slot);

/* events.c */
void engine_lost(struct swapctl_engine *e, struct pobj *o, uint64_t idx);
/* Record pages that failed (page-out, fault, write error, lost): one event
 * per trace line, kind and device, the pages adding up. */
void engine_count(struct swapctl_engine *e, enum swapctl_event_kind kind, const struct pdev *d, uint64_t pages);
/* Record an event with its reason (RAM kept, swapoff failed, low water). */
void engine_event(struct swapctl_engine *e, enum swapctl_event_kind kind, const struct pdev *d,
		  uint64_t pages, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* devices.c */
/* The device named name (removed ones too when removed_too). */
struct pdev *engine_dev_find(const struct swapctl_engine *e, const char *name, bool removed_too);
/* Rebuild the allocation order after a device changed. */
int engine_dev_order(struct swapctl_engine *e);
void engine_dev_destroy(struct pdev *d);
struct pdev *engine_slot_dev(struct swapctl_engine *e, uint32_t slot);
/* Slots the enabled devices (but except, when not NULL) can still give. */
uint64_t engine_slots_left(const struct swapctl_engine *e, const struct pdev *except);
/* Allocate up to want contiguous slots (halving on failure); 0 when full. */
unsigned engine_alloc_slots(struct swapctl_engine *e, unsigned want, uint32_t *first);
/* engine_alloc_slots(e, 1, first) when e->fast (one enabled device). */
unsigned engine_alloc_one(struct swapctl_engine *e, uint32_t *first);
void engine_free_slots(struct swapctl_engine *e, uint32_t slot, unsigned n);
/* engine_free_slots when the slots are known to be on d. */
void engine_dev_free(struct swapctl_engine *e, struct pdev *d, uint32_t slot, unsigned n);
/* Recompute e->fast after a device, its state or the engine's options changed:
 * one device in use, enabled, of cluster 1, simulated without data or
 * injected errors (see paging.c). */
void engine_fast_update(struct swapctl_engine *e);
/* Retire a slot after an I/O error: never allocated again. */
void engine_retire_slot(struct swapctl_engine *e, uint32_t slot);

/* frames.c */
/* The resident-page bitmap of an object of pages pages, and the direct
 * object's frame map after it (size 0 frees them; pages cut off must have
 * left RAM); -ENOMEM leaves them as they were. */
int ram_obj_bits(struct pobj *o, uint64_t pages);
size_t ram_obj_bits_memory(const struct pobj *o);
int ram_init(struct swapctl_engine *e, uint64_t pages);
void ram_destroy(struct swapctl_engine *e);
/* RAM of pages frames, which must hold its resident pages; -ENOMEM. */
int ram_frames_resize(struct swapctl_engine *e, uint64_t pages);
/* The frame of page idx of o, or NOFRAME. */
uint32_t ram_find(const struct swapctl_engine *e, const struct pobj *o, uint64_t idx);
/* Whether page idx of o is resident (its bit; ram_find tests it first):
 * for a caller that asks mostly about pages that are not, without a call. */
static inline bool ram_resident(const struct pobj *o, uint64_t idx)
{
	return o->rbits[idx / 64] >> (idx % 64) & 1;
}
/* Hints from the trace lookahead, prefetches only (see frames.c): page idx
 * of o will be accessed soon.  Far starts the loads whose addresses need
 * no other load and returns hints for near, which later starts the loads
 * that hang on those (what a fault's eviction touches, the evictions
 * prefetch themselves in lru_oldest). */
struct ram_hint {
	uint32_t hash;          /* the page's frame-table hash */
	uint32_t map;           /* objmap_prefetch's */
};
struct ram_hint ram_prefetch_far(const struct swapctl_engine *e, const struct pobj *o, uint64_t idx);
void ram_prefetch_near(const struct swapctl_engine *e, const struct pobj *o, uint64_t idx, struct ram_hint hint);
/* A free frame (there must be one) for page idx of o, most recently used. */
uint32_t frame_take(struct swapctl_engine *e, struct pobj *o, uint64_t idx);
/* The frame goes back to the free list; its page leaves RAM. */
void frame_release(struct swapctl_engine *e, uint32_t fi);
/* frame_release(e, fi) then frame_take(e, o, idx), which takes frame fi
 * again (the free list's top), in one step: the free list is not touched. */
uint32_t frame_replace(struct swapctl_engine *e, uint32_t fi, struct pobj *o, uint64_t idx);
void frame_set_dirty(struct swapctl_engine *e, struct frame *f);
void frame_to_front(struct swapctl_engine *e, uint32_t fi);
/* The LRU ring, oldest first: the position of the least recently used
 * page's entry (stale entries before it are dropped), and of the entry
 * after pos; LRU_NONE past the newest.  Positions hold until a page is
 * moved to the front.  e->lru[pos] is the frame. */
uint32_t lru_oldest(struct swapctl_engine *e);
uint32_t lru_newer(const struct swapctl_engine *e, uint32_t pos);
/* The handle frames name object o by (e->fobjs): given at its creation,
 * taken back when it is destroyed (its pages gone from RAM); -ENOMEM.
 * Attach also gives a new large object the direct frame map (frames.c)
 * when no object has it and it is no larger than half the table. */
int ram_obj_attach(struct swapctl_engine *e, struct pobj *o);
void ram_obj_detach(struct swapctl_engine *e, struct pobj *o);
/* Memory of the frames, the frame table, the LRU ring and the handles. */
size_t ram_memory(const struct swapctl_engine *e);
/* 0 when the LRU ring, the free list, the frame table and the objects'
 * resident bits hold together (each frame in use found by its page, each
 * resident bit a frame of its object), and (of a frame in use) its object
 * handle, else -EUCLEAN with the context's message set. */
int ram_check(struct swapctl_engine *e);
int ram_check_frame(struct swapctl_engine *e, uint32_t fi);
/* Call fn for each resident page of o in [from, to) with its frame, in
 * page order; fn may release or move that page.  O(range / 64). */
void ram_walk(struct swapctl_engine *e, struct pobj *o, uint64_t from, uint64_t to,
	      void (*fn)(struct swapctl_engine *, struct pobj *, uint64_t, uint32_t, void *), void *arg);
/* Move a resident page to another object (copy/collapse), its slot too. */
void ram_move(struct swapctl_engine *e, struct pobj *from, uint64_t fidx, struct pobj *to, uint64_t tidx);

/* paging.c */
int ram_resize(struct swapctl_engine *e, uint64_t pages);
int ram_access(struct swapctl_engine *e, struct pobj *o, uint64_t idx, uint64_t count, int kind);
/* Drop every page of o in [from, to): frames and slots. */
void ram_drop(struct swapctl_engine *e, struct pobj *o, uint64_t from, uint64_t to);
/* Bring page idx of o (whose slot is on a device being removed) into RAM
 * and forget its slot; -ENOMEM when no frame can be freed. */
int ram_take_back(struct swapctl_engine *e, struct pobj *o, uint64_t idx);
/* Complete every queued request of the engine. */
void ram_drain(struct swapctl_engine *e);

#endif
