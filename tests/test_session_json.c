/* Tests for the consort-session/1 reader and writer: good files field by field,
 * defaults, round trips, one bad file per error, the ratings read straight from
 * the text (against the whole-tree reader), and rules files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consort/session.h"
#include "session.h"
#include "io/fileio.h"
#include "io/json.h"

#define DATA CONSORT_TEST_DATA "/session/"

/* ---- helpers ---- */

static consort_session *load_ok(const char *path)
{
	consort_session *s = NULL;
	consort_error err = {0};
	int rc = consort_session_load(&s, path, &err);
	if (rc != 0)
		print_error("%s: unexpected failure: %s\n", path, err.message);
	assert_int_equal(rc, 0);
	assert_non_null(s);
	return s;
}

static consort_session *parse_ok(const char *text)
{
	consort_session *s = NULL;
	consort_error err = {0};
	int rc = consort_session_parse(&s, text, strlen(text), "mem.json", &err);
	if (rc != 0)
		print_error("unexpected failure: %s\n", err.message);
	assert_int_equal(rc, 0);
	return s;
}

static char *to_json(const consort_session *s)
{
	char *out = NULL;
	consort_error err = {0};
	assert_int_equal(consort_session_to_json(&out, s, &err), 0);
	assert_non_null(out);
	assert_true(strlen(out) > 0 && out[strlen(out) - 1] == '\n');
	return out;
}

/* Asserts that msg names the file and contains each of the places. */
static void assert_message(const char *msg, const char *file, const char *place)
{
	if (!strstr(msg, file) || !strstr(msg, place))
		print_error("message \"%s\" lacks \"%s\" or \"%s\"\n", msg, file, place);
	assert_non_null(strstr(msg, file));
	assert_non_null(strstr(msg, place));
	assert_null(strchr(msg, '\n'));
}

static void assert_sessions_equal(const consort_session *a, const consort_session *b);

/* The streaming reader (consort_session_parse) and the reference that reads the
 * whole document as a cJSON tree agree: the same code and message, or sessions
 * that write the same text. */
static void assert_readers_agree(const char *text, size_t len)
{
	consort_session *a = NULL, *b = NULL;
	consort_error ea = {0}, eb = {0};
	int ra = consort_session_parse(&a, text, len, "agree.json", &ea);
	int rb = consort__session_parse_tree(&b, text, len, "agree.json", &eb);
	if (ra != rb || (ra < 0 && strcmp(ea.message, eb.message) != 0))
		print_error("readers disagree on %.200s:\n  stream: %d %s\n  tree:   %d %s\n", text, ra,
			ra < 0 ? ea.message : "", rb, rb < 0 ? eb.message : "");
	assert_int_equal(ra, rb);
	if (ra < 0) {
		assert_string_equal(ea.message, eb.message);
		assert_null(a);
		assert_null(b);
		return;
	}
	char *ta = to_json(a), *tb = to_json(b);
	assert_string_equal(ta, tb);
	assert_sessions_equal(a, b);
	free(ta);
	free(tb);
	consort_session_free(a);
	consort_session_free(b);
}

static void expect_bad_text(const char *text, size_t len, const char *place)
{
	assert_readers_agree(text, len);
	consort_session *s = (consort_session *)1;
	consort_error err = {0};
	int rc = consort_session_parse(&s, text, len, "mem.json", &err);
	if (rc != CONSORT_EINVALID)
		print_error("accepted or wrong code %d for: %.200s\n", rc, text);
	assert_int_equal(rc, CONSORT_EINVALID);
	assert_int_equal(err.code, CONSORT_EINVALID);
	assert_null(s);
	assert_message(err.message, "mem.json: ", place);
}

static int strs_equal(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void assert_group_equal(const consort_group_rules *a, const consort_group_rules *b)
{
	assert_int_equal(a->has_size, b->has_size);
	if (a->has_size) {
		assert_int_equal(a->size.min, b->size.min);
		assert_int_equal(a->size.max, b->size.max);
	}
	assert_int_equal(a->nsectors, b->nsectors);
	for (size_t i = 0; i < a->nsectors; i++) {
		assert_string_equal(a->sectors[i].sector, b->sectors[i].sector);
		assert_int_equal(a->sectors[i].count.min, b->sectors[i].count.min);
		assert_int_equal(a->sectors[i].count.max, b->sectors[i].count.max);
	}
	assert_int_equal(a->ncover, b->ncover);
	for (size_t i = 0; i < a->ncover; i++)
		assert_string_equal(a->cover[i], b->cover[i]);
}

static void assert_pairs_equal(const consort_pair *a, const consort_pair *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(a[i].a, b[i].a);
		assert_int_equal(a[i].b, b[i].b);
	}
}

/* Everything a session holds, compared exactly (doubles bit for bit). */
static void assert_sessions_equal(const consort_session *a, const consort_session *b)
{
	assert_true(strs_equal(consort_session_title(a), consort_session_title(b)));
	assert_true(consort_session_scale_min(a) == consort_session_scale_min(b));
	assert_true(consort_session_scale_max(a) == consort_session_scale_max(b));
	assert_int_equal(consort_session_count(a), consort_session_count(b));
	for (size_t i = 0; i < consort_session_count(a); i++) {
		const consort_participant *p = consort_session_participant(a, i);
		const consort_participant *q = consort_session_participant(b, i);
		assert_string_equal(p->id, q->id);
		assert_string_equal(p->name, q->name);
		assert_string_equal(p->sector, q->sector);
		assert_int_equal(p->noffers, q->noffers);
		for (size_t k = 0; k < p->noffers; k++)
			assert_string_equal(p->offers[k], q->offers[k]);
	}
	assert_int_equal(consort_session_rating_count(a), consort_session_rating_count(b));
	for (size_t k = 0; k < consort_session_rating_count(a); k++) {
		const consort_rating *r = consort_session_rating(a, k);
		const consort_rating *t = consort_session_rating(b, k);
		assert_int_equal(r->from, t->from);
		assert_int_equal(r->to, t->to);
		assert_true(r->score == t->score);
	}
	const consort_rules *ra = consort_session_rules(a), *rb = consort_session_rules(b);
	assert_int_equal(ra->has_consortia, rb->has_consortia);
	if (ra->has_consortia) {
		assert_int_equal(ra->consortia.min, rb->consortia.min);
		assert_int_equal(ra->consortia.max, rb->consortia.max);
	}
	assert_group_equal(&ra->group, &rb->group);
	assert_int_equal(ra->ntogether, rb->ntogether);
	assert_pairs_equal(ra->together, rb->together, ra->ntogether);
	assert_int_equal(ra->napart, rb->napart);
	assert_pairs_equal(ra->apart, rb->apart, ra->napart);
	assert_int_equal(ra->everyone, rb->everyone);
	assert_int_equal(ra->nlots, rb->nlots);
	for (size_t i = 0; i < ra->nlots; i++) {
		assert_string_equal(ra->lots[i].name, rb->lots[i].name);
		assert_group_equal(&ra->lots[i].rules, &rb->lots[i].rules);
	}
	/* Scoring as given, not resolved: defaults must stay defaults. */
	assert_int_equal(a->scoring.combine, b->scoring.combine);
	assert_int_equal(a->scoring.normalize, b->scoring.normalize);
	assert_int_equal(a->scoring.has_neutral, b->scoring.has_neutral);
	assert_int_equal(a->scoring.has_unmet, b->scoring.has_unmet);
	if (a->scoring.has_neutral)
		assert_true(a->scoring.neutral == b->scoring.neutral);
	if (a->scoring.has_unmet)
		assert_true(a->scoring.unmet == b->scoring.unmet);
}

/* to_json, parse back, compare; and writing again gives the same text. */
static void assert_round_trip(const consort_session *s)
{
	char *text = to_json(s);
	consort_session *back = parse_ok(text);
	assert_sessions_equal(s, back);
	char *again = to_json(back);
	assert_string_equal(text, again);
	free(again);
	free(text);
	consort_session_free(back);
}

static size_t index_of(const consort_session *s, const char *id)
{
	long i = consort_session_find(s, id);
	assert_true(i >= 0);
	return (size_t)i;
}

/* ---- good files ---- */

