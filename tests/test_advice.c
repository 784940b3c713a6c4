/* Tests for the consultant's analysis (consort/advice.h): fits, fairness, why,
 * stability and compare recomputed by brute force on random small sessions, with
 * the session-side checker (consort_proposal_check) as the independent judge of
 * every move; confidence runs for determinism across thread counts, planted
 * structure and consistency; and consort solve --why/--compare/--confidence. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consort.h"
#include "problem.h"
#include "proposal.h"
#include "analysis/distance.h"
#include "testutil.h"

static int quick(void)
{
	const char *q = getenv("CONSORT_TEST_QUICK");
	return q && *q && strcmp(q, "0") != 0;
}

static unsigned rnd(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return (*state >> 16) & 0x7fff;
}

/* A random session of n participants (sectors s0/s1, services c0/c1) with
 * random ratings and a random subset of rules; NULL when the rules drawn do
 * not validate. */
static consort_session *random_session(unsigned *st, int n)
{
	consort_session *s;
	consort_error err;
	assert_int_equal(consort_session_new(&s, &err), 0);
	char id[16];
	for (int i = 0; i < n; i++) {
		const char *offers[2] = {"c0", "c1"};
		unsigned mask = rnd(st) % 4;
		const char *mine[2];
		size_t k = 0;
		for (int c = 0; c < 2; c++)
			if (mask & (1u << c))
				mine[k++] = offers[c];
		snprintf(id, sizeof(id), "p%d", i);
		assert_int_equal(consort_session_add_participant(s, id, NULL, rnd(st) % 2 ? "s1" : "s0", mine, k, &err), 0);
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			if (i == j || rnd(st) % 5 == 0)
				continue;
			char a[16], b[16];
			snprintf(a, sizeof(a), "p%d", i);
			snprintf(b, sizeof(b), "p%d", j);
			assert_int_equal(consort_session_add_rating(s, a, b, 1 + rnd(st) % 5, &err), 0);
		}
	char rules[768];
	size_t len = 0;
	len += (size_t)snprintf(rules + len, sizeof(rules) - len, "{");
	const char *sep = "";
	if (rnd(st) % 2) {
		len += (size_t)snprintf(rules + len, sizeof(rules) - len, "%s\"consortia\": %u", sep, 1 + rnd(st) % 3);
		sep = ", ";
	}
	if (rnd(st) % 2) {
		unsigned lo = 1 + rnd(st) % 3;
		len += (size_t)snprintf(rules + len, sizeof(rules) - len, "%s\"size\": {\"min\": %u, \"max\": %u}", sep, lo,
			lo + rnd(st) % 4);
		sep = ", ";
	}
	if (rnd(st) % 3 == 0) {
		len += (size_t)snprintf(rules + len, sizeof(rules) - len, "%s\"sectors\": {\"s0\": {\"min\": 1, \"max\": %u}}",
			sep, 1 + rnd(st) % 3);
		sep = ", ";
	}
	if (rnd(st) % 3 == 0) {
		len += (size_t)snprintf(rules + len, sizeof(rules) - len, "%s\"cover\": [\"c%u\"]", sep, rnd(st) % 2);
		sep = ", ";
	}
	if (rnd(st) % 3 == 0) {
		len += (size_t)snprintf(rules + len, sizeof(rules) - len, "%s\"together\": [[\"p0\", \"p1\"]]", sep);
		sep = ", ";
	}
	if (rnd(st) % 3 == 0) {
		len += (size_t)snprintf(rules + len, sizeof(rules) - len, "%s\"apart\": [[\"p2\", \"p3\"]]", sep);
		sep = ", ";
	}
	if (rnd(st) % 3 == 0) {
		len += (size_t)snprintf(rules + len, sizeof(rules) - len, "%s\"everyone\": false", sep);
		sep = ", ";
	}
	/* The rules of issue 9 too: min_fit, absent, a member fixed outside. */
	if (rnd(st) % 4 == 0) {
		len += (size_t)snprintf(rules + len, sizeof(rules) - len, "%s\"min_fit\": %d", sep, (int)(rnd(st) % 3) - 2);
		sep = ", ";
	}
	if (rnd(st) % 5 == 0) {
		len += (size_t)snprintf(rules + len, sizeof(rules) - len, "%s\"absent\": [\"p%d\"]", sep, n - 1);
		sep = ", ";
	} else if (rnd(st) % 5 == 0) {
		len += (size_t)snprintf(rules + len, sizeof(rules) - len, "%s\"everyone\": false, \"fixed\": {\"p%d\": \"outside\"}",
			sep, n - 1);
		sep = ", ";
	}
	snprintf(rules + len, sizeof(rules) - len, "}");
	if (consort_session_parse_rules(s, rules, strlen(rules), "rules.json", &err) != 0) {
		consort_session_free(s);
		return NULL;
	}
	return s;
}

