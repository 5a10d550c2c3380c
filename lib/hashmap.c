/*
 * A string -> pointer hash map (open addressing, linear probing, deletion by
 * backward shift).  The map does not own keys: they live in the values.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h ? h : 1;
}

static struct hm_entry *slot_for(const struct hashmap *m, const char *key, uint64_t h)
{
	size_t mask = m->size - 1, i;

	for (i = h & mask;; i = (i + 1) & mask) {
		struct hm_entry *e = &m->v[i];

		if (!e->hash || (e->hash == h && !strcmp(e->key, key)))
			return e;
	}
}

void *hashmap_get(const struct hashmap *m, const char *key)
{
	struct hm_entry *e;

	if (!m->size)
		return NULL;
	e = slot_for(m, key, hash_str(key));
	return e->hash ? e->val : NULL;
}

static int grow(struct hashmap *m)
{
	struct hashmap n = { 0 };
	size_t i;

	n.size = m->size ? m->size * 2 : 16;
	n.v = calloc(n.size, sizeof(*n.v));
	if (!n.v)
		return -ENOMEM;
	for (i = 0; i < m->size; i++)
		if (m->v[i].hash)
			*slot_for(&n, m->v[i].key, m->v[i].hash) = m->v[i];
	n.used = m->used;
	free(m->v);
	*m = n;
	return 0;
}

int hashmap_put(struct hashmap *m, const char *key, void *val)
{
	struct hm_entry *e;
	uint64_t h = hash_str(key);
	int r;

	if ((m->used + 1) * 4 > m->size * 3 && (r = grow(m)) < 0)
		return r;
	e = slot_for(m, key, h);
	if (e->hash)
		return -EEXIST;
	e->hash = h;
	e->key = key;
	e->val = val;
	m->used++;
	return 0;
}

void *hashmap_del(struct hashmap *m, const char *key)
{
	size_t mask, i, j;
	struct hm_entry *e;
	void *val;

	if (!m->size)
		return NULL;
	e = slot_for(m, key, hash_str(key));
	if (!e->hash)
		return NULL;
	val = e->val;
	mask = m->size - 1;
	i = (size_t)(e - m->v);
	m->v[i].hash = 0;
	for (j = i;;) {
		size_t home;

		j = (j + 1) & mask;
		if (!m->v[j].hash)
			break;
		home = m->v[j].hash & mask;
		/* move j back to i unless its home lies cyclically in (i, j] */
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			m->v[i] = m->v[j];
			m->v[j].hash = 0;
			i = j;
		}
	}
	m->used--;
	return val;
}

void hashmap_free(struct hashmap *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}
