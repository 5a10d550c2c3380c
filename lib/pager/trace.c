/*
 * swaptrace 1: read a trace and apply it to an engine, one event at a time.
 *
 * A malformed line stops the trace with "NAME:LINE: reason"; nothing is
 * guessed.  What the simulated system refuses is an outcome, not an error:
 * a reservation that cannot be met (the object is then skipped by later
 * events), a resize that cannot be reserved, a swapoff that runs out of
 * memory, pages that cannot go out or come in; the engine counts them, the
 * last three as events that name this line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "pager.h"

#define MAX_TOKENS 8
/* The longest line read (newline excluded): no valid event comes near it,
 * and an endless line must not take all memory (swaptrace(5)). */
#define TRACE_LINE_MAX 4096

struct swapctl_trace {
	struct swapctl_ctx *ctx;
	FILE *f;
	char name[256];
	unsigned line;
	bool header;
	/* input, read in blocks: the unread bytes are buf[pos, len) */
	char *buf;
	size_t cap, pos, len;
	bool eof;
	bool toolong;           /* the next line is longer than TRACE_LINE_MAX */
	bool stream;            /* a pipe or terminal: read line by line */
	char event[512];
	struct hashmap failed;          /* objects whose creation was refused */
};

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
	fd = fileno(f);
	t->stream = fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode);
	snprintf(t->name, sizeof(t->name), "%s", name ? name : "trace");
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
	free(t->buf);
	swapctl_unref(t->ctx);
	free(t);
}

SWAPCTL_EXPORT unsigned swapctl_trace_line(const struct swapctl_trace *t)
{
	return t->line;
}

SWAPCTL_EXPORT const char *swapctl_trace_event(const struct swapctl_trace *t)
{
	return t->event;
}

__attribute__((format(printf, 2, 3)))
static int bad(struct swapctl_trace *t, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return swapctl_fail_class(t->ctx, SWAPCTL_E_INVALID, EINVAL, "%s:%u: %s", t->name, t->line, msg);
}

/* An engine error, with the trace position in front of its message and
 * the class the engine gave it (an event the trace cannot have, such as a
 * page outside its object or an unknown or duplicate name, is bad input
 * like a malformed line). */
static int engine_err(struct swapctl_trace *t, int r)
{
	enum swapctl_errclass cls = swapctl_errclass(t->ctx);
	char msg[1024];

	/* an error without a message (out of memory): the message cleared
	 * before the event is not an older one's */
	if (!t->ctx->errmsg[0])
		cls = SWAPCTL_E_SYSTEM;
	snprintf(msg, sizeof(msg), "%s", t->ctx->errmsg[0] ? t->ctx->errmsg : strerror(-r));
	return swapctl_fail_class(t->ctx, cls, -r, "%s:%u: %s", t->name, t->line, msg);
}

/* Whether the creation of object id was refused (later events skip it). */
static bool failed(const struct swapctl_trace *t, const char *id)
{
	return t->failed.used && hashmap_get(&t->failed, id);
}

static int num(struct swapctl_trace *t, const char *s, uint64_t *v)
{
	/* the common case, up to 19 digits, without strtoull's generality */
	uint64_t x = 0;
	const char *p = s;

	while (*p >= '0' && *p <= '9' && p - s < 19)
		x = x * 10 + (uint64_t)(*p++ - '0');
	if (!*p && p > s) {
		*v = x;
		return 0;
	}
	if (parse_u64(s, v) < 0)
		return bad(t, "'%s' is not a number", s);
	return 0;
}

/* Character classes for the tokenizer: a table lookup per character is
 * what keeps reading a trace cheaper than replaying it. */
enum { CH_WORD, CH_BLANK, CH_END };
static const unsigned char ch_class[256] = {
	['\0'] = CH_END, ['#'] = CH_END,
	[' '] = CH_BLANK, ['\t'] = CH_BLANK, ['\r'] = CH_BLANK, ['\n'] = CH_BLANK,
};

