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

/* Injection happened when the request was made: the rest always works. */
static void sim_submit(struct pdev *d, struct pio *io)
{
	(void)d;
	io->done = io->n;
	io->err = 0;
	io->busy = false;
}

static void sim_reap(struct pdev *d)
{
	(void)d;        /* nothing is ever in flight */
}

const struct backend_ops backend_sim_ops = {
	.submit = sim_submit,
	.reap = sim_reap,
	.close = NULL,
};