/* The independent judge: a proposal built from `as` and checked against the session. */
static int session_accepts(const consort_session *s, const consort__problem *pb, const int *as, int k)
{
	int n = pb->n;
	int *cmp = malloc((size_t)n * sizeof(int));
	int *map = malloc((size_t)(k + 1) * sizeof(int));
	for (int c = 0; c < k; c++)
		map[c] = -1;
	int next = 0;
	for (int i = 0; i < n; i++)
		if (as[i] >= 0 && map[as[i]] < 0)
			map[as[i]] = next++;
	for (int i = 0; i < n; i++)
		cmp[i] = as[i] >= 0 ? map[as[i]] : -1;
	consort_proposal *p = NULL;
	consort_error err;
	int ok = 0;
	if (consort__proposal_new(&p, pb, CONSORT_STATUS_FEASIBLE, cmp, next, INFINITY, 0, "test", &err) == 0)
		ok = consort_proposal_check(p, s, &err) == 0;
	consort_proposal_free(p);
	free(cmp);
	free(map);
	return ok;
}

/* Fit of i among the members of consortium c under assignment as, from scratch. */
static double fit_in(const consort__problem *pb, const int *as, int i, int c)
{
	double f = 0;
	if (c < 0)
		return 0;
	for (int j = 0; j < pb->n; j++)
		if (j != i && as[j] == c)
			f += pb->w[i * pb->n + j];
	return f;
}

/* What the sweep met, so that it cannot pass vacuously. */
static int seen_movers, seen_feasible_movers, seen_blocked_movers, seen_swaps, seen_together, seen_blocked_pairs;

static int gains(double now, double then)
{
	return then > now + 1e-9 * fmax(1.0, fabs(now));
}

static void assign_of(const consort_proposal *p, int n, int *as)
{
	for (int i = 0; i < n; i++)
		as[i] = -1;
	for (size_t c = 0; c < consort_proposal_count(p); c++) {
		size_t nm;
		const size_t *m = consort_proposal_members(p, c, &nm);
		for (size_t x = 0; x < nm; x++)
			as[m[x]] = (int)c;
	}
}

static void check_fairness(const consort_advice *a, const consort__problem *pb, const int *as)
{
	const consort_fairness *f = consort_advice_fairness(a);
	double lo = INFINITY, hi = -INFINITY, sum = 0;
	size_t placed = 0;
	for (int i = 0; i < pb->n; i++)
		if (as[i] >= 0) {
			double fit = fit_in(pb, as, i, as[i]);
			lo = fmin(lo, fit);
			hi = fmax(hi, fit);
			sum += fit;
			placed++;
		}
	assert_int_equal(f->placed, placed);
	if (!placed)
		return;
	assert_true(fabs(f->min_fit - lo) < 1e-9 && fabs(f->max_fit - hi) < 1e-9);
	assert_true(fabs(f->mean_fit - sum / (double)placed) < 1e-9 && fabs(f->spread - (hi - lo)) < 1e-9);
	assert_true(f->nweakest >= 1);
	for (size_t k = 0; k < f->nweakest; k++)
		assert_true(fabs(fit_in(pb, as, (int)f->weakest[k], as[f->weakest[k]]) - lo) < 1e-9);
}

