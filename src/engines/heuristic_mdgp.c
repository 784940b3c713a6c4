/* The heuristic's fast path for grouping with size ranges only: iterated
 * maxima search over relocations and swaps within the size bounds. */
#include "engines/heuristic_mdgp.h"
#include "engines/heur_base.h"
#include "error.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

/*
 * Method (after Lai & Hao 2016, "Iterated maxima search for the maximally
 * diverse grouping problem", EJOR 254):
 * - State: the group of every element and the gain matrix g[c][v] = sum of
 *   w(v, u) over the members u of group c (column-major: a move updates two
 *   contiguous columns in O(n)). Sizes always stay within their bounds.
 * - Descent: elements in random order; each takes its best relocation (only
 *   from a group above its minimum to one below its maximum) when it gains,
 *   else its best swap with an element of another group (gain g[B][v] -
 *   g[A][v] + g[A][u] - g[B][u] - 2 w(u, v)) when that gains; until a whole
 *   pass changes nothing.
 * - Maxima search: from a local optimum, a weak perturbation (3 random moves
 *   or swaps) and a descent, again and again from each new local optimum (a
 *   walk among nearby maxima), until `alpha` = 50 of them in a row are no
 *   better than the best of this search; then a strong perturbation (0.1 n
 *   random moves) of that best starts the next search.
 * - Start: when the weights are positive on the whole, a random assignment
 *   with the group sizes that make the most pairs (dynamic programming over
 *   the size ranges); else random within the bounds. Relocations alone cannot
 *   move between size profiles, and on MDGPLIB `ds` the gap to the reference
 *   was mostly a profile with 22 pairs fewer (RanReal_n480_ds_03).
 * - Tuning (bench/README.md): walking on from worse maxima rather than going
 *   back to the best, and alpha 50 rather than 10, halved the mean gap to the
 *   reference on MDGPLIB n = 120 at 8 s (2 seeds, 6 instances).
 */

typedef struct mdgp {
	int n, m;
	const consort__problem *p;
	const double *w;      /* n*n, zero diagonal */
	consort__budget *b;
	consort__rng rng;
	double tol;
	int *lo, *hi;         /* m: size bounds, lo >= 1 */
	int *cl, *size;       /* n, m */
	double *g;            /* m*n: g[c*n + v] */
	double *own;          /* n: g[cl[v]][v], v's gain in its own group */
	double obj;
	int *base_cl, *best_cl;
	double base_obj, best_obj;
	int have_best;
	int *order;           /* n */
	double *dv;           /* m */
} mdgp;

int consort__heur_mdgp_applies(const consort__problem *p)
{
	int n = p->n, m = p->nlots ? p->nlots : p->kmin;
	if (n < 1 || !p->everyone || p->ntogether > 0 || p->napart > 0 || m < 1 || m > n)
		return 0;
	if (p->nlots ? (p->kmin != m || p->kmax != m) : p->kmax != m)
		return 0;
	long lo = 0, hi = 0;
	for (int g = 0; g < (p->nlots ? m : 1); g++) {
		const consort__group *gr = consort__problem_group(p, g);
		if (gr->ncover > 0)
			return 0;
		for (int s = 0; s < p->nsec; s++)
			if (gr->sec_min[s] > 0 || gr->sec_max[s] < n)
				return 0;
		int a = gr->size_min > 1 ? gr->size_min : 1;
		if (a > gr->size_max)
			return 0;
		int times = p->nlots ? 1 : m;
		lo += (long)a * times;
		hi += (long)gr->size_max * times;
	}
	for (int i = 0; i < n; i++)
		if (p->w[(size_t)i * n + i] != 0)
			return 0;
	return lo <= n && n <= hi;
}

/* ------------------------------------------------------------------ state */

static double *col(const mdgp *s, int c)
{
	return s->g + (size_t)c * s->n;
}

/* Rebuilds gains, sizes and objective from a labelling: O(n^2). */
static void load(mdgp *s, const int *lab)
{
	int n = s->n;
	memcpy(s->cl, lab, (size_t)n * sizeof(int));
	memset(s->size, 0, (size_t)s->m * sizeof(int));
	memset(s->g, 0, (size_t)s->m * n * sizeof(double));
	for (int u = 0; u < n; u++) {
		s->size[s->cl[u]]++;
		double *restrict gc = col(s, s->cl[u]);
		const double *restrict wu = s->w + (size_t)u * n;
		for (int v = 0; v < n; v++)
			gc[v] += wu[v];
	}
	double twice = 0;
	for (int v = 0; v < n; v++) {
		s->own[v] = col(s, s->cl[v])[v];
		twice += s->own[v];
	}
	s->obj = twice / 2;
}

