/* The JSON API of consort serve (documented in README.md, "Live workshop"):
 * the facilitator's endpoints, the participants' /api/me, and the route table. */
#include "http.h"
#include "qr.h"
#include "store.h"
#include "util.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SECTOR_MAX 128
#define MISSING_MAX 500

/* Schedule settings as stored under "schedule" (PUT /api/schedule/settings). */
typedef struct sched_settings {
	int tables; /* CONSORT_NO_MAX: as many as fit */
	int has_cross;
	char cross_a[SECTOR_MAX + 1], cross_b[SECTOR_MAX + 1];
	int minutes, changeover;
	int start; /* minutes after midnight, or -1 */
} sched_settings;

/* The running round as stored under "round" (POST /api/round). */
typedef struct round_state {
	int round; /* 1-based; 0: no schedule running */
	char started_at[48]; /* "" when unknown */
} round_state;

/* The workshop's participants with their schedule, rebuilt only when the
 * store's generation changes: participants' pages ask for it at every rating. */
typedef struct plan {
	int refs;
	unsigned long gen;
	consort_session *s;    /* participants and rules, no ratings */
	consort_schedule *sch; /* NULL when no schedule can be built (see sch_err) */
	char sch_err[CONSORT_ERROR_MAX];
	sched_settings ss;
	round_state rd;
} plan;

struct consort__api {
	consort__store *store;
	/* GLPK keeps global state per thread and is not safe to run twice at
	 * once in one environment: solves run one at a time, and the thread's
	 * GLPK environment is freed after each (connection threads come and go). */
	pthread_mutex_t solve_lock;
	pthread_mutex_t plan_lock;
	plan *plan;
};

/* ---- small helpers ---- */

/* A JSON array of n strings; [] when n is 0 (where cJSON_CreateStringArray gives NULL). */
static cJSON *string_array(const char *const *list, size_t n)
{
	return n ? cJSON_CreateStringArray(list, (int)n) : cJSON_CreateArray();
}

static const cJSON *field(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* 0 when v is a whole number within lo..hi (stored in *out). */
static int json_int(const cJSON *v, int lo, int hi, int *out)
{
	if (!cJSON_IsNumber(v))
		return -1;
	double d = v->valuedouble;
	if (!isfinite(d) || d != floor(d) || d < lo || d > hi)
		return -1;
	*out = (int)d;
	return 0;
}

static int parse_digits(const char *s, size_t n, int lo, int hi, int *out)
{
	if (n == 0 || n > 9)
		return -1;
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* "H:MM" or "HH:MM" as minutes after midnight. */
static int parse_clock(const char *text, int *out)
{
	const char *colon = strchr(text, ':');
	int h, m;
	if (!colon || parse_digits(text, (size_t)(colon - text), 0, 23, &h) < 0 || colon - text > 2 ||
	    strlen(colon + 1) != 2 || parse_digits(colon + 1, 2, 0, 59, &m) < 0)
		return -1;
	*out = h * 60 + m;
	return 0;
}

/* 1 when the JSON text has a \u0000 escape, which cJSON would silently cut
 * a string at. */
static int has_nul_escape(const char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (s[i] != '\\')
			continue;
		if (s[i + 1] == 'u' && i + 5 < len && memcmp(s + i + 2, "0000", 4) == 0)
			return 1;
		i++; /* skip the escaped character */
	}
	return 0;
}

/* The body as a JSON object, or NULL after a 400 response. */
static cJSON *parse_body(const consort__request *rq, consort__response *rs)
{
	if (!rq->len) {
		consort__respond_error(rs, 400, "body: empty, expected a JSON object");
		return NULL;
	}
	if (!consort__srv_utf8_valid(rq->body, rq->len)) {
		consort__respond_error(rs, 400, "body: not valid UTF-8 text");
		return NULL;
	}
	if (has_nul_escape(rq->body, rq->len)) {
		consort__respond_error(rs, 400, "body: \\u0000 is not allowed in a string");
		return NULL;
	}
	const char *end = NULL;
	cJSON *doc = cJSON_ParseWithLengthOpts(rq->body, rq->len, &end, 0);
	if (!doc) {
		size_t at = end && end >= rq->body ? (size_t)(end - rq->body) : 0;
		int line = 1, col = 1;
		for (size_t i = 0; i < at && i < rq->len; i++, col++)
			if (rq->body[i] == '\n')
				line++, col = 0;
		consort__respond_error(rs, 400, "body:%d:%d: malformed JSON", line, col);
		return NULL;
	}
	size_t used = (size_t)(end - rq->body);
	while (used < rq->len && strchr(" \t\r\n", rq->body[used]))
		used++;
	if (used < rq->len) {
		cJSON_Delete(doc);
		consort__respond_error(rs, 400, "body: text after the JSON value");
		return NULL;
	}
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		consort__respond_error(rs, 400, "body: expected a JSON object");
		return NULL;
	}
	return doc;
}

/* A write that takes a JSON body: parsed (a 400 when it is not an object), then
 * applied under the store's admin lock. */
static void locked_body_write(consort__api *api, const consort__request *rq, consort__response *rs,
	void (*apply)(consort__api *api, const cJSON *body, consort__response *rs))
{
	cJSON *body = parse_body(rq, rs);
	if (!body)
		return;
	consort__store_admin_lock(api->store);
	apply(api, body, rs);
	consort__store_admin_unlock(api->store);
	cJSON_Delete(body);
}

/* A string member: 0 with *out set (NULL when absent/null and optional), or
 * -1 after a 400 response. */
static int get_string(consort__response *rs, const cJSON *o, const char *key, int required,
	const char **out)
{
	const cJSON *v = field(o, key);
	*out = NULL;
	if (!v || cJSON_IsNull(v)) {
		if (!required)
			return 0;
		consort__respond_error(rs, 400, "%s: missing", key);
		return -1;
	}
	if (!cJSON_IsString(v)) {
		consort__respond_error(rs, 400, "%s: expected a string", key);
		return -1;
	}
	*out = v->valuestring;
	return 0;
}

/* A score member: 0 with *has (0 for null) and *score, or -1 after a 400. */
static int get_score(consort__response *rs, const cJSON *o, int *has, double *score)
{
	const cJSON *v = field(o, "score");
	if (!v) {
		consort__respond_error(rs, 400, "score: missing (a number, or null to delete the rating)");
		return -1;
	}
	if (cJSON_IsNull(v)) {
		*has = 0;
		*score = 0;
		return 0;
	}
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) {
		consort__respond_error(rs, 400, "score: expected a number, or null to delete the rating");
		return -1;
	}
	*has = 1;
	*score = v->valuedouble;
	return 0;
}

static void respond_store(consort__response *rs, int status, const consort_error *err)
{
	consort__respond_error(rs, status, "%s", err->message[0] ? err->message : "storage failed");
}

/* Replies with a JSON document held as text (taking it). */
static void respond_text_json(consort__response *rs, int status, char *text)
{
	if (!text) {
		consort__respond_error(rs, 500, "out of memory");
		return;
	}
	consort__respond_body(rs, status, "application/json", text, strlen(text));
}

static int load_session(consort__api *api, consort__response *rs, consort_session **s, int ratings)
{
	consort_error err;
	consort_error_clear(&err);
	int rc = consort__store_load(api->store, s, ratings, &err);
	if (rc)
		respond_store(rs, rc, &err);
	return rc;
}

/* ---- schedule settings and the running round ---- */

static void settings_default(sched_settings *ss)
{
	memset(ss, 0, sizeof(*ss));
	ss->tables = CONSORT_NO_MAX;
	ss->minutes = 5;
	ss->changeover = 1;
	ss->start = -1;
}

/* Reads settings from a JSON object; 0, or -1 with a message in msg. */
static int settings_from_json(sched_settings *ss, const cJSON *o, char *msg, size_t msgsz)
{
	settings_default(ss);
	const cJSON *v;
	if ((v = field(o, "tables")) && !cJSON_IsNull(v) && json_int(v, 1, 1000000, &ss->tables) < 0) {
		snprintf(msg, msgsz, "tables: expected a whole number of at least 1, or null");
		return -1;
	}
	if ((v = field(o, "cross")) && !cJSON_IsNull(v)) {
		const cJSON *a = cJSON_GetArrayItem(v, 0), *b = cJSON_GetArrayItem(v, 1);
		if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2 || !cJSON_IsString(a) ||
		    !cJSON_IsString(b) || !a->valuestring[0] || !b->valuestring[0] ||
		    strlen(a->valuestring) > SECTOR_MAX || strlen(b->valuestring) > SECTOR_MAX) {
			snprintf(msg, msgsz, "cross: expected two sectors, e.g. [\"association\", \"firm\"], or null");
			return -1;
		}
		ss->has_cross = 1;
		snprintf(ss->cross_a, sizeof(ss->cross_a), "%s", a->valuestring);
		snprintf(ss->cross_b, sizeof(ss->cross_b), "%s", b->valuestring);
	}
	if ((v = field(o, "minutes")) && json_int(v, 1, 1440, &ss->minutes) < 0) {
		snprintf(msg, msgsz, "minutes: expected a whole number 1..1440");
		return -1;
	}
	if ((v = field(o, "changeover")) && json_int(v, 0, 1440, &ss->changeover) < 0) {
		snprintf(msg, msgsz, "changeover: expected a whole number 0..1440");
		return -1;
	}
	if ((v = field(o, "start")) && !cJSON_IsNull(v) &&
	    (!cJSON_IsString(v) || parse_clock(v->valuestring, &ss->start) < 0)) {
		snprintf(msg, msgsz, "start: expected a clock time \"HH:MM\", or null");
		return -1;
	}
	return 0;
}

