/* The workshop report (consort/report.h, src/writers/): the heatmap's order
 * and cells, the network's nodes and edges, the layout (deterministic, no two
 * nodes closer than a diameter at n = 60), hostile names as text, and
 * `consort report` end to end. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "consort.h"
#include "testutil.h"
#include "writers/layout.h"
#include "writers/report_view.h"
#include "xmlcheck.h"

#define EXAMPLE CONSORT_EXAMPLES "/pirkanmaa-2018.json"

static size_t count_of(const char *hay, const char *needle)
{
	size_t c = 0;
	for (const char *at = hay; (at = strstr(at, needle)) != NULL; at += strlen(needle))
		c++;
	return c;
}

static consort_proposal *solve(const consort_session *s)
{
	consort_solve_options o;
	consort_solve_options_init(&o);
	o.time_limit = 20;
	consort_proposal *p = NULL;
	consort_error err;
	assert_int_equal(consort_solve(&p, s, &o, &err), 0);
	return p;
}

static void assert_wellformed(const char *doc, const char *root)
{
	if (!xc_available())
		return;
	char msg[256];
	if (xc_wellformed(doc, root, msg, sizeof(msg)) != 0)
		fail_msg("not well-formed XML: %s", msg);
}

/* The participants in the proposal's order: consortium by consortium, then outside. */
static size_t expected_order(const consort_proposal *p, size_t *order)
{
	size_t at = 0, m;
	for (size_t k = 0; k < consort_proposal_count(p); k++) {
		const size_t *mem = consort_proposal_members(p, k, &m);
		for (size_t a = 0; a < m; a++)
			order[at++] = mem[a];
	}
	const size_t *out = consort_proposal_outside(p, &m);
	for (size_t a = 0; a < m; a++)
		order[at++] = out[a];
	return at;
}

static void check_heatmap(const consort_session *s, const consort_proposal *p, const char *svg)
{
	size_t n = consort_session_count(s);
	size_t *order = malloc(n * sizeof(size_t));
	assert_int_equal(expected_order(p, order), n);
	/* n x n cells, the diagonal marked as self, the unrated ones hatched. */
	assert_int_equal(count_of(svg, "<rect class=\"cell"), n * n);
	assert_int_equal(count_of(svg, "class=\"cell self\""), n);
	size_t unrated = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			double sc;
			unrated += i != j && consort_session_score(s, i, j, &sc) < 0;
		}
	assert_int_equal(count_of(svg, "class=\"cell unrated\""), unrated);
	assert_int_equal(count_of(svg, "class=\"block\""), consort_proposal_count(p));
	if (!xc_available()) {
		free(order);
		return;
	}
	for (size_t a = 0; a < n; a++) {
		const char *id = consort_session_participant(s, order[a])->id;
		char *row = xc_attr(svg, "text", "row", (long)a, "data-id");
		char *col = xc_attr(svg, "text", "col", (long)a, "data-id");
		assert_non_null(row);
		assert_non_null(col);
		assert_string_equal(row, id);
		assert_string_equal(col, id);
		free(row);
		free(col);
	}
	/* Cell (a, b) is the rating of order[a] for order[b]: the cells are the
	 * rects after the hatch pattern's, row by row, each titled with its rating. */
	long cell = 0;
	for (size_t a = 0; a < n; a++)
		for (size_t b = 0; b < n; b++, cell++) {
			char *t = xc_text(svg, "rect", NULL, 1 + cell);
			assert_non_null(t);
			double sc;
			char want[256];
			if (a == b)
				want[0] = '\0';
			else if (consort_session_score(s, order[a], order[b], &sc) == 0)
				snprintf(want, sizeof(want), "%s \xe2\x86\x92 %s: %g", consort_session_participant(s, order[a])->name,
					consort_session_participant(s, order[b])->name, sc);
			else
				snprintf(want, sizeof(want), "%s \xe2\x86\x92 %s: not rated",
					consort_session_participant(s, order[a])->name, consort_session_participant(s, order[b])->name);
			assert_string_equal(t, want);
			free(t);
		}
	free(order);
}

