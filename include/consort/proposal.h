/* A proposal: consortia, their scores, the solve status and bound, in the
 * consort-proposal/1 format (formats.md section 3), as JSON or readable text. */
#ifndef CONSORT_PROPOSAL_H
#define CONSORT_PROPOSAL_H

#include <stdio.h>
#include "session.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CONSORT_PROPOSAL_FORMAT "consort-proposal/1"

typedef enum {
	CONSORT_STATUS_OPTIMAL = 0,    /* proved optimal */
	CONSORT_STATUS_FEASIBLE = 1,   /* meets every rule, optimality not proved (limit hit) */
	CONSORT_STATUS_INFEASIBLE = 2, /* proved: no proposal meets the rules */
	CONSORT_STATUS_STOPPED = 3     /* limit hit before any proposal was found */
} consort_status;

typedef struct consort_proposal consort_proposal;

void consort_proposal_free(consort_proposal *p);

consort_status consort_proposal_status(const consort_proposal *p);
const char *consort_status_name(consort_status st);
/* Objective of the proposal; meaningful for optimal and feasible. */
double consort_proposal_objective(const consort_proposal *p);
/* A proven upper bound on the objective (+inf when nothing is proven). */
double consort_proposal_bound(const consort_proposal *p);
/* (bound - objective) / max(1, |objective|). */
double consort_proposal_gap(const consort_proposal *p);
double consort_proposal_seconds(const consort_proposal *p);
/* Which engine produced it: "exact" or "heuristic". */
const char *consort_proposal_engine(const consort_proposal *p);

size_t consort_proposal_count(const consort_proposal *p);
/* Members of consortium k as participant indexes, in the session's order. */
const size_t *consort_proposal_members(const consort_proposal *p, size_t k, size_t *nmembers);
double consort_proposal_score(const consort_proposal *p, size_t k);
/* The lot's name for consortium k, or NULL without lots. */
const char *consort_proposal_lot(const consort_proposal *p, size_t k);
const size_t *consort_proposal_outside(const consort_proposal *p, size_t *noutside);
/* Participants of rules.absent: in no consortium and not in outside. */
const size_t *consort_proposal_absent(const consort_proposal *p, size_t *nabsent);
/* Which objective the proposal maximizes (rules.objective / --objective). */
consort_objective consort_proposal_objective_kind(const consort_proposal *p);
/* The weakest placed member's fit (0 when nobody is placed). */
double consort_proposal_min_fit(const consort_proposal *p);

/* Alternatives (consort_solve_options.alternatives): proposals owned by p, in
 * order (best first), each with its own status, objective, bound and consortia.
 * Fewer than asked when no more exist (or the time ran out: see the last one's
 * status). */
size_t consort_proposal_alternative_count(const consort_proposal *p);
const consort_proposal *consort_proposal_alternative(const consort_proposal *p, size_t i);
/* How many alternatives were asked for, and the difference asked (0 and 0 without). */
size_t consort_proposal_alternatives_asked(const consort_proposal *p);
int consort_proposal_alternatives_differ(const consort_proposal *p);
/* 1 when the search for alternatives ended because no more exist. */
int consort_proposal_alternatives_exhausted(const consort_proposal *p);
/* For an alternative: the participants placed differently from the best
 * proposal (participant indexes, ascending), and best objective - its objective. */
const size_t *consort_proposal_moved(const consort_proposal *alt, size_t *nmoved);
double consort_proposal_gap_to_best(const consort_proposal *alt);

/* When infeasible: a small set of rules that cannot all hold together,
 * as readable items such as "rules.consortia = 2" (may be empty). */
size_t consort_proposal_conflict_count(const consort_proposal *p);
const char *consort_proposal_conflict(const consort_proposal *p, size_t i);

/* Check that the proposal meets every rule of the session and that its scores
 * match the session's weights. Returns 0, or CONSORT_EINVALID with the first
 * violated rule in err. Used by tests and as a final guard in the solver. */
int consort_proposal_check(const consort_proposal *p, const consort_session *s, consort_error *err);

/* Reads a consort-proposal/1 document made for session s (formats.md section 3):
 * members are matched to s by id, every participant must be in a consortium or
 * in "outside", and with lots each consortium names its lot. Scores and the
 * objective are recomputed from s's weights and must agree with the file's, so a
 * proposal made under other ratings or scoring is rejected. Rules are not checked:
 * a hand-made proposal may break them (consort_proposal_check says which).
 * Errors: CONSORT_EINVALID with "name: path: what", CONSORT_EIO, CONSORT_ENOMEM.
 * The caller frees *out with consort_proposal_free. */
int consort_proposal_parse(consort_proposal **out, const char *data, size_t len, const char *name,
	const consort_session *s, consort_error *err);
/* consort_proposal_parse of the file at path (named by its path in messages). */
int consort_proposal_load(consort_proposal **out, const char *path, const consort_session *s,
	consort_error *err);
/* consort_proposal_load for a proposal that may have been made under other
 * ratings or scoring (what-if comparisons): the same checks of ids, places and
 * lots, but scores and objective are recomputed from s and not held against the
 * file's; when they differ the proposal is "feasible" with no bound. */
int consort_proposal_load_rescored(consort_proposal **out, const char *path, const consort_session *s,
	consort_error *err);
/* consort_proposal_load_rescored of a document in memory (named `name` in messages). */
int consort_proposal_parse_rescored(consort_proposal **out, const char *data, size_t len, const char *name,
	const consort_session *s, consort_error *err);

/* consort-proposal/1 JSON, pretty-printed and newline-terminated; malloc'ed. */
int consort_proposal_to_json(char **out, const consort_proposal *p, const consort_session *s,
	consort_error *err);
/* Readable text for people; malloc'ed. */
int consort_proposal_to_text(char **out, const consort_proposal *p, const consort_session *s,
	consort_error *err);

#ifdef __cplusplus
}
#endif
#endif
