/* Units and tables shared by the commands' reports. */
#ifndef SWAPCTL_OUTPUT_H
#define SWAPCTL_OUTPUT_H

#include <libsmartcols.h>
#include <stdbool.h>
#include <stdint.h>
#include "array.h"

/*
 * Units for sizes: blocks of a given size (BSD getbsize(3) and BLOCKSIZE),
 * human-readable (-h), or exact bytes (--bytes).
 */
enum units_mode { UNITS_BLOCKS, UNITS_HUMAN, UNITS_BYTES };
struct units {
	enum units_mode mode;
	uint64_t blocksize;
	char header[32];        /* "512-blocks", "1K-blocks", "Size", "Bytes" */
	char word[16];          /* for sentences: "blocks", "KBytes" ... */
};
/* The long forms of -k -m -g -h, for a getopt_long table. */
#define UNITS_LONGOPTS \
	{ "kibi", no_argument, NULL, 'k' }, { "mebi", no_argument, NULL, 'm' }, \
	{ "gibi", no_argument, NULL, 'g' }, { "human", no_argument, NULL, 'h' }
/* Start from default_bs, overridden by $BLOCKSIZE as getbsize(3) reads it. */
void units_init(struct units *u, uint64_t default_bs);
/* -k -m -g -h, or 'b' for --bytes. */
void units_set(struct units *u, int flag);
/* bytes in the chosen units, into buf. */
void units_format(const struct units *u, uint64_t bytes, char *buf, size_t size);
/* Human form, as BSD humanize_number: "0B", "512M", "2.0G". */
void units_human(uint64_t bytes, char *buf, size_t size);
/* The cells of a BSD listing's row: size, used, avail in units u, and the
 * capacity in percent. */
struct bsd_cells {
	char size[32], used[32], avail[32];
	double pct;
};
void bsd_cells(const struct units *u, uint64_t size, uint64_t used, struct bsd_cells *c);

/* What every table accepts. */
struct outopts {
	bool json, raw, noheadings, bytes;
	const char *columns;    /* -o: NAME,NAME or +NAME to add to the defaults */
};

/* One column a report can show. */
struct coldef {
	const char *name;       /* header, and the -o and JSON name (lower case) */
	double whint;
	int flags;              /* SCOLS_FL_* */
	bool number;            /* a JSON number */
	const char *help;
	bool dflt;              /* shown without -o */
};

struct table {
	struct libscols_table *tb;
	const struct coldef *defs;
	int map[64];            /* table column -> index in defs */
	int ncols;
	bool json;              /* --json: unknown cells are null */
	char *text;             /* set: printed instead (a BSD printf layout) */
};

/* The index in defs of the column -o calls name (len bytes): its name in
 * any case, or util-linux's name for it (NAME for DEVICE); -1 if none. */
int table_find_column(const struct coldef *defs, size_t ndefs, const char *name, size_t len);
/* util-linux's name for the column called name, or NULL. */
const char *table_column_alias(const char *name);
/* A table named name (the JSON key) with the columns -o selects.  Exits
 * with a usage error naming an unknown column. */
void table_init(struct table *t, const char *name, const struct outopts *o,
		const struct coldef *defs, size_t ndefs);
/* Rename a column's header (units); JSON keeps the lower-case name. */
void table_rename(struct table *t, const char *name, const char *header);
struct libscols_line *table_line(struct table *t);
/* Set the cell of column name (ignored when not shown); printf style. */
void table_set(struct table *t, struct libscols_line *ln, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Is column name shown? */
bool table_has(const struct table *t, const char *name);
/*
 * A size in units u: SWAPCTL_UNKNOWN prints "?" (JSON null), and
 * SWAPCTL_UNLIMITED "max".  table_set_none prints "-" (JSON null) for a
 * value that does not apply.
 */
void table_set_size(struct table *t, struct libscols_line *ln, const char *name,
		    const struct units *u, uint64_t bytes);
void table_set_none(struct table *t, struct libscols_line *ln, const char *name);
void table_print(struct table *t);
/* s with control characters as \xNN (as libsmartcols shows them), into
 * buf: for names printed outside a table. */
const char *safe_name(const char *s, char *buf, size_t size);
/* An area's name as the BSD listings print it: safe_name, and " (deleted)"
 * after an area whose node or file was removed. */
struct swapctl_swap;
const char *bsd_name(const struct swapctl_swap *sw, char *buf, size_t size);
/* Print text (malloc'd; the table owns it) instead of the table's cells:
 * for the BSD tools' fixed printf layouts. */
void table_set_text(struct table *t, char *text);
/* Print several tables: one JSON object holding them all with --json,
 * else one after another, separated by a blank line. */
void table_print_all(struct table **tables, size_t n);
void table_free(struct table *t);
/* The columns' help for --help. */
void table_help(const struct coldef *defs, size_t ndefs);

#endif
