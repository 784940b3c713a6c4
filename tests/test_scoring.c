/* Tests for scoring (formats.md section 2): pair weights from directed ratings,
 * checked against values computed by hand, and the objective of a grouping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "consort.h"

#define EPS 1e-9

/* A session with participants "a", "b", ... (n of them, one sector). */
static consort_session *new_session(size_t n)
{
	consort_session *s = NULL;
	consort_error err;
	consort_error_clear(&err);
	assert_int_equal(consort_session_new(&s, &err), 0);
	for (size_t i = 0; i < n; i++) {
		char id[2] = {(char)('a' + i), '\0'};
		assert_int_equal(consort_session_add_participant(s, id, NULL, "firm", NULL, 0, &err), 0);
	}
	return s;
}

static void rate(consort_session *s, const char *from, const char *to, double score)
{
	consort_error err;
	consort_error_clear(&err);
	int rc = consort_session_add_rating(s, from, to, score, &err);
	if (rc != 0)
		print_error("%s\n", err.message);
	assert_int_equal(rc, 0);
}

static void set_scoring(consort_session *s, consort_combine combine, int has_neutral, double neutral,
	int has_unmet, double unmet, consort_normalize normalize)
{
	consort_scoring sc;
	memset(&sc, 0, sizeof(sc));
	sc.combine = combine;
	sc.has_neutral = has_neutral;
	sc.neutral = neutral;
	sc.has_unmet = has_unmet;
	sc.unmet = unmet;
	sc.normalize = normalize;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort_session_set_scoring(s, &sc, &err);
	if (rc != 0)
		print_error("%s\n", err.message);
	assert_int_equal(rc, 0);
}

/* The weight matrix; also checks that it is symmetric with a zero diagonal. */
static double *weights(const consort_session *s)
{
	double *w = NULL;
	consort_error err;
	consort_error_clear(&err);
	assert_int_equal(consort_scoring_weights(&w, s, &err), 0);
	assert_non_null(w);
	size_t n = consort_session_count(s);
	for (size_t i = 0; i < n; i++) {
		assert_true(w[i * n + i] == 0.0);
		for (size_t j = 0; j < n; j++) {
			assert_true(isfinite(w[i * n + j]));
			assert_true(w[i * n + j] == w[j * n + i]);
		}
	}
	return w;
}

static double W(const consort_session *s, const double *w, const char *a, const char *b)
{
	long i = consort_session_find(s, a), j = consort_session_find(s, b);
	assert_true(i >= 0 && j >= 0);
	size_t n = consort_session_count(s);
	return w[(size_t)i * n + (size_t)j];
}

#define assert_weight(s, w, a, b, expected) \
	assert_float_equal(W((s), (w), (a), (b)), (expected), EPS)

/* a<->b rated both ways, a->c one way, b-c never met; scale 1..5, neutral 3. */
static consort_session *basic_session(void)
{
	consort_session *s = new_session(3);
	rate(s, "a", "b", 5);
	rate(s, "b", "a", 4);
	rate(s, "a", "c", 2);
	return s;
}

static void test_defaults_mean(void **state)
{
	(void)state;
	consort_session *s = basic_session();
	consort_scoring sc = consort_session_scoring(s);
	assert_int_equal(sc.combine, CONSORT_COMBINE_MEAN);
	assert_int_equal(sc.normalize, CONSORT_NORMALIZE_NONE);
	assert_true(sc.has_neutral && sc.has_unmet);
	assert_float_equal(sc.neutral, 3, EPS);
	assert_float_equal(sc.unmet, 3, EPS);
	double *w = weights(s);
	assert_weight(s, w, "a", "b", 1.5);  /* (5 + 4) / 2 - 3 */
	assert_weight(s, w, "b", "a", 1.5);
	assert_weight(s, w, "a", "c", -1.0); /* one direction: 2 - 3 */
	assert_weight(s, w, "c", "a", -1.0);
	assert_weight(s, w, "b", "c", 0.0);  /* never met: unmet = neutral */
	free(w);
	consort_session_free(s);
}