static cJSON *settings_to_json(const sched_settings *ss)
{
	cJSON *o = cJSON_CreateObject();
	if (ss->tables == CONSORT_NO_MAX)
		cJSON_AddNullToObject(o, "tables");
	else
		cJSON_AddNumberToObject(o, "tables", ss->tables);
	if (ss->has_cross) {
		const char *pair[2] = {ss->cross_a, ss->cross_b};
		cJSON_AddItemToObject(o, "cross", cJSON_CreateStringArray(pair, 2));
	} else {
		cJSON_AddNullToObject(o, "cross");
	}
	cJSON_AddNumberToObject(o, "minutes", ss->minutes);
	cJSON_AddNumberToObject(o, "changeover", ss->changeover);
	if (ss->start >= 0) {
		char clock[8];
		snprintf(clock, sizeof(clock), "%02d:%02d", ss->start / 60 % 24, ss->start % 60);
		cJSON_AddStringToObject(o, "start", clock);
	} else {
		cJSON_AddNullToObject(o, "start");
	}
	return o;
}

static void settings_to_options(const sched_settings *ss, consort_schedule_options *o)
{
	consort_schedule_options_init(o);
	o->tables = ss->tables;
	o->minutes = ss->minutes;
	o->changeover = ss->changeover;
	o->start = ss->start;
	if (ss->has_cross) {
		o->cross_a = ss->cross_a;
		o->cross_b = ss->cross_b;
	}
}

static void add_round(cJSON *o, const round_state *rd)
{
	if (rd->round > 0)
		cJSON_AddNumberToObject(o, "round", rd->round);
	else
		cJSON_AddNullToObject(o, "round");
	if (rd->started_at[0])
		cJSON_AddStringToObject(o, "started_at", rd->started_at);
	else
		cJSON_AddNullToObject(o, "started_at");
}

/* The stored settings and round; defaults for what is missing. */
static void load_settings(consort__store *st, sched_settings *ss, round_state *rd)
{
	char *text = NULL;
	char msg[160];
	settings_default(ss);
	memset(rd, 0, sizeof(*rd));
	if (consort__store_get(st, "schedule", &text, NULL) == 0) {
		cJSON *o = cJSON_Parse(text);
		if (!cJSON_IsObject(o) || settings_from_json(ss, o, msg, sizeof(msg)) < 0)
			settings_default(ss);
		cJSON_Delete(o);
	}
	free(text);
	text = NULL;
	if (consort__store_get(st, "round", &text, NULL) == 0) {
		cJSON *o = cJSON_Parse(text);
		int r;
		if (json_int(field(o, "round"), 1, 1000000, &r) == 0)
			rd->round = r;
		const cJSON *at = field(o, "started_at");
		if (cJSON_IsString(at))
			snprintf(rd->started_at, sizeof(rd->started_at), "%s", at->valuestring);
		cJSON_Delete(o);
	}
	free(text);
}

/* ---- the cached plan ---- */

static void plan_free(plan *pl)
{
	if (!pl)
		return;
	consort_schedule_free(pl->sch);
	consort_session_free(pl->s);
	free(pl);
}

static void plan_put(consort__api *api, plan *pl)
{
	if (!pl)
		return;
	pthread_mutex_lock(&api->plan_lock);
	int last = --pl->refs == 0;
	pthread_mutex_unlock(&api->plan_lock);
	if (last)
		plan_free(pl);
}

/* The current plan (shared, read-only; give it back with plan_put), or NULL
 * after an error response. */
static plan *plan_get(consort__api *api, consort__response *rs)
{
	pthread_mutex_lock(&api->plan_lock);
	unsigned long gen = consort__store_generation(api->store);
	plan *pl = api->plan;
	if (pl && pl->gen == gen) {
		pl->refs++;
		pthread_mutex_unlock(&api->plan_lock);
		return pl;
	}
	consort_error err;
	consort_error_clear(&err);
	pl = calloc(1, sizeof(*pl));
	if (!pl) {
		pthread_mutex_unlock(&api->plan_lock);
		consort__respond_error(rs, 500, "out of memory");
		return NULL;
	}
	pl->gen = gen;
	load_settings(api->store, &pl->ss, &pl->rd);
	int rc = consort__store_load(api->store, &pl->s, 0, &err);
	if (rc) {
		pthread_mutex_unlock(&api->plan_lock);
		free(pl);
		respond_store(rs, rc, &err);
		return NULL;
	}
	consort_schedule_options o;
	settings_to_options(&pl->ss, &o);
	if (consort_schedule_build(&pl->sch, pl->s, &o, &err) < 0) {
		pl->sch = NULL;
		snprintf(pl->sch_err, sizeof(pl->sch_err), "%s", err.message);
	}
	plan *old = api->plan;
	api->plan = pl;
	pl->refs = 2; /* the cache's and the caller's */
	int free_old = old && --old->refs == 0;
	pthread_mutex_unlock(&api->plan_lock);
	if (free_old)
		plan_free(old);
	return pl;
}

/* 1 when participant i meets j in the schedule, counting only rounds up to
 * `upto` (1-based) when upto > 0. Without a schedule everyone meets everyone. */
static int meets(const consort_schedule *sch, size_t i, size_t j, int upto)
{
	if (i == j)
		return 0;
	if (!sch)
		return 1;
	size_t rounds = consort_schedule_round_count(sch);
	if (upto > 0 && (size_t)upto < rounds)
		rounds = (size_t)upto;
	for (size_t r = 0; r < rounds; r++) {
		consort_schedule_seat seat = consort_schedule_itinerary(sch, i, r);
		if (seat.seated && seat.partner == j)
			return 1;
	}
	return 0;
}

/* row[j] = 1 for every partner j of participant i (rounds up to `upto` when
 * upto > 0); everyone else without a schedule. row holds n entries. */
static void partners_of(const consort_schedule *sch, size_t n, size_t i, int upto, unsigned char *row)
{
	memset(row, sch ? 0 : 1, n);
	if (!sch) {
		row[i] = 0;
		return;
	}
	size_t rounds = consort_schedule_round_count(sch);
	if (upto > 0 && (size_t)upto < rounds)
		rounds = (size_t)upto;
	for (size_t r = 0; r < rounds; r++) {
		consort_schedule_seat seat = consort_schedule_itinerary(sch, i, r);
		if (seat.seated && seat.partner < n)
			row[seat.partner] = 1;
	}
}

/* ---- facilitator: the whole session ---- */

static void h_get_session(consort__api *api, const consort__request *rq, consort__response *rs)
{
	(void)rq;
	consort_session *s;
	if (load_session(api, rs, &s, 1))
		return;
	consort_error err;
	consort_error_clear(&err);
	char *json = NULL;
	if (consort_session_to_json(&json, s, &err) < 0)
		consort__respond_error(rs, 500, "%s", err.message);
	else
		respond_text_json(rs, 200, json);
	consort_session_free(s);
}

static void h_export_session(consort__api *api, const consort__request *rq, consort__response *rs)
{
	h_get_session(api, rq, rs);
	if (rs->status == 200)
		snprintf(rs->disposition, sizeof(rs->disposition), "attachment; filename=\"session.json\"");
}

static void respond_imported(consort__api *api, consort__response *rs, const char *rules_note)
{
	size_t n = 0, m = 0;
	consort__store_counts(api->store, &n, &m);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "ok", 1);
	cJSON_AddNumberToObject(o, "participants", (double)n);
	cJSON_AddNumberToObject(o, "ratings", (double)m);
	if (rules_note)
		cJSON_AddStringToObject(o, "rules", rules_note);
	consort__respond_json(rs, 200, o);
}

static void h_put_session(consort__api *api, const consort__request *rq, consort__response *rs)
{
	consort_error err;
	consort_error_clear(&err);
	consort_session *s = NULL;
	/* The same reader and the same one-line messages as the command line,
	 * with "upload" standing for the file name. */
	if (consort_session_parse(&s, rq->body ? rq->body : "", rq->len, "upload", &err) < 0) {
		consort__respond_error(rs, 400, "%s", err.message);
		return;
	}
	consort__store_admin_lock(api->store);
	int rc = consort__store_replace(api->store, s, &err);
	consort__store_admin_unlock(api->store);
	consort_session_free(s);
	if (rc)
		respond_store(rs, rc, &err);
	else
		respond_imported(api, rs, NULL);
}

