/*
 * The bottom of the trace files: what both readers and the writer share
 * and nothing above them calls back into: the input buffer, the message
 * for a malformed event (where it is, in either form), and an event
 * rendered as its text line.  trace-text.c, trace-bin.c, trace.c and
 * trace-write.c all stand on it, so none of them depends on another in a
 * circle.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "trace.h"

/* "NAME:LINE" for text, "NAME: offset N (line L)" for the binary form (the
 * line of its text form; none before the first). */
void trace_where(const struct swapctl_trace *t, char *buf, size_t size)
{
	if (t->binary && !t->line)
		snprintf(buf, size, "%s: offset %llu", t->name, (unsigned long long)t->rec_off);
	else if (t->binary)
		snprintf(buf, size, "%s: offset %llu (line %u)", t->name, (unsigned long long)t->rec_off, t->line);
	else
		snprintf(buf, size, "%s:%u", t->name, t->line);
}

int trace_bad(struct swapctl_trace *t, const char *fmt, ...)
{
	char msg[512], pos[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	trace_where(t, pos, sizeof(pos));
	return swapctl_fail_class(t->ctx, SWAPCTL_E_INVALID, EINVAL, "%s: %s", pos, msg);
}

/*
 * Make room for at least a block after the unread bytes and read it.  The
 * byte after the data is a newline, the text scanner's sentinel, and 8
 * more bytes are there, zero, so that a word can be loaded from any byte
 * of the data (the text reader's numbers).  0 or -ENOMEM; t->eof once
 * nothing more comes.
 */
int trace_fill(struct swapctl_trace *t)
{
	size_t got;

	if (t->pos && t->pos < t->len)
		memmove(t->buf, t->buf + t->pos, t->len - t->pos);
	t->consumed += t->pos;
	t->len -= t->pos;
	t->pos = 0;
	if (t->cap - t->len < 65536 + 1) {
		size_t cap = t->cap ? t->cap * 2 : 262144;
		char *b = realloc(t->buf, cap);

		if (!b)
			return -ENOMEM;
		t->buf = b;
		t->cap = cap;
	}
	got = fread(t->buf + t->len, 1, t->cap - t->len - 9, t->f);
	t->len += got;
	t->buf[t->len] = '\n';
	memset(t->buf + t->len + 1, 0, 8);
	if (got == 0)
		t->eof = true;
	return 0;
}

/* An event as its line of the text form. */
size_t trace_render(const struct tev *ev, char *buf, size_t size)
{
	static const char *const kinds[] = { "r", "w", "out", "free" };
	const struct swapctl_dev_opts *o = &ev->dev;
	unsigned long long a = ev->a, b = ev->b;
	int n = 0, m;

	switch (ev->op) {
	case TEV_ACCESS:
		if (ev->arg_given)
			n = snprintf(buf, size, "%s %s %llu %llu", kinds[ev->kind & 3], ev->id, a, b);
		else
			n = snprintf(buf, size, "%s %s %llu", kinds[ev->kind & 3], ev->id, a);
		break;
	case TEV_RAM:
		n = snprintf(buf, size, "ram %llu", a);
		break;
	case TEV_DEV_ADD:
		n = snprintf(buf, size, "dev add %s %llu", o->name, (unsigned long long)o->pages);
		if (o->prio >= 0) {
			m = snprintf(buf ? buf + n : NULL, size > (size_t)n ? size - (size_t)n : 0, " prio=%d", o->prio);
			n += m;
		}
		if (o->alloc_given) {
			m = snprintf(buf ? buf + n : NULL, size > (size_t)n ? size - (size_t)n : 0, " alloc=%s",
				     o->alloc == SWAPCTL_ALLOC_EXTENT ? "extent" : "blist");
			n += m;
		}
		if (o->cluster) {
			m = snprintf(buf ? buf + n : NULL, size > (size_t)n ? size - (size_t)n : 0, " cluster=%u",
				     o->cluster);
			n += m;
		}
		break;
	case TEV_DEV_DEL:
		n = snprintf(buf, size, "dev del %s", ev->id);
		break;
	case TEV_DEV_PRIO:
		n = snprintf(buf, size, "dev prio %s %llu", ev->id, a);
		break;
	case TEV_OBJ_NEW:
		n = snprintf(buf, size, "obj new %s %llu", ev->id, a);
		break;
	case TEV_OBJ_RESIZE:
		n = snprintf(buf, size, "obj resize %s %llu", ev->id, a);
		break;
	case TEV_OBJ_DEL:
		n = snprintf(buf, size, "obj del %s", ev->id);
		break;
	case TEV_COPY:
		n = snprintf(buf, size, "copy %s %s %llu", ev->id, ev->id2, a);
		break;
	case TEV_TICK:
		n = ev->arg_given ? snprintf(buf, size, "tick %llu", a) : snprintf(buf, size, "tick");
		break;
	case TEV_HEADER:
		n = a ? snprintf(buf, size, "swaptrace 1 pagesize=%llu", a) : snprintf(buf, size, "swaptrace 1");
		break;
	}
	return n > 0 ? (size_t)n : 0;
}