static void test_good_full(void **state)
{
	(void)state;
	consort_session *s = load_ok(DATA "good-full.json");
	assert_string_equal(consort_session_title(s), "Network accelerator, autumn 2018");
	assert_true(consort_session_scale_min(s) == 0);
	assert_true(consort_session_scale_max(s) == 10);

	assert_int_equal(consort_session_count(s), 5);
	const consort_participant *p = consort_session_participant(s, 0);
	assert_string_equal(p->id, "a1");
	assert_string_equal(p->name, "Valmennus ry");
	assert_string_equal(p->sector, "association");
	assert_int_equal(p->noffers, 2);
	assert_string_equal(p->offers[0], "coaching");
	assert_string_equal(p->offers[1], "rehabilitation");
	p = consort_session_participant(s, 2);
	assert_string_equal(p->id, "f2");
	assert_string_equal(p->name, "f2"); /* name defaults to the id */
	assert_string_equal(p->sector, "firm");
	assert_int_equal(p->noffers, 0);
	p = consort_session_participant(s, 3);
	assert_string_equal(p->id, "p.1_x-Y");
	assert_string_equal(p->name, "Kaupunki \xe2\x80\x93 \"Sosiaalitoimi\" \xe2\x98\x83");
	assert_int_equal(p->noffers, 0);
	assert_int_equal(index_of(s, "e1"), 4);

	assert_int_equal(consort_session_rating_count(s), 4);
	const consort_rating *r = consort_session_rating(s, 1);
	assert_int_equal(r->from, index_of(s, "f1"));
	assert_int_equal(r->to, index_of(s, "a1"));
	assert_true(r->score == 7.5);
	double score;
	assert_int_equal(consort_session_score(s, index_of(s, "f2"), index_of(s, "p.1_x-Y"), &score), 0);
	assert_true(score == 0);
	assert_int_equal(consort_session_score(s, index_of(s, "e1"), index_of(s, "a1"), &score), 0);
	assert_true(score == 10);
	assert_int_equal(consort_session_score(s, index_of(s, "a1"), index_of(s, "e1"), &score), -1);

	const consort_rules *ru = consort_session_rules(s);
	assert_int_equal(ru->has_consortia, 1);
	assert_int_equal(ru->consortia.min, 1);
	assert_int_equal(ru->consortia.max, 2);
	assert_int_equal(ru->group.has_size, 1);
	assert_int_equal(ru->group.size.min, 2);
	assert_int_equal(ru->group.size.max, 4);
	assert_int_equal(ru->group.nsectors, 2);
	assert_string_equal(ru->group.sectors[0].sector, "association");
	assert_int_equal(ru->group.sectors[0].count.min, 1);
	assert_int_equal(ru->group.sectors[0].count.max, CONSORT_NO_MAX);
	assert_string_equal(ru->group.sectors[1].sector, "firm");
	assert_int_equal(ru->group.sectors[1].count.min, 1);
	assert_int_equal(ru->group.sectors[1].count.max, 2);
	assert_int_equal(ru->group.ncover, 2);
	assert_string_equal(ru->group.cover[0], "coaching");
	assert_string_equal(ru->group.cover[1], "cleaning");
	assert_int_equal(ru->ntogether, 1);
	assert_int_equal(ru->together[0].a, index_of(s, "a1"));
	assert_int_equal(ru->together[0].b, index_of(s, "f1"));
	assert_int_equal(ru->napart, 1);
	assert_int_equal(ru->apart[0].a, index_of(s, "f1"));
	assert_int_equal(ru->apart[0].b, index_of(s, "f2"));
	assert_int_equal(ru->everyone, 0);
	assert_int_equal(ru->nlots, 0);

	consort_scoring sc = consort_session_scoring(s);
	assert_int_equal(sc.combine, CONSORT_COMBINE_MIN);
	assert_int_equal(sc.normalize, CONSORT_NORMALIZE_RATER);
	assert_true(sc.neutral == 5);
	assert_true(sc.unmet == 4.5);
	consort_session_free(s);
}

static void test_defaults(void **state)
{
	(void)state;
	consort_session *s = load_ok(DATA "good-minimal.json");
	assert_null(consort_session_title(s));
	assert_true(consort_session_scale_min(s) == 1);
	assert_true(consort_session_scale_max(s) == 5);
	assert_int_equal(consort_session_count(s), 2);
	assert_string_equal(consort_session_participant(s, 1)->name, "b2");
	assert_int_equal(consort_session_participant(s, 1)->noffers, 0);
	assert_int_equal(consort_session_rating_count(s), 0);
	const consort_rules *r = consort_session_rules(s);
	assert_int_equal(r->has_consortia, 0);
	assert_int_equal(r->group.has_size, 0);
	assert_int_equal(r->group.size.min, 2);
	assert_int_equal(r->group.size.max, CONSORT_NO_MAX);
	assert_int_equal(r->group.nsectors, 0);
	assert_int_equal(r->group.ncover, 0);
	assert_int_equal(r->ntogether, 0);
	assert_int_equal(r->napart, 0);
	assert_int_equal(r->everyone, 1);
	assert_int_equal(r->nlots, 0);
	assert_int_equal(s->scoring.has_neutral, 0);
	assert_int_equal(s->scoring.has_unmet, 0);
	consort_scoring sc = consort_session_scoring(s);
	assert_int_equal(sc.combine, CONSORT_COMBINE_MEAN);
	assert_int_equal(sc.normalize, CONSORT_NORMALIZE_NONE);
	assert_true(sc.neutral == 3);
	assert_true(sc.unmet == 3);

	/* Written back without default noise, but with every section. */
	char *text = to_json(s);
	const char *present[] = {"\"format\"", "\"scale\"", "\"participants\"", "\"ratings\"", "\"rules\"", "\"scoring\""};
	const char *absent[] = {"title", "name", "offers", "everyone", "combine", "neutral", "unmet",
		"normalize", "lots", "size", "consortia"};
	for (size_t i = 0; i < sizeof(present) / sizeof(*present); i++)
		assert_non_null(strstr(text, present[i]));
	for (size_t i = 0; i < sizeof(absent) / sizeof(*absent); i++)
		if (strstr(text, absent[i]))
			fail_msg("default \"%s\" written:\n%s", absent[i], text);
	free(text);
	consort_session_free(s);
}

static void test_size_defaults(void **state)
{
	(void)state;
	consort_session *s = parse_ok("{\"format\": \"consort-session/1\", \"participants\": [],"
		" \"rules\": {\"size\": {\"max\": 6}, \"consortia\": {\"max\": 4}, \"sectors\": {\"firm\": {}}}}");
	const consort_rules *r = consort_session_rules(s);
	assert_int_equal(r->group.has_size, 1);
	assert_int_equal(r->group.size.min, 2);
	assert_int_equal(r->group.size.max, 6);
	assert_int_equal(r->has_consortia, 1);
	assert_int_equal(r->consortia.min, 1);
	assert_int_equal(r->consortia.max, 4);
	assert_int_equal(r->group.sectors[0].count.min, 0);
	assert_int_equal(r->group.sectors[0].count.max, CONSORT_NO_MAX);
	assert_round_trip(s);
	consort_session_free(s);

	s = parse_ok("{\"format\": \"consort-session/1\", \"participants\": [], \"rules\": {\"consortia\": 3},"
		" \"scale\": {\"max\": 7}}");
	assert_int_equal(consort_session_rules(s)->consortia.min, 3);
	assert_int_equal(consort_session_rules(s)->consortia.max, 3);
	assert_true(consort_session_scale_min(s) == 1);
	assert_true(consort_session_scale_max(s) == 7);
	assert_true(consort_session_scoring(s).neutral == 4);
	consort_session_free(s);
}

static void test_lots(void **state)
{
	(void)state;
	consort_session *s = load_ok(DATA "good-lots.json");
	const consort_rules *r = consort_session_rules(s);
	assert_int_equal(r->nlots, 3);
	assert_int_equal(r->has_consortia, 1);
	assert_int_equal(r->consortia.min, 3);
	assert_int_equal(r->group.size.min, 2);
	assert_int_equal(r->group.size.max, 3);
	assert_string_equal(r->lots[0].name, "North");
	assert_int_equal(r->lots[0].rules.has_size, 1);
	assert_int_equal(r->lots[0].rules.size.min, 2);
	assert_int_equal(r->lots[0].rules.size.max, 2);
	assert_int_equal(r->lots[0].rules.nsectors, 1);
	assert_string_equal(r->lots[0].rules.sectors[0].sector, "firm");
	assert_int_equal(r->lots[0].rules.sectors[0].count.min, 1);
	assert_int_equal(r->lots[0].rules.ncover, 1);
	assert_string_equal(r->lots[0].rules.cover[0], "cleaning");
	assert_string_equal(r->lots[1].name, "South");
	assert_int_equal(r->lots[1].rules.has_size, 1);
	assert_int_equal(r->lots[1].rules.size.min, 1); /* a lot's own minimum defaults to 1 */
	assert_int_equal(r->lots[1].rules.size.max, 3);
	assert_string_equal(r->lots[2].name, "East");
	assert_int_equal(r->lots[2].rules.has_size, 0);
	assert_int_equal(r->lots[2].rules.nsectors, 0);
	assert_int_equal(r->lots[2].rules.ncover, 0);
	consort_session_free(s);
}

static void test_bom_crlf(void **state)
{
	(void)state;
	consort_session *s = load_ok(DATA "good-bom-crlf.json");
	assert_int_equal(consort_session_count(s), 1);
	assert_string_equal(consort_session_participant(s, 0)->id, "a1");
	consort_session_free(s);
}

/* ---- round trips ---- */

static void test_round_trip_files(void **state)
{
	(void)state;
	const char *files[] = {"good-full.json", "good-lots.json", "good-minimal.json", "good-base.json",
		"good-bom-crlf.json"};
	for (size_t i = 0; i < sizeof(files) / sizeof(*files); i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s%s", DATA, files[i]);
		consort_session *s = load_ok(path);
		assert_round_trip(s);
		consort_session_free(s);
	}
}

