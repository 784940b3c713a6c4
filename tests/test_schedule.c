/* Tests of speed-dating schedules: every required pair exactly once, table limits,
 * the fewest rounds (equal to the lower bound), fair rests, the writers and the command. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consort.h"
#include "testutil.h"

/* ---- helpers ---- */

/* A session with na "association" (a1..), nf "firm" (f1..) and np "public" (p1..)
 * participants, in that order. */
static consort_session *make_session(size_t na, size_t nf, size_t np)
{
	consort_session *s = NULL;
	consort_error err;
	assert_int_equal(consort_session_new(&s, &err), 0);
	const char *sec[3] = {"association", "firm", "public"};
	const char pre[3] = {'a', 'f', 'p'};
	size_t cnt[3] = {na, nf, np};
	for (int k = 0; k < 3; k++)
		for (size_t i = 0; i < cnt[k]; i++) {
			char id[32];
			snprintf(id, sizeof(id), "%c%zu", pre[k], i + 1);
			assert_int_equal(consort_session_add_participant(s, id, NULL, sec[k], NULL, 0, &err), 0);
		}
	return s;
}

static size_t ceil_div(size_t a, size_t b)
{
	return (a + b - 1) / b;
}

/* The bound, computed here independently of the library. */
static size_t expected_bound(size_t a, size_t b, int cross, int tables)
{
	size_t chi, pairs;
	if (cross) {
		chi = a > b ? a : b;
		pairs = a * b;
	} else {
		chi = a % 2 ? a : a - 1;
		pairs = a * (a - 1) / 2;
	}
	if (tables == CONSORT_NO_MAX)
		return chi;
	size_t t = ceil_div(pairs, (size_t)tables);
	return t > chi ? t : chi;
}

/* Spread of rests: a participant's longest run of rests against
 * ceil(rests / (meetings + 1)), the shortest longest run its counts allow.
 * check_schedule asserts longest <= 3 * (that + 1) for every schedule and
 * records the worst excess, separately for every pair of an even number of
 * participants (where the circle method's rhythm bounds it) and for the rest,
 * and the worst ratio longest / (that + 1). */
static size_t worst_excess_even, worst_excess_other;
static double worst_ratio;

/* Checks every property a schedule promises. cross: only a-side x b-side pairs
 * are required; side[v] is 0, 1 or -1 (not scheduled). Returns the round count. */
