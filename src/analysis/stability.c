/* Stability of a proposal (consort/advice.h): members who would gain by moving
 * alone, and pairs who would both gain by a swap or by moving together. */
#include "analysis/advice.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int gains(double now, double then)
{
	return then > now + 1e-9 * fmax(1.0, fabs(now));
}

/* Every single move that raises the mover's fit (computed from the fits, so
 * without the "why" of every member); the rules are checked for those only. */
static int collect_movers(consort_advice *a)
{
	size_t cap = 0, k = (size_t)a->k;
	int *after = malloc((size_t)(a->n ? a->n : 1) * sizeof(int));
	if (!after)
		return -1;
	memcpy(after, a->home, (size_t)a->n * sizeof(int));
	int rc = 0;
	for (int i = 0; i < a->n && rc == 0; i++) {
		if (a->absent[i])
			continue;
		int home = a->home[i];
		double fit = home >= 0 ? a->fitto[(size_t)i * k + (size_t)home] : 0;
		for (int c = -1; c < a->k && rc == 0; c++) {
			if (c == home || (c < 0 && a->pb->everyone))
				continue;
			double there = c >= 0 ? a->fitto[(size_t)i * k + (size_t)c] : 0;
			if (!gains(fit, there))
				continue;
			if (a->nmovers == cap) {
				size_t bigger_cap = cap ? 2 * cap : 16;
				consort_mover *bigger = realloc(a->movers, bigger_cap * sizeof(*bigger));
				if (!bigger) {
					rc = -1;
					break;
				}
				a->movers = bigger;
				cap = bigger_cap;
			}
			after[i] = c;
			int ok = consort__move_check(a, after, &i, 1, NULL);
			after[i] = home;
			if (ok < 0) {
				rc = -1;
				break;
			}
			consort_mover mv = {(size_t)i, home, c, fit, there, ok};
			a->movers[a->nmovers++] = mv;
		}
	}
	free(after);
	return rc;
}

static int add_pair(consort_advice *a, size_t *cap, consort_pair_gain g)
{
	if (a->npairs == *cap) {
		size_t c = *cap ? 2 * *cap : 16;
		consort_pair_gain *bigger = realloc(a->pairs, c * sizeof(*bigger));
		if (!bigger)
			return -1;
		a->pairs = bigger;
		*cap = c;
	}
	/* Feasibility of the double move on the proposal's assignment. */
	int *after = malloc((size_t)a->n * sizeof(int));
	if (!after)
		return -1;
	memcpy(after, a->home, (size_t)a->n * sizeof(int));
	after[g.a] = g.to_a;
	after[g.b] = g.to_b;
	int who[2] = {(int)g.a, (int)g.b};
	int ok = consort__move_check(a, after, who, 2, NULL);
	free(after);
	if (ok < 0)
		return -1;
	g.feasible = ok;
	a->pairs[a->npairs++] = g;
	return 0;
}

static int collect_pairs(consort_advice *a)
{
	int n = a->n;
	size_t cap = 0, k = (size_t)a->k;
	const double *w = a->pb->w;
	for (int i = 0; i < n; i++) {
		int hi = a->home[i];
		if (hi < 0)
			continue;
		double fi = a->fitto[(size_t)i * k + (size_t)hi];
		for (int j = i + 1; j < n; j++) {
			int hj = a->home[j];
			if (hj < 0)
				continue;
			double wij = w[(size_t)i * (size_t)n + (size_t)j];
			double fj = a->fitto[(size_t)j * k + (size_t)hj];
			if (hi != hj) {
				double ti = a->fitto[(size_t)i * k + (size_t)hj] - wij;
				double tj = a->fitto[(size_t)j * k + (size_t)hi] - wij;
				if (gains(fi, ti) && gains(fj, tj)) {
					consort_pair_gain g = {CONSORT_PAIR_SWAP, (size_t)i, (size_t)j, hi, hj, hj, hi,
						ti - fi, tj - fj, 0};
					if (add_pair(a, &cap, g) < 0)
						return -1;
				}
				continue;
			}
			for (int b = 0; b < a->k; b++) {
				if (b == hi)
					continue;
				double ti = a->fitto[(size_t)i * k + (size_t)b] + wij;
				double tj = a->fitto[(size_t)j * k + (size_t)b] + wij;
				if (gains(fi, ti) && gains(fj, tj)) {
					consort_pair_gain g = {CONSORT_PAIR_TOGETHER, (size_t)i, (size_t)j, hi, hi, b, b,
						ti - fi, tj - fj, 0};
					if (add_pair(a, &cap, g) < 0)
						return -1;
				}
			}
		}
	}
	return 0;
}

int consort__advice_stability(consort_advice *a)
{
	if (collect_movers(a) < 0)
		return -1;
	if (a->n > CONSORT_ADVICE_PAIRS_MAX_N)
		return 0;
	a->pairs_checked = 1;
	return collect_pairs(a);
}
