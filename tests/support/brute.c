/* Exact brute force for small problems: every assignment is built and handed
 * to the shared checker; nothing clever, so it can be trusted as an oracle. */
#include "brute.h"

#include <stdlib.h>
#include <string.h>

typedef struct brute {
	const consort__problem *p;
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
	if (!b->p->everyone) {
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
	for (int c = b->p->everyone ? 0 : -1; c < b->p->nlots; c++) {
		b->cur[i] = c;
		labellings(b, i + 1);
	}
}

int brute_solve(const consort__problem *p, int *assign, int *k, double *best)
{
	if (p->n > BRUTE_MAX_N)
		return -1;
	brute b = {.p = p};
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
	if (b.found) {
		memcpy(assign, b.best_assign, (size_t)p->n * sizeof(int));
		*k = b.best_k;
		*best = b.best;
	}
	last_count = b.count;
	free(b.cur);
	free(b.best_assign);
	return b.found;
}

long brute_last_count(void)
{
	return last_count;
}
