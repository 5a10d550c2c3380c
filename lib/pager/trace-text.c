/*
 * The text form of swaptrace 1: lines -> events.
 *
 * Each line is scanned once: fields are found as (start, length) without
 * writing into the line, which stays whole as the event's text; keywords
 * are told apart by their first character and length, numbers converted
 * from the field, and object names copied out (for the engine's C strings)
 * only when they change.
 *
 * An access line ("r ID INDEX"), nearly every line of a large trace, has a
 * one-pass path (quick_line): the name compared with the one before as it
 * is scanned (a byte loop: memcmp's wide masked load over the line just
 * written stalled, 7% of a zipf replay), the numbers read a word at a time
 * (up to 7 digits).  The lookahead (trace-ahead.c) runs it on the lines
 * ahead through trace_text_look, which writes the decoded lines straight
 * into the lookahead's ring and changes nothing else; a line it decoded to an
 * access to the reader's current name is taken from its ring when the
 * reader gets there (ahead_access), not scanned again.  A decode holds
 * while id[0] does: a new name takes AHEAD_DECODED off the ring's lines
 * (ahead_forget; it was a generation stored with each line and compared
 * at each take); a name shorter than 8 bytes is compared as one masked
 * word (idword, idmask), and one shorter than 6 with the keyword and the
 * blanks around it as one word of the line (lineword, linemask).  Per
 * event, 1M-event replays: the text path went from 180 instructions to
 * about 150; then, with the second scan gone and the engine's name lookup
 * skipped for a decoded access (trace.c), the whole replay from 1790
 * instructions an event to 1640 (random) and from 1036 to 885 (zipf).
 * The line-start word and the generation's removal (1M events, --cluster
 * 1, cachegrind): trace_text_look 89.2M -> 82.2M instructions, the whole
 * replay 1,012,962,650 -> 1,002,982,905 (random), 585,161,761 ->
 * 575,182,774 (zipf), D1 misses unchanged (8.587M, 3.929M); --json
 * identical to main's on the run.sh traces, -W traces and a trace of 11
 * names from 1 to 9 bytes changing every 20 lines or so.  Then
 * trace_text_look takes "r ID INDEX" with a short current name first,
 * without quick_line's count, length and keyword tests (any other line
 * goes on to quick_line): 998,990,422 -> 991,000,645 (random),
 * 571,190,263 -> 563,201,609 (zipf), D1 misses unchanged.
 * That first test then branched on r or w (x == 0, then x == 5), which
 * a replay writes in no order: a third of the tests mispredicted.  Now
 * r and w are one test (x is wr + wr / 4, wr = x & 4) and the kind is
 * wr / 2; the loop takes up to 7 digits itself and only lines starting
 * 16 bytes or more before the data ends (no end test), and any other
 * line goes to look_other (out of line, so the loop keeps its values in
 * registers).  Callgrind, 1M events, --cluster 1: trace_text_look 74.2M
 * -> 69.4M instructions, its mispredicts 491K -> 136K (random; zipf the
 * same); the whole replay 941,694,191 -> 936,901,807 instructions,
 * 7.95M -> 7.64M mispredicts (random), 542,124,189 -> 537,329,343 and
 * 2.65M -> 2.29M (zipf), D1 misses unchanged.  The r/w test alone,
 * in the old loop (its constants and names spilled around the inlined
 * quick_line), cost 4 to 6 instructions a line more than it saved.
 * Tried after it, whole replay 920,327,321 instructions (random, as
 * above): look_other marked cold, 923.2M; the loop as a function of its
 * own without calls (look_quick, for its registers), 926.9M: it spilled
 * as much, and the call per batch added to that.  Neither kept.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "trace.h"

#define MAX_TOKENS 8

struct tok {
	const char *p;
	size_t n;
};

/* Character classes: a table lookup per character is what keeps reading a
 * trace cheaper than replaying it. */
