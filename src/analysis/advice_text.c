/* The advice as readable text after a proposal's consortia: fairness and
 * stability always, and on request each member's "why", the comparison with an
 * earlier proposal and the confidence run. */
#include "analysis/advice.h"
#include "error.h"
#include "proposal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct buf {
	char *data;
	size_t len, cap;
	int failed;
} buf;

/* Appends formatted text; control characters from user strings become spaces. */
static void out(buf *b, const char *fmt, ...) CONSORT__PRINTF(2, 3);
static void out(buf *b, const char *fmt, ...)
{
	if (b->failed)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if (b->len + (size_t)n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 512;
		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		char *bigger = realloc(b->data, cap);
		if (!bigger) {
			b->failed = 1;
			return;
		}
		b->data = bigger;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	for (size_t i = b->len; i < b->len + (size_t)n; i++) {
		unsigned char ch = (unsigned char)b->data[i];
		if ((ch < 0x20 && ch != '\n') || ch == 0x7f)
			b->data[i] = ' ';
	}
	b->len += (size_t)n;
}

/* "+3.5", "-1.0", "0.0": fits and changes with a sign, at most 2 decimals. */
static const char *sig(char *s, size_t len, double x)
{
	double r = round(x * 100) / 100;
	if (r == 0)
		r = 0;
	snprintf(s, len, "%s%.*f", r > 0 ? "+" : "", fabs(r - round(r)) < 1e-9 ? 1 : 2, r);
	for (char *c = s; *c; c++)
		if (*c == ',')
			*c = '.';
	/* 3.50 -> 3.5 */
	size_t l = strlen(s);
	if (l > 3 && s[l - 1] == '0' && s[l - 3] == '.')
		s[l - 1] = '\0';
	return s;
}

/* Without the sign: "6.5". */
static const char *plain(char *s, size_t len, double x)
{
	sig(s, len, x);
	if (s[0] == '+')
		memmove(s, s + 1, strlen(s));
	return s;
}

static const char *id(const consort_advice *a, size_t i)
{
	return consort_session_participant(a->s, i)->id;
}

static void text_fairness(buf *b, const consort_advice *a)
{
	const consort_fairness *f = &a->fair;
	char x[32], y[32], z[32], w[32];
	if (!f->placed)
		return;
	out(b, "\nFairness: fits from %s to %s, mean %s, spread %s; weakest:", sig(x, sizeof(x), f->min_fit),
		sig(y, sizeof(y), f->max_fit), sig(z, sizeof(z), f->mean_fit), plain(w, sizeof(w), f->spread));
	for (size_t k = 0; k < f->nweakest; k++)
		out(b, "%s %s", k ? "," : "", id(a, f->weakest[k]));
	out(b, "\n");
}

static void text_stability(buf *b, const consort_advice *a)
{
	char p1[160], p2[160], x[32], y[32];
	if (consort_advice_stable(a)) {
		out(b, "Stability: stable (nobody, alone or in a pair, would gain by moving%s)\n",
			a->pairs_checked ? "" : "; pairs not checked above " "2000 members");
		return;
	}
	size_t allowed = 0;
	for (size_t k = 0; k < a->nmovers; k++)
		allowed += a->movers[k].feasible != 0;
	for (size_t k = 0; k < a->npairs; k++)
		allowed += a->pairs[k].feasible != 0;
	out(b, "Stability: %zu move%s alone and %zu pair move%s would raise the fits of those who move; ",
		a->nmovers, a->nmovers == 1 ? "" : "s", a->npairs, a->npairs == 1 ? "" : "s");
	if (allowed)
		out(b, "the rules allow %zu of them\n", allowed);
	else
		out(b, "the rules allow none of them\n");
	for (size_t k = 0; k < a->nmovers; k++) {
		const consort_mover *m = &a->movers[k];
		out(b, "  %s: %s -> %s (fit %s -> %s)%s\n", id(a, m->member),
			consort__advice_place(a, m->from, p1, sizeof(p1)), consort__advice_place(a, m->to, p2, sizeof(p2)),
			sig(x, sizeof(x), m->fit), sig(y, sizeof(y), m->fit_there),
			m->feasible ? ", the rules allow it" : ", the rules do not allow it");
	}
	for (size_t k = 0; k < a->npairs; k++) {
		const consort_pair_gain *g = &a->pairs[k];
		if (g->kind == CONSORT_PAIR_SWAP)
			out(b, "  %s and %s: swap between %s and %s", id(a, g->a), id(a, g->b),
				consort__advice_place(a, g->from_a, p1, sizeof(p1)),
				consort__advice_place(a, g->from_b, p2, sizeof(p2)));
		else
			out(b, "  %s and %s: together from %s to %s", id(a, g->a), id(a, g->b),
				consort__advice_place(a, g->from_a, p1, sizeof(p1)),
				consort__advice_place(a, g->to_a, p2, sizeof(p2)));
		out(b, " (gains %s and %s)%s\n", sig(x, sizeof(x), g->gain_a), sig(y, sizeof(y), g->gain_b),
			g->feasible ? ", the rules allow it" : ", the rules do not allow it");
	}
}

static void reasons(buf *b, const consort_advice *a, size_t who, const char *label, const consort_why_pair *r,
	size_t n)
{
	char x[32], g[32], h[32];
	if (!n)
		return;
	out(b, "  %s", label);
	for (size_t k = 0; k < n; k++) {
		snprintf(g, sizeof(g), "%g", r[k].given);
		snprintf(h, sizeof(h), "%g", r[k].got);
		out(b, "%s %s %s (%s gave %s, got %s)", k ? ";" : "", id(a, r[k].other), sig(x, sizeof(x), r[k].weight),
			id(a, who), r[k].has_given ? g : "-", r[k].has_got ? h : "-");
	}
	out(b, "\n");
}

static void text_move(buf *b, const consort_advice *a, const consort_move *m)
{
	char p[160], x[32], y[32];
	out(b, "    %s: fit %s (objective %s)", consort__advice_place(a, m->to, p, sizeof(p)),
		sig(x, sizeof(x), m->fit), sig(y, sizeof(y), m->change));
	if (m->feasible) {
		out(b, ", the rules allow it\n");
		return;
	}
	out(b, ", blocked by");
	for (size_t k = 0; k < m->nblocked; k++)
		out(b, "%s %s (%s)", k ? ";" : "", m->blocked[k].rule, m->blocked[k].detail);
	out(b, "\n");
}

static void text_verdict(buf *b, const consort_advice *a, const consort_why *w)
{
	char p[160], x[32];
	if (w->best < 0) {
		out(b, "  nowhere else to go\n");
		return;
	}
	const consort_move *m = &w->moves[w->best];
	consort__advice_place(a, m->to, p, sizeof(p));
	switch (w->verdict) {
	case CONSORT_WHY_BEST_HOME:
		if (m->change < 0)
			out(b, "  -> it fits best where it is; its best other place, %s, would cost the total %s\n", p,
				plain(x, sizeof(x), -m->change));
		else
			out(b, "  -> it fits as well in %s as where it is\n", p);
		break;
	case CONSORT_WHY_BLOCKED:
		out(b, "  -> it would fit better in %s, but", p);
		for (size_t k = 0; k < m->nblocked; k++)
			out(b, "%s %s", k ? " and" : "", m->blocked[k].rule);
		out(b, " hold%s it here\n", m->nblocked == 1 ? "s" : "");
		break;
	case CONSORT_WHY_OPEN:
		out(b, "  -> it would fit better in %s and the rules allow it: the total would change by %s "
		       "(the proposal is not optimal for the total, or another objective holds it)\n",
			p, sig(x, sizeof(x), m->change));
		break;
	}
}

static void text_why(buf *b, const consort_advice *a)
{
	char p[160], x[32];
	if (!a->why) {
		out(b, "\nWhy: not computed for %d members in %d consortia (more than %.0f moves)\n", a->n, a->k,
			CONSORT_ADVICE_WHY_MAX);
		return;
	}
	for (int i = 0; i < a->n; i++) {
		if ((a->why_only >= 0 && a->why_only != i) || a->absent[i])
			continue;
		const consort_why *w = &a->why[i];
		const consort_participant *pt = consort_session_participant(a->s, (size_t)i);
		out(b, "\nWhy %s (%s): %s, fit %s\n", pt->id, pt->name, consort__advice_place(a, w->home, p, sizeof(p)),
			sig(x, sizeof(x), w->fit));
		reasons(b, a, (size_t)i, "pulled in by:", w->pull, w->npull);
		reasons(b, a, (size_t)i, "pushed out by:", w->push, w->npush);
		if (w->nmoves)
			out(b, "  moving alone to\n");
		for (size_t m = 0; m < w->nmoves; m++)
			text_move(b, a, &w->moves[m]);
		text_verdict(b, a, w);
	}
}

static void text_compare(buf *b, const consort_advice *a)
{
	char x[32], y[32];
	const consort_comparison *c = &a->cmp;
	out(b, "\nCompared with the earlier proposal: it scores %s under this session; this one scores ",
		plain(x, sizeof(x), c->objective));
	if (fabs(c->difference) < 1e-9 * fmax(1.0, fabs(c->objective)))
		out(b, "the same; ");
	else
		out(b, "%s %s (%s); ", plain(y, sizeof(y), fabs(c->difference)), c->difference > 0 ? "more" : "less",
			sig(x, sizeof(x), c->difference));
	if (!c->nmoved) {
		out(b, "the same consortia\n");
		return;
	}
	out(b, "%zu member%s placed differently:", c->nmoved, c->nmoved == 1 ? "" : "s");
	for (size_t k = 0; k < c->nmoved; k++)
		out(b, "%s %s", k ? "," : "", id(a, c->moved[k]));
	out(b, "\n");
}

static void text_confidence(buf *b, const consort_advice *a)
{
	const consort_confidence *c = &a->conf;
	out(b, "\nConfidence: %zu samples of perturbed ratings (seed %lu), %zu solved, %zu proved optimal;\n"
	       "\"sure\" is how often a member ends up with its consortium-mates.\n",
		c->samples, c->seed, c->solved, c->proved);
	/* The least sure pairs inside the proposal's consortia. */
	size_t n = (size_t)a->n, shown = 0;
	double lo = 2;
	for (size_t x = 0; x < n; x++)
		for (size_t y = x + 1; y < n; y++)
			if (a->home[x] >= 0 && a->home[x] == a->home[y] && consort_advice_together(a, x, y) < lo)
				lo = consort_advice_together(a, x, y);
	if (lo >= 1)
		return;
	size_t px[5], py[5];
	for (size_t x = 0; x < n && shown < 5; x++)
		for (size_t y = x + 1; y < n && shown < 5; y++)
			if (a->home[x] >= 0 && a->home[x] == a->home[y] && consort_advice_together(a, x, y) <= lo + 1e-12) {
				px[shown] = x;
				py[shown++] = y;
			}
	out(b, "Least sure pair%s inside a consortium (%.0f%% of samples together):", shown == 1 ? "" : "s", lo * 100);
	for (size_t k = 0; k < shown; k++)
		out(b, "%s %s + %s", k ? "," : "", id(a, px[k]), id(a, py[k]));
	out(b, "\n");
}

int consort__advice_text(char **text, const consort_proposal *p, const consort_session *s,
	const consort_advice *a, unsigned sections, consort_error *err)
{
	*text = NULL;
	consort_advice *own = NULL;
	if (!a) {
		int rc = consort_advice_new(&own, p, s, err);
		if (rc < 0)
			return rc;
		a = own;
	}
	buf b = {NULL, 0, 0, 0};
	out(&b, "%s", "");
	if (a->solved) {
		text_fairness(&b, a);
		text_stability(&b, a);
		if (sections & CONSORT_ADVICE_WHY)
			text_why(&b, a);
		if ((sections & CONSORT_ADVICE_COMPARE) && a->compared)
			text_compare(&b, a);
		if ((sections & CONSORT_ADVICE_CONFIDENCE) && a->confident)
			text_confidence(&b, a);
	}
	consort_advice_free(own);
	if (b.failed) {
		free(b.data);
		return consort__error_nomem(err);
	}
	*text = b.data;
	return 0;
}

int consort_advice_to_text(char **text, const consort_advice *a, unsigned sections, consort_error *err)
{
	if (!text || !a)
		return consort__error(err, CONSORT_EUSAGE, "advice: no place for the result");
	*text = NULL;
	const double *sure = (sections & CONSORT_ADVICE_CONFIDENCE) && a->confident ? a->mconf : NULL;
	char *more = NULL;
	int rc = consort__advice_text(&more, a->p, a->s, a, sections, err);
	if (rc == 0)
		rc = consort__proposal_text(text, a->p, a->s, sure, more, err);
	free(more);
	return rc;
}