/* Moves v to group c (sizes are the caller's business). */
static void move(mdgp *s, int v, int c)
{
	int n = s->n, a = s->cl[v];
	s->obj += col(s, c)[v] - col(s, a)[v];
	double *restrict ga = col(s, a), *restrict gc = col(s, c);
	const double *restrict wv = s->w + (size_t)v * n;
	const int *cl = s->cl;
	double *own = s->own;
	for (int u = 0; u < n; u++) {
		ga[u] -= wv[u];
		gc[u] += wv[u];
		own[u] += cl[u] == c ? wv[u] : cl[u] == a ? -wv[u] : 0;
	}
	s->cl[v] = c;
	own[v] = gc[v];
	s->size[a]--;
	s->size[c]++;
}

static void swap(mdgp *s, int v, int u)
{
	int a = s->cl[v], c = s->cl[u];
	move(s, v, c);
	move(s, u, a);
}

static void note(mdgp *s)
{
	if (s->obj > s->best_obj + s->tol) {
		memcpy(s->best_cl, s->cl, (size_t)s->n * sizeof(int));
		s->best_obj = s->obj;
		s->have_best = 1;
		consort__budget_improved(s->b, s->obj);
	}
}

/* Reports the best objective as the caller will compute it (the same sum in
 * the same order, so that the values reported never decrease). */
static void report(mdgp *s)
{
	consort__budget_report(s->b, consort__problem_objective(s->p, s->best_cl));
}

/* ----------------------------------------------------------------- search */

/* v's best relocation within the bounds, if it gains: applied, 1. */
static int improve_by_move(mdgp *s, int v)
{
	int a = s->cl[v], n = s->n, bc = -1;
	if (s->size[a] <= s->lo[a])
		return 0;
	double base = s->g[(size_t)a * n + v], best = s->tol;
	for (int c = 0; c < s->m; c++) {
		if (c == a || s->size[c] >= s->hi[c])
			continue;
		double d = s->g[(size_t)c * n + v] - base;
		if (d > best) {
			best = d;
			bc = c;
		}
	}
	if (bc < 0)
		return 0;
	move(s, v, bc);
	return 1;
}

/* v's best swap, if it gains: applied, 1. */
static int improve_by_swap(mdgp *s, int v)
{
	int a = s->cl[v], n = s->n, m = s->m, bu = -1;
	double *dv = s->dv;
	double base = s->g[(size_t)a * n + v];
	for (int c = 0; c < m; c++)
		dv[c] = s->g[(size_t)c * n + v] - base;
	dv[a] = -DBL_MAX; /* no swap inside a group */
	const double *ga = col(s, a), *wv = s->w + (size_t)v * n, *own = s->own;
	const int *cl = s->cl;
	/* Two independent maxima: one running maximum would chain every
	 * comparison to the previous one. */
	double b0 = s->tol, b1 = s->tol;
	int a0 = -1, a1 = -1, u = 0;
	for (; u + 2 <= n; u += 2) {
		double d0 = dv[cl[u]] + ga[u] - own[u] - 2 * wv[u];
		double d1 = dv[cl[u + 1]] + ga[u + 1] - own[u + 1] - 2 * wv[u + 1];
		if (d0 > b0) {
			b0 = d0;
			a0 = u;
		}
		if (d1 > b1) {
			b1 = d1;
			a1 = u + 1;
		}
	}
	if (u < n) {
		double d0 = dv[cl[u]] + ga[u] - own[u] - 2 * wv[u];
		if (d0 > b0) {
			b0 = d0;
			a0 = u;
		}
	}
	if (b1 > b0 || (b1 == b0 && a1 >= 0 && (a0 < 0 || a1 < a0)))
		a0 = a1;
	bu = a0;
	if (bu < 0)
		return 0;
	swap(s, v, bu);
	return 1;
}