static void test_combine_min(void **state)
{
	(void)state;
	consort_session *s = basic_session();
	set_scoring(s, CONSORT_COMBINE_MIN, 0, 0, 0, 0, CONSORT_NORMALIZE_NONE);
	double *w = weights(s);
	assert_weight(s, w, "a", "b", 1.0);  /* min(5, 4) - 3 */
	assert_weight(s, w, "a", "c", -1.0); /* the one direction alone, not min with anything */
	assert_weight(s, w, "b", "c", 0.0);
	free(w);
	consort_session_free(s);
}

static void test_one_direction_either_way(void **state)
{
	(void)state;
	/* The rated direction may be either i->j or j->i (i < j in session order). */
	consort_session *s = new_session(3);
	rate(s, "c", "a", 5);
	rate(s, "b", "c", 1);
	double *w = weights(s);
	assert_weight(s, w, "a", "c", 2.0);
	assert_weight(s, w, "b", "c", -2.0);
	assert_weight(s, w, "a", "b", 0.0);
	free(w);
	set_scoring(s, CONSORT_COMBINE_MIN, 0, 0, 0, 0, CONSORT_NORMALIZE_NONE);
	w = weights(s);
	assert_weight(s, w, "a", "c", 2.0);
	assert_weight(s, w, "b", "c", -2.0);
	free(w);
	consort_session_free(s);
}

static void test_explicit_unmet(void **state)
{
	(void)state;
	consort_session *s = basic_session();
	set_scoring(s, CONSORT_COMBINE_MEAN, 0, 0, 1, 2, CONSORT_NORMALIZE_NONE);
	double *w = weights(s);
	assert_weight(s, w, "b", "c", -1.0); /* unmet 2 - neutral 3 */
	assert_weight(s, w, "a", "b", 1.5);  /* rated pairs do not use unmet */
	assert_weight(s, w, "a", "c", -1.0);
	free(w);
	/* neutral 2, unmet 4.5 */
	set_scoring(s, CONSORT_COMBINE_MEAN, 1, 2, 1, 4.5, CONSORT_NORMALIZE_NONE);
	w = weights(s);
	assert_weight(s, w, "b", "c", 2.5);
	assert_weight(s, w, "a", "b", 2.5);
	assert_weight(s, w, "a", "c", 0.0);
	free(w);
	consort_session_free(s);
}

static void test_explicit_neutral_unmet_follows(void **state)
{
	(void)state;
	consort_session *s = basic_session();
	set_scoring(s, CONSORT_COMBINE_MEAN, 1, 2, 0, 0, CONSORT_NORMALIZE_NONE);
	consort_scoring sc = consort_session_scoring(s);
	assert_float_equal(sc.neutral, 2, EPS);
	assert_float_equal(sc.unmet, 2, EPS);
	double *w = weights(s);
	assert_weight(s, w, "a", "b", 2.5);
	assert_weight(s, w, "a", "c", 0.0);
	assert_weight(s, w, "b", "c", 0.0); /* unmet defaults to the explicit neutral */
	free(w);
	consort_session_free(s);
}

static void test_neutral_default_scale_0_10(void **state)
{
	(void)state;
	consort_session *s = new_session(3);
	consort_error err;
	consort_error_clear(&err);
	assert_int_equal(consort_session_set_scale(s, 0, 10, &err), 0);
	rate(s, "a", "b", 8);
	rate(s, "b", "a", 7);
	rate(s, "a", "c", 0);
	consort_scoring sc = consort_session_scoring(s);
	assert_float_equal(sc.neutral, 5, EPS);
	assert_float_equal(sc.unmet, 5, EPS);
	double *w = weights(s);
	assert_weight(s, w, "a", "b", 2.5);  /* 7.5 - 5 */
	assert_weight(s, w, "a", "c", -5.0); /* 0 - 5 */
	assert_weight(s, w, "b", "c", 0.0);
	free(w);
	/* neutral 7 is inside 0..10 (it would not be inside 1..5) */
	set_scoring(s, CONSORT_COMBINE_MEAN, 1, 7, 0, 0, CONSORT_NORMALIZE_NONE);
	w = weights(s);
	assert_weight(s, w, "a", "b", 0.5);
	assert_weight(s, w, "a", "c", -7.0);
	assert_weight(s, w, "b", "c", 0.0);
	free(w);
	consort_session_free(s);
}

