/* Tables through libsmartcols: --json, --raw, --noheadings, -o COLUMNS. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cmd.h"
#include "output.h"

/* util-linux's names for our columns, accepted by -o wherever the column
 * is; the column keeps its own name in headers and JSON keys. */
static const struct {
	const char *alias, *name;
} aliases[] = {
	{ "NAME", "DEVICE" },
};

static bool same_name(const char *col, const char *name, size_t len)
{
	return strlen(col) == len && !strncasecmp(col, name, len);
}

int table_find_column(const struct coldef *defs, size_t ndefs, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ndefs; i++)
		if (same_name(defs[i].name, name, len))
			return (int)i;
	for (i = 0; i < ARRAY_SIZE(aliases); i++)
		if (same_name(aliases[i].alias, name, len))
			return table_find_column(defs, ndefs, aliases[i].name, strlen(aliases[i].name));
	return -1;
}

static void add_column(struct table *t, int idx, bool json)
{
	const struct coldef *d = &t->defs[idx];
	struct libscols_column *cl;
	char lower[4096];
	size_t i;
	int c;

	if (t->ncols >= (int)(sizeof(t->map) / sizeof(t->map[0])))
		return;
	/* once: +DEVICE, or NAME beside DEVICE, names a column already shown */
	for (c = 0; c < t->ncols; c++)
		if (t->map[c] == idx)
			return;
	/* a column named by a path (an area) keeps its case */
	for (i = 0; d->name[i] && i < sizeof(lower) - 1; i++)
		lower[i] = d->name[0] == '/' ? d->name[i] : (char)tolower((unsigned char)d->name[i]);
	lower[i] = '\0';
	cl = scols_table_new_column(t->tb, json ? lower : d->name, d->whint, d->flags);
	if (cl && json && d->number)
		scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
	t->map[t->ncols++] = idx;
}

void table_init(struct table *t, const char *name, const struct outopts *o,
		const struct coldef *defs, size_t ndefs)
{
	const char *p, *list = o->columns;
	size_t i;

	memset(t, 0, sizeof(*t));
	t->defs = defs;
	t->tb = scols_new_table();
	if (!t->tb) {
		cmd_error("cannot make a table: out of memory");
		exit(EXIT_SYSERR);
	}
	t->json = o->json;
	scols_table_set_name(t->tb, name);
	scols_table_enable_json(t->tb, o->json);
	scols_table_enable_raw(t->tb, o->raw);
	scols_table_enable_noheadings(t->tb, o->noheadings);
	if (!list || *list == '+') {
		for (i = 0; i < ndefs; i++)
			if (defs[i].dflt)
				add_column(t, (int)i, o->json);
		if (list)
			list++;
	}
	for (p = list; p && *p;) {
		size_t len = strcspn(p, ",");
		int idx = table_find_column(defs, ndefs, p, len);

		if (idx < 0)
			cmd_usage_error("-o: unknown column '%.*s'", (int)len, p);
		add_column(t, idx, o->json);
		p += len;
		if (*p == ',')
			p++;
	}
}

const char *table_column_alias(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(aliases); i++)
		if (!strcmp(aliases[i].name, name))
			return aliases[i].alias;
	return NULL;
}

void table_rename(struct table *t, const char *name, const char *header)
{
	int i;

	if (scols_table_is_json(t->tb))
		return;
	for (i = 0; i < t->ncols; i++) {
		if (!strcasecmp(t->defs[t->map[i]].name, name)) {
			struct libscols_column *cl = scols_table_get_column(t->tb, (size_t)i);

			scols_cell_set_data(scols_column_get_header(cl), header);
		}
	}
}

struct libscols_line *table_line(struct table *t)
{
	return scols_table_new_line(t->tb, NULL);
}

void table_set(struct table *t, struct libscols_line *ln, const char *name, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int i;

	for (i = 0; i < t->ncols; i++) {
		if (strcasecmp(t->defs[t->map[i]].name, name))
			continue;
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		if (t->json) {
			/* libsmartcols copies bytes as they are: keep JSON valid UTF-8 */
			char clean[sizeof(buf) * 3];

			utf8_sanitize(buf, clean, sizeof(clean));
			scols_line_set_data(ln, (size_t)i, clean);
		} else {
			scols_line_set_data(ln, (size_t)i, buf);
		}
	}
}

