/* The engine-facing problem: weights plus rules resolved to integer indexes,
 * and the one feasibility checker every engine and test trusts. */
#include "problem.h"
#include "session.h"
#include "error.h"
#include "consort/scoring.h"
#include "analysis/distance.h"

#include <math.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growable list of distinct borrowed names. */
typedef struct names {
	const char **v;
	int n, cap;
} names;

static int names_find(const names *ns, const char *s)
{
	for (int i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], s) == 0)
			return i;
	return -1;
}

static int names_add(names *ns, const char *s)
{
	int i = names_find(ns, s);
	if (i >= 0)
		return i;
	if (ns->n == ns->cap) {
		int cap = ns->cap ? ns->cap * 2 : 8;
		const char **bigger = realloc(ns->v, (size_t)cap * sizeof(*bigger));
		if (!bigger)
			return -1;
		ns->v = bigger;
		ns->cap = cap;
	}
	ns->v[ns->n] = s;
	return ns->n++;
}

static void group_free(consort__group *g)
{
	free(g->sec_min);
	free(g->sec_max);
	free(g->cover);
}

void consort__problem_free(consort__problem *p)
{
	if (!p)
		return;
	free(p->w);
	free(p->id);
	free(p->sector);
	free(p->sector_name);
	free(p->offers);
	free(p->service_name);
	group_free(&p->global);
	for (int g = 0; g < p->nlots; g++)
		group_free(&p->lot[g]);
	free(p->lot);
	free(p->lot_name);
	free(p->together);
	free(p->apart);
	free(p->fixed);
	free(p->absent);
	for (int e = 0; e < p->nexclude; e++)
		free(p->exclude[e].assign);
	free(p->exclude);
	free(p);
}

static int group_alloc(consort__group *g, int n, int nsec)
{
	memset(g, 0, sizeof(*g));
	g->size_min = 1;
	g->size_max = n;
	g->sec_min = calloc((size_t)(nsec ? nsec : 1), sizeof(int));
	g->sec_max = malloc((size_t)(nsec ? nsec : 1) * sizeof(int));
	if (!g->sec_min || !g->sec_max)
		return -1;
	for (int s = 0; s < nsec; s++)
		g->sec_max[s] = n;
	return 0;
}

static int clamp_max(int max, int n)
{
	return (max == CONSORT_NO_MAX || max > n) ? n : max;
}

/* Applies a session group's rules on top of what g already holds (intersection). */
static int group_apply(consort__group *g, const consort_group_rules *r, int n,
	const names *sectors, const names *services)
{
	if (r->has_size) {
		if (r->size.min > g->size_min)
			g->size_min = r->size.min;
		int mx = clamp_max(r->size.max, n);
		if (mx < g->size_max)
			g->size_max = mx;
	}
	for (size_t i = 0; i < r->nsectors; i++) {
		int s = names_find(sectors, r->sectors[i].sector);
		if (r->sectors[i].count.min > g->sec_min[s])
			g->sec_min[s] = r->sectors[i].count.min;
		int mx = clamp_max(r->sectors[i].count.max, n);
		if (mx < g->sec_max[s])
			g->sec_max[s] = mx;
	}
	for (size_t i = 0; i < r->ncover; i++) {
		int c = names_find(services, r->cover[i]);
		int dup = 0;
		for (int k = 0; k < g->ncover; k++)
			dup |= g->cover[k] == c;
		if (dup)
			continue;
		int *bigger = realloc(g->cover, (size_t)(g->ncover + 1) * sizeof(int));
		if (!bigger)
			return -1;
		g->cover = bigger;
		g->cover[g->ncover++] = c;
	}
	return 0;
}

static int collect_names(names *sectors, names *services, const consort_session *s)
{
	const consort_rules *r = &s->rules;
	for (size_t i = 0; i < s->n; i++)
		if (names_add(sectors, s->parts[i].sector) < 0)
			return -1;
	for (size_t l = 0; l <= r->nlots; l++) {
		const consort_group_rules *g = l == 0 ? &r->group : &r->lots[l - 1].rules;
		for (size_t i = 0; i < g->nsectors; i++)
			if (names_add(sectors, g->sectors[i].sector) < 0)
				return -1;
		for (size_t i = 0; i < g->ncover; i++)
			if (names_add(services, g->cover[i]) < 0)
				return -1;
	}
	return 0;
}