static void test_decimals(void **state)
{
	(void)state;
	consort_session *s = new_session(3);
	rate(s, "a", "b", 3.25);
	rate(s, "b", "a", 4.5);
	rate(s, "c", "b", 1.75);
	double *w = weights(s);
	assert_weight(s, w, "a", "b", 0.875); /* (3.25 + 4.5) / 2 - 3 */
	assert_weight(s, w, "b", "c", -1.25);
	free(w);
	set_scoring(s, CONSORT_COMBINE_MIN, 1, 2.5, 1, 1.5, CONSORT_NORMALIZE_NONE);
	w = weights(s);
	assert_weight(s, w, "a", "b", 0.75);  /* 3.25 - 2.5 */
	assert_weight(s, w, "b", "c", -0.75); /* 1.75 - 2.5 */
	assert_weight(s, w, "a", "c", -1.0);  /* 1.5 - 2.5 */
	free(w);
	consort_session_free(s);
}

/* normalize = rater, by the method of scoring.h: s - (mean_r - mean_all) * k_r / (k_r + 1),
 * clamped to the scale. */
static void test_normalize_rater_hand(void **state)
{
	(void)state;
	consort_session *s = new_session(3);
	rate(s, "a", "b", 5);
	rate(s, "a", "c", 5);
	rate(s, "b", "a", 3);
	rate(s, "b", "c", 1);
	rate(s, "c", "a", 2);
	rate(s, "c", "b", 4);
	double *w = weights(s);
	assert_weight(s, w, "a", "b", 1.0);
	assert_weight(s, w, "a", "c", 0.5);
	assert_weight(s, w, "b", "c", -0.5);
	free(w);
	/* mean_all = 20/6 = 10/3. Offsets (k = 2 for everyone, shrink 2/3):
	 * a: (5 - 10/3) 2/3 = 10/9; b: (2 - 10/3) 2/3 = -8/9; c: (3 - 10/3) 2/3 = -2/9.
	 * a->b = a->c = 35/9, b->a = 35/9, b->c = 17/9, c->a = 20/9, c->b = 38/9.
	 * ab: 35/9 - 3 = 8/9; ac: (35/9 + 20/9)/2 - 3 = 1/18; bc: (17/9 + 38/9)/2 - 3 = 1/18. */
	set_scoring(s, CONSORT_COMBINE_MEAN, 0, 0, 0, 0, CONSORT_NORMALIZE_RATER);
	w = weights(s);
	assert_weight(s, w, "a", "b", 8.0 / 9);
	assert_weight(s, w, "a", "c", 1.0 / 18);
	assert_weight(s, w, "b", "c", 1.0 / 18);
	free(w);
	/* with min: ab min(35/9, 35/9) = 35/9; ac 20/9; bc 17/9 */
	set_scoring(s, CONSORT_COMBINE_MIN, 0, 0, 0, 0, CONSORT_NORMALIZE_RATER);
	w = weights(s);
	assert_weight(s, w, "a", "b", 8.0 / 9);
	assert_weight(s, w, "a", "c", 20.0 / 9 - 3);
	assert_weight(s, w, "b", "c", 17.0 / 9 - 3);
	free(w);
	consort_session_free(s);
}

static void test_normalize_rater_pulls_lenient_down(void **state)
{
	(void)state;
	/* a gives 5 to everyone; a-d and a-b are rated by a alone, so their weights
	 * show a's corrected scores. mean_all = 20/5 = 4; a: (5 - 4) 3/4 = 3/4;
	 * b: (2 - 4) 1/2 = -1; c: (3 - 4) 1/2 = -1/2; d rated nobody. */
	consort_session *s = new_session(4);
	rate(s, "a", "b", 5);
	rate(s, "a", "c", 5);
	rate(s, "a", "d", 5);
	rate(s, "b", "c", 2);
	rate(s, "c", "b", 3);
	set_scoring(s, CONSORT_COMBINE_MEAN, 0, 0, 0, 0, CONSORT_NORMALIZE_RATER);
	double *w = weights(s);
	assert_weight(s, w, "a", "d", 1.25); /* 5 - 3/4 - 3 */
	assert_weight(s, w, "a", "b", 1.25);
	assert_weight(s, w, "a", "c", 1.25);
	assert_true(W(s, w, "a", "d") < 2.0); /* pulled down from 5 - 3 */
	assert_weight(s, w, "b", "c", 0.25); /* (2 + 1 + 3 + 1/2) / 2 - 3 */
	assert_weight(s, w, "b", "d", 0.0);  /* unmet pairs stay at unmet */
	assert_weight(s, w, "c", "d", 0.0);
	free(w);
	consort_session_free(s);
}

