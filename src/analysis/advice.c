/* The analysis of a proposal: every member's fit to every consortium, the
 * fairness of the fits, and for each member why it is where it is (the pairs
 * that pull and push, and what moving alone elsewhere would do and break). */
#include "analysis/advice.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REASONS 3

static double tol(double x)
{
	return 1e-9 * fmax(1.0, fabs(x));
}

static void why_free(consort_why *w)
{
	free((void *)w->pull);
	free((void *)w->push);
	for (size_t m = 0; m < w->nmoves; m++) {
		consort__hits h = {(consort_rule_hit *)w->moves[m].blocked, w->moves[m].nblocked, 0, 0};
		consort__hits_free(&h);
	}
	free((void *)w->moves);
}

void consort_advice_free(consort_advice *a)
{
	if (!a)
		return;
	if (a->why)
		for (int i = 0; i < a->n; i++)
			why_free(&a->why[i]);
	free(a->why);
	consort__problem_free(a->pb);
	free(a->home);
	free(a->absent);
	free(a->fitto);
	free(a->size);
	free(a->scratch);
	free(a->seccount);
	free(a->list);
	free(a->weakest);
	free(a->movers);
	free(a->pairs);
	free(a->moved);
	free(a->together);
	free(a->mconf);
	free(a);
}

/* The proposal must place every participant of s once. */
static int read_homes(consort_advice *a, consort_error *err)
{
	size_t n = consort_session_count(a->s), nout;
	for (size_t i = 0; i < n; i++)
		a->home[i] = -2;
	for (int c = 0; c < a->k; c++) {
		size_t nm;
		const size_t *m = consort_proposal_members(a->p, (size_t)c, &nm);
		for (size_t x = 0; x < nm; x++) {
			if (m[x] >= n || a->home[m[x]] != -2)
				return consort__error(err, CONSORT_EUSAGE, "advice: the proposal was not made for this session");
			a->home[m[x]] = c;
			a->size[c]++;
		}
	}
	const size_t *out = consort_proposal_outside(a->p, &nout);
	for (size_t x = 0; x < nout; x++) {
		if (out[x] >= n || a->home[out[x]] != -2)
			return consort__error(err, CONSORT_EUSAGE, "advice: the proposal was not made for this session");
		a->home[out[x]] = -1;
	}
	/* Listed nowhere: absent from the session (rules.absent), out of the analysis. */
	for (size_t i = 0; i < n; i++)
		if (a->home[i] == -2) {
			a->home[i] = -1;
			a->absent[i] = 1;
		}
	return 0;
}

static void compute_fits(consort_advice *a)
{
	int n = a->n, k = a->k;
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			if (j != i && a->home[j] >= 0)
				a->fitto[(size_t)i * (size_t)k + (size_t)a->home[j]] += a->pb->w[(size_t)i * (size_t)n + (size_t)j];
}

static int compute_fairness(consort_advice *a)
{
	consort_fairness *f = &a->fair;
	double sum = 0;
	for (int i = 0; i < a->n; i++) {
		if (a->home[i] < 0)
			continue;
		double fit = consort_advice_fit(a, (size_t)i, a->home[i]);
		if (!f->placed || fit < f->min_fit)
			f->min_fit = fit;
		if (!f->placed || fit > f->max_fit)
			f->max_fit = fit;
		sum += fit;
		f->placed++;
	}
	if (!f->placed)
		return 0;
	f->mean_fit = sum / (double)f->placed;
	f->spread = f->max_fit - f->min_fit;
	a->weakest = malloc(f->placed * sizeof(size_t));
	if (!a->weakest)
		return -1;
	for (int i = 0; i < a->n; i++)
		if (a->home[i] >= 0 && consort_advice_fit(a, (size_t)i, a->home[i]) <= f->min_fit + tol(f->min_fit))
			a->weakest[f->nweakest++] = (size_t)i;
	f->weakest = a->weakest;
	return 0;
}

static consort_why_pair reason(const consort_advice *a, size_t i, size_t j)
{
	consort_why_pair r = {j, a->pb->w[i * (size_t)a->n + j], 0, 0, 0, 0};
	r.has_given = consort_session_score(a->s, i, j, &r.given) == 0;
	r.has_got = consort_session_score(a->s, j, i, &r.got) == 0;
	return r;
}

