/* consort-session/1 JSON (formats.md section 1): reading sessions and rules files
 * into the session model, with a JSON path in every message, and writing them back. */
#include "session.h"
#include "error.h"
#include "io/fileio.h"
#include "io/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Counts in rules above this are mistakes, not workshops. */
#define SANE_COUNT 1000000

/* Where we are: the file name for messages and the error record. */
typedef struct reader {
	const char *name;
	consort_error *err;
} reader;

#define PATH_KEY(buf, parent, key) consort__json_path_key(buf, sizeof(buf), parent, key)
#define PATH_INDEX(buf, parent, i) consort__json_path_index(buf, sizeof(buf), parent, i)

static int fail(const reader *rd, const char *path, const char *what)
{
	return consort__error(rd->err, CONSORT_EINVALID, "%s: %s: %s", rd->name, path, what);
}

/* The builder's messages name no file or path: add them. */
static int rewrap(const reader *rd, const char *path, int rc)
{
	char msg[CONSORT_ERROR_MAX];
	if (rc == CONSORT_ENOMEM || !rd->err)
		return rc;
	memcpy(msg, rd->err->message, sizeof(msg));
	return consort__error(rd->err, rc, "%s: %s: %s", rd->name, path, msg);
}

/* Member `key` of obj at `path`; *path_out is its path. */
static int member(const cJSON **item, char *path_out, size_t size, const cJSON *obj,
	const char *path, const char *key, const reader *rd)
{
	consort__json_path_key(path_out, size, path, key);
	return consort__json_member(item, obj, key, rd->name, path, rd->err);
}

static int get_string(const char **out, const cJSON *obj, const char *path, const char *key,
	int required, const reader *rd)
{
	char p[CONSORT__JSON_PATH];
	const cJSON *it;
	int rc = member(&it, p, sizeof(p), obj, path, key, rd);
	if (rc < 0)
		return rc;
	if (!it) {
		*out = NULL;
		return required ? fail(rd, p, "missing") : 0;
	}
	return consort__json_want_string(out, it, rd->name, p, rd->err);
}

/* Optional number; *has says whether it was there. */
static int get_number(double *out, int *has, const cJSON *obj, const char *path, const char *key,
	const reader *rd)
{
	char p[CONSORT__JSON_PATH];
	const cJSON *it;
	int rc = member(&it, p, sizeof(p), obj, path, key, rd);
	*has = 0;
	if (rc < 0 || !it)
		return rc;
	*has = 1;
	return consort__json_want_number(out, it, rd->name, p, rd->err);
}

/* Optional integer in lo..SANE_COUNT; *out keeps its value when absent. */
static int get_count(int *out, const cJSON *obj, const char *path, const char *key, int lo,
	const reader *rd)
{
	char p[CONSORT__JSON_PATH];
	const cJSON *it;
	int rc = member(&it, p, sizeof(p), obj, path, key, rd);
	if (rc < 0 || !it)
		return rc;
	return consort__json_want_int(out, it, lo, SANE_COUNT, rd->name, p, rd->err);
}

/* {"min": a, "max": b}, each optional; *r holds the defaults on entry. */
static int read_range(consort_range *r, const cJSON *obj, const char *path, int lo, const reader *rd)
{
	int rc;
	if ((rc = consort__json_want_object(obj, rd->name, path, rd->err)) < 0 ||
	    (rc = get_count(&r->min, obj, path, "min", lo, rd)) < 0 ||
	    (rc = get_count(&r->max, obj, path, "max", 0, rd)) < 0)
		return rc;
	if (r->max != CONSORT_NO_MAX && r->min > r->max) {
		char what[80];
		snprintf(what, sizeof(what), "min %d is more than max %d", r->min, r->max);
		return fail(rd, path, what);
	}
	return 0;
}

/* A list of non-empty words (offers, cover), copied into a new array of n strings. */
static int read_words(char ***out, size_t *n, const cJSON *arr, const char *path, const reader *rd)
{
	int rc;
	char p[CONSORT__JSON_PATH];
	*out = NULL;
	*n = 0;
	if ((rc = consort__json_want_array(arr, rd->name, path, rd->err)) < 0)
		return rc;
	size_t count = (size_t)cJSON_GetArraySize(arr);
	if (count == 0)
		return 0;
	char **words = calloc(count, sizeof(*words));
	if (!words)
		return consort__error_nomem(rd->err);
	size_t i = 0;
	rc = 0;
	for (const cJSON *w = arr->child; w && i < count; w = w->next, i++) {
		const char *s;
		PATH_INDEX(p, path, i);
		if ((rc = consort__json_want_string(&s, w, rd->name, p, rd->err)) < 0)
			break;
		if (!s[0]) {
			rc = fail(rd, p, "empty word");
			break;
		}
		if (!(words[i] = consort__strdup(s))) {
			rc = consort__error_nomem(rd->err);
			break;
		}
	}
	if (rc < 0) {
		for (size_t k = 0; k < count; k++)
			free(words[k]);
		free(words);
		return rc;
	}
	*out = words;
	*n = i;
	return 0;
}

/* ---- participants and ratings ---- */

static int read_participant(consort_session *s, const cJSON *item, const char *path,
	const reader *rd)
{
	const char *id, *name, *sector;
	char p[CONSORT__JSON_PATH], shown[96], what[CONSORT_ERROR_MAX];
	const cJSON *offers;
	int rc;
	if ((rc = consort__json_want_object(item, rd->name, path, rd->err)) < 0 ||
	    (rc = get_string(&id, item, path, "id", 1, rd)) < 0 ||
	    (rc = get_string(&name, item, path, "name", 0, rd)) < 0 ||
	    (rc = get_string(&sector, item, path, "sector", 1, rd)) < 0 ||
	    (rc = member(&offers, p, sizeof(p), item, path, "offers", rd)) < 0)
		return rc;
	PATH_KEY(p, path, "id");
	if (!consort__id_valid(id)) {
		snprintf(what, sizeof(what), "invalid id \"%s\" (1-64 characters of A-Z a-z 0-9 _ . -)",
			consort__json_show(shown, sizeof(shown), id));
		return fail(rd, p, what);
	}
	long first = consort_session_find(s, id);
	if (first >= 0) {
		snprintf(what, sizeof(what), "duplicate id \"%s\" (first at participants[%ld])", id, first);
		return fail(rd, p, what);
	}
	if (!sector[0]) {
		PATH_KEY(p, path, "sector");
		return fail(rd, p, "empty sector");
	}
	char **words = NULL;
	size_t nwords = 0;
	if (offers) {
		PATH_KEY(p, path, "offers");
		if ((rc = read_words(&words, &nwords, offers, p, rd)) < 0)
			return rc;
	}
	rc = consort_session_add_participant(s, id, name, sector, (const char *const *)words, nwords,
		rd->err);
	for (size_t k = 0; k < nwords; k++)
		free(words[k]);
	free(words);
	return rc < 0 ? rewrap(rd, path, rc) : 0;
}

