/*
 * The engine: devices and their priorities, slot allocation, objects and
 * their reservations, swapoff, invariants and statistics.  RAM and paging
 * are in ram.c.
 *
 * Allocation walks the priority levels from the highest; within a level it
 * starts at the device after the one that served last (round-robin) and
 * asks each for the whole cluster, then half of it, down to one page,
 * before it moves to a lower level: a lower priority is used only when
 * every device above it is full, as in Linux.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "pager.h"

#define LOST_NAMES_MAX 10000
#define EVENTS_MAX 10000

SWAPCTL_EXPORT const char *swapctl_allocator_name(enum swapctl_allocator a)
{
	return a == SWAPCTL_ALLOC_EXTENT ? "extent" : "blist";
}

uint64_t engine_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);    /* splitmix64 */

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ------------------------------------------------------- page patterns */

struct pattern_head {
	uint64_t magic;
	uint64_t obj, idx, gen, slot;
	uint64_t sum;           /* of the fill words */
};
#define PATTERN_MAGIC 0x5357504750414745ull    /* "SWPGPAGE" */

void engine_fill_page(void *page, unsigned pagesize, uint64_t objnum, uint64_t idx,
		      uint32_t gen, uint32_t slot)
{
	struct pattern_head *h = page;
	uint64_t *w = page, st = objnum * 0x100000001b3ull ^ idx << 20 ^ gen, sum = 0;
	size_t i, n = pagesize / 8;

	for (i = sizeof(*h) / 8; i < n; i++) {
		w[i] = engine_rand(&st);
		sum += w[i];
	}
	h->magic = PATTERN_MAGIC;
	h->obj = objnum;
	h->idx = idx;
	h->gen = gen;
	h->slot = slot;
	h->sum = sum;
}

int engine_check_page(const void *page, unsigned pagesize, uint64_t objnum, uint64_t idx,
		      uint32_t gen, uint32_t slot)
{
	const struct pattern_head *h = page;
	const uint64_t *w = page;
	uint64_t st = objnum * 0x100000001b3ull ^ idx << 20 ^ gen, sum = 0;
	size_t i, n = pagesize / 8;

	if (h->magic != PATTERN_MAGIC || h->obj != objnum || h->idx != idx || h->gen != gen ||
	    h->slot != slot)
		return -EILSEQ;
	for (i = sizeof(*h) / 8; i < n; i++) {
		if (w[i] != engine_rand(&st))
			return -EILSEQ;
		sum += w[i];
	}
	return sum == h->sum ? 0 : -EILSEQ;
}

/* ------------------------------------------------------------- devices */

static struct pdev *dev_find(const struct swapctl_engine *e, const char *name, bool removed_too)
{
	size_t i;

	for (i = 0; i < e->ndevs; i++)
		if (!strcmp(e->devs[i]->name, name) && (removed_too || !e->devs[i]->removed))
			return e->devs[i];
	return NULL;
}

struct pdev *engine_slot_dev(struct swapctl_engine *e, uint32_t slot)
{
	size_t i;

	for (i = 0; i < e->ndevs; i++) {
		struct pdev *d = e->devs[i];

		if (!d->removed && slot >= d->base && slot - d->base < d->pages)
			return d;
	}
	return NULL;
}

/* Enabled devices by priority, highest first, in the order added within one. */
static int rebuild_order(struct swapctl_engine *e)
{
	size_t i, j, n = 0;

	free(e->order);
	free(e->rr);
	e->order = calloc(e->ndevs ? e->ndevs : 1, sizeof(*e->order));
	e->rr = calloc(e->ndevs ? e->ndevs : 1, sizeof(*e->rr));
	if (!e->order || !e->rr)
		return -ENOMEM;
	for (i = 0; i < e->ndevs; i++) {
		struct pdev *d = e->devs[i];

		if (!d->enabled)
			continue;
		for (j = n; j > 0 && e->order[j - 1]->prio < d->prio; j--)
			e->order[j] = e->order[j - 1];
		e->order[j] = d;
		n++;
	}
	e->norder = n;
	return 0;
}

static int dev_alloc(struct pdev *d, unsigned n, uint64_t *page)
{
	uint64_t len;

	if (d->alloc_kind == SWAPCTL_ALLOC_EXTENT)
		return swapctl_extent_alloc(d->ex, n, 1, 0, 0, page);
	return swapctl_blist_alloc(d->bl, n, n, page, &len);
}

void engine_hist_add(uint64_t *hist, unsigned n)
{
	unsigned b = 0;

	while (b + 1 < SWAPCTL_HIST_BUCKETS && (2u << b) <= n)
		b++;
	hist[b]++;
}

static uint64_t free_slots(const struct swapctl_engine *e, const struct pdev *except);

/* Warn once when free swap falls below the low watermark; re-arm above the high one. */
static void check_water(struct swapctl_engine *e)
{
	uint64_t total = e->st.slots_usable, avail = free_slots(e, NULL);

	if (!total)
		return;
	if (!e->low_water && avail * 100 < total * e->o.low_water_pct) {
		e->low_water = true;
		e->st.low_water_warnings++;
		info(e->ctx, "free swap below %u%%: %llu of %llu slots left", e->o.low_water_pct,
		     (unsigned long long)avail, (unsigned long long)total);
		engine_event(e, SWAPCTL_EV_LOW_WATER, NULL, 0, "free swap below %u%%: %llu of %llu slots left",
			     e->o.low_water_pct, (unsigned long long)avail, (unsigned long long)total);
	} else if (e->low_water && avail * 100 > total * e->o.high_water_pct) {
		e->low_water = false;
	}
}

