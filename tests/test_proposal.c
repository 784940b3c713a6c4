/* Tests for proposals: construction from assignments, the rule checker, and the
 * consort-proposal/1 JSON and text views. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "proposal.h"
#include "session.h"

/* Participants in index order: a1=0 a2=1 f1=2 f2=3 p1=4 f3=5. */
enum { A1, A2, F1, F2, P1, F3, N };

/* Weights (scale 1..5, neutral 3, mean): a1-f1 +1.5, a1-a2 -1, a2-f2 +2,
 * f2-p1 +1.5, f1-p1 -2, f3-a1 +1, every other pair 0. */
static consort_session *make_session(void)
{
	consort_session *s;
	consort_error err;
	static const char *const a1_offers[] = {"coaching", "rehabilitation"};
	static const char *const a2_offers[] = {"rehabilitation"};
	static const char *const clean[] = {"cleaning"};
	static const char *const build[] = {"construction"};
	static const char *const fund[] = {"funding"};
	assert_int_equal(consort_session_new(&s, &err), 0);
	assert_int_equal(consort_session_set_title(s, "Network accelerator, autumn 2018", &err), 0);
	assert_int_equal(consort_session_add_participant(s, "a1", "Valmennus ry", "association", a1_offers, 2, &err), 0);
	assert_int_equal(consort_session_add_participant(s, "a2", "Kuntoutus ry", "association", a2_offers, 1, &err), 0);
	assert_int_equal(consort_session_add_participant(s, "f1", "Puhdas Oy", "firm", clean, 1, &err), 0);
	assert_int_equal(consort_session_add_participant(s, "f2", "Rakennus Oy", "firm", build, 1, &err), 0);
	assert_int_equal(consort_session_add_participant(s, "p1", "Äänekosken kaupunki", "public", fund, 1, &err), 0);
	assert_int_equal(consort_session_add_participant(s, "f3", "Siivous Oy", "firm", clean, 1, &err), 0);
	static const struct { const char *from, *to; double score; } r[] = {
		{"a1", "f1", 5}, {"f1", "a1", 4}, {"a1", "a2", 2}, {"a2", "a1", 2}, {"a2", "f2", 5},
		{"f2", "p1", 4}, {"p1", "f2", 5}, {"f1", "p1", 1}, {"f3", "a1", 4},
	};
	for (size_t k = 0; k < sizeof(r) / sizeof(r[0]); k++)
		assert_int_equal(consort_session_add_rating(s, r[k].from, r[k].to, r[k].score, &err), 0);
	return s;
}

/* Replaces the session's rules with a `rules` object in consort-session/1 JSON. */
static void set_rules(consort_session *s, const char *json)
{
	consort_error err;
	if (consort_session_parse_rules(s, json, strlen(json), "rules.json", &err) != 0)
		fail_msg("rules rejected: %s", err.message);
}

static consort_proposal *make_proposal(const consort_session *s, consort_status st, const int *assign,
	int k, double bound)
{
	consort__problem *pb;
	consort_proposal *p;
	consort_error err;
	assert_int_equal(consort__problem_build(&pb, s, &err), 0);
	int rc = consort__proposal_new(&p, pb, st, assign, k, bound, 0.012, "exact", &err);
	if (rc != 0)
		fail_msg("proposal_new: %s", err.message);
	consort__problem_free(pb);
	return p;
}

/* {a1, f1, f3} and {a2, f2, p1}, slots deliberately in the "wrong" order. */
static const int two[N] = {1, 0, 1, 0, 0, 1};

static void expect_violation(const consort_proposal *p, const consort_session *s, const char *message)
{
	consort_error err;
	consort_error_clear(&err);
	assert_int_equal(consort_proposal_check(p, s, &err), CONSORT_EINVALID);
	assert_string_equal(err.message, message);
}

static void expect_ok(const consort_proposal *p, const consort_session *s)
{
	consort_error err;
	consort_error_clear(&err);
	int rc = consort_proposal_check(p, s, &err);
	if (rc != 0)
		fail_msg("check failed: %s", err.message);
}

/* ---- construction ---- */

