/* The combinatorial exact engine for workshop sizes: a depth-first branch and
 * bound over the assignment of participants to consortia, with the bound of a
 * Russian doll search (the optimum of every suffix of the participant order,
 * rules relaxed, solved from the last participant back to the first) and every
 * rule propagated at each node. Proves sessions of a few dozen participants
 * whatever the structure of their ratings; GLPK (ilp.c) takes the rest. */
#ifndef CONSORT_SRC_BNB_H
#define CONSORT_SRC_BNB_H

#include "problem.h"
#include "consort/proposal.h"

/* Largest n the engine accepts: the search keeps O(n * k) state per depth. */
#define CONSORT_BNB_MAX_N 64

typedef struct consort__bnb_options {
	double time_limit;       /* seconds of wall time; <= 0: none */
	long node_limit;         /* stop after this many nodes (bnb: the suffix searches included; bnp:
	                          * branch-and-price nodes); 0: none */
	int first_feasible;      /* stop at the first solution that meets every rule (a feasibility test) */
	int exact_pricing;       /* branch and price: no heuristic pricing, the exact search every round (tests) */
	const int *start;        /* a feasible assignment to start from, or NULL */
	int start_k;
	void (*progress)(double seconds, int has_incumbent, double incumbent, double bound, void *data);
	void *progress_data;
	double progress_every;   /* seconds between progress calls; <= 0: half a second */
} consort__bnb_options;

typedef struct consort__bnb_result {
	consort_status status;   /* optimal, feasible, infeasible or stopped */
	int *assign;             /* n entries when a solution exists (malloc'ed), else NULL */
	int k;
	double objective;
	double bound;            /* proven upper bound; +inf when none */
	long nodes;              /* search nodes, the suffix searches included */
	double doll_seconds;     /* time spent on the suffix bounds */
} consort__bnb_result;

void consort__bnb_options_init(consort__bnb_options *o);
/* The interval between progress calls that o asks for (bnb and bnp). */
double consort__bnb_progress_every(const consort__bnb_options *o);
void consort__bnb_result_dispose(consort__bnb_result *r);

/* Whether the engine handles p: 1 <= n <= CONSORT_BNB_MAX_N and only the rules
 * it propagates: every rule of formats.md, min_fit, pins, absent members and
 * exclusions (checked at the leaves); the maxmin objective is left to GLPK. */
int consort__bnb_supported(const consort__problem *p);

/* Solves p (consort__bnb_supported must hold). Returns 0 with a result
 * whatever its status, CONSORT_EUSAGE when p is not supported, CONSORT_ENOMEM. */
int consort__bnb_solve(consort__bnb_result *res, const consort__problem *p,
	const consort__bnb_options *o, consort_error *err);

#endif