unsigned engine_alloc_slots(struct swapctl_engine *e, unsigned want, uint32_t *first)
{
	size_t i, j, k, n, start;
	unsigned req;
	uint64_t page;

	for (i = 0; i < e->norder; i = j) {
		for (j = i; j < e->norder && e->order[j]->prio == e->order[i]->prio; j++)
			;
		n = j - i;
		start = e->rr[i] % n;
		for (req = want; req >= 1; req /= 2) {
			for (k = 0; k < n; k++) {
				struct pdev *d = e->order[i + (start + k) % n];
				unsigned r = req < d->cluster ? req : d->cluster;

				if (d->usable - d->used - d->bad < r)
					continue;       /* cheap: not enough free at all */
				if (dev_alloc(d, r, &page) == 0) {
					e->rr[i] = (start + k + 1) % n;
					d->used += r;
					*first = d->base + (uint32_t)page;
					check_water(e);
					return r;
				}
				d->st.alloc_failures++;
			}
		}
	}
	return 0;
}

void engine_free_slots(struct swapctl_engine *e, uint32_t slot, unsigned n)
{
	struct pdev *d = engine_slot_dev(e, slot);
	int r;

	if (!d)
		return;
	if (d->alloc_kind == SWAPCTL_ALLOC_EXTENT)
		r = swapctl_extent_free(d->ex, slot - d->base, n);
	else
		r = swapctl_blist_free(d->bl, slot - d->base, n);
	if (r < 0)
		swapctl_log(e->ctx, 3, "%s: cannot free slots %u+%u: %s", d->name, slot, n, strerror(-r));
	else
		d->used -= n;
}

void engine_retire_slot(struct swapctl_engine *e, uint32_t slot)
{
	struct pdev *d = engine_slot_dev(e, slot);

	if (!d)
		return;
	if (d->nretired == d->capretired) {
		size_t cap = d->capretired ? d->capretired * 2 : 16;
		uint64_t *v = realloc(d->retired, cap * sizeof(*v));

		if (!v)
			return;         /* the slot still stays allocated */
		d->retired = v;
		d->capretired = cap;
	}
	d->retired[d->nretired++] = slot - d->base;
	d->used--;
	d->bad++;
}

/* ------------------------------------------------------------- events */

static const char *const event_names[] = {
	[SWAPCTL_EV_PAGEOUT_FAILED] = "pageout-failed",
	[SWAPCTL_EV_FAULT_FAILED] = "fault-failed",
	[SWAPCTL_EV_RAM_KEPT] = "ram-kept",
	[SWAPCTL_EV_WRITE_ERROR] = "write-error",
	[SWAPCTL_EV_LOST] = "lost",
	[SWAPCTL_EV_SWAPOFF_FAILED] = "swapoff-failed",
	[SWAPCTL_EV_LOW_WATER] = "low-water",
};

SWAPCTL_EXPORT const char *swapctl_event_name(enum swapctl_event_kind k)
{
	return (unsigned)k < ARRAY_SIZE(event_names) ? event_names[k] : "?";
}

/* The reason of the kinds whose pages add up, from their count. */
static void count_reason(struct swapctl_event *v)
{
	unsigned long long n = (unsigned long long)v->pages;
	const char *s = n == 1 ? "" : "s";

	switch (v->kind) {
	case SWAPCTL_EV_PAGEOUT_FAILED:
		snprintf(v->reason, sizeof(v->reason), "%llu page%s stay in RAM: no swap left to page %s out", n, s,
			 n == 1 ? "it" : "them");
		break;
	case SWAPCTL_EV_FAULT_FAILED:
		snprintf(v->reason, sizeof(v->reason),
			 "%llu page%s not brought in: RAM is full of pages swap cannot take", n, s);
		break;
	case SWAPCTL_EV_WRITE_ERROR:
		snprintf(v->reason, sizeof(v->reason),
			 "%llu write error%s: slot%s retired, the page%s stay%s in RAM", n, s, s, s, n == 1 ? "s" : "");
		break;
	case SWAPCTL_EV_LOST:
		snprintf(v->reason, sizeof(v->reason), "%llu page%s lost: could not be read back", n, s);
		break;
	default:
		break;
	}
}

/* reason NULL: a kind whose pages add up (count_reason) */
static void event_add(struct swapctl_engine *e, enum swapctl_event_kind kind, const struct pdev *d,
		      uint64_t pages, const char *reason)
{
	bool counted = !reason;
	const char *dev = d ? d->name : "";
	struct swapctl_event *v;
	size_t i;

	if (kind == SWAPCTL_EV_PAGEOUT_FAILED)
		e->st.pageout_failures += pages;
	else if (kind == SWAPCTL_EV_FAULT_FAILED)
		e->st.fault_failures += pages;
	/* one event per line, kind and device: look back over this line's */
	for (i = e->nevents; counted && e->ev_line && i > 0 && e->events[i - 1].line == e->ev_line; i--) {
		v = &e->events[i - 1];
		if (v->kind == kind && !strcmp(v->dev, dev)) {
			v->pages += pages;
			count_reason(v);
			return;
		}
	}
	if (kind == SWAPCTL_EV_SWAPOFF_FAILED || kind == SWAPCTL_EV_LOW_WATER)
		e->st.warnings++;
	else
		e->st.failures++;
	if (e->nevents == EVENTS_MAX)
		return;
	if (e->nevents == e->capevents) {
		size_t cap = e->capevents ? e->capevents * 2 : 16;
		struct swapctl_event *nv = realloc(e->events, cap * sizeof(*nv));

		if (!nv)
			return;         /* counted, not listed */
		e->events = nv;
		e->capevents = cap;
	}
	v = &e->events[e->nevents++];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->failure = kind != SWAPCTL_EV_SWAPOFF_FAILED && kind != SWAPCTL_EV_LOW_WATER;
	v->line = e->ev_line;
	snprintf(v->text, sizeof(v->text), "%s", e->ev_text ? e->ev_text : "");
	snprintf(v->dev, sizeof(v->dev), "%s", dev);
	v->pages = pages;
	if (counted)
		count_reason(v);
	else
		snprintf(v->reason, sizeof(v->reason), "%s", reason);
}

