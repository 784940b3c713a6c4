/* Fairness local search: a steepest-ascent search over moves of the units that
 * hold the weakest members (or weigh on them) and swaps of such units, every
 * candidate checked against the rules with the shared checker, so the result
 * can never break a rule; the key is lexicographic (fairness first, then the
 * total). Each candidate costs O(n^2), so the neighbourhood is kept to the few
 * weakest members: the search is a repair step after the tabu search, not a
 * search of its own. */
#include "engines/fairness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Members considered per step: the weakest (or most short of min_fit) few. */
#define FAIR_TARGETS 3

typedef struct fair {
	const consort__problem *p;
	const consort__problem *rules; /* the rules every candidate must meet */
	consort__fair_mode mode;
	int n;
	int *unit;       /* n: a representative of i's together-component */
	int *cur, *cand, *best;
	double *fit;     /* n scratch */
	int k, best_k, have_best;
	double key1, key2, best1, best2, eps;
} fair;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int find(int *parent, int i)
{
	while (parent[i] != i)
		i = parent[i] = parent[parent[i]];
	return i;
}

/* Relabels consortia 0..k-1 by first member (lots keep their labels). */
static int compact(const fair *f, int *a, int k_in)
{
	if (f->p->nlots)
		return f->p->nlots;
	int label[256], k = 0, big = k_in + 2 > 256;
	if (big) /* labels never exceed n + 1; fall back to a quadratic relabel */
		for (int i = 0; i < f->n; i++) {
			if (a[i] < 0)
				continue;
			int first = 1;
			for (int j = 0; j < i && first; j++)
				first = a[j] != a[i];
			if (first) {
				int old = a[i];
				for (int j = i; j < f->n; j++)
					if (a[j] == old)
						a[j] = -(k + 2); /* temporarily out of the way */
				k++;
			}
		}
	if (big) {
		for (int i = 0; i < f->n; i++)
			if (a[i] <= -2)
				a[i] = -a[i] - 2;
		return k;
	}
	for (int c = 0; c < k_in + 2; c++)
		label[c] = -1;
	for (int i = 0; i < f->n; i++) {
		if (a[i] < 0)
			continue;
		if (label[a[i]] < 0)
			label[a[i]] = k++;
		a[i] = label[a[i]];
	}
	return k;
}

/* The lexicographic key of an assignment. */
static void key_of(fair *f, const int *a, double *k1, double *k2)
{
	const consort__problem *p = f->p;
	double total = 0, worst = HUGE_VAL, shortfall = 0;
	for (int i = 0; i < f->n; i++) {
		f->fit[i] = consort__problem_fit(p, a, i);
		if (a[i] < 0)
			continue;
		worst = fmin(worst, f->fit[i]);
		total += f->fit[i];
		if (p->has_min_fit && f->fit[i] < p->min_fit - consort__min_fit_tolerance(p->min_fit))
			shortfall += p->min_fit - f->fit[i];
	}
	*k1 = f->mode == CONSORT__FAIR_MAXMIN ? (isfinite(worst) ? worst : 0) : -shortfall;
	*k2 = total / 2;
}

static int better(const fair *f, double a1, double a2, double b1, double b2)
{
	return a1 > b1 + f->eps || (a1 >= b1 - f->eps && a2 > b2 + f->eps);
}

/* Evaluates f->cand (labels up to k_in + 1) and keeps it when it is the best so far. */
static void consider(fair *f, int k_in)
{
	int k = compact(f, f->cand, k_in);
	if (!consort__problem_feasible(f->rules, f->cand, k, NULL, 0))
		return;
	double k1, k2;
	key_of(f, f->cand, &k1, &k2);
	if (!better(f, k1, k2, f->have_best ? f->best1 : f->key1, f->have_best ? f->best2 : f->key2))
		return;
	memcpy(f->best, f->cand, (size_t)f->n * sizeof(int));
	f->best_k = k;
	f->best1 = k1;
	f->best2 = k2;
	f->have_best = 1;
}

/* Moves unit u to slot t (-1: outside; f->k: a new consortium). */
static void try_move(fair *f, int u, int t)
{
	memcpy(f->cand, f->cur, (size_t)f->n * sizeof(int));
	for (int i = 0; i < f->n; i++)
		if (f->unit[i] == u)
			f->cand[i] = t;
	consider(f, f->k);
}

static void try_swap(fair *f, int u, int v)
{
	memcpy(f->cand, f->cur, (size_t)f->n * sizeof(int));
	int su = -2, sv = -2;
	for (int i = 0; i < f->n; i++) {
		if (f->unit[i] == u)
			su = f->cur[i];
		if (f->unit[i] == v)
			sv = f->cur[i];
	}
	if (su == sv)
		return;
	for (int i = 0; i < f->n; i++) {
		if (f->unit[i] == u)
			f->cand[i] = sv;
		else if (f->unit[i] == v)
			f->cand[i] = su;
	}
	consider(f, f->k);
}