/* Movers and why: every single move, recomputed. */
static void check_moves(const consort_advice *a, const consort_session *s, const consort__problem *pb,
	const int *as, int k)
{
	int n = pb->n;
	int *after = malloc((size_t)n * sizeof(int));
	size_t expect_movers = 0;
	for (int i = 0; i < n; i++) {
		const consort_why *w = consort_advice_why(a, (size_t)i);
		assert_non_null(w);
		assert_int_equal(w->home, as[i]);
		if (pb->absent && pb->absent[i]) { /* not at the workshop: never moved */
			assert_int_equal(w->nmoves, 0);
			continue;
		}
		double home = fit_in(pb, as, i, as[i]);
		assert_true(fabs(w->fit - home) < 1e-9);
		size_t nm = 0;
		for (int c = -1; c < k; c++) {
			if (c == as[i] || (c < 0 && pb->everyone))
				continue;
			memcpy(after, as, (size_t)n * sizeof(int));
			after[i] = c;
			double there = fit_in(pb, after, i, c);
			int ok = session_accepts(s, pb, after, k);
			/* The objective changes by exactly i's change of fit. */
			double dobj = consort__problem_objective(pb, after) - consort__problem_objective(pb, as);
			assert_true(fabs(dobj - (there - home)) < 1e-9);
			const consort_move *mv = NULL;
			for (size_t m = 0; m < w->nmoves; m++)
				if (w->moves[m].to == c)
					mv = &w->moves[m];
			assert_non_null(mv);
			nm++;
			assert_true(fabs(mv->fit - there) < 1e-9);
			assert_int_equal(mv->feasible, ok);
			assert_int_equal(mv->nblocked == 0, ok);
			if (gains(home, there)) {
				expect_movers++;
				seen_movers++;
				seen_feasible_movers += ok;
				seen_blocked_movers += !ok;
				int listed = 0;
				for (size_t m = 0; m < consort_advice_mover_count(a); m++) {
					const consort_mover *mo = consort_advice_mover(a, m);
					if (mo->member == (size_t)i && mo->to == c) {
						listed = 1;
						assert_int_equal(mo->feasible, ok);
						assert_int_equal(mo->from, as[i]);
					}
				}
				assert_true(listed);
			}
		}
		assert_int_equal(w->nmoves, nm);
		/* Pull and push are the extreme weights inside. */
		double best = 0, worst = 0;
		for (int j = 0; j < n; j++)
			if (j != i && as[i] >= 0 && as[j] == as[i]) {
				best = fmax(best, pb->w[i * n + j]);
				worst = fmin(worst, pb->w[i * n + j]);
			}
		assert_true(best > 0 ? w->npull > 0 && fabs(w->pull[0].weight - best) < 1e-9 : w->npull == 0);
		assert_true(worst < 0 ? w->npush > 0 && fabs(w->push[0].weight - worst) < 1e-9 : w->npush == 0);
		for (size_t r = 1; r < w->npull; r++)
			assert_true(w->pull[r].weight <= w->pull[r - 1].weight);
		if (w->verdict == CONSORT_WHY_BEST_HOME)
			for (size_t m = 0; m < w->nmoves; m++)
				assert_false(gains(home, w->moves[m].fit));
	}
	assert_int_equal(consort_advice_mover_count(a), expect_movers);
	free(after);
}

