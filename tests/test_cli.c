/* End-to-end tests of the consort command: help and usage errors, `consort solve`
 * on the Pirkanmaa example checked against brute force, overrides, -o, bad input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "consort.h"
#include "testutil.h"
#include "analysis/distance.h"

#define EXAMPLE CONSORT_EXAMPLES "/pirkanmaa-2018.json"
#define TOL 1e-5
#define MAXARGS 32

/* ---- running the binary ---- */

/* Runs CONSORT_BIN with the given arguments (NULL-terminated). */
static void run(tu_result *r, ...)
{
	const char *argv[MAXARGS + 2];
	int argc = 0;
	argv[argc++] = CONSORT_BIN;
	va_list ap;
	va_start(ap, r);
	const char *a;
	while ((a = va_arg(ap, const char *)) != NULL) {
		assert_true(argc <= MAXARGS);
		argv[argc++] = a;
	}
	va_end(ap);
	argv[argc] = NULL;
	assert_int_equal(tu_run(r, argv), 0);
}

static void dump(const tu_result *r)
{
	print_message("exit %d\n--- stdout ---\n%s\n--- stderr ---\n%s\n", r->status, r->out, r->err);
}

/* Exit 2, nothing on stdout, exactly one line "consort: ..." on stderr. */
static void assert_usage_error(const tu_result *r)
{
	if (r->status != 2 || r->out[0] || tu_count_lines(r->err) != 1 || strncmp(r->err, "consort: ", 9) != 0)
		dump(r);
	assert_int_equal(r->status, 2);
	assert_string_equal(r->out, "");
	assert_int_equal(tu_count_lines(r->err), 1);
	assert_true(strncmp(r->err, "consort: ", 9) == 0);
	assert_true(r->err[strlen(r->err) - 1] == '\n');
}

/* ---- reading proposals ---- */

static cJSON *parse_proposal(const tu_result *r)
{
	cJSON *doc = cJSON_Parse(r->out);
	if (!doc)
		dump(r);
	assert_non_null(doc);
	const cJSON *format = cJSON_GetObjectItemCaseSensitive(doc, "format");
	assert_true(cJSON_IsString(format));
	assert_string_equal(format->valuestring, "consort-proposal/1");
	return doc;
}

static const char *status_of(const cJSON *doc)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "status");
	assert_true(cJSON_IsString(st));
	return st->valuestring;
}

static double number_of(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!cJSON_IsNumber(v))
		print_error("\"%s\" is not a number\n", key);
	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static const cJSON *array_of(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	assert_true(cJSON_IsArray(v));
	return v;
}

static void assert_near(double actual, double expected)
{
	if (fabs(actual - expected) > TOL * fmax(1, fabs(expected)))
		print_error("%.10g differs from the expected %.10g\n", actual, expected);
	assert_true(fabs(actual - expected) <= TOL * fmax(1, fabs(expected)));
}

static consort_session *load(const char *path)
{
	consort_session *s = NULL;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort_session_load(&s, path, &err);
	if (rc != 0)
		print_error("%s\n", err.message);
	assert_int_equal(rc, 0);
	return s;
}

static double *weights_of(const consort_session *s)
{
	double *w = NULL;
	consort_error err;
	consort_error_clear(&err);
	assert_int_equal(consort_scoring_weights(&w, s, &err), 0);
	return w;
}

/* Checks a proposal with consortia against the session: every participant
 * exactly once (in a consortium or outside), every consortium's score and the
 * objective recomputed from the session's weights, objective == sum of scores.
 * Fills group (n entries; -1 outside) and returns the objective. */
static double check_proposal(const cJSON *doc, const consort_session *s, int *group)
{
	size_t n = consort_session_count(s);
	double *w = weights_of(s);
	for (size_t i = 0; i < n; i++)
		group[i] = -2;
	const cJSON *consortia = array_of(doc, "consortia"), *con;
	int k = 0;
	double sum = 0;
	cJSON_ArrayForEach(con, consortia) {
		const cJSON *members = array_of(con, "members"), *m;
		assert_true(cJSON_GetArraySize(members) > 0);
		cJSON_ArrayForEach(m, members) {
			assert_true(cJSON_IsString(m));
			long i = consort_session_find(s, m->valuestring);
			assert_true(i >= 0);
			assert_int_equal(group[i], -2); /* nobody twice */
			group[i] = k;
		}
		double score = 0;
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++)
				if (group[i] == k && group[j] == k)
					score += w[i * n + j];
		assert_near(number_of(con, "score"), score);
		sum += number_of(con, "score");
		k++;
	}
	const cJSON *m;
	cJSON_ArrayForEach(m, array_of(doc, "outside")) {
		assert_true(cJSON_IsString(m));
		long i = consort_session_find(s, m->valuestring);
		assert_true(i >= 0);
		assert_int_equal(group[i], -2);
		group[i] = -1;
	}
	for (size_t i = 0; i < n; i++)
		assert_true(group[i] != -2); /* nobody missing */
	double objective = number_of(doc, "objective");
	assert_near(objective, consort_scoring_objective(w, n, group));
	assert_near(sum, objective);
	free(w);
	return objective;
}

/* Status optimal: objective == bound, gap 0. */
static void assert_optimal(const cJSON *doc)
{
	assert_string_equal(status_of(doc), "optimal");
	assert_near(number_of(doc, "bound"), number_of(doc, "objective"));
	assert_near(number_of(doc, "gap"), 0);
}

static int count_sector(const consort_session *s, const int *group, int k, const char *sector)
{
	int c = 0;
	for (size_t i = 0; i < consort_session_count(s); i++)
		if (group[i] == k && strcmp(consort_session_participant(s, i)->sector, sector) == 0)
			c++;
	return c;
}

static int group_size(const consort_session *s, const int *group, int k)
{
	int c = 0;
	for (size_t i = 0; i < consort_session_count(s); i++)
		c += group[i] == k;
	return c;
}

/* ---- brute force: the best split of the session into exactly two consortia ---- */

static int range_holds(consort_range r, int v)
{
	return v >= r.min && (r.max == CONSORT_NO_MAX || v <= r.max);
}

/* Enumerates all 2^(n-1) ways to put everyone into two consortia (participant 0
 * in the first), keeps those that meet the session's size, sector, together and
 * apart rules, and returns the best objective (-inf when none does). Only for
 * sessions whose rules ask for exactly 2 consortia, everyone placed, no cover or lots. */
