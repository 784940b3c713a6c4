/* consort_solve: runs the engines on a session and returns a checked proposal.
 * auto: the heuristic finds an incumbent in milliseconds, then the exact engine
 * proves it optimal (or improves it) within the time limit. */
#include "consort/solve.h"
#include "problem.h"
#include "proposal.h"
#include "engines/heuristic.h"
#include "engines/ilp.h"
#include "engines/bnb.h"
#include "engines/bnp.h"
#include "engines/explain.h"
#include "engines/fairness.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Above this size the exact engine is not tried by `auto`: its LP grows as n^2
 * rows and n^3 candidate cuts and cannot prove anything within usual limits. */
#define AUTO_EXACT_MAX_N 200

/* Up to this size auto tries the branch and bound (engines/bnb.c) before
 * GLPK: it proves unstructured workshop sessions of 30 in seconds where the
 * LP bound of the pair model is weak (bench/README.md, "unstructured"). */
#define AUTO_BNB_MAX_N 40

/* Without a time limit, the first of the two combinatorial engines stops
 * after this long and leaves the problem to the other (unlimited). */
#define AUTO_FIRST_ENGINE_SECONDS 10.0

/* Nodes of the branch and bound's probe before branch and price: planted
 * sessions close within them (in a few ms), where branch and price would
 * take 3 times as long (bench/README.md). */
#define AUTO_BNB_PROBE_NODES 20000L

/* Linking rows a lot model needs (3 per pair and lot) above which auto does
 * not build it: MDGPLIB n = 120 with 10 lots would need 214,200 rows and 150 MiB
 * and prove nothing (bench/README.md). */
#define AUTO_EXACT_MAX_LOT_ROWS 60000.0

/* auto stops the exact engine when its bound stays this far (relative) above
 * the heuristic's start: see consort__ilp_options.give_up_gap. */
#define AUTO_GIVE_UP_GAP 0.5

/* Branch and price runs when no consortium can hold everyone and either the
 * columns are capped at this many members or, on average, a consortium must
 * take at most AUTO_BNP_SMALL_AVERAGE of the members that must be placed
 * (none when everyone may stay outside). Large forced columns make pricing
 * expensive where bnb's bound is tight (K = 2, n = 30, size and lots: bnb in
 * 0.1-0.3 s, branch and price 5-30 s). */
#define AUTO_BNP_SMALL_CAP 12
#define AUTO_BNP_SMALL_AVERAGE 6

/* With this many lots or more, branch and price runs whatever the column
 * size: branching on the lots' size ranges closes its LP gap in tens of
 * nodes where bnb's bound is loose (lots K = 3, n = 30: 0.3-1 s against
 * 5-60 s). With two lots, bnb is faster (n = 30: 0.05-0.25 s against
 * 0.4-0.9 s). */
#define AUTO_BNP_MIN_LOTS 3

/* Which combinatorial exact engines auto runs, in order (order[e]: 1 branch
 * and price, 0 branch and bound, -1 none). Branch and price when no
 * consortium can take everyone (consort__bnp_column_cap below n: a size cap,
 * or the other consortia's minimum members) and the columns that matter are
 * small (see AUTO_BNP_SMALL_CAP) or there are three lots or more
 * (AUTO_BNP_MIN_LOTS): its set-partitioning LP sees how the members must
 * spread, where bnb's bound is 30-50 % off (bench/README.md,
 * "unstructured": optional, K = 5, n = 30: every session within 0.9 s against
 * none proved in 60 s; size K = 3, n = 30: 1.4 s against none). A probe of
 * the branch and bound first (planted sessions close within it), the branch
 * and bound after. bnb alone when a consortium may hold everyone (clique
 * partitioning): its bound is tight there and its nodes cost nanoseconds. */
static void combinatorial_order(const consort__problem *p, int order[3])
{
	int cap = consort__bnp_column_cap(p);
	int must = p->everyone ? p->n : 0, groups = p->nlots ? p->nlots : p->kmax;
	int bnp_first = cap < p->n && (cap <= AUTO_BNP_SMALL_CAP || must <= AUTO_BNP_SMALL_AVERAGE * groups ||
					p->nlots >= AUTO_BNP_MIN_LOTS);
	order[0] = 0; /* then: a probe of AUTO_BNB_PROBE_NODES nodes first */
	order[1] = bnp_first ? 1 : -1;
	order[2] = bnp_first ? 0 : -1;
}

