/* Internal helpers to fill a consort_error record. */
#ifndef CONSORT_SRC_ERROR_H
#define CONSORT_SRC_ERROR_H

#include "consort/common.h"

#if defined(__GNUC__)
#define CONSORT__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CONSORT__PRINTF(f, a)
#endif

/* Sets err (when not NULL) and returns code, so callers can `return consort__error(...)`. */
int consort__error(consort_error *err, int code, const char *fmt, ...) CONSORT__PRINTF(3, 4);

/* Shorthand for an out-of-memory error. */
int consort__error_nomem(consort_error *err);

#endif
