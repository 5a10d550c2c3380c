/* Fuzz target: the /proc/swaps parser (names with escapes, " (deleted)"). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct swapctl_ctx *ctx;
	struct swapctl_swaplist *l;
	char *text;
	size_t i;

	if (!ctx && swapctl_new(&ctx) < 0)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* the list type is opaque: make an empty one through the public API */
	setenv("SWAPCTL_SYSROOT", "/nonexistent-fuzz-root", 1);
	swapctl_set_sysroot(ctx, "/nonexistent-fuzz-root");
	if (swapctl_swaps_read(ctx, 0, &l) == 0) {
		swaps_parse(ctx, "fuzz", text, l);
		for (i = 0; i < swapctl_swaplist_count(l); i++) {
			const struct swapctl_swap *sw = swapctl_swaplist_get(l, i);

			if (sw->used > sw->size || strlen(sw->path) >= sizeof(sw->path))
				abort();
		}
		swapctl_swaplist_free(l);
	}
	free(text);
	return 0;
}
