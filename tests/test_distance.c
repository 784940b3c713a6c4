/* Tests for the distance between assignments (src/analysis/distance.c): against a
 * brute force over every relabelling of consortia on random small assignments. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "analysis/distance.h"

enum { NMAX = 12, KMAX = 5 };

static unsigned rng_state = 12345u;
static int rnd(int bound)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (int)((rng_state >> 16) % (unsigned)bound);
}

/* Members that stay when a's consortium x becomes perm[x] (perm over max(ka, kb)
 * labels, so consortia of a may also map to no consortium of b). */
static int stays_under(const int *a, const int *b, int n, const int *perm)
{
	int s = 0;
	for (int i = 0; i < n; i++)
		s += a[i] < 0 ? b[i] < 0 : perm[a[i]] == b[i];
	return s;
}

/* Fewest moves over every permutation of the m labels. */
static void permute(int *perm, int pos, int m, const int *a, const int *b, int n, int *best)
{
	if (pos == m) {
		int moved = n - stays_under(a, b, n, perm);
		if (moved < *best)
			*best = moved;
		return;
	}
	for (int j = pos; j < m; j++) {
		int t = perm[pos]; perm[pos] = perm[j]; perm[j] = t;
		permute(perm, pos + 1, m, a, b, n, best);
		t = perm[pos]; perm[pos] = perm[j]; perm[j] = t;
	}
}

static int brute_moved(const int *a, int ka, const int *b, int kb, int n)
{
	int m = ka > kb ? ka : kb, perm[KMAX], best = n + 1;
	for (int j = 0; j < m; j++)
		perm[j] = j;
	permute(perm, 0, m, a, b, n, &best);
	return best;
}

/* The members marked as staying must be consistent with one matching: outside
 * stays outside, and each consortium of a keeps its members in one consortium of
 * b, no two consortia of a in the same one. */
static void assert_moved_is_a_matching(const int *a, int ka, const int *b, int kb, int n,
	const int *moved, int count)
{
	int to[KMAX], from[KMAX], c = 0;
	for (int x = 0; x < KMAX; x++)
		to[x] = from[x] = -1;
	for (int i = 0; i < n; i++) {
		assert_true(moved[i] == 0 || moved[i] == 1);
		c += moved[i];
		if (moved[i])
			continue;
		if (a[i] < 0 || b[i] < 0) {
			assert_int_equal(a[i], b[i]);
			continue;
		}
		assert_true(a[i] < ka && b[i] < kb);
		assert_true(to[a[i]] == -1 || to[a[i]] == b[i]);
		assert_true(from[b[i]] == -1 || from[b[i]] == a[i]);
		to[a[i]] = b[i];
		from[b[i]] = a[i];
	}
	assert_int_equal(c, count);
}

static void random_assign(int *x, int n, int k, int outside)
{
	for (int i = 0; i < n; i++)
		x[i] = outside && rnd(4) == 0 ? -1 : rnd(k);
}

static void test_against_brute_force(void **state)
{
	(void)state;
	for (int trial = 0; trial < 4000; trial++) {
		int n = 1 + rnd(NMAX), ka = 1 + rnd(KMAX), kb = 1 + rnd(KMAX), outside = rnd(2);
		int a[NMAX], b[NMAX], moved[NMAX];
		random_assign(a, n, ka, outside);
		random_assign(b, n, kb, outside);
		if (trial % 7 == 0) /* b near a: a few members moved */
			for (int i = 0; i < n; i++)
				b[i] = rnd(3) == 0 ? b[i] : (a[i] < kb ? a[i] : -1);
		int got = consort__moved(a, ka, b, kb, n, moved);
		assert_int_equal(got, brute_moved(a, ka, b, kb, n));
		assert_moved_is_a_matching(a, ka, b, kb, n, moved, got);
		assert_int_equal(consort__moved(a, ka, b, kb, n, NULL), got);
		assert_int_equal(consort__moved(b, kb, a, ka, n, NULL), got); /* symmetric */
	}
}

static void test_relabelling_is_no_difference(void **state)
{
	(void)state;
	for (int trial = 0; trial < 500; trial++) {
		int n = 1 + rnd(NMAX), k = 1 + rnd(KMAX), a[NMAX], b[NMAX], perm[KMAX];
		random_assign(a, n, k, rnd(2));
		for (int j = 0; j < k; j++)
			perm[j] = j;
		for (int j = k - 1; j > 0; j--) {
			int r = rnd(j + 1), t = perm[j];
			perm[j] = perm[r];
			perm[r] = t;
		}
		for (int i = 0; i < n; i++)
			b[i] = a[i] < 0 ? -1 : perm[a[i]];
		assert_int_equal(consort__moved(a, k, b, k, n, NULL), 0);
		/* Moving one member to outside (or back in) is one difference. */
		int i = rnd(n);
		b[i] = b[i] < 0 ? 0 : -1;
		assert_int_equal(consort__moved(a, k, b, k, n, NULL), 1);
	}
}

static void test_triangle_inequality(void **state)
{
	(void)state;
	for (int trial = 0; trial < 500; trial++) {
		int n = 1 + rnd(NMAX), ka = 1 + rnd(KMAX), kb = 1 + rnd(KMAX), kc = 1 + rnd(KMAX);
		int a[NMAX], b[NMAX], c[NMAX];
		random_assign(a, n, ka, 1);
		random_assign(b, n, kb, 1);
		random_assign(c, n, kc, 1);
		int ab = consort__moved(a, ka, b, kb, n, NULL), bc = consort__moved(b, kb, c, kc, n, NULL);
		assert_true(consort__moved(a, ka, c, kc, n, NULL) <= ab + bc);
	}
}

static void test_small_cases(void **state)
{
	(void)state;
	/* Outside matches only outside: {0,1} in, 2 out  vs  everyone out. */
	int a[] = {0, 0, -1}, b[] = {-1, -1, -1}, moved[4];
	assert_int_equal(consort__moved(a, 1, b, 0, 3, moved), 2);
	assert_int_equal(moved[0] + moved[1], 2);
	assert_int_equal(moved[2], 0);
	/* {01}{23} vs {0123}: two move (either half). */
	int c[] = {0, 0, 1, 1}, d[] = {0, 0, 0, 0};
	assert_int_equal(consort__moved(c, 2, d, 1, 4, NULL), 2);
	/* {012}{3} vs {3 0}{1 2} relabelled: moving 0 suffices. */
	int e[] = {0, 0, 0, 1}, f[] = {1, 0, 0, 1};
	assert_int_equal(consort__moved(e, 2, f, 2, 4, moved), 1);
	assert_int_equal(moved[0], 1);
	assert_int_equal(moved[1] + moved[2] + moved[3], 0);
	assert_int_equal(consort__moved(NULL, 0, NULL, 0, 0, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_cases),
		cmocka_unit_test(test_against_brute_force),
		cmocka_unit_test(test_relabelling_is_no_difference),
		cmocka_unit_test(test_triangle_inequality),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