void engine_count(struct swapctl_engine *e, enum swapctl_event_kind kind, const struct pdev *d, uint64_t pages)
{
	event_add(e, kind, d, pages, NULL);
}

void engine_event(struct swapctl_engine *e, enum swapctl_event_kind kind, const struct pdev *d,
		  uint64_t pages, const char *fmt, ...)
{
	char reason[sizeof(((struct swapctl_event *)0)->reason)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	event_add(e, kind, d, pages, reason);
}

SWAPCTL_EXPORT size_t swapctl_engine_nevents(const struct swapctl_engine *e)
{
	return e->nevents;
}

SWAPCTL_EXPORT const struct swapctl_event *swapctl_engine_event(const struct swapctl_engine *e, size_t i)
{
	return i < e->nevents ? &e->events[i] : NULL;
}

void engine_lost(struct swapctl_engine *e, struct pobj *o, uint64_t idx)
{
	e->st.lost_pages++;
	o->lost++;
	if (e->nlost < LOST_NAMES_MAX) {
		if (e->nlost == e->caplost) {
			size_t cap = e->caplost ? e->caplost * 2 : 16;
			struct swapctl_lost *v = realloc(e->lost, cap * sizeof(*v));

			if (!v)
				return;
			e->lost = v;
			e->caplost = cap;
		}
		snprintf(e->lost[e->nlost].obj, sizeof(e->lost[0].obj), "%s", o->id);
		e->lost[e->nlost].index = idx;
		e->lost[e->nlost].dev[0] = '\0';
		e->nlost++;
	}
}

static void dev_destroy(struct pdev *d)
{
	if (d->ops && d->ops->close)
		d->ops->close(d);
	swapctl_blist_destroy(d->bl);
	swapctl_extent_destroy(d->ex);
	free(d->inj.wpages);
	free(d->inj.rpages);
	free(d->retired);
	free(d->hdrbad);
	free(d->gens);
	free(d->owner);
	free(d);
}

/* Allocator over [0, pages) with page 0 and the header's bad pages taken. */
static int dev_make_allocator(struct pdev *d)
{
	size_t i;
	int r;

	if (d->alloc_kind == SWAPCTL_ALLOC_EXTENT) {
		r = swapctl_extent_create(0, d->pages - 1, 0, &d->ex);
		if (r == 0)
			r = swapctl_extent_alloc_region(d->ex, 0, 1);
		for (i = 0; r == 0 && i < d->nhdrbad; i++)
			r = swapctl_extent_alloc_region(d->ex, d->hdrbad[i], 1);
		return r;
	}
	r = swapctl_blist_create(d->pages, true, &d->bl);
	if (r == 0)
		r = swapctl_blist_fill(d->bl, 0, 1, NULL);
	for (i = 0; r == 0 && i < d->nhdrbad; i++)
		r = swapctl_blist_fill(d->bl, d->hdrbad[i], 1, NULL);
	return r;
}

static int copy_list(uint64_t **dst, size_t *n, const uint64_t *src, size_t count)
{
	*n = 0;
	if (!count)
		return 0;
	*dst = malloc(count * sizeof(**dst));
	if (!*dst)
		return -ENOMEM;
	memcpy(*dst, src, count * sizeof(**dst));
	*n = count;
	return 0;
}

SWAPCTL_EXPORT int swapctl_engine_map_device(struct swapctl_engine *e, const char *name, const char *path)
{
	SWAPCTL_ENTER(e->ctx);
	char (*n)[64] = realloc(e->map_name, (e->nmap + 1) * sizeof(*n));
	char (*p)[4096];

	if (!n)
		return -ENOMEM;
	e->map_name = n;
	p = realloc(e->map_path, (e->nmap + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	e->map_path = p;
	snprintf(e->map_name[e->nmap], sizeof(e->map_name[0]), "%s", name);
	snprintf(e->map_path[e->nmap], sizeof(e->map_path[0]), "%s", path);
	e->nmap++;
	return 0;
}

static const char *mapped_path(const struct swapctl_engine *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->nmap; i++)
		if (!strcmp(e->map_name[i], name))
			return e->map_path[i];
	return NULL;
}

SWAPCTL_EXPORT int swapctl_engine_dev_add(struct swapctl_engine *e, const struct swapctl_dev_opts *o)
{
	SWAPCTL_ENTER(e->ctx);
	struct swapctl_ctx *ctx = e->ctx;
	const char *path = o->path ? o->path : mapped_path(e, o->name);
	struct pdev *d;
	uint64_t base;
	int r;

	if (!o->name || !*o->name || strlen(o->name) >= sizeof(d->name))
		return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL, "device name '%s' is empty or too long",
					  o->name ? o->name : "");
	if (dev_find(e, o->name, false))
		return swapctl_fail_input(ctx, EEXIST, "device %s: already added", o->name);
	if (o->prio < -1 || o->prio > 32767)
		return swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL, "device %s: priority %d is not from 0 to 32767",
					  o->name, o->prio);
	if (e->ndevs == e->capdevs) {
		size_t cap = e->capdevs ? e->capdevs * 2 : 8;
		struct pdev **v = realloc(e->devs, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		e->devs = v;
		e->capdevs = cap;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	snprintf(d->name, sizeof(d->name), "%s", o->name);
	d->fd = -1;
	d->pagesize = e->o.pagesize;
	d->prio = o->prio >= 0 ? o->prio : e->next_auto_prio--;
	d->alloc_kind = o->alloc_given && !e->o.force_alloc ? o->alloc : e->o.alloc;
	d->cluster = o->cluster && !e->o.force_cluster ? o->cluster : e->o.cluster;
	d->rng = e->o.seed ^ (0x632be59bd9b4e019ull * (e->ndevs + 1));
	d->pages = o->pages;
	r = copy_list(&d->inj.wpages, &d->inj.nw, o->write_errors, o->nwrite_errors);
	if (r == 0)
		r = copy_list(&d->inj.rpages, &d->inj.nr, o->read_errors, o->nread_errors);
	d->inj.wrate = o->write_error_rate;
	d->inj.rrate = o->read_error_rate;
	if (r < 0)
		goto fail;
	if (path) {
		snprintf(d->path, sizeof(d->path), "%s", path);
		r = backend_area_open(ctx, d, path, e->o.pagesize);
		if (r < 0)
			goto fail;
		d->ops = &backend_area_ops;
	} else {
		d->ops = &backend_sim_ops;
		if (d->pages < 2) {
			r = swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
					       "device %s: %llu pages: a header and at least one slot are needed",
					       d->name, (unsigned long long)d->pages);
			goto fail;
		}
	}
	/* the global slot space has 2^32 - 2 slots (slots are 32-bit) */
	if (d->pages > UINT32_MAX - 1) {
		r = swapctl_fail_class(ctx, SWAPCTL_E_INVALID, EINVAL,
				       "device %s: %llu pages: more than the engine's %u slots", d->name,
				       (unsigned long long)d->pages, UINT32_MAX - 1);
		goto fail;
	}
	r = dev_make_allocator(d);
	if (r < 0) {
		r = swapctl_fail_system(ctx, -r, "device %s: cannot make its allocator: %s", d->name, strerror(-r));
		goto fail;
	}
	r = swapctl_extent_alloc(e->slots, d->pages, 1, 0, SWAPCTL_EXTENT_FIRSTFIT, &base);
	if (r < 0) {
		r = swapctl_fail_class(ctx, SWAPCTL_E_INVALID, ENOSPC,
				       "device %s: %llu pages do not fit in what is left of the engine's %u slots",
				       d->name, (unsigned long long)d->pages, UINT32_MAX - 1);
		goto fail;
	}
	d->base = (uint32_t)base;
	d->usable = d->pages - 1 - d->nhdrbad;
	d->enabled = true;
	e->devs[e->ndevs++] = d;
	e->st.slots_usable += d->usable;
	return rebuild_order(e);
fail:
	dev_destroy(d);
	return r;
}

SWAPCTL_EXPORT int swapctl_engine_dev_prio(struct swapctl_engine *e, const char *name, int prio)
{
	SWAPCTL_ENTER(e->ctx);
	struct pdev *d = dev_find(e, name, false);

	if (!d)
		return swapctl_fail_input(e->ctx, ENOENT, "device %s: no such device", name);
	if (prio < 0 || prio > 32767)
		return swapctl_fail_class(e->ctx, SWAPCTL_E_INVALID, EINVAL,
					  "device %s: priority %d is not from 0 to 32767", name, prio);
	d->prio = prio;
	return rebuild_order(e);
}

/* Swap the engine can still give out, and the reservation limit. */
static uint64_t free_slots(const struct swapctl_engine *e, const struct pdev *except)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < e->ndevs; i++) {
		const struct pdev *d = e->devs[i];

		if (d->enabled && d != except)
			n += d->usable - d->used - d->bad;
	}
	return n;
}

