/* Parses a document back as XML (libxml2, no network, no entities from
 * outside), so the tests can check that every page and picture consort writes
 * is well-formed whatever the participants' names hold. */
#ifndef CONSORT_TEST_XMLCHECK_H
#define CONSORT_TEST_XMLCHECK_H

#include <stddef.h>

/* Whether the checker is available (libxml2 found at configure time). */
int xc_available(void);

/* 0 when doc is well-formed XML, else -1 with libxml2's first message in msg.
 * With root != NULL, the root element must have that name. */
int xc_wellformed(const char *doc, const char *root, char *msg, size_t msglen);

/* The number of elements named `name` (any namespace) whose "class" attribute
 * is `cls` (or any when cls is NULL); -1 when doc is not well-formed. */
long xc_count(const char *doc, const char *name, const char *cls);

/* The text content of the n-th (0-based) element named `name` with class
 * `cls`, malloc'ed, or NULL. */
char *xc_text(const char *doc, const char *name, const char *cls, long n);

/* The attribute `attr` of that element, malloc'ed, or NULL. */
char *xc_attr(const char *doc, const char *name, const char *cls, long n, const char *attr);

#endif
