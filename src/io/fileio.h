/* Whole-file reads with a size limit, and atomic writes (temporary file + rename). */
#ifndef CONSORT_SRC_FILEIO_H
#define CONSORT_SRC_FILEIO_H

#include <stddef.h>
#include "consort/common.h"

/* Largest input file consort reads (sessions, CSV, benchmark files). */
#define CONSORT__FILE_MAX ((size_t)256 * 1024 * 1024)

/* Reads the file into a malloc'ed, NUL-terminated buffer. */
int consort__file_read(char **out, size_t *len, const char *path, consort_error *err);

/* Writes data to path atomically: a temporary file in the same directory,
 * fsync, rename. On failure the existing file is untouched. */
int consort__file_write_atomic(const char *path, const char *data, size_t len, consort_error *err);

/* Checks UTF-8 validity; on failure sets *line and *col (1-based) of the bad byte. */
int consort__utf8_valid(const char *data, size_t len, size_t *line, size_t *col);

#endif