static void h_import_csv(consort__api *api, const consort__request *rq, consort__response *rs)
{
	cJSON *body = parse_body(rq, rs);
	if (!body)
		return;
	const char *parts, *ratings, *title;
	if (get_string(rs, body, "participants", 1, &parts) < 0 ||
	    get_string(rs, body, "ratings", 0, &ratings) < 0 ||
	    get_string(rs, body, "title", 0, &title) < 0) {
		cJSON_Delete(body);
		return;
	}
	static const char header_only[] = "from,to,score\n";
	if (!ratings || !ratings[0])
		ratings = header_only;
	consort_error err;
	consort_error_clear(&err);
	consort_session *s = NULL;
	if (consort_csv_import_buffers(&s, parts, strlen(parts), "participants.csv", ratings,
		strlen(ratings), "ratings.csv", &err) < 0 ||
	    (title && consort_session_set_title(s, title, &err) < 0)) {
		consort__respond_error(rs, 400, "%s", err.message);
		consort_session_free(s);
		cJSON_Delete(body);
		return;
	}
	cJSON_Delete(body);
	consort__store_admin_lock(api->store);
	/* Keep the title, rules and scoring when they still fit the new participants. */
	const char *note = "reset";
	char *text = NULL;
	if (!title && consort__store_get(api->store, "title", &text, NULL) == 0)
		consort_session_set_title(s, text, NULL);
	free(text);
	text = NULL;
	if (consort__store_get(api->store, "rules", &text, NULL) == 0) {
		consort_error rerr;
		if (consort_session_parse_rules(s, text, strlen(text), "rules", &rerr) == 0)
			note = "kept";
	}
	free(text);
	int rc = consort__store_replace(api->store, s, &err);
	consort__store_admin_unlock(api->store);
	consort_session_free(s);
	if (rc)
		respond_store(rs, rc, &err);
	else
		respond_imported(api, rs, note);
}

/* ---- facilitator: participants ---- */

static void h_participants(consort__api *api, const consort__request *rq, consort__response *rs)
{
	(void)rq;
	cJSON *list;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort__store_participants(api->store, &list, &err);
	if (rc)
		respond_store(rs, rc, &err);
	else
		consort__respond_json(rs, 200, list);
}

/* Reads "offers" (absent, or an array of strings) into a list and its JSON text. */
static int read_offers(consort__response *rs, const cJSON *body, const char ***list, int *n,
	char **json)
{
	const cJSON *offers = field(body, "offers");
	*list = NULL;
	*n = 0;
	if (offers && !cJSON_IsNull(offers)) {
		if (!cJSON_IsArray(offers)) {
			consort__respond_error(rs, 400, "offers: expected an array of strings");
			return -1;
		}
		*n = cJSON_GetArraySize(offers);
		if (*n && !(*list = calloc((size_t)*n, sizeof(**list)))) {
			consort__respond_error(rs, 500, "out of memory");
			return -1;
		}
		int k = 0;
		const cJSON *o;
		cJSON_ArrayForEach(o, offers) {
			if (!cJSON_IsString(o)) {
				free(*list);
				consort__respond_error(rs, 400, "offers[%d]: expected a string", k);
				return -1;
			}
			(*list)[k++] = o->valuestring;
		}
	}
	cJSON *arr = string_array(*list, (size_t)*n);
	*json = arr ? cJSON_PrintUnformatted(arr) : NULL;
	cJSON_Delete(arr);
	if (!*json) {
		free(*list);
		consort__respond_error(rs, 500, "out of memory");
		return -1;
	}
	return 0;
}

static void add_participant(consort__api *api, const cJSON *body, consort__response *rs)
{
	const char *id, *name, *sector;
	const char **offers;
	int noffers;
	char *offers_text;
	if (get_string(rs, body, "id", 1, &id) < 0 || get_string(rs, body, "name", 0, &name) < 0 ||
	    get_string(rs, body, "sector", 1, &sector) < 0 ||
	    read_offers(rs, body, &offers, &noffers, &offers_text) < 0)
		return;
	consort_session *s = NULL;
	consort_error err;
	consort_error_clear(&err);
	char token[STORE_TOKEN_LEN + 1];
	int rc = 0;
	if (load_session(api, rs, &s, 0) == 0) {
		/* The session builder checks the id, sector and offers as a file's would be. */
		if (consort_session_find(s, id) >= 0)
			consort__respond_error(rs, 409, "duplicate id \"%s\"", id);
		else if (consort_session_add_participant(s, id, name, sector, offers, (size_t)noffers, &err) < 0)
			consort__respond_error(rs, 400, "%s", err.message);
		else if ((rc = consort__store_add_participant(api->store, id,
			consort_session_participant(s, consort_session_count(s) - 1)->name, sector,
			offers_text, token, sizeof(token), &err)))
			respond_store(rs, rc, &err);
		else {
			const consort_participant *p = consort_session_participant(s, consort_session_count(s) - 1);
			char link[8 + STORE_TOKEN_LEN];
			snprintf(link, sizeof(link), "/p/%s", token);
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "id", p->id);
			cJSON_AddStringToObject(o, "name", p->name);
			cJSON_AddStringToObject(o, "sector", p->sector);
			cJSON_AddItemToObject(o, "offers", string_array(p->offers, p->noffers));
			cJSON_AddStringToObject(o, "token", token);
			cJSON_AddStringToObject(o, "link", link);
			consort__respond_json(rs, 201, o);
		}
	}
	consort_session_free(s);
	free(offers);
	free(offers_text);
}

static void h_add_participant(consort__api *api, const consort__request *rq, consort__response *rs)
{
	locked_body_write(api, rq, rs, add_participant);
}

/* The rules text without the together/apart pairs that name id. */
static char *rules_without(const char *rules_json, const char *id)
{
	cJSON *doc = cJSON_Parse(rules_json);
	cJSON *rules = cJSON_GetObjectItemCaseSensitive(doc, "rules");
	static const char *const keys[] = {"together", "apart"};
	for (size_t k = 0; k < 2; k++) {
		cJSON *list = cJSON_GetObjectItemCaseSensitive(rules, keys[k]);
		if (!cJSON_IsArray(list))
			continue;
		for (int i = cJSON_GetArraySize(list) - 1; i >= 0; i--) {
			const cJSON *pair = cJSON_GetArrayItem(list, i), *m;
			int named = 0;
			cJSON_ArrayForEach(m, pair)
				if (cJSON_IsString(m) && strcmp(m->valuestring, id) == 0)
					named = 1;
			if (named)
				cJSON_DeleteItemFromArray(list, i);
		}
		if (cJSON_GetArraySize(list) == 0)
			cJSON_DeleteItemFromObjectCaseSensitive(rules, keys[k]);
	}
	char *text = doc ? cJSON_PrintUnformatted(doc) : NULL;
	cJSON_Delete(doc);
	return text;
}

/* Checks that the rules still hold without participant `gone`. */
static int rules_fit_without(const consort_session *s, size_t gone, const char *rules,
	consort_error *err)
{
	consort_session *t = NULL;
	int rc = consort_session_new(&t, err);
	if (rc == 0)
		rc = consort_session_set_scale(t, consort_session_scale_min(s), consort_session_scale_max(s), err);
	for (size_t i = 0; rc == 0 && i < consort_session_count(s); i++) {
		const consort_participant *p = consort_session_participant(s, i);
		if (i != gone)
			rc = consort_session_add_participant(t, p->id, p->name, p->sector, p->offers,
				p->noffers, err);
	}
	if (rc == 0)
		rc = consort_session_parse_rules(t, rules, strlen(rules), "rules", err);
	consort_session_free(t);
	return rc;
}

static void delete_participant(consort__api *api, const consort__request *rq, consort__response *rs)
{
	consort_session *s = NULL;
	if (load_session(api, rs, &s, 0))
		return;
	consort_error err;
	consort_error_clear(&err);
	long i = consort_session_find(s, rq->arg);
	char *rules = NULL, *stripped = NULL;
	int rc;
	if (i < 0) {
		consort__respond_error(rs, 404, "no participant \"%s\"", rq->arg);
	} else if ((rc = consort__store_rules_of(&rules, s, &err))) {
		respond_store(rs, rc, &err);
	} else if (!(stripped = rules_without(rules, rq->arg))) {
		consort__respond_error(rs, 500, "out of memory");
	} else if (rules_fit_without(s, (size_t)i, stripped, &err) < 0) {
		consort__respond_error(rs, 409, "cannot remove \"%s\": the rules would not hold: %s",
			rq->arg, err.message);
	} else if ((rc = consort__store_delete_participant(api->store, rq->arg, stripped, &err))) {
		respond_store(rs, rc, &err);
	} else {
		consort__respond_body(rs, 204, NULL, NULL, 0);
	}
	free(rules);
	free(stripped);
	consort_session_free(s);
}

static void h_delete_participant(consort__api *api, const consort__request *rq, consort__response *rs)
{
	consort__store_admin_lock(api->store);
	delete_participant(api, rq, rs);
	consort__store_admin_unlock(api->store);
}

