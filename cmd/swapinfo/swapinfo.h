/* swapinfo: shared between the option parser and the reports. */
#ifndef SWAPINFO_H
#define SWAPINFO_H

#include <stdio.h>
#include "cmd.h"
#include "output.h"
#include "replay.h"

struct opts {
	bool longfmt;           /* -l */
	bool all;               /* -a */
	bool devices;           /* the device report (default, -l, -a) */
	bool summary;           /* -s */
	bool procs;             /* -P */
	bool smaps;             /* -x */
	bool users;             /* -U */
	bool cgroups;           /* -G */
	const char *area;       /* --area PATH: -P lists who holds pages there */
	size_t top;             /* -n; 0 = all */
	double interval;        /* -i; 0 = once */
	long count;             /* after -i; -1 = forever */
	double sample;          /* --sample: seconds of the first rates */
	const char *fstab;      /* -F */
	struct units units;
	struct outopts out;
	bool prometheus;
	const char *prom_file;  /* --prometheus=FILE */
	bool replay;            /* -r [TRACE] */
	const char *workload;   /* -W WORKLOAD */
	const char *convert;    /* --convert TRACE */
	bool binary;            /* --binary: -W and --convert write that form */
	struct replay_opts ro;  /* --device --alloc --cluster --ram */
};

/* Everything one report shows, read from the library. */
struct snapshot {
	const struct swapctl_swaplist *swaps;   /* own_swaps, or the scan's */
	struct swapctl_swaplist *own_swaps;
	struct swapctl_scan *scan;              /* -a */
	struct swapctl_stats stats;             /* -s */
	bool have_stats;
	struct swapctl_rates rates;
	struct swapctl_zramlist *zram;
	struct swapctl_proclist *procs;         /* -P */
	struct swapctl_swapmap *map;            /* -P: pages per area (pagemap) */
	struct swapctl_userlist *users;         /* -U */
	struct swapctl_cgrouplist *cgroups;     /* -G */
};

/* reports.c: the tables; returns how many it added to tables[]. */
size_t report_tables(const struct opts *o, struct swapctl_ctx *ctx, const struct snapshot *s,
		     struct table *tables);
/* The columns of every report, for --help. */
void report_help(void);
/* One table's columns under a title, for --help. */
void help_table(const char *title, const struct coldef *defs, size_t n);
/* prom.c: the node-exporter textfile format. */
void prom_write(FILE *f, const struct opts *o, struct swapctl_ctx *ctx, const struct snapshot *s);
/* Does -P need the swap map (pages per area)? */
bool report_wants_map(const struct opts *o);
/* The name shown for an area: its path, " (deleted)" when so. */
void area_name(const struct swapctl_swap *sw, char *buf, size_t size);

#define MAX_TABLES 8

#endif
