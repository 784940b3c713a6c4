/* The branch-and-bound engine against brute force on random small problems of
 * every rule kind (the same optimum or both infeasible, a feasible assignment,
 * a bound that is a bound; with first_feasible, a solution exactly when one
 * exists), against GLPK on larger unstructured ones, and its
 * behaviour at the time limit. */
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
#include "engines/bnb.h"
#include "engines/ilp.h"
#include "randprob.h"

static int quick(void)
{
	return getenv("CONSORT_TEST_QUICK") != NULL;
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

/* Solves one problem both ways and compares; returns 1 if feasible. */
static int compare_one(unsigned seed, int n, int mask, int with_start)
{
	consort__problem *p = randprob_make(seed, n, mask);
	assert_non_null(p);
	int bassign[BRUTE_MAX_N], bk = 0;
	double best = 0;
	int feasible = brute_solve(p, bassign, &bk, &best);
	assert_true(feasible >= 0);

	consort__bnb_result res;
	solve_bnb(&res, p, with_start && feasible ? bassign : NULL, bk, 0);
	const char *kinds = randprob_describe(mask);
	if (!feasible) {
		if (res.status != CONSORT_STATUS_INFEASIBLE)
			fail_msg("seed %u n %d [%s]: brute force says infeasible, bnb says %d (obj %g)", seed, n, kinds,
				res.status, res.objective);
		assert_null(res.assign);
	} else {
		if (res.status != CONSORT_STATUS_OPTIMAL)
			fail_msg("seed %u n %d [%s]: status %d, expected optimal %g", seed, n, kinds, res.status, best);
		char why[200] = "";
		if (!consort__problem_feasible(p, res.assign, res.k, why, sizeof(why)))
			fail_msg("seed %u n %d [%s]: bnb assignment breaks a rule: %s", seed, n, kinds, why);
		double obj = consort__problem_objective(p, res.assign);
		if (fabs(obj - best) > 1e-6 || fabs(res.objective - best) > 1e-6 || fabs(res.bound - best) > 1e-6)
			fail_msg("seed %u n %d [%s]: bnb %g (bound %g), brute force %g", seed, n, kinds, obj, res.bound,
				best);
	}
	consort__bnb_result_dispose(&res);

	/* As a feasibility test (explain.c): a solution that meets every rule
	 * exactly when brute force has one. */
	consort__bnb_options o;
	consort__bnb_options_init(&o);
	o.first_feasible = 1;
	if (consort__bnb_solve(&res, p, &o, NULL) != 0)
		fail_msg("seed %u: first_feasible run failed", seed);
	if (!feasible && res.status != CONSORT_STATUS_INFEASIBLE)
		fail_msg("seed %u n %d [%s]: first_feasible says %d, brute force infeasible", seed, n, kinds,
			res.status);
	if (feasible && (!res.assign || !consort__problem_feasible(p, res.assign, res.k, NULL, 0) ||
			    res.bound < best - 1e-6 || res.objective > best + 1e-6))
		fail_msg("seed %u n %d [%s]: first_feasible status %d gave no valid solution (obj %g bound %g, best %g)",
			seed, n, kinds, res.status, res.objective, res.bound, best);
	consort__bnb_result_dispose(&res);
	consort__problem_free(p);
	return feasible;
}

/* Every rule kind on its own, then random mixes, with and without a start. */
static void test_against_brute_force(void **state)
{
	(void)state;
	int kinds[] = {0, RP_K_FIXED, RP_K_RANGE, RP_SIZE, RP_SECTOR, RP_COVER, RP_TOGETHER, RP_APART,
		RP_OPTIONAL, RP_LOTS, RP_REAL, RP_K_FIXED | RP_SECTOR | RP_REAL, RP_LOTS | RP_OPTIONAL,
		RP_OPTIONAL | RP_TOGETHER | RP_APART};
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

/* The rules beyond formats.md: min_fit, pins, absent members and exclusions
 * of earlier solutions (alternatives), each with the others and every kind. */
static int compare_extended(unsigned seed, int n, int mask, int ext)
{
	consort__problem *p = randprob_make(seed, n, mask);
	assert_non_null(p);
	srand(seed);
	if (ext & 1) {
		static const double xs[] = {-1, 0, 0.5, 1, 2};
		p->has_min_fit = 1;
		p->min_fit = xs[rand() % 5];
	}
	if (ext & 2) {
		p->fixed = malloc((size_t)n * sizeof(int));
		assert_non_null(p->fixed);
		for (int i = 0; i < n; i++)
			p->fixed[i] = CONSORT__FREE;
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
	int bassign[BRUTE_MAX_N], bk = 0;
	double best = 0;
	int feasible = brute_solve(p, bassign, &bk, &best);
	assert_true(feasible >= 0);
	if ((ext & 8) && feasible) {
		/* exclude the optimum: the next best that differs enough */
		assert_int_equal(consort__problem_add_exclude(p, bassign, bk, 1 + rand() % 3), 0);
		feasible = brute_solve(p, bassign, &bk, &best);
	}
	consort__bnb_result res;
	solve_bnb(&res, p, NULL, 0, 0);
	if (!feasible) {
		if (res.status != CONSORT_STATUS_INFEASIBLE)
			fail_msg("seed %u n %d ext %d [%s]: brute force says infeasible, bnb says %d", seed, n, ext,
				randprob_describe(mask), res.status);
	} else {
		if (res.status != CONSORT_STATUS_OPTIMAL || !consort__problem_feasible(p, res.assign, res.k, NULL, 0) ||
		    fabs(res.objective - best) > 1e-6)
			fail_msg("seed %u n %d ext %d [%s]: bnb status %d obj %g, brute force %g", seed, n, ext,
				randprob_describe(mask), res.status, res.objective, best);
	}
	consort__bnb_result_dispose(&res);
	consort__problem_free(p);
	return feasible;
}

static void test_extended_rules(void **state)
{
	(void)state;
	int count = quick() ? 150 : 800, feasible = 0;
	for (int t = 0; t < count; t++) {
		int ext = 1 + t % 15;
		feasible += compare_extended(30000u + (unsigned)t, 3 + t % 7, randprob_mask(7u * (unsigned)t + 11), ext);
	}
	print_message("%d problems with min_fit, pins, absent members, exclusions: %d feasible, all agree\n",
		count, feasible);
	assert_true(feasible > count / 5);
	assert_true(count - feasible > count / 20);
}

/* Unstructured weights beyond brute force: the same optimum as GLPK. */
static void test_against_ilp(void **state)
{
	(void)state;
	int count = quick() ? 4 : 16;
	for (int t = 0; t < count; t++) {
		int n = 13 + t % 4;
		int mask = (t % 2 ? RP_K_FIXED : 0) | RP_SECTOR | (t % 3 == 0 ? RP_REAL : 0);
		consort__problem *p = randprob_make(500u + (unsigned)t, n, mask);
		assert_non_null(p);
		consort__ilp_options io;
		consort__ilp_options_init(&io);
		consort__ilp_result ir;
		consort_error err;
		assert_int_equal(consort__ilp_solve(&ir, p, &io, &err), 0);
		consort__bnb_result br;
		solve_bnb(&br, p, NULL, 0, 0);
		assert_int_equal(br.status, ir.status);
		if (ir.status == CONSORT_STATUS_OPTIMAL) {
			if (fabs(br.objective - ir.objective) > 1e-6)
				fail_msg("t %d n %d: bnb %g, ilp %g", t, n, br.objective, ir.objective);
			assert_true(consort__problem_feasible(p, br.assign, br.k, NULL, 0));
		}
		consort__ilp_result_dispose(&ir);
		consort__bnb_result_dispose(&br);
		consort__problem_free(p);
	}
}

/* A tiny limit on a hard problem: stopped or feasible, never a false proof,
 * the start kept, and the bound (if any) above the best known value. */
static void test_time_limit(void **state)
{
	(void)state;
	consort__problem *p = randprob_make(77, 60, RP_REAL);
	assert_non_null(p);
	int *start = calloc((size_t)p->n, sizeof(int));
	assert_non_null(start);
	int bk = p->kmax < 2 ? 1 : 2;
	for (int i = 0; i < p->n; i++)
		start[i] = i % bk;
	int start_ok = consort__problem_feasible(p, start, bk, NULL, 0);
	consort__bnb_result res;
	solve_bnb(&res, p, start_ok ? start : NULL, bk, 0.05);
	assert_true(res.status == CONSORT_STATUS_FEASIBLE || res.status == CONSORT_STATUS_STOPPED);
	if (start_ok) {
		assert_int_equal(res.status, CONSORT_STATUS_FEASIBLE);
		assert_true(res.objective >= consort__problem_objective(p, start) - 1e-9);
	}
	if (res.assign) {
		assert_true(consort__problem_feasible(p, res.assign, res.k, NULL, 0));
		assert_true(res.bound >= res.objective);
	}
	consort__bnb_result_dispose(&res);
	free(start);
	consort__problem_free(p);
}

/* A planted partition is found and proved. */
static void test_planted(void **state)
{
	(void)state;
	int truth[40];
	consort__problem *p = randprob_planted(5, 40, 5, truth);
	assert_non_null(p);
	consort__bnb_result res;
	solve_bnb(&res, p, NULL, 0, 0);
	assert_int_equal(res.status, CONSORT_STATUS_OPTIMAL);
	assert_int_equal(res.k, 5);
	for (int i = 0; i < 40; i++)
		for (int j = 0; j < 40; j++)
			assert_int_equal(truth[i] == truth[j], res.assign[i] == res.assign[j]);
	consort__bnb_result_dispose(&res);
	consort__problem_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_brute_force),
		cmocka_unit_test(test_extended_rules),
		cmocka_unit_test(test_against_ilp),
		cmocka_unit_test(test_time_limit),
		cmocka_unit_test(test_planted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
