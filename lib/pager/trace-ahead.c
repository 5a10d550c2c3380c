/*
 * The trace lookahead: memory-level parallelism for the replay.
 *
 * The engine's time on a large trace is cache misses, most of them one
 * after another: the frame-table entry then the frame of a resident page;
 * the slot map's table then its cluster on a fault; the frame-table entry
 * of the page evicted and of the one brought in.  Each event's are known
 * before it is applied: the trace says which page comes next.  So before
 * each event, the events after it are looked at in the input buffer
 * (trace_text_look, trace_bin_peek: only the ring changed, no message) and
 * the engine is asked to prefetch (ram_prefetch, in stages some events
 * apart, each starting the loads that hang on the last one's; what an
 * eviction touches, the engine prefetches itself from the LRU ring).
 * Events are still applied one at a time and in order, and nothing is
 * written: a wrong hint costs a prefetch.
 *
 * A text line is read once: an access line to the name the reader has now,
 * in the reader's one-pass syntax, is decoded here as strictly as the
 * reader would (the same function, trace-text.c's quick_line), and the
 * reader takes the event from the ring while its name is still that one.
 * Every other line (other keywords, errors, a new name, a line the buffer
 * does not hold whole) is only stepped over here and read by the reader,
 * so messages and line numbers are the reader's own.  A decoded access
 * also carries the number of the engine's object its name named (object
 * numbers are never reused): while that object is still the engine's last,
 * trace.c applies the access without looking the name up.  The binary
 * reader decodes every record again.
 *
 * Text lines are decoded in batches (AHEAD_BATCH or more, as the ring has
 * room) straight into the ring, their object found once per batch: the
 * per-line calls and the copies between peek, ring and reader cost more
 * than the decoding.  The decoded line leaves the ring as the reader takes
 * it (trace-text.c's ahead_access).
 *
 * Counts (cachegrind, swapinfo -r of 1M events, 1M pages, 256K frames,
 * --cluster 1), instructions an event: the lookahead, its prefetches and
 * the text reader went from about 680 (trace_ahead 139, prefetch_victims
 * 137, trace_text_peek 107, swapctl_trace_step 79, objmap_prefetch 73,
 * ram_prefetch_near 63, trace_text_next 49, ram_prefetch_far 24) to about
 * 510; the whole replay from 1569 to 1414 (random) and from 878 to 748
 * (zipf), faults and --json output unchanged.  Merging the two later
 * stages into one at 4 events (25 instructions less) ran about 5% slower
 * on random: the stages stay at 6 and 2.  See also frames.c.
 *
 * The replay (swapctl_trace_replay) applies the decoded accesses itself
 * (trace_ahead_replay): while the ring's head is one the reader would take
 * (ahead_access) and apply() would give the engine's last object, it is
 * taken, the lookahead's batch and stages run, and the engine applies it
 * (engine_access_last) with the line and text set, as the general step
 * would do, without the step's per-event calls, copies into the event and
 * checks; anything else goes back to swapctl_trace_step.  Instructions an
 * event (1M events, as above): reading and applying a decoded access went
 * from about 343 (trace_ahead 99, trace_text_look 91, swapctl_trace_step
 * 79, trace_text_next 57, engine_access_last 17) to about 221; the whole
 * replay from 1294 to 1163 (random) and from 738 to 608 (zipf).
 *
 * The loop's test of the ring's head is its object number alone (not 0
 * only for a line decoded for the reader's name: no flag, no generation
 * to compare), and the engine's line and text are cleared once when the
 * loop ends, not after each access.  With trace-text.c's line-start word
 * and the generation's removal, 1M events, --cluster 1, cachegrind:
 * trace_ahead_replay 71.8M -> 68.8M -> (this) 64.8M instructions, both
 * traces; the whole replay 1,012,962,650 -> 998,990,422 (random),
 * 585,161,761 -> 571,190,263 (zipf), D1 misses unchanged.
 *
 * The loop then kept the ring's and the reader's positions in locals
 * (the line in e->ev_line), stored once when it ends: with t passed to
 * look_text and the engine called, each field was loaded and stored
 * around every call.  The later stages run before the access is taken
 * (for the events 7 and 3 after the ring's head, the same ones), so its
 * index, count and kind go straight into the engine's call and are read
 * again from the ring only on an error; the next batch is decoded after
 * the access, once the slot is no longer read; the events are counted
 * into e->st directly; the engine's last object is not loaded again
 * (an access does not change it).  Callgrind, 1M events, --cluster 1:
 * trace_ahead_replay with what it inlines 88.8M -> 64.2M instructions;
 * the whole replay 936,901,807 -> 920,327,321 (random), 537,329,343 ->
 * 520,754,749 (zipf); mispredicts and D1 misses unchanged.  Tried:
 * trace_text_look storing obj and objnum with each decoded line, which
 * leaves look_text only the prefetches: 920.3M -> 920.6M (its stores and
 * spills cost what look_text saved), not kept; look_text with the ring's
 * first and n in locals, 920.5M, not kept.  A ring of 32 filled to 24 in
 * batches of 16 (far prefetches 9 to 24 events ahead instead of 9 to 16):
 * 913,895,430 instructions, mispredicts 7.41M -> 7.25M, but 25
 * alternated pairs of the 4M random replay against this loop gave a
 * median of 1.06 (slower; load 4.6, spread 0.72 to 1.38): not kept.
 */
