/* The exact engine against brute force on random small problems of every rule
 * kind: the same optimum (or both infeasible), a feasible assignment, a valid bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brute.h"
#include "engines/ilp.h"
#include "engines/explain.h"
#include "engines/heuristic.h"
#include "engines/fairness.h"
#include "randprob.h"

static int quick(void)
{
	return getenv("CONSORT_TEST_QUICK") != NULL;
}

/* Solves one problem both ways and compares; returns 1 if feasible. */
static int compare_one(unsigned seed, int n, int mask)
{
	consort__problem *p = randprob_make(seed, n, mask);
	assert_non_null(p);
	int bassign[BRUTE_MAX_N], bk = 0;
	double best = 0;
	int feasible = brute_solve(p, bassign, &bk, &best);
	assert_true(feasible >= 0);

	consort__ilp_options o;
	consort__ilp_options_init(&o);
	consort__ilp_result res;
	consort_error err;
	if (consort__ilp_solve(&res, p, &o, &err) != 0)
		fail_msg("seed %u n %d [%s]: %s", seed, n, randprob_describe(mask), err.message);
	if (!feasible) {
		if (res.status != CONSORT_STATUS_INFEASIBLE)
			fail_msg("seed %u n %d [%s]: brute force says infeasible, ILP says %d (obj %g)", seed, n,
				randprob_describe(mask), res.status, res.objective);
	} else {
		if (res.status != CONSORT_STATUS_OPTIMAL)
			fail_msg("seed %u n %d [%s]: status %d, expected optimal %g", seed, n,
				randprob_describe(mask), res.status, best);
		char why[200] = "";
		if (!consort__problem_feasible(p, res.assign, res.k, why, sizeof(why)))
			fail_msg("seed %u n %d [%s]: ILP assignment breaks a rule: %s", seed, n,
				randprob_describe(mask), why);
		double obj = consort__problem_objective(p, res.assign);
		if (fabs(obj - best) > 1e-6 || fabs(res.objective - best) > 1e-6 || fabs(res.bound - best) > 1e-6)
			fail_msg("seed %u n %d [%s]: ILP %g (bound %g), brute force %g", seed, n,
				randprob_describe(mask), obj, res.bound, best);
	}
	consort__ilp_result_dispose(&res);
	consort__problem_free(p);
	return feasible;
}

/* Every rule kind on its own, then random mixes. */
static void test_against_brute_force(void **state)
{
	(void)state;
	int kinds[] = {0, RP_K_FIXED, RP_K_RANGE, RP_SIZE, RP_SECTOR, RP_COVER, RP_TOGETHER, RP_APART,
		RP_OPTIONAL, RP_LOTS, RP_REAL};
	int per_kind = quick() ? 6 : 25, mixes = quick() ? 60 : 300;
	int feasible = 0, total = 0;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (int t = 0; t < per_kind; t++, total++)
			feasible += compare_one(1000u * (unsigned)k + (unsigned)t, 4 + t % 5, kinds[k]);
	for (int t = 0; t < mixes; t++, total++)
		feasible += compare_one(50000u + (unsigned)t, 4 + t % 5, randprob_mask(7919u * (unsigned)t + 1));
	print_message("%d problems, %d feasible, %d infeasible: all agree with brute force\n",
		total, feasible, total - feasible);
	/* Both outcomes must be exercised, or the comparison proves little. */
	assert_true(feasible > total / 5);
	assert_true(total - feasible > total / 20);
}

/* A start assignment is accepted and the result is still proved optimal. */
static void test_start_incumbent(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 20; seed++) {
		consort__problem *p = randprob_make(seed, 8, RP_K_FIXED | RP_SECTOR);
		int a[BRUTE_MAX_N], k;
		double best;
		if (brute_solve(p, a, &k, &best) != 1) {
			consort__problem_free(p);
			continue;
		}
		consort__ilp_options o;
		consort__ilp_options_init(&o);
		o.start = a;
		o.start_k = k;
		consort__ilp_result res;
		assert_int_equal(consort__ilp_solve(&res, p, &o, NULL), 0);
		assert_int_equal(res.status, CONSORT_STATUS_OPTIMAL);
		assert_true(fabs(res.objective - best) < 1e-6);
		consort__ilp_result_dispose(&res);
		consort__problem_free(p);
	}
}