static void test_normalize_rater_clamps(void **state)
{
	(void)state;
	/* Upper clamp: mean_all = 16/4 = 4; b: (3 - 4) 2/3 = -2/3, so b->a = 5 + 2/3 -> 5.
	 * a, c: (5 - 4) 1/2 = 1/2. */
	consort_session *s = new_session(3);
	rate(s, "b", "a", 5);
	rate(s, "b", "c", 1);
	rate(s, "a", "c", 5);
	rate(s, "c", "a", 5);
	set_scoring(s, CONSORT_COMBINE_MEAN, 0, 0, 0, 0, CONSORT_NORMALIZE_RATER);
	double *w = weights(s);
	assert_weight(s, w, "a", "b", 2.0);         /* clamped to 5, not 5.667 */
	assert_weight(s, w, "b", "c", 5.0 / 3 - 3); /* 1 + 2/3 */
	assert_weight(s, w, "a", "c", 1.5);         /* 4.5 both ways */
	free(w);
	consort_session_free(s);

	/* Lower clamp: mean_all = 8/4 = 2; a: (3 - 2) 2/3 = 2/3, so a->b = 1 - 2/3 -> 1.
	 * b, c: (1 - 2) 1/2 = -1/2. */
	s = new_session(3);
	rate(s, "a", "b", 1);
	rate(s, "a", "c", 5);
	rate(s, "b", "c", 1);
	rate(s, "c", "b", 1);
	set_scoring(s, CONSORT_COMBINE_MEAN, 0, 0, 0, 0, CONSORT_NORMALIZE_RATER);
	w = weights(s);
	assert_weight(s, w, "a", "b", -2.0);        /* clamped to 1, not 1/3 */
	assert_weight(s, w, "a", "c", 13.0 / 3 - 3);
	assert_weight(s, w, "b", "c", -1.5);
	free(w);
	consort_session_free(s);
}

static void test_normalize_no_ratings(void **state)
{
	(void)state;
	consort_session *s = new_session(3);
	set_scoring(s, CONSORT_COMBINE_MEAN, 1, 2, 1, 3.5, CONSORT_NORMALIZE_RATER);
	double *w = weights(s);
	assert_weight(s, w, "a", "b", 1.5);
	assert_weight(s, w, "a", "c", 1.5);
	assert_weight(s, w, "b", "c", 1.5);
	free(w);
	consort_session_free(s);
}

static void test_empty_session(void **state)
{
	(void)state;
	consort_session *s = new_session(0);
	double *w = NULL;
	consort_error err;
	consort_error_clear(&err);
	assert_int_equal(consort_scoring_weights(&w, s, &err), 0);
	free(w);
	assert_float_equal(consort_scoring_objective(NULL, 0, NULL), 0, EPS);
	consort_session_free(s);
}

static void test_objective(void **state)
{
	(void)state;
	/* Weights: ab 1.5, ac -1, ad 2, bc 0 (unmet), bd -0.5, cd 1 */
	consort_session *s = new_session(4);
	rate(s, "a", "b", 5);
	rate(s, "b", "a", 4);
	rate(s, "c", "a", 2);
	rate(s, "a", "d", 5);
	rate(s, "d", "b", 2);
	rate(s, "b", "d", 3);
	rate(s, "c", "d", 4);
	rate(s, "d", "c", 4);
	double *w = weights(s);
	assert_weight(s, w, "b", "d", -0.5);
	assert_weight(s, w, "c", "d", 1.0);
	const int all[] = {0, 0, 0, 0}, pairs[] = {0, 0, 1, 1}, cross[] = {7, 3, 3, 7};
	const int none[] = {-1, -1, -1, -1}, some_out[] = {0, -1, 0, 0}, singles[] = {0, 1, 2, 3};
	const int outs_differ[] = {-1, -2, 0, -1};
	assert_float_equal(consort_scoring_objective(w, 4, all), 1.5 - 1 + 2 + 0 - 0.5 + 1, EPS);
	assert_float_equal(consort_scoring_objective(w, 4, pairs), 1.5 + 1, EPS);
	assert_float_equal(consort_scoring_objective(w, 4, cross), 2 + 0, EPS); /* {a,d} {b,c} */
	assert_float_equal(consort_scoring_objective(w, 4, none), 0, EPS);
	/* outside participants contribute nothing, even when they share the label -1 */
	assert_float_equal(consort_scoring_objective(w, 4, some_out), -1 + 2 + 1, EPS);
	assert_float_equal(consort_scoring_objective(w, 4, singles), 0, EPS);
	assert_float_equal(consort_scoring_objective(w, 4, outs_differ), 0, EPS);
	free(w);
	consort_session_free(s);
}

