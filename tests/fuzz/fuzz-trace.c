/* Fuzz target: the swaptrace reader and the engine behind it.  Every input
 * either replays or stops with a message; the engine stays consistent. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct swapctl_ctx *ctx;
	struct swapctl_engine_opts o = { .ram_pages = 16, .seed = 1 };
	struct swapctl_engine *e;
	struct swapctl_engine_stats st;
	FILE *f;

	if (!ctx && swapctl_new(&ctx) < 0)
		return 0;
	if (!size || swapctl_engine_new(ctx, &o, &e) < 0)
		return 0;
	f = fmemopen((void *)data, size, "r");
	if (f) {
		swapctl_trace_replay(ctx, f, "fuzz", e);
		fclose(f);
		/* whatever the input, the invariants hold; the check costs a byte
		 * per device page, so huge simulated devices go unchecked here
		 * (test-engine checks large ones) */
		swapctl_engine_stats(e, &st);
		if (st.slots_usable < (1ull << 26) && swapctl_engine_check(e) < 0)
			abort();
	}
	swapctl_engine_free(e);
	return 0;
}