/* The strongest positive and the weakest negative pairs of i inside its consortium. */
static int why_pairs(consort_advice *a, consort_why *w)
{
	consort_why_pair *pull = calloc(MAX_REASONS, sizeof(*pull)), *push = calloc(MAX_REASONS, sizeof(*push));
	w->pull = pull;
	w->push = push;
	if (!pull || !push)
		return -1;
	if (w->home < 0)
		return 0;
	size_t nm;
	const size_t *m = consort_proposal_members(a->p, (size_t)w->home, &nm);
	for (size_t x = 0; x < nm; x++) {
		if (m[x] == w->member)
			continue;
		consort_why_pair r = reason(a, w->member, m[x]);
		/* Insertion into the sorted top lists (members are in session order: ties keep it). */
		consort_why_pair *list = r.weight > 0 ? pull : r.weight < 0 ? push : NULL;
		size_t *cnt = r.weight > 0 ? &w->npull : &w->npush;
		if (!list)
			continue;
		size_t pos = *cnt;
		while (pos > 0 && (r.weight > 0 ? r.weight > list[pos - 1].weight : r.weight < list[pos - 1].weight))
			pos--;
		if (pos >= MAX_REASONS)
			continue;
		size_t last = *cnt < MAX_REASONS ? *cnt : MAX_REASONS - 1;
		memmove(&list[pos + 1], &list[pos], (last - pos) * sizeof(*list));
		list[pos] = r;
		if (*cnt < MAX_REASONS)
			(*cnt)++;
	}
	return 0;
}

/* Every single move of i: to each other consortium, and outside when allowed. */
static int why_moves(consort_advice *a, consort_why *w)
{
	int i = (int)w->member;
	size_t cap = (size_t)a->k + 1;
	consort_move *moves = calloc(cap, sizeof(*moves));
	int *after = malloc((size_t)a->n * sizeof(int));
	w->moves = moves;
	if (!moves || !after) {
		free(after);
		return -1;
	}
	memcpy(after, a->home, (size_t)a->n * sizeof(int));
	for (int c = (w->home < 0 ? 0 : -1); c < a->k; c++) {
		if (c == w->home || (c < 0 && a->pb->everyone))
			continue;
		consort_move *mv = &moves[w->nmoves++];
		consort__hits h = {NULL, 0, 0, 0};
		after[i] = c;
		mv->to = c;
		mv->fit = c < 0 ? 0 : consort_advice_fit(a, (size_t)i, c);
		mv->change = mv->fit - w->fit;
		int ok = consort__move_check(a, after, &i, 1, &h);
		mv->blocked = h.v;
		mv->nblocked = h.n;
		if (ok < 0) {
			free(after);
			return -1;
		}
		mv->feasible = ok;
	}
	free(after);
	/* Outside last, as documented. */
	if (w->nmoves && moves[0].to < 0) {
		consort_move out = moves[0];
		memmove(&moves[0], &moves[1], (w->nmoves - 1) * sizeof(*moves));
		moves[w->nmoves - 1] = out;
	}
	w->best = -1;
	for (size_t m = 0; m < w->nmoves; m++)
		if (w->best < 0 || moves[m].fit > moves[w->best].fit + tol(moves[m].fit))
			w->best = (int)m;
	w->verdict = CONSORT_WHY_BEST_HOME;
	if (w->best >= 0 && moves[w->best].fit > w->fit + tol(w->fit))
		w->verdict = moves[w->best].feasible ? CONSORT_WHY_OPEN : CONSORT_WHY_BLOCKED;
	return 0;
}

