/* Fuzz target: the swaptrace readers (text and binary) and the engine
 * behind them.  Every input either replays or stops with a message; the
 * engine stays consistent.  An input that converts to the other form must
 * replay the same from it: the same outcome, the same statistics. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The converted trace, in memory up to a limit (a binary trace can ask for
 * billions of blank lines): past it, writes fail and the conversion too. */
struct sink {
	char buf[1 << 20];
	size_t len;
};

static ssize_t sink_write(void *cookie, const char *p, size_t n)
{
	struct sink *s = cookie;

	if (n > sizeof(s->buf) - s->len)
		return -1;
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	return (ssize_t)n;
}

static int replay(struct swapctl_ctx *ctx, const void *data, size_t size, struct swapctl_engine_stats *st)
{
	struct swapctl_engine_opts o = { .ram_pages = 16, .seed = 1 };
	struct swapctl_engine *e;
	FILE *f;
	int r;

	if (swapctl_engine_new(ctx, &o, &e) < 0)
		return 1;
	f = fmemopen((void *)data, size, "r");
	if (!f) {
		swapctl_engine_free(e);
		return 1;
	}
	r = swapctl_trace_replay(ctx, f, "fuzz", e);
	fclose(f);
	/* whatever the input, the invariants hold; the check costs a byte
	 * per device page, so huge simulated devices go unchecked here
	 * (test-engine checks large ones) */
	swapctl_engine_stats(e, st);
	if (st->slots_usable < (1ull << 26) && swapctl_engine_check(e) < 0)
		abort();
	swapctl_engine_free(e);
	return r < 0 ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct swapctl_ctx *ctx;
	static struct sink sink;
	static cookie_io_functions_t io = { .write = sink_write };
	struct swapctl_engine_stats a, b;
	enum swapctl_trace_form other;
	FILE *in, *out;
	int ra, rb, rc;

	if (!ctx && swapctl_new(&ctx) < 0)
		return 0;
	if (!size)
		return 0;
	ra = replay(ctx, data, size, &a);
	if (ra > 0)
		return 0;
	/* the same trace in the other form */
	other = data[0] == 0x89 ? SWAPCTL_TRACE_TEXT : SWAPCTL_TRACE_BINARY;
	sink.len = 0;
	in = fmemopen((void *)data, size, "r");
	out = fopencookie(&sink, "w", io);
	if (!in || !out) {
		if (in)
			fclose(in);
		if (out)
			fclose(out);
		return 0;
	}
	rc = swapctl_trace_convert(ctx, in, "fuzz", out, other);
	fclose(in);
	if (fclose(out) != 0 || rc < 0 || !sink.len)
		return 0;
	rb = replay(ctx, sink.buf, sink.len, &b);
	if (rb > 0)
		return 0;
	if (ra != rb || memcmp(&a, &b, offsetof(struct swapctl_engine_stats, engine_bytes)))
		abort();
	return 0;
}