static int build_extended(consort__problem *p, const consort_rules *r)
{
	p->has_min_fit = r->has_min_fit;
	p->min_fit = r->min_fit;
	p->maxmin = r->objective == CONSORT_OBJECTIVE_MAXMIN;
	if (r->nfixed) {
		if (!(p->fixed = malloc((size_t)p->n * sizeof(int))))
			return -1;
		for (int i = 0; i < p->n; i++)
			p->fixed[i] = CONSORT__FREE;
		for (size_t f = 0; f < r->nfixed; f++)
			p->fixed[r->fixed[f].who] = (int)r->fixed[f].lot;
	}
	if (r->nabsent) {
		if (!(p->absent = calloc((size_t)p->n, 1)))
			return -1;
		for (size_t a = 0; a < r->nabsent; a++)
			p->absent[r->absent[a]] = 1;
	}
	return 0;
}

static int build_rules(consort__problem *p, const consort_session *s, names *sectors, names *services)
{
	const consort_rules *r = &s->rules;
	int n = p->n;
	p->sector = malloc((size_t)(n ? n : 1) * sizeof(int));
	p->offers = calloc((size_t)((n * services->n) > 0 ? n * services->n : 1), 1);
	if (!p->sector || !p->offers)
		return -1;
	for (int i = 0; i < n; i++) {
		const consort_participant *pt = &s->parts[i];
		p->sector[i] = names_find(sectors, pt->sector);
		for (size_t k = 0; k < pt->noffers; k++) {
			int c = names_find(services, pt->offers[k]);
			if (c >= 0)
				p->offers[i * services->n + c] = 1;
		}
	}
	/* The global rules: default size 2..n (formats.md), then the session's. */
	if (group_alloc(&p->global, n, p->nsec) < 0)
		return -1;
	if (!r->group.has_size)
		p->global.size_min = 2;
	if (group_apply(&p->global, &r->group, n, sectors, services) < 0)
		return -1;
	p->nlots = (int)r->nlots;
	if (p->nlots) {
		p->lot = calloc((size_t)p->nlots, sizeof(*p->lot));
		p->lot_name = calloc((size_t)p->nlots, sizeof(char *));
		if (!p->lot || !p->lot_name)
			return -1;
		for (int g = 0; g < p->nlots; g++) {
			p->lot_name[g] = r->lots[g].name;
			if (group_alloc(&p->lot[g], n, p->nsec) < 0)
				return -1;
			if (group_apply(&p->lot[g], &r->group, n, sectors, services) < 0 ||
			    group_apply(&p->lot[g], &r->lots[g].rules, n, sectors, services) < 0)
				return -1;
			if (!r->group.has_size && !r->lots[g].rules.has_size)
				p->lot[g].size_min = 2;
			else if (!r->group.has_size && r->lots[g].rules.has_size)
				p->lot[g].size_min = r->lots[g].rules.size.min;
		}
		p->kmin = p->kmax = p->nlots;
	} else if (r->has_consortia) {
		p->kmin = r->consortia.min;
		p->kmax = clamp_max(r->consortia.max, n);
	} else {
		p->kmin = (r->everyone && n > 0) ? 1 : 0;
		p->kmax = n;
	}
	p->everyone = r->everyone;
	p->ntogether = (int)r->ntogether;
	p->napart = (int)r->napart;
	p->together = malloc((r->ntogether ? r->ntogether : 1) * sizeof(*p->together));
	p->apart = malloc((r->napart ? r->napart : 1) * sizeof(*p->apart));
	if (!p->together || !p->apart)
		return -1;
	for (size_t i = 0; i < r->ntogether; i++) {
		p->together[i][0] = (int)r->together[i].a;
		p->together[i][1] = (int)r->together[i].b;
	}
	for (size_t i = 0; i < r->napart; i++) {
		p->apart[i][0] = (int)r->apart[i].a;
		p->apart[i][1] = (int)r->apart[i].b;
	}
	return build_extended(p, r);
}

int consort__problem_build(consort__problem **out, const consort_session *s, consort_error *err)
{
	*out = NULL;
	if (s->n > 100000)
		return consort__error(err, CONSORT_EINVALID, "%zu participants is more than consort handles", s->n);
	consort__problem *p = calloc(1, sizeof(*p));
	if (!p)
		return consort__error_nomem(err);
	p->n = (int)s->n;
	int rc = consort_scoring_weights(&p->w, s, err);
	if (rc < 0) {
		free(p);
		return rc;
	}
	p->id = malloc((s->n ? s->n : 1) * sizeof(char *));
	if (!p->id) {
		consort__problem_free(p);
		return consort__error_nomem(err);
	}
	for (size_t i = 0; i < s->n; i++)
		p->id[i] = s->parts[i].id;
	names sectors = {0}, services = {0};
	if (collect_names(&sectors, &services, s) < 0)
		goto nomem;
	p->nsec = sectors.n;
	p->nserv = services.n;
	if (build_rules(p, s, &sectors, &services) < 0)
		goto nomem;
	p->sector_name = sectors.v;
	p->service_name = services.v;
	*out = p;
	return 0;
nomem:
	free(sectors.v);
	free(services.v);
	consort__problem_free(p);
	return consort__error_nomem(err);
}