static void test_example_report(void **state)
{
	(void)state;
	consort_session *s = NULL;
	consort_error err;
	assert_int_equal(consort_session_load(&s, EXAMPLE, &err), 0);
	consort_proposal *p = solve(s);
	char *html = NULL, *heat = NULL, *net = NULL;
	consort_report_options o;
	consort_report_options_init(&o);
	o.date = "2018-05-04";
	assert_int_equal(consort_report_html(&html, s, p, &o, &err), 0);
	assert_int_equal(consort_report_heatmap_svg(&heat, s, p, &o, &err), 0);
	assert_int_equal(consort_report_network_svg(&net, s, p, &o, &err), 0);
	assert_wellformed(html, "html");
	assert_wellformed(heat, "svg");
	assert_wellformed(net, "svg");
	assert_non_null(strstr(heat, "xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(html, "2018-05-04"));
	assert_non_null(strstr(html, "@media print"));
	assert_non_null(strstr(html, "size: A4"));
	assert_non_null(strstr(html, "<strong>Optimal</strong>"));
	/* Self-contained: no script, nothing fetched. */
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "href="));
	assert_int_equal(count_of(html, "http"), count_of(html, "http://www.w3.org/2000/svg"));
	check_heatmap(s, p, heat);
	size_t n = consort_session_count(s);
	assert_int_equal(count_of(net, "<g class=\"node\""), n);
	assert_int_equal(count_of(html, "<g class=\"node\""), n);
	assert_int_equal(count_of(html, "<rect class=\"cell"), n * n);
	/* An edge for each pair above neutral. */
	double *w = NULL;
	assert_int_equal(consort_scoring_weights(&w, s, &err), 0);
	size_t pos = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			pos += w[i * n + j] > 0;
	free(w);
	assert_int_equal(count_of(net, "class=\"edge\""), pos);
	/* Each consortium's members and score. */
	for (size_t k = 0; k < consort_proposal_count(p); k++) {
		char head[64];
		snprintf(head, sizeof(head), "Consortium %zu \xe2\x80\x94 ", k + 1);
		assert_non_null(strstr(html, head));
	}
	/* The same input gives the same report. */
	char *again = NULL;
	assert_int_equal(consort_report_html(&again, s, p, &o, &err), 0);
	assert_string_equal(html, again);
	free(again);
	free(html);
	free(heat);
	free(net);
	consort_proposal_free(p);
	consort_session_free(s);
}

static consort_session *hostile_session(void)
{
	static const char *const names[] = {"<img src=x onerror=alert(1)>", "\"; DROP TABLE x; --",
		"Tom & 'Jerry' <b>", "</svg><script>alert(2)</script>", "Ty\xc3\xb6paja \xe2\x9c\x93 \xf0\x9d\x84\x9e",
		"bad \xff\xfe bytes"};
	static const char *const offers[] = {"<i>cleaning</i>", "a&b"};
	consort_session *s = NULL;
	consort_error err;
	assert_int_equal(consort_session_new(&s, &err), 0);
	assert_int_equal(consort_session_set_title(s, "<title>&\"workshop\"", &err), 0);
	for (int i = 0; i < 6; i++) {
		char id[8];
		snprintf(id, sizeof(id), "p%d", i);
		assert_int_equal(consort_session_add_participant(s, id, names[i], i % 2 ? "<sector>" : "firm&co",
			offers, 2, &err), 0);
	}
	for (int i = 0; i < 6; i++)
		for (int j = 0; j < 6; j++)
			if (i != j && (i + j) % 4) {
				char a[8], b[8];
				snprintf(a, sizeof(a), "p%d", i);
				snprintf(b, sizeof(b), "p%d", j);
				assert_int_equal(consort_session_add_rating(s, a, b, 1 + (i * 3 + j) % 5, &err), 0);
			}
	return s;
}

