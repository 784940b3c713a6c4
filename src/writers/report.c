/* The workshop report (consort/report.h): the page around the two pictures,
 * with the session's rules and scoring in words, the status, and each
 * consortium's members, fit and services. */
#include "writers/report_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void consort_report_options_init(consort_report_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->seed = 1;
}

/* Consortium and sector colours: distinct, readable in grey print. */
static const char *const GROUP_COLOURS[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e",
	"#e6ab02", "#a6761d", "#1f78b4", "#b15928", "#6a3d9a"};
static const char *const SECTOR_COLOURS[] = {"#8dd3c7", "#fdb462", "#bebada", "#fb8072", "#80b1d3",
	"#b3de69", "#fccde5", "#d9d9d9", "#ffed6f", "#bc80bd"};

const char *consort__report_group_colour(size_t g)
{
	return GROUP_COLOURS[g % (sizeof(GROUP_COLOURS) / sizeof(GROUP_COLOURS[0]))];
}

const char *consort__report_sector_colour(size_t k)
{
	return SECTOR_COLOURS[k % (sizeof(SECTOR_COLOURS) / sizeof(SECTOR_COLOURS[0]))];
}

#define NCOLOURS (sizeof(GROUP_COLOURS) / sizeof(GROUP_COLOURS[0]))

/* The style sheet's class of the same colours ("g0".."g9", "s0".."s9"). */
const char *consort__report_group_class(size_t g)
{
	static const char *const names[NCOLOURS] = {"g0", "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8",
		"g9"};
	return names[g % NCOLOURS];
}

const char *consort__report_sector_class(size_t k)
{
	static const char *const names[NCOLOURS] = {"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8",
		"s9"};
	return names[k % NCOLOURS];
}

/* ---- the view ---- */

static int place(consort__report_view *v, size_t i, int g, size_t *at, consort_error *err)
{
	if (i >= v->n || v->group[i] != -2)
		return consort__error(err, CONSORT_EINVALID,
			"report: the proposal does not belong to this session (participant %zu)", i);
	v->group[i] = g;
	v->order[(*at)++] = i;
	return 0;
}

static int sectors_of(consort__report_view *v)
{
	for (size_t i = 0; i < v->n; i++) {
		const char *sec = consort_session_participant(v->s, i)->sector;
		size_t k = 0;
		while (k < v->nsectors && strcmp(v->sectors[k], sec) != 0)
			k++;
		if (k == v->nsectors)
			v->sectors[v->nsectors++] = sec;
		v->sector[i] = k;
	}
	return 0;
}

