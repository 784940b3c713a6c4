/* consort_solve on random sessions with every rule kind, against an oracle that
 * shares nothing with the engines' rule handling: it enumerates every
 * assignment and keeps those consort_proposal_check accepts (which re-reads
 * the rules from the session itself). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consort.h"
#include "problem.h"
#include "proposal.h"

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

static int quick(void)
{
	return getenv("CONSORT_TEST_QUICK") != NULL;
}

static const char *SECTORS[] = {"association", "firm", "public"};
static const char *SERVICES[] = {"cleaning", "coaching", "kitchen"};

/* Appends a random group rule body (size, sectors, cover) to buf. */
static void group_rules(char *buf, size_t len, unsigned *s, int n)
{
	size_t at = strlen(buf);
	if (rnd(s) % 2) {
		int min = 1 + (int)(rnd(s) % 3), max = min + (int)(rnd(s) % 3);
		at += (size_t)snprintf(buf + at, len - at, "\"size\": {\"min\": %d, \"max\": %d}, ", min, max);
	}
	if (rnd(s) % 2) {
		const char *sec = SECTORS[rnd(s) % 2];
		int min = (int)(rnd(s) % 2), max = min + 1 + (int)(rnd(s) % (unsigned)n);
		at += (size_t)snprintf(buf + at, len - at, "\"sectors\": {\"%s\": {\"min\": %d, \"max\": %d}}, ",
			sec, min, max);
	}
	if (rnd(s) % 3 == 0)
		at += (size_t)snprintf(buf + at, len - at, "\"cover\": [\"%s\"], ", SERVICES[rnd(s) % 3]);
	/* strip a trailing ", " */
	if (at >= 2 && buf[at - 2] == ',')
		buf[at - 2] = '\0';
}

/* min_fit, objective, absent and fixed (avoiding the pair rules' members a b c d). */
static void extended_rules(char *rules, size_t rlen, unsigned *s, int n, int has_lots, int optional,
	const int *pairs)
{
	size_t at = strlen(rules);
	if (rnd(s) % 3 == 0)
		at += (size_t)snprintf(rules + at, rlen - at, "\"min_fit\": %g, ", 0.5 * ((int)(rnd(s) % 7) - 3));
	if (rnd(s) % 3 == 0)
		at += (size_t)snprintf(rules + at, rlen - at, "\"objective\": \"maxmin\", ");
	int free_ids[16], nfree = 0;
	for (int i = 0; i < n; i++)
		if (i != pairs[0] && i != pairs[1] && i != pairs[2] && i != pairs[3])
			free_ids[nfree++] = i;
	if (nfree && rnd(s) % 3 == 0) {
		int e = free_ids[rnd(s) % (unsigned)nfree];
		at += (size_t)snprintf(rules + at, rlen - at, "\"absent\": [\"p%d\"], ", e);
		for (int k = 0; k < nfree; k++)
			if (free_ids[k] == e)
				free_ids[k--] = free_ids[--nfree];
	}
	if (nfree && (has_lots || optional) && rnd(s) % 2 == 0) {
		int f = free_ids[rnd(s) % (unsigned)nfree];
		if (has_lots && (!optional || rnd(s) % 2))
			at += (size_t)snprintf(rules + at, rlen - at, "\"fixed\": {\"p%d\": \"L%d\"}, ", f, (int)(rnd(s) % 2));
		else
			at += (size_t)snprintf(rules + at, rlen - at, "\"fixed\": {\"p%d\": \"outside\"}, ", f);
	}
}

/* A random session with n participants and random rules; NULL if the rules
 * happened to be refused by the reader (counted by the caller). */
