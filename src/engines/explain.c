/* Explaining infeasibility: a small set of rules that cannot all hold
 * together, found by a deletion filter (Chinneck & Dravnieks, ORSA J. Computing
 * 3, 1991): each rule is dropped in turn and stays dropped while the rest are
 * still infeasible. Each feasibility test first gives the combinatorial branch
 * and bound EXPLAIN_BNB_NODES nodes, stopping at its first solution (its
 * propagation proves most clashes of counts at once, and a found proposal
 * proves feasibility), then tries the heuristic until its first proposal,
 * then GLPK. */
#include "engines/explain.h"
#include "engines/bnb.h"
#include "engines/heuristic.h"
#include "engines/ilp.h"
#include "error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}


/* Nodes the branch and bound gets per feasibility test before the heuristic
 * and GLPK: enough to settle the clashes of counts, sizes and services that
 * infeasible workshop rules usually are, a few milliseconds. */
#define EXPLAIN_BNB_NODES 50000L

typedef enum { R_COUNT, R_EVERYONE, R_SIZE_MIN, R_SIZE_MAX, R_SEC_MIN, R_SEC_MAX, R_COVER,
	R_TOGETHER, R_APART, R_MIN_FIT, R_FIXED } rule_kind;

typedef struct rule_item {
	rule_kind kind;
	int group; /* lot index, or 0 for the global rules without lots */
	int idx;   /* sector, service or pair index */
} rule_item;

static consort__group *group_of(consort__problem *p, int g)
{
	return p->nlots ? &p->lot[g] : &p->global;
}

/* Every rule of p that restricts anything, as a list of items. */
static int list_rules(rule_item **out, const consort__problem *p)
{
	int ngroups = p->nlots ? p->nlots : 1;
	size_t cap = 2 + (size_t)ngroups * (2 + 2 * (size_t)p->nsec + (size_t)p->nserv) +
		(size_t)p->ntogether + (size_t)p->napart + 1 + (size_t)p->n;
	rule_item *it = malloc(cap * sizeof(*it));
	if (!it)
		return -1;
	int k = 0;
	if (!p->nlots && (p->kmin > (p->everyone && p->n > 0 ? 1 : 0) || p->kmax < p->n))
		it[k++] = (rule_item){R_COUNT, 0, 0};
	if (p->everyone)
		it[k++] = (rule_item){R_EVERYONE, 0, 0};
	for (int g = 0; g < ngroups; g++) {
		const consort__group *G = consort__problem_group(p, g);
		if (G->size_min > 1)
			it[k++] = (rule_item){R_SIZE_MIN, g, 0};
		if (G->size_max < p->n)
			it[k++] = (rule_item){R_SIZE_MAX, g, 0};
		for (int s = 0; s < p->nsec; s++) {
			if (G->sec_min[s] > 0)
				it[k++] = (rule_item){R_SEC_MIN, g, s};
			if (G->sec_max[s] < p->n)
				it[k++] = (rule_item){R_SEC_MAX, g, s};
		}
		for (int c = 0; c < G->ncover; c++)
			it[k++] = (rule_item){R_COVER, g, G->cover[c]};
	}
	for (int t = 0; t < p->ntogether; t++)
		it[k++] = (rule_item){R_TOGETHER, 0, t};
	for (int t = 0; t < p->napart; t++)
		it[k++] = (rule_item){R_APART, 0, t};
	if (p->has_min_fit)
		it[k++] = (rule_item){R_MIN_FIT, 0, 0};
	for (int i = 0; p->fixed && i < p->n; i++)
		if (p->fixed[i] != CONSORT__FREE)
			it[k++] = (rule_item){R_FIXED, 0, i};
	*out = it;
	return k;
}

