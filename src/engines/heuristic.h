/* The heuristic engine: fast local search for good proposals on large
 * sessions, and the starting incumbent of the exact engine. */
#ifndef CONSORT_SRC_HEURISTIC_H
#define CONSORT_SRC_HEURISTIC_H

#include "problem.h"

typedef struct consort__heur_options {
	double time_limit;   /* seconds of wall time; <= 0: stop by max_iters only */
	long max_iters;      /* <= 0: no cap (then time_limit must be > 0); the unit is
	                      * each search's own step (a move, a participant visited) */
	unsigned long seed;
	int has_target;      /* stop as soon as the objective reaches target */
	double target;
	/* Called now and then with the best objective so far; may be NULL. */
	void (*progress)(double seconds, double best, void *data);
	void *progress_data;
} consort__heur_options;

void consort__heur_options_init(consort__heur_options *o);

/* Searches for the best feasible assignment. Returns 1 and fills assign (n
 * entries), *k and *objective when a solution meeting every rule was found,
 * 0 when none was found, a negative code on error. The result is always
 * verified with consort__problem_feasible. With the same seed and max_iters
 * (and no time limit) the result is reproducible. */
int consort__heuristic_solve(const consort__problem *p, const consort__heur_options *o,
	int *assign, int *k, double *objective, consort_error *err);

#endif
