/*
 * The binary form of swaptrace 1 (swaptrace(5)): records -> events.
 *
 * After the 16-byte header, each record is an op byte and its operands:
 * numbers as LEB128 varints (7 bits a byte, low first), names as indexes
 * into a table the NAME records fill in order.  An access names its object
 * only when it changes, so a typical one is 2 to 4 bytes.
 *
 *   0x00-0x0f  access: bits 0-1 the kind (r w out free), bit 2 a count
 *              follows the index, bit 3 the object comes first (else the
 *              last access's); [object] index [count]
 *   0x10 NAME len bytes     0x11 LINES n (lines without an event)
 *   0x12 RAM pages          0x13 DEV_ADD name pages flags [prio] [alloc] [cluster]
 *   0x14 DEV_DEL name       0x15 DEV_PRIO name prio
 *   0x16 OBJ_NEW name pages 0x17 OBJ_RESIZE name pages  0x18 OBJ_DEL name
 *   0x19 COPY src dst offset
 *   0x1a TICK               0x1b TICK_N n
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "trace.h"

/* the next byte; -1 at the end of the input, -2 out of memory */
static int refill_byte(struct swapctl_trace *t)
{
	int c;

	if (t->stream) {
		/* a byte at a time: a record is used as soon as it is whole */
		c = getc(t->f);
		if (c == EOF) {
			t->eof = true;
			return -1;
		}
		t->consumed++;
		return c;
	}
	if (t->eof)
		return -1;
	if (trace_fill(t) < 0)
		return -2;
	return t->pos < t->len ? (unsigned char)t->buf[t->pos++] : -1;
}

static inline int rd_byte(struct swapctl_trace *t)
{
	if (t->pos < t->len)
		return (unsigned char)t->buf[t->pos++];
	return refill_byte(t);
}

static int short_read(struct swapctl_trace *t, int c)
{
	if (c == -2)
		return swapctl_fail_system(t->ctx, ENOMEM, "%s: cannot buffer the trace", t->name);
	if (ferror(t->f))
		return swapctl_fail_system(t->ctx, EIO, "%s: read error at offset %llu", t->name,
				    (unsigned long long)(t->consumed + t->pos));
	return trace_bad(t, "truncated record (the file ends at offset %llu)",
			 (unsigned long long)(t->consumed + t->pos));
}

static int varint(struct swapctl_trace *t, uint64_t *v)
{
	uint64_t x = 0;
	unsigned shift = 0;
	int c;

	for (;;) {
		c = rd_byte(t);
		if (c < 0)
			return short_read(t, c);
		if (shift == 63 && c > 1)
			return trace_bad(t, "a number larger than 2^64 - 1");
		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			break;
		shift += 7;
	}
	*v = x;
	return 0;
}

static int name_ref(struct swapctl_trace *t, const char **name)
{
	uint64_t i;

	if (varint(t, &i) < 0)
		return -EINVAL;
	if (i >= t->names.n)
		return trace_bad(t, "name %llu is not defined (%zu are)", (unsigned long long)i, t->names.n);
	*name = t->names.v[i];
	return 0;
}

/* NAME: a token of the text form, 1 to TRACE_LINE_MAX bytes. */
static int name_def(struct swapctl_trace *t)
{
	uint64_t len, i;
	char *s;
	int c;

	if (varint(t, &len) < 0)
		return -EINVAL;
	if (len == 0 || len > TRACE_LINE_MAX)
		return trace_bad(t, "a name of %llu bytes (1 to %d)", (unsigned long long)len, TRACE_LINE_MAX);
	if (t->names.n == t->names.cap) {
		size_t cap = t->names.cap ? t->names.cap * 2 : 16;
		char **v = realloc(t->names.v, cap * sizeof(*v));

		if (!v)
			return swapctl_fail_system(t->ctx, ENOMEM, "%s: cannot keep the names", t->name);
		t->names.v = v;
		t->names.cap = cap;
	}
	s = malloc(len + 1);
	if (!s)
		return swapctl_fail_system(t->ctx, ENOMEM, "%s: cannot keep the names", t->name);
	for (i = 0; i < len; i++) {
		c = rd_byte(t);
		if (c < 0) {
			free(s);
			return short_read(t, c);
		}
		if (!c || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '#') {
			free(s);
			return trace_bad(t, "a name with byte 0x%02x (blanks, '#' and NUL cannot be in names)", c);
		}
		s[i] = (char)c;
	}
	s[len] = '\0';
	t->names.v[t->names.n++] = s;
	return 0;
}

