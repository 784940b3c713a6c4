/* Tests for the session simulator and `consort simulate`: reproducibility, the
 * planted structure, the sector mix, missing ratings, rules and round trips. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consort.h"
#include "testutil.h"

static consort_session *simulate_ok(const consort_simulate_options *o, int **planted)
{
	consort_session *s = NULL;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort_simulate(&s, planted, o, &err);
	if (rc != 0)
		print_error("%s\n", err.message);
	assert_int_equal(rc, 0);
	assert_non_null(s);
	return s;
}

static char *to_json(const consort_session *s)
{
	char *json = NULL;
	consort_error err;
	assert_int_equal(consort_session_to_json(&json, s, &err), 0);
	return json;
}

static void test_reproducible(void **state)
{
	(void)state;
	consort_simulate_options o;
	consort_simulate_defaults(&o);
	o.participants = 40;
	o.consortia = 6;
	o.seed = 12345;
	int *p1, *p2, *p3;
	consort_session *a = simulate_ok(&o, &p1), *b = simulate_ok(&o, &p2);
	char *ja = to_json(a), *jb = to_json(b);
	assert_string_equal(ja, jb);
	assert_memory_equal(p1, p2, 40 * sizeof(int));
	o.seed = 12346;
	consort_session *c = simulate_ok(&o, &p3);
	char *jc = to_json(c);
	assert_string_not_equal(ja, jc);
	/* A fixed seed gives the same data on every machine: pin a few values. */
	o.seed = 1;
	o.participants = 6;
	o.consortia = 2;
	int *pd;
	consort_session *d = simulate_ok(&o, &pd);
	char *jd = to_json(d);
	consort_session *e = simulate_ok(&o, NULL);
	char *je = to_json(e);
	assert_string_equal(jd, je);
	static const int want_planted[] = {1, 0, 0, 1, 1, 0};
	assert_memory_equal(pd, want_planted, sizeof(want_planted));
	assert_string_equal(consort_session_participant(d, 0)->id, "a1");
	assert_string_equal(consort_session_participant(d, 0)->name, "Verso ry");
	assert_string_equal(consort_session_participant(d, 5)->id, "f3");
	static const double want_scores[] = {2, 1, 1, 3, 2, 2};
	for (size_t k = 0; k < 6; k++)
		assert_true(consort_session_rating(d, k)->score == want_scores[k]);
	free(pd);
	free(ja);
	free(jb);
	free(jc);
	free(jd);
	free(je);
	free(p1);
	free(p2);
	free(p3);
	consort_session_free(a);
	consort_session_free(b);
	consort_session_free(c);
	consort_session_free(d);
	consort_session_free(e);
}

static void test_planted_sizes(void **state)
{
	(void)state;
	static const int cases[][2] = {{200, 8}, {30, 5}, {7, 7}, {5, 3}, {1, 1}, {101, 2}};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		consort_simulate_options o;
		consort_simulate_defaults(&o);
		o.participants = cases[c][0];
		o.consortia = cases[c][1];
		o.seed = 99 + c;
		o.missing = 0.9;
		int *planted;
		consort_session *s = simulate_ok(&o, &planted);
		int n = o.participants, k = o.consortia, size[16] = {0};
		assert_int_equal(consort_session_count(s), (size_t)n);
		for (int i = 0; i < n; i++) {
			assert_true(planted[i] >= 0 && planted[i] < k);
			size[planted[i]]++;
		}
		double avg = (double)n / k;
		for (int g = 0; g < k; g++) {
			assert_true(size[g] >= (n >= 2 * k ? 2 : 1));
			assert_true(size[g] >= floor(avg * 0.6) && size[g] <= ceil(avg * 1.4));
		}
		free(planted);
		consort_session_free(s);
	}
}

static size_t count_sector(const consort_session *s, const char *sector)
{
	size_t c = 0;
	for (size_t i = 0; i < consort_session_count(s); i++)
		c += strcmp(consort_session_participant(s, i)->sector, sector) == 0;
	return c;
}