static void relax(consort__problem *c, const rule_item *r)
{
	consort__group *G = group_of(c, r->group);
	switch (r->kind) {
	case R_COUNT:
		c->kmin = c->everyone && c->n > 0 ? 1 : 0;
		c->kmax = c->n;
		break;
	case R_EVERYONE:
		c->everyone = 0;
		if (!c->nlots && c->kmin == 1 && c->kmax == c->n)
			c->kmin = 0;
		break;
	case R_SIZE_MIN: G->size_min = 1; break;
	case R_SIZE_MAX: G->size_max = c->n; break;
	case R_SEC_MIN: G->sec_min[r->idx] = 0; break;
	case R_SEC_MAX: G->sec_max[r->idx] = c->n; break;
	case R_COVER: {
		int k = 0;
		for (int t = 0; t < G->ncover; t++)
			if (G->cover[t] != r->idx)
				G->cover[k++] = G->cover[t];
		G->ncover = k;
		break;
	}
	case R_TOGETHER: c->together[r->idx][0] = -1; break;
	case R_APART: c->apart[r->idx][0] = -1; break;
	case R_MIN_FIT: c->has_min_fit = 0; break;
	case R_FIXED: c->fixed[r->idx] = CONSORT__FREE; break;
	}
}

static int compact_pairs(int (*pairs)[2], int np)
{
	int k = 0;
	for (int t = 0; t < np; t++)
		if (pairs[t][0] >= 0) {
			pairs[k][0] = pairs[t][0];
			pairs[k][1] = pairs[t][1];
			k++;
		}
	return k;
}

/* 1 infeasible, 0 feasible, 2 unknown (time), negative on error. */
static int test_rules(const consort__problem *p, const rule_item *items, const unsigned char *dropped,
	int nitems, double time_limit, consort_error *err)
{
	consort__problem *c = consort__problem_clone(p);
	if (!c)
		return consort__error_nomem(err);
	for (int i = 0; i < nitems; i++)
		if (dropped[i])
			relax(c, &items[i]);
	c->ntogether = compact_pairs(c->together, c->ntogether);
	c->napart = compact_pairs(c->apart, c->napart);
	c->maxmin = 0; /* feasibility only: the objective does not matter */
	if (consort__bnb_supported(c)) {
		consort__bnb_options bo;
		consort__bnb_options_init(&bo);
		bo.node_limit = EXPLAIN_BNB_NODES;
		bo.first_feasible = 1;
		bo.time_limit = time_limit;
		consort__bnb_result br;
		int rc = consort__bnb_solve(&br, c, &bo, err);
		int verdict = rc < 0 ? rc : br.status == CONSORT_STATUS_INFEASIBLE ? 1 : br.assign ? 0 : 2;
		if (rc == 0)
			consort__bnb_result_dispose(&br);
		if (verdict != 2) {
			consort__problem_free(c);
			return verdict;
		}
	}
	int *assign = malloc((size_t)(c->n ? c->n : 1) * sizeof(int));
	if (!assign) {
		consort__problem_free(c);
		return consort__error_nomem(err);
	}
	consort__heur_options h;
	consort__heur_options_init(&h);
	h.max_iters = 1000L + 100L * c->n;
	h.time_limit = time_limit > 0 ? time_limit / 10 : 1;
	h.has_target = 1; /* any proposal that meets the rules will do */
	h.target = -HUGE_VAL;
	int k;
	double obj;
	int found = consort__heuristic_solve(c, &h, assign, &k, &obj, err);
	free(assign);
	if (found != 0) {
		consort__problem_free(c);
		return found < 0 ? found : 0;
	}
	consort__ilp_options o;
	consort__ilp_options_init(&o);
	o.feasibility = 1;
	o.time_limit = time_limit;
	consort__ilp_result res;
	int rc = consort__ilp_solve(&res, c, &o, err);
	consort__problem_free(c);
	if (rc < 0)
		return rc;
	rc = res.status == CONSORT_STATUS_INFEASIBLE ? 1 : res.assign ? 0 : 2;
	consort__ilp_result_dispose(&res);
	return rc;
}