static size_t check_schedule(const consort_schedule *sch, const signed char *side, size_t n,
	int cross, int tables)
{
	size_t k = consort_schedule_round_count(sch);
	size_t *met = calloc(n * n, sizeof(size_t));
	size_t *stamp = calloc(n, sizeof(size_t));
	size_t *tstamp = calloc(n + 1, sizeof(size_t));
	size_t *rests = calloc(n, sizeof(size_t));
	size_t *run = calloc(n, sizeof(size_t));
	size_t *longest = calloc(n, sizeof(size_t));
	assert_non_null(met);
	assert_non_null(stamp);
	assert_non_null(tstamp);
	assert_non_null(rests);
	assert_non_null(run);
	assert_non_null(longest);
	size_t minsize = SIZE_MAX, maxsize = 0, tables_used = consort_schedule_tables_used(sch);
	if (tables != CONSORT_NO_MAX)
		assert_true(tables_used <= (size_t)tables);
	for (size_t r = 0; r < k; r++) {
		size_t nm = consort_schedule_meeting_count(sch, r);
		if (tables != CONSORT_NO_MAX)
			assert_true(nm <= (size_t)tables);
		minsize = nm < minsize ? nm : minsize;
		maxsize = nm > maxsize ? nm : maxsize;
		for (size_t j = 0; j < nm; j++) {
			consort_schedule_meeting m = consort_schedule_meeting_at(sch, r, j);
			assert_true(m.a < n && m.b < n && m.a != m.b);
			/* The pair is required. */
			if (cross) {
				assert_int_equal(side[m.a], 0);
				assert_int_equal(side[m.b], 1);
			} else {
				assert_true(side[m.a] == 0 && side[m.b] == 0);
			}
			/* Nobody twice in a round, no table twice. */
			assert_true(stamp[m.a] != r + 1 && stamp[m.b] != r + 1);
			stamp[m.a] = stamp[m.b] = r + 1;
			assert_true(m.table < tables_used);
			assert_true(tstamp[m.table] != r + 1);
			tstamp[m.table] = r + 1;
			if (j > 0)
				assert_true(consort_schedule_meeting_at(sch, r, j - 1).table < m.table);
			met[m.a * n + m.b]++;
			met[m.b * n + m.a]++;
			/* The itinerary agrees. */
			consort_schedule_seat sa = consort_schedule_itinerary(sch, m.a, r);
			consort_schedule_seat sb = consort_schedule_itinerary(sch, m.b, r);
			assert_true(sa.seated && sb.seated);
			assert_true(sa.partner == m.b && sb.partner == m.a);
			assert_true(sa.table == m.table && sb.table == m.table);
		}
		/* The resting list is exactly the scheduled participants without a partner. */
		size_t nrest = consort_schedule_resting_count(sch, r), seen = 0;
		size_t prev = 0;
		for (size_t j = 0; j < nrest; j++) {
			size_t v = consort_schedule_resting(sch, r, j);
			assert_true(v < n && side[v] >= 0 && stamp[v] != r + 1);
			assert_false(consort_schedule_itinerary(sch, v, r).seated);
			if (j > 0)
				assert_true(prev < v);
			prev = v;
		}
		for (size_t v = 0; v < n; v++) {
			if (side[v] < 0)
				continue;
			if (stamp[v] != r + 1) {
				seen++;
				rests[v]++;
				run[v]++;
				longest[v] = run[v] > longest[v] ? run[v] : longest[v];
			} else {
				run[v] = 0;
			}
		}
		assert_int_equal(seen, nrest);
	}
	/* Rounds are balanced: table counts differ by at most one. */
	if (k > 0)
		assert_true(maxsize - minsize <= 1);
	assert_int_equal(maxsize, tables_used);
	/* Each required pair exactly once, no other pair. */
	size_t pairs = 0;
	for (size_t u = 0; u < n; u++)
		for (size_t v = u + 1; v < n; v++) {
			int required = cross ? (side[u] >= 0 && side[v] >= 0 && side[u] != side[v])
				: (side[u] == 0 && side[v] == 0);
			assert_int_equal(met[u * n + v], required ? 1 : 0);
			pairs += (size_t)required;
		}
	assert_int_equal(consort_schedule_pair_count(sch), pairs);
	/* Rests: exactly rounds minus meetings, so equal within a side. */
	size_t count[2] = {0, 0};
	for (size_t v = 0; v < n; v++)
		if (side[v] >= 0)
			count[side[v]]++;
	for (size_t v = 0; v < n; v++) {
		if (side[v] < 0) {
			assert_false(consort_schedule_takes_part(sch, v));
			continue;
		}
		size_t partners = cross ? count[!side[v]] : count[0] - 1;
		assert_true(consort_schedule_takes_part(sch, v));
		assert_int_equal(rests[v], k - partners);
		assert_int_equal(consort_schedule_rest_count(sch, v), rests[v]);
		size_t ideal = ceil_div(rests[v], partners + 1);
		if (longest[v] > 3 * (ideal + 1))
			fail_msg("participant %zu rests %zu rounds in a row; %zu would do", v,
				longest[v], ideal);
		if ((double)longest[v] / (double)(ideal + 1) > worst_ratio)
			worst_ratio = (double)longest[v] / (double)(ideal + 1);
		size_t *worst = !cross && n % 2 == 0 ? &worst_excess_even : &worst_excess_other;
		if (longest[v] > ideal && longest[v] - ideal > *worst)
			*worst = longest[v] - ideal;
	}
	free(met);
	free(stamp);
	free(tstamp);
	free(rests);
	free(run);
	free(longest);
	return k;
}

static consort_schedule *build_ok(const consort_session *s, int tables, const char *ca,
	const char *cb)
{
	consort_schedule_options o;
	consort_schedule_options_init(&o);
	o.tables = tables;
	o.cross_a = ca;
	o.cross_b = cb;
	consort_schedule *sch = NULL;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort_schedule_build(&sch, s, &o, &err);
	if (rc != 0)
		fail_msg("build failed: %s", err.message);
	return sch;
}

/* ---- properties over many sizes ---- */

/* Every pair of n = 2..40 participants, with every table limit from 1 to n/2 + 1
 * and without one; rounds always equal the lower bound. */
static void test_all_pairs_properties(void **state)
{
	(void)state;
	for (size_t n = 2; n <= 40; n++) {
		consort_session *s = make_session(n, 0, 0);
		signed char side[40];
		memset(side, 0, sizeof(side));
		for (int t = 0; t <= (int)(n / 2) + 1; t++) {
			int tables = t == 0 ? CONSORT_NO_MAX : t;
			consort_schedule *sch = build_ok(s, tables, NULL, NULL);
			size_t k = check_schedule(sch, side, n, 0, tables);
			assert_int_equal(k, expected_bound(n, 0, 0, tables));
			assert_int_equal(k, consort_schedule_bound(sch));
			assert_int_equal(k, consort_schedule_lower_bound(n, tables));
			consort_schedule_free(sch);
		}
		consort_session_free(s);
	}
}