static void test_sector_mix(void **state)
{
	(void)state;
	consort_simulate_options o;
	consort_simulate_defaults(&o);
	o.participants = 1000;
	o.consortia = 40;
	o.missing = 0.99;
	o.seed = 7;
	consort_session *s = simulate_ok(&o, NULL);
	double a = (double)count_sector(s, "association") / 1000, f = (double)count_sector(s, "firm") / 1000,
	       p = (double)count_sector(s, "public") / 1000;
	assert_true(fabs(a - 0.45) < 0.05 && fabs(f - 0.45) < 0.05 && fabs(p - 0.1) < 0.04);
	assert_true(fabs(a + f + p - 1) < 1e-12);
	/* Ids are the sector initial and a running number; names are unique. */
	const char **names = malloc(1000 * sizeof(char *));
	for (size_t i = 0; i < 1000; i++) {
		const consort_participant *pt = consort_session_participant(s, i);
		assert_int_equal(pt->id[0], pt->sector[0]);
		assert_true(strtol(pt->id + 1, NULL, 10) >= 1);
		names[i] = pt->name;
		assert_true(pt->noffers >= 1 && pt->noffers <= 3);
		if (strcmp(pt->sector, "association") == 0)
			assert_non_null(strstr(pt->name, " ry"));
		if (strcmp(pt->sector, "firm") == 0)
			assert_non_null(strstr(pt->name, " Oy"));
	}
	for (size_t i = 0; i < 1000; i++)
		for (size_t j = i + 1; j < 1000; j++)
			assert_string_not_equal(names[i], names[j]);
	assert_non_null(consort_session_participant(s, (size_t)consort_session_find(s, "a1")));
	free(names);
	consort_session_free(s);

	/* A custom mix. */
	consort_simulate_sector mix[] = {{"education", 1}, {"firm", 3}};
	o.sectors = mix;
	o.nsectors = 2;
	o.participants = 400;
	o.consortia = 10;
	s = simulate_ok(&o, NULL);
	double fe = (double)count_sector(s, "education") / 400;
	assert_true(fabs(fe - 0.25) < 0.07);
	assert_int_equal(count_sector(s, "education") + count_sector(s, "firm"), 400);
	assert_true(consort_session_find(s, "e1") >= 0 && consort_session_find(s, "f1") >= 0);
	consort_session_free(s);
}

static void test_ratings(void **state)
{
	(void)state;
	consort_simulate_options o;
	consort_simulate_defaults(&o);
	o.participants = 120;
	o.consortia = 6;
	o.missing = 0.3;
	o.seed = 2024;
	o.scale_min = 0;
	o.scale_max = 10;
	int *planted;
	consort_session *s = simulate_ok(&o, &planted);
	size_t n = 120, nr = consort_session_rating_count(s);
	double frac = (double)nr / (double)(n * (n - 1));
	assert_true(fabs(frac - 0.7) < 0.02);
	double sum[2] = {0, 0}, cnt[2] = {0, 0};
	for (size_t k = 0; k < nr; k++) {
		const consort_rating *r = consort_session_rating(s, k);
		assert_true(r->score >= 0 && r->score <= 10 && r->score == floor(r->score));
		assert_true(r->from != r->to);
		int same = planted[r->from] == planted[r->to];
		sum[same] += r->score;
		cnt[same] += 1;
	}
	double in = sum[1] / cnt[1], out = sum[0] / cnt[0];
	/* 8.0 vs 3.25 on 0..10 before rounding and clamping. */
	assert_true(fabs(in - 8.0) < 0.4 && fabs(out - 3.25) < 0.4);
	assert_true(in > out + 3);
	/* No missing ratings: every directed pair rated. */
	o.missing = 0;
	o.participants = 30;
	o.consortia = 3;
	consort_session *full = simulate_ok(&o, NULL);
	assert_int_equal(consort_session_rating_count(full), 30 * 29);
	consort_session_free(full);
	/* All missing. */
	o.missing = 1;
	consort_session *none = simulate_ok(&o, NULL);
	assert_int_equal(consort_session_rating_count(none), 0);
	consort_session_free(none);
	free(planted);
	consort_session_free(s);
}

