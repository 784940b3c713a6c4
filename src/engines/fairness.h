/* Local search for the fairness rules the tabu search does not model: reaching
 * min_fit, and raising the weakest member's fit (maxmin). */
#ifndef CONSORT_SRC_ENGINES_FAIRNESS_H
#define CONSORT_SRC_ENGINES_FAIRNESS_H

#include "problem.h"

typedef enum {
	CONSORT__FAIR_MIN_FIT = 0, /* reach p->min_fit: smaller total shortfall first, then the total */
	CONSORT__FAIR_MAXMIN = 1   /* a larger weakest placed fit first, then the total */
} consort__fair_mode;

/* Improves assign (n entries, k consortia; it must meet every rule of p but
 * min_fit in CONSORT__FAIR_MIN_FIT mode, every rule in CONSORT__FAIR_MAXMIN)
 * by relocating the units (together pairs move as one) that hold the weakest
 * members, or that weigh on them, and by swapping them, while every other rule
 * holds (consort__problem_feasible decides). Stops at a local optimum, after
 * max_steps improvements or time_limit seconds (<= 0: none). Returns 1 when
 * the result meets every rule of p, 0 otherwise, -1 when out of memory. */
int consort__fair_improve(const consort__problem *p, int *assign, int *k, consort__fair_mode mode,
	long max_steps, double time_limit);

#endif