void table_print(struct table *t)
{
	if (t->text)
		fputs(t->text, stdout);
	else
		scols_print_table(t->tb);
}

const char *safe_name(const char *s, char *buf, size_t size)
{
	size_t o = 0;

	for (; *s && o + 5 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	return buf;
}

const char *bsd_name(const struct swapctl_swap *sw, char *buf, size_t size)
{
	safe_name(sw->path, buf, size - 10);
	if (sw->deleted)
		strcat(buf, " (deleted)");
	return buf;
}

void table_set_text(struct table *t, char *text)
{
	free(t->text);
	t->text = text;
}

bool table_has(const struct table *t, const char *name)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		if (!strcasecmp(t->defs[t->map[i]].name, name))
			return true;
	return false;
}

void table_set_size(struct table *t, struct libscols_line *ln, const char *name,
		    const struct units *u, uint64_t bytes)
{
	char buf[64];

	if (bytes == SWAPCTL_UNKNOWN) {
		table_set(t, ln, name, "%s", t->json ? "" : "?");
	} else if (bytes == SWAPCTL_UNLIMITED) {
		/* "max" as the kernel writes it; a JSON number column gets null */
		int i;
		bool number = false;

		for (i = 0; i < t->ncols; i++)
			if (!strcasecmp(t->defs[t->map[i]].name, name))
				number = t->defs[t->map[i]].number;
		table_set(t, ln, name, "%s", t->json && number ? "" : "max");
	} else {
		units_format(u, bytes, buf, sizeof(buf));
		table_set(t, ln, name, "%s", buf);
	}
}

void table_set_none(struct table *t, struct libscols_line *ln, const char *name)
{
	table_set(t, ln, name, "%s", t->json ? "" : "-");
}

/* The JSON of one table without its enclosing braces. */
static char *json_members(struct table *t)
{
	char *s = NULL, *open, *close;

	if (scols_print_table_to_string(t->tb, &s) != 0 || !s)
		return NULL;
	open = strchr(s, '{');
	close = strrchr(s, '}');
	if (!open || !close || close < open) {
		free(s);
		return NULL;
	}
	*close = '\0';
	while (close > open + 1 && (close[-1] == '\n' || close[-1] == ' '))
		*--close = '\0';
	memmove(s, open + 1, strlen(open + 1) + 1);
	return s;
}

/* An empty table still shows its header line, as the BSD tools do. */
static void print_header(struct table *t)
{
	size_t i, n = scols_table_get_ncols(t->tb);

	if (scols_table_is_noheadings(t->tb))
		return;
	for (i = 0; i < n; i++) {
		struct libscols_column *cl = scols_table_get_column(t->tb, i);
		const char *h = scols_cell_get_data(scols_column_get_header(cl));

		printf("%s%s", i ? " " : "", h ? h : "");
	}
	putchar('\n');
}

void table_print_all(struct table **tables, size_t n)
{
	size_t i;

	if (n && tables[0]->json) {
		if (n == 1) {
			table_print(tables[0]);
			return;
		}
		fputs("{", stdout);
		for (i = 0; i < n; i++) {
			char *m = json_members(tables[i]);

			if (m)
				printf("%s%s", i ? "," : "", m);
			free(m);
		}
		fputs("\n}\n", stdout);
		return;
	}
	for (i = 0; i < n; i++) {
		if (i)
			putchar('\n');
		if (!tables[i]->text && scols_table_get_nlines(tables[i]->tb) == 0)
			print_header(tables[i]);
		else
			table_print(tables[i]);
	}
}

void table_free(struct table *t)
{
	scols_unref_table(t->tb);
	t->tb = NULL;
	free(t->text);
	t->text = NULL;
}

void table_help(const struct coldef *defs, size_t ndefs)
{
	const char *alias;
	size_t i;

	printf("\nColumns for -o (default ones marked *):\n");
	for (i = 0; i < ndefs; i++) {
		printf(" %c %-12s %s\n", defs[i].dflt ? '*' : ' ', defs[i].name, defs[i].help);
		if ((alias = table_column_alias(defs[i].name)))
			printf("   %-12s %s under util-linux's name\n", alias, defs[i].name);
	}
}
