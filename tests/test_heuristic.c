/* Tests of the heuristic engine against brute force on small random problems
 * of every rule kind, plus reproducibility and a planted larger instance. */
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
#include "engines/heuristic.h"
#include "engines/heuristic_cpp.h"
#include "engines/heuristic_mdgp.h"
#include "randprob.h"

/* CONSORT_TEST_QUICK=1 (valgrind runs) checks fewer random instances. */
static int quick(void)
{
	const char *q = getenv("CONSORT_TEST_QUICK");
	return q && *q && strcmp(q, "0") != 0;
}

static consort__heur_options iters(long max_iters, unsigned long seed)
{
	consort__heur_options o;
	consort__heur_options_init(&o);
	o.time_limit = 0;
	o.max_iters = max_iters;
	o.seed = seed;
	return o;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static consort__problem *from_weights(int n, const double *w)
{
	consort__problem *p = NULL;
	assert_int_equal(consort__problem_from_weights(&p, n, w, NULL), 0);
	return p;
}

/* The oracle itself on cases worked out by hand. */
static void test_brute_by_hand(void **state)
{
	(void)state;
	/* Two pairs that like each other and mostly dislike the other pair. */
	double w[16] = {
		0, 2, 1, -1,
		2, 0, -1, -1,
		1, -1, 0, 1.5,
		-1, -1, 1.5, 0,
	};
	consort__problem *p = from_weights(4, w);
	int assign[4], k;
	double best;
	/* {0,1}{2,3} = 3.5 beats {0,1,2}{3} = 2 and {0,1,2,3} = 1.5. */
	assert_int_equal(brute_solve(p, assign, &k, &best), 1);
	assert_int_equal(k, 2);
	assert_true(best == 3.5);
	assert_int_equal(assign[0], assign[1]);
	assert_int_equal(assign[2], assign[3]);
	assert_int_not_equal(assign[0], assign[2]);
	assert_int_equal(brute_last_count(), 15); /* Bell(4) */

	/* One consortium forced: everyone together. */
	p->kmax = 1;
	assert_int_equal(brute_solve(p, assign, &k, &best), 1);
	assert_int_equal(k, 1);
	assert_true(best == 1.5);

	/* Sizes 3..3 with everyone placed: impossible for 4. */
	p->kmax = 4;
	p->global.size_min = p->global.size_max = 3;
	assert_int_equal(brute_solve(p, assign, &k, &best), 0);

	/* ... unless one may stay outside: {0,1,2} = 2, participant 3 out. */
	p->everyone = 0;
	p->kmin = 0;
	assert_int_equal(brute_solve(p, assign, &k, &best), 1);
	assert_true(best == 2);
	assert_int_equal(k, 1);
	assert_int_equal(assign[3], -1);
	assert_int_equal(brute_last_count(), 52); /* Bell(5): outside is one more block */
	consort__problem_free(p);
}

/* Brute force on lots labels lots, not blocks: lot 0 must hold participant 0. */
static void test_brute_lots(void **state)
{
	(void)state;
	consort__problem *p = randprob_make(7, 4, RP_LOTS);
	assert_non_null(p);
	for (int i = 0; i < 16; i++)
		p->w[i] = 0;
	p->w[0 * 4 + 1] = p->w[1 * 4 + 0] = 1;
	p->global.size_min = 1;
	for (int g = 0; g < p->nlots; g++) {
		p->lot[g].size_min = 1;
		p->lot[g].size_max = 4;
		p->lot[g].ncover = 0;
		for (int s = 0; s < p->nsec; s++) {
			p->lot[g].sec_min[s] = 0;
			p->lot[g].sec_max[s] = 4;
		}
	}
	p->lot[1].size_min = p->lot[1].size_max = 3;
	int assign[4], k;
	double best;
	int rc = brute_solve(p, assign, &k, &best);
	if (p->nlots == 2) {
		/* Lot 1 takes three: the best keeps 0 and 1 there together. */
		assert_int_equal(rc, 1);
		assert_true(best == 1);
		assert_int_equal(assign[0], 1);
		assert_int_equal(assign[1], 1);
	} else {
		/* Three lots of which one has 3 members: the others share one person. */
		assert_int_equal(rc, 0);
	}
	consort__problem_free(p);
}

typedef struct tally {
	int feasible, infeasible, hits;
	int kind_feasible[10], kind_infeasible[10];
} tally;

static void check_instance(unsigned seed, int n, int mask, tally *t)
{
	consort__problem *p = randprob_make(seed, n, mask);
	assert_non_null(p);
	int bassign[BRUTE_MAX_N], hassign[BRUTE_MAX_N], bk, hk;
	double bbest, hbest;
	int brc = brute_solve(p, bassign, &bk, &bbest);
	assert_true(brc >= 0);
	consort__heur_options o = iters(400, seed);
	consort_error err;
	consort_error_clear(&err);
	int hrc = consort__heuristic_solve(p, &o, hassign, &hk, &hbest, &err);
	char why[128] = "";
	if (hrc < 0)
		print_error("seed %u: %s\n", seed, err.message);
	if (brc == 0) {
		if (hrc != 0)
			print_error("seed %u n %d [%s]: heuristic found a solution brute force says is impossible\n",
				seed, n, randprob_describe(mask));
		assert_int_equal(hrc, 0);
		t->infeasible++;
	} else {
		if (hrc != 1)
			print_error("seed %u n %d [%s]: heuristic found nothing, brute force %g\n", seed, n,
				randprob_describe(mask), bbest);
		assert_int_equal(hrc, 1);
		if (!consort__problem_feasible(p, hassign, hk, why, sizeof(why)))
			fail_msg("seed %u n %d [%s]: returned an infeasible proposal: %s", seed, n,
				randprob_describe(mask), why);
		assert_true(fabs(consort__problem_objective(p, hassign) - hbest) < 1e-9);
		assert_true(hbest <= bbest + 1e-9); /* else the oracle missed a solution */
		t->feasible++;
		if (fabs(hbest - bbest) <= 1e-9)
			t->hits++;
		else
			print_message("miss: seed %u n %d [%s]: %g < %g\n", seed, n, randprob_describe(mask),
				hbest, bbest);
	}
	for (int b = 0; b < 10; b++)
		if (mask & (1 << b)) {
			if (brc)
				t->kind_feasible[b]++;
			else
				t->kind_infeasible[b]++;
		}
	consort__problem_free(p);
}

/* The core test: several hundred small problems, each rule kind alone first,
 * then random mixes; brute force is the judge. */
static void test_against_brute_force(void **state)
{
	(void)state;
	int count = quick() ? 120 : 500;
	tally t;
	memset(&t, 0, sizeof(t));
	for (int i = 0; i < count; i++) {
		unsigned seed = 1000u + (unsigned)i;
		int mask = i < 40 ? 1 << (i % 10) : randprob_mask(seed);
		int n = 4 + i % 6;
		if ((mask & RP_LOTS) && n > 7)
			n = 7; /* (nlots + 1)^n labellings */
		check_instance(seed, n, mask, &t);
	}
	double rate = (double)t.hits / (t.feasible ? t.feasible : 1);
	print_message("heuristic vs brute force: %d feasible (%d optimal, %.1f%%), %d infeasible\n",
		t.feasible, t.hits, 100 * rate, t.infeasible);
	/* The sample must exercise every rule kind, feasible and infeasible alike. */
	assert_true(t.feasible >= count / 4);
	assert_true(t.infeasible >= count / 10);
	for (int b = 0; b < 10; b++)
		assert_true(t.kind_feasible[b] > 0);
	for (int b = 0; b < 9; b++)
		assert_true(t.kind_infeasible[b] > 0 || b == 7 /* optional rarely blocks */);
	assert_true(rate >= 0.95);
}

/* The specialised searches (clique partitioning: free count, no rule; grouping:
 * a fixed count with size ranges only) against brute force, on rule masks that
 * select them; the test checks they were the ones taking the problems. */
static void test_fast_paths(void **state)
{
	(void)state;
	static const int masks[] = { 0, RP_REAL, RP_K_FIXED, RP_K_FIXED | RP_REAL, RP_K_FIXED | RP_SIZE,
		RP_K_FIXED | RP_SIZE | RP_REAL, RP_LOTS, RP_LOTS | RP_REAL };
	int count = quick() ? 80 : 320, cpp = 0, mdgp = 0;
	tally t;
	memset(&t, 0, sizeof(t));
	for (int i = 0; i < count; i++) {
		unsigned seed = 7000u + (unsigned)i;
		int mask = masks[i % (int)(sizeof(masks) / sizeof(masks[0]))];
		int n = 4 + i % 6;
		if ((mask & RP_LOTS) && n > 7)
			n = 7;
		consort__problem *p = randprob_make(seed, n, mask);
		assert_non_null(p);
		cpp += consort__heur_cpp_applies(p);
		mdgp += consort__heur_mdgp_applies(p);
		consort__problem_free(p);
		check_instance(seed, n, mask, &t);
	}
	print_message("fast paths vs brute force: %d cpp, %d mdgp shapes; %d feasible (%d optimal), %d infeasible\n",
		cpp, mdgp, t.feasible, t.hits, t.infeasible);
	assert_true(cpp >= count / 16); /* masks 0 and RP_REAL: half draw a size minimum of 2 */
	assert_true(mdgp >= count / 8);
	assert_int_equal(t.hits, t.feasible);
}

/* Same seed, same iteration budget: the same proposal (on 100 units, so the
 * windowed tabu steps and targeted swaps are in play). */
static void test_reproducible(void **state)
{
	(void)state;
	enum { N = 100 };
	consort__problem *p = randprob_make(42, N, RP_K_RANGE | RP_SIZE | RP_SECTOR | RP_APART | RP_TOGETHER);
	assert_non_null(p);
	/* Keep it feasible (the point is the repeat): no size or sector maxima. */
	p->global.size_max = N;
	for (int sec = 0; sec < p->nsec; sec++)
		p->global.sec_max[sec] = N;
	p->kmax = 12;
	int a1[N], a2[N], k1, k2;
	double o1, o2;
	consort__heur_options o = iters(300, 99);
	int r1 = consort__heuristic_solve(p, &o, a1, &k1, &o1, NULL);
	int r2 = consort__heuristic_solve(p, &o, a2, &k2, &o2, NULL);
	assert_int_equal(r1, 1);
	assert_int_equal(r2, 1);
	assert_int_equal(k1, k2);
	assert_true(o1 == o2);
	assert_memory_equal(a1, a2, sizeof(a1));
	consort__problem_free(p);
}

static void progress(double seconds, double best, void *data)
{
	(void)seconds;
	double *last = data;
	assert_true(best >= *last); /* the best never gets worse */
	*last = best;
}

/* 200 participants in 8 planted groups (positive inside, negative across):
 * the unique optimum is the planted partition. */
static void test_planted(void **state)
{
	(void)state;
	enum { N = 200, G = 8 };
	int truth[N], assign[N], k;
	double obj, planted = 0, last = -1e300;
	consort__problem *p = randprob_planted(5, N, G, truth);
	assert_non_null(p);
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			if (truth[i] == truth[j])
				planted += p->w[i * N + j];
	consort__heur_options o = iters(300, 3);
	o.progress = progress;
	o.progress_data = &last;
	assert_int_equal(consort__heuristic_solve(p, &o, assign, &k, &obj, NULL), 1);
	assert_int_equal(k, G);
	assert_true(fabs(obj - planted) < 1e-6);
	assert_true(last == obj);
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			assert_int_equal(truth[i] == truth[j], assign[i] == assign[j]);

	/* The same with 8 lots of 25 each: lot g gets some planted group whole. */
	consort__group *lots = calloc(G, sizeof(*lots));
	assert_non_null(lots);
	for (int g = 0; g < G; g++) {
		lots[g].size_min = lots[g].size_max = N / G;
		lots[g].sec_min = calloc((size_t)p->nsec, sizeof(int));
		lots[g].sec_max = malloc((size_t)p->nsec * sizeof(int));
		assert_non_null(lots[g].sec_min);
		assert_non_null(lots[g].sec_max);
		for (int s = 0; s < p->nsec; s++)
			lots[g].sec_max[s] = N;
	}
	p->lot = lots;
	p->nlots = G;
	p->kmin = p->kmax = G;
	last = -1e300;
	o = iters(100 * N, 3); /* the grouping search counts one step per participant visited */
	o.progress = progress;
	o.progress_data = &last;
	assert_int_equal(consort__heuristic_solve(p, &o, assign, &k, &obj, NULL), 1);
	assert_true(fabs(obj - planted) < 1e-6);
	consort__problem_free(p);
}

/* A target stops the search as soon as it is met. */
static void test_target(void **state)
{
	(void)state;
	consort__problem *p = randprob_make(11, 9, RP_SIZE | RP_SECTOR);
	assert_non_null(p);
	int assign[9], k, bk;
	double best, obj;
	if (brute_solve(p, assign, &bk, &best) != 1) {
		consort__problem_free(p);
		skip();
	}
	/* Without the target this budget would run for a minute. */
	consort__heur_options o = iters(0, 1);
	o.time_limit = 60;
	o.has_target = 1;
	o.target = best;
	double t0 = now();
	assert_int_equal(consort__heuristic_solve(p, &o, assign, &k, &obj, NULL), 1);
	assert_true(now() - t0 < 10);
	assert_true(obj == best);
	consort__problem_free(p);
}

/* A time limit alone stops the search, with the best found so far. */
static void test_time_limit(void **state)
{
	(void)state;
	enum { N = 120 };
	int truth[N], assign[N], k;
	double obj;
	consort__problem *p = randprob_planted(8, N, 6, truth);
	assert_non_null(p);
	consort__heur_options o = iters(0, 1);
	o.time_limit = 0.3;
	double t0 = now();
	assert_int_equal(consort__heuristic_solve(p, &o, assign, &k, &obj, NULL), 1);
	assert_true(now() - t0 < 5);
	assert_true(consort__problem_feasible(p, assign, k, NULL, 0));
	assert_true(fabs(consort__problem_objective(p, assign) - obj) < 1e-9);
	consort__problem_free(p);
}

static void test_errors_and_edges(void **state)
{
	(void)state;
	double w[9] = {0, 1, 1, 1, 0, 1, 1, 1, 0};
	consort__problem *p = from_weights(3, w);
	int assign[3], k;
	double obj;
	consort_error err;
	consort__heur_options o = iters(0, 1);
	assert_int_equal(consort__heuristic_solve(p, &o, assign, &k, &obj, &err), CONSORT_EUSAGE);
	assert_int_equal(err.code, CONSORT_EUSAGE);

	/* Together 0-1 and 1-2 with apart 0-2: no solution, found without search. */
	o = iters(100, 1);
	p->ntogether = 1;
	p->together[0][0] = 0;
	p->together[0][1] = 1;
	assert_int_equal(consort__heuristic_solve(p, &o, assign, &k, &obj, NULL), 1);
	assert_int_equal(k, 1);
	assert_true(obj == 3);
	p->napart = 1;
	p->apart[0][0] = 1;
	p->apart[0][1] = 0;
	assert_int_equal(consort__heuristic_solve(p, &o, assign, &k, &obj, NULL), 0);

	/* One consortium for everyone: a single candidate, answered at once even
	 * with a long time limit. */
	p->napart = 0;
	p->kmax = 1;
	o = iters(0, 1);
	o.time_limit = 60;
	double t0 = now();
	assert_int_equal(consort__heuristic_solve(p, &o, assign, &k, &obj, NULL), 1);
	assert_true(now() - t0 < 10);
	assert_int_equal(k, 1);
	assert_true(obj == 3);
	p->kmax = 3;
	p->napart = 1;
	o = iters(100, 1);

	/* A rule naming a participant that does not exist is a usage error. */
	p->apart[0][0] = 3;
	assert_int_equal(consort__heuristic_solve(p, &o, assign, &k, &obj, &err), CONSORT_EUSAGE);
	consort__problem_free(p);

	/* No participants: the empty proposal. */
	p = from_weights(0, NULL);
	assert_int_equal(consort__heuristic_solve(p, &o, assign, &k, &obj, NULL), 1);
	assert_int_equal(k, 0);
	consort__problem_free(p);

	/* One participant, size min 2: impossible when placed, fine outside. */
	double w1[1] = {0};
	p = from_weights(1, w1);
	p->global.size_min = 2;
	assert_int_equal(consort__heuristic_solve(p, &o, assign, &k, &obj, NULL), 0);
	p->everyone = 0;
	p->kmin = 0;
	assert_int_equal(consort__heuristic_solve(p, &o, assign, &k, &obj, NULL), 1);
	assert_int_equal(assign[0], -1);
	assert_int_equal(k, 0);
	consort__problem_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_brute_by_hand),
		cmocka_unit_test(test_brute_lots),
		cmocka_unit_test(test_against_brute_force),
		cmocka_unit_test(test_fast_paths),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_planted),
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_time_limit),
		cmocka_unit_test(test_errors_and_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
