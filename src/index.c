/* Open-addressing hash maps (linear probing, power-of-two capacity) used to
 * look up participants by id and ratings by directed pair in O(1). */
#include "index.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a: short keys, good enough spread for ids. */
static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

/* splitmix64 finalizer: scrambles the packed pair key. */
static uint64_t hash_u64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

void consort__strmap_init(consort__strmap *m)
{
	memset(m, 0, sizeof(*m));
}

void consort__strmap_dispose(consort__strmap *m)
{
	free(m->keys);
	free(m->vals);
	consort__strmap_init(m);
}

static size_t str_slot(const consort__strmap *m, const char *key)
{
	size_t mask = m->cap - 1, i = (size_t)hash_str(key) & mask;
	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & mask;
	return i;
}

static int str_grow(consort__strmap *m)
{
	consort__strmap bigger;
	bigger.cap = m->cap ? m->cap * 2 : 16;
	bigger.count = 0;
	bigger.keys = calloc(bigger.cap, sizeof(*bigger.keys));
	bigger.vals = calloc(bigger.cap, sizeof(*bigger.vals));
	if (!bigger.keys || !bigger.vals) {
		free(bigger.keys);
		free(bigger.vals);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i]) {
			size_t j = str_slot(&bigger, m->keys[i]);
			bigger.keys[j] = m->keys[i];
			bigger.vals[j] = m->vals[i];
			bigger.count++;
		}
	}
	free(m->keys);
	free(m->vals);
	*m = bigger;
	return 0;
}

int consort__strmap_put(consort__strmap *m, const char *key, size_t val)
{
	if ((m->count + 1) * 2 > m->cap && str_grow(m) < 0)
		return -1;
	size_t i = str_slot(m, key);
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->count++;
	}
	m->vals[i] = val;
	return 0;
}

int consort__strmap_get(const consort__strmap *m, const char *key, size_t *val)
{
	if (!m->cap)
		return 0;
	size_t i = str_slot(m, key);
	if (!m->keys[i])
		return 0;
	if (val)
		*val = m->vals[i];
	return 1;
}

#define EMPTY UINT64_MAX

void consort__pairmap_init(consort__pairmap *m)
{
	memset(m, 0, sizeof(*m));
}

void consort__pairmap_dispose(consort__pairmap *m)
{
	free(m->keys);
	free(m->vals);
	consort__pairmap_init(m);
}

static uint64_t pair_key(size_t a, size_t b)
{
	return ((uint64_t)a << 32) | (uint64_t)(uint32_t)b;
}

static size_t pair_slot(const consort__pairmap *m, uint64_t key)
{
	size_t mask = m->cap - 1, i = (size_t)hash_u64(key) & mask;
	while (m->keys[i] != EMPTY && m->keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

static int pair_rehash(consort__pairmap *m, size_t cap)
{
	consort__pairmap bigger;
	bigger.cap = cap;
	bigger.count = 0;
	bigger.keys = malloc(bigger.cap * sizeof(*bigger.keys));
	bigger.vals = malloc(bigger.cap * sizeof(*bigger.vals));
	if (!bigger.keys || !bigger.vals) {
		free(bigger.keys);
		free(bigger.vals);
		return -1;
	}
	for (size_t i = 0; i < bigger.cap; i++)
		bigger.keys[i] = EMPTY;
	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i] != EMPTY) {
			size_t j = pair_slot(&bigger, m->keys[i]);
			bigger.keys[j] = m->keys[i];
			bigger.vals[j] = m->vals[i];
			bigger.count++;
		}
	}
	free(m->keys);
	free(m->vals);
	*m = bigger;
	return 0;
}

static int pair_grow(consort__pairmap *m)
{
	return pair_rehash(m, m->cap ? m->cap * 2 : 64);
}

int consort__pairmap_reserve(consort__pairmap *m, size_t count)
{
	size_t cap = m->cap ? m->cap : 64;
	while (cap < count * 2)
		cap *= 2;
	return cap > m->cap ? pair_rehash(m, cap) : 0;
}

int consort__pairmap_put(consort__pairmap *m, size_t a, size_t b, size_t val)
{
	if ((m->count + 1) * 2 > m->cap && pair_grow(m) < 0)
		return -1;
	uint64_t key = pair_key(a, b);
	size_t i = pair_slot(m, key);
	if (m->keys[i] == EMPTY) {
		m->keys[i] = key;
		m->count++;
	}
	m->vals[i] = val;
	return 0;
}

int consort__pairmap_get(const consort__pairmap *m, size_t a, size_t b, size_t *val)
{
	if (!m->cap)
		return 0;
	size_t i = pair_slot(m, pair_key(a, b));
	if (m->keys[i] == EMPTY)
		return 0;
	if (val)
		*val = m->vals[i];
	return 1;
}