int consort__report_view_build(consort__report_view *v, const consort_session *s,
	const consort_proposal *p, consort_error *err)
{
	memset(v, 0, sizeof(*v));
	if (!s || !p)
		return consort__error(err, CONSORT_EUSAGE, "report: no session or proposal given");
	v->s = s;
	v->p = p;
	v->n = consort_session_count(s);
	consort_status st = consort_proposal_status(p);
	int solved = st == CONSORT_STATUS_OPTIMAL || st == CONSORT_STATUS_FEASIBLE;
	v->ngroups = solved ? consort_proposal_count(p) : 0;
	size_t n1 = v->n ? v->n : 1;
	v->order = malloc(n1 * sizeof(size_t));
	v->start = malloc((v->ngroups + 2) * sizeof(size_t));
	v->group = malloc(n1 * sizeof(int));
	v->fit = calloc(n1, sizeof(double));
	v->sectors = malloc(n1 * sizeof(char *));
	v->sector = malloc(n1 * sizeof(size_t));
	if (!v->order || !v->start || !v->group || !v->fit || !v->sectors || !v->sector) {
		consort__report_view_free(v);
		return consort__error_nomem(err);
	}
	int rc = consort_scoring_weights(&v->w, s, err);
	if (rc < 0) {
		consort__report_view_free(v);
		return rc;
	}
	for (size_t i = 0; i < v->n; i++)
		v->group[i] = -2; /* not seen yet */
	size_t at = 0;
	for (size_t g = 0; g < v->ngroups && rc == 0; g++) {
		v->start[g] = at;
		size_t m;
		const size_t *members = consort_proposal_members(p, g, &m);
		for (size_t a = 0; a < m && rc == 0; a++)
			rc = place(v, members[a], (int)g, &at, err);
	}
	v->start[v->ngroups] = at;
	if (rc == 0 && solved) {
		size_t m;
		const size_t *outside = consort_proposal_outside(p, &m);
		for (size_t a = 0; a < m && rc == 0; a++)
			rc = place(v, outside[a], -1, &at, err);
		/* Absent members (rules.absent) are in no consortium either. */
		const size_t *absent = consort_proposal_absent(p, &m);
		for (size_t a = 0; a < m && rc == 0; a++)
			rc = place(v, absent[a], -1, &at, err);
		if (rc == 0 && at != v->n)
			rc = consort__error(err, CONSORT_EINVALID,
				"report: the proposal places %zu participants, the session has %zu", at, v->n);
	}
	/* Without a proposal everyone is in no consortium, in the session's order. */
	for (size_t i = 0; i < v->n && rc == 0; i++)
		if (v->group[i] == -2) {
			v->group[i] = -1;
			v->order[at++] = i;
		}
	v->start[v->ngroups + 1] = v->n;
	if (rc < 0) {
		consort__report_view_free(v);
		return rc;
	}
	for (size_t i = 0; i < v->n; i++)
		for (size_t j = 0; j < v->n; j++)
			if (j != i && v->group[i] >= 0 && v->group[i] == v->group[j])
				v->fit[i] += v->w[i * v->n + j];
	sectors_of(v);
	return 0;
}

void consort__report_view_free(consort__report_view *v)
{
	free(v->w);
	free(v->order);
	free(v->start);
	free(v->group);
	free(v->fit);
	free(v->sectors);
	free(v->sector);
	memset(v, 0, sizeof(*v));
}

void consort__report_group_label(consort__xml *w, const consort__report_view *v, size_t g)
{
	const char *lot = consort_proposal_lot(v->p, g);
	consort__xml_rawf(w, "Consortium %zu", g + 1);
	if (lot) {
		consort__xml_raw(w, " (");
		consort__xml_text_trunc(w, lot, 30);
		consort__xml_raw(w, ")");
	}
}

/* ---- words ---- */

static void range_words(consort__xml *w, consort_range r, const char *one, const char *many)
{
	if (r.max == r.min)
		consort__xml_rawf(w, "exactly %d %s", r.min, r.min == 1 ? one : many);
	else if (r.max == CONSORT_NO_MAX)
		consort__xml_rawf(w, "at least %d %s", r.min, r.min == 1 ? one : many);
	else if (r.min <= 0)
		consort__xml_rawf(w, "at most %d %s", r.max, r.max == 1 ? one : many);
	else
		consort__xml_rawf(w, "%d to %d %s", r.min, r.max, many);
}

static void list_words(consort__xml *w, const char *const *items, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		consort__xml_raw(w, k == 0 ? "" : k + 1 == n ? " and " : ", ");
		consort__xml_text(w, items[k]);
	}
}

/* The rules of one consortium (global, or a lot's own) as list items. */
static void group_rule_words(consort__xml *w, const consort_group_rules *g, int global)
{
	if (g->has_size || global) {
		consort_range size = g->has_size ? g->size : (consort_range){2, CONSORT_NO_MAX};
		consort__xml_raw(w, "<li>");
		range_words(w, size, "member", "members");
		consort__xml_raw(w, global && !g->has_size ? " in each consortium (the default)</li>\n"
			: global ? " in each consortium</li>\n" : "</li>\n");
	}
	for (size_t k = 0; k < g->nsectors; k++) {
		consort__xml_raw(w, "<li>");
		range_words(w, g->sectors[k].count, "member", "members");
		consort__xml_raw(w, " from the sector \xe2\x80\x9c");
		consort__xml_text(w, g->sectors[k].sector);
		consort__xml_raw(w, global ? "\xe2\x80\x9d in each consortium</li>\n" : "\xe2\x80\x9d</li>\n");
	}
	if (g->ncover) {
		consort__xml_raw(w, global ? "<li>each consortium offers " : "<li>offers ");
		list_words(w, g->cover, g->ncover);
		consort__xml_raw(w, "</li>\n");
	}
}