static double brute_two(const consort_session *s)
{
	const consort_rules *r = consort_session_rules(s);
	assert_true(r->has_consortia && r->consortia.min == 2 && r->consortia.max == 2);
	assert_true(r->everyone);
	assert_int_equal(r->nlots, 0);
	assert_int_equal(r->group.ncover, 0);
	size_t n = consort_session_count(s);
	assert_true(n >= 2 && n <= 20);
	assert_true(r->group.nsectors <= 16);
	double *w = weights_of(s);
	size_t *sector = calloc(n, sizeof(size_t)); /* index into r->group.sectors, or nsectors */
	assert_non_null(sector);
	for (size_t i = 0; i < n; i++) {
		sector[i] = r->group.nsectors;
		for (size_t q = 0; q < r->group.nsectors; q++)
			if (strcmp(consort_session_participant(s, i)->sector, r->group.sectors[q].sector) == 0)
				sector[i] = q;
	}
	double best = -INFINITY;
	for (unsigned long mask = 0; mask < (1ul << (n - 1)); mask++) {
		/* side of participant i: bit i-1 of mask, participant 0 on side 0 */
		int side[20], size[2] = {0, 0}, count[2][16] = {{0}};
		for (size_t i = 0; i < n; i++) {
			side[i] = i == 0 ? 0 : (int)((mask >> (i - 1)) & 1);
			size[side[i]]++;
			if (sector[i] < r->group.nsectors)
				count[side[i]][sector[i]]++;
		}
		int ok = 1;
		for (int g = 0; g < 2 && ok; g++) {
			if (r->group.has_size && !range_holds(r->group.size, size[g]))
				ok = 0;
			if (!r->group.has_size && size[g] < 2)
				ok = 0;
			for (size_t q = 0; q < r->group.nsectors && ok; q++)
				ok = range_holds(r->group.sectors[q].count, count[g][q]);
		}
		for (size_t t = 0; t < r->ntogether && ok; t++)
			ok = side[r->together[t].a] == side[r->together[t].b];
		for (size_t t = 0; t < r->napart && ok; t++)
			ok = side[r->apart[t].a] != side[r->apart[t].b];
		if (!ok)
			continue;
		double total = 0;
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++)
				if (side[i] == side[j])
					total += w[i * n + j];
		if (total > best)
			best = total;
	}
	free(sector);
	free(w);
	return best;
}

static void change_scoring(consort_session *s, int combine, double neutral, int normalize)
{
	consort_scoring sc = consort_session_scoring(s);
	if (combine >= 0)
		sc.combine = (consort_combine)combine;
	if (!isnan(neutral)) {
		if (sc.unmet == sc.neutral) /* as the CLI: unmet follows neutral */
			sc.unmet = neutral;
		sc.neutral = neutral;
	}
	if (normalize >= 0)
		sc.normalize = (consort_normalize)normalize;
	consort_error err;
	consort_error_clear(&err);
	assert_int_equal(consort_session_set_scoring(s, &sc, &err), 0);
}

/* Solves a session with extra options (NULL-terminated) as JSON: exit 0,
 * nothing on stderr, status optimal. Returns the objective; *out the proposal. */
static double solve_json(cJSON **out, const char *path, ...)
{
	const char *argv[MAXARGS + 2];
	int argc = 0;
	argv[argc++] = CONSORT_BIN;
	argv[argc++] = "solve";
	argv[argc++] = path;
	argv[argc++] = "--format";
	argv[argc++] = "json";
	argv[argc++] = "-q";
	va_list ap;
	va_start(ap, path);
	const char *a;
	while ((a = va_arg(ap, const char *)) != NULL) {
		assert_true(argc <= MAXARGS);
		argv[argc++] = a;
	}
	va_end(ap);
	argv[argc] = NULL;
	tu_result r;
	assert_int_equal(tu_run(&r, argv), 0);
	if (r.status != 0 || r.err[0])
		dump(&r);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	cJSON *doc = parse_proposal(&r);
	tu_result_free(&r);
	assert_optimal(doc);
	*out = doc;
	return number_of(doc, "objective");
}

/* ---- help and usage ---- */

static void assert_help(const char *const *argv, const char *needle)
{
	tu_result r;
	assert_int_equal(tu_run(&r, argv), 0);
	if (r.status != 0 || r.err[0] || !strstr(r.out, needle))
		dump(&r);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_non_null(strstr(r.out, "usage: consort"));
	assert_non_null(strstr(r.out, needle));
	tu_result_free(&r);
}

static void test_help(void **state)
{
	(void)state;
	const char *top[] = {CONSORT_BIN, "--help", NULL};
	const char *help[] = {CONSORT_BIN, "help", NULL};
	const char *help_solve[] = {CONSORT_BIN, "help", "solve", NULL};
	const char *solve_help[] = {CONSORT_BIN, "solve", "--help", NULL};
	const char *solve_h[] = {CONSORT_BIN, "solve", "-h", NULL};
	const char *help_import[] = {CONSORT_BIN, "help", "import", NULL};
	assert_help(top, "solve");
	assert_help(help, "solve");
	assert_help(help_solve, "--time-limit");
	assert_help(solve_help, "--time-limit");
	assert_help(solve_h, "--time-limit");
	assert_help(help_import, "usage: consort import");

	/* `consort` alone: a usage error; the usage goes to stderr, not stdout */
	tu_result r;
	run(&r, NULL);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "usage: consort"));
	tu_result_free(&r);
}

static void test_usage_errors(void **state)
{
	(void)state;
	static const char *const cases[][6] = {
		{"frobnicate", NULL},
		{"help", "nosuch", NULL},
		{"solve", NULL},
		{"solve", EXAMPLE, EXAMPLE, NULL},
		{"solve", EXAMPLE, "--bogus", NULL},
		{"solve", EXAMPLE, "-Z", NULL},
		{"solve", EXAMPLE, "--format", NULL},
		{"solve", EXAMPLE, "-o", NULL},
		{"solve", EXAMPLE, "--rules", NULL},
		{"solve", EXAMPLE, "--format", "xml", NULL},
		{"solve", EXAMPLE, "--format", "", NULL},
		{"solve", EXAMPLE, "--consortia", "x", NULL},
		{"solve", EXAMPLE, "--consortia", "3..2", NULL},
		{"solve", EXAMPLE, "--consortia", "-1", NULL},
		{"solve", EXAMPLE, "--consortia", "2.5", NULL},
		{"solve", EXAMPLE, "--time-limit", "abc", NULL},
		{"solve", EXAMPLE, "--time-limit", "-1", NULL},
		{"solve", EXAMPLE, "--time-limit", "nan", NULL},
		{"solve", EXAMPLE, "--time-limit", "5s", NULL},
		{"solve", EXAMPLE, "--size", "6..4", NULL},
		{"solve", EXAMPLE, "--everyone", "maybe", NULL},
		{"solve", EXAMPLE, "--combine", "max", NULL},
		{"solve", EXAMPLE, "--normalize", "z", NULL},
		{"solve", EXAMPLE, "--neutral", "abc", NULL},
		{"solve", EXAMPLE, "--neutral", "9", NULL}, /* outside the scale 1..5 */
		{"solve", EXAMPLE, "--engine", "magic", NULL},
		{"solve", EXAMPLE, "--input-format", "xls", NULL},
		{"solve", EXAMPLE, "--seed", "-3", NULL},
		{"solve", EXAMPLE, "--rules", "/nonexistent/rules.json", NULL},
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const char *argv[8] = {CONSORT_BIN};
		size_t k = 0;
		for (; cases[c][k]; k++)
			argv[k + 1] = cases[c][k];
		argv[k + 1] = NULL;
		tu_result r;
		assert_int_equal(tu_run(&r, argv), 0);
		if (r.status != 2 || r.out[0] || tu_count_lines(r.err) != 1)
			print_message("case %zu: %s %s %s\n", c, cases[c][0], cases[c][1] ? cases[c][1] : "",
				cases[c][1] && cases[c][2] ? cases[c][2] : "");
		assert_usage_error(&r);
		tu_result_free(&r);
	}
}

