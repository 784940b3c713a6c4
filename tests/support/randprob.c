/* Seeded random problems for the engine tests, built directly in the
 * consort__problem layout that problem.c allocates and frees. */
#include "randprob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xorshift32 (Marsaglia 2003): tiny and the same on every platform. */
typedef struct rng {
	unsigned s;
} rng;

static unsigned next(rng *r)
{
	unsigned x = r->s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return r->s = x;
}

static void seed(rng *r, unsigned s)
{
	r->s = s * 2654435761u + 0x9e3779b9u;
	if (!r->s)
		r->s = 1;
	for (int i = 0; i < 4; i++)
		next(r);
}

static int below(rng *r, int n)
{
	return n > 0 ? (int)(next(r) % (unsigned)n) : 0;
}

static double uniform(rng *r, double lo, double hi)
{
	return lo + (hi - lo) * (next(r) / 4294967296.0);
}

static int min_int(int a, int b)
{
	return a < b ? a : b;
}

/* A group with no rules; cover has room for every service. */
static int group_new(consort__group *g, int n, int nsec, int nserv)
{
	memset(g, 0, sizeof(*g));
	g->size_min = 1;
	g->size_max = n;
	g->sec_min = calloc((size_t)nsec, sizeof(int));
	g->sec_max = malloc((size_t)nsec * sizeof(int));
	g->cover = malloc((size_t)(nserv ? nserv : 1) * sizeof(int));
	if (!g->sec_min || !g->sec_max || !g->cover)
		return -1;
	for (int s = 0; s < nsec; s++)
		g->sec_max[s] = n;
	return 0;
}

static int group_copy(consort__group *dst, const consort__group *src, int n, int nsec, int nserv)
{
	if (group_new(dst, n, nsec, nserv) < 0)
		return -1;
	dst->size_min = src->size_min;
	dst->size_max = src->size_max;
	memcpy(dst->sec_min, src->sec_min, (size_t)nsec * sizeof(int));
	memcpy(dst->sec_max, src->sec_max, (size_t)nsec * sizeof(int));
	dst->ncover = src->ncover;
	memcpy(dst->cover, src->cover, (size_t)src->ncover * sizeof(int));
	return 0;
}

static void cover_add(consort__group *g, int service)
{
	for (int k = 0; k < g->ncover; k++)
		if (g->cover[k] == service)
			return;
	g->cover[g->ncover++] = service; /* cover has room for nserv entries */
}

static void random_pair(rng *r, int n, int pair[2])
{
	pair[0] = below(r, n);
	pair[1] = (pair[0] + 1 + below(r, n - 1)) % n;
}

static int same_pair(const int a[2], const int b[2])
{
	return (a[0] == b[0] && a[1] == b[1]) || (a[0] == b[1] && a[1] == b[0]);
}

static void make_weights(consort__problem *p, rng *r, int real)
{
	int n = p->n;
	for (int i = 0; i < n; i++) {
		p->w[i * n + i] = 0;
		for (int j = i + 1; j < n; j++) {
			double v;
			if (real)
				v = uniform(r, -2, 2);
			else
				v = below(r, 3) == 0 ? 0 : (below(r, 9) - 4) / 2.0;
			p->w[i * n + j] = p->w[j * n + i] = v;
		}
	}
}

/* The global group: size and sector bounds, cover list. */
static void make_global(consort__problem *p, rng *r, int mask)
{
	int n = p->n;
	consort__group *g = &p->global;
	if (mask & RP_SIZE) {
		g->size_min = 1 + below(r, 3);
		g->size_max = min_int(n, g->size_min + below(r, 4));
	} else {
		g->size_min = 1 + below(r, 2);
	}
	if (mask & RP_SECTOR) {
		for (int s = 0; s < p->nsec; s++) {
			if (below(r, 2))
				g->sec_min[s] = below(r, 2);
			if (below(r, 3) == 0)
				g->sec_max[s] = min_int(n, g->sec_min[s] + 1 + below(r, 2));
		}
	}
	if (mask & RP_COVER) {
		for (int c = 0; c < p->nserv; c++)
			if (below(r, 2))
				cover_add(g, c);
	}
}

