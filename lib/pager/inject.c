/*
 * Error injection for tests: a device's pages (slots) or a rate at which
 * its reads or writes fail.  Decided when a request is made, before any
 * backend sees it, so every backend fails the same pages.
 */
#include "pager.h"

bool inject_hit(struct pdev *d, uint64_t p, bool write)
{
	const uint64_t *list = write ? d->inj.wpages : d->inj.rpages;
	size_t n = write ? d->inj.nw : d->inj.nr, i;
	double rate = write ? d->inj.wrate : d->inj.rrate;

	for (i = 0; i < n; i++)
		if (list[i] == p)
			return true;
	/* top 53 bits as a uniform double in [0, 1) */
	return rate > 0 && (double)(engine_rand(&d->rng) >> 11) * 0x1.0p-53 < rate;
}

unsigned inject_limit(struct pdev *d, uint64_t p, unsigned n, bool write)
{
	unsigned i;

	if (!d->inj.nw && !d->inj.nr && d->inj.wrate <= 0 && d->inj.rrate <= 0)
		return n;       /* nothing injected on this device */
	for (i = 0; i < n; i++)
		if (inject_hit(d, p + i, write))
			return i;
	return n;
}