/* Pairs of both kinds, recomputed from scratch. */
static void check_pairs(const consort_advice *a, const consort_session *s, const consort__problem *pb,
	const int *as, int k)
{
	int n = pb->n;
	int *after = malloc((size_t)n * sizeof(int));
	size_t expect = 0;
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			if (as[i] < 0 || as[j] < 0)
				continue;
			for (int b = 0; b < k; b++) {
				memcpy(after, as, (size_t)n * sizeof(int));
				consort_pair_kind kind;
				if (as[i] != as[j]) {
					if (b > 0)
						break;
					kind = CONSORT_PAIR_SWAP;
					after[i] = as[j];
					after[j] = as[i];
				} else {
					if (b == as[i])
						continue;
					kind = CONSORT_PAIR_TOGETHER;
					after[i] = after[j] = b;
				}
				double gi = fit_in(pb, after, i, after[i]) - fit_in(pb, as, i, as[i]);
				double gj = fit_in(pb, after, j, after[j]) - fit_in(pb, as, j, as[j]);
				if (!gains(0, gi) || !gains(0, gj))
					continue;
				expect++;
				seen_swaps += kind == CONSORT_PAIR_SWAP;
				seen_together += kind == CONSORT_PAIR_TOGETHER;
				seen_blocked_pairs += !session_accepts(s, pb, after, k);
				int found = 0;
				for (size_t m = 0; m < consort_advice_pair_count(a); m++) {
					const consort_pair_gain *g = consort_advice_pair(a, m);
					if (g->kind == kind && g->a == (size_t)i && g->b == (size_t)j && g->to_a == after[i]) {
						found = 1;
						assert_true(fabs(g->gain_a - gi) < 1e-9 && fabs(g->gain_b - gj) < 1e-9);
						assert_int_equal(g->feasible, session_accepts(s, pb, after, k));
					}
				}
				assert_true(found);
			}
		}
	assert_int_equal(consort_advice_pair_count(a), expect);
	assert_int_equal(consort_advice_stable(a), consort_advice_mover_count(a) == 0 && expect == 0);
	free(after);
}

static void check_proposal(const consort_proposal *p, const consort_session *s, int optimal)
{
	consort__problem *pb;
	consort_error err;
	assert_int_equal(consort__problem_build(&pb, s, &err), 0);
	consort_advice *a;
	assert_int_equal(consort_advice_new(&a, p, s, &err), 0);
	int n = pb->n, k = (int)consort_proposal_count(p);
	int *as = malloc((size_t)n * sizeof(int));
	assign_of(p, n, as);
	for (int i = 0; i < n; i++)
		for (int c = 0; c < k; c++)
			assert_true(fabs(consort_advice_fit(a, (size_t)i, c) - fit_in(pb, as, i, c)) < 1e-9);
	check_fairness(a, pb, as);
	check_moves(a, s, pb, as, k);
	check_pairs(a, s, pb, as, k);
	/* An optimal proposal has no feasible single move that raises the total. */
	if (optimal)
		for (size_t m = 0; m < consort_advice_mover_count(a); m++)
			assert_false(consort_advice_mover(a, m)->feasible);
	/* The JSON carries what the analysis found. */
	char *json = NULL;
	assert_int_equal(consort_advice_to_json(&json, a, CONSORT_ADVICE_WHY, &err), 0);
	assert_non_null(strstr(json, "\"fairness\""));
	assert_non_null(strstr(json, consort_advice_stable(a) ? "\"stable\": true" : "\"stable\": false"));
	assert_non_null(strstr(json, "\"why\""));
	free(json);
	free(as);
	consort_advice_free(a);
	consort__problem_free(pb);
}

/* A random assignment the problem accepts, as a proposal (not optimal). */
static consort_proposal *random_feasible(unsigned *st, const consort__problem *pb)
{
	int n = pb->n;
	int *as = malloc((size_t)n * sizeof(int));
	consort_proposal *p = NULL;
	for (int tries = 0; tries < 400 && !p; tries++) {
		int k = 1 + (int)(rnd(st) % (unsigned)(pb->nlots ? pb->nlots : 3));
		for (int i = 0; i < n; i++)
			as[i] = (int)(rnd(st) % (unsigned)(k + !pb->everyone)) - !pb->everyone;
		/* Without lots consortia are 0..k-1 and all non-empty. */
		int used[4] = {0, 0, 0, 0};
		for (int i = 0; i < n; i++)
			if (as[i] >= 0)
				used[as[i]] = 1;
		int ok = 1;
		for (int c = 0; c < k; c++)
			ok &= used[c];
		consort_error err;
		if (ok && consort__problem_feasible(pb, as, k, NULL, 0))
			assert_int_equal(consort__proposal_new(&p, pb, CONSORT_STATUS_FEASIBLE, as, k, INFINITY, 0, "test", &err), 0);
	}
	free(as);
	return p;
}