/* Whether auto should run the exact engine at all. */
static int exact_in_reach(const consort__problem *p)
{
	if (p->n > AUTO_EXACT_MAX_N)
		return 0;
	double pairs = (double)p->n * (p->n - 1) / 2;
	return !p->nlots || 3.0 * pairs * p->nlots <= AUTO_EXACT_MAX_LOT_ROWS;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void consort_solve_thread_cleanup(void)
{
	consort__ilp_thread_cleanup();
}

void consort_solve_options_init(consort_solve_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->engine = CONSORT_ENGINE_AUTO;
	opts->seed = 1;
	opts->explain = 1;
	opts->differ = 1;
}

/* Sum of the positive weights: no proposal can score more. */
static double trivial_bound(const consort__problem *p)
{
	double b = 0;
	for (int i = 0; i < p->n; i++)
		for (int j = i + 1; j < p->n; j++)
			if (p->w[i * p->n + j] > 0)
				b += p->w[i * p->n + j];
	return b;
}

typedef struct run {
	const consort_solve_options *o;
	double t0;
	int has_inc;
	double inc, bound;
} run;

static void report(run *r)
{
	if (!r->o->progress)
		return;
	consort_progress pr = {now() - r->t0, r->has_inc, r->inc, r->bound};
	r->o->progress(&pr, r->o->progress_data);
}

static void heur_progress(double seconds, double best, void *data)
{
	run *r = data;
	(void)seconds;
	if (!r->has_inc || best > r->inc) {
		r->has_inc = 1;
		r->inc = best;
	}
	report(r);
}

static void ilp_progress(double seconds, int has_inc, double inc, double bound, void *data)
{
	run *r = data;
	(void)seconds;
	if (has_inc && (!r->has_inc || inc > r->inc)) {
		r->has_inc = 1;
		r->inc = inc;
	}
	if (bound < r->bound)
		r->bound = bound;
	report(r);
}

/* Budget of the heuristic: all of it alone; a slice before the exact engine. */
static void heur_budget(consort__heur_options *h, const consort__problem *p, double limit, int alone)
{
	if (alone) {
		h->time_limit = limit > 0 ? limit : 10;
		return;
	}
	/* A short, fixed slice: GLPK needs only a reasonable incumbent, and on
	 * workshop sizes a longer search cost more than it saved (bench/README.md).
	 * A fixed iteration count keeps results reproducible. */
	h->max_iters = 100L + 10L * p->n;
	h->time_limit = limit > 0 ? fmin(limit * 0.2, 5) : 5;
}

static int explain(consort_proposal *prop, const consort__problem *p, double limit, consort_error *err)
{
	char **items = NULL;
	int nitems = 0;
	int rc = consort__explain(&items, &nitems, p, limit, err);
	for (int i = 0; i < nitems; i++) {
		if (rc == 0)
			rc = consort__proposal_add_conflict(prop, items[i], err);
		free(items[i]);
	}
	free(items);
	return rc;
}

/* The outcome of the engines on one problem. */
typedef struct outcome {
	int found;
	int *assign; /* n entries, owned by the caller */
	int k;
	double obj, bound;
	consort_status status;
	const char *engine;
} outcome;

/* The total objective: the heuristic's incumbent, the exact engine's proof,
 * and (auto, no proof) the rest of the time to the heuristic. */
static int solve_total(outcome *oc, const consort__problem *p, consort_engine engine, run *r,
	consort_error *err)
{
	const consort_solve_options *opts = r->o;
	int n = p->n, rc;
	int *assign = oc->assign;
	/* 1. The heuristic: the incumbent (or the whole answer). */
	consort__heur_options h;
	consort__heur_options_init(&h);
	h.seed = opts->seed;
	h.progress = heur_progress;
	h.progress_data = r;
	heur_budget(&h, p, opts->time_limit, engine == CONSORT_ENGINE_HEURISTIC);
	int k = 0;
	double obj = 0;
	int found = consort__heuristic_solve(p, &h, assign, &k, &obj, err);
	if (found < 0)
		return found;
	if (found) {
		r->has_inc = 1;
		r->inc = obj;
	}

	consort_status status = found ? CONSORT_STATUS_FEASIBLE : CONSORT_STATUS_STOPPED;
	const char *engine_name = "heuristic";
	double bound = r->bound;

	/* 2a. auto on workshop sizes: the combinatorial exact engines in the
	 * order of combinatorial_order. With branch and price: a short probe of
	 * the branch and bound, branch and price (half of the time), then the
	 * branch and bound with half of the rest when neither found a proof;
	 * otherwise the branch and bound alone with half of the time. */
	if (engine == CONSORT_ENGINE_AUTO && p->n <= AUTO_BNB_MAX_N) {
		int order[3];
		combinatorial_order(p, order);
		for (int e = 0; e < 3; e++) {
			if (status == CONSORT_STATUS_OPTIMAL || status == CONSORT_STATUS_INFEASIBLE)
				break;
			int use_bnp = order[e];
			if (use_bnp < 0 || !(use_bnp ? consort__bnp_supported(p) : consort__bnb_supported(p)))
				continue;
			consort__bnb_options bo;
			consort__bnb_options_init(&bo);
			double left = opts->time_limit - (now() - r->t0);
			int last = e == 2 || order[e + 1] < 0;
			if (opts->time_limit > 0)
				bo.time_limit = fmax(0.001, left * (last || use_bnp ? 0.5 : 0.25));
			else if (!last)
				bo.time_limit = AUTO_FIRST_ENGINE_SECONDS;
			if (e == 0 && !last)
				bo.node_limit = AUTO_BNB_PROBE_NODES;
			bo.start = found ? assign : NULL;
			bo.start_k = k;
			bo.progress = ilp_progress;
			bo.progress_data = r;
			consort__bnb_result br;
			rc = use_bnp ? consort__bnp_solve(&br, p, &bo, err) : consort__bnb_solve(&br, p, &bo, err);
			if (rc < 0)
				return rc;
			engine_name = "exact";
			bound = fmin(bound, br.bound);
			if (br.status == CONSORT_STATUS_INFEASIBLE) {
				status = CONSORT_STATUS_INFEASIBLE;
			} else if (br.assign && (!found || br.objective >= obj)) {
				memcpy(assign, br.assign, (size_t)n * sizeof(int));
				k = br.k;
				obj = br.objective;
				found = 1;
				status = br.status;
			}
			if (found && status != CONSORT_STATUS_OPTIMAL && bound <= obj + 1e-9 * fmax(1, fabs(obj)))
				status = CONSORT_STATUS_OPTIMAL;
			consort__bnb_result_dispose(&br);
		}
	}
	int proved = status == CONSORT_STATUS_OPTIMAL || status == CONSORT_STATUS_INFEASIBLE;

	/* 2b. The exact engine: proof, or a better proposal and a bound. */
	if (engine != CONSORT_ENGINE_HEURISTIC && !proved) {
		consort__ilp_options io;
		consort__ilp_options_init(&io);
		/* auto keeps half of the time for the heuristic in case GLPK cannot
		 * prove optimality: proofs that come at all come early (bench/README.md). */
		double share = engine == CONSORT_ENGINE_AUTO ? 0.5 : 1.0;
		if (opts->time_limit > 0)
			io.time_limit = fmax(0.001, (opts->time_limit - (now() - r->t0)) * share);
		if (engine == CONSORT_ENGINE_AUTO && opts->time_limit > 0) {
			/* A bound 50 % above the incumbent a fifth of the way in will not
			 * become a proof (random CP-Lib n = 200: 450 % after 10 s); the
			 * heuristic gets the time back. Real data sets with proofs within
			 * reach are within 30 % by then (bench/README.md). */
			io.give_up_gap = AUTO_GIVE_UP_GAP;
			io.give_up_after = fmax(0.5, 0.2 * io.time_limit);
		}
		io.start = found ? assign : NULL;
		io.start_k = k;
		io.progress = ilp_progress;
		io.progress_data = r;
		consort__ilp_result res;
		rc = consort__ilp_solve(&res, p, &io, err);
		if (rc < 0)
			return rc;
		engine_name = "exact";
		bound = fmin(bound, res.bound);
		if (res.status == CONSORT_STATUS_INFEASIBLE) {
			status = CONSORT_STATUS_INFEASIBLE;
		} else if (res.assign && (!found || res.objective >= obj)) {
			memcpy(assign, res.assign, (size_t)n * sizeof(int));
			k = res.k;
			obj = res.objective;
			found = 1;
			status = res.status;
		} else if (found && res.status == CONSORT_STATUS_OPTIMAL) {
			status = CONSORT_STATUS_OPTIMAL; /* cannot happen: GLPK had our start */
		}
		if (found && status != CONSORT_STATUS_OPTIMAL && bound <= obj + 1e-9 * fmax(1, fabs(obj)))
			status = CONSORT_STATUS_OPTIMAL;
		consort__ilp_result_dispose(&res);
	}

	/* 3. No proof (auto): the rest of the time goes to the heuristic. */
	double left = opts->time_limit > 0 ? opts->time_limit - (now() - r->t0) : 0;
	if (engine == CONSORT_ENGINE_AUTO && left > 0.01 && status != CONSORT_STATUS_OPTIMAL &&
	    status != CONSORT_STATUS_INFEASIBLE) {
		int *more = malloc((size_t)(n ? n : 1) * sizeof(int));
		if (!more)
			return consort__error_nomem(err);
		consort__heur_options_init(&h);
		h.seed = opts->seed + 1;
		h.progress = heur_progress;
		h.progress_data = r;
		h.time_limit = left;
		int k2 = 0;
		double obj2 = 0;
		int found2 = consort__heuristic_solve(p, &h, more, &k2, &obj2, err);
		if (found2 < 0) {
			free(more);
			return found2;
		}
		if (found2 && (!found || obj2 > obj)) {
			memcpy(assign, more, (size_t)n * sizeof(int));
			k = k2;
			obj = obj2;
			found = 1;
			status = bound <= obj + 1e-9 * fmax(1, fabs(obj)) ? CONSORT_STATUS_OPTIMAL : CONSORT_STATUS_FEASIBLE;
		}
		free(more);
	}
	oc->found = found;
	oc->k = k;
	oc->obj = obj;
	oc->bound = bound;
	oc->status = status;
	oc->engine = engine_name;
	return 0;
}

/* maxmin, exactly: phase 1 maximises the weakest placed fit t; phase 2 the
 * total subject to min_fit = t*. Every proposal whose weakest fit is the
 * optimum (or above t*, when phase 1 was not proved) is feasible in phase 2,
 * so phase 2's bound bounds the total of the lexicographic optimum. */
static int solve_maxmin(outcome *oc, const consort__problem *p, consort_engine engine, run *r,
	consort_error *err)
{
	if (engine == CONSORT_ENGINE_HEURISTIC) {
		/* The best total, then the fairness search raises its weakest fit. */
		int rc = solve_total(oc, p, engine, r, err);
		if (rc < 0 || !oc->found)
			return rc;
		if (consort__fair_improve(p, oc->assign, &oc->k, CONSORT__FAIR_MAXMIN, 0, 2) < 0)
			return consort__error_nomem(err);
		oc->obj = consort__problem_objective(p, oc->assign);
		oc->status = CONSORT_STATUS_FEASIBLE;
		oc->bound = HUGE_VAL; /* no bound on the total at the (unproved) weakest fit */
		return 0;
	}
	const consort_solve_options *opts = r->o;
	/* A start for phase 1 from a short heuristic run. */
	consort__heur_options h;
	consort__heur_options_init(&h);
	h.seed = opts->seed;
	heur_budget(&h, p, opts->time_limit, 0);
	int rc = consort__heuristic_solve(p, &h, oc->assign, &oc->k, &oc->obj, err);
	if (rc < 0)
		return rc;
	oc->found = rc;
	if (rc > 0 && consort__fair_improve(p, oc->assign, &oc->k, CONSORT__FAIR_MAXMIN, 50L + 4L * p->n,
	    opts->time_limit > 0 ? fmin(1, 0.1 * opts->time_limit) : 1) < 0)
		return consort__error_nomem(err);
	double t_start = now();
	consort__ilp_options io;
	consort__ilp_options_init(&io);
	io.maxmin = 1;
	if (opts->time_limit > 0)
		io.time_limit = fmax(0.001, (opts->time_limit - (t_start - r->t0)) * 0.5);
	io.start = oc->found ? oc->assign : NULL;
	io.start_k = oc->k;
	consort__ilp_result r1;
	if ((rc = consort__ilp_solve(&r1, p, &io, err)) < 0)
		return rc;
	oc->engine = "exact";
	if (r1.status == CONSORT_STATUS_INFEASIBLE) {
		oc->found = 0;
		oc->status = CONSORT_STATUS_INFEASIBLE;
		consort__ilp_result_dispose(&r1);
		return 0;
	}
	if (r1.assign && (!oc->found || r1.objective >= consort__problem_min_fit(p, oc->assign))) {
		memcpy(oc->assign, r1.assign, (size_t)p->n * sizeof(int));
		oc->k = r1.k;
		oc->found = 1;
	}
	int proved = r1.status == CONSORT_STATUS_OPTIMAL;
	consort__ilp_result_dispose(&r1);
	if (!oc->found) {
		oc->status = CONSORT_STATUS_STOPPED;
		return 0;
	}
	double t = consort__problem_min_fit(p, oc->assign);
	consort__problem *q = consort__problem_clone(p);
	if (!q)
		return consort__error_nomem(err);
	q->maxmin = 0;
	if (isfinite(t) && (!q->has_min_fit || t > q->min_fit)) {
		q->has_min_fit = 1;
		q->min_fit = t;
	}
	/* Phase 2 is a total objective: the engines of auto (the branch and bound
	 * handles min_fit) or GLPK; phase 1's solution stays when it is better. */
	outcome o2 = {0};
	o2.assign = malloc((size_t)(p->n ? p->n : 1) * sizeof(int));
	if (!o2.assign) {
		consort__problem_free(q);
		return consort__error_nomem(err);
	}
	rc = solve_total(&o2, q, engine, r, err);
	consort__problem_free(q);
	if (rc < 0) {
		free(o2.assign);
		return rc;
	}
	double obj1 = consort__problem_objective(p, oc->assign);
	if (o2.found && consort__problem_feasible(p, o2.assign, o2.k, NULL, 0) &&
	    consort__problem_min_fit(p, o2.assign) >= t - consort__min_fit_tolerance(t) && o2.obj >= obj1) {
		memcpy(oc->assign, o2.assign, (size_t)p->n * sizeof(int));
		oc->k = o2.k;
	}
	free(o2.assign);
	oc->obj = consort__problem_objective(p, oc->assign);
	oc->bound = fmax(oc->obj, o2.bound);
	oc->status = proved && o2.status == CONSORT_STATUS_OPTIMAL ? CONSORT_STATUS_OPTIMAL : CONSORT_STATUS_FEASIBLE;
	if (oc->status == CONSORT_STATUS_OPTIMAL)
		oc->bound = oc->obj;
	return 0;
}

/* The session's assignment of an engine's (absent members outside). */
static void expand(int *fassign, const consort__problem *full, const int *assign, int n, const int *orig)
{
	for (int i = 0; i < full->n; i++)
		fassign[i] = -1;
	for (int i = 0; i < n; i++)
		fassign[orig[i]] = assign[i];
}

/* One more solution of q: the exact engine (or the heuristic engine alone).
 * Returns 1 with res filled, 0 when q is proved infeasible, 2 when none was
 * found in time, negative on error. */
static int next_solution(consort__ilp_result *res, const consort__problem *q, consort_engine engine,
	double limit, unsigned long seed, consort_error *err)
{
	memset(res, 0, sizeof(*res));
	if (engine == CONSORT_ENGINE_HEURISTIC) {
		consort__heur_options h;
		consort__heur_options_init(&h);
		h.seed = seed;
		h.time_limit = limit > 0 ? limit : 5;
		res->assign = malloc((size_t)(q->n ? q->n : 1) * sizeof(int));
		if (!res->assign)
			return consort__error_nomem(err);
		int found = consort__heuristic_solve(q, &h, res->assign, &res->k, &res->objective, err);
		if (found <= 0) {
			consort__ilp_result_dispose(res);
			return found < 0 ? found : 2;
		}
		res->status = CONSORT_STATUS_FEASIBLE;
		res->bound = HUGE_VAL;
		return 1;
	}
	/* A start from the heuristic (the exclusions are rules of q to it too):
	 * GLPK then prunes by bound from the first node. */
	int *start = malloc((size_t)(q->n ? q->n : 1) * sizeof(int)), sk = 0;
	double sobj = 0;
	if (!start)
		return consort__error_nomem(err);
	consort__heur_options h;
	consort__heur_options_init(&h);
	h.seed = seed;
	heur_budget(&h, q, limit, 0);
	int found = consort__heuristic_solve(q, &h, start, &sk, &sobj, err);
	if (found < 0) {
		free(start);
		return found;
	}
	/* auto on workshop sizes: the branch and bound first (it checks the
	 * exclusions exactly); GLPK only when it did not finish. */
	if (engine == CONSORT_ENGINE_AUTO && q->n <= AUTO_BNB_MAX_N && consort__bnb_supported(q)) {
		consort__bnb_options bo;
		consort__bnb_options_init(&bo);
		bo.time_limit = limit > 0 ? limit * 0.5 : 0;
		bo.start = found ? start : NULL;
		bo.start_k = sk;
		consort__bnb_result br;
		int brc = consort__bnb_solve(&br, q, &bo, err);
		if (brc < 0) {
			free(start);
			return brc;
		}
		if (br.status == CONSORT_STATUS_INFEASIBLE || (br.status == CONSORT_STATUS_OPTIMAL && br.assign)) {
			int got = br.status == CONSORT_STATUS_OPTIMAL;
			res->status = br.status;
			res->assign = br.assign;
			res->k = br.k;
			res->objective = br.objective;
			res->bound = br.bound;
			br.assign = NULL;
			consort__bnb_result_dispose(&br);
			free(start);
			if (!got)
				consort__ilp_result_dispose(res);
			return got;
		}
		if (br.assign && (!found || br.objective > sobj)) {
			memcpy(start, br.assign, (size_t)q->n * sizeof(int));
			sk = br.k;
			sobj = br.objective;
			found = 1;
		}
		consort__bnb_result_dispose(&br);
		if (limit > 0)
			limit *= 0.5;
	}
	consort__ilp_options io;
	consort__ilp_options_init(&io);
	io.time_limit = limit;
	io.start = found ? start : NULL;
	io.start_k = sk;
	int rc = consort__ilp_solve(res, q, &io, err);
	if (rc == 0 && !res->assign && found && res->status != CONSORT_STATUS_INFEASIBLE) {
		/* GLPK ran out of time before its own solution: keep the start. */
		res->assign = start;
		res->k = sk;
		res->objective = sobj;
		res->status = CONSORT_STATUS_FEASIBLE;
		start = NULL;
	}
	free(start);
	if (rc < 0)
		return rc;
	if (res->status == CONSORT_STATUS_INFEASIBLE) {
		consort__ilp_result_dispose(res);
		return 0;
	}
	if (!res->assign) {
		consort__ilp_result_dispose(res);
		return 2;
	}
	return 1;
}

/* Whether a is at least `differ` members from each accepted solution (the
 * exclusions of q with acc[e] set). */
static int far_enough(const consort__problem *q, const unsigned char *acc, const int *a, int k, int differ)
{
	for (int e = 0; e < q->nexclude; e++)
		if (acc[e] && consort__problem_distance(q, a, k, q->exclude[e].assign, q->exclude[e].k, NULL) < differ)
			return 0;
	return 1;
}

/* Adds an exclusion to q and whether it is an accepted solution to acc. */
static int exclude(consort__problem *q, unsigned char **acc, const int *a, int k, int differ, int accepted)
{
	unsigned char *bigger = realloc(*acc, (size_t)q->nexclude + 1);
	if (!bigger)
		return -1;
	*acc = bigger;
	if (consort__problem_add_exclude(q, a, k, differ) < 0)
		return -1;
	(*acc)[q->nexclude - 1] = (unsigned char)accepted;
	return 0;
}

/* The alternatives after the best (Lawler's k-best scheme with the difference
 * rule): each next one is the best solution at least `differ` members from the
 * best and every earlier alternative. Without lots the exact engine excludes
 * only identical partitions, so a solution closer than `differ` to an accepted
 * one is excluded in turn (it is infeasible for the true problem) and q solved
 * again: exact, since only solutions the rule forbids are cut off. */
static int find_alternatives(consort_proposal *prop, const consort__problem *full, const consort__problem *p,
	const int *orig, const outcome *best, consort_engine engine, run *r, const consort_session *s,
	consort_error *err)
{
	const consort_solve_options *opts = r->o;
	int want = opts->alternatives, differ = opts->differ >= 1 ? opts->differ : 1, exhausted = 0, rc = 0;
	consort__problem *q = consort__problem_clone(p);
	int *fassign = malloc((size_t)(full->n ? full->n : 1) * sizeof(int));
	int *fbest = malloc((size_t)(full->n ? full->n : 1) * sizeof(int));
	int *moved = malloc((size_t)(full->n ? full->n : 1) * sizeof(int));
	unsigned char *acc = NULL;
	if (!q || !fassign || !fbest || !moved)
		goto nomem;
	if (q->maxmin) {
		/* As fair as the best: its weakest fit stays a floor. */
		double t = consort__problem_min_fit(p, best->assign);
		q->maxmin = 0;
		if (!q->has_min_fit || t > q->min_fit) {
			q->has_min_fit = 1;
			q->min_fit = t;
		}
	}
	expand(fbest, full, best->assign, p->n, orig);
	if (exclude(q, &acc, best->assign, best->k, differ, 1) < 0)
		goto nomem;
	for (int a = 0; a < want && !exhausted;) {
		double left = opts->time_limit > 0 ? opts->time_limit - (now() - r->t0) : 0;
		if (opts->time_limit > 0 && left <= 0.001)
			break;
		consort__ilp_result res;
		double t0 = now();
		int got = next_solution(&res, q, engine, left > 0 ? left / (want - a) : 0, opts->seed + (unsigned long)a, err);
		if (got < 0) {
			rc = got;
			goto done;
		}
		if (got != 1) {
			exhausted = got == 0;
			break;
		}
		int ok = far_enough(q, acc, res.assign, res.k, differ);
		if (exclude(q, &acc, res.assign, res.k, ok ? differ : 1, ok) < 0) {
			consort__ilp_result_dispose(&res);
			goto nomem;
		}
		if (!ok) {
			consort__ilp_result_dispose(&res);
			continue;
		}
		expand(fassign, full, res.assign, p->n, orig);
		consort_proposal *alt = NULL;
		double obj = consort__problem_objective(p, res.assign);
		double bound = res.status == CONSORT_STATUS_OPTIMAL ? obj : fmax(res.bound, obj);
		rc = consort__proposal_new(&alt, full, res.status, fassign, res.k, bound, now() - t0,
			engine == CONSORT_ENGINE_HEURISTIC ? "heuristic" : "exact", err);
		int fk = res.k;
		consort__ilp_result_dispose(&res);
		if (rc < 0)
			goto done;
		consort_error cerr;
		if (consort_proposal_check(alt, s, &cerr) < 0) {
			consort_proposal_free(alt);
			rc = consort__error(err, CONSORT_EINTERNAL, "internal error: an alternative breaks a rule (%s)",
				cerr.message);
			goto done;
		}
		if (consort__problem_distance(full, fassign, fk, fbest, best->k, moved) < 0)
			goto nomem;
		if ((rc = consort__proposal_add_alternative(prop, alt, moved, err)) < 0)
			goto done;
		a++;
	}
	consort__proposal_set_alternatives(prop, (size_t)want, differ, exhausted);
	goto done;
nomem:
	rc = consort__error_nomem(err);
done:
	consort__problem_free(q);
	free(fassign);
	free(fbest);
	free(moved);
	free(acc);
	return rc;
}

int consort_solve(consort_proposal **out, const consort_session *s,
	const consort_solve_options *opts, consort_error *err)
{
	*out = NULL;
	consort_solve_options defaults;
	if (!opts) {
		consort_solve_options_init(&defaults);
		opts = &defaults;
	}
	run r = {opts, now(), 0, 0, HUGE_VAL};
	consort__problem *full = NULL, *p = NULL;
	int *orig = NULL, *fassign = NULL;
	int rc = consort__problem_build(&full, s, err);
	if (rc < 0)
		return rc;
	/* Absent members are dropped: the engines never see them. */
	if ((rc = consort__problem_drop_absent(&p, &orig, full, err)) < 0) {
		consort__problem_free(full);
		return rc;
	}
	r.bound = trivial_bound(p);

	int n = p->n;
	outcome oc = {0};
	oc.assign = malloc((size_t)(n ? n : 1) * sizeof(int));
	fassign = malloc((size_t)(full->n ? full->n : 1) * sizeof(int));
	if (!oc.assign || !fassign) {
		rc = consort__error_nomem(err);
		goto fail;
	}
	consort_engine engine = opts->engine;
	if (engine == CONSORT_ENGINE_AUTO && !exact_in_reach(p))
		engine = CONSORT_ENGINE_HEURISTIC;
	rc = p->maxmin ? solve_maxmin(&oc, p, engine, &r, err) : solve_total(&oc, p, engine, &r, err);
	if (rc < 0)
		goto fail;
	int found = oc.found, k = oc.k;
	consort_status status = oc.status;
	double obj = oc.obj, bound = oc.bound;
	if (found && status == CONSORT_STATUS_OPTIMAL)
		bound = obj;
	if (status == CONSORT_STATUS_INFEASIBLE)
		bound = HUGE_VAL; /* nothing to bound: written as null */
	if (found && bound < obj)
		bound = obj;
	for (int i = 0; i < full->n; i++)
		fassign[i] = -1;
	for (int i = 0; found && i < n; i++)
		fassign[orig[i]] = oc.assign[i];

	consort_proposal *prop = NULL;
	rc = consort__proposal_new(&prop, full, status, found ? fassign : NULL, k, bound,
		now() - r.t0, oc.engine, err);
	if (rc < 0)
		goto fail;
	if (status == CONSORT_STATUS_INFEASIBLE && opts->explain) {
		double explain_time = opts->time_limit > 0 ? opts->time_limit - (now() - r.t0) : 30;
		rc = explain(prop, p, fmax(explain_time, 1), err);
		if (rc < 0) {
			consort_proposal_free(prop);
			goto fail;
		}
	}
	/* The last guard: re-check every rule from the session itself. */
	if (found) {
		consort_error cerr;
		if (consort_proposal_check(prop, s, &cerr) < 0) {
			consort_proposal_free(prop);
			rc = consort__error(err, CONSORT_EINTERNAL, "internal error: the proposal breaks a rule (%s)",
				cerr.message);
			goto fail;
		}
	}
	if (opts->alternatives > 0) {
		if (found)
			rc = find_alternatives(prop, full, p, orig, &oc, engine, &r, s, err);
		else
			consort__proposal_set_alternatives(prop, (size_t)opts->alternatives,
				opts->differ >= 1 ? opts->differ : 1, status == CONSORT_STATUS_INFEASIBLE);
		if (rc < 0) {
			consort_proposal_free(prop);
			goto fail;
		}
	}
	free(oc.assign);
	free(fassign);
	free(orig);
	consort__problem_free(p);
	consort__problem_free(full);
	*out = prop;
	return 0;
fail:
	free(oc.assign);
	free(fassign);
	free(orig);
	consort__problem_free(p);
	consort__problem_free(full);
	return rc;
}