static void test_hostile_names_are_text(void **state)
{
	(void)state;
	consort_session *s = hostile_session();
	consort_proposal *p = solve(s);
	consort_error err;
	char *html = NULL, *net = NULL;
	assert_int_equal(consort_report_html(&html, s, p, NULL, &err), 0);
	assert_int_equal(consort_report_network_svg(&net, s, p, NULL, &err), 0);
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<b>"));
	assert_null(strstr(html, "<i>"));
	assert_non_null(strstr(html, "&lt;img src=x onerror=alert(1)&gt;"));
	assert_non_null(strstr(html, "Ty\xc3\xb6paja \xe2\x9c\x93 \xf0\x9d\x84\x9e"));
	assert_non_null(strstr(html, "bad \xef\xbf\xbd\xef\xbf\xbd bytes"));
	assert_wellformed(html, "html");
	assert_wellformed(net, "svg");
	if (xc_available()) {
		assert_int_equal(xc_count(html, "img", NULL), 0);
		assert_int_equal(xc_count(html, "script", NULL), 0);
		char *t = xc_text(html, "h1", NULL, 0);
		assert_string_equal(t, "<title>&\"workshop\"");
		free(t);
	}
	free(html);
	free(net);
	consort_proposal_free(p);
	consort_session_free(s);
}

/* The page's only style is its one <style> element, exactly
 * consort_report_style() (what a server allows by hash in its CSP): no style
 * attributes, and every colour class the page uses is defined in the sheet
 * with the colour the pictures use. */
static void test_style_is_one_sheet(void **state)
{
	(void)state;
	consort_session *s = hostile_session();
	consort_proposal *p = solve(s);
	consort_error err;
	char *html = NULL;
	assert_int_equal(consort_report_html(&html, s, p, NULL, &err), 0);
	const char *css = consort_report_style();
	size_t n = strlen(css) + 32;
	char *sheet = malloc(n);
	snprintf(sheet, n, "<style>%s</style>", css);
	assert_non_null(strstr(html, sheet));
	assert_int_equal(count_of(html, "<style"), 1);
	assert_int_equal(count_of(html, "style="), 0);
	assert_null(strstr(css, "</"));
	for (size_t k = 0; k < 12; k++) {
		char rule[64], used[64];
		snprintf(rule, sizeof(rule), ".%s { background: %s; }", consort__report_group_class(k),
			consort__report_group_colour(k));
		assert_non_null(strstr(css, rule));
		snprintf(rule, sizeof(rule), ".%s { background: %s; }", consort__report_sector_class(k),
			consort__report_sector_colour(k));
		assert_non_null(strstr(css, rule));
		snprintf(used, sizeof(used), "class=\"swatch %s\"", consort__report_group_class(k));
		assert_true(k < consort_proposal_count(p) ? strstr(html, used) != NULL : 1);
	}
	assert_non_null(strstr(css, "print-color-adjust: exact"));
	free(sheet);
	free(html);
	consort_proposal_free(p);
	consort_session_free(s);
}

/* Moves listed under consortium g: its movers, then the pairs whose first
 * member is in it, at most 8 (the rest counted). */
static size_t moves_listed(const consort_advice *a, int g)
{
	size_t k = 0;
	for (size_t i = 0; i < consort_advice_mover_count(a); i++)
		k += consort_advice_mover(a, i)->from == g;
	for (size_t i = 0; i < consort_advice_pair_count(a); i++)
		k += consort_advice_pair(a, i)->from_a == g;
	return k < 8 ? k : 8;
}

/* With the advice and alternatives: stability in words with every move out of
 * each consortium, the next best line-ups, and each member's "sure"; without
 * them, none of it. Two together rules make the optimum leave members where
 * they fit worse than elsewhere, so there are moves to list. */
