/* Internal construction of proposals by the engines. */
#ifndef CONSORT_SRC_PROPOSAL_H
#define CONSORT_SRC_PROPOSAL_H

#include "consort/proposal.h"
#include "problem.h"

/* Builds a proposal from an assignment (see consort__problem_feasible for its
 * form). assign may be NULL for infeasible and stopped. Scores are computed
 * from p's weights; members are listed in participant order and consortia
 * sorted by lot index with lots, else by their first member. */
int consort__proposal_new(consort_proposal **out, const consort__problem *p,
	consort_status status, const int *assign, int k, double bound, double seconds,
	const char *engine, consort_error *err);

/* Appends alt (taken over) to p's alternatives, with the members that moved
 * relative to p (moved: n flags) and p's objective minus alt's. */
int consort__proposal_add_alternative(consort_proposal *p, consort_proposal *alt, const int *moved,
	consort_error *err);
/* Records what was asked for and whether the search ended for want of more. */
void consort__proposal_set_alternatives(consort_proposal *p, size_t asked, int differ, int exhausted);

/* Adds a readable item to the proposal's conflict list (infeasible proposals). */
int consort__proposal_add_conflict(consort_proposal *p, const char *item, consort_error *err);

#endif