static char *describe_rule(const consort__problem *p, const rule_item *r)
{
	char where[96], buf[256];
	const consort__group *G = consort__problem_group(p, r->group);
	if (p->nlots)
		snprintf(where, sizeof(where), "rules.lots[%s].", p->lot_name ? p->lot_name[r->group] : "?");
	else
		snprintf(where, sizeof(where), "rules.");
	const char *sec = p->sector_name ? p->sector_name[r->idx] : "?";
	switch (r->kind) {
	case R_COUNT:
		if (p->kmin == p->kmax)
			snprintf(buf, sizeof(buf), "rules.consortia = %d", p->kmin);
		else
			snprintf(buf, sizeof(buf), "rules.consortia = %d..%d", p->kmin, p->kmax);
		break;
	case R_EVERYONE: snprintf(buf, sizeof(buf), "rules.everyone = true (%d participants)", p->n); break;
	case R_SIZE_MIN: snprintf(buf, sizeof(buf), "%ssize.min = %d", where, G->size_min); break;
	case R_SIZE_MAX: snprintf(buf, sizeof(buf), "%ssize.max = %d", where, G->size_max); break;
	case R_SEC_MIN: snprintf(buf, sizeof(buf), "%ssectors.%s.min = %d", where, sec, G->sec_min[r->idx]); break;
	case R_SEC_MAX: snprintf(buf, sizeof(buf), "%ssectors.%s.max = %d", where, sec, G->sec_max[r->idx]); break;
	case R_COVER:
		snprintf(buf, sizeof(buf), "%scover: %s", where, p->service_name ? p->service_name[r->idx] : "?");
		break;
	case R_TOGETHER:
	case R_APART: {
		const int *pr = r->kind == R_TOGETHER ? p->together[r->idx] : p->apart[r->idx];
		const char *what = r->kind == R_TOGETHER ? "together" : "apart";
		if (p->id)
			snprintf(buf, sizeof(buf), "rules.%s: %s + %s", what, p->id[pr[0]], p->id[pr[1]]);
		else
			snprintf(buf, sizeof(buf), "rules.%s: %d + %d", what, pr[0], pr[1]);
		break;
	}
	case R_MIN_FIT: snprintf(buf, sizeof(buf), "rules.min_fit = %g", p->min_fit); break;
	case R_FIXED: {
		int f = p->fixed[r->idx];
		const char *lot = f >= 0 && p->lot_name ? p->lot_name[f] : f >= 0 ? "?" : "outside";
		if (p->id)
			snprintf(buf, sizeof(buf), "rules.fixed: %s = %s", p->id[r->idx], lot);
		else
			snprintf(buf, sizeof(buf), "rules.fixed: %d = %s", r->idx, lot);
		break;
	}
	}
	size_t len = strlen(buf) + 1;
	char *s = malloc(len);
	if (s)
		memcpy(s, buf, len);
	return s;
}

int consort__explain(char ***items_out, int *nitems_out, const consort__problem *p,
	double time_limit, consort_error *err)
{
	*items_out = NULL;
	*nitems_out = 0;
	rule_item *items = NULL;
	int n = list_rules(&items, p);
	if (n < 0)
		return consort__error_nomem(err);
	unsigned char *dropped = calloc((size_t)n + 1, 1);
	if (!dropped) {
		free(items);
		return consort__error_nomem(err);
	}
	double deadline = time_limit > 0 ? now() + time_limit : 0;
	int rc = 0;
	/* Deletion filter: drop each rule in turn; keep it dropped while the rest
	 * stay infeasible. What is left clashes, and each of it is needed to clash
	 * (unless the deadline cut the filter short). */
	for (int i = 0; i < n; i++) {
		double left = deadline > 0 ? deadline - now() : 0;
		if (deadline > 0 && left <= 0)
			break;
		dropped[i] = 1;
		int t = test_rules(p, items, dropped, n, deadline > 0 ? left : 0, err);
		if (t < 0) {
			rc = t;
			break;
		}
		if (t != 1)
			dropped[i] = 0;
	}
	char **out = rc == 0 ? calloc((size_t)n + 1, sizeof(char *)) : NULL;
	int k = 0;
	if (rc == 0 && !out)
		rc = consort__error_nomem(err);
	for (int i = 0; rc == 0 && i < n; i++) {
		if (dropped[i])
			continue;
		if (!(out[k] = describe_rule(p, &items[i]))) {
			rc = consort__error_nomem(err);
			break;
		}
		k++;
	}
	if (rc < 0) {
		for (int i = 0; out && i < k; i++)
			free(out[i]);
		free(out);
	} else {
		*items_out = out;
		*nitems_out = k;
	}
	free(items);
	free(dropped);
	return rc;
}
