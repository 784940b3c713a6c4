/* Internal construction of proposals by the engines. */
#ifndef CONSORT_SRC_PROPOSAL_H
#define CONSORT_SRC_PROPOSAL_H

#include "consort/proposal.h"
#include "problem.h"

#include <cjson/cJSON.h>

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

/* The proposal's JSON tree without the advice's fields; NULL when out of memory
 * or p was not made for s. */

cJSON *consort__proposal_json(const consort_proposal *p, const consort_session *s);

/* The proposal's text; sure (n entries, NAN for none) adds "sure NN%" next to
 * each member's fit, extra (the advice's sections) follows the consortia; both
 * may be NULL. */
int consort__proposal_text(char **out, const consort_proposal *p, const consort_session *s,
	const double *sure, const char *extra, consort_error *err);

#endif