static void test_round_trip_built(void **state)
{
	(void)state;
	consort_session *s;
	consort_error err = {0};
	assert_int_equal(consort_session_new(&s, &err), 0);
	assert_int_equal(consort_session_set_title(s, "Quotes \" backslash \\ tab \t newline \n ctrl \x01 \xc3\xa4\xe2\x82\xac", &err), 0);
	assert_int_equal(consort_session_set_scale(s, -1.5, 1e6, &err), 0);
	const char *offers[] = {"a \"quoted\" word", "\xf0\x9f\x98\x80", "slash/\\"};
	assert_int_equal(consort_session_add_participant(s, "x", "Name\r\nwith break", "sec tor", offers, 3, &err), 0);
	assert_int_equal(consort_session_add_participant(s, "y", NULL, "\x7f" "del", NULL, 0, &err), 0);
	assert_int_equal(consort_session_add_participant(s, "Z-9._", "Z-9._", "s", offers + 1, 1, &err), 0);
	const double scores[] = {0.1, 1.0 / 3.0, 2.675, -1.5, 1e6, 123456.789012345678, 5e-300, 0};
	const char *pairs[][2] = {{"x", "y"}, {"y", "x"}, {"x", "Z-9._"}, {"Z-9._", "x"}, {"y", "Z-9._"},
		{"Z-9._", "y"}};
	for (size_t k = 0; k < 6; k++)
		assert_int_equal(consort_session_add_rating(s, pairs[k][0], pairs[k][1], scores[k], &err), 0);
	assert_int_equal(consort_session_set_consortia(s, 1, CONSORT_NO_MAX, &err), 0);
	assert_int_equal(consort_session_set_size(s, 1, 2, &err), 0);
	consort_session_set_everyone(s, 0);
	consort_scoring sc = {CONSORT_COMBINE_MIN, 1, 0.1, 1, 1.0 / 7.0, CONSORT_NORMALIZE_NONE};
	assert_int_equal(consort_session_set_scoring(s, &sc, &err), 0);
	assert_round_trip(s);

	char *text = to_json(s);
	assert_non_null(strstr(text, "\"score\": 0.1}"));
	assert_non_null(strstr(text, "\"min\": -1.5"));
	assert_non_null(strstr(text, "\"max\": 1000000}"));
	assert_null(strstr(text, "e+06"));
	free(text);
	consort_session_free(s);
}

/* ---- bad input ---- */

typedef struct bad_case {
	const char *file;
	const char *place;
} bad_case;

static const bad_case bad_files[] = {
	{"bad-syntax.json", "line 6, column 38: expected ',' or '}'"},
	{"bad-truncated.json", "line 11, column 18: unexpected end of input"},
	{"bad-truncated-string.json", "line 6, column 26: string is never closed"},
	{"bad-unterminated.json", "line 6, column 39"},
	{"bad-empty.json", "empty file"},
	{"bad-whitespace.json", "empty file"},
	{"bad-nul.json", "line 6, column 33: NUL byte"},
	{"bad-utf8.json", "line 5, column 33: invalid UTF-8"},
	{"bad-binary.json", "line 1, column 1: invalid UTF-8"},
	{"bad-nesting.json", "line 1, column 1042: nested deeper than 1000 levels"},
	{"bad-toplevel.json", "top level"},
	{"bad-trailing.json", "line 20, column 1: unexpected data after"},
	{"bad-nul-escape.json", "line 7, column 15: \\u0000"},
	{"bad-duplicate-key.json", "participants: given twice"},
	{"bad-duplicate-id-key.json", "participants[2].id: given twice"},
	{"bad-duplicate-sector.json", "rules.sectors.firm: given twice"},
	{"bad-infinite.json", "ratings[2].score"},
	{"bad-format-missing.json", "format: missing"},
	{"bad-format-wrong.json", "format: \"consort-session/2\""},
	{"bad-format-type.json", "format: expected a string"},
	{"bad-score-string.json", "ratings[1].score: expected a number, found a string"},
	{"bad-offers-string.json", "participants[0].offers: expected an array"},
	{"bad-offers-number.json", "participants[0].offers[1]: expected a string"},
	{"bad-participants-object.json", "participants: expected an array"},
	{"bad-participants-missing.json", "participants: missing"},
	{"bad-participant-not-object.json", "participants[4]: expected an object"},
	{"bad-name-number.json", "participants[2].name: expected a string"},
	{"bad-everyone-number.json", "rules.everyone: expected true or false"},
	{"bad-scale-string.json", "scale.min: expected a number"},
	{"bad-scale-minmax.json", "scale: min 5 must be less than max 1"},
	{"bad-rules-array.json", "rules: expected an object"},
	{"bad-together-flat.json", "rules.together[0]: expected an array"},
	{"bad-title-null.json", "title: expected a string, found null"},
	{"bad-consortia-fraction.json", "rules.consortia: 2.5 is not a whole number"},
	{"bad-consortia-negative.json", "rules.consortia: -1"},
	{"bad-consortia-huge.json", "rules.consortia: 1000000000"},
	{"bad-consortia-string.json", "rules.consortia: expected a whole number"},
	{"bad-size-negative.json", "rules.size.min: -1"},
	{"bad-size-zero.json", "rules.size.min: 0"},
	{"bad-size-fraction.json", "rules.size.max: 3.5 is not a whole number"},
	{"bad-sector-fraction.json", "rules.sectors.firm.min: 1.5"},
	{"bad-sector-negative.json", "rules.sectors.firm.max: -1"},
	{"bad-unknown-rating-to.json", "ratings[1].to: unknown id \"zz\""},
	{"bad-unknown-rating-from.json", "ratings[0].from: unknown id \"nobody\""},
	{"bad-duplicate-id.json", "participants[2].id: duplicate id \"a1\" (first at participants[0])"},
	{"bad-invalid-id.json", "participants[1].id: invalid id \"f 1\""},
	{"bad-long-id.json", "participants[1].id: invalid id"},
	{"bad-empty-id.json", "participants[1].id: invalid id \"\""},
	{"bad-missing-id.json", "participants[3].id: missing"},
	{"bad-missing-sector.json", "participants[1].sector: missing"},
	{"bad-empty-sector.json", "participants[0].sector: empty"},
	{"bad-empty-offer.json", "participants[0].offers[1]: empty"},
	{"bad-self-rating.json", "ratings[2]: \"f2\" rates itself"},
	{"bad-score-range.json", "ratings[1].score: 7 is outside the scale 1..5"},
	{"bad-score-below.json", "ratings[0].score: 0.5 is outside the scale 1..5"},
	{"bad-score-missing.json", "ratings[0].score: missing"},
	{"bad-rated-twice.json", "ratings[3]: \"f1\" -> \"a1\" is already rated at ratings[1]"},
	{"bad-unknown-together.json", "rules.together[0][1]: unknown id \"zz\""},
	{"bad-unknown-apart.json", "rules.apart[0][0]: unknown id \"ghost\""},
	{"bad-pair-twice.json", "rules.together[1]: names \"f2\" twice"},
	{"bad-pair-empty.json", "rules.apart[0]: names nobody"},
	{"bad-pair-three.json", "rules.apart[0]: expected two ids, found 3"},
	{"bad-pair-number.json", "rules.together[0][1]: expected a string"},
	{"bad-together-apart.json", "rules.apart[1]"},
	{"bad-size-minmax.json", "rules.size: min 3"},
	{"bad-consortia-minmax.json", "rules.consortia: min 3"},
	{"bad-sector-minmax.json", "rules.sectors.firm: min 2"},
	{"bad-sector-empty-name.json", "rules.sectors: empty sector name"},
	{"bad-cover-empty.json", "rules.cover[1]: empty"},
	{"bad-lot-minmax.json", "rules.lots[1].size: min 3"},
	{"bad-lots-consortia.json", "rules.consortia: contradicts rules.lots"},
	{"bad-lots-samename.json", "rules.lots[1].name: \"North\" is also the name of rules.lots[0]"},
	{"bad-lots-empty.json", "rules.lots: empty list"},
	{"bad-lot-noname.json", "rules.lots[0].name: missing"},
	{"bad-lot-emptyname.json", "rules.lots[1].name: empty"},
	{"bad-lot-sector.json", "rules.lots[0].sectors.firm.min: -2"},
	{"bad-combine.json", "scoring.combine: unknown method \"max\""},
	{"bad-normalize.json", "scoring.normalize: expected a string"},
	{"bad-neutral-range.json", "scoring.neutral: 9 is outside the scale 1..5"},
	{"bad-unmet-range.json", "scoring.unmet: 0 is outside the scale 1..5"},
};