static uint64_t reserve_limit(const struct swapctl_engine *e, const struct pdev *except)
{
	uint64_t n = e->nframes;
	size_t i;

	for (i = 0; i < e->ndevs; i++) {
		const struct pdev *d = e->devs[i];

		if (d->enabled && d != except)
			n += d->usable - d->bad;
	}
	return n;
}

/* Whether pages more can be reserved, without wrapping: a trace can ask for
 * up to 2^64 - 1 pages, and RAM shrinking can leave more reserved than the
 * limit. */
static bool can_reserve(const struct swapctl_engine *e, uint64_t pages)
{
	uint64_t limit = reserve_limit(e, NULL);

	return e->reserved <= limit && pages <= limit - e->reserved;
}

SWAPCTL_EXPORT int swapctl_engine_dev_del(struct swapctl_engine *e, const char *name)
{
	SWAPCTL_ENTER(e->ctx);
	struct pdev *d = dev_find(e, name, false);
	size_t i;
	int r = 0;

	if (!d)
		return swapctl_fail_input(e->ctx, ENOENT, "device %s: no such device", name);
	/* every page on it needs a frame or a slot elsewhere, and every
	 * reservation must still be covered without it */
	if (d->used > e->nfree + free_slots(e, d)) {
		e->st.swapoff_failures++;
		engine_event(e, SWAPCTL_EV_SWAPOFF_FAILED, d, d->used,
			     "swapoff failed: not enough memory (its %llu pages need room: %u free frames, "
			     "%llu free slots on the other devices)", (unsigned long long)d->used,
			     e->nfree, (unsigned long long)free_slots(e, d));
		return swapctl_fail_refused(e->ctx, ENOMEM,
				    "device %s: swapoff needs room for %llu pages: %u free frames and %llu free slots elsewhere",
				    name, (unsigned long long)d->used, e->nfree,
				    (unsigned long long)free_slots(e, d));
	}
	if (e->reserved > reserve_limit(e, d)) {
		e->st.swapoff_failures++;
		engine_event(e, SWAPCTL_EV_SWAPOFF_FAILED, d, 0,
			     "swapoff failed: not enough memory (%llu pages reserved, RAM and the other devices hold %llu)",
			     (unsigned long long)e->reserved, (unsigned long long)reserve_limit(e, d));
		return swapctl_fail_refused(e->ctx, ENOMEM, "device %s: swapoff would leave %llu reserved pages in %llu",
				    name, (unsigned long long)e->reserved, (unsigned long long)reserve_limit(e, d));
	}
	d->enabled = false;
	r = rebuild_order(e);
	for (i = 0; r == 0 && i < e->nobjs; i++) {
		struct pobj *o = e->objs[i];
		uint64_t idx = 0;
		uint32_t slot;

		while (r == 0 && objmap_next(&o->map, idx, o->npages, &idx, &slot) == 1) {
			if (slot >= d->base && slot - d->base < d->pages)
				r = ram_take_back(e, o, idx);
			idx++;
		}
	}
	ram_drain(e);    /* the reads queued by ram_take_back */
	if (r < 0) {
		/* leave it usable, as the kernel does */
		d->enabled = true;
		rebuild_order(e);
		e->st.swapoff_failures++;
		engine_event(e, SWAPCTL_EV_SWAPOFF_FAILED, d, d->used,
			     "swapoff failed: not enough memory (RAM filled up with %llu pages still on it); it stays on",
			     (unsigned long long)d->used);
		return swapctl_fail_refused(e->ctx, ENOMEM, "device %s: swapoff ran out of memory; it stays enabled", name);
	}
	for (i = 0; i < e->ndevs; i++)
		if (e->devs[i] == d)
			swapctl_engine_devstats(e, i, &d->st);  /* freeze its figures */
	d->removed = true;
	e->st.slots_usable -= d->usable;
	swapctl_extent_free(e->slots, d->base, d->pages);
	if (d->ops->close)
		d->ops->close(d);
	d->ops = &backend_sim_ops;
	e->st.swapoffs++;
	return 0;
}

