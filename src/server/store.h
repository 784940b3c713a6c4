/* The workshop's storage: participants, ratings, rules and settings in SQLite,
 * every write committed before the caller answers (a killed process loses nothing). */
#ifndef CONSORT_SERVER_STORE_H
#define CONSORT_SERVER_STORE_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "consort.h"

/* Status codes of the store functions: 0, or the HTTP status the failure
 * stands for; err then holds a one-line message. */
enum {
	STORE_OK = 0,
	STORE_INVALID = 400,
	STORE_FORBIDDEN = 403,
	STORE_NOTFOUND = 404,
	STORE_CONFLICT = 409,
	STORE_FAIL = 500
};

#define STORE_SECRET_LEN 32 /* hex digits */
#define STORE_TOKEN_LEN 24  /* hex digits */

typedef struct consort__store consort__store;

/* Opens (creating when missing) the database at path and upgrades its schema.
 * Refuses a file that is not a consort database or was written by a newer
 * schema. The caller closes it with consort__store_close. */
int consort__store_open(consort__store **out, const char *path, consort_error *err);
void consort__store_close(consort__store *st);

/* The facilitator's secret: `given` when not NULL (stored, replacing the old
 * one), else the stored one, else a new random one (stored). Copied to out. */
int consort__store_secret(consort__store *st, const char *given, char *out, size_t outsz,
	consort_error *err);

/* Who a bearer credential is: 1 the facilitator, 2 a participant (id copied to
 * id_out, CONSORT_ID_MAX+1 chars), 0 nobody. Every comparison takes constant time. */
int consort__store_auth(consort__store *st, const char *bearer, char *id_out);

/* A counter that changes whenever participants, rules or schedule settings
 * change; caches built from the workshop are valid while it stays the same. */
unsigned long consort__store_generation(consort__store *st);

/* Serializes the facilitator's read-check-write operations (participants,
 * rules, settings, imports) so that a check still holds when its write lands.
 * Rating writes do not take it: they are checked inside their transaction. */
void consort__store_admin_lock(consort__store *st);
void consort__store_admin_unlock(consort__store *st);

/* ---- the workshop as a session ---- */

/* Builds the workshop as a session: title, scale, participants in order,
 * ratings (when with_ratings) in entry order, rules and scoring. */
int consort__store_load(consort__store *st, consort_session **out, int with_ratings,
	consort_error *err);

/* Number of participants and ratings stored. */
int consort__store_counts(consort__store *st, size_t *participants, size_t *ratings);

/* Replaces the whole workshop by session s in one transaction: participants
 * (those whose id remains keep their token), ratings (by "facilitator"),
 * title, scale, rules and scoring. The stored proposal is dropped. */
int consort__store_replace(consort__store *st, const consort_session *s, consort_error *err);

/* {"rules": {...}, "scoring": {...}} of session s, as stored (malloc'ed). */
int consort__store_rules_of(char **out, const consort_session *s, consort_error *err);

/* Stores new rules ({"rules": ..., "scoring": ...}, already checked). */
int consort__store_set_rules(consort__store *st, const char *rules_json, consort_error *err);

/* ---- participants ---- */

/* [{"id","name","sector","offers","token","link"}] in session order. */
int consort__store_participants(consort__store *st, cJSON **out, consort_error *err);

/* The token of participant id (STORE_NOTFOUND when there is none). */
int consort__store_token(consort__store *st, const char *id, char *token_out, size_t outsz,
	consort_error *err);

/* Adds a participant (already checked by the caller) with a new token, copied
 * to token_out. STORE_CONFLICT when the id exists. offers_json is a JSON array. */
int consort__store_add_participant(consort__store *st, const char *id, const char *name,
	const char *sector, const char *offers_json, char *token_out, size_t outsz, consort_error *err);

/* Deletes participant id with every rating from or to them, and stores
 * rules_json (the rules without them) in the same transaction. */
int consort__store_delete_participant(consort__store *st, const char *id, const char *rules_json,
	consort_error *err);

/* ---- ratings ---- */

typedef enum { STORE_BY_FACILITATOR = 0, STORE_BY_PARTICIPANT = 1 } consort__store_by;

/* Sets (has_score) or deletes the rating from -> to and returns once it is
 * committed. Checks inside the transaction: both ids exist and differ, the
 * score is a finite number within the scale. Concurrent calls share one
 * commit (group commit), so many raters cost one fsync, not one each.
 * at_out (>= 32 chars) receives the time it was stored. */
int consort__store_put_rating(consort__store *st, const char *from, const char *to, int has_score,
	double score, consort__store_by by, char *at_out, size_t atsz, consort_error *err);

/* [{"from","to","score","by","at"}] in entry order; only from `from` when not NULL
 * (then without "from" and "by": [{"to","score","at"}]). */
int consort__store_ratings(consort__store *st, const char *from, cJSON **out, consort_error *err);

/* "from,to,score" CSV of every rating (malloc'ed). */
int consort__store_ratings_csv(consort__store *st, char **out, size_t *len, consort_error *err);

/* ---- settings: small JSON documents by key ---- */

/* The value stored under key (malloc'ed), or STORE_NOTFOUND. */
int consort__store_get(consort__store *st, const char *key, char **out, consort_error *err);

/* Sets (value not NULL) or deletes the keys in one transaction. */
int consort__store_set(consort__store *st, const char *const *keys, const char *const *values,
	size_t n, consort_error *err);

#endif
