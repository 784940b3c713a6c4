/* The session model: participants, ratings, rules and scoring, with the
 * builder functions every reader (JSON, CSV, benchmarks, server) goes through. */
#include "session.h"
#include "error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

char *consort__strdup(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

int consort__id_valid(const char *id)
{
	size_t n = 0;
	for (const char *c = id; *c; c++, n++) {
		char ch = *c;
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			(ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
		if (!ok)
			return 0;
	}
	return n >= 1 && n <= CONSORT_ID_MAX;
}

/* ---- rules ---- */

static void group_init(consort_group_rules *g)
{
	memset(g, 0, sizeof(*g));
	g->size.min = 2;
	g->size.max = CONSORT_NO_MAX;
}

static void group_dispose(consort_group_rules *g)
{
	for (size_t i = 0; i < g->nsectors; i++)
		free((char *)g->sectors[i].sector);
	free((void *)g->sectors);
	for (size_t i = 0; i < g->ncover; i++)
		free((char *)g->cover[i]);
	free((void *)g->cover);
	group_init(g);
}

void consort__rules_init(consort_rules *r)
{
	memset(r, 0, sizeof(*r));
	group_init(&r->group);
	r->group.has_size = 0;
	r->consortia.min = 1;
	r->consortia.max = CONSORT_NO_MAX;
	r->everyone = 1;
}

void consort__rules_dispose(consort_rules *r)
{
	group_dispose(&r->group);
	free((void *)r->together);
	free((void *)r->apart);
	for (size_t i = 0; i < r->nlots; i++) {
		consort_lot *lot = (consort_lot *)&r->lots[i];
		free((char *)lot->name);
		group_dispose(&lot->rules);
	}
	free((void *)r->lots);
	free((void *)r->absent);
	free((void *)r->fixed);
	consort__rules_init(r);
}

static int range_bad(consort_range r)
{
	return r.min < 0 || (r.max != CONSORT_NO_MAX && (r.max < 0 || r.min > r.max));
}

static void range_text(char *buf, size_t len, consort_range r)
{
	if (r.max == CONSORT_NO_MAX)
		snprintf(buf, len, "min %d", r.min);
	else
		snprintf(buf, len, "min %d > max %d", r.min, r.max);
}

static int group_validate(const consort_group_rules *g, const char *name, const char *path,
	consort_error *err)
{
	char txt[64];
	if (g->has_size) {
		if (g->size.min < 1)
			return consort__error(err, CONSORT_EINVALID, "%s: %s.size.min: %d: a consortium has at least 1 member",
				name, path, g->size.min);
		if (range_bad(g->size)) {
			range_text(txt, sizeof(txt), g->size);
			return consort__error(err, CONSORT_EINVALID, "%s: %s.size: %s", name, path, txt);
		}
	}
	for (size_t i = 0; i < g->nsectors; i++) {
		const consort_sector_rule *sr = &g->sectors[i];
		if (!sr->sector || !sr->sector[0])
			return consort__error(err, CONSORT_EINVALID, "%s: %s.sectors: empty sector name", name, path);
		if (range_bad(sr->count)) {
			range_text(txt, sizeof(txt), sr->count);
			return consort__error(err, CONSORT_EINVALID, "%s: %s.sectors.%s: %s", name, path, sr->sector, txt);
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(g->sectors[j].sector, sr->sector) == 0)
				return consort__error(err, CONSORT_EINVALID, "%s: %s.sectors.%s: given twice",
					name, path, sr->sector);
		if (g->has_size && g->size.max != CONSORT_NO_MAX && sr->count.min > g->size.max)
			return consort__error(err, CONSORT_EINVALID,
				"%s: %s.sectors.%s.min: %d is more than size.max %d", name, path, sr->sector,
				sr->count.min, g->size.max);
	}
	for (size_t i = 0; i < g->ncover; i++)
		if (!g->cover[i] || !g->cover[i][0])
			return consort__error(err, CONSORT_EINVALID, "%s: %s.cover[%zu]: empty service name", name, path, i);
	return 0;
}

static int pairs_validate(const consort_pair *pairs, size_t np, const consort_session *s,
	const char *name, const char *what, consort_error *err)
{
	for (size_t i = 0; i < np; i++) {
		if (pairs[i].a >= s->n || pairs[i].b >= s->n)
			return consort__error(err, CONSORT_EINVALID, "%s: rules.%s[%zu]: unknown participant", name, what, i);
		if (pairs[i].a == pairs[i].b)
			return consort__error(err, CONSORT_EINVALID, "%s: rules.%s[%zu]: names \"%s\" twice",
				name, what, i, s->parts[pairs[i].a].id);
	}
	return 0;
}

static int same_pair(consort_pair x, consort_pair y)
{
	return (x.a == y.a && x.b == y.b) || (x.a == y.b && x.b == y.a);
}

/* Whether participant i is named by a together or apart pair; *where says which. */
static int in_pairs(const consort_rules *r, size_t i, const char **where, size_t *at)
{
	for (size_t t = 0; t < r->ntogether + r->napart; t++) {
		const consort_pair *pr = t < r->ntogether ? &r->together[t] : &r->apart[t - r->ntogether];
		if (pr->a == i || pr->b == i) {
			*where = t < r->ntogether ? "together" : "apart";
			*at = t < r->ntogether ? t : t - r->ntogether;
			return 1;
		}
	}
	return 0;
}

/* min_fit, absent, fixed and objective: the rules beyond the first formats.md. */
static int extended_validate(const consort_rules *r, const consort_session *s,
	const char *name, consort_error *err)
{
	const char *where;
	size_t at;
	if (r->has_min_fit && !isfinite(r->min_fit))
		return consort__error(err, CONSORT_EINVALID, "%s: rules.min_fit: not a finite number", name);
	if (r->objective != CONSORT_OBJECTIVE_TOTAL && r->objective != CONSORT_OBJECTIVE_MAXMIN)
		return consort__error(err, CONSORT_EINVALID, "%s: rules.objective: unknown objective", name);
	for (size_t i = 0; i < r->nabsent; i++) {
		size_t a = r->absent[i];
		if (a >= s->n)
			return consort__error(err, CONSORT_EINVALID, "%s: rules.absent[%zu]: unknown participant", name, i);
		for (size_t j = 0; j < i; j++)
			if (r->absent[j] == a)
				return consort__error(err, CONSORT_EINVALID, "%s: rules.absent[%zu]: \"%s\" is listed twice",
					name, i, s->parts[a].id);
		if (in_pairs(r, a, &where, &at))
			return consort__error(err, CONSORT_EINVALID,
				"%s: rules.absent[%zu]: \"%s\" is absent but named in rules.%s[%zu]", name, i,
				s->parts[a].id, where, at);
		for (size_t f = 0; f < r->nfixed; f++)
			if (r->fixed[f].who == a)
				return consort__error(err, CONSORT_EINVALID,
					"%s: rules.absent[%zu]: \"%s\" is absent but named in rules.fixed", name, i, s->parts[a].id);
	}
	for (size_t f = 0; f < r->nfixed; f++) {
		const consort_fixed *fx = &r->fixed[f];
		if (fx->who >= s->n)
			return consort__error(err, CONSORT_EINVALID, "%s: rules.fixed: unknown participant", name);
		const char *id = s->parts[fx->who].id;
		for (size_t g = 0; g < f; g++)
			if (r->fixed[g].who == fx->who)
				return consort__error(err, CONSORT_EINVALID, "%s: rules.fixed.%s: given twice", name, id);
		if (fx->lot >= 0 && (size_t)fx->lot >= r->nlots)
			return consort__error(err, CONSORT_EINVALID, r->nlots
				? "%s: rules.fixed.%s: no such lot" : "%s: rules.fixed.%s: the session has no lots "
				"(a member can be fixed to a lot's consortium, or \"outside\")", name, id);
		if (fx->lot < 0 && r->everyone)
			return consort__error(err, CONSORT_EINVALID,
				"%s: rules.fixed.%s: \"outside\" needs \"everyone\": false", name, id);
		if (fx->lot < 0 && in_pairs(r, fx->who, &where, &at) && where[0] == 't')
			return consort__error(err, CONSORT_EINVALID,
				"%s: rules.fixed.%s: fixed outside but named in rules.together[%zu]", name, id, at);
	}
	return 0;
}

int consort__rules_validate(const consort_rules *r, const consort_session *s,
	const char *name, consort_error *err)
{
	int rc;
	char txt[64];
	if (r->has_consortia && range_bad(r->consortia)) {
		range_text(txt, sizeof(txt), r->consortia);
		return consort__error(err, CONSORT_EINVALID, "%s: rules.consortia: %s", name, txt);
	}
	if ((rc = group_validate(&r->group, name, "rules", err)) < 0)
		return rc;
	if ((rc = pairs_validate(r->together, r->ntogether, s, name, "together", err)) < 0 ||
	    (rc = pairs_validate(r->apart, r->napart, s, name, "apart", err)) < 0)
		return rc;
	for (size_t i = 0; i < r->ntogether; i++)
		for (size_t j = 0; j < r->napart; j++)
			if (same_pair(r->together[i], r->apart[j]))
				return consort__error(err, CONSORT_EINVALID,
					"%s: rules.apart[%zu]: \"%s\" and \"%s\" are also in rules.together[%zu]",
					name, j, s->parts[r->apart[j].a].id, s->parts[r->apart[j].b].id, i);
	if (r->lots && r->nlots == 0)
		return consort__error(err, CONSORT_EINVALID, "%s: rules.lots: empty list of lots", name);
	if (r->nlots > 0 && r->has_consortia &&
	    (r->consortia.min > (int)r->nlots ||
	     (r->consortia.max != CONSORT_NO_MAX && r->consortia.max < (int)r->nlots)))
		return consort__error(err, CONSORT_EINVALID,
			"%s: rules.consortia: contradicts rules.lots (%zu lots, one consortium per lot)", name, r->nlots);
	if ((rc = extended_validate(r, s, name, err)) < 0)
		return rc;
	for (size_t i = 0; i < r->nlots; i++) {
		char path[64];
		snprintf(path, sizeof(path), "rules.lots[%zu]", i);
		if (!r->lots[i].name || !r->lots[i].name[0])
			return consort__error(err, CONSORT_EINVALID, "%s: %s.name: missing or empty", name, path);
		for (size_t j = 0; j < i; j++)
			if (strcmp(r->lots[i].name, r->lots[j].name) == 0)
				return consort__error(err, CONSORT_EINVALID,
					"%s: %s.name: \"%s\" is also the name of rules.lots[%zu]", name, path,
					r->lots[i].name, j);
		if ((rc = group_validate(&r->lots[i].rules, name, path, err)) < 0)
			return rc;
	}
	return 0;
}

void consort__session_take_rules(consort_session *s, consort_rules *r)
{
	consort__rules_dispose(&s->rules);
	s->rules = *r;
	consort__rules_init(r);
}

int consort__scoring_validate(const consort_scoring *sc, double smin, double smax,
	const char *name, const char *path, consort_error *err)
{
	if (sc->combine != CONSORT_COMBINE_MEAN && sc->combine != CONSORT_COMBINE_MIN)
		return consort__error(err, CONSORT_EINVALID, "%s: %s.combine: unknown method", name, path);
	if (sc->normalize != CONSORT_NORMALIZE_NONE && sc->normalize != CONSORT_NORMALIZE_RATER)
		return consort__error(err, CONSORT_EINVALID, "%s: %s.normalize: unknown method", name, path);
	if (sc->has_neutral && (!isfinite(sc->neutral) || sc->neutral < smin || sc->neutral > smax))
		return consort__error(err, CONSORT_EINVALID, "%s: %s.neutral: %g is outside the scale %g..%g",
			name, path, sc->neutral, smin, smax);
	if (sc->has_unmet && (!isfinite(sc->unmet) || sc->unmet < smin || sc->unmet > smax))
		return consort__error(err, CONSORT_EINVALID, "%s: %s.unmet: %g is outside the scale %g..%g",
			name, path, sc->unmet, smin, smax);
	return 0;
}

/* ---- the session ---- */

int consort_session_new(consort_session **out, consort_error *err)
{
	*out = NULL;
	consort_session *s = calloc(1, sizeof(*s));
	if (!s)
		return consort__error_nomem(err);
	s->scale_min = 1;
	s->scale_max = 5;
	consort__strmap_init(&s->ids);
	consort__pairmap_init(&s->rated);
	consort__rules_init(&s->rules);
	s->scoring.combine = CONSORT_COMBINE_MEAN;
	s->scoring.normalize = CONSORT_NORMALIZE_NONE;
	*out = s;
	return 0;
}

void consort_session_free(consort_session *s)
{
	if (!s)
		return;
	free(s->title);
	for (size_t i = 0; i < s->n; i++) {
		consort_participant *p = &s->parts[i];
		if (p->name != p->id)
			free((char *)p->name);
		free((char *)p->id);
		free((char *)p->sector);
		for (size_t k = 0; k < p->noffers; k++)
			free((char *)p->offers[k]);
		free((void *)p->offers);
	}
	free(s->parts);
	free(s->ratings);
	consort__strmap_dispose(&s->ids);
	consort__pairmap_dispose(&s->rated);
	consort__rules_dispose(&s->rules);
	free(s);
}

int consort_session_set_title(consort_session *s, const char *title, consort_error *err)
{
	char *t = NULL;
	if (title && !(t = consort__strdup(title)))
		return consort__error_nomem(err);
	free(s->title);
	s->title = t;
	return 0;
}

int consort_session_set_scale(consort_session *s, double min, double max, consort_error *err)
{
	if (!isfinite(min) || !isfinite(max) || !(min < max))
		return consort__error(err, CONSORT_EINVALID, "scale: min %g must be less than max %g", min, max);
	int rc = consort__scoring_validate(&s->scoring, min, max, "scale", "scoring", err);
	if (rc < 0)
		return rc;
	for (size_t k = 0; k < s->nratings; k++)
		if (s->ratings[k].score < min || s->ratings[k].score > max)
			return consort__error(err, CONSORT_EINVALID, "scale: rating %s -> %s of %g is outside %g..%g",
				s->parts[s->ratings[k].from].id, s->parts[s->ratings[k].to].id,
				s->ratings[k].score, min, max);
	s->scale_min = min;
	s->scale_max = max;
	return 0;
}

int consort_session_reserve(consort_session *s, size_t participants, size_t ratings, consort_error *err)
{
	if (participants > s->cap) {
		consort_participant *bigger = realloc(s->parts, participants * sizeof(*bigger));
		if (!bigger)
			return consort__error_nomem(err);
		s->parts = bigger;
		s->cap = participants;
	}
	if (ratings > s->rcap) {
		consort_rating *bigger = realloc(s->ratings, ratings * sizeof(*bigger));
		if (!bigger)
			return consort__error_nomem(err);
		s->ratings = bigger;
		s->rcap = ratings;
	}
	if (consort__pairmap_reserve(&s->rated, ratings) < 0)
		return consort__error_nomem(err);
	return 0;
}

int consort_session_add_participant(consort_session *s, const char *id, const char *name,
	const char *sector, const char *const *offers, size_t noffers, consort_error *err)
{
	if (!id || !consort__id_valid(id))
		return consort__error(err, CONSORT_EINVALID,
			"id \"%.80s\" is not 1-64 characters of A-Z a-z 0-9 _ . -", id ? id : "");
	if (consort__strmap_get(&s->ids, id, NULL))
		return consort__error(err, CONSORT_EINVALID, "duplicate id \"%s\"", id);
	if (!sector || !sector[0])
		return consort__error(err, CONSORT_EINVALID, "participant \"%s\": missing sector", id);
	for (size_t k = 0; k < noffers; k++)
		if (!offers[k] || !offers[k][0])
			return consort__error(err, CONSORT_EINVALID, "participant \"%s\": empty service in offers", id);
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		consort_participant *bigger = realloc(s->parts, cap * sizeof(*bigger));
		if (!bigger)
			return consort__error_nomem(err);
		s->parts = bigger;
		s->cap = cap;
	}
	consort_participant p = {0};
	char **offs = noffers ? calloc(noffers, sizeof(char *)) : NULL;
	p.id = consort__strdup(id);
	p.sector = consort__strdup(sector);
	p.name = (name && name[0]) ? consort__strdup(name) : p.id;
	int ok = p.id && p.sector && p.name && (offs || !noffers);
	for (size_t k = 0; ok && k < noffers; k++)
		ok = (offs[k] = consort__strdup(offers[k])) != NULL;
	p.offers = (const char *const *)offs;
	p.noffers = noffers;
	if (!ok || consort__strmap_put(&s->ids, p.id, s->n) < 0) {
		if (p.name != p.id)
			free((char *)p.name);
		free((char *)p.id);
		free((char *)p.sector);
		for (size_t k = 0; offs && k < noffers; k++)
			free(offs[k]);
		free(offs);
		return consort__error_nomem(err);
	}
	s->parts[s->n++] = p;
	return 0;
}

static int lookup_pair(const consort_session *s, const char *from, const char *to,
	size_t *f, size_t *t, consort_error *err)
{
	if (!from || !consort__strmap_get(&s->ids, from, f))
		return consort__error(err, CONSORT_EINVALID, "unknown participant \"%.80s\"", from ? from : "");
	if (!to || !consort__strmap_get(&s->ids, to, t))
		return consort__error(err, CONSORT_EINVALID, "unknown participant \"%.80s\"", to ? to : "");
	if (*f == *t)
		return consort__error(err, CONSORT_EINVALID, "\"%s\" rates itself", from);
	return 0;
}

static int score_check(const consort_session *s, double score, consort_error *err)
{
	if (!isfinite(score) || score < s->scale_min || score > s->scale_max)
		return consort__error(err, CONSORT_EINVALID, "%g is outside the scale %g..%g",
			score, s->scale_min, s->scale_max);
	return 0;
}

int consort_session_add_rating(consort_session *s, const char *from, const char *to,
	double score, consort_error *err)
{
	size_t f, t;
	int rc;
	if ((rc = lookup_pair(s, from, to, &f, &t, err)) < 0 || (rc = score_check(s, score, err)) < 0)
		return rc;
	if (consort__pairmap_get(&s->rated, f, t, NULL))
		return consort__error(err, CONSORT_EINVALID, "\"%s\" -> \"%s\" is rated twice", from, to);
	if (s->nratings == s->rcap) {
		size_t cap = s->rcap ? s->rcap * 2 : 64;
		consort_rating *bigger = realloc(s->ratings, cap * sizeof(*bigger));
		if (!bigger)
			return consort__error_nomem(err);
		s->ratings = bigger;
		s->rcap = cap;
	}
	if (consort__pairmap_put(&s->rated, f, t, s->nratings) < 0)
		return consort__error_nomem(err);
	s->ratings[s->nratings].from = f;
	s->ratings[s->nratings].to = t;
	s->ratings[s->nratings].score = score;
	s->nratings++;
	return 0;
}

int consort_session_set_rating(consort_session *s, const char *from, const char *to,
	double score, consort_error *err)
{
	size_t f, t, k;
	int rc;
	if ((rc = lookup_pair(s, from, to, &f, &t, err)) < 0 || (rc = score_check(s, score, err)) < 0)
		return rc;
	if (!consort__pairmap_get(&s->rated, f, t, &k))
		return consort_session_add_rating(s, from, to, score, err);
	s->ratings[k].score = score;
	return 0;
}

int consort_session_set_consortia(consort_session *s, int min, int max, consort_error *err)
{
	consort_rules r = s->rules;
	r.has_consortia = 1;
	r.consortia.min = min;
	r.consortia.max = max;
	int rc = consort__rules_validate(&r, s, "options", err);
	if (rc < 0)
		return rc;
	s->rules.has_consortia = 1;
	s->rules.consortia = r.consortia;
	return 0;
}

int consort_session_clear_consortia(consort_session *s)
{
	s->rules.has_consortia = 0;
	s->rules.consortia.min = 1;
	s->rules.consortia.max = CONSORT_NO_MAX;
	return 0;
}

int consort_session_set_size(consort_session *s, int min, int max, consort_error *err)
{
	consort_rules r = s->rules;
	r.group.has_size = 1;
	r.group.size.min = min;
	r.group.size.max = max;
	int rc = consort__rules_validate(&r, s, "options", err);
	if (rc < 0)
		return rc;
	s->rules.group.has_size = 1;
	s->rules.group.size = r.group.size;
	return 0;
}

int consort_session_set_everyone(consort_session *s, int everyone)
{
	s->rules.everyone = everyone ? 1 : 0;
	return 0;
}

/* Appends one element to a rules array of elements of `size` bytes; the array
 * keeps its old contents on failure. */
static int grow_append(const void **arr, size_t *n, const void *elem, size_t size)
{
	char *bigger = realloc((void *)*arr, (*n + 1) * size);
	if (!bigger)
		return -1;
	memcpy(bigger + *n * size, elem, size);
	*arr = bigger;
	(*n)++;
	return 0;
}

/* Validates the rules after an append; on failure the element is taken back. */
static int validate_or_undo(consort_session *s, size_t *n, consort_error *err)
{
	int rc = consort__rules_validate(&s->rules, s, "options", err);
	if (rc < 0)
		(*n)--;
	return rc;
}

static int find_id(size_t *out, const consort_session *s, const char *id, const char *what, consort_error *err)
{
	long i = id ? consort_session_find(s, id) : -1;
	if (i < 0)
		return consort__error(err, CONSORT_EINVALID, "%s: unknown id \"%s\"", what, id ? id : "");
	*out = (size_t)i;
	return 0;
}

static int add_pair(consort_session *s, const char *a, const char *b, int together, consort_error *err)
{
	consort_pair pr;
	const char *what = together ? "together" : "apart";
	if (find_id(&pr.a, s, a, what, err) < 0 || find_id(&pr.b, s, b, what, err) < 0)
		return CONSORT_EINVALID;
	const void **arr = together ? (const void **)&s->rules.together : (const void **)&s->rules.apart;
	size_t *n = together ? &s->rules.ntogether : &s->rules.napart;
	if (grow_append(arr, n, &pr, sizeof(pr)) < 0)
		return consort__error_nomem(err);
	return validate_or_undo(s, n, err);
}

int consort_session_add_together(consort_session *s, const char *a, const char *b, consort_error *err)
{
	return add_pair(s, a, b, 1, err);
}

int consort_session_add_apart(consort_session *s, const char *a, const char *b, consort_error *err)
{
	return add_pair(s, a, b, 0, err);
}

int consort_session_add_absent(consort_session *s, const char *id, consort_error *err)
{
	size_t i = 0;
	if (find_id(&i, s, id, "absent", err) < 0)
		return CONSORT_EINVALID;
	if (grow_append((const void **)&s->rules.absent, &s->rules.nabsent, &i, sizeof(i)) < 0)
		return consort__error_nomem(err);
	return validate_or_undo(s, &s->rules.nabsent, err);
}

int consort_session_add_fixed(consort_session *s, const char *id, const char *lot, consort_error *err)
{
	consort_fixed fx = {0, -1};
	if (find_id(&fx.who, s, id, "fixed", err) < 0)
		return CONSORT_EINVALID;
	if (lot) {
		for (size_t g = 0; g < s->rules.nlots && fx.lot < 0; g++)
			if (strcmp(s->rules.lots[g].name, lot) == 0)
				fx.lot = (long)g;
		if (fx.lot < 0)
			return consort__error(err, CONSORT_EINVALID, s->rules.nlots ? "fixed: %s: no lot is named \"%s\""
				: "fixed: %s: \"%s\" is not a lot: the session has no lots", id, lot);
	}
	if (grow_append((const void **)&s->rules.fixed, &s->rules.nfixed, &fx, sizeof(fx)) < 0)
		return consort__error_nomem(err);
	return validate_or_undo(s, &s->rules.nfixed, err);
}

int consort_session_set_min_fit(consort_session *s, double min_fit, consort_error *err)
{
	if (!isfinite(min_fit))
		return consort__error(err, CONSORT_EINVALID, "min_fit: not a finite number");
	s->rules.has_min_fit = 1;
	s->rules.min_fit = min_fit;
	return 0;
}

int consort_session_clear_min_fit(consort_session *s)
{
	s->rules.has_min_fit = 0;
	s->rules.min_fit = 0;
	return 0;
}

int consort_session_set_objective(consort_session *s, consort_objective objective, consort_error *err)
{
	if (objective != CONSORT_OBJECTIVE_TOTAL && objective != CONSORT_OBJECTIVE_MAXMIN)
		return consort__error(err, CONSORT_EINVALID, "objective: unknown objective %d", (int)objective);
	s->rules.objective = objective;
	return 0;
}

int consort_session_set_scoring(consort_session *s, const consort_scoring *sc, consort_error *err)
{
	int rc = consort__scoring_validate(sc, s->scale_min, s->scale_max, "options", "scoring", err);
	if (rc < 0)
		return rc;
	s->scoring = *sc;
	return 0;
}

/* ---- accessors ---- */

const char *consort_session_title(const consort_session *s) { return s->title; }
double consort_session_scale_min(const consort_session *s) { return s->scale_min; }
double consort_session_scale_max(const consort_session *s) { return s->scale_max; }
size_t consort_session_count(const consort_session *s) { return s->n; }
size_t consort_session_rating_count(const consort_session *s) { return s->nratings; }
const consort_rules *consort_session_rules(const consort_session *s) { return &s->rules; }

const consort_participant *consort_session_participant(const consort_session *s, size_t i)
{
	return i < s->n ? &s->parts[i] : NULL;
}

long consort_session_find(const consort_session *s, const char *id)
{
	size_t i;
	return (id && consort__strmap_get(&s->ids, id, &i)) ? (long)i : -1;
}

const consort_rating *consort_session_rating(const consort_session *s, size_t k)
{
	return k < s->nratings ? &s->ratings[k] : NULL;
}

int consort_session_score(const consort_session *s, size_t from, size_t to, double *score)
{
	size_t k;
	if (!consort__pairmap_get(&s->rated, from, to, &k))
		return -1;
	*score = s->ratings[k].score;
	return 0;
}

consort_scoring consort_session_scoring(const consort_session *s)
{
	consort_scoring sc = s->scoring;
	if (!sc.has_neutral) {
		sc.neutral = (s->scale_min + s->scale_max) / 2;
		sc.has_neutral = 1;
	}
	if (!sc.has_unmet) {
		sc.unmet = sc.neutral;
		sc.has_unmet = 1;
	}
	return sc;
}