/* ------------------------------------------------------------- objects */

/* Traces name the same object many times in a row: the last one found is
 * checked first, which saves hashing its id. */
static struct pobj *obj_find(struct swapctl_engine *e, const char *id)
{
	struct pobj *o = e->last_obj;

	if (o && !strcmp(o->id, id))
		return o;
	o = hashmap_get(&e->objs_by_id, id);
	if (o)
		e->last_obj = o;
	return o;
}

SWAPCTL_EXPORT int swapctl_engine_obj_new(struct swapctl_engine *e, const char *id, uint64_t pages)
{
	SWAPCTL_ENTER(e->ctx);
	struct pobj *o;
	int r;

	if (obj_find(e, id))
		return swapctl_fail_input(e->ctx, EEXIST, "object %s: already exists", id);
	if (!can_reserve(e, pages)) {
		e->st.reserve_failures++;
		return swapctl_fail_refused(e->ctx, ENOMEM, "object %s: cannot reserve %llu pages (%llu of %llu reserved)",
				    id, (unsigned long long)pages, (unsigned long long)e->reserved,
				    (unsigned long long)reserve_limit(e, NULL));
	}
	if (e->nobjs == e->capobjs) {
		size_t cap = e->capobjs ? e->capobjs * 2 : 16;
		struct pobj **v = realloc(e->objs, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		e->objs = v;
		e->capobjs = cap;
	}
	o = calloc(1, sizeof(*o));
	if (!o || !(o->id = strdup(id)) || ram_obj_bits(o, pages) < 0) {
		if (o)
			free(o->id);
		free(o);
		return -ENOMEM;
	}
	if (objmap_init(&o->map, pages) < 0) {
		ram_obj_bits(o, 0);
		free(o->id);
		free(o);
		return -ENOMEM;
	}
	o->num = ++e->next_objnum;
	o->npages = pages;
	r = hashmap_put(&e->objs_by_id, o->id, o);
	if (r < 0) {
		objmap_destroy(&o->map);
		ram_obj_bits(o, 0);
		free(o->id);
		free(o);
		return r;
	}
	o->pos = e->nobjs;
	e->objs[e->nobjs++] = o;
	e->reserved += pages;
	return 0;
}

static struct pobj *need_obj(struct swapctl_engine *e, const char *id)
{
	struct pobj *o = obj_find(e, id);

	if (!o)
		swapctl_fail_input(e->ctx, ENOENT, "object %s: no such object", id);
	return o;
}

static void obj_destroy(struct swapctl_engine *e, struct pobj *o)
{
	ram_drop(e, o, 0, o->npages);
	if (e->last_obj == o)
		e->last_obj = NULL;
	hashmap_del(&e->objs_by_id, o->id);
	e->objs[o->pos] = e->objs[--e->nobjs];
	e->objs[o->pos]->pos = o->pos;
	e->reserved -= o->npages;
	objmap_destroy(&o->map);
	ram_obj_bits(o, 0);
	free(o->id);
	free(o);
}

SWAPCTL_EXPORT int swapctl_engine_obj_resize(struct swapctl_engine *e, const char *id, uint64_t pages)
{
	SWAPCTL_ENTER(e->ctx);
	struct pobj *o = need_obj(e, id);
	int r;

	if (!o)
		return -ENOENT;
	if (pages > o->npages && !can_reserve(e, pages - o->npages)) {
		e->st.reserve_failures++;
		return swapctl_fail_refused(e->ctx, ENOMEM, "object %s: cannot reserve %llu more pages", id,
				    (unsigned long long)(pages - o->npages));
	}
	if (pages < o->npages)
		ram_drop(e, o, pages, o->npages);
	/* the resident bitmap grows first and shrinks last: it always covers
	 * the object, whichever step fails */
	if (pages > o->npages && ram_obj_bits(o, pages) < 0)
		return swapctl_fail_system(e->ctx, ENOMEM, "object %s: cannot resize its map", id);
	r = objmap_resize(&o->map, pages);
	if (r < 0)
		return swapctl_fail_system(e->ctx, -r, "object %s: cannot resize its map", id);
	if (pages < o->npages)
		ram_obj_bits(o, pages);         /* on failure the larger one stays */
	e->reserved = e->reserved - o->npages + pages;
	o->npages = pages;
	return 0;
}

SWAPCTL_EXPORT int swapctl_engine_obj_del(struct swapctl_engine *e, const char *id)
{
	SWAPCTL_ENTER(e->ctx);
	struct pobj *o = need_obj(e, id);

	if (!o)
		return -ENOENT;
	obj_destroy(e, o);
	return 0;
}

SWAPCTL_EXPORT int swapctl_engine_access(struct swapctl_engine *e, const char *id, uint64_t index,
					 uint64_t count, enum swapctl_access a)
{
	SWAPCTL_ENTER(e->ctx);
	struct pobj *o = need_obj(e, id);

	if (!o)
		return -ENOENT;
	if (count == 0 || index >= o->npages || count > o->npages - index)
		return swapctl_fail_input(e->ctx, ERANGE, "object %s: pages %llu+%llu are outside its %llu pages",
				    id, (unsigned long long)index, (unsigned long long)count,
				    (unsigned long long)o->npages);
	return ram_access(e, o, index, count, (int)a);
}

struct copy_state {
	struct swapctl_engine *e;
	struct pobj *dst;
	uint64_t offset;
};

/* A slot of the source of a copy moves to dst where dst has neither a page
 * nor a slot; the others stay, to be freed with the source. */
static void copy_page(struct swapctl_engine *e, struct pobj *s, uint64_t i, uint32_t fi, void *arg)
{
	struct copy_state *cs = arg;
	uint64_t t = i - cs->offset;

	(void)fi;
	if (ram_find(e, cs->dst, t) == UINT32_MAX && objmap_get(&cs->dst->map, t) == SLOT_NONE)
		ram_move(e, s, i, cs->dst, t);
}

static int copy_slot(void *arg, uint64_t i, uint32_t slot)
{
	struct copy_state *cs = arg;
	uint64_t t = i - cs->offset;

	if (ram_find(cs->e, cs->dst, t) != UINT32_MAX || objmap_get(&cs->dst->map, t) != SLOT_NONE)
		return 1;
	return objmap_set(&cs->dst->map, t, slot);
}

SWAPCTL_EXPORT int swapctl_engine_copy(struct swapctl_engine *e, const char *src, const char *dst,
				       uint64_t offset)
{
	SWAPCTL_ENTER(e->ctx);
	struct copy_state cs;
	struct pobj *s = need_obj(e, src), *d;
	uint64_t end;
	int r;

	if (!s)
		return -ENOENT;
	d = need_obj(e, dst);
	if (!d)
		return -ENOENT;
	if (s == d)
		return swapctl_fail_class(e->ctx, SWAPCTL_E_INVALID, EINVAL,
					  "copy %s %s: an object cannot absorb itself", src, dst);
	/* resident pages of src move first (they are the newest data) */
	cs.e = e;
	cs.dst = d;
	cs.offset = offset;
	/* the pages of src that land in dst: [offset, end), without wrapping */
	end = offset < s->npages ? offset + (d->npages < s->npages - offset ? d->npages : s->npages - offset)
				 : offset;
	ram_walk(e, s, offset, end, copy_page, &cs);
	/* then slots, where dst has neither a page nor a slot */
	r = objmap_take(&s->map, offset, end, copy_slot, &cs);
	if (r < 0)
		return swapctl_fail_system(e->ctx, -r, "copy %s %s: out of memory", src, dst);
	obj_destroy(e, s);      /* drops whatever dst already had */
	return 0;
}

SWAPCTL_EXPORT void swapctl_engine_tick(struct swapctl_engine *e, uint64_t n)
{
	SWAPCTL_ENTER(e->ctx);
	/* the clock stops at 2^64 - 1 (a trace cannot get there: see trace.c) */
	e->st.clock = n > UINT64_MAX - e->st.clock ? UINT64_MAX : e->st.clock + n;
}

/* --------------------------------------------------------------- engine */

SWAPCTL_EXPORT int swapctl_engine_new(struct swapctl_ctx *ctx, const struct swapctl_engine_opts *o,
				      struct swapctl_engine **out)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_engine *e = calloc(1, sizeof(*e));
	int r;

	if (!e)
		return -ENOMEM;
	e->ctx = swapctl_ref(ctx);
	e->o = *o;
	if (!e->o.pagesize)
		e->o.pagesize = swapctl_kernel_pagesize();
	if (!e->o.ram_pages)
		e->o.ram_pages = 1024;
	if (!e->o.cluster)
		e->o.cluster = 16;
	if (!e->o.low_water_pct)
		e->o.low_water_pct = 10;
	if (!e->o.high_water_pct)
		e->o.high_water_pct = 20;
	e->next_auto_prio = -2;
	r = swapctl_extent_create(1, UINT32_MAX - 1, SWAPCTL_EXTENT_NOCOALESCE, &e->slots);
	if (r == 0 && e->o.ram_pages > RAM_MAX_PAGES)
		r = -EINVAL;
	if (r == 0)
		r = ram_init(e, e->o.ram_pages);
	if (r < 0) {
		swapctl_engine_free(e);
		return swapctl_fail_system(ctx, -r, "cannot make an engine: %s", strerror(-r));
	}
	*out = e;
	return 0;
}

