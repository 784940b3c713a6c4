/* The branch-and-price engine against brute force on random small problems of
 * every rule kind (the same optimum or both infeasible, a feasible assignment,
 * a bound that is a bound), with min_fit, pins and absent members (and the
 * exclusions it declines), against the combinatorial branch and bound on
 * larger capped problems, its behaviour at the time limit and its progress
 * calls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "brute.h"
#include "engines/bnb.h"
#include "engines/bnp.h"
#include "randprob.h"

static int quick(void)
{
	return getenv("CONSORT_TEST_QUICK") != NULL;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void solve_bnb(consort__bnb_result *res, const consort__problem *p, const int *start, int start_k,
	double limit)
{
	consort__bnb_options o;
	consort__bnb_options_init(&o);
	o.start = start;
	o.start_k = start_k;
	o.time_limit = limit;
	consort_error err;
	if (consort__bnb_solve(res, p, &o, &err) != 0)
		fail_msg("bnb: %s", err.message);
}

/* what: the problem, for the failure message; exact: pricing by the exact
 * search alone (no heuristic pricing to find the columns it might miss). */
static void solve_bnp_as(consort__bnb_result *res, const consort__problem *p, const int *start, int start_k,
	double limit, const char *what, int exact)
{
	consort__bnb_options o;
	consort__bnb_options_init(&o);
	o.start = start;
	o.start_k = start_k;
	o.time_limit = limit;
	o.exact_pricing = exact;
	consort_error err;
	int rc = consort__bnp_solve(res, p, &o, &err);
	if (rc != 0)
		fail_msg("%s: bnp returned %d: %s", what, rc, err.message);
}

static void solve_bnp(consort__bnb_result *res, const consort__problem *p, const int *start, int start_k,
	double limit, const char *what)
{
	solve_bnp_as(res, p, start, start_k, limit, what, 0);
}

/* bnp's result against brute force's (feasible, best). */
static void check_result(const consort__problem *p, const consort__bnb_result *res, int feasible, double best,
	const char *what)
{
	if (!feasible) {
		if (res->status != CONSORT_STATUS_INFEASIBLE)
			fail_msg("%s: brute force says infeasible, bnp says status %d (obj %g)", what, res->status,
				res->objective);
		if (res->assign)
			fail_msg("%s: infeasible, yet bnp returns an assignment", what);
		return;
	}
	if (res->status != CONSORT_STATUS_OPTIMAL || !res->assign)
		fail_msg("%s: bnp status %d (obj %g, bound %g), expected optimal %g", what, res->status,
			res->objective, res->bound, best);
	char why[200] = "";
	if (!consort__problem_feasible(p, res->assign, res->k, why, sizeof(why)))
		fail_msg("%s: bnp assignment breaks a rule: %s", what, why);
	double obj = consort__problem_objective(p, res->assign);
	if (fabs(obj - best) > 1e-6 || fabs(res->objective - best) > 1e-6 || fabs(res->bound - best) > 1e-6)
		fail_msg("%s: bnp %g (reported %g, bound %g), brute force %g", what, obj, res->objective,
			res->bound, best);
}

/* Solves p with bnp and brute force and compares; returns 1 if feasible.
 * Frees p. */
static int compare_problem(consort__problem *p, const char *what, int with_start)
{
	if (!consort__bnp_supported(p))
		fail_msg("%s: consort__bnp_supported says no (no exclusions, no maxmin)", what);
	int bassign[BRUTE_MAX_N], bk = 0;
	double best = 0;
	int feasible = brute_solve(p, bassign, &bk, &best);
	assert_true(feasible >= 0);

	/* with the heuristic pricing, then with the exact search alone */
	for (int exact = 0; exact < 2; exact++) {
		char as[300];
		snprintf(as, sizeof(as), "%s%s", what, exact ? " (exact pricing)" : "");
		consort__bnb_result res;
		solve_bnp_as(&res, p, with_start && feasible ? bassign : NULL, bk, 0, as, exact);
		check_result(p, &res, feasible, best, as);
		consort__bnb_result_dispose(&res);
	}
	consort__problem_free(p);
	return feasible;
}