static void test_bad_files(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(*bad_files); i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s%s", DATA, bad_files[i].file);
		consort_session *s = (consort_session *)1;
		consort_error err = {0};
		int rc = consort_session_load(&s, path, &err);
		if (rc != CONSORT_EINVALID)
			print_error("%s: expected CONSORT_EINVALID, got %d (%s)\n", path, rc, err.message);
		assert_int_equal(rc, CONSORT_EINVALID);
		assert_null(s);
		/* The name in messages is the path as given. */
		assert_int_equal(strncmp(err.message, path, strlen(path)), 0);
		assert_message(err.message, bad_files[i].file, bad_files[i].place);
	}
}

/* Every bad-*.json in the data directory is listed above, so none goes untested. */
static void test_bad_files_all_listed(void **state)
{
	(void)state;
	DIR *dir = opendir(DATA);
	assert_non_null(dir);
	struct dirent *e;
	size_t seen = 0;
	while ((e = readdir(dir))) {
		if (strncmp(e->d_name, "bad-", 4) != 0)
			continue;
		int listed = 0;
		for (size_t i = 0; i < sizeof(bad_files) / sizeof(*bad_files) && !listed; i++)
			listed = strcmp(bad_files[i].file, e->d_name) == 0;
		if (!listed)
			fail_msg("%s is not in bad_files[]", e->d_name);
		seen++;
	}
	closedir(dir);
	assert_int_equal(seen, sizeof(bad_files) / sizeof(*bad_files));
}

#define HEAD "{\"format\": \"consort-session/1\", "
#define PEOPLE "\"participants\": [{\"id\": \"a\", \"sector\": \"s\"}, {\"id\": \"b\", \"sector\": \"s\"}]"

