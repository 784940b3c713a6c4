/* The consultant's parts of the workshop report: the next best line-ups
 * (consort_solve_options.alternatives), whether anyone would gain by moving
 * (stability), and how sure each place is under the ratings' noise
 * (confidence), from consort/advice.h. */
#include "writers/report_view.h"

#include <math.h>

/* Moves listed under one consortium; the rest are counted. */
#define MOVES_SHOWN 8

static void id_list(consort__xml *w, const consort_session *s, const size_t *ids, size_t n, size_t shown)
{
	for (size_t k = 0; k < n && k < shown; k++) {
		consort__xml_raw(w, k ? ", " : "");
		consort__xml_text(w, consort_session_participant(s, ids[k])->id);
	}
	if (n > shown)
		consort__xml_rawf(w, " and %zu more", n - shown);
}

void consort__report_alternatives(consort__xml *w, const consort__report_view *v)
{
	size_t n = consort_proposal_alternative_count(v->p);
	if (!consort_proposal_alternatives_asked(v->p))
		return;
	int differ = consort_proposal_alternatives_differ(v->p);
	consort__xml_raw(w, "<h3>Alternatives</h3>\n<p>");
	consort__xml_rawf(w, "The next best line-ups under the same rules, each with at least %d member%s "
		"placed differently from the proposal and from every line-up above it.", differ,
		differ == 1 ? "" : "s");
	if (n < consort_proposal_alternatives_asked(v->p))
		consort__xml_raw(w, consort_proposal_alternatives_exhausted(v->p)
			? " No more line-ups meet the rules with that difference."
			: " The time limit ended the search before more were found.");
	consort__xml_raw(w, "</p>\n");
	if (!n)
		return;
	consort__xml_raw(w, "<table class=\"alternatives\">\n<thead><tr><th>line-up</th><th class=\"num\">total</th>"
		"<th class=\"num\">below the proposal</th><th>placed differently</th><th>proof</th></tr></thead>\n"
		"<tbody>\n");
	for (size_t k = 0; k < n; k++) {
		const consort_proposal *alt = consort_proposal_alternative(v->p, k);
		size_t nmoved = 0;
		const size_t *moved = consort_proposal_moved(alt, &nmoved);
		consort__xml_rawf(w, "<tr class=\"alternative\"><td>%zu</td><td class=\"num\">", k + 2);
		consort__xml_num(w, consort_proposal_objective(alt), 2);
		consort__xml_raw(w, "</td><td class=\"num\">");
		consort__xml_num(w, consort_proposal_gap_to_best(alt), 2);
		consort__xml_rawf(w, "</td><td>%zu: ", nmoved);
		id_list(w, v->s, moved, nmoved, 12);
		consort__xml_raw(w, consort_proposal_status(alt) == CONSORT_STATUS_OPTIMAL
			? "</td><td>proved next best</td></tr>\n" : "</td><td>not proved</td></tr>\n");
	}
	consort__xml_raw(w, "</tbody>\n</table>\n");
}

static size_t feasible_moves(const consort_advice *a)
{
	size_t f = 0;
	for (size_t k = 0; k < consort_advice_mover_count(a); k++)
		f += consort_advice_mover(a, k)->feasible != 0;
	for (size_t k = 0; k < consort_advice_pair_count(a); k++)
		f += consort_advice_pair(a, k)->feasible != 0;
	return f;
}

void consort__report_stability(consort__xml *w, const consort__report_view *v)
{
	const consort_advice *a = v->advice;
	if (!a || !v->ngroups)
		return;
	size_t movers = consort_advice_mover_count(a), pairs = consort_advice_pair_count(a);
	consort__xml_raw(w, "<p class=\"stability\">");
	if (consort_advice_stable(a)) {
		consort__xml_raw(w, "<strong>Stable</strong>: no member would fit better by moving alone to another "
			"consortium");
		consort__xml_raw(w, consort_advice_pairs_checked(a)
			? ", and no two members by trading places or moving together.</p>\n"
			: " (pairs were not checked at this size).</p>\n");
		return;
	}
	size_t f = feasible_moves(a);
	if (f == 0)
		consort__xml_rawf(w, "<strong>Stable under the rules</strong>: %zu move%s of one member and %zu of "
			"two would give the movers a higher fit, but the rules forbid every one of them. Each "
			"consortium lists its own.</p>\n", movers, movers == 1 ? "" : "s", pairs);
	else
		consort__xml_rawf(w, "<strong>Not stable</strong>: %zu move%s of one member and %zu of two would "
			"give the movers a higher fit; the rules allow %zu of them. Each consortium lists its "
			"own.</p>\n", movers, movers == 1 ? "" : "s", pairs, f);
}