/* Without a table limit: the circle method's n-1 rounds for even n (nobody
 * rests) and n rounds for odd n (each participant rests exactly once). */
static void test_round_robin_unlimited(void **state)
{
	(void)state;
	for (size_t n = 2; n <= 30; n++) {
		consort_session *s = make_session(n, 0, 0);
		consort_schedule *sch = build_ok(s, CONSORT_NO_MAX, NULL, NULL);
		assert_int_equal(consort_schedule_round_count(sch), n % 2 ? n : n - 1);
		assert_int_equal(consort_schedule_tables_used(sch), n / 2);
		for (size_t r = 0; r < consort_schedule_round_count(sch); r++)
			assert_int_equal(consort_schedule_resting_count(sch, r), n % 2);
		for (size_t v = 0; v < n; v++)
			assert_int_equal(consort_schedule_rest_count(sch, v), n % 2);
		consort_schedule_free(sch);
		consort_session_free(s);
	}
}

/* The measurement the issue asks for: n = 4..60, T = 1..n/2, every pair. The
 * rebalancing construction reaches max(rounds without limit, ceil(C(n,2)/T))
 * in every case, so the excess over the bound is asserted to be 0. */
static void test_lower_bound_sweep(void **state)
{
	(void)state;
	size_t cases = 0, worst = 0, limited = 0;
	for (size_t n = 4; n <= 60; n++) {
		consort_session *s = make_session(n, 0, 0);
		signed char side[60];
		memset(side, 0, sizeof(side));
		for (int t = 1; t <= (int)(n / 2); t++) {
			consort_schedule *sch = build_ok(s, t, NULL, NULL);
			size_t k = check_schedule(sch, side, n, 0, t);
			size_t lb = expected_bound(n, 0, 0, t);
			assert_true(k >= lb);
			worst = k - lb > worst ? k - lb : worst;
			assert_int_equal(k, lb);
			limited += lb > (n % 2 ? n : n - 1);
			cases++;
			consort_schedule_free(sch);
		}
		consort_session_free(s);
	}
	print_message("all pairs, n = 4..60, T = 1..n/2: %zu cases (%zu where the tables bind), "
		"worst excess over the lower bound: %zu round(s)\n", cases, limited, worst);
}

/* Cross-sector: a x b for a, b = 1..20 (2 to 40 taking part) with other sectors
 * present; every table limit from 1 to min(a, b) + 1 and none, naming the
 * sectors both ways round. Rounds always equal the lower bound. */
static void test_cross_properties(void **state)
{
	(void)state;
	size_t cases = 0;
	for (size_t a = 1; a <= 20; a++)
		for (size_t b = 1; b <= 20; b++) {
			size_t np = (a + b) % 3;
			size_t n = a + b + np;
			consort_session *s = make_session(a, b, np);
			signed char side[42];
			for (size_t v = 0; v < n; v++)
				side[v] = v < a ? 0 : v < a + b ? 1 : -1;
			size_t lo = a < b ? a : b;
			for (int t = 0; t <= (int)lo + 1; t++) {
				int tables = t == 0 ? CONSORT_NO_MAX : t;
				consort_schedule *sch = build_ok(s, tables, "association", "firm");
				size_t k = check_schedule(sch, side, n, 1, tables);
				assert_int_equal(k, expected_bound(a, b, 1, tables));
				assert_int_equal(k, consort_schedule_lower_bound_cross(a, b, tables));
				consort_schedule_free(sch);
				/* Naming the sectors the other way round swaps the pair order. */
				signed char flip[42];
				for (size_t v = 0; v < n; v++)
					flip[v] = side[v] < 0 ? -1 : (signed char)!side[v];
				sch = build_ok(s, tables, "firm", "association");
				assert_int_equal(check_schedule(sch, flip, n, 1, tables), k);
				consort_schedule_free(sch);
				cases++;
			}
			consort_session_free(s);
		}
	print_message("cross-sector a, b = 1..20: %zu table limits checked, all at the bound\n", cases);
}

