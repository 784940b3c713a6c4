/* Tests for the CP-Lib and MDGPLIB readers: hand-written good and bad files, and
 * real instances checked against their published optimal values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "consort.h"
#include "testutil.h"

#define DATA CONSORT_TEST_DATA "/benchfile/"
#define BENCH CONSORT_TEST_DATA "/../../../shared/bench"

static consort_session *load_ok(const char *path, consort_bench_format fmt)
{
	consort_session *s = NULL;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort_bench_load(&s, path, fmt, &err);
	if (rc != 0)
		print_error("%s: %s\n", path, err.message);
	assert_int_equal(rc, 0);
	assert_non_null(s);
	return s;
}

static consort_session *parse_ok(const char *text, consort_bench_format fmt)
{
	consort_session *s = NULL;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort_bench_parse(&s, text, strlen(text), "x.txt", fmt, &err);
	if (rc != 0)
		print_error("%s\n", err.message);
	assert_int_equal(rc, 0);
	return s;
}

/* The session's weight matrix must be exactly `want` (n x n upper triangle, row by row). */
static void assert_weights(const consort_session *s, const double *want)
{
	double *w = NULL;
	consort_error err;
	size_t n = consort_session_count(s), k = 0;
	assert_int_equal(consort_scoring_weights(&w, s, &err), 0);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++, k++) {
			assert_true(w[i * n + j] == want[k]);
			assert_true(w[j * n + i] == want[k]);
		}
	free(w);
}

static void assert_ids(const consort_session *s, int first)
{
	for (size_t i = 0; i < consort_session_count(s); i++) {
		char id[16];
		snprintf(id, sizeof(id), "%d", first + (int)i);
		const consort_participant *p = consort_session_participant(s, i);
		assert_string_equal(p->id, id);
		assert_string_equal(p->sector, "vertex");
	}
}

/* ---- good files ---- */

static void test_cplib_small(void **state)
{
	(void)state;
	static const double want[] = {1, -2, 3, 4, -5, 6};
	for (int auto_fmt = 0; auto_fmt < 2; auto_fmt++) {
		consort_session *s = load_ok(DATA "cplib_small.txt", auto_fmt ? CONSORT_BENCH_AUTO : CONSORT_BENCH_CPLIB);
		assert_int_equal(consort_session_count(s), 4);
		assert_int_equal(consort_session_rating_count(s), 12);
		assert_ids(s, 1);
		assert_weights(s, want);
		assert_true(consort_session_scale_min(s) == -5);
		assert_true(consort_session_scale_max(s) == 6);
		const consort_rules *r = consort_session_rules(s);
		assert_false(r->has_consortia);
		assert_true(r->group.has_size);
		assert_int_equal(r->group.size.min, 1);
		assert_int_equal(r->group.size.max, CONSORT_NO_MAX);
		assert_true(r->everyone);
		assert_int_equal(r->nlots, 0);
		consort_scoring sc = consort_session_scoring(s);
		assert_int_equal(sc.combine, CONSORT_COMBINE_MEAN);
		assert_true(sc.neutral == 0 && sc.unmet == 0);
		assert_non_null(strstr(consort_session_title(s), "cplib_small.txt"));
		/* Both directions carry the weight. */
		double score;
		assert_int_equal(consort_session_score(s, 3, 1, &score), 0);
		assert_true(score == -5);
		consort_session_free(s);
	}
}

/* A benchmark session written as consort-session/1 reads back with the same weights and rules. */
static void test_json_round_trip(void **state)
{
	(void)state;
	static const double want[] = {1.5, 2, 3, -1, 4, 5, 0, 6, 7.25, 8};
	consort_session *s = load_ok(DATA "mdgp_small.txt", CONSORT_BENCH_MDGP);
	char *json = NULL;
	consort_error err;
	assert_int_equal(consort_session_to_json(&json, s, &err), 0);
	consort_session *back = NULL;
	int rc = consort_session_parse(&back, json, strlen(json), "mdgp.json", &err);
	if (rc != 0)
		print_error("%s\n", err.message);
	assert_int_equal(rc, 0);
	assert_weights(back, want);
	const consort_rules *r = consort_session_rules(back);
	assert_int_equal(r->nlots, 2);
	assert_int_equal(r->lots[1].rules.size.max, 3);
	free(json);
	consort_session_free(back);
	consort_session_free(s);
}

