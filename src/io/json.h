/* cJSON helpers for consort's JSON readers and writers: a strict parse that reports
 * line:column, typed member access that reports JSON paths, and a readable printer. */
#ifndef CONSORT_SRC_JSON_H
#define CONSORT_SRC_JSON_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "consort/common.h"

/* Room for a JSON path in messages ("rules.lots[3].sectors.firm"); longer ones are cut. */
#define CONSORT__JSON_PATH 192

/* Parses one JSON document (data need not be NUL-terminated). Rejects, each with
 * "name: line L, column C: what" where there is a place: empty input, NUL bytes,
 * invalid UTF-8, anything but strict RFC 8259 JSON (raw control characters in
 * strings, unpaired surrogates and \u0000 included), nesting deeper than cJSON's
 * limit and data after the value. A UTF-8 byte-order mark is skipped. On success
 * *out is the root, of any type; the caller frees it with cJSON_Delete. */
int consort__json_parse(cJSON **out, const char *data, size_t len, const char *name,
	consort_error *err);

/* A byte range [start, end) of a document. */
typedef struct consort__json_span {
	size_t start, end;
} consort__json_span;

/* consort__json_parse for documents too large for a cJSON tree: the values of
 * the root object's members named `key` that are arrays are left out of the tree
 * (they parse as `[]`; everything is still checked). *nlifted is how many were
 * left out and *first the byte range in data of the first one's value, for the
 * cursor functions below. Several means the key is given twice. */
int consort__json_parse_lifted(cJSON **out, size_t *nlifted, consort__json_span *first,
	const char *data, size_t len, const char *key, const char *name, consort_error *err);

/* Reading text that consort__json_parse(_lifted) has accepted, value by value,
 * without a tree. pos is where the cursor is, end where the text ends. */
typedef struct consort__json_cursor {
	const char *d;
	size_t pos, end;
} consort__json_cursor;

/* Past spaces. */
void consort__json_cursor_space(consort__json_cursor *c);
/* What consort__json_kind says of the value at pos. */
const char *consort__json_cursor_kind(const consort__json_cursor *c);
/* Past the value at pos, whatever it is. */
void consort__json_cursor_skip(consort__json_cursor *c);
/* The string at pos, decoded as cJSON does, into *buf (grown as needed, *cap is
 * its size); moves past it. -1 when memory runs out, else 0. */
int consort__json_cursor_string(consort__json_cursor *c, char **buf, size_t *cap);
/* The number at pos, read as cJSON reads it; moves past it. */
double consort__json_cursor_number(consort__json_cursor *c);

/* "name: path: expected X, found Y", for values read with a cursor. */
int consort__json_expected(const char *want, const char *found, const char *name, const char *path,
	consort_error *err);

/* 1-based line and column (counted in characters) of byte off of data. */
void consort__json_position(const char *data, size_t off, size_t *line, size_t *col);

/* "an object", "a string", ... for "expected X, found Y" messages. */
const char *consort__json_kind(const cJSON *item);

/* Writes "parent.key" or "parent[i]" into buf (just "key" when parent is empty). */
void consort__json_path_key(char *buf, size_t size, const char *parent, const char *key);
void consort__json_path_index(char *buf, size_t size, const char *parent, size_t i);

/* A printable copy of a user string for messages: control characters become '?',
 * long strings are cut with "...". Returns buf. */
const char *consort__json_show(char *buf, size_t size, const char *s);

/* Member `key` of object obj (*item is NULL when absent). Fails when the key
 * appears more than once: cJSON keeps both, and silently picking one would
 * hide an editing mistake. `path` is obj's path. */
int consort__json_member(const cJSON **item, const cJSON *obj, const char *key,
	const char *name, const char *path, consort_error *err);

/* Type checks with "name: path: expected X, found Y". */
int consort__json_want_object(const cJSON *item, const char *name, const char *path, consort_error *err);
int consort__json_want_array(const cJSON *item, const char *name, const char *path, consort_error *err);
int consort__json_want_string(const char **out, const cJSON *item, const char *name,
	const char *path, consort_error *err);
int consort__json_want_bool(int *out, const cJSON *item, const char *name, const char *path,
	consort_error *err);
/* A finite number. */
int consort__json_want_number(double *out, const cJSON *item, const char *name, const char *path,
	consort_error *err);
/* An integral number within lo..hi. */
int consort__json_want_int(int *out, const cJSON *item, int lo, int hi, const char *name,
	const char *path, consort_error *err);

/* Shortest decimal text that reads back as exactly d ("4", "3.5", "0.1");
 * "null" when d is not finite. buf needs 32 bytes. */
const char *consort__json_number_text(char *buf, size_t size, double d);

/* Prints a tree as readable, newline-terminated JSON: the root object and
 * its object members with nested containers one member per line, arrays of
 * objects one element per line, everything else on one line. Numbers print
 * as consort__json_number_text does. *out is malloc'ed. */
int consort__json_print(char **out, const cJSON *root, consort_error *err);

#endif