static void test_new_orders_and_scores(void **state)
{
	(void)state;
	consort_session *s = make_session();
	consort_proposal *p = make_proposal(s, CONSORT_STATUS_OPTIMAL, two, 2, 6.0000001);
	size_t nm;
	assert_int_equal(consort_proposal_status(p), CONSORT_STATUS_OPTIMAL);
	assert_string_equal(consort_status_name(consort_proposal_status(p)), "optimal");
	assert_string_equal(consort_proposal_engine(p), "exact");
	assert_int_equal(consort_proposal_count(p), 2);
	/* Sorted by first member: a1's consortium comes first although it was slot 1. */
	const size_t *m = consort_proposal_members(p, 0, &nm);
	assert_int_equal(nm, 3);
	assert_int_equal(m[0], A1);
	assert_int_equal(m[1], F1);
	assert_int_equal(m[2], F3);
	m = consort_proposal_members(p, 1, &nm);
	assert_int_equal(nm, 3);
	assert_int_equal(m[0], A2);
	assert_int_equal(m[1], F2);
	assert_int_equal(m[2], P1);
	assert_true(fabs(consort_proposal_score(p, 0) - 2.5) < 1e-12);
	assert_true(fabs(consort_proposal_score(p, 1) - 3.5) < 1e-12);
	assert_true(fabs(consort_proposal_objective(p) - 6.0) < 1e-12);
	/* A bound within floating-point noise of the objective is reported as equal. */
	assert_true(consort_proposal_bound(p) == consort_proposal_objective(p));
	assert_true(consort_proposal_gap(p) == 0.0);
	assert_null(consort_proposal_lot(p, 0));
	assert_null(consort_proposal_members(p, 2, &nm));
	assert_int_equal(nm, 0);
	size_t no;
	consort_proposal_outside(p, &no);
	assert_int_equal(no, 0);
	assert_true(fabs(consort_proposal_seconds(p) - 0.012) < 1e-12);
	expect_ok(p, s);
	consort_proposal_free(p);
	consort_session_free(s);
}

static void test_new_outside_and_empty_slots(void **state)
{
	(void)state;
	consort_session *s = make_session();
	consort_session_set_everyone(s, 0);
	/* Slot 0 is empty: dropped. p1 stays outside. */
	const int assign[N] = {2, 1, 2, 1, -1, 2};
	consort_proposal *p = make_proposal(s, CONSORT_STATUS_FEASIBLE, assign, 3, 10);
	size_t no, nm;
	assert_int_equal(consort_proposal_count(p), 2);
	const size_t *out = consort_proposal_outside(p, &no);
	assert_int_equal(no, 1);
	assert_int_equal(out[0], P1);
	consort_proposal_members(p, 1, &nm);
	assert_int_equal(nm, 2);
	assert_true(fabs(consort_proposal_score(p, 1) - 2.0) < 1e-12);
	expect_ok(p, s);
	consort_proposal_free(p);
	consort_session_free(s);
}

static void test_new_rejects_bad_assignment(void **state)
{
	(void)state;
	consort_session *s = make_session();
	consort__problem *pb;
	consort_proposal *p = (consort_proposal *)1;
	consort_error err;
	assert_int_equal(consort__problem_build(&pb, s, &err), 0);
	const int bad[N] = {0, 1, 0, 1, 2, 0};
	assert_int_equal(consort__proposal_new(&p, pb, CONSORT_STATUS_FEASIBLE, bad, 2, 10, 0, "exact", &err),
		CONSORT_EINTERNAL);
	assert_null(p);
	assert_int_equal(consort__proposal_new(&p, pb, CONSORT_STATUS_FEASIBLE, NULL, 2, 10, 0, "exact", &err),
		CONSORT_EUSAGE);
	consort__problem_free(pb);
	consort_session_free(s);
}

static void test_gap(void **state)
{
	(void)state;
	consort_session *s = make_session();
	consort_proposal *p = make_proposal(s, CONSORT_STATUS_FEASIBLE, two, 2, 9);
	assert_true(fabs(consort_proposal_gap(p) - 0.5) < 1e-12); /* (9 - 6) / 6 */
	expect_ok(p, s);
	consort_proposal_free(p);

	/* |objective| < 1: divide by 1. {a1, a2, f3} = 0, {f1, f2, p1} = -0.5. */
	const int low[N] = {0, 0, 1, 1, 1, 0};
	p = make_proposal(s, CONSORT_STATUS_FEASIBLE, low, 2, 0.5);
	assert_true(fabs(consort_proposal_objective(p) + 0.5) < 1e-12);
	assert_true(fabs(consort_proposal_gap(p) - 1.0) < 1e-12);
	consort_proposal_free(p);

	p = make_proposal(s, CONSORT_STATUS_FEASIBLE, two, 2, INFINITY);
	assert_true(isinf(consort_proposal_bound(p)));
	assert_true(isinf(consort_proposal_gap(p)));
	expect_ok(p, s);
	consort_proposal_free(p);
	consort_session_free(s);
}

