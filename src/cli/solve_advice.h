/* The consultant's options of `consort solve` (solve_advice.c). */
#ifndef CONSORT_CLI_SOLVE_ADVICE_H
#define CONSORT_CLI_SOLVE_ADVICE_H

#include "consort.h"

/* getopt codes of the options, above every other option of cmd_solve.c. */
enum {
	CLI_OPT_WHY = 1000, CLI_OPT_COMPARE, CLI_OPT_CONFIDENCE, CLI_OPT_CONFIDENCE_SEED,
	CLI_OPT_CONFIDENCE_TIME, CLI_OPT_THREADS, CLI_OPT_PROGRESS
};

#define CLI_ADVICE_OPTIONS                                                        \
	{"why", optional_argument, NULL, CLI_OPT_WHY},                            \
	{"compare", required_argument, NULL, CLI_OPT_COMPARE},                    \
	{"confidence", required_argument, NULL, CLI_OPT_CONFIDENCE},              \
	{"confidence-seed", required_argument, NULL, CLI_OPT_CONFIDENCE_SEED},    \
	{"confidence-time", required_argument, NULL, CLI_OPT_CONFIDENCE_TIME},    \
	{"threads", required_argument, NULL, CLI_OPT_THREADS},                    \
	{"progress", no_argument, NULL, CLI_OPT_PROGRESS}

typedef struct cli_advice_args {
	int why;
	const char *why_id, *why_next;
	const char *compare;
	size_t samples;
	int has_seed;
	unsigned long seed;
	double sample_time;
	int threads, progress;
} cli_advice_args;

/* "consort: solve: MESSAGE (see 'consort help solve')" on stderr; returns CLI_EXIT_USAGE. */
int cli_solve_usage(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

void cli_advice_help(FILE *out);
/* One option (opt is a CLI_OPT_ code); 0 or an exit code after a message. */
int cli_advice_option(cli_advice_args *a, int opt, const char *value);
/* Call before getopt: remembers the word after a bare "--why". */
void cli_advice_prescan(cli_advice_args *a, int argc, char **argv);
/* With two positional words, takes --why's ID out of them: 0 and *session set, or -1. */
int cli_advice_positional(cli_advice_args *a, int npos, char **pos, const char **session);
/* The proposal's text or JSON with the advice asked for; an exit code. */
int cli_advice_render(char **text, const consort_proposal *p, const consort_session *s, const cli_advice_args *a,
	int json, int quiet);

#endif
