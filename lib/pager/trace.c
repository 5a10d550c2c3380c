/*
 * swaptrace 1: read a trace, text or binary (told apart by the binary
 * form's magic), and apply it to an engine, one event at a time.
 *
 * A malformed line or record stops the trace with "NAME:LINE: reason" (text)
 * or "NAME: offset N (line L): reason" (binary); nothing is guessed.  What
 * the simulated system refuses is an outcome, not an error: a reservation
 * that cannot be met (the object is then skipped by later events), a resize
 * that cannot be reserved, a swapoff that runs out of memory, pages that
 * cannot go out or come in; the engine counts them, the last three as
 * events that name this line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "trace.h"

SWAPCTL_EXPORT int swapctl_trace_open(struct swapctl_ctx *ctx, FILE *f, const char *name,
				      struct swapctl_trace **out)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_trace *t = calloc(1, sizeof(*t));
	struct stat st;
	int fd;

	if (!t)
		return -ENOMEM;
	t->ctx = swapctl_ref(ctx);
	t->f = f;
	/* block reads wait for a whole block, which a pipe may take its time
	 * to fill: events from a pipe or terminal are read as they come */
	fd = f ? fileno(f) : -1;
	t->stream = fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode);
	snprintf(t->name, sizeof(t->name), "%s", name ? name : "trace");
	t->event = "";
	*out = t;
	return 0;
}

SWAPCTL_EXPORT void swapctl_trace_close(struct swapctl_trace *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->failed.size; i++)
		if (t->failed.v[i].hash)
			free(t->failed.v[i].val);
	hashmap_free(&t->failed);
	for (i = 0; i < t->names.n; i++)
		free(t->names.v[i]);
	free(t->names.v);
	free(t->evbuf);
	free(t->buf);
	swapctl_unref(t->ctx);
	free(t);
}

SWAPCTL_EXPORT unsigned swapctl_trace_line(const struct swapctl_trace *t)
{
	return t->line;
}

/* The binary form has no text: the event is rendered when asked for. */
static const char *event_text(struct swapctl_trace *t)
{
	size_t n;

	if (!t->binary || t->event)
		return t->event ? t->event : "";
	n = trace_render(&t->ev, NULL, 0) + 1;
	free(t->evbuf);
	t->evbuf = malloc(n);
	if (!t->evbuf)
		return "";
	trace_render(&t->ev, t->evbuf, n);
	t->event = t->evbuf;
	return t->event;
}

SWAPCTL_EXPORT const char *swapctl_trace_event(const struct swapctl_trace *t)
{
	/* rendering is a cache fill, not a change of the trace */
	return event_text((struct swapctl_trace *)t);
}

/* An engine error, with the trace position in front of its message and
 * the class the engine gave it (an event the trace cannot have, such as a
 * page outside its object or an unknown or duplicate name, is bad input
 * like a malformed line). */
static int engine_err(struct swapctl_trace *t, int r)
{
	enum swapctl_errclass cls = swapctl_errclass(t->ctx);
	char msg[1024], pos[320];

	/* an error without a message (out of memory): the message cleared
	 * before the event is not an older one's */
	if (!t->ctx->errmsg[0])
		cls = SWAPCTL_E_SYSTEM;
	snprintf(msg, sizeof(msg), "%s", t->ctx->errmsg[0] ? t->ctx->errmsg : strerror(-r));
	trace_where(t, pos, sizeof(pos));
	return swapctl_fail_class(t->ctx, cls, -r, "%s: %s", pos, msg);
}

/* Whether the creation of object id was refused (later events skip it). */
static bool failed(const struct swapctl_trace *t, const char *id)
{
	return t->failed.used && hashmap_get(&t->failed, id);
}

static int obj_new(struct swapctl_trace *t, struct swapctl_engine *e, const struct tev *ev)
{
	int r;

	if (failed(t, ev->id))
		return 0;
	if (ev->op == TEV_OBJ_NEW)
		r = swapctl_engine_obj_new(e, ev->id, ev->a);
	else
		r = swapctl_engine_obj_resize(e, ev->id, ev->a);
	if (r == -ENOMEM && ev->op == TEV_OBJ_NEW) {
		char *id = strdup(ev->id);

		if (!id || hashmap_put(&t->failed, id, id) < 0)
			free(id);
		return 0;
	}
	return r < 0 && r != -ENOMEM ? engine_err(t, r) : 0;
}