/* give_up_*: a hopeless bound stops the engine early with a valid bound; no
 * start or no threshold, no giving up. */
static void test_give_up(void **state)
{
	(void)state;
	enum { N = 40, SMALL = 8 };
	static double w[N * N];
	unsigned r = 12345;
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++) {
			r = r * 1103515245u + 12345u;
			w[i * N + j] = w[j * N + i] = (double)((r >> 8) % 2001) / 1000.0 - 1.0;
		}
	int start[N];
	for (int i = 0; i < N; i++)
		start[i] = i; /* everyone alone: objective 0 */
	consort__problem *p = NULL;
	assert_int_equal(consort__problem_from_weights(&p, N, w, NULL), 0);
	consort__ilp_options o;
	consort__ilp_options_init(&o);
	o.start = start;
	o.start_k = N;
	o.time_limit = 30;
	o.give_up_gap = 0.5;
	o.give_up_after = 0;
	consort__ilp_result res;
	assert_int_equal(consort__ilp_solve(&res, p, &o, NULL), 0);
	assert_int_equal(res.gave_up, 1);
	assert_true(res.status == CONSORT_STATUS_FEASIBLE || res.status == CONSORT_STATUS_STOPPED);
	assert_true(res.bound > 0.5); /* the reason it gave up */
	consort__ilp_result_dispose(&res);
	o.start = NULL; /* nothing to compare the bound with */
	o.time_limit = 0.3;
	assert_int_equal(consort__ilp_solve(&res, p, &o, NULL), 0);
	assert_int_equal(res.gave_up, 0);
	consort__ilp_result_dispose(&res);
	consort__problem_free(p);

	/* On small problems whatever stops it, the bound is a bound. */
	for (unsigned seed = 1; seed <= 30; seed++) {
		double ws[SMALL * SMALL];
		for (int i = 0; i < SMALL; i++)
			for (int j = 0; j < SMALL; j++) {
				r = r * 1103515245u + 12345u + seed;
				ws[i * SMALL + j] = i == j ? 0 : (double)((r >> 8) % 2001) / 1000.0 - 1.0;
			}
		for (int i = 0; i < SMALL; i++)
			for (int j = 0; j < i; j++)
				ws[i * SMALL + j] = ws[j * SMALL + i];
		assert_int_equal(consort__problem_from_weights(&p, SMALL, ws, NULL), 0);
		int a[BRUTE_MAX_N], k;
		double best;
		assert_int_equal(brute_solve(p, a, &k, &best), 1);
		o.start = start;
		o.start_k = SMALL;
		o.time_limit = 30;
		assert_int_equal(consort__ilp_solve(&res, p, &o, NULL), 0);
		assert_true(res.bound >= best - 1e-6);
		if (res.status == CONSORT_STATUS_OPTIMAL)
			assert_true(fabs(res.objective - best) < 1e-6);
		else
			assert_int_equal(res.gave_up, 1);
		consort__ilp_result_dispose(&res);
		consort__problem_free(p);
	}
}

/* A planted partition of 40 is recovered and proved optimal. */
static void test_planted(void **state)
{
	(void)state;
	int truth[40];
	consort__problem *p = randprob_planted(3, 40, 5, truth);
	consort__ilp_options o;
	consort__ilp_options_init(&o);
	consort__ilp_result res;
	assert_int_equal(consort__ilp_solve(&res, p, &o, NULL), 0);
	assert_int_equal(res.status, CONSORT_STATUS_OPTIMAL);
	assert_int_equal(res.k, 5);
	for (int i = 0; i < 40; i++)
		for (int j = 0; j < 40; j++)
			assert_int_equal(truth[i] == truth[j], res.assign[i] == res.assign[j]);
	consort__ilp_result_dispose(&res);
	consort__problem_free(p);
}

/* Explanations: every infeasible problem gets a non-empty list, and each item
 * names a rule kind the problem has. */