/* Every slot a unit may go to but its own. */
static void try_all_moves(fair *f, int u, int own)
{
	const consort__problem *p = f->p;
	for (int t = 0; t < f->k; t++)
		if (t != own)
			try_move(f, u, t);
	if (!p->everyone && own >= 0)
		try_move(f, u, -1);
	if (!p->nlots && f->k < p->kmax)
		try_move(f, u, f->k);
}

/* The members to help this step: the weakest, or the most short of min_fit. */
static int targets(fair *f, int *who)
{
	double k1, k2;
	key_of(f, f->cur, &k1, &k2);
	int nt = 0;
	for (int pick = 0; pick < FAIR_TARGETS; pick++) {
		int w = -1;
		for (int i = 0; i < f->n; i++) {
			int taken = 0;
			for (int t = 0; t < nt; t++)
				taken |= who[t] == i;
			if (taken || f->cur[i] < 0)
				continue;
			if (f->mode == CONSORT__FAIR_MIN_FIT &&
			    f->fit[i] >= f->p->min_fit - consort__min_fit_tolerance(f->p->min_fit))
				continue;
			if (w < 0 || f->fit[i] < f->fit[w])
				w = i;
		}
		if (w < 0)
			break;
		who[nt++] = w;
	}
	return nt;
}

static void step(fair *f)
{
	int who[FAIR_TARGETS];
	int nt = targets(f, who);
	f->have_best = 0;
	for (int t = 0; t < nt; t++) {
		int w = who[t], u = f->unit[w], own = f->cur[w];
		try_all_moves(f, u, own);
		for (int j = 0; j < f->n; j++) {
			if (f->unit[j] != j || j == u)
				continue; /* one try per unit */
			if (f->cur[j] != own)
				try_swap(f, u, j);
		}
		/* Members who weigh on w leave its consortium. */
		for (int j = 0; j < f->n; j++) {
			if (f->unit[j] != j || j == u || f->cur[j] != own)
				continue;
			double pull = 0;
			for (int i = 0; i < f->n; i++)
				if (f->unit[i] == j)
					pull += f->p->w[(size_t)w * f->n + i];
			if (pull < 0)
				try_all_moves(f, j, own);
		}
	}
}

int consort__fair_improve(const consort__problem *p, int *assign, int *k, consort__fair_mode mode,
	long max_steps, double time_limit)
{
	fair f = {.p = p, .mode = mode, .n = p->n};
	consort__problem *relaxed = NULL;
	if (mode == CONSORT__FAIR_MIN_FIT && p->has_min_fit) {
		if (!(relaxed = consort__problem_clone(p)))
			return -1;
		relaxed->has_min_fit = 0;
	}
	f.rules = relaxed ? relaxed : p;
	size_t sz = (size_t)(p->n ? p->n : 1);
	f.unit = malloc(sz * sizeof(int));
	f.cur = malloc(sz * sizeof(int));
	f.cand = malloc(sz * sizeof(int));
	f.best = malloc(sz * sizeof(int));
	f.fit = malloc(sz * sizeof(double));
	int rc = -1;
	if (!f.unit || !f.cur || !f.cand || !f.best || !f.fit)
		goto done;
	for (int i = 0; i < p->n; i++)
		f.unit[i] = i;
	for (int t = 0; t < p->ntogether; t++) {
		int a = find(f.unit, p->together[t][0]), b = find(f.unit, p->together[t][1]);
		if (a != b)
			f.unit[a > b ? a : b] = a < b ? a : b;
	}
	for (int i = 0; i < p->n; i++)
		f.unit[i] = find(f.unit, i); /* the lowest member of each component */
	double maxw = 0;
	for (size_t i = 0; i < (size_t)p->n * (size_t)p->n; i++)
		maxw = fmax(maxw, fabs(p->w[i]));
	f.eps = 1e-9 * fmax(1, maxw);
	memcpy(f.cur, assign, (size_t)p->n * sizeof(int));
	f.k = *k;
	key_of(&f, f.cur, &f.key1, &f.key2);
	double t0 = now();
	for (long s = 0; max_steps <= 0 || s < max_steps; s++) {
		if (time_limit > 0 && now() - t0 >= time_limit)
			break;
		step(&f);
		if (!f.have_best)
			break;
		memcpy(f.cur, f.best, (size_t)p->n * sizeof(int));
		f.k = f.best_k;
		f.key1 = f.best1;
		f.key2 = f.best2;
	}
	memcpy(assign, f.cur, (size_t)p->n * sizeof(int));
	*k = f.k;
	rc = consort__problem_feasible(p, assign, *k, NULL, 0);
done:
	consort__problem_free(relaxed);
	free(f.unit);
	free(f.cur);
	free(f.cand);
	free(f.best);
	free(f.fit);
	return rc;
}