static void test_bad_in_memory(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{"{\n  \"format\": \"consort-session/1\"\n  \"participants\": []\n}", "line 3, column 3: expected ',' or '}'"},
		{"{\"format\": \"consort-session/1\",}", "line 1, column 32: trailing comma"},
		{"{\"format\" \"consort-session/1\"}", "line 1, column 11: expected ':'"},
		{"{format: 1}", "line 1, column 2: expected a key in double quotes"},
		{"{\"format\": \"a\\qb\"}", "line 1, column 14: invalid escape"},
		{"{\"format\": tru}", "line 1, column 12: expected a value"},
		{"\xef\xbb\xbf{\"format\": 1,\n\"x\": [1, 2,]}", "line 2, column 12: trailing comma before ']'"},
		{"\"consort-session/1\"", "top level, found a string"},
		{"42", "top level, found a number"},
		{"null", "top level, found null"},
		{"{\"x\": \"\xe2\x82\"}", "line 1, column 8: invalid UTF-8"},
		{"{\"x\": \"\xed\xa0\x80\"}", "line 1, column 8: invalid UTF-8"}, /* a surrogate */
		{"{\"x\": \"\\ud800\"}", "line 1, column 8"},
		{"{\"x\": \"a\tb\"}", "line 1, column 9: control character 0x09 in a string"},
		{"{\"x\": \"\\udc00\"}", "line 1, column 8: invalid \\u escape (unpaired surrogate)"},
		{"{\"x\": \"\\ud800\\u0041\"}", "line 1, column 8: invalid \\u escape (unpaired surrogate)"},
		{"{\"x\": \"\\u12G4\"}", "line 1, column 8: invalid \\u escape"},
		{"{\"x\": 01}", "line 1, column 8: expected ',' or '}'"},
		{"{\"x\": -}", "line 1, column 7: invalid number"},
		{"{\"x\": 1.5e}", "line 1, column 7: invalid number"},
		{"{\"x\": 1.0000000000000000000000000000000000000000000000000000000000000001}", "too many digits"},
		{"{\"x\": nul}", "line 1, column 7: expected a value, found 'n'"},
		{"{\"x\": [1 2]}", "line 1, column 10: expected ',' or ']', found '2'"},
		{"{\"x\": \xc3\xa4}", "line 1, column 7: expected a value, found '\xc3\xa4'"},
		{"{\"x\": \x01}", "line 1, column 7: expected a value, found control character 0x01"},
		{"{\"format\": \"consort-session/1\"}", "participants: missing"},
		{HEAD "\"format\": \"consort-session/1\", " PEOPLE "}", "format: given twice"},
		{HEAD PEOPLE ", \"ratings\": [{\"from\": \"a\", \"to\": \"b\", \"score\": -1e999}]}", "ratings[0].score"},
		{HEAD PEOPLE ", \"ratings\": [{\"from\": \"a\", \"to\": \"b\", \"score\": true}]}", "ratings[0].score: expected a number, found true"},
		{HEAD PEOPLE ", \"ratings\": [{\"from\": \"a\", \"to\": \"b\", \"score\": 5.000001}]}", "ratings[0].score: 5.000001 is outside"},
		{HEAD PEOPLE ", \"ratings\": [{\"from\": \"a\", \"to\": \"b\", \"score\": 1, \"score\": 2}]}", "ratings[0].score: given twice"},
		{HEAD PEOPLE ", \"ratings\": [{\"from\": \"a\", \"score\": 1}]}", "ratings[0].to: missing"},
		{HEAD PEOPLE ", \"ratings\": [{\"from\": \"a\\tb\", \"to\": \"b\", \"score\": 1}]}", "ratings[0].from: unknown id \"a?b\""},
		{HEAD PEOPLE ", \"ratings\": {}}", "ratings: expected an array"},
		{HEAD PEOPLE ", \"rules\": {\"consortia\": 1e999}}", "rules.consortia"},
		{HEAD PEOPLE ", \"rules\": {\"consortia\": {\"min\": 2, \"max\": 1.5}}}", "rules.consortia.max: 1.5"},
		{HEAD PEOPLE ", \"rules\": {\"size\": 3}}", "rules.size: expected an object"},
		{HEAD PEOPLE ", \"rules\": {\"size\": {\"min\": 2, \"min\": 3}}}", "rules.size.min: given twice"},
		{HEAD PEOPLE ", \"rules\": {\"rules\": 1, \"together\": [[\"a\", \"b\"]], \"together\": []}}", "rules.together: given twice"},
		{HEAD PEOPLE ", \"rules\": {\"sectors\": {\"s\": 2}}}", "rules.sectors.s: expected an object"},
		{HEAD PEOPLE ", \"rules\": {\"sectors\": {\"s\": {\"min\": 3}}, \"size\": {\"max\": 2}}}", "rules.sectors.s.min"},
		{HEAD PEOPLE ", \"rules\": {\"cover\": \"x\"}}", "rules.cover: expected an array"},
		{HEAD PEOPLE ", \"rules\": {\"together\": [[\"a\"]]}}", "rules.together[0]: expected two ids, found 1"},
		{HEAD PEOPLE ", \"rules\": {\"together\": [[\"a\", \"b\"]], \"apart\": [[\"b\", \"a\"]]}}", "rules.apart[0]"},
		{HEAD PEOPLE ", \"rules\": {\"lots\": {}}}", "rules.lots: expected an array"},
		{HEAD PEOPLE ", \"rules\": {\"lots\": [{\"name\": \"A\"}, 3]}}", "rules.lots[1]: expected an object"},
		{HEAD PEOPLE ", \"rules\": {\"lots\": [{\"name\": \"A\", \"size\": {\"min\": 0}}]}}", "rules.lots[0].size.min: 0"},
		{HEAD PEOPLE ", \"rules\": {\"consortia\": 1, \"lots\": [{\"name\": \"A\"}, {\"name\": \"B\"}]}}", "rules.consortia"},
		{HEAD PEOPLE ", \"rules\": {\"lots\": [{\"name\": \"A\", \"cover\": [\"\"]}]}}", "rules.lots[0].cover[0]: empty"},
		{HEAD PEOPLE ", \"rules\": {\"min_fit\": \"high\"}}", "rules.min_fit: expected a number"},
		{HEAD PEOPLE ", \"rules\": {\"objective\": \"fair\"}}", "rules.objective: expected \"total\" or \"maxmin\""},
		{HEAD PEOPLE ", \"rules\": {\"absent\": \"a\"}}", "rules.absent: expected an array"},
		{HEAD PEOPLE ", \"rules\": {\"absent\": [\"ghost\"]}}", "rules.absent[0]: unknown id \"ghost\""},
		{HEAD PEOPLE ", \"rules\": {\"absent\": [\"a\", \"a\"]}}", "rules.absent[1]: \"a\" is listed twice"},
		{HEAD PEOPLE ", \"rules\": {\"absent\": [\"a\"], \"together\": [[\"a\", \"b\"]]}}", "rules.absent[0]: \"a\" is absent but named in rules.together[0]"},
		{HEAD PEOPLE ", \"rules\": {\"fixed\": [\"a\"]}}", "rules.fixed: expected an object"},
		{HEAD PEOPLE ", \"rules\": {\"fixed\": {\"ghost\": \"outside\"}}}", "rules.fixed.ghost: unknown id"},
		{HEAD PEOPLE ", \"rules\": {\"fixed\": {\"a\": \"North\"}}}", "rules.fixed.a: \"North\" is not \"outside\", and the session has no lots"},
		{HEAD PEOPLE ", \"rules\": {\"fixed\": {\"a\": \"C\"}, \"lots\": [{\"name\": \"A\"}]}}", "rules.fixed.a: \"C\" is neither a lot's name nor \"outside\""},
		{HEAD PEOPLE ", \"rules\": {\"fixed\": {\"a\": \"outside\"}}}", "rules.fixed.a: \"outside\" needs \"everyone\": false"},
		{HEAD PEOPLE ", \"rules\": {\"fixed\": {\"a\": 1}}}", "rules.fixed.a: expected a string"},
		{HEAD PEOPLE ", \"rules\": {\"everyone\": false, \"fixed\": {\"a\": \"outside\"}, \"absent\": [\"a\"]}}", "rules.absent[0]: \"a\" is absent but named in rules.fixed"},
		{HEAD PEOPLE ", \"scoring\": {\"combine\": \"mean\", \"combine\": \"min\"}}", "scoring.combine: given twice"},
		{HEAD PEOPLE ", \"scoring\": {\"neutral\": \"3\"}}", "scoring.neutral: expected a number"},
		{HEAD PEOPLE ", \"scoring\": {\"normalize\": \"z-score\"}}", "scoring.normalize: unknown method \"z-score\""},
		{HEAD PEOPLE ", \"scoring\": []}", "scoring: expected an object"},
		{HEAD PEOPLE ", \"scale\": {\"min\": 1, \"max\": 1}}", "scale: min 1 must be less than max 1"},
		{HEAD PEOPLE ", \"scale\": {\"min\": 6}}", "scale: min 6 must be less than max 5"},
		{HEAD PEOPLE ", \"scale\": {\"min\": 0, \"max\": 1e400}}", "scale.max"},
		{HEAD "\"participants\": [{\"id\": \"a\", \"sector\": \"s\", \"offers\": [\"x\"], \"offers\": []}]}", "participants[0].offers: given twice"},
		{HEAD "\"participants\": [{\"id\": \"\xc3\xa4\", \"sector\": \"s\"}]}", "participants[0].id: invalid id"},
		{HEAD "\"participants\": [{\"id\": 1, \"sector\": \"s\"}]}", "participants[0].id: expected a string"},
		{HEAD "\"participants\": [{\"id\": \"a\", \"sector\": [\"s\"]}]}", "participants[0].sector: expected a string"},
		{HEAD "\"participants\": [[\"a\", \"s\"]]}", "participants[0]: expected an object"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		expect_bad_text(cases[i].file, strlen(cases[i].file), cases[i].place);
}

/* Cutting a good file anywhere gives a clean error, never a crash or a session. */
/* The extended rules are written back as they were read. */
static void test_extended_rules_round_trip(void **state)
{
	(void)state;
	const char *doc = HEAD "\"participants\": [{\"id\": \"a\", \"sector\": \"s\"}, {\"id\": \"b\", \"sector\": \"s\"}, "
		"{\"id\": \"c\", \"sector\": \"s\"}], \"rules\": {\"everyone\": false, \"lots\": [{\"name\": \"N\"}, {\"name\": \"S\"}], "
		"\"min_fit\": -0.5, \"objective\": \"maxmin\", \"absent\": [\"c\"], \"fixed\": {\"a\": \"S\", \"b\": \"outside\"}}}";
	consort_session *s;
	consort_error err;
	if (consort_session_parse(&s, doc, strlen(doc), "x.json", &err) != 0)
		fail_msg("%s", err.message);
	const consort_rules *r = consort_session_rules(s);
	assert_int_equal(r->has_min_fit, 1);
	assert_true(r->min_fit == -0.5);
	assert_int_equal(r->objective, CONSORT_OBJECTIVE_MAXMIN);
	assert_int_equal(r->nabsent, 1);
	assert_int_equal(r->absent[0], 2);
	assert_int_equal(r->nfixed, 2);
	assert_int_equal(r->fixed[0].who, 0);
	assert_int_equal(r->fixed[0].lot, 1);
	assert_int_equal(r->fixed[1].lot, -1);
	char *json, *again;
	assert_int_equal(consort_session_to_json(&json, s, &err), 0);
	consort_session *t;
	if (consort_session_parse(&t, json, strlen(json), "back.json", &err) != 0)
		fail_msg("%s", err.message);
	assert_int_equal(consort_session_to_json(&again, t, &err), 0);
	assert_string_equal(json, again);
	assert_non_null(strstr(json, "\"fixed\""));
	/* The setters refuse contradictions and leave the rules as they were. */
	assert_true(consort_session_add_absent(t, "a", &err) < 0);
	assert_non_null(strstr(err.message, "rules.fixed"));
	assert_true(consort_session_add_fixed(t, "c", "S", &err) < 0);
	assert_true(consort_session_add_fixed(t, "a", "W", &err) < 0);
	assert_non_null(strstr(err.message, "no lot is named \"W\""));
	assert_true(consort_session_add_together(t, "a", "ghost", &err) < 0);
	assert_true(consort_session_add_together(t, "a", "c", &err) < 0);
	assert_int_equal(consort_session_rules(t)->ntogether, 0);
	assert_int_equal(consort_session_rules(t)->nfixed, 2);
	free(json);
	free(again);
	consort_session_free(t);
	consort_session_free(s);
}

static void test_every_prefix_fails(void **state)
{
	(void)state;
	const char *text = "{\"format\": \"consort-session/1\", \"title\": \"T\\u00e4\", "
		"\"participants\": [{\"id\": \"a\", \"sector\": \"s\", \"offers\": [\"x\"]}, {\"id\": \"b\", \"sector\": \"s\"}], "
		"\"ratings\": [{\"from\": \"a\", \"to\": \"b\", \"score\": 4.5e0}], "
		"\"rules\": {\"together\": [[\"a\", \"b\"]], \"everyone\": false}}";
	size_t len = strlen(text);
	consort_session *s = parse_ok(text);
	consort_session_free(s);
	for (size_t n = 0; n < len; n++) {
		consort_error err = {0};
		s = (consort_session *)1;
		assert_int_equal(consort_session_parse(&s, text, n, "cut.json", &err), CONSORT_EINVALID);
		assert_null(s);
		assert_non_null(strstr(err.message, "cut.json: "));
		assert_readers_agree(text, n);
	}
}

/* The length is respected: bytes after it are never read as part of the document. */
static void test_length_respected(void **state)
{
	(void)state;
	const char *text = HEAD PEOPLE "}garbage \x01\xff";
	size_t len = strlen(HEAD PEOPLE "}");
	consort_session *s = NULL;
	consort_error err = {0};
	assert_int_equal(consort_session_parse(&s, text, len, "m", &err), 0);
	assert_int_equal(consort_session_count(s), 2);
	consort_session_free(s);
	expect_bad_text(text, len + 3, "unexpected data after");
}

static char *nested(size_t levels)
{
	const char *head = "{\"format\": \"consort-session/1\", \"participants\": [], \"x-deep\": ";
	size_t hl = strlen(head), n = hl + 2 * levels + 2;
	char *text = malloc(n);
	assert_non_null(text);
	memcpy(text, head, hl);
	memset(text + hl, '[', levels);
	memset(text + hl + levels, ']', levels);
	text[n - 2] = '}';
	text[n - 1] = '\0';
	return text;
}

static void test_nesting(void **state)
{
	(void)state;
	/* cJSON allows 1000 levels in all, the root object being one of them. */
	char *text = nested(999);
	consort_session *s = parse_ok(text);
	consort_session_free(s);
	free(text);
	text = nested(1000);
	expect_bad_text(text, strlen(text), "column 1062: nested deeper than 1000 levels");
	free(text);
	text = nested(200000);
	expect_bad_text(text, strlen(text), "nested deeper than 1000 levels");
	free(text);
}

static void test_unknown_fields_ignored(void **state)
{
	(void)state;
	consort_session *s = parse_ok(HEAD "\"x-new\": {\"format\": 2}, \"Participants\": 5, "
		"\"participants\": [{\"id\": \"a\", \"sector\": \"s\", \"x-tag\": [1, {}]}],"
		" \"rules\": {\"x-rule\": true, \"size\": {\"min\": 1, \"x-y\": \"z\"}},"
		" \"scoring\": {\"x-weight\": null}}");
	assert_int_equal(consort_session_count(s), 1);
	assert_int_equal(consort_session_rules(s)->group.size.min, 1);
	consort_session_free(s);
}

static void test_strings(void **state)
{
	(void)state;
	/* Escapes, a surrogate pair and raw UTF-8 decode to the same text. */
	consort_session *s = parse_ok(HEAD "\"title\": \"\\u00e4\\ud83d\\ude00\\/\\\"\\\\\\n\xc3\xa4\", " PEOPLE "}");
	assert_string_equal(consort_session_title(s), "\xc3\xa4\xf0\x9f\x98\x80/\"\\\n\xc3\xa4");
	assert_round_trip(s);
	consort_session_free(s);
}

static void test_missing_file(void **state)
{
	(void)state;
	consort_session *s = (consort_session *)1;
	consort_error err = {0};
	const char *path = DATA "no-such-file.json";
	assert_int_equal(consort_session_load(&s, path, &err), CONSORT_EIO);
	assert_null(s);
	assert_non_null(strstr(err.message, path));

	s = (consort_session *)1;
	assert_int_equal(consort_session_load(&s, DATA, &err), CONSORT_EIO);
	assert_null(s);
}

/* ---- the ratings read straight from the text ---- */

/* Every bad file gets the same message from both readers. */
static void test_bad_files_readers_agree(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(*bad_files); i++) {
		char path[512], *text;
		size_t len;
		consort_error err = {0};
		snprintf(path, sizeof(path), "%s%s", DATA, bad_files[i].file);
		assert_int_equal(consort__file_read(&text, &len, path, &err), 0);
		assert_readers_agree(text, len);
		free(text);
	}
}