/* Lot g: the global rules, tightened at random. */
static void tighten_lot(consort__problem *p, rng *r, consort__group *g)
{
	if (below(r, 2))
		g->size_min += below(r, 2);
	if (below(r, 2) && g->size_max > 1)
		g->size_max = g->size_max - below(r, 2);
	if (p->nsec > 1 && below(r, 3) == 0) {
		int s = below(r, p->nsec);
		if (g->sec_min[s] < 1)
			g->sec_min[s] = 1;
	}
	if (p->nserv > 0 && below(r, 2))
		cover_add(g, below(r, p->nserv));
}

static int make_rules(consort__problem *p, rng *r, int mask)
{
	int n = p->n;
	if (group_new(&p->global, n, p->nsec, p->nserv) < 0)
		return -1;
	make_global(p, r, mask);
	if (mask & RP_LOTS) {
		p->nlots = 2 + below(r, 2);
		p->lot = calloc((size_t)p->nlots, sizeof(*p->lot));
		if (!p->lot)
			return -1;
		for (int l = 0; l < p->nlots; l++) {
			if (group_copy(&p->lot[l], &p->global, n, p->nsec, p->nserv) < 0)
				return -1;
			tighten_lot(p, r, &p->lot[l]);
		}
		p->kmin = p->kmax = p->nlots;
	} else if (mask & RP_K_FIXED) {
		p->kmin = p->kmax = 1 + below(r, min_int(3, n));
	} else if (mask & RP_K_RANGE) {
		p->kmin = 1 + below(r, 2);
		p->kmax = min_int(n, p->kmin + below(r, 3));
	} else {
		p->kmin = p->everyone ? 1 : 0;
		p->kmax = n;
	}
	return 0;
}

/* Names for messages (explain, proposals): arrays of borrowed literals, the
 * arrays themselves owned by the problem like problem.c's. */
static const char **names(const char *const *table, int count)
{
	const char **v = malloc((size_t)(count ? count : 1) * sizeof(*v));
	if (v)
		for (int i = 0; i < count; i++)
			v[i] = table[i];
	return v;
}

static int make_names(consort__problem *p)
{
	static const char *const sectors[] = {"association", "firm", "public"};
	static const char *const services[] = {"coaching", "cleaning", "catering"};
	static const char *const lots[] = {"North", "South", "East"};
	p->sector_name = names(sectors, p->nsec);
	p->service_name = names(services, p->nserv);
	if (!p->sector_name || !p->service_name)
		return -1;
	if (p->nlots) {
		p->lot_name = names(lots, p->nlots);
		if (!p->lot_name)
			return -1;
	}
	return 0;
}

static int make_pairs(consort__problem *p, rng *r, int mask)
{
	int n = p->n;
	p->together = malloc(2 * sizeof(*p->together));
	p->apart = malloc(3 * sizeof(*p->apart));
	if (!p->together || !p->apart)
		return -1;
	if (n < 2)
		return 0;
	if (mask & RP_TOGETHER) {
		p->ntogether = 1 + below(r, 2);
		for (int t = 0; t < p->ntogether; t++)
			random_pair(r, n, p->together[t]);
	}
	if (mask & RP_APART) {
		int want = 1 + below(r, 3);
		for (int t = 0; t < want; t++) {
			int pair[2], clash = 0;
			random_pair(r, n, pair);
			for (int u = 0; u < p->ntogether; u++)
				clash |= same_pair(pair, p->together[u]);
			if (clash)
				continue; /* the session reader rejects together+apart on one pair */
			p->apart[p->napart][0] = pair[0];
			p->apart[p->napart][1] = pair[1];
			p->napart++;
		}
	}
	return 0;
}