/* ---- solving the example ---- */

static void test_solve_example_json(void **state)
{
	(void)state;
	tu_result r;
	run(&r, "solve", EXAMPLE, "--format", "json", NULL);
	if (r.status != 0 || r.err[0])
		dump(&r);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	cJSON *doc = parse_proposal(&r);
	tu_result_free(&r);
	assert_optimal(doc);
	assert_int_equal(cJSON_GetArraySize(array_of(doc, "consortia")), 2);
	assert_int_equal(cJSON_GetArraySize(array_of(doc, "outside")), 0);

	consort_session *s = load(EXAMPLE);
	int group[64];
	assert_true(consort_session_count(s) <= 64);
	double objective = check_proposal(doc, s, group);
	for (int k = 0; k < 2; k++) {
		assert_true(count_sector(s, group, k, "association") >= 1);
		assert_true(count_sector(s, group, k, "firm") >= 1);
	}
	/* independent proof of optimality: every split into two consortia */
	double best = brute_two(s);
	assert_near(objective, best);
	assert_near(objective, 44.5); /* pinned: the example's published answer */
	cJSON_Delete(doc);
	consort_session_free(s);
}

static void test_solve_example_text(void **state)
{
	(void)state;
	tu_result r;
	run(&r, "solve", EXAMPLE, NULL);
	if (r.status != 0)
		dump(&r);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_non_null(strstr(r.out, "optimal"));
	assert_non_null(strstr(r.out, "44.5"));
	consort_session *s = load(EXAMPLE);
	for (size_t i = 0; i < consort_session_count(s); i++) {
		const char *name = consort_session_participant(s, i)->name;
		if (!strstr(r.out, name))
			print_error("name %s missing from the text output\n", name);
		assert_non_null(strstr(r.out, name));
	}
	consort_session_free(s);
	tu_result_free(&r);
}

static int conflict_has(const cJSON *doc, const char *prefix)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(doc, "conflict"), *item;
	if (!cJSON_IsArray(c))
		return 0;
	cJSON_ArrayForEach(item, c)
		if (cJSON_IsString(item) && strncmp(item->valuestring, prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

static void test_infeasible_consortia(void **state)
{
	(void)state;
	/* 8 consortia, each with an association: needs 8 associations, there are 7.
	 * The time limit keeps the suite short should the proof be slow; the proof
	 * itself is a counting argument and should take no time. */
	tu_result r;
	run(&r, "solve", EXAMPLE, "--consortia", "8", "--format", "json", "--time-limit", "3", "-q", NULL);
	cJSON *doc = parse_proposal(&r);
	if (r.status != 1 || strcmp(status_of(doc), "infeasible") != 0)
		dump(&r);
	assert_int_equal(r.status, 1);
	assert_string_equal(status_of(doc), "infeasible");
	assert_int_equal(cJSON_GetArraySize(array_of(doc, "consortia")), 0);
	assert_true(conflict_has(doc, "rules.consortia"));
	assert_true(conflict_has(doc, "rules.sectors.association"));
	cJSON_Delete(doc);
	tu_result_free(&r);

	run(&r, "solve", EXAMPLE, "--consortia", "8", "--time-limit", "3", "-q", NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "infeasible"));
	assert_non_null(strstr(r.out, "cannot"));
	assert_non_null(strstr(r.out, "rules.consortia"));
	tu_result_free(&r);
}

static void test_infeasible_size(void **state)
{
	(void)state;
	/* two consortia of at most 6 cannot hold 15 participants */
	tu_result r;
	run(&r, "solve", EXAMPLE, "--size", "4..6", "--format", "json", "--time-limit", "5", "-q", NULL);
	cJSON *doc = parse_proposal(&r);
	if (r.status != 1)
		dump(&r);
	assert_int_equal(r.status, 1);
	assert_string_equal(status_of(doc), "infeasible");
	assert_true(conflict_has(doc, "rules.consortia"));
	assert_true(conflict_has(doc, "rules.size.max"));
	assert_true(conflict_has(doc, "rules.everyone"));
	cJSON_Delete(doc);
	tu_result_free(&r);

	run(&r, "solve", EXAMPLE, "--size", "4..6", "--time-limit", "5", "-q", NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.out, "infeasible"));
	assert_non_null(strstr(r.out, "rules.size.max"));
	tu_result_free(&r);
}

/* ---- overrides ---- */

static void test_override_consortia_size(void **state)
{
	(void)state;
	consort_session *s = load(EXAMPLE);
	int group[64];
	cJSON *doc;
	double three = solve_json(&doc, EXAMPLE, "--consortia", "3", NULL);
	assert_int_equal(cJSON_GetArraySize(array_of(doc, "consortia")), 3);
	assert_near(check_proposal(doc, s, group), three);
	for (int k = 0; k < 3; k++) {
		assert_true(count_sector(s, group, k, "association") >= 1);
		assert_true(count_sector(s, group, k, "firm") >= 1);
	}
	cJSON_Delete(doc);

	double sized = solve_json(&doc, EXAMPLE, "--consortia", "3", "--size", "4..6", NULL);
	assert_int_equal(cJSON_GetArraySize(array_of(doc, "consortia")), 3);
	assert_near(check_proposal(doc, s, group), sized);
	for (int k = 0; k < 3; k++) {
		int size = group_size(s, group, k);
		assert_true(size >= 4 && size <= 6);
		assert_true(count_sector(s, group, k, "association") >= 1);
		assert_true(count_sector(s, group, k, "firm") >= 1);
	}
	assert_true(sized <= three + TOL); /* a further rule cannot help */
	cJSON_Delete(doc);

	/* free: as many consortia as the optimum wants, at least the 2-consortium optimum */
	double any = solve_json(&doc, EXAMPLE, "--consortia", "free", NULL);
	assert_near(check_proposal(doc, s, group), any);
	assert_true(any >= 44.5 - TOL);
	cJSON_Delete(doc);
	consort_session_free(s);
}

