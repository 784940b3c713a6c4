/* Shared pieces of the consort command line: exit codes, messages, output. */
#ifndef CONSORT_CLI_H
#define CONSORT_CLI_H

#include <stdio.h>
#include "consort.h"

/* Exit codes, documented in `consort --help`. */
enum {
	CLI_EXIT_OK = 0,         /* done; for solve: a proposal was found */
	CLI_EXIT_NOSOLUTION = 1, /* solve: infeasible, or no proposal within the limit */
	CLI_EXIT_USAGE = 2,      /* usage or input error */
	CLI_EXIT_INTERNAL = 3    /* internal error (solver failure, out of memory) */
};

typedef struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
	void (*help)(FILE *out);
} cli_command;

/* Prints "consort: <message>" and a newline to stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* Reports a library error on stderr and returns the exit code for it:
 * invalid input and I/O -> 2, anything else -> 3. */
int cli_fail(const consort_error *err);

/* Writes data to stdout (path NULL or "-") or atomically to path.
 * Returns an exit code. */
int cli_output(const char *path, const char *data);

/* Parses "K" or "MIN..MAX" (MAX may be empty for no limit); 0 on success. */
int cli_parse_range(const char *text, int *min, int *max);

/* Whether arg is the option `name`, alone or as "--name=VALUE" (long options). */
int cli_is_option(const char *arg, const char *name);

/* The value of "--name VALUE" or "--name=VALUE" at argv[*i], advancing *i past
 * it; NULL after printing "consort: CMD: NAME needs a value". */
const char *cli_option_value(const char *cmd, int argc, char **argv, int *i, const char *name);

/* Parses a whole number of decimal digits only (no sign, no spaces) within
 * lo..hi (0 <= lo); 0 on success. */
int cli_parse_count(const char *text, int lo, int hi, int *out);

/* Parses a non-negative number of seconds; 0 on success. */
int cli_parse_seconds(const char *text, double *out);

/* The commands; each lives in its own cmd_<name>.c. */
int cli_solve(int argc, char **argv);
void cli_solve_help(FILE *out);
int cli_import(int argc, char **argv);
void cli_import_help(FILE *out);
int cli_simulate(int argc, char **argv);
void cli_simulate_help(FILE *out);
int cli_schedule(int argc, char **argv);
void cli_schedule_help(FILE *out);
int cli_report(int argc, char **argv);
void cli_report_help(FILE *out);
int cli_serve(int argc, char **argv);
void cli_serve_help(FILE *out);

#endif