/* ---- JSON ---- */

static cJSON *to_json(const consort_proposal *p, const consort_session *s)
{
	char *text;
	consort_error err;
	assert_int_equal(consort_proposal_to_json(&text, p, s, &err), 0);
	size_t len = strlen(text);
	assert_true(len > 0 && text[len - 1] == '\n');
	cJSON *root = cJSON_Parse(text);
	assert_non_null(root);
	free(text);
	return root;
}

static double num(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	assert_true(cJSON_IsNumber(item));
	return item->valuedouble;
}

static const char *str(const cJSON *obj, const char *key)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
	assert_true(cJSON_IsString(item));
	return item->valuestring;
}

static void test_json_fields(void **state)
{
	(void)state;
	consort_session *s = make_session();
	consort_proposal *p = make_proposal(s, CONSORT_STATUS_OPTIMAL, two, 2, 6);
	cJSON *root = to_json(p, s);
	assert_string_equal(str(root, "format"), "consort-proposal/1");
	assert_string_equal(str(root, "status"), "optimal");
	assert_string_equal(str(root, "engine"), "exact");
	assert_string_equal(str(root, "title"), "Network accelerator, autumn 2018");
	assert_true(num(root, "objective") == 6.0);
	assert_true(num(root, "bound") == 6.0);
	assert_true(num(root, "gap") == 0.0);
	assert_true(num(root, "seconds") == 0.012);
	const cJSON *cons = cJSON_GetObjectItemCaseSensitive(root, "consortia");
	assert_int_equal(cJSON_GetArraySize(cons), 2);
	const cJSON *c0 = cJSON_GetArrayItem(cons, 0);
	const cJSON *members = cJSON_GetObjectItemCaseSensitive(c0, "members");
	assert_int_equal(cJSON_GetArraySize(members), 3);
	assert_string_equal(cJSON_GetArrayItem(members, 0)->valuestring, "a1");
	assert_string_equal(cJSON_GetArrayItem(members, 1)->valuestring, "f1");
	assert_string_equal(cJSON_GetArrayItem(members, 2)->valuestring, "f3");
	assert_true(num(c0, "score") == 2.5);
	assert_null(cJSON_GetObjectItemCaseSensitive(c0, "lot"));
	assert_true(num(cJSON_GetArrayItem(cons, 1), "score") == 3.5);
	const cJSON *outside = cJSON_GetObjectItemCaseSensitive(root, "outside");
	assert_true(cJSON_IsArray(outside));
	assert_int_equal(cJSON_GetArraySize(outside), 0);
	assert_null(cJSON_GetObjectItemCaseSensitive(root, "conflict"));
	cJSON_Delete(root);
	consort_proposal_free(p);
	consort_session_free(s);
}

static void test_json_infinite_bound_is_null(void **state)
{
	(void)state;
	consort_session *s = make_session();
	consort_session_set_title(s, NULL, NULL);
	consort_proposal *p = make_proposal(s, CONSORT_STATUS_FEASIBLE, two, 2, INFINITY);
	cJSON *root = to_json(p, s);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(root, "bound")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(root, "gap")));
	assert_null(cJSON_GetObjectItemCaseSensitive(root, "title"));
	assert_string_equal(str(root, "status"), "feasible");
	cJSON_Delete(root);
	consort_proposal_free(p);
	consort_session_free(s);
}