/* An id naming a participant; *index is its index. */
static int known_id(size_t *index, const consort_session *s, const char *id, const char *path,
	const reader *rd)
{
	char shown[96], what[160];
	long i = consort_session_find(s, id);
	if (i < 0) {
		snprintf(what, sizeof(what), "unknown id \"%s\"", consort__json_show(shown, sizeof(shown), id));
		return fail(rd, path, what);
	}
	*index = (size_t)i;
	return 0;
}

/* The checks and the builder call for ratings[i] once its fields are read,
 * whichever reader read them. Paths are only made for messages. */
static int add_rating(consort_session *s, const char *from, const char *to, double score,
	size_t i, const reader *rd)
{
	size_t f, t, k;
	char path[CONSORT__JSON_PATH], p[CONSORT__JSON_PATH], what[CONSORT_ERROR_MAX], a[32], b[32];
	int rc;
	long found = consort_session_find(s, from);
	if (found >= 0) {
		f = (size_t)found;
	} else {
		PATH_INDEX(path, "ratings", i);
		PATH_KEY(p, path, "from");
		return known_id(&f, s, from, p, rd);
	}
	if ((found = consort_session_find(s, to)) >= 0) {
		t = (size_t)found;
	} else {
		PATH_INDEX(path, "ratings", i);
		PATH_KEY(p, path, "to");
		return known_id(&t, s, to, p, rd);
	}
	if (f == t) {
		PATH_INDEX(path, "ratings", i);
		snprintf(what, sizeof(what), "\"%s\" rates itself", from);
		return fail(rd, path, what);
	}
	if (score < s->scale_min || score > s->scale_max) {
		char num[32];
		PATH_INDEX(path, "ratings", i);
		PATH_KEY(p, path, "score");
		snprintf(what, sizeof(what), "%s is outside the scale %s..%s",
			consort__json_number_text(num, sizeof(num), score),
			consort__json_number_text(a, sizeof(a), s->scale_min),
			consort__json_number_text(b, sizeof(b), s->scale_max));
		return fail(rd, p, what);
	}
	/* The builder refuses a pair rated before; looking for it only then saves a
	 * probe of the pair map per rating. */
	rc = consort_session_add_rating(s, from, to, score, rd->err);
	if (rc < 0) {
		PATH_INDEX(path, "ratings", i);
		if (rc == CONSORT_EINVALID && consort__pairmap_get(&s->rated, f, t, &k)) {
			snprintf(what, sizeof(what), "\"%s\" -> \"%s\" is already rated at ratings[%zu]", from, to, k);
			return fail(rd, path, what);
		}
		return rewrap(rd, path, rc);
	}
	return 0;
}

/* ratings[i] from a cJSON tree (the reference reader). */
static int read_rating(consort_session *s, const cJSON *item, size_t i, const reader *rd)
{
	const char *from, *to;
	const cJSON *sc;
	double score;
	char path[CONSORT__JSON_PATH], p[CONSORT__JSON_PATH];
	int rc;
	PATH_INDEX(path, "ratings", i);
	if ((rc = consort__json_want_object(item, rd->name, path, rd->err)) < 0 ||
	    (rc = get_string(&from, item, path, "from", 1, rd)) < 0 ||
	    (rc = get_string(&to, item, path, "to", 1, rd)) < 0 ||
	    (rc = member(&sc, p, sizeof(p), item, path, "score", rd)) < 0)
		return rc;
	if (!sc)
		return fail(rd, p, "missing");
	if ((rc = consort__json_want_number(&score, sc, rd->name, p, rd->err)) < 0)
		return rc;
	return add_rating(s, from, to, score, i, rd);
}

static int read_ratings_tree(consort_session *s, const cJSON *arr, const reader *rd)
{
	int rc;
	if ((rc = consort__json_want_array(arr, rd->name, "ratings", rd->err)) < 0)
		return rc;
	size_t i = 0;
	for (const cJSON *it = arr->child; it; it = it->next, i++)
		if ((rc = read_rating(s, it, i, rd)) < 0)
			return rc;
	return 0;
}

/* ---- ratings straight from the text ---- */

/* A session of 2000 participants has millions of ratings: as a cJSON tree they
 * take gigabytes. So the ratings array is left out of the tree and read here,
 * element by element, from the checked text, with the messages of the tree
 * reader above (read_rating: the same checks in the same order). */

/* What one element said about one of its fields. */
typedef struct field {
	unsigned count;    /* how often the key was given */
	const char *kind;  /* the kind of its first value */
} field;

typedef struct rating_stream {
	consort__json_cursor c;
	char *from, *to, *key; /* decoded strings, reused from element to element */
	size_t from_cap, to_cap, key_cap;
} rating_stream;

static int field_fail(const field *fd, const char *key, const char *want, size_t i, const reader *rd)
{
	char path[CONSORT__JSON_PATH], p[CONSORT__JSON_PATH];
	PATH_INDEX(path, "ratings", i);
	PATH_KEY(p, path, key);
	if (fd->count > 1)
		return consort__error(rd->err, CONSORT_EINVALID, "%s: %s: given twice", rd->name, p);
	if (fd->count == 0)
		return fail(rd, p, "missing");
	return consort__json_expected(want, fd->kind, rd->name, p, rd->err);
}