#define RATED(body) HEAD PEOPLE ", \"scale\": {\"min\": 0, \"max\": 10}, \"ratings\": [" body "]}"

static void test_rating_key_order(void **state)
{
	(void)state;
	static const char *const texts[] = {
		RATED("{\"from\": \"a\", \"to\": \"b\", \"score\": 4}"),
		RATED("{\"score\": 4, \"to\": \"b\", \"from\": \"a\"}"),
		RATED("{\"to\": \"b\", \"score\": 4, \"from\": \"a\"}"),
		RATED("{\"score\":4,\"from\":\"a\",\"to\":\"b\"}"),
		RATED("\n\t{ \"to\" :\r\n\"b\" , \"from\"\t:  \"a\",\"score\"  :  4 }\n"),
		RATED("{\"fr\\u006fm\": \"a\", \"t\\u006F\": \"b\", \"\\u0073core\": 4}"),
		RATED("{\"from\": \"\\u0061\", \"to\": \"\\u0062\", \"score\": 4.0}"),
		RATED("{\"from\": \"a\", \"to\": \"b\", \"score\": 40e-1}"),
		RATED("{\"from\": \"a\", \"to\": \"b\", \"score\": 0.4E+1}"),
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		consort_session *s = parse_ok(texts[i]);
		double score = -1;
		assert_int_equal(consort_session_rating_count(s), 1);
		assert_int_equal(consort_session_score(s, 0, 1, &score), 0);
		assert_true(score == 4);
		assert_int_equal(consort_session_score(s, 1, 0, &score), -1);
		consort_session_free(s);
		assert_readers_agree(texts[i], strlen(texts[i]));
	}
}

static void test_rating_extra_keys(void **state)
{
	(void)state;
	const char *text = RATED(
		"{\"x-note\": {\"from\": \"b\", \"to\": [\"a\", {\"score\": 9}], \"s\": \"}]\\\"\"},"
		" \"from\": \"a\", \"From\": 1, \"x-list\": [[[], {}], [1, -2.5e3, true, false, null]],"
		" \"to\": \"b\", \"x-str\": \"\\\\\\\"{[\", \"score\": 7.25, \"x-num\": -0, \"x-null\": null},"
		" {\"score\": 3, \"x\": {\"y\": {\"z\": [\"]\"]}}, \"to\": \"a\", \"from\": \"b\", \"x-t\": true}");
	consort_session *s = parse_ok(text);
	double score = -1;
	assert_int_equal(consort_session_rating_count(s), 2);
	assert_int_equal(consort_session_score(s, 0, 1, &score), 0);
	assert_true(score == 7.25);
	assert_int_equal(consort_session_score(s, 1, 0, &score), 0);
	assert_true(score == 3);
	consort_session_free(s);
	assert_readers_agree(text, strlen(text));
}