/* Descent to a local optimum of relocations and swaps. */
static void descent(mdgp *s)
{
	int n = s->n, improved = 1;
	while (improved) {
		improved = 0;
		consort__rng_shuffle(&s->rng, s->order, n);
		for (int i = 0; i < n; i++) {
			if (consort__budget_over(s->b))
				return;
			s->b->iter++;
			int v = s->order[i];
			if (improve_by_move(s, v) || improve_by_swap(s, v))
				improved = 1;
		}
		if (s->b->report_due)
			report(s);
	}
}

/* Random moves: half relocations (where the bounds allow), half swaps. */
static void random_moves(mdgp *s, int count)
{
	if (s->m < 2)
		return;
	for (int t = 0; t < count; t++) {
		int v = consort__rng_below(&s->rng, s->n);
		if (consort__rng_below(&s->rng, 2)) {
			int c = consort__rng_below(&s->rng, s->m), a = s->cl[v];
			if (c != a && s->size[a] > s->lo[a] && s->size[c] < s->hi[c]) {
				move(s, v, c);
				continue;
			}
		}
		int u = consort__rng_below(&s->rng, s->n);
		if (s->cl[v] != s->cl[u])
			swap(s, v, u);
	}
}

/* A random assignment within the bounds: every group gets its minimum, the
 * rest go to random groups with room. */
static void random_start(mdgp *s, int *lab)
{
	int n = s->n, m = s->m, i = 0;
	int *order = s->order, *fill = s->size;
	for (int v = 0; v < n; v++)
		order[v] = v;
	consort__rng_shuffle(&s->rng, order, n);
	memset(fill, 0, (size_t)m * sizeof(int));
	for (int c = 0; c < m; c++)
		for (int t = 0; t < s->lo[c]; t++, fill[c]++)
			lab[order[i++]] = c;
	for (; i < n; i++) {
		int c;
		do
			c = consort__rng_below(&s->rng, m);
		while (fill[c] >= s->hi[c]);
		lab[order[i]] = c;
		fill[c]++;
	}
}

/* Group sizes within the bounds, summing to n, that make the most pairs (the
 * largest sum of s (s - 1) / 2), by dynamic programming over the groups; ties
 * broken at random. With positive weights the objective grows with the pairs,
 * and single relocations cannot move between such size profiles (shrinking one
 * group by several to grow another loses at every step): the start fixes it.
 * 0 when the table would be too large (then the start stays random). */
static int pairs_profile(mdgp *s, int *target)
{
	int n = s->n, m = s->m;
	size_t cells = (size_t)(m + 1) * (size_t)(n + 1);
	if (cells > (size_t)1 << 22)
		return 0;
	double *best = calloc(cells, sizeof(double)); /* every cell is set below; calloc keeps -O3 quiet */
	if (!best)
		return 0;
	/* best[g * (n + 1) + t]: most pairs of groups g..m-1 holding t elements. */
	for (int t = 0; t <= n; t++)
		best[(size_t)m * (n + 1) + t] = t == 0 ? 0 : -1;
	for (int g = m - 1; g >= 0; g--)
		for (int t = 0; t <= n; t++) {
			double b = -1;
			for (int z = s->lo[g]; z <= s->hi[g] && z <= t; z++) {
				double rest = best[(size_t)(g + 1) * (n + 1) + t - z];
				if (rest >= 0 && rest + 0.5 * z * (z - 1) > b)
					b = rest + 0.5 * z * (z - 1);
			}
			best[(size_t)g * (n + 1) + t] = b;
		}
	int ok = best[n] >= 0, t = n;
	for (int g = 0; ok && g < m; g++) {
		int pick = -1, ties = 0;
		for (int z = s->lo[g]; z <= s->hi[g] && z <= t; z++) {
			double rest = best[(size_t)(g + 1) * (n + 1) + t - z];
			if (rest >= 0 && rest + 0.5 * z * (z - 1) == best[(size_t)g * (n + 1) + t] &&
			    consort__rng_below(&s->rng, ++ties) == 0)
				pick = z;
		}
		target[g] = pick;
		t -= pick;
	}
	free(best);
	return ok;
}