enum { CH_WORD, CH_BLANK, CH_NL, CH_HASH, CH_NUL };
static const unsigned char ch_class[256] = {
	['\0'] = CH_NUL, ['#'] = CH_HASH, ['\n'] = CH_NL,
	[' '] = CH_BLANK, ['\t'] = CH_BLANK, ['\r'] = CH_BLANK,
};

/*
 * The fields of the line at p, which ends in a newline (its own, or the
 * sentinel after the data): the first MAX_TOKENS kept, all counted.  A
 * comment runs to the newline.  Returns where the newline is.
 */
static char *scan(char *p, struct tok *tok, int *ntok, bool *nul)
{
	unsigned char c;
	int n = 0;

	for (;;) {
		char *s;

		while ((c = ch_class[(unsigned char)*p]) == CH_BLANK)
			p++;
		if (c != CH_WORD)
			break;
		s = p;
		while (ch_class[(unsigned char)*p] == CH_WORD)
			p++;
		if (n < MAX_TOKENS)
			tok[n] = (struct tok){ s, (size_t)(p - s) };
		n++;
	}
	for (; *p != '\n'; p++)
		if (!*p)
			*nul = true;
	*ntok = n;
	return p;
}

/* A line from a pipe or terminal, a character at a time: what has come is
 * used at once, and nothing past the limit is kept.  1, 0 at the end. */
static int stream_line(struct swapctl_trace *t, size_t *len)
{
	size_t n = 0;
	int c = 0;

	if (!t->buf) {
		t->buf = malloc(TRACE_LINE_MAX + 2);
		if (!t->buf)
			return -ENOMEM;
		t->cap = TRACE_LINE_MAX + 2;
	}
	flockfile(t->f);
	while ((c = getc_unlocked(t->f)) != EOF && c != '\n') {
		if (n == TRACE_LINE_MAX) {
			t->toolong = true;
			break;
		}
		t->buf[n++] = (char)c;
	}
	funlockfile(t->f);
	if (t->toolong)
		return 1;
	if (c == EOF && n == 0) {
		t->eof = true;
		return 0;
	}
	t->buf[n] = '\n';
	t->pos = 0;
	*len = n;
	return 1;
}

/*
 * The next line, scanned: its start and length, its fields.  1, 0 at the
 * end, -ENOMEM; t->toolong for a line over the limit.
 */
static int next_line(struct swapctl_trace *t, char **line, size_t *len, struct tok *tok, int *ntok,
		     bool *nul)
{
	if (t->stream) {
		int r = stream_line(t, len);

		if (r <= 0 || t->toolong)
			return r;
		*line = t->buf;
		scan(t->buf, tok, ntok, nul);
		return 1;
	}
	for (;;) {
		if (t->pos < t->len) {
			char *s = t->buf + t->pos, *end = scan(s, tok, ntok, nul);
			bool complete = end < t->buf + t->len;

			if (complete || t->eof) {
				*line = s;
				*len = (size_t)(end - s);
				if (*len > TRACE_LINE_MAX) {
					t->toolong = true;
					return 1;
				}
				t->pos += *len + complete;
				return 1;
			}
			/* a part of a line: the rest comes with the next block */
			if (t->len - t->pos > TRACE_LINE_MAX) {
				t->toolong = true;
				return 1;
			}
			*nul = false;
		}
		if (t->eof)
			return 0;
		if (trace_fill(t) < 0)
			return -ENOMEM;
	}
}

static bool is(const struct tok *k, const char *word, size_t n)
{
	return k->n == n && !memcmp(k->p, word, n);
}

