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
	size_t i, n;

	if (!ctx && swapctl_new(&ctx) < 0)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	l = swaps_list_new();
	if (l) {
		/* a list that failed to parse is thrown away whole */
		n = swaps_parse(ctx, "fuzz", text, l) == 0 ? swapctl_swaplist_count(l) : 0;
		for (i = 0; i < n; i++) {
			const struct swapctl_swap *sw = swapctl_swaplist_get(l, i);

			if (sw->used > sw->size || strlen(sw->path) >= sizeof(sw->path) || !sw->path[0])
				abort();
		}
		swapctl_swaplist_free(l);
	}
	free(text);
	return 0;
}