#include <string.h>
#include "trace.h"

/* How far ahead, in events, the near stage runs: far enough for the far
 * stage's loads to have arrived (an event takes 100-500 ns, a miss about
 * 100).  A third stage, at 2, prefetched what a fault's eviction would
 * touch; the evictions now do that themselves (frames.c, lru_oldest). */
#define STAGE1 6u
/* Text lines are decoded in batches of at least this many: the ring's
 * first events are then from TRACE_AHEAD - AHEAD_BATCH + 1 to TRACE_AHEAD
 * ahead when their loads start. */
#define AHEAD_BATCH 8u

/* A binary trace's name (one of the reader's table) when it is the id of
 * the engine's last object: compared once. */
static const void *bin_obj(struct trace_ahead *a, const struct swapctl_engine *e, const char *id)
{
	const struct pobj *o = e->last_obj;

	if (!o || !id)
		return NULL;
	if (a->bin_named == id && a->bin_is == o)
		return o;
	if (strcmp(o->id, id))
		return NULL;
	a->bin_named = id;
	a->bin_is = o;
	return o;
}

/* The engine's last object when it is the one the reader's current name
 * names: compared once per name and last object (object numbers are never
 * reused, addresses may be). */
static const struct pobj *text_obj(struct trace_ahead *a, const struct swapctl_trace *t, const struct swapctl_engine *e)
{
	const struct pobj *o = e->last_obj;

	if (!o)
		return NULL;
	if (a->obj_num == o->num && a->obj_gen == t->idgen)
		return o;
	if (strcmp(o->id, t->id[0]))
		return NULL;
	a->obj_gen = t->idgen;
	a->obj_num = o->num;
	return o;
}

/* A binary trace: the next record after the ring, 1 added, 0 none there
 * yet.  Its loads that need no other start now (stage 0). */
static int look_bin(struct swapctl_trace *t, const struct swapctl_engine *e)
{
	struct trace_ahead *a = &t->ahead;
	size_t at = (size_t)(a->at - t->consumed);
	unsigned k = (a->first + a->n) % TRACE_AHEAD;
	const void *obj;
	uint64_t idx = 0;

	if (!trace_bin_peek(t, &at, &a->bin_obj, &idx))
		return 0;
	obj = bin_obj(a, e, a->bin_obj);
	a->flags[k] = 0;
	a->n++;
	a->at = t->consumed + at;
	a->end[k] = a->at;
	a->idx[k] = idx;
	a->obj[k] = obj;
	if (obj)
		a->hint[k] = ram_prefetch_far(e, obj, idx);
	return 1;
}

/* A text trace: the lines after the ring, decoded in one batch straight
 * into it (trace_text_look); the decoded accesses name the reader's
 * current name, so its object is found once for them all.  Their loads
 * that need no other start now (stage 0). */
static void look_text(struct swapctl_trace *t, const struct swapctl_engine *e)
{
	struct trace_ahead *a = &t->ahead;
	unsigned i = a->n, n = trace_text_look(t, TRACE_AHEAD - a->n);
	const struct pobj *obj;

	if (!n)
		return;
	obj = text_obj(a, t, e);
	for (; i < a->n; i++) {
		unsigned k = (a->first + i) % TRACE_AHEAD;

		if (obj && a->flags[k] & AHEAD_DECODED) {
			a->obj[k] = obj;
			a->objnum[k] = obj->num;
			a->hint[k] = ram_prefetch_far(e, obj, a->idx[k]);
		} else {
			a->obj[k] = NULL;
			a->objnum[k] = 0;
		}
	}
	/* the text further on, for the next batch */
	__builtin_prefetch(t->buf + (a->at - t->consumed) + 512);
}

/* The near stage for the n-th event after the one applied next, when it
 * is an access to the engine's last object (the one it was looked at for). */