int consort__problem_from_weights(consort__problem **out, int n, const double *w, consort_error *err)
{
	*out = NULL;
	consort__problem *p = calloc(1, sizeof(*p));
	if (!p)
		return consort__error_nomem(err);
	p->n = n;
	p->nsec = 1;
	size_t nn = (size_t)n * (size_t)n;
	p->w = malloc((nn ? nn : 1) * sizeof(double));
	p->sector = calloc((size_t)(n ? n : 1), sizeof(int));
	p->offers = calloc(1, 1);
	p->together = malloc(sizeof(*p->together));
	p->apart = malloc(sizeof(*p->apart));
	if (!p->w || !p->sector || !p->offers || !p->together || !p->apart ||
	    group_alloc(&p->global, n, 1) < 0) {
		consort__problem_free(p);
		return consort__error_nomem(err);
	}
	if (nn)
		memcpy(p->w, w, nn * sizeof(double));
	p->kmin = n > 0 ? 1 : 0;
	p->kmax = n;
	p->everyone = 1;
	*out = p;
	return 0;
}

static void *dup_array(const void *src, size_t bytes, int *ok)
{
	void *d = malloc(bytes ? bytes : 1);
	if (!d)
		*ok = 0;
	else if (bytes && src)
		memcpy(d, src, bytes);
	return d;
}

static void group_copy(consort__group *dst, const consort__group *src, int nsec, int *ok)
{
	*dst = *src;
	dst->sec_min = dup_array(src->sec_min, (size_t)nsec * sizeof(int), ok);
	dst->sec_max = dup_array(src->sec_max, (size_t)nsec * sizeof(int), ok);
	dst->cover = dup_array(src->cover, (size_t)src->ncover * sizeof(int), ok);
}

consort__problem *consort__problem_clone(const consort__problem *p)
{
	consort__problem *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	int ok = 1;
	size_t n = (size_t)p->n;
	*c = *p;
	c->w = dup_array(p->w, n * n * sizeof(double), &ok);
	c->id = p->id ? dup_array(p->id, n * sizeof(char *), &ok) : NULL;
	c->sector = dup_array(p->sector, n * sizeof(int), &ok);
	c->sector_name = p->sector_name ? dup_array(p->sector_name, (size_t)p->nsec * sizeof(char *), &ok) : NULL;
	c->offers = dup_array(p->offers, n * (size_t)p->nserv, &ok);
	c->service_name = p->service_name ? dup_array(p->service_name, (size_t)p->nserv * sizeof(char *), &ok) : NULL;
	group_copy(&c->global, &p->global, p->nsec, &ok);
	c->lot = NULL;
	c->lot_name = NULL;
	c->nlots = 0;
	if (p->nlots) {
		c->lot = calloc((size_t)p->nlots, sizeof(*c->lot));
		c->lot_name = p->lot_name ? dup_array(p->lot_name, (size_t)p->nlots * sizeof(char *), &ok) : NULL;
		if (!c->lot)
			ok = 0;
		else
			for (int g = 0; g < p->nlots; g++, c->nlots++)
				group_copy(&c->lot[g], &p->lot[g], p->nsec, &ok);
	}
	c->together = dup_array(p->together, (size_t)p->ntogether * sizeof(*p->together), &ok);
	c->apart = dup_array(p->apart, (size_t)p->napart * sizeof(*p->apart), &ok);
	c->fixed = p->fixed ? dup_array(p->fixed, n * sizeof(int), &ok) : NULL;
	c->absent = p->absent ? dup_array(p->absent, n, &ok) : NULL;
	c->exclude = NULL;
	c->nexclude = 0;
	for (int e = 0; e < p->nexclude && ok; e++)
		ok = consort__problem_add_exclude(c, p->exclude[e].assign, p->exclude[e].k, p->exclude[e].differ) == 0;
	if (!ok) {
		consort__problem_free(c);
		return NULL;
	}
	return c;
}

const consort__group *consort__problem_group(const consort__problem *p, int k)
{
	return p->nlots ? &p->lot[k] : &p->global;
}