static void test_rating_escaped_ids(void **state)
{
	(void)state;
	const char *text = HEAD "\"participants\": [{\"id\": \"a1\", \"sector\": \"s\"},"
		" {\"id\": \"b_2\", \"sector\": \"s\"}, {\"id\": \"c.3\", \"sector\": \"s\"}],"
		" \"ratings\": [{\"from\": \"a\\u0031\", \"to\": \"b\\u005f2\", \"score\": 2},"
		" {\"from\": \"\\u0062_\\u0032\", \"to\": \"\\u0063\\u002e\\u0033\", \"score\": 3},"
		" {\"from\": \"c.3\", \"to\": \"a1\", \"score\": 4}]}";
	consort_session *s = parse_ok(text);
	double score = -1;
	assert_int_equal(consort_session_rating_count(s), 3);
	assert_int_equal(consort_session_score(s, 0, 1, &score), 0);
	assert_true(score == 2);
	assert_int_equal(consort_session_score(s, 1, 2, &score), 0);
	assert_true(score == 3);
	consort_session_free(s);
	assert_readers_agree(text, strlen(text));

	/* Escapes decode to what the message shows; a pair rated twice under two spellings. */
	static const bad_case cases[] = {
		{RATED("{\"from\": \"\\u00e4\\ud83d\\ude00\", \"to\": \"b\", \"score\": 1}"),
			"ratings[0].from: unknown id \"\xc3\xa4\xf0\x9f\x98\x80\""},
		{RATED("{\"from\": \"a\\n\", \"to\": \"b\", \"score\": 1}"), "ratings[0].from: unknown id \"a?\""},
		{RATED("{\"from\": \"a\\/\", \"to\": \"b\", \"score\": 1}"), "ratings[0].from: unknown id \"a/\""},
		{RATED("{\"from\": \"a\", \"to\": \"b\", \"score\": 1}, {\"from\": \"\\u0061\", \"to\": \"\\u0062\", \"score\": 2}"),
			"ratings[1]: \"a\" -> \"b\" is already rated at ratings[0]"},
		{RATED("{\"from\": \"a\", \"to\": \"\\u0061\", \"score\": 1}"), "ratings[0]: \"a\" rates itself"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		expect_bad_text(cases[i].file, strlen(cases[i].file), cases[i].place);
}

/* Each field of a rating wrong in each way, and "ratings" itself. */
static void test_rating_errors(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{RATED("3"), "ratings[0]: expected an object, found a number"},
		{RATED("{\"from\": \"a\", \"to\": \"b\", \"score\": 1}, [\"a\", \"b\", 1]"), "ratings[1]: expected an object, found an array"},
		{RATED("{\"from\": \"a\", \"to\": \"b\", \"score\": 1}, null"), "ratings[1]: expected an object, found null"},
		{RATED("\"x\""), "ratings[0]: expected an object, found a string"},
		{RATED("{}"), "ratings[0].from: missing"},
		{RATED("{\"from\": 1, \"from\": \"a\", \"to\": \"b\", \"score\": 1}"), "ratings[0].from: given twice"},
		{RATED("{\"to\": 5, \"from\": 1, \"score\": 1}"), "ratings[0].from: expected a string, found a number"},
		{RATED("{\"to\": 5, \"from\": \"a\", \"score\": 1}"), "ratings[0].to: expected a string, found a number"},
		{RATED("{\"to\": \"b\", \"from\": \"a\", \"to\": \"b\"}"), "ratings[0].to: given twice"},
		{RATED("{\"to\": {\"a\": 1}, \"from\": false}"), "ratings[0].from: expected a string, found false"},
		{RATED("{\"from\": \"a\", \"to\": \"b\"}"), "ratings[0].score: missing"},
		{RATED("{\"score\": \"1\", \"score\": 1, \"from\": \"a\", \"to\": \"b\"}"), "ratings[0].score: given twice"},
		{RATED("{\"from\": \"a\", \"to\": \"b\", \"score\": null}"), "ratings[0].score: expected a number, found null"},
		{RATED("{\"from\": \"a\", \"to\": \"b\", \"score\": {}}"), "ratings[0].score: expected a number, found an object"},
		{RATED("{\"from\": \"a\", \"to\": \"b\", \"score\": 1e309}"), "ratings[0].score: number is too large"},
		{RATED("{\"from\": \"a\", \"to\": \"b\", \"score\": -11}"), "ratings[0].score: -11 is outside the scale 0..10"},
		{RATED("{\"from\": \"a\", \"to\": \"zz\", \"score\": 11}"), "ratings[0].to: unknown id \"zz\""},
		{RATED("{\"from\": \"a\", \"to\": \"b\", \"score\": 10.000000000000002}"), "ratings[0].score: 10.000000000000002 is outside"},
		{RATED("{\"fr\\u006fm\": \"a\", \"from\": \"b\", \"to\": \"b\", \"score\": 1}"), "ratings[0].from: given twice"},
		{HEAD PEOPLE ", \"ratings\": [], \"ratings\": []}", "ratings: given twice"},
		{HEAD PEOPLE ", \"ratings\": [], \"rat\\u0069ngs\": [{}]}", "ratings: given twice"},
		{HEAD PEOPLE ", \"ratings\": {}, \"ratings\": []}", "ratings: given twice"},
		{HEAD PEOPLE ", \"ratings\": null}", "ratings: expected an array, found null"},
		{HEAD PEOPLE ", \"\\u0072atings\": \"x\"}", "ratings: expected an array, found a string"},
		{HEAD PEOPLE ", \"rat\\u0069ngs\": [{\"from\": \"a\", \"to\": \"b\", \"score\": 1}, {\"to\": \"a\"}]}",
			"ratings[1].from: missing"},
		/* Errors in the rest of the document keep their order around the ratings. */
		{HEAD PEOPLE ", \"ratings\": [{}], \"rules\": {\"size\": 1}}", "ratings[0].from: missing"},
		{HEAD "\"ratings\": [{}], " PEOPLE ", \"scale\": 1}", "scale: expected an object"},
		{HEAD "\"ratings\": [{\"from\": \"a\", \"to\": \"b\", \"score\": 1}], \"participants\": [{\"id\": \"a\"}]}",
			"participants[0].sector: missing"},
		{"{\"ratings\": [{}], \"participants\": []}", "format: missing"},
		{HEAD PEOPLE ", \"x\": {\"ratings\": [{}]}, \"ratings\": [{\"from\": \"a\", \"to\": \"b\", \"score\": 9}]}",
			"ratings[0].score: 9 is outside the scale 1..5"},
		{HEAD PEOPLE ", \"ratings\": [{\"from\": \"a\", \"to\": \"b\", \"score\": 1}], \"ratings\": [{}]}",
			"ratings: given twice"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		expect_bad_text(cases[i].file, strlen(cases[i].file), cases[i].place);

	/* Syntax errors inside the ratings are still found by line and column. */
	const char *text = HEAD PEOPLE ",\n\"ratings\": [{\"from\": \"a\", \"to\": \"b\", \"score\": 1},\n {\"from\": \"b\" \"to\": \"a\"}]}";
	expect_bad_text(text, strlen(text), "line 3, column 15: expected ',' or '}'");
	text = HEAD PEOPLE ",\n\"ratings\": [{\"from\": \"a\", \"to\": \"b\", \"score\": 01}]}";
	expect_bad_text(text, strlen(text), "line 2, column 48: expected ',' or '}', found '1'");
}

/* A text buffer that grows. */
typedef struct text_buf {
	char *p;
	size_t len, cap;
} text_buf;

static void add_text(text_buf *t, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		size_t room = t->cap - t->len;
		va_start(ap, fmt);
		int n = vsnprintf(t->p ? t->p + t->len : NULL, t->p ? room : 0, fmt, ap);
		va_end(ap);
		assert_true(n >= 0);
		if (t->p && (size_t)n < room) {
			t->len += (size_t)n;
			return;
		}
		t->cap = t->cap ? t->cap * 2 : (size_t)1 << 16;
		while (t->cap < t->len + (size_t)n + 1)
			t->cap *= 2;
		t->p = realloc(t->p, t->cap);
		assert_non_null(t->p);
	}
}

/* A session of n participants in which every ordered pair is rated, each rating
 * written in one of several spellings (key orders, escapes, extra keys, number
 * forms). Element `bad` (when < n(n-1)) is spoilt in way `how`. */
static char *all_pairs(size_t n, size_t bad, int how)
{
	text_buf t = {0};
	add_text(&t, "{\"format\": \"consort-session/1\", \"scale\": {\"min\": 0, \"max\": 10},\n\"participants\": [");
	for (size_t i = 0; i < n; i++)
		add_text(&t, "%s{\"id\": \"p%zu\", \"sector\": \"%s\"}", i ? ", " : "", i, i % 3 ? "firm" : "association");
	add_text(&t, "],\n\"ratings\": [\n");
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			if (i == j)
				continue;
			unsigned v = (unsigned)((i * 7 + j * 13) % 101); /* the score is v / 10 */
			add_text(&t, "%s", k ? ",\n" : "");
			if (k == bad) {
				switch (how) {
				case 0: add_text(&t, "{\"from\": \"p%zu\", \"to\": \"p%zu\", \"score\": 10.5}", i, j); break;
				case 1: add_text(&t, "{\"from\": \"p%zu\", \"to\": \"q%zu\", \"score\": 1}", i, j); break;
				case 2: add_text(&t, "{\"from\": \"p0\", \"to\": \"p1\", \"score\": 1}"); break;
				case 3: add_text(&t, "[\"p%zu\", \"p%zu\", 1]", i, j); break;
				case 4: add_text(&t, "{\"from\": \"p%zu\", \"to\": \"p%zu\", \"to\": \"p%zu\", \"score\": 1}", i, j, j); break;
				default: add_text(&t, "{\"from\": \"p%zu\", \"to\": \"p%zu\", \"score\": \"1\"}", i, j); break;
				}
				k++;
				continue;
			}
			switch (k % 8) {
			case 0: add_text(&t, "{\"from\": \"p%zu\", \"to\": \"p%zu\", \"score\": %u.%u}", i, j, v / 10, v % 10); break;
			case 1: add_text(&t, "{\"score\": %ue-1, \"to\": \"p%zu\", \"from\": \"p%zu\"}", v, j, i); break;
			case 2: add_text(&t, "{\"to\":\"p%zu\",\"score\":%u.%u0,\"from\":\"\\u0070%zu\"}", j, v / 10, v % 10, i); break;
			case 3: add_text(&t, "{ \"x-when\" : {\"at\": [1, {\"from\": \"zz\"}]} , \"from\" : \"p%zu\" ,"
				" \"to\" : \"p%zu\" , \"score\" : %u.%uE0 }", i, j, v / 10, v % 10); break;
			case 4: add_text(&t, "{\"fr\\u006fm\": \"p%zu\", \"x\": \"\\\"}]\", \"to\": \"p%zu\", \"score\": 0.%03ue2}", i, j, v); break;
			case 5: add_text(&t, "{\"from\": \"p%zu\", \"to\": \"p%zu\", \"score\": %u.%u, \"x-null\": null}", i, j, v / 10, v % 10); break;
			case 6: add_text(&t, "\t{\"to\": \"p%zu\",\n\"from\": \"p%zu\",\r\n\"score\": %u.%u}", j, i, v / 10, v % 10); break;
			default: add_text(&t, "{\"score\": %u.%u, \"from\": \"p%zu\", \"to\": \"p%zu\", \"x\": [true, false]}", v / 10, v % 10, i, j); break;
			}
			k++;
		}
	}
	add_text(&t, "\n],\n\"rules\": {\"consortia\": 3, \"size\": {\"min\": 2}}}\n");
	return t.p;
}

/* 300 participants and all 89 700 pairs: the same session as the tree reader
 * makes of it, with every score where it belongs. */
static void test_large_session_same_as_tree(void **state)
{
	(void)state;
	const size_t n = 300;
	char *text = all_pairs(n, SIZE_MAX, 0);
	consort_session *s = parse_ok(text);
	assert_int_equal(consort_session_count(s), n);
	assert_int_equal(consort_session_rating_count(s), n * (n - 1));
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			double score = -1;
			if (i == j) {
				assert_int_equal(consort_session_score(s, i, j, &score), -1);
				continue;
			}
			unsigned v = (unsigned)((i * 7 + j * 13) % 101);
			assert_int_equal(consort_session_score(s, i, j, &score), 0);
			assert_true(score == (double)v / 10);
		}
	assert_readers_agree(text, strlen(text));
	assert_round_trip(s);
	consort_session_free(s);
	free(text);
}

/* An error far down a long array names its element. */
static void test_deep_error_index(void **state)
{
	(void)state;
	static const char *const places[] = {
		"ratings[70001].score: 10.5 is outside the scale 0..10",
		"ratings[70001].to: unknown id \"q",
		"ratings[70001]: \"p0\" -> \"p1\" is already rated at ratings[0]",
		"ratings[70001]: expected an object, found an array",
		"ratings[70001].to: given twice",
		"ratings[70001].score: expected a number, found a string",
	};
	for (int how = 0; how < 6; how++) {
		char *text = all_pairs(300, 70001, how);
		expect_bad_text(text, strlen(text), places[how]);
		free(text);
	}
}