SWAPCTL_EXPORT void swapctl_engine_free(struct swapctl_engine *e)
{
	size_t i;

	if (!e)
		return;
	pq_destroy(e->q);       /* empty between calls: nothing completes */
	free(e->q);
	while (e->nobjs)
		obj_destroy(e, e->objs[e->nobjs - 1]);
	for (i = 0; i < e->ndevs; i++)
		dev_destroy(e->devs[i]);
	ram_destroy(e);
	hashmap_free(&e->objs_by_id);
	swapctl_extent_destroy(e->slots);
	free(e->devs);
	free(e->order);
	free(e->rr);
	free(e->objs);
	free(e->lost);
	free(e->events);
	free(e->map_name);
	free(e->map_path);
	free(e->iobuf);
	swapctl_unref(e->ctx);
	free(e);
}

SWAPCTL_EXPORT int swapctl_engine_set_ram(struct swapctl_engine *e, uint64_t pages)
{
	SWAPCTL_ENTER(e->ctx);
	if (e->o.force_ram)
		return 0;
	return ram_resize(e, pages);
}

/* ------------------------------------------------------------ statistics */

SWAPCTL_EXPORT size_t swapctl_engine_ndevs(const struct swapctl_engine *e)
{
	return e->ndevs;
}

SWAPCTL_EXPORT int swapctl_engine_devstats(struct swapctl_engine *e, size_t i, struct swapctl_devstats *ds)
{
	SWAPCTL_ENTER(e->ctx);
	struct pdev *d;

	if (i >= e->ndevs || !ds)
		return -ENOENT;
	d = e->devs[i];
	if (d->removed) {
		*ds = d->st;
		ds->removed = true;
		return 0;
	}
	*ds = d->st;
	snprintf(ds->name, sizeof(ds->name), "%s", d->name);
	snprintf(ds->path, sizeof(ds->path), "%s", d->path);
	ds->prio = d->prio;
	ds->alloc = d->alloc_kind;
	ds->cluster = d->cluster;
	ds->pages = d->pages;
	ds->usable = d->usable;
	ds->used = d->used;
	ds->bad = d->bad + d->nhdrbad;
	ds->free = d->usable - d->used - d->bad;
	if (d->alloc_kind == SWAPCTL_ALLOC_EXTENT)
		swapctl_extent_stats(d->ex, &ds->runs);
	else
		swapctl_blist_stats(d->bl, &ds->runs);
	return 0;
}