/* Larger instances, including ones where the tables bind unevenly. */
static void test_larger(void **state)
{
	(void)state;
	static const size_t sizes[][3] = {{25, 35, 4}, {40, 40, 0}, {7, 53, 2}, {60, 1, 0}};
	static const int limits[] = {CONSORT_NO_MAX, 1, 3, 6, 7, 13, 24, 39};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t a = sizes[i][0], b = sizes[i][1], np = sizes[i][2], n = a + b + np;
		consort_session *s = make_session(a, b, np);
		signed char *side = malloc(n);
		assert_non_null(side);
		for (size_t v = 0; v < n; v++)
			side[v] = v < a ? 0 : v < a + b ? 1 : -1;
		for (size_t j = 0; j < sizeof(limits) / sizeof(limits[0]); j++) {
			consort_schedule *sch = build_ok(s, limits[j], "association", "firm");
			assert_int_equal(check_schedule(sch, side, n, 1, limits[j]),
				expected_bound(a, b, 1, limits[j]));
			consort_schedule_free(sch);
		}
		free(side);
		consort_session_free(s);
	}
}

/* With cross sectors and enough tables, the smaller sector keeps its table. */
static void test_smaller_sector_stays_seated(void **state)
{
	(void)state;
	static const size_t sizes[][2] = {{4, 7}, {7, 4}, {5, 5}};
	for (size_t i = 0; i < 3; i++) {
		size_t a = sizes[i][0], b = sizes[i][1];
		consort_session *s = make_session(a, b, 0);
		consort_schedule *sch = build_ok(s, CONSORT_NO_MAX, "association", "firm");
		size_t lo = a <= b ? 0 : a, hi = a <= b ? a : a + b;
		for (size_t v = lo; v < hi; v++) {
			consort_schedule_seat first = consort_schedule_itinerary(sch, v, 0);
			assert_true(first.seated);
			for (size_t r = 1; r < consort_schedule_round_count(sch); r++) {
				consort_schedule_seat seat = consort_schedule_itinerary(sch, v, r);
				assert_true(seat.seated);
				assert_int_equal(seat.table, first.table);
			}
		}
		consort_schedule_free(sch);
		consort_session_free(s);
	}
}

/* Rests are spread evenly. Asserted: for every pair of an even number of
 * participants the longest run of rests is at most 2 rounds above the shortest
 * the counts allow (the circle method meets everyone about every n/2 pairs);
 * elsewhere (odd counts, where each participant's bye doubles one gap, and
 * cross-sector, where the larger side's wrap-around does) at most 3 x (that + 1),
 * as check_schedule asserts for every schedule in this file. */
static void test_rest_spread(void **state)
{
	(void)state;
	worst_excess_even = worst_excess_other = 0;
	worst_ratio = 0;
	for (size_t n = 3; n <= 30; n++) {
		consort_session *s = make_session(n, 0, 0);
		signed char side[30];
		memset(side, 0, sizeof(side));
		for (int t = 1; t <= (int)(n / 2); t++) {
			consort_schedule *sch = build_ok(s, t, NULL, NULL);
			check_schedule(sch, side, n, 0, t);
			consort_schedule_free(sch);
		}
		consort_session_free(s);
	}
	for (size_t a = 1; a <= 10; a++)
		for (size_t b = 1; b <= 10; b++) {
			consort_session *s = make_session(a, b, 0);
			signed char side[20];
			for (size_t v = 0; v < a + b; v++)
				side[v] = v < a ? 0 : 1;
			for (int t = 0; t <= (int)(a < b ? a : b); t++) {
				int tables = t == 0 ? CONSORT_NO_MAX : t;
				consort_schedule *sch = build_ok(s, tables, "association", "firm");
				check_schedule(sch, side, a + b, 1, tables);
				consort_schedule_free(sch);
			}
			consort_session_free(s);
		}
	print_message("longest rest run over the shortest possible s: at most %zu round(s) for "
		"even n = 4..30; %zu for odd n = 3..29 and cross-sector 1..10 x 1..10; "
		"longest / (s + 1) at most %.2f\n", worst_excess_even, worst_excess_other, worst_ratio);
	assert_true(worst_excess_even <= 2);
}

/* ---- errors ---- */

static void expect_error(const consort_session *s, const consort_schedule_options *o,
	const char *needle)
{
	consort_schedule *sch = (consort_schedule *)1;
	consort_error err;
	consort_error_clear(&err);
	assert_int_equal(consort_schedule_build(&sch, s, o, &err), CONSORT_EINVALID);
	assert_null(sch);
	assert_int_equal(err.code, CONSORT_EINVALID);
	if (!strstr(err.message, needle))
		fail_msg("message '%s' lacks '%s'", err.message, needle);
	assert_null(strchr(err.message, '\n'));
}