/* Solves one random problem with bnp and brute force and compares; returns 1 if feasible. */
static int compare_one(unsigned seed, int n, int mask, int with_start)
{
	consort__problem *p = randprob_make(seed, n, mask);
	assert_non_null(p);
	char what[240];
	snprintf(what, sizeof(what), "seed %u n %d [%s]%s", seed, n, randprob_describe(mask),
		with_start ? " with start" : "");
	return compare_problem(p, what, with_start);
}

/* Every rule kind on its own, then random mixes, with and without a start. */
static void test_against_brute_force(void **state)
{
	(void)state;
	int kinds[] = {0, RP_K_FIXED, RP_K_RANGE, RP_SIZE, RP_SECTOR, RP_COVER, RP_TOGETHER, RP_APART,
		RP_OPTIONAL, RP_LOTS, RP_REAL, RP_K_FIXED | RP_SECTOR | RP_REAL, RP_LOTS | RP_OPTIONAL,
		RP_OPTIONAL | RP_TOGETHER | RP_APART, RP_LOTS | RP_SIZE | RP_COVER, RP_SIZE | RP_OPTIONAL | RP_REAL};
	int per_kind = quick() ? 8 : 40, mixes = quick() ? 100 : 600;
	int feasible = 0, total = 0;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (int t = 0; t < per_kind; t++, total++)
			feasible += compare_one(7000u * (unsigned)k + (unsigned)t, 3 + t % 8, kinds[k], t % 3 == 0);
	for (int t = 0; t < mixes; t++, total++)
		feasible += compare_one(90000u + (unsigned)t, 3 + t % 8, randprob_mask(104729u * (unsigned)t + 3),
			t % 2);
	print_message("%d problems, %d feasible, %d infeasible: all agree with brute force\n", total, feasible,
		total - feasible);
	assert_true(feasible > total / 5);
	assert_true(total - feasible > total / 20);
}

/* The rules beyond formats.md that bnp takes: min_fit, pins and absent
 * members (ext bits 1, 2, 4), each with the others and every kind; the
 * mask may add randprob's own min_fit and pins. No exclusions. */
static int compare_extended(unsigned seed, int n, int mask, int ext)
{
	consort__problem *p = randprob_make(seed, n, mask);
	assert_non_null(p);
	char what[240];
	snprintf(what, sizeof(what), "seed %u n %d ext %d [%s]", seed, n, ext, randprob_describe(mask));
	srand(seed);
	if (ext & 1) {
		static const double xs[] = {-1, 0, 0.5, 1, 2};
		p->has_min_fit = 1;
		p->min_fit = xs[rand() % 5];
	}
	if (ext & 2) {
		if (!p->fixed) {
			p->fixed = malloc((size_t)n * sizeof(int));
			assert_non_null(p->fixed);
			for (int i = 0; i < n; i++)
				p->fixed[i] = CONSORT__FREE;
		}
		int i = rand() % n;
		if (p->nlots)
			p->fixed[i] = rand() % p->nlots;
		else if (!p->everyone)
			p->fixed[i] = -1;
	}
	if (ext & 4) {
		p->absent = calloc((size_t)n, 1);
		assert_non_null(p->absent);
		p->absent[rand() % n] = 1;
	}
	if (!consort__bnp_supported(p))
		fail_msg("%s: consort__bnp_supported says no (no exclusions, no maxmin)", what);
	int bassign[BRUTE_MAX_N], bk = 0;
	double best = 0;
	int feasible = brute_solve(p, bassign, &bk, &best);
	assert_true(feasible >= 0);
	consort__bnb_result res;
	solve_bnp_as(&res, p, NULL, 0, 0, what, ext & 1);
	check_result(p, &res, feasible, best, what);
	consort__bnb_result_dispose(&res);
	consort__problem_free(p);
	return feasible;
}