static void pair_words(consort__xml *w, const consort_session *s, const consort_pair *pairs, size_t n,
	const char *what)
{
	for (size_t k = 0; k < n; k++) {
		consort__xml_raw(w, "<li>");
		consort__xml_text(w, consort_session_participant(s, pairs[k].a)->name);
		consort__xml_raw(w, " and ");
		consort__xml_text(w, consort_session_participant(s, pairs[k].b)->name);
		consort__xml_raw(w, what);
		consort__xml_raw(w, "</li>\n");
	}
}

static void rules_words(consort__xml *w, const consort_session *s)
{
	const consort_rules *r = consort_session_rules(s);
	consort__xml_raw(w, "<h3>Rules</h3>\n<ul class=\"rules\">\n<li>");
	if (r->nlots)
		consort__xml_rawf(w, "one consortium for each of the %zu tender lots", r->nlots);
	else if (r->has_consortia)
		range_words(w, r->consortia, "consortium", "consortia");
	else
		consort__xml_raw(w, "as many consortia as give the highest total");
	consort__xml_raw(w, "</li>\n");
	group_rule_words(w, &r->group, 1);
	pair_words(w, s, r->together, r->ntogether, " work in the same consortium");
	pair_words(w, s, r->apart, r->napart, " are kept in different consortia");
	if (r->nabsent) {
		consort__xml_raw(w, "<li>solved as if absent: ");
		for (size_t k = 0; k < r->nabsent; k++) {
			consort__xml_raw(w, k == 0 ? "" : k + 1 == r->nabsent ? " and " : ", ");
			consort__xml_text(w, consort_session_participant(s, r->absent[k])->name);
		}
		consort__xml_raw(w, "</li>\n");
	}
	consort__xml_raw(w, r->everyone ? "<li>everyone is placed in a consortium</li>\n"
		: "<li>participants may stay outside every consortium</li>\n");
	for (size_t g = 0; g < r->nlots; g++) {
		consort__xml_raw(w, "<li>lot \xe2\x80\x9c");
		consort__xml_text(w, r->lots[g].name);
		consort__xml_raw(w, "\xe2\x80\x9d");
		const consort_group_rules *lr = &r->lots[g].rules;
		if (lr->has_size || lr->nsectors || lr->ncover) {
			consort__xml_raw(w, ":<ul>\n");
			group_rule_words(w, lr, 0);
			consort__xml_raw(w, "</ul>");
		}
		consort__xml_raw(w, "</li>\n");
	}
	consort__xml_raw(w, "</ul>\n");
}

static void scoring_words(consort__xml *w, const consort_session *s)
{
	consort_scoring sc = consort_session_scoring(s);
	consort__xml_raw(w, "<h3>Scoring</h3>\n<p>Ratings on the scale ");
	consort__xml_num(w, consort_session_scale_min(s), 2);
	consort__xml_raw(w, "\xe2\x80\x93");
	consort__xml_num(w, consort_session_scale_max(s), 2);
	consort__xml_raw(w, ". ");
	if (sc.normalize == CONSORT_NORMALIZE_RATER)
		consort__xml_raw(w, "Each rater\xe2\x80\x99s leniency is corrected first (a rater who rates "
			"everyone high counts for the same as a strict one). ");
	consort__xml_raw(w, sc.combine == CONSORT_COMBINE_MIN
		? "A pair\xe2\x80\x99s score is the lower of its two ratings (both must want it); "
		: "A pair\xe2\x80\x99s score is the mean of its two ratings; ");
	consort__xml_raw(w, "with one direction missing the other counts, and a pair nobody rated scores ");
	consort__xml_num(w, sc.unmet, 2);
	consort__xml_raw(w, ". Its weight is the score minus ");
	consort__xml_num(w, sc.neutral, 2);
	consort__xml_raw(w, " (neutral), and the proposal maximises the total weight of the pairs that share "
		"a consortium. A member\xe2\x80\x99s <em>fit</em> is the sum of its weights to the other members "
		"of its consortium.</p>\n");
}

