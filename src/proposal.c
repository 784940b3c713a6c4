/* Proposals: consortia with their scores, status and bound; an independent
 * checker against the session, and the consort-proposal/1 JSON and text views. */
#include "proposal.h"
#include "error.h"
#include "io/json.h"
#include "consort/scoring.h"
#include "analysis/advice.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct consortium {
	size_t n;
	size_t *members;  /* participant indexes, ascending */
	double *fit;      /* fit[m] = sum of w(members[m], other members) */
	double score;
	char *lot;        /* owned; NULL without lots */
} consortium;

struct consort_proposal {
	consort_status status;
	double objective, bound, gap, seconds;
	char *engine;
	size_t nparts;    /* participants of the problem it was built from */
	size_t k;
	consortium *cons;
	size_t noutside;
	size_t *outside;
	size_t nabsent;   /* rules.absent: in no consortium and not in outside */
	size_t *absent;
	int maxmin;       /* objective option maxmin */
	double min_fit;   /* the weakest placed member's fit (+inf: nobody placed) */
	size_t nconflict;
	char **conflict;
	/* alternatives (owned), and for an alternative its moves against the best */
	size_t nalt, alt_asked;
	int alt_differ, alt_exhausted;
	struct consort_proposal **alt;
	size_t nmoved;
	size_t *moved;
	double gap_to_best;
};

/* Relative tolerance used wherever two objective values are compared. */
static double tol(double x)
{
	return 1e-6 * fmax(1.0, fabs(x));
}