static void test_extended_rules(void **state)
{
	(void)state;
	int count = quick() ? 150 : 800, feasible = 0;
	for (int t = 0; t < count; t++) {
		int ext = 1 + t % 7;
		unsigned ms = 7u * (unsigned)t + 11;
		int mask = t % 4 == 3 ? randprob_mask_ext(ms) : randprob_mask(ms);
		feasible += compare_extended(30000u + (unsigned)t, 3 + t % 7, mask, ext);
	}
	print_message("%d problems with min_fit, pins, absent members: %d feasible, all agree\n", count, feasible);
	assert_true(feasible > count / 5);
	assert_true(count - feasible > count / 20);
}

/* Lots with wide, overlapping size ranges on mostly positive weights, as in a
 * workshop with tender lots: the LP then likes to mix a small and a large
 * column of one lot, and branch and price splits the lot's size range
 * (about two dozen such branchings over these problems, twice as many as in
 * the tests above). Every other problem has mostly negative weights and
 * large least sizes, so that pricing's bound must count the members a column
 * still lacks. Sectors, cover and optional members in some. */
static void test_lot_sizes(void **state)
{
	(void)state;
	static const int extra[] = {0, RP_SECTOR, RP_COVER, RP_OPTIONAL, RP_SECTOR | RP_COVER, RP_REAL};
	int count = quick() ? 60 : 300, feasible = 0;
	for (int t = 0; t < count; t++) {
		unsigned seed = 52000u + (unsigned)t;
		int n = 8 + t % 4, mask = RP_LOTS | extra[t % 6];
		consort__problem *p = randprob_make(seed, n, mask);
		assert_non_null(p);
		srand(seed);
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++) {
				double v = rand() % 5 == 0 ? -0.5 * (rand() % 4) : 0.5 * (rand() % 6);
				if (t % 2)
					v = -v; /* mostly negative: the least sizes bind */
				if (mask & RP_REAL)
					v += (rand() % 1000) / 1000.0;
				p->w[i * n + j] = p->w[j * n + i] = v;
			}
		for (int l = 0; l < p->nlots; l++) {
			p->lot[l].size_min = t % 2 ? n / p->nlots - 1 + rand() % 2 : 1 + l + rand() % 2;
			p->lot[l].size_max = n / p->nlots + 1 + l + rand() % 3;
		}
		char what[240];
		snprintf(what, sizeof(what), "seed %u n %d [lot sizes, %s]", seed, n, randprob_describe(mask));
		feasible += compare_problem(p, what, t % 3 == 0);
	}
	print_message("%d problems with lot size ranges: %d feasible, all agree with brute force\n", count,
		feasible);
	assert_true(feasible > count / 2);
}

/* Every consortium of one size: lots of fixed sizes, or K groups of s. The
 * LP's duals may then shift along every member at once (branch and price
 * prices these with the shift that minimizes its bound, and bounds them by
 * the exact count of members still to add); together pairs make merged
 * items of two members, and ratings-like weights (0..5, everyone placed)
 * give the shifted duals their room. */
static void test_fixed_sizes(void **state)
{
	(void)state;
	static const int extra[] = {0, RP_TOGETHER, RP_SECTOR, RP_TOGETHER | RP_APART, RP_COVER,
		RP_TOGETHER | RP_REAL, RP_OPTIONAL, RP_TOGETHER | RP_SECTOR | RP_COVER};
	int count = quick() ? 64 : 320, feasible = 0;
	for (int t = 0; t < count; t++) {
		unsigned seed = 61000u + (unsigned)t;
		int n = 9 + t % 4, labeled = t % 2, mask = (labeled ? RP_LOTS : RP_K_FIXED) | extra[(t / 2) % 8];
		consort__problem *p = randprob_make(seed, n, mask);
		assert_non_null(p);
		srand(seed);
		int style = (t / 16) % 3; /* ratings-like, mixed, mostly negative */
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++) {
				double v = style == 0 ? 0.5 * (rand() % 11) : 0.5 * (rand() % 9) - 2;
				if (style == 2)
					v = -fabs(v);
				if (mask & RP_REAL)
					v += (rand() % 1000) / 1000.0;
				p->w[i * n + j] = p->w[j * n + i] = v;
			}
		if (labeled) {
			/* sizes that add up to n (but now and then one short or over) */
			int left = n + (t % 7 == 0 ? (rand() % 2 ? 1 : -1) : 0);
			for (int l = 0; l < p->nlots; l++) {
				int rest = p->nlots - l - 1;
				int sz = rest ? 2 + rand() % (left - 2 * rest - 1 > 1 ? left - 2 * rest - 1 : 1) : left;
				if (sz < 1)
					sz = 1;
				p->lot[l].size_min = p->lot[l].size_max = sz;
				left -= sz;
			}
		} else {
			int k = 2 + rand() % 2, sz = n / k + (t % 5 == 0);
			p->kmin = p->kmax = k;
			p->global.size_min = p->global.size_max = sz;
		}
		char what[240];
		snprintf(what, sizeof(what), "seed %u n %d [fixed sizes, %s, weights %d]", seed, n,
			randprob_describe(mask), style);
		feasible += compare_problem(p, what, t % 3 == 0);
	}
	print_message("%d problems with fixed sizes: %d feasible, all agree with brute force\n", count, feasible);
	assert_true(feasible > count / 3);
}

