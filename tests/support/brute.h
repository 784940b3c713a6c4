/* Exact brute force over every assignment of a small problem: the oracle the
 * engines (heuristic, GLPK) are compared against in the tests. */
#ifndef CONSORT_TEST_BRUTE_H
#define CONSORT_TEST_BRUTE_H

#include "problem.h"

/* Largest n brute_solve accepts (Bell(13) is already 27 million partitions). */
#define BRUTE_MAX_N 12

/* Enumerates every assignment of p (set partitions as restricted growth
 * strings, plus "outside" when everyone == 0; with lots, every labelling by
 * lot or outside), keeps those consort__problem_feasible accepts and returns
 * the best by consort__problem_objective (the first found among equals).
 * Returns 1 and fills assign (n entries), *k and *best when a feasible
 * assignment exists, 0 when none does, -1 when n > BRUTE_MAX_N or out of memory. */
int brute_solve(const consort__problem *p, int *assign, int *k, double *best);

/* Calls fn for every feasible assignment of p (the enumeration of brute_solve;
 * assign is only valid during the call). Returns the number of feasible
 * assignments, or -1 when n > BRUTE_MAX_N or out of memory. */
long brute_each(const consort__problem *p, void (*fn)(const int *assign, int k, void *data), void *data);

/* The maxmin optimum: the largest weakest placed fit (consort__problem_min_fit),
 * then the largest total among those. Returns like brute_solve, with *min_fit. */
int brute_solve_maxmin(const consort__problem *p, int *assign, int *k, double *min_fit, double *total);

/* How many complete assignments the last brute_solve call checked. */
long brute_last_count(void);

#endif