static int offers(const consort_participant *p, const char *service)
{
	for (size_t k = 0; k < p->noffers; k++)
		if (strcmp(p->offers[k], service) == 0)
			return 1;
	return 0;
}

static void test_rules_and_cover(void **state)
{
	(void)state;
	consort_simulate_options o;
	consort_simulate_defaults(&o);
	o.participants = 60;
	o.consortia = 12;
	o.rules = 1;
	o.seed = 5;
	int *planted;
	consort_session *s = simulate_ok(&o, &planted);
	const consort_rules *r = consort_session_rules(s);
	assert_true(r->has_consortia);
	assert_int_equal(r->consortia.min, 12);
	assert_int_equal(r->consortia.max, 12);
	assert_true(r->group.has_size);
	assert_int_equal(r->group.size.min, 2);
	assert_int_equal(r->group.nsectors, 2);
	assert_string_equal(r->group.sectors[0].sector, "association");
	assert_string_equal(r->group.sectors[1].sector, "firm");
	assert_int_equal(r->group.sectors[0].count.min, 1);
	/* The planted partition meets the rules and covers the core services. */
	static const char *const core[] = {"cleaning", "coaching", "job training"};
	for (int g = 0; g < 12; g++) {
		int size = 0, assoc = 0, firm = 0, cover[3] = {0, 0, 0};
		for (size_t i = 0; i < 60; i++) {
			if (planted[i] != g)
				continue;
			const consort_participant *p = consort_session_participant(s, i);
			size++;
			assoc += strcmp(p->sector, "association") == 0;
			firm += strcmp(p->sector, "firm") == 0;
			for (int c = 0; c < 3; c++)
				cover[c] |= offers(p, core[c]);
		}
		assert_true(size >= 2 && assoc >= 1 && firm >= 1);
		assert_true(cover[0] && cover[1] && cover[2]);
	}
	free(planted);
	consort_session_free(s);
	/* Without --rules the session has default rules. */
	o.rules = 0;
	s = simulate_ok(&o, NULL);
	assert_false(consort_session_rules(s)->has_consortia);
	assert_int_equal(consort_session_rules(s)->group.nsectors, 0);
	consort_session_free(s);
}

static void expect_invalid(const consort_simulate_options *o, const char *part)
{
	consort_session *s = (consort_session *)&s;
	int *planted = (int *)&s;
	consort_error err;
	consort_error_clear(&err);
	assert_int_equal(consort_simulate(&s, &planted, o, &err), CONSORT_EINVALID);
	assert_null(s);
	assert_null(planted);
	if (!strstr(err.message, part))
		print_error("want \"%s\" in \"%s\"\n", part, err.message);
	assert_non_null(strstr(err.message, part));
	assert_true(strncmp(err.message, "simulate: ", 10) == 0);
}

static void test_invalid_options(void **state)
{
	(void)state;
	consort_simulate_options o, d;
	consort_simulate_defaults(&d);
	o = d, o.participants = 0;
	expect_invalid(&o, "participants: 0");
	o = d, o.participants = CONSORT_SIMULATE_MAX + 1;
	expect_invalid(&o, "participants");
	o = d, o.consortia = 31;
	expect_invalid(&o, "consortia: 31");
	o = d, o.consortia = 0;
	expect_invalid(&o, "consortia: 0");
	o = d, o.missing = 1.5;
	expect_invalid(&o, "missing");
	o = d, o.missing = NAN;
	expect_invalid(&o, "missing");
	o = d, o.bias = -1;
	expect_invalid(&o, "bias");
	o = d, o.noise = INFINITY;
	expect_invalid(&o, "noise");
	o = d, o.scale_min = 5, o.scale_max = 5;
	expect_invalid(&o, "scale: 5..5");
	o = d, o.rules = 1, o.consortia = 16;
	expect_invalid(&o, "rules: 16 consortia");
	consort_simulate_sector twice[] = {{"firm", 1}, {"firm", 2}};
	o = d, o.sectors = twice, o.nsectors = 2;
	expect_invalid(&o, "sectors.firm: given twice");
	consort_simulate_sector badname[] = {{"public sector", 1}};
	o = d, o.sectors = badname, o.nsectors = 1;
	expect_invalid(&o, "sectors[0]");
	consort_simulate_sector zero[] = {{"firm", 0}, {"public", 0}};
	o = d, o.sectors = zero, o.nsectors = 2;
	expect_invalid(&o, "add up to 0");
	consort_simulate_sector negative[] = {{"firm", -1}};
	o = d, o.sectors = negative, o.nsectors = 1;
	expect_invalid(&o, "sectors.firm: share -1");
}