static void status_words(consort__xml *w, const consort_proposal *p)
{
	consort_status st = consort_proposal_status(p);
	double obj = consort_proposal_objective(p), bound = consort_proposal_bound(p);
	consort__xml_raw(w, "<p class=\"status\"><strong>");
	switch (st) {
	case CONSORT_STATUS_OPTIMAL:
		consort__xml_raw(w, "Optimal</strong>, with proof: no line-up that meets the rules scores "
			"higher than ");
		consort__xml_num(w, obj, 2);
		consort__xml_raw(w, ".");
		break;
	case CONSORT_STATUS_FEASIBLE:
		consort__xml_raw(w, "Feasible, not proved optimal</strong>: total ");
		consort__xml_num(w, obj, 2);
		if (isfinite(bound)) {
			consort__xml_raw(w, "; no line-up can score more than ");
			consort__xml_num(w, bound, 2);
			consort__xml_raw(w, " (gap ");
			consort__xml_num(w, consort_proposal_gap(p) * 100, 2);
			consort__xml_raw(w, " %).");
		} else {
			consort__xml_raw(w, "; no bound was proven.");
		}
		break;
	case CONSORT_STATUS_INFEASIBLE:
		consort__xml_raw(w, "Infeasible</strong>: no line-up meets all the rules.");
		for (size_t k = 0; k < consort_proposal_conflict_count(p); k++) {
			consort__xml_raw(w, k ? "; " : " These cannot all hold together: ");
			consort__xml_text(w, consort_proposal_conflict(p, k));
		}
		break;
	default:
		consort__xml_raw(w, "Stopped</strong>: no line-up was found within the time limit.");
		break;
	}
	consort__xml_raw(w, " Engine: ");
	consort__xml_text(w, consort_proposal_engine(p));
	consort__xml_raw(w, ", ");
	consort__xml_num(w, consort_proposal_seconds(p), 3);
	consort__xml_raw(w, " s.</p>\n");
}

/* ---- consortia ---- */

static int offers(const consort_participant *pt, const char *service)
{
	for (size_t k = 0; k < pt->noffers; k++)
		if (strcmp(pt->offers[k], service) == 0)
			return 1;
	return 0;
}

static void member_rows(consort__xml *w, const consort__report_view *v, size_t g)
{
	consort__xml_raw(w, "<table class=\"members\">\n<thead><tr><th>id</th><th>name</th><th>sector</th>"
		"<th>services</th>");
	int sure = g < v->ngroups && v->advice && consort_advice_confidence_info(v->advice);
	if (g < v->ngroups)
		consort__xml_raw(w, "<th class=\"num\">fit</th>");
	if (sure)
		consort__xml_raw(w, "<th class=\"num\">sure</th>");
	consort__xml_raw(w, "</tr></thead>\n<tbody>\n");
	for (size_t a = v->start[g]; a < v->start[g + 1]; a++) {
		size_t i = v->order[a];
		const consort_participant *pt = consort_session_participant(v->s, i);
		consort__xml_raw(w, "<tr><td>");
		consort__xml_text(w, pt->id);
		consort__xml_raw(w, "</td><td>");
		consort__xml_text(w, pt->name);
		consort__xml_rawf(w, "</td><td><span class=\"dot %s\"></span>",
			consort__report_sector_class(v->sector[i]));
		consort__xml_text(w, pt->sector);
		consort__xml_raw(w, "</td><td>");
		list_words(w, pt->offers, pt->noffers);
		if (g < v->ngroups) {
			consort__xml_raw(w, v->fit[i] < 0 ? "</td><td class=\"num neg\">" : "</td><td class=\"num\">");
			if (v->fit[i] >= 0)
				consort__xml_raw(w, "+");
			consort__xml_num(w, v->fit[i], 2);
		}
		if (sure) {
			double c = consort__report_sure(v, i);
			consort__xml_raw(w, "</td><td class=\"num sure\">");
			if (isfinite(c))
				consort__xml_rawf(w, "%.0f %%", 100 * c);
			else
				consort__xml_raw(w, "\xe2\x80\x93");
		}
		consort__xml_raw(w, "</td></tr>\n");
	}
	consort__xml_raw(w, "</tbody>\n</table>\n");
}