static void h_qr(consort__api *api, const consort__request *rq, consort__response *rs)
{
	char token[STORE_TOKEN_LEN + 1];
	consort_error err;
	consort_error_clear(&err);
	int rc = consort__store_token(api->store, rq->arg, token, sizeof(token), &err);
	if (rc) {
		respond_store(rs, rc, &err);
		return;
	}
	char link[400];
	snprintf(link, sizeof(link), "http://%s/p/%s", rq->host, token);
	char *svg;
	size_t len;
	if (consort__qr_svg(&svg, &len, link) < 0)
		consort__respond_error(rs, 500, "cannot draw the QR code");
	else
		consort__respond_body(rs, 200, "image/svg+xml", svg, len);
}

/* ---- facilitator: rules ---- */

static void h_get_rules(consort__api *api, const consort__request *rq, consort__response *rs)
{
	(void)rq;
	char *text = NULL;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort__store_get(api->store, "rules", &text, &err);
	if (rc == STORE_NOTFOUND)
		respond_text_json(rs, 200, strdup("{\"rules\":{},\"scoring\":{}}\n"));
	else if (rc)
		respond_store(rs, rc, &err);
	else
		respond_text_json(rs, 200, text);
}

static void put_rules(consort__api *api, const consort__request *rq, consort__response *rs)
{
	consort_session *s = NULL;
	if (load_session(api, rs, &s, 0))
		return;
	consort_error err;
	consort_error_clear(&err);
	char *rules = NULL;
	int rc;
	/* Checked exactly like a rules file given to `consort solve --rules`. */
	if (consort_session_parse_rules(s, rq->body, rq->len, "rules", &err) < 0)
		consort__respond_error(rs, 400, "%s", err.message);
	else if ((rc = consort__store_rules_of(&rules, s, &err)) ||
		 (rc = consort__store_set_rules(api->store, rules, &err)))
		respond_store(rs, rc, &err);
	else {
		respond_text_json(rs, 200, rules);
		rules = NULL; /* the response owns it */
	}
	free(rules);
	consort_session_free(s);
}

static void h_put_rules(consort__api *api, const consort__request *rq, consort__response *rs)
{
	cJSON *body = parse_body(rq, rs); /* the shared checks: UTF-8, one JSON object */
	if (!body)
		return;
	cJSON_Delete(body);
	consort__store_admin_lock(api->store);
	put_rules(api, rq, rs);
	consort__store_admin_unlock(api->store);
}

/* ---- ratings ---- */

static void h_ratings(consort__api *api, const consort__request *rq, consort__response *rs)
{
	cJSON *list;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort__store_ratings(api->store, rq->role == ROLE_PARTICIPANT ? rq->me : NULL, &list,
		&err);
	if (rc)
		respond_store(rs, rc, &err);
	else
		consort__respond_json(rs, 200, list);
}

static void put_rating(consort__api *api, consort__response *rs, const char *from, const char *to,
	int has, double score, consort__store_by by)
{
	char at[32];
	consort_error err;
	consort_error_clear(&err);
	int rc = consort__store_put_rating(api->store, from, to, has, score, by, at, sizeof(at), &err);
	if (rc) {
		respond_store(rs, rc, &err);
		return;
	}
	cJSON *o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "ok", 1);
	if (by == STORE_BY_FACILITATOR)
		cJSON_AddStringToObject(o, "from", from);
	cJSON_AddStringToObject(o, "to", to);
	if (has)
		cJSON_AddNumberToObject(o, "score", score);
	else
		cJSON_AddNullToObject(o, "score");
	cJSON_AddStringToObject(o, "at", at);
	consort__respond_json(rs, 200, o);
}

static void h_put_rating(consort__api *api, const consort__request *rq, consort__response *rs)
{
	cJSON *body = parse_body(rq, rs);
	if (!body)
		return;
	const char *from, *to;
	int has;
	double score;
	if (get_string(rs, body, "from", 1, &from) == 0 && get_string(rs, body, "to", 1, &to) == 0 &&
	    get_score(rs, body, &has, &score) == 0)
		put_rating(api, rs, from, to, has, score, STORE_BY_FACILITATOR);
	cJSON_Delete(body);
}

static void h_put_my_rating(consort__api *api, const consort__request *rq, consort__response *rs)
{
	cJSON *body = parse_body(rq, rs);
	if (!body)
		return;
	const char *from, *to;
	int has;
	double score;
	plan *pl = NULL;
	if (get_string(rs, body, "from", 0, &from) < 0 || get_string(rs, body, "to", 1, &to) < 0 ||
	    get_score(rs, body, &has, &score) < 0)
		goto done;
	if (from && strcmp(from, rq->me) != 0) {
		consort__respond_error(rs, 403, "a participant can only enter their own ratings");
		goto done;
	}
	if (strcmp(to, rq->me) == 0) {
		consort__respond_error(rs, 400, "a participant cannot rate themselves (\"%s\")", to);
		goto done;
	}
	if (!(pl = plan_get(api, rs)))
		goto done;
	long me = consort_session_find(pl->s, rq->me), other = consort_session_find(pl->s, to);
	if (me < 0)
		consort__respond_error(rs, 403, "this link's participant was removed");
	else if (other < 0)
		consort__respond_error(rs, 400, "to: unknown participant \"%s\"", to);
	else if (!meets(pl->sch, (size_t)me, (size_t)other, pl->rd.round))
		consort__respond_error(rs, 403, "you have not met \"%s\" yet", to);
	else
		put_rating(api, rs, rq->me, to, has, score, STORE_BY_PARTICIPANT);
done:
	plan_put(api, pl);
	cJSON_Delete(body);
}

static void h_export_ratings(consort__api *api, const consort__request *rq, consort__response *rs)
{
	(void)rq;
	char *csv;
	size_t len;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort__store_ratings_csv(api->store, &csv, &len, &err);
	if (rc) {
		respond_store(rs, rc, &err);
		return;
	}
	consort__respond_body(rs, 200, "text/csv; charset=utf-8", csv, len);
	snprintf(rs->disposition, sizeof(rs->disposition), "attachment; filename=\"ratings.csv\"");
}

/* ---- progress ---- */

static cJSON *progress_json(const consort_session *s, const consort_schedule *sch)
{
	size_t n = consort_session_count(s);
	unsigned char *row = malloc(n ? n : 1);
	if (!row)
		return NULL;
	cJSON *o = cJSON_CreateObject();
	cJSON *missing = cJSON_CreateArray();
	cJSON *by = cJSON_CreateArray();
	size_t pairs = 0, rated = 0, listed = 0;
	for (size_t i = 0; i < n; i++) {
		size_t expected = 0, given = 0;
		partners_of(sch, n, i, 0, row);
		for (size_t j = 0; j < n; j++) {
			if (!row[j])
				continue;
			double score;
			expected++;
			if (consort_session_score(s, i, j, &score) == 0) {
				given++;
			} else if (listed < MISSING_MAX) {
				cJSON *m = cJSON_CreateObject();
				cJSON_AddStringToObject(m, "from", consort_session_participant(s, i)->id);
				cJSON_AddStringToObject(m, "to", consort_session_participant(s, j)->id);
				cJSON_AddItemToArray(missing, m);
				listed++;
			}
		}
		pairs += expected;
		rated += given;
		cJSON *p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "id", consort_session_participant(s, i)->id);
		cJSON_AddNumberToObject(p, "given", (double)given);
		cJSON_AddNumberToObject(p, "expected", (double)expected);
		cJSON_AddItemToArray(by, p);
	}
	cJSON_AddNumberToObject(o, "participants", (double)n);
	cJSON_AddNumberToObject(o, "pairs", (double)pairs);
	cJSON_AddNumberToObject(o, "rated", (double)rated);
	cJSON_AddItemToObject(o, "missing", missing);
	cJSON_AddItemToObject(o, "by_participant", by);
	free(row);
	return o;
}

static void h_progress(consort__api *api, const consort__request *rq, consort__response *rs)
{
	(void)rq;
	consort_session *s;
	if (load_session(api, rs, &s, 1))
		return;
	sched_settings ss;
	round_state rd;
	load_settings(api->store, &ss, &rd);
	consort_schedule_options o;
	settings_to_options(&ss, &o);
	consort_schedule *sch = NULL;
	if (consort_schedule_build(&sch, s, &o, NULL) < 0)
		sch = NULL; /* expected = everyone else */
	cJSON *doc = progress_json(s, sch);
	if (doc) {
		add_round(doc, &rd);
		consort__respond_json(rs, 200, doc);
	} else {
		consort__respond_error(rs, 500, "out of memory");
	}
	consort_schedule_free(sch);
	consort_session_free(s);
}

/* ---- schedule ---- */

