/* The advice's fields in the consort-proposal/1 JSON (formats.md section 3):
 * consortia[].fits, fairness, stability, and on request why, compare, confidence. */
#include "analysis/advice.h"
#include "error.h"
#include "proposal.h"
#include "io/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Top pairs across proposed consortia listed under confidence.pairs. */
#define CONF_PAIRS_ACROSS 20

/* A number with at most 6 decimals, no float noise, locale-free. */
static cJSON *num(double x)
{
	if (!isfinite(x))
		return cJSON_CreateNull();
	char buf[64];
	double r = round(x * 1e6) / 1e6;
	if (r == 0)
		r = 0; /* no "-0" */
	snprintf(buf, sizeof(buf), "%.6f", r);
	for (char *c = buf; *c; c++)
		if (*c == ',')
			*c = '.';
	char *end = buf + strlen(buf) - 1;
	while (end > buf && *end == '0' && end[-1] != '.')
		*end-- = '\0';
	return cJSON_CreateRaw(buf);
}

static int add(cJSON *obj, const char *key, cJSON *item)
{
	if (!item)
		return -1;
	if (!cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		return -1;
	}
	return 0;
}

static int push(cJSON *arr, cJSON *item)
{
	if (!item)
		return -1;
	if (!cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		return -1;
	}
	return 0;
}

static const char *id(const consort_advice *a, size_t i)
{
	return consort_session_participant(a->s, i)->id;
}

/* Consortium numbers count from 1 in the order of "consortia"; outside is null. */
static cJSON *place(int c)
{
	return c < 0 ? cJSON_CreateNull() : cJSON_CreateNumber(c + 1);
}

static int add_fits(cJSON *root, const consort_advice *a)
{
	cJSON *cons = cJSON_GetObjectItemCaseSensitive(root, "consortia");
	int c = 0;
	cJSON *item;
	cJSON_ArrayForEach(item, cons) {
		cJSON *fits = cJSON_CreateObject();
		if (add(item, "fits", fits) < 0)
			return -1;
		size_t nm;
		const size_t *m = consort_proposal_members(a->p, (size_t)c, &nm);
		for (size_t x = 0; x < nm; x++)
			if (add(fits, id(a, m[x]), num(consort_advice_fit(a, m[x], c))) < 0)
				return -1;
		c++;
	}
	return 0;
}

static cJSON *ids(const consort_advice *a, const size_t *v, size_t n)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; arr && i < n; i++)
		if (push(arr, cJSON_CreateString(id(a, v[i]))) < 0) {
			cJSON_Delete(arr);
			return NULL;
		}
	return arr;
}

static int add_fairness(cJSON *root, const consort_advice *a)
{
	const consort_fairness *f = &a->fair;
	cJSON *o = cJSON_CreateObject();
	if (add(root, "fairness", o) < 0)
		return -1;
	int none = f->placed == 0;
	if (add(o, "min_fit", none ? cJSON_CreateNull() : num(f->min_fit)) < 0 ||
	    add(o, "mean_fit", none ? cJSON_CreateNull() : num(f->mean_fit)) < 0 ||
	    add(o, "max_fit", none ? cJSON_CreateNull() : num(f->max_fit)) < 0 ||
	    add(o, "spread", none ? cJSON_CreateNull() : num(f->spread)) < 0 ||
	    add(o, "weakest", ids(a, f->weakest, f->nweakest)) < 0)
		return -1;
	return 0;
}