static int apply(struct swapctl_trace *t, struct swapctl_engine *e, const struct tev *ev)
{
	int r = 0;

	switch (ev->op) {
	case TEV_ACCESS:
		if (failed(t, ev->id))
			return 0;
		/* the object the lookahead found for the name, when it is
		 * still the engine's last */
		if (ev->objnum && e->last_obj && e->last_obj->num == ev->objnum)
			r = engine_access_last(e, ev->a, ev->b, ev->kind);
		else
			r = swapctl_engine_access(e, ev->id, ev->a, ev->b, ev->kind);
		break;
	case TEV_RAM:
		r = swapctl_engine_set_ram(e, ev->a);
		break;
	case TEV_DEV_ADD:
		r = swapctl_engine_dev_add(e, &ev->dev);
		break;
	case TEV_DEV_DEL:
		r = swapctl_engine_dev_del(e, ev->id);
		if (r == -ENOMEM)
			r = 0;          /* a failed swapoff: counted, the device stays */
		break;
	case TEV_DEV_PRIO:
		r = swapctl_engine_dev_prio(e, ev->id, (int)ev->a);
		break;
	case TEV_OBJ_NEW:
	case TEV_OBJ_RESIZE:
		return obj_new(t, e, ev);
	case TEV_OBJ_DEL:
		if (failed(t, ev->id)) {
			free(hashmap_del(&t->failed, ev->id));
			return 0;
		}
		r = swapctl_engine_obj_del(e, ev->id);
		break;
	case TEV_COPY:
		if (failed(t, ev->id) || failed(t, ev->id2))
			return 0;
		r = swapctl_engine_copy(e, ev->id, ev->id2, ev->a);
		break;
	case TEV_TICK:
		if (ev->a > UINT64_MAX - swapctl_engine_clock(e))
			return trace_bad(t, "tick %llu: the clock (now %llu) would pass 2^64 - 1",
					 (unsigned long long)ev->a, (unsigned long long)swapctl_engine_clock(e));
		swapctl_engine_tick(e, ev->a);
		break;
	case TEV_HEADER:
		break;
	}
	return r < 0 ? engine_err(t, r) : 0;
}

/*
 * Which form: the binary magic's first byte is never the start of a text
 * trace.  Files are read in blocks, the first one here; from a pipe one
 * byte is looked at and put back.
 */
static int detect(struct swapctl_trace *t)
{
	int c;

	if (t->stream) {
		c = getc(t->f);
		if (c == EOF)
			return 0;
		if (ungetc(c, t->f) == EOF)
			return swapctl_fail_system(t->ctx, EIO, "%s: cannot read", t->name);
		t->binary = c == (unsigned char)TRACE_BIN_MAGIC[0];
		return 0;
	}
	if (trace_fill(t) < 0)
		return swapctl_fail_system(t->ctx, ENOMEM, "%s: cannot buffer the trace", t->name);
	t->binary = t->len > 0 && (unsigned char)t->buf[0] == (unsigned char)TRACE_BIN_MAGIC[0];
	return 0;
}

/* trace_next, inline for the replay's loop (swapctl_trace_step). */
static inline int next_event(struct swapctl_trace *t)
{
	int r;

	if (!t->detected) {
		r = detect(t);
		if (r < 0)
			return r;
		t->detected = true;
	}
	t->event = NULL;
	t->ev.objnum = 0;
	return t->binary ? trace_bin_next(t) : trace_text_next(t);
}

int trace_next(struct swapctl_trace *t)
{
	return next_event(t);
}

SWAPCTL_EXPORT int swapctl_trace_step(struct swapctl_trace *t, struct swapctl_engine *e)
{
	SWAPCTL_ENTER(t->ctx);
	size_t nevents;
	int r;

	for (;;) {
		r = next_event(t);
		if (r <= 0)
			return r;
		if (t->ev.op == TEV_HEADER) {
			if (t->ev.a && t->ev.a != e->o.pagesize)
				return trace_bad(t, "pagesize=%llu does not match the engine's page size",
						 (unsigned long long)t->ev.a);
			continue;
		}
		break;
	}
	trace_ahead(t, e);
	/* events the engine records name this line */
	t->ctx->errmsg[0] = '\0';
	e->ev_line = t->line;
	e->ev_text = t->event;
	nevents = e->nevents;
	r = apply(t, e, &t->ev);
	e->ev_line = 0;
	e->ev_text = NULL;
	/* a binary event has its text made only when something wants it */
	if (t->binary && e->nevents != nevents) {
		const char *text = event_text(t);
		size_t i;

		for (i = e->nevents; i > 0 && e->events[i - 1].line == t->line; i--)
			snprintf(e->events[i - 1].text, sizeof(e->events[i - 1].text), "%s", text);
	}
	if (r < 0)
		return r;
	e->st.events++;
	return 1;
}

SWAPCTL_EXPORT int swapctl_trace_replay(struct swapctl_ctx *ctx, FILE *f, const char *name,
					struct swapctl_engine *e)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_trace *t;
	int r;

	r = swapctl_trace_open(ctx, f, name, &t);
	if (r < 0)
		return r;
	/* the general step, and between its events the runs of decoded
	 * accesses the lookahead applies itself */
	while ((r = swapctl_trace_step(t, e)) > 0) {
		r = trace_ahead_replay(t, e);
		if (r < 0) {
			r = engine_err(t, r);
			break;
		}
	}
	swapctl_trace_close(t);
	return r;
}