static int stream_rating(consort_session *s, rating_stream *st, size_t i, const reader *rd)
{
	consort__json_cursor *c = &st->c;
	field from = {0, NULL}, to = {0, NULL}, score = {0, NULL};
	double value = 0;
	if (c->d[c->pos] != '{') {
		char path[CONSORT__JSON_PATH];
		PATH_INDEX(path, "ratings", i);
		return consort__json_expected("an object", consort__json_cursor_kind(c), rd->name, path,
			rd->err);
	}
	c->pos++;
	consort__json_cursor_space(c);
	while (c->pos < c->end && c->d[c->pos] != '}') {
		if (consort__json_cursor_string(c, &st->key, &st->key_cap) < 0)
			return consort__error_nomem(rd->err);
		consort__json_cursor_space(c);
		c->pos++; /* ':' */
		consort__json_cursor_space(c);
		const char *kind = consort__json_cursor_kind(c);
		field *fd = strcmp(st->key, "from") == 0 ? &from : strcmp(st->key, "to") == 0 ? &to :
			strcmp(st->key, "score") == 0 ? &score : NULL;
		if (fd && fd->count++ == 0)
			fd->kind = kind;
		if (fd && fd->count == 1 && fd != &score && c->d[c->pos] == '"') {
			int rc = fd == &from ? consort__json_cursor_string(c, &st->from, &st->from_cap) :
				consort__json_cursor_string(c, &st->to, &st->to_cap);
			if (rc < 0)
				return consort__error_nomem(rd->err);
		} else if (fd == &score && fd->count == 1 && strcmp(kind, "a number") == 0) {
			value = consort__json_cursor_number(c);
		} else {
			consort__json_cursor_skip(c);
		}
		consort__json_cursor_space(c);
		if (c->pos < c->end && c->d[c->pos] == ',') {
			c->pos++;
			consort__json_cursor_space(c);
		}
	}
	c->pos++; /* '}' */
	if (from.count != 1 || strcmp(from.kind, "a string") != 0)
		return field_fail(&from, "from", "a string", i, rd);
	if (to.count != 1 || strcmp(to.kind, "a string") != 0)
		return field_fail(&to, "to", "a string", i, rd);
	if (score.count != 1 || strcmp(score.kind, "a number") != 0)
		return field_fail(&score, "score", "a number", i, rd);
	if (!isfinite(value)) {
		char path[CONSORT__JSON_PATH], p[CONSORT__JSON_PATH];
		PATH_INDEX(path, "ratings", i);
		PATH_KEY(p, path, "score");
		return consort__error(rd->err, CONSORT_EINVALID, "%s: %s: number is too large", rd->name, p);
	}
	return add_rating(s, st->from, st->to, value, i, rd);
}

/* How many elements the checked array at the cursor has. */
static size_t count_elements(consort__json_cursor c)
{
	size_t n = 0;
	c.pos++; /* '[' */
	consort__json_cursor_space(&c);
	while (c.pos < c.end && c.d[c.pos] != ']') {
		consort__json_cursor_skip(&c);
		n++;
		consort__json_cursor_space(&c);
		if (c.pos < c.end && c.d[c.pos] == ',') {
			c.pos++;
			consort__json_cursor_space(&c);
		}
	}
	return n;
}

/* The ratings array at data[span]: checked text, left out of the tree. */
static int read_ratings_stream(consort_session *s, const char *data, consort__json_span span,
	const reader *rd)
{
	rating_stream st;
	memset(&st, 0, sizeof(st));
	st.c.d = data;
	st.c.pos = span.start;
	st.c.end = span.end;
	/* Room for all ratings at once, though never more than the participants can
	 * give (n(n-1)) or valid elements can fit in the text (31 bytes at least):
	 * a long array of junk fails at its first element, not for want of memory. */
	size_t want = count_elements(st.c), n = s->n;
	size_t most = n > 1 && n - 1 <= SIZE_MAX / n ? n * (n - 1) : 0;
	if (want > most)
		want = most;
	if (want > (span.end - span.start) / 31 + 1)
		want = (span.end - span.start) / 31 + 1;
	consort_error ignored;
	(void)consort_session_reserve(s, s->n, want, &ignored); /* only an optimisation */

	int rc = 0;
	consort__json_cursor *c = &st.c;
	c->pos++; /* '[' */
	consort__json_cursor_space(c);
	for (size_t i = 0; c->pos < c->end && c->d[c->pos] != ']'; i++) {
		if ((rc = stream_rating(s, &st, i, rd)) < 0)
			break;
		consort__json_cursor_space(c);
		if (c->pos < c->end && c->d[c->pos] == ',') {
			c->pos++;
			consort__json_cursor_space(c);
		}
	}
	free(st.from);
	free(st.to);
	free(st.key);
	return rc;
}

/* Calls fn on every element of the array at `path`. */
static int each(consort_session *s, const cJSON *arr, const char *path, const reader *rd,
	int (*fn)(consort_session *, const cJSON *, const char *, const reader *))
{
	char p[CONSORT__JSON_PATH];
	int rc;
	if ((rc = consort__json_want_array(arr, rd->name, path, rd->err)) < 0)
		return rc;
	size_t i = 0;
	for (const cJSON *it = arr->child; it; it = it->next, i++) {
		PATH_INDEX(p, path, i);
		if ((rc = fn(s, it, p, rd)) < 0)
			return rc;
	}
	return 0;
}

/* ---- rules ---- */

static int read_sectors(consort_group_rules *g, const cJSON *obj, const char *path, const reader *rd)
{
	char p[CONSORT__JSON_PATH];
	int rc;
	if ((rc = consort__json_want_object(obj, rd->name, path, rd->err)) < 0)
		return rc;
	size_t count = (size_t)cJSON_GetArraySize(obj);
	if (count == 0)
		return 0;
	consort_sector_rule *rules = calloc(count, sizeof(*rules));
	if (!rules)
		return consort__error_nomem(rd->err);
	g->sectors = rules; /* owned by g from here: the caller disposes of it on failure */
	for (const cJSON *it = obj->child; it && g->nsectors < count; it = it->next) {
		const char *sector = it->string ? it->string : "";
		PATH_KEY(p, path, sector);
		if (!sector[0])
			return fail(rd, path, "empty sector name");
		for (size_t j = 0; j < g->nsectors; j++)
			if (strcmp(rules[j].sector, sector) == 0)
				return fail(rd, p, "given twice");
		consort_range r = {0, CONSORT_NO_MAX};
		if ((rc = read_range(&r, it, p, 0, rd)) < 0)
			return rc;
		if (!(rules[g->nsectors].sector = consort__strdup(sector)))
			return consort__error_nomem(rd->err);
		rules[g->nsectors++].count = r;
	}
	return 0;
}

/* size, sectors and cover: the global rules, or a lot's. Lots default their
 * minimum size to 1, so a lot's "max" alone adds no minimum of its own. */