static const consort_group_rules *lot_rules(const consort_session *s, const char *name)
{
	const consort_rules *r = consort_session_rules(s);
	for (size_t g = 0; name && g < r->nlots; g++)
		if (strcmp(r->lots[g].name, name) == 0)
			return &r->lots[g].rules;
	return NULL;
}

static void one_service(consort__xml *w, const consort__report_view *v, size_t g, const char *service)
{
	int any = 0;
	consort__xml_raw(w, "<li>");
	for (size_t a = v->start[g]; a < v->start[g + 1]; a++)
		any |= offers(consort_session_participant(v->s, v->order[a]), service);
	consort__xml_raw(w, any ? "<span class=\"ok\">\xe2\x9c\x93</span> " : "<span class=\"missing\">\xe2\x9c\x97</span> ");
	consort__xml_text(w, service);
	consort__xml_raw(w, any ? " \xe2\x80\x94 " : " \xe2\x80\x94 nobody offers it");
	for (size_t a = v->start[g], k = 0; a < v->start[g + 1]; a++) {
		const consort_participant *pt = consort_session_participant(v->s, v->order[a]);
		if (offers(pt, service)) {
			consort__xml_raw(w, k++ ? ", " : "");
			consort__xml_text(w, pt->id);
		}
	}
	consort__xml_raw(w, "</li>\n");
}

/* Services the rules require (global cover, then the lot's) against those offered. */
static void services(consort__xml *w, const consort__report_view *v, size_t g)
{
	const consort_rules *r = consort_session_rules(v->s);
	const consort_group_rules *lot = lot_rules(v->s, consort_proposal_lot(v->p, g));
	size_t nreq = r->group.ncover + (lot ? lot->ncover : 0);
	if (nreq) {
		consort__xml_raw(w, "<p class=\"sub\">Required services:</p>\n<ul class=\"services\">\n");
		for (size_t k = 0; k < r->group.ncover; k++)
			one_service(w, v, g, r->group.cover[k]);
		for (size_t k = 0; lot && k < lot->ncover; k++) {
			int dup = 0;
			for (size_t j = 0; j < r->group.ncover && !dup; j++)
				dup = strcmp(r->group.cover[j], lot->cover[k]) == 0;
			if (!dup)
				one_service(w, v, g, lot->cover[k]);
		}
		consort__xml_raw(w, "</ul>\n");
	}
	/* Every service offered, once, in the members' order. */
	consort__xml_raw(w, "<p class=\"sub\">Offers together: ");
	size_t shown = 0;
	for (size_t a = v->start[g]; a < v->start[g + 1]; a++) {
		const consort_participant *pt = consort_session_participant(v->s, v->order[a]);
		for (size_t k = 0; k < pt->noffers; k++) {
			int seen = 0;
			for (size_t b = v->start[g]; b <= a && !seen; b++) {
				const consort_participant *q = consort_session_participant(v->s, v->order[b]);
				for (size_t j = 0; j < (b == a ? k : q->noffers) && !seen; j++)
					seen = strcmp(q->offers[j], pt->offers[k]) == 0;
			}
			if (!seen) {
				consort__xml_raw(w, shown++ ? ", " : "");
				consort__xml_text(w, pt->offers[k]);
			}
		}
	}
	consort__xml_raw(w, shown ? ".</p>\n" : "no services listed.</p>\n");
}