/* Applies ?tables=N&cross=A,B&minutes=M&changeover=C&start=HH:MM over ss. */
static int settings_from_query(const consort__request *rq, sched_settings *ss, consort__response *rs)
{
	const char *v;
	if ((v = consort__request_query(rq, "tables"))) {
		if (!*v || strcmp(v, "none") == 0 || strcmp(v, "null") == 0)
			ss->tables = CONSORT_NO_MAX;
		else if (parse_digits(v, strlen(v), 1, 1000000, &ss->tables) < 0) {
			consort__respond_error(rs, 400, "tables: expected a whole number of at least 1");
			return -1;
		}
	}
	if ((v = consort__request_query(rq, "cross"))) {
		const char *comma = strchr(v, ',');
		if (!*v || strcmp(v, "none") == 0) {
			ss->has_cross = 0;
		} else if (!comma || comma == v || !comma[1] || strchr(comma + 1, ',') ||
			   (size_t)(comma - v) > SECTOR_MAX || strlen(comma + 1) > SECTOR_MAX) {
			consort__respond_error(rs, 400, "cross: expected two sectors, e.g. association,firm");
			return -1;
		} else {
			ss->has_cross = 1;
			snprintf(ss->cross_a, sizeof(ss->cross_a), "%.*s", (int)(comma - v), v);
			snprintf(ss->cross_b, sizeof(ss->cross_b), "%s", comma + 1);
		}
	}
	if ((v = consort__request_query(rq, "minutes")) &&
	    parse_digits(v, strlen(v), 1, 1440, &ss->minutes) < 0) {
		consort__respond_error(rs, 400, "minutes: expected a whole number 1..1440");
		return -1;
	}
	if ((v = consort__request_query(rq, "changeover")) &&
	    parse_digits(v, strlen(v), 0, 1440, &ss->changeover) < 0) {
		consort__respond_error(rs, 400, "changeover: expected a whole number 0..1440");
		return -1;
	}
	if ((v = consort__request_query(rq, "start"))) {
		if (!*v || strcmp(v, "none") == 0)
			ss->start = -1;
		else if (parse_clock(v, &ss->start) < 0) {
			consort__respond_error(rs, 400, "start: expected a clock time HH:MM");
			return -1;
		}
	}
	return 0;
}

static void h_schedule(consort__api *api, const consort__request *rq, consort__response *rs)
{
	sched_settings ss;
	round_state rd;
	load_settings(api->store, &ss, &rd);
	if (settings_from_query(rq, &ss, rs) < 0)
		return;
	consort_session *s;
	if (load_session(api, rs, &s, 0))
		return;
	consort_schedule_options o;
	settings_to_options(&ss, &o);
	consort_schedule *sch = NULL;
	consort_error err;
	consort_error_clear(&err);
	char *json = NULL;
	if (consort_schedule_build(&sch, s, &o, &err) < 0 || consort_schedule_to_json(&json, sch, &err) < 0)
		consort__respond_error(rs, err.code == CONSORT_ENOMEM ? 500 : 400, "%s", err.message);
	else
		respond_text_json(rs, 200, json);
	consort_schedule_free(sch);
	consort_session_free(s);
}

static void h_get_settings(consort__api *api, const consort__request *rq, consort__response *rs)
{
	(void)rq;
	sched_settings ss;
	round_state rd;
	load_settings(api->store, &ss, &rd);
	cJSON *o = settings_to_json(&ss);
	add_round(o, &rd);
	consort__respond_json(rs, 200, o);
}

static void put_settings(consort__api *api, const cJSON *body, consort__response *rs)
{
	sched_settings ss;
	char msg[160];
	if (settings_from_json(&ss, body, msg, sizeof(msg)) < 0) {
		consort__respond_error(rs, 400, "%s", msg);
		return;
	}
	consort_session *s;
	if (load_session(api, rs, &s, 0))
		return;
	/* Refuse settings no schedule can be built with (a cross sector nobody is in). */
	consort_schedule_options o;
	settings_to_options(&ss, &o);
	consort_schedule *sch = NULL;
	consort_error err;
	consort_error_clear(&err);
	if (consort_session_count(s) >= 2 && consort_schedule_build(&sch, s, &o, &err) < 0) {
		consort__respond_error(rs, err.code == CONSORT_ENOMEM ? 500 : 400, "%s", err.message);
		consort_session_free(s);
		return;
	}
	consort_schedule_free(sch);
	consort_session_free(s);
	cJSON *doc = settings_to_json(&ss);
	char *text = cJSON_PrintUnformatted(doc);
	const char *key = "schedule";
	int rc = text ? consort__store_set(api->store, &key, (const char *const *)&text, 1, &err)
		: STORE_FAIL;
	free(text);
	if (rc) {
		cJSON_Delete(doc);
		respond_store(rs, rc, &err);
		return;
	}
	sched_settings stored;
	round_state rd;
	load_settings(api->store, &stored, &rd);
	add_round(doc, &rd);
	consort__respond_json(rs, 200, doc);
}

static void h_put_settings(consort__api *api, const consort__request *rq, consort__response *rs)
{
	locked_body_write(api, rq, rs, put_settings);
}

static void h_get_round(consort__api *api, const consort__request *rq, consort__response *rs)
{
	(void)rq;
	sched_settings ss;
	round_state rd;
	load_settings(api->store, &ss, &rd);
	cJSON *o = cJSON_CreateObject();
	add_round(o, &rd);
	consort__respond_json(rs, 200, o);
}

static void set_round(consort__api *api, const cJSON *body, consort__response *rs)
{
	const cJSON *r = field(body, "round"), *at = field(body, "started_at");
	round_state rd;
	memset(&rd, 0, sizeof(rd));
	if (!r || (!cJSON_IsNull(r) && json_int(r, 1, 1000000, &rd.round) < 0)) {
		consort__respond_error(rs, 400, "round: expected a round number (1, 2, ...) or null");
		return;
	}
	if (at && !cJSON_IsNull(at) && (!cJSON_IsString(at) || !at->valuestring[0] ||
		strlen(at->valuestring) >= sizeof(rd.started_at) ||
		strspn(at->valuestring, "0123456789-:T.Z+") != strlen(at->valuestring))) {
		consort__respond_error(rs, 400, "started_at: expected an ISO time such as "
			"\"2024-05-01T09:30:00Z\", or null");
		return;
	}
	if (cJSON_IsString(at))
		snprintf(rd.started_at, sizeof(rd.started_at), "%s", at->valuestring);
	else if (!at && rd.round)
		consort__srv_iso_now(rd.started_at, sizeof(rd.started_at)); /* now, when not given */
	if (rd.round) {
		plan *pl = plan_get(api, rs);
		if (!pl)
			return;
		size_t rounds = pl->sch ? consort_schedule_round_count(pl->sch) : 0;
		int bad = !pl->sch || (size_t)rd.round > rounds;
		if (!pl->sch)
			consort__respond_error(rs, 400, "round: there is no schedule: %s", pl->sch_err);
		else if (bad)
			consort__respond_error(rs, 400, "round: %d is past the last round (%zu)", rd.round, rounds);
		plan_put(api, pl);
		if (bad)
			return;
	}
	cJSON *o = cJSON_CreateObject();
	add_round(o, &rd);
	char *text = cJSON_PrintUnformatted(o);
	const char *key = "round";
	consort_error err;
	consort_error_clear(&err);
	int rc = text ? consort__store_set(api->store, &key, (const char *const *)&text, 1, &err)
		: STORE_FAIL;
	free(text);
	if (rc) {
		cJSON_Delete(o);
		respond_store(rs, rc, &err);
		return;
	}
	consort__respond_json(rs, 200, o);
}

static void h_post_round(consort__api *api, const consort__request *rq, consort__response *rs)
{
	locked_body_write(api, rq, rs, set_round);
}

/* ---- solving ---- */

/* The consultant's options are bounded so that one request cannot hold the
 * solver for long: at most this many alternatives and confidence samples, and
 * the samples share a time budget (each gets its share, at most 2 s). */
#define ALTERNATIVES_MAX 10 /* the messages below say 10 and 200 */
#define SAMPLES_MAX 200
#define SAMPLES_BUDGET 20.0
#define SAMPLES_THREADS_MAX 4

typedef struct solve_args {
	double time_limit;
	const cJSON *locks;
	const cJSON *drop;      /* ids solved as absent (rules.absent), this solve only */
	int alternatives, differ;
	int why;                /* "why" of every member, or of why_id */
	const char *why_id;
	int samples;            /* confidence samples, 0: none */
	unsigned long seed;
	int compare;            /* with the latest proposal before this one (default 1) */
} solve_args;

static int read_whole(consort__response *rs, const cJSON *body, const char *key, int lo, int hi,
	int *out, const char *what)
{
	const cJSON *v = field(body, key);
	if (!v || cJSON_IsNull(v))
		return 0;
	if (json_int(v, lo, hi, out) < 0) {
		consort__respond_error(rs, 400, "%s: expected %s", key, what);
		return -1;
	}
	return 0;
}