static void test_consultant_parts(void **state)
{
	(void)state;
	consort_session *s = NULL;
	consort_error err;
	assert_int_equal(consort_session_load(&s, EXAMPLE, &err), 0);
	static const char rules[] = "{\"rules\": {\"consortia\": 2, \"sectors\": {\"association\": {\"min\": 1}, "
		"\"firm\": {\"min\": 1}}, \"together\": [[\"a1\", \"f1\"], [\"a3\", \"f8\"]]}}";
	assert_int_equal(consort_session_parse_rules(s, rules, strlen(rules), "rules", &err), 0);
	consort_solve_options so;
	consort_solve_options_init(&so);
	so.time_limit = 20;
	so.alternatives = 2;
	consort_proposal *p = NULL;
	assert_int_equal(consort_solve(&p, s, &so, &err), 0);
	assert_int_equal(consort_proposal_status(p), CONSORT_STATUS_OPTIMAL);
	consort_advice *a = NULL;
	assert_int_equal(consort_advice_new(&a, p, s, &err), 0);
	consort_confidence_options co;
	consort_confidence_options_init(&co);
	co.samples = 6;
	co.threads = 1;
	assert_int_equal(consort_advice_confidence(a, &co, &err), 0);

	consort_report_options o;
	consort_report_options_init(&o);
	o.advice = a;
	char *html = NULL;
	assert_int_equal(consort_report_html(&html, s, p, &o, &err), 0);
	assert_wellformed(html, "html");
	size_t movers = consort_advice_mover_count(a), pairs = consort_advice_pair_count(a);
	assert_true(movers + pairs > 0);
	size_t listed = 0;
	for (size_t g = 0; g < consort_proposal_count(p); g++)
		listed += moves_listed(a, (int)g);
	assert_int_equal(count_of(html, "<li class=\"mover\">"), listed);
	for (size_t k = 0; k < movers; k++) {
		const consort_mover *m = consort_advice_mover(a, k);
		const consort_participant *pt = consort_session_participant(s, m->member);
		char line[256];
		snprintf(line, sizeof(line), "<li class=\"mover\">%s (%s) would fit", pt->name, pt->id);
		assert_non_null(strstr(html, line));
	}
	size_t allowed = 0;
	for (size_t k = 0; k < movers; k++)
		allowed += consort_advice_mover(a, k)->feasible != 0;
	for (size_t k = 0; k < pairs; k++)
		allowed += consort_advice_pair(a, k)->feasible != 0;
	assert_non_null(strstr(html, allowed ? "<strong>Not stable</strong>" : "<strong>Stable under the rules</strong>"));
	/* The alternatives, and everyone's share of samples (everyone is placed). */
	size_t nalt = consort_proposal_alternative_count(p);
	assert_true(nalt >= 1);
	assert_int_equal(count_of(html, "<tr class=\"alternative\">"), nalt);
	assert_int_equal(count_of(html, "<td class=\"num sure\">"), consort_session_count(s));
	char sure[64];
	snprintf(sure, sizeof(sure), "<td class=\"num sure\">%.0f %%</td>", 100 * consort_advice_member_confidence(a, 0));
	assert_non_null(strstr(html, sure));
	assert_non_null(strstr(html, "<strong>Confidence</strong>: the ratings were perturbed by their own noise 6 times"));
	free(html);

	/* Without the advice: no stability, no confidence; the alternatives stay (they are the proposal's). */
	assert_int_equal(consort_report_html(&html, s, p, NULL, &err), 0);
	assert_null(strstr(html, "class=\"stability\""));
	assert_null(strstr(html, "sure"));
	assert_null(strstr(html, "class=\"mover\""));
	assert_int_equal(count_of(html, "<tr class=\"alternative\">"), nalt);
	free(html);
	consort_advice_free(a);
	consort_proposal_free(p);

	/* The optimum of the example itself: stable, nobody listed. */
	assert_int_equal(consort_session_parse_rules(s, "{\"consortia\": 2}", 16, "rules", &err), 0);
	p = solve(s);
	assert_int_equal(consort_advice_new(&a, p, s, &err), 0);
	o.advice = a;
	assert_int_equal(consort_report_html(&html, s, p, &o, &err), 0);
	assert_int_equal(consort_advice_stable(a), 1);
	assert_non_null(strstr(html, "<strong>Stable</strong>: no member would fit better"));
	assert_int_equal(count_of(html, "Nobody here would fit better elsewhere."), consort_proposal_count(p));
	assert_null(strstr(html, "Alternatives"));
	free(html);
	consort_advice_free(a);
	consort_proposal_free(p);
	consort_session_free(s);
}

