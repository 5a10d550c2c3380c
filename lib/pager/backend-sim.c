/* The simulated backend: no data; the errors a test injects were drawn
 * when the request was made (inject.c). */
#include <errno.h>
#include "pager.h"

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