static consort_session *random_session(unsigned seed, int n, char *rules, size_t rlen, int ext)
{
	unsigned s = seed * 2654435761u + 1;
	consort_session *ss;
	consort_error err;
	assert_int_equal(consort_session_new(&ss, &err), 0);
	for (int i = 0; i < n; i++) {
		char id[16];
		const char *offers[3];
		size_t no = 0;
		for (int k = 0; k < 3; k++)
			if (rnd(&s) % 3 == 0)
				offers[no++] = SERVICES[k];
		snprintf(id, sizeof(id), "p%d", i);
		assert_int_equal(consort_session_add_participant(ss, id, NULL, SECTORS[rnd(&s) % 3], offers, no, &err), 0);
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			if (i == j || rnd(&s) % 5 == 0)
				continue;
			char a[16], b[16];
			snprintf(a, sizeof(a), "p%d", i);
			snprintf(b, sizeof(b), "p%d", j);
			/* ext & 2: real scores, so that no two proposals tie */
			double score = ext & 2 ? 1 + 4.0 * (double)rnd(&s) / 32768.0 : 1 + (double)(rnd(&s) % 9) / 2.0;
			assert_int_equal(consort_session_add_rating(ss, a, b, score, &err), 0);
		}
	consort_scoring sc = consort_session_scoring(ss);
	sc.combine = rnd(&s) % 3 == 0 ? CONSORT_COMBINE_MIN : CONSORT_COMBINE_MEAN;
	sc.normalize = rnd(&s) % 4 == 0 ? CONSORT_NORMALIZE_RATER : CONSORT_NORMALIZE_NONE;
	assert_int_equal(consort_session_set_scoring(ss, &sc, &err), 0);

	/* Rules as JSON, read by the session reader. */
	int a = (int)(rnd(&s) % (unsigned)n), b = (a + 1 + (int)(rnd(&s) % (unsigned)(n - 1))) % n;
	int c = (int)(rnd(&s) % (unsigned)n), d = (c + 1 + (int)(rnd(&s) % (unsigned)(n - 1))) % n;
	int same = (a == c && b == d) || (a == d && b == c);
	snprintf(rules, rlen, "{");
	int has_lots = 0, optional = 0;
	if (rnd(&s) % 4 == 0) {
		has_lots = 1;
		int nl = 2 + (int)(rnd(&s) % 2);
		strcat(rules, "\"lots\": [");
		for (int l = 0; l < nl; l++) {
			size_t at = strlen(rules);
			snprintf(rules + at, rlen - at, "%s{\"name\": \"L%d\", ", l ? ", " : "", l);
			group_rules(rules, rlen, &s, n);
			strcat(rules, "}");
		}
		strcat(rules, "], ");
	} else if (rnd(&s) % 2) {
		size_t at = strlen(rules);
		if (rnd(&s) % 2)
			snprintf(rules + at, rlen - at, "\"consortia\": %d, ", 1 + (int)(rnd(&s) % 3));
		else
			snprintf(rules + at, rlen - at, "\"consortia\": {\"min\": %d, \"max\": %d}, ",
				1 + (int)(rnd(&s) % 2), 2 + (int)(rnd(&s) % 2));
	}
	if (rnd(&s) % 2)
		group_rules(rules, rlen, &s, n), strcat(rules, ", ");
	if (rnd(&s) % 3 == 0) {
		size_t at = strlen(rules);
		snprintf(rules + at, rlen - at, "\"together\": [[\"p%d\", \"p%d\"]], ", a, b);
	}
	if (rnd(&s) % 3 == 0 && !same) {
		size_t at = strlen(rules);
		snprintf(rules + at, rlen - at, "\"apart\": [[\"p%d\", \"p%d\"]], ", c, d);
	}
	if (rnd(&s) % 3 == 0) {
		strcat(rules, "\"everyone\": false, ");
		optional = 1;
	}
	if (ext & 1)
		extended_rules(rules, rlen, &s, n, has_lots, optional, (int[]){a, b, c, d});
	size_t at = strlen(rules);
	while (at > 1 && (rules[at - 1] == ' ' || rules[at - 1] == ','))
		rules[--at] = '\0';
	strcat(rules, "}");
	if (consort_session_parse_rules(ss, rules, strlen(rules), "rules.json", &err) < 0) {
		consort_session_free(ss);
		return NULL;
	}
	return ss;
}

/* The oracle: every labelling (restricted growth strings, or lots), checked by
 * consort_proposal_check. Returns 1 and *best when any passes. */