/* The consultant's part of the request (README "Consultant's session"). */
static int read_advice_args(consort__response *rs, const cJSON *body, solve_args *a)
{
	const cJSON *drop = field(body, "drop");
	if (drop && !cJSON_IsNull(drop)) {
		if (!cJSON_IsArray(drop)) {
			consort__respond_error(rs, 400, "drop: expected an array of participant ids");
			return -1;
		}
		a->drop = drop;
	}
	if (read_whole(rs, body, "alternatives", 0, ALTERNATIVES_MAX, &a->alternatives,
		"a whole number of alternatives, 0 to 10") < 0 ||
	    read_whole(rs, body, "differ", 1, 1000000, &a->differ,
		"a whole number of members placed differently, at least 1") < 0 ||
	    read_whole(rs, body, "confidence", 0, SAMPLES_MAX, &a->samples,
		"a whole number of samples, 0 (none) to 200") < 0)
		return -1;
	int seed = 1;
	if (read_whole(rs, body, "confidence_seed", 0, 2147483647, &seed, "a whole number, at least 0") < 0)
		return -1;
	a->seed = (unsigned long)seed;
	const cJSON *why = field(body, "why");
	if (cJSON_IsString(why)) {
		a->why = 1;
		a->why_id = why->valuestring;
	} else if (why && !cJSON_IsNull(why) && !cJSON_IsBool(why)) {
		consort__respond_error(rs, 400, "why: expected true, false or a participant id");
		return -1;
	} else {
		a->why = cJSON_IsTrue(why);
	}
	const cJSON *cmp = field(body, "compare");
	if (cmp && !cJSON_IsNull(cmp) && !cJSON_IsBool(cmp)) {
		consort__respond_error(rs, 400, "compare: expected true or false");
		return -1;
	}
	a->compare = !cJSON_IsFalse(cmp);
	return 0;
}

static int read_solve_args(const consort__request *rq, consort__response *rs, cJSON **body,
	solve_args *a)
{
	memset(a, 0, sizeof(*a));
	a->time_limit = 10;
	a->differ = 1;
	a->seed = 1;
	a->compare = 1;
	*body = NULL;
	if (!rq->len)
		return 0;
	if (!(*body = parse_body(rq, rs)))
		return -1;
	const cJSON *t = field(*body, "time_limit");
	if (t && !cJSON_IsNull(t)) {
		if (!cJSON_IsNumber(t) || !(t->valuedouble > 0) || t->valuedouble > 3600) {
			consort__respond_error(rs, 400, "time_limit: expected seconds, more than 0 and at most 3600");
			return -1;
		}
		a->time_limit = t->valuedouble;
	}
	const cJSON *locks = field(*body, "locks");
	if (locks && !cJSON_IsNull(locks)) {
		if (!cJSON_IsArray(locks)) {
			consort__respond_error(rs, 400, "locks: expected an array of {\"id\": ..., \"with\": ...}");
			return -1;
		}
		a->locks = locks;
	}
	return read_advice_args(rs, *body, a);
}

/* Adds the locks to the session's rules as `together` pairs. */
static int apply_locks(consort_session *s, const cJSON *locks, consort__response *rs)
{
	if (!locks || cJSON_GetArraySize(locks) == 0)
		return 0;
	consort_error err;
	consort_error_clear(&err);
	char *rules = NULL;
	if (consort__store_rules_of(&rules, s, &err)) {
		consort__respond_error(rs, 500, "%s", err.message);
		return -1;
	}
	cJSON *doc = cJSON_Parse(rules);
	free(rules);
	cJSON *r = cJSON_GetObjectItemCaseSensitive(doc, "rules");
	cJSON *together = cJSON_GetObjectItemCaseSensitive(r, "together");
	if (!together && r)
		together = cJSON_AddArrayToObject(r, "together");
	int k = 0, rc = 0;
	const cJSON *lock;
	cJSON_ArrayForEach(lock, locks) {
		const cJSON *id = field(lock, "id"), *with = field(lock, "with");
		if (!cJSON_IsString(id) || !cJSON_IsString(with)) {
			consort__respond_error(rs, 400, "locks[%d]: expected {\"id\": ..., \"with\": ...} with two ids", k);
			rc = -1;
			break;
		}
		const char *ids[2] = {id->valuestring, with->valuestring};
		for (int e = 0; e < 2 && rc == 0; e++)
			if (consort_session_find(s, ids[e]) < 0) {
				consort__respond_error(rs, 400, "locks[%d].%s: unknown participant \"%s\"", k,
					e ? "with" : "id", ids[e]);
				rc = -1;
			}
		if (rc == 0 && strcmp(ids[0], ids[1]) == 0) {
			consort__respond_error(rs, 400, "locks[%d]: \"%s\" cannot be locked with themselves", k, ids[0]);
			rc = -1;
		}
		if (rc)
			break;
		/* Skip a pair the rules (or an earlier lock) already hold together. */
		int known = 0;
		const cJSON *pair;
		cJSON_ArrayForEach(pair, together) {
			const cJSON *a = cJSON_GetArrayItem(pair, 0), *b = cJSON_GetArrayItem(pair, 1);
			if (cJSON_IsString(a) && cJSON_IsString(b) &&
			    ((!strcmp(a->valuestring, ids[0]) && !strcmp(b->valuestring, ids[1])) ||
			     (!strcmp(a->valuestring, ids[1]) && !strcmp(b->valuestring, ids[0]))))
				known = 1;
		}
		if (!known)
			cJSON_AddItemToArray(together, cJSON_CreateStringArray(ids, 2));
		k++;
	}
	char *text = rc == 0 && doc ? cJSON_PrintUnformatted(doc) : NULL;
	cJSON_Delete(doc);
	if (rc == 0 && !text) {
		consort__respond_error(rs, 500, "out of memory");
		rc = -1;
	}
	if (rc == 0 && consort_session_parse_rules(s, text, strlen(text), "locks", &err) < 0) {
		consort__respond_error(rs, 400, "%s", err.message);
		rc = -1;
	}
	free(text);
	return rc;
}

static int is_absent(const consort_session *s, long i)
{
	const consort_rules *r = consort_session_rules(s);
	for (size_t k = 0; k < r->nabsent; k++)
		if ((long)r->absent[k] == i)
			return 1;
	return 0;
}

/* Solves as if the dropped participants were not at the workshop (rules.absent),
 * after the locks: a lock naming a dropped participant is refused. */
static int apply_drop(consort_session *s, const cJSON *drop, const cJSON *locks, consort__response *rs)
{
	int k = 0;
	const cJSON *d, *lock;
	cJSON_ArrayForEach(d, drop) {
		cJSON_ArrayForEach(lock, locks)
			if (cJSON_IsString(d) && (!strcmp(field(lock, "id")->valuestring, d->valuestring) ||
						  !strcmp(field(lock, "with")->valuestring, d->valuestring))) {
				consort__respond_error(rs, 400, "drop[%d]: \"%s\" is locked: unlock it to drop it", k,
					d->valuestring);
				return -1;
			}
		consort_error err;
		consort_error_clear(&err);
		long i = cJSON_IsString(d) ? consort_session_find(s, d->valuestring) : -1;
		if (!cJSON_IsString(d)) {
			consort__respond_error(rs, 400, "drop[%d]: expected a participant id", k);
			return -1;
		}
		if (i < 0) {
			consort__respond_error(rs, 400, "drop[%d]: unknown participant \"%s\"", k, d->valuestring);
			return -1;
		}
		if (!is_absent(s, i) && consort_session_add_absent(s, d->valuestring, &err) < 0) {
			consort__respond_error(rs, 400, "drop[%d]: %s", k, err.message);
			return -1;
		}
		k++;
	}
	return 0;
}

/* Checks what needs the session: differ within its size, why's id. */
static int check_advice_args(const consort_session *s, const solve_args *a, consort__response *rs)
{
	size_t n = consort_session_count(s);
	if (a->differ > 1 && (size_t)a->differ > n) {
		consort__respond_error(rs, 400, "differ: %d is more than the %zu participants", a->differ, n);
		return -1;
	}
	if (a->why_id && consort_session_find(s, a->why_id) < 0) {
		consort__respond_error(rs, 400, "why: unknown participant \"%s\"", a->why_id);
		return -1;
	}
	return 0;
}
/* consortium,lot,id,name,sector,fit: fit is the member's weight to the rest of its consortium. */
static char *proposal_csv(const consort_proposal *p, const consort_session *s, size_t *len)
{
	double *w = NULL;
	size_t n = consort_session_count(s);
	if (consort_scoring_weights(&w, s, NULL) < 0)
		return NULL;
	consort__srv_buf b = {0};
	consort__srv_buf_puts(&b, "consortium,lot,id,name,sector,fit\r\n");
	for (size_t k = 0; k < consort_proposal_count(p); k++) {
		size_t nm;
		const size_t *m = consort_proposal_members(p, k, &nm);
		const char *lot = consort_proposal_lot(p, k);
		for (size_t a = 0; a < nm; a++) {
			double fit = 0;
			for (size_t c = 0; c < nm; c++)
				if (c != a)
					fit += w[m[a] * n + m[c]];
			const consort_participant *pp = consort_session_participant(s, m[a]);
			char v[32];
			consort__srv_format_number(v, sizeof(v), fit);
			consort__srv_buf_printf(&b, "%zu,", k + 1);
			consort__srv_buf_csv(&b, lot ? lot : "");
			consort__srv_buf_add(&b, ",", 1);
			consort__srv_buf_csv(&b, pp->id);
			consort__srv_buf_add(&b, ",", 1);
			consort__srv_buf_csv(&b, pp->name);
			consort__srv_buf_add(&b, ",", 1);
			consort__srv_buf_csv(&b, pp->sector);
			consort__srv_buf_printf(&b, ",%s\r\n", v);
		}
	}
	free(w);
	return consort__srv_buf_take(&b, len);
}