int consort__problem_has_extended_rules(const consort__problem *p)
{
	int pinned = 0, absent = 0;
	for (int i = 0; i < p->n; i++) {
		pinned |= p->fixed && p->fixed[i] != CONSORT__FREE;
		absent |= p->absent && p->absent[i];
	}
	return p->has_min_fit || pinned || absent || p->maxmin || p->nexclude > 0;
}

int consort__problem_add_exclude(consort__problem *p, const int *assign, int k, int differ)
{
	consort__exclude *bigger = realloc(p->exclude, (size_t)(p->nexclude + 1) * sizeof(*bigger));
	if (!bigger)
		return -1;
	p->exclude = bigger;
	int *copy = malloc((size_t)(p->n ? p->n : 1) * sizeof(int));
	if (!copy)
		return -1;
	if (p->n)
		memcpy(copy, assign, (size_t)p->n * sizeof(int));
	p->exclude[p->nexclude++] = (consort__exclude){copy, k, differ};
	return 0;
}

int consort__problem_drop_absent(consort__problem **out, int **orig, const consort__problem *p,
	consort_error *err)
{
	*out = NULL;
	*orig = NULL;
	consort__problem *c = consort__problem_clone(p);
	int *map = malloc((size_t)(p->n ? p->n : 1) * sizeof(int));
	int *inv = malloc((size_t)(p->n ? p->n : 1) * sizeof(int));
	if (!c || !map || !inv) {
		consort__problem_free(c);
		free(map);
		free(inv);
		return consort__error_nomem(err);
	}
	int m = 0;
	for (int i = 0; i < p->n; i++) {
		inv[i] = -1;
		if (!p->absent || !p->absent[i]) {
			inv[i] = m;
			map[m++] = i;
		}
	}
	/* Compact every per-participant array in place (m <= n, order kept). */
	for (int a = 0; a < m; a++) {
		for (int b = 0; b < m; b++)
			c->w[(size_t)a * m + b] = p->w[(size_t)map[a] * p->n + map[b]];
		if (c->id)
			c->id[a] = p->id[map[a]];
		c->sector[a] = p->sector[map[a]];
		for (int s = 0; s < p->nserv; s++)
			c->offers[a * p->nserv + s] = p->offers[map[a] * p->nserv + s];
		if (c->fixed)
			c->fixed[a] = p->fixed[map[a]];
		for (int e = 0; e < c->nexclude; e++)
			c->exclude[e].assign[a] = p->exclude[e].assign[map[a]];
	}
	for (int t = 0; t < c->ntogether; t++)
		for (int s = 0; s < 2; s++)
			c->together[t][s] = inv[p->together[t][s]];
	for (int t = 0; t < c->napart; t++)
		for (int s = 0; s < 2; s++)
			c->apart[t][s] = inv[p->apart[t][s]];
	free(c->absent);
	c->absent = NULL;
	c->n = m;
	if (c->kmax > m)
		c->kmax = m;
	for (int g = -1; g < c->nlots; g++) {
		consort__group *G = g < 0 ? &c->global : &c->lot[g];
		if (G->size_max > m)
			G->size_max = m;
		for (int s = 0; s < c->nsec; s++)
			if (G->sec_max[s] > m)
				G->sec_max[s] = m;
	}
	free(inv);
	/* A rule pair naming an absent member is refused by the session's checks. */
	for (int t = 0; t < c->ntogether + c->napart; t++) {
		const int *pr = t < c->ntogether ? c->together[t] : c->apart[t - c->ntogether];
		if (pr[0] < 0 || pr[1] < 0) {
			consort__problem_free(c);
			free(map);
			return consort__error(err, CONSORT_EINTERNAL, "a rule pair names an absent member");
		}
	}
	*out = c;
	*orig = map;
	return 0;
}

int consort__problem_distance(const consort__problem *p, const int *a, int ka, const int *b, int kb,
	int *moved)
{
	if (!p->nlots)
		return consort__moved(a, ka, b, kb, p->n, moved);
	int d = 0;
	for (int i = 0; i < p->n; i++) {
		int diff = a[i] != b[i];
		if (moved)
			moved[i] = diff;
		d += diff;
	}
	return d;
}

double consort__problem_fit(const consort__problem *p, const int *assign, int i)
{
	double fit = 0;
	if (assign[i] < 0)
		return 0;
	for (int j = 0; j < p->n; j++)
		if (j != i && assign[j] == assign[i])
			fit += p->w[(size_t)i * p->n + j];
	return fit;
}

