/* swapctl: the options every sub-command sees. */
#ifndef SWAPCTL_SWAPCTL_H
#define SWAPCTL_SWAPCTL_H

#include "cmd.h"

struct opts {
	int mode;                       /* the command letter: 'F', 'V', 'c' ... */
	const char *label;              /* -L */
	const char *uuid;               /* -u: UUID, clear, random or time */
	unsigned pagesize;              /* -P */
	enum swapctl_endian endian;     /* -e */
	uint64_t size;                  /* -S */
	int prio;                       /* -p */
	bool have_prio;
	bool force;                     /* -f */
	bool dry_run;                   /* -n */
	bool json;                      /* --json */
};

int cmd_format(struct swapctl_ctx *ctx, const struct opts *o, char **paths, int n);
int cmd_verify(struct swapctl_ctx *ctx, const struct opts *o, char **paths, int n);
int cmd_change(struct swapctl_ctx *ctx, const struct opts *o, char **paths, int n);

#endif