static void test_cplib_decimal_crlf(void **state)
{
	(void)state;
	static const double want[] = {0.5, -1.25, 20};
	consort_session *s = load_ok(DATA "cplib_decimal.txt", CONSORT_BENCH_AUTO);
	assert_int_equal(consort_session_count(s), 3);
	assert_weights(s, want);
	assert_true(consort_session_scale_min(s) == -1.25);
	assert_true(consort_session_scale_max(s) == 20);
	consort_session_free(s);
}

static void test_cplib_edge_scales(void **state)
{
	(void)state;
	/* All zero: the scale still needs min < max. */
	consort_session *s = parse_ok("3\n0 0 0\n", CONSORT_BENCH_CPLIB);
	assert_true(consort_session_scale_min(s) == 0 && consort_session_scale_max(s) == 1);
	consort_session_free(s);
	/* Negative only: widened up to 0. */
	s = parse_ok("2 -3", CONSORT_BENCH_AUTO);
	assert_true(consort_session_scale_min(s) == -3 && consort_session_scale_max(s) == 0);
	static const double want[] = {-3};
	assert_weights(s, want);
	consort_session_free(s);
	/* One vertex, no weights. */
	s = parse_ok("1\n", CONSORT_BENCH_AUTO);
	assert_int_equal(consort_session_count(s), 1);
	assert_int_equal(consort_session_rating_count(s), 0);
	consort_session_free(s);
}

static void test_mdgp_small(void **state)
{
	(void)state;
	/* Pairs in the file are shuffled and sometimes written j i. */
	static const double want[] = {1.5, 2, 3, -1, 4, 5, 0, 6, 7.25, 8};
	consort_session *s = load_ok(DATA "mdgp_small.txt", CONSORT_BENCH_AUTO);
	assert_int_equal(consort_session_count(s), 5);
	assert_ids(s, 0);
	assert_weights(s, want);
	assert_true(consort_session_scale_min(s) == -1 && consort_session_scale_max(s) == 8);
	const consort_rules *r = consort_session_rules(s);
	assert_int_equal(r->nlots, 2);
	assert_string_equal(r->lots[0].name, "1");
	assert_string_equal(r->lots[1].name, "2");
	for (int g = 0; g < 2; g++) {
		assert_true(r->lots[g].rules.has_size);
		assert_int_equal(r->lots[g].rules.size.min, 2);
		assert_int_equal(r->lots[g].rules.size.max, 3);
	}
	assert_true(r->everyone);
	assert_non_null(strstr(consort_session_title(s), "ds"));
	consort_session_free(s);
}

static void test_detect(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		consort_bench_format fmt;
	} cases[] = {
		{"10 2 ss 5 5 5 5\n0 1 3\n", CONSORT_BENCH_MDGP},
		{"\n\n  10 2 DS 5 6 4 5\n", CONSORT_BENCH_MDGP},
		{"33\n3 1 -3\n", CONSORT_BENCH_CPLIB},
		{"3 1 2 3\n", CONSORT_BENCH_CPLIB},
		{"10 2\nss\n", CONSORT_BENCH_CPLIB},
		{"", CONSORT_BENCH_CPLIB},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(consort_bench_detect(cases[i].text, strlen(cases[i].text)), cases[i].fmt);
}

/* ---- bad input ---- */

static void expect_error(const char *text, size_t len, consort_bench_format fmt, const char *message)
{
	consort_session *s = (consort_session *)&s; /* must be reset to NULL */
	consort_error err;
	consort_error_clear(&err);
	int rc = consort_bench_parse(&s, text, len, "x.txt", fmt, &err);
	if (rc != CONSORT_EINVALID || strcmp(err.message, message) != 0)
		print_error("input %.40s\n  want %s\n  got  %s (%d)\n", text, message, err.message, rc);
	assert_int_equal(rc, CONSORT_EINVALID);
	assert_null(s);
	assert_string_equal(err.message, message);
}

static void bad(const char *text, consort_bench_format fmt, const char *message)
{
	expect_error(text, strlen(text), fmt, message);
}