/* A decimal number from 0 to 2^64 - 1, digits only. */
static bool digits(const struct tok *k, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	for (i = 0; i < k->n; i++) {
		unsigned d = (unsigned)(unsigned char)k->p[i] - '0';

		if (d > 9 || (i >= 19 && x > (UINT64_MAX - d) / 10))
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return k->n > 0;
}

static int num(struct swapctl_trace *t, const struct tok *k, uint64_t *v)
{
	if (digits(k, v))
		return 0;
	return trace_bad(t, "'%.*s' is not a number", (int)k->n, k->p);
}

/* Whether the n bytes at a and b are the same: names are short, and
 * memcmp's wide loads over the line just written (the NUL that ends it)
 * stall on this machine where a byte loop does not. */
static bool same_bytes(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* A short current name as a word to compare 8 bytes of a line with: its
 * bytes and the blank after it, and which bytes those are. */
static void id_word(struct swapctl_trace *t, const struct tok *k)
{
	unsigned char w[8] = { 0 }, m[8] = { 0 };

	t->idmask = 0;
	t->linemask = 0;
	if (k->n >= 8)
		return;
	memcpy(w, k->p, k->n);
	w[k->n] = ' ';
	memset(m, 0xff, k->n + 1);
	memcpy(&t->idword, w, 8);
	memcpy(&t->idmask, m, 8);
	if (k->n >= 6)
		return;
	/* and the line's start with it, as a read would be written */
	w[0] = 'r';
	w[1] = ' ';
	memcpy(w + 2, k->p, k->n);
	w[k->n + 2] = ' ';
	memset(m, 0xff, k->n + 3);
	memcpy(&t->lineword, w, 8);
	memcpy(&t->linemask, m, 8);
}

/* The lines the lookahead decoded for the reader's name, which is
 * changing: no longer for it (the reader reads them again). */
static void ahead_forget(struct swapctl_trace *t)
{
	struct trace_ahead *a = &t->ahead;
	unsigned i;

	for (i = 0; i < a->n; i++) {
		a->flags[(a->first + i) % TRACE_AHEAD] &= (uint8_t)~AHEAD_DECODED;
		a->objnum[(a->first + i) % TRACE_AHEAD] = 0;
	}
}

/* A name as a C string; slot 0 is kept while the name does not change. */
static const char *name(struct swapctl_trace *t, int slot, const struct tok *k)
{
	if (slot == 0) {
		if (k->n == t->idlen && same_bytes(t->id[0], k->p, k->n))
			return t->id[0];
		t->idlen = k->n;
		t->idgen++;
		id_word(t, k);
		ahead_forget(t);
	}
	memcpy(t->id[slot], k->p, k->n);
	t->id[slot][k->n] = '\0';
	return t->id[slot];
}

static int access_ev(struct swapctl_trace *t, const struct tok *tok, int n, enum swapctl_access kind)
{
	struct tev *ev = &t->ev;

	if (n < 3 || n > 4)
		return trace_bad(t, "%.*s takes ID INDEX [COUNT]", (int)tok[0].n, tok[0].p);
	ev->b = 1;
	if (num(t, &tok[2], &ev->a) < 0 || (n == 4 && num(t, &tok[3], &ev->b) < 0))
		return -EINVAL;
	if (ev->b == 0)
		return trace_bad(t, "a COUNT of %s pages", "0");
	ev->op = TEV_ACCESS;
	ev->kind = kind;
	ev->arg_given = n == 4;
	ev->id = name(t, 0, &tok[1]);
	return 1;
}

static int dev_add(struct swapctl_trace *t, const struct tok *tok, int n)
{
	struct swapctl_dev_opts *o = &t->ev.dev;
	uint64_t v;
	int i;

	if (n < 4)
		return trace_bad(t, "%s needs NAME PAGES", "dev add");
	memset(o, 0, sizeof(*o));
	o->prio = -1;
	if (num(t, &tok[3], &o->pages) < 0)
		return -EINVAL;
	for (i = 4; i < n; i++) {
		const struct tok *k = &tok[i];
		struct tok arg;

		if (k->n >= 5 && !memcmp(k->p, "prio=", 5)) {
			arg = (struct tok){ k->p + 5, k->n - 5 };
			if (!digits(&arg, &v) || v > 32767)
				return trace_bad(t, "%.*s: priority must be from 0 to 32767", (int)k->n, k->p);
			o->prio = (int)v;
		} else if (is(k, "alloc=blist", 11)) {
			o->alloc = SWAPCTL_ALLOC_BLIST;
			o->alloc_given = true;
		} else if (is(k, "alloc=extent", 12)) {
			o->alloc = SWAPCTL_ALLOC_EXTENT;
			o->alloc_given = true;
		} else if (k->n >= 8 && !memcmp(k->p, "cluster=", 8)) {
			arg = (struct tok){ k->p + 8, k->n - 8 };
			if (!digits(&arg, &v) || v < 1 || v > 1024)
				return trace_bad(t, "%.*s: cluster must be from 1 to 1024 pages", (int)k->n, k->p);
			o->cluster = (unsigned)v;
		} else {
			return trace_bad(t, "unknown device option '%.*s'", (int)k->n, k->p);
		}
	}
	t->ev.op = TEV_DEV_ADD;
	t->ev.id = o->name = name(t, 0, &tok[2]);
	return 1;
}

static int dev_ev(struct swapctl_trace *t, const struct tok *tok, int n)
{
	struct tev *ev = &t->ev;

	if (n < 3)
		return trace_bad(t, "%s needs a subcommand and a NAME", "dev");
	if (is(&tok[1], "add", 3))
		return dev_add(t, tok, n);
	if (is(&tok[1], "del", 3)) {
		if (n != 3)
			return trace_bad(t, "%s takes one NAME", "dev del");
		ev->op = TEV_DEV_DEL;
	} else if (is(&tok[1], "prio", 4)) {
		if (n != 4 || num(t, &tok[3], &ev->a) < 0)
			return n != 4 ? trace_bad(t, "%s takes NAME PRIORITY", "dev prio") : -EINVAL;
		if (ev->a > 32767)
			return trace_bad(t, "priority %.*s is not from 0 to 32767", (int)tok[3].n, tok[3].p);
		ev->op = TEV_DEV_PRIO;
	} else {
		return trace_bad(t, "unknown device subcommand '%.*s'", (int)tok[1].n, tok[1].p);
	}
	ev->id = name(t, 0, &tok[2]);
	return 1;
}

static int obj_ev(struct swapctl_trace *t, const struct tok *tok, int n)
{
	struct tev *ev = &t->ev;

	if (n < 3)
		return trace_bad(t, "%s needs a subcommand and an ID", "obj");
	if (is(&tok[1], "new", 3) || is(&tok[1], "resize", 6)) {
		if (n != 4 || num(t, &tok[3], &ev->a) < 0)
			return n != 4 ? trace_bad(t, "obj %.*s takes ID PAGES", (int)tok[1].n, tok[1].p) : -EINVAL;
		ev->op = tok[1].p[0] == 'n' ? TEV_OBJ_NEW : TEV_OBJ_RESIZE;
	} else if (is(&tok[1], "del", 3)) {
		if (n != 3)
			return trace_bad(t, "%s takes one ID", "obj del");
		ev->op = TEV_OBJ_DEL;
	} else {
		return trace_bad(t, "unknown object subcommand '%.*s'", (int)tok[1].n, tok[1].p);
	}
	ev->id = name(t, 0, &tok[2]);
	return 1;
}

/* An event from its fields: dispatched on the first character. */
static int parse(struct swapctl_trace *t, const struct tok *tok, int n)
{
	const struct tok *k = &tok[0];
	struct tev *ev = &t->ev;

	switch (k->p[0]) {
	case 'r':
		if (k->n == 1)
			return access_ev(t, tok, n, SWAPCTL_READ);
		if (is(k, "ram", 3)) {
			if (n != 2)
				return trace_bad(t, "%s takes one number", "ram");
			if (num(t, &tok[1], &ev->a) < 0)
				return -EINVAL;
			ev->op = TEV_RAM;
			return 1;
		}
		break;
	case 'w':
		if (k->n == 1)
			return access_ev(t, tok, n, SWAPCTL_WRITE);
		break;
	case 'o':
		if (is(k, "out", 3))
			return access_ev(t, tok, n, SWAPCTL_PAGEOUT);
		if (is(k, "obj", 3))
			return obj_ev(t, tok, n);
		break;
	case 'f':
		if (is(k, "free", 4))
			return access_ev(t, tok, n, SWAPCTL_DISCARD);
		break;
	case 'd':
		if (is(k, "dev", 3))
			return dev_ev(t, tok, n);
		break;
	case 'c':
		if (is(k, "copy", 4)) {
			if (n != 4 || num(t, &tok[3], &ev->a) < 0)
				return n != 4 ? trace_bad(t, "%s takes SRC DST OFFSET", "copy") : -EINVAL;
			ev->op = TEV_COPY;
			ev->id = name(t, 0, &tok[1]);
			ev->id2 = name(t, 1, &tok[2]);
			return 1;
		}
		break;
	case 't':
		if (is(k, "tick", 4)) {
			if (n > 2 || (n == 2 && num(t, &tok[1], &ev->a) < 0))
				return n > 2 ? trace_bad(t, "%s takes at most one number", "tick") : -EINVAL;
			ev->op = TEV_TICK;
			ev->arg_given = n == 2;
			if (n == 1)
				ev->a = 1;
			return 1;
		}
		break;
	}
	return trace_bad(t, "unknown event '%.*s'", (int)k->n, k->p);
}

static int header(struct swapctl_trace *t, const struct tok *tok, int n)
{
	struct tok arg;

	if (n < 2 || !is(&tok[0], "swaptrace", 9) || !is(&tok[1], "1", 1))
		return trace_bad(t, "not a swaptrace 1 file (the first line must be '%s')", "swaptrace 1");
	if (n > 3 || (n == 3 && (tok[2].n < 9 || memcmp(tok[2].p, "pagesize=", 9))))
		return trace_bad(t, "unexpected '%.*s' after swaptrace 1", (int)tok[n - 1].n, tok[n - 1].p);
	t->ev.op = TEV_HEADER;
	t->ev.a = 0;
	if (n == 3) {
		arg = (struct tok){ tok[2].p + 9, tok[2].n - 9 };
		if (!digits(&arg, &t->ev.a))
			return trace_bad(t, "'%.*s' is not a page size", (int)tok[2].n, tok[2].p);
	}
	t->header = true;
	return 1;
}

/* Eight bytes w of text made digit values: each digit byte becomes 0 to 9;
 * the top bit of each byte in the mask returned is set where the byte is
 * not a digit (a borrow or carry between bytes only goes up, past the
 * first non-digit). */
static inline __attribute__((always_inline)) uint64_t digits_mask(uint64_t *w)
{
	*w -= 0x3030303030303030ull;
	return ((*w + 0x7676767676767676ull) | *w) & 0x8080808080808080ull;
}

/* The number digit values make, 1 to 7 of them in w's top bytes (the
 * rest 0), most significant first: pairs, fours, eight, each step a
 * multiply. */
static inline __attribute__((always_inline)) uint64_t digits_value(uint64_t w)
{
	w = w * 10 + (w >> 8);
	return ((w & 0x000000ff000000ffull) * (100 + (1000000ull << 32)) +
		((w >> 16) & 0x000000ff000000ffull) * (1 + (10000ull << 32))) >> 32;
}

/* The digits at *pp, converted as they are read: how many (more than 19
 * may not fit in 64 bits: the caller leaves those to num()).  Up to 7
 * digits (page numbers, mostly) are found and converted a word at a time:
 * the buffer has 8 readable bytes after any byte of the data (trace_fill),
 * and a borrow or carry between bytes only goes up, past the first
 * non-digit, whose byte is shifted out. */
static inline __attribute__((always_inline)) size_t quick_num(const char **pp, uint64_t *v)
{
	const char *p = *pp;
	uint64_t x = 0, w, m;
	unsigned d;

	memcpy(&w, p, 8);
	m = digits_mask(&w);
	d = m ? (unsigned)__builtin_ctzll(m) / 8 : 8;
	if (d < 8) {
		*v = d ? digits_value(w << 8 * (8 - d)) : 0;
		*pp = p + d;
		return d;
	}
	while ((d = (unsigned)(unsigned char)*p - '0') <= 9) {
		x = x * 10 + d;
		p++;
	}
	*v = x;
	d = (unsigned)(p - *pp);
	*pp = p;
	return d;
}

/* An access line of the one-pass syntax, decoded (quick_line). */
struct quick {
	uint64_t index, count;
	const char *id;         /* the name, idn bytes */
	size_t idn;
	const char *nl;         /* the newline after it: the buffer's own or the sentinel */
	bool same;              /* the name is the reader's current one (id[0]) */
	bool given;             /* COUNT was written */
};

/*
 * Nearly every line of a large trace is "r ID INDEX" or "w ID INDEX
 * [COUNT]" with single spaces: read in one pass, numbers converted on the
 * way, the name compared with the reader's current one as it is scanned
 * (another name only when any is wanted).  Whether the line at p is one:
 * anything else is left to the general reader, which gives such a line
 * the same event.  The caller checks where the newline is (the sentinel
 * after the data ends a line that may go on).
 */
static inline __attribute__((always_inline)) bool quick_line(const struct swapctl_trace *t, const char *p,
							     bool any_name, struct quick *q)
{
	const char *line = p, *id;
	size_t n;

	/* a current name under 6 bytes: the keyword, the name and the blanks
	 * compared as one word (a write's first byte differs from a read's
	 * in the bits 'r' ^ 'w' only) */
	if (t->linemask) {
		uint64_t w, x;

		memcpy(&w, p, 8);
		x = (w ^ t->lineword) & t->linemask;
		if (x == 0 || x == ('r' ^ 'w')) {
			q->same = true;
			n = t->idlen;
			id = p + 2;
			goto number;
		}
		if (!any_name)
			return false;
	}
	if ((p[0] != 'r' && p[0] != 'w') || p[1] != ' ')
		return false;
	id = p + 2;
	/* most often the name of the event before (a token, all word
	 * characters): up to 7 bytes and the blank after them compared as
	 * one word (8 bytes can be loaded from any byte of the data, see
	 * trace_fill), longer ones as they are scanned */
	if (t->idmask) {
		uint64_t w;

		memcpy(&w, id, 8);
		n = t->idlen;
		q->same = !((w ^ t->idword) & t->idmask);
	} else {
		for (n = 0; n < t->idlen && id[n] == t->id[0][n]; n++)
			;
		q->same = n && n == t->idlen && id[n] == ' ';
	}
	/* the current name is a token of at most TRACE_LINE_MAX bytes,
	 * and the blank after it was compared */
	if (!q->same) {
		if (!any_name)
			return false;
		for (n = 0; ch_class[(unsigned char)id[n]] == CH_WORD; n++)
			;
		if (!n || id[n] != ' ' || n > TRACE_LINE_MAX)
			return false;
	}
number:
	q->id = id;
	q->idn = n;
	p = id + n + 1;
	n = quick_num(&p, &q->index);
	if (!n || n > 19)
		return false;
	q->count = 1;
	q->given = false;
	if (*p == ' ') {
		p++;
		n = quick_num(&p, &q->count);
		if (!n || n > 19 || !q->count)
			return false;
		q->given = true;
	}
	if (*p != '\n' || p - line > TRACE_LINE_MAX)
		return false;
	q->nl = p;
	return true;
}

/* The event of an access line that ends at nl, taken: the line becomes
 * the event's text, the reader moves past it. */
static void take_access(struct swapctl_trace *t, char *nl, bool write)
{
	t->event = t->buf + t->pos;
	*nl = '\0';
	t->pos = (size_t)(nl - t->buf) + (nl < t->buf + t->len);
	t->line++;
	t->ev.op = TEV_ACCESS;
	t->ev.kind = write ? SWAPCTL_WRITE : SWAPCTL_READ;
}

/* The next line by the one-pass path: 1 read, 0 not this kind of line (or
 * not whole in the block). */
static __attribute__((noinline)) int quick_access(struct swapctl_trace *t)
{
	const char *p = t->buf + t->pos;
	struct quick q;

	if (!quick_line(t, p, true, &q) || (q.nl == t->buf + t->len && !t->eof))
		return 0;
	take_access(t, t->buf + (q.nl - t->buf), p[0] == 'w');
	t->ev.a = q.index;
	t->ev.b = q.count;
	t->ev.arg_given = q.given;
	t->ev.id = q.same ? t->id[0] : name(t, 0, &(struct tok){ q.id, q.idn });
	return 1;
}

/* The next line when the lookahead decoded it (its first entry, checked
 * against the name the reader still has): 1 taken, 0 not there. */
static int ahead_access(struct swapctl_trace *t)
{
	struct trace_ahead *a = &t->ahead;
	unsigned k = a->first;

	if (!a->n || !(a->flags[k] & AHEAD_DECODED) || a->head != t->consumed + t->pos)
		return 0;
	/* trace_ahead drops the lines the general reader passed */
	ahead_take(t, k);
	t->ev.op = TEV_ACCESS;
	t->ev.kind = a->flags[k] & AHEAD_WRITE ? SWAPCTL_WRITE : SWAPCTL_READ;
	t->ev.a = a->idx[k];
	t->ev.b = a->count[k];
	t->ev.arg_given = a->flags[k] & AHEAD_GIVEN;
	t->ev.id = t->id[0];
	t->ev.objnum = a->objnum[k];
	return 1;
}

/* A line trace_text_look's loop did not take, into the ring's entry k:
 * decoded when quick_line takes it, else stepped over.  Where the next
 * line starts, or NULL when this one is not whole in the buffer. */
static __attribute__((noinline)) const char *look_other(struct swapctl_trace *t, const char *p, unsigned k)
{
	struct trace_ahead *a = &t->ahead;
	const char *end = t->buf + t->len, *nl = p;
	struct quick q;

	if (quick_line(t, p, false, &q)) {
		/* the sentinel after the data: a line it ends is not whole */
		if (q.nl >= end)
			return NULL;
		a->idx[k] = q.index;
		a->count[k] = q.count;
		a->flags[k] = (uint8_t)(AHEAD_DECODED | (p[0] == 'w' ? AHEAD_WRITE : 0) | (q.given ? AHEAD_GIVEN : 0));
		return q.nl + 1;
	}
	while (*nl != '\n')
		nl++;
	if (nl >= end)
		return NULL;
	a->flags[k] = 0;
	return nl + 1;
}

unsigned trace_text_look(struct swapctl_trace *t, unsigned max)
{
	struct trace_ahead *a = &t->ahead;
	const char *buf = t->buf, *end = buf + t->len, *p = buf + (a->at - t->consumed);
	/* a line the loop takes is at most 2 + 5 + 1 + 7 + 1 bytes: one
	 * that starts before fast ends before the data does */
	const char *fast = t->linemask && t->len > 16 ? end - 16 : buf;
	const uint64_t lineword = t->lineword, linemask = t->linemask, base = t->consumed - (uintptr_t)buf;
	const size_t numat = t->idlen + 3;
	unsigned added, k = (a->first + a->n) % TRACE_AHEAD;

	for (added = 0; added < max; added++, k = (k + 1) % TRACE_AHEAD) {
		const char *next;

		/* the commonest line first: "r ID INDEX" with a short current
		 * name and up to 7 digits, which quick_line would take with
		 * the same fields */
		if (p < fast) {
			uint64_t w, x, wr, u, m;
			const char *s = p + numat;
			unsigned c;

			/* the keyword, name and blanks: x is 0 for r, 'r' ^
			 * 'w' (5) for w; told apart without a branch (a
			 * replay's reads and writes come in no order) */
			_Static_assert(('r' ^ 'w') == 5 && AHEAD_WRITE == 2, "w's bit 2 is AHEAD_WRITE << 1");
			memcpy(&w, p, 8);
			x = (w ^ lineword) & linemask;
			wr = x & 4;
			/* the digits as quick_num finds them; c is the top
			 * bit of the first byte that is not one (bit 63 when
			 * all 8 are: that line is not taken here) */
			memcpy(&u, s, 8);
			m = digits_mask(&u);
			c = (unsigned)__builtin_ctzll(m | 1ull << 63);
			if (x == wr + (wr >> 2) && c > 7 && s[c / 8] == '\n') {
				a->idx[k] = digits_value(u << (71 - c));     /* c / 8 digits */
				a->count[k] = 1;
				a->flags[k] = (uint8_t)(AHEAD_DECODED | (wr >> 1));
				p = s + c / 8 + 1;
				a->end[k] = base + (uintptr_t)p;
				continue;
			}
		}
		if (p >= end || !(next = look_other(t, p, k)))
			break;
		p = next;
		a->end[k] = base + (uintptr_t)p;
	}
	a->n += added;
	a->at = base + (uintptr_t)p;
	return added;
}

/* The next line by the general reader (see trace_text_next). */
static __attribute__((noinline)) int next_general(struct swapctl_trace *t)
{
	struct tok tok[MAX_TOKENS];
	char *line;
	size_t len;
	bool nul;
	int n, r;

	for (;;) {
		nul = false;
		r = next_line(t, &line, &len, tok, &n, &nul);
		if (r < 0)
			return swapctl_fail_system(t->ctx, ENOMEM, "%s: cannot buffer line %u", t->name, t->line + 1);
		if (t->toolong) {
			t->line++;
			return trace_bad(t, "line longer than %d bytes (no event is that long)", TRACE_LINE_MAX);
		}
		if (r == 0) {
			if (ferror(t->f))
				return swapctl_fail_system(t->ctx, EIO, "%s: read error after line %u", t->name, t->line);
			if (!t->header)
				return swapctl_fail_class(t->ctx, SWAPCTL_E_INVALID, EINVAL,
							  "%s: empty trace (no 'swaptrace 1' line)", t->name);
			return 0;
		}
		t->line++;
		/* the event as written, without its newline and a CR before it */
		line[len && line[len - 1] == '\r' ? len - 1 : len] = '\0';
		t->event = line;
		if (nul)
			return trace_bad(t, "a NUL byte in the %s", "line");
		if (n > MAX_TOKENS)
			return trace_bad(t, "too many fields (at most %s)", "8");
		if (n == 0)
			continue;
		if (!t->header)
			return header(t, tok, n);
		return parse(t, tok, n);
	}
}

int trace_text_next(struct swapctl_trace *t)
{
	/* an access line, decoded ahead or in one pass; the general reader
	 * (its own function: its frame is not set up for these) */
	if (t->header && !t->stream && t->pos < t->len && (ahead_access(t) || quick_access(t)))
		return 1;
	return next_general(t);
}

int trace_text_parse(struct swapctl_trace *t, char *line)
{
	struct tok tok[MAX_TOKENS];
	bool nul = false;
	int n;

	scan(line, tok, &n, &nul);
	if (nul)
		return trace_bad(t, "a NUL byte in the %s", "line");
	if (n > MAX_TOKENS)
		return trace_bad(t, "too many fields (at most %s)", "8");
	if (n == 0)
		return 0;
	return parse(t, tok, n);
}