/* The request's ids (locks or drops) as the answer echoes them. */
static void add_echo(cJSON *doc, const cJSON *locks, const cJSON *drop)
{
	cJSON *l = cJSON_AddArrayToObject(doc, "locks");
	const cJSON *lock;
	cJSON_ArrayForEach(lock, locks) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", field(lock, "id")->valuestring);
		cJSON_AddStringToObject(o, "with", field(lock, "with")->valuestring);
		cJSON_AddItemToArray(l, o);
	}
	cJSON *d = cJSON_AddArrayToObject(doc, "drop");
	const cJSON *id;
	cJSON_ArrayForEach(id, drop)
		cJSON_AddItemToArray(d, cJSON_CreateString(id->valuestring));
}

static int solved(const consort_proposal *p)
{
	consort_status st = consort_proposal_status(p);
	return st == CONSORT_STATUS_OPTIMAL || st == CONSORT_STATUS_FEASIBLE;
}

/* Compares with the latest proposal before this solve, read back against this
 * solve's session (rescored: the ratings may have moved on since). Skipped
 * quietly when there is none or it no longer names the same participants. */
static int add_comparison(consort_advice *adv, const consort_session *s, const char *previous,
	unsigned *sections, consort_error *err)
{
	consort_proposal *earlier = NULL;
	consort_error ignored;
	if (!previous || consort_proposal_parse_rescored(&earlier, previous, strlen(previous), "the latest proposal",
			s, &ignored) < 0)
		return 0;
	int rc = 0;
	if (solved(earlier)) {
		rc = consort_advice_compare(adv, earlier, err);
		if (rc == 0)
			*sections |= CONSORT_ADVICE_COMPARE;
	}
	consort_proposal_free(earlier);
	return rc;
}

/* Confidence samples within the budget: each sample's time limit is its share. */
static int add_confidence(consort__api *api, consort_advice *adv, const solve_args *a, unsigned *sections,
	consort_error *err)
{
	consort_confidence_options co;
	consort_confidence_options_init(&co);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	co.threads = cores < 1 ? 1 : cores > SAMPLES_THREADS_MAX ? SAMPLES_THREADS_MAX : (int)cores;
	co.samples = (size_t)a->samples;
	co.seed = a->seed;
	co.time_limit = fmin(2.0, SAMPLES_BUDGET * co.threads / a->samples);
	pthread_mutex_lock(&api->solve_lock);
	int rc = consort_advice_confidence(adv, &co, err);
	pthread_mutex_unlock(&api->solve_lock);
	if (rc == 0)
		*sections |= CONSORT_ADVICE_CONFIDENCE;
	return rc;
}

/* The proposal as the API returns it: consort-proposal/1 with the advice
 * (fits, fairness, stability; why, compare, confidence when asked) plus
 * "names", "locks" and "drop". NULL with err set on failure. */
static cJSON *proposal_doc(consort__api *api, const consort_proposal *p, const consort_session *s,
	const solve_args *a, const char *previous, consort_error *err)
{
	consort_advice *adv = NULL;
	unsigned sections = 0;
	char *json = NULL;
	int rc = consort_advice_new(&adv, p, s, err);
	if (rc == 0 && a->why) {
		sections |= CONSORT_ADVICE_WHY;
		if (a->why_id)
			consort_advice_why_only(adv, consort_session_find(s, a->why_id));
	}
	if (rc == 0 && solved(p) && a->compare)
		rc = add_comparison(adv, s, previous, &sections, err);
	if (rc == 0 && solved(p) && a->samples > 0)
		rc = add_confidence(api, adv, a, &sections, err);
	if (rc == 0)
		rc = consort_advice_to_json(&json, adv, sections, err);
	consort_advice_free(adv);
	cJSON *doc = rc == 0 ? cJSON_Parse(json) : NULL;
	free(json);
	if (!doc)
		return NULL;
	cJSON *names = cJSON_AddObjectToObject(doc, "names");
	for (size_t i = 0; i < consort_session_count(s); i++) {
		const consort_participant *pp = consort_session_participant(s, i);
		cJSON_AddStringToObject(names, pp->id, pp->name);
	}
	add_echo(doc, a->locks, a->drop);
	return doc;
}

/* Solves with the request's time limit and alternatives (a NULL: the defaults). */
static int run_solve(consort__api *api, consort_proposal **p, const consort_session *s,
	const solve_args *a, consort_error *err)
{
	consort_solve_options o;
	consort_solve_options_init(&o);
	o.time_limit = a ? a->time_limit : 10;
	if (a) {
		o.alternatives = a->alternatives;
		o.differ = a->differ;
	}
	pthread_mutex_lock(&api->solve_lock);
	int rc = consort_solve(p, s, &o, err);
	consort_solve_thread_cleanup();
	pthread_mutex_unlock(&api->solve_lock);
	return rc;
}

static void store_proposal(consort__api *api, consort__response *rs, cJSON *doc, char *csv)
{
	char *text = cJSON_PrintUnformatted(doc);
	const char *keys[2] = {"proposal", "proposal_csv"};
	const char *values[2] = {text, csv};
	consort_error err;
	consort_error_clear(&err);
	int rc = text && csv ? consort__store_set(api->store, keys, values, 2, &err) : STORE_FAIL;
	free(text);
	if (rc) {
		cJSON_Delete(doc);
		if (!err.message[0])
			snprintf(err.message, sizeof(err.message), "out of memory");
		respond_store(rs, rc, &err);
		return;
	}
	consort__respond_json(rs, 200, doc);
}

static void h_solve(consort__api *api, const consort__request *rq, consort__response *rs)
{
	cJSON *body;
	solve_args a;
	consort_session *s = NULL;
	consort_proposal *p = NULL;
	char *previous = NULL;
	consort_error err;
	consort_error_clear(&err);
	if (read_solve_args(rq, rs, &body, &a) < 0 || load_session(api, rs, &s, 1) ||
	    apply_locks(s, a.locks, rs) < 0 || apply_drop(s, a.drop, a.locks, rs) < 0 || check_advice_args(s, &a, rs) < 0)
		goto done;
	/* The latest proposal so far, for the comparison (none: no comparison). */
	if (consort__store_get(api->store, "proposal", &previous, &err) != 0) {
		previous = NULL;
		consort_error_clear(&err);
	}
	int rc = run_solve(api, &p, s, &a, &err);
	if (rc < 0) {
		consort__respond_error(rs, rc == CONSORT_EINVALID ? 400 : 500, "%s",
			err.message[0] ? err.message : consort_strerror(rc));
		goto done;
	}
	cJSON *doc = proposal_doc(api, p, s, &a, previous, &err);
	size_t len;
	char *csv = proposal_csv(p, s, &len);
	if (!doc)
		consort__respond_error(rs, 500, "%s", err.message[0] ? err.message : "out of memory");
	else
		store_proposal(api, rs, doc, csv);
	free(csv);
done:
	free(previous);
	consort_proposal_free(p);
	consort_session_free(s);
	cJSON_Delete(body);
}

static void h_proposal(consort__api *api, const consort__request *rq, consort__response *rs)
{
	(void)rq;
	char *text = NULL;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort__store_get(api->store, "proposal", &text, &err);
	if (rc == STORE_NOTFOUND)
		consort__respond_error(rs, 404, "no proposal yet: POST /api/solve first");
	else if (rc)
		respond_store(rs, rc, &err);
	else
		respond_text_json(rs, 200, text);
}

static void h_export_proposal(consort__api *api, const consort__request *rq, consort__response *rs)
{
	(void)rq;
	char *text = NULL;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort__store_get(api->store, "proposal_csv", &text, &err);
	if (rc == STORE_NOTFOUND) {
		consort__respond_error(rs, 404, "no proposal yet: POST /api/solve first");
	} else if (rc) {
		respond_store(rs, rc, &err);
	} else {
		consort__respond_body(rs, 200, "text/csv; charset=utf-8", text, strlen(text));
		snprintf(rs->disposition, sizeof(rs->disposition), "attachment; filename=\"proposal.csv\"");
	}
}

/* ---- facilitator: the workshop report ---- */

/* The latest proposal read back against the workshop, its locks applied to s
 * as `together` pairs (so the report's rules say so). 1 when there is none;
 * -1 after an error response. */
static int latest_proposal(consort__api *api, consort__response *rs, consort_session *s,
	consort_proposal **p)
{
	char *text = NULL;
	consort_error err;
	consort_error_clear(&err);
	int rc = consort__store_get(api->store, "proposal", &text, &err);
	if (rc == STORE_NOTFOUND)
		return 1;
	if (rc) {
		respond_store(rs, rc, &err);
		return -1;
	}
	cJSON *doc = cJSON_Parse(text);
	if (!doc || apply_locks(s, field(doc, "locks"), rs) < 0 ||
	    apply_drop(s, field(doc, "drop"), field(doc, "locks"), rs) < 0) {
		snprintf(err.message, sizeof(err.message), "a locked or dropped participant is no longer in the workshop");
		rc = -1;
	} else {
		rc = consort_proposal_parse(p, text, strlen(text), "the latest proposal", s, &err);
		/* Rules changed since the solve: the report would call it optimal under rules it breaks. */
		if (rc == 0)
			rc = consort_proposal_check(*p, s, &err);
	}
	/* Ratings changed since the solve (the stored scores no longer agree), or rules. */
	if (rc < 0)
		consort__respond_error(rs, 409, "the latest proposal no longer fits the workshop (%s): "
			"propose again (POST /api/solve)", err.message);
	cJSON_Delete(doc);
	free(text);
	return rc < 0 ? -1 : 0;
}

