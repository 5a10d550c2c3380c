/*
 * Traces inside the library: the reader state shared by the text and the
 * binary form (swaptrace(5)), and the event both forms decode to, so that
 * one apply() gives both the same replay and one writer converts either.
 *
 *   trace-input.c  the input buffer, messages for bad input, an event as text
 *   trace.c        open, close, step: form detection, apply, messages
 *   trace-text.c   the text form: lines -> events
 *   trace-bin.c    the binary form: records -> events, events -> records
 *   trace-ahead.c  the events after the one applied, for the engine's prefetches
 *   trace-write.c  writing events in either form (conversion, -W)
 */
#ifndef SWAPCTL_TRACE_H
#define SWAPCTL_TRACE_H

#include <stdio.h>
#include "pager.h"

/* The longest text line read (newline excluded): no valid event comes near
 * it, and an endless line must not take all memory (swaptrace(5)).  Names
 * in the binary form are limited to it too, so both forms hold the same
 * traces. */
#define TRACE_LINE_MAX 4096

enum tev_op {
	TEV_HEADER,             /* a: page size, 0 when not given */
	TEV_ACCESS,             /* kind, id, a index, b count */
	TEV_RAM,                /* a pages */
	TEV_DEV_ADD,            /* dev (dev.name == id) */
	TEV_DEV_DEL,            /* id */
	TEV_DEV_PRIO,           /* id, a priority */
	TEV_OBJ_NEW,            /* id, a pages */
	TEV_OBJ_RESIZE,         /* id, a pages */
	TEV_OBJ_DEL,            /* id */
	TEV_COPY,               /* id src, id2 dst, a offset */
	TEV_TICK,               /* a steps */
};

/* One event of a trace, decoded; names are NUL-terminated and stay valid
 * until the next event is read. */
struct tev {
	enum tev_op op;
	enum swapctl_access kind;
	bool arg_given;         /* the count of an access, the steps of a tick */
	const char *id, *id2;
	uint64_t a, b;
	struct swapctl_dev_opts dev;
	/* an access the lookahead decoded: the number (pobj.num, never
	 * reused) of the engine's object its name named then, else 0 */
	uint64_t objnum;
};

/* Binary form: the file starts with these 8 bytes (the first is not text,
 * so a text trace can never be taken for one), a version byte, 3 zero
 * bytes and the page size (32-bit little-endian, 0: not given). */
#define TRACE_BIN_MAGIC "\x89SWTRACE"
#define TRACE_BIN_HEADER 16
#define TRACE_BIN_VERSION 1

struct tbin_names {
	char **v;
	size_t n, cap;
};

/*
 * The lookahead (trace-ahead.c): the events after the one being applied,
 * looked at in the buffer so the engine can prefetch what they will touch.
 * A ring of the next TRACE_AHEAD events, each with the offset where it
 * ends, its first page and its object (a tag, compared with the engine's
 * last object, never used).  A text access line to the reader's current
 * name in the one-pass syntax is decoded whole (AHEAD_DECODED): the reader
 * takes it from the ring instead of reading the line again: when the
 * reader's name changes, the ring's lines lose AHEAD_DECODED (they were
 * checked against the name before).
 */
#define TRACE_AHEAD 16u
#define AHEAD_DECODED 1u        /* text: the access below, checked as the reader would */
#define AHEAD_WRITE 2u          /* its kind: w, else r */
#define AHEAD_GIVEN 4u          /* its COUNT was written */
struct trace_ahead {
	uint64_t end[TRACE_AHEAD];      /* input offset after the event */
	uint64_t idx[TRACE_AHEAD];      /* its first page */
	uint64_t count[TRACE_AHEAD];    /* decoded: its pages */
	const void *obj[TRACE_AHEAD];   /* the engine's object it names, or NULL */
	uint64_t objnum[TRACE_AHEAD];   /* decoded: that object's number, or 0 */
	struct ram_hint hint[TRACE_AHEAD];      /* ram_prefetch_far's, for near */
	uint8_t flags[TRACE_AHEAD];     /* AHEAD_* */
	unsigned first, n;              /* the ring: n entries from first */
	uint64_t head;                  /* input offset where the first one starts */
	uint64_t at;                    /* input offset of the next one to look at */
	uint32_t obj_gen;               /* text: object obj_num names the reader's name of idgen obj_gen */
	uint64_t obj_num;
	const char *bin_obj;            /* binary: the object of the last access seen */
	const char *bin_named;          /* binary: a name found to be bin_is's id */
	const void *bin_is;
};