/* 0.1 + 0.2 is 0.30000000000000004 in binary; the document says 0.3. */
static void test_json_rounds_float_noise(void **state)
{
	(void)state;
	consort_session *s;
	consort_error err;
	assert_int_equal(consort_session_new(&s, &err), 0);
	assert_int_equal(consort_session_add_participant(s, "x", NULL, "firm", NULL, 0, &err), 0);
	assert_int_equal(consort_session_add_participant(s, "y", NULL, "firm", NULL, 0, &err), 0);
	assert_int_equal(consort_session_add_participant(s, "z", NULL, "firm", NULL, 0, &err), 0);
	const double w[9] = {0, 0.1, 0.2, 0.1, 0, 0, 0.2, 0, 0};
	consort__problem *pb;
	consort_proposal *p;
	assert_int_equal(consort__problem_from_weights(&pb, 3, w, &err), 0);
	const int all[3] = {0, 0, 0};
	assert_int_equal(consort__proposal_new(&p, pb, CONSORT_STATUS_FEASIBLE, all, 1, 0.1 + 0.2 + 1.0 / 3,
		1.23456789, "heuristic", &err), 0);
	consort__problem_free(pb);
	assert_true(consort_proposal_objective(p) != 0.3); /* the noise is really there */
	char *text;
	assert_int_equal(consort_proposal_to_json(&text, p, s, &err), 0);
	assert_null(strstr(text, "0000000"));
	assert_null(strstr(text, "9999999"));
	cJSON *root = cJSON_Parse(text);
	assert_non_null(root);
	assert_true(num(root, "objective") == 0.3);
	assert_true(num(root, "bound") == 0.633333);
	assert_true(num(root, "seconds") == 1.234568);
	assert_string_equal(str(root, "engine"), "heuristic");
	assert_true(num(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "consortia"), 0), "score") == 0.3);
	cJSON_Delete(root);
	free(text);
	consort_proposal_free(p);
	consort_session_free(s);
}

static void test_infeasible_and_stopped(void **state)
{
	(void)state;
	consort_session *s = make_session();
	consort__problem *pb;
	consort_proposal *p;
	consort_error err;
	assert_int_equal(consort__problem_build(&pb, s, &err), 0);
	assert_int_equal(consort__proposal_new(&p, pb, CONSORT_STATUS_INFEASIBLE, NULL, 0, -INFINITY, 0.5,
		"exact", &err), 0);
	assert_int_equal(consort__proposal_add_conflict(p, "rules.consortia = 2", &err), 0);
	assert_int_equal(consort__proposal_add_conflict(p, "rules.size.max = 3", &err), 0);
	assert_int_equal(consort_proposal_count(p), 0);
	assert_true(consort_proposal_objective(p) == 0);
	assert_int_equal(consort_proposal_conflict_count(p), 2);
	assert_string_equal(consort_proposal_conflict(p, 1), "rules.size.max = 3");
	assert_null(consort_proposal_conflict(p, 2));
	expect_ok(p, s);

	cJSON *root = to_json(p, s);
	assert_string_equal(str(root, "status"), "infeasible");
	assert_true(num(root, "objective") == 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "consortia")), 0);
	const cJSON *conflict = cJSON_GetObjectItemCaseSensitive(root, "conflict");
	assert_int_equal(cJSON_GetArraySize(conflict), 2);
	assert_string_equal(cJSON_GetArrayItem(conflict, 0)->valuestring, "rules.consortia = 2");
	cJSON_Delete(root);

	char *text;
	assert_int_equal(consort_proposal_to_text(&text, p, s, &err), 0);
	assert_non_null(strstr(text, "status: infeasible"));
	assert_non_null(strstr(text, "No proposal meets the rules."));
	assert_non_null(strstr(text, "These rules cannot all hold together: rules.consortia = 2; rules.size.max = 3"));
	free(text);
	consort_proposal_free(p);

	assert_int_equal(consort__proposal_new(&p, pb, CONSORT_STATUS_STOPPED, NULL, 0, 12, 60, "exact", &err), 0);
	root = to_json(p, s);
	assert_string_equal(str(root, "status"), "stopped");
	assert_null(cJSON_GetObjectItemCaseSensitive(root, "conflict"));
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(root, "gap")));
	cJSON_Delete(root);
	assert_int_equal(consort_proposal_to_text(&text, p, s, &err), 0);
	assert_non_null(strstr(text, "No proposal found within the time limit."));
	assert_null(strstr(text, "Consortium"));
	free(text);
	consort_proposal_free(p);
	consort__problem_free(pb);
	consort_session_free(s);
}

/* ---- text ---- */

static size_t cp_width(const char *s, size_t bytes)
{
	size_t w = 0;
	for (size_t i = 0; i < bytes; i++)
		w += ((unsigned char)s[i] & 0xC0) != 0x80;
	return w;
}