static void test_explain(void **state)
{
	(void)state;
	int explained = 0;
	for (unsigned seed = 0; seed < (quick() ? 40u : 150u); seed++) {
		int mask = randprob_mask(seed * 31u + 7);
		consort__problem *p = randprob_make(seed + 90000u, 6, mask);
		int a[BRUTE_MAX_N], k;
		double best;
		if (brute_solve(p, a, &k, &best) != 0) {
			consort__problem_free(p);
			continue;
		}
		char **items;
		int nitems;
		assert_int_equal(consort__explain(&items, &nitems, p, 0, NULL), 0);
		assert_true(nitems >= 1);
		for (int i = 0; i < nitems; i++) {
			assert_non_null(strstr(items[i], "rules."));
			free(items[i]);
		}
		free(items);
		explained++;
		consort__problem_free(p);
	}
	assert_true(explained > 5);
}

/* GLPK calls abort() on misuse unless its error hook jumps out. A corrupted
 * problem (a together pair naming a participant that does not exist) makes
 * GLPK reject a column number: the solve must fail with CONSORT_ESOLVER, the
 * process must live on, and the next solve must work. */
static void test_glpk_error_hook(void **state)
{
	(void)state;
	consort__problem *p = randprob_make(11, 6, RP_TOGETHER);
	assert_non_null(p);
	assert_true(p->ntogether >= 1);
	int saved = p->together[0][1];
	p->together[0][1] = p->n + 40;
	consort__ilp_options o;
	consort__ilp_options_init(&o);
	consort__ilp_result res;
	consort_error err;
	consort_error_clear(&err);
	assert_int_equal(consort__ilp_solve(&res, p, &o, &err), CONSORT_ESOLVER);
	assert_non_null(strstr(err.message, "GLPK failed internally (glp_set_col_bnds"));
	assert_null(res.assign);
	p->together[0][1] = saved;
	assert_int_equal(consort__ilp_solve(&res, p, &o, &err), 0);
	assert_true(res.status == CONSORT_STATUS_OPTIMAL || res.status == CONSORT_STATUS_INFEASIBLE);
	consort__ilp_result_dispose(&res);
	consort__problem_free(p);
}

/* The heuristic on the same problem: whatever it returns meets every rule and
 * is no better than the optimum. */
static int heur_found, heur_feasible, heur_optimal;

static void check_heuristic(const consort__problem *p, int feasible, double best, unsigned seed, int n, int mask)
{
	consort__heur_options h;
	consort__heur_options_init(&h);
	h.max_iters = 200;
	h.time_limit = 0;
	h.seed = seed;
	int assign[BRUTE_MAX_N], k = 0;
	double obj = 0;
	int found = consort__heuristic_solve(p, &h, assign, &k, &obj, NULL);
	assert_true(found >= 0);
	if (!found)
		return;
	char why[200] = "";
	if (!feasible || !consort__problem_feasible(p, assign, k, why, sizeof(why)) || obj > best + 1e-6)
		fail_msg("seed %u n %d [%s]: heuristic %g breaks a rule (%s) or beats brute force %g", seed, n,
			randprob_describe(mask), obj, why, best);
	heur_found += p->has_min_fit;
	heur_optimal += p->has_min_fit && obj > best - 1e-6;
}

/* min_fit and pins (with every other rule kind): the ILP matches brute force,
 * the heuristic never breaks a rule. */
static void test_extended_rules(void **state)
{
	(void)state;
	int kinds[] = {RP_MIN_FIT, RP_MIN_FIT | RP_OPTIONAL, RP_MIN_FIT | RP_REAL, RP_PIN | RP_LOTS,
		RP_PIN | RP_OPTIONAL, RP_PIN | RP_LOTS | RP_OPTIONAL, RP_MIN_FIT | RP_PIN | RP_LOTS | RP_OPTIONAL};
	int per_kind = quick() ? 6 : 25, mixes = quick() ? 60 : 250, feasible = 0, total = 0;
	for (int t = 0; t < (int)(sizeof(kinds) / sizeof(kinds[0])) * per_kind + mixes; t++, total++) {
		int nk = (int)(sizeof(kinds) / sizeof(kinds[0]));
		unsigned seed = 70000u + (unsigned)t;
		int mask = t < nk * per_kind ? kinds[t / per_kind] : randprob_mask_ext(31u * (unsigned)t + 7);
		int n = 4 + t % 5;
		feasible += compare_one(seed, n, mask);
		consort__problem *p = randprob_make(seed, n, mask);
		int a[BRUTE_MAX_N], k;
		double best = 0;
		int f = brute_solve(p, a, &k, &best);
		heur_feasible += f && p->has_min_fit;
		check_heuristic(p, f, best, seed, n, mask);
		consort__problem_free(p);
	}
	print_message("%d problems with min_fit or pins, %d feasible: all agree with brute force\n", total, feasible);
	print_message("heuristic with min_fit: %d of %d feasible problems solved, %d at the optimum\n", heur_found,
		heur_feasible, heur_optimal);
	/* The repair by the fairness search must find most of them. */
	assert_true(heur_found >= heur_feasible * 9 / 10);
	assert_true(feasible > total / 5);
	assert_true(total - feasible > total / 20);
}