static void sector_mix(consort__xml *w, const consort__report_view *v, size_t g)
{
	consort__xml_raw(w, "<p class=\"sub\">Sectors: ");
	for (size_t k = 0, shown = 0; k < v->nsectors; k++) {
		size_t count = 0;
		for (size_t a = v->start[g]; a < v->start[g + 1]; a++)
			count += v->sector[v->order[a]] == k;
		if (!count)
			continue;
		consort__xml_rawf(w, "%s%zu ", shown++ ? ", " : "", count);
		consort__xml_text(w, v->sectors[k]);
	}
	consort__xml_raw(w, ".</p>\n");
}

static void consortia(consort__xml *w, const consort__report_view *v)
{
	for (size_t g = 0; g < v->ngroups; g++) {
		size_t m = v->start[g + 1] - v->start[g];
		consort__xml_rawf(w, "<div class=\"consortium\">\n<h3><span class=\"swatch %s\"></span>",
			consort__report_group_class(g));
		consort__report_group_label(w, v, g);
		consort__xml_rawf(w, " \xe2\x80\x94 %zu member%s, score ", m, m == 1 ? "" : "s");
		consort__xml_num(w, consort_proposal_score(v->p, g), 2);
		consort__xml_raw(w, "</h3>\n");
		member_rows(w, v, g);
		sector_mix(w, v, g);
		services(w, v, g);
		consort__report_moves(w, v, g);
		consort__xml_raw(w, "</div>\n");
	}
	if (v->start[v->ngroups] < v->n && v->ngroups) {
		size_t nabsent = 0;
		consort_proposal_absent(v->p, &nabsent);
		consort__xml_raw(w, nabsent ? "<div class=\"consortium\">\n<h3>Outside every consortium or absent</h3>\n"
			: "<div class=\"consortium\">\n<h3>Outside every consortium</h3>\n");
		member_rows(w, v, v->ngroups);
		consort__xml_raw(w, "</div>\n");
	}
}

/* ---- the page ---- */

/* The page's one style sheet. Colours are classes (.gK consortium K, .sK
 * sector K, as GROUP_COLOURS and SECTOR_COLOURS), never style attributes: a
 * server can then allow exactly this sheet by its hash in a strict
 * Content-Security-Policy (consort_report_style). */
