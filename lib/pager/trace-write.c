/*
 * Writing traces: events as text lines or binary records (trace-bin.c has
 * the record layout), for conversion between the forms and for -W.
 *
 * Line numbers survive a conversion: the binary form counts the lines
 * without an event (LINES), the text form gets them back as blank lines,
 * so messages and reports name the same lines in both.  Comments are not
 * kept.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "trace.h"

void trace_writer_init(struct trace_writer *w, FILE *out, bool binary)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->binary = binary;
}

void trace_writer_free(struct trace_writer *w)
{
	size_t i;

	for (i = 0; i < w->nnames; i++)
		free(w->names[i]);
	free(w->names);
	hashmap_free(&w->index);
}

static void put_varint(FILE *f, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;

	do {
		b[n] = (unsigned char)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	fwrite(b, 1, n, f);
}

/* The index of a name, defined (a NAME record) the first time. */
static int name_index(struct trace_writer *w, const char *name, uint64_t *idx)
{
	void *v = hashmap_get(&w->index, name);
	size_t len;
	char *copy;

	if (v) {
		*idx = (uint64_t)(uintptr_t)v - 1;
		return 0;
	}
	if (w->nnames == w->capnames) {
		size_t cap = w->capnames ? w->capnames * 2 : 16;
		char **nv = realloc(w->names, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		w->names = nv;
		w->capnames = cap;
	}
	copy = strdup(name);
	if (!copy || hashmap_put(&w->index, copy, (void *)(uintptr_t)(w->nnames + 1)) < 0) {
		free(copy);
		return -ENOMEM;
	}
	w->names[w->nnames] = copy;
	*idx = w->nnames++;
	len = strlen(name);
	putc(0x10, w->out);
	put_varint(w->out, len);
	fwrite(name, 1, len, w->out);
	return 0;
}

static int put_name(struct trace_writer *w, const char *name)
{
	uint64_t i;
	int r = name_index(w, name, &i);

	if (r == 0)
		put_varint(w->out, i);
	return r;
}

static int put_bin(struct trace_writer *w, const struct tev *ev)
{
	const struct swapctl_dev_opts *o = &ev->dev;
	FILE *f = w->out;
	uint64_t i = 0;
	int r = 0;

	switch (ev->op) {
	case TEV_ACCESS: {
		bool same = w->last_obj && !strcmp(w->last_obj, ev->id);

		if (!same) {
			r = name_index(w, ev->id, &i);
			if (r < 0)
				return r;
			w->last_obj = w->names[i];
		}
		putc((int)(ev->kind & 3) | (ev->arg_given ? 4 : 0) | (same ? 0 : 8), f);
		if (!same)
			put_varint(f, i);
		put_varint(f, ev->a);
		if (ev->arg_given)
			put_varint(f, ev->b);
		return 0;
	}
	case TEV_RAM:
		putc(0x12, f);
		put_varint(f, ev->a);
		return 0;
	case TEV_DEV_ADD:
		r = name_index(w, o->name, &i);
		if (r < 0)
			return r;
		putc(0x13, f);
		put_varint(f, i);
		put_varint(f, o->pages);
		putc((o->prio >= 0 ? 1 : 0) | (o->alloc_given ? 2 : 0) | (o->cluster ? 4 : 0), f);
		if (o->prio >= 0)
			put_varint(f, (uint64_t)o->prio);
		if (o->alloc_given)
			put_varint(f, o->alloc == SWAPCTL_ALLOC_EXTENT);
		if (o->cluster)
			put_varint(f, o->cluster);
		return 0;
	case TEV_COPY:
		/* both names defined before the record */
		if (name_index(w, ev->id, &i) < 0 || name_index(w, ev->id2, &i) < 0)
			return -ENOMEM;
		putc(0x19, f);
		if (put_name(w, ev->id) < 0 || put_name(w, ev->id2) < 0)
			return -ENOMEM;
		put_varint(f, ev->a);
		return 0;
	case TEV_TICK:
		putc(ev->arg_given ? 0x1b : 0x1a, f);
		if (ev->arg_given)
			put_varint(f, ev->a);
		return 0;
	default:
		break;
	}
	/* one name, then maybe a number */
	if (name_index(w, ev->id, &i) < 0)
		return -ENOMEM;
	putc(ev->op == TEV_DEV_DEL ? 0x14 : ev->op == TEV_DEV_PRIO ? 0x15 : ev->op == TEV_OBJ_NEW ? 0x16 :
	     ev->op == TEV_OBJ_RESIZE ? 0x17 : 0x18, f);
	put_varint(f, i);
	if (ev->op != TEV_DEV_DEL && ev->op != TEV_OBJ_DEL)
		put_varint(f, ev->a);
	return 0;
}

int trace_writer_header(struct trace_writer *w, uint64_t pagesize)
{
	if (pagesize > UINT32_MAX)
		return -ERANGE;
	if (w->binary) {
		unsigned char h[TRACE_BIN_HEADER] = { 0 };
		int i;

		memcpy(h, TRACE_BIN_MAGIC, 8);
		h[8] = TRACE_BIN_VERSION;
		for (i = 0; i < 4; i++)
			h[12 + i] = (unsigned char)(pagesize >> (8 * i));
		fwrite(h, 1, sizeof(h), w->out);
		w->line = 0;
	} else {
		fprintf(w->out, pagesize ? "swaptrace 1 pagesize=%llu\n" : "swaptrace 1\n",
			(unsigned long long)pagesize);
		w->line = 1;
	}
	return 0;
}

/* Write the event found at line (its number in the trace it comes from):
 * 0, -ENOMEM, -EIO, or -E2BIG for an event too long for a text line. */
int trace_writer_event(struct trace_writer *w, const struct tev *ev, unsigned line)
{
	if (line > w->line + 1) {
		unsigned skip = line - w->line - 1;

		if (w->binary) {
			putc(0x11, w->out);
			put_varint(w->out, skip);
		} else {
			/* a binary trace may count billions: stop when
			 * nothing takes them */
			for (; skip; skip--)
				if (putc('\n', w->out) == EOF || (skip % 65536 == 0 && ferror(w->out)))
					return -EIO;
		}
		w->line = line - 1;
	}
	w->line++;
	if (w->binary)
		return put_bin(w, ev);
	if (trace_render(ev, w->text, sizeof(w->text)) > TRACE_LINE_MAX)
		return -E2BIG;
	fputs(w->text, w->out);
	putc('\n', w->out);
	return 0;
}

SWAPCTL_EXPORT int swapctl_trace_convert(struct swapctl_ctx *ctx, FILE *in, const char *name, FILE *out,
					 enum swapctl_trace_form form)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_trace *t;
	struct trace_writer w;
	int r;

	r = swapctl_trace_open(ctx, in, name, &t);
	if (r < 0)
		return r;
	trace_writer_init(&w, out, form == SWAPCTL_TRACE_BINARY);
	while ((r = trace_next(t)) > 0) {
		if (t->ev.op == TEV_HEADER)
			r = trace_writer_header(&w, t->ev.a);
		else
			r = trace_writer_event(&w, &t->ev, t->line);
		if (r == -E2BIG)
			r = trace_bad(t, "the event is longer than a text line (%d bytes)", TRACE_LINE_MAX);
		else if (r < 0)
			r = swapctl_fail_system(ctx, -r, "%s: cannot convert", t->name);
		if (r < 0)
			break;
	}
	if (r == 0 && (fflush(out) != 0 || ferror(out)))
		r = swapctl_fail_system(ctx, EIO, "%s: cannot write the converted trace", t->name);
	trace_writer_free(&w);
	swapctl_trace_close(t);
	return r;
}