SWAPCTL_EXPORT void swapctl_engine_stats(struct swapctl_engine *e, struct swapctl_engine_stats *st)
{
	size_t i;

	*st = e->st;
	st->ram_pages = e->nframes;
	st->resident = e->nframes - e->nfree;
	st->dirty = e->ndirty;
	st->objects = e->nobjs;
	st->reserved = e->reserved;
	st->slots_used = st->slots_bad = st->swapped_pages = st->map_bytes = st->alloc_bytes = 0;
	for (i = 0; i < e->ndevs; i++) {
		const struct pdev *d = e->devs[i];

		if (d->removed)
			continue;
		st->slots_used += d->used;
		st->slots_bad += d->bad + d->nhdrbad;
		st->alloc_bytes += d->bl ? swapctl_blist_memory(d->bl) : swapctl_extent_memory(d->ex);
	}
	for (i = 0; i < e->nobjs; i++) {
		st->swapped_pages += e->objs[i]->map.nslots;
		st->map_bytes += objmap_memory(&e->objs[i]->map) + sizeof(struct pobj);
	}
	st->engine_bytes = 0;
	for (i = 0; i < e->nobjs; i++)
		st->engine_bytes += ram_obj_bits_memory(e->objs[i]);
	st->engine_bytes += st->map_bytes + (uint64_t)e->nframes * sizeof(struct frame) +
			   (uint64_t)e->ftab_size * sizeof(uint64_t) + e->objs_by_id.size * sizeof(struct hm_entry);
}

SWAPCTL_EXPORT size_t swapctl_engine_nlost(const struct swapctl_engine *e)
{
	return e->nlost;
}

SWAPCTL_EXPORT const struct swapctl_lost *swapctl_engine_lost(const struct swapctl_engine *e, size_t i)
{
	return i < e->nlost ? &e->lost[i] : NULL;
}

SWAPCTL_EXPORT int swapctl_engine_devmap(struct swapctl_engine *e, size_t i, double *buckets, size_t n)
{
	SWAPCTL_ENTER(e->ctx);
	struct pdev *d;
	uint64_t at = 0, start, len, per;
	size_t b;

	if (i >= e->ndevs || !n)
		return -ENOENT;
	d = e->devs[i];
	for (b = 0; b < n; b++)
		buckets[b] = d->removed ? 0.0 : 1.0;    /* full; free runs take away */
	if (d->removed)
		return 0;
	per = (d->pages + n - 1) / n;
	while (at < d->pages) {
		int r = d->bl ? swapctl_blist_next_free(d->bl, at, &start, &len)
			      : swapctl_extent_next_free(d->ex, at, &start, &len);

		if (r < 0)
			break;
		for (at = start; at < start + len;) {
			uint64_t bstart = at / per * per, bend = bstart + per;
			uint64_t end = bend < start + len ? bend : start + len;
			/* the last bucket may hold fewer pages than the others */
			uint64_t size = (bend < d->pages ? bend : d->pages) - bstart;

			buckets[at / per] -= (double)(end - at) / (double)size;
			at = end;
		}
	}
	/* buckets past the end (more buckets than pages) hold nothing */
	for (b = 0; b < n; b++)
		if ((uint64_t)b * per >= d->pages)
			buckets[b] = 0.0;
	return 0;
}

SWAPCTL_EXPORT uint64_t swapctl_engine_clock(const struct swapctl_engine *e)
{
	return e->st.clock;
}

/* ----------------------------------------------------------- invariants */

static int check_dev(struct swapctl_engine *e, struct pdev *d, uint8_t *bits)
{
	uint64_t p, start, len, allocated = 0, expected = 0, at = 0;

	for (p = 0; p < d->pages; p++)
		expected += bits[p] != 0;
	while (at < d->pages) {
		int r = d->bl ? swapctl_blist_next_free(d->bl, at, &start, &len)
			      : swapctl_extent_next_free(d->ex, at, &start, &len);

		if (r < 0)
			break;
		for (p = start; p < start + len; p++)
			if (bits[p])
				return swapctl_fail_system(e->ctx, EUCLEAN, "device %s: page %llu is in use but free in the allocator",
						    d->name, (unsigned long long)p);
		allocated += start - at;
		at = start + len;
	}
	allocated += d->pages - at;
	if (allocated != expected)
		return swapctl_fail_system(e->ctx, EUCLEAN, "device %s: the allocator has %llu pages allocated, the objects account for %llu",
				    d->name, (unsigned long long)allocated, (unsigned long long)expected);
	return 0;
}