/* An infeasible proposal still gets its report: the status and the clash, no consortia. */
static void test_infeasible_report(void **state)
{
	(void)state;
	consort_session *s = NULL;
	consort_error err;
	assert_int_equal(consort_session_load(&s, EXAMPLE, &err), 0);
	assert_int_equal(consort_session_set_consortia(s, 8, 8, &err), 0);
	consort_proposal *p = solve(s);
	assert_int_equal(consort_proposal_status(p), CONSORT_STATUS_INFEASIBLE);
	char *html = NULL;
	assert_int_equal(consort_report_html(&html, s, p, NULL, &err), 0);
	assert_non_null(strstr(html, "<strong>Infeasible</strong>"));
	assert_non_null(strstr(html, "rules.consortia = 8"));
	assert_null(strstr(html, "class=\"block\""));
	assert_int_equal(count_of(html, "<rect class=\"cell"), 15 * 15);
	assert_wellformed(html, "html");
	free(html);
	consort_proposal_free(p);
	consort_session_free(s);
}

/* A proposal of another session is refused. */
static void test_foreign_proposal(void **state)
{
	(void)state;
	consort_session *big = NULL, *small = hostile_session();
	consort_error err;
	assert_int_equal(consort_session_load(&big, EXAMPLE, &err), 0);
	consort_proposal *p = solve(big);
	char *html = (char *)"untouched";
	assert_int_equal(consort_report_html(&html, small, p, NULL, &err), CONSORT_EINVALID);
	assert_null(html);
	assert_non_null(strstr(err.message, "report: "));
	consort_proposal_free(p);
	consort_session_free(big);
	consort_session_free(small);
}

/* ---- the layout ---- */

static void random_instance(size_t n, unsigned seed, double *w, int *group, size_t ngroups)
{
	for (size_t i = 0; i < n; i++)
		group[i] = i % 7 == 0 ? -1 : (int)(i % ngroups); /* a few outside */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i; j < n; j++) {
			seed = seed * 1103515245u + 12345u;
			double v = i == j ? 0 : (double)((seed >> 16) % 9) / 2.0 - 2.0;
			if (i != j && group[i] == group[j] && group[i] >= 0)
				v += 1.5;
			w[i * n + j] = w[j * n + i] = v;
		}
}

static double closest(const double *xy, size_t n)
{
	double best = INFINITY;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			best = fmin(best, hypot(xy[2 * i] - xy[2 * j], xy[2 * i + 1] - xy[2 * j + 1]));
	return best;
}

static void test_layout_deterministic_and_apart(void **state)
{
	(void)state;
	enum { N = 60 };
	static double w[N * N], xy[2 * N], xy2[2 * N];
	int group[N];
	const double r = 9;
	for (unsigned seed = 1; seed <= 5; seed++) {
		random_instance(N, seed, w, group, 4);
		assert_int_equal(consort__layout(xy, N, w, group, 4, r, seed), 0);
		assert_int_equal(consort__layout(xy2, N, w, group, 4, r, seed), 0);
		assert_memory_equal(xy, xy2, sizeof(xy));
		assert_true(closest(xy, N) >= 2 * r);
		double minx = INFINITY, miny = INFINITY;
		for (size_t i = 0; i < N; i++) {
			assert_true(isfinite(xy[2 * i]) && isfinite(xy[2 * i + 1]));
			minx = fmin(minx, xy[2 * i]);
			miny = fmin(miny, xy[2 * i + 1]);
		}
		assert_true(fabs(minx) < 1e-9 && fabs(miny) < 1e-9);
	}
	/* Nothing to pull anyone anywhere, everyone in one group: still apart. */
	memset(w, 0, sizeof(w));
	for (size_t i = 0; i < N; i++)
		group[i] = 0;
	assert_int_equal(consort__layout(xy, N, w, group, 1, r, 1), 0);
	assert_true(closest(xy, N) >= 2 * r);
	/* One and two nodes. */
	assert_int_equal(consort__layout(xy, 1, w, group, 1, r, 1), 0);
	assert_true(xy[0] == 0 && xy[1] == 0);
	assert_int_equal(consort__layout(xy, 2, w, group, 1, r, 1), 0);
	assert_true(closest(xy, 2) >= 2 * r);
}