static void test_text(void **state)
{
	(void)state;
	consort_session *s = make_session();
	set_rules(s, "{\"cover\": [\"cleaning\"], \"everyone\": false}");
	/* {a1, f1} and {a2, f2, f3}, each with a cleaner; p1 outside. */
	const int assign[N] = {0, 1, 0, 1, -1, 1};
	consort_proposal *p = make_proposal(s, CONSORT_STATUS_OPTIMAL, assign, 2, 3.5);
	expect_ok(p, s);
	char *text;
	consort_error err;
	assert_int_equal(consort_proposal_to_text(&text, p, s, &err), 0);
	assert_non_null(strstr(text, "Network accelerator, autumn 2018 \xe2\x80\x94 6 participants, 2 consortia\n"));
	assert_non_null(strstr(text, "status: optimal   objective: 3.5   bound: 3.5   gap: 0%   (0.012 s, exact)\n"));
	assert_non_null(strstr(text, "Consortium 1 \xe2\x80\x94 2 members, score 1.5\n"));
	assert_non_null(strstr(text, "Consortium 2 \xe2\x80\x94 3 members, score 2.0\n"));
	assert_non_null(strstr(text, "\n  sectors: 1 association, 1 firm   covers: cleaning (f1)\n"));
	assert_non_null(strstr(text, "\n  sectors: 1 association, 2 firm   covers: cleaning (f3)\n"));
	assert_non_null(strstr(text, "Valmennus ry"));
	assert_non_null(strstr(text, "coaching, rehabilitation"));
	assert_non_null(strstr(text, "fit +1.5"));
	assert_non_null(strstr(text, "fit +2.0"));
	assert_non_null(strstr(text, "fit +0.0"));
	assert_non_null(strstr(text, "Outside \xe2\x80\x94 1 participant\n"));
	assert_non_null(strstr(text, "\xc3\x84\xc3\xa4nekosken kaupunki"));
	assert_int_equal(text[strlen(text) - 1], '\n');

	/* Columns line up in code points: "fit" and the sector start at the same
	 * column on every member row, although "Äänekosken" has multi-byte letters. */
	long fitcol = -1, seccol = -1;
	int rows = 0;
	for (char *line = text; *line;) {
		char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char row[512];
		assert_true(len < sizeof(row));
		memcpy(row, line, len);
		row[len] = '\0';
		char *fit = strstr(row, " fit ");
		char *sec = strstr(row, "association");
		if (!sec)
			sec = strstr(row, "  firm");
		if (!sec)
			sec = strstr(row, "public");
		if (fit) {
			long col = (long)cp_width(row, (size_t)(fit - row));
			assert_true(fitcol < 0 || col == fitcol);
			fitcol = col;
		}
		if (sec && strncmp(row, "  ", 2) == 0 && strncmp(row, "  sectors", 9) != 0) {
			if (sec[0] == ' ')
				sec += 2;
			long col = (long)cp_width(row, (size_t)(sec - row));
			assert_true(seccol < 0 || col == seccol);
			seccol = col;
			rows++;
		}
		assert_true(len == 0 || row[len - 1] != ' '); /* no trailing blanks */
		line += len + (end ? 1 : 0);
	}
	assert_int_equal(rows, 6);
	free(text);
	consort_proposal_free(p);
	consort_session_free(s);
}

/* ---- the checker ---- */