static void test_brute_force(void **state)
{
	(void)state;
	unsigned st = 12345;
	int rounds = quick() ? 60 : 240, checked = 0, random_checked = 0;
	for (int r = 0; r < rounds; r++) {
		int n = 4 + (int)(rnd(&st) % 5);
		consort_session *s = random_session(&st, n);
		if (!s)
			continue;
		consort_solve_options o;
		consort_solve_options_init(&o);
		o.engine = CONSORT_ENGINE_EXACT;
		o.explain = 0;
		o.time_limit = 20;
		consort_proposal *p;
		consort_error err;
		assert_int_equal(consort_solve(&p, s, &o, &err), 0);
		if (consort_proposal_status(p) == CONSORT_STATUS_OPTIMAL) {
			check_proposal(p, s, 1);
			checked++;
		}
		consort_proposal_free(p);
		consort__problem *pb;
		assert_int_equal(consort__problem_build(&pb, s, &err), 0);
		consort_proposal *q = random_feasible(&st, pb);
		if (q) {
			check_proposal(q, s, 0);
			random_checked++;
			consort_proposal_free(q);
		}
		consort__problem_free(pb);
		consort_session_free(s);
	}
	print_message("advice brute force: %d optimal and %d random proposals; %d movers (%d feasible, %d blocked), "
		      "%d swaps, %d together, %d pairs blocked\n", checked, random_checked, seen_movers, seen_feasible_movers,
		seen_blocked_movers, seen_swaps, seen_together, seen_blocked_pairs);
	assert_true(seen_feasible_movers > 0 && seen_blocked_movers > 0 && seen_swaps > 0 && seen_together > 0 &&
		seen_blocked_pairs > 0);
	assert_true(checked >= rounds / 4 && random_checked >= rounds / 8);
}

static consort_session *load_example(void)
{
	consort_session *s;
	consort_error err;
	if (consort_session_load(&s, CONSORT_EXAMPLES "/pirkanmaa-2018.json", &err) != 0)
		fail_msg("%s", err.message);
	return s;
}

static consort_proposal *solve(const consort_session *s)
{
	consort_proposal *p;
	consort_error err;
	consort_solve_options o;
	consort_solve_options_init(&o);
	o.time_limit = 20;
	if (consort_solve(&p, s, &o, &err) != 0)
		fail_msg("%s", err.message);
	return p;
}

/* Blocking rules are named: the example with sizes fixed at 7..8 cannot move anyone. */
static void test_blocked_by_size(void **state)
{
	(void)state;
	consort_session *s = load_example();
	consort_error err;
	assert_int_equal(consort_session_set_size(s, 7, 8, &err), 0);
	consort_proposal *p = solve(s);
	consort_advice *a;
	assert_int_equal(consort_advice_new(&a, p, s, &err), 0);
	int named = 0;
	for (size_t i = 0; i < consort_session_count(s); i++) {
		const consort_why *w = consort_advice_why(a, i);
		size_t nm;
		consort_proposal_members(p, (size_t)w->home, &nm);
		for (size_t m = 0; m < w->nmoves; m++) {
			const consort_move *mv = &w->moves[m];
			if (nm == 7) { /* leaving a consortium of 7 breaks size.min, joining one of 8 size.max */
				assert_false(mv->feasible);
				for (size_t h = 0; h < mv->nblocked; h++)
					named += !strcmp(mv->blocked[h].rule, "size.min") || !strcmp(mv->blocked[h].rule, "size.max");
			}
		}
	}
	assert_true(named > 0);
	consort_advice_free(a);
	consort_proposal_free(p);
	consort_session_free(s);
}

/* Three consortia of 4..6: a5 would fit better in another consortium, and the
 * verdict names the rule that holds it (leaving would leave 3 behind). */