static void test_override_everyone(void **state)
{
	(void)state;
	consort_session *s = load(EXAMPLE);
	int group[64];
	cJSON *doc;
	/* relaxing the rule cannot lower the optimum */
	double relaxed = solve_json(&doc, EXAMPLE, "--everyone", "no", NULL);
	assert_near(check_proposal(doc, s, group), relaxed);
	assert_true(relaxed >= brute_two(s) - TOL);
	cJSON_Delete(doc);

	/* with neutral 4 most pairs weigh less than nothing: the best proposal
	 * everyone in is worse than one that leaves some out */
	change_scoring(s, -1, 4, -1);
	double placed = brute_two(s);
	double yes = solve_json(&doc, EXAMPLE, "--neutral", "4", NULL);
	assert_near(check_proposal(doc, s, group), yes);
	assert_near(yes, placed);
	cJSON_Delete(doc);

	double no = solve_json(&doc, EXAMPLE, "--neutral", "4", "--everyone", "no", NULL);
	assert_near(check_proposal(doc, s, group), no);
	assert_true(no > placed + 0.1);
	assert_true(cJSON_GetArraySize(array_of(doc, "outside")) > 0);
	assert_int_equal(cJSON_GetArraySize(array_of(doc, "consortia")), 2);
	for (int k = 0; k < 2; k++) {
		assert_true(count_sector(s, group, k, "association") >= 1);
		assert_true(count_sector(s, group, k, "firm") >= 1);
	}
	cJSON_Delete(doc);
	consort_session_free(s);
}

static void test_override_scoring(void **state)
{
	(void)state;
	int group[64];
	cJSON *doc;
	double base;
	{
		consort_session *s = load(EXAMPLE);
		base = brute_two(s);
		consort_session_free(s);
	}

	consort_session *s = load(EXAMPLE);
	change_scoring(s, CONSORT_COMBINE_MIN, NAN, -1);
	double min = solve_json(&doc, EXAMPLE, "--combine", "min", NULL);
	assert_near(check_proposal(doc, s, group), min);
	assert_near(min, brute_two(s));
	assert_true(min < base - 1); /* min <= mean pair by pair, and strictly here */
	cJSON_Delete(doc);
	consort_session_free(s);

	s = load(EXAMPLE);
	change_scoring(s, -1, 2.5, -1);
	double low = solve_json(&doc, EXAMPLE, "--neutral", "2.5", NULL);
	assert_near(check_proposal(doc, s, group), low);
	assert_near(low, brute_two(s));
	assert_true(low > base + 1); /* every pair gains 0.5 */
	cJSON_Delete(doc);
	consort_session_free(s);

	s = load(EXAMPLE);
	change_scoring(s, -1, NAN, CONSORT_NORMALIZE_RATER);
	double norm = solve_json(&doc, EXAMPLE, "--normalize", "rater", NULL);
	assert_near(check_proposal(doc, s, group), norm);
	assert_near(norm, brute_two(s));
	cJSON_Delete(doc);
	consort_session_free(s);
}

static void test_override_neutral_unmet(void **state)
{
	(void)state;
	/* a1-f1 rated 5 and 4, a2 -> f2 rated 2, the other pairs never met. Each
	 * consortium needs an association and a firm: {a1 f1}{a2 f2} or {a1 f2}{a2 f1}. */
	const char *path = CONSORT_TEST_DATA "/cli/sparse.json";
	static const struct {
		const char *neutral, *unmet;
		double expected;
	} cases[] = {
		{NULL, NULL, 0.5},  /* neutral 3: 1.5 - 1 against 0 */
		{"4", NULL, 0.0},   /* unmet follows: 0.5 - 2 against 0 */
		{"4", "5", 2.0},    /* unmet pairs +1 each: -1.5 against 2 */
		{NULL, "1", 0.5},   /* unmet pairs -2 each: 0.5 against -4 */
		{"2.5", "2.5", 1.5} /* 2 - 0.5 against 0 */
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		consort_session *s = load(path);
		consort_scoring sc = consort_session_scoring(s);
		if (cases[c].neutral)
			sc.neutral = sc.unmet = atof(cases[c].neutral);
		if (cases[c].unmet)
			sc.unmet = atof(cases[c].unmet);
		consort_error err;
		consort_error_clear(&err);
		assert_int_equal(consort_session_set_scoring(s, &sc, &err), 0);
		int group[4];
		cJSON *doc;
		double got;
		if (cases[c].neutral && cases[c].unmet)
			got = solve_json(&doc, path, "--neutral", cases[c].neutral, "--unmet", cases[c].unmet, NULL);
		else if (cases[c].neutral)
			got = solve_json(&doc, path, "--neutral", cases[c].neutral, NULL);
		else if (cases[c].unmet)
			got = solve_json(&doc, path, "--unmet", cases[c].unmet, NULL);
		else
			got = solve_json(&doc, path, NULL);
		if (fabs(got - cases[c].expected) > TOL)
			print_message("case %zu\n", c);
		assert_near(got, cases[c].expected);
		assert_near(brute_two(s), cases[c].expected);
		assert_near(check_proposal(doc, s, group), got);
		cJSON_Delete(doc);
		consort_session_free(s);
	}
}

static const char rules_json[] =
	"{\"rules\": {\n"
	"  \"consortia\": 2,\n"
	"  \"size\": {\"min\": 5, \"max\": 10},\n"
	"  \"sectors\": {\"association\": {\"min\": 2}, \"firm\": {\"min\": 2}},\n"
	"  \"together\": [[\"a3\", \"a1\"]],\n"
	"  \"apart\": [[\"a5\", \"a6\"]]\n"
	"}, \"scoring\": {\"combine\": \"min\"}}\n";