static int read_group(consort_group_rules *g, const cJSON *obj, const char *path, int size_min,
	const reader *rd)
{
	char p[CONSORT__JSON_PATH];
	const cJSON *it;
	int rc;
	if ((rc = member(&it, p, sizeof(p), obj, path, "size", rd)) < 0)
		return rc;
	if (it) {
		consort_range r = {size_min, CONSORT_NO_MAX};
		if ((rc = read_range(&r, it, p, 1, rd)) < 0)
			return rc;
		g->has_size = 1;
		g->size = r;
	}
	if ((rc = member(&it, p, sizeof(p), obj, path, "sectors", rd)) < 0)
		return rc;
	if (it && (rc = read_sectors(g, it, p, rd)) < 0)
		return rc;
	if ((rc = member(&it, p, sizeof(p), obj, path, "cover", rd)) < 0)
		return rc;
	if (it) {
		char **words;
		if ((rc = read_words(&words, &g->ncover, it, p, rd)) < 0)
			return rc;
		g->cover = (const char *const *)words;
	}
	return 0;
}

/* together / apart: a list of two-id lists. */
static int read_pairs(const consort_pair **out, size_t *n, const consort_session *s,
	const cJSON *arr, const char *path, const reader *rd)
{
	char p[CONSORT__JSON_PATH], q[CONSORT__JSON_PATH], what[160];
	int rc;
	if ((rc = consort__json_want_array(arr, rd->name, path, rd->err)) < 0)
		return rc;
	size_t count = (size_t)cJSON_GetArraySize(arr);
	if (count == 0)
		return 0;
	consort_pair *pairs = calloc(count, sizeof(*pairs));
	if (!pairs)
		return consort__error_nomem(rd->err);
	*out = pairs; /* owned by the rules from here */
	for (const cJSON *it = arr->child; it && *n < count; it = it->next) {
		PATH_INDEX(p, path, *n);
		if ((rc = consort__json_want_array(it, rd->name, p, rd->err)) < 0)
			return rc;
		int size = cJSON_GetArraySize(it);
		if (size == 0)
			return fail(rd, p, "names nobody (expected two ids)");
		if (size != 2) {
			snprintf(what, sizeof(what), "expected two ids, found %d", size);
			return fail(rd, p, what);
		}
		size_t idx[2];
		const cJSON *e = it->child;
		for (int k = 0; k < 2; k++, e = e->next) {
			const char *id;
			PATH_INDEX(q, p, (size_t)k);
			if ((rc = consort__json_want_string(&id, e, rd->name, q, rd->err)) < 0 ||
			    (rc = known_id(&idx[k], s, id, q, rd)) < 0)
				return rc;
		}
		if (idx[0] == idx[1]) {
			snprintf(what, sizeof(what), "names \"%s\" twice", s->parts[idx[0]].id);
			return fail(rd, p, what);
		}
		pairs[*n].a = idx[0];
		pairs[*n].b = idx[1];
		(*n)++;
	}
	return 0;
}

static int read_lot(consort_lot *lot, const cJSON *obj, const char *path, const reader *rd)
{
	const char *name;
	char p[CONSORT__JSON_PATH];
	int rc;
	if ((rc = consort__json_want_object(obj, rd->name, path, rd->err)) < 0 ||
	    (rc = get_string(&name, obj, path, "name", 1, rd)) < 0)
		return rc;
	if (!name[0]) {
		PATH_KEY(p, path, "name");
		return fail(rd, p, "empty name");
	}
	if (!(lot->name = consort__strdup(name)))
		return consort__error_nomem(rd->err);
	return read_group(&lot->rules, obj, path, 1, rd);
}

static int read_lots(consort_rules *r, const cJSON *arr, const char *path, const reader *rd)
{
	char p[CONSORT__JSON_PATH], q[CONSORT__JSON_PATH], what[CONSORT_ERROR_MAX];
	int rc;
	if ((rc = consort__json_want_array(arr, rd->name, path, rd->err)) < 0)
		return rc;
	size_t count = (size_t)cJSON_GetArraySize(arr);
	if (count == 0)
		return fail(rd, path, "empty list of lots (leave \"lots\" out for none)");
	consort_lot *lots = calloc(count, sizeof(*lots));
	if (!lots)
		return consort__error_nomem(rd->err);
	r->lots = lots;
	for (const cJSON *it = arr->child; it && r->nlots < count; it = it->next) {
		consort_lot *lot = &lots[r->nlots++]; /* counted now, so disposal sees partial lots */
		lot->rules.size.min = 2;
		lot->rules.size.max = CONSORT_NO_MAX;
		PATH_INDEX(p, path, r->nlots - 1);
		if ((rc = read_lot(lot, it, p, rd)) < 0)
			return rc;
		for (size_t j = 0; j + 1 < r->nlots; j++)
			if (strcmp(lots[j].name, lot->name) == 0) {
				PATH_KEY(q, p, "name");
				snprintf(what, sizeof(what), "\"%s\" is also the name of %s[%zu]", lot->name, path, j);
				return fail(rd, q, what);
			}
	}
	return 0;
}

static int read_consortia(consort_rules *r, const cJSON *it, const char *path, const reader *rd)
{
	int rc;
	if (cJSON_IsNumber(it)) {
		int n;
		if ((rc = consort__json_want_int(&n, it, 0, SANE_COUNT, rd->name, path, rd->err)) < 0)
			return rc;
		r->consortia.min = r->consortia.max = n;
	} else if (cJSON_IsObject(it)) {
		consort_range range = {1, CONSORT_NO_MAX};
		if ((rc = read_range(&range, it, path, 0, rd)) < 0)
			return rc;
		r->consortia = range;
	} else {
		return consort__error(rd->err, CONSORT_EINVALID, "%s: %s: expected a whole number or "
			"{\"min\": a, \"max\": b}, found %s", rd->name, path, consort__json_kind(it));
	}
	r->has_consortia = 1;
	return 0;
}