static void test_round_trip(void **state)
{
	(void)state;
	consort_simulate_options o;
	consort_simulate_defaults(&o);
	o.participants = 50;
	o.consortia = 5;
	o.rules = 1;
	o.seed = 77;
	consort_session *s = simulate_ok(&o, NULL);
	char *json = to_json(s);
	consort_session *back = NULL;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort_session_parse(&back, json, strlen(json), "sim.json", &err);
	if (rc != 0)
		print_error("%s\n", err.message);
	assert_int_equal(rc, 0);
	char *again = to_json(back);
	assert_string_equal(json, again);
	free(again);
	free(json);
	consort_session_free(back);
	consort_session_free(s);
}

/* ---- the command ---- */

static void run(tu_result *r, const char *const *argv)
{
	assert_int_equal(tu_run(r, argv), 0);
}

static void test_cli(void **state)
{
	(void)state;
	tu_result a, b, c;
	const char *const args[] = {CONSORT_BIN, "simulate", "20", "--consortia", "4", "--seed", "5", "--rules", NULL};
	run(&a, args);
	if (a.status != 0)
		print_error("%s", a.err);
	assert_int_equal(a.status, 0);
	assert_string_equal(a.err, "");
	run(&b, args);
	assert_string_equal(a.out, b.out);
	/* The output is a session, with the planted consortia as x-planted. */
	consort_session *s = NULL;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort_session_parse(&s, a.out, strlen(a.out), "stdout", &err);
	if (rc != 0)
		print_error("%s\n", err.message);
	assert_int_equal(rc, 0);
	assert_int_equal(consort_session_count(s), 20);
	assert_int_equal(consort_session_rules(s)->consortia.min, 4);
	consort_session_free(s);
	const char *xp = strstr(a.out, "\n  \"x-planted\": [[\"");
	assert_non_null(xp);
	assert_string_equal(a.out + strlen(a.out) - 5, "]]\n}\n");
	/* Every participant appears once in x-planted, in the library's partition. */
	consort_simulate_options o;
	consort_simulate_defaults(&o);
	o.participants = 20;
	o.consortia = 4;
	o.seed = 5;
	o.rules = 1;
	int *planted;
	s = simulate_ok(&o, &planted);
	char *json = to_json(s);
	assert_memory_equal(a.out, json, strlen(json) - 3); /* up to the last member's end */
	for (int g = 0; g < 4; g++) {
		char want[1024] = "[";
		for (size_t i = 0; i < 20; i++)
			if (planted[i] == g) {
				if (want[1])
					strcat(want, ", ");
				strcat(want, "\"");
				strcat(want, consort_session_participant(s, i)->id);
				strcat(want, "\"");
			}
		strcat(want, "]");
		assert_non_null(strstr(xp, want));
	}
	free(json);
	free(planted);
	consort_session_free(s);
	tu_result_free(&b);

	const char *const other[] = {CONSORT_BIN, "simulate", "20", "--consortia=4", "--seed=6", "--rules", NULL};
	run(&c, other);
	assert_int_equal(c.status, 0);
	assert_string_not_equal(a.out, c.out);
	tu_result_free(&c);

	/* -o writes the same text to a file. */
	char *dir = tu_tempdir();
	char path[512];
	snprintf(path, sizeof(path), "%s/sim.json", dir);
	const char *const to_file[] = {CONSORT_BIN, "simulate", "--seed", "5", "20", "-o", path, "--consortia", "4",
		"--rules", NULL};
	run(&b, to_file);
	assert_int_equal(b.status, 0);
	assert_string_equal(b.out, "");
	char *text = tu_read(path);
	assert_non_null(text);
	assert_string_equal(text, a.out);
	free(text);
	tu_result_free(&b);
	tu_rmdir(dir);
	free(dir);
	tu_result_free(&a);
}

