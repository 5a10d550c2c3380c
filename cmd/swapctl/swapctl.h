/* swapctl: the options every sub-command sees. */
#ifndef SWAPCTL_SWAPCTL_H
#define SWAPCTL_SWAPCTL_H

#include "cmd.h"
#include "output.h"

struct opts {
	int mode;                       /* the command letter: 'F', 'V', 'c' ... */
	const char *label;              /* -L */
	const char *uuid;               /* -u: UUID, clear, random or time */
	unsigned pagesize;              /* -P */
	enum swapctl_endian endian;     /* -e */
	uint64_t size;                  /* -S */
	uint64_t offset;                /* --offset: the area's start in PATH (-F, -V) */
	bool have_offset;
	int prio;                       /* -p */
	bool have_prio;
	bool force;                     /* -f */
	bool dry_run;                   /* -n */
	bool json;                      /* --json */
	const char *swapopts;           /* -o with -a/-A: discard[=...], pri=N */
	const char *type;               /* -t blk|noblk */
	const char *fstab;              /* --fstab */
	bool verbose;                   /* -v */
	bool quiet;                     /* --quiet, -q beside -F -V -c */
	bool scan;                      /* -V --scan */
	bool record;                    /* -V --scan --record */
	struct units units;             /* -k -m -g -h --bytes, BLOCKSIZE */
	struct outopts out;             /* --json --raw --noheadings -o */
};

int cmd_format(struct swapctl_ctx *ctx, const struct opts *o, char **paths, int n);
int cmd_verify(struct swapctl_ctx *ctx, const struct opts *o, char **paths, int n);
int cmd_change(struct swapctl_ctx *ctx, const struct opts *o, char **paths, int n);
int cmd_add(struct swapctl_ctx *ctx, const struct opts *o, char **paths, int n);
/* plan.c: swapctl -d -n prints the swapoff plan of path. */
int cmd_plan(struct swapctl_ctx *ctx, const struct opts *o, const char *path);
int cmd_delete(struct swapctl_ctx *ctx, const struct opts *o, char **paths, int n);
int cmd_add_all(struct swapctl_ctx *ctx, const struct opts *o);
int cmd_remove_all(struct swapctl_ctx *ctx, const struct opts *o);
int cmd_list(struct swapctl_ctx *ctx, const struct opts *o);
int cmd_summary(struct swapctl_ctx *ctx, const struct opts *o);
int cmd_query(struct swapctl_ctx *ctx, const struct opts *o);
void swapctl_list_help(void);

#endif