/* absent: a list of ids, each at most once. */
static int read_absent(consort_rules *r, const consort_session *s, const cJSON *arr, const char *path,
	const reader *rd)
{
	char p[CONSORT__JSON_PATH], what[160];
	int rc;
	if ((rc = consort__json_want_array(arr, rd->name, path, rd->err)) < 0)
		return rc;
	size_t count = (size_t)cJSON_GetArraySize(arr);
	if (count == 0)
		return 0;
	size_t *absent = calloc(count, sizeof(*absent));
	if (!absent)
		return consort__error_nomem(rd->err);
	r->absent = absent; /* owned by the rules from here */
	for (const cJSON *it = arr->child; it && r->nabsent < count; it = it->next) {
		const char *id;
		size_t i = 0;
		PATH_INDEX(p, path, r->nabsent);
		if ((rc = consort__json_want_string(&id, it, rd->name, p, rd->err)) < 0 ||
		    (rc = known_id(&i, s, id, p, rd)) < 0)
			return rc;
		for (size_t j = 0; j < r->nabsent; j++)
			if (absent[j] == i) {
				snprintf(what, sizeof(what), "\"%s\" is listed twice", s->parts[i].id);
				return fail(rd, p, what);
			}
		absent[r->nabsent++] = i;
	}
	return 0;
}

/* fixed: {"ID": "LOT name" | "outside"}; a lot's name wins over "outside". */
static int read_fixed(consort_rules *r, const consort_session *s, const cJSON *obj, const char *path,
	const reader *rd)
{
	char p[CONSORT__JSON_PATH], shown[96], what[200];
	int rc;
	if ((rc = consort__json_want_object(obj, rd->name, path, rd->err)) < 0)
		return rc;
	size_t count = (size_t)cJSON_GetArraySize(obj);
	if (count == 0)
		return 0;
	consort_fixed *fixed = calloc(count, sizeof(*fixed));
	if (!fixed)
		return consort__error_nomem(rd->err);
	r->fixed = fixed;
	for (const cJSON *it = obj->child; it && r->nfixed < count; it = it->next) {
		const char *where;
		consort_fixed fx = {0, -1};
		PATH_KEY(p, path, it->string);
		if ((rc = known_id(&fx.who, s, it->string, p, rd)) < 0 ||
		    (rc = consort__json_want_string(&where, it, rd->name, p, rd->err)) < 0)
			return rc;
		for (size_t g = 0; g < r->nlots && fx.lot < 0; g++)
			if (strcmp(r->lots[g].name, where) == 0)
				fx.lot = (long)g;
		if (fx.lot < 0 && strcmp(where, "outside") != 0) {
			snprintf(what, sizeof(what), r->nlots ? "\"%s\" is neither a lot's name nor \"outside\""
				: "\"%s\" is not \"outside\", and the session has no lots", consort__json_show(shown, sizeof(shown), where));
			return fail(rd, p, what);
		}
		for (size_t j = 0; j < r->nfixed; j++)
			if (fixed[j].who == fx.who)
				return fail(rd, p, "given twice");
		fixed[r->nfixed++] = fx;
	}
	return 0;
}

static int read_objective(consort_objective *out, const cJSON *it, const char *path, const reader *rd)
{
	const char *kind;
	int rc = consort__json_want_string(&kind, it, rd->name, path, rd->err);
	if (rc < 0)
		return rc;
	if (strcmp(kind, "total") == 0)
		*out = CONSORT_OBJECTIVE_TOTAL;
	else if (strcmp(kind, "maxmin") == 0)
		*out = CONSORT_OBJECTIVE_MAXMIN;
	else
		return fail(rd, path, "expected \"total\" or \"maxmin\"");
	return 0;
}

/* min_fit, objective, absent and fixed (after lots: fixed names them). */
static int read_extended(consort_rules *r, const consort_session *s, const cJSON *obj,
	const char *path, const reader *rd)
{
	char p[CONSORT__JSON_PATH];
	const cJSON *it;
	int rc;
	if ((rc = get_number(&r->min_fit, &r->has_min_fit, obj, path, "min_fit", rd)) < 0)
		return rc;
	if ((rc = member(&it, p, sizeof(p), obj, path, "objective", rd)) < 0 ||
	    (it && (rc = read_objective(&r->objective, it, p, rd)) < 0))
		return rc;
	if ((rc = member(&it, p, sizeof(p), obj, path, "absent", rd)) < 0 ||
	    (it && (rc = read_absent(r, s, it, p, rd)) < 0))
		return rc;
	if ((rc = member(&it, p, sizeof(p), obj, path, "fixed", rd)) < 0 ||
	    (it && (rc = read_fixed(r, s, it, p, rd)) < 0))
		return rc;
	return 0;
}

/* Reads a rules object at `path` into r (initialised by the caller; it stays
 * the caller's to dispose of, also on failure) and checks it against s. */
static int read_rules(consort_rules *r, const consort_session *s, const cJSON *obj,
	const char *path, const reader *rd)
{
	char p[CONSORT__JSON_PATH];
	const cJSON *it;
	int rc;
	if ((rc = consort__json_want_object(obj, rd->name, path, rd->err)) < 0)
		return rc;
	if ((rc = member(&it, p, sizeof(p), obj, path, "consortia", rd)) < 0 ||
	    (it && (rc = read_consortia(r, it, p, rd)) < 0))
		return rc;
	if ((rc = read_group(&r->group, obj, path, r->group.size.min, rd)) < 0)
		return rc;
	if ((rc = member(&it, p, sizeof(p), obj, path, "together", rd)) < 0 ||
	    (it && (rc = read_pairs(&r->together, &r->ntogether, s, it, p, rd)) < 0))
		return rc;
	if ((rc = member(&it, p, sizeof(p), obj, path, "apart", rd)) < 0 ||
	    (it && (rc = read_pairs(&r->apart, &r->napart, s, it, p, rd)) < 0))
		return rc;
	if ((rc = member(&it, p, sizeof(p), obj, path, "everyone", rd)) < 0 ||
	    (it && (rc = consort__json_want_bool(&r->everyone, it, rd->name, p, rd->err)) < 0))
		return rc;
	if ((rc = member(&it, p, sizeof(p), obj, path, "lots", rd)) < 0 ||
	    (it && (rc = read_lots(r, it, p, rd)) < 0))
		return rc;
	if ((rc = read_extended(r, s, obj, path, rd)) < 0)
		return rc;
	return consort__rules_validate(r, s, rd->name, rd->err);
}

/* ---- scoring ---- */

static int read_method(int *out, const cJSON *obj, const char *path, const char *key,
	const char *const names[2], const reader *rd)
{
	const char *word;
	char p[CONSORT__JSON_PATH], shown[64], what[160];
	int rc = get_string(&word, obj, path, key, 0, rd);
	if (rc < 0 || !word)
		return rc;
	for (int k = 0; k < 2; k++)
		if (strcmp(word, names[k]) == 0) {
			*out = k;
			return 0;
		}
	PATH_KEY(p, path, key);
	snprintf(what, sizeof(what), "unknown method \"%s\" (expected \"%s\" or \"%s\")",
		consort__json_show(shown, sizeof(shown), word), names[0], names[1]);
	return fail(rd, p, what);
}