/* The consortia come out as groups: a member is nearer its own consortium's
 * centre than any other consortium's, for most members. */
static void test_layout_groups(void **state)
{
	(void)state;
	enum { N = 60, G = 4 };
	static double w[N * N], xy[2 * N];
	int group[N];
	random_instance(N, 3, w, group, G);
	assert_int_equal(consort__layout(xy, N, w, group, G, 9, 1), 0);
	double cx[G] = {0}, cy[G] = {0}, cnt[G] = {0};
	for (size_t i = 0; i < N; i++)
		if (group[i] >= 0) {
			cx[group[i]] += xy[2 * i];
			cy[group[i]] += xy[2 * i + 1];
			cnt[group[i]]++;
		}
	int near = 0, placed = 0;
	for (size_t i = 0; i < N; i++) {
		if (group[i] < 0)
			continue;
		placed++;
		int best = -1;
		double bd = INFINITY;
		for (int g = 0; g < G; g++) {
			double d = hypot(xy[2 * i] - cx[g] / cnt[g], xy[2 * i + 1] - cy[g] / cnt[g]);
			if (d < bd) {
				bd = d;
				best = g;
			}
		}
		near += best == group[i];
	}
	assert_true(near >= placed * 9 / 10);
}

/* ---- the command ---- */

static void run(tu_result *r, ...)
{
	const char *argv[24];
	int argc = 0;
	argv[argc++] = CONSORT_BIN;
	va_list ap;
	va_start(ap, r);
	const char *a;
	while ((a = va_arg(ap, const char *)) != NULL)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	assert_int_equal(tu_run(r, argv), 0);
}

static void assert_one_line_error(const tu_result *r, const char *mentions)
{
	if (r->status != 2 || r->out[0] || tu_count_lines(r->err) != 1 || !strstr(r->err, mentions))
		fail_msg("exit %d\nstdout: %s\nstderr: %s", r->status, r->out, r->err);
}