static void test_override_rules_file(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	assert_non_null(dir);
	char path[512];
	snprintf(path, sizeof(path), "%s/rules.json", dir);
	assert_int_equal(tu_write(path, rules_json), 0);

	consort_session *s = load(EXAMPLE);
	consort_error err;
	consort_error_clear(&err);
	assert_int_equal(consort_session_load_rules(s, path, &err), 0);
	assert_int_equal(consort_session_scoring(s).combine, CONSORT_COMBINE_MIN);
	double best = brute_two(s);

	int group[64];
	cJSON *doc;
	double got = solve_json(&doc, EXAMPLE, "--rules", path, NULL);
	assert_near(check_proposal(doc, s, group), got);
	assert_near(got, best);
	assert_int_equal(cJSON_GetArraySize(array_of(doc, "consortia")), 2);
	long a1 = consort_session_find(s, "a1"), a3 = consort_session_find(s, "a3");
	long a5 = consort_session_find(s, "a5"), a6 = consort_session_find(s, "a6");
	assert_int_equal(group[a1], group[a3]);
	assert_true(group[a5] != group[a6]);
	for (int k = 0; k < 2; k++) {
		int size = group_size(s, group, k);
		assert_true(size >= 5 && size <= 10);
		assert_true(count_sector(s, group, k, "association") >= 2);
		assert_true(count_sector(s, group, k, "firm") >= 2);
	}
	cJSON_Delete(doc);

	/* overrides apply after --rules */
	double three = solve_json(&doc, EXAMPLE, "--rules", path, "--consortia", "3", NULL);
	assert_int_equal(cJSON_GetArraySize(array_of(doc, "consortia")), 3);
	assert_near(check_proposal(doc, s, group), three);
	assert_int_equal(group[a1], group[a3]);
	assert_true(group[a5] != group[a6]);
	cJSON_Delete(doc);

	consort_session_free(s);
	tu_rmdir(dir);
	free(dir);
}

/* ---- output files and bad input ---- */

static int write_bytes(const char *path, const unsigned char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int ok = fwrite(data, 1, len, f) == len;
	return (fclose(f) == 0 && ok) ? 0 : -1;
}

/* Every entry of dir is one of the names given (NULL-terminated). */
static void assert_dir_holds_only(const char *dir, const char *const *names)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		int known = 0;
		for (size_t k = 0; names[k]; k++)
			known |= strcmp(e->d_name, names[k]) == 0;
		if (!known)
			print_error("unexpected file left behind: %s/%s\n", dir, e->d_name);
		assert_true(known);
	}
	closedir(d);
}

static void test_output_file(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	assert_non_null(dir);
	char out[512], text[512];
	snprintf(out, sizeof(out), "%s/proposal.json", dir);
	snprintf(text, sizeof(text), "%s/proposal.txt", dir);

	tu_result r;
	run(&r, "solve", EXAMPLE, "--format", "json", "-o", out, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "");
	tu_result_free(&r);
	char *data = tu_read(out);
	assert_non_null(data);
	cJSON *doc = cJSON_Parse(data);
	assert_non_null(doc);
	assert_optimal(doc);
	consort_session *s = load(EXAMPLE);
	int group[64];
	assert_near(check_proposal(doc, s, group), 44.5);
	cJSON_Delete(doc);
	free(data);

	/* overwriting an existing file, long option, text */
	assert_int_equal(tu_write(text, "old\n"), 0);
	run(&r, "solve", EXAMPLE, "--output", text, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");
	tu_result_free(&r);
	data = tu_read(text);
	assert_non_null(data);
	assert_non_null(strstr(data, "optimal"));
	assert_non_null(strstr(data, consort_session_participant(s, 0)->name));
	free(data);

	const char *const names[] = {"proposal.json", "proposal.txt", NULL};
	assert_dir_holds_only(dir, names);
	consort_session_free(s);
	tu_rmdir(dir);
	free(dir);
}

static void test_bad_input_keeps_output(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	assert_non_null(dir);
	char out[512], trunc[512], garbage[512], missing[512], sub[512], nodir[512];
	snprintf(out, sizeof(out), "%s/proposal.json", dir);
	snprintf(trunc, sizeof(trunc), "%s/truncated.json", dir);
	snprintf(garbage, sizeof(garbage), "%s/garbage.bin", dir);
	snprintf(missing, sizeof(missing), "%s/missing.json", dir);
	snprintf(sub, sizeof(sub), "%s/adirectory", dir);
	snprintf(nodir, sizeof(nodir), "%s/no/such/dir/proposal.json", dir);
	const char *self = CONSORT_TEST_DATA "/cli/self_rating.json";

	/* a truncated copy of the example: cut in the middle of the ratings */
	char *example = tu_read(EXAMPLE);
	assert_non_null(example);
	example[strlen(example) / 2] = '\0';
	assert_int_equal(tu_write(trunc, example), 0);
	free(example);
	/* binary garbage, NUL bytes included */
	unsigned char bytes[2048];
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < sizeof(bytes); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		bytes[i] = (unsigned char)(x >> 24);
	}
	bytes[0] = 0x89;
	bytes[1] = 0;
	assert_int_equal(write_bytes(garbage, bytes, sizeof(bytes)), 0);
	assert_int_equal(mkdir(sub, 0700), 0);

	const char previous[] = "{\"previous\": \"proposal\"}\n";
	assert_int_equal(tu_write(out, previous), 0);
	const char *inputs[] = {trunc, self, garbage, missing, sub};
	for (size_t k = 0; k < sizeof(inputs) / sizeof(inputs[0]); k++) {
		for (int json = 0; json < 2; json++) {
			tu_result r;
			if (json)
				run(&r, "solve", inputs[k], "--format", "json", "-o", out, NULL);
			else
				run(&r, "solve", inputs[k], "-o", out, NULL);
			if (r.status != 2 || !strstr(r.err, inputs[k]))
				print_message("input %s\n", inputs[k]);
			assert_usage_error(&r);
			assert_non_null(strstr(r.err, inputs[k])); /* names the file */
			tu_result_free(&r);
			char *now = tu_read(out);
			assert_non_null(now);
			assert_string_equal(now, previous);
			free(now);
		}
	}
	/* the self-rating is found at its place */
	tu_result r;
	run(&r, "solve", self, NULL);
	assert_usage_error(&r);
	assert_non_null(strstr(r.err, "ratings[1]"));
	tu_result_free(&r);
	/* an output file in a directory that does not exist */
	run(&r, "solve", EXAMPLE, "-o", nodir, NULL);
	assert_usage_error(&r);
	assert_non_null(strstr(r.err, nodir));
	tu_result_free(&r);
	/* a directory as the output: refused, the directory stays */
	run(&r, "solve", EXAMPLE, "-o", sub, NULL);
	if (r.status != 2)
		dump(&r);
	assert_usage_error(&r);
	tu_result_free(&r);
	struct stat st;
	assert_int_equal(stat(sub, &st), 0);
	assert_true(S_ISDIR(st.st_mode));

	const char *const names[] = {"proposal.json", "truncated.json", "garbage.bin", "adirectory", NULL};
	assert_dir_holds_only(dir, names);
	assert_dir_holds_only(sub, names + 4);
	tu_rmdir(dir);
	free(dir);
}

