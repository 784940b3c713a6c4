/* Tests for reading consort-proposal/1 files back: round trips of solved proposals
 * (with and without lots, with people outside) and one-line errors for bad files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consort.h"
#include "testutil.h"

static consort_session *load_example(void)
{
	consort_session *s;
	consort_error err;
	if (consort_session_load(&s, CONSORT_EXAMPLES "/pirkanmaa-2018.json", &err) != 0)
		fail_msg("%s", err.message);
	return s;
}

static consort_proposal *solve(const consort_session *s)
{
	consort_proposal *p;
	consort_error err;
	consort_solve_options o;
	consort_solve_options_init(&o);
	o.time_limit = 20;
	if (consort_solve(&p, s, &o, &err) != 0)
		fail_msg("%s", err.message);
	return p;
}

/* Same consortia (as sets, by index), same outside, same numbers. */
static void assert_same(const consort_proposal *a, const consort_proposal *b)
{
	assert_int_equal(consort_proposal_status(a), consort_proposal_status(b));
	assert_true(fabs(consort_proposal_objective(a) - consort_proposal_objective(b)) < 1e-9);
	assert_int_equal(consort_proposal_count(a), consort_proposal_count(b));
	for (size_t k = 0; k < consort_proposal_count(a); k++) {
		size_t na, nb;
		const size_t *ma = consort_proposal_members(a, k, &na);
		const size_t *mb = consort_proposal_members(b, k, &nb);
		assert_int_equal(na, nb);
		for (size_t i = 0; i < na; i++)
			assert_int_equal(ma[i], mb[i]);
		const char *la = consort_proposal_lot(a, k), *lb = consort_proposal_lot(b, k);
		assert_true((!la && !lb) || (la && lb && !strcmp(la, lb)));
	}
	size_t oa, ob;
	consort_proposal_outside(a, &oa);
	consort_proposal_outside(b, &ob);
	assert_int_equal(oa, ob);
}

static void round_trip(const consort_session *s)
{
	consort_proposal *p = solve(s), *q = NULL;
	consort_error err;
	char *json;
	assert_int_equal(consort_proposal_to_json(&json, p, s, &err), 0);
	if (consort_proposal_parse(&q, json, strlen(json), "p.json", s, &err) != 0)
		fail_msg("%s\n%s", err.message, json);
	assert_same(p, q);
	assert_int_equal(consort_proposal_check(q, s, &err), 0);
	free(json);
	consort_proposal_free(p);
	consort_proposal_free(q);
}

static void test_round_trip_example(void **state)
{
	(void)state;
	consort_session *s = load_example();
	round_trip(s);
	consort_session_free(s);
}

/* Simulated sessions with lots and with members allowed outside. */
static void test_round_trip_simulated(void **state)
{
	(void)state;
	static const char *const rules[] = {
		"{\"consortia\": 3, \"size\": {\"min\": 2, \"max\": 5}}",
		"{\"lots\": [{\"name\": \"North\"}, {\"name\": \"South <&>\"}], \"size\": {\"min\": 2}}",
		"{\"consortia\": 2, \"size\": {\"min\": 3, \"max\": 3}, \"everyone\": false}",
	};
	for (unsigned seed = 1; seed <= 6; seed++) {
		for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
			consort_session *s;
			consort_error err;
			consort_simulate_options so;
			consort_simulate_defaults(&so);
			so.participants = 9;
			so.consortia = 3;
			so.seed = seed;
			if (consort_simulate(&s, NULL, &so, &err) != 0)
				fail_msg("%s", err.message);
			if (consort_session_parse_rules(s, rules[r], strlen(rules[r]), "rules.json", &err) != 0)
				fail_msg("%s", err.message);
			round_trip(s);
			consort_session_free(s);
		}
	}
}

static void expect_error(const consort_session *s, const char *json, const char *want)
{
	consort_proposal *p = (consort_proposal *)1;
	consort_error err;
	int rc = consort_proposal_parse(&p, json, strlen(json), "p.json", s, &err);
	if (rc != CONSORT_EINVALID)
		fail_msg("accepted (%d): %s", rc, json);
	assert_null(p);
	if (!strstr(err.message, want))
		fail_msg("message \"%s\" lacks \"%s\"", err.message, want);
	assert_null(strchr(err.message, '\n'));
	assert_int_equal(strncmp(err.message, "p.json: ", 8), 0);
}

