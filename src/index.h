/* Open-addressing hash maps: id string -> index, and (a,b) pair -> index. */
#ifndef CONSORT_SRC_INDEX_H
#define CONSORT_SRC_INDEX_H

#include <stddef.h>
#include <stdint.h>

/* Keys are borrowed: the strings must outlive the map. */
typedef struct consort__strmap {
	size_t cap, count;
	const char **keys;
	size_t *vals;
} consort__strmap;

void consort__strmap_init(consort__strmap *m);
void consort__strmap_dispose(consort__strmap *m);
/* 0 on success, -1 on out of memory. Replaces the value of an existing key. */
int consort__strmap_put(consort__strmap *m, const char *key, size_t val);
/* 1 and *val when found, 0 otherwise. */
int consort__strmap_get(const consort__strmap *m, const char *key, size_t *val);

typedef struct consort__pairmap {
	size_t cap, count;
	uint64_t *keys; /* UINT64_MAX marks an empty slot */
	size_t *vals;
} consort__pairmap;

void consort__pairmap_init(consort__pairmap *m);
void consort__pairmap_dispose(consort__pairmap *m);
int consort__pairmap_put(consort__pairmap *m, size_t a, size_t b, size_t val);
/* Makes room for `count` keys without regrowing; 0 or -1 (out of memory). */
int consort__pairmap_reserve(consort__pairmap *m, size_t count);
int consort__pairmap_get(const consort__pairmap *m, size_t a, size_t b, size_t *val);

#endif