static int oracle(const consort_session *s, double *best)
{
	consort__problem *p;
	assert_int_equal(consort__problem_build(&p, s, NULL), 0);
	int n = p->n, lots = p->nlots, optional = !p->everyone || p->absent;
	int maxmin = consort_session_rules(s)->objective == CONSORT_OBJECTIVE_MAXMIN;
	double best_min = 0;
	int a[16], found = 0;
	for (int i = 0; i < n; i++)
		a[i] = optional ? -1 : 0;
	for (;;) {
		/* labels used: with lots all L; else 0..max */
		int k = lots;
		int canon = 1;
		if (!lots) {
			int maxl = -1;
			for (int i = 0; i < n && canon; i++) {
				if (a[i] > maxl + 1)
					canon = 0; /* not a restricted growth string */
				if (a[i] > maxl)
					maxl = a[i];
			}
			k = maxl + 1;
		}
		if (canon) {
			consort_proposal *prop;
			if (consort__proposal_new(&prop, p, CONSORT_STATUS_FEASIBLE, a, k, HUGE_VAL, 0, "oracle", NULL) == 0) {
				if (consort_proposal_check(prop, s, NULL) == 0) {
					double v = consort_proposal_objective(prop), m = consort_proposal_min_fit(prop);
					if (!found || (maxmin ? m > best_min + 1e-9 || (m > best_min - 1e-9 && v > *best) : v > *best)) {
						*best = v;
						best_min = m;
					}
					found = 1;
				}
				consort_proposal_free(prop);
			}
		}
		/* next labelling: digits from -optional .. (lots ? L-1 : n-1) */
		int top = lots ? lots - 1 : n - 1, i = n - 1;
		while (i >= 0 && a[i] == top) {
			a[i] = optional ? -1 : 0;
			i--;
		}
		if (i < 0)
			break;
		a[i]++;
	}
	consort__problem_free(p);
	return found;
}

static void sessions_against_oracle(int ext)
{
	int total = quick() ? 120 : 500, feasible = 0, infeasible = 0, refused = 0;
	char rules[2048];
	for (int t = 0; t < total; t++) {
		int n = 3 + t % 4;
		consort_session *s = random_session((unsigned)t + 1 + (ext ? 100000u : 0), n, rules, sizeof(rules), ext);
		if (!s) {
			refused++;
			continue;
		}
		double best = 0;
		int ok = oracle(s, &best);
		consort_solve_options o;
		consort_solve_options_init(&o);
		o.explain = (t % 10 == 0);
		consort_proposal *p;
		consort_error err;
		if (consort_solve(&p, s, &o, &err) != 0)
			fail_msg("session %d: %s (rules %s)", t, err.message, rules);
		consort_status st = consort_proposal_status(p);
		if (!ok) {
			if (st != CONSORT_STATUS_INFEASIBLE)
				fail_msg("session %d: oracle says infeasible, solve says %s (rules %s)", t,
					consort_status_name(st), rules);
			if (o.explain && consort_proposal_conflict_count(p) == 0)
				fail_msg("session %d: infeasible without an explanation (rules %s)", t, rules);
			infeasible++;
		} else {
			if (st != CONSORT_STATUS_OPTIMAL)
				fail_msg("session %d: status %s, oracle optimum %g (rules %s)", t,
					consort_status_name(st), best, rules);
			if (fabs(consort_proposal_objective(p) - best) > 1e-6)
				fail_msg("session %d: solve %g, oracle %g (rules %s)", t, consort_proposal_objective(p),
					best, rules);
			assert_int_equal(consort_proposal_check(p, s, &err), 0);
			feasible++;
		}
		consort_proposal_free(p);
		consort_session_free(s);
	}
	print_message("%d sessions%s: %d optimal as the oracle, %d infeasible as the oracle, %d rule sets refused\n",
		total, ext ? " with min_fit, maxmin, absent, fixed" : "", feasible, infeasible, refused);
	assert_true(feasible > total / 4);
	assert_true(infeasible > total / 20);
	assert_true(refused < total / 10);
}

static void test_sessions_against_oracle(void **state)
{
	(void)state;
	sessions_against_oracle(0);
}

/* The extended rules end to end: absent members mapped back to the session,
 * pins, min_fit and maxmin (the oracle re-reads them all from the session). */
static void test_extended_sessions_against_oracle(void **state)
{
	(void)state;
	sessions_against_oracle(1);
}

/* Every feasible assignment of a session (by consort_proposal_check), as in the oracle. */
typedef struct feasible_set {
	int n, count;
	int *assign; /* count * n */
	int *k;
	double *obj;
} feasible_set;

