/* The exact engine: an integer program over pair variables with lazily
 * generated triangle inequalities, solved by GLPK's branch and cut. */
#ifndef CONSORT_SRC_ILP_H
#define CONSORT_SRC_ILP_H

#include "problem.h"
#include "consort/proposal.h"

typedef struct consort__ilp_options {
	double time_limit;       /* seconds of wall time; <= 0: none */
	const int *start;        /* a feasible assignment to start from, or NULL */
	int start_k;
	int feasibility;         /* 1: only decide whether a solution exists */
	int maxmin;              /* 1: maximise the weakest placed member's fit (a
	                          * column t <= every placed fit) instead of the total;
	                          * the result's objective and bound are then that fit */
	/* Give up early (status stopped or feasible, with the bound so far) when,
	 * give_up_after seconds in, the proven bound is still more than
	 * give_up_gap * max(1, |start objective|) above the start: the LP bound is
	 * too weak for a proof, and the time is better spent searching. Needs a
	 * start; 0: never. */
	double give_up_gap, give_up_after;
	void (*progress)(double seconds, int has_incumbent, double incumbent, double bound, void *data);
	void *progress_data;
} consort__ilp_options;

typedef struct consort__ilp_result {
	consort_status status;   /* optimal, feasible, infeasible or stopped */
	int *assign;             /* n entries when a solution exists (malloc'ed), else NULL */
	int k;
	double objective;
	double bound;            /* proven upper bound; +inf when none */
	double root_bound;       /* LP bound after the root cutting-plane loop */
	int root_rounds;         /* LP solves in that loop */
	double root_seconds;     /* its wall time */
	long nodes;              /* branch-and-bound nodes GLPK created */
	long cuts;               /* lazy rows added */
	int gave_up;             /* stopped by the give_up_* rule */
} consort__ilp_result;

void consort__ilp_options_init(consort__ilp_options *o);
void consort__ilp_result_dispose(consort__ilp_result *r);

/* Solves p with every rule, the extended ones included: min_fit and pins as
 * rows and bounds; each exclusion as a no-good (with lots, exactly "at least
 * `differ` members in other lots"; without lots only "not the same partition",
 * so the caller re-solves when a solution is closer than `differ`). Returns 0 with a result whatever its status, or CONSORT_ESOLVER
 * (GLPK failed; its error hook turned an abort into this) / CONSORT_ENOMEM. */
int consort__ilp_solve(consort__ilp_result *res, const consort__problem *p,
	const consort__ilp_options *o, consort_error *err);

/* Frees GLPK's environment of the calling thread. */
void consort__ilp_thread_cleanup(void);

#endif
