/* Internal view of a session, shared by the readers, writers and the solver. */
#ifndef CONSORT_SRC_SESSION_H
#define CONSORT_SRC_SESSION_H

#include "consort/session.h"
#include "index.h"

/* Everything reachable from here is owned by the session (const is dropped on free). */
struct consort_session {
	char *title;
	double scale_min, scale_max;

	size_t n, cap;
	consort_participant *parts;
	consort__strmap ids;

	size_t nratings, rcap;
	consort_rating *ratings;
	consort__pairmap rated; /* (from, to) -> rating index */

	consort_rules rules;
	consort_scoring scoring; /* as given (has_neutral / has_unmet may be 0) */
};

/* Rules objects whose pointers are all owned heap memory. */
void consort__rules_init(consort_rules *r);
void consort__rules_dispose(consort_rules *r);

/* Checks rules against the session (ids are indexes already, so this checks
 * contradictions: min > max, together and apart on one pair, a pair naming one
 * participant twice, lots with consortia of another count, duplicate lot names,
 * empty sector or service words). `name` is the file name for messages; paths
 * are reported as "rules.size", "rules.lots[1].sectors.firm", ... */
int consort__rules_validate(const consort_rules *r, const consort_session *s,
	const char *name, consort_error *err);

/* Replaces the session's rules with r, taking ownership of r's contents
 * (r is left empty). Call consort__rules_validate first. */
void consort__session_take_rules(consort_session *s, consort_rules *r);

/* Checks scoring options against the scale (neutral and unmet inside it). */
int consort__scoring_validate(const consort_scoring *sc, double smin, double smax,
	const char *name, const char *path, consort_error *err);

/* consort_session_parse as it was before the ratings were read straight from
 * the text: the whole document as one cJSON tree. The same result and the same
 * messages, but gigabytes for millions of ratings; the reference the streaming
 * reader is tested against (tests and fuzzing only). */
int consort__session_parse_tree(consort_session **out, const char *data, size_t len,
	const char *name, consort_error *err);

/* Valid id: 1-64 characters of A-Z a-z 0-9 _ . - */
int consort__id_valid(const char *id);

/* strdup that returns NULL on NULL input or out of memory. */
char *consort__strdup(const char *s);

#endif