static void test_cli_options(void **state)
{
	(void)state;
	tu_result r;
	const char *const args[] = {CONSORT_BIN, "simulate", "30", "--consortia", "3", "--scale", "0..10",
		"--sectors", "education:1,public:1", "--missing", "0", "--bias", "0", "--noise", "0", NULL};
	run(&r, args);
	assert_int_equal(r.status, 0);
	consort_session *s = NULL;
	consort_error err;
	assert_int_equal(consort_session_parse(&s, r.out, strlen(r.out), "stdout", &err), 0);
	assert_true(consort_session_scale_min(s) == 0 && consort_session_scale_max(s) == 10);
	assert_int_equal(consort_session_rating_count(s), 30 * 29);
	assert_int_equal(count_sector(s, "education") + count_sector(s, "public"), 30);
	/* Without bias or noise every rating is the model's mean, rounded: 8 or 3. */
	for (size_t k = 0; k < consort_session_rating_count(s); k++) {
		double v = consort_session_rating(s, k)->score;
		assert_true(v == 8 || v == 3);
	}
	consort_session_free(s);
	tu_result_free(&r);
}

static void expect_usage(const char *const *argv, const char *message)
{
	tu_result r;
	run(&r, argv);
	if (r.status != 2 || !strstr(r.err, message))
		print_error("status %d, stderr: %s", r.status, r.err);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.out, "");
	assert_true(strncmp(r.err, "consort: ", 9) == 0);
	assert_non_null(strstr(r.err, message));
	assert_int_equal(tu_count_lines(r.err), 1);
	tu_result_free(&r);
}

static void test_cli_errors(void **state)
{
	(void)state;
	const char *B = CONSORT_BIN;
	expect_usage((const char *const[]){B, "simulate", "20", NULL}, "--consortia K is required");
	expect_usage((const char *const[]){B, "simulate", "--consortia", "3", NULL}, "expected one number of participants");
	expect_usage((const char *const[]){B, "simulate", "20", "30", "--consortia", "3", NULL}, "got 2 arguments");
	expect_usage((const char *const[]){B, "simulate", "x", "--consortia", "3", NULL}, "N 'x'");
	expect_usage((const char *const[]){B, "simulate", "20", "--consortia", "3", "--missing", "2", NULL},
		"--missing '2': expected a probability 0..1");
	expect_usage((const char *const[]){B, "simulate", "20", "--consortia", "3", "--scale", "5..1", NULL}, "--scale '5..1'");
	expect_usage((const char *const[]){B, "simulate", "20", "--consortia", "3", "--sectors", "firm", NULL}, "--sectors 'firm'");
	expect_usage((const char *const[]){B, "simulate", "20", "--consortia", "3", "--seed", "-1", NULL}, "--seed '-1'");
	expect_usage((const char *const[]){B, "simulate", "20", "--consortia", NULL}, "--consortia needs a value");
	expect_usage((const char *const[]){B, "simulate", "20", "--consortia", "3", "--frobnicate", NULL}, "unknown option '--frobnicate'");
	expect_usage((const char *const[]){B, "simulate", "20", "--consortia", "30", NULL}, "simulate: consortia: 30 is outside 1..20");
	expect_usage((const char *const[]){B, "simulate", "20", "--consortia", "11", "--rules", NULL}, "rules: 11 consortia");

	tu_result r;
	run(&r, (const char *const[]){B, "simulate", "--help", NULL});
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "usage: consort simulate N --consortia K"));
	assert_string_equal(r.err, "");
	tu_result_free(&r);
	run(&r, (const char *const[]){B, "help", "simulate", NULL});
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "x-planted"));
	tu_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_planted_sizes),
		cmocka_unit_test(test_sector_mix),
		cmocka_unit_test(test_ratings),
		cmocka_unit_test(test_rules_and_cover),
		cmocka_unit_test(test_invalid_options),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_cli_options),
		cmocka_unit_test(test_cli_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