/* maxmin in the ILP: phase 1 (the weakest fit) and phase 2 (the total at that
 * weakest fit) reach the lexicographic optimum brute force finds. */
static void test_maxmin_phases(void **state)
{
	(void)state;
	int count = quick() ? 60 : 300, feasible = 0;
	for (int t = 0; t < count; t++) {
		unsigned seed = 90000u + (unsigned)t;
		int n = 3 + t % 6, mask = t % 3 ? randprob_mask_ext(17u * (unsigned)t + 3) : randprob_mask(17u * (unsigned)t);
		consort__problem *p = randprob_make(seed, n, mask);
		assert_non_null(p);
		int a[BRUTE_MAX_N], k;
		double tmin = 0, total = 0;
		int f = brute_solve_maxmin(p, a, &k, &tmin, &total);
		assert_true(f >= 0);
		consort__ilp_options o;
		consort__ilp_options_init(&o);
		o.maxmin = 1;
		consort__ilp_result r1;
		assert_int_equal(consort__ilp_solve(&r1, p, &o, NULL), 0);
		if (!f) {
			if (r1.status != CONSORT_STATUS_INFEASIBLE)
				fail_msg("seed %u n %d [%s]: maxmin: brute force infeasible, ILP %d", seed, n,
					randprob_describe(mask), r1.status);
			consort__ilp_result_dispose(&r1);
			consort__problem_free(p);
			continue;
		}
		feasible++;
		assert_int_equal(r1.status, CONSORT_STATUS_OPTIMAL);
		assert_true(consort__problem_feasible(p, r1.assign, r1.k, NULL, 0));
		double t1 = consort__problem_min_fit(p, r1.assign);
		if (!(fabs(t1 - tmin) < 1e-6 || (isinf(t1) && isinf(tmin))))
			fail_msg("seed %u n %d [%s]: weakest fit %g, brute force %g", seed, n, randprob_describe(mask), t1, tmin);
		consort__problem *q = consort__problem_clone(p);
		if (isfinite(t1) && (!q->has_min_fit || t1 > q->min_fit)) {
			q->has_min_fit = 1;
			q->min_fit = t1;
		}
		consort__ilp_options_init(&o);
		o.start = r1.assign;
		o.start_k = r1.k;
		consort__ilp_result r2;
		assert_int_equal(consort__ilp_solve(&r2, q, &o, NULL), 0);
		assert_int_equal(r2.status, CONSORT_STATUS_OPTIMAL);
		if (fabs(r2.objective - total) > 1e-6)
			fail_msg("seed %u n %d [%s]: maxmin total %g, brute force %g (weakest %g)", seed, n,
				randprob_describe(mask), r2.objective, total, tmin);
		consort__ilp_result_dispose(&r1);
		consort__ilp_result_dispose(&r2);
		consort__problem_free(q);
		consort__problem_free(p);
	}
	print_message("%d maxmin problems, %d feasible: all agree with brute force\n", count, feasible);
	assert_true(feasible > count / 4);
}

/* The fairness search in maxmin mode: from the heuristic's best total, never a
 * rule broken, never a weaker minimum; how often it reaches the maxmin optimum. */