/* Stopped at every node count short of the full search (a limit on nodes
 * stops at the same place every run): never a false proof, a feasible
 * assignment no better than the optimum, and a bound at or above the
 * optimum. A node that
 * branches without proving its own bound (its restricted master is
 * fractional and already above the incumbent) passes its parent's bound on
 * to the open nodes below it, so that a search stopped there still reports
 * a bound. Workshop-like lots (ratings of 0..5 in halves, lot sizes of
 * 2 + l .. n / lots + 2 + l, as bench_workshop's unstructured lots) among 14
 * to 17 participants, where the trees have a few dozen nodes; the optimum is
 * bnp's own without a limit (the tests above hold it to brute force). */
static void test_node_limit(void **state)
{
	(void)state;
	static const int extra[] = {0, RP_SECTOR, RP_COVER, RP_TOGETHER};
	int count = quick() ? 8 : 40, stopped = 0, proved = 0;
	for (int t = 0; t < count; t++) {
		unsigned seed = 73000u + (unsigned)t;
		int n = 14 + t % 4, mask = RP_LOTS | extra[t % 4];
		consort__problem *p = randprob_make(seed, n, mask);
		assert_non_null(p);
		srand(seed);
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++) {
				double v = 0.5 * (rand() % 11);
				p->w[i * n + j] = p->w[j * n + i] = v;
			}
		for (int l = 0; l < p->nlots; l++) {
			p->lot[l].size_min = 2 + l;
			p->lot[l].size_max = n / p->nlots + 2 + l;
		}
		char what[240];
		snprintf(what, sizeof(what), "seed %u n %d [node limit, %d lots, %s]", seed, n, p->nlots,
			randprob_describe(mask));
		consort__bnb_result ref;
		solve_bnp(&ref, p, NULL, 0, 60, what);
		if (ref.status != CONSORT_STATUS_OPTIMAL && ref.status != CONSORT_STATUS_INFEASIBLE)
			fail_msg("%s: not proved without a limit (status %d)", what, ref.status);
		for (long limit = 1; limit < ref.nodes; limit++) {
			consort__bnb_options o;
			consort__bnb_options_init(&o);
			o.node_limit = limit;
			consort__bnb_result res;
			consort_error err;
			if (consort__bnp_solve(&res, p, &o, &err) != 0)
				fail_msg("%s: bnp returned an error: %s", what, err.message);
			if (res.nodes > limit)
				fail_msg("%s: %ld nodes past a limit of %ld", what, res.nodes, limit);
			if (res.status == CONSORT_STATUS_OPTIMAL || res.status == CONSORT_STATUS_INFEASIBLE)
				fail_msg("%s: status %d after %ld nodes, where the search takes %ld", what, res.status,
					res.nodes, ref.nodes);
			stopped++;
			if (ref.status == CONSORT_STATUS_OPTIMAL && res.bound < ref.objective - 1e-6)
				fail_msg("%s: stopped after %ld nodes with bound %g below the optimum %g", what, res.nodes,
					res.bound, ref.objective);
			if (res.assign) {
				char why[200] = "";
				if (!consort__problem_feasible(p, res.assign, res.k, why, sizeof(why)))
					fail_msg("%s: stopped with an assignment that breaks a rule: %s", what, why);
				if (res.objective > ref.objective + 1e-6)
					fail_msg("%s: stopped at %g, above the optimum %g", what, res.objective, ref.objective);
			}
			consort__bnb_result_dispose(&res);
		}
		proved += ref.status == CONSORT_STATUS_OPTIMAL;
		consort__bnb_result_dispose(&ref);
		consort__problem_free(p);
	}
	print_message("%d problems (%d with a solution): %d runs stopped by a node limit, each with a bound\n",
		count, proved, stopped);
	assert_true(stopped > count);
}

