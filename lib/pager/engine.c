/*
 * The engine: objects and their reservations, swapoff, the engine's life,
 * its statistics and invariants.  Devices and slot allocation are in
 * devices.c, RAM in frames.c and paging in paging.c (pager.h maps them).
 *
 * swapctl_engine_check runs at the end of every replay, so its cost is
 * the state's, once per replay: it walks each slot map cluster by cluster
 * (objmap_each, not a lookup per slot) and the frame table in order
 * (ram_check); the frames' objects are checked once, by that walk.
 * 1M-event random trace: 135M instructions -> about 75M.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pager.h"

/* What reservations can add up to: RAM and the enabled devices (but except). */
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
	struct pdev *d = engine_dev_find(e, name, false);
	size_t i;
	int r = 0;

	if (!d)
		return swapctl_fail_input(e->ctx, ENOENT, "device %s: no such device", name);
	/* every page on it needs a frame or a slot elsewhere, and every
	 * reservation must still be covered without it */
	if (d->used > e->nfree + engine_slots_left(e, d)) {
		e->st.swapoff_failures++;
		engine_event(e, SWAPCTL_EV_SWAPOFF_FAILED, d, d->used,
			     "swapoff failed: not enough memory (its %llu pages need room: %u free frames, "
			     "%llu free slots on the other devices)", (unsigned long long)d->used,
			     e->nfree, (unsigned long long)engine_slots_left(e, d));
		return swapctl_fail_refused(e->ctx, ENOMEM, "device %s: swapoff needs room for %llu pages: %u free frames and %llu free slots elsewhere",
				    name, (unsigned long long)d->used, e->nfree,
				    (unsigned long long)engine_slots_left(e, d));
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
	r = engine_dev_order(e);
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
		engine_dev_order(e);
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
	engine_fast_update(e);  /* one device may be left */
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
	if (e->nobjs >= FRAME_OBJS_MAX) {
		e->st.reserve_failures++;
		return swapctl_fail_refused(e->ctx, ENOMEM, "object %s: %u objects exist, the most there can be", id,
					    FRAME_OBJS_MAX);
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
	if (ram_obj_attach(e, o) < 0) {
		objmap_destroy(&o->map);
		ram_obj_bits(o, 0);
		free(o->id);
		free(o);
		return -ENOMEM;
	}
	o->num = ++e->next_objnum;
	o->npages = pages;
	r = hashmap_put(&e->objs_by_id, o->id, o);
	if (r < 0) {
		ram_obj_detach(e, o);
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
	ram_obj_detach(e, o);
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

static inline int access_obj(struct swapctl_engine *e, struct pobj *o, uint64_t index, uint64_t count,
			     enum swapctl_access a)
{
	if (count == 0 || index >= o->npages || count > o->npages - index)
		return swapctl_fail_input(e->ctx, ERANGE, "object %s: pages %llu+%llu are outside its %llu pages",
				    o->id, (unsigned long long)index, (unsigned long long)count,
				    (unsigned long long)o->npages);
	return ram_access(e, o, index, count, (int)a);
}

SWAPCTL_EXPORT int swapctl_engine_access(struct swapctl_engine *e, const char *id, uint64_t index,
					 uint64_t count, enum swapctl_access a)
{
	SWAPCTL_ENTER(e->ctx);
	struct pobj *o = need_obj(e, id);

	if (!o)
		return -ENOENT;
	return access_obj(e, o, index, count, a);
}

int engine_access_last(struct swapctl_engine *e, uint64_t index, uint64_t count, enum swapctl_access a)
{
	SWAPCTL_ENTER(e->ctx);
	return access_obj(e, e->last_obj, index, count, a);
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
	e->slowpath = swapctl_debug_value(ctx, "engine-slowpath") != NULL;
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
	/* the whole engine goes: no page needs its frame or slot given back */
	for (i = 0; i < e->nobjs; i++) {
		objmap_destroy(&e->objs[i]->map);
		ram_obj_bits(e->objs[i], 0);
		free(e->objs[i]->id);
		free(e->objs[i]);
	}
	for (i = 0; i < e->ndevs; i++)
		engine_dev_destroy(e->devs[i]);
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
	st->engine_bytes += st->map_bytes + ram_memory(e) + e->objs_by_id.size * sizeof(struct hm_entry);
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

struct slot_check {
	struct swapctl_engine *e;
	struct pobj *o;
	uint8_t **bits;         /* per device: the pages that belong to something */
	uint64_t *used;         /* per device: slots of pages */
	uint64_t n;             /* slots of o seen */
};

/* Slot of page idx of an object: on a device, that page nobody else's. */
static int check_slot(void *arg, uint64_t idx, uint32_t slot)
{
	struct slot_check *sc = arg;
	struct swapctl_engine *e = sc->e;
	struct pdev *d = engine_slot_dev(e, slot);
	size_t k;

	for (k = 0; d && e->devs[k] != d; k++)
		;
	if (idx >= sc->o->npages)
		return swapctl_fail_system(e->ctx, EUCLEAN, "object %s page %llu: a slot past its %llu pages",
					   sc->o->id, (unsigned long long)idx, (unsigned long long)sc->o->npages);
	if (!d)
		return swapctl_fail_system(e->ctx, EUCLEAN, "object %s page %llu: slot %u is on no device",
					   sc->o->id, (unsigned long long)idx, slot);
	if (sc->bits[k][slot - d->base]++)
		return swapctl_fail_system(e->ctx, EUCLEAN, "slot %u of %s belongs to two pages (one is %s page %llu)",
					   slot, d->name, sc->o->id, (unsigned long long)idx);
	sc->used[k]++;
	sc->n++;
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
		struct slot_check sc = { .e = e, .o = e->objs[i], .bits = bits, .used = used };
		struct pobj *o = sc.o;

		/* the map's structure first: the walk trusts it */
		if (objmap_check(&o->map) < 0)
			r = swapctl_fail_system(e->ctx, EUCLEAN, "object %s: its slot map does not hold together", o->id);
		if (r == 0)
			r = objmap_each(&o->map, check_slot, &sc);
		if (r == 0 && sc.n != o->map.nslots)
			r = swapctl_fail_system(e->ctx, EUCLEAN, "object %s: %llu slots found, %llu counted", o->id,
					 (unsigned long long)sc.n, (unsigned long long)o->map.nslots);
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
	if (r == 0)
		r = ram_check(e);       /* the LRU ring, the free list, the frame table, resident bits */
	if (r == 0) {
		uint64_t dirty = 0;

		for (i = 0; i < e->nframes; i++) {
			resident += e->frames[i].key != 0;
			dirty += e->frames[i].key && e->frames[i].dirty;
		}
		if (resident != e->nframes - e->nfree)
			r = swapctl_fail_system(e->ctx, EUCLEAN, "%llu frames in use, %u counted",
						(unsigned long long)resident, e->nframes - e->nfree);
		else if (dirty != e->ndirty)
			r = swapctl_fail_system(e->ctx, EUCLEAN, "%llu dirty frames, %u counted",
						(unsigned long long)dirty, e->ndirty);
	}
	/* every frame in use is in the frame table now (ram_check found as
	 * many distinct ones there), so its object handle was checked */
	for (i = 0; i < e->nframes && r == 0; i++) {
		struct frame *f = &e->frames[i];
		struct pobj *o;

		if (!f->key || !f->dirty)
			continue;
		o = frame_obj(e, f);
		if (objmap_get(&o->map, frame_idx(f)) != SLOT_NONE)
			r = swapctl_fail_system(e->ctx, EUCLEAN, "%s page %llu is dirty but still has a slot",
					 o->id, (unsigned long long)frame_idx(f));
	}
	for (i = 0; i < e->ndevs; i++)
		free(bits[i]);
	free(bits);
	free(used);
	return r;
}