static const char STYLE[] =
	"\n"
	"body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #111; padding: 0 1em; }\n"
	"h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { font-size: 1.3em; border-bottom: 1px solid #ccc; }\n"
	"h3 { font-size: 1.1em; margin: 1.2em 0 .4em; }\n"
	".meta { color: #444; margin-top: 0; }\n"
	"figure { margin: 1em 0; } figcaption { color: #444; font-size: .9em; margin-top: .4em; }\n"
	"svg { max-width: 100%; height: auto; }\n"
	/* The pictures fill the column: at 60 participants the heatmap's cells
	 * and names are too small at their drawn size. */
	"figure svg { width: 100%; }\n"
	"table { border-collapse: collapse; width: 100%; margin: .4em 0; font-size: .92em; }\n"
	"th, td { border-bottom: 1px solid #ddd; padding: .25em .5em; text-align: left; vertical-align: top; }\n"
	"th { background: #f3f3f3; } .num { text-align: right; white-space: nowrap; } .neg { color: #b2182b; }\n"
	".dot { display: inline-block; width: .7em; height: .7em; border-radius: 50%; margin-right: .35em;"
	" border: 1px solid #555; }\n"
	".swatch { display: inline-block; width: .9em; height: .9em; margin-right: .4em; vertical-align: -.1em; }\n"
	".dot, .swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; }\n"
	".g0 { background: #1b9e77; } .g1 { background: #d95f02; } .g2 { background: #7570b3; } .g3 { background: #e7298a; } .g4 { background: #66a61e; }\n"
	".g5 { background: #e6ab02; } .g6 { background: #a6761d; } .g7 { background: #1f78b4; } .g8 { background: #b15928; } .g9 { background: #6a3d9a; }\n"
	".s0 { background: #8dd3c7; } .s1 { background: #fdb462; } .s2 { background: #bebada; } .s3 { background: #fb8072; } .s4 { background: #80b1d3; }\n"
	".s5 { background: #b3de69; } .s6 { background: #fccde5; } .s7 { background: #d9d9d9; } .s8 { background: #ffed6f; } .s9 { background: #bc80bd; }\n"
	".sub { margin: .3em 0; } ul.services { margin: .2em 0 .6em; padding-left: 1.2em; list-style: none; }\n"
	"ul.moves { margin: .2em 0 .6em; padding-left: 1.2em; }\n"
	".ok { color: #1a7f37; font-weight: bold; } .missing { color: #b2182b; font-weight: bold; }\n"
	".consortium { break-inside: avoid-page; }\n"
	"@media print {\n"
	"  @page { size: A4; margin: 14mm 12mm; }\n"
	"  body { margin: 0; max-width: none; font-size: 10pt; padding: 0; }\n"
	"  section { break-before: page; page-break-before: always; }\n"
	"  section.summary { break-before: auto; page-break-before: auto; }\n"
	"  figure, svg, tr { break-inside: avoid; page-break-inside: avoid; }\n"
	"  figure svg { width: 100%; height: auto; max-height: 235mm; }\n"
	"  th { background: none; }\n"
	"}\n";

const char *consort_report_style(void)
{
	return STYLE;
}

static void today(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;
	if (gmtime_r(&now, &tm))
		strftime(buf, len, "%Y-%m-%d", &tm);
	else
		snprintf(buf, len, "?");
}

static void summary_table(consort__xml *w, const consort__report_view *v)
{
	if (!v->ngroups)
		return;
	consort__xml_raw(w, "<table class=\"summary\">\n<thead><tr><th>consortium</th><th class=\"num\">members</th>"
		"<th class=\"num\">score</th><th class=\"num\">weakest fit</th></tr></thead>\n<tbody>\n");
	for (size_t g = 0; g < v->ngroups; g++) {
		double weakest = INFINITY;
		for (size_t a = v->start[g]; a < v->start[g + 1]; a++)
			weakest = fmin(weakest, v->fit[v->order[a]]);
		consort__xml_rawf(w, "<tr><td><span class=\"swatch %s\"></span>", consort__report_group_class(g));
		consort__report_group_label(w, v, g);
		consort__xml_rawf(w, "</td><td class=\"num\">%zu</td><td class=\"num\">", v->start[g + 1] - v->start[g]);
		consort__xml_num(w, consort_proposal_score(v->p, g), 2);
		consort__xml_raw(w, "</td><td class=\"num\">");
		consort__xml_num(w, isfinite(weakest) ? weakest : 0, 2);
		consort__xml_raw(w, "</td></tr>\n");
	}
	consort__xml_raw(w, "</tbody>\n</table>\n");
}