static void test_verdict_blocked(void **state)
{
	(void)state;
	consort_session *s = load_example();
	consort_error err;
	assert_int_equal(consort_session_set_consortia(s, 3, 3, &err), 0);
	assert_int_equal(consort_session_set_size(s, 4, 6, &err), 0);
	consort_proposal *p = solve(s);
	assert_int_equal(consort_proposal_status(p), CONSORT_STATUS_OPTIMAL);
	consort_advice *a;
	assert_int_equal(consort_advice_new(&a, p, s, &err), 0);
	int blocked = 0;
	for (size_t i = 0; i < consort_session_count(s); i++) {
		const consort_why *w = consort_advice_why(a, i);
		if (w->verdict != CONSORT_WHY_BLOCKED)
			continue;
		blocked++;
		const consort_move *best = &w->moves[w->best];
		assert_true(best->fit > w->fit);
		assert_false(best->feasible);
		assert_true(best->nblocked > 0);
		/* Optimal: every feasible move costs the total. */
		for (size_t m = 0; m < w->nmoves; m++)
			if (w->moves[m].feasible)
				assert_true(w->moves[m].change <= 1e-9);
	}
	assert_true(blocked > 0);
	assert_false(consort_advice_stable(a));
	char *text = NULL;
	consort_advice_why_only(a, consort_session_find(s, "a5"));
	assert_int_equal(consort_advice_to_text(&text, a, CONSORT_ADVICE_WHY, &err), 0);
	assert_non_null(strstr(text, "Why a5"));
	assert_null(strstr(text, "Why a1"));
	assert_non_null(strstr(text, "the rules allow none of them"));
	free(text);
	assert_int_equal(consort_advice_to_json(&text, a, CONSORT_ADVICE_WHY, &err), 0);
	assert_non_null(strstr(text, "\"verdict\""));
	assert_non_null(strstr(text, "\"blocked_by\""));
	/* --why ID: one member's why only. */
	const char *v = strstr(text, "\"verdict\"");
	assert_null(strstr(v + 1, "\"verdict\""));
	free(text);
	consort_advice_free(a);
	consort_proposal_free(p);
	consort_session_free(s);
}

static void test_compare(void **state)
{
	(void)state;
	consort_session *s = load_example();
	consort_proposal *p = solve(s);
	consort_error err;
	/* An earlier proposal: two members swapped between the consortia. */
	consort__problem *pb;
	assert_int_equal(consort__problem_build(&pb, s, &err), 0);
	int n = pb->n, *as = malloc((size_t)n * sizeof(int)), *bs = malloc((size_t)n * sizeof(int));
	assign_of(p, n, as);
	memcpy(bs, as, (size_t)n * sizeof(int));
	int x = -1, y = -1;
	for (int i = 0; i < n; i++) {
		if (as[i] == 0 && x < 0)
			x = i;
		if (as[i] == 1 && y < 0)
			y = i;
	}
	bs[x] = 1;
	bs[y] = 0;
	/* Relabelled as well: consortium numbers do not count. */
	for (int i = 0; i < n; i++)
		bs[i] = 1 - bs[i];
	consort_proposal *q;
	assert_int_equal(consort__proposal_new(&q, pb, CONSORT_STATUS_FEASIBLE, bs, 2, INFINITY, 0, "test", &err), 0);
	consort_advice *a;
	assert_int_equal(consort_advice_new(&a, p, s, &err), 0);
	assert_null(consort_advice_comparison(a));
	assert_int_equal(consort_advice_compare(a, q, &err), 0);
	const consort_comparison *c = consort_advice_comparison(a);
	assert_non_null(c);
	assert_int_equal(c->nmoved, 2);
	assert_true((c->moved[0] == (size_t)x && c->moved[1] == (size_t)y) ||
		(c->moved[0] == (size_t)y && c->moved[1] == (size_t)x));
	assert_true(fabs(c->objective - consort__problem_objective(pb, bs)) < 1e-9);
	assert_true(fabs(c->difference - (consort_proposal_objective(p) - c->objective)) < 1e-9);
	assert_true(c->difference >= -1e-9); /* p is optimal */
	char *text = NULL;
	assert_int_equal(consort_advice_to_text(&text, a, CONSORT_ADVICE_COMPARE, &err), 0);
	assert_non_null(strstr(text, "2 members placed differently"));
	free(text);
	consort_advice_free(a);
	consort_proposal_free(q);
	consort_proposal_free(p);
	consort__problem_free(pb);
	free(as);
	free(bs);
	consort_session_free(s);
}

