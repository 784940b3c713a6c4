/* Exact brute force for small problems: every assignment is built and handed
 * to the shared checker; nothing clever, so it can be trusted as an oracle. */
#include "brute.h"

#include <stdlib.h>
#include <string.h>

typedef struct brute {
	const consort__problem *p;
	void (*fn)(const int *assign, int k, void *data);
	void *data;
	long feasible;
	int *cur, *best_assign;
	int best_k, found;
	double best;
	long count;
} brute;

static long last_count;

static void visit(brute *b, int k)
{
	b->count++;
	if (!consort__problem_feasible(b->p, b->cur, k, NULL, 0))
		return;
	b->feasible++;
	if (b->fn) {
		b->fn(b->cur, k, b->data);
		return;
	}
	double v = consort__problem_objective(b->p, b->cur);
	if (!b->found || v > b->best) {
		b->found = 1;
		b->best = v;
		b->best_k = k;
		memcpy(b->best_assign, b->cur, (size_t)b->p->n * sizeof(int));
	}
}

/* Set partitions of participants i..n-1 as restricted growth strings: i joins
 * one of the k blocks opened so far or opens block k. More than kmax blocks
 * can never become feasible, which is the only pruning done. */
static void partitions(brute *b, int i, int k)
{
	if (k > b->p->kmax)
		return;
	if (i == b->p->n) {
		visit(b, k);
		return;
	}
	if (!b->p->everyone || (b->p->absent && b->p->absent[i])) {
		b->cur[i] = -1;
		partitions(b, i + 1, k);
	}
	for (int c = 0; c <= k; c++) {
		b->cur[i] = c;
		partitions(b, i + 1, c == k ? k + 1 : k);
	}
}

/* With lots consortium g is lot g, so labels are not interchangeable. */
static void labellings(brute *b, int i)
{
	if (i == b->p->n) {
		visit(b, b->p->nlots);
		return;
	}
	int may_stay_out = !b->p->everyone || (b->p->absent && b->p->absent[i]);
	for (int c = may_stay_out ? -1 : 0; c < b->p->nlots; c++) {
		b->cur[i] = c;
		labellings(b, i + 1);
	}
}

static int run_brute(brute *b, const consort__problem *p);

int brute_solve(const consort__problem *p, int *assign, int *k, double *best)
{
	brute b = {.p = p};
	if (run_brute(&b, p) < 0)
		return -1;
	if (b.found) {
		memcpy(assign, b.best_assign, (size_t)p->n * sizeof(int));
		*k = b.best_k;
		*best = b.best;
	}
	free(b.cur);
	free(b.best_assign);
	return b.found;
}

long brute_each(const consort__problem *p, void (*fn)(const int *assign, int k, void *data), void *data)
{
	brute b = {.p = p, .fn = fn, .data = data};
	if (run_brute(&b, p) < 0)
		return -1;
	free(b.cur);
	free(b.best_assign);
	return b.feasible;
}

typedef struct lex {
	const consort__problem *p;
	int found, k;
	double min_fit, total;
	int *assign;
} lex;

static void lex_visit(const int *assign, int k, void *data)
{
	lex *l = data;
	double m = consort__problem_min_fit(l->p, assign), t = consort__problem_objective(l->p, assign);
	if (!l->found || m > l->min_fit || (m == l->min_fit && t > l->total)) {
		l->found = 1;
		l->min_fit = m;
		l->total = t;
		l->k = k;
		memcpy(l->assign, assign, (size_t)l->p->n * sizeof(int));
	}
}

int brute_solve_maxmin(const consort__problem *p, int *assign, int *k, double *min_fit, double *total)
{
	lex l = {.p = p, .assign = assign};
	if (brute_each(p, lex_visit, &l) < 0)
		return -1;
	if (l.found) {
		*k = l.k;
		*min_fit = l.min_fit;
		*total = l.total;
	}
	return l.found;
}

/* Runs the enumeration; the caller frees b->cur and b->best_assign. */
static int run_brute(brute *bp, const consort__problem *p)
{
	if (p->n > BRUTE_MAX_N)
		return -1;
	brute b = *bp;
	b.cur = malloc((size_t)(p->n + 1) * sizeof(int));
	b.best_assign = malloc((size_t)(p->n + 1) * sizeof(int));
	if (!b.cur || !b.best_assign) {
		free(b.cur);
		free(b.best_assign);
		return -1;
	}
	if (p->nlots > 0)
		labellings(&b, 0);
	else
		partitions(&b, 0, 0);
	last_count = b.count;
	*bp = b;
	return 0;
}

long brute_last_count(void)
{
	return last_count;
}