static void test_errors(void **state)
{
	(void)state;
	consort_session *s = make_session(3, 2, 0);
	consort_schedule_options o;

	consort_schedule_options_init(&o);
	o.cross_a = "association";
	o.cross_b = "charity";
	expect_error(s, &o, "no participant is in sector 'charity'");
	expect_error(s, &o, "association, firm");

	o.cross_a = "firm";
	o.cross_b = NULL;
	expect_error(s, &o, "two sectors");
	o.cross_b = "firm";
	expect_error(s, &o, "both sectors are 'firm'");

	consort_schedule_options_init(&o);
	o.tables = 0;
	expect_error(s, &o, "tables: 0");
	o.tables = -5;
	expect_error(s, &o, "tables: -5");
	consort_schedule_options_init(&o);
	o.minutes = 0;
	expect_error(s, &o, "minutes");
	consort_schedule_options_init(&o);
	o.changeover = -1;
	expect_error(s, &o, "changeover");
	consort_schedule_options_init(&o);
	o.start = 1440;
	expect_error(s, &o, "start");
	consort_session_free(s);

	consort_schedule_options_init(&o);
	s = make_session(1, 0, 0);
	expect_error(s, &o, "at least 2");
	consort_session_free(s);
	s = make_session(0, 0, 0);
	expect_error(s, &o, "at least 2");
	consort_session_free(s);

	/* Sectors exist but are empty of the other side: public only. */
	s = make_session(0, 0, 4);
	o.cross_a = "public";
	o.cross_b = "firm";
	expect_error(s, &o, "sector 'firm'");
	consort_session_free(s);

	/* The bound functions reject what build rejects. */
	assert_int_equal(consort_schedule_lower_bound(1, CONSORT_NO_MAX), 0);
	assert_int_equal(consort_schedule_lower_bound(10, 0), 0);
	assert_int_equal(consort_schedule_lower_bound_cross(0, 5, 2), 0);
	assert_int_equal(consort_schedule_lower_bound(2, CONSORT_NO_MAX), 1);
	assert_int_equal(consort_schedule_lower_bound(10, 7), 9);
	assert_int_equal(consort_schedule_lower_bound(10, 4), 12);
	assert_int_equal(consort_schedule_lower_bound_cross(9, 9, 7), 12);
}

/* ---- writers ---- */

static consort_session *named_session(void)
{
	consort_session *s = NULL;
	consort_error err;
	assert_int_equal(consort_session_new(&s, &err), 0);
	assert_int_equal(consort_session_set_title(s, "Autumn <2018> & \"co\"", &err), 0);
	assert_int_equal(consort_session_add_participant(s, "a1", "Valmennus ry", "association", NULL, 0, &err), 0);
	assert_int_equal(consort_session_add_participant(s, "a2", "<script>alert(1)</script>", "association", NULL, 0, &err), 0);
	assert_int_equal(consort_session_add_participant(s, "a3", "Tom & \"Jerry\", Oy", "association", NULL, 0, &err), 0);
	assert_int_equal(consort_session_add_participant(s, "f1", "Puhdas Oy", "firm", NULL, 0, &err), 0);
	assert_int_equal(consort_session_add_participant(s, "f2", NULL, "firm", NULL, 0, &err), 0);
	assert_int_equal(consort_session_add_participant(s, "p1", "Kunta", "public", NULL, 0, &err), 0);
	return s;
}

