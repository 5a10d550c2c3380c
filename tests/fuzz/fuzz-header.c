/* Fuzz target: the swap header parser and the checks on what it decodes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct swapctl_header h;
	static struct swapctl_report rep;

	if (swapctl_header_parse(data, size, &h) < 0)
		return 0;
	memset(&rep, 0, sizeof(rep));
	header_check(&h, size * 7, size & 1, 4096, "fuzz", &rep);
	header_check(&h, (uint64_t)h.last_page * 4096, false, h.pagesize, "fuzz", &rep);
	return 0;
}