static void all_feasible(const consort_session *s, const consort__problem *p, feasible_set *fs)
{
	int n = p->n, lots = p->nlots, optional = !p->everyone || p->absent;
	int a[16];
	memset(fs, 0, sizeof(*fs));
	fs->n = n;
	int cap = 0;
	for (int i = 0; i < n; i++)
		a[i] = optional ? -1 : 0;
	for (;;) {
		int k = lots, canon = 1;
		if (!lots) {
			int maxl = -1;
			for (int i = 0; i < n && canon; i++) {
				if (a[i] > maxl + 1)
					canon = 0;
				if (a[i] > maxl)
					maxl = a[i];
			}
			k = maxl + 1;
		}
		consort_proposal *prop;
		if (canon && consort__proposal_new(&prop, p, CONSORT_STATUS_FEASIBLE, a, k, HUGE_VAL, 0, "oracle", NULL) == 0) {
			if (consort_proposal_check(prop, s, NULL) == 0) {
				if (fs->count == cap) {
					cap = cap ? 2 * cap : 64;
					fs->assign = realloc(fs->assign, (size_t)cap * (size_t)n * sizeof(int));
					fs->k = realloc(fs->k, (size_t)cap * sizeof(int));
					fs->obj = realloc(fs->obj, (size_t)cap * sizeof(double));
					assert_non_null(fs->assign);
				}
				memcpy(fs->assign + (size_t)fs->count * n, a, (size_t)n * sizeof(int));
				fs->k[fs->count] = k;
				fs->obj[fs->count++] = consort_proposal_objective(prop);
			}
			consort_proposal_free(prop);
		}
		int top = lots ? lots - 1 : n - 1, i = n - 1;
		while (i >= 0 && a[i] == top) {
			a[i] = optional ? -1 : 0;
			i--;
		}
		if (i < 0)
			break;
		a[i]++;
	}
}

/* A proposal's assignment in session indexes (-1: outside or absent); returns k. */
static int assignment_of(const consort_proposal *prop, int n, int *a)
{
	for (int i = 0; i < n; i++)
		a[i] = -1;
	size_t k = consort_proposal_count(prop);
	for (size_t c = 0; c < k; c++) {
		size_t nm;
		const size_t *m = consort_proposal_members(prop, c, &nm);
		for (size_t j = 0; j < nm; j++)
			a[m[j]] = (int)c;
	}
	return (int)k;
}

/* Alternatives against the true greedy sequence of brute force: alt_1 is the
 * best feasible proposal at least D members from the best, alt_2 the best at
 * least D from both, ...; real scores make the sequence unique. Fewer exist
 * than asked in many of these sessions, and that count must agree too. */
