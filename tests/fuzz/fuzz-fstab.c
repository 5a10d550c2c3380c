/* Fuzz target: fstab through libmount and our swap options parser. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct swapctl_ctx *ctx;
	static char path[64];
	struct swapctl_fstab_entry e;
	struct swapctl_fstab *f;
	char *opts;
	FILE *fp;

	if (!ctx && swapctl_new(&ctx) < 0)
		return 0;
	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/fuzz-fstab.%d", (int)getpid());
	/* the whole input as an fstab */
	fp = fopen(path, "w");
	if (!fp)
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	if (swapctl_fstab_read(ctx, path, &f) == 0)
		swapctl_fstab_free(f);
	unlink(path);
	/* and as an options string */
	opts = malloc(size + 1);
	if (!opts)
		return 0;
	memcpy(opts, data, size);
	opts[size] = '\0';
	snprintf(e.spec, sizeof(e.spec), "fuzz");
	if (swapctl_fstab_parse_options(ctx, opts, &e) == 0 && (e.prio < -1 || e.prio > 32767))
		abort();
	free(opts);
	return 0;
}