/* Split line into blank-separated tokens, after removing a comment. */
static int tokenize(char *line, char **tok)
{
	unsigned char *p = (unsigned char *)line;
	int n = 0;

	for (;;) {
		while (ch_class[*p] == CH_BLANK)
			p++;
		if (ch_class[*p] == CH_END) {
			*p = '\0';
			return n;
		}
		if (n == MAX_TOKENS)
			return -1;
		tok[n++] = (char *)p;
		while (ch_class[*p] == CH_WORD)
			p++;
		if (ch_class[*p] == CH_END) {
			*p = '\0';
			return n;
		}
		*p++ = '\0';
	}
}

/*
 * The next line of the trace, NUL-terminated in place, without its newline;
 * NULL at the end.  Reads the file in large blocks: getline's locking and
 * copying cost more than the rest of an event.
 */
static char *next_line(struct swapctl_trace *t, size_t *linelen)
{
	if (t->stream) {
		size_t n = 0;
		int c = 0;

		if (!t->buf) {
			t->buf = malloc(TRACE_LINE_MAX + 1);
			if (!t->buf)
				return NULL;
			t->cap = TRACE_LINE_MAX + 1;
		}
		/* a character at a time: what has come is used at once, and
		 * nothing past the limit is kept */
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
			return NULL;
		if (c == EOF && n == 0) {
			t->eof = true;
			return NULL;
		}
		t->buf[n] = '\0';
		*linelen = n;
		return t->buf;
	}
	for (;;) {
		char *start = t->pos < t->len ? t->buf + t->pos : NULL;
		char *nl = start ? memchr(start, '\n', t->len - t->pos) : NULL;
		size_t got;

		if (nl || (t->eof && start)) {
			size_t n = nl ? (size_t)(nl - start) : t->len - t->pos;

			if (n > TRACE_LINE_MAX) {
				t->toolong = true;
				return NULL;
			}
			start[n] = '\0';       /* over the newline, or the spare byte */
			t->pos += n + (nl != NULL);
			*linelen = n;
			return start;
		}
		if (t->eof)
			return NULL;
		if (start && t->len - t->pos > TRACE_LINE_MAX) {
			t->toolong = true;
			return NULL;
		}
		/* keep the partial line, make room for a block after it */
		if (start)
			memmove(t->buf, start, t->len - t->pos);
		t->len -= t->pos;
		t->pos = 0;
		if (t->cap - t->len < 65536 + 1) {
			size_t cap = t->cap ? t->cap * 2 : 262144;
			char *b = realloc(t->buf, cap);

			if (!b)
				return NULL;
			t->buf = b;
			t->cap = cap;
		}
		got = fread(t->buf + t->len, 1, t->cap - t->len - 1, t->f);
		t->len += got;
		if (got == 0)
			t->eof = true;
	}
}

static int dev_add(struct swapctl_trace *t, struct swapctl_engine *e, char **tok, int n)
{
	struct swapctl_dev_opts o = { .prio = -1 };
	uint64_t v;
	int i, r;

	if (n < 4)
		return bad(t, "%s needs NAME PAGES", "dev add");
	o.name = tok[2];
	if (num(t, tok[3], &o.pages) < 0)
		return -EINVAL;
	for (i = 4; i < n; i++) {
		if (!strncmp(tok[i], "prio=", 5)) {
			if (parse_u64(tok[i] + 5, &v) < 0 || v > 32767)
				return bad(t, "%s: priority must be from 0 to 32767", tok[i]);
			o.prio = (int)v;
		} else if (!strcmp(tok[i], "alloc=blist")) {
			o.alloc = SWAPCTL_ALLOC_BLIST;
			o.alloc_given = true;
		} else if (!strcmp(tok[i], "alloc=extent")) {
			o.alloc = SWAPCTL_ALLOC_EXTENT;
			o.alloc_given = true;
		} else if (!strncmp(tok[i], "cluster=", 8)) {
			if (parse_u64(tok[i] + 8, &v) < 0 || v < 1 || v > 1024)
				return bad(t, "%s: cluster must be from 1 to 1024 pages", tok[i]);
			o.cluster = (unsigned)v;
		} else {
			return bad(t, "unknown device option '%s'", tok[i]);
		}
	}
	r = swapctl_engine_dev_add(e, &o);
	return r < 0 ? engine_err(t, r) : 0;
}