static void test_check_rules(void **state)
{
	(void)state;
	consort_session *s = make_session();
	consort_proposal *p = make_proposal(s, CONSORT_STATUS_OPTIMAL, two, 2, 6);
	consort_error err;
	expect_ok(p, s);

	assert_int_equal(consort_session_set_consortia(s, 3, 3, &err), 0);
	expect_violation(p, s, "2 consortia, rules.consortia is 3");
	assert_int_equal(consort_session_set_consortia(s, 1, 1, &err), 0);
	expect_violation(p, s, "2 consortia, rules.consortia is 1");
	assert_int_equal(consort_session_set_consortia(s, 3, 5, &err), 0);
	expect_violation(p, s, "2 consortia, rules.consortia.min is 3");
	assert_int_equal(consort_session_set_consortia(s, 1, 2, &err), 0);
	expect_ok(p, s);
	consort_session_clear_consortia(s);

	assert_int_equal(consort_session_set_size(s, 4, 6, &err), 0);
	expect_violation(p, s, "consortium 1: 3 members, rules.size.min is 4");
	assert_int_equal(consort_session_set_size(s, 1, 2, &err), 0);
	expect_violation(p, s, "consortium 1: 3 members, rules.size.max is 2");

	set_rules(s, "{\"sectors\": {\"firm\": {\"min\": 2}}}");
	expect_violation(p, s, "consortium 2: 1 member of sector \"firm\", rules.sectors.firm.min is 2");
	set_rules(s, "{\"sectors\": {\"association\": {\"max\": 1}, \"firm\": {\"max\": 1}}}");
	expect_violation(p, s, "consortium 1: 2 members of sector \"firm\", rules.sectors.firm.max is 1");

	set_rules(s, "{\"cover\": [\"cleaning\"]}");
	expect_violation(p, s, "consortium 2: no member offers \"cleaning\", rules.cover requires it");

	set_rules(s, "{\"together\": [[\"a1\", \"f1\"], [\"a1\", \"a2\"]]}");
	expect_violation(p, s, "rules.together[1]: a1 is in consortium 1, a2 in consortium 2");

	set_rules(s, "{\"apart\": [[\"a2\", \"f1\"], [\"f3\", \"a1\"]]}");
	expect_violation(p, s, "rules.apart[1]: f3 and a1 are both in consortium 1");

	set_rules(s, "{}");
	expect_ok(p, s);
	consort_proposal_free(p);
	consort_session_free(s);
}

static void test_check_everyone_and_default_size(void **state)
{
	(void)state;
	consort_session *s = make_session();
	consort_session_set_everyone(s, 0);
	const int assign[N] = {0, 1, 0, 1, -1, 0};
	consort_proposal *p = make_proposal(s, CONSORT_STATUS_FEASIBLE, assign, 2, 10);
	expect_ok(p, s);
	consort_session_set_everyone(s, 1);
	expect_violation(p, s, "p1 is outside every consortium, rules.everyone is true");
	consort_proposal_free(p);

	/* A lone member breaks the default size of 2 even with no size rule. */
	const int lone[N] = {0, 1, 0, 2, 2, 0};
	p = make_proposal(s, CONSORT_STATUS_FEASIBLE, lone, 3, 10);
	expect_violation(p, s, "consortium 2: 1 member, rules.size.min is 2 by default");
	consort_proposal_free(p);

	/* together: one placed, one outside. */
	set_rules(s, "{\"everyone\": false, \"together\": [[\"p1\", \"f2\"]]}");
	p = make_proposal(s, CONSORT_STATUS_FEASIBLE, assign, 2, 10);
	expect_violation(p, s, "rules.together[0]: f2 is in consortium 2, p1 is outside");
	consort_proposal_free(p);
	consort_session_free(s);
}