static void test_cplib_bad(void **state)
{
	(void)state;
	const consort_bench_format C = CONSORT_BENCH_CPLIB;
	bad("", C, "x.txt:1: empty file: expected the number of vertices n");
	bad("  \n\r\n", C, "x.txt:1: empty file: expected the number of vertices n");
	bad("abc\n", C, "x.txt:1:1: n: 'abc' is not a whole number");
	bad("2.5\n1\n", C, "x.txt:1:1: n: '2.5' is not a whole number");
	bad("-3\n1\n", C, "x.txt:1:1: n: '-3' is not a whole number");
	bad("0\n", C, "x.txt:1:1: n: 0 is outside 1..100000");
	bad("100001\n", C, "x.txt:1:1: n: 100001 is outside 1..100000");
	bad("99999999999999999999999\n", C, "x.txt:1:1: n: 99999999999999999999999 is outside 1..100000");
	bad("3\n1 2\n", C, "x.txt:2: file ends early: n = 3 needs 3 weights, found 2");
	bad("4\n1 -2 3\n4 -5\n\n\n", C, "x.txt:3: file ends early: n = 4 needs 6 weights, found 5");
	bad("100000\n", C, "x.txt:1: file ends early: n = 100000 needs 4999950000 weights, found 0");
	bad("3\n1 2 3\n4\n", C, "x.txt:3:1: too many numbers: n = 3 needs 3 weights");
	bad("3\n1 x 3\n", C, "x.txt:2:3: weight: 'x' is not a number");
	bad("3\n1 2\n  1e999\n", C, "x.txt:3:3: weight: 1e999 is out of range");
	bad("3\n1 2 nan\n", C, "x.txt:2:5: weight: 'nan' is not a number");
	bad("3\n1 2 inf\n", C, "x.txt:2:5: weight: 'inf' is not a number");
	bad("3\n1 2 0x10\n", C, "x.txt:2:5: weight: '0x10' is not a number");
	bad("3\n1 2 .\n", C, "x.txt:2:5: weight: '.' is not a number");
	bad("3\n1 2 1e\n", C, "x.txt:2:5: weight: '1e' is not a number");
	bad("3\n1 2 --1\n", C, "x.txt:2:5: weight: '--1' is not a number");
	bad("3\n1 2 1,5\n", C, "x.txt:2:5: weight: '1,5' is not a number");
	/* Control bytes and non-ASCII are shown as '?'. */
	expect_error("3\n1\0 2 3\n", 9, C, "x.txt:2:1: weight: '1?' is not a number");
	bad("3\n1 2 \xc3\xa4\n", C, "x.txt:2:5: weight: '?\?' is not a number");
	/* An MDGPLIB file read as CP-Lib. */
	bad("4 2 ss 2 2 2 2\n", C, "x.txt:1:5: weight: 'ss' is not a number");
}

static void test_mdgp_bad(void **state)
{
	(void)state;
	const consort_bench_format M = CONSORT_BENCH_MDGP, A = CONSORT_BENCH_AUTO;
	bad("", M, "x.txt:1: empty file: expected the header 'n m ss|ds a1 b1 ... am bm'");
	bad("4\n", M, "x.txt:1: header ends after n: expected 'n m ss|ds a1 b1 ... am bm'");
	bad("4 2\n", M, "x.txt:1: header ends after m: expected ss or ds");
	bad("4 2 xs 2 2 2 2\n", M, "x.txt:1:5: 'xs': expected ss or ds");
	bad("4 0 ss\n", M, "x.txt:1:3: m (groups): 0 is outside 1..4");
	bad("4 5 ss\n", M, "x.txt:1:3: m (groups): 5 is outside 1..4");
	bad("x 2 ss\n", M, "x.txt:1:1: n: 'x' is not a whole number");
	bad("4 2 ss 2 2 2\n", A, "x.txt:1: header ends early: 2 groups need 4 sizes a_g b_g, found 3");
	bad("4 2 ss 2\n", A, "x.txt:1: header ends early: 2 groups need 4 sizes a_g b_g, found 1");
	bad("4 2 ss 2 2\n2 2\n", A, "x.txt:1: header ends early: 2 groups need 4 sizes a_g b_g, found 2");
	bad("4 2 ds 3 2 2 2\n", A, "x.txt:1:10: group 1: minimum a_g = 3 is more than maximum b_g = 2");
	bad("4 2 ds 0 2 2 2\n", A, "x.txt:1:8: a_1 (group 1 minimum): 0 is outside 1..4");
	bad("4 2 ds 1 2 2 5\n", A, "x.txt:1:14: b_2 (group 2 maximum): 5 is outside 1..4");
	bad("4 2 ds 1 2 2 x\n", A, "x.txt:1:14: b_2 (group 2 maximum): 'x' is not a whole number");
	bad("4 2 ds 3 3 2 2\n", A, "x.txt:1: group minimums add up to 5, more than n = 4");
	bad("4 2 ds 1 1 2 2\n", A, "x.txt:1: group maximums add up to 3, less than n = 4: someone would be left out");
	bad("4 2 ss 2 2 2 2 9\n", A, "x.txt:1:16: '9' after the 2 group sizes: the header has 3 + 2m = 7 tokens");
	const char *head = "3 1 ss 3 3\n";
	char buf[256];
#define BODY(b) (snprintf(buf, sizeof(buf), "%s%s", head, b), buf)
	bad(BODY("0 1 1\n0 3 2\n1 2 3\n"), A, "x.txt:3:3: vertex j: 3 is outside 0..2");
	bad(BODY("0 1 1\n-1 2 2\n1 2 3\n"), A, "x.txt:3:1: vertex i: '-1' is not a whole number");
	bad(BODY("0 1 1\n2 2 2\n"), A, "x.txt:3:3: pair 2 2: a vertex paired with itself");
	bad(BODY("0 1 1\n1 2 3\n"), A, "x.txt:3: pair 0 2 is missing: n = 3 needs 3 pairs, found 2");
	bad(BODY("0 1 1\n0 2 1\n1 2 3\n1 0 1\n"), A, "x.txt:5: pair 0 1 is given twice (also on line 2)");
	bad(BODY("0 1 1\n0 2 2\n1 2 3\n2 1 4\n0 2 5\n"), A, "x.txt:5: pair 1 2 is given twice (also on line 4)");
	bad(BODY("0 1 1\n1 0 1\n"), A, "x.txt:3: pair 0 1 is given twice (also on line 2)");
	bad(BODY("0 1\n"), A, "x.txt:2: expected 'i j d', found 2 numbers");
	bad(BODY("0\n"), A, "x.txt:2: expected 'i j d', found 1 number");
	bad(BODY("0 1 1 7\n"), A, "x.txt:2:7: '7' after 'i j d'");
	bad(BODY("0 1 abc\n"), A, "x.txt:2:5: d: 'abc' is not a number");
	bad(BODY(""), A, "x.txt:1: pair 0 1 is missing: n = 3 needs 3 pairs, found 0");
	bad("100000 1 ss 1 100000\n", A, "x.txt:1: pair 0 1 is missing: n = 100000 needs 4999950000 pairs, found 0");
#undef BODY
}