/* What bnp declines (bnb and GLPK take it): exclusions, maxmin, n > 64. */
static void test_declined(void **state)
{
	(void)state;
	consort_error err;
	consort__bnb_result res;
	for (int t = 0; t < 20; t++) {
		unsigned seed = 61000u + (unsigned)t;
		int n = 3 + t % 8, mask = randprob_mask(seed);
		consort__problem *p = randprob_make(seed, n, mask);
		assert_non_null(p);
		if (!consort__bnp_supported(p))
			fail_msg("seed %u n %d [%s]: not supported before the exclusion", seed, n, randprob_describe(mask));
		int assign[BRUTE_MAX_N];
		for (int i = 0; i < n; i++)
			assign[i] = p->nlots ? i % p->nlots : 0;
		int k = p->nlots ? p->nlots : 1;
		assert_int_equal(consort__problem_add_exclude(p, assign, k, 1), 0);
		if (consort__bnp_supported(p))
			fail_msg("seed %u n %d [%s]: consort__bnp_supported accepts an exclusion", seed, n,
				randprob_describe(mask));
		memset(&res, 0, sizeof(res));
		assert_int_equal(consort__bnp_solve(&res, p, NULL, &err), CONSORT_EUSAGE);
		consort__bnb_result_dispose(&res);
		consort__problem_free(p);
	}
	consort__problem *p = randprob_make(5, 8, 0);
	assert_non_null(p);
	assert_true(consort__bnp_supported(p));
	p->maxmin = 1;
	assert_false(consort__bnp_supported(p));
	consort__problem_free(p);
	p = randprob_make(5, CONSORT_BNP_MAX_N + 1, 0);
	assert_non_null(p);
	assert_false(consort__bnp_supported(p));
	consort__problem_free(p);
}

/* The column cap: what the other consortia's minimums leave, never above the
 * size cap; with lots, the other lots' minimums. */
static void test_column_cap(void **state)
{
	(void)state;
	consort__problem *p = randprob_make(11, 10, 0);
	assert_non_null(p);
	assert_int_equal(p->nlots, 0);
	p->everyone = 0;
	p->kmin = p->kmax = 3;
	p->global.size_min = 3;
	p->global.size_max = 10;
	for (int s = 0; s < p->nsec; s++)
		p->global.sec_min[s] = 0;
	assert_int_equal(consort__bnp_column_cap(p), 10 - 2 * 3);
	p->global.size_max = 3;
	assert_int_equal(consort__bnp_column_cap(p), 3);
	p->global.size_max = 10;
	p->kmin = 1; /* one consortium may be all there is */
	assert_int_equal(consort__bnp_column_cap(p), 10);
	consort__problem_free(p);

	for (unsigned seed = 0; seed < 40; seed++) {
		p = randprob_make(seed, 9, RP_LOTS);
		assert_non_null(p);
		int most = 0;
		for (int t = 0; t < p->nlots; t++) {
			int others = 0;
			for (int u = 0; u < p->nlots; u++)
				if (u != t) {
					int ss = 0;
					for (int s = 0; s < p->nsec; s++)
						ss += p->lot[u].sec_min[s];
					others += p->lot[u].size_min > ss ? p->lot[u].size_min : ss;
				}
			int c = p->n - others < p->lot[t].size_max ? p->n - others : p->lot[t].size_max;
			most = c > most ? c : most;
		}
		assert_int_equal(consort__bnp_column_cap(p), most);
		consort__problem_free(p);
	}
}