static void expect_rejected(consort_session *s, int has_neutral, double neutral, int has_unmet,
	double unmet, const char *word)
{
	consort_scoring before = consort_session_scoring(s);
	consort_scoring sc;
	memset(&sc, 0, sizeof(sc));
	sc.has_neutral = has_neutral;
	sc.neutral = neutral;
	sc.has_unmet = has_unmet;
	sc.unmet = unmet;
	consort_error err;
	consort_error_clear(&err);
	assert_int_equal(consort_session_set_scoring(s, &sc, &err), CONSORT_EINVALID);
	assert_non_null(strstr(err.message, word));
	assert_null(strchr(err.message, '\n'));
	/* the session keeps its scoring */
	consort_scoring after = consort_session_scoring(s);
	assert_float_equal(after.neutral, before.neutral, 0);
	assert_float_equal(after.unmet, before.unmet, 0);
}

static void test_set_scoring_validates(void **state)
{
	(void)state;
	consort_session *s = new_session(2);
	expect_rejected(s, 1, 5.5, 0, 0, "neutral");
	expect_rejected(s, 1, 0.5, 0, 0, "neutral");
	expect_rejected(s, 1, NAN, 0, 0, "neutral");
	expect_rejected(s, 1, INFINITY, 0, 0, "neutral");
	expect_rejected(s, 0, 0, 1, 5.01, "unmet");
	expect_rejected(s, 0, 0, 1, 0, "unmet");
	expect_rejected(s, 1, 3, 1, -INFINITY, "unmet");
	/* the scale's ends are inside it */
	set_scoring(s, CONSORT_COMBINE_MEAN, 1, 1, 1, 5, CONSORT_NORMALIZE_NONE);
	set_scoring(s, CONSORT_COMBINE_MEAN, 1, 5, 1, 1, CONSORT_NORMALIZE_NONE);
	consort_scoring sc = consort_session_scoring(s);
	assert_float_equal(sc.neutral, 5, EPS);
	assert_float_equal(sc.unmet, 1, EPS);
	/* unknown methods */
	memset(&sc, 0, sizeof(sc));
	sc.combine = (consort_combine)7;
	consort_error err;
	assert_int_equal(consort_session_set_scoring(s, &sc, &err), CONSORT_EINVALID);
	memset(&sc, 0, sizeof(sc));
	sc.normalize = (consort_normalize)7;
	assert_int_equal(consort_session_set_scoring(s, &sc, &err), CONSORT_EINVALID);
	/* on 0..10 a neutral of 8 is fine, 11 is not */
	consort_session_free(s);
	s = new_session(2);
	assert_int_equal(consort_session_set_scale(s, 0, 10, &err), 0);
	set_scoring(s, CONSORT_COMBINE_MEAN, 1, 8, 1, 0, CONSORT_NORMALIZE_NONE);
	expect_rejected(s, 1, 11, 0, 0, "neutral");
	consort_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_mean),
		cmocka_unit_test(test_combine_min),
		cmocka_unit_test(test_one_direction_either_way),
		cmocka_unit_test(test_explicit_unmet),
		cmocka_unit_test(test_explicit_neutral_unmet_follows),
		cmocka_unit_test(test_neutral_default_scale_0_10),
		cmocka_unit_test(test_decimals),
		cmocka_unit_test(test_normalize_rater_hand),
		cmocka_unit_test(test_normalize_rater_pulls_lenient_down),
		cmocka_unit_test(test_normalize_rater_clamps),
		cmocka_unit_test(test_normalize_no_ratings),
		cmocka_unit_test(test_empty_session),
		cmocka_unit_test(test_objective),
		cmocka_unit_test(test_set_scoring_validates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