static void place_words(consort__xml *w, const consort__report_view *v, int c)
{
	if (c == CONSORT_OUTSIDE)
		consort__xml_raw(w, "outside every consortium");
	else
		consort__report_group_label(w, v, (size_t)c);
}

static void member_words(consort__xml *w, const consort__report_view *v, size_t i)
{
	const consort_participant *pt = consort_session_participant(v->s, i);
	consort__xml_text(w, pt->name);
	consort__xml_raw(w, " (");
	consort__xml_text(w, pt->id);
	consort__xml_raw(w, ")");
}

static void signed_num(consort__xml *w, double x)
{
	if (x >= 0)
		consort__xml_raw(w, "+");
	consort__xml_num(w, x, 2);
}

/* One mover, or one pair, as a list item. */
static void mover_item(consort__xml *w, const consort__report_view *v, const consort_mover *m)
{
	consort__xml_raw(w, "<li class=\"mover\">");
	member_words(w, v, m->member);
	consort__xml_raw(w, " would fit ");
	signed_num(w, m->fit_there);
	consort__xml_raw(w, " in ");
	place_words(w, v, m->to);
	consort__xml_raw(w, " instead of ");
	signed_num(w, m->fit);
	consort__xml_raw(w, m->feasible ? " \xe2\x80\x94 the rules allow it</li>\n"
		: " \xe2\x80\x94 the rules forbid it</li>\n");
}

static void pair_item(consort__xml *w, const consort__report_view *v, const consort_pair_gain *p)
{
	consort__xml_raw(w, "<li class=\"mover\">");
	member_words(w, v, p->a);
	consort__xml_raw(w, " and ");
	member_words(w, v, p->b);
	if (p->kind == CONSORT_PAIR_SWAP) {
		consort__xml_raw(w, " would both fit better trading places (");
	} else {
		consort__xml_raw(w, " would both fit better moving together to ");
		place_words(w, v, p->to_a);
		consort__xml_raw(w, " (");
	}
	signed_num(w, p->gain_a);
	consort__xml_raw(w, " and ");
	signed_num(w, p->gain_b);
	consort__xml_raw(w, p->feasible ? ") \xe2\x80\x94 the rules allow it</li>\n"
		: ") \xe2\x80\x94 the rules forbid it</li>\n");
}

void consort__report_moves(consort__xml *w, const consort__report_view *v, size_t g)
{
	const consort_advice *a = v->advice;
	if (!a)
		return;
	size_t shown = 0, more = 0;
	for (size_t k = 0; k < consort_advice_mover_count(a); k++) {
		const consort_mover *m = consort_advice_mover(a, k);
		if (m->from != (int)g)
			continue;
		if (shown == 0)
			consort__xml_raw(w, "<p class=\"sub\">Would fit better elsewhere:</p>\n<ul class=\"moves\">\n");
		if (shown < MOVES_SHOWN) {
			mover_item(w, v, m);
			shown++;
		} else {
			more++;
		}
	}
	for (size_t k = 0; k < consort_advice_pair_count(a); k++) {
		const consort_pair_gain *p = consort_advice_pair(a, k);
		if (p->from_a != (int)g) /* listed under the first member's consortium */
			continue;
		if (shown == 0)
			consort__xml_raw(w, "<p class=\"sub\">Would fit better elsewhere:</p>\n<ul class=\"moves\">\n");
		if (shown < MOVES_SHOWN) {
			pair_item(w, v, p);
			shown++;
		} else {
			more++;
		}
	}
	if (more)
		consort__xml_rawf(w, "<li>and %zu more</li>\n", more);
	if (shown)
		consort__xml_raw(w, "</ul>\n");
	else
		consort__xml_raw(w, "<p class=\"sub\">Nobody here would fit better elsewhere.</p>\n");
}

void consort__report_confidence(consort__xml *w, const consort__report_view *v)
{
	const consort_confidence *c = v->advice ? consort_advice_confidence_info(v->advice) : NULL;
	if (!c || !v->ngroups)
		return;
	consort__xml_rawf(w, "<p class=\"confidence\"><strong>Confidence</strong>: the ratings were perturbed "
		"by their own noise %zu times (each rater's spread, seed %lu) and solved again (%zu solved, %zu "
		"proved optimal). A member's <em>sure</em> is the share of those solutions that keep it with its "
		"consortium mates.</p>\n", c->samples, c->seed, c->solved, c->proved);
}

double consort__report_sure(const consort__report_view *v, size_t i)
{
	if (!v->advice || !consort_advice_confidence_info(v->advice))
		return NAN;
	return consort_advice_member_confidence(v->advice, i);
}