double consort__problem_min_fit(const consort__problem *p, const int *assign)
{
	double m = HUGE_VAL;
	for (int i = 0; i < p->n; i++)
		if (assign[i] >= 0)
			m = fmin(m, consort__problem_fit(p, assign, i));
	return isfinite(m) ? m : 0;
}

double consort__min_fit_tolerance(double x)
{
	return 1e-6 * fmax(1.0, fabs(x));
}

double consort__problem_objective(const consort__problem *p, const int *assign)
{
	return consort_scoring_objective(p->w, (size_t)p->n, assign);
}

#define WHY(...) (why ? (void)snprintf(why, whylen, __VA_ARGS__) : (void)0)

static int group_ok(const consort__problem *p, const consort__group *g, const int *assign, int c,
	int *seccount, char *why, size_t whylen)
{
	int size = 0;
	memset(seccount, 0, (size_t)p->nsec * sizeof(int));
	for (int i = 0; i < p->n; i++)
		if (assign[i] == c) {
			size++;
			seccount[p->sector[i]]++;
		}
	if (size == 0)
		return WHY("consortium %d is empty", c + 1), 0;
	if (size < g->size_min || size > g->size_max)
		return WHY("consortium %d has %d members, not %d..%d", c + 1, size, g->size_min, g->size_max), 0;
	for (int s = 0; s < p->nsec; s++)
		if (seccount[s] < g->sec_min[s] || seccount[s] > g->sec_max[s])
			return WHY("consortium %d has %d of sector %s, not %d..%d", c + 1, seccount[s],
				p->sector_name ? p->sector_name[s] : "?", g->sec_min[s], g->sec_max[s]), 0;
	for (int k = 0; k < g->ncover; k++) {
		int sv = g->cover[k], found = 0;
		for (int i = 0; i < p->n && !found; i++)
			found = assign[i] == c && p->offers[i * p->nserv + sv];
		if (!found)
			return WHY("consortium %d does not offer %s", c + 1,
				p->service_name ? p->service_name[sv] : "a required service"), 0;
	}
	return 1;
}

int consort__problem_feasible(const consort__problem *p, const int *assign, int k,
	char *why, size_t whylen)
{
	if (k < p->kmin || k > p->kmax)
		return WHY("%d consortia, not %d..%d", k, p->kmin, p->kmax), 0;
	for (int i = 0; i < p->n; i++) {
		if (assign[i] < -1 || assign[i] >= k)
			return WHY("participant %d has no valid consortium", i), 0;
		int absent = p->absent && p->absent[i];
		if (absent && assign[i] != -1)
			return WHY("participant %d is absent but placed", i), 0;
		if (assign[i] == -1 && p->everyone && !absent)
			return WHY("participant %d is outside but everyone must be placed", i), 0;
		if (p->fixed && p->fixed[i] != CONSORT__FREE && assign[i] != p->fixed[i])
			return WHY("participant %d is not where rules.fixed puts it", i), 0;
		if (p->has_min_fit && assign[i] >= 0 &&
		    consort__problem_fit(p, assign, i) < p->min_fit - consort__min_fit_tolerance(p->min_fit))
			return WHY("participant %d has fit %g, below min_fit %g", i,
				consort__problem_fit(p, assign, i), p->min_fit), 0;
	}
	for (int e = 0; e < p->nexclude; e++) {
		const consort__exclude *ex = &p->exclude[e];
		int d = consort__problem_distance(p, assign, k, ex->assign, ex->k, NULL);
		if (d < ex->differ)
			return WHY("differs from earlier solution %d by %d members, not %d", e + 1, d, ex->differ), 0;
	}
	for (int t = 0; t < p->ntogether; t++) {
		int a = assign[p->together[t][0]], b = assign[p->together[t][1]];
		if (a < 0 || a != b)
			return WHY("together pair %d is split", t), 0;
	}
	for (int t = 0; t < p->napart; t++) {
		int a = assign[p->apart[t][0]], b = assign[p->apart[t][1]];
		if (a >= 0 && a == b)
			return WHY("apart pair %d shares consortium %d", t, a + 1), 0;
	}
	int *seccount = malloc((size_t)(p->nsec ? p->nsec : 1) * sizeof(int));
	if (!seccount)
		return WHY("out of memory"), 0;
	int ok = 1;
	for (int c = 0; c < k && ok; c++)
		ok = group_ok(p, consort__problem_group(p, c), assign, c, seccount, why, whylen);
	free(seccount);
	return ok;
}