/* ---- limits and other inputs ---- */

static void test_time_limit(void **state)
{
	(void)state;
	tu_result r;
	run(&r, "help", NULL);
	int has_simulate = r.status == 0 && strstr(r.out, "simulate") != NULL;
	tu_result_free(&r);
	if (!has_simulate) {
		print_message("consort has no simulate command: skipped\n");
		skip();
	}
	char *dir = tu_tempdir();
	assert_non_null(dir);
	char sim[512];
	snprintf(sim, sizeof(sim), "%s/sim.json", dir);
	run(&r, "simulate", "40", "--consortia", "4", "--seed", "3", "--rules", "-o", sim, NULL);
	if (r.status != 0)
		dump(&r);
	assert_int_equal(r.status, 0);
	tu_result_free(&r);

	run(&r, "solve", sim, "--time-limit", "0.001", "--format", "json", "-q", NULL);
	cJSON *doc = parse_proposal(&r);
	const char *st = status_of(doc);
	if (r.status > 1)
		dump(&r);
	assert_true(strcmp(st, "optimal") == 0 || strcmp(st, "feasible") == 0 || strcmp(st, "stopped") == 0);
	/* exit 0 exactly when there is a proposal */
	assert_int_equal(r.status, strcmp(st, "stopped") == 0 ? 1 : 0);
	assert_true(number_of(doc, "seconds") < 5);
	if (strcmp(st, "stopped") != 0) {
		consort_session *s = load(sim);
		int *group = calloc(consort_session_count(s), sizeof(int));
		assert_non_null(group);
		double obj = check_proposal(doc, s, group);
		assert_int_equal(cJSON_GetArraySize(array_of(doc, "consortia")), 4);
		double bound = number_of(doc, "bound");
		assert_true(bound >= obj - TOL);
		if (strcmp(st, "optimal") == 0)
			assert_near(bound, obj);
		else
			assert_near(number_of(doc, "gap"), (bound - obj) / fmax(1, fabs(obj)));
		free(group);
		consort_session_free(s);
	}
	cJSON_Delete(doc);
	tu_result_free(&r);
	tu_rmdir(dir);
	free(dir);
}

/* ---- what-if and alternatives ---- */

/* Where each participant is in a proposal (or an alternative) object: its
 * consortium, -1 outside, -3 absent; every participant exactly once. Returns k. */
static int groups_of(const cJSON *doc, const consort_session *s, int *group)
{
	size_t n = consort_session_count(s);
	for (size_t i = 0; i < n; i++)
		group[i] = -2;
	int k = 0;
	const cJSON *con, *m;
	cJSON_ArrayForEach(con, array_of(doc, "consortia")) {
		cJSON_ArrayForEach(m, array_of(con, "members")) {
			long i = consort_session_find(s, m->valuestring);
			assert_true(i >= 0 && group[i] == -2);
			group[i] = k;
		}
		k++;
	}
	cJSON_ArrayForEach(m, array_of(doc, "outside")) {
		long i = consort_session_find(s, m->valuestring);
		assert_true(i >= 0 && group[i] == -2);
		group[i] = -1;
	}
	const cJSON *absent = cJSON_GetObjectItemCaseSensitive(doc, "absent");
	cJSON_ArrayForEach(m, absent) {
		long i = consort_session_find(s, m->valuestring);
		assert_true(i >= 0 && group[i] == -2);
		group[i] = -3;
	}
	return k;
}

/* A member's fit: the sum of its weights to the rest of its consortium. */
static double fit_of(const double *w, size_t n, const int *group, size_t i)
{
	double f = 0;
	for (size_t j = 0; j < n; j++)
		if (j != i && group[j] == group[i])
			f += w[i * n + j];
	return f;
}

static long idx(const consort_session *s, const char *id)
{
	long i = consort_session_find(s, id);
	assert_true(i >= 0);
	return i;
}

static void run_json_status(tu_result *r, cJSON **doc, int status, ...)
{
	const char *argv[MAXARGS + 2];
	int argc = 0;
	argv[argc++] = CONSORT_BIN;
	argv[argc++] = "solve";
	argv[argc++] = EXAMPLE;
	argv[argc++] = "--format";
	argv[argc++] = "json";
	argv[argc++] = "-q";
	va_list ap;
	va_start(ap, status);
	const char *a;
	while ((a = va_arg(ap, const char *)) != NULL)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	assert_int_equal(tu_run(r, argv), 0);
	if (r->status != status)
		dump(r);
	assert_int_equal(r->status, status);
	*doc = parse_proposal(r);
}

