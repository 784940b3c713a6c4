/* Helpers shared by the tests: run the consort command and capture its output. */
#ifndef CONSORT_TESTUTIL_H
#define CONSORT_TESTUTIL_H

#include <stddef.h>

typedef struct tu_result {
	int status;   /* exit code, or 128 + signal number */
	char *out;    /* captured stdout, NUL-terminated */
	char *err;    /* captured stderr, NUL-terminated */
} tu_result;

/* Runs argv (argv[0] is the program path; NULL-terminated) with stdin from
 * /dev/null and captures stdout and stderr. Returns 0, or -1 if it could not run. */
int tu_run(tu_result *r, const char *const *argv);
void tu_result_free(tu_result *r);

/* A fresh temporary directory (malloc'ed path); removed by tu_rmdir. */
char *tu_tempdir(void);
void tu_rmdir(const char *dir);

/* Writes a whole file; returns 0 or -1. */
int tu_write(const char *path, const char *data);
/* Reads a whole file (malloc'ed, NUL-terminated) or NULL. */
char *tu_read(const char *path);

/* Number of lines in s (a final line without newline counts). */
int tu_count_lines(const char *s);

/* A TCP connection to 127.0.0.1:port with a 10 s receive timeout; the socket,
 * or -1. */
int tu_connect_loopback(unsigned port);
/* The same from the source address `from` (e.g. "127.0.0.9"; NULL: any). */
int tu_connect_loopback_from(unsigned port, const char *from);

#endif