static int apply(struct swapctl_trace *t, struct swapctl_engine *e, char **tok, int n)
{
	uint64_t a, b, c = 1;
	int r;

	/* page accesses first: nearly every event is one */
	if (!strcmp(tok[0], "r") || !strcmp(tok[0], "w") || !strcmp(tok[0], "out") || !strcmp(tok[0], "free")) {
		static const enum swapctl_access kinds[] = { SWAPCTL_READ, SWAPCTL_WRITE, SWAPCTL_PAGEOUT,
							     SWAPCTL_DISCARD };
		int k = tok[0][0] == 'r' ? 0 : tok[0][0] == 'w' ? 1 : tok[0][0] == 'o' ? 2 : 3;

		if (n < 3 || n > 4)
			return bad(t, "%s takes ID INDEX [COUNT]", tok[0]);
		if (num(t, tok[2], &a) < 0 || (n == 4 && num(t, tok[3], &c) < 0))
			return -EINVAL;
		if (c == 0)
			return bad(t, "a COUNT of %s pages", "0");
		if (failed(t, tok[1]))
			return 0;
		r = swapctl_engine_access(e, tok[1], a, c, kinds[k]);
		return r < 0 ? engine_err(t, r) : 0;
	}
	if (!strcmp(tok[0], "ram")) {
		if (n != 2)
			return bad(t, "%s takes one number", "ram");
		if (num(t, tok[1], &a) < 0)
			return -EINVAL;
		r = swapctl_engine_set_ram(e, a);
		return r < 0 ? engine_err(t, r) : 0;
	}
	if (!strcmp(tok[0], "dev")) {
		if (n < 3)
			return bad(t, "%s needs a subcommand and a NAME", "dev");
		if (!strcmp(tok[1], "add"))
			return dev_add(t, e, tok, n);
		if (!strcmp(tok[1], "del")) {
			if (n != 3)
				return bad(t, "%s takes one NAME", "dev del");
			r = swapctl_engine_dev_del(e, tok[2]);
			return r < 0 && r != -ENOMEM ? engine_err(t, r) : 0;
		}
		if (!strcmp(tok[1], "prio")) {
			if (n != 4 || num(t, tok[3], &a) < 0)
				return n != 4 ? bad(t, "%s takes NAME PRIORITY", "dev prio") : -EINVAL;
			if (a > 32767)
				return bad(t, "priority %s is not from 0 to 32767", tok[3]);
			r = swapctl_engine_dev_prio(e, tok[2], (int)a);
			return r < 0 ? engine_err(t, r) : 0;
		}
		return bad(t, "unknown device subcommand '%s'", tok[1]);
	}
	if (!strcmp(tok[0], "obj")) {
		if (n < 3)
			return bad(t, "%s needs a subcommand and an ID", "obj");
		if (!strcmp(tok[1], "new") || !strcmp(tok[1], "resize")) {
			if (n != 4 || num(t, tok[3], &a) < 0)
				return n != 4 ? bad(t, "obj %s takes ID PAGES", tok[1]) : -EINVAL;
			if (failed(t, tok[2]))
				return 0;
			if (tok[1][0] == 'n')
				r = swapctl_engine_obj_new(e, tok[2], a);
			else
				r = swapctl_engine_obj_resize(e, tok[2], a);
			if (r == -ENOMEM && tok[1][0] == 'n') {
				char *id = strdup(tok[2]);

				if (!id || hashmap_put(&t->failed, id, id) < 0)
					free(id);
				return 0;
			}
			return r < 0 && r != -ENOMEM ? engine_err(t, r) : 0;
		}
		if (!strcmp(tok[1], "del")) {
			if (n != 3)
				return bad(t, "%s takes one ID", "obj del");
			if (failed(t, tok[2])) {
				free(hashmap_del(&t->failed, tok[2]));
				return 0;
			}
			r = swapctl_engine_obj_del(e, tok[2]);
			return r < 0 ? engine_err(t, r) : 0;
		}
		return bad(t, "unknown object subcommand '%s'", tok[1]);
	}
	if (!strcmp(tok[0], "copy")) {
		if (n != 4 || num(t, tok[3], &a) < 0)
			return n != 4 ? bad(t, "%s takes SRC DST OFFSET", "copy") : -EINVAL;
		if (failed(t, tok[1]) || failed(t, tok[2]))
			return 0;
		r = swapctl_engine_copy(e, tok[1], tok[2], a);
		return r < 0 ? engine_err(t, r) : 0;
	}
	if (!strcmp(tok[0], "tick")) {
		if (n > 2 || (n == 2 && num(t, tok[1], &b) < 0))
			return n > 2 ? bad(t, "%s takes at most one number", "tick") : -EINVAL;
		if (n == 1)
			b = 1;
		if (b > UINT64_MAX - swapctl_engine_clock(e))
			return bad(t, "tick %llu: the clock (now %llu) would pass 2^64 - 1", (unsigned long long)b,
				   (unsigned long long)swapctl_engine_clock(e));
		swapctl_engine_tick(e, b);
		return 0;
	}
	return bad(t, "unknown event '%s'", tok[0]);
}