static consort_advice *confident(const consort_session *s, const consort_proposal *p, size_t samples, int threads,
	unsigned long seed)
{
	consort_advice *a;
	consort_error err;
	assert_int_equal(consort_advice_new(&a, p, s, &err), 0);
	consort_confidence_options o;
	consort_confidence_options_init(&o);
	o.samples = samples;
	o.threads = threads;
	o.seed = seed;
	o.time_limit = 10;
	if (consort_advice_confidence(a, &o, &err) != 0)
		fail_msg("%s", err.message);
	return a;
}

static void test_confidence_threads(void **state)
{
	(void)state;
	consort_session *s;
	consort_error err;
	consort_simulate_options so;
	memset(&so, 0, sizeof(so));
	so.participants = 12;
	so.consortia = 3;
	so.seed = 7;
	so.missing = 0.2;
	so.bias = 0.4;
	so.noise = 1.5;
	so.scale_min = 1;
	so.scale_max = 5;
	so.rules = 1;
	assert_int_equal(consort_simulate(&s, NULL, &so, &err), 0);
	consort_proposal *p = solve(s);
	size_t samples = quick() ? 8 : 24;
	consort_advice *a1 = confident(s, p, samples, 1, 5), *a2 = confident(s, p, samples, 2, 5),
		       *a3 = confident(s, p, samples, 3, 5), *other = confident(s, p, samples, 2, 6);
	const consort_confidence *c1 = consort_advice_confidence_info(a1);
	assert_int_equal(c1->samples, samples);
	assert_int_equal(c1->proved, samples); /* determinism holds for proved samples */
	size_t n = consort_session_count(s);
	int differs = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			double t = consort_advice_together(a1, i, j);
			assert_true(t >= 0 && t <= 1);
			assert_true(t == consort_advice_together(a1, j, i));
			assert_true(t == consort_advice_together(a2, i, j) && t == consort_advice_together(a3, i, j));
			/* A fraction of the samples. */
			double scaled = t * (double)samples;
			assert_true(fabs(scaled - round(scaled)) < 1e-6);
			differs |= t != consort_advice_together(other, i, j);
		}
		/* Member confidence is the mean over its consortium-mates. */
		int home = consort_advice_home(a1, i);
		double sum = 0;
		size_t mates = 0;
		for (size_t j = 0; j < n; j++)
			if (j != i && home >= 0 && consort_advice_home(a1, j) == home) {
				sum += consort_advice_together(a1, i, j);
				mates++;
			}
		double mc = consort_advice_member_confidence(a1, i);
		assert_true(mates ? fabs(mc - sum / (double)mates) < 1e-12 : isnan(mc));
	}
	assert_true(differs); /* another seed draws other samples */
	char *json = NULL;
	assert_int_equal(consort_advice_to_json(&json, a2, CONSORT_ADVICE_CONFIDENCE, &err), 0);
	assert_non_null(strstr(json, "\"confidence\""));
	assert_non_null(strstr(json, "\"proved\""));
	free(json);
	consort_advice_free(a1);
	consort_advice_free(a2);
	consort_advice_free(a3);
	consort_advice_free(other);
	consort_proposal_free(p);
	consort_session_free(s);
}

/* Strong planted structure, little noise: the planted pairs stay together. */
static void test_confidence_planted(void **state)
{
	(void)state;
	consort_session *s;
	consort_error err;
	consort_simulate_options so;
	memset(&so, 0, sizeof(so));
	so.participants = 15;
	so.consortia = 3;
	so.seed = 3;
	so.missing = 0;
	so.bias = 0.1;
	so.noise = 0.3;
	so.scale_min = 1;
	so.scale_max = 5;
	int *planted = NULL;
	assert_int_equal(consort_simulate(&s, &planted, &so, &err), 0);
	consort_proposal *p = solve(s);
	consort_advice *a = confident(s, p, quick() ? 6 : 20, 0, 1);
	size_t n = consort_session_count(s);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++)
			if (planted[i] == planted[j])
				assert_true(consort_advice_together(a, i, j) >= 0.9);
		assert_true(consort_advice_member_confidence(a, i) >= 0.9);
	}
	consort_advice_free(a);
	free(planted);
	consort_proposal_free(p);
	consort_session_free(s);
}

