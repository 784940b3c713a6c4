/* Error codes and the error record shared by every consort module. */
#ifndef CONSORT_COMMON_H
#define CONSORT_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CONSORT_VERSION "0.1.0"

/* Return codes: 0 is success, everything else is negative. */
enum {
	CONSORT_OK = 0,
	CONSORT_EINVALID = -1,    /* malformed or inconsistent input */
	CONSORT_ENOMEM = -2,      /* out of memory */
	CONSORT_EIO = -3,         /* a file could not be read or written */
	CONSORT_EINFEASIBLE = -4, /* no proposal can meet the rules */
	CONSORT_ESOLVER = -5,     /* the solver (GLPK) failed internally */
	CONSORT_EUSAGE = -6,      /* an API argument is out of its domain */
	CONSORT_EINTERNAL = -7    /* a bug: an invariant did not hold */
};

#define CONSORT_ERROR_MAX 512

/* One-line description of the last failure, e.g.
 * "session.json: ratings[12].score: 7 is outside the scale 1..5". */
typedef struct consort_error {
	int code;
	char message[CONSORT_ERROR_MAX];
} consort_error;

/* Reset an error record to "no error". */
void consort_error_clear(consort_error *err);

/* Write data to path atomically (temporary file in the same directory, fsync,
 * rename): readers see the old file or the new one, never half of it. */
int consort_write_file(const char *path, const char *data, size_t len, consort_error *err);

/* A short English name for a return code ("invalid input", ...). */
const char *consort_strerror(int code);

#ifdef __cplusplus
}
#endif
#endif