static char *dupstr(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* ---- construction ---- */

void consort_proposal_free(consort_proposal *p)
{
	if (!p)
		return;
	for (size_t c = 0; c < p->k; c++) {
		free(p->cons[c].members);
		free(p->cons[c].fit);
		free(p->cons[c].lot);
	}
	free(p->cons);
	free(p->outside);
	free(p->absent);
	for (size_t i = 0; i < p->nconflict; i++)
		free(p->conflict[i]);
	free(p->conflict);
	for (size_t a = 0; a < p->nalt; a++)
		consort_proposal_free(p->alt[a]);
	free(p->alt);
	free(p->moved);
	free(p->engine);
	free(p);
}

static int check_assign(const consort__problem *pb, const int *assign, int k, consort_error *err)
{
	if (!assign || k < 0)
		return consort__error(err, CONSORT_EUSAGE, "proposal: a solution needs an assignment");
	if (pb->nlots && k != pb->nlots)
		return consort__error(err, CONSORT_EINTERNAL, "proposal: %d consortia for %d lots", k, pb->nlots);
	for (int i = 0; i < pb->n; i++)
		if (assign[i] < -1 || assign[i] >= k)
			return consort__error(err, CONSORT_EINTERNAL,
				"proposal: assign[%d] = %d is not a consortium 0..%d", i, assign[i], k - 1);
	return 0;
}

/* Fills one consortium from the members of slot `slot`, scoring with pb's weights. */
static int fill_consortium(consortium *c, const consort__problem *pb, const int *assign, int slot,
	size_t size)
{
	c->members = malloc((size ? size : 1) * sizeof(size_t));
	c->fit = malloc((size ? size : 1) * sizeof(double));
	if (!c->members || !c->fit)
		return -1;
	for (int i = 0; i < pb->n; i++)
		if (assign[i] == slot)
			c->members[c->n++] = (size_t)i;
	size_t n = (size_t)pb->n;
	c->score = 0;
	for (size_t a = 0; a < c->n; a++) {
		double fit = 0;
		for (size_t b = 0; b < c->n; b++)
			if (b != a)
				fit += pb->w[c->members[a] * n + c->members[b]];
		c->fit[a] = fit;
		for (size_t b = a + 1; b < c->n; b++)
			c->score += pb->w[c->members[a] * n + c->members[b]];
	}
	if (pb->nlots && pb->lot_name && pb->lot_name[slot] && !(c->lot = dupstr(pb->lot_name[slot])))
		return -1;
	return 0;
}

/* Consortia in output order: by lot with lots, else by first member (the order
 * in which slots first appear scanning participants). Empty slots are dropped
 * without lots; with lots each lot keeps its consortium. */
static int build_consortia(consort_proposal *p, const consort__problem *pb, const int *assign, int k)
{
	size_t *size = calloc((size_t)(k ? k : 1), sizeof(size_t));
	int *order = malloc((size_t)(k ? k : 1) * sizeof(int));
	unsigned char *listed = NULL;
	int rc = -1;
	if (!size || !order)
		goto done;
	for (int i = 0; i < pb->n; i++)
		if (assign[i] >= 0)
			size[assign[i]]++;
	size_t norder = 0;
	if (pb->nlots) {
		for (int g = 0; g < k; g++)
			order[norder++] = g;
	} else {
		/* A slot is listed when its first member comes up. */
		listed = calloc((size_t)(k ? k : 1), 1);
		if (!listed)
			goto done;
		for (int i = 0; i < pb->n; i++) {
			int g = assign[i];
			if (g >= 0 && !listed[g]) {
				order[norder++] = g;
				listed[g] = 1;
			}
		}
	}
	p->cons = calloc(norder ? norder : 1, sizeof(consortium));
	if (!p->cons)
		goto done;
	for (size_t o = 0; o < norder; o++) {
		p->k = o + 1;
		if (fill_consortium(&p->cons[o], pb, assign, order[o], size[order[o]]) < 0)
			goto done;
		p->objective += p->cons[o].score;
	}
	p->outside = malloc(((size_t)pb->n + 1) * sizeof(size_t));
	p->absent = malloc(((size_t)pb->n + 1) * sizeof(size_t));
	if (!p->outside || !p->absent)
		goto done;
	for (int i = 0; i < pb->n; i++) {
		if (assign[i] >= 0)
			continue;
		if (pb->absent && pb->absent[i])
			p->absent[p->nabsent++] = (size_t)i;
		else
			p->outside[p->noutside++] = (size_t)i;
	}
	p->min_fit = HUGE_VAL;
	for (size_t c = 0; c < p->k; c++)
		for (size_t m = 0; m < p->cons[c].n; m++)
			p->min_fit = fmin(p->min_fit, p->cons[c].fit[m]);
	if (!isfinite(p->min_fit))
		p->min_fit = 0; /* nobody placed: as consort__problem_min_fit */
	rc = 0;
done:
	free(size);
	free(order);
	free(listed);
	return rc;
}

int consort__proposal_new(consort_proposal **out, const consort__problem *pb,
	consort_status status, const int *assign, int k, double bound, double seconds,
	const char *engine, consort_error *err)
{
	int rc;
	if (!out)
		return consort__error(err, CONSORT_EUSAGE, "proposal: no place for the result");
	*out = NULL;
	if (!pb || pb->n < 0)
		return consort__error(err, CONSORT_EUSAGE, "proposal: no problem given");
	if (status < CONSORT_STATUS_OPTIMAL || status > CONSORT_STATUS_STOPPED)
		return consort__error(err, CONSORT_EUSAGE, "proposal: unknown status %d", (int)status);
	int solved = status == CONSORT_STATUS_OPTIMAL || status == CONSORT_STATUS_FEASIBLE;
	if (solved && (rc = check_assign(pb, assign, k, err)) < 0)
		return rc;

	consort_proposal *p = calloc(1, sizeof(*p));
	if (!p)
		return consort__error_nomem(err);
	p->status = status;
	p->nparts = (size_t)pb->n;
	p->maxmin = pb->maxmin;
	p->min_fit = HUGE_VAL;
	p->seconds = (isfinite(seconds) && seconds > 0) ? seconds : 0;
	p->engine = dupstr(engine ? engine : "unknown");
	if (!p->engine || (solved && build_consortia(p, pb, assign, k) < 0)) {
		consort_proposal_free(p);
		return consort__error_nomem(err);
	}
	p->bound = isnan(bound) ? INFINITY : bound;
	if (solved) {
		/* The engine's bound comes from floating-point LP arithmetic; when it
		 * agrees with the recomputed objective, report them as equal. */
		if (fabs(p->bound - p->objective) <= tol(p->objective))
			p->bound = p->objective;
		p->gap = isfinite(p->bound) ? (p->bound - p->objective) / fmax(1.0, fabs(p->objective))
					    : INFINITY;
	} else {
		p->gap = INFINITY; /* no proposal: nothing to measure a gap from */
	}
	*out = p;
	return 0;
}

int consort__proposal_add_alternative(consort_proposal *p, consort_proposal *alt, const int *moved,
	consort_error *err)
{
	consort_proposal **bigger = realloc(p->alt, (p->nalt + 1) * sizeof(*bigger));
	if (!bigger) {
		consort_proposal_free(alt);
		return consort__error_nomem(err);
	}
	p->alt = bigger;
	alt->moved = malloc((alt->nparts ? alt->nparts : 1) * sizeof(size_t));
	if (!alt->moved) {
		consort_proposal_free(alt);
		return consort__error_nomem(err);
	}
	for (size_t i = 0; i < alt->nparts; i++)
		if (moved[i])
			alt->moved[alt->nmoved++] = i;
	alt->gap_to_best = p->objective - alt->objective;
	p->alt[p->nalt++] = alt;
	return 0;
}

void consort__proposal_set_alternatives(consort_proposal *p, size_t asked, int differ, int exhausted)
{
	p->alt_asked = asked;
	p->alt_differ = differ;
	p->alt_exhausted = exhausted;
}

size_t consort_proposal_alternative_count(const consort_proposal *p) { return p->nalt; }
size_t consort_proposal_alternatives_asked(const consort_proposal *p) { return p->alt_asked; }
int consort_proposal_alternatives_differ(const consort_proposal *p) { return p->alt_differ; }
int consort_proposal_alternatives_exhausted(const consort_proposal *p) { return p->alt_exhausted; }
double consort_proposal_gap_to_best(const consort_proposal *alt) { return alt->gap_to_best; }

const consort_proposal *consort_proposal_alternative(const consort_proposal *p, size_t i)
{
	return i < p->nalt ? p->alt[i] : NULL;
}

const size_t *consort_proposal_moved(const consort_proposal *alt, size_t *nmoved)
{
	if (nmoved)
		*nmoved = alt->nmoved;
	return alt->moved;
}

int consort__proposal_add_conflict(consort_proposal *p, const char *item, consort_error *err)
{
	if (!p || !item)
		return consort__error(err, CONSORT_EUSAGE, "proposal: no conflict item given");
	char **bigger = realloc(p->conflict, (p->nconflict + 1) * sizeof(char *));
	if (!bigger)
		return consort__error_nomem(err);
	p->conflict = bigger;
	if (!(p->conflict[p->nconflict] = dupstr(item)))
		return consort__error_nomem(err);
	p->nconflict++;
	return 0;
}

/* ---- accessors ---- */

consort_status consort_proposal_status(const consort_proposal *p) { return p->status; }
double consort_proposal_objective(const consort_proposal *p) { return p->objective; }
double consort_proposal_bound(const consort_proposal *p) { return p->bound; }
double consort_proposal_gap(const consort_proposal *p) { return p->gap; }
double consort_proposal_seconds(const consort_proposal *p) { return p->seconds; }
const char *consort_proposal_engine(const consort_proposal *p) { return p->engine; }
size_t consort_proposal_count(const consort_proposal *p) { return p->k; }
size_t consort_proposal_conflict_count(const consort_proposal *p) { return p->nconflict; }

const char *consort_status_name(consort_status st)
{
	switch (st) {
	case CONSORT_STATUS_OPTIMAL: return "optimal";
	case CONSORT_STATUS_FEASIBLE: return "feasible";
	case CONSORT_STATUS_INFEASIBLE: return "infeasible";
	case CONSORT_STATUS_STOPPED: return "stopped";
	}
	return "unknown";
}

const size_t *consort_proposal_members(const consort_proposal *p, size_t k, size_t *nmembers)
{
	if (k >= p->k) {
		if (nmembers)
			*nmembers = 0;
		return NULL;
	}
	if (nmembers)
		*nmembers = p->cons[k].n;
	return p->cons[k].members;
}

double consort_proposal_score(const consort_proposal *p, size_t k)
{
	return k < p->k ? p->cons[k].score : 0;
}

const char *consort_proposal_lot(const consort_proposal *p, size_t k)
{
	return k < p->k ? p->cons[k].lot : NULL;
}

const size_t *consort_proposal_absent(const consort_proposal *p, size_t *nabsent)
{
	if (nabsent)
		*nabsent = p->nabsent;
	return p->absent;
}

consort_objective consort_proposal_objective_kind(const consort_proposal *p)
{
	return p->maxmin ? CONSORT_OBJECTIVE_MAXMIN : CONSORT_OBJECTIVE_TOTAL;
}

double consort_proposal_min_fit(const consort_proposal *p)
{
	return p->min_fit;
}

const size_t *consort_proposal_outside(const consort_proposal *p, size_t *noutside)
{
	if (noutside)
		*noutside = p->noutside;
	return p->outside;
}

const char *consort_proposal_conflict(const consort_proposal *p, size_t i)
{
	return i < p->nconflict ? p->conflict[i] : NULL;
}

/* ---- the checker ---- */

/* State of one check: the consortium of each participant (-1 outside,
 * -2 not listed anywhere) and the lot index of each consortium. */
typedef struct checker {
	const consort_proposal *p;
	const consort_session *s;
	const consort_rules *r;
	int *where;
	size_t *lot;
	consort_error *err;
} checker;

static const char *pid(const checker *ck, size_t i)
{
	return consort_session_participant(ck->s, i)->id;
}

/* "consortium 2" or "consortium 2 (lot North)", for messages. */
static const char *cname(const checker *ck, size_t c, char *buf, size_t len)
{
	if (ck->p->cons[c].lot)
		snprintf(buf, len, "consortium %zu (lot %s)", c + 1, ck->p->cons[c].lot);
	else
		snprintf(buf, len, "consortium %zu", c + 1);
	return buf;
}

#define VIOLATION(ck, ...) consort__error((ck)->err, CONSORT_EINVALID, __VA_ARGS__)

static int place(checker *ck, size_t i, int c, const char *what)
{
	size_t n = consort_session_count(ck->s);
	if (i >= n)
		return VIOLATION(ck, "%s: participant index %zu is not in the session (%zu participants)",
			what, i, n);
	if (ck->where[i] >= 0)
		return VIOLATION(ck, "%s: %s is also in consortium %d", what, pid(ck, i), ck->where[i] + 1);
	if (ck->where[i] == -1)
		return VIOLATION(ck, "%s: %s is also listed as outside", what, pid(ck, i));
	ck->where[i] = c;
	return 0;
}

static int check_placement(checker *ck)
{
	const consort_proposal *p = ck->p;
	char buf[160];
	int rc;
	for (size_t c = 0; c < p->k; c++)
		for (size_t m = 0; m < p->cons[c].n; m++)
			if ((rc = place(ck, p->cons[c].members[m], (int)c, cname(ck, c, buf, sizeof(buf)))) < 0)
				return rc;
	for (size_t o = 0; o < p->noutside; o++)
		if ((rc = place(ck, p->outside[o], -1, "outside")) < 0)
			return rc;
	size_t n = consort_session_count(ck->s);
	const consort_rules *r = ck->r;
	for (size_t a = 0; a < p->nabsent; a++) {
		size_t i = p->absent[a], f = 0;
		while (f < r->nabsent && r->absent[f] != i)
			f++;
		if (f == r->nabsent)
			return VIOLATION(ck, "absent: %s is not in rules.absent", i < n ? pid(ck, i) : "?");
		if ((rc = place(ck, i, -1, "absent")) < 0)
			return rc;
	}
	for (size_t a = 0; a < r->nabsent; a++) {
		if (ck->where[r->absent[a]] >= 0)
			return VIOLATION(ck, "rules.absent[%zu]: %s is in consortium %d", a, pid(ck, r->absent[a]),
				ck->where[r->absent[a]] + 1);
		ck->where[r->absent[a]] = -3;
	}
	for (size_t i = 0; i < n; i++) {
		if (ck->where[i] == -1 && ck->r->everyone)
			return VIOLATION(ck, "%s is outside every consortium, rules.everyone is true", pid(ck, i));
		if (ck->where[i] == -2)
			return VIOLATION(ck, "%s is neither in a consortium nor listed as outside", pid(ck, i));
	}
	return 0;
}

static int check_count(checker *ck)
{
	const consort_rules *r = ck->r;
	size_t k = ck->p->k;
	const char *noun = k == 1 ? "consortium" : "consortia";
	if (r->nlots) {
		if (k != r->nlots)
			return VIOLATION(ck, "%zu %s, rules.lots has %zu lots (one consortium per lot)", k, noun, r->nlots);
		return 0;
	}
	if (!r->has_consortia)
		return 0;
	consort_range cr = r->consortia;
	int exact = cr.min == cr.max;
	if ((long)k < cr.min)
		return exact ? VIOLATION(ck, "%zu %s, rules.consortia is %d", k, noun, cr.min)
			     : VIOLATION(ck, "%zu %s, rules.consortia.min is %d", k, noun, cr.min);
	if (cr.max != CONSORT_NO_MAX && (long)k > cr.max)
		return exact ? VIOLATION(ck, "%zu %s, rules.consortia is %d", k, noun, cr.max)
			     : VIOLATION(ck, "%zu %s, rules.consortia.max is %d", k, noun, cr.max);
	return 0;
}

/* Maps each consortium to its lot by name; every lot exactly once. */
static int check_lots(checker *ck)
{
	const consort_proposal *p = ck->p;
	const consort_rules *r = ck->r;
	for (size_t c = 0; c < p->k; c++) {
		const char *name = p->cons[c].lot;
		if (!r->nlots) {
			if (name)
				return VIOLATION(ck, "consortium %zu: lot %s, but the session has no rules.lots", c + 1, name);
			continue;
		}
		if (!name)
			return VIOLATION(ck, "consortium %zu: no lot, but the session has rules.lots", c + 1);
		size_t g = 0;
		while (g < r->nlots && strcmp(r->lots[g].name, name) != 0)
			g++;
		if (g == r->nlots)
			return VIOLATION(ck, "consortium %zu: lot %s is not in rules.lots", c + 1, name);
		for (size_t d = 0; d < c; d++)
			if (ck->lot[d] == g)
				return VIOLATION(ck, "consortium %zu: lot %s is also consortium %zu's", c + 1, name, d + 1);
		ck->lot[c] = g;
	}
	return 0;
}

static int check_size(checker *ck, size_t c, consort_range size, const char *path, const char *note)
{
	char buf[160];
	size_t n = ck->p->cons[c].n;
	const char *noun = n == 1 ? "member" : "members";
	if ((long)n < size.min)
		return VIOLATION(ck, "%s: %zu %s, %s.size.min is %d%s", cname(ck, c, buf, sizeof(buf)), n, noun,
			path, size.min, note);
	if (size.max != CONSORT_NO_MAX && (long)n > size.max)
		return VIOLATION(ck, "%s: %zu %s, %s.size.max is %d", cname(ck, c, buf, sizeof(buf)), n, noun,
			path, size.max);
	return 0;
}

static int offers(const consort_participant *pt, const char *service)
{
	for (size_t k = 0; k < pt->noffers; k++)
		if (strcmp(pt->offers[k], service) == 0)
			return 1;
	return 0;
}

/* Sector counts and cover of one group of rules (global or a lot's). */
static int check_group(checker *ck, size_t c, const consort_group_rules *g, const char *path)
{
	const consortium *con = &ck->p->cons[c];
	char buf[160];
	for (size_t k = 0; k < g->nsectors; k++) {
		const consort_sector_rule *sr = &g->sectors[k];
		long count = 0;
		for (size_t m = 0; m < con->n; m++)
			count += strcmp(consort_session_participant(ck->s, con->members[m])->sector, sr->sector) == 0;
		const char *noun = count == 1 ? "member" : "members";
		if (count < sr->count.min)
			return VIOLATION(ck, "%s: %ld %s of sector \"%s\", %s.sectors.%s.min is %d",
				cname(ck, c, buf, sizeof(buf)), count, noun, sr->sector, path, sr->sector, sr->count.min);
		if (sr->count.max != CONSORT_NO_MAX && count > sr->count.max)
			return VIOLATION(ck, "%s: %ld %s of sector \"%s\", %s.sectors.%s.max is %d",
				cname(ck, c, buf, sizeof(buf)), count, noun, sr->sector, path, sr->sector, sr->count.max);
	}
	for (size_t k = 0; k < g->ncover; k++) {
		int found = 0;
		for (size_t m = 0; m < con->n && !found; m++)
			found = offers(consort_session_participant(ck->s, con->members[m]), g->cover[k]);
		if (!found)
			return VIOLATION(ck, "%s: no member offers \"%s\", %s.cover requires it",
				cname(ck, c, buf, sizeof(buf)), g->cover[k], path);
	}
	return 0;
}

/* Size follows problem.c: the default 2..no max applies unless the session or
 * the consortium's lot sets a size; lot rules apply on top of global ones. */
static int check_consortium(checker *ck, size_t c)
{
	const consort_rules *r = ck->r;
	const consort_group_rules *lot = r->nlots ? &r->lots[ck->lot[c]].rules : NULL;
	char path[64];
	int rc;
	if (lot)
		snprintf(path, sizeof(path), "rules.lots[%zu]", ck->lot[c]);
	if (r->group.has_size) {
		if ((rc = check_size(ck, c, r->group.size, "rules", "")) < 0)
			return rc;
	} else if (!lot || !lot->has_size) {
		consort_range dflt = {2, CONSORT_NO_MAX};
		if ((rc = check_size(ck, c, dflt, "rules", " by default")) < 0)
			return rc;
	}
	if (lot && lot->has_size && (rc = check_size(ck, c, lot->size, path, "")) < 0)
		return rc;
	if ((rc = check_group(ck, c, &r->group, "rules")) < 0)
		return rc;
	if (lot && (rc = check_group(ck, c, lot, path)) < 0)
		return rc;
	return 0;
}

static int check_pairs(checker *ck)
{
	const consort_rules *r = ck->r;
	for (size_t t = 0; t < r->ntogether; t++) {
		size_t a = r->together[t].a, b = r->together[t].b;
		int ca = ck->where[a], cb = ck->where[b];
		if (ca < 0 && cb < 0)
			return VIOLATION(ck, "rules.together[%zu]: %s and %s are both outside", t, pid(ck, a), pid(ck, b));
		if (ca < 0 || cb < 0) {
			size_t in = ca < 0 ? b : a, out = ca < 0 ? a : b;
			return VIOLATION(ck, "rules.together[%zu]: %s is in consortium %d, %s is outside", t,
				pid(ck, in), (ca < 0 ? cb : ca) + 1, pid(ck, out));
		}
		if (ca != cb)
			return VIOLATION(ck, "rules.together[%zu]: %s is in consortium %d, %s in consortium %d", t,
				pid(ck, a), ca + 1, pid(ck, b), cb + 1);
	}
	for (size_t t = 0; t < r->napart; t++) {
		size_t a = r->apart[t].a, b = r->apart[t].b;
		if (ck->where[a] >= 0 && ck->where[a] == ck->where[b])
			return VIOLATION(ck, "rules.apart[%zu]: %s and %s are both in consortium %d", t,
				pid(ck, a), pid(ck, b), ck->where[a] + 1);
	}
	return 0;
}

/* rules.fixed and rules.min_fit (fits from the proposal, checked against the
 * session's weights by check_scores). */
static int check_extended(checker *ck)
{
	const consort_rules *r = ck->r;
	const consort_proposal *p = ck->p;
	for (size_t f = 0; f < r->nfixed; f++) {
		const consort_fixed *fx = &r->fixed[f];
		int c = ck->where[fx->who];
		if (fx->lot < 0 && c >= 0)
			return VIOLATION(ck, "rules.fixed.%s: outside, but in consortium %d", pid(ck, fx->who), c + 1);
		if (fx->lot >= 0 && (c < 0 || ck->lot[c] != (size_t)fx->lot))
			return VIOLATION(ck, "rules.fixed.%s: lot %s, but %s", pid(ck, fx->who), r->lots[fx->lot].name,
				c < 0 ? "in no consortium" : "in another lot's consortium");
	}
	if (!r->has_min_fit)
		return 0;
	double *w;
	size_t n = consort_session_count(ck->s);
	int rc = consort_scoring_weights(&w, ck->s, ck->err);
	if (rc < 0)
		return rc;
	for (size_t c = 0; c < p->k && rc == 0; c++) {
		const consortium *con = &p->cons[c];
		for (size_t a = 0; a < con->n && rc == 0; a++) {
			double fit = 0;
			for (size_t b = 0; b < con->n; b++)
				fit += b != a ? w[con->members[a] * n + con->members[b]] : 0;
			if (fit < r->min_fit - consort__min_fit_tolerance(r->min_fit))
				rc = VIOLATION(ck, "rules.min_fit: %s has fit %g, below %g", pid(ck, con->members[a]), fit,
					r->min_fit);
		}
	}
	free(w);
	return rc;
}

static int check_scores(checker *ck)
{
	const consort_proposal *p = ck->p;
	double *w;
	size_t n = consort_session_count(ck->s);
	int rc = consort_scoring_weights(&w, ck->s, ck->err);
	if (rc < 0)
		return rc;
	double total = 0;
	char buf[160];
	for (size_t c = 0; c < p->k && rc == 0; c++) {
		const consortium *con = &p->cons[c];
		double score = 0;
		for (size_t a = 0; a < con->n; a++)
			for (size_t b = a + 1; b < con->n; b++)
				score += w[con->members[a] * n + con->members[b]];
		total += score;
		if (!(fabs(con->score - score) <= tol(score)))
			rc = VIOLATION(ck, "%s: score %.10g, the session's weights give %.10g",
				cname(ck, c, buf, sizeof(buf)), con->score, score);
	}
	free(w);
	if (rc < 0)
		return rc;
	if (!(fabs(p->objective - total) <= tol(total)))
		return VIOLATION(ck, "objective %.10g, the session's weights give %.10g", p->objective, total);
	if (isnan(p->bound) || p->bound < p->objective - tol(p->objective))
		return VIOLATION(ck, "bound %.10g is below the objective %.10g", p->bound, p->objective);
	if (p->status == CONSORT_STATUS_OPTIMAL && !(fabs(p->bound - p->objective) <= tol(p->objective)))
		return VIOLATION(ck, "status optimal, but bound %.10g differs from the objective %.10g",
			p->bound, p->objective);
	return 0;
}

int consort_proposal_check(const consort_proposal *p, const consort_session *s, consort_error *err)
{
	if (!p || !s)
		return consort__error(err, CONSORT_EUSAGE, "proposal check: no proposal or session given");
	size_t n = consort_session_count(s);
	if (p->nparts != n)
		return consort__error(err, CONSORT_EINVALID,
			"the proposal is for %zu participants, the session has %zu", p->nparts, n);
	if (p->status != CONSORT_STATUS_OPTIMAL && p->status != CONSORT_STATUS_FEASIBLE) {
		if (p->k || p->noutside)
			return consort__error(err, CONSORT_EINVALID, "status %s, but the proposal lists consortia",
				consort_status_name(p->status));
		return 0;
	}
	checker ck = {p, s, consort_session_rules(s), NULL, NULL, err};
	ck.where = malloc((n ? n : 1) * sizeof(int));
	ck.lot = calloc(p->k ? p->k : 1, sizeof(size_t));
	int rc;
	if (!ck.where || !ck.lot) {
		rc = consort__error_nomem(err);
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		ck.where[i] = -2;
	if ((rc = check_placement(&ck)) < 0 || (rc = check_count(&ck)) < 0 || (rc = check_lots(&ck)) < 0)
		goto done;
	for (size_t c = 0; c < p->k; c++)
		if ((rc = check_consortium(&ck, c)) < 0)
			goto done;
	if ((rc = check_pairs(&ck)) < 0 || (rc = check_extended(&ck)) < 0 || (rc = check_scores(&ck)) < 0)
		goto done;
	rc = 0;
done:
	free(ck.where);
	free(ck.lot);
	return rc;
}

/* ---- number formatting ---- */

/* Writes x with at most maxdec decimals, trailing zeros dropped down to mindec,
 * without float noise (41.499999999 -> 41.5) and independent of the locale. */
static void fmt_num(char *buf, size_t len, double x, int maxdec, int mindec)
{
	if (!isfinite(x)) {
		snprintf(buf, len, "%s", isnan(x) ? "nan" : x > 0 ? "inf" : "-inf");
		return;
	}
	if (maxdec > 9)
		maxdec = 9;
	long long scale = 1;
	for (int d = 0; d < maxdec; d++)
		scale *= 10;
	if (fabs(x) * (double)scale >= 9e15) {
		/* Too large for exact scaled integers: plain %.17g, decimal point fixed up. */
		snprintf(buf, len, "%.17g", x);
		for (char *c = buf; *c; c++)
			if (!((*c >= '0' && *c <= '9') || *c == '-' || *c == '+' || *c == 'e'))
				*c = '.';
		return;
	}
	long long v = llround(x * (double)scale);
	int neg = v < 0;
	unsigned long long a = (unsigned long long)(neg ? -v : v);
	int dec = maxdec;
	unsigned long long frac = a % (unsigned long long)scale;
	while (dec > mindec && frac % 10 == 0) {
		frac /= 10;
		dec--;
	}
	char digits[24];
	for (int d = dec - 1; d >= 0; d--, frac /= 10)
		digits[d] = (char)('0' + frac % 10);
	digits[dec] = '\0';
	snprintf(buf, len, "%s%llu%s%s", neg ? "-" : "", a / (unsigned long long)scale, dec ? "." : "", digits);
}

/* ---- JSON ---- */

static int add_number(cJSON *obj, const char *key, double x, int maxdec, int mindec)
{
	if (!isfinite(x))
		return cJSON_AddNullToObject(obj, key) ? 0 : -1;
	char buf[64];
	fmt_num(buf, sizeof(buf), x, maxdec, mindec);
	return cJSON_AddRawToObject(obj, key, buf) ? 0 : -1;
}

static int add_ids(cJSON *obj, const char *key, const size_t *idx, size_t n, const consort_session *s)
{
	cJSON *arr = cJSON_AddArrayToObject(obj, key);
	if (!arr)
		return -1;
	for (size_t i = 0; i < n; i++) {
		cJSON *id = cJSON_CreateString(consort_session_participant(s, idx[i])->id);
		if (!id || !cJSON_AddItemToArray(arr, id)) {
			cJSON_Delete(id);
			return -1;
		}
	}
	return 0;
}

/* "consortia" and "outside". */
static int add_consortia(cJSON *root, const consort_proposal *p, const consort_session *s)
{
	cJSON *cons = cJSON_AddArrayToObject(root, "consortia");
	if (!cons)
		return -1;
	for (size_t c = 0; c < p->k; c++) {
		cJSON *item = cJSON_CreateObject();
		if (!item || !cJSON_AddItemToArray(cons, item)) {
			cJSON_Delete(item);
			return -1;
		}
		if (add_ids(item, "members", p->cons[c].members, p->cons[c].n, s) < 0 ||
		    add_number(item, "score", p->cons[c].score, 6, 1) < 0 ||
		    (p->cons[c].lot && !cJSON_AddStringToObject(item, "lot", p->cons[c].lot)))
			return -1;
	}
	return add_ids(root, "outside", p->outside, p->noutside, s);
}

/* "alternatives": [{"objective", "status", "bound", "gap_to_best", "consortia", "outside", "moved"}]. */
static int add_alternatives(cJSON *root, const consort_proposal *p, const consort_session *s)
{
	if (!p->alt_asked)
		return 0;
	if (!cJSON_AddNumberToObject(root, "alternatives_asked", (double)p->alt_asked) ||
	    !cJSON_AddNumberToObject(root, "differ", p->alt_differ) ||
	    !cJSON_AddBoolToObject(root, "alternatives_exhausted", p->alt_exhausted))
		return -1;
	cJSON *arr = cJSON_AddArrayToObject(root, "alternatives");
	if (!arr)
		return -1;
	for (size_t a = 0; a < p->nalt; a++) {
		const consort_proposal *alt = p->alt[a];
		cJSON *item = cJSON_CreateObject();
		if (!item || !cJSON_AddItemToArray(arr, item)) {
			cJSON_Delete(item);
			return -1;
		}
		if (add_number(item, "objective", alt->objective, 6, 1) < 0 ||
		    !cJSON_AddStringToObject(item, "status", consort_status_name(alt->status)) ||
		    add_number(item, "bound", alt->bound, 6, 1) < 0 ||
		    add_number(item, "gap_to_best", alt->gap_to_best, 6, 1) < 0 ||
		    add_consortia(item, alt, s) < 0 ||
		    add_ids(item, "moved", alt->moved, alt->nmoved, s) < 0)
			return -1;
	}
	return 0;
}

static cJSON *build_json(const consort_proposal *p, const consort_session *s)
{
	cJSON *root = cJSON_CreateObject();
	const char *title = consort_session_title(s);
	if (!root || !cJSON_AddStringToObject(root, "format", CONSORT_PROPOSAL_FORMAT) ||
	    (title && !cJSON_AddStringToObject(root, "title", title)) ||
	    !cJSON_AddStringToObject(root, "status", consort_status_name(p->status)) ||
	    !cJSON_AddStringToObject(root, "engine", p->engine) ||
	    add_number(root, "objective", p->objective, 6, 1) < 0 ||
	    add_number(root, "bound", p->bound, 6, 1) < 0 ||
	    add_number(root, "gap", p->gap, 6, 1) < 0 ||
	    add_number(root, "seconds", p->seconds, 6, 3) < 0)
		goto fail;
	if (add_consortia(root, p, s) < 0)
		goto fail;
	if (p->nabsent && add_ids(root, "absent", p->absent, p->nabsent, s) < 0)
		goto fail;
	if (p->maxmin && (!cJSON_AddStringToObject(root, "objective_kind", "maxmin") ||
	    add_number(root, "min_fit_achieved", p->min_fit, 6, 1) < 0))
		goto fail;
	if (add_alternatives(root, p, s) < 0)
		goto fail;
	if (p->status == CONSORT_STATUS_INFEASIBLE && p->nconflict) {
		cJSON *arr = cJSON_AddArrayToObject(root, "conflict");
		if (!arr)
			goto fail;
		for (size_t i = 0; i < p->nconflict; i++) {
			cJSON *str = cJSON_CreateString(p->conflict[i]);
			if (!str || !cJSON_AddItemToArray(arr, str)) {
				cJSON_Delete(str);
				goto fail;
			}
		}
	}
	return root;
fail:
	cJSON_Delete(root);
	return NULL;
}

/* Indexes in p must be valid for s before any output is written. */
static int matches(const consort_proposal *p, const consort_session *s, consort_error *err)
{
	if (!p || !s)
		return consort__error(err, CONSORT_EUSAGE, "proposal: no proposal or session given");
	if (p->nparts != consort_session_count(s))
		return consort__error(err, CONSORT_EUSAGE,
			"proposal: it is for %zu participants, the session has %zu", p->nparts,
			consort_session_count(s));
	return 0;
}

int consort_proposal_to_json(char **out, const consort_proposal *p, const consort_session *s,
	consort_error *err)
{
	if (!out)
		return consort__error(err, CONSORT_EUSAGE, "proposal: no place for the result");
	*out = NULL;
	int rc = matches(p, s, err);
	if (rc < 0)
		return rc;
	cJSON *root = build_json(p, s);
	if (!root)
		return consort__error_nomem(err);
	/* Every proposal says how fair and how stable it is (consort/advice.h). */
	if ((rc = consort__advice_json(root, p, s, NULL, 0, err)) == 0)
		rc = consort__json_print(out, root, err);
	cJSON_Delete(root);
	return rc;
}

/* ---- text ---- */

typedef struct strbuf {
	char *data;
	size_t len, cap;
	int failed;
} strbuf;

static void sb_grow(strbuf *sb, size_t more)
{
	if (sb->failed || sb->len + more + 1 <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 256;
	while (cap < sb->len + more + 1)
		cap *= 2;
	char *bigger = realloc(sb->data, cap);
	if (!bigger) {
		sb->failed = 1;
		return;
	}
	sb->data = bigger;
	sb->cap = cap;
}

static void sb_add(strbuf *sb, const char *s, size_t n)
{
	sb_grow(sb, n);
	if (sb->failed)
		return;
	memcpy(sb->data + sb->len, s, n);
	sb->len += n;
	sb->data[sb->len] = '\0';
}

static void sb_printf(strbuf *sb, const char *fmt, ...) CONSORT__PRINTF(2, 3);
static void sb_printf(strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->failed = 1;
		return;
	}
	sb_grow(sb, (size_t)n);
	if (sb->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

static void sb_spaces(strbuf *sb, size_t n)
{
	while (n--)
		sb_add(sb, " ", 1);
}

/* Display width in code points (UTF-8 continuation bytes do not count). */
static size_t width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

/* Appends user text with control characters (newlines, terminal escapes)
 * replaced by spaces, so a name cannot break the layout or the terminal. */
static void sb_clean(strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		char c = (ch < 0x20 || ch == 0x7f) ? ' ' : *s;
		sb_add(sb, &c, 1);
	}
}

/* A cell padded to `w` code points; the last cell of a line is not padded. */
static void sb_cell(strbuf *sb, const char *s, size_t w, int last)
{
	sb_clean(sb, s);
	if (!last) {
		size_t have = width(s);
		sb_spaces(sb, have < w ? w - have : 0);
	}
}

static void offers_text(strbuf *sb, const consort_participant *pt)
{
	for (size_t k = 0; k < pt->noffers; k++) {
		if (k)
			sb_add(sb, ", ", 2);
		sb_clean(sb, pt->offers[k]);
	}
}

/* Column widths shared by every member row of the document. */
typedef struct columns {
	size_t id, name, sector, fit;
} columns;

static void fmt_fit(char *buf, size_t len, double fit)
{
	char num[64];
	fmt_num(num, sizeof(num), fit, 2, 1);
	snprintf(buf, len, "%s%s", fit >= 0 && num[0] != '-' ? "+" : "", num);
}

static void measure(columns *col, const consort_session *s, size_t i)
{
	const consort_participant *pt = consort_session_participant(s, i);
	size_t w;
	if ((w = width(pt->id)) > col->id)
		col->id = w;
	if ((w = width(pt->name)) > col->name)
		col->name = w;
	if ((w = width(pt->sector)) > col->sector)
		col->sector = w;
}

static columns measure_all(const consort_proposal *p, const consort_session *s)
{
	columns col = {0, 0, 0, 0};
	char fit[80];
	for (size_t c = 0; c < p->k; c++)
		for (size_t m = 0; m < p->cons[c].n; m++) {
			measure(&col, s, p->cons[c].members[m]);
			fmt_fit(fit, sizeof(fit), p->cons[c].fit[m]);
			if (strlen(fit) > col.fit)
				col.fit = strlen(fit);
		}
	for (size_t o = 0; o < p->noutside; o++)
		measure(&col, s, p->outside[o]);
	return col;
}

/* One row: id, name, sector, fit (right-aligned; blank when fit is NULL), the
 * confidence run's "sure NN%" when given, offers. */
static void member_row(strbuf *sb, const columns *col, const consort_participant *pt, const char *fit,
	const char *sure)
{
	sb_add(sb, "  ", 2);
	sb_cell(sb, pt->id, col->id, 0);
	sb_add(sb, "  ", 2);
	sb_cell(sb, pt->name, col->name, 0);
	sb_add(sb, "  ", 2);
	int more = pt->noffers || (col->fit && fit) || sure;
	sb_cell(sb, pt->sector, col->sector, !more);
	if (col->fit && more) {
		size_t w = fit ? strlen(fit) : 0;
		sb_add(sb, "  ", 2);
		if (fit) {
			sb_add(sb, "fit ", 4);
			sb_spaces(sb, col->fit - w);
			sb_add(sb, fit, w);
		} else {
			sb_spaces(sb, 4 + col->fit);
		}
	}
	if (sure) {
		sb_add(sb, "  sure ", 7);
		sb_printf(sb, "%4s", sure);
	}
	if (pt->noffers) {
		sb_add(sb, "   ", 3);
		offers_text(sb, pt);
	}
	sb_add(sb, "\n", 1);
}

/* "  sectors: 4 association, 3 firm" (no newline), sectors in the order they first appear in the session. */
static void sector_mix(strbuf *sb, const consort_session *s, const consortium *con)
{
	sb_add(sb, "  sectors: ", 11);
	int first = 1;
	for (size_t a = 0; a < con->n; a++) {
		const char *sec = consort_session_participant(s, con->members[a])->sector;
		int seen = 0;
		for (size_t b = 0; b < a && !seen; b++)
			seen = strcmp(consort_session_participant(s, con->members[b])->sector, sec) == 0;
		if (seen)
			continue;
		size_t count = 0;
		for (size_t b = a; b < con->n; b++)
			count += strcmp(consort_session_participant(s, con->members[b])->sector, sec) == 0;
		sb_printf(sb, "%s%zu ", first ? "" : ", ", count);
		sb_clean(sb, sec);
		first = 0;
	}
}

static void cover_item(strbuf *sb, const consort_session *s, const consortium *con, const char *service,
	int first)
{
	if (!first)
		sb_add(sb, "; ", 2);
	sb_clean(sb, service);
	sb_add(sb, " (", 2);
	int any = 0;
	for (size_t m = 0; m < con->n; m++) {
		const consort_participant *pt = consort_session_participant(s, con->members[m]);
		if (offers(pt, service)) {
			sb_printf(sb, "%s%s", any ? ", " : "", pt->id);
			any = 1;
		}
	}
	sb_add(sb, any ? ")" : "nobody)", any ? 1 : 7);
}

/* "   covers: coaching (a1, a4); cleaning (f1)" for the services the rules require. */
static void cover_line(strbuf *sb, const consort_session *s, const consortium *con,
	const consort_group_rules *lot)
{
	const consort_rules *r = consort_session_rules(s);
	if (!r->group.ncover && !(lot && lot->ncover))
		return;
	sb_add(sb, "   covers: ", 11);
	int first = 1;
	for (size_t k = 0; k < r->group.ncover; k++, first = 0)
		cover_item(sb, s, con, r->group.cover[k], first);
	for (size_t k = 0; lot && k < lot->ncover; k++) {
		int dup = 0;
		for (size_t j = 0; j < r->group.ncover && !dup; j++)
			dup = strcmp(r->group.cover[j], lot->cover[k]) == 0;
		if (!dup) {
			cover_item(sb, s, con, lot->cover[k], first);
			first = 0;
		}
	}
}

static const consort_group_rules *lot_rules(const consort_session *s, const char *name)
{
	const consort_rules *r = consort_session_rules(s);
	for (size_t g = 0; name && g < r->nlots; g++)
		if (strcmp(r->lots[g].name, name) == 0)
			return &r->lots[g].rules;
	return NULL;
}

static void text_header(strbuf *sb, const consort_proposal *p, const consort_session *s)
{
	const char *title = consort_session_title(s);
	size_t n = consort_session_count(s);
	char num[64];
	if (title && title[0]) {
		sb_clean(sb, title);
		sb_add(sb, " \xe2\x80\x94 ", 5); /* em dash */
	}
	sb_printf(sb, "%zu participant%s", n, n == 1 ? "" : "s");
	if (p->k)
		sb_printf(sb, ", %zu consorti%s", p->k, p->k == 1 ? "um" : "a");
	sb_printf(sb, "\nstatus: %s", consort_status_name(p->status));
	int solved = p->status == CONSORT_STATUS_OPTIMAL || p->status == CONSORT_STATUS_FEASIBLE;
	if (solved) {
		fmt_num(num, sizeof(num), p->objective, 2, 1);
		sb_printf(sb, "   objective: %s", num);
	}
	if (solved || p->status == CONSORT_STATUS_STOPPED) {
		if (isfinite(p->bound)) {
			fmt_num(num, sizeof(num), p->bound, 2, 1);
			sb_printf(sb, "   bound: %s", num);
		} else {
			sb_add(sb, "   bound: none proven", 21);
		}
	}
	if (solved && isfinite(p->gap)) {
		fmt_num(num, sizeof(num), p->gap * 100, 2, 0);
		sb_printf(sb, "   gap: %s%%", num);
	}
	fmt_num(num, sizeof(num), p->seconds, 3, 3);
	sb_printf(sb, "   (%s s, %s)\n", num, p->engine);
	if (solved && p->maxmin) {
		fmt_num(num, sizeof(num), isfinite(p->min_fit) ? p->min_fit : 0, 2, 1);
		sb_printf(sb, "objective: maxmin (the weakest member's fit first)   weakest fit: %s\n", num);
	}
}

static void text_consortia(strbuf *sb, const consort_proposal *p, const consort_session *s, const double *sure)
{
	columns col = measure_all(p, s);
	char num[64], fit[80];
	for (size_t c = 0; c < p->k; c++) {
		const consortium *con = &p->cons[c];
		fmt_num(num, sizeof(num), con->score, 2, 1);
		sb_printf(sb, "\nConsortium %zu", c + 1);
		if (con->lot) {
			sb_add(sb, " (lot ", 6);
			sb_clean(sb, con->lot);
			sb_add(sb, ")", 1);
		}
		sb_printf(sb, " \xe2\x80\x94 %zu member%s, score %s\n", con->n, con->n == 1 ? "" : "s", num);
		for (size_t m = 0; m < con->n; m++) {
			fmt_fit(fit, sizeof(fit), con->fit[m]);
			char pct[16] = "-";
			if (sure && !isnan(sure[con->members[m]]))
				snprintf(pct, sizeof(pct), "%.0f%%", 100 * sure[con->members[m]]);
			member_row(sb, &col, consort_session_participant(s, con->members[m]), fit, sure ? pct : NULL);
		}
		if (con->n) {
			sector_mix(sb, s, con);
			cover_line(sb, s, con, lot_rules(s, con->lot));
			sb_add(sb, "\n", 1);
		}
	}
	if (p->noutside) {
		sb_printf(sb, "\nOutside \xe2\x80\x94 %zu participant%s\n", p->noutside, p->noutside == 1 ? "" : "s");
		for (size_t o = 0; o < p->noutside; o++)
			member_row(sb, &col, consort_session_participant(s, p->outside[o]), NULL, NULL);
	}
	if (p->nabsent) {
		sb_printf(sb, "\nAbsent \xe2\x80\x94 %zu participant%s:", p->nabsent, p->nabsent == 1 ? "" : "s");
		for (size_t a = 0; a < p->nabsent; a++) {
			sb_add(sb, " ", 1);
			sb_clean(sb, consort_session_participant(s, p->absent[a])->id);
		}
		sb_add(sb, "\n", 1);
	}
}

/* Each alternative: objective, cost against the best, who moves, its consortia. */
static void text_alternatives(strbuf *sb, const consort_proposal *p, const consort_session *s)
{
	char num[64], cost[64];
	if (!p->alt_asked)
		return;
	sb_printf(sb, "\nAlternatives \xe2\x80\x94 %zu of %zu asked, each differing by at least %d member%s",
		p->nalt, p->alt_asked, p->alt_differ, p->alt_differ == 1 ? "" : "s");
	if (p->nalt < p->alt_asked)
		sb_add(sb, p->alt_exhausted ? " (no more exist)" : " (the time ran out)",
			p->alt_exhausted ? 16 : 19);
	sb_add(sb, "\n", 1);
	for (size_t a = 0; a < p->nalt; a++) {
		const consort_proposal *alt = p->alt[a];
		fmt_num(num, sizeof(num), alt->objective, 2, 1);
		fmt_num(cost, sizeof(cost), alt->gap_to_best, 2, 1);
		sb_printf(sb, "\nAlternative %zu: objective %s, %s below the best (%s)\n", a + 1, num, cost,
			consort_status_name(alt->status));
		sb_add(sb, "  moves:", 8);
		for (size_t m = 0; m < alt->nmoved; m++) {
			sb_add(sb, " ", 1);
			sb_clean(sb, consort_session_participant(s, alt->moved[m])->id);
		}
		sb_add(sb, "\n", 1);
		for (size_t c = 0; c < alt->k; c++) {
			fmt_num(num, sizeof(num), alt->cons[c].score, 2, 1);
			sb_printf(sb, "  %zu", c + 1);
			if (alt->cons[c].lot) {
				sb_add(sb, " (lot ", 6);
				sb_clean(sb, alt->cons[c].lot);
				sb_add(sb, ")", 1);
			}
			sb_printf(sb, " score %s:", num);
			for (size_t m = 0; m < alt->cons[c].n; m++) {
				sb_add(sb, " ", 1);
				sb_clean(sb, consort_session_participant(s, alt->cons[c].members[m])->id);
			}
			sb_add(sb, "\n", 1);
		}
		if (alt->noutside) {
			sb_add(sb, "  outside:", 10);
			for (size_t o = 0; o < alt->noutside; o++) {
				sb_add(sb, " ", 1);
				sb_clean(sb, consort_session_participant(s, alt->outside[o])->id);
			}
			sb_add(sb, "\n", 1);
		}
	}
}

int consort__proposal_text(char **out, const consort_proposal *p, const consort_session *s,
	const double *sure, const char *extra, consort_error *err)
{
	if (!out)
		return consort__error(err, CONSORT_EUSAGE, "proposal: no place for the result");
	*out = NULL;
	int rc = matches(p, s, err);
	if (rc < 0)
		return rc;
	strbuf sb = {NULL, 0, 0, 0};
	text_header(&sb, p, s);
	if (p->status == CONSORT_STATUS_INFEASIBLE) {
		sb_add(&sb, "\nNo proposal meets the rules.\n", 30);
		if (p->nconflict) {
			sb_add(&sb, "These rules cannot all hold together: ", 38);
			for (size_t i = 0; i < p->nconflict; i++) {
				if (i)
					sb_add(&sb, "; ", 2);
				sb_clean(&sb, p->conflict[i]);
			}
			sb_add(&sb, "\n", 1);
		}
	} else if (p->status == CONSORT_STATUS_STOPPED) {
		sb_add(&sb, "\nNo proposal found within the time limit.\n", 42);
	} else {
		text_consortia(&sb, p, s, sure);
		if (extra)
			sb_add(&sb, extra, strlen(extra));
		text_alternatives(&sb, p, s);
	}
	if (sb.failed || !sb.data) {
		free(sb.data);
		return consort__error_nomem(err);
	}
	*out = sb.data;
	return 0;
}

/* JSON tree of the proposal without the advice's fields (consort_advice_to_json adds them). */
cJSON *consort__proposal_json(const consort_proposal *p, const consort_session *s)
{
	return matches(p, s, NULL) < 0 ? NULL : build_json(p, s);
}

int consort_proposal_to_text(char **out, const consort_proposal *p, const consort_session *s,
	consort_error *err)
{
	char *more = NULL;
	/* Every proposal says how fair and how stable it is (consort/advice.h). */
	int rc = consort__advice_text(&more, p, s, NULL, 0, err);
	if (rc == 0)
		rc = consort__proposal_text(out, p, s, NULL, more, err);
	free(more);
	return rc;
}