static int header(struct swapctl_trace *t, struct swapctl_engine *e, char **tok, int n)
{
	uint64_t ps;

	if (n < 2 || strcmp(tok[0], "swaptrace") || strcmp(tok[1], "1"))
		return bad(t, "not a swaptrace 1 file (the first line must be '%s')", "swaptrace 1");
	if (n > 3 || (n == 3 && strncmp(tok[2], "pagesize=", 9)))
		return bad(t, "unexpected '%s' after swaptrace 1", tok[n - 1]);
	if (n == 3) {
		if (parse_u64(tok[2] + 9, &ps) < 0)
			return bad(t, "'%s' is not a page size", tok[2]);
		if (ps != e->o.pagesize)
			return bad(t, "%s does not match the engine's page size", tok[2]);
	}
	t->header = true;
	return 0;
}

SWAPCTL_EXPORT int swapctl_trace_step(struct swapctl_trace *t, struct swapctl_engine *e)
{
	SWAPCTL_ENTER(t->ctx);
	char *tok[MAX_TOKENS], *line;
	size_t len, n_ev;
	int n, r;

	for (;;) {
		line = next_line(t, &len);
		if (!line) {
			if (t->toolong) {
				t->line++;
				return bad(t, "line longer than %d bytes (no event is that long)", TRACE_LINE_MAX);
			}
			if (!t->eof)
				return swapctl_fail_system(t->ctx, ENOMEM, "%s: cannot buffer line %u", t->name, t->line + 1);
			if (ferror(t->f))
				return swapctl_fail_system(t->ctx, EIO, "%s: read error after line %u", t->name, t->line);
			if (!t->header)
				return swapctl_fail_class(t->ctx, SWAPCTL_E_INVALID, EINVAL,
							  "%s: empty trace (no 'swaptrace 1' line)", t->name);
			return 0;
		}
		t->line++;
		if (memchr(line, '\0', len))
			return bad(t, "a NUL byte in the %s", "line");
		n_ev = len && line[len - 1] == '\r' ? len - 1 : len;
		if (n_ev >= sizeof(t->event))
			n_ev = sizeof(t->event) - 1;
		memcpy(t->event, line, n_ev);
		t->event[n_ev] = '\0';
		n = tokenize(line, tok);
		if (n < 0)
			return bad(t, "too many fields (at most %s)", "8");
		if (n == 0)
			continue;
		if (!t->header)
			return header(t, e, tok, n) < 0 ? -EINVAL : swapctl_trace_step(t, e);
		/* events the engine records name this line */
		t->ctx->errmsg[0] = '\0';
		e->ev_line = t->line;
		e->ev_text = t->event;
		r = apply(t, e, tok, n);
		e->ev_line = 0;
		e->ev_text = NULL;
		if (r < 0)
			return r;
		e->st.events++;
		return 1;
	}
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
	while ((r = swapctl_trace_step(t, e)) > 0)
		;
	swapctl_trace_close(t);
	return r;
}