/* The pieces in src/json.c: lifted spans, and the cursor reading what cJSON reads. */
static void test_json_cursor(void **state)
{
	(void)state;
	const char *text = "\xef\xbb\xbf{\"a\": [1], \"r\": [ 1, {\"r\": [2]} ], \"b\": {\"r\": [3]}, \"r\": 4, \"\\u0072\": []}";
	cJSON *root;
	size_t nlifted;
	consort__json_span span;
	consort_error err = {0};
	assert_int_equal(consort__json_parse_lifted(&root, &nlifted, &span, text, strlen(text), "r", "t", &err), 0);
	assert_int_equal(nlifted, 2); /* the two arrays of "r" at the top; not b.r, not 4 */
	assert_int_equal(span.end - span.start, strlen("[ 1, {\"r\": [2]} ]"));
	assert_memory_equal(text + span.start, "[ 1, {\"r\": [2]} ]", span.end - span.start);
	const cJSON *r = cJSON_GetObjectItemCaseSensitive(root, "r");
	assert_true(cJSON_IsArray(r) && !r->child);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "a")), 1);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(root, "b"), "r")), 1);
	cJSON_Delete(root);

	/* Strings and numbers come out as cJSON makes them. */
	static const char *const values[] = {
		"\"plain\"", "\"\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
		"\"\\u0041\\u00e4\\u20ac\\ud83d\\ude00\\uDBFF\\uDFFF\\u007f\\u0080\\u07FF\\u0800\\uFFFF\"",
		"\"\xc3\xa4 raw \xf0\x9f\x98\x80\"", "\"\\\\\"", "\"a\\\\\\\"b\"",
		"0", "-0", "4", "4.5", "0.1", "1e2", "1E-2", "-2.5e+3", "1e309", "-1e309", "5e-324", "1e-400",
		"123456789012345678901234567890", "0.30000000000000004", "2.675", "1.7976931348623157e308",
		"9007199254740993", "0.000000000000000000000000000000000000000000000000000000000001",
	};
	for (size_t i = 0; i < sizeof(values) / sizeof(*values); i++) {
		char doc[256];
		snprintf(doc, sizeof(doc), "[%s, 1]", values[i]);
		cJSON *tree;
		assert_int_equal(consort__json_parse(&tree, doc, strlen(doc), "t", &err), 0);
		consort__json_cursor c = {doc, 1, strlen(doc)};
		if (cJSON_IsString(tree->child)) {
			char *buf = NULL;
			size_t cap = 0;
			assert_string_equal(consort__json_cursor_kind(&c), "a string");
			assert_int_equal(consort__json_cursor_string(&c, &buf, &cap), 0);
			assert_string_equal(buf, tree->child->valuestring);
			free(buf);
		} else {
			assert_string_equal(consort__json_cursor_kind(&c), "a number");
			double d = consort__json_cursor_number(&c);
			assert_memory_equal(&d, &tree->child->valuedouble, sizeof(d));
		}
		assert_int_equal(c.pos, 1 + strlen(values[i])); /* just past the value */
		cJSON_Delete(tree);
	}

	/* Skipping lands just past the value, whatever it holds. */
	static const char *const skips[] = {
		"{\"a\": [1, {\"b\": \"]}\\\"\"}], \"c\": {}}", "[[[]], [{}], \"[\"]", "\"a\\\\\"", "true", "false",
		"null", "-1.5e3", "{}", "[]", "\"\\\\\\\\\"",
	};
	for (size_t i = 0; i < sizeof(skips) / sizeof(*skips); i++) {
		char doc[256];
		snprintf(doc, sizeof(doc), "[%s , 1]", skips[i]);
		consort__json_cursor c = {doc, 1, strlen(doc)};
		consort__json_cursor_skip(&c);
		assert_int_equal(c.pos, 1 + strlen(skips[i]));
	}
}

/* ---- rules files ---- */

static void test_load_rules_bare(void **state)
{
	(void)state;
	consort_session *s = load_ok(DATA "good-full.json");
	consort_scoring before = s->scoring;
	consort_error err = {0};
	consort_session *base = load_ok(DATA "good-base.json");
	assert_int_equal(consort_session_load_rules(base, DATA "rules-good.json", &err), 0);
	const consort_rules *r = consort_session_rules(base);
	assert_int_equal(r->has_consortia, 1);
	assert_int_equal(r->consortia.min, 2);
	assert_int_equal(r->consortia.max, 2);
	assert_int_equal(r->group.has_size, 1);
	assert_int_equal(r->group.size.min, 2);
	assert_int_equal(r->group.size.max, 3);
	assert_int_equal(r->group.nsectors, 1);
	assert_int_equal(r->ntogether, 1);
	assert_int_equal(r->together[0].a, index_of(base, "a1"));
	assert_int_equal(r->together[0].b, index_of(base, "f1"));
	assert_int_equal(r->everyone, 0);
	assert_int_equal(r->napart, 0);

	/* Rules replace rules as a whole; scoring stays when the file has none. */
	assert_int_equal(consort_session_load_rules(s, DATA "rules-good.json", &err), 0);
	assert_int_equal(consort_session_rules(s)->group.ncover, 0);
	assert_int_equal(consort_session_rules(s)->napart, 0);
	assert_int_equal(s->scoring.combine, before.combine);
	assert_true(s->scoring.neutral == before.neutral);
	assert_round_trip(s);
	consort_session_free(s);
	consort_session_free(base);
}

static void test_load_rules_wrapped(void **state)
{
	(void)state;
	consort_session *s = load_ok(DATA "good-base.json");
	consort_error err = {0};
	assert_int_equal(consort_session_load_rules(s, DATA "rules-wrapped.json", &err), 0);
	const consort_rules *r = consort_session_rules(s);
	assert_int_equal(r->has_consortia, 1);
	assert_int_equal(r->consortia.min, 1);
	assert_int_equal(r->consortia.max, CONSORT_NO_MAX);
	assert_int_equal(r->group.has_size, 0);
	assert_int_equal(r->napart, 1);
	assert_int_equal(r->nlots, 2);
	assert_string_equal(r->lots[1].name, "B");
	assert_string_equal(r->lots[1].rules.cover[0], "cleaning");
	assert_int_equal(s->scoring.combine, CONSORT_COMBINE_MIN);
	assert_int_equal(s->scoring.has_neutral, 1);
	assert_true(s->scoring.neutral == 2.5);
	assert_int_equal(s->scoring.has_unmet, 0);
	assert_round_trip(s);

	/* A whole session file works as a rules file too. */
	assert_int_equal(consort_session_load_rules(s, DATA "good-base.json", &err), 0);
	assert_int_equal(consort_session_rules(s)->nlots, 0);
	assert_int_equal(consort_session_rules(s)->consortia.min, 2);
	assert_int_equal(s->scoring.combine, CONSORT_COMBINE_MIN); /* the file has no scoring: kept */
	consort_session_free(s);
}

static void test_load_rules_bad(void **state)
{
	(void)state;
	static const bad_case cases[] = {
		{"rules-bad-unknown.json", "together[1][1]: unknown id \"zz\""},
		{"rules-bad-scoring.json", "scoring.neutral: 12 is outside the scale 0..10"},
		{"rules-bad-scoring-only.json", "rules: missing"},
		{"rules-bad-syntax.json", "line 3, column 21: expected ',' or '}'"},
		{"rules-bad-contradiction.json", "rules.apart[0]"},
		{"no-such-rules.json", "no-such-rules.json"},
		{"bad-toplevel.json", "top level"},
	};
	consort_session *s = load_ok(DATA "good-full.json");
	char *before = to_json(s);
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char path[512];
		consort_error err = {0};
		snprintf(path, sizeof(path), "%s%s", DATA, cases[i].file);
		int rc = consort_session_load_rules(s, path, &err);
		if (rc == 0)
			fail_msg("%s: accepted", path);
		assert_int_equal(rc, strncmp(cases[i].file, "no-such", 7) == 0 ? CONSORT_EIO : CONSORT_EINVALID);
		assert_message(err.message, path, cases[i].place);
		char *after = to_json(s);
		assert_string_equal(before, after); /* unchanged */
		free(after);
	}
	/* In memory, with rules that are wrong for this session only. */
	consort_error err = {0};
	const char *text = "{\"rules\": {\"consortia\": 1}, \"scoring\": {\"unmet\": 11}}";
	assert_int_equal(consort_session_parse_rules(s, text, strlen(text), "r.json", &err), CONSORT_EINVALID);
	assert_message(err.message, "r.json: ", "scoring.unmet: 11 is outside the scale 0..10");
	text = "{\"size\": {\"min\": 5, \"max\": 4}}";
	assert_int_equal(consort_session_parse_rules(s, text, strlen(text), "r.json", &err), CONSORT_EINVALID);
	assert_message(err.message, "r.json: ", "size: min 5 is more than max 4");
	text = "";
	assert_int_equal(consort_session_parse_rules(s, text, 0, "r.json", &err), CONSORT_EINVALID);
	assert_message(err.message, "r.json: ", "empty");
	char *after = to_json(s);
	assert_string_equal(before, after);
	free(after);
	free(before);
	consort_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_full),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_size_defaults),
		cmocka_unit_test(test_lots),
		cmocka_unit_test(test_bom_crlf),
		cmocka_unit_test(test_round_trip_files),
		cmocka_unit_test(test_round_trip_built),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_bad_files_all_listed),
		cmocka_unit_test(test_bad_in_memory),
		cmocka_unit_test(test_every_prefix_fails),
		cmocka_unit_test(test_extended_rules_round_trip),
		cmocka_unit_test(test_length_respected),
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_unknown_fields_ignored),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_bad_files_readers_agree),
		cmocka_unit_test(test_rating_key_order),
		cmocka_unit_test(test_rating_extra_keys),
		cmocka_unit_test(test_rating_escaped_ids),
		cmocka_unit_test(test_rating_errors),
		cmocka_unit_test(test_large_session_same_as_tree),
		cmocka_unit_test(test_deep_error_index),
		cmocka_unit_test(test_json_cursor),
		cmocka_unit_test(test_load_rules_bare),
		cmocka_unit_test(test_load_rules_wrapped),
		cmocka_unit_test(test_load_rules_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