static void test_json_shape(void **state)
{
	(void)state;
	consort_session *s = named_session();
	consort_schedule_options o;
	consort_schedule_options_init(&o);
	o.start = 9 * 60;
	o.tables = 2;
	consort_schedule *sch = NULL;
	consort_error err;
	assert_int_equal(consort_schedule_build(&sch, s, &o, &err), 0);
	char *json = NULL;
	assert_int_equal(consort_schedule_to_json(&json, sch, &err), 0);
	cJSON *root = cJSON_Parse(json);
	assert_non_null(root);
	const cJSON *rounds = cJSON_GetObjectItemCaseSensitive(root, "rounds");
	assert_true(cJSON_IsArray(rounds));
	assert_int_equal(cJSON_GetArraySize(rounds), (int)consort_schedule_round_count(sch));
	/* 6 participants, 15 pairs on 2 tables: 8 rounds, each with 2 resting but one with 4. */
	assert_int_equal(cJSON_GetArraySize(rounds), 8);
	int r = 0, pairs = 0;
	const cJSON *round;
	cJSON_ArrayForEach(round, rounds) {
		r++;
		const cJSON *num = cJSON_GetObjectItemCaseSensitive(round, "round");
		assert_true(cJSON_IsNumber(num) && num->valuedouble == r);
		const cJSON *start = cJSON_GetObjectItemCaseSensitive(round, "start");
		assert_true(cJSON_IsString(start));
		char want[16];
		int min = 9 * 60 + (r - 1) * 6;
		snprintf(want, sizeof(want), "%02d:%02d", min / 60, min % 60);
		assert_string_equal(start->valuestring, want);
		const cJSON *tables = cJSON_GetObjectItemCaseSensitive(round, "tables");
		const cJSON *resting = cJSON_GetObjectItemCaseSensitive(round, "resting");
		assert_true(cJSON_IsArray(tables) && cJSON_IsArray(resting));
		int seated = 0;
		const cJSON *t;
		cJSON_ArrayForEach(t, tables) {
			const cJSON *tab = cJSON_GetObjectItemCaseSensitive(t, "table");
			const cJSON *pair = cJSON_GetObjectItemCaseSensitive(t, "pair");
			assert_true(cJSON_IsNumber(tab) && tab->valuedouble >= 1 && tab->valuedouble <= 2);
			assert_true(cJSON_IsArray(pair) && cJSON_GetArraySize(pair) == 2);
			assert_true(cJSON_IsString(cJSON_GetArrayItem(pair, 0)));
			assert_true(cJSON_IsString(cJSON_GetArrayItem(pair, 1)));
			seated += 2;
			pairs++;
		}
		const cJSON *who;
		cJSON_ArrayForEach(who, resting)
			assert_true(cJSON_IsString(who));
		assert_int_equal(seated + cJSON_GetArraySize(resting), 6);
	}
	assert_int_equal(pairs, 15);
	const cJSON *tables = cJSON_GetObjectItemCaseSensitive(root, "tables");
	assert_true(cJSON_IsNumber(tables) && tables->valuedouble == 2);
	const cJSON *lb = cJSON_GetObjectItemCaseSensitive(root, "lower_bound");
	assert_true(cJSON_IsNumber(lb) && lb->valuedouble == 8);
	const cJSON *rests = cJSON_GetObjectItemCaseSensitive(root, "rests");
	assert_true(cJSON_IsObject(rests));
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(rests, "a2")->valuedouble, 3);
	cJSON_Delete(root);
	free(json);
	consort_schedule_free(sch);

	/* Cross: the public participant is listed as not scheduled, "tables" is null. */
	consort_schedule_options_init(&o);
	o.cross_a = "association";
	o.cross_b = "firm";
	assert_int_equal(consort_schedule_build(&sch, s, &o, &err), 0);
	assert_int_equal(consort_schedule_to_json(&json, sch, &err), 0);
	root = cJSON_Parse(json);
	assert_non_null(root);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(root, "tables")));
	assert_null(cJSON_GetObjectItemCaseSensitive(root, "start"));
	const cJSON *ns = cJSON_GetObjectItemCaseSensitive(root, "not_scheduled");
	assert_int_equal(cJSON_GetArraySize(ns), 1);
	assert_string_equal(cJSON_GetArrayItem(ns, 0)->valuestring, "p1");
	const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "rounds"), 0);
	const cJSON *pair = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(first, "tables"), 0), "pair");
	assert_int_equal(cJSON_GetArrayItem(pair, 0)->valuestring[0], 'a');
	assert_int_equal(cJSON_GetArrayItem(pair, 1)->valuestring[0], 'f');
	cJSON_Delete(root);
	free(json);
	consort_schedule_free(sch);
	consort_session_free(s);
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t c = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		c++;
	return c;
}

static void test_html_escapes(void **state)
{
	(void)state;
	consort_session *s = named_session();
	consort_schedule *sch = build_ok(s, CONSORT_NO_MAX, NULL, NULL);
	char *html = NULL;
	consort_error err;
	assert_int_equal(consort_schedule_to_html(&html, sch, &err), 0);
	assert_non_null(strstr(html, "<!DOCTYPE html>"));
	assert_non_null(strstr(html, "@media print"));
	assert_non_null(strstr(html, "</html>\n"));
	assert_null(strstr(html, "<script>"));
	assert_null(strstr(html, "Tom & \"Jerry\""));
	assert_null(strstr(html, "<2018>"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(html, "Tom &amp; &quot;Jerry&quot;, Oy"));
	assert_non_null(strstr(html, "Autumn &lt;2018&gt; &amp; &quot;co&quot;"));
	/* One itinerary card per participant. */
	assert_int_equal(count_of(html, "<div class=\"card\">"), 6);
	/* No external resources: one self-contained page. */
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "href="));
	free(html);
	consort_schedule_free(sch);
	consort_session_free(s);
}