static int inside_scale(double v, double smin, double smax, const char *path, const char *key,
	const reader *rd)
{
	char p[CONSORT__JSON_PATH], what[160], a[32], b[32], c[32];
	if (v >= smin && v <= smax)
		return 0;
	PATH_KEY(p, path, key);
	snprintf(what, sizeof(what), "%s is outside the scale %s..%s",
		consort__json_number_text(a, sizeof(a), v), consort__json_number_text(b, sizeof(b), smin),
		consort__json_number_text(c, sizeof(c), smax));
	return fail(rd, p, what);
}

static int read_scoring(consort_scoring *sc, const cJSON *obj, double smin, double smax,
	const char *path, const reader *rd)
{
	static const char *const combine[2] = {"mean", "min"};
	static const char *const normalize[2] = {"none", "rater"};
	int rc, m;
	memset(sc, 0, sizeof(*sc));
	sc->combine = CONSORT_COMBINE_MEAN;
	sc->normalize = CONSORT_NORMALIZE_NONE;
	if ((rc = consort__json_want_object(obj, rd->name, path, rd->err)) < 0)
		return rc;
	m = 0;
	if ((rc = read_method(&m, obj, path, "combine", combine, rd)) < 0)
		return rc;
	sc->combine = m ? CONSORT_COMBINE_MIN : CONSORT_COMBINE_MEAN;
	m = 0;
	if ((rc = read_method(&m, obj, path, "normalize", normalize, rd)) < 0)
		return rc;
	sc->normalize = m ? CONSORT_NORMALIZE_RATER : CONSORT_NORMALIZE_NONE;
	if ((rc = get_number(&sc->neutral, &sc->has_neutral, obj, path, "neutral", rd)) < 0 ||
	    (sc->has_neutral && (rc = inside_scale(sc->neutral, smin, smax, path, "neutral", rd)) < 0))
		return rc;
	if ((rc = get_number(&sc->unmet, &sc->has_unmet, obj, path, "unmet", rd)) < 0 ||
	    (sc->has_unmet && (rc = inside_scale(sc->unmet, smin, smax, path, "unmet", rd)) < 0))
		return rc;
	return consort__scoring_validate(sc, smin, smax, rd->name, path, rd->err);
}

/* ---- the session ---- */

static int read_format(const cJSON *root, const reader *rd)
{
	const char *format;
	char shown[64], what[160];
	int rc = get_string(&format, root, "", "format", 0, rd);
	if (rc < 0)
		return rc;
	if (!format)
		return fail(rd, "format", "missing (expected \"" CONSORT_SESSION_FORMAT "\")");
	if (strcmp(format, CONSORT_SESSION_FORMAT) != 0) {
		snprintf(what, sizeof(what), "\"%s\" is not \"" CONSORT_SESSION_FORMAT "\"",
			consort__json_show(shown, sizeof(shown), format));
		return fail(rd, "format", what);
	}
	return 0;
}

static int read_scale(consort_session *s, const cJSON *root, const reader *rd)
{
	const cJSON *it;
	char p[CONSORT__JSON_PATH], what[160], a[32], b[32];
	double min = 1, max = 5;
	int has, rc;
	if ((rc = member(&it, p, sizeof(p), root, "", "scale", rd)) < 0 || !it)
		return rc;
	if ((rc = consort__json_want_object(it, rd->name, p, rd->err)) < 0 ||
	    (rc = get_number(&min, &has, it, p, "min", rd)) < 0 ||
	    (rc = get_number(&max, &has, it, p, "max", rd)) < 0)
		return rc;
	if (!(min < max)) {
		snprintf(what, sizeof(what), "min %s must be less than max %s",
			consort__json_number_text(a, sizeof(a), min), consort__json_number_text(b, sizeof(b), max));
		return fail(rd, p, what);
	}
	rc = consort_session_set_scale(s, min, max, rd->err);
	return rc < 0 ? rewrap(rd, p, rc) : 0;
}

/* The session in root; the ratings from the text at data[*lifted] when they
 * were left out of the tree (lifted is NULL when they are in it). */
static int read_session(consort_session *s, const cJSON *root, const char *data,
	const consort__json_span *lifted, const reader *rd)
{
	const char *title;
	const cJSON *it;
	char p[CONSORT__JSON_PATH];
	int rc;
	if (!cJSON_IsObject(root))
		return consort__error(rd->err, CONSORT_EINVALID, "%s: expected an object at the top level, found %s",
			rd->name, consort__json_kind(root));
	if ((rc = read_format(root, rd)) < 0 ||
	    (rc = get_string(&title, root, "", "title", 0, rd)) < 0)
		return rc;
	if (title && (rc = consort_session_set_title(s, title, rd->err)) < 0)
		return rc;
	if ((rc = read_scale(s, root, rd)) < 0)
		return rc;
	if ((rc = member(&it, p, sizeof(p), root, "", "participants", rd)) < 0)
		return rc;
	if (!it)
		return fail(rd, "participants", "missing");
	if ((rc = each(s, it, p, rd, read_participant)) < 0)
		return rc;
	if ((rc = member(&it, p, sizeof(p), root, "", "ratings", rd)) < 0)
		return rc;
	/* Given once, so the one left out of the tree is the one found. */
	if (it && lifted && (rc = read_ratings_stream(s, data, *lifted, rd)) < 0)
		return rc;
	if (it && !lifted && (rc = read_ratings_tree(s, it, rd)) < 0)
		return rc;
	if ((rc = member(&it, p, sizeof(p), root, "", "rules", rd)) < 0)
		return rc;
	if (it) {
		consort_rules r;
		consort__rules_init(&r);
		if ((rc = read_rules(&r, s, it, p, rd)) < 0) {
			consort__rules_dispose(&r);
			return rc;
		}
		consort__session_take_rules(s, &r);
	}
	if ((rc = member(&it, p, sizeof(p), root, "", "scoring", rd)) < 0)
		return rc;
	if (it && (rc = read_scoring(&s->scoring, it, s->scale_min, s->scale_max, p, rd)) < 0)
		return rc;
	return 0;
}