static int page(consort__xml *w, const consort__report_view *v, const consort_report_options *o,
	consort_error *err)
{
	const char *title = consort_session_title(v->s);
	if (!title || !title[0])
		title = "Workshop report";
	char date[32];
	if (o->date)
		snprintf(date, sizeof(date), "%s", o->date);
	else
		today(date, sizeof(date));
	consort__xml_raw(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
	consort__xml_element(w, "title", title);
	consort__xml_raw(w, "\n");
	consort__xml_raw(w, "<style>");
	consort__xml_raw(w, STYLE);
	consort__xml_raw(w, "</style>\n");
	consort__xml_raw(w, "</head>\n<body>\n<section class=\"summary\">\n");
	consort__xml_element(w, "h1", title);
	consort__xml_raw(w, "\n<p class=\"meta\">Report of ");
	consort__xml_text(w, date);
	consort__xml_rawf(w, " \xc2\xb7 %zu participants \xc2\xb7 %zu ratings", v->n,
		consort_session_rating_count(v->s));
	if (v->ngroups)
		consort__xml_rawf(w, " \xc2\xb7 %zu consorti%s", v->ngroups, v->ngroups == 1 ? "um" : "a");
	consort__xml_raw(w, "</p>\n");
	status_words(w, v->p);
	consort__report_stability(w, v);
	consort__report_confidence(w, v);
	summary_table(w, v);
	consort__report_alternatives(w, v);
	rules_words(w, v->s);
	scoring_words(w, v->s);
	consort__xml_raw(w, "</section>\n<section class=\"ratings\">\n<h2>Who rated whom</h2>\n<figure>\n");
	consort__report_heatmap(w, v, 0);
	consort__xml_raw(w, "<figcaption>Each row is one participant\xe2\x80\x99s ratings of the others (the "
		"columns), in consortium order; the outlined squares are the consortia, so high ratings inside "
		"them show as blue blocks on the diagonal. Hatched: not rated.</figcaption>\n</figure>\n"
		"</section>\n<section class=\"network-section\">\n<h2>The network</h2>\n<figure>\n");
	int rc = consort__report_network(w, v, 0, o->seed, err);
	if (rc < 0)
		return rc;
	consort__xml_raw(w, "<figcaption>A line joins two participants whose pair score is above neutral, "
		"thicker the higher; the shaded areas are the proposed consortia. Shapes and colours show the "
		"sectors.</figcaption>\n</figure>\n</section>\n");
	if (v->ngroups) {
		consort__xml_raw(w, "<section class=\"consortia\">\n<h2>The consortia</h2>\n");
		consortia(w, v);
		consort__xml_raw(w, "</section>\n");
	}
	consort__xml_raw(w, "</body>\n</html>\n");
	return 0;
}

typedef int (*part_fn)(consort__xml *w, const consort__report_view *v, const consort_report_options *o,
	consort_error *err);

static int heatmap_part(consort__xml *w, const consort__report_view *v, const consort_report_options *o,
	consort_error *err)
{
	(void)o;
	(void)err;
	consort__report_heatmap(w, v, 1);
	return 0;
}

static int network_part(consort__xml *w, const consort__report_view *v, const consort_report_options *o,
	consort_error *err)
{
	return consort__report_network(w, v, 1, o->seed, err);
}

static int render(char **out, const consort_session *s, const consort_proposal *p,
	const consort_report_options *opts, part_fn fn, consort_error *err)
{
	if (!out)
		return consort__error(err, CONSORT_EUSAGE, "report: no place for the result");
	*out = NULL;
	consort_report_options defaults;
	consort_report_options_init(&defaults);
	consort__report_view v;
	int rc = consort__report_view_build(&v, s, p, err);
	if (rc < 0)
		return rc;
	v.advice = opts ? opts->advice : NULL;
	consort__xml w = {0};
	rc = fn(&w, &v, opts ? opts : &defaults, err);
	consort__report_view_free(&v);
	if (rc < 0) {
		consort__xml_discard(&w);
		return rc;
	}
	return consort__xml_finish(out, &w, err);
}

int consort_report_html(char **out, const consort_session *s, const consort_proposal *p,
	const consort_report_options *opts, consort_error *err)
{
	return render(out, s, p, opts, page, err);
}

int consort_report_heatmap_svg(char **out, const consort_session *s, const consort_proposal *p,
	const consort_report_options *opts, consort_error *err)
{
	return render(out, s, p, opts, heatmap_part, err);
}

int consort_report_network_svg(char **out, const consort_session *s, const consort_proposal *p,
	const consort_report_options *opts, consort_error *err)
{
	return render(out, s, p, opts, network_part, err);
}