/* ---- the command line ---- */

static tu_result run(const char *const *argv)
{
	tu_result r;
	assert_int_equal(tu_run(&r, argv), 0);
	return r;
}

static void test_cli(void **state)
{
	(void)state;
	const char *ex = CONSORT_EXAMPLES "/pirkanmaa-2018.json";
	char *dir = tu_tempdir();
	char prop[512], bad[512];
	snprintf(prop, sizeof(prop), "%s/p.json", dir);
	snprintf(bad, sizeof(bad), "%s/bad.json", dir);

	const char *why[] = {CONSORT_BIN, "solve", ex, "--why", "a4", "-q", NULL};
	tu_result r = run(why);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "Why a4"));
	assert_null(strstr(r.out, "Why a1"));
	assert_non_null(strstr(r.out, "Fairness: fits from"));
	assert_non_null(strstr(r.out, "Stability: "));
	tu_result_free(&r);

	const char *why_all[] = {CONSORT_BIN, "solve", "--why", ex, "--format", "json", "-o", prop, "-q", NULL};
	r = run(why_all);
	assert_int_equal(r.status, 0);
	tu_result_free(&r);
	char *json = tu_read(prop);
	assert_non_null(json);
	assert_non_null(strstr(json, "\"why\""));
	assert_non_null(strstr(json, "\"fits\""));
	assert_non_null(strstr(json, "\"weakest\""));
	assert_non_null(strstr(json, "\"stability\""));
	free(json);

	const char *cmp[] = {CONSORT_BIN, "solve", ex, "--compare", prop, "--size", "7..8", "--format", "json", "-q", NULL};
	r = run(cmp);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"compare\""));
	assert_non_null(strstr(r.out, "\"moved\""));
	tu_result_free(&r);

	/* Under other scoring the earlier proposal is rescored, not refused. */
	const char *cmp_rater[] = {CONSORT_BIN, "solve", ex, "--compare", prop, "--normalize", "rater", "-q", NULL};
	r = run(cmp_rater);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "Compared with the earlier proposal"));
	tu_result_free(&r);

	/* A proposal naming someone the session does not know: one line naming file and place. */
	char *text = tu_read(prop);
	char *at = strstr(text, "\"a1\"");
	assert_non_null(at);
	at[2] = 'X';
	assert_int_equal(tu_write(bad, text), 0);
	free(text);
	const char *cmp_bad[] = {CONSORT_BIN, "solve", ex, "--compare", bad, "-q", NULL};
	r = run(cmp_bad);
	assert_int_equal(r.status, 2);
	assert_int_equal(tu_count_lines(r.err), 1);
	assert_non_null(strstr(r.err, bad));
	assert_non_null(strstr(r.err, "consortia["));
	assert_string_equal(r.out, "");
	tu_result_free(&r);

	const char *conf[] = {CONSORT_BIN, "solve", ex, "--confidence", "4", "--confidence-seed", "9", "-q", NULL};
	r = run(conf);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "sure "));
	assert_non_null(strstr(r.out, "Confidence: 4 samples"));
	tu_result_free(&r);

	const char *conf_json[] = {CONSORT_BIN, "solve", ex, "--confidence", "3", "--progress", "--format", "json", NULL};
	r = run(conf_json);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"confidence\""));
	assert_non_null(strstr(r.err, "sample 3/3"));
	tu_result_free(&r);

	const char *bad_why[] = {CONSORT_BIN, "solve", ex, "--why=zz", NULL};
	r = run(bad_why);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "zz"));
	tu_result_free(&r);

	const char *bad_conf[] = {CONSORT_BIN, "solve", ex, "--confidence", "0", NULL};
	r = run(bad_conf);
	assert_int_equal(r.status, 2);
	tu_result_free(&r);

	tu_rmdir(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_brute_force),
		cmocka_unit_test(test_blocked_by_size),
		cmocka_unit_test(test_verdict_blocked),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_confidence_threads),
		cmocka_unit_test(test_confidence_planted),
		cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
