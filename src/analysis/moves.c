/* Which rules a move of one or two members would break: every rule the move can
 * touch is checked and named (consortia count, everyone, together, apart, and the
 * size, sector and cover rules of the consortia it leaves and enters), and the
 * problem's own checker has the last word on the moved assignment. */
#include "analysis/advice.h"
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Above this n*n*k*k the full checker is not run for every move (it costs
 * O(n*k) per call); the named rules alone decide. */
#define FULL_CHECK_BUDGET 1e8

void consort__hits_free(consort__hits *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++) {
		free((char *)h->v[i].rule);
		free((char *)h->v[i].detail);
	}
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}

static char *dupstr(const char *s)
{
	size_t len = strlen(s) + 1;
	char *d = malloc(len);
	if (d)
		memcpy(d, s, len);
	return d;
}

static void hit(consort__hits *h, const char *prefix, const char *rule, const char *fmt, ...)
	CONSORT__PRINTF(4, 5);
static void hit(consort__hits *h, const char *prefix, const char *rule, const char *fmt, ...)
{
	if (!h || h->failed)
		return;
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 4;
		consort_rule_hit *bigger = realloc(h->v, cap * sizeof(*bigger));
		if (!bigger) {
			h->failed = 1;
			return;
		}
		h->v = bigger;
		h->cap = cap;
	}
	char name[256], detail[512];
	snprintf(name, sizeof(name), "%s%s", prefix, rule);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	char *r = dupstr(name), *d = dupstr(detail);
	if (!r || !d) {
		free(r);
		free(d);
		h->failed = 1;
		return;
	}
	h->v[h->n].rule = r;
	h->v[h->n].detail = d;
	h->n++;
}

const char *consort__advice_place(const consort_advice *a, int c, char *buf, size_t len)
{
	const char *lot = c >= 0 ? consort_proposal_lot(a->p, (size_t)c) : NULL;
	if (c < 0)
		snprintf(buf, len, "outside");
	else if (lot)
		snprintf(buf, len, "consortium %d (lot %s)", c + 1, lot);
	else
		snprintf(buf, len, "consortium %d", c + 1);
	return buf;
}

static const char *id(const consort_advice *a, int i)
{
	return consort_session_participant(a->s, (size_t)i)->id;
}

static int moving(const int *who, int nwho, int i)
{
	for (int m = 0; m < nwho; m++)
		if (who[m] == i)
			return 1;
	return 0;
}

static void pair_rules(consort_advice *a, const int *after, const int *who, int nwho, consort__hits *h)
{
	const consort__problem *pb = a->pb;
	char buf[160];
	if (pb->everyone)
		for (int m = 0; m < nwho; m++)
			if (after[who[m]] < 0)
				hit(h, "", "everyone", "%s would be outside, but everyone must be placed", id(a, who[m]));
	for (int m = 0; pb->fixed && m < nwho; m++) {
		int f = pb->fixed[who[m]], to = after[who[m]];
		if (f != CONSORT__FREE && f != to)
			hit(h, "", "fixed", "%s is fixed to %s", id(a, who[m]), consort__advice_place(a, f, buf, sizeof(buf)));
	}
	for (int t = 0; t < pb->ntogether; t++) {
		int x = pb->together[t][0], y = pb->together[t][1];
		if (!moving(who, nwho, x) && !moving(who, nwho, y))
			continue;
		if (after[x] < 0 || after[x] != after[y])
			hit(h, "", "together", "%s and %s must be together, the move splits them", id(a, x), id(a, y));
	}
	for (int t = 0; t < pb->napart; t++) {
		int x = pb->apart[t][0], y = pb->apart[t][1];
		if (!moving(who, nwho, x) && !moving(who, nwho, y))
			continue;
		if (after[x] >= 0 && after[x] == after[y])
			hit(h, "", "apart", "%s and %s must be apart, they would share %s", id(a, x), id(a, y),
				consort__advice_place(a, after[x], buf, sizeof(buf)));
	}
}

/* Members of consortium c after the move, into out: the proposal's, less the
 * movers who leave, plus those who arrive. Returns how many. */
static int members_after(const consort_advice *a, const int *after, const int *who, int nwho, int c, int *out)
{
	size_t nm;
	const size_t *m = consort_proposal_members(a->p, (size_t)c, &nm);
	int count = 0;
	for (size_t x = 0; x < nm; x++)
		if (after[m[x]] == c)
			out[count++] = (int)m[x];
	for (int y = 0; y < nwho; y++)
		if (after[who[y]] == c && a->home[who[y]] != c)
			out[count++] = who[y];
	return count;
}

