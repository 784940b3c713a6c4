/* The optimizer: finds consortia that maximize the objective subject to every
 * rule, proving optimality with an integer program solved by GLPK. */
#ifndef CONSORT_SOLVE_H
#define CONSORT_SOLVE_H

#include "proposal.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	CONSORT_ENGINE_AUTO = 0,     /* exact where proof is in reach, heuristic help always */
	CONSORT_ENGINE_EXACT = 1,    /* integer program (GLPK) */
	CONSORT_ENGINE_HEURISTIC = 2 /* local search only: fast, no proof */
} consort_engine;

/* Progress of a long solve, reported from time to time. */
typedef struct consort_progress {
	double seconds;
	int has_incumbent;
	double incumbent; /* best objective found so far */
	double bound;     /* best proven upper bound so far (+inf if none) */
} consort_progress;

typedef void (*consort_progress_cb)(const consort_progress *progress, void *data);

typedef struct consort_solve_options {
	double time_limit;   /* seconds; <= 0 means no limit */
	unsigned long seed;  /* for the heuristic engine */
	consort_engine engine;
	consort_progress_cb progress; /* may be NULL */
	void *progress_data;
	int explain;         /* when infeasible, search for a smallest clashing set of rules (default 1) */
	/* After the best proposal, the next `alternatives` best proposals, each
	 * differing from every earlier one (the best included) by at least `differ`
	 * members placed differently (relabelling consortia is not a difference;
	 * with lots, a member in another lot is). Ranked by the total objective under
	 * the same rules (with maxmin, at the best's weakest fit or above). Found
	 * exactly by the exact engine (the heuristic engine: without proof). */
	int alternatives;    /* default 0 */
	int differ;          /* >= 1, default 1 */
} consort_solve_options;

void consort_solve_options_init(consort_solve_options *opts);

/* Solve the session. Returns 0 with a proposal in *out whatever its status
 * (optimal, feasible, infeasible, stopped); a negative code on input errors
 * (CONSORT_EINVALID), memory (CONSORT_ENOMEM) or solver failure (CONSORT_ESOLVER). */
int consort_solve(consort_proposal **out, const consort_session *s,
	const consort_solve_options *opts, consort_error *err);

/* Releases the solver's per-thread state (GLPK keeps its environment per
 * thread). Call it in a thread that solved before the thread ends, e.g. in a
 * server that answers each connection on its own thread. */
void consort_solve_thread_cleanup(void);

#ifdef __cplusplus
}
#endif
#endif