static void test_whatif(void **state)
{
	(void)state;
	consort_session *s = load(EXAMPLE);
	size_t n = consort_session_count(s);
	double *w = weights_of(s);
	int *g = calloc(n, sizeof(int));
	tu_result r;
	cJSON *doc;
	double plain = solve_json(&doc, EXAMPLE, NULL);
	cJSON_Delete(doc);

	/* Drop, lock and apart together: the rules hold, f6 is listed as absent only. */
	run_json_status(&r, &doc, 0, "--drop", "f6", "--lock", "a1=f1", "--apart", "a5,a6", NULL);
	assert_optimal(doc);
	groups_of(doc, s, g);
	assert_int_equal(g[idx(s, "f6")], -3);
	assert_true(g[idx(s, "a1")] >= 0 && g[idx(s, "a1")] == g[idx(s, "f1")]);
	assert_true(g[idx(s, "a5")] != g[idx(s, "a6")]);
	for (size_t i = 0; i < n; i++)
		g[i] = g[i] == -3 ? -1 : g[i];
	assert_near(number_of(doc, "objective"), consort_scoring_objective(w, n, g));
	assert_true(number_of(doc, "objective") <= plain + TOL);
	double locked = number_of(doc, "objective");
	cJSON_Delete(doc);
	tu_result_free(&r);
	/* --fix ID=of:ID2 is --lock. */
	run_json_status(&r, &doc, 0, "--drop", "f6", "--fix", "a1=of:f1", "--apart", "a5,a6", NULL);
	assert_near(number_of(doc, "objective"), locked);
	cJSON_Delete(doc);
	tu_result_free(&r);

	/* min_fit: every fit at least 2, or infeasible with min_fit among the clash. */
	run_json_status(&r, &doc, 0, "--min-fit", "2", NULL);
	assert_optimal(doc);
	groups_of(doc, s, g);
	for (size_t i = 0; i < n; i++)
		assert_true(fit_of(w, n, g, i) >= 2 - TOL);
	cJSON_Delete(doc);
	tu_result_free(&r);
	run_json_status(&r, &doc, 1, "--min-fit", "9", "--time-limit", "10", NULL);
	assert_string_equal(status_of(doc), "infeasible");
	assert_true(conflict_has(doc, "rules.min_fit"));
	cJSON_Delete(doc);
	tu_result_free(&r);

	/* maxmin: the weakest fit is reported and no lower than the total's. */
	run_json_status(&r, &doc, 0, "--objective", "maxmin", NULL);
	assert_optimal(doc);
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(doc, "objective_kind");
	assert_true(cJSON_IsString(kind) && strcmp(kind->valuestring, "maxmin") == 0);
	groups_of(doc, s, g);
	double weakest = HUGE_VAL;
	for (size_t i = 0; i < n; i++)
		weakest = fmin(weakest, fit_of(w, n, g, i));
	assert_near(number_of(doc, "min_fit_achieved"), weakest);
	cJSON_Delete(doc);
	tu_result_free(&r);
	run_json_status(&r, &doc, 0, NULL);
	groups_of(doc, s, g);
	double total_weakest = HUGE_VAL;
	for (size_t i = 0; i < n; i++)
		total_weakest = fmin(total_weakest, fit_of(w, n, g, i));
	assert_true(weakest >= total_weakest - TOL);
	cJSON_Delete(doc);
	tu_result_free(&r);

	/* Bad values: one line each, exit 2. */
	const char *bad[][3] = {
		{"--drop", "ghost", NULL}, {"--lock", "a1=ghost", NULL}, {"--lock", "a1", NULL},
		{"--apart", "a1=f1", NULL}, {"--fix", "a1=North", NULL}, {"--fix", "a1=outside", NULL},
		{"--fix", "a1", NULL}, {"--differ", "0", NULL}, {"--alternatives", "-1", NULL},
		{"--objective", "fair", NULL}, {"--min-fit", "high", NULL}, {"--drop", "a1", "--lock"},
	};
	for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
		if (bad[b][2])
			run(&r, "solve", EXAMPLE, bad[b][0], bad[b][1], bad[b][2], "a1=f1", NULL);
		else
			run(&r, "solve", EXAMPLE, bad[b][0], bad[b][1], NULL);
		assert_usage_error(&r);
		tu_result_free(&r);
	}
	run(&r, "solve", EXAMPLE, "--lock", "a1=f1", "--apart", "f1,a1", NULL);
	assert_usage_error(&r);
	assert_non_null(strstr(r.err, "together"));
	tu_result_free(&r);
	free(g);
	free(w);
	consort_session_free(s);
}

/* Alternatives: each differs from the best and every earlier one by at least
 * D (the distance recomputed here), costs what it says, and moves whom it says. */
static void check_alternatives(const cJSON *doc, const consort_session *s, int want, int differ)
{
	size_t n = consort_session_count(s);
	double *w = weights_of(s);
	const cJSON *alts = array_of(doc, "alternatives"), *alt;
	int count = cJSON_GetArraySize(alts);
	assert_true(count <= want);
	assert_int_equal((int)number_of(doc, "alternatives_asked"), want);
	assert_int_equal((int)number_of(doc, "differ"), differ);
	int (*g)[64] = calloc((size_t)count + 1, sizeof(*g));
	int *k = calloc((size_t)count + 1, sizeof(int));
	assert_true(n <= 64);
	k[0] = groups_of(doc, s, g[0]);
	double best = number_of(doc, "objective"), last = best;
	int a = 1;
	cJSON_ArrayForEach(alt, alts) {
		k[a] = groups_of(alt, s, g[a]);
		double obj = number_of(alt, "objective");
		assert_near(obj, consort_scoring_objective(w, n, g[a]));
		assert_near(number_of(alt, "gap_to_best"), best - obj);
		assert_true(obj <= last + TOL); /* best first */
		last = obj;
		int moved[64];
		int d = consort__moved(g[a], k[a], g[0], k[0], (int)n, moved);
		assert_int_equal(cJSON_GetArraySize(array_of(alt, "moved")), d);
		const cJSON *m;
		cJSON_ArrayForEach(m, array_of(alt, "moved"))
			assert_true(moved[idx(s, m->valuestring)]);
		for (int b = 0; b < a; b++)
			assert_true(consort__moved(g[a], k[a], g[b], k[b], (int)n, NULL) >= differ);
		a++;
	}
	free(g);
	free(k);
	free(w);
}

static void test_alternatives(void **state)
{
	(void)state;
	consort_session *s = load(EXAMPLE);
	tu_result r;
	cJSON *doc;
	run_json_status(&r, &doc, 0, "--alternatives", "3", "--differ", "2", NULL);
	assert_int_equal(cJSON_GetArraySize(array_of(doc, "alternatives")), 3);
	check_alternatives(doc, s, 3, 2);
	cJSON_Delete(doc);
	tu_result_free(&r);
	run(&r, "solve", EXAMPLE, "-q", "--alternatives", "2", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "Alternative 1: objective"));
	assert_non_null(strstr(r.out, "below the best"));
	assert_non_null(strstr(r.out, "moves:"));
	tu_result_free(&r);
	consort_session_free(s);

	/* A small simulated session: fewer alternatives exist than asked. */
	char *dir = tu_tempdir();
	char sim[512];
	snprintf(sim, sizeof(sim), "%s/sim.json", dir);
	run(&r, "simulate", "7", "--consortia", "2", "--seed", "5", "--rules", "-o", sim, NULL);
	assert_int_equal(r.status, 0);
	tu_result_free(&r);
	run(&r, "solve", sim, "--format", "json", "-q", "--alternatives", "60", "--differ", "2", NULL);
	assert_int_equal(r.status, 0);
	doc = parse_proposal(&r);
	s = load(sim);
	int count = cJSON_GetArraySize(array_of(doc, "alternatives"));
	assert_true(count > 0 && count < 60);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "alternatives_exhausted")));
	check_alternatives(doc, s, 60, 2);
	cJSON_Delete(doc);
	tu_result_free(&r);
	run(&r, "solve", sim, "-q", "--alternatives", "60", "--differ", "2", NULL);
	assert_non_null(strstr(r.out, "no more exist"));
	tu_result_free(&r);
	consort_session_free(s);
	tu_rmdir(dir);
	free(dir);
}