static int header(struct swapctl_trace *t)
{
	unsigned char h[TRACE_BIN_HEADER];
	size_t i;
	int c;

	t->rec_off = 0;
	for (i = 0; i < sizeof(h); i++) {
		c = rd_byte(t);
		if (c < 0) {
			if (c == -1 && !ferror(t->f))
				return trace_bad(t, "truncated header (%zu of %d bytes)", i, TRACE_BIN_HEADER);
			return short_read(t, c);
		}
		h[i] = (unsigned char)c;
	}
	if (memcmp(h, TRACE_BIN_MAGIC, 8))
		return trace_bad(t, "not a swaptrace file (neither text nor the binary magic)");
	if (h[8] != TRACE_BIN_VERSION)
		return trace_bad(t, "binary swaptrace version %u (this reads version %d)", h[8], TRACE_BIN_VERSION);
	if (h[9] || h[10] || h[11])
		return trace_bad(t, "header bytes 9 to 11 are not 0");
	t->ev.op = TEV_HEADER;
	t->ev.a = (uint64_t)h[12] | (uint64_t)h[13] << 8 | (uint64_t)h[14] << 16 | (uint64_t)h[15] << 24;
	t->header = true;
	return 1;
}

static int bounded(struct swapctl_trace *t, uint64_t *v, uint64_t lo, uint64_t hi, const char *what)
{
	if (varint(t, v) < 0)
		return -EINVAL;
	if (*v < lo || *v > hi)
		return trace_bad(t, "%s %llu is not from %llu to %llu", what, (unsigned long long)*v,
				 (unsigned long long)lo, (unsigned long long)hi);
	return 0;
}

static int dev_add(struct swapctl_trace *t)
{
	struct swapctl_dev_opts *o = &t->ev.dev;
	uint64_t v;
	int c;

	memset(o, 0, sizeof(*o));
	o->prio = -1;
	if (name_ref(t, &o->name) < 0 || varint(t, &o->pages) < 0)
		return -EINVAL;
	c = rd_byte(t);
	if (c < 0)
		return short_read(t, c);
	if (c & ~7)
		return trace_bad(t, "device flags 0x%02x (bits 0 to 2 only)", c);
	if (c & 1) {
		if (bounded(t, &v, 0, 32767, "priority") < 0)
			return -EINVAL;
		o->prio = (int)v;
	}
	if (c & 2) {
		if (bounded(t, &v, 0, 1, "allocator") < 0)
			return -EINVAL;
		o->alloc = v ? SWAPCTL_ALLOC_EXTENT : SWAPCTL_ALLOC_BLIST;
		o->alloc_given = true;
	}
	if (c & 4) {
		if (bounded(t, &v, 1, 1024, "cluster") < 0)
			return -EINVAL;
		o->cluster = (unsigned)v;
	}
	t->ev.id = o->name;
	t->ev.op = TEV_DEV_ADD;
	return 1;
}

static int access_rec(struct swapctl_trace *t, int op)
{
	static const enum swapctl_access kinds[] = { SWAPCTL_READ, SWAPCTL_WRITE, SWAPCTL_PAGEOUT,
						     SWAPCTL_DISCARD };
	struct tev *ev = &t->ev;

	if (op & 8) {
		if (name_ref(t, &t->last_obj) < 0)
			return -EINVAL;
	} else if (!t->last_obj) {
		return trace_bad(t, "an access without an object (no access before it named one)");
	}
	ev->b = 1;
	if (varint(t, &ev->a) < 0 || ((op & 4) && varint(t, &ev->b) < 0))
		return -EINVAL;
	if (ev->b == 0)
		return trace_bad(t, "a COUNT of %s pages", "0");
	ev->op = TEV_ACCESS;
	ev->kind = kinds[op & 3];
	ev->arg_given = op & 4;
	ev->id = t->last_obj;
	return 1;
}