/* A random assignment with the given group sizes. */
static void profile_start(mdgp *s, const int *target, int *lab)
{
	int n = s->n, i = 0;
	for (int v = 0; v < n; v++)
		s->order[v] = v;
	consort__rng_shuffle(&s->rng, s->order, n);
	for (int c = 0; c < s->m; c++)
		for (int t = 0; t < target[c]; t++)
			lab[s->order[i++]] = c;
}

static void run(mdgp *s, int *lab)
{
	int n = s->n;
	int weak = (int)consort__heur_param("MDT_WEAK", 3), alpha = (int)consort__heur_param("MDT_ALPHA", 50);
	double strong = consort__heur_param("MDT_STRONG", 0.1);
	/* Positive weights on the whole: start from the size profile with the
	 * most pairs. */
	double total = 0;
	for (size_t i = 0; i < (size_t)n * n; i++)
		total += s->w[i];
	int *target = malloc((size_t)s->m * sizeof(int));
	if (target && total > 0 && consort__heur_param("MDT_PROFILE", 1) != 0 && pairs_profile(s, target))
		profile_start(s, target, lab);
	else
		random_start(s, lab);
	free(target);
	load(s, lab);
	for (int v = 0; v < n; v++)
		s->order[v] = v;
	s->b->iter++;
	note(s);
	descent(s);
	note(s);
	while (!consort__budget_over(s->b)) {
		/* Maxima search around the current local optimum. */
		memcpy(s->base_cl, s->cl, (size_t)n * sizeof(int));
		s->base_obj = s->obj;
		for (int fails = 0; fails < alpha && !consort__budget_over(s->b);) {
			random_moves(s, weak);
			descent(s);
			note(s);
			if (s->obj > s->base_obj + s->tol) {
				memcpy(s->base_cl, s->cl, (size_t)n * sizeof(int));
				s->base_obj = s->obj;
				fails = 0;
			} else {
				fails++; /* the walk goes on from the new local optimum */
			}
		}
		/* Strong perturbation of the search's best. */
		load(s, s->base_cl);
		random_moves(s, 1 + (int)(strong * n));
		descent(s);
		note(s);
	}
}

/* ------------------------------------------------------------------ entry */

int consort__heur_mdgp_solve(const consort__problem *p, const consort__heur_options *o,
	int *assign, int *k, double *objective, consort_error *err)
{
	int n = p->n, m = p->nlots ? p->nlots : p->kmin;
	consort__budget b;
	consort__budget_init(&b, o);
	mdgp s;
	memset(&s, 0, sizeof(s));
	s.n = n;
	s.m = m;
	s.p = p;
	s.w = p->w;
	s.b = &b;
	consort__rng_seed(&s.rng, o->seed);
	s.tol = consort__heur_tolerance(p);
	s.lo = malloc((size_t)m * sizeof(int));
	s.hi = malloc((size_t)m * sizeof(int));
	s.cl = malloc((size_t)n * sizeof(int));
	s.size = malloc((size_t)m * sizeof(int));
	s.g = malloc((size_t)m * n * sizeof(double));
	s.base_cl = malloc((size_t)n * sizeof(int));
	s.best_cl = malloc((size_t)n * sizeof(int));
	s.order = malloc((size_t)n * sizeof(int));
	s.dv = malloc((size_t)m * sizeof(double));
	s.own = malloc((size_t)n * sizeof(double));
	int *lab = malloc((size_t)n * sizeof(int));
	int rc = 0;
	if (!s.lo || !s.hi || !s.cl || !s.size || !s.g || !s.base_cl || !s.best_cl || !s.order ||
	    !s.dv || !s.own || !lab) {
		rc = consort__error_nomem(err);
		goto done;
	}
	for (int c = 0; c < m; c++) {
		const consort__group *gr = consort__problem_group(p, p->nlots ? c : 0);
		s.lo[c] = gr->size_min > 1 ? gr->size_min : 1;
		s.hi[c] = gr->size_max;
	}
	s.best_obj = -DBL_MAX;
	run(&s, lab);
	memcpy(assign, s.best_cl, (size_t)n * sizeof(int));
	*k = m;
	*objective = consort__problem_objective(p, assign);
	rc = 1;
done:
	free(s.lo), free(s.hi), free(s.cl), free(s.size), free(s.g), free(s.base_cl);
	free(s.best_cl), free(s.order), free(s.dv), free(s.own), free(lab);
	return rc;
}
