/* A minimal JSON writer for reports that are not tables (tables use
 * libsmartcols' own JSON output). */
#include <string.h>
#include "cmd.h"

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = true;
}

static void indent(struct json *j)
{
	int i;

	for (i = 0; i < j->depth; i++)
		fputs("  ", j->f);
}

size_t utf8_seq_len(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;      /* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f;      /* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		if (s[0] == 0xf0)
			lo = 0x90;      /* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f;      /* above U+10FFFF */
	} else {
		return 0;
	}
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

void utf8_sanitize(const char *s, char *out, size_t size)
{
	static const char repl[] = "\xef\xbf\xbd";   /* U+FFFD */
	size_t o = 0;

	if (size == 0)
		return;
	while (*s) {
		size_t n = utf8_seq_len(s);
		const char *from = n ? s : repl;
		size_t len = n ? n : 3;

		if (o + len >= size)
			break;
		memcpy(out + o, from, len);
		o += len;
		s += n ? n : 1;
	}
	out[o] = '\0';
}

static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		size_t n;

		if (c >= 0x80) {
			/* valid sequences as they are, any other byte as U+FFFD */
			n = utf8_seq_len(s);
			if (n) {
				fwrite(s, 1, n, f);
				s += n - 1;
			} else {
				fputs("\\ufffd", f);
			}
		} else if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Separator, newline, indentation and "key": before a value. */
static void member(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	if (j->depth > 0 || !j->first[0])
		fputc('\n', j->f);
	j->first[j->depth] = false;
	indent(j);
	if (key) {
		put_string(j->f, key);
		fputs(": ", j->f);
	}
}

void json_open(struct json *j, const char *key, char bracket)
{
	member(j, key);
	fputc(bracket, j->f);
	if (j->depth < 31)
		j->depth++;
	j->first[j->depth] = true;
}

void json_close(struct json *j, char bracket)
{
	bool empty = j->first[j->depth];

	j->depth--;
	if (!empty) {
		fputc('\n', j->f);
		indent(j);
	}
	fputc(bracket, j->f);
}

void json_str(struct json *j, const char *key, const char *val)
{
	member(j, key);
	if (val)
		put_string(j->f, val);
	else
		fputs("null", j->f);
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	member(j, key);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void json_i64(struct json *j, const char *key, int64_t v)
{
	member(j, key);
	fprintf(j->f, "%lld", (long long)v);
}

void json_double(struct json *j, const char *key, double v)
{
	member(j, key);
	fprintf(j->f, "%.6g", v);
}

void json_bool(struct json *j, const char *key, bool v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->f);
}

void json_finish(struct json *j)
{
	fputc('\n', j->f);
}