static void test_csv_and_text(void **state)
{
	(void)state;
	consort_session *s = named_session();
	consort_schedule_options o;
	consort_schedule_options_init(&o);
	o.tables = 2;
	o.minutes = 7;
	o.changeover = 2;
	consort_schedule *sch = NULL;
	consort_error err;
	assert_int_equal(consort_schedule_build(&sch, s, &o, &err), 0);
	char *csv = NULL, *text = NULL;
	assert_int_equal(consort_schedule_to_csv(&csv, sch, &err), 0);
	/* Header, then every participant in every round (8 rounds x 6). */
	assert_int_equal(tu_count_lines(csv), 1 + 8 * 6);
	assert_true(strncmp(csv, "round,start,end,table,id,name,partner,partner_name\r\n", 52) == 0);
	assert_non_null(strstr(csv, "\"Tom & \"\"Jerry\"\", Oy\""));
	assert_non_null(strstr(csv, "\r\n1,0:00,0:07,1,"));
	assert_non_null(strstr(csv, "\r\n2,0:09,0:16,"));
	assert_int_equal(consort_schedule_to_text(&text, sch, &err), 0);
	assert_non_null(strstr(text, "8 rounds \xe2\x80\x94 the fewest possible with 2 tables"));
	assert_non_null(strstr(text, "every participant rests 3 of the 8 rounds"));
	assert_non_null(strstr(text, "Round 8  1:03-1:10"));
	free(csv);
	free(text);
	consort_schedule_free(sch);

	/* The example from the issue: 9 x 9 across sectors on 7 tables. */
	consort_session_free(s);
	s = make_session(9, 9, 0);
	sch = build_ok(s, 7, "association", "firm");
	assert_int_equal(consort_schedule_to_text(&text, sch, &err), 0);
	assert_non_null(strstr(text, "12 rounds \xe2\x80\x94 the fewest possible with 7 tables"));
	free(text);
	consort_schedule_free(sch);
	sch = build_ok(s, CONSORT_NO_MAX, "association", "firm");
	assert_int_equal(consort_schedule_to_text(&text, sch, &err), 0);
	assert_non_null(strstr(text, "9 rounds \xe2\x80\x94 the fewest possible"));
	assert_non_null(strstr(text, "Rests: each in 'association' rests 0 of the 9 rounds"));
	free(text);
	consort_schedule_free(sch);
	consort_session_free(s);

	/* The reason names the smaller sector, whichever way round they are given. */
	s = make_session(4, 6, 1);
	sch = build_ok(s, CONSORT_NO_MAX, "firm", "association");
	assert_int_equal(consort_schedule_to_text(&text, sch, &err), 0);
	assert_non_null(strstr(text, "6 rounds \xe2\x80\x94 the fewest possible: each of the 4 in "
		"'association' meets all 6 in 'firm', one per round."));
	assert_non_null(strstr(text, "each in 'firm' rests 2 of the 6 rounds; "
		"each in 'association' rests 0 of the 6 rounds"));
	assert_non_null(strstr(text, "Not scheduled (in neither sector): p1"));
	free(text);
	consort_schedule_free(sch);
	consort_session_free(s);
}

/* The schedule keeps its own copies: it outlives the session. */
static void test_outlives_session(void **state)
{
	(void)state;
	consort_session *s = named_session();
	consort_schedule *sch = build_ok(s, 1, "firm", "association");
	consort_session_free(s);
	assert_string_equal(consort_schedule_id(sch, 3), "f1");
	assert_string_equal(consort_schedule_settings(sch)->cross_a, "firm");
	assert_string_equal(consort_schedule_title(sch), "Autumn <2018> & \"co\"");
	char *out = NULL;
	consort_error err;
	assert_int_equal(consort_schedule_to_html(&out, sch, &err), 0);
	free(out);
	/* Out-of-range reads are harmless. */
	assert_int_equal(consort_schedule_meeting_count(sch, 99), 0);
	assert_false(consort_schedule_itinerary(sch, 99, 0).seated);
	assert_false(consort_schedule_takes_part(sch, 99));
	consort_schedule_free(sch);
}

/* ---- the command ---- */