/* What-if on a simulated session with lots (a rules file): pins to a lot and
 * outside, a member dropped, min_fit and maxmin; the same answer as the
 * library gives for the same rules set through its own setters. */
static void test_whatif_simulated_lots(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	char sim[512], rules[512];
	snprintf(sim, sizeof(sim), "%s/sim.json", dir);
	snprintf(rules, sizeof(rules), "%s/rules.json", dir);
	tu_result r;
	run(&r, "simulate", "12", "--consortia", "3", "--seed", "4", "--rules", "-o", sim, NULL);
	assert_int_equal(r.status, 0);
	tu_result_free(&r);
	assert_int_equal(tu_write(rules, "{\"lots\": [{\"name\": \"North\"}, {\"name\": \"South\", \"size\": {\"min\": 3}}],"
		" \"everyone\": false}"), 0);
	const char *const args[] = {"--fix", "a1=South", "--fix", "f2=outside", "--drop", "a4", "--min-fit", "0",
		"--objective", "maxmin"};
	const char *argv[24];
	int argc = 0;
	argv[argc++] = CONSORT_BIN;
	argv[argc++] = "solve";
	argv[argc++] = sim;
	argv[argc++] = "--rules";
	argv[argc++] = rules;
	argv[argc++] = "--format";
	argv[argc++] = "json";
	argv[argc++] = "-q";
	for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++)
		argv[argc++] = args[i];
	argv[argc] = NULL;
	assert_int_equal(tu_run(&r, argv), 0);
	if (r.status != 0)
		dump(&r);
	assert_int_equal(r.status, 0);
	cJSON *doc = parse_proposal(&r);
	tu_result_free(&r);
	assert_optimal(doc);

	consort_session *s = load(sim);
	consort_error err;
	assert_int_equal(consort_session_load_rules(s, rules, &err), 0);
	size_t n = consort_session_count(s);
	int *g = calloc(n, sizeof(int));
	double *w = weights_of(s);
	groups_of(doc, s, g);
	const cJSON *con, *lot = NULL;
	int c = 0;
	cJSON_ArrayForEach(con, array_of(doc, "consortia")) {
		if (c == g[idx(s, "a1")])
			lot = cJSON_GetObjectItemCaseSensitive(con, "lot");
		c++;
	}
	assert_true(cJSON_IsString(lot) && strcmp(lot->valuestring, "South") == 0);
	assert_int_equal(g[idx(s, "f2")], -1);
	assert_int_equal(g[idx(s, "a4")], -3);
	double weakest = HUGE_VAL;
	for (size_t i = 0; i < n; i++)
		if (g[i] >= 0) {
			assert_true(fit_of(w, n, g, i) >= -TOL);
			weakest = fmin(weakest, fit_of(w, n, g, i));
		}
	assert_near(number_of(doc, "min_fit_achieved"), weakest);

	/* The library, with the rules set through the setters. */
	assert_int_equal(consort_session_add_fixed(s, "a1", "South", &err), 0);
	assert_int_equal(consort_session_add_fixed(s, "f2", NULL, &err), 0);
	assert_int_equal(consort_session_add_absent(s, "a4", &err), 0);
	assert_int_equal(consort_session_set_min_fit(s, 0, &err), 0);
	assert_int_equal(consort_session_set_objective(s, CONSORT_OBJECTIVE_MAXMIN, &err), 0);
	consort_proposal *p;
	assert_int_equal(consort_solve(&p, s, NULL, &err), 0);
	assert_int_equal(consort_proposal_status(p), CONSORT_STATUS_OPTIMAL);
	assert_near(consort_proposal_objective(p), number_of(doc, "objective"));
	assert_near(consort_proposal_min_fit(p), weakest);
	consort_proposal_free(p);
	free(g);
	free(w);
	consort_session_free(s);
	cJSON_Delete(doc);
	tu_rmdir(dir);
	free(dir);
}

static void test_cplib_auto(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	assert_non_null(dir);
	char path[512];
	snprintf(path, sizeof(path), "%s/tiny.txt", dir);
	/* w12 1, w13 -1, w14 2, w23 3, w24 -2, w34 1: of the 15 partitions of
	 * {1,2,3,4}, {1,4} {2,3} is best with 2 + 3 = 5 (all together: 4). */
	assert_int_equal(tu_write(path, "4\n 1 -1 2\n 3 -2\n 1\n"), 0);
	const char *formats[] = {"auto", "cplib"};
	for (size_t f = 0; f < 2; f++) {
		tu_result r;
		run(&r, "solve", path, "--input-format", formats[f], "--format", "json", "-q", NULL);
		if (r.status != 0)
			dump(&r);
		assert_int_equal(r.status, 0);
		cJSON *doc = parse_proposal(&r);
		assert_optimal(doc);
		assert_near(number_of(doc, "objective"), 5);
		const cJSON *consortia = array_of(doc, "consortia"), *con;
		assert_int_equal(cJSON_GetArraySize(consortia), 2);
		cJSON_ArrayForEach(con, consortia) {
			const cJSON *m = array_of(con, "members");
			assert_int_equal(cJSON_GetArraySize(m), 2);
			const char *x = cJSON_GetArrayItem(m, 0)->valuestring, *y = cJSON_GetArrayItem(m, 1)->valuestring;
			assert_true((strcmp(x, "1") == 0 && strcmp(y, "4") == 0) ||
				(strcmp(x, "2") == 0 && strcmp(y, "3") == 0));
		}
		cJSON_Delete(doc);
		tu_result_free(&r);
	}
	/* read as a session, the same file is an input error */
	tu_result r;
	run(&r, "solve", path, NULL);
	assert_usage_error(&r);
	assert_non_null(strstr(r.err, path));
	tu_result_free(&r);
	tu_rmdir(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_solve_example_json),
		cmocka_unit_test(test_solve_example_text),
		cmocka_unit_test(test_infeasible_consortia),
		cmocka_unit_test(test_infeasible_size),
		cmocka_unit_test(test_override_consortia_size),
		cmocka_unit_test(test_override_everyone),
		cmocka_unit_test(test_override_scoring),
		cmocka_unit_test(test_override_neutral_unmet),
		cmocka_unit_test(test_override_rules_file),
		cmocka_unit_test(test_output_file),
		cmocka_unit_test(test_bad_input_keeps_output),
		cmocka_unit_test(test_time_limit),
		cmocka_unit_test(test_cplib_auto),
		cmocka_unit_test(test_whatif),
		cmocka_unit_test(test_alternatives),
		cmocka_unit_test(test_whatif_simulated_lots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