static void test_load_errors(void **state)
{
	(void)state;
	consort_session *s;
	consort_error err;
	consort_error_clear(&err);
	assert_int_equal(consort_bench_load(&s, DATA "no-such-file.txt", CONSORT_BENCH_AUTO, &err), CONSORT_EIO);
	assert_null(s);
	assert_non_null(strstr(err.message, "no-such-file.txt"));
	assert_int_equal(consort_bench_load(&s, DATA "cplib_truncated.txt", CONSORT_BENCH_AUTO, &err), CONSORT_EINVALID);
	assert_string_equal(err.message, DATA "cplib_truncated.txt:3: file ends early: n = 4 needs 6 weights, found 5");
	assert_int_equal(consort_bench_load(&s, DATA "mdgp_duplicate.txt", CONSORT_BENCH_AUTO, &err), CONSORT_EINVALID);
	assert_string_equal(err.message, DATA "mdgp_duplicate.txt:4: pair 0 1 is given twice (also on line 2)");
	assert_int_equal(consort_bench_parse(&s, "3\n1 2 3", 7, "x", (consort_bench_format)9, &err), CONSORT_EUSAGE);
}

/* ---- real instances (skipped when ../shared/bench is absent) ---- */

static int have_bench(void)
{
	struct stat st;
	return stat(BENCH "/cplib/ABR", &st) == 0 && S_ISDIR(st.st_mode);
}

/* Reads CP-Lib's Optimal/<name>_opt.txt: the value and the clusters (1-based vertices). */
static double read_optimal(const char *path, int *group, size_t n)
{
	char *text = tu_read(path);
	assert_non_null(text);
	const char *v = strstr(text, "Optimal value:");
	assert_non_null(v);
	double value = strtod(v + strlen("Optimal value:"), NULL);
	for (size_t i = 0; i < n; i++)
		group[i] = -1;
	int g = 0;
	for (const char *p = strchr(v, '{'); p; p = strchr(p, '{'), g++) {
		const char *close = strchr(p, '}');
		assert_non_null(close);
		for (char *q = (char *)p + 1; q < close;) {
			char *end;
			long vertex = strtol(q, &end, 10);
			if (end == q)
				break;
			assert_true(vertex >= 1 && (size_t)vertex <= n);
			assert_int_equal(group[vertex - 1], -1);
			group[vertex - 1] = g;
			q = end;
		}
		p = close;
	}
	for (size_t i = 0; i < n; i++)
		assert_true(group[i] >= 0);
	free(text);
	return value;
}