/* consort_session_parse, with the ratings read from the text (stream) or
 * from a cJSON tree of the whole document. */
static int parse_session(consort_session **out, const char *data, size_t len, const char *name,
	int stream, consort_error *err)
{
	reader rd = {name ? name : "session", err};
	cJSON *root;
	consort_session *s;
	consort__json_span span;
	size_t nlifted = 0;
	*out = NULL;
	int rc = stream ? consort__json_parse_lifted(&root, &nlifted, &span, data, len, "ratings", rd.name, err) :
		consort__json_parse(&root, data, len, rd.name, err);
	if (rc < 0)
		return rc;
	if ((rc = consort_session_new(&s, err)) < 0) {
		cJSON_Delete(root);
		return rc;
	}
	/* Several lifted means "ratings" is given twice, which read_session reports. */
	rc = read_session(s, root, data, nlifted == 1 ? &span : NULL, &rd);
	cJSON_Delete(root);
	if (rc < 0) {
		consort_session_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int consort_session_parse(consort_session **out, const char *data, size_t len,
	const char *name, consort_error *err)
{
	return parse_session(out, data, len, name, 1, err);
}

int consort__session_parse_tree(consort_session **out, const char *data, size_t len,
	const char *name, consort_error *err)
{
	return parse_session(out, data, len, name, 0, err);
}

int consort_session_load(consort_session **out, const char *path, consort_error *err)
{
	char *data;
	size_t len;
	*out = NULL;
	int rc = consort__file_read(&data, &len, path, err);
	if (rc < 0)
		return rc;
	rc = consort_session_parse(out, data, len, path, err);
	free(data);
	return rc;
}

/* ---- rules files ---- */

int consort_session_parse_rules(consort_session *s, const char *data, size_t len,
	const char *name, consort_error *err)
{
	reader rd = {name ? name : "rules", err};
	const cJSON *rules, *scoring = NULL;
	char rpath[CONSORT__JSON_PATH] = "", spath[CONSORT__JSON_PATH] = "";
	consort_scoring sc = s->scoring;
	consort_rules r;
	cJSON *root;
	int rc = consort__json_parse(&root, data, len, rd.name, err);
	if (rc < 0)
		return rc;
	consort__rules_init(&r);
	if (!cJSON_IsObject(root)) {
		rc = consort__error(err, CONSORT_EINVALID, "%s: expected an object at the top level, found %s",
			rd.name, consort__json_kind(root));
		goto done;
	}
	/* {"rules": ..., "scoring": ...} (a whole session file works too), or bare rules.
	 * A rules object has neither key, so "scoring" alone means the wrapped form
	 * with "rules" missing rather than rules that forgot everything. */
	if ((rc = member(&rules, rpath, sizeof(rpath), root, "", "rules", &rd)) < 0 ||
	    (rc = member(&scoring, spath, sizeof(spath), root, "", "scoring", &rd)) < 0)
		goto done;
	if (!rules && scoring) {
		rc = fail(&rd, "rules", "missing");
		goto done;
	}
	if (!rules) {
		rules = root;
		rpath[0] = '\0';
	}
	if ((rc = read_rules(&r, s, rules, rpath, &rd)) < 0)
		goto done;
	if (scoring && (rc = read_scoring(&sc, scoring, s->scale_min, s->scale_max, spath, &rd)) < 0)
		goto done;
	consort__session_take_rules(s, &r);
	s->scoring = sc;
done:
	consort__rules_dispose(&r);
	cJSON_Delete(root);
	return rc;
}

int consort_session_load_rules(consort_session *s, const char *path, consort_error *err)
{
	char *data;
	size_t len;
	int rc = consort__file_read(&data, &len, path, err);
	if (rc < 0)
		return rc;
	rc = consort_session_parse_rules(s, data, len, path, err);
	free(data);
	return rc;
}

/* ---- writing ---- */

/* Adds item to parent (to an object under key, to an array when key is NULL).
 * Any failure sets *ok to 0 and frees item, so callers check *ok once at the end. */
static cJSON *add(cJSON *parent, const char *key, cJSON *item, int *ok)
{
	if (item && parent &&
	    (key ? cJSON_AddItemToObject(parent, key, item) : cJSON_AddItemToArray(parent, item)))
		return item;
	cJSON_Delete(item);
	*ok = 0;
	return NULL;
}

static void add_range(cJSON *parent, const char *key, consort_range r, int always_min, int *ok)
{
	cJSON *o = add(parent, key, cJSON_CreateObject(), ok);
	if (always_min || r.min != 0)
		add(o, "min", cJSON_CreateNumber(r.min), ok);
	if (r.max != CONSORT_NO_MAX)
		add(o, "max", cJSON_CreateNumber(r.max), ok);
}

static void add_words(cJSON *parent, const char *key, const char *const *words, size_t n, int *ok)
{
	cJSON *a = add(parent, key, cJSON_CreateArray(), ok);
	for (size_t i = 0; i < n; i++)
		add(a, NULL, cJSON_CreateString(words[i]), ok);
}

static void add_group(cJSON *parent, const consort_group_rules *g, int *ok)
{
	if (g->has_size)
		add_range(parent, "size", g->size, 1, ok);
	if (g->nsectors) {
		cJSON *o = add(parent, "sectors", cJSON_CreateObject(), ok);
		for (size_t i = 0; i < g->nsectors; i++)
			add_range(o, g->sectors[i].sector, g->sectors[i].count, 0, ok);
	}
	if (g->ncover)
		add_words(parent, "cover", g->cover, g->ncover, ok);
}

static void add_pairs(cJSON *parent, const char *key, const consort_session *s,
	const consort_pair *pairs, size_t n, int *ok)
{
	if (!n)
		return;
	cJSON *a = add(parent, key, cJSON_CreateArray(), ok);
	for (size_t i = 0; i < n; i++) {
		cJSON *pair = add(a, NULL, cJSON_CreateArray(), ok);
		add(pair, NULL, cJSON_CreateString(s->parts[pairs[i].a].id), ok);
		add(pair, NULL, cJSON_CreateString(s->parts[pairs[i].b].id), ok);
	}
}

static void add_rules(cJSON *root, const consort_session *s, int *ok)
{
	const consort_rules *r = &s->rules;
	cJSON *o = add(root, "rules", cJSON_CreateObject(), ok);
	if (r->has_consortia) {
		if (r->consortia.min == r->consortia.max)
			add(o, "consortia", cJSON_CreateNumber(r->consortia.min), ok);
		else
			add_range(o, "consortia", r->consortia, 1, ok);
	}
	add_group(o, &r->group, ok);
	add_pairs(o, "together", s, r->together, r->ntogether, ok);
	add_pairs(o, "apart", s, r->apart, r->napart, ok);
	if (!r->everyone)
		add(o, "everyone", cJSON_CreateFalse(), ok);
	if (r->nlots) {
		cJSON *lots = add(o, "lots", cJSON_CreateArray(), ok);
		for (size_t i = 0; i < r->nlots; i++) {
			cJSON *lot = add(lots, NULL, cJSON_CreateObject(), ok);
			add(lot, "name", cJSON_CreateString(r->lots[i].name), ok);
			add_group(lot, &r->lots[i].rules, ok);
		}
	}
	if (r->has_min_fit)
		add(o, "min_fit", cJSON_CreateNumber(r->min_fit), ok);
	if (r->objective == CONSORT_OBJECTIVE_MAXMIN)
		add(o, "objective", cJSON_CreateString("maxmin"), ok);
	if (r->nabsent) {
		cJSON *a = add(o, "absent", cJSON_CreateArray(), ok);
		for (size_t i = 0; i < r->nabsent; i++)
			add(a, NULL, cJSON_CreateString(s->parts[r->absent[i]].id), ok);
	}
	if (r->nfixed) {
		cJSON *f = add(o, "fixed", cJSON_CreateObject(), ok);
		for (size_t i = 0; i < r->nfixed; i++)
			add(f, s->parts[r->fixed[i].who].id, cJSON_CreateString(r->fixed[i].lot >= 0
				? r->lots[r->fixed[i].lot].name : "outside"), ok);
	}
}

static void add_scoring(cJSON *root, const consort_scoring *sc, int *ok)
{
	cJSON *o = add(root, "scoring", cJSON_CreateObject(), ok);
	if (sc->combine == CONSORT_COMBINE_MIN)
		add(o, "combine", cJSON_CreateString("min"), ok);
	if (sc->has_neutral)
		add(o, "neutral", cJSON_CreateNumber(sc->neutral), ok);
	if (sc->has_unmet)
		add(o, "unmet", cJSON_CreateNumber(sc->unmet), ok);
	if (sc->normalize == CONSORT_NORMALIZE_RATER)
		add(o, "normalize", cJSON_CreateString("rater"), ok);
}

static void add_participants(cJSON *root, const consort_session *s, int *ok)
{
	cJSON *a = add(root, "participants", cJSON_CreateArray(), ok);
	for (size_t i = 0; i < s->n; i++) {
		const consort_participant *p = &s->parts[i];
		cJSON *o = add(a, NULL, cJSON_CreateObject(), ok);
		add(o, "id", cJSON_CreateString(p->id), ok);
		if (p->name && strcmp(p->name, p->id) != 0)
			add(o, "name", cJSON_CreateString(p->name), ok);
		add(o, "sector", cJSON_CreateString(p->sector), ok);
		if (p->noffers)
			add_words(o, "offers", p->offers, p->noffers, ok);
	}
}

/* The ratings are written as text straight from the session, one per line in
 * the printer's layout: a cJSON tree of millions of ratings (simulated or
 * benchmark sessions) would take gigabytes. Ids need no escaping (their
 * characters are A-Z a-z 0-9 _ . -). */
static char *ratings_text(const consort_session *s, size_t *len)
{
	size_t cap = 64 + s->nratings * (2 * CONSORT_ID_MAX + 48), at = 0;
	char *buf = malloc(cap);
	if (!buf)
		return NULL;
	at += (size_t)snprintf(buf, cap, "[");
	for (size_t k = 0; k < s->nratings; k++) {
		const consort_rating *r = &s->ratings[k];
		char num[64];
		at += (size_t)snprintf(buf + at, cap - at, "%s\n    {\"from\": \"%s\", \"to\": \"%s\", \"score\": %s}",
			k ? "," : "", s->parts[r->from].id, s->parts[r->to].id,
			consort__json_number_text(num, sizeof(num), r->score));
	}
	at += (size_t)snprintf(buf + at, cap - at, "%s]", s->nratings ? "\n  " : "");
	*len = at;
	return buf;
}

/* Replaces the placeholder `"ratings": []` of the printed document with the text. */
static int splice_ratings(char **doc, const consort_session *s, consort_error *err)
{
	static const char mark[] = "\n  \"ratings\": []";
	char *at = strstr(*doc, mark);
	if (!at)
		return consort__error(err, CONSORT_EINTERNAL, "session writer: ratings placeholder not found");
	size_t rlen;
	char *ratings = ratings_text(s, &rlen);
	if (!ratings)
		return consort__error_nomem(err);
	size_t head = (size_t)(at - *doc) + sizeof(mark) - 3; /* up to and without "[]" */
	size_t tail = strlen(at + sizeof(mark) - 1);
	char *out = malloc(head + rlen + tail + 1);
	if (!out) {
		free(ratings);
		return consort__error_nomem(err);
	}
	memcpy(out, *doc, head);
	memcpy(out + head, ratings, rlen);
	memcpy(out + head + rlen, at + sizeof(mark) - 1, tail + 1);
	free(ratings);
	free(*doc);
	*doc = out;
	return 0;
}

int consort_session_to_json(char **out, const consort_session *s, consort_error *err)
{
	int ok = 1;
	*out = NULL;
	cJSON *root = cJSON_CreateObject();
	if (!root)
		return consort__error_nomem(err);
	add(root, "format", cJSON_CreateString(CONSORT_SESSION_FORMAT), &ok);
	if (s->title)
		add(root, "title", cJSON_CreateString(s->title), &ok);
	cJSON *scale = add(root, "scale", cJSON_CreateObject(), &ok);
	add(scale, "min", cJSON_CreateNumber(s->scale_min), &ok);
	add(scale, "max", cJSON_CreateNumber(s->scale_max), &ok);
	add_participants(root, s, &ok);
	add(root, "ratings", cJSON_CreateArray(), &ok);
	add_rules(root, s, &ok);
	add_scoring(root, &s->scoring, &ok);
	int rc = ok ? consort__json_print(out, root, err) : consort__error_nomem(err);
	cJSON_Delete(root);
	if (rc == 0 && (rc = splice_ratings(out, s, err)) < 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}