/* Capped problems beyond brute force: the same status and optimum as bnb. */
static void test_against_bnb(void **state)
{
	(void)state;
	static const int masks[] = {RP_SIZE, RP_LOTS, RP_SIZE | RP_REAL, RP_LOTS | RP_SIZE | RP_OPTIONAL,
		RP_SIZE | RP_SECTOR, RP_LOTS | RP_REAL, RP_SIZE | RP_TOGETHER | RP_APART,
		RP_LOTS | RP_SIZE | RP_OPTIONAL | RP_REAL, RP_SIZE | RP_OPTIONAL, RP_SIZE | RP_K_RANGE,
		RP_LOTS | RP_SECTOR, RP_SIZE | RP_COVER};
	int count = quick() ? 4 : (int)(sizeof(masks) / sizeof(masks[0]));
	int proved = 0;
	for (int t = 0; t < count; t++) {
		unsigned seed = 4200u + (unsigned)t;
		int n = 14 + t % 9, mask = masks[t];
		consort__problem *p = randprob_make(seed, n, mask);
		assert_non_null(p);
		char what[240];
		snprintf(what, sizeof(what), "seed %u n %d [%s]", seed, n, randprob_describe(mask));
		if (!consort__bnp_supported(p))
			fail_msg("%s: consort__bnp_supported says no", what);
		double t0 = now();
		consort__bnb_result br;
		solve_bnb(&br, p, NULL, 0, 60);
		double t1 = now();
		consort__bnb_result pr;
		solve_bnp(&pr, p, NULL, 0, 60, what);
		double t2 = now();
		print_message("%s: bnb status %d obj %g (%.2f s), bnp status %d obj %g bound %g (%.2f s, %ld nodes)\n",
			what, br.status, br.objective, t1 - t0, pr.status, pr.objective, pr.bound, t2 - t1, pr.nodes);
		if (pr.assign) {
			char why[200] = "";
			if (!consort__problem_feasible(p, pr.assign, pr.k, why, sizeof(why)))
				fail_msg("%s: bnp assignment breaks a rule: %s", what, why);
			if (fabs(consort__problem_objective(p, pr.assign) - pr.objective) > 1e-6)
				fail_msg("%s: bnp reports %g, its assignment is worth %g", what, pr.objective,
					consort__problem_objective(p, pr.assign));
		}
		if (br.status == CONSORT_STATUS_OPTIMAL || br.status == CONSORT_STATUS_INFEASIBLE) {
			proved++;
			if (pr.status != br.status)
				fail_msg("%s: bnb status %d (obj %g), bnp status %d (obj %g, bound %g)", what, br.status,
					br.objective, pr.status, pr.objective, pr.bound);
			if (br.status == CONSORT_STATUS_OPTIMAL &&
			    (fabs(pr.objective - br.objective) > 1e-6 || fabs(pr.bound - br.objective) > 1e-6))
				fail_msg("%s: bnb %g, bnp %g (bound %g)", what, br.objective, pr.objective, pr.bound);
			if (br.status == CONSORT_STATUS_INFEASIBLE && pr.assign)
				fail_msg("%s: infeasible, yet bnp returns an assignment", what);
		} else {
			print_message("%s: bnb did not prove in 60 s, comparison skipped\n", what);
		}
		consort__bnb_result_dispose(&br);
		consort__bnb_result_dispose(&pr);
		consort__problem_free(p);
	}
	assert_true(proved > 0);
}

/* The hard-ish problems of the time limit test: 30 participants, uniform real
 * weights and either three consortia of 8..12 (kind 0: large columns, bnp
 * needs about a second and bnb proves it in about as long; the start is three
 * consortia of ten) or any number of consortia of 4..6 (kind 1: bnp has its
 * root bound within the limit, bnb does not prove it in a minute; the start
 * is six consortia of five). */
