/* The heuristic's fast path for grouping with size ranges only: everyone in
 * one of a fixed number of groups, each of a given size range, no other rule
 * (the maximally diverse grouping shape of the MDGPLIB benchmark). */
#ifndef CONSORT_SRC_HEURISTIC_MDGP_H
#define CONSORT_SRC_HEURISTIC_MDGP_H

#include "engines/heuristic.h"

/* 1 when p has that shape: everyone placed, either m lots or exactly m
 * interchangeable consortia, size bounds only (no sector, cover, together or
 * apart rule), and the size ranges can hold everyone. */
int consort__heur_mdgp_applies(const consort__problem *p);

/* Same contract as consort__heuristic_solve, for problems the test above
 * accepts. Returns 1 with a solution, or a negative code. */
int consort__heur_mdgp_solve(const consort__problem *p, const consort__heur_options *o,
	int *assign, int *k, double *objective, consort_error *err);

#endif