static char *write_session(const char *dir)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/session.json", dir);
	const char *doc =
		"{\"format\": \"consort-session/1\", \"title\": \"Demo\",\n"
		" \"participants\": [\n"
		"  {\"id\": \"a1\", \"name\": \"A & <one>\", \"sector\": \"association\"},\n"
		"  {\"id\": \"a2\", \"sector\": \"association\"},\n"
		"  {\"id\": \"a3\", \"sector\": \"association\"},\n"
		"  {\"id\": \"f1\", \"sector\": \"firm\"},\n"
		"  {\"id\": \"f2\", \"sector\": \"firm\"},\n"
		"  {\"id\": \"p1\", \"sector\": \"public\"}\n"
		" ],\n"
		" \"ratings\": []}\n";
	assert_int_equal(tu_write(path, doc), 0);
	return path;
}

static void test_command(void **state)
{
	(void)state;
	char *dir = tu_tempdir();
	assert_non_null(dir);
	const char *session = write_session(dir);
	tu_result r;

	const char *help[] = {CONSORT_BIN, "schedule", "--help", NULL};
	assert_int_equal(tu_run(&r, help), 0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "usage: consort schedule"));
	tu_result_free(&r);

	const char *text[] = {CONSORT_BIN, "schedule", session, "--start", "9:30", NULL};
	assert_int_equal(tu_run(&r, text), 0);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "5 rounds"));
	assert_non_null(strstr(r.out, "Round 1  09:30-09:35"));
	tu_result_free(&r);

	const char *json[] = {CONSORT_BIN, "schedule", "--cross", "association,firm", "--tables=2",
		"--format", "json", session, NULL};
	assert_int_equal(tu_run(&r, json), 0);
	assert_int_equal(r.status, 0);
	cJSON *root = cJSON_Parse(r.out);
	assert_non_null(root);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "rounds")), 3);
	cJSON_Delete(root);
	tu_result_free(&r);

	char out[600];
	snprintf(out, sizeof(out), "%s/schedule.html", dir);
	const char *html[] = {CONSORT_BIN, "schedule", session, "--format", "html", "-o", out, NULL};
	assert_int_equal(tu_run(&r, html), 0);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "");
	tu_result_free(&r);
	char *page = tu_read(out);
	assert_non_null(page);
	assert_non_null(strstr(page, "A &amp; &lt;one&gt;"));
	free(page);

	const char *csv[] = {CONSORT_BIN, "schedule", session, "--format", "csv", "--tables", "1", NULL};
	assert_int_equal(tu_run(&r, csv), 0);
	assert_int_equal(r.status, 0);
	assert_int_equal(tu_count_lines(r.out), 1 + 15 * 6);
	tu_result_free(&r);

	/* Errors: one line "consort: ...", exit 2, nothing on stdout. */
	static const char *const bad[][8] = {
		{"schedule", "--cross", "association,charity", NULL},
		{"schedule", "--cross", "association", NULL},
		{"schedule", "--tables", "0", NULL},
		{"schedule", "--tables", "x", NULL},
		{"schedule", "--minutes", "0", NULL},
		{"schedule", "--start", "25:00", NULL},
		{"schedule", "--format", "pdf", NULL},
		{"schedule", "--bogus", NULL},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *argv[12] = {CONSORT_BIN};
		size_t k = 1;
		for (size_t j = 0; bad[i][j]; j++)
			argv[k++] = bad[i][j];
		argv[k++] = session;
		argv[k] = NULL;
		assert_int_equal(tu_run(&r, argv), 0);
		if (r.status != 2)
			fail_msg("case %zu: exit %d, stderr %s", i, r.status, r.err);
		assert_true(strncmp(r.err, "consort: ", 9) == 0);
		assert_int_equal(tu_count_lines(r.err), 1);
		assert_string_equal(r.out, "");
		tu_result_free(&r);
	}
	const char *missing[] = {CONSORT_BIN, "schedule", NULL};
	assert_int_equal(tu_run(&r, missing), 0);
	assert_int_equal(r.status, 2);
	tu_result_free(&r);
	const char *nofile[] = {CONSORT_BIN, "schedule", "/nonexistent/session.json", NULL};
	assert_int_equal(tu_run(&r, nofile), 0);
	assert_int_equal(r.status, 2);
	tu_result_free(&r);

	tu_rmdir(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_pairs_properties),
		cmocka_unit_test(test_round_robin_unlimited),
		cmocka_unit_test(test_lower_bound_sweep),
		cmocka_unit_test(test_cross_properties),
		cmocka_unit_test(test_larger),
		cmocka_unit_test(test_smaller_sector_stays_seated),
		cmocka_unit_test(test_rest_spread),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_json_shape),
		cmocka_unit_test(test_html_escapes),
		cmocka_unit_test(test_csv_and_text),
		cmocka_unit_test(test_outlives_session),
		cmocka_unit_test(test_command),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