/* GET /api/report.html: the report of the stored workshop and its latest
 * proposal, or of a fresh solve (as POST /api/solve's defaults, not stored)
 * when there is none yet; `attachment` adds the download's file name. */
static void report(consort__api *api, consort__response *rs, int attachment)
{
	consort_session *s = NULL;
	consort_proposal *p = NULL;
	consort_error err;
	consort_error_clear(&err);
	if (load_session(api, rs, &s, 1))
		return;
	int rc = latest_proposal(api, rs, s, &p);
	if (rc == 1 && (rc = run_solve(api, &p, s, NULL, &err)) < 0)
		consort__respond_error(rs, rc == CONSORT_EINVALID ? 400 : 500, "%s",
			err.message[0] ? err.message : consort_strerror(rc));
	/* Stability too (cheap); without it when it cannot be had, the report still can. */
	consort_advice *adv = NULL;
	consort_status st = rc == 0 ? consort_proposal_status(p) : CONSORT_STATUS_STOPPED;
	if ((st == CONSORT_STATUS_OPTIMAL || st == CONSORT_STATUS_FEASIBLE) &&
	    consort_advice_new(&adv, p, s, &err) < 0)
		adv = NULL;
	consort_report_options ro;
	consort_report_options_init(&ro);
	ro.advice = adv;
	char *html = NULL;
	if (rc == 0 && (rc = consort_report_html(&html, s, p, &ro, &err)) < 0)
		consort__respond_error(rs, 500, "%s", err.message[0] ? err.message : consort_strerror(rc));
	if (rc == 0) {
		consort__respond_body(rs, 200, "text/html; charset=utf-8", html, strlen(html));
		rs->csp = consort__report_csp();
		if (attachment)
			snprintf(rs->disposition, sizeof(rs->disposition),
				"attachment; filename=\"consort-report.html\"");
	}
	consort_advice_free(adv);
	consort_proposal_free(p);
	consort_session_free(s);
}

static void h_report(consort__api *api, const consort__request *rq, consort__response *rs)
{
	(void)rq;
	report(api, rs, 0);
}

static void h_export_report(consort__api *api, const consort__request *rq, consort__response *rs)
{
	(void)rq;
	report(api, rs, 1);
}

/* ---- participants' own view ---- */

static cJSON *person_json(const consort_participant *p)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", p->id);
	cJSON_AddStringToObject(o, "name", p->name);
	cJSON_AddStringToObject(o, "sector", p->sector);
	return o;
}

static cJSON *me_json(const plan *pl, size_t me)
{
	const consort_participant *p = consort_session_participant(pl->s, me);
	cJSON *o = person_json(p);
	cJSON_AddItemToObject(o, "offers", string_array(p->offers, p->noffers));
	cJSON *scale = cJSON_AddObjectToObject(o, "scale");
	cJSON_AddNumberToObject(scale, "min", consort_session_scale_min(pl->s));
	cJSON_AddNumberToObject(scale, "max", consort_session_scale_max(pl->s));
	add_round(o, &pl->rd);
	size_t rounds = pl->sch ? consort_schedule_round_count(pl->sch) : 0;
	cJSON_AddNumberToObject(o, "rounds", (double)rounds);
	cJSON_AddNumberToObject(o, "minutes", pl->ss.minutes);
	cJSON_AddNumberToObject(o, "changeover", pl->ss.changeover);
	cJSON *meetings = cJSON_AddArrayToObject(o, "meetings");
	for (size_t r = 0; r < rounds; r++) {
		consort_schedule_seat seat = consort_schedule_itinerary(pl->sch, me, r);
		if (!seat.seated)
			continue;
		cJSON *m = cJSON_CreateObject();
		cJSON_AddNumberToObject(m, "round", (double)(r + 1));
		cJSON_AddNumberToObject(m, "table", (double)(seat.table + 1));
		cJSON_AddNumberToObject(m, "offset", (double)consort_schedule_round_offset(pl->sch, r));
		cJSON_AddItemToObject(m, "with", person_json(consort_session_participant(pl->s, seat.partner)));
		cJSON_AddItemToArray(meetings, m);
	}
	cJSON *met = cJSON_AddArrayToObject(o, "met");
	size_t n = consort_session_count(pl->s);
	unsigned char *row = malloc(n);
	if (!row) {
		cJSON_Delete(o);
		return NULL;
	}
	partners_of(pl->sch, n, me, pl->rd.round, row);
	for (size_t j = 0; j < n; j++)
		if (row[j])
			cJSON_AddItemToArray(met, cJSON_CreateString(consort_session_participant(pl->s, j)->id));
	free(row);
	return o;
}

static void h_me(consort__api *api, const consort__request *rq, consort__response *rs)
{
	plan *pl = plan_get(api, rs);
	if (!pl)
		return;
	long me = consort_session_find(pl->s, rq->me);
	if (me < 0)
		consort__respond_error(rs, 403, "this link's participant was removed");
	else
		consort__respond_json(rs, 200, me_json(pl, (size_t)me));
	plan_put(api, pl);
}

/* ---- the route table ---- */

#define ADMIN ROLE_ADMIN
#define PART ROLE_PARTICIPANT
#define JSONL HTTP_JSON_LIMIT
#define QUICK 0
#define SLOW 1 /* solving, imports: run off the connection threads */

const consort__route consort__routes[] = {
	{"GET", "/api/session", ADMIN, JSONL, QUICK, h_get_session},
	{"PUT", "/api/session", ADMIN, HTTP_IMPORT_LIMIT, SLOW, h_put_session},
	{"POST", "/api/import/csv", ADMIN, HTTP_IMPORT_LIMIT, SLOW, h_import_csv},
	{"GET", "/api/participants", ADMIN, JSONL, QUICK, h_participants},
	{"POST", "/api/participants", ADMIN, JSONL, QUICK, h_add_participant},
	{"DELETE", "/api/participants/*", ADMIN, JSONL, QUICK, h_delete_participant},
	{"GET", "/api/participants/*/qr.svg", ADMIN, JSONL, QUICK, h_qr},
	{"GET", "/api/rules", ADMIN, JSONL, QUICK, h_get_rules},
	{"PUT", "/api/rules", ADMIN, JSONL, QUICK, h_put_rules},
	{"GET", "/api/ratings", ADMIN, JSONL, QUICK, h_ratings},
	{"PUT", "/api/ratings", ADMIN, JSONL, QUICK, h_put_rating},
	{"GET", "/api/progress", ADMIN, JSONL, QUICK, h_progress},
	{"GET", "/api/schedule", ADMIN, JSONL, QUICK, h_schedule},
	{"GET", "/api/schedule/settings", ADMIN, JSONL, QUICK, h_get_settings},
	{"PUT", "/api/schedule/settings", ADMIN, JSONL, QUICK, h_put_settings},
	{"GET", "/api/round", ADMIN, JSONL, QUICK, h_get_round},
	{"POST", "/api/round", ADMIN, JSONL, QUICK, h_post_round},
	{"POST", "/api/solve", ADMIN, JSONL, SLOW, h_solve},
	{"GET", "/api/proposal", ADMIN, JSONL, QUICK, h_proposal},
	{"GET", "/api/export/proposal.csv", ADMIN, JSONL, QUICK, h_export_proposal},
	{"GET", "/api/report.html", ADMIN, JSONL, SLOW, h_report},
	{"GET", "/api/export/report.html", ADMIN, JSONL, SLOW, h_export_report},
	{"GET", "/api/export/session.json", ADMIN, JSONL, QUICK, h_export_session},
	{"GET", "/api/export/ratings.csv", ADMIN, JSONL, QUICK, h_export_ratings},
	{"GET", "/api/me", PART, JSONL, QUICK, h_me},
	{"GET", "/api/me/ratings", PART, JSONL, QUICK, h_ratings},
	{"PUT", "/api/me/ratings", PART, JSONL, QUICK, h_put_my_rating},
};
const size_t consort__nroutes = sizeof(consort__routes) / sizeof(consort__routes[0]);

/* ---- lifecycle ---- */

int consort__api_new(consort__api **out, consort__store *st, consort_error *err)
{
	*out = calloc(1, sizeof(**out));
	if (!*out) {
		if (err) {
			err->code = CONSORT_ENOMEM;
			snprintf(err->message, sizeof(err->message), "out of memory");
		}
		return CONSORT_ENOMEM;
	}
	(*out)->store = st;
	pthread_mutex_init(&(*out)->solve_lock, NULL);
	pthread_mutex_init(&(*out)->plan_lock, NULL);
	return 0;
}

void consort__api_free(consort__api *api)
{
	if (!api)
		return;
	plan_free(api->plan);
	pthread_mutex_destroy(&api->solve_lock);
	pthread_mutex_destroy(&api->plan_lock);
	free(api);
}