static void test_alternatives_against_brute_force(void **state)
{
	(void)state;
	int total = quick() ? 40 : 240, compared = 0, short_lists = 0, alts = 0;
	char rules[2048];
	for (int t = 0; t < total; t++) {
		int n = 3 + t % 4, want = 1 + t % 4, differ = 1 + (t / 4) % 3;
		consort_session *s = random_session(300000u + (unsigned)t, n, rules, sizeof(rules), 2 | (t % 2));
		if (!s)
			continue;
		if (consort_session_rules(s)->objective == CONSORT_OBJECTIVE_MAXMIN)
			assert_int_equal(consort_session_set_objective(s, CONSORT_OBJECTIVE_TOTAL, NULL), 0);
		consort__problem *p;
		assert_int_equal(consort__problem_build(&p, s, NULL), 0);
		feasible_set fs;
		all_feasible(s, p, &fs);
		/* The greedy sequence. */
		int seq[8], nseq = 0;
		for (int step = 0; step <= want && fs.count; step++) {
			int best = -1;
			for (int f = 0; f < fs.count; f++) {
				int ok = 1;
				for (int q = 0; q < nseq && ok; q++)
					ok = consort__problem_distance(p, fs.assign + (size_t)f * n, fs.k[f],
						fs.assign + (size_t)seq[q] * n, fs.k[seq[q]], NULL) >= (step ? differ : 1);
				if (ok && (best < 0 || fs.obj[f] > fs.obj[best]))
					best = f;
			}
			if (best < 0)
				break;
			seq[nseq++] = best;
		}
		consort_solve_options o;
		consort_solve_options_init(&o);
		o.alternatives = want;
		o.differ = differ;
		o.explain = 0;
		/* auto: the branch and bound; exact: GLPK with its exclusion rows. */
		o.engine = t % 3 == 0 ? CONSORT_ENGINE_EXACT : CONSORT_ENGINE_AUTO;
		consort_proposal *prop;
		consort_error err;
		if (consort_solve(&prop, s, &o, &err) != 0)
			fail_msg("session %d: %s (rules %s)", t, err.message, rules);
		if (!fs.count) {
			assert_int_equal(consort_proposal_status(prop), CONSORT_STATUS_INFEASIBLE);
			assert_int_equal(consort_proposal_alternative_count(prop), 0);
		} else {
			size_t got = consort_proposal_alternative_count(prop);
			if (got != (size_t)(nseq - 1))
				fail_msg("session %d (D %d, %d asked): %zu alternatives, brute force %d (rules %s)", t, differ,
					want, got, nseq - 1, rules);
			assert_int_equal(consort_proposal_alternatives_exhausted(prop), got < (size_t)want);
			short_lists += got < (size_t)want;
			int all[8][16], ks[8];
			ks[0] = assignment_of(prop, n, all[0]);
			assert_true(fabs(consort_proposal_objective(prop) - fs.obj[seq[0]]) < 1e-6);
			for (size_t a = 0; a < got; a++) {
				const consort_proposal *alt = consort_proposal_alternative(prop, a);
				double want_obj = fs.obj[seq[a + 1]];
				if (fabs(consort_proposal_objective(alt) - want_obj) > 1e-6)
					fail_msg("session %d (D %d): alternative %zu objective %g, brute force %g (rules %s)", t,
						differ, a + 1, consort_proposal_objective(alt), want_obj, rules);
				assert_int_equal(consort_proposal_status(alt), CONSORT_STATUS_OPTIMAL);
				assert_true(fabs(consort_proposal_gap_to_best(alt) -
					(consort_proposal_objective(prop) - want_obj)) < 1e-6);
				assert_int_equal(consort_proposal_check(alt, s, NULL), 0);
				ks[a + 1] = assignment_of(alt, n, all[a + 1]);
				size_t nmoved;
				consort_proposal_moved(alt, &nmoved);
				assert_int_equal((int)nmoved, consort__problem_distance(p, all[a + 1], ks[a + 1], all[0], ks[0], NULL));
				for (size_t b = 0; b <= a; b++)
					assert_true(consort__problem_distance(p, all[a + 1], ks[a + 1], all[b], ks[b], NULL) >= differ);
				alts++;
			}
			compared++;
		}
		free(fs.assign);
		free(fs.k);
		free(fs.obj);
		consort_proposal_free(prop);
		consort__problem_free(p);
		consort_session_free(s);
	}
	print_message("%d sessions: %d alternatives as brute force's greedy sequence, %d lists shorter than asked\n",
		compared, alts, short_lists);
	assert_true(compared > total / 3);
	assert_true(short_lists > 0 && short_lists < compared);
}

/* The heuristic engine alone: always a proposal that meets the rules when one
 * exists, never better than the optimum, and status "feasible" (no proof). */
static void test_heuristic_engine(void **state)
{
	(void)state;
	char rules[2048];
	int hits = 0, tried = 0;
	for (int t = 0; t < (quick() ? 60 : 200); t++) {
		consort_session *s = random_session(7000u + (unsigned)t, 3 + t % 4, rules, sizeof(rules), 0);
		if (!s)
			continue;
		double best = 0;
		int ok = oracle(s, &best);
		consort_solve_options o;
		consort_solve_options_init(&o);
		o.engine = CONSORT_ENGINE_HEURISTIC;
		o.time_limit = 0.05;
		o.explain = 0;
		consort_proposal *p;
		assert_int_equal(consort_solve(&p, s, &o, NULL), 0);
		consort_status st = consort_proposal_status(p);
		if (ok) {
			tried++;
			assert_true(st == CONSORT_STATUS_FEASIBLE || st == CONSORT_STATUS_OPTIMAL);
			assert_true(consort_proposal_objective(p) <= best + 1e-6);
			assert_true(consort_proposal_bound(p) >= consort_proposal_objective(p) - 1e-6);
			hits += fabs(consort_proposal_objective(p) - best) < 1e-6;
		} else {
			assert_true(st == CONSORT_STATUS_STOPPED);
		}
		consort_proposal_free(p);
		consort_session_free(s);
	}
	print_message("heuristic engine: %d of %d feasible sessions at the optimum\n", hits, tried);
	assert_true(hits * 10 >= tried * 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sessions_against_oracle),
		cmocka_unit_test(test_extended_sessions_against_oracle),
		cmocka_unit_test(test_alternatives_against_brute_force),
		cmocka_unit_test(test_heuristic_engine),
	};
	return cmocka_run_group_tests_name("solve", tests, NULL, NULL);
}