static consort__problem *time_limit_problem(unsigned seed, int kind, int *start, int *start_k, char *what,
	size_t len)
{
	consort__problem *p = randprob_make(seed, 30, RP_REAL);
	assert_non_null(p);
	int size = kind == 0 ? 10 : 5;
	p->global.size_min = kind == 0 ? 8 : 4;
	p->global.size_max = kind == 0 ? 12 : 6;
	if (kind == 0)
		p->kmin = p->kmax = 3;
	for (int i = 0; i < p->n; i++)
		start[i] = i / size;
	*start_k = p->n / size;
	snprintf(what, len, "seed %u n %d [real, k %s, size %d..%d]", seed, p->n, kind == 0 ? "3" : "free",
		p->global.size_min, p->global.size_max);
	assert_true(consort__problem_feasible(p, start, *start_k, NULL, 0));
	return p;
}

/* A tiny limit: never a false proof, the start kept, the assignment feasible
 * and the bound (if any) above the best known value; ref is an exact answer
 * with a larger limit (compared when it proved optimality). */
static void time_limit_one(unsigned seed, int kind, int with_start, const consort__bnb_result *ref,
	const char *refname)
{
	int start[30], start_k;
	char what[240];
	consort__problem *p = time_limit_problem(seed, kind, start, &start_k, what, sizeof(what));
	if (with_start)
		strcat(what, " with start");
	if (!consort__bnp_supported(p))
		fail_msg("%s: consort__bnp_supported says no", what);

	double t0 = now();
	consort__bnb_result res;
	solve_bnp(&res, p, with_start ? start : NULL, start_k, 0.05, what);
	double took = now() - t0;
	print_message("%s: bnp at 0.05 s: status %d obj %g bound %g (%.3f s, %ld nodes)\n", what, res.status,
		res.objective, res.bound, took, res.nodes);
	if (took > 5)
		fail_msg("%s: a 0.05 s limit took %.2f s", what, took);
	if (res.status == CONSORT_STATUS_INFEASIBLE)
		fail_msg("%s: bnp claims infeasible; the start is feasible", what);
	if (with_start) {
		if (res.status != CONSORT_STATUS_OPTIMAL && res.status != CONSORT_STATUS_FEASIBLE)
			fail_msg("%s: status %d despite a feasible start", what, res.status);
		if (res.objective < consort__problem_objective(p, start) - 1e-9)
			fail_msg("%s: bnp %g, below its start %g", what, res.objective, consort__problem_objective(p, start));
	}
	if (res.assign) {
		char why[200] = "";
		if (!consort__problem_feasible(p, res.assign, res.k, why, sizeof(why)))
			fail_msg("%s: bnp assignment breaks a rule: %s", what, why);
		if (fabs(consort__problem_objective(p, res.assign) - res.objective) > 1e-6)
			fail_msg("%s: bnp reports %g, its assignment is worth %g", what, res.objective,
				consort__problem_objective(p, res.assign));
		if (res.status != CONSORT_STATUS_OPTIMAL && !(res.bound >= res.objective - 1e-9))
			fail_msg("%s: bound %g below the objective %g", what, res.bound, res.objective);
	} else if (res.status != CONSORT_STATUS_STOPPED) {
		fail_msg("%s: status %d without an assignment", what, res.status);
	}

	if (ref->status == CONSORT_STATUS_OPTIMAL) {
		if (res.status == CONSORT_STATUS_OPTIMAL && fabs(res.objective - ref->objective) > 1e-6)
			fail_msg("%s: bnp claims optimal %g, %s proves %g", what, res.objective, refname, ref->objective);
		if (res.assign && res.objective > ref->objective + 1e-6)
			fail_msg("%s: bnp %g above the optimum %g %s proves", what, res.objective, ref->objective, refname);
		if (res.bound < ref->objective - 1e-6)
			fail_msg("%s: bnp bound %g below the optimum %g %s proves", what, res.bound, ref->objective,
				refname);
	}
	consort__bnb_result_dispose(&res);
	consort__problem_free(p);
}