static void test_check_lots(void **state)
{
	(void)state;
	consort_session *s = make_session();
	set_rules(s, "{\"lots\": [{\"name\": \"North\"}, {\"name\": \"South\"}]}");
	/* With lots, slot g is lot g: North = {a2, f2, p1} comes first. */
	consort_proposal *p = make_proposal(s, CONSORT_STATUS_OPTIMAL, two, 2, 6);
	size_t nm;
	const size_t *m = consort_proposal_members(p, 0, &nm);
	assert_int_equal(m[0], A2);
	assert_string_equal(consort_proposal_lot(p, 0), "North");
	assert_string_equal(consort_proposal_lot(p, 1), "South");
	expect_ok(p, s);

	cJSON *root = to_json(p, s);
	const cJSON *cons = cJSON_GetObjectItemCaseSensitive(root, "consortia");
	assert_string_equal(str(cJSON_GetArrayItem(cons, 0), "lot"), "North");
	assert_string_equal(str(cJSON_GetArrayItem(cons, 1), "lot"), "South");
	cJSON_Delete(root);
	char *text;
	consort_error err;
	assert_int_equal(consort_proposal_to_text(&text, p, s, &err), 0);
	assert_non_null(strstr(text, "Consortium 1 (lot North) \xe2\x80\x94 3 members, score 3.5\n"));
	free(text);

	/* The lot's own rules apply to its consortium. */
	set_rules(s, "{\"lots\": [{\"name\": \"North\"},"
		" {\"name\": \"South\", \"sectors\": {\"public\": {\"min\": 1}}}]}");
	expect_violation(p, s,
		"consortium 2 (lot South): 0 members of sector \"public\", rules.lots[1].sectors.public.min is 1");
	set_rules(s, "{\"lots\": [{\"name\": \"North\", \"size\": {\"min\": 4, \"max\": 5}},"
		" {\"name\": \"South\"}]}");
	expect_violation(p, s, "consortium 1 (lot North): 3 members, rules.lots[0].size.min is 4");
	set_rules(s, "{\"lots\": [{\"name\": \"North\"}, {\"name\": \"South\", \"cover\": [\"construction\"]}]}");
	expect_violation(p, s,
		"consortium 2 (lot South): no member offers \"construction\", rules.lots[1].cover requires it");

	/* Lots renamed, or one more lot than consortia. */
	set_rules(s, "{\"lots\": [{\"name\": \"North\"}, {\"name\": \"East\"}]}");
	expect_violation(p, s, "consortium 2: lot South is not in rules.lots");
	set_rules(s, "{\"lots\": [{\"name\": \"North\"}, {\"name\": \"South\"}, {\"name\": \"East\"}]}");
	expect_violation(p, s, "2 consortia, rules.lots has 3 lots (one consortium per lot)");

	/* A proposal without lots checked against a session with lots, and back. */
	set_rules(s, "{}");
	consort_proposal *plain = make_proposal(s, CONSORT_STATUS_OPTIMAL, two, 2, 6);
	expect_violation(p, s, "consortium 1: lot North, but the session has no rules.lots");
	set_rules(s, "{\"lots\": [{\"name\": \"North\"}, {\"name\": \"South\"}]}");
	expect_violation(plain, s, "consortium 1: no lot, but the session has rules.lots");
	consort_proposal_free(plain);
	consort_proposal_free(p);
	consort_session_free(s);
}

static void test_check_scores_and_bound(void **state)
{
	(void)state;
	consort_session *s = make_session();
	consort_error err;
	consort_proposal *p = make_proposal(s, CONSORT_STATUS_OPTIMAL, two, 2, 7);
	expect_violation(p, s, "status optimal, but bound 7 differs from the objective 6");
	consort_proposal_free(p);
	p = make_proposal(s, CONSORT_STATUS_FEASIBLE, two, 2, 5);
	expect_violation(p, s, "bound 5 is below the objective 6");
	consort_proposal_free(p);

	p = make_proposal(s, CONSORT_STATUS_OPTIMAL, two, 2, 6);
	/* The session changed after the solve: a1 now rates f1 1, so a1-f1 is -0.5. */
	assert_int_equal(consort_session_set_rating(s, "a1", "f1", 1, &err), 0);
	expect_violation(p, s, "consortium 1: score 2.5, the session's weights give 0.5");
	assert_int_equal(consort_session_set_rating(s, "a1", "f1", 5, &err), 0);
	expect_ok(p, s);

	/* Another session size: the indexes do not refer to the same people. */
	assert_int_equal(consort_session_add_participant(s, "z9", NULL, "firm", NULL, 0, &err), 0);
	expect_violation(p, s, "the proposal is for 6 participants, the session has 7");
	char *text = (char *)1;
	assert_int_equal(consort_proposal_to_json(&text, p, s, &err), CONSORT_EUSAGE);
	assert_null(text);
	consort_proposal_free(p);
	consort_session_free(s);
}

static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(consort_status_name(CONSORT_STATUS_OPTIMAL), "optimal");
	assert_string_equal(consort_status_name(CONSORT_STATUS_FEASIBLE), "feasible");
	assert_string_equal(consort_status_name(CONSORT_STATUS_INFEASIBLE), "infeasible");
	assert_string_equal(consort_status_name(CONSORT_STATUS_STOPPED), "stopped");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_orders_and_scores),
		cmocka_unit_test(test_new_outside_and_empty_slots),
		cmocka_unit_test(test_new_rejects_bad_assignment),
		cmocka_unit_test(test_gap),
		cmocka_unit_test(test_json_fields),
		cmocka_unit_test(test_json_infinite_bound_is_null),
		cmocka_unit_test(test_json_rounds_float_noise),
		cmocka_unit_test(test_infeasible_and_stopped),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_check_rules),
		cmocka_unit_test(test_check_everyone_and_default_size),
		cmocka_unit_test(test_check_lots),
		cmocka_unit_test(test_check_scores_and_bound),
		cmocka_unit_test(test_status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