static void test_fairness_search(void **state)
{
	(void)state;
	int count = quick() ? 60 : 300, tried = 0, reached = 0;
	for (int t = 0; t < count; t++) {
		unsigned seed = 140000u + (unsigned)t;
		int n = 4 + t % 5, mask = randprob_mask_ext(29u * (unsigned)t + 1);
		consort__problem *p = randprob_make(seed, n, mask);
		int a[BRUTE_MAX_N], k, ba[BRUTE_MAX_N], bk;
		double tmin, total, obj;
		consort__heur_options h;
		consort__heur_options_init(&h);
		h.max_iters = 200;
		h.time_limit = 0;
		if (consort__heuristic_solve(p, &h, a, &k, &obj, NULL) != 1) {
			consort__problem_free(p);
			continue;
		}
		assert_int_equal(brute_solve_maxmin(p, ba, &bk, &tmin, &total), 1);
		double before = consort__problem_min_fit(p, a);
		assert_int_equal(consort__fair_improve(p, a, &k, CONSORT__FAIR_MAXMIN, 0, 0), 1);
		assert_true(consort__problem_feasible(p, a, k, NULL, 0));
		double after = consort__problem_min_fit(p, a);
		assert_true(after >= before - 1e-9);
		assert_true(after <= tmin + 1e-9);
		tried++;
		reached += after >= tmin - 1e-9;
		consort__problem_free(p);
	}
	print_message("fairness search: the maxmin optimum's weakest fit in %d of %d problems\n", reached, tried);
	assert_true(reached >= tried * 3 / 4);
}

/* Exclusions (the alternatives' rule): with lots and with the slot matching
 * rows the ILP states "at least D members elsewhere" exactly; otherwise it
 * excludes the same partition only, so its optimum bounds the true one and is
 * the true one whenever it keeps the distance. */
static void test_exclusions(void **state)
{
	(void)state;
	int count = quick() ? 80 : 400, exact = 0, relaxed = 0;
	for (int t = 0; t < count; t++) {
		unsigned seed = 120000u + (unsigned)t;
		int n = 3 + t % 6, mask = (randprob_mask(13u * (unsigned)t + 5) | RP_REAL) & ~(t % 2 ? 0 : RP_LOTS);
		consort__problem *p = randprob_make(seed, n, mask);
		int a[BRUTE_MAX_N], k;
		double best;
		if (brute_solve(p, a, &k, &best) != 1) {
			consort__problem_free(p);
			continue;
		}
		int differ = 1 + t % 3;
		assert_int_equal(consort__problem_add_exclude(p, a, k, differ), 0);
		double best2 = 0;
		int f2 = brute_solve(p, a, &k, &best2);
		consort__ilp_options o;
		consort__ilp_options_init(&o);
		consort__ilp_result res;
		assert_int_equal(consort__ilp_solve(&res, p, &o, NULL), 0);
		if (res.status == CONSORT_STATUS_INFEASIBLE) {
			if (f2)
				fail_msg("seed %u n %d D %d [%s]: ILP infeasible, brute force %g", seed, n, differ,
					randprob_describe(mask), best2);
		} else {
			assert_int_equal(res.status, CONSORT_STATUS_OPTIMAL);
			if (consort__problem_feasible(p, res.assign, res.k, NULL, 0)) {
				if (!f2 || fabs(res.objective - best2) > 1e-6)
					fail_msg("seed %u n %d D %d [%s]: ILP %g, brute force %g", seed, n, differ,
						randprob_describe(mask), res.objective, f2 ? best2 : NAN);
				exact++;
			} else {
				/* Only without lots, and never below the true optimum. */
				assert_int_equal(p->nlots, 0);
				assert_true(!f2 || res.objective >= best2 - 1e-6);
				relaxed++;
			}
		}
		consort__ilp_result_dispose(&res);
		consort__problem_free(p);
	}
	print_message("exclusions: %d exact, %d relaxed (closer than D: the caller re-solves)\n", exact, relaxed);
	assert_true(exact > count / 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_brute_force),
		cmocka_unit_test(test_start_incumbent),
		cmocka_unit_test(test_extended_rules),
		cmocka_unit_test(test_maxmin_phases),
		cmocka_unit_test(test_exclusions),
		cmocka_unit_test(test_fairness_search),
		cmocka_unit_test(test_give_up),
		cmocka_unit_test(test_planted),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_glpk_error_hook),
	};
	return cmocka_run_group_tests_name("ilp", tests, NULL, NULL);
}