/* kind 0 is checked against bnb (20 s); kind 1, which bnb does not prove in
 * 20 s, against bnp itself without a limit (its optimum is then proved and
 * compared to nothing else, but a bound at 0.05 s below it is still wrong). */
static void time_limit_seed(unsigned seed, int kind)
{
	int start[30], start_k;
	char what[240];
	consort__problem *p = time_limit_problem(seed, kind, start, &start_k, what, sizeof(what));
	const char *refname = kind == 0 ? "bnb" : "bnp without a limit";
	double t0 = now();
	consort__bnb_result ref;
	if (kind == 0)
		solve_bnb(&ref, p, start, start_k, 20);
	else
		solve_bnp(&ref, p, start, start_k, 60, what);
	print_message("%s: %s: status %d obj %g bound %g (%.2f s)\n", what, refname, ref.status, ref.objective,
		ref.bound, now() - t0);
	if (ref.status != CONSORT_STATUS_OPTIMAL)
		print_message("%s: %s did not prove it: the comparison with its optimum is skipped\n", what, refname);
	consort__problem_free(p);
	time_limit_one(seed, kind, 0, &ref, refname);
	time_limit_one(seed, kind, 1, &ref, refname);
	consort__bnb_result_dispose(&ref);
}

/* Progress calls: every bound a bound on the optimum, every incumbent a
 * value some solution reaches, the clock moving forward. */
typedef struct progress_log {
	int calls, with_bound;
	double last_s, min_bound, max_inc;
} progress_log;

static void on_progress(double seconds, int has_inc, double inc, double bound, void *data)
{
	progress_log *l = data;
	if (seconds < l->last_s)
		fail_msg("progress went back in time: %g after %g s", seconds, l->last_s);
	l->last_s = seconds;
	l->calls++;
	if (bound < HUGE_VAL) {
		l->with_bound++;
		l->min_bound = fmin(l->min_bound, bound);
	}
	if (has_inc) {
		l->max_inc = fmax(l->max_inc, inc);
		if (bound < inc - 1e-6)
			fail_msg("progress: bound %g below the incumbent %g", bound, inc);
	}
}

static void test_progress(void **state)
{
	(void)state;
	int start[30], start_k;
	char what[240];
	consort__problem *p = time_limit_problem(77, 1, start, &start_k, what, sizeof(what));
	consort__bnb_options o;
	consort__bnb_options_init(&o);
	o.progress = on_progress;
	progress_log log = {0, 0, 0, HUGE_VAL, -HUGE_VAL};
	o.progress_data = &log;
	o.progress_every = 1e-4;
	consort__bnb_result res;
	consort_error err;
	if (consort__bnp_solve(&res, p, &o, &err) != 0)
		fail_msg("%s: %s", what, err.message);
	print_message("%s: %d progress calls, %d with a bound (least %g), best incumbent %g; optimum %g\n", what,
		log.calls, log.with_bound, log.min_bound, log.max_inc, res.objective);
	assert_int_equal(res.status, CONSORT_STATUS_OPTIMAL);
	assert_true(log.calls > 0);
	assert_true(log.with_bound > 0);
	if (log.min_bound < res.objective - 1e-6)
		fail_msg("%s: progress bound %g below the optimum %g", what, log.min_bound, res.objective);
	if (log.max_inc > res.objective + 1e-6)
		fail_msg("%s: progress incumbent %g above the optimum %g", what, log.max_inc, res.objective);
	consort__bnb_result_dispose(&res);
	consort__problem_free(p);
}

static void test_time_limit(void **state)
{
	(void)state;
	time_limit_seed(78, 0);
	time_limit_seed(79, 0);
	time_limit_seed(77, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_brute_force),
		cmocka_unit_test(test_extended_rules),
		cmocka_unit_test(test_lot_sizes),
		cmocka_unit_test(test_fixed_sizes),
		cmocka_unit_test(test_declined),
		cmocka_unit_test(test_column_cap),
		cmocka_unit_test(test_against_bnb),
		cmocka_unit_test(test_node_limit),
		cmocka_unit_test(test_time_limit),
		cmocka_unit_test(test_progress),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