static cJSON *mover_json(const consort_advice *a, const consort_mover *m)
{
	cJSON *o = cJSON_CreateObject();
	if (!o || add(o, "id", cJSON_CreateString(id(a, m->member))) < 0 || add(o, "from", place(m->from)) < 0 ||
	    add(o, "to", place(m->to)) < 0 || add(o, "fit", num(m->fit)) < 0 ||
	    add(o, "fit_there", num(m->fit_there)) < 0 || add(o, "gain", num(m->fit_there - m->fit)) < 0 ||
	    add(o, "feasible", cJSON_CreateBool(m->feasible)) < 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static cJSON *pair_json(const consort_advice *a, const consort_pair_gain *g)
{
	cJSON *o = cJSON_CreateObject();
	if (!o || add(o, "kind", cJSON_CreateString(g->kind == CONSORT_PAIR_SWAP ? "swap" : "together")) < 0 ||
	    add(o, "a", cJSON_CreateString(id(a, g->a))) < 0 || add(o, "b", cJSON_CreateString(id(a, g->b))) < 0 ||
	    add(o, "a_from", place(g->from_a)) < 0 || add(o, "a_to", place(g->to_a)) < 0 ||
	    add(o, "b_from", place(g->from_b)) < 0 || add(o, "b_to", place(g->to_b)) < 0 ||
	    add(o, "a_gain", num(g->gain_a)) < 0 || add(o, "b_gain", num(g->gain_b)) < 0 ||
	    add(o, "feasible", cJSON_CreateBool(g->feasible)) < 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int add_stability(cJSON *root, const consort_advice *a)
{
	cJSON *o = cJSON_CreateObject(), *movers, *pairs;
	if (add(root, "stability", o) < 0 || add(o, "stable", cJSON_CreateBool(consort_advice_stable(a))) < 0 ||
	    add(o, "movers", movers = cJSON_CreateArray()) < 0)
		return -1;
	for (size_t k = 0; k < a->nmovers; k++)
		if (push(movers, mover_json(a, &a->movers[k])) < 0)
			return -1;
	if (!a->pairs_checked)
		return add(o, "pairs", cJSON_CreateNull());
	if (add(o, "pairs", pairs = cJSON_CreateArray()) < 0)
		return -1;
	for (size_t k = 0; k < a->npairs; k++)
		if (push(pairs, pair_json(a, &a->pairs[k])) < 0)
			return -1;
	return 0;
}

static cJSON *reasons_json(const consort_advice *a, const consort_why_pair *r, size_t n)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t k = 0; arr && k < n; k++) {
		cJSON *o = cJSON_CreateObject();
		if (push(arr, o) < 0 || add(o, "id", cJSON_CreateString(id(a, r[k].other))) < 0 ||
		    add(o, "weight", num(r[k].weight)) < 0 ||
		    add(o, "given", r[k].has_given ? num(r[k].given) : cJSON_CreateNull()) < 0 ||
		    add(o, "got", r[k].has_got ? num(r[k].got) : cJSON_CreateNull()) < 0) {
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

static cJSON *move_json(const consort_move *m)
{
	cJSON *o = cJSON_CreateObject(), *blocked;
	if (!o || add(o, "to", place(m->to)) < 0 || add(o, "fit", num(m->fit)) < 0 ||
	    add(o, "change", num(m->change)) < 0 || add(o, "feasible", cJSON_CreateBool(m->feasible)) < 0 ||
	    add(o, "blocked_by", blocked = cJSON_CreateArray()) < 0)
		goto fail;
	for (size_t k = 0; k < m->nblocked; k++) {
		cJSON *h = cJSON_CreateObject();
		if (push(blocked, h) < 0 || add(h, "rule", cJSON_CreateString(m->blocked[k].rule)) < 0 ||
		    add(h, "detail", cJSON_CreateString(m->blocked[k].detail)) < 0)
			goto fail;
	}
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

static const char *verdict_name(consort_why_verdict v)
{
	switch (v) {
	case CONSORT_WHY_BLOCKED: return "blocked";
	case CONSORT_WHY_OPEN: return "open";
	default: return "best_home";
	}
}

static cJSON *why_json(const consort_advice *a, const consort_why *w)
{
	cJSON *o = cJSON_CreateObject(), *moves;
	if (!o || add(o, "id", cJSON_CreateString(id(a, w->member))) < 0 || add(o, "consortium", place(w->home)) < 0 ||
	    add(o, "fit", num(w->fit)) < 0 || add(o, "pull", reasons_json(a, w->pull, w->npull)) < 0 ||
	    add(o, "push", reasons_json(a, w->push, w->npush)) < 0 ||
	    add(o, "moves", moves = cJSON_CreateArray()) < 0)
		goto fail;
	for (size_t m = 0; m < w->nmoves; m++)
		if (push(moves, move_json(&w->moves[m])) < 0)
			goto fail;
	if (add(o, "best", w->best < 0 ? cJSON_CreateNull() : place(w->moves[w->best].to)) < 0 ||
	    add(o, "verdict", cJSON_CreateString(verdict_name(w->verdict))) < 0)
		goto fail;
	return o;
fail:
	cJSON_Delete(o);
	return NULL;
}

static int add_why(cJSON *root, const consort_advice *a)
{
	if (!a->why)
		return add(root, "why", cJSON_CreateNull());
	cJSON *arr = cJSON_CreateArray();
	if (add(root, "why", arr) < 0)
		return -1;
	for (int i = 0; i < a->n; i++)
		if ((a->why_only < 0 || a->why_only == i) && !a->absent[i] && push(arr, why_json(a, &a->why[i])) < 0)
			return -1;
	return 0;
}

static int add_compare(cJSON *root, const consort_advice *a)
{
	cJSON *o = cJSON_CreateObject();
	if (add(root, "compare", o) < 0 || add(o, "objective", num(a->cmp.objective)) < 0 ||
	    add(o, "difference", num(a->cmp.difference)) < 0 || add(o, "moved", ids(a, a->cmp.moved, a->cmp.nmoved)) < 0)
		return -1;
	return 0;
}

static cJSON *conf_pair(const consort_advice *a, size_t x, size_t y)
{
	cJSON *o = cJSON_CreateObject();
	if (!o || add(o, "a", cJSON_CreateString(id(a, x))) < 0 || add(o, "b", cJSON_CreateString(id(a, y))) < 0 ||
	    add(o, "together", num(consort_advice_together(a, x, y))) < 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* Pairs across proposed consortia, most often together first (ties in session order). */
static int add_across(cJSON *pairs, const consort_advice *a)
{
	size_t n = (size_t)a->n, best[CONF_PAIRS_ACROSS][2], nb = 0;
	for (size_t x = 0; x < n; x++)
		for (size_t y = x + 1; y < n; y++) {
			if (a->home[x] >= 0 && a->home[x] == a->home[y])
				continue;
			double t = consort_advice_together(a, x, y);
			if (t <= 0)
				continue;
			size_t pos = nb;
			while (pos > 0 && t > consort_advice_together(a, best[pos - 1][0], best[pos - 1][1]))
				pos--;
			if (pos >= CONF_PAIRS_ACROSS)
				continue;
			size_t last = nb < CONF_PAIRS_ACROSS ? nb : CONF_PAIRS_ACROSS - 1;
			memmove(&best[pos + 1], &best[pos], (last - pos) * sizeof(best[0]));
			best[pos][0] = x;
			best[pos][1] = y;
			if (nb < CONF_PAIRS_ACROSS)
				nb++;
		}
	for (size_t k = 0; k < nb; k++)
		if (push(pairs, conf_pair(a, best[k][0], best[k][1])) < 0)
			return -1;
	return 0;
}

static int add_confidence(cJSON *root, const consort_advice *a)
{
	cJSON *o = cJSON_CreateObject(), *members, *pairs;
	if (add(root, "confidence", o) < 0 || add(o, "samples", cJSON_CreateNumber((double)a->conf.samples)) < 0 ||
	    add(o, "seed", cJSON_CreateNumber((double)a->conf.seed)) < 0 ||
	    add(o, "solved", cJSON_CreateNumber((double)a->conf.solved)) < 0 ||
	    add(o, "proved", cJSON_CreateNumber((double)a->conf.proved)) < 0 ||
	    add(o, "members", members = cJSON_CreateObject()) < 0 || add(o, "pairs", pairs = cJSON_CreateArray()) < 0)
		return -1;
	size_t n = (size_t)a->n;
	for (size_t i = 0; i < n; i++) {
		double p = consort_advice_member_confidence(a, i);
		if (!isnan(p) && add(members, id(a, i), num(p)) < 0)
			return -1;
	}
	for (size_t x = 0; x < n; x++)
		for (size_t y = x + 1; y < n; y++)
			if (a->home[x] >= 0 && a->home[x] == a->home[y] && push(pairs, conf_pair(a, x, y)) < 0)
				return -1;
	return add_across(pairs, a);
}

int consort__advice_json(cJSON *root, const consort_proposal *p, const consort_session *s,
	const consort_advice *a, unsigned sections, consort_error *err)
{
	consort_advice *own = NULL;
	if (!a) {
		int rc = consort_advice_new(&own, p, s, err);
		if (rc < 0)
			return rc;
		a = own;
	}
	int rc = 0;
	if (a->solved) {
		if (add_fits(root, a) < 0 || add_fairness(root, a) < 0 || add_stability(root, a) < 0 ||
		    ((sections & CONSORT_ADVICE_WHY) && add_why(root, a) < 0) ||
		    ((sections & CONSORT_ADVICE_COMPARE) && a->compared && add_compare(root, a) < 0) ||
		    ((sections & CONSORT_ADVICE_CONFIDENCE) && a->confident && add_confidence(root, a) < 0))
			rc = consort__error_nomem(err);
	}
	consort_advice_free(own);
	return rc;
}

int consort_advice_to_json(char **out, const consort_advice *a, unsigned sections, consort_error *err)
{
	if (!out || !a)
		return consort__error(err, CONSORT_EUSAGE, "advice: no place for the result");
	*out = NULL;
	cJSON *root = consort__proposal_json(a->p, a->s);
	if (!root)
		return consort__error_nomem(err);
	int rc = consort__advice_json(root, a->p, a->s, a, sections, err);
	if (rc == 0)
		rc = consort__json_print(out, root, err);
	cJSON_Delete(root);
	return rc;
}