static inline __attribute__((always_inline)) void stage(struct trace_ahead *a, const struct swapctl_engine *e, unsigned n)
{
	unsigned k = (a->first + n) % TRACE_AHEAD;

	if (n < a->n && a->obj[k] && a->obj[k] == e->last_obj)
		ram_prefetch_near(e, e->last_obj, a->idx[k], a->hint[k]);
}

void trace_ahead(struct swapctl_trace *t, const struct swapctl_engine *e)
{
	struct trace_ahead *a = &t->ahead;
	uint64_t pos = t->consumed + t->pos;

	if (t->stream || !t->header)
		return;
	/* the events the reader has passed leave the ring */
	while (a->n && a->end[a->first] <= pos) {
		a->head = a->end[a->first];
		a->first = (a->first + 1) % TRACE_AHEAD;
		a->n--;
	}
	if (a->at < pos) {
		a->n = 0;
		a->head = a->at = pos;
		a->bin_obj = t->last_obj;
	}
	if (t->binary) {
		while (a->n < TRACE_AHEAD && look_bin(t, e))
			;
	} else if (a->n <= TRACE_AHEAD - AHEAD_BATCH) {
		look_text(t, e);
	}
	stage(a, e, STAGE1);
}

/* stage() in the replay's loop, where the engine's last object is o and
 * the ring's first and n are the loop's. */
static inline __attribute__((always_inline)) void stage_last(struct trace_ahead *a, const struct swapctl_engine *e,
							     const struct pobj *o, unsigned first, unsigned ahead,
							     unsigned n)
{
	unsigned k = (first + n) % TRACE_AHEAD;

	if (n < ahead && a->obj[k] == o)
		ram_prefetch_near(e, o, a->idx[k], a->hint[k]);
}

int trace_ahead_replay(struct swapctl_trace *t, struct swapctl_engine *e)
{
	struct trace_ahead *a = &t->ahead;
	const struct pobj *o = e->last_obj;
	char *buf = t->buf;
	uint64_t onum, base = t->consumed, head = a->head;
	unsigned first = a->first, n = a->n;
	int r = 0;

	/* the reader is where the ring starts; the loop keeps it so (only
	 * the general reader moves the buffer or changes the name) */
	if (t->stream || t->binary || !t->header || t->failed.used || head != base + t->pos || !o)
		return 0;
	/* the ring's and the reader's positions are kept here (the line in
	 * e->ev_line) and stored when the loop ends or a batch is decoded:
	 * nothing the engine does reads them */
	onum = o->num;
	e->ev_line = t->line;
	for (;;) {
		unsigned k = first;

		/* what ahead_access and apply() check: decoded for the
		 * reader's name, for the last object (objnum is not 0 only
		 * for a line decoded for the reader's name: look_text sets
		 * it, trace-text.c's ahead_forget clears it with the flag;
		 * object numbers start at 1; an access leaves the engine's
		 * last object as it is: engine.c sets it in obj_find and
		 * obj_destroy only) */
		if (!n || a->objnum[k] != onum)
			break;
		/* trace_ahead's near stage, for the event 6 after this one
		 * (the ring's batch for it was decoded before) */
		stage_last(a, e, o, k, n, STAGE1 + 1);
		/* taken as ahead_access takes it (ahead_take), and applied as
		 * swapctl_trace_step would: events the engine records name
		 * this line (cleared when the loop ends: nothing in it but
		 * the engine's access reads them) */
		e->ev_text = buf + (head - base);
		e->ev_line++;
		head = a->end[k];
		buf[head - base - 1] = '\0';
		first = (k + 1) % TRACE_AHEAD;
		n--;
		r = engine_access_last(e, a->idx[k], a->count[k],
				       a->flags[k] & AHEAD_WRITE ? SWAPCTL_WRITE : SWAPCTL_READ);
		if (r < 0) {
			/* (slot k is read again: kept over the call, its
			 * fields would be stored and loaded for each access) */
			t->ev = (struct tev){ .op = TEV_ACCESS, .id = t->id[0], .a = a->idx[k], .b = a->count[k],
					      .kind = a->flags[k] & AHEAD_WRITE ? SWAPCTL_WRITE : SWAPCTL_READ,
					      .arg_given = a->flags[k] & AHEAD_GIVEN, .objnum = onum };
			break;
		}
		e->st.events++;
		/* the next batch, once this slot is no longer read */
		if (n <= TRACE_AHEAD - AHEAD_BATCH) {
			a->first = first;
			a->n = n;
			look_text(t, e);
			n = a->n;
		}
	}
	if (head != a->head) {
		a->first = first;
		a->n = n;
		a->head = head;
		t->pos = (size_t)(head - base);
		t->event = e->ev_text;
		t->line = (unsigned)e->ev_line;
	}
	e->ev_line = 0;
	e->ev_text = NULL;
	return r < 0 ? r : 0;
}