struct swapctl_trace {
	struct swapctl_ctx *ctx;
	FILE *f;
	char name[256];
	unsigned line;
	bool header;
	bool detected;          /* the form is known */
	bool binary;
	bool stream;            /* a pipe or terminal: read as data comes */
	/* input, read in blocks: the unread bytes are buf[pos, len) */
	char *buf;
	size_t cap, pos, len;
	uint64_t consumed;      /* bytes before buf[0] (binary offsets) */
	uint64_t rec_off;       /* offset of the record being decoded */
	bool eof;
	bool toolong;           /* the next line is longer than TRACE_LINE_MAX */
	/* the last event, as written (text) or rendered on demand (binary) */
	const char *event;
	char *evbuf;
	struct tev ev;
	/* text: NUL-terminated copies of the names of the last event; the
	 * first is kept from event to event (traces name one object often) */
	char id[2][TRACE_LINE_MAX + 1];
	size_t idlen;
	uint32_t idgen;         /* changes with id[0] (the lookahead's decodes are for one) */
	uint64_t idword, idmask;        /* id[0] and a blank as a word, when shorter than 8 (else mask 0) */
	uint64_t lineword, linemask;    /* "r ", id[0] and a blank as a word, when shorter than 6 (else mask 0) */
	/* binary: the name table, the object of the last access */
	struct tbin_names names;
	const char *last_obj;
	struct hashmap failed;          /* objects whose creation was refused */
	struct trace_ahead ahead;
};

__attribute__((format(printf, 2, 3)))
int trace_bad(struct swapctl_trace *t, const char *fmt, ...);

/* Where the trace is: "NAME:LINE", or "NAME: offset N (line L)" (binary). */
void trace_where(const struct swapctl_trace *t, char *buf, size_t size);
/* Read a block after the unread bytes (see trace-input.c); 0 or -ENOMEM. */
int trace_fill(struct swapctl_trace *t);

/* The next event: 1 read into t->ev, 0 at the end, or a negative error with
 * the message set.  The header comes first, as TEV_HEADER. */
int trace_text_next(struct swapctl_trace *t);
int trace_bin_next(struct swapctl_trace *t);

/* Detect the form on the first call, then the next event (as above). */
int trace_next(struct swapctl_trace *t);

/* For the lookahead, text: the lines after the ring's last (at most max,
 * and only lines the buffer holds whole) added to the ring, a->at moved
 * past them: an access line to the reader's current name (id[0]) that the
 * reader's one-pass path would read decoded (idx, count, AHEAD_* flags:
 * the reader may take it as it is while that name is its current one; a
 * new name clears the flag in the ring), any other line with flags 0
 * (looked at no further: the reader reads it).  Only the ring changes;
 * the caller sets obj, objnum and hint.  Returns the lines added.
 * Binary: the record at buf[*at] when it is an access whole in the
 * buffer: 1, *at moved past it, *idx its page and *id updated when it
 * names its object (the caller keeps the last one: records that do not
 * name it are for the one before; the reader decodes every record
 * again); else 0. */
unsigned trace_text_look(struct swapctl_trace *t, unsigned max);
int trace_bin_peek(const struct swapctl_trace *t, size_t *at, const char **id, uint64_t *idx);
/* Prefetch for the events after the one just read (trace-ahead.c). */
void trace_ahead(struct swapctl_trace *t, const struct swapctl_engine *e);
/* The text accesses the lookahead decoded, applied one after another
 * from the ring's head while each is one swapctl_trace_step would apply to
 * the engine's last object (same order, prefetches, line, event text and
 * counts), without its per-event bookkeeping: 0 when the next event is for
 * swapctl_trace_step, or the engine's error (t->line and t->ev name the
 * access; the caller adds the position to the message). */
int trace_ahead_replay(struct swapctl_trace *t, struct swapctl_engine *e);
/* Take the ring's head k, a decoded line, as the reader's event: the
 * reader moves past it (its newline, never the sentinel, ends the event
 * text) and it leaves the ring.  Its fields stay readable until the next
 * batch is decoded.  For trace-text.c's ahead_access; trace_ahead_replay
 * does the same with the positions in its locals. */
static inline void ahead_take(struct swapctl_trace *t, unsigned k)
{
	struct trace_ahead *a = &t->ahead;

	t->event = t->buf + t->pos;
	a->head = a->end[k];
	t->pos = (size_t)(a->head - t->consumed);
	t->buf[t->pos - 1] = '\0';
	t->line++;
	a->first = (k + 1) % TRACE_AHEAD;
	a->n--;
}

/* Writing events in either form (trace-write.c). */
struct trace_writer {
	FILE *out;
	bool binary;
	unsigned line;                  /* lines written */
	struct hashmap index;           /* binary: name -> its index + 1 */
	char **names;
	size_t nnames, capnames;
	const char *last_obj;           /* binary: the object of the last access */
	char text[2 * TRACE_LINE_MAX + 64];
};
void trace_writer_init(struct trace_writer *w, FILE *out, bool binary);
void trace_writer_free(struct trace_writer *w);
int trace_writer_header(struct trace_writer *w, uint64_t pagesize);
int trace_writer_event(struct trace_writer *w, const struct tev *ev, unsigned line);

/* A text line (NUL-terminated, without newline) as an event in t->ev:
 * 1, 0 for a line without one, or a negative error. */
int trace_text_parse(struct swapctl_trace *t, char *line);

/* An event as text, without newline, into buf (at most size bytes, NUL
 * included): the length it needs. */
size_t trace_render(const struct tev *ev, char *buf, size_t size);

#endif
