/* The heuristic's fast path for pure clique partitioning: everyone placed, any
 * number of consortia of any size, no other rule (the CP-Lib benchmark shape). */
#ifndef CONSORT_SRC_HEURISTIC_CPP_H
#define CONSORT_SRC_HEURISTIC_CPP_H

#include "engines/heuristic.h"

/* 1 when p is pure clique partitioning: no lots, everyone placed, consortia
 * count 1..n (or wider), size 1..n, no sector, cover, together or apart rule. */
int consort__heur_cpp_applies(const consort__problem *p);

/* Same contract as consort__heuristic_solve, for problems the test above
 * accepts. Returns 1 with a solution (always, for n >= 1), or a negative code. */
int consort__heur_cpp_solve(const consort__problem *p, const consort__heur_options *o,
	int *assign, int *k, double *objective, consort_error *err);

#endif