static void test_cplib_real_optimal(void **state)
{
	(void)state;
	if (!have_bench())
		skip();
	static const char *const names[] = {"cars", "cetacea", "wildcats"};
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		char path[512], opt[512];
		snprintf(path, sizeof(path), BENCH "/cplib/ABR/%s.txt", names[k]);
		snprintf(opt, sizeof(opt), BENCH "/cplib/ABR/Optimal/%s_opt.txt", names[k]);
		consort_session *s = load_ok(path, CONSORT_BENCH_AUTO);
		size_t n = consort_session_count(s);
		assert_int_equal(consort_session_find(s, "1"), 0);
		int *group = malloc(n * sizeof(int));
		double value = read_optimal(opt, group, n);
		double *w;
		consort_error err;
		assert_int_equal(consort_scoring_weights(&w, s, &err), 0);
		double obj = consort_scoring_objective(w, n, group);
		if (obj != value)
			print_error("%s: objective %g, optimal value %g\n", names[k], obj, value);
		assert_true(obj == value);
		free(w);
		free(group);
		consort_session_free(s);
	}
}

/* Best grouping of a small MDGPLIB instance with two lots by enumeration, from the session. */
static double mdgp_brute_force(const consort_session *s)
{
	size_t n = consort_session_count(s);
	const consort_rules *r = consort_session_rules(s);
	assert_int_equal(r->nlots, 2);
	double *w;
	consort_error err;
	assert_int_equal(consort_scoring_weights(&w, s, &err), 0);
	double best = -INFINITY;
	int group[32];
	for (unsigned mask = 0; mask < (1u << n); mask++) {
		int size[2] = {0, 0};
		for (size_t i = 0; i < n; i++)
			size[group[i] = (mask >> i) & 1]++;
		int ok = 1;
		for (int g = 0; g < 2; g++)
			ok &= size[g] >= r->lots[g].rules.size.min && size[g] <= r->lots[g].rules.size.max;
		if (ok)
			best = fmax(best, consort_scoring_objective(w, n, group));
	}
	free(w);
	return best;
}

static void test_mdgp_real(void **state)
{
	(void)state;
	if (!have_bench())
		skip();
	/* Exact optima by enumeration, from bench/best-known.tsv. */
	static const struct {
		const char *name;
		double best;
	} cases[] = {
		{"RanInt_n010_ds_01", 1325.0},
		{"RanReal_n010_ss_01", 1427.845},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char path[512];
		snprintf(path, sizeof(path), BENCH "/mdgplib/%s.txt", cases[k].name);
		consort_session *s = load_ok(path, CONSORT_BENCH_AUTO);
		assert_int_equal(consort_session_count(s), 10);
		assert_int_equal(consort_session_find(s, "0"), 0);
		assert_int_equal(consort_session_find(s, "9"), 9);
		double best = mdgp_brute_force(s);
		if (fabs(best - cases[k].best) > 1e-6)
			print_error("%s: enumeration %.6f, best known %.6f\n", cases[k].name, best, cases[k].best);
		assert_true(fabs(best - cases[k].best) <= 1e-6);
		consort_session_free(s);
	}
	/* ds header: lot sizes as given (5..6 and 4..5). */
	consort_session *s = load_ok(BENCH "/mdgplib/RanInt_n010_ds_01.txt", CONSORT_BENCH_MDGP);
	const consort_rules *r = consort_session_rules(s);
	assert_int_equal(r->lots[0].rules.size.min, 5);
	assert_int_equal(r->lots[0].rules.size.max, 6);
	assert_int_equal(r->lots[1].rules.size.min, 4);
	assert_int_equal(r->lots[1].rules.size.max, 5);
	consort_session_free(s);
}

static void test_cplib_largest(void **state)
{
	(void)state;
	if (!have_bench())
		skip();
	consort_session *s = load_ok(BENCH "/cplib/ABR/lecturers.txt", CONSORT_BENCH_AUTO);
	assert_int_equal(consort_session_count(s), 797);
	assert_int_equal(consort_session_rating_count(s), 797 * 796);
	consort_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cplib_small),
		cmocka_unit_test(test_cplib_decimal_crlf),
		cmocka_unit_test(test_cplib_edge_scales),
		cmocka_unit_test(test_mdgp_small),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_cplib_bad),
		cmocka_unit_test(test_mdgp_bad),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_cplib_real_optimal),
		cmocka_unit_test(test_mdgp_real),
		cmocka_unit_test(test_cplib_largest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