static int record(struct swapctl_trace *t, int op)
{
	struct tev *ev = &t->ev;

	switch (op) {
	case 0x12:
		ev->op = TEV_RAM;
		return varint(t, &ev->a) < 0 ? -EINVAL : 1;
	case 0x13:
		return dev_add(t);
	case 0x14:
		ev->op = TEV_DEV_DEL;
		return name_ref(t, &ev->id) < 0 ? -EINVAL : 1;
	case 0x15:
		ev->op = TEV_DEV_PRIO;
		return name_ref(t, &ev->id) < 0 || bounded(t, &ev->a, 0, 32767, "priority") < 0 ? -EINVAL : 1;
	case 0x16:
	case 0x17:
		ev->op = op == 0x16 ? TEV_OBJ_NEW : TEV_OBJ_RESIZE;
		return name_ref(t, &ev->id) < 0 || varint(t, &ev->a) < 0 ? -EINVAL : 1;
	case 0x18:
		ev->op = TEV_OBJ_DEL;
		return name_ref(t, &ev->id) < 0 ? -EINVAL : 1;
	case 0x19:
		ev->op = TEV_COPY;
		return name_ref(t, &ev->id) < 0 || name_ref(t, &ev->id2) < 0 || varint(t, &ev->a) < 0 ? -EINVAL : 1;
	case 0x1a:
		ev->op = TEV_TICK;
		ev->a = 1;
		ev->arg_given = false;
		return 1;
	case 0x1b:
		ev->op = TEV_TICK;
		ev->arg_given = true;
		return varint(t, &ev->a) < 0 ? -EINVAL : 1;
	}
	return trace_bad(t, "unknown record type 0x%02x", op);
}

/* A varint from a buffer known to hold 10 bytes; false when it is larger
 * than 2^64 - 1 (the careful reader says so). */
static inline bool quick_varint(const unsigned char **pp, uint64_t *v)
{
	const unsigned char *p = *pp;
	uint64_t x = 0;
	unsigned shift = 0;
	unsigned char c;

	do {
		c = *p++;
		if (shift == 63 && c > 1)
			return false;
		x |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	*v = x;
	*pp = p;
	return true;
}

/*
 * Nearly every record of a large trace is an access to the object of the
 * one before: decoded here without a bounds check per byte when the block
 * holds the longest such record.  1 read, 0 left to the careful reader.
 */
static int quick_access(struct swapctl_trace *t)
{
	static const enum swapctl_access kinds[] = { SWAPCTL_READ, SWAPCTL_WRITE, SWAPCTL_PAGEOUT,
						     SWAPCTL_DISCARD };
	const unsigned char *p;
	uint64_t a, b = 1;
	int op;

	if (t->len - t->pos < 21 || !t->last_obj || t->line == UINT_MAX)
		return 0;
	p = (const unsigned char *)t->buf + t->pos;
	op = *p++;
	if (op >= 8)
		return 0;
	if (!quick_varint(&p, &a) || ((op & 4) && (!quick_varint(&p, &b) || !b)))
		return 0;
	t->rec_off = t->consumed + t->pos;
	t->pos = (size_t)((const char *)p - t->buf);
	t->line++;
	t->ev.op = TEV_ACCESS;
	t->ev.kind = kinds[op & 3];
	t->ev.arg_given = op & 4;
	t->ev.id = t->last_obj;
	t->ev.a = a;
	t->ev.b = b;
	return 1;
}

int trace_bin_peek(const struct swapctl_trace *t, size_t *at, const char **id, uint64_t *idx)
{
	const unsigned char *p = (const unsigned char *)t->buf + *at;
	uint64_t v;
	int op;

	/* the longest access record: op, name, index, count */
	if (*at > t->len || t->len - *at < 31)
		return 0;
	op = *p++;
	if (op >= 0x10)
		return 0;
	if (op & 8) {
		if (!quick_varint(&p, &v) || v >= t->names.n)
			return 0;
		*id = t->names.v[v];
	}
	if (!quick_varint(&p, idx) || ((op & 4) && !quick_varint(&p, &v)))
		return 0;
	*at = (size_t)((const char *)p - t->buf);
	return 1;
}

int trace_bin_next(struct swapctl_trace *t)
{
	uint64_t n;
	int op, r;

	if (!t->header)
		return header(t);
	if (quick_access(t))
		return 1;
	for (;;) {
		t->rec_off = t->consumed + t->pos;
		op = rd_byte(t);
		if (op == -1 && !ferror(t->f))
			return 0;
		if (op < 0)
			return short_read(t, op);
		if (t->line == UINT_MAX)
			return trace_bad(t, "more than %u lines", UINT_MAX);
		if (op < 0x10) {
			t->line++;
			return access_rec(t, op);
		}
		if (op == 0x10) {
			r = name_def(t);
			if (r < 0)
				return r;
			continue;
		}
		if (op == 0x11) {
			if (varint(t, &n) < 0)
				return -EINVAL;
			if (n >= UINT_MAX - t->line)
				return trace_bad(t, "more than %u lines", UINT_MAX);
			t->line += (unsigned)n;
			continue;
		}
		t->line++;
		return record(t, op);
	}
}
