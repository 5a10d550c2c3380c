/* Setting up an engine replay from command-line options (swapinfo -r, swaptop -r). */
#ifndef SWAPCTL_REPLAY_H
#define SWAPCTL_REPLAY_H

#include <stdio.h>
#include "libswapctl.h"
#include "libswapctl-pager.h"    /* the engine and traces */

struct replay_opts {
	const char *trace;              /* path, "-" for stdin, NULL: the default workload */
	const char *devmap[64];         /* --device NAME=PATH */
	int ndevmap;
	int alloc;                      /* --alloc: -1 none, else enum swapctl_allocator */
	unsigned cluster;               /* --cluster, 0 none */
	uint64_t ram;                   /* --ram, 0 none */
	uint64_t seed;
};

#define REPLAY_DEFAULT_WORKLOAD "mixed,pages=8192,ram=2048,events=100000"

/* Parse --alloc, --cluster, --ram, --device values; exit with a usage error. */
void replay_opt_alloc(struct replay_opts *r, const char *arg);
void replay_opt_cluster(struct replay_opts *r, const char *arg);
void replay_opt_ram(struct replay_opts *r, const char *arg);
void replay_opt_device(struct replay_opts *r, const char *arg);

/*
 * Make the engine the options describe and open the trace (the default
 * workload, generated in memory, when none is named).  name receives the
 * trace's name for messages.  Returns 0, or an exit code after printing
 * the error.
 */
int replay_setup(struct swapctl_ctx *ctx, const struct replay_opts *r, struct swapctl_engine **e,
		 FILE **trace, char *name, size_t size);
/* Close what replay_setup opened. */
void replay_close(FILE *trace);

/*
 * After a replay: one line on stderr per event of the engine ("prog:
 * TRACE:LINE: EVENT: device DEV: reason"), the first REPLAY_EVENT_LINES
 * of them, then how many more there were.
 */
#define REPLAY_EVENT_LINES 100
void replay_print_events(struct swapctl_engine *e, const char *name);
/* EXIT_REPLAY_FAILED when pages failed during the run, else EXIT_OK. */
int replay_status(struct swapctl_engine *e);

#endif