SWAPCTL_EXPORT int swapctl_engine_check(struct swapctl_engine *e)
{
	SWAPCTL_ENTER(e->ctx);
	uint8_t **bits = calloc(e->ndevs ? e->ndevs : 1, sizeof(*bits));
	uint64_t *used = calloc(e->ndevs ? e->ndevs : 1, sizeof(*used));
	uint64_t resident = 0;
	size_t i, k;
	int r = 0;

	if (!bits || !used) {
		free(bits);
		free(used);
		return -ENOMEM;
	}
	if (e->q && e->q->count)
		r = swapctl_fail_system(e->ctx, EUCLEAN, "%u I/O requests still queued between calls", e->q->count);
	for (i = 0; i < e->ndevs && r == 0; i++) {
		struct pdev *d = e->devs[i];

		if (d->removed)
			continue;
		bits[i] = calloc(d->pages, 1);
		if (!bits[i]) {
			r = -ENOMEM;
			break;
		}
		bits[i][0] = 1;
		for (k = 0; k < d->nhdrbad; k++)
			bits[i][d->hdrbad[k]] = 1;
		for (k = 0; k < d->nretired; k++)
			bits[i][d->retired[k]] = 1;
	}
	for (i = 0; i < e->nobjs && r == 0; i++) {
		struct pobj *o = e->objs[i];
		uint64_t idx = 0, n = 0;
		uint32_t slot;

		while (r == 0 && objmap_next(&o->map, idx, o->npages, &idx, &slot) == 1) {
			struct pdev *d = engine_slot_dev(e, slot);

			for (k = 0; d && e->devs[k] != d; k++)
				;
			if (!d)
				r = swapctl_fail_system(e->ctx, EUCLEAN, "object %s page %llu: slot %u is on no device",
						 o->id, (unsigned long long)idx, slot);
			else if (bits[k][slot - d->base]++)
				r = swapctl_fail_system(e->ctx, EUCLEAN, "slot %u of %s belongs to two pages (one is %s page %llu)",
						 slot, d->name, o->id, (unsigned long long)idx);
			else
				used[k]++;
			idx++;
			n++;
		}
		if (r == 0 && n != o->map.nslots)
			r = swapctl_fail_system(e->ctx, EUCLEAN, "object %s: %llu slots found, %llu counted", o->id,
					 (unsigned long long)n, (unsigned long long)o->map.nslots);
		if (r == 0 && objmap_check(&o->map) < 0)
			r = swapctl_fail_system(e->ctx, EUCLEAN, "object %s: its slot map does not hold together", o->id);
	}
	for (i = 0; i < e->ndevs && r == 0; i++) {
		struct pdev *d = e->devs[i];

		if (d->removed)
			continue;
		if (used[i] != d->used)
			r = swapctl_fail_system(e->ctx, EUCLEAN, "device %s: %llu slots belong to pages, %llu counted used",
					 d->name, (unsigned long long)used[i], (unsigned long long)d->used);
		else
			r = check_dev(e, d, bits[i]);
	}
	for (i = 0; i < e->nframes && r == 0; i++) {
		struct frame *f = &e->frames[i];

		if (!f->obj)
			continue;
		resident++;
		if (ram_find(e, f->obj, f->idx) != i)
			r = swapctl_fail_system(e->ctx, EUCLEAN, "frame %zu (%s page %llu) cannot be found by its page",
					 i, f->obj->id, (unsigned long long)f->idx);
		else if (f->dirty && objmap_get(&f->obj->map, f->idx) != SLOT_NONE)
			r = swapctl_fail_system(e->ctx, EUCLEAN, "%s page %llu is dirty but still has a slot",
					 f->obj->id, (unsigned long long)f->idx);
	}
	if (r == 0) {
		uint64_t dirty = 0;

		for (i = 0; i < e->nframes; i++)
			dirty += e->frames[i].obj && e->frames[i].dirty;
		if (dirty != e->ndirty)
			r = swapctl_fail_system(e->ctx, EUCLEAN, "%llu dirty frames, %u counted",
					 (unsigned long long)dirty, e->ndirty);
	}
	/* each object's resident bits: as many as its resident pages, each a
	 * page the frame table finds in a frame of that object */
	for (i = 0; i < e->nobjs && r == 0; i++) {
		struct pobj *o = e->objs[i];
		uint64_t n = 0, w, p;

		for (w = 0; w < o->rwords && r == 0; w++) {
			for (uint64_t b = o->rbits[w]; b && r == 0; b &= b - 1) {
				uint32_t fi;

				p = w * 64 + (uint64_t)__builtin_ctzll(b);
				fi = p < o->npages ? ram_find(e, o, p) : UINT32_MAX;
				if (fi == UINT32_MAX || e->frames[fi].obj != o || e->frames[fi].idx != p)
					r = swapctl_fail_system(e->ctx, EUCLEAN, "object %s page %llu: resident bit without its frame",
							 o->id, (unsigned long long)p);
				n++;
			}
		}
		if (r == 0 && n != o->resident)
			r = swapctl_fail_system(e->ctx, EUCLEAN, "object %s: %llu resident bits, %llu resident pages",
					 o->id, (unsigned long long)n, (unsigned long long)o->resident);
	}
	if (r == 0 && resident != e->nframes - e->nfree)
		r = swapctl_fail_system(e->ctx, EUCLEAN, "%llu frames in use, %u counted", (unsigned long long)resident,
				 e->nframes - e->nfree);
	for (i = 0; i < e->ndevs; i++)
		free(bits[i]);
	free(bits);
	free(used);
	return r;
}
