/*
 * Devices: adding them, their priorities, and slot allocation over them;
 * their statistics.  Swapoff, which needs RAM, is in engine.c.
 *
 * Allocation walks the priority levels from the highest; within a level it
 * starts at the device after the one that served last (round-robin) and
 * asks each for the whole cluster, then half of it, down to one page,
 * before it moves to a lower level: a lower priority is used only when
 * every device above it is full, as in Linux.
 *
 * engine_fast_update decides, once per change of the devices (not per
 * fault), whether paging.c's fast path may run; engine_alloc_one is
 * engine_alloc_slots for one page from the one device in use, the
 * success and failure counted by the same alloc_on.  check_water is
 * given the slots left: with one device enabled they are its own, so it
 * walks no device list (1M random, --cluster 1, 182K page-outs:
 * 1,031,041,994 -> 1,027,211,321 instructions).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pager.h"

SWAPCTL_EXPORT const char *swapctl_allocator_name(enum swapctl_allocator a)
{
	return a == SWAPCTL_ALLOC_EXTENT ? "extent" : "blist";
}

struct pdev *engine_dev_find(const struct swapctl_engine *e, const char *name, bool removed_too)
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
int engine_dev_order(struct swapctl_engine *e)
{
	size_t i, j, n = 0;

	e->fast = false;
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
	engine_fast_update(e);
	return 0;
}

void engine_fast_update(struct swapctl_engine *e)
{
	const struct pdev *d = e->norder == 1 ? e->order[0] : NULL;
	size_t i, live = 0;

	for (i = 0; i < e->ndevs; i++)
		live += !e->devs[i]->removed;
	/* live == 1: every slot a page has is on d (engine_slot_dev) */
	e->fast = !e->slowpath && d && live == 1 && d->cluster == 1 && d->ops == &backend_sim_ops && !d->gens &&
		  !d->inj.nw && !d->inj.nr && d->inj.wrate <= 0 && d->inj.rrate <= 0;
}

static int dev_alloc(struct pdev *d, unsigned n, uint64_t *page)
{
	uint64_t len;

	if (d->alloc_kind == SWAPCTL_ALLOC_EXTENT)
		return swapctl_extent_alloc(d->ex, n, 1, 0, 0, page);
	return swapctl_blist_alloc(d->bl, n, n, page, &len);
}

/* Warn once when free swap (avail slots) falls below the low watermark;
 * re-arm above the high one. */
static inline void check_water(struct swapctl_engine *e, uint64_t avail)
{
	uint64_t total = e->st.slots_usable;

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

/* r slots from d, which has them free: 0, or -1 counted as a failure. */
static inline int alloc_on(struct swapctl_engine *e, struct pdev *d, unsigned r, uint32_t *first)
{
	uint64_t page;

	if (dev_alloc(d, r, &page) < 0) {
		d->st.alloc_failures++;
		return -1;
	}
	d->used += r;
	*first = d->base + (uint32_t)page;
	/* the slots left: with one device enabled, its own (no walk) */
	check_water(e, e->norder == 1 ? d->usable - d->used - d->bad : engine_slots_left(e, NULL));
	return 0;
}

unsigned engine_alloc_one(struct swapctl_engine *e, uint32_t *first)
{
	struct pdev *d = e->order[0];

	/* what engine_alloc_slots does with one device and want 1: its
	 * round-robin position stays 0 */
	if (d->usable - d->used - d->bad < 1 || alloc_on(e, d, 1, first) < 0)
		return 0;
	return 1;
}

unsigned engine_alloc_slots(struct swapctl_engine *e, unsigned want, uint32_t *first)
{
	size_t i, j, k, n, start;
	unsigned req;

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
				if (alloc_on(e, d, r, first) == 0) {
					e->rr[i] = (start + k + 1) % n;
					return r;
				}
			}
		}
	}
	return 0;
}

void engine_free_slots(struct swapctl_engine *e, uint32_t slot, unsigned n)
{
	struct pdev *d = engine_slot_dev(e, slot);

	if (d)
		engine_dev_free(e, d, slot, n);
}

void engine_dev_free(struct swapctl_engine *e, struct pdev *d, uint32_t slot, unsigned n)
{
	int r;

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

void engine_dev_destroy(struct pdev *d)
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
	if (engine_dev_find(e, o->name, false))
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
	return engine_dev_order(e);
fail:
	engine_dev_destroy(d);
	return r;
}

SWAPCTL_EXPORT int swapctl_engine_dev_prio(struct swapctl_engine *e, const char *name, int prio)
{
	SWAPCTL_ENTER(e->ctx);
	struct pdev *d = engine_dev_find(e, name, false);

	if (!d)
		return swapctl_fail_input(e->ctx, ENOENT, "device %s: no such device", name);
	if (prio < 0 || prio > 32767)
		return swapctl_fail_class(e->ctx, SWAPCTL_E_INVALID, EINVAL,
					  "device %s: priority %d is not from 0 to 32767", name, prio);
	d->prio = prio;
	return engine_dev_order(e);
}

/* Slots the enabled devices (but except) can still give out. */
uint64_t engine_slots_left(const struct swapctl_engine *e, const struct pdev *except)
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