consort__problem *randprob_make(unsigned s, int n, int mask)
{
	if (n < 1)
		return NULL;
	rng r;
	seed(&r, s);
	consort__problem *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->n = n;
	p->everyone = !(mask & RP_OPTIONAL);
	p->nsec = (mask & RP_SECTOR) ? 2 + below(&r, 2) : 1 + below(&r, 2);
	p->nserv = (mask & RP_COVER) ? 1 + below(&r, 3) : 0;
	p->w = malloc((size_t)n * (size_t)n * sizeof(double));
	p->sector = malloc((size_t)n * sizeof(int));
	p->offers = calloc((size_t)(p->nserv ? n * p->nserv : 1), 1);
	if (!p->w || !p->sector || !p->offers)
		goto fail;
	make_weights(p, &r, mask & RP_REAL);
	for (int i = 0; i < n; i++) {
		p->sector[i] = below(&r, p->nsec);
		for (int c = 0; c < p->nserv; c++)
			p->offers[i * p->nserv + c] = below(&r, 5) < 2;
	}
	if (make_rules(p, &r, mask) < 0 || make_pairs(p, &r, mask) < 0 || make_names(p) < 0)
		goto fail;
	if (mask & RP_MIN_FIT) {
		p->has_min_fit = 1;
		p->min_fit = 0.5 * (below(&r, 7) - 3);
	}
	if ((mask & RP_PIN) && (p->nlots || !p->everyone)) {
		if (!(p->fixed = malloc((size_t)n * sizeof(int))))
			goto fail;
		for (int i = 0; i < n; i++)
			p->fixed[i] = CONSORT__FREE;
		int pins = 1 + below(&r, 2);
		for (int t = 0; t < pins; t++) {
			int i = below(&r, n);
			p->fixed[i] = p->nlots && (p->everyone || below(&r, 3)) ? below(&r, p->nlots) : -1;
		}
	}
	return p;
fail:
	consort__problem_free(p);
	return NULL;
}

int randprob_mask(unsigned s)
{
	rng r;
	seed(&r, s ^ 0x5bd1e995u);
	int mask = 0;
	for (int bit = 1; bit < RP_ALL; bit <<= 1)
		if (below(&r, 5) < 2)
			mask |= bit;
	return mask;
}

int randprob_mask_ext(unsigned s)
{
	rng r;
	seed(&r, s ^ 0x5bd1e995u);
	int mask = randprob_mask(s);
	if (below(&r, 5) < 2)
		mask |= RP_MIN_FIT;
	if (below(&r, 5) < 2)
		mask |= RP_PIN;
	return mask;
}

const char *randprob_describe(int mask)
{
	static const char *names[] = {"k-fixed", "k-range", "size", "sector", "cover",
		"together", "apart", "optional", "lots", "real", "min-fit", "pin"};
	static char buf[160];
	size_t len = 0;
	buf[0] = '\0';
	for (int b = 0; b < 12; b++)
		if (mask & (1 << b))
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? " " : "", names[b]);
	if (!len)
		snprintf(buf, sizeof(buf), "plain");
	return buf;
}

consort__problem *randprob_planted(unsigned s, int n, int groups, int *truth)
{
	if (n < 1 || groups < 1)
		return NULL;
	rng r;
	seed(&r, s);
	consort__problem *p = randprob_make(s, n, 0);
	if (!p)
		return NULL;
	p->global.size_min = 1;
	for (int i = 0; i < n; i++)
		truth[i] = (int)((long)i * groups / n);
	/* Shuffle so groups are not contiguous index ranges. */
	for (int i = n - 1; i > 0; i--) {
		int j = below(&r, i + 1), t = truth[i];
		truth[i] = truth[j];
		truth[j] = t;
	}
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			double v = truth[i] == truth[j] ? uniform(&r, 0.5, 2) : -uniform(&r, 0.5, 2);
			p->w[i * n + j] = p->w[j * n + i] = v;
		}
	return p;
}
