/* Units for sizes: BSD blocks (BLOCKSIZE), human-readable, bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "output.h"

static void set_blocks(struct units *u, uint64_t bs)
{
	static const char sfx[] = "KMG";
	uint64_t v = bs;
	int i = -1;

	u->mode = UNITS_BLOCKS;
	u->blocksize = bs;
	while (i < 2 && v >= 1024 && v % 1024 == 0) {
		v /= 1024;
		i++;
	}
	if (i < 0)
		snprintf(u->header, sizeof(u->header), "%llu-blocks", (unsigned long long)v);
	else
		snprintf(u->header, sizeof(u->header), "%llu%c-blocks", (unsigned long long)v, sfx[i]);
	snprintf(u->word, sizeof(u->word), "blocks");
}

/* $BLOCKSIZE as getbsize(3) reads it: N, NK, NM, NG; 512 to 1G. */
void units_init(struct units *u, uint64_t default_bs)
{
	const char *env = getenv("BLOCKSIZE");
	uint64_t bs = default_bs, mult = 1;
	char *end;
	unsigned long long n;

	memset(u, 0, sizeof(*u));
	if (env && *env) {
		n = strtoull(env, &end, 10);
		if (end == env)
			n = 1;          /* "K" alone means 1K */
		switch (*end) {
		case 'k': case 'K': mult = 1024; end++; break;
		case 'm': case 'M': mult = 1024 * 1024; end++; break;
		case 'g': case 'G': mult = 1024 * 1024 * 1024; end++; break;
		}
		if (*end || n == 0) {
			cmd_warn("BLOCKSIZE=%s: unknown blocksize, using %llu", env,
				 (unsigned long long)default_bs);
		} else {
			bs = n * mult;
			if (bs < 512) {
				cmd_warn("BLOCKSIZE=%s: minimum blocksize is 512", env);
				bs = 512;
			} else if (bs > 1024ull * 1024 * 1024) {
				cmd_warn("BLOCKSIZE=%s: maximum blocksize is 1G", env);
				bs = 1024ull * 1024 * 1024;
			}
		}
	}
	set_blocks(u, bs);
}

void units_set(struct units *u, int flag)
{
	switch (flag) {
	case 'k':
		set_blocks(u, 1024);
		snprintf(u->word, sizeof(u->word), "KBytes");
		break;
	case 'm':
		set_blocks(u, 1024 * 1024);
		snprintf(u->word, sizeof(u->word), "MBytes");
		break;
	case 'g':
		set_blocks(u, 1024 * 1024 * 1024);
		snprintf(u->word, sizeof(u->word), "GBytes");
		break;
	case 'h':
		u->mode = UNITS_HUMAN;
		snprintf(u->header, sizeof(u->header), "Size");
		u->word[0] = '\0';
		break;
	case 'b':
		u->mode = UNITS_BYTES;
		u->blocksize = 1;
		snprintf(u->header, sizeof(u->header), "Bytes");
		snprintf(u->word, sizeof(u->word), "bytes");
		break;
	}
}

void units_human(uint64_t bytes, char *buf, size_t size)
{
	static const char sfx[] = "BKMGTPE";
	double v = (double)bytes;
	int i = 0;

	while (v >= 1000 && i < 6) {    /* at most 4 characters, as BSD does */
		v /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(buf, size, "%lluB", (unsigned long long)bytes);
	else if (v < 9.95)
		snprintf(buf, size, "%.1f%c", v, sfx[i]);
	else
		snprintf(buf, size, "%.0f%c", v, sfx[i]);
}

void units_format(const struct units *u, uint64_t bytes, char *buf, size_t size)
{
	if (u->mode == UNITS_HUMAN)
		units_human(bytes, buf, size);
	else
		snprintf(buf, size, "%llu", (unsigned long long)(bytes / u->blocksize));
}

void bsd_cells(const struct units *u, uint64_t size, uint64_t used, struct bsd_cells *c)
{
	units_format(u, size, c->size, sizeof(c->size));
	units_format(u, used, c->used, sizeof(c->used));
	units_format(u, size - used, c->avail, sizeof(c->avail));
	c->pct = size ? 100.0 * (double)used / (double)size : 0.0;
}