static int compute_why(consort_advice *a)
{
	if ((double)a->n * (double)a->k > CONSORT_ADVICE_WHY_MAX)
		return 0; /* too many moves to keep: consort_advice_why returns NULL */
	a->why = calloc((size_t)a->n ? (size_t)a->n : 1, sizeof(*a->why));
	if (!a->why)
		return -1;
	for (int i = 0; i < a->n; i++) {
		consort_why *w = &a->why[i];
		w->member = (size_t)i;
		w->home = a->home[i];
		w->fit = w->home >= 0 ? consort_advice_fit(a, (size_t)i, w->home) : 0;
		w->best = -1;
		if (why_pairs(a, w) < 0 || (!a->absent[i] && why_moves(a, w) < 0))
			return -1;
	}
	return 0;
}

int consort_advice_new(consort_advice **out, const consort_proposal *p, const consort_session *s,
	consort_error *err)
{
	if (!out)
		return consort__error(err, CONSORT_EUSAGE, "advice: no place for the result");
	*out = NULL;
	if (!p || !s)
		return consort__error(err, CONSORT_EUSAGE, "advice: no proposal or session given");
	consort_advice *a = calloc(1, sizeof(*a));
	if (!a)
		return consort__error_nomem(err);
	a->p = p;
	a->s = s;
	a->why_only = -1;
	int rc = consort__problem_build(&a->pb, s, err);
	if (rc < 0) {
		consort_advice_free(a);
		return rc;
	}
	consort_status st = consort_proposal_status(p);
	a->solved = st == CONSORT_STATUS_OPTIMAL || st == CONSORT_STATUS_FEASIBLE;
	a->n = a->pb->n;
	a->k = a->solved ? (int)consort_proposal_count(p) : 0;
	size_t n = (size_t)a->n, k = (size_t)a->k;
	a->home = malloc((n ? n : 1) * sizeof(int));
	a->scratch = malloc((n ? n : 1) * sizeof(int));
	a->absent = calloc(n ? n : 1, 1);
	a->list = malloc((n ? n : 1) * sizeof(int));
	a->fitto = calloc(n * k > 0 ? n * k : 1, sizeof(double));
	a->size = calloc(k ? k : 1, sizeof(int));
	a->seccount = calloc((size_t)(a->pb->nsec ? a->pb->nsec : 1), sizeof(int));
	if (!a->home || !a->absent || !a->list || !a->scratch || !a->fitto || !a->size || !a->seccount) {
		consort_advice_free(a);
		return consort__error_nomem(err);
	}
	if (!a->solved) {
		for (size_t i = 0; i < n; i++)
			a->home[i] = -1;
		*out = a;
		return 0;
	}
	if ((rc = read_homes(a, err)) < 0) {
		consort_advice_free(a);
		return rc;
	}
	compute_fits(a);
	if (compute_fairness(a) < 0 || compute_why(a) < 0 || consort__advice_stability(a) < 0) {
		consort_advice_free(a);
		return consort__error_nomem(err);
	}
	*out = a;
	return 0;
}

double consort_advice_fit(const consort_advice *a, size_t i, int c)
{
	if (c < 0 || c >= a->k || i >= (size_t)a->n)
		return 0;
	return a->fitto[i * (size_t)a->k + (size_t)c];
}

int consort_advice_home(const consort_advice *a, size_t i)
{
	return i < (size_t)a->n ? a->home[i] : CONSORT_OUTSIDE;
}

const consort_fairness *consort_advice_fairness(const consort_advice *a)
{
	return &a->fair;
}

const consort_why *consort_advice_why(const consort_advice *a, size_t i)
{
	return a->why && i < (size_t)a->n ? &a->why[i] : NULL;
}

void consort_advice_why_only(consort_advice *a, long member)
{
	a->why_only = member;
}

int consort_advice_stable(const consort_advice *a)
{
	return a->nmovers == 0 && a->npairs == 0;
}

size_t consort_advice_mover_count(const consort_advice *a) { return a->nmovers; }
size_t consort_advice_pair_count(const consort_advice *a) { return a->npairs; }
int consort_advice_pairs_checked(const consort_advice *a) { return a->pairs_checked; }

const consort_mover *consort_advice_mover(const consort_advice *a, size_t k)
{
	return k < a->nmovers ? &a->movers[k] : NULL;
}

const consort_pair_gain *consort_advice_pair(const consort_advice *a, size_t k)
{
	return k < a->npairs ? &a->pairs[k] : NULL;
}
