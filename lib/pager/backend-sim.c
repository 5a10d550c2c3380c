/* The simulated backend: no data, only the errors a test injects. */
#include <errno.h>
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

static int sim_io(struct pdev *d, uint64_t p, unsigned n, unsigned *done, bool write)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		if (inject_hit(d, p + i, write)) {
			*done = i;
			return -EIO;
		}
	}
	*done = n;
	return 0;
}

static int sim_write(struct pdev *d, uint64_t p, unsigned n, const void *buf, unsigned *done)
{
	(void)buf;
	return sim_io(d, p, n, done, true);
}

static int sim_read(struct pdev *d, uint64_t p, unsigned n, void *buf, unsigned *done)
{
	(void)buf;
	return sim_io(d, p, n, done, false);
}

const struct backend_ops backend_sim_ops = {
	.write = sim_write,
	.read = sim_read,
	.close = NULL,
};
