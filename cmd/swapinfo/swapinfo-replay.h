/* swapinfo -r and -W. */
#ifndef SWAPINFO_REPLAY_H
#define SWAPINFO_REPLAY_H

#include "output.h"
#include "replay.h"

int swapinfo_replay(struct swapctl_ctx *ctx, const struct replay_opts *r, const struct outopts *out);
int swapinfo_workload(struct swapctl_ctx *ctx, const char *spec, bool binary);
int swapinfo_convert(struct swapctl_ctx *ctx, const char *trace, bool binary);
void replay_columns_help(void);

#endif