#define HEAD "{\"format\": \"consort-proposal/1\", \"status\": \"feasible\", "
#define ALL_BUT_F8 "\"a1\",\"a2\",\"a3\",\"a4\",\"a5\",\"a6\",\"a7\",\"f1\",\"f2\",\"f3\",\"f4\",\"f5\",\"f6\",\"f7\""

static void test_errors(void **state)
{
	(void)state;
	consort_session *s = load_example();
	expect_error(s, "{", "line 1");
	expect_error(s, "[]", "expected an object");
	expect_error(s, "{\"status\": \"optimal\"}", "format: missing");
	expect_error(s, "{\"format\": \"consort-session/1\", \"status\": \"optimal\"}", "format: expected");
	expect_error(s, "{\"format\": \"consort-proposal/1\"}", "status: missing");
	expect_error(s, "{\"format\": \"consort-proposal/1\", \"status\": \"great\"}", "status: expected");
	expect_error(s, HEAD "\"objective\": 0, \"consortia\": {}}", "consortia: expected an array");
	expect_error(s, HEAD "\"objective\": 0, \"consortia\": [{\"members\": [\"zz\"]}]}",
		"consortia[0].members[0]: \"zz\" is not a participant");
	expect_error(s, HEAD "\"objective\": 0, \"consortia\": [{\"members\": []}]}",
		"consortia[0].members: a consortium needs at least one member");
	expect_error(s, HEAD "\"objective\": 0, \"consortia\": [{\"members\": [" ALL_BUT_F8 ", \"a1\"]}]}",
		"\"a1\" is listed twice");
	expect_error(s, HEAD "\"objective\": 0, \"consortia\": [{\"members\": [" ALL_BUT_F8 "]}]}",
		"\"f8\" is in no consortium");
	expect_error(s, HEAD "\"objective\": 0, \"consortia\": [{\"members\": [" ALL_BUT_F8 ", \"f8\"], \"lot\": \"X\"}]}",
		"consortia[0].lot: the session has no lots");
	expect_error(s, HEAD "\"objective\": 12345, \"consortia\": [{\"members\": [" ALL_BUT_F8 ", \"f8\"]}]}",
		"objective: 12345 does not match the session's weights");
	expect_error(s, "{\"format\": \"consort-proposal/1\", \"status\": \"infeasible\", \"consortia\": [{\"members\": [\"a1\"]}]}",
		"infeasible or stopped has no consortia");
	consort_session_free(s);
}

static void test_bound_and_file(void **state)
{
	(void)state;
	consort_session *s = load_example();
	consort_proposal *p = solve(s), *q = NULL;
	consort_error err;
	char *json;
	assert_int_equal(consort_proposal_to_json(&json, p, s, &err), 0);
	/* A bound below the objective is not a bound. */
	char *b = strstr(json, "\"bound\": ");
	assert_non_null(b);
	char *text = malloc(strlen(json) + 8);
	snprintf(text, strlen(json) + 8, "%.*s\"bound\": -1,%s", (int)(b - json), json, strchr(b, ',') + 1);
	expect_error(s, text, "bound: below the objective");

	char *dir = tu_tempdir(), path[512];
	snprintf(path, sizeof(path), "%s/p.json", dir);
	assert_int_equal(tu_write(path, json), 0);
	assert_int_equal(consort_proposal_load(&q, path, s, &err), 0);
	assert_same(p, q);
	consort_proposal_free(q);
	snprintf(path, sizeof(path), "%s/missing.json", dir);
	assert_int_equal(consort_proposal_load(&q, path, s, &err), CONSORT_EIO);
	assert_non_null(strstr(err.message, "missing.json"));
	tu_rmdir(dir);
	free(dir);
	free(text);
	free(json);
	consort_proposal_free(p);
	consort_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_example),
		cmocka_unit_test(test_round_trip_simulated),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_bound_and_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