static void group_rules(consort_advice *a, const int *after, const int *who, int nwho, int c,
	consort__hits *h)
{
	const consort__problem *pb = a->pb;
	const consort__group *g = consort__problem_group(pb, c);
	char prefix[160], place[160];
	const char *lot = pb->nlots && pb->lot_name ? pb->lot_name[c] : NULL;
	snprintf(prefix, sizeof(prefix), "%s%s%s", lot ? "lots." : "", lot ? lot : "", lot ? "." : "");
	consort__advice_place(a, c, place, sizeof(place));
	int *list = a->list;
	int size = members_after(a, after, who, nwho, c, list);
	memset(a->seccount, 0, (size_t)(pb->nsec ? pb->nsec : 1) * sizeof(int));
	for (int x = 0; x < size; x++)
		a->seccount[pb->sector[list[x]]]++;
	if (size == 0 && !pb->nlots)
		return; /* the consortium goes away: the count rule speaks for it */
	if (size == 0) {
		hit(h, prefix, "size.min", "%s would be empty", place);
		return;
	}
	if (size < g->size_min)
		hit(h, prefix, "size.min", "%s would have %d member%s, at least %d", place, size,
			size == 1 ? "" : "s", g->size_min);
	if (size > g->size_max)
		hit(h, prefix, "size.max", "%s would have %d members, at most %d", place, size, g->size_max);
	for (int sec = 0; sec < pb->nsec; sec++) {
		int lo = a->seccount[sec] < g->sec_min[sec], hi = a->seccount[sec] > g->sec_max[sec];
		if (!lo && !hi)
			continue;
		const char *name = pb->sector_name ? pb->sector_name[sec] : "?";
		char rule[256];
		snprintf(rule, sizeof(rule), "sectors.%s.%s", name, lo ? "min" : "max");
		hit(h, prefix, rule, "%s would have %d of sector %s, at %s %d", place, a->seccount[sec], name,
			lo ? "least" : "most", lo ? g->sec_min[sec] : g->sec_max[sec]);
	}
	/* min_fit: every member of the consortium after the move (the first below it is named). */
	int low = -1;
	double lowfit = 0;
	for (int x = 0; pb->has_min_fit && low < 0 && x < size; x++) {
		double fit = 0;
		for (int y = 0; y < size; y++)
			if (y != x)
				fit += pb->w[(size_t)list[x] * (size_t)pb->n + (size_t)list[y]];
		if (fit < pb->min_fit - consort__min_fit_tolerance(pb->min_fit)) {
			low = list[x];
			lowfit = fit;
		}
	}
	if (low >= 0)
		hit(h, "", "min_fit", "%s would have fit %.2f in %s, below %g", id(a, low), lowfit, place, pb->min_fit);
	for (int k = 0; k < g->ncover; k++) {
		int sv = g->cover[k], found = 0;
		for (int x = 0; x < size && !found; x++)
			found = pb->offers[list[x] * pb->nserv + sv];
		if (!found) {
			const char *name = pb->service_name ? pb->service_name[sv] : "?";
			char rule[256];
			snprintf(rule, sizeof(rule), "cover.%s", name);
			hit(h, prefix, rule, "nobody in %s would offer %s", place, name);
		}
	}
}

/* The consortia the move leaves or enters, once each. */
static int touched(const consort_advice *a, const int *after, const int *who, int nwho, int *out)
{
	int nt = 0;
	for (int m = 0; m < nwho; m++) {
		int cs[2] = {a->home[who[m]], after[who[m]]};
		for (int e = 0; e < 2; e++) {
			int dup = cs[e] < 0;
			for (int t = 0; t < nt && !dup; t++)
				dup = out[t] == cs[e];
			if (!dup)
				out[nt++] = cs[e];
		}
	}
	return nt;
}

/* Without lots, consortia left empty disappear: relabels into a->scratch. */
static int compact(consort_advice *a, const int *after)
{
	int k = a->k;
	int *map = malloc((size_t)(k ? k : 1) * sizeof(int));
	if (!map)
		return -1;
	for (int c = 0; c < k; c++)
		map[c] = -1;
	for (int i = 0; i < a->n; i++)
		if (after[i] >= 0)
			map[after[i]] = 0;
	int next = 0;
	for (int c = 0; c < k; c++)
		if (map[c] == 0 || a->pb->nlots)
			map[c] = next++;
	for (int i = 0; i < a->n; i++)
		a->scratch[i] = after[i] >= 0 ? map[after[i]] : -1;
	free(map);
	return next;
}

int consort__move_check(consort_advice *a, const int *after, const int *who, int nwho, consort__hits *hits)
{
	const consort__problem *pb = a->pb;
	consort__hits local = {NULL, 0, 0, 0};
	consort__hits *h = hits ? hits : &local;
	int *cs = malloc((size_t)(2 * nwho + 1) * sizeof(int));
	if (!cs)
		return -1;
	int nt = touched(a, after, who, nwho, cs);
	pair_rules(a, after, who, nwho, h);
	for (int t = 0; t < nt; t++)
		group_rules(a, after, who, nwho, cs[t], h);
	/* Without lots, a consortium the move empties goes away. */
	int k2 = a->k;
	for (int t = 0; t < nt && !pb->nlots; t++) {
		int size = a->size[cs[t]];
		for (int m = 0; m < nwho; m++)
			size += (after[who[m]] == cs[t]) - (a->home[who[m]] == cs[t]);
		k2 -= size == 0;
	}
	free(cs);
	if (!pb->nlots && (k2 < pb->kmin || k2 > pb->kmax))
		hit(h, "", "consortia", "%d consorti%s, %s %d", k2, k2 == 1 ? "um" : "a",
			k2 < pb->kmin ? "at least" : "at most", k2 < pb->kmin ? pb->kmin : pb->kmax);
	int feasible = h->n == 0;
	double n = a->n, k = a->k;
	if (n * n * k * k <= FULL_CHECK_BUDGET) {
		char why[256] = "";
		if (compact(a, after) != k2) {
			consort__hits_free(&local);
			return -1;
		}
		feasible = consort__problem_feasible(pb, a->scratch, k2, why, sizeof(why));
		/* A rule the names above do not cover (one added later): say what the checker says. */
		if (!feasible && h->n == 0)
			hit(h, "", "other", "%s", why);
	}
	int failed = h->failed;
	consort__hits_free(&local);
	return failed ? -1 : feasible;
}