static void test_cli(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char out[512], prop[512], svgs[512], path[600], other[512];
	snprintf(out, sizeof(out), "%s/report.html", dir);
	snprintf(prop, sizeof(prop), "%s/proposal.json", dir);
	snprintf(svgs, sizeof(svgs), "%s/slides", dir);
	snprintf(other, sizeof(other), "%s/other.json", dir);
	tu_result r;

	run(&r, "report", EXAMPLE, "-o", out, "--svg-dir", svgs, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");
	tu_result_free(&r);
	char *html = tu_read(out);
	assert_non_null(html);
	assert_non_null(strstr(html, "<strong>Optimal</strong>"));
	assert_wellformed(html, "html");
	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/%s", svgs, k ? "network.svg" : "heatmap.svg");
		char *svg = tu_read(path);
		assert_non_null(svg);
		assert_non_null(strstr(svg, "<?xml"));
		assert_non_null(strstr(svg, "xmlns=\"http://www.w3.org/2000/svg\""));
		assert_wellformed(svg, "svg");
		free(svg);
	}

	/* With a proposal file: the same consortia, no solve. */
	run(&r, "solve", EXAMPLE, "--format", "json", "-o", prop, NULL);
	assert_int_equal(r.status, 0);
	tu_result_free(&r);
	run(&r, "report", EXAMPLE, "--proposal", prop, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "<!DOCTYPE html>"));
	assert_int_equal(count_of(r.out, "<g class=\"node\""), 15);
	assert_int_equal(count_of(r.out, "class=\"consortium\""), count_of(html, "class=\"consortium\""));
	tu_result_free(&r);

	/* The consultant's parts: stability always, alternatives and confidence on request. */
	assert_non_null(strstr(html, "<p class=\"stability\"><strong>Stable</strong>"));
	assert_null(strstr(html, "Alternatives"));
	run(&r, "report", EXAMPLE, "--alternatives", "2", "--differ", "2", "--confidence", "3", NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_of(r.out, "<tr class=\"alternative\">"), 2);
	assert_non_null(strstr(r.out, "at least 2 members placed differently"));
	assert_int_equal(count_of(r.out, "<td class=\"num sure\">"), 15);
	assert_non_null(strstr(r.out, "noise 3 times"));
	tu_result_free(&r);
	run(&r, "report", EXAMPLE, "--alternatives", "x", NULL);
	assert_one_line_error(&r, "--alternatives");
	tu_result_free(&r);
	run(&r, "report", EXAMPLE, "--confidence", "0", NULL);
	assert_one_line_error(&r, "--confidence");
	tu_result_free(&r);

	/* Bad proposals: one line naming the file; an existing -o file is left alone. */
	assert_int_equal(tu_write(out, "old"), 0);
	snprintf(path, sizeof(path), "%s/missing.json", dir);
	run(&r, "report", EXAMPLE, "--proposal", path, "-o", out, NULL);
	assert_one_line_error(&r, "missing.json");
	tu_result_free(&r);
	assert_int_equal(tu_write(other, "{\"format\": \"consort-proposal/1\", \"status\": \"optimal\"}"), 0);
	run(&r, "report", EXAMPLE, "--proposal", other, "-o", out, NULL);
	assert_one_line_error(&r, "other.json");
	tu_result_free(&r);
	char *kept = tu_read(out);
	assert_string_equal(kept, "old");
	free(kept);

	/* Usage errors. */
	run(&r, "report", NULL);
	assert_one_line_error(&r, "expected one SESSION.json");
	tu_result_free(&r);
	run(&r, "report", EXAMPLE, "--seed", "x", NULL);
	assert_one_line_error(&r, "--seed");
	tu_result_free(&r);
	run(&r, "report", EXAMPLE, "--time-limit", "-1", NULL);
	assert_one_line_error(&r, "--time-limit");
	tu_result_free(&r);
	run(&r, "report", EXAMPLE, "--bogus", NULL);
	assert_one_line_error(&r, "--bogus");
	tu_result_free(&r);
	snprintf(path, sizeof(path), "%s/no/such/dir", dir);
	run(&r, "report", EXAMPLE, "--svg-dir", path, NULL);
	assert_one_line_error(&r, "--svg-dir");
	tu_result_free(&r);

	/* Every option in the help. */
	run(&r, "help", "report", NULL);
	assert_int_equal(r.status, 0);
	static const char *const opts[] = {"--proposal", "-o, --output", "--svg-dir", "--time-limit", "--seed"};
	for (size_t k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
		assert_non_null(strstr(r.out, opts[k]));
	tu_result_free(&r);
	run(&r, "--help", NULL);
	assert_non_null(strstr(r.out, "report"));
	tu_result_free(&r);
	free(html);
	tu_rmdir(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_report),
		cmocka_unit_test(test_hostile_names_are_text),
		cmocka_unit_test(test_style_is_one_sheet),
		cmocka_unit_test(test_consultant_parts),
		cmocka_unit_test(test_infeasible_report),
		cmocka_unit_test(test_foreign_proposal),
		cmocka_unit_test(test_layout_deterministic_and_apart),
		cmocka_unit_test(test_layout_groups),
		cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
